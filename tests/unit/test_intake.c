/* test_intake.c - the front door's data layer at the desk: prior history
 * while a contact is typed (hub_prior_history), a contact taken in with
 * its draft (hub_contact_add), and a referral's details corrected under a
 * lease (hub_referral_update).
 *
 * Each test makes its own hub in a temporary directory with three users:
 * pat (police practitioner), cas (csc practitioner) and sue (csc
 * supervisor, who may read the audit). */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"

#include "fixture.h"
#include "mashdesk/hub_prior.h"
#include "mashdesk/hub_update.h"

static char dir[64], path[128];
static struct config cfg;
static struct md_error err;
static struct hub *pat, *sue;

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 1, &err), 0, "%s", err.msg);
	return hub;
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-intake-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Intake", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = as("admin");
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "cas", "Cas Moreno", "csc", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
	};
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);
	pat = as("pat");
	sue = as("sue");
}

static void teardown(void)
{
	char cmd[128];
	hub_close(pat);
	hub_close(sue);
	pat = sue = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

/* A referral received `days` ago; returns its id (from the reference). */
static long long add(const char *child, const char *dob, const char *address,
		     const char *aliases, int days, char ref[MD_REF_MAX])
{
	char mine[MD_REF_MAX];
	struct referral_input in = {
		.child_name = child, .dob = dob, .address = address,
		.aliases = aliases, .concern = "Seen alone at night.",
		.parents_aware = -1,
		.received_at = clock_now() - days * 86400LL,
	};
	if (!ref)
		ref = mine;
	cr_assert_eq(hub_referral_add(pat, &in, ref, &err), 0, "%s", err.msg);
	return atoll(ref + 1);
}

/* Run SQL on the hub directly (a state no command makes yet). */
static void sql(const char *text)
{
	char cmd[1024];
	fixture_sql_command(cmd, sizeof cmd, path, text);
	cr_assert_eq(system(cmd), 0, "%s", text);
}

/* ---- prior history ------------------------------------------------------------ */

struct found {
	struct prior_match m[PRIOR_MAX + 5];
	int n;
	char allocated[MD_NAME_MAX];
};

static int keep(const struct prior_match *m, void *arg)
{
	struct found *f = arg;
	if (f->n < PRIOR_MAX + 5)
		f->m[f->n++] = *m;
	return 0;
}

static struct found prior(const char *child, const char *dob,
			  const char *aliases, const char *address,
			  long long exclude)
{
	struct found f;
	struct prior_query q = { child, dob, aliases, address, exclude };
	memset(&f, 0, sizeof f);
	cr_assert_eq(hub_prior_history(pat, &q, keep, &f, f.allocated, &err), 0,
		     "%s", err.msg);
	return f;
}

static int has(const struct found *f, const char *ref, int same_child)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->m[i].ref, ref))
			return f->m[i].same_child == same_child;
	return 0;
}

TestSuite(prior, .init = setup, .fini = teardown);

Test(prior, the_same_child_by_normalised_name_and_dob)
{
	char a[MD_REF_MAX], b[MD_REF_MAX];
	add("Zoë Quintrell", "2016-04-01", NULL, NULL, 30, a);
	add("Zoë Quintrell", "2016-04-02", NULL, NULL, 20, b);
	struct found f = prior("  ZOE   quintrell ", "2016-04-01", NULL, NULL, 0);
	cr_assert_eq(f.n, 1, "%d matches", f.n);
	cr_assert(has(&f, a, 1));
	cr_assert_str_eq(f.m[0].child_name, "Zoë Quintrell");
	cr_assert_str_eq(f.m[0].stage, "contact");
	cr_assert_str_eq(f.m[0].status, "new");
	cr_assert_str_eq(f.m[0].outcome, "");
}

Test(prior, nothing_is_asked_before_name_and_dob_or_an_address)
{
	add("Ada Quintrell", "2016-04-01", "14 Canal Row", NULL, 30, NULL);
	cr_assert_eq(prior("Ada Quintrell", NULL, NULL, NULL, 0).n, 0);
	cr_assert_eq(prior("Ada Quintrell", "2016-04", NULL, NULL, 0).n, 0,
		     "a date half typed asks nothing");
	cr_assert_eq(prior("Ada Quintrell", "2016-13-01", NULL, NULL, 0).n, 0);
	cr_assert_eq(prior(NULL, "2016-04-01", NULL, NULL, 0).n, 0);
	cr_assert_eq(prior("", "", "", "", 0).n, 0);
	cr_assert_eq(prior("Ada Quintrell", "2016-04-01", NULL, NULL, 0).n, 1);
	cr_assert_eq(prior(NULL, NULL, NULL, "14 canal row", 0).n, 1);
}

Test(prior, a_typed_alias_finds_the_name_and_the_name_finds_an_alias)
{
	char named[MD_REF_MAX], aliased[MD_REF_MAX], other[MD_REF_MAX];
	add("Bea Vollmar", "2015-02-03", NULL, NULL, 40, named);
	add("Beatrice Smith", "2015-02-03", NULL, "Bea Vollmar; B. Smith", 30, aliased);
	add("Bea Vollmar", "2015-02-04", NULL, NULL, 10, other);
	/* typed: the child's name and an alias; the alias is a name on
	 * record (named), the name is an alias on record (aliased) */
	struct found f = prior("Beatrice Smith", "2015-02-03", "Bea  Vollmar", NULL, 0);
	cr_assert_eq(f.n, 2, "%d matches", f.n);
	cr_assert(has(&f, named, 1), "typed alias against a name");
	cr_assert(has(&f, aliased, 1), "typed name against the name");
	/* the typed name against another record's alias */
	f = prior("B Smith", "2015-02-03", NULL, NULL, 0);
	cr_assert_eq(f.n, 1);
	cr_assert(has(&f, aliased, 1), "name against an alias");
	/* an alias with another date of birth is another child */
	f = prior("Someone Else", "2015-02-05", "Bea Vollmar", NULL, 0);
	cr_assert_eq(f.n, 0);
}

Test(prior, the_household_by_normalised_address)
{
	char a[MD_REF_MAX], b[MD_REF_MAX];
	add("Cal Pemberton", "2014-01-01", "14 Canal Row, Riverside RV1 2AB", NULL, 50, a);
	add("Dee Pemberton", "2012-06-06", "14 canal row riverside rv1 2ab", NULL, 40, b);
	add("Eve Stranger", "2012-06-06", "15 Canal Row, Riverside", NULL, 30, NULL);
	struct found f = prior("Fin Pemberton", "2019-09-09", NULL,
			       "14, Canal Row - Riverside  RV1 2AB", 0);
	cr_assert_eq(f.n, 2);
	cr_assert(has(&f, a, 0));
	cr_assert(has(&f, b, 0));
	/* the same record by child and address is one match, of the child */
	f = prior("Cal Pemberton", "2014-01-01", NULL, "14 Canal Row Riverside RV1 2AB", 0);
	cr_assert_eq(f.n, 2);
	cr_assert(has(&f, a, 1));
	cr_assert(has(&f, b, 0));
}

Test(prior, the_record_being_edited_is_left_out)
{
	char a[MD_REF_MAX], b[MD_REF_MAX];
	long long ida = add("Gil Ashby", "2013-03-03", "2 Mill Lane", NULL, 20, a);
	add("Gil Ashby", "2013-03-03", "2 Mill Lane", NULL, 10, b);
	struct found f = prior("Gil Ashby", "2013-03-03", NULL, "2 Mill Lane", ida);
	cr_assert_eq(f.n, 1);
	cr_assert(has(&f, b, 1));
	cr_assert(!has(&f, a, 1) && !has(&f, a, 0));
}

Test(prior, newest_first_and_at_most_twenty)
{
	char refs[25][MD_REF_MAX];
	for (int i = 0; i < 25; i++)
		add("Hal Orchard", "2011-11-11", "9 Orchard Way", NULL, 100 - i, refs[i]);
	struct found f = prior("Hal Orchard", "2011-11-11", NULL, "9 Orchard Way", 0);
	cr_assert_eq(f.n, PRIOR_MAX);
	cr_assert_str_eq(f.m[0].ref, refs[24], "the newest first");
	for (int i = 1; i < f.n; i++)
		cr_assert_geq(f.m[i - 1].received_at, f.m[i].received_at);
	cr_assert_str_eq(f.m[PRIOR_MAX - 1].ref, refs[25 - PRIOR_MAX]);
}

Test(prior, outcomes_decided_closed_at_screening_or_open)
{
	char decided[MD_REF_MAX], closed[MD_REF_MAX], open[MD_REF_MAX];
	struct referral_input in = {
		.child_name = "Ivy Thorn", .dob = "2010-10-10",
		.concern = "History.", .parents_aware = -1,
		.received_at = clock_now() - 400 * 86400LL,
		.decided_at = clock_now() - 399 * 86400LL, .outcome = "s47",
	};
	cr_assert_eq(hub_referral_add(pat, &in, decided, &err), 0, "%s", err.msg);
	long long id = add("Ivy Thorn", "2010-10-10", NULL, NULL, 100, closed);
	add("Ivy Thorn", "2010-10-10", NULL, NULL, 1, open);
	char q[512];
	snprintf(q, sizeof q, "UPDATE referral SET status = 'closed', decided_at ="
		 " received_at + 60, screened_at = received_at + 60, screened_by ="
		 " 'sue', screening_outcome = 'advice', screening_reason = 'x'"
		 " WHERE id = %lld", id);
	sql(q);
	struct found f = prior("Ivy Thorn", "2010-10-10", NULL, NULL, 0);
	cr_assert_eq(f.n, 3);
	cr_assert_str_eq(f.m[0].ref, open);
	cr_assert_str_eq(f.m[0].outcome, "");
	cr_assert_str_eq(f.m[1].ref, closed);
	cr_assert_str_eq(f.m[1].outcome, "advice");
	cr_assert_str_eq(f.m[1].status, "closed");
	cr_assert_str_eq(f.m[2].ref, decided);
	cr_assert_str_eq(f.m[2].outcome, "s47");
	cr_assert_str_eq(f.m[2].stage, "referral");
}

Test(prior, the_allocated_worker_now_is_the_newest_of_the_childs)
{
	char a[MD_REF_MAX];
	struct referral_input in = {
		.child_name = "Jo Wren", .dob = "2012-12-12", .address = "3 Wren Close",
		.concern = "Older.", .parents_aware = -1,
		.allocated_worker = "Old Worker",
		.received_at = clock_now() - 300 * 86400LL,
	};
	cr_assert_eq(hub_referral_add(pat, &in, a, &err), 0, "%s", err.msg);
	in.allocated_worker = "Sam Reyes";
	in.received_at = clock_now() - 200 * 86400LL;
	cr_assert_eq(hub_referral_add(pat, &in, a, &err), 0, "%s", err.msg);
	add("Jo Wren", "2012-12-12", NULL, NULL, 100, NULL);   /* none recorded */
	/* a sibling at the address has another worker: not this child's */
	in.child_name = "Kit Wren";
	in.dob = "2014-01-01";
	in.allocated_worker = "Sibling Worker";
	in.received_at = clock_now() - 50 * 86400LL;
	cr_assert_eq(hub_referral_add(pat, &in, a, &err), 0, "%s", err.msg);
	struct found f = prior("Jo Wren", "2012-12-12", NULL, "3 Wren Close", 0);
	cr_assert_eq(f.n, 4);
	cr_assert_str_eq(f.allocated, "Sam Reyes");
	f = prior("Lou Wren", "2016-01-01", NULL, "3 Wren Close", 0);
	cr_assert_str_eq(f.allocated, "", "a household match says nothing "
			 "of this child's worker");
	f = prior("Nobody", "2016-01-01", NULL, NULL, 0);
	cr_assert_eq(f.n, 0);
	cr_assert_str_eq(f.allocated, "");
}

Test(prior, reading_it_writes_nothing_and_needs_the_view_permission)
{
	add("Mo Fenn", "2013-05-05", NULL, NULL, 5, NULL);
	int changed, reload;
	cr_assert_eq(hub_poll_changes(pat, &changed, &reload, NULL, NULL, &err), 0);
	struct found f = prior("Mo Fenn", "2013-05-05", NULL, NULL, 0);
	cr_assert_eq(f.n, 1);
	cr_assert_eq(hub_poll_changes(pat, &changed, &reload, NULL, NULL, &err), 0);
	cr_assert_eq(changed, 0, "a lookup commits nothing");
	struct hub *admin = as("admin");
	struct prior_query q = { "Mo Fenn", "2013-05-05", NULL, NULL, 0 };
	char alloc[MD_NAME_MAX];
	cr_assert_eq(hub_prior_history(admin, &q, keep, &f, alloc, &err), EX_NOPERM);
	hub_close(admin);
}

/* ---- taking a contact in, with its draft ----------------------------------------- */

TestSuite(contact, .init = setup, .fini = teardown);

Test(contact, the_draft_goes_with_the_save)
{
	char *body = NULL, ref[MD_REF_MAX];
	long long at = 0;
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_CONTACT, NULL, &body, &at, &err), 0);
	cr_assert_null(body);
	cr_assert_eq(hub_draft_save(pat, HUB_LEASE_CONTACT, NULL, "child=Ada", &err),
		     0, "%s", err.msg);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_CONTACT, NULL, &body, &at, &err), 0);
	cr_assert_str_eq(body, "child=Ada");
	cr_assert_gt(at, 0);
	free(body);
	/* one per user */
	struct hub *cas = as("cas");
	cr_assert_eq(hub_draft_load(cas, HUB_LEASE_CONTACT, NULL, &body, &at, &err), 0);
	cr_assert_null(body);
	hub_close(cas);
	struct referral_input in = { .child_name = "Ada Quintrell",
				     .dob = "2016-04-01", .concern = "A call.",
				     .parents_aware = -1 };
	/* refused: the draft stays */
	in.dob = "2016-04-31";
	cr_assert_eq(hub_contact_add(pat, &in, ref, &err), EX_DATAERR);
	cr_assert(!strncmp(err.msg, "dob:", 4), "%s", err.msg);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_CONTACT, NULL, &body, &at, &err), 0);
	cr_assert_not_null(body);
	free(body);
	in.dob = "2016-04-01";
	cr_assert_eq(hub_contact_add(pat, &in, ref, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_CONTACT, NULL, &body, &at, &err), 0);
	cr_assert_null(body, "saved: the draft went in the same transaction");
	struct referral_detail *d = NULL;
	cr_assert_eq(hub_referral_get(pat, ref, &d, &err), 0, "%s", err.msg);
	cr_assert_str_eq(d->row.status, "new");
	hub_referral_free(d);
	/* drop */
	cr_assert_eq(hub_draft_save(pat, HUB_LEASE_CONTACT, NULL, "x=1", &err), 0);
	cr_assert_eq(hub_draft_drop(pat, HUB_LEASE_CONTACT, NULL, &err), 0);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_CONTACT, NULL, &body, &at, &err), 0);
	cr_assert_null(body);
	/* no lease for a contact */
	struct hub_lease l;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_CONTACT, ref, &l, &err), EX_USAGE);
}

Test(contact, household_messages_name_the_person)
{
	char ref[MD_REF_MAX];
	struct person_input people[2] = {
		{ .name = "Ann Quintrell", .relationship = "mother", .household = 1 },
		{ .name = "", .relationship = "uncle" },
	};
	struct referral_input in = { .child_name = "Ada Quintrell",
				     .dob = "2016-04-01", .concern = "A call.",
				     .parents_aware = -1, .people = people,
				     .npeople = 2 };
	cr_assert_eq(hub_contact_add(pat, &in, ref, &err), EX_DATAERR);
	cr_assert_str_eq(err.msg, "person 2: name: required");
	people[1].name = "Ned Quintrell";
	people[1].dob = "1980-02-30";
	cr_assert_eq(hub_contact_add(pat, &in, ref, &err), EX_DATAERR);
	cr_assert(!strncmp(err.msg, "person 2: dob: ", 15), "%s", err.msg);
}

/* ---- editing the details ------------------------------------------------------------ */

/* The details as `referral add` took them in, to start each edit from. */
static struct person_input base_people[2] = {
	{ .name = "Ann Quill", .relationship = "mother", .dob = "1985-05-05",
	  .parental_responsibility = 1, .household = 1 },
	{ .name = "Rob Quill", .relationship = "father", .household = 0 },
};

static struct referral_input base(void)
{
	struct referral_input in = {
		.child_name = "Ada Quill", .dob = "2016-04-12",
		.aliases = "Addie", .gender = "female",
		.address = "1 Quill Street", .school = "Riverside Primary",
		.referrer = "Ms Hart", .referrer_role = "teacher",
		.source = "school", .category = "neglect",
		.concern = "Seen alone at night.", .parents_aware = -1,
		.people = base_people, .npeople = 2,
	};
	return in;
}

static char ref[MD_REF_MAX];

static void setup_ref(void)
{
	setup();
	struct referral_input in = base();
	cr_assert_eq(hub_referral_add(pat, &in, ref, &err), 0, "%s", err.msg);
}

struct trail {
	char lines[64][1200];
	int n;
};

static int trail_keep(const struct hub_audit_entry *e, void *arg)
{
	struct trail *t = arg;
	if (!strcmp(e->action, "edit-details") && t->n < 64)
		snprintf(t->lines[t->n++], sizeof t->lines[0], "%s: %s", e->login,
			 e->detail);
	return 0;
}

static struct trail trail(void)
{
	struct trail t;
	memset(&t, 0, sizeof t);
	cr_assert_eq(hub_audit_show(sue, ref, trail_keep, &t, &err), 0, "%s", err.msg);
	return t;
}

static int trail_has(const struct trail *t, const char *line)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->lines[i], line))
			return 1;
	return 0;
}

static void trail_dump(const struct trail *t)
{
	for (int i = 0; i < t->n; i++)
		cr_log_info("audit: %s", t->lines[i]);
}

static struct referral_detail *detail(void)
{
	struct referral_detail *d = NULL;
	cr_assert_eq(hub_referral_get(pat, ref, &d, &err), 0, "%s", err.msg);
	return d;
}

TestSuite(edit, .init = setup_ref, .fini = teardown);

/* Each field changed alone: saved, and one audit line from what to what. */
Test(edit, each_field_is_saved_and_audited_from_what_to_what)
{
	static const struct {
		const char *field;
		size_t off;
		const char *value, *line;
	} texts[] = {
#define F(name, member, v, l) { name, offsetof(struct referral_input, member), v, l }
		F("child", child_name, "Ada Quilter", "child: 'Ada Quill' -> 'Ada Quilter'"),
		F("dob", dob, "2016-04-13", "dob: '2016-04-12' -> '2016-04-13'"),
		F("gender", gender, "", "gender: 'female' -> ''"),
		F("ethnicity", ethnicity, "White British", "ethnicity: '' -> 'White British'"),
		F("language", language, "Polish", "language: '' -> 'Polish'"),
		F("disability", disability, "None known", "disability: '' -> 'None known'"),
		F("address", address, "2 Quill Street", "address: '1 Quill Street' -> '2 Quill Street'"),
		F("previous_address", previous_address, "9 Old Road", "previous_address: '' -> '9 Old Road'"),
		F("school", school, "Hill School", "school: 'Riverside Primary' -> 'Hill School'"),
		F("gp", gp, "Dr Fenn", "gp: '' -> 'Dr Fenn'"),
		F("nhs_number", nhs_number, "485 777 3456", "nhs_number: '' -> '4857773456'"),
		F("upn", upn, "A123456789012", "upn: '' -> 'A123456789012'"),
		F("allocated_worker", allocated_worker, "Sam Reyes", "allocated_worker: '' -> 'Sam Reyes'"),
		F("referrer", referrer, "Mr Hart", "referrer: 'Ms Hart' -> 'Mr Hart'"),
		F("referrer_role", referrer_role, "head teacher", "referrer_role: 'teacher' -> 'head teacher'"),
		F("referrer_agency", referrer_agency, "Riverside Primary", "referrer_agency: '' -> 'Riverside Primary'"),
		F("referrer_contact", referrer_contact, "01632 960123", "referrer_contact: '' -> '01632 960123'"),
		F("source", source, "police", "source: 'school' -> 'police'"),
		F("concern", concern, "Seen alone at night, twice.", "concern: 'Seen alone at night.' -> 'Seen alone at night, twice.'"),
		F("impact", impact, "Tired at school.", "impact: '' -> 'Tired at school.'"),
		F("tried", tried, "A talk with mother.", "tried: '' -> 'A talk with mother.'"),
		F("strengths", strengths, "Attends every day.", "strengths: '' -> 'Attends every day.'"),
		F("category", category, "physical", "category: 'neglect' -> 'physical'"),
		F("consent_reason", consent_reason, "Mother asked by phone.", "consent_reason: '' -> 'Mother asked by phone.'"),
		F("aliases", aliases, "Addie; A. Q.", "aliases: 'Addie' -> 'A. Q.; Addie'"),
#undef F
	};
	struct hub_lease l;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct referral_input in = base();
		*(const char **)((char *)&in + texts[i].off) = texts[i].value;
		int n = -1;
		cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, &n, &err), 0,
			     "%s: %s", texts[i].field, err.msg);
		cr_assert_eq(n, 1, "%s: %d fields changed", texts[i].field, n);
		struct trail t = trail();
		trail_dump(&t);
		char want[1200];
		snprintf(want, sizeof want, "pat: %s", texts[i].line);
		cr_assert(trail_has(&t, want), "no audit line \"%s\"", want);
		/* and back, under a lease this time */
		cr_assert_eq(hub_lease_take(pat, HUB_LEASE_DETAILS, ref, &l, &err), 0,
			     "%s", err.msg);
		in = base();
		cr_assert_eq(hub_referral_update(pat, ref, &in, l.token, l.version,
						 &n, &err), 0, "%s", err.msg);
		cr_assert_eq(n, 1, "%s back: %d", texts[i].field, n);
	}
	/* the flags */
	struct referral_input in = base();
	in.dob_estimated = 1;
	in.interpreter = 1;
	in.parents_aware = 1;
	in.consent = "given";
	int n = 0;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 4);
	struct trail t = trail();
	cr_assert(trail_has(&t, "pat: dob_estimated: 'no' -> 'yes'"));
	cr_assert(trail_has(&t, "pat: interpreter: 'no' -> 'yes'"));
	cr_assert(trail_has(&t, "pat: parents_aware: 'not known' -> 'yes'"));
	cr_assert(trail_has(&t, "pat: consent: '' -> 'given'"));
	struct referral_detail *d = detail();
	cr_assert_eq(d->parents_aware, 1);
	cr_assert_eq(d->interpreter, 1);
	cr_assert_eq(d->row.dob_estimated, 1);
	cr_assert_str_eq(d->consent, "given");
	cr_assert_str_eq(d->aliases, "Addie");
	cr_assert_str_eq(d->school, "Riverside Primary");
	hub_referral_free(d);
}

Test(edit, a_long_text_is_audited_as_changed_not_copied)
{
	struct referral_input in = base();
	in.concern = "A long account of the night: the neighbour heard shouting "
		     "and saw the child on the doorstep at eleven, in the rain.\n"
		     "Second line.";
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), 0,
		     "%s", err.msg);
	struct trail t = trail();
	trail_dump(&t);
	cr_assert_eq(t.n, 1);
	cr_assert(strstr(t.lines[0], "pat: concern: changed ("), "%s", t.lines[0]);
	cr_assert(!strstr(t.lines[0], "neighbour"));
}

Test(edit, the_household_is_replaced_and_audited_person_by_person)
{
	struct person_input people[3] = {
		base_people[0],
		{ .name = "Rob Quill", .relationship = "father", .household = 1,
		  .alleged_perpetrator = 1 },
		{ .name = "Tia Quill", .relationship = "sister", .dob = "2012-01-01",
		  .household = 1 },
	};
	struct referral_input in = base();
	in.people = people;
	in.npeople = 3;
	int n = 0;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 2);
	struct trail t = trail();
	trail_dump(&t);
	cr_assert(trail_has(&t, "pat: person 2: 'Rob Quill (father, lives "
			    "elsewhere)' -> 'Rob Quill (father, alleged perpetrator)'"));
	cr_assert(trail_has(&t, "pat: person 3: added 'Tia Quill (sister, born "
			    "2012-01-01)'"));
	struct referral_detail *d = detail();
	cr_assert_eq(d->npeople, 3);
	cr_assert_str_eq(d->people[1].name, "Rob Quill");
	cr_assert_eq(d->people[1].alleged_perpetrator, 1);
	cr_assert_eq(d->people[1].household, 1);
	hub_referral_free(d);
	in.npeople = 1;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 2);
	t = trail();
	cr_assert(trail_has(&t, "pat: person 3: removed 'Tia Quill (sister, born "
			    "2012-01-01)'"));
	d = detail();
	cr_assert_eq(d->npeople, 1);
	hub_referral_free(d);
}

Test(edit, nothing_changed_writes_nothing)
{
	struct referral_detail *d = detail();
	long long version = d->version;
	hub_referral_free(d);
	struct referral_input in = base();
	in.aliases = " Addie ;; ";
	in.nhs_number = NULL;
	int n = -1;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 0);
	d = detail();
	cr_assert_eq(d->version, version);
	hub_referral_free(d);
	cr_assert_eq(trail().n, 0);
}

static int count(const struct queue_row *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

Test(edit, keys_aliases_and_search_follow_the_new_details)
{
	struct referral_input in = base();
	in.child_name = "Ada Quilter";
	in.aliases = "Dee Dee";
	in.address = "7 New Road";
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), 0, "%s", err.msg);
	struct found f = prior("ada quilter", "2016-04-12", NULL, NULL, 0);
	cr_assert_eq(f.n, 1, "the name key follows");
	f = prior("Ada Quill", "2016-04-12", NULL, NULL, 0);
	cr_assert_eq(f.n, 0, "the old name no longer matches");
	f = prior("Dee Dee", "2016-04-12", NULL, NULL, 0);
	cr_assert_eq(f.n, 1, "the new alias's key");
	f = prior("Addie", "2016-04-12", NULL, NULL, 0);
	cr_assert_eq(f.n, 0, "the old alias is gone");
	f = prior(NULL, NULL, NULL, "7 new road", 0);
	cr_assert_eq(f.n, 1, "the address key follows");
	int hits = 0;
	struct queue_query q = { .filter = HUB_FILTER_ALL, .search = "Quilter",
				 .open_only = 1, .limit = 10 };
	cr_assert_eq(hub_queue(pat, &q, count, &hits, &err), 0, "%s", err.msg);
	cr_assert_eq(hits, 1, "the search index has the new name");
	q.search = "Dee";
	hits = 0;
	cr_assert_eq(hub_queue(pat, &q, count, &hits, &err), 0, "%s", err.msg);
	cr_assert_eq(hits, 1, "... and the new alias");
}

Test(edit, a_name_correction_makes_it_a_repeat)
{
	char earlier[MD_REF_MAX];
	add("Ada Quilter", "2016-04-12", NULL, NULL, 300, earlier);
	struct referral_detail *d = detail();
	cr_assert_str_eq(d->repeat_of, "");
	hub_referral_free(d);
	struct referral_input in = base();
	in.child_name = "Ada Quilter";
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), 0, "%s", err.msg);
	d = detail();
	cr_assert_str_eq(d->repeat_of, earlier);
	hub_referral_free(d);
}

Test(edit, validation_is_referral_adds_and_names_the_field)
{
	static const struct {
		size_t off;
		const char *value, *prefix;
	} bad[] = {
		{ offsetof(struct referral_input, child_name), "", "child: required" },
		{ offsetof(struct referral_input, dob), "2016-02-30", "dob: " },
		{ offsetof(struct referral_input, dob), "2099-01-01", "dob: " },
		{ offsetof(struct referral_input, nhs_number), "12345", "nhs_number: " },
		{ offsetof(struct referral_input, concern), "", "concern: required" },
		{ offsetof(struct referral_input, source), "nowhere", "source: " },
		{ offsetof(struct referral_input, category), "bad", "category: " },
		{ offsetof(struct referral_input, consent), "maybe", "consent: " },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct referral_input in = base();
		*(const char **)((char *)&in + bad[i].off) = bad[i].value;
		cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err),
			     EX_DATAERR, "%s accepted", bad[i].value);
		cr_assert(!strncmp(err.msg, bad[i].prefix, strlen(bad[i].prefix)),
			  "\"%s\" does not start \"%s\"", err.msg, bad[i].prefix);
	}
	struct referral_input in = base();
	in.consent = "refused";
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), EX_DATAERR);
	cr_assert(!strncmp(err.msg, "consent_reason: required", 24), "%s", err.msg);
	struct person_input people[1] = { { .name = "", .relationship = "aunt" } };
	in = base();
	in.people = people;
	in.npeople = 1;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), EX_DATAERR);
	cr_assert_str_eq(err.msg, "person 1: name: required");
	/* an expected date for an unborn child may be in the future */
	in = base();
	in.dob = "2099-01-01";
	in.dob_estimated = 1;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), EX_DATAERR,
		     "an expected date years ahead is refused");
	cr_assert(strstr(err.msg, "dob: 2099-01-01 is more than ten months ahead"),
		  "%s", err.msg);
	char next[16];
	time_t t = (time_t)(clock_now() + 60 * 86400LL);
	struct tm tm;
	strftime(next, sizeof next, "%Y-%m-%d", localtime_r(&t, &tm));
	in.dob = next;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(trail().n, 2, "dob and dob_estimated");
}

Test(edit, a_stale_save_is_fenced)
{
	struct hub *cas = as("cas");
	struct hub_lease l, l2;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_DETAILS, ref, &l, &err), 0, "%s", err.msg);
	/* someone else is refused the lease, and a save without one */
	cr_assert_eq(hub_lease_take(cas, HUB_LEASE_DETAILS, ref, &l2, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "Pat Okafor (pat) is editing the details of"),
		  "%s", err.msg);
	struct referral_input in = base();
	in.school = "Elsewhere";
	cr_assert_eq(hub_referral_update(cas, ref, &in, NULL, 0, NULL, &err), EX_TEMPFAIL);
	/* the record changes under the lease (a claim): the save is refused,
	 * nothing written */
	cr_assert_eq(hub_claim(cas, ref, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_referral_update(pat, ref, &in, l.token, l.version, NULL, &err),
		     EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "changed since you opened it"), "%s", err.msg);
	struct referral_detail *d = detail();
	cr_assert_str_eq(d->school, "Riverside Primary");
	long long v = d->version;
	hub_referral_free(d);
	/* with the version as it now is, it saves; the lease is finished */
	cr_assert_eq(hub_referral_update(pat, ref, &in, l.token, v, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_lease_take(cas, HUB_LEASE_DETAILS, ref, &l2, &err), 0, "%s", err.msg);
	hub_close(cas);
}

Test(edit, a_lost_lease_is_fenced)
{
	cfg.lease_seconds = 1;
	hub_close(pat);
	pat = as("pat");
	struct hub *cas = as("cas");
	struct hub_lease l, l2;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_DETAILS, ref, &l, &err), 0, "%s", err.msg);
	sleep(2);
	cr_assert_eq(hub_lease_take(cas, HUB_LEASE_DETAILS, ref, &l2, &err), 0, "%s", err.msg);
	struct referral_input in = base();
	in.gp = "Dr Late";
	cr_assert_eq(hub_referral_update(pat, ref, &in, l.token, l.version, NULL, &err),
		     EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "passed to cas"), "%s", err.msg);
	hub_close(cas);
}

Test(edit, not_on_decided_or_closed_records_and_only_with_permission)
{
	struct referral_input in = base();
	in.school = "Elsewhere";
	struct hub *admin = as("admin");
	cr_assert_eq(hub_referral_update(admin, ref, &in, NULL, 0, NULL, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "edit a referral's details"), "%s", err.msg);
	hub_close(admin);
	struct decision_input dec = { .outcome = "nfa", .rationale = "Nothing to do." };
	cr_assert_eq(hub_decide(sue, ref, &dec, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "is decided: its details can no longer be "
			 "changed"), "%s", err.msg);
	struct hub_lease l;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_DETAILS, ref, &l, &err), EX_DATAERR);
	char other[MD_REF_MAX];
	long long id = add("Zed Closed", "2015-01-01", NULL, NULL, 3, other);
	char q[256];
	snprintf(q, sizeof q, "UPDATE referral SET status = 'closed', decided_at ="
		 " received_at, screened_at = received_at, screened_by = 'sue',"
		 " screening_outcome = 'nfa' WHERE id = %lld", id);
	sql(q);
	cr_assert_eq(hub_referral_update(pat, other, &in, NULL, 0, NULL, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "is closed"), "%s", err.msg);
}

Test(edit, a_details_draft_is_kept_per_user_and_referral)
{
	char *body = NULL;
	cr_assert_eq(hub_draft_save(pat, HUB_LEASE_DETAILS, ref, "school=X", &err), 0,
		     "%s", err.msg);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_DETAILS, ref, &body, NULL, &err), 0);
	cr_assert_str_eq(body, "school=X");
	free(body);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_DECISION, ref, &body, NULL, &err), 0);
	cr_assert_null(body);
	struct hub_lease l;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_DETAILS, ref, &l, &err), 0, "%s", err.msg);
	struct referral_input in = base();
	in.school = "X";
	cr_assert_eq(hub_referral_update(pat, ref, &in, l.token, l.version, NULL, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_DETAILS, ref, &body, NULL, &err), 0);
	cr_assert_null(body, "a saved edit's draft goes");
}

Test(edit, the_details_as_they_stand_change_nothing_when_given_back)
{
	struct referral_detail *d = NULL;
	struct person_input people[MD_MAX_PEOPLE];
	struct referral_input in = base();
	int n = -1;

	in.nhs_number = "485 777 3456";
	in.consent = "refused";
	in.consent_reason = "Mother said no.";
	in.parents_aware = 1;
	in.dob_estimated = 0;
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_details_get(pat, ref, &d, &err), 0, "%s", err.msg);
	hub_details_input(d, &in, people);
	cr_assert_eq(hub_referral_update(pat, ref, &in, NULL, 0, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 0);
	hub_referral_free(d);
	struct hub *admin = as("admin");
	cr_assert_eq(hub_details_get(admin, ref, &d, &err), EX_NOPERM);
	cr_assert_null(d);
	hub_close(admin);
}
