/* test_transfer.c - a child's case moving between hubs (src/hub_transfer.c,
 * hub_transfer.h): out of one hub and into another in one test, with its
 * history and never a restricted entry (the raw bytes of the file too);
 * then everything a receiving hub must refuse, changing nothing: a byte
 * changed anywhere, a truncated file, a foreign one (a hub, another SQLite
 * file, text), a bundle edited with sqlite3 (a value, an extra table, a
 * trigger), the same bundle twice, training into live, a bundle addressed
 * to another hub; and the sending hub's refusals leaving no file.
 *
 * Each test makes its own two hubs in its own temporary directory. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/hub.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_strategy.h"
#include "mashdesk/hub_transfer.h"

static char dir[64], hub_a[128], hub_b[128], bundle[128];
static char ref[MD_REF_MAX];
static struct config cfg;
static struct md_error err;

#define SECRET "Operation Kestrel informant says uncle visits"
#define SECRET_REASON "Undercover source must stay hidden"

static struct hub *as(const char *path, const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static void make_hub(const char *path, const char *name, int training)
{
	struct hub_create_opts o = { .name = name, .training = training,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *hub = as(path, "admin");
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "tom", "Tom Achebe", "", "trainer", 1 },
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		cr_assert_eq(hub_user_add(hub, &users[i], &err), 0, "%s", err.msg);
	hub_close(hub);
}

static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void raw(const char *path, const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* Riverside (sending) with one referral: a household member, an alias,
 * police's restricted entry, health's shareable one, a decision; Hilltop
 * (receiving) empty. */
static void setup(void)
{
	config_defaults(&cfg);
	snprintf(dir, sizeof dir, "/tmp/mashdesk-transfer-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(hub_a, sizeof hub_a, "%s/riverside.db", dir);
	snprintf(hub_b, sizeof hub_b, "%s/hilltop.db", dir);
	snprintf(bundle, sizeof bundle, "%s/ada.bundle", dir);
	make_hub(hub_a, "Riverside MASH", 1);
	make_hub(hub_b, "Hilltop MASH", 1);
	struct hub *sue = as(hub_a, "sue");
	struct person_input mum = { .name = "Mo Quill", .relationship = "mother",
				    .dob = "1990-02-03", .parental_responsibility = 1,
				    .household = 1 };
	struct referral_input in = { .child_name = "Ada Quill", .dob = "2016-04-12",
				     .aliases = "Addy Quill", .address = "4 Wren Row",
				     .concern = "Seen alone at the bus stop at night.",
				     .rag = "amber", .parents_aware = 1,
				     .people = &mum, .npeople = 1 };
	cr_assert_eq(hub_referral_add(sue, &in, ref, &err), 0, "%s", err.msg);
	hub_close(sue);
	struct hub *pat = as(hub_a, "pat");
	struct check_input police = { .status = "complete", .info = SECRET,
				      .basis = "public-task", .handling = "restricted",
				      .consent = "refused",
				      .consent_reason = SECRET_REASON };
	cr_assert_eq(hub_check_record(pat, ref, &police, &err), 0, "%s", err.msg);
	hub_close(pat);
	struct hub *hana = as(hub_a, "hana");
	struct check_input health = { .status = "complete",
				      .info = "Known to the school nurse.",
				      .basis = "public-task" };
	cr_assert_eq(hub_check_record(hana, ref, &health, &err), 0, "%s", err.msg);
	hub_close(hana);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

TestSuite(transfer, .init = setup, .fini = teardown, .timeout = 120);

static int send_out(const char *path, const char *to, struct transfer_result *res)
{
	struct hub *sue = as(hub_a, "sue");
	struct transfer_out req = { .ref = ref, .to_hub = to,
				    .reason = "Family moved to Hilltop.",
				    .path = path };
	int status = hub_transfer_out(sue, &req, res, &err);
	hub_close(sue);
	return status;
}

static int take_in(const char *hub_path, const char *login, const char *path,
		   struct transfer_result *res)
{
	struct hub *h = as(hub_path, login);
	int status = hub_transfer_in(h, path, res, &err);
	hub_close(h);
	return status;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	unsigned char *buf = malloc(HUB_TRANSFER_MAX_BYTES);
	cr_assert_not_null(buf);
	*n = fread(buf, 1, HUB_TRANSFER_MAX_BYTES, f);
	fclose(f);
	return buf;
}

static void spill(const char *path, const unsigned char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* Every line `show` gives, as "section|field|value\n". */
static int collect(const char *section, const char *field, const char *value,
		   void *arg)
{
	char *buf = arg;
	size_t n = strlen(buf);
	snprintf(buf + n, 65536 - n, "%s|%s|%s\n", section, field, value);
	return 0;
}

static char *show(const char *hub_path, const char *r)
{
	static char buf[65536];
	buf[0] = '\0';
	struct hub *sue = as(hub_path, "sue");
	cr_assert_eq(hub_referral_show(sue, r, collect, buf, &err), 0, "%s", err.msg);
	hub_close(sue);
	return buf;
}

struct findings {
	char problems[2048];
};

static void finding_cb(enum hub_finding level, const char *topic,
		       const char *text, void *arg)
{
	struct findings *f = arg;
	if (level != HUB_FINDING_PROBLEM)
		return;
	size_t n = strlen(f->problems);
	snprintf(f->problems + n, sizeof f->problems - n, "%s: %s\n", topic, text);
}

static void healthy(const char *path)
{
	struct findings f = { "" };
	cr_assert_eq(hub_doctor(path, &cfg, finding_cb, &f), 0, "%s: %s", path,
		     f.problems);
	long long rows;
	struct hub *sue = as(path, "sue");
	cr_assert_eq(hub_audit_verify(sue, &rows, &err), 0, "%s", err.msg);
	hub_close(sue);
}

/* What a refusal must leave as it was at the receiving hub. */
static long long hilltop_rows(void)
{
	return raw_int(hub_b, "SELECT (SELECT count(*) FROM referral) * 1000000"
		       " + (SELECT count(*) FROM transfer_in) * 1000"
		       " + (SELECT count(*) FROM transfer_history)");
}

Test(transfer, out_of_one_hub_and_into_another_with_its_history_once)
{
	struct hub *sue = as(hub_a, "sue");
	struct decision_input d = { .outcome = "s17", .rationale = "Needs support.",
				    .agencies = "csc,health" };
	cr_assert_eq(hub_decide(sue, ref, &d, &err), 0, "%s", err.msg);
	/* a strategy discussion and its action travel too */
	const struct strategy_attendee_input who[] = {
		{ "police", "PC Ann Lowe" }, { "csc", "sue" },
		{ "health", "Dr Ray Okoye" },
	};
	const struct action_input act[] = {
		{ .what = "Visit the family", .owner = "sue", .due = "2030-01-02" },
	};
	struct strategy_input sd = {
		.held = "now", .how = "video", .attendees = who, .nattendees = 3,
		.summary = "Two call-outs to the home shared.",
		.decision = "no-s47", .instead = "Early help offered.",
		.actions = act, .nactions = 1,
	};
	cr_assert_eq(hub_strategy_record(sue, ref, &sd, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_feedback_record(sue, ref, "outcome", "letter",
					 "Early help was offered to the family.",
					 &err), 0, "%s", err.msg);
	hub_close(sue);

	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), 0, "%s", err.msg);
	cr_assert_str_eq(out.ref, ref);
	cr_assert_eq(strlen(out.hash), 64);
	struct stat sb;
	cr_assert_eq(stat(bundle, &sb), 0);
	cr_assert_eq(sb.st_mode & 077, 0, "a child's record is the user's alone");

	/* never the restricted entry: not in the raw bytes either */
	size_t n;
	unsigned char *data = slurp(bundle, &n);
	cr_assert_null(memmem(data, n, "Operation Kestrel", 17));
	cr_assert_null(memmem(data, n, "Undercover source", 17));
	cr_assert_not_null(memmem(data, n, "Known to the school nurse.", 26));
	free(data);

	/* closed here as transferred, where to, audited */
	cr_assert_eq(raw_int(hub_a, "SELECT status = 'closed' AND transferred_to ="
			     " 'Hilltop MASH' AND transfer_reason IS NOT NULL AND"
			     " transferred_at > 0 FROM referral WHERE id = 1"), 1);
	cr_assert_eq(raw_int(hub_a, "SELECT count(*) FROM audit WHERE action ="
			     " 'transfer-out' AND referral_id = 1 AND detail LIKE"
			     " '%Hilltop MASH%' AND state IS NOT NULL"), 1);
	cr_assert(strstr(show(hub_a, ref), "transfer|to|Hilltop MASH; at "),
		  "%s", show(hub_a, ref));
	healthy(hub_a);

	/* arrives as a contact, marked, its clocks starting now */
	cr_assert_eq(take_in(hub_b, "sue", bundle, &in), 0, "%s", err.msg);
	cr_assert_str_eq(in.from_hub, "Riverside MASH");
	cr_assert_str_eq(in.from_ref, ref);
	cr_assert_str_eq(in.hash, out.hash);
	const char *s = show(hub_b, in.ref);
	cr_assert(strstr(s, "transfer|from|Riverside MASH R000001"), "%s", s);
	cr_assert(strstr(s, "screening|stage|contact"), "%s", s);
	cr_assert(strstr(s, "referral|status|new"), "%s", s);
	cr_assert(strstr(s, "household|Mo Quill|mother"), "%s", s);
	cr_assert(strstr(s, "child|aliases|Addy Quill"), "%s", s);
	cr_assert(strstr(s, "Transferred from Riverside MASH (training) as R000001"), "%s", s);
	cr_assert(strstr(s, "info: Known to the school nurse."), "%s", s);
	cr_assert(strstr(s, "agency: police; status: complete; withheld: yes"), "%s", s);
	cr_assert(strstr(s, "outcome: s17"), "%s", s);
	cr_assert(strstr(s, "Strategy discussions"), "%s", s);
	cr_assert(strstr(s, "summary: Two call-outs to the home shared."), "%s", s);
	cr_assert(strstr(s, "health: Dr Ray Okoye"), "%s", s);
	cr_assert(strstr(s, "what: Visit the family"), "%s", s);
	cr_assert(strstr(s, "text: Early help was offered to the family."), "%s", s);
	cr_assert(strstr(s, "reason: rated at intake"), "%s", s);
	cr_assert_null(strstr(s, "Kestrel"));
	cr_assert_eq(raw_int(hub_b, "SELECT received_at >= strftime('%s','now') - 60"
			     " AND rag IS NULL AND decided_at IS NULL"
			     " FROM referral WHERE id = 1"), 1);
	cr_assert_eq(raw_int(hub_b, "SELECT count(*) FROM audit WHERE action ="
			     " 'transfer-in' AND referral_id = 1 AND state IS NOT NULL"), 1);
	/* the history is kept as it came */
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(hub_b, &db), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "UPDATE transfer_history SET body = 'x'",
				   NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	healthy(hub_b);

	/* once: the same bundle again names what it became */
	long long before = hilltop_rows();
	cr_assert_eq(take_in(hub_b, "sue", bundle, &in), EX_CANTCREAT);
	cr_assert(strstr(err.msg, "taken in already") && strstr(err.msg, "R000001"),
		  "%s", err.msg);
	cr_assert_eq(hilltop_rows(), before);

	/* and it cannot leave Riverside twice */
	char again[160];
	snprintf(again, sizeof again, "%s/again.bundle", dir);
	cr_assert_eq(send_out(again, "Hilltop MASH", &out), EX_DATAERR);
	cr_assert(strstr(err.msg, "transferred to Hilltop MASH"), "%s", err.msg);
	cr_assert_neq(access(again, F_OK), 0);
}

Test(transfer, prior_history_links_the_arrival)
{
	struct hub *sue = as(hub_b, "sue");
	struct referral_input earlier = { .child_name = "Ada Quill",
					  .dob = "2016-04-12",
					  .concern = "Earlier worry at Hilltop.",
					  .parents_aware = -1 };
	char first[MD_REF_MAX];
	cr_assert_eq(hub_referral_add(sue, &earlier, first, &err), 0, "%s", err.msg);
	hub_close(sue);
	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "hilltop mash", &out), 0, "%s", err.msg);
	cr_assert_eq(take_in(hub_b, "sue", bundle, &in), 0, "%s", err.msg);
	cr_assert(strstr(show(hub_b, in.ref), "referral|repeat_of|R000001"),
		  "%s", show(hub_b, in.ref));
}

Test(transfer, a_byte_changed_anywhere_is_refused)
{
	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), 0, "%s", err.msg);
	size_t n;
	unsigned char *data = slurp(bundle, &n);
	char hash[65];
	cr_assert_eq(hub_transfer_check_image(data, n, hash, &err), 0, "%s", err.msg);
	/* every 17th byte through the checks, and all of the header */
	for (size_t i = 0; i < n; i += i < 128 ? 1 : 17) {
		data[i] ^= 0x01;
		cr_expect_eq(hub_transfer_check_image(data, n, hash, &err), EX_DATAERR,
			     "byte %zu changed was not refused", i);
		data[i] ^= 0x01;
	}
	/* and through the hub, changing nothing */
	long long before = hilltop_rows();
	size_t at[] = { 0, 60, 69, 1000, n / 2, n - 1 };
	char bad[160];
	snprintf(bad, sizeof bad, "%s/bad.bundle", dir);
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		data[at[k]] ^= 0x20;
		spill(bad, data, n);
		data[at[k]] ^= 0x20;
		cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_DATAERR,
			     "byte %zu: %s", at[k], err.msg);
	}
	cr_assert_eq(hilltop_rows(), before);
	free(data);
	/* the one untouched still goes in */
	cr_assert_eq(take_in(hub_b, "sue", bundle, &in), 0, "%s", err.msg);
}

Test(transfer, truncated_and_foreign_files_are_refused)
{
	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), 0, "%s", err.msg);
	size_t n;
	unsigned char *data = slurp(bundle, &n);
	long long before = hilltop_rows();
	char bad[160];
	snprintf(bad, sizeof bad, "%s/bad.bundle", dir);
	size_t cut[] = { 0, 50, 100, 4096, n / 2, n - 1 };
	for (size_t k = 0; k < sizeof cut / sizeof cut[0]; k++) {
		spill(bad, data, cut[k]);
		cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_DATAERR,
			     "cut at %zu: %s", cut[k], err.msg);
	}
	/* longer, too */
	unsigned char *more = calloc(n + 4096, 1);
	memcpy(more, data, n);
	spill(bad, more, n + 4096);
	cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_DATAERR, "%s", err.msg);
	free(more);
	free(data);
	/* a hub is a SQLite file but no bundle */
	cr_expect_eq(take_in(hub_b, "sue", hub_a, &in), EX_DATAERR, "%s", err.msg);
	cr_assert(strstr(err.msg, "not a transfer bundle"), "%s", err.msg);
	/* nor is any other SQLite file, even with a bundle's marks */
	unlink(bad);
	raw(bad, "PRAGMA application_id = 1296126792; PRAGMA user_version = 1;"
	    " CREATE TABLE bundle (x)");
	cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_DATAERR, "%s", err.msg);
	unlink(bad);
	spill(bad, (const unsigned char *)"child,dob\nAda,2016-04-12\n", 25);
	cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_DATAERR, "%s", err.msg);
	cr_assert(strstr(err.msg, "not a SQLite database"), "%s", err.msg);
	snprintf(bad, sizeof bad, "%s/missing.bundle", dir);
	cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_NOINPUT, "%s", err.msg);
	cr_expect_eq(take_in(hub_b, "sue", dir, &in), EX_NOINPUT, "%s", err.msg);
	cr_assert_eq(hilltop_rows(), before);
}

/* A bundle edited with sqlite3: a value changed (the hash no longer
 * matches), one out of its range, a table, trigger or view added, even a
 * VACUUM (the same rows, but not the file this program writes). */
Test(transfer, a_bundle_edited_with_sqlite3_is_refused)
{
	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), 0, "%s", err.msg);
	const char *edits[] = {
		"UPDATE child SET concern = 'Nothing of note.'",
		"UPDATE bundle SET hub_mode = 'live'",
		"CREATE TABLE extra (x)",
		"CREATE TRIGGER t AFTER INSERT ON alias BEGIN SELECT 1; END",
		"CREATE VIEW v AS SELECT 1",
		("INSERT INTO person (name, relationship, parental_responsibility,"
		 " alleged_perpetrator, household) VALUES (x'41', 'uncle', 0, 0, 1)"),
		"UPDATE person SET household = 7",
		"DELETE FROM agency_check",
		"VACUUM",
	};
	long long before = hilltop_rows();
	char bad[160], cmd[400];
	snprintf(bad, sizeof bad, "%s/edited.bundle", dir);
	for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", bundle, bad);
		cr_assert_eq(system(cmd), 0);
		raw(bad, edits[k]);
		cr_expect_eq(take_in(hub_b, "sue", bad, &in), EX_DATAERR,
			     "%s: %s", edits[k], err.msg);
	}
	cr_assert_eq(hilltop_rows(), before);
}

Test(transfer, training_and_live_never_mix)
{
	char live[128];
	snprintf(live, sizeof live, "%s/live.db", dir);
	make_hub(live, "Hilltop MASH", 0);
	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), 0, "%s", err.msg);
	long long before = raw_int(live, "SELECT count(*) FROM referral");
	cr_assert_eq(take_in(live, "sue", bundle, &in), EX_NOPERM);
	cr_assert(strstr(err.msg, "training hub") && strstr(err.msg, "live hub") &&
		  strstr(err.msg, "nothing is copied between live and training"),
		  "%s", err.msg);
	cr_assert_eq(raw_int(live, "SELECT count(*) FROM referral"), before);
	cr_assert_eq(raw_int(live, "SELECT count(*) FROM audit WHERE action ="
			     " 'refused'"), 1, "the refusal is audited");
}

Test(transfer, only_for_the_hub_it_was_addressed_to)
{
	struct transfer_result out, in;
	cr_assert_eq(send_out(bundle, "Lakeside MASH", &out), 0, "%s", err.msg);
	long long before = hilltop_rows();
	cr_assert_eq(take_in(hub_b, "sue", bundle, &in), EX_DATAERR);
	cr_assert(strstr(err.msg, "addressed to Lakeside MASH"), "%s", err.msg);
	cr_assert_eq(hilltop_rows(), before);
}

Test(transfer, who_may)
{
	struct transfer_result out, in;
	struct hub *pat = as(hub_a, "pat");
	struct transfer_out req = { .ref = ref, .to_hub = "Hilltop MASH",
				    .reason = "Moved.", .path = bundle };
	cr_assert_eq(hub_transfer_out(pat, &req, &out, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "may"), "%s", err.msg);
	hub_close(pat);
	cr_assert_neq(access(bundle, F_OK), 0);
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), 0, "%s", err.msg);
	cr_assert_eq(take_in(hub_b, "pat", bundle, &in), EX_NOPERM);
	cr_assert_eq(take_in(hub_b, "tom", bundle, &in), 0, "a trainer on a "
		     "training hub: %s", err.msg);
}

/* The sending hub's refusals: nothing changes and no file is left. */
Test(transfer, a_refused_transfer_out_leaves_nothing)
{
	struct transfer_result out;
	char cmd[200];
	/* the file exists */
	spill(bundle, (const unsigned char *)"mine", 4);
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), EX_CANTCREAT);
	unlink(bundle);
	/* no such directory */
	char nowhere[160];
	snprintf(nowhere, sizeof nowhere, "%s/no/such/dir.bundle", dir);
	cr_assert_eq(send_out(nowhere, "Hilltop MASH", &out), EX_CANTCREAT);
	/* to itself */
	cr_assert_eq(send_out(bundle, "riverside mash", &out), EX_DATAERR);
	/* someone is editing it */
	struct hub *pat = as(hub_a, "pat");
	struct hub_lease lease;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_CHECK, ref, &lease, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(send_out(bundle, "Hilltop MASH", &out), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "pat is editing"), "%s", err.msg);
	cr_assert_eq(hub_lease_release(pat, &lease, &err), 0, "%s", err.msg);
	hub_close(pat);
	/* unknown referral */
	struct hub *sue = as(hub_a, "sue");
	struct transfer_out req = { .ref = "R000099", .to_hub = "Hilltop MASH",
				    .reason = "Moved.", .path = bundle };
	cr_assert_eq(hub_transfer_out(sue, &req, &out, &err), EX_DATAERR);
	hub_close(sue);
	cr_assert_eq(raw_int(hub_a, "SELECT count(*) FROM referral WHERE"
			     " status = 'closed' OR transferred_to IS NOT NULL"), 0);
	cr_assert_eq(raw_int(hub_a, "SELECT count(*) FROM audit WHERE action ="
			     " 'transfer-out'"), 0);
	snprintf(cmd, sizeof cmd, "test -z \"$(ls '%s' | grep -v '\\.db')\"", dir);
	cr_assert_eq(system(cmd), 0, "a file was left behind");
}
