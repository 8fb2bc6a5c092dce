/* test_strategy.c - strategy discussions (src/hub_strategy.c,
 * hub_strategy.h): when one is due (from the threshold, in plain and in
 * working hours with a bank holiday; set once, never later), the record
 * (police, csc and health each refused by name when missing, a missing
 * reason accepting it, the decision, actions, attendees, when it was
 * held), reconvening, who may, the queue and `show`, and the seal: a
 * referral with strategy rows still passes doctor, and a row rewritten
 * with sqlite3 is found.
 *
 * Each test makes its own hub in its own temporary directory (Criterion
 * forks and runs tests in parallel).  Times are UTC (TZ set in setup). */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"
#include "mashdesk/hub_board.h"
#include "mashdesk/hub_chase.h"
#include "mashdesk/hub_screen.h"
#include "mashdesk/hub_strategy.h"

#include "fixture.h"

static char dir[64];
static char path[128];
static struct config cfg;
static struct md_error err;

/* A hub (training or live): admin; pat (police), hana (health), eve
 * (education) practitioners; sue (csc supervisor), sam (csc
 * practitioner); tom (trainer).  cfg may be changed before. */
static void make_hub(int training)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-strategy-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	struct hub_create_opts o = { .name = "Strategy", .training = training,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
		{ "eve", "Eve Marchetti", "education", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "sam", "Sam Idris", "csc", "practitioner", 1 },
		{ "tom", "Tom Achebe", "", "trainer", 1 },
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		cr_assert_eq(hub_user_add(hub, &users[i], &err), 0, "%s", err.msg);
	hub_close(hub);
}

static void setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	config_defaults(&cfg);
	dir[0] = '\0';
}

static void cleanup(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0])
		(void)!system(cmd);
}

TestSuite(strategy, .init = setup, .fini = cleanup);

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static long long at(const char *iso)
{
	long long t;
	cr_assert_eq(clock_parse_iso(iso, &t), 0, "%s", iso);
	return t;
}

/* A contact taken in by sue, rated rag at intake (NULL: not rated),
 * received at `received` (0: now). */
static void take_in(const char *child, const char *rag, long long received,
		    char ref[MD_REF_MAX])
{
	struct hub *sue = as("sue");
	struct referral_input in = {
		.child_name = child, .dob = "2015-03-04", .concern = "A worry.",
		.rag = rag, .received_at = received, .parents_aware = -1,
	};
	cr_assert_eq(hub_referral_add(sue, &in, ref, &err), 0, "%s", err.msg);
	hub_close(sue);
}

static long long sql_int(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static long long sql_int(const char *fmt, ...)
{
	char sql[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (fixture_is_pg(path))
		return fixture_pg_int(path, sql);
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s",
		     sql, sqlite3_errmsg(db));
	long long v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2
			: sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}
#define NUL (-2)       /* sql_int of a NULL */

static void raw(const char *sql)
{
	if (fixture_is_pg(path)) {
		cr_assert_eq(fixture_pg_exec(path, sql), 0, "%s", sql);
		return;
	}
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg);
	sqlite3_close(db);
}

static const struct strategy_attendee_input all_three[] = {
	{ "police", "pat" }, { "csc", "sam" }, { "health", "hana" },
};

/* A discussion held at `held` with the given attendees, decided s47-joint. */
static struct strategy_input discussion(const char *held,
					const struct strategy_attendee_input *who,
					int n)
{
	return (struct strategy_input){
		.held = held, .how = "call", .attendees = who, .nattendees = n,
		.summary = "Police know of two call-outs; health saw bruising.",
		.decision = "s47-joint",
	};
}

static int record_by(const char *login, const char *ref,
		     const struct strategy_input *in)
{
	struct hub *h = as(login);
	int rc = hub_strategy_record(h, ref, in, &err);
	hub_close(h);
	return rc;
}

/* ---- when one is due ------------------------------------------------------ */

Test(strategy, due_strategy_hours_after_a_red_rating_at_intake)
{
	make_hub(1);
	char r[MD_REF_MAX];
	long long received = at("2026-11-02T10:00Z");
	take_in("Ada Quill", "red", received, r);
	cr_assert_eq(sql_int("SELECT strategy_from FROM referral"), received);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"),
		     received + 24 * 3600, "plain hours: 24 hours");
	/* amber and unrated: no threshold */
	take_in("Bo Quill", "amber", 0, r);
	take_in("Cy Quill", NULL, 0, r);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE"
			     " strategy_from IS NULL AND strategy_due_at IS NULL"), 2);
}

Test(strategy, working_hours_and_a_bank_holiday_make_three_working_days)
{
	cfg.work.on = 1;
	cr_assert_eq(clock_parse_day_hours("09:00-17:00", &cfg.work.day_start,
					   &cfg.work.day_end), 0);
	cr_assert_eq(clock_parse_weekdays("Mon-Fri", &cfg.work.days, NULL, 0), 0);
	cr_assert_eq(clock_parse_dates("2026-08-31", cfg.work.holidays,
				       CLOCK_MAX_HOLIDAYS, &cfg.work.nholidays,
				       NULL, 0), 0);
	make_hub(1);
	char r[MD_REF_MAX];
	/* Friday 15:00: 2 hours on Friday, the bank holiday Monday skipped,
	 * 8 on Tuesday, 8 on Wednesday, 6 on Thursday */
	take_in("Ada Quill", "red", at("2026-08-28T15:00Z"), r);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"),
		     at("2026-09-03T15:00Z"));
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"),
		     clock_due_at(&cfg.work, at("2026-08-28T15:00Z"), 24));
	/* and strategy_hours counts the same way */
	cfg.strategy_hours = 8;
	take_in("Bo Quill", "red", at("2026-08-28T15:00Z"), r);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral WHERE ref = '%s'",
			     r), at("2026-09-01T15:00Z"));
}

Test(strategy, the_threshold_is_met_at_screening_by_a_rerating_or_a_decision)
{
	make_hub(1);
	char a[MD_REF_MAX], b[MD_REF_MAX], c[MD_REF_MAX];
	take_in("Ada Quill", NULL, 0, a);
	take_in("Bo Quill", "green", 0, b);
	take_in("Cy Quill", "amber", 0, c);
	struct hub *sam = as("sam");
	const char *police[] = { "police" };
	long long before = clock_now();
	cr_assert_eq(hub_screen_progress(sam, a, "red", "Disclosure.", 0, police,
					 1, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_rate(sam, b, "red", "Injury seen.", &err), 0, "%s",
		     err.msg);
	long long after = clock_now();
	struct decision_input d = { .outcome = "s47", .rationale = "Harm." };
	cr_assert_eq(hub_decide(sam, c, &d, &err), 0, "%s", err.msg);
	long long decided = clock_now();
	hub_close(sam);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE strategy_from"
			     " BETWEEN %lld AND %lld AND ref IN ('%s', '%s')",
			     before, after, a, b), 2);
	long long from = sql_int("SELECT strategy_from FROM referral WHERE ref ="
				 " '%s'", c);
	cr_assert(from >= after && from <= decided, "decided s47");
	cr_assert_eq(sql_int("SELECT strategy_due_at - strategy_from FROM"
			     " referral WHERE ref = '%s'", c), 24 * 3600);
}

Test(strategy, set_once_and_never_later)
{
	make_hub(1);
	char r[MD_REF_MAX];
	long long received = at("2026-11-02T10:00Z");
	take_in("Ada Quill", "red", received, r);
	struct hub *sam = as("sam");
	cr_assert_eq(hub_rate(sam, r, "amber", "Less worrying.", &err), 0);
	cr_assert_eq(hub_rate(sam, r, "red", "Worrying again.", &err), 0);
	struct decision_input d = { .outcome = "immediate-protection",
				    .rationale = "Harm.", .rag = "red" };
	cr_assert_eq(hub_decide(sam, r, &d, &err), 0, "%s", err.msg);
	hub_close(sam);
	cr_assert_eq(sql_int("SELECT strategy_from FROM referral"), received);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"),
		     received + 24 * 3600, "never moved later");
}

/* ---- the record ---------------------------------------------------------- */

Test(strategy, each_required_agency_missing_is_refused_by_name)
{
	make_hub(1);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	long long due = sql_int("SELECT strategy_due_at FROM referral");
	long long version = sql_int("SELECT version FROM referral");
	const char *names[] = { "police", "csc", "health" };
	for (int skip = 0; skip < 3; skip++) {
		struct strategy_attendee_input who[3];
		int n = 0;
		for (int i = 0; i < 3; i++)
			if (i != skip)
				who[n++] = all_three[i];
		struct strategy_input in = discussion("now", who, n);
		cr_assert_eq(record_by("sam", r, &in), EX_DATAERR, "%s", err.msg);
		char want[128];
		snprintf(want, sizeof want, "attended: %s did not take part; "
			 "say why with --missing-reason", names[skip]);
		cr_assert_str_eq(err.msg, want);
	}
	struct strategy_input none = discussion("now", all_three + 1, 1);
	cr_assert_eq(record_by("sam", r, &none), EX_DATAERR);
	cr_assert_str_eq(err.msg, "attended: police, health did not take part; "
			 "say why with --missing-reason");
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy_attendee"), 0);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"), due);
	cr_assert_eq(sql_int("SELECT version FROM referral"), version);
}

Test(strategy, a_missing_reason_accepts_it_and_the_discussion_clears_the_due)
{
	make_hub(1);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct strategy_input in = discussion("2026-11-03T11:30Z", all_three, 2);
	in.missing_reason = "The health visitor was on leave; the GP sent notes.";
	cr_assert_eq(record_by("sam", r, &in), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"), NUL);
	cr_assert_eq(sql_int("SELECT held_at FROM strategy"), at("2026-11-03T11:30Z"));
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy WHERE missing_reason"
			     " LIKE 'The health visitor%%' AND recorded_by = 'sam'"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'strategy'"
			     " AND login = 'sam'"), 1);
}

Test(strategy, reconvene_makes_the_next_one_due_from_when_it_was_held)
{
	make_hub(1);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	in.reconvene = 1;
	cr_assert_eq(record_by("pat", r, &in), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"),
		     at("2026-11-04T09:00Z"));
	/* the same discussion again: refused, by the same user */
	cr_assert_eq(record_by("pat", r, &in), EX_DATAERR);
	cr_assert(strstr(err.msg, "recorded already (by you"), "%s", err.msg);
	/* ... and by someone else: they are named */
	cr_assert_eq(record_by("hana", r, &in), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "was recorded by pat"), "%s", err.msg);
	struct strategy_input next = discussion("2026-11-04T08:00Z", all_three, 3);
	next.decision = "s47-single";
	cr_assert_eq(record_by("hana", r, &next), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT strategy_due_at FROM referral"), NUL);
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy"), 2);
}

Test(strategy, what_is_given_is_checked)
{
	make_hub(1);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	struct { const char *field; int code; const char *msg; } cases[] = {
		{ "no-s47", EX_DATAERR, "instead: required with no-s47" },
		{ "future", EX_DATAERR, "is in the future" },
		{ "early", EX_DATAERR, "is before" },
		{ "notime", EX_DATAERR, "held: 'Tuesday' is not a time" },
		{ "how", EX_DATAERR, "how: 'email' is not one of" },
		{ "decision", EX_DATAERR, "decision: 's47' is not one of" },
		{ "action", EX_DATAERR, "action 1: due: '2026-02-30' is not a real date" },
		{ "owner", EX_DATAERR, "action 1: owner: required" },
		{ "login", EX_DATAERR, "attended: hanna is not a user of hub Strategy" },
		{ "agency", EX_DATAERR, "attended: pat is police, not health" },
		{ "summary", EX_USAGE, "summary: required" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strategy_input x = in;
		struct strategy_attendee_input who[3] = {
			all_three[0], all_three[1], all_three[2]
		};
		struct action_input act = { "Visit the school", "sam", "2026-11-05" };
		x.attendees = who;
		x.actions = &act;
		x.nactions = 1;
		const char *f = cases[i].field;
		if (!strcmp(f, "no-s47")) x.decision = "no-s47";
		if (!strcmp(f, "future")) x.held = "2099-01-01T09:00Z";
		if (!strcmp(f, "early")) x.held = "2026-11-01T09:00Z";
		if (!strcmp(f, "notime")) x.held = "Tuesday";
		if (!strcmp(f, "how")) x.how = "email";
		if (!strcmp(f, "decision")) x.decision = "s47";
		if (!strcmp(f, "action")) act.due = "2026-02-30";
		if (!strcmp(f, "owner")) act.owner = "";
		if (!strcmp(f, "login")) who[2].who = "hanna";
		if (!strcmp(f, "agency")) who[2].who = "pat";
		if (!strcmp(f, "summary")) x.summary = "";
		cr_assert_eq(record_by("sam", r, &x), cases[i].code, "%s: %s", f,
			     err.msg);
		cr_assert(strstr(err.msg, cases[i].msg), "%s: %s", f, err.msg);
	}
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy"), 0);
	/* a name in words for someone without a login; others may take part;
	 * no-s47 with what happens instead; blank action rows skipped */
	struct strategy_attendee_input who[] = {
		{ "police", "pat" }, { "csc", "sam" }, { "health", "Dr Ada Lane" },
		{ "education", "eve" },
	};
	struct action_input acts[] = {
		{ "Visit the school", "sam", "2026-11-05" }, { "", "", "" },
		{ "Share the plan", "Early help team", "2026-11-06" },
	};
	struct strategy_input ok = discussion("2026-11-03T09:00Z", who, 4);
	ok.decision = "no-s47";
	ok.instead = "Child in need assessment.";
	ok.actions = acts;
	ok.nactions = 3;
	cr_assert_eq(record_by("sam", r, &ok), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy_attendee WHERE"
			     " name = 'Dr Ada Lane' AND login IS NULL"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy_attendee WHERE"
			     " login IS NOT NULL"), 3);
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy_action"), 2);
}

Test(strategy, who_may_record)
{
	make_hub(1);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	cr_assert_eq(record_by("admin", r, &in), EX_NOPERM);
	in.held = "2026-11-03T09:01Z";
	cr_assert_eq(record_by("eve", r, &in), 0, "any agency: %s", err.msg);
	in.held = "2026-11-03T09:02Z";
	cr_assert_eq(record_by("tom", r, &in), 0, "a trainer on a training hub");
	struct hub *h = as("sue");
	cr_assert(hub_may(h, HUB_ACT_STRATEGY, NULL));
	hub_close(h);
}

Test(strategy, not_trainers_on_a_live_hub)
{
	make_hub(0);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	cr_assert_eq(record_by("tom", r, &in), EX_NOPERM);
	cr_assert_eq(record_by("admin", r, &in), EX_NOPERM);
	cr_assert_eq(sql_int("SELECT count(*) FROM strategy"), 0);
}

/* ---- the queue and show -------------------------------------------------- */

struct seen { char due[64]; int late; int lines; char rows[2048]; };

static int queue_cb(const struct queue_row *row, void *arg)
{
	struct seen *s = arg;
	if (row->strategy_due)
		clock_format_iso(row->strategy_due, s->due);
	s->late = row->strategy_late;
	return 0;
}

static int show_cb(const char *section, const char *field, const char *value,
		   void *arg)
{
	struct seen *s = arg;
	if (strncmp(section, "strategy", 8))
		return 0;
	size_t n = strlen(s->rows);
	snprintf(s->rows + n, sizeof s->rows - n, "%s\t%s\t%s\n", section, field,
		 value);
	s->lines++;
	return 0;
}

Test(strategy, the_queue_and_show_say_it)
{
	make_hub(1);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct hub *h = as("sam");
	struct queue_query q = { .filter = HUB_FILTER_ALL, .limit = 10 };
	struct seen s = { 0 };
	cr_assert_eq(hub_queue(h, &q, queue_cb, &s, &err), 0, "%s", err.msg);
	cr_assert_str_eq(s.due, "2026-11-03T10:00:00+00:00");
	cr_assert_eq(s.late, 1, "past due with none held: late");
	cr_assert_eq(hub_referral_show(h, r, show_cb, &s, &err), 0);
	cr_assert_str_eq(s.rows, "strategy_due\t2026-11-03T10:00:00Z\tlate; "
			 "threshold met 2026-11-02T10:00:00Z\n");
	struct action_input act = { "Visit the school", "sam", "2026-11-05" };
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	in.actions = &act;
	in.nactions = 1;
	cr_assert_eq(hub_strategy_record(h, r, &in, &err), 0, "%s", err.msg);
	memset(&s, 0, sizeof s);
	cr_assert_eq(hub_queue(h, &q, queue_cb, &s, &err), 0);
	cr_assert_str_eq(s.due, "", "none due once held");
	cr_assert_eq(hub_referral_show(h, r, show_cb, &s, &err), 0);
	cr_assert_eq(s.lines, 2, "%s", s.rows);
	cr_assert(strstr(s.rows, "strategy\t2026-11-03T09:00:00Z\thow call; "
			 "decision s47-joint; attended police: pat, csc: sam, "
			 "health: hana; summary Police know"), "%s", s.rows);
	cr_assert(strstr(s.rows, "strategy_action\tVisit the school\towner sam; "
			 "due 2026-11-05; held 2026-11-03T09:00:00Z"), "%s", s.rows);
	struct referral_detail *d;
	cr_assert_eq(hub_referral_get(h, r, &d, &err), 0);
	cr_assert_eq(d->nstrategies, 1);
	cr_assert_str_eq(d->strategies[0].decision, "s47-joint");
	cr_assert_eq(d->strategies[0].nactions, 1);
	cr_assert_eq(d->row.strategy_due, 0);
	hub_referral_free(d);
	hub_close(h);
}

/* ---- the board and the chase list ------------------------------------------- */

struct counts { int due, late, rows, strategy_rows; char ref[MD_REF_MAX]; };

static int board_cb(const struct board_row *r, void *arg)
{
	struct counts *c = arg;
	if (!strcmp(r->login, "sam")) {
		c->due = r->strategy_due;
		c->late = r->strategy_late;
	}
	return 0;
}

static int chase_cb(const struct chase_row *r, void *arg)
{
	struct counts *c = arg;
	c->rows++;
	if (!strcmp(r->agency, "strategy")) {
		c->strategy_rows++;
		snprintf(c->ref, sizeof c->ref, "%s", r->ref);
		c->late += r->late;
	}
	return 0;
}

Test(strategy, the_board_counts_them_and_the_chase_list_shows_them)
{
	make_hub(1);
	char late[MD_REF_MAX], due[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), late);
	take_in("Bo Quill", "red", 0, due);
	struct hub *sam = as("sam");
	cr_assert_eq(hub_claim(sam, late, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_claim(sam, due, &err), 0, "%s", err.msg);
	hub_close(sam);
	struct hub *sue = as("sue");
	struct counts c = { 0 };
	cr_assert_eq(hub_board(sue, board_cb, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.due, 1, "one due, not late yet");
	cr_assert_eq(c.late, 1, "one late");
	memset(&c, 0, sizeof c);
	cr_assert_eq(hub_chase_list(sue, NULL, 1, chase_cb, &c, &err), 0);
	cr_assert_eq(c.strategy_rows, 1, "late only: the late one");
	cr_assert_str_eq(c.ref, late);
	memset(&c, 0, sizeof c);
	cr_assert_eq(hub_chase_list(sue, NULL, 0, chase_cb, &c, &err), 0);
	cr_assert_eq(c.strategy_rows, 2);
	memset(&c, 0, sizeof c);
	cr_assert_eq(hub_chase_list(sue, "csc", 0, chase_cb, &c, &err), 0);
	cr_assert_eq(c.strategy_rows, 0, "one agency's list: its checks only");
	/* held: off the board and the list */
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	cr_assert_eq(hub_strategy_record(sue, late, &in, &err), 0, "%s", err.msg);
	memset(&c, 0, sizeof c);
	cr_assert_eq(hub_board(sue, board_cb, &c, &err), 0);
	cr_assert_eq(c.late, 0);
	cr_assert_eq(c.due, 1);
	memset(&c, 0, sizeof c);
	cr_assert_eq(hub_chase_list(sue, NULL, 0, chase_cb, &c, &err), 0);
	cr_assert_eq(c.strategy_rows, 1);
	cr_assert_str_eq(c.ref, due);
	hub_close(sue);
}

/* ---- the seal --------------------------------------------------------------- */

struct findings { char problems[2048]; };

static void finding_cb(enum hub_finding level, const char *topic,
		       const char *text, void *arg)
{
	struct findings *f = arg;
	if (level != HUB_FINDING_PROBLEM)
		return;
	size_t n = strlen(f->problems);
	snprintf(f->problems + n, sizeof f->problems - n, "%s: %s\n", topic, text);
}

static int doctor(struct findings *f)
{
	memset(f, 0, sizeof *f);
	return hub_doctor(path, &cfg, finding_cb, f);
}

Test(strategy, doctor_passes_after_a_record_and_finds_one_rewritten)
{
	make_hub(0);
	char r[MD_REF_MAX], plain[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	take_in("Bo Quill", "green", 0, plain);
	struct action_input act = { "Visit the school", "sam", "2026-11-05" };
	struct strategy_input in = discussion("2026-11-03T09:00Z", all_three, 3);
	in.actions = &act;
	in.nactions = 1;
	in.reconvene = 1;
	cr_assert_eq(record_by("sam", r, &in), 0, "%s", err.msg);
	struct findings f;
	cr_assert_eq(doctor(&f), 0, "%s", f.problems);
	raw("UPDATE strategy_attendee SET login = NULL, name = 'Someone Else'"
	    " WHERE login = 'hana'");
	cr_assert_eq(doctor(&f), EX_DATAERR, "%s", f.problems);
	cr_assert(strstr(f.problems, "1 referral changed outside mashdesk"),
		  "%s", f.problems);
	cr_assert(strstr(f.problems, r), "%s", f.problems);
	cr_assert(!strstr(f.problems, plain), "%s", f.problems);
}

Test(strategy, the_due_time_is_sealed_too)
{
	make_hub(0);
	char r[MD_REF_MAX];
	take_in("Ada Quill", "red", at("2026-11-02T10:00Z"), r);
	struct findings f;
	cr_assert_eq(doctor(&f), 0, "%s", f.problems);
	raw("UPDATE referral SET strategy_due_at = strategy_due_at + 86400");
	cr_assert_eq(doctor(&f), EX_DATAERR, "%s", f.problems);
}
