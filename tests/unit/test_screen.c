/* test_screen.c - the front door (src/hub_screen.c, hub_screen.h):
 * screening a contact (progressed, or closed with an outcome), asking
 * agencies later, rating with a reason and the raise/lower rule (plain
 * and working hours), races between two processes, the readiness rule, a
 * decision progressing a contact nobody screened, the queue's "Our
 * checks", and what `show` and the referral detail gain.
 *
 * Each test makes its own hub in its own temporary directory (Criterion
 * forks and runs tests in parallel).  Times come from the real clock, so
 * a due time is checked against clock_due_at of the moments just before
 * and just after the call: it lies between them. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"
#include "mashdesk/hub_screen.h"

#include "fixture.h"

static char dir[64];
static char path[128];
static struct config cfg;
static struct md_error err;

/* A training hub: admin; pat (police practitioner), hana (health
 * practitioner), eve (education practitioner); sue (csc supervisor), sam
 * (csc practitioner); tom (trainer).  cfg may be changed before. */
static void make_hub(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-screen-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	struct hub_create_opts o = { .name = "Front Door", .training = 1,
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

TestSuite(screen, .init = setup, .fini = cleanup);

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

/* A contact taken in by sue; received seconds ago (0: now). */
static void take_in(const char *child, const char *rag, long long ago,
		    const char *worker, char ref[MD_REF_MAX])
{
	struct hub *sue = as("sue");
	struct referral_input in = {
		.child_name = child, .dob = "2015-03-04", .concern = "A worry.",
		.rag = rag, .received_at = ago ? clock_now() - ago : 0,
		.parents_aware = -1, .allocated_worker = worker,
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
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_text(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sql_text(char *buf, size_t len, const char *fmt, ...)
{
	char sql[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (fixture_is_pg(path)) {
		fixture_pg_text(path, sql, buf, len);
		return;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Everything that changes when anything is done to a referral, as one
 * number: a refused command must leave it as it was. */
static long long fingerprint(void)
{
	return sql_int("SELECT (SELECT total(version) + total(due_at) + count(*)"
		       " FROM referral) + (SELECT count(*) * 1000 + total(due_at)"
		       " FROM agency_check) + (SELECT count(*) * 7 FROM rating)"
		       " + (SELECT count(*) * 13 FROM audit WHERE action <> 'refused'"
		       " AND action <> 'view')");
}

static int screen_by(const char *login, const char *ref, const char *rag,
		     const char *reason, int level, const char *list)
{
	char copy[128], *agencies[16], *save = NULL;
	int n = 0;
	snprintf(copy, sizeof copy, "%s", list);
	for (char *p = strtok_r(copy, ",", &save); p && n < 16;
	     p = strtok_r(NULL, ",", &save))
		agencies[n++] = p;
	struct hub *h = as(login);
	int rc = hub_screen_progress(h, ref, rag, reason, level,
				     (const char *const *)agencies, n, &err);
	hub_close(h);
	return rc;
}

static int request_by(const char *login, const char *ref, const char *list,
		      const char *reason)
{
	char copy[128], *agencies[16], *save = NULL;
	int n = 0;
	snprintf(copy, sizeof copy, "%s", list);
	for (char *p = strtok_r(copy, ",", &save); p && n < 16;
	     p = strtok_r(NULL, ",", &save))
		agencies[n++] = p;
	struct hub *h = as(login);
	int rc = hub_request(h, ref, (const char *const *)agencies, n, reason, &err);
	hub_close(h);
	return rc;
}

static int rate_by(const char *login, const char *ref, const char *rag,
		   const char *reason)
{
	struct hub *h = as(login);
	int rc = hub_rate(h, ref, rag, reason, &err);
	hub_close(h);
	return rc;
}

static int close_by(const char *login, const char *ref, const char *outcome,
		    const char *reason)
{
	struct hub *h = as(login);
	int rc = hub_screen_close(h, ref, outcome, reason, &err);
	hub_close(h);
	return rc;
}

static int check_by(const char *login, const char *ref, const char *status)
{
	struct hub *h = as(login);
	struct check_input in = { .status = status };
	int rc = hub_check_record(h, ref, &in, &err);
	hub_close(h);
	return rc;
}

static void status_is(const char *ref, const char *want)
{
	char got[32];
	sql_text(got, sizeof got, "SELECT status FROM referral WHERE ref = '%s'", ref);
	cr_assert_str_eq(got, want, "%s is %s, not %s", ref, got, want);
}

/* ---- screening: progressed ---------------------------------------------- */

Test(screen, progress_makes_a_referral_asking_only_the_agencies_named)
{
	make_hub();
	char r[MD_REF_MAX], s[256];
	take_in("Ada Quill", "amber", 0, NULL, r);
	sql_text(s, sizeof s, "SELECT stage FROM referral");
	cr_assert_str_eq(s, "contact", "everything taken in is a contact");
	long long before = clock_now();
	cr_assert_eq(screen_by("sam", r, "red", "Bruising seen by the school.", 3,
			       "police,health,education,police"), 0, "%s", err.msg);
	long long after = clock_now();
	sql_text(s, sizeof s, "SELECT stage || ' ' || status || ' ' || rag || ' ' ||"
		 " level || ' ' || screened_by FROM referral");
	cr_assert_str_eq(s, "referral checks red 3 sam");
	cr_assert(sql_int("SELECT screened_at FROM referral") >= before);
	/* only the three asked: one check each, requested now, due in the
	 * red timescale (2 hours) from the request */
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check"), 3);
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check WHERE status ="
			     " 'requested' AND requested_by = 'sam' AND request_reason ="
			     " 'Bruising seen by the school.' AND requested_at BETWEEN %lld"
			     " AND %lld AND due_at = requested_at + 7200", before, after), 3);
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check WHERE agency IN"
			     " ('police', 'health', 'education')"), 3);
	/* the rating is kept, from the intake's */
	sql_text(s, sizeof s, "SELECT from_rag || '>' || to_rag || ' ' || by_login"
		 " FROM rating ORDER BY id DESC LIMIT 1");
	cr_assert_str_eq(s, "amber>red sam");
	sql_text(s, sizeof s, "SELECT detail FROM audit WHERE action = 'screen'");
	cr_assert_str_eq(s, "screened: red, level 3, asked police, health, "
			 "education: Bruising seen by the school.");
}

Test(screen, a_check_recorded_before_screening_is_kept_and_marked_asked)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Bo Quill", NULL, 0, NULL, r);
	cr_assert_eq(check_by("pat", r, "complete"), 0, "%s", err.msg);
	long long done = sql_int("SELECT completed_at FROM agency_check");
	cr_assert_eq(screen_by("sue", r, "green", "Known to police.", 0,
			       "police,health"), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check"), 2);
	cr_assert_eq(sql_int("SELECT completed_at FROM agency_check WHERE agency ="
			     " 'police'"), done, "the answer stands");
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check WHERE agency ="
			     " 'police' AND requested_by = 'sue' AND status ="
			     " 'complete'"), 1);
	status_is(r, "checks");
	cr_assert_eq(check_by("hana", r, "nothing-known"), 0, "%s", err.msg);
	status_is(r, "decision");
}

/* ---- readiness ------------------------------------------------------------ */

Test(screen, ready_when_every_asked_agency_has_answered)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Cy Quill", "green", 0, NULL, r);
	cr_assert_eq(screen_by("sam", r, "amber", "Worth asking.", 0,
			       "police,health"), 0, "%s", err.msg);
	status_is(r, "checks");
	/* an agency not asked neither holds it up nor makes it ready */
	cr_assert_eq(check_by("eve", r, "in-progress"), 0, "%s", err.msg);
	status_is(r, "checks");
	cr_assert_eq(check_by("pat", r, "complete"), 0, "%s", err.msg);
	status_is(r, "checks");
	cr_assert_eq(check_by("hana", r, "nothing-known"), 0, "%s", err.msg);
	status_is(r, "decision");
	/* asked later: not ready again until it answers */
	cr_assert_eq(request_by("sue", r, "education", "School view too."), 0,
		     "%s", err.msg);
	status_is(r, "checks");
	cr_assert_eq(check_by("eve", r, "complete"), 0, "%s", err.msg);
	status_is(r, "decision");
}

Test(screen, never_screened_keeps_the_rule_of_every_active_agency)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Di Quill", NULL, 0, NULL, r);
	cr_assert_eq(check_by("pat", r, "complete"), 0, "%s", err.msg);
	cr_assert_eq(check_by("hana", r, "complete"), 0, "%s", err.msg);
	status_is(r, "checks");   /* four other agencies to go */
}

/* ---- screening: closed -------------------------------------------------- */

Test(screen, close_with_each_outcome)
{
	make_hub();
	static const char *const outcomes[] = { "nfa", "advice", "early-help" };
	for (int i = 0; i < 3; i++) {
		char r[MD_REF_MAX], s[128];
		take_in("Ed Quill", NULL, 0, NULL, r);
		cr_assert_eq(close_by("sam", r, outcomes[i], "Signposted."), 0,
			     "%s", err.msg);
		sql_text(s, sizeof s, "SELECT stage || ' ' || status || ' ' ||"
			 " screening_outcome || ' ' || screened_by || ' ' ||"
			 " CAST(decided_at = screened_at AS INTEGER) FROM referral"
			 " WHERE ref = '%s'", r);
		char want[128];
		snprintf(want, sizeof want, "contact closed %s sam 1", outcomes[i]);
		cr_assert_str_eq(s, want);
	}
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'screen'"
			     " AND detail LIKE 'closed at screening: %%: Signposted.'"), 3);
}

Test(screen, allocated_only_when_the_child_has_a_social_worker)
{
	make_hub();
	char r[MD_REF_MAX], r2[MD_REF_MAX], s[256];
	take_in("Fay Quill", NULL, 0, NULL, r);
	long long was = fingerprint();
	cr_assert_eq(close_by("sam", r, "allocated", "Has a worker."), EX_DATAERR);
	cr_assert(strstr(err.msg, "close: allocated") &&
		  strstr(err.msg, "none is recorded"), "%s", err.msg);
	cr_assert_eq(fingerprint(), was, "a refusal changes nothing");
	/* the same child again, now with an allocated worker recorded */
	take_in("Fay Quill", NULL, 0, "Rowan Hale (CSC)", r2);
	cr_assert_eq(close_by("sam", r, "allocated", "Passed to the worker."), 0,
		     "%s", err.msg);
	sql_text(s, sizeof s, "SELECT detail FROM audit WHERE action = 'screen'");
	cr_assert_str_eq(s, "closed at screening: allocated, to Rowan Hale (CSC): "
			 "Passed to the worker.");
}

Test(screen, a_closed_contact_is_not_decided_rated_or_asked_about)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Gil Quill", "green", 0, NULL, r);
	cr_assert_eq(close_by("sam", r, "advice", "Leaflet sent."), 0, "%s", err.msg);
	long long was = fingerprint();
	struct hub *sue = as("sue");
	struct decision_input d = { .outcome = "nfa", .rationale = "x" };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "closed at screening by sam at ") &&
		  strstr(err.msg, "as advice"), "%s", err.msg);
	cr_assert_eq(hub_rate(sue, r, "red", "Worse.", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "closed at screening (advice)"), "%s", err.msg);
	hub_close(sue);
	cr_assert_eq(request_by("sue", r, "police", NULL), EX_DATAERR);
	cr_assert(strstr(err.msg, "closed at screening"), "%s", err.msg);
	cr_assert_eq(fingerprint(), was);
}

/* ---- twice, and races ------------------------------------------------------ */

Test(screen, screening_twice_names_who_did_it)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Hal Quill", NULL, 0, NULL, r);
	cr_assert_eq(screen_by("sam", r, "amber", "Ask them.", 0, "police"), 0,
		     "%s", err.msg);
	long long was = fingerprint();
	cr_assert_eq(screen_by("sam", r, "red", "Again.", 0, "health"), EX_DATAERR);
	cr_assert(strstr(err.msg, "was screened already, by you at "), "%s", err.msg);
	cr_assert_eq(screen_by("sue", r, "red", "Again.", 0, "health"), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "was screened by sam at ") &&
		  strstr(err.msg, "(progressed)"), "%s", err.msg);
	cr_assert_eq(close_by("sue", r, "nfa", "No."), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "was screened by sam at "), "%s", err.msg);
	cr_assert_eq(fingerprint(), was, "nothing changed");
}

Test(screen, a_referral_from_before_the_front_door_is_not_screened)
{
	if (fixture_on_pg())
		cr_skip_test("reads the SQLite file itself");
	make_hub();
	char r[MD_REF_MAX];
	take_in("Ida Quill", NULL, 0, NULL, r);
	/* as a hub migrated from before 0010 holds it */
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "UPDATE referral SET stage = 'referral'",
				  NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(screen_by("sam", r, "red", "x", 0, "police"), EX_DATAERR);
	cr_assert(strstr(err.msg, "is a referral already"), "%s", err.msg);
	/* but agencies may be asked on it */
	cr_assert_eq(request_by("sam", r, "police", NULL), 0, "%s", err.msg);
}

/* Two processes screen (or close) the same contact at once: one wins,
 * the other is told who did (75). */
Test(screen, two_processes_screening_at_once_one_wins)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Jo Quill", NULL, 0, NULL, r);
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t kids[2];
	const char *who[2] = { "sam", "sue" };
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			struct hub *h = as(who[i]);
			const char *agencies[] = { "police" };
			char go;
			(void)!read(fds[0], &go, 1);
			int rc = i ? hub_screen_close(h, r, "nfa", "No.", &err)
				   : hub_screen_progress(h, r, "red", "Go.", 0,
							 agencies, 1, &err);
			if (rc == EX_TEMPFAIL && !strstr(err.msg, " was screened by "))
				rc = 99;
			hub_close(h);
			_exit(rc);
		}
	}
	(void)!write(fds[1], "gg", 2);
	int wins = 0, losses = 0;
	for (int i = 0; i < 2; i++) {
		int st;
		waitpid(kids[i], &st, 0);
		wins += WEXITSTATUS(st) == 0;
		losses += WEXITSTATUS(st) == EX_TEMPFAIL;
	}
	cr_assert_eq(wins, 1);
	cr_assert_eq(losses, 1, "the loser is told who won");
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'screen'"), 1);
}

/* ---- asking later ---------------------------------------------------------- */

Test(screen, request_asks_more_agencies_all_or_none)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Kit Quill", "green", 0, NULL, r);
	long long was = fingerprint();
	cr_assert_eq(request_by("sue", r, "police", NULL), EX_DATAERR);
	cr_assert(strstr(err.msg, "is a contact: screen it first"), "%s", err.msg);
	cr_assert_eq(fingerprint(), was);
	cr_assert_eq(screen_by("sam", r, "amber", "Ask police.", 0, "police"), 0,
		     "%s", err.msg);
	long long before = clock_now();
	cr_assert_eq(request_by("sue", r, "health", "GP letter mentions it."), 0,
		     "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check WHERE agency ="
			     " 'health' AND requested_by = 'sue' AND request_reason ="
			     " 'GP letter mentions it.' AND due_at = requested_at + 6 * 3600"
			     " AND requested_at >= %lld", before), 1, "amber: 6 hours");
	/* asked already: by me 65, by someone else 75; nothing of the
	 * request is kept */
	was = fingerprint();
	cr_assert_eq(request_by("sue", r, "education,health", NULL), EX_DATAERR);
	cr_assert(strstr(err.msg, "agency: health was asked already (at ") &&
		  strstr(err.msg, " by sue)"), "%s", err.msg);
	cr_assert_eq(request_by("sam", r, "education,health", NULL), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "agency: health was asked already, by sue at "),
		  "%s", err.msg);
	cr_assert_eq(fingerprint(), was, "education was not asked either");
	cr_assert_eq(request_by("sam", r, "probaton", NULL), EX_DATAERR);
	cr_assert(strstr(err.msg, "agency: unknown code 'probaton'"), "%s", err.msg);
	cr_assert_eq(request_by("sam", r, "", NULL), EX_USAGE);
	cr_assert_eq(fingerprint(), was);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'request'"), 1);
}

/* ---- rating and the raise/lower rule ------------------------------------ */

Test(screen, raising_brings_due_times_forward_lowering_keeps_them)
{
	cfg.decision_hours = 24;
	cfg.decision_red_hours = 2;
	cfg.decision_amber_hours = 8;
	make_hub();
	char r[MD_REF_MAX];
	take_in("Lu Quill", "green", 3600, NULL, r);   /* an hour ago */
	long long received = sql_int("SELECT received_at FROM referral");
	cr_assert_eq(sql_int("SELECT due_at FROM referral"), received + 24 * 3600,
		     "green: decision_hours");
	cr_assert_eq(screen_by("sam", r, "green", "Routine.", 0, "police,health"), 0,
		     "%s", err.msg);
	cr_assert_eq(sql_int("SELECT due_at FROM referral"), received + 24 * 3600,
		     "screened green: no raise, the deadline stands");
	cr_assert_eq(check_by("hana", r, "complete"), 0, "%s", err.msg);
	long long health_due = sql_int("SELECT due_at FROM agency_check WHERE"
				       " agency = 'health'");
	long long before = clock_now();
	cr_assert_eq(rate_by("sue", r, "red", "Disclosure today."), 0, "%s", err.msg);
	long long after = clock_now();
	long long due = sql_int("SELECT due_at FROM referral");
	cr_assert(due >= before + 2 * 3600 && due <= after + 2 * 3600,
		  "red: the decision due 2 hours from now");
	long long pdue = sql_int("SELECT due_at FROM agency_check WHERE agency = 'police'");
	cr_assert(pdue >= before + 2 * 3600 && pdue <= after + 2 * 3600,
		  "the open check: 2 hours from now");
	cr_assert_eq(sql_int("SELECT due_at FROM agency_check WHERE agency = 'health'"),
		     health_due, "a check done keeps its due time");
	/* lowering keeps them all */
	cr_assert_eq(rate_by("sue", r, "amber", "Safe with grandmother."), 0,
		     "%s", err.msg);
	cr_assert_eq(sql_int("SELECT due_at FROM referral"), due);
	cr_assert_eq(sql_int("SELECT due_at FROM agency_check WHERE agency = 'police'"),
		     pdue);
	/* raising again, to a timescale ending after today's due time: never later */
	cr_assert_eq(rate_by("sue", r, "red", "Worse again."), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT due_at FROM referral"), due);
	/* the timeline: intake, screening, three ratings */
	cr_assert_eq(sql_int("SELECT count(*) FROM rating"), 5);
	char s[160];
	sql_text(s, sizeof s, "SELECT group_concat(coalesce(from_rag, '-') || '>' ||"
		 " to_rag, ' ') FROM (SELECT * FROM rating ORDER BY id) AS sq");
	cr_assert_str_eq(s, "->green green>green green>red red>amber amber>red");
	sql_text(s, sizeof s, "SELECT detail FROM audit WHERE action = 'rate'"
		 " ORDER BY id LIMIT 1");
	cr_assert_str_eq(s, "rated red (was green), due times brought forward: "
			 "Disclosure today.");
}

Test(screen, raising_under_working_hours_counts_working_hours)
{
	cfg.work.on = 1;
	cfg.work.day_start = 9 * 60;
	cfg.work.day_end = 17 * 60;
	cfg.work.days = 0x3E;          /* Mon-Fri */
	cfg.check_red_hours = 2;
	cfg.check_green_hours = 24;
	cfg.decision_red_hours = 4;
	make_hub();
	char r[MD_REF_MAX];
	take_in("Mo Quill", "green", 0, NULL, r);
	long long before = clock_now();
	cr_assert_eq(screen_by("sam", r, "green", "Routine.", 0, "police"), 0,
		     "%s", err.msg);
	long long after = clock_now();
	long long pdue = sql_int("SELECT due_at FROM agency_check");
	cr_assert(pdue >= clock_due_at(&cfg.work, before, 24) &&
		  pdue <= clock_due_at(&cfg.work, after, 24),
		  "green: 24 working hours");
	before = clock_now();
	cr_assert_eq(rate_by("sue", r, "red", "Disclosure."), 0, "%s", err.msg);
	after = clock_now();
	pdue = sql_int("SELECT due_at FROM agency_check");
	cr_assert(pdue >= clock_due_at(&cfg.work, before, 2) &&
		  pdue <= clock_due_at(&cfg.work, after, 2),
		  "red: 2 working hours from now, not 2 hours");
	long long due = sql_int("SELECT due_at FROM referral");
	cr_assert(due >= clock_due_at(&cfg.work, before, 4) &&
		  due <= clock_due_at(&cfg.work, after, 4));
}

Test(screen, rating_is_refused_when_nothing_would_change_or_it_moved_on)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Nia Quill", "amber", 0, NULL, r);
	long long was = fingerprint();
	cr_assert_eq(rate_by("sam", r, "amber", "Same."), EX_DATAERR);
	cr_assert(strstr(err.msg, "rag: ") && strstr(err.msg, " is already amber (rated amber by sue at "),
		  "%s", err.msg);
	cr_assert_eq(rate_by("sam", r, "purple", "x"), EX_DATAERR);
	cr_assert(strstr(err.msg, "rag: unknown code 'purple'"), "%s", err.msg);
	cr_assert_eq(rate_by("sam", r, "red", ""), EX_USAGE);
	cr_assert(strstr(err.msg, "reason: required"), "%s", err.msg);
	cr_assert_eq(rate_by("sam", r, NULL, "x"), EX_USAGE);
	cr_assert_eq(fingerprint(), was);
	/* a desk that showed amber, after sue made it red meanwhile */
	cr_assert_eq(rate_by("sue", r, "red", "Worse."), 0, "%s", err.msg);
	struct hub *sam = as("sam");
	was = fingerprint();
	cr_assert_eq(hub_rate_seen(sam, r, "amber", "green", "Better.", &err),
		     EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "was rated red by sue at ") &&
		  strstr(err.msg, "meanwhile"), "%s", err.msg);
	cr_assert_eq(fingerprint(), was);
	cr_assert_eq(hub_rate_seen(sam, r, "red", "green", "Better.", &err), 0,
		     "%s", err.msg);
	struct decision_input d = { .outcome = "nfa", .rationale = "Done." };
	cr_assert_eq(hub_decide(sam, r, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_rate(sam, r, "red", "Late news.", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "is decided; its rating stands"), "%s", err.msg);
	hub_close(sam);
}

/* ---- a decision on a contact nobody screened --------------------------- */

Test(screen, a_decision_progresses_an_unscreened_contact)
{
	make_hub();
	char r[MD_REF_MAX], s[64];
	take_in("Oz Quill", NULL, 0, NULL, r);
	struct hub *sam = as("sam");
	struct decision_input d = { .outcome = "s17", .rationale = "Assess.",
				    .rag = "amber" };
	cr_assert_eq(hub_decide(sam, r, &d, &err), 0, "%s", err.msg);
	hub_close(sam);
	sql_text(s, sizeof s, "SELECT stage || ' ' || screened_by || ' ' ||"
		 " CAST(screened_at = decided_at AS INTEGER) FROM referral");
	cr_assert_str_eq(s, "referral sam 1", "counted as a referral");
	/* the decision's rating joins the timeline */
	sql_text(s, sizeof s, "SELECT coalesce(from_rag, '-') || '>' || to_rag ||"
		 " ' ' || by_login || ': ' || reason FROM rating");
	cr_assert_str_eq(s, "->amber sam: set by the joint decision");
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'screen'"
			     " AND detail LIKE 'progressed by the decision%%'"), 1);
}

/* ---- "Our checks" ---------------------------------------------------------- */

struct rows {
	int n;
	struct queue_row r[16];
};

static int collect(const struct queue_row *r, void *arg)
{
	struct rows *rows = arg;
	if (rows->n < 16)
		rows->r[rows->n++] = *r;
	return 0;
}

Test(screen, our_checks_lists_the_agencys_open_checks_late_first)
{
	if (fixture_on_pg())
		cr_skip_test("reads the SQLite file itself");
	make_hub();
	char a[MD_REF_MAX], b[MD_REF_MAX], c[MD_REF_MAX], d[MD_REF_MAX];
	take_in("Pia Quill", NULL, 0, NULL, a);
	take_in("Quin Quill", NULL, 0, NULL, b);
	take_in("Ria Quill", NULL, 0, NULL, c);
	take_in("Sol Quill", NULL, 0, NULL, d);
	cr_assert_eq(screen_by("sam", a, "green", "x", 0, "police,health"), 0, "%s", err.msg);
	cr_assert_eq(screen_by("sam", b, "red", "x", 0, "police"), 0, "%s", err.msg);
	cr_assert_eq(screen_by("sam", c, "amber", "x", 0, "health"), 0, "%s", err.msg);
	cr_assert_eq(screen_by("sam", d, "amber", "x", 0, "police"), 0, "%s", err.msg);
	/* c is health's only; d's police check is done; a's is late */
	cr_assert_eq(check_by("pat", d, "complete"), 0, "%s", err.msg);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE agency_check SET due_at = due_at - 86400 * 2"
		 " WHERE agency = 'police' AND referral_id = %d", atoi(a + 1));
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct hub *pat = as("pat");
	struct rows rows = { 0 };
	struct queue_query q = { .filter = HUB_FILTER_CHECKS, .open_only = 1 };
	cr_assert_eq(hub_queue(pat, &q, collect, &rows, &err), 0, "%s", err.msg);
	cr_assert_eq(rows.n, 2);
	cr_assert_str_eq(rows.r[0].ref, a, "late first");
	cr_assert_eq(rows.r[0].check_late, 1);
	cr_assert_str_eq(rows.r[1].ref, b);
	cr_assert_eq(rows.r[1].check_late, 0);
	cr_assert(rows.r[1].check_due > clock_now());
	long late = -1;
	cr_assert_eq(hub_checks_late(pat, &late, &err), 0, "%s", err.msg);
	cr_assert_eq(late, 1);
	/* a search narrows it */
	rows.n = 0;
	q.search = "quin";
	cr_assert_eq(hub_queue(pat, &q, collect, &rows, &err), 0, "%s", err.msg);
	cr_assert_eq(rows.n, 1);
	cr_assert_str_eq(rows.r[0].ref, b);
	/* a decided referral's checks are off the list */
	struct decision_input dec = { .outcome = "nfa", .rationale = "x" };
	cr_assert_eq(hub_decide(pat, a, &dec, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_checks_late(pat, &late, &err), 0, "%s", err.msg);
	cr_assert_eq(late, 0);
	hub_close(pat);
	struct hub *hana = as("hana");
	rows.n = 0;
	q.search = NULL;
	cr_assert_eq(hub_queue(hana, &q, collect, &rows, &err), 0, "%s", err.msg);
	cr_assert_eq(rows.n, 1, "health's own: a is decided, c is open");
	cr_assert_str_eq(rows.r[0].ref, c);
	hub_close(hana);
	struct hub *tom = as("tom");
	cr_assert_eq(hub_queue(tom, &q, collect, &rows, &err), EX_USAGE);
	cr_assert(strstr(err.msg, "tom belongs to no agency"), "%s", err.msg);
	cr_assert_eq(hub_checks_late(tom, &late, &err), 0);
	cr_assert_eq(late, 0);
	hub_close(tom);
}

/* ---- who may ---------------------------------------------------------------- */

Test(screen, only_the_screening_agencies_screen_rate_and_ask)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Tam Quill", "green", 0, NULL, r);
	long long was = fingerprint();
	cr_assert_eq(screen_by("pat", r, "red", "x", 0, "police"), EX_NOPERM);
	cr_assert_str_eq(err.msg, "only practitioners and supervisors of "
			 "Children's social care may screen contacts; pat is a "
			 "Police practitioner");
	cr_assert_eq(close_by("pat", r, "nfa", "x"), EX_NOPERM);
	cr_assert_eq(rate_by("hana", r, "red", "x"), EX_NOPERM);
	cr_assert_eq(request_by("pat", r, "police", NULL), EX_NOPERM);
	cr_assert_eq(fingerprint(), was);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'refused'"
			     " AND referral_id = %d", atoi(r + 1)), 4);
	/* [permissions] screen_agencies names others */
	snprintf(cfg.screen_agencies, sizeof cfg.screen_agencies, "csc police");
	cr_assert_eq(screen_by("pat", r, "red", "Police screen here.", 0, "police"),
		     0, "%s", err.msg);
	cr_assert_eq(rate_by("hana", r, "amber", "x"), EX_NOPERM);
}

/* ---- show and the detail -------------------------------------------------- */

struct shown {
	char text[8192];
};

static int show_cb(const char *section, const char *field, const char *value,
		   void *arg)
{
	struct shown *s = arg;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s\t%s\t%s\n", section, field,
		 value);
	return 0;
}

Test(screen, show_and_the_detail_carry_the_front_door)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Uma Quill", "amber", 0, NULL, r);
	struct hub *sue = as("sue");
	struct shown s = { "" };
	cr_assert_eq(hub_referral_show(sue, r, show_cb, &s, &err), 0, "%s", err.msg);
	cr_assert(strstr(s.text, "\nscreening\tstage\tcontact\n"), "%s", s.text);
	cr_assert(strstr(s.text, "\nrating\tamber\trated at intake; by sue; at "),
		  "%s", s.text);
	hub_close(sue);
	cr_assert_eq(screen_by("sam", r, "red", "Bruise.", 2, "police,health"), 0,
		     "%s", err.msg);
	cr_assert_eq(rate_by("sue", r, "amber", "Explained."), 0, "%s", err.msg);
	sue = as("sue");
	s.text[0] = '\0';
	cr_assert_eq(hub_referral_show(sue, r, show_cb, &s, &err), 0, "%s", err.msg);
	/* the lines from before the front door come first, as they were */
	cr_assert(!strncmp(s.text, "referral\tref\t", 13), "%s", s.text);
	cr_assert(strstr(s.text, "\nscreening\tstage\treferral\nscreening\tscreened\t"),
		  "%s", s.text);
	cr_assert(strstr(s.text, "\nscreening\tscreened_by\tsam\nscreening\treason\t"
			 "Bruise.\n"), "%s", s.text);
	cr_assert(strstr(s.text, "\nrating\tred\tBruise.; was amber; by sam; at "),
		  "%s", s.text);
	cr_assert(strstr(s.text, "\nrating\tamber\tExplained.; was red; by sue; at "),
		  "%s", s.text);
	cr_assert(strstr(s.text, "\nrequest\tpolice\tBruise.; by sam; at "), "%s", s.text);
	cr_assert(strstr(s.text, "\nrequest\thealth\tBruise.; by sam; at "), "%s", s.text);
	cr_assert(strstr(s.text, "\ncheck\tpolice\trequested; handling shareable; by sam; at "), "%s", s.text);
	struct referral_detail *d;
	cr_assert_eq(hub_referral_get(sue, r, &d, &err), 0, "%s", err.msg);
	cr_assert_str_eq(d->stage, "referral");
	cr_assert_str_eq(d->screened_by, "sam");
	cr_assert_str_eq(d->screening_reason, "Bruise.");
	cr_assert_eq(d->nratings, 3);
	cr_assert_str_eq(d->ratings[0].from, "");
	cr_assert_str_eq(d->ratings[2].to, "amber");
	cr_assert_str_eq(d->ratings[2].by, "sue");
	int asked = 0;
	for (int i = 0; i < d->nchecks; i++)
		if (d->checks[i].requested_by[0]) {
			asked++;
			cr_assert_str_eq(d->checks[i].request_reason, "Bruise.");
		}
	cr_assert_eq(asked, 2);
	hub_referral_free(d);
	hub_close(sue);
}

/* ---- bad input -------------------------------------------------------------- */

Test(screen, bad_input_is_refused_naming_the_field_and_changes_nothing)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Vi Quill", NULL, 0, NULL, r);
	long long was = fingerprint();
	static const struct {
		const char *rag, *reason, *list;
		int level, code;
		const char *says;
	} bad[] = {
		{ NULL, "x", "police", 0, EX_USAGE, "rag: required" },
		{ "crimson", "x", "police", 0, EX_DATAERR, "rag: unknown code 'crimson'" },
		{ "red", "", "police", 0, EX_USAGE, "reason: required" },
		{ "red", "x", "police", 5, EX_DATAERR, "level: 5 is out of range" },
		{ "red", "x", "", 0, EX_USAGE, "request: required" },
		{ "red", "x", "police,polce", 0, EX_DATAERR, "request: unknown code 'polce'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(screen_by("sam", r, bad[i].rag, bad[i].reason,
				       bad[i].level, bad[i].list), bad[i].code,
			     "case %zu: %s", i, err.msg);
		cr_assert(strstr(err.msg, bad[i].says), "case %zu: %s", i, err.msg);
	}
	cr_assert_eq(close_by("sam", r, "nope", "x"), EX_DATAERR);
	cr_assert(strstr(err.msg, "close: unknown code 'nope' (one of: nfa advice "
			 "early-help allocated)"), "%s", err.msg);
	cr_assert_eq(close_by("sam", r, "", "x"), EX_USAGE);
	cr_assert_eq(close_by("sam", r, "nfa", NULL), EX_USAGE);
	cr_assert_eq(close_by("sam", "R999999", "nfa", "x"), EX_DATAERR);
	cr_assert(strstr(err.msg, "no referral R999999"), "%s", err.msg);
	cr_assert_eq(fingerprint(), was);
}
