/* test_retention.c - the [retention] policy on a hand-made live hub: the
 * records due are exactly those the policy names (never a held or an open
 * one), a run removes exactly those and leaves search, prior history,
 * reports and the export as if they never were, repeat links to them are
 * cleared, audit verify and doctor's seals pass, the tombstones carry no
 * personal data and the hub file keeps no trace of a removed child's name;
 * legal holds and their refusals; a record being edited is kept.
 *
 * The dataset is tests/data/retention.csv, loaded with the real import
 * path (TZ=UTC), in a live hub.  The policy below; "now" is fixed at
 * 2027-01-15T00:00:00Z (the data layer takes it as a parameter).
 *
 *   contact_closed = 72, contact_closed_nfa = 24,
 *   contact_closed_allocated = 0, referral_no_further = 72,
 *   referral_assessed = age25
 *
 *  ref      tag  what                                   due            at NOW
 *  R000001  C1   contact closed advice 2019-06-10       2025-06-10     removed
 *  R000002  C2   contact closed advice 2021-03-01       2027-03-01     kept
 *  R000003  C3   contact closed nfa 2024-10-01 (24m)    2026-10-01     removed
 *  R000004  C4   contact closed nfa 2025-02-01 (24m)    2027-02-01     kept
 *  R000005  C5   contact closed allocated 2015          never (0)      kept
 *  R000006  C6   contact closed early-help 2018-01-01   2024-01-01     removed
 *  R000007  N1   referral nfa 2019-01-15 (Wren Ashdown) 2025-01-15     removed
 *  R000008  N2   referral advice 2021-02-20             2027-02-20     kept
 *  R000009  N3   referral early-help 2018-05-05         2024-05-05     HELD
 *  R000010  A1   referral s47, born 2010-01-01          2035-01-01     kept
 *  R000011  A2   referral s17, born 2012-07-07          2037-07-07     kept
 *  R000012  O1   referral received 2015, open           never          kept
 *  R000013  O2   contact received 2016, open            never          kept
 *  R000014  R1   Wren Ashdown again 2024, open, a repeat of R000007: kept,
 *                its repeat link cleared
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1     /* fmemopen, memmem */
#endif
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "hub_internal.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_export.h"
#include "mashdesk/hub_prior.h"
#include "mashdesk/hub_report.h"
#include "mashdesk/hub_retention.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

static char dir[64], path[128];
static struct config cfg;
static long long NOW;

static struct hub *open_as(const char *login)
{
	struct md_error err;
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static void setup(void)
{
	struct md_error err;
	setenv("TZ", "UTC", 1);
	tzset();
	cr_assert_eq(clock_parse_iso("2027-01-15T00:00:00Z", &NOW), 0);
	snprintf(dir, sizeof dir, "/tmp/mashdesk-retention-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/hub.db", dir);
	config_defaults(&cfg);
	cfg.retain_contact = 72;
	cfg.retain_contact_nfa = 24;
	cfg.retain_contact_allocated = CONFIG_RETAIN_FOREVER;
	cfg.retain_no_further = 72;
	cfg.retain_assessed = CONFIG_RETAIN_AGE25;
	struct hub_create_opts o = { .name = "Retention MASH", .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = open_as("admin");
	const struct user users[] = {
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "sid", "Sid Marr", "police", "supervisor", 1 },
		{ "sam", "Sam Idris", "csc", "practitioner", 1 },
	};
	for (int i = 0; i < 3; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);
	struct hub *sue = open_as("sue");
	FILE *f = fopen(TEST_DATA_DIR "/retention.csv", "r");
	cr_assert_not_null(f, "cannot open %s/retention.csv", TEST_DATA_DIR);
	long n = 0;
	cr_assert_eq(hub_import_csv(sue, f, "retention.csv", &n, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(n, 14);
	fclose(f);
	cr_assert_eq(hub_hold(sue, "R000009", "Family court order: keep", &err),
		     0, "%s", err.msg);
	hub_close(sue);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(retention, .init = setup, .fini = teardown);

/* ---- helpers ---------------------------------------------------------------- */

struct listed {
	char text[2048];
	size_t used;
};

/* "REF kind/outcome rule YYYY-MM-DD;" per record. */
static int list_due(const struct retention_due *d, void *arg)
{
	struct listed *l = arg;
	char since[16];
	time_t t = (time_t)d->due_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(since, sizeof since, "%Y-%m-%d", &tm);
	l->used += (size_t)snprintf(l->text + l->used, sizeof l->text - l->used,
				    "%s %s/%s %s %s;", d->ref, d->kind, d->outcome,
				    d->rule, since);
	return 0;
}

static void due_at(long long at, struct listed *l, long want)
{
	struct md_error err;
	struct hub *hub = open_as("admin");
	long n = -1;
	memset(l, 0, sizeof *l);
	cr_assert_eq(hub_retention_due(hub, at, list_due, l, &n, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(n, want, "%ld due: %s", n, l->text);
	hub_close(hub);
}

static void run_at(long long at, struct retention_result *r)
{
	struct md_error err;
	struct hub *hub = open_as("admin");
	cr_assert_eq(hub_retention_run(hub, at, NULL, NULL, r, &err), 0, "%s",
		     err.msg);
	hub_close(hub);
}

static long long sql_int(const char *sql)
{
	struct hub *hub = open_as("admin");
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(hub->db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s", sqlite3_errmsg(hub->db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	hub_close(hub);
	return v;
}

static void sql_text(const char *sql, char *out, size_t len)
{
	struct hub *hub = open_as("admin");
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(hub->db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s", sqlite3_errmsg(hub->db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	const unsigned char *t = sqlite3_column_text(st, 0);
	snprintf(out, len, "%s", t ? (const char *)t : "");
	sqlite3_finalize(st);
	hub_close(hub);
}

static const char *const removed_refs[] = { "R000001", "R000003", "R000006",
					    "R000007" };
/* The removed records' children, their alias and address. */
static const char *const removed_words[] = { "Xanthe", "Yzzabel", "Xanny",
					     "Quillon", "Corin", "Dalby", "Faye",
					     "Gurney" };

/* ---- what is due ---------------------------------------------------------------- */

Test(retention, due_lists_exactly_what_the_policy_names_oldest_first)
{
	struct listed l;
	due_at(NOW, &l, 4);
	cr_assert_str_eq(l.text,
		"R000006 contact-closed/early-help contact_closed = 72 months 2024-01-01;"
		"R000007 no-further/nfa referral_no_further = 72 months 2025-01-15;"
		"R000001 contact-closed/advice contact_closed = 72 months 2025-06-10;"
		"R000003 contact-closed/nfa contact_closed_nfa = 24 months 2026-10-01;");
}

Test(retention, age25_runs_to_the_25th_birthday_and_held_open_and_forever_never_go)
{
	struct listed l;
	long long later;
	cr_assert_eq(clock_parse_iso("2035-06-01T00:00:00Z", &later), 0);
	due_at(later, &l, 8);
	cr_assert(strstr(l.text, "R000010 assessed/s47 referral_assessed = age25 "
			 "2035-01-01;"), "%s", l.text);
	const char *never[] = { "R000005", "R000009", "R000011", "R000012",
				"R000013", "R000014" };
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
		cr_expect_null(strstr(l.text, never[i]), "%s listed: %s", never[i],
			       l.text);
	/* The day before a period ends, it is not due yet. */
	cr_assert_eq(clock_parse_iso("2026-09-30T23:59:59Z", &later), 0);
	due_at(later, &l, 3);
	cr_assert_null(strstr(l.text, "R000003"), "%s", l.text);
}

Test(retention, nothing_is_due_under_the_built_in_policy)
{
	struct listed l;
	config_defaults(&cfg);
	due_at(NOW, &l, 0);
}

Test(retention, only_admins_list_and_run)
{
	struct md_error err;
	struct retention_result r;
	long n = 0;
	struct hub *sue = open_as("sue");
	cr_assert_eq(hub_retention_due(sue, NOW, NULL, NULL, &n, &err), EX_NOPERM);
	cr_assert_eq(hub_retention_run(sue, NOW, NULL, NULL, &r, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only admins may apply the retention policy"),
		  "%s", err.msg);
	hub_close(sue);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral"), 14);
}

/* ---- a run ---------------------------------------------------------------------- */

Test(retention, a_run_removes_exactly_the_due_records_and_keeps_the_rest)
{
	struct retention_result r;
	run_at(NOW, &r);
	cr_assert_eq(r.removed, 4);
	cr_assert_eq(r.in_use, 0);
	char refs[512];
	sql_text("SELECT group_concat(ref, ' ') FROM (SELECT ref FROM referral"
		 " ORDER BY id)", refs, sizeof refs);
	cr_assert_str_eq(refs, "R000002 R000004 R000005 R000008 R000009 R000010"
			 " R000011 R000012 R000013 R000014");
	sql_text("SELECT group_concat(ref || ' ' || rule, '; ') FROM (SELECT *"
		 " FROM referral_removed ORDER BY id)", refs, sizeof refs);
	cr_assert_str_eq(refs, "R000001 contact_closed = 72 months; "
			 "R000003 contact_closed_nfa = 24 months; "
			 "R000006 contact_closed = 72 months; "
			 "R000007 referral_no_further = 72 months");
	/* Their rows went with them; nothing dangles. */
	cr_assert_eq(sql_int("SELECT count(*) FROM decision WHERE referral_id IN"
			     " (1, 3, 6, 7)"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM rating WHERE referral_id IN"
			     " (1, 3, 6, 7)"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral_alias WHERE"
			     " referral_id = 1"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* A second run finds nothing more. */
	run_at(NOW, &r);
	cr_assert_eq(r.removed, 0);
	struct listed l;
	due_at(NOW, &l, 0);
}

static int count_rows(const struct queue_row *row, void *arg)
{
	(void)row;
	(*(long *)arg)++;
	return 0;
}

static int count_prior(const struct prior_match *m, void *arg)
{
	char *refs = arg;
	strcat(refs, m->ref);
	strcat(refs, " ");
	return 0;
}

Test(retention, afterwards_search_prior_history_reports_and_export_never_saw_them)
{
	struct md_error err;
	struct retention_result r;
	run_at(NOW, &r);
	struct hub *sue = open_as("sue");
	/* search: the child's name, her alias, the reference */
	const char *searches[] = { "Xanthe", "Yzzabel", "Xanny", "R000001",
				   "Corin Dalby", "Faye" };
	for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
		long n = 0;
		struct queue_query q = { .filter = HUB_FILTER_ALL,
					 .search = searches[i], .limit = 50 };
		cr_assert_eq(hub_queue(sue, &q, count_rows, &n, &err), 0, "%s",
			     err.msg);
		cr_expect_eq(n, 0, "search '%s' finds %ld", searches[i], n);
	}
	/* prior history: by name and date of birth, and by address */
	char refs[256] = "", alloc[MD_NAME_MAX];
	struct prior_query pq = { .child_name = "Xanthe Yzzabel",
				  .dob = "2014-05-05", .aliases = "Xanny Yzzabel",
				  .address = "14 Quillon Row" };
	cr_assert_eq(hub_prior_history(sue, &pq, count_prior, refs, alloc, &err),
		     0, "%s", err.msg);
	cr_expect_str_eq(refs, "");
	struct prior_query wren = { .child_name = "Wren Ashdown",
				    .dob = "2012-02-02" };
	cr_assert_eq(hub_prior_history(sue, &wren, count_prior, refs, alloc, &err),
		     0, "%s", err.msg);
	cr_expect_str_eq(refs, "R000014 ", "only the later referral is left");
	/* reports: all time, as if there had only ever been ten */
	struct report_period p;
	cr_assert_eq(hub_report_period(NULL, NULL, "--from", "--to", &p, &err), 0,
		     "%s", err.msg);
	struct report_contacts c;
	cr_assert_eq(hub_report_contacts(sue, &p, &c, &err), 0, "%s", err.msg);
	cr_expect_eq(c.contacts, 10);
	cr_expect_eq(c.closed, 3, "C2 C4 C5");
	cr_expect_eq(c.rereferrals, 0, "R1's repeat link went with N1");
	/* the export */
	char csv[16384] = "";
	FILE *f = fmemopen(csv, sizeof csv, "w");
	cr_assert_not_null(f);
	struct report_period all;
	cr_assert_eq(hub_report_period("2000-01-01", "2030-12-31", "--from", "--to",
				       &all, &err), 0, "%s", err.msg);
	struct export_request req = { .period = &all, .out = f };
	long rows = 0;
	cr_assert_eq(hub_export(sue, &req, &rows, &err), 0, "%s", err.msg);
	fclose(f);
	cr_expect_eq(rows, 6, "the referrals left: N2 N3 A1 A2 O1 R1; %s", csv);
	for (size_t i = 0; i < 4; i++)
		cr_expect_null(strstr(csv, removed_refs[i]), "%s exported",
			       removed_refs[i]);
	/* show: the reference says it was removed, and when */
	struct referral_detail *d = NULL;
	cr_assert_eq(hub_referral_get(sue, "R000001", &d, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "was removed on") &&
		  strstr(err.msg, "contact_closed = 72 months"), "%s", err.msg);
	hub_close(sue);
}

Test(retention, a_repeat_link_to_a_removed_referral_is_cleared_and_audited)
{
	cr_assert_eq(sql_int("SELECT repeat_of FROM referral WHERE id = 14"), 7);
	struct retention_result r;
	run_at(NOW, &r);
	cr_assert_eq(sql_int("SELECT repeat_of IS NULL FROM referral WHERE id = 14"),
		     1);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE referral_id = 14"
			     " AND action = 'repeat-cleared' AND detail LIKE"
			     " '%R000007%'"), 1);
}

static void doctor_cb(enum hub_finding level, const char *topic,
		      const char *text, void *arg)
{
	char *bad = arg;
	if (level == HUB_FINDING_PROBLEM &&
	    (!strcmp(topic, "changes") || !strcmp(topic, "audit") ||
	     !strcmp(topic, "integrity")))
		snprintf(bad, 512, "%s: %s", topic, text);
}

Test(retention, audit_verify_and_doctors_seals_pass_after_a_run)
{
	struct md_error err;
	struct retention_result r;
	run_at(NOW, &r);
	struct hub *hub = open_as("admin");
	long long rows = 0;
	cr_assert_eq(hub_audit_verify(hub, &rows, &err), 0, "%s", err.msg);
	hub_close(hub);
	char bad[512] = "";
	hub_doctor(path, &cfg, doctor_cb, bad);
	cr_assert_str_eq(bad, "");
	/* Each tombstone seals the state of a referral that is not there. */
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'retention'"
			     " AND state IS NOT NULL AND referral_id IN (1, 3, 6, 7)"),
		     4);
}

Test(retention, tombstones_carry_no_personal_data_and_the_file_no_trace)
{
	long long before = sql_int("SELECT max(id) FROM audit");
	struct retention_result r;
	run_at(NOW, &r);
	struct hub *hub = open_as("admin");
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(hub->db, "SELECT action, detail FROM audit"
					" WHERE id > ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, before);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 1);
		n++;
		for (size_t i = 0; i < sizeof removed_words / sizeof removed_words[0]; i++)
			cr_expect_null(strstr(detail, removed_words[i]), "%s in '%s'",
				       removed_words[i], detail);
		cr_expect_null(strstr(detail, "Wren"), "%s", detail);
		cr_expect_null(strstr(detail, "Ashdown"), "%s", detail);
	}
	sqlite3_finalize(st);
	cr_assert_eq(n, 6, "4 tombstones, a cleared link and the run's summary");
	hub_close(hub);
	/* Every connection closed: the file is the whole hub (no -wal). */
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	static char file[8 << 20];
	size_t len = fread(file, 1, sizeof file, f);
	fclose(f);
	cr_assert_gt(len, 0);
	for (size_t i = 0; i < sizeof removed_words / sizeof removed_words[0]; i++) {
		char lower[32];
		size_t k = strlen(removed_words[i]);
		for (size_t j = 0; j <= k; j++)
			lower[j] = (char)(j < k && removed_words[i][j] >= 'A' &&
					  removed_words[i][j] <= 'Z'
					  ? removed_words[i][j] + 32 : removed_words[i][j]);
		cr_expect_null(memmem(file, len, removed_words[i], k),
			       "'%s' is still in the hub file", removed_words[i]);
		cr_expect_null(memmem(file, len, lower, k),
			       "'%s' is still in the hub file (the search index?)",
			       lower);
	}
}

Test(retention, a_removed_number_is_never_given_again)
{
	struct md_error err;
	struct hub *sue = open_as("sue");
	static const char one[] =
		"child,dob,concern,received,decided,outcome,stage\n"
		"Orla Pike,2015-01-01,Closed long ago.,2018-01-01T09:00:00,"
		"2018-01-01T10:00:00,nfa,contact\n";
	FILE *f = fmemopen((void *)one, strlen(one), "r");
	long n = 0;
	cr_assert_eq(hub_import_csv(sue, f, "one.csv", &n, &err), 0, "%s", err.msg);
	fclose(f);
	hub_close(sue);
	struct retention_result r;
	run_at(NOW, &r);
	cr_assert_eq(r.removed, 5);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE id = 15"), 0);
	sue = open_as("sue");
	struct referral_input in = { .child_name = "Pia Rowe", .dob = "2016-03-03",
				     .concern = "A new worry", .parents_aware = -1 };
	char ref[MD_REF_MAX];
	cr_assert_eq(hub_referral_add(sue, &in, ref, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ref, "R000016");
	hub_close(sue);
}

Test(retention, a_record_being_edited_is_kept_for_the_next_run)
{
	struct md_error err;
	struct hub *hub = open_as("sam");
	/* sam's desk holds the details lease on C1 (as if opened just now) */
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(hub->db, "INSERT INTO lease (kind,"
		" referral_id, owner, host, pid, token, taken_at, heartbeat_at,"
		" expires_at) VALUES ('details', 1, 'sam', 'desk', 1,"
		" '0123456789abcdef0123456789abcdef', ?1, ?1, ?1 + 300)", -1, &st,
		NULL), SQLITE_OK, "%s", sqlite3_errmsg(hub->db));
	sqlite3_bind_int64(st, 1, clock_now());
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	hub_close(hub);
	struct retention_result r;
	run_at(NOW, &r);
	cr_assert_eq(r.removed, 3);
	cr_assert_eq(r.in_use, 1);
	cr_assert_str_eq(r.in_use_ref, "R000001");
	cr_assert_str_eq(r.in_use_by, "sam");
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE id = 1"), 1);
	(void)err;
}

/* ---- legal holds ---------------------------------------------------------------- */

Test(retention, a_lifted_hold_lets_the_policy_apply_again_and_keeps_its_history)
{
	struct md_error err;
	struct hub *sue = open_as("sue");
	cr_assert_eq(hub_hold_lift(sue, "R000009", "Proceedings ended", &err), 0,
		     "%s", err.msg);
	hub_close(sue);
	struct listed l;
	due_at(NOW, &l, 5);
	cr_assert(strstr(l.text, "R000009 no-further/early-help"), "%s", l.text);
	cr_assert_eq(sql_int("SELECT count(*) FROM legal_hold WHERE referral_id = 9"
			     " AND lifted_by = 'sue' AND lift_reason ="
			     " 'Proceedings ended'"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE referral_id = 9 AND"
			     " action IN ('hold', 'hold-lift') AND state IS NOT NULL"),
		     2);
	/* A hold again, then its detail is shown. */
	sue = open_as("sue");
	cr_assert_eq(hub_hold(sue, "R000009", "New proceedings", &err), 0, "%s",
		     err.msg);
	struct referral_detail *d = NULL;
	cr_assert_eq(hub_referral_get(sue, "R000009", &d, &err), 0, "%s", err.msg);
	cr_assert_eq(d->held, 1);
	cr_assert_str_eq(d->held_by, "sue");
	cr_assert_str_eq(d->hold_reason, "New proceedings");
	hub_referral_free(d);
	cr_assert_eq(hub_referral_get(sue, "R000008", &d, &err), 0, "%s", err.msg);
	cr_assert_eq(d->held, 0);
	hub_referral_free(d);
	hub_close(sue);
	due_at(NOW, &l, 4);
}

Test(retention, holds_are_for_supervisors_with_a_reason_once_at_a_time)
{
	struct md_error err;
	struct hub *sam = open_as("sam");
	cr_assert_eq(hub_hold(sam, "R000008", "x", &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only supervisors may put legal holds on "
			 "referrals"), "%s", err.msg);
	hub_close(sam);
	struct hub *sue = open_as("sue");
	cr_assert_eq(hub_hold(sue, "R000008", "", &err), EX_USAGE);
	cr_assert(strstr(err.msg, "reason: required"), "%s", err.msg);
	cr_assert_eq(hub_hold(sue, "R000009", "again", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "on legal hold already (yours"), "%s", err.msg);
	cr_assert_eq(hub_hold_lift(sue, "R000008", "x", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "R000008 is not on legal hold"), "%s", err.msg);
	cr_assert_eq(hub_hold(sue, "R999999", "x", &err), EX_DATAERR);
	hub_close(sue);
	struct hub *sid = open_as("sid");
	cr_assert_eq(hub_hold(sid, "R000009", "mine too", &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "R000009 was put on legal hold by sue at"), "%s",
		  err.msg);
	cr_assert_eq(hub_hold_lift(sid, "R000009", "over", &err), 0, "%s", err.msg);
	hub_close(sid);
	sue = open_as("sue");
	cr_assert_eq(hub_hold_lift(sue, "R000009", "over", &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "legal hold was lifted by sid at"), "%s", err.msg);
	hub_close(sue);
	cr_assert_eq(sql_int("SELECT count(*) FROM legal_hold"), 1);
}
