/* test_scenario.c - practice scenarios: every shipped scenario loads; a
 * malformed file is refused with EX_DATAERR naming the file, section and
 * key; a live hub never takes a scenario; the clock releases referrals,
 * reset starts again and the debrief scores decisions against the model.
 * Each test makes its own files in its own temporary directory. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <criterion/criterion.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/hub.h"
#include "mashdesk/hub_scenario.h"
#include "mashdesk/scenario.h"

static char dir[64], file[128], db[128];
static struct config cfg;
static struct md_error err;

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-scen-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/s.ini", dir);
	snprintf(db, sizeof db, "%s/hub.db", dir);
	config_defaults(&cfg);
	md_clear(&err);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb; (void)flag; (void)f;
	return remove(p);
}

static void teardown(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(scenario, .init = setup, .fini = teardown);

/* A small valid scenario; each malformed case replaces one line. */
static const char good[] =
	"[scenario]\n"
	"name = Test exercise\n"
	"[user:tr]\n"
	"name = Tam Rowe\n"
	"role = trainer\n"
	"[user:pat]\n"
	"name = Pat Okafor\n"
	"agency = police\n"
	"role = practitioner\n"
	"[user:sue]\n"
	"name = Sue Lindqvist\n"
	"agency = csc\n"
	"role = supervisor\n"
	"[history:h1]\n"
	"ago = 30d\n"
	"child = Ada Quill\n"
	"dob = 2016-04-12\n"
	"concern = Seen alone before.\n"
	"outcome = advice\n"
	"[referral:r1]\n"
	"arrives = +0m\n"
	"child = Ada Quill\n"
	"dob = 2016-04-12\n"
	"concern = Seen alone.\n"
	"category = neglect\n"
	"person1 = \"Jo Quill; mother; pr\"\n"
	"[referral:r2]\n"
	"arrives = 1h30m\n"
	"child = Ben Ode\n"
	"dob = 2015-01-02\n"
	"concern = Bruise.\n"
	"[knows:r1:police]\n"
	"info = Two call-outs.\n"
	"basis = public-task\n"
	"[expect:r1]\n"
	"rag = amber\n"
	"level = 3\n"
	"outcome = s17\n"
	"rationale = The pattern.\n"
	"[expect:r2]\n"
	"rag = green\n"
	"outcome = nfa\n"
	"rationale = Explained.\n";

/* Write `good` with line `from` (exactly, with its newline) replaced. */
static void write_file(const char *from, const char *to)
{
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	const char *at = from ? strstr(good, from) : NULL;
	if (from)
		cr_assert_not_null(at, "test bug: no line '%s'", from);
	if (at) {
		fwrite(good, 1, (size_t)(at - good), f);
		fputs(to, f);
		fputs(at + strlen(from), f);
	} else {
		fputs(good, f);
	}
	fclose(f);
}

static int code_ok(void *arg, const char *table, const char *code,
		   char *allowed, unsigned len)
{
	struct hub *hub = arg;
	(void)hub; (void)allowed; (void)len; (void)table;
	return strcmp(code, "spaceforce") && strcmp(code, "teleport") &&
	       strcmp(code, "purple");
}

/* A fresh training hub (or live) whose admin is "admin", acting as him. */
static struct hub *make_hub(int training)
{
	struct hub_create_opts o = { .name = "Scenario test", .training = training,
				     .admin_login = "admin" };
	struct hub *hub;
	cr_assert_eq(hub_create(db, &cfg, &o, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_open(&hub, db, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	return hub;
}

/* Load the file (replaced as told) into a fresh training hub. */
static int load(const char *from, const char *to)
{
	struct scenario *s;
	write_file(from, to);
	md_clear(&err);
	int status = scenario_load(file, &s, &err);
	if (status)
		return status;
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
	struct hub *hub = make_hub(1);
	status = hub_scenario_load(hub, s, &err);
	hub_close(hub);
	scenario_free(s);
	return status;
}

static void refused(const char *from, const char *to, const char *section,
		    const char *key, const char *why)
{
	cr_assert_eq(load(from, to), EX_DATAERR, "not refused: %s -> %s (%s)",
		     from, to, err.msg);
	cr_assert(strstr(err.msg, file), "no file named: %s", err.msg);
	if (section)
		cr_assert(strstr(err.msg, section), "no %s in: %s", section, err.msg);
	if (key)
		cr_assert(strstr(err.msg, key), "no key %s in: %s", key, err.msg);
	if (why)
		cr_assert(strstr(err.msg, why), "no '%s' in: %s", why, err.msg);
}

Test(scenario, the_sample_loads)
{
	cr_assert_eq(load(NULL, NULL), 0, "%s", err.msg);
}

Test(scenario, shipped_scenarios_load)
{
	const char *names[] = { "quiet-morning", "domestic-abuse", "repeat-neglect" };
	for (int i = 0; i < 3; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s.ini", SCENARIO_DIR, names[i]);
		struct scenario *s;
		cr_assert_eq(scenario_load(p, &s, &err), 0, "%s", err.msg);
		struct hub *hub = make_hub(1);
		cr_assert_eq(hub_scenario_load(hub, s, &err), 0, "%s", err.msg);
		struct hub_scenario_state st;
		cr_assert_eq(hub_scenario_state(hub, &st, &err), 0);
		cr_assert(st.loaded && st.total >= 3 && st.released == 0,
			  "%s: %d referrals", names[i], st.total);
		cr_assert_str_eq(st.trainer, "trainer");
		hub_close(hub);
		scenario_free(s);
		unlink(db);
		char side[160];
		snprintf(side, sizeof side, "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", db);
		unlink(side);
	}
}

Test(scenario, missing_sections)
{
	refused("[scenario]\nname = Test exercise\n", "", NULL, NULL,
		"no [scenario] section");
	refused("name = Test exercise\n", "", "[scenario]", "name", "required");
	refused("[expect:r2]\n", "[other:r2]\n", "[other:r2]", NULL,
		"unknown section");
	refused("[expect:r2]\nrag = green\noutcome = nfa\nrationale = Explained.\n",
		"", "[referral:r2]", NULL, "no [expect:r2] section");
	refused("concern = Bruise.\n", "", "[referral:r2]", "concern", "required");
}

Test(scenario, bad_offsets)
{
	refused("arrives = 1h30m\n", "arrives = -5m\n", "[referral:r2]", "arrives",
		"never negative");
	refused("arrives = 1h30m\n", "arrives = soon\n", "[referral:r2]",
		"arrives", "not an offset");
	refused("arrives = 1h30m\n", "arrives = 15\n", "[referral:r2]", "arrives",
		"not an offset");
	refused("arrives = +0m\n", "arrives = \n", "[referral:r1]", "arrives",
		"required");
	refused("ago = 30d\n", "ago = 0\n", "[history:h1]", "ago", NULL);
	cr_assert_eq(scenario_parse_offset("+15m"), 900);
	cr_assert_eq(scenario_parse_offset("1h30m"), 5400);
	cr_assert_eq(scenario_parse_offset("0"), 0);
	cr_assert_eq(scenario_parse_offset("2d"), 172800);
	cr_assert_eq(scenario_parse_offset("-5m"), -1);
	cr_assert_eq(scenario_parse_offset("h"), -1);
	cr_assert_eq(scenario_parse_offset("99999999999999d"), -1);
}

Test(scenario, unknown_codes)
{
	refused("agency = police\n", "agency = spaceforce\n", "[user:pat]",
		"agency", "unknown code 'spaceforce'");
	refused("role = practitioner\n", "role = wizard\n", "[user:pat]", "role",
		"unknown code 'wizard'");
	refused("category = neglect\n", "category = teleport\n", "[referral:r1]",
		"category", "unknown code 'teleport'");
	refused("outcome = s17\n", "outcome = jail\n", "[expect:r1]", "outcome",
		"unknown code 'jail'");
	refused("rag = amber\n", "rag = purple\n", "[expect:r1]", "rag",
		"unknown code 'purple'");
	refused("outcome = advice\n", "outcome = shrug\n", "[history:h1]",
		"outcome", "unknown code 'shrug'");
	refused("[knows:r1:police]\n", "[knows:r1:spaceforce]\n",
		"[knows:r1:spaceforce]", NULL, "unknown code 'spaceforce'");
	refused("basis = public-task\n", "basis = because\n", "[knows:r1:police]",
		"basis", "unknown code 'because'");
	refused("level = 3\n", "level = 7\n", "[expect:r1]", "level", "1-4");
	/* without a hub, the caller's code check is used */
	struct scenario *s;
	write_file("agency = police\n", "agency = spaceforce\n");
	cr_assert_eq(scenario_load(file, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(scenario_check_codes(s, code_ok, NULL, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "[user:pat] agency"), "%s", err.msg);
	scenario_free(s);
}

Test(scenario, bad_references_and_fields)
{
	refused("[expect:r2]\n", "[expect:r9]\n", "[expect:r9]", NULL,
		"no [referral:r9] section");
	refused("[knows:r1:police]\n", "[knows:r7:police]\n", "[knows:r7:police]",
		NULL, "no [referral:r7]");
	refused("[referral:r2]\n", "[referral:r1]\n", "[referral:r1]", NULL,
		"duplicate section");
	refused("[history:h1]\n", "[history:r1]\n", "[referral:r1]", NULL,
		"duplicate ID");
	refused("rag = green\n", "rag = green\nRAG = red\n", "[expect:r2]", "rag",
		"given twice");
	refused("name = Test exercise\n", "name = Test exercise\ntrainer = ghost\n",
		"[scenario]", "trainer", "no [user:ghost]");
	refused("dob = 2015-01-02\n", "dob = 2015-02-30\n", "[referral:r2]", "dob",
		"not a date");
	refused("concern = Bruise.\n", "concern = Bruise.\nmood = grim\n",
		"[referral:r2]", "mood", "unknown key");
	refused("person1 = \"Jo Quill; mother; pr\"\n", "person1 = Jo Quill\n",
		"[referral:r1]", "person1", "RELATIONSHIP");
	refused("agency = csc\n", "", "[user:sue]", "agency", "required");
	refused("dob = 2015-01-02\n", "dob = 1980-01-02\n", "[referral:r2]", "dob",
		"a MASH referral is about a child");
}

Test(scenario, a_live_hub_never_takes_a_scenario)
{
	struct scenario *s;
	write_file(NULL, NULL);
	cr_assert_eq(scenario_load(file, &s, &err), 0, "%s", err.msg);
	struct hub *hub = make_hub(0);
	cr_assert_eq(hub_scenario_load(hub, s, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "live hub"), "%s", err.msg);
	struct hub_scenario_state st;
	cr_assert_eq(hub_scenario_state(hub, &st, &err), 0);
	cr_assert_eq(st.loaded, 0);
	hub_close(hub);
	scenario_free(s);
}

static int nreleased;
static void count_release(const struct hub_scenario_release *r, void *arg)
{
	(void)arg;
	cr_assert(r->ref[0] == 'R');
	nreleased++;
}

Test(scenario, clock_debrief_and_reset)
{
	cr_assert_eq(load(NULL, NULL), 0, "%s", err.msg);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, db, &cfg, &err), 0);
	/* practitioners may not run the clock */
	cr_assert_eq(hub_act_as(hub, "pat", 1, &err), 0);
	cr_assert_eq(hub_scenario_start(hub, 0, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only trainers and admins"), "%s", err.msg);
	hub_close(hub);
	cr_assert_eq(hub_open(&hub, db, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "tr", 1, &err), 0);
	cr_assert_eq(hub_scenario_start(hub, 0, &err), 0, "%s", err.msg);
	int pending = -1;
	long long next;
	cr_assert_eq(hub_scenario_release_due(hub, 1, count_release, NULL,
					      &pending, &next, &err), 0, "%s", err.msg);
	cr_assert_eq(nreleased, 2);
	cr_assert_eq(pending, 0);
	cr_assert_eq(hub_scenario_stop(hub, &err), 0, "%s", err.msg);
	hub_close(hub);
	/* R000001 is the history; r1 arrived as R000002, r2 as R000003 */
	cr_assert_eq(hub_open(&hub, db, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "pat", 1, &err), 0);
	struct hub_scenario_knows k;
	int found;
	cr_assert_eq(hub_scenario_knows(hub, "R000002", &k, &found, &err), 0,
		     "%s", err.msg);
	cr_assert(found);
	cr_assert_str_eq(k.info, "Two call-outs.");
	cr_assert_eq(hub_claim(hub, "R000002", &err), 0, "%s", err.msg);
	struct decision_input d = { .outcome = "s17", .rationale = "Pattern.",
				    .rag = "amber", .level = 3 };
	cr_assert_eq(hub_decide(hub, "R000002", &d, &err), 0, "%s", err.msg);
	hub_close(hub);
	cr_assert_eq(hub_open(&hub, db, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "tr", 1, &err), 0);
	struct hub_debrief *db_;
	cr_assert_eq(hub_scenario_debrief(hub, &db_, &err), 0, "%s", err.msg);
	cr_assert_eq(db_->nrows, 2);
	cr_assert_str_eq(db_->rows[0].trainee, "pat");
	cr_assert_str_eq(db_->rows[0].ref, "R000002");
	cr_assert_eq(db_->rows[0].score, HUB_DEBRIEF_MAX);
	cr_assert_eq(db_->rows[0].within, 1);
	cr_assert_str_eq(db_->rows[1].trainee, "-");
	cr_assert_eq(db_->rows[1].score, 0);
	cr_assert_eq(db_->ntotals, 1);
	cr_assert_eq(db_->totals[0].score, 4);
	cr_assert_eq(db_->totals[0].max_score, 4);
	hub_debrief_free(db_);
	int removed = 0;
	cr_assert_eq(hub_scenario_reset(hub, &removed, &err), 0, "%s", err.msg);
	cr_assert_eq(removed, 2);
	struct hub_scenario_state st;
	cr_assert_eq(hub_scenario_state(hub, &st, &err), 0);
	cr_assert_eq(st.released, 0);
	cr_assert_eq(st.now, 0);
	cr_assert_eq(st.history, 1);
	hub_close(hub);
}
