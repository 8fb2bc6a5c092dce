/* test_board.c - supervisors' work in the data layer: the workload board
 * and reassigning from it, working-hours due times, late checks and the
 * chase list, and the two-person rule for decisions.
 *
 * Each test makes its own hub in its own temporary directory. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"
#include "mashdesk/hub_board.h"
#include "mashdesk/hub_chase.h"
#include "mashdesk/hub_signoff.h"

#include "fixture.h"

static char dir[64];
static char path[128];
static struct config cfg;
static struct md_error err;

#define HOUR 3600LL

/* A training hub: pat and priya (csc practitioners), hana (health
 * practitioner), sue and sam (csc and police supervisors). */
static void setup(void)
{
	setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0", 1);
	tzset();
	snprintf(dir, sizeof dir, "/tmp/mashdesk-board-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Board MASH", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	const struct user users[] = {
		{ "pat", "Pat Okafor", "csc", "practitioner", 1 },
		{ "priya", "Priya Shah", "csc", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "sam", "Sam Adeyemi", "police", "supervisor", 1 },
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		cr_assert_eq(hub_user_add(hub, &users[i], &err), 0, "%s", err.msg);
	hub_close(hub);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0])
		(void)system(cmd);
}

TestSuite(board, .init = setup, .fini = teardown);

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static void add(struct hub *hub, const char *child, long long received,
		char ref[MD_REF_MAX])
{
	struct referral_input in = {
		.child_name = child, .dob = "2016-04-01", .concern = "A worry.",
		.received_at = received, .parents_aware = -1,
	};
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), 0, "%s", err.msg);
}

static void sql(const char *text)
{
	if (fixture_is_pg(path)) {
		cr_assert_eq(fixture_pg_exec(path, text), 0, "%s", text);
		return;
	}
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK, "%s: %s",
		     text, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static long long sql_int(const char *text)
{
	if (fixture_is_pg(path))
		return fixture_pg_int(path, text);
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, text, -1, &st, NULL), SQLITE_OK);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* ---- the board ---------------------------------------------------------- */

struct board {
	int n;
	struct board_row r[16];
};

static int board_cb(const struct board_row *r, void *arg)
{
	struct board *b = arg;
	if (b->n < 16)
		b->r[b->n++] = *r;
	return 0;
}

static const struct board_row *find(const struct board *b, const char *login)
{
	for (int i = 0; i < b->n; i++)
		if (!strcmp(b->r[i].login, login))
			return &b->r[i];
	cr_assert_fail("%s is not on the board", login);
	return NULL;
}

struct refs {
	int n;
	char ref[16][MD_REF_MAX];
	struct queue_row r[16];
};

static int refs_cb(const struct queue_row *r, void *arg)
{
	struct refs *x = arg;
	if (x->n < 16) {
		snprintf(x->ref[x->n], MD_REF_MAX, "%s", r->ref);
		x->r[x->n++] = *r;
	}
	return 0;
}

/* pat holds two overdue and one on time; priya one on time; one is in
 * the unassigned pile, overdue. */
static void fill(char refs[5][MD_REF_MAX])
{
	long long now = clock_now();
	struct hub *pat = as("pat"), *priya = as("priya"), *sue = as("sue");
	add(pat, "Alfie Brook", now - 50 * HOUR, refs[0]);
	add(pat, "Bea Carr", now - 30 * HOUR, refs[1]);
	add(pat, "Cal Dunn", now - 2 * HOUR, refs[2]);
	add(pat, "Dee Ellis", now - 1 * HOUR, refs[3]);
	add(pat, "Eve Finch", now - 40 * HOUR, refs[4]);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(hub_claim(pat, refs[i], &err), 0, "%s", err.msg);
	cr_assert_eq(hub_claim(priya, refs[3], &err), 0, "%s", err.msg);
	hub_close(pat);
	hub_close(priya);
	hub_close(sue);
}

Test(board, counts_open_overdue_and_oldest_due_per_practitioner)
{
	char refs[5][MD_REF_MAX];
	fill(refs);
	struct hub *sue = as("sue");
	struct board b = { 0 };
	cr_assert_eq(hub_board(sue, board_cb, &b, &err), 0, "%s", err.msg);
	/* the pile first, then by agency in their order (police, csc,
	 * health), by name within one */
	cr_assert_str_eq(b.r[0].login, "");
	cr_assert_str_eq(b.r[0].name, "Unassigned");
	cr_assert_eq(b.r[0].open, 1);
	cr_assert_eq(b.r[0].overdue, 1);
	cr_assert_str_eq(b.r[1].login, "sam");
	cr_assert_str_eq(b.r[2].login, "pat");
	cr_assert_str_eq(b.r[3].login, "priya");
	cr_assert_str_eq(b.r[4].login, "sue");
	cr_assert_str_eq(b.r[5].login, "hana");
	cr_assert_eq(b.n, 6, "admin is not on the board");
	const struct board_row *p = find(&b, "pat");
	cr_assert_eq(p->open, 3);
	cr_assert_eq(p->overdue, 2);
	cr_assert_str_eq(p->agency, "csc");
	long long first_due = sql_int("SELECT due_at FROM referral WHERE id = 1");
	cr_assert_eq(p->oldest_due, first_due);
	cr_assert_eq(find(&b, "priya")->open, 1);
	cr_assert_eq(find(&b, "priya")->overdue, 0);
	cr_assert_eq(find(&b, "hana")->open, 0);
	cr_assert_eq(find(&b, "hana")->oldest_due, 0);
	hub_close(sue);
}

Test(board, practitioners_may_not_see_the_board_or_reassign)
{
	char refs[5][MD_REF_MAX];
	fill(refs);
	struct hub *pat = as("pat");
	struct board b = { 0 };
	cr_assert_eq(hub_board(pat, board_cb, &b, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only supervisors"), "%s", err.msg);
	const char *one[] = { refs[0] };
	cr_assert_eq(hub_reassign(pat, one, 1, "priya", "leave", &err), EX_NOPERM);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'refused'"
			     " AND login = 'pat'"), 2);
	hub_close(pat);
}

Test(board, held_lists_a_practitioners_work_overdue_first)
{
	char refs[5][MD_REF_MAX];
	fill(refs);
	struct hub *sue = as("sue");
	struct refs all = { 0 }, late = { 0 }, pile = { 0 };
	cr_assert_eq(hub_board_held(sue, "pat", 0, refs_cb, &all, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(all.n, 3);
	cr_assert_str_eq(all.ref[0], refs[0]);
	cr_assert_str_eq(all.ref[1], refs[1]);
	cr_assert_str_eq(all.ref[2], refs[2]);
	cr_assert_eq(hub_board_held(sue, "pat", 1, refs_cb, &late, &err), 0);
	cr_assert_eq(late.n, 2);
	cr_assert(late.r[0].overdue && late.r[1].overdue);
	cr_assert_eq(hub_board_held(sue, "", 0, refs_cb, &pile, &err), 0);
	cr_assert_eq(pile.n, 1);
	cr_assert_str_eq(pile.ref[0], refs[4]);
	hub_close(sue);
}

/* The "Shows": all of one practitioner's overdue work moved in
 * one go, each move kept with its reason and audited. */
Test(board, reassigns_all_overdue_work_with_a_reason)
{
	char refs[5][MD_REF_MAX];
	fill(refs);
	struct hub *sue = as("sue");
	struct refs late = { 0 };
	cr_assert_eq(hub_board_held(sue, "pat", 1, refs_cb, &late, &err), 0);
	const char *list[2] = { late.ref[0], late.ref[1] };
	cr_assert_eq(hub_reassign(sue, list, 2, "priya", "Pat is on leave", &err),
		     0, "%s", err.msg);
	struct board b = { 0 };
	cr_assert_eq(hub_board(sue, board_cb, &b, &err), 0);
	cr_assert_eq(find(&b, "pat")->open, 1);
	cr_assert_eq(find(&b, "pat")->overdue, 0);
	cr_assert_eq(find(&b, "priya")->open, 3);
	cr_assert_eq(find(&b, "priya")->overdue, 2);
	cr_assert_eq(sql_int("SELECT count(*) FROM assignment WHERE login = 'priya'"
			     " AND by_login = 'sue' AND reason = 'Pat is on leave'"), 2);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'assign'"
			     " AND detail = 'assigned to priya (was pat): Pat is on leave'"),
		     2);
	hub_close(sue);
}

Test(board, a_reassignment_is_all_or_none)
{
	char refs[5][MD_REF_MAX];
	fill(refs);
	struct hub *sue = as("sue");
	const char *list[3] = { refs[0], "R999", refs[1] };
	cr_assert_eq(hub_reassign(sue, list, 3, "priya", "leave", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "R999"), "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE assigned_to = 'priya'"), 1);
	cr_assert_eq(hub_reassign(sue, list, 1, "priya", "", &err), EX_USAGE);
	cr_assert_eq(hub_reassign(sue, list, 1, "admin", "x", &err), EX_DATAERR);
	cr_assert_eq(hub_reassign(sue, list, 1, "nobody", "x", &err), EX_NOUSER);
	hub_close(sue);
}

/* ---- clocks --------------------------------------------------------------- */

Test(board, due_times_count_working_hours_when_on)
{
	cfg.work.on = 1;        /* 09:00-17:00 Mon-Fri, from the defaults */
	cfg.decision_hours = 8;
	cfg.check_green_hours = 4;
	cr_assert_eq(clock_parse_dates("2025-12-26, 2025-12-25", cfg.work.holidays,
				       CLOCK_MAX_HOLIDAYS, &cfg.work.nholidays,
				       NULL, 0), 0);
	struct hub *pat = as("pat");
	char ref[MD_REF_MAX];
	long long received;
	cr_assert_eq(clock_parse_iso("2025-12-24T15:00", &received), 0);
	add(pat, "Fay Gale", received, ref);
	long long want;
	/* 2 hours on Wednesday 24th; Christmas, Boxing Day and the weekend
	 * skipped; 6 on Monday 29th */
	cr_assert_eq(clock_parse_iso("2025-12-29T15:00", &want), 0);
	cr_assert_eq(sql_int("SELECT due_at FROM referral WHERE id = 1"), want);
	/* the check clock uses the same function, from when it is recorded */
	struct check_input ci = { .status = "requested" };
	long long before = clock_now();
	cr_assert_eq(hub_check_record(pat, ref, &ci, &err), 0, "%s", err.msg);
	long long due = sql_int("SELECT due_at FROM agency_check");
	cr_assert(due == clock_due_at(&cfg.work, before, 4) ||
		  due == clock_due_at(&cfg.work, before + 1, 4));
	hub_close(pat);
}

struct chase {
	int n;
	struct chase_row r[8];
};

static int chase_cb(const struct chase_row *r, void *arg)
{
	struct chase *ch = arg;
	if (ch->n < 8)
		ch->r[ch->n++] = *r;
	return 0;
}

Test(board, late_checks_are_marked_and_listed_for_chasing)
{
	char refs[5][MD_REF_MAX];
	fill(refs);
	struct hub *pat = as("pat"), *hana = as("hana"), *sue = as("sue");
	struct check_input ci = { .status = "requested" };
	cr_assert_eq(hub_check_record(pat, refs[0], &ci, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_check_record(hana, refs[0], &ci, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_check_record(hana, refs[1], &ci, &err), 0, "%s", err.msg);
	/* health's check on the first is a day late */
	sql("UPDATE agency_check SET due_at = due_at - 200000 WHERE agency = 'health'"
	    " AND referral_id = 1");
	struct refs q = { 0 };
	struct queue_query qq = { .filter = HUB_FILTER_ALL, .open_only = 1, .limit = 10 };
	cr_assert_eq(hub_queue(sue, &qq, refs_cb, &q, &err), 0);
	int seen = 0;
	for (int i = 0; i < q.n; i++) {
		if (!strcmp(q.ref[i], refs[0])) {
			/* agencies: police csc health ... */
			cr_assert_str_eq(q.r[i].checks, ".rR...");
			seen = 1;
		}
	}
	cr_assert(seen);
	struct board b = { 0 };
	cr_assert_eq(hub_board(sue, board_cb, &b, &err), 0);
	cr_assert_eq(find(&b, "pat")->late_checks, 1);

	struct chase ch = { 0 };
	cr_assert_eq(hub_chase_list(sue, "health", 0, chase_cb, &ch, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(ch.n, 2);
	cr_assert_str_eq(ch.r[0].ref, refs[0], "late first");
	cr_assert_eq(ch.r[0].late, 1);
	cr_assert_eq(ch.r[1].late, 0);
	ch.n = 0;
	cr_assert_eq(hub_chase_list(sue, "health", 1, chase_cb, &ch, &err), 0);
	cr_assert_eq(ch.n, 1);
	cr_assert_eq(hub_chase_list(sue, "nosuch", 0, chase_cb, &ch, &err), EX_DATAERR);

	cr_assert_eq(hub_chase_mark(pat, refs[0], "health", "rang", &err), EX_NOPERM);
	cr_assert_eq(hub_chase_mark(sue, refs[0], "health", "", &err), EX_USAGE);
	cr_assert_eq(hub_chase_mark(sue, refs[0], "housing", "rang", &err), EX_DATAERR);
	cr_assert_eq(hub_chase_mark(sue, refs[0], "health", "Rang Dr Moss, 10:40",
				    &err), 0, "%s", err.msg);
	ch.n = 0;
	cr_assert_eq(hub_chase_list(sue, "health", 1, chase_cb, &ch, &err), 0);
	cr_assert_eq(ch.r[0].chases, 1);
	cr_assert_str_eq(ch.r[0].chased_by, "sue");
	cr_assert_str_eq(ch.r[0].note, "Rang Dr Moss, 10:40");
	cr_assert_gt(ch.r[0].chased_at, 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'chase'"
			     " AND detail LIKE 'chased health%Moss%'"), 1);
	hub_close(pat);
	hub_close(hana);
	hub_close(sue);
}


/* ---- the two-person rule --------------------------------------------------- */

static int decide(struct hub *hub, const char *ref, const char *outcome)
{
	struct decision_input in = { .outcome = outcome, .rationale = "Because." };
	return hub_decide(hub, ref, &in, &err);
}

static void status_is(const char *ref, const char *want)
{
	struct hub *sue = as("sue");
	struct signoff_state s;
	cr_assert_eq(hub_signoff_state(sue, ref, &s, &err), 0, "%s", err.msg);
	cr_assert_str_eq(s.status, want);
	hub_close(sue);
}

Test(board, without_the_rule_a_decision_takes_effect_at_once)
{
	char ref[MD_REF_MAX];
	struct hub *pat = as("pat");
	add(pat, "Gus Hale", clock_now() - HOUR, ref);
	cr_assert_eq(decide(pat, ref, "nfa"), 0, "%s", err.msg);
	hub_close(pat);
	status_is(ref, "decided");
}

Test(board, two_person_rule_needs_another_supervisor)
{
	cfg.two_person_rule = 1;
	char ref[MD_REF_MAX];
	struct hub *pat = as("pat"), *sue = as("sue"), *sam = as("sam");
	add(pat, "Ivy Jones", clock_now() - HOUR, ref);
	cr_assert_eq(decide(sue, ref, "advice"), 0, "%s", err.msg);
	status_is(ref, "signoff");
	cr_assert_eq(decide(pat, ref, "nfa"), EX_TEMPFAIL, "no second decision");
	cr_assert(strstr(err.msg, "awaits sign-off"), "%s", err.msg);
	/* the decider may not sign their own; a practitioner none */
	cr_assert_eq(hub_signoff(sue, ref, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "other than its decider"), "%s", err.msg);
	cr_assert_eq(hub_signoff(pat, ref, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only supervisors"), "%s", err.msg);
	status_is(ref, "signoff");
	cr_assert_eq(hub_signoff(sam, ref, &err), 0, "%s", err.msg);
	struct signoff_state s;
	cr_assert_eq(hub_signoff_state(sam, ref, &s, &err), 0);
	cr_assert_str_eq(s.status, "decided");
	cr_assert_str_eq(s.decided_by, "sue");
	cr_assert_str_eq(s.signed_by, "sam");
	cr_assert_gt(s.signed_at, 0);
	cr_assert_eq(hub_signoff(sam, ref, &err), EX_DATAERR, "only once");
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'refused'"
			     " AND detail LIKE '%other than its decider%'"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'signoff'"), 1);
	hub_close(pat);
	hub_close(sue);
	hub_close(sam);
}

Test(board, sent_back_then_decided_again_then_signed_off)
{
	cfg.two_person_rule = 1;
	char ref[MD_REF_MAX];
	struct hub *pat = as("pat"), *sue = as("sue"), *sam = as("sam");
	add(pat, "Jo Kerr", clock_now() - HOUR, ref);
	cr_assert_eq(decide(pat, ref, "nfa"), 0, "%s", err.msg);
	cr_assert_eq(hub_sendback(pat, ref, "no", &err), EX_NOPERM);
	cr_assert_eq(hub_sendback(sue, ref, "", &err), EX_USAGE);
	cr_assert_eq(hub_sendback(sue, ref, "Ask the school first.", &err), 0,
		     "%s", err.msg);
	struct signoff_state s;
	cr_assert_eq(hub_signoff_state(pat, ref, &s, &err), 0);
	cr_assert_str_eq(s.status, "decision");
	cr_assert_eq(s.decided, 0);
	cr_assert_eq(s.sendbacks, 1);
	cr_assert_str_eq(s.sent_back_by, "sue");
	cr_assert_str_eq(s.sent_back_outcome, "nfa");
	cr_assert_str_eq(s.comment, "Ask the school first.");
	cr_assert_eq(hub_signoff(sam, ref, &err), EX_DATAERR, "nothing to sign");
	cr_assert_eq(decide(pat, ref, "early-help"), 0, "%s", err.msg);
	cr_assert_eq(hub_signoff(sue, ref, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_signoff_state(pat, ref, &s, &err), 0);
	cr_assert_str_eq(s.status, "decided");
	cr_assert_str_eq(s.outcome, "early-help");
	cr_assert_str_eq(s.decided_by, "pat");
	cr_assert_str_eq(s.signed_by, "sue");
	cr_assert_eq(s.sendbacks, 1, "the send-back stays on record");
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'sendback'"
			     " AND detail LIKE '%Ask the school first.'"), 1);
	hub_close(pat);
	hub_close(sue);
	hub_close(sam);
}
