/* test_feedback.c - feedback to the referrer (src/hub_feedback.c,
 * hub_feedback.h): the two clocks (plain, working hours, a bank
 * holiday), where they start and stop, the queue's "Feedback due" and the
 * board's counts, the refusal of a text repeating a restricted entry,
 * the letter's placeholders and its refusal of an unknown one, the
 * report's figures against values computed by hand, and who may.
 *
 * Each test makes its own hub in its own temporary directory (Criterion
 * forks and runs tests in parallel).  Times are the real clock's; what a
 * test must place in the past it receives "seconds ago", or moves with a
 * direct UPDATE, which the clocks' triggers follow as the hub's own
 * writes would. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_screen.h"
#include "mashdesk/text.h"

#include "fixture.h"

static char dir[64];
static char path[128];
static struct config cfg;
static struct md_error err;

static void make_hub(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-feedback-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	struct hub_create_opts o = { .name = "Riverside MASH", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
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
	setenv("TZ", "UTC0", 1);
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

TestSuite(feedback, .init = setup, .fini = cleanup);

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

/* A contact taken in by sue, received `ago` seconds ago (0: now). */
static void take_in(const char *child, long long ago, char ref[MD_REF_MAX])
{
	struct hub *sue = as("sue");
	struct referral_input in = {
		.child_name = child, .dob = "2015-03-04", .concern = "A worry.",
		.referrer = "Ms Dorothy Penhaligon", .parents_aware = -1,
		.received_at = ago ? clock_now() - ago : 0,
	};
	cr_assert_eq(hub_referral_add(sue, &in, ref, &err), 0, "%s", err.msg);
	hub_close(sue);
}

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (fixture_is_pg(path)) {
		cr_assert_eq(fixture_pg_exec(path, text), 0, "%s", text);
		return;
	}
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	cr_assert_eq(sqlite3_exec(db, text, NULL, NULL, &msg), SQLITE_OK, "%s: %s",
		     text, msg ? msg : "");
	sqlite3_close(db);
}

static long long sql_int(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long sql_int(const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (fixture_is_pg(path))
		return fixture_pg_int(path, text);
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, text, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", text, sqlite3_errmsg(db));
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The first column of the first row as text (a static buffer). */
static const char *sql_text(const char *text)
{
	static char buf[256];
	if (fixture_is_pg(path)) {
		fixture_pg_text(path, text, buf, sizeof buf);
		return buf;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, text, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", text, sqlite3_errmsg(db));
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof buf, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

static int give(const char *login, const char *ref, const char *kind,
		const char *method, const char *text)
{
	struct hub *hub = as(login);
	int rc = hub_feedback_record(hub, ref, kind, method, text, &err);
	hub_close(hub);
	return rc;
}

static int close_at_screening(const char *ref)
{
	struct hub *sam = as("sam");
	int rc = hub_screen_close(sam, ref, "advice", "Leaflet about sleep.", &err);
	hub_close(sam);
	return rc;
}

/* ---- the clocks -------------------------------------------------------------- */

static long long at(const char *iso)
{
	long long t;
	cr_assert_eq(clock_parse_iso(iso, &t), 0, "%s", iso);
	return t;
}

Test(feedback, clocks_count_plain_hours_by_default)
{
	make_hub();
	struct hub *hub = as("sue");
	long long fri = at("2026-12-18T16:00:00Z");
	cr_assert_eq(hub_feedback_due(hub, FEEDBACK_ACK, fri), fri + 24 * 3600);
	cr_assert_eq(hub_feedback_due(hub, FEEDBACK_OUTCOME, fri), fri + 24 * 3600);
	hub_close(hub);
}

Test(feedback, clocks_count_working_hours_and_skip_a_bank_holiday)
{
	cfg.work.on = 1;
	cfg.work.day_start = 9 * 60;
	cfg.work.day_end = 17 * 60;
	cfg.work.days = 0x3E;                   /* Mon-Fri */
	cfg.feedback_acknowledgement_hours = 8; /* one working day */
	cfg.feedback_outcome_hours = 4;
	make_hub();
	struct hub *hub = as("sue");
	/* Friday 16:00: one hour on Friday, seven on Monday */
	cr_assert_eq(hub_feedback_due(hub, FEEDBACK_ACK, at("2026-12-18T16:00:00Z")),
		     at("2026-12-21T16:00:00Z"));
	/* received on Saturday: the clock starts on Monday at 09:00 */
	cr_assert_eq(hub_feedback_due(hub, FEEDBACK_ACK, at("2026-12-19T11:00:00Z")),
		     at("2026-12-21T17:00:00Z"));
	cr_assert_eq(hub_feedback_due(hub, FEEDBACK_OUTCOME,
				      at("2026-12-18T15:00:00Z")),
		     at("2026-12-21T11:00:00Z"), "the outcome's own hours");
	hub_close(hub);

	/* Monday a bank holiday: Tuesday instead */
	cfg.work.holidays[0] = 20261221;
	cfg.work.nholidays = 1;
	hub = as("sue");
	cr_assert_eq(hub_feedback_due(hub, FEEDBACK_ACK, at("2026-12-18T16:00:00Z")),
		     at("2026-12-22T16:00:00Z"));
	/* late means started before the moment found by bisection */
	long long now = at("2026-12-22T16:30:00Z");
	long long cut = hub_feedback_late_before(hub, FEEDBACK_ACK, now);
	for (long long s = at("2026-12-17T00:00:00Z"); s < now; s += 1799)
		cr_assert_eq(s < cut, hub_feedback_due(hub, FEEDBACK_ACK, s) < now,
			     "started %lld, cut %lld", s, cut);
	hub_close(hub);
}

Test(feedback, clocks_start_at_receipt_and_decision_and_stop_at_feedback)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Ada Quill", 3600, r);
	cr_assert_eq(sql_int("SELECT since FROM feedback_pending"
			     " WHERE kind = 'acknowledgement'"),
		     sql_int("SELECT received_at FROM referral"));
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback_pending"
			     " WHERE kind = 'outcome'"), 0);

	cr_assert_eq(give("sue", r, "outcome", "phone", "Closed."), EX_DATAERR,
		     "no outcome before the decision");
	cr_assert(strstr(err.msg, "neither decided nor closed at screening"),
		  "%s", err.msg);

	cr_assert_eq(give("sam", r, "acknowledgement", "phone",
			  "We have your contact and are looking at it."), 0,
		     "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback_pending"), 0,
		     "the acknowledgement stops its clock");

	cr_assert_eq(close_at_screening(r), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT since FROM feedback_pending"
			     " WHERE kind = 'outcome'"),
		     sql_int("SELECT decided_at FROM referral"),
		     "closed at screening starts the outcome's clock");

	struct hub *sue = as("sue");
	struct referral_detail *d;
	cr_assert_eq(hub_referral_get(sue, r, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(d->ngiven, 1);
	cr_assert_str_eq(d->given[0].kind, "acknowledgement");
	cr_assert_str_eq(d->given[0].method, "phone");
	cr_assert_str_eq(d->given[0].by, "sam");
	cr_assert_eq(d->ack_due, 0);
	cr_assert_eq(d->outcome_due, hub_feedback_due(sue, FEEDBACK_OUTCOME,
						       d->row.decided_at));
	hub_referral_free(d);
	hub_close(sue);

	cr_assert_eq(give("sue", r, "outcome", "letter",
			  "Advice given: a leaflet about sleep."), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback_pending"), 0);
	cr_assert_eq(give("sue", r, "outcome", "email", "A copy by email."), 0,
		     "a second of a kind is kept too");
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback"), 3);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'feedback'"),
		     3, "each is audited");
}

Test(feedback, bad_input_is_refused_changing_nothing)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Bo Quill", 0, r);
	cr_assert_eq(give("sue", r, "thanks", "phone", "Hello."), EX_DATAERR);
	cr_assert(strstr(err.msg, "kind: unknown code 'thanks'"), "%s", err.msg);
	cr_assert_eq(give("sue", r, "acknowledgement", "pigeon", "Hello."),
		     EX_DATAERR);
	cr_assert(strstr(err.msg, "method: unknown code 'pigeon' (one of: phone "
			 "email letter portal)"), "%s", err.msg);
	cr_assert_eq(give("sue", r, "acknowledgement", "phone", ""), EX_USAGE);
	char big[FEEDBACK_TEXT_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_assert_eq(give("sue", r, "acknowledgement", "phone", big), EX_DATAERR);
	cr_assert_eq(give("sue", "R999999", "acknowledgement", "phone", "Hi."),
		     EX_DATAERR);
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback_pending"), 1);
}

/* ---- restricted entries ------------------------------------------------------------ */

Test(feedback, text_repeats_matches_normalised_pieces_of_enough_length)
{
	const char *info = "Father known to police for violence, 2021.\n"
			   "MAPPA level 2.  Do not disclose";
	cr_assert_eq(text_repeats("FYI: father KNOWN to police for violence "
				  "(2021)", info, 12), 1,
		     "case, punctuation and spacing do not matter");
	cr_assert_eq(text_repeats("Note: mappa   level 2", info, 12), 1,
		     "a sentence of it: 'mappa level 2' is 13 bytes");
	cr_assert_eq(text_repeats("Note: mappa   level 2", info, 14), 0,
		     "... under a minimum of 14");
	cr_assert_eq(text_repeats("the father is known to police", info, 12), 0,
		     "words of it, not a whole piece");
	cr_assert_eq(text_repeats("Please do not disclose this", info, 12), 1,
		     "a line of it");
	cr_assert_eq(text_repeats("We know nothing more", info, 12), 0);
	cr_assert_eq(text_repeats("Known", "Known", 12), 0,
		     "a piece under the minimum is a word anyone may write");
	cr_assert_eq(text_repeats("anything", "", 12), 0);
}

Test(feedback, a_text_repeating_a_restricted_entry_is_refused)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Cy Quill", 0, r);
	struct hub *sam = as("sam");
	const char *agencies[] = { "police", "health" };
	cr_assert_eq(hub_screen_progress(sam, r, "amber", "Bruise seen.", 0,
					 agencies, 2, &err), 0, "%s", err.msg);
	hub_close(sam);
	struct hub *pat = as("pat");
	struct check_input police = {
		.status = "complete", .basis = "public-task",
		.handling = "restricted",
		.info = "Mother's partner is subject to an active investigation.\n"
			"Do not share outside the hub.",
	};
	cr_assert_eq(hub_check_record(pat, r, &police, &err), 0, "%s", err.msg);
	hub_close(pat);
	struct hub *hana = as("hana");
	struct check_input health = {
		.status = "complete", .basis = "public-task",
		.info = "Seen by the health visitor last week, all well.",
	};
	cr_assert_eq(hub_check_record(hana, r, &health, &err), 0, "%s", err.msg);
	hub_close(hana);

	long long audits = sql_int("SELECT count(*) FROM audit");
	cr_assert_eq(give("sue", r, "acknowledgement", "phone",
			  "Thanks. FYI the mother's partner is subject to an "
			  "active  investigation"), EX_DATAERR);
	cr_assert_str_eq(err.msg, "text: it repeats police's restricted entry, "
			 "which stays in the hub");
	cr_assert_eq(give("sam", r, "acknowledgement", "email",
			  "Please DO NOT share outside the hub!"), EX_DATAERR,
		     "one line of it is enough");
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback_pending"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action <> 'refused'"),
		     sql_int("SELECT count(*) FROM audit WHERE action <> 'refused'"
			     " AND id <= %lld", audits), "nothing written");

	cr_assert_eq(give("sue", r, "acknowledgement", "phone",
			  "Seen by the health visitor last week, all well."), 0,
		     "a shareable entry may be repeated: %s", err.msg);
}

/* ---- the letter ------------------------------------------------------------------- */

Test(feedback, the_letter_fills_each_placeholder)
{
	struct feedback_letter l = {
		.ref = "R000007", .child = "Ada Quill", .referrer = "Ms Penhaligon",
		.received = "2026-12-07 09:30", .kind = "outcome",
		.outcome = "Early help", .feedback = "Early help offered.",
		.given = "2026-12-08 10:00", .hub = "Riverside MASH",
		.date = "2026-12-09",
	};
	char *out = NULL;
	cr_assert_eq(feedback_letter_fill(
		"{hub} {date}\nDear {referrer},\n{ref} {child} {received} {kind}\n"
		"{outcome}: {feedback} ({given}) {{not a placeholder}", &l, &out,
		&err), 0, "%s", err.msg);
	cr_assert_str_eq(out, "Riverside MASH 2026-12-09\nDear Ms Penhaligon,\n"
			 "R000007 Ada Quill 2026-12-07 09:30 outcome\n"
			 "Early help: Early help offered. (2026-12-08 10:00) "
			 "{not a placeholder}");
	free(out);
}

Test(feedback, the_letter_refuses_an_unknown_placeholder_naming_it_and_its_line)
{
	struct feedback_letter l = { .ref = "R000007" };
	char *out = (char *)1;
	cr_assert_eq(feedback_letter_fill("Dear {referrer},\n\nAbout {concern}.\n",
					  &l, &out, &err), EX_DATAERR);
	cr_assert_null(out);
	cr_assert_str_eq(err.msg, "template line 3: unknown placeholder {concern}");
	cr_assert_eq(feedback_letter_fill("{ref}\n{ref\n}", &l, &out, &err),
		     EX_DATAERR);
	cr_assert(strstr(err.msg, "template line 2: a '{' not closed"), "%s",
		  err.msg);
}

Test(feedback, the_letter_takes_its_fields_from_the_hub)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Di Quill", 0, r);
	struct hub *sue = as("sue");
	struct feedback_letter l;
	cr_assert_eq(hub_feedback_letter(sue, r, NULL, &l, &err), 0, "%s", err.msg);
	cr_assert_str_eq(l.ref, r);
	cr_assert_str_eq(l.child, "Di Quill");
	cr_assert_str_eq(l.referrer, "Ms Dorothy Penhaligon");
	cr_assert_str_eq(l.kind, "acknowledgement", "not decided: acknowledgement");
	cr_assert_str_eq(l.outcome, "not yet decided");
	cr_assert_str_eq(l.feedback, "");
	cr_assert_str_eq(l.hub, "Riverside MASH");
	hub_close(sue);
	cr_assert_eq(close_at_screening(r), 0, "%s", err.msg);
	cr_assert_eq(give("sam", r, "outcome", "letter", "A leaflet is enclosed."),
		     0, "%s", err.msg);
	sue = as("sue");
	cr_assert_eq(hub_feedback_letter(sue, r, NULL, &l, &err), 0, "%s", err.msg);
	cr_assert_str_eq(l.kind, "outcome");
	cr_assert_str_eq(l.outcome, "Advice, information or signposting");
	cr_assert_str_eq(l.feedback, "A leaflet is enclosed.");
	hub_close(sue);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'letter'"), 2);
}

/* ---- the queue and the board --------------------------------------------------------- */

struct seen {
	char refs[8][MD_REF_MAX];
	int late[8];
	int n;
};

static int seen_row(const struct queue_row *r, void *arg)
{
	struct seen *s = arg;
	if (s->n < 8) {
		snprintf(s->refs[s->n], MD_REF_MAX, "%s", r->ref);
		s->late[s->n++] = r->feedback_late;
	}
	return 0;
}

Test(feedback, the_queue_filter_and_the_board_show_feedback_due_and_late)
{
	make_hub();
	char a[MD_REF_MAX], b[MD_REF_MAX], c[MD_REF_MAX];
	take_in("Ed Quill", 2 * 3600, a);       /* due in 22 hours */
	take_in("Flo Quill", 30 * 3600, b);     /* late by 6 hours */
	take_in("Gus Quill", 3600, c);
	cr_assert_eq(give("sue", c, "acknowledgement", "phone", "Got it."), 0);

	struct hub *sue = as("sue");
	struct queue_query q = { .filter = HUB_FILTER_FEEDBACK, .limit = 10 };
	struct seen s = { 0 };
	cr_assert_eq(hub_queue(sue, &q, seen_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 2, "only those still owed");
	cr_assert_str_eq(s.refs[0], b, "the late one first");
	cr_assert_eq(s.late[0], 1);
	cr_assert_str_eq(s.refs[1], a);
	cr_assert_eq(s.late[1], 0);
	struct queue_query qs = { .filter = HUB_FILTER_FEEDBACK, .limit = 10,
				  .search = "Flo" };
	memset(&s, 0, sizeof s);
	cr_assert_eq(hub_queue(sue, &qs, seen_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 1, "a search within the filter");
	cr_assert_str_eq(s.refs[0], b);
	struct queue_query q2 = { .filter = HUB_FILTER_FEEDBACK, .limit = 1,
				  .offset = 1 };
	memset(&s, 0, sizeof s);
	cr_assert_eq(hub_queue(sue, &q2, seen_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 1, "paged");
	cr_assert_str_eq(s.refs[0], a);
	struct feedback_counts n;
	cr_assert_eq(hub_feedback_counts(sue, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n.due[FEEDBACK_ACK], 2);
	cr_assert_eq(n.late[FEEDBACK_ACK], 1);
	cr_assert_eq(n.due[FEEDBACK_OUTCOME], 0);
	hub_close(sue);

	/* closed at screening: out of the open queue, still owed its outcome */
	cr_assert_eq(close_at_screening(c), 0, "%s", err.msg);
	sue = as("sue");
	memset(&s, 0, sizeof s);
	cr_assert_eq(hub_queue(sue, &q, seen_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.refs[2], c);
	cr_assert_eq(hub_feedback_counts(sue, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n.due[FEEDBACK_OUTCOME], 1);
	cr_assert_eq(n.late[FEEDBACK_OUTCOME], 0);
	hub_close(sue);
}

/* ---- the report, computed by hand --------------------------------------------------- */

/*   ref  received  acknowledgement        outcome (closed at screening)
 *   A    1h ago    given now: on time     decided 30h ago, given now: late
 *   B    30h ago   given now: late        decided 48h ago, none: overdue
 *   C    48h ago   none: overdue          -
 *   D    2h ago    none: running          -
 *   E    3h ago    given now: on time     decided now, given now: on time
 *   F    5h ago    no clock (from before the clocks): left out
 * acknowledgement: 5 clocks, 2 on time, 1 late, 1 overdue, 1 running:
 *   2 of 4 owed = 50%;  outcome: 3 clocks, 1 on time, 1 late, 1 overdue:
 *   1 of 3. */
Test(feedback, report_gives_the_share_on_time_by_kind)
{
	make_hub();
	char A[MD_REF_MAX], B[MD_REF_MAX], C[MD_REF_MAX], D[MD_REF_MAX],
	     E[MD_REF_MAX], F[MD_REF_MAX];
	take_in("Ann Quill", 3600, A);
	take_in("Ben Quill", 30 * 3600, B);
	take_in("Cat Quill", 48 * 3600, C);
	take_in("Dan Quill", 2 * 3600, D);
	take_in("Eva Quill", 3 * 3600, E);
	take_in("Fay Quill", 5 * 3600, F);
	sql("DELETE FROM feedback_pending WHERE referral_id ="
	    " (SELECT id FROM referral WHERE ref = '%s')", F);
	cr_assert_eq(give("sue", A, "acknowledgement", "phone", "Received."), 0);
	cr_assert_eq(give("sue", B, "acknowledgement", "phone", "Received."), 0);
	cr_assert_eq(give("sue", E, "acknowledgement", "portal", "Received."), 0);
	cr_assert_eq(close_at_screening(A), 0, "%s", err.msg);
	cr_assert_eq(close_at_screening(B), 0, "%s", err.msg);
	cr_assert_eq(close_at_screening(E), 0, "%s", err.msg);
	sql("UPDATE referral SET decided_at = decided_at - 30 * 3600,"
	    " received_at = received_at - 30 * 3600 WHERE ref = '%s'", A);
	sql("UPDATE referral SET decided_at = decided_at - 48 * 3600,"
	    " received_at = received_at - 48 * 3600 WHERE ref = '%s'", B);
	cr_assert_eq(give("sue", A, "outcome", "letter", "Advice given."), 0);
	cr_assert_eq(give("sue", E, "outcome", "letter", "Advice given."), 0);

	/* received_at moved back for A and B: their acknowledgements were
	 * given 31 h and 78 h after receipt.  Recount by hand with that:
	 * A late, B late, E on time; C overdue, D running. */
	struct hub *sue = as("sue");
	struct feedback_report r;
	cr_assert_eq(hub_feedback_report(sue, -(1LL << 62), 1LL << 62, &r, &err),
		     0, "%s", err.msg);
	const struct feedback_report_kind *k = &r.k[FEEDBACK_ACK];
	cr_assert_eq(k->clocks, 5);
	cr_assert_eq(k->on_time, 1);
	cr_assert_eq(k->late, 2);
	cr_assert_eq(k->overdue, 1);
	cr_assert_eq(k->running, 1);
	cr_assert_float_eq(k->share, 0.25, 1e-9);
	k = &r.k[FEEDBACK_OUTCOME];
	cr_assert_eq(k->clocks, 3);
	cr_assert_eq(k->on_time, 1);
	cr_assert_eq(k->late, 1);
	cr_assert_eq(k->overdue, 1);
	cr_assert_eq(k->running, 0);
	cr_assert_float_eq(k->share, 1.0 / 3, 1e-9);

	/* a period: clocks that started in the last 4 hours (D, E, and E's
	 * outcome) */
	long long now = clock_now();
	cr_assert_eq(hub_feedback_report(sue, now - 4 * 3600, now + 60, &r, &err),
		     0, "%s", err.msg);
	cr_assert_eq(r.k[FEEDBACK_ACK].clocks, 2);
	cr_assert_eq(r.k[FEEDBACK_ACK].on_time, 1);
	cr_assert_eq(r.k[FEEDBACK_ACK].running, 1);
	cr_assert_float_eq(r.k[FEEDBACK_ACK].share, 1.0, 1e-9);
	cr_assert_eq(r.k[FEEDBACK_OUTCOME].clocks, 1);
	cr_assert_eq(r.k[FEEDBACK_OUTCOME].on_time, 1);
	hub_close(sue);
}

/* ---- who may ----------------------------------------------------------------------- */

Test(feedback, practitioners_and_supervisors_of_any_agency_may_not_trainers)
{
	make_hub();
	char r[MD_REF_MAX];
	take_in("Hal Quill", 0, r);
	cr_assert_eq(give("pat", r, "acknowledgement", "email", "Received."), 0,
		     "a police practitioner: %s", err.msg);
	cr_assert_eq(give("sue", r, "acknowledgement", "phone", "Received."), 0);
	cr_assert_eq(give("tom", r, "acknowledgement", "phone", "Received."),
		     EX_NOPERM);
	cr_assert(strstr(err.msg, "give referrers feedback"), "%s", err.msg);
	cr_assert_eq(give("admin", r, "acknowledgement", "phone", "Received."),
		     EX_NOPERM);
	struct hub *tom = as("tom");
	struct feedback_letter l;
	cr_assert_eq(hub_feedback_letter(tom, r, NULL, &l, &err), EX_NOPERM);
	hub_close(tom);
	cr_assert_eq(sql_int("SELECT count(*) FROM feedback"), 2);
}

/* ---- the seal ----------------------------------------------------------------------- */

/* hub_seal.c appends feedback only when there is some: a referral with
 * none has the state it had before feedback existed, byte for byte (so
 * audit rows written before stay valid), and feedback changes it. */
int hub_seal_state(struct hub *hub, long long referral_id, char out[65],
		   struct md_error *err);

Test(feedback, the_seal_takes_feedback_in_only_when_there_is_some)
{
	make_hub();
	char r[MD_REF_MAX], before[65], with[65], after[65];
	take_in("Ivy Quill", 0, r);
	long long id = sql_int("SELECT id FROM referral WHERE ref = '%s'", r);
	struct hub *sue = as("sue");
	cr_assert_eq(hub_seal_state(sue, id, before, &err), 0, "%s", err.msg);
	hub_close(sue);
	cr_assert_eq(give("sue", r, "acknowledgement", "phone", "Received."), 0);
	sue = as("sue");
	cr_assert_eq(hub_seal_state(sue, id, with, &err), 0, "%s", err.msg);
	hub_close(sue);
	cr_assert_str_neq(with, before, "feedback is part of the state");
	cr_assert_str_eq(with, sql_text("SELECT state FROM audit WHERE"
						" action = 'feedback'"),
			 "the feedback's audit row seals it");
	sql("DELETE FROM feedback");
	sue = as("sue");
	cr_assert_eq(hub_seal_state(sue, id, after, &err), 0, "%s", err.msg);
	hub_close(sue);
	cr_assert_str_eq(after, before, "without feedback, the state as before");
}
