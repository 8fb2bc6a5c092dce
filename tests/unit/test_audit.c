/* test_audit.c - the permanent record: every change, view and refused
 * attempt is appended, and editing or deleting any row is detected. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/hub.h"
#include "mashdesk/sha256.h"

#include "fixture.h"

static char dir[64], path[128], ref[MD_REF_MAX];
static struct config cfg;
static struct md_error err;

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-audit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Audit", .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = as("admin");
	struct user pat = { "pat", "Pat Okafor", "police", "practitioner", 1 };
	struct user sue = { "sue", "Sue Lindqvist", "csc", "supervisor", 1 };
	cr_assert_eq(hub_user_add(admin, &pat, &err), 0);
	cr_assert_eq(hub_user_add(admin, &sue, &err), 0);
	hub_close(admin);
	struct hub *p = as("pat");
	struct referral_input in = { .child_name = "Ada Quill", .dob = "2016-04-12",
				     .concern = "Seen alone.", .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(p, &in, ref, &err), 0);
	cr_assert_eq(hub_claim(p, ref, &err), 0);
	hub_close(p);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

TestSuite(audit, .init = setup, .fini = teardown);

/* Raw SQL on the file, as someone tampering with it would. */
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

static long long raw_int(const char *sql)
{
	if (fixture_is_pg(path))
		return fixture_pg_int(path, sql);
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int verify(long long *rows)
{
	struct hub *h = as("pat");
	int rc = hub_audit_verify(h, rows, &err);
	hub_close(h);
	return rc;
}

Test(audit, sha256_matches_the_standard_vectors)
{
	struct sha256 s;
	char out[65];
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_hex(&s, out);
	cr_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&s);
	sha256_hex(&s, out);
	cr_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(audit, every_change_is_recorded_and_the_chain_is_intact)
{
	long long rows;
	cr_assert_eq(verify(&rows), 0, "%s", err.msg);
	/* hub-create, two user-adds, referral-add, claim */
	cr_assert_eq(rows, 5);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE action = 'claim'"
			     " AND login = 'pat' AND referral_id = 1"), 1);
}

Test(audit, refused_attempts_and_views_are_recorded)
{
	struct hub *p = as("pat");
	cr_assert_eq(hub_assign(p, ref, "sue", "x", &err), EX_NOPERM);
	struct referral_detail *d;
	cr_assert_eq(hub_referral_get(p, ref, &d, &err), 0);
	hub_referral_free(d);
	cr_assert_eq(hub_referral_get(p, ref, &d, &err), 0);   /* a re-read */
	hub_referral_free(d);
	hub_close(p);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE action = 'refused'"
			     " AND login = 'pat'"), 1);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE action = 'view'"), 1,
		     "the desk re-reading what it shows is one view");
	long long rows;
	cr_assert_eq(verify(&rows), 0, "%s", err.msg);
}

Test(audit, the_log_refuses_ordinary_edits)
{
	if (fixture_on_pg())
		cr_skip_test("reads the SQLite file itself");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "UPDATE audit SET login = 'x'", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

Test(audit, an_edited_row_is_named)
{
	raw("DROP TRIGGER audit_no_update;"
	    "UPDATE audit SET login = 'someone-else' WHERE id = 4");
	long long rows;
	cr_assert_eq(verify(&rows), EX_DATAERR);
	cr_assert(strstr(err.msg, "audit row 4"), "%s", err.msg);
	cr_assert_eq(rows, 3, "rows before the edit check out");
}

Test(audit, a_deleted_row_is_named)
{
	raw("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3");
	long long rows;
	cr_assert_eq(verify(&rows), EX_DATAERR);
	cr_assert(strstr(err.msg, "audit row 3 is missing"), "%s", err.msg);
}

Test(audit, a_rewritten_hash_breaks_the_next_row)
{
	/* recomputing one row's hash by hand still breaks the chain after it */
	raw("DROP TRIGGER audit_no_update;"
	    "UPDATE audit SET detail = 'nothing happened',"
	    " hash = '1111111111111111111111111111111111111111111111111111111111111111'"
	    " WHERE id = 2");
	long long rows;
	cr_assert_eq(verify(&rows), EX_DATAERR);
	cr_assert(strstr(err.msg, "audit row 2"), "%s", err.msg);
}

Test(audit, reordered_rows_are_named)
{
	/* swap rows 2 and 3 whole, hashes and all: each is intact alone, but
	 * neither follows the row before it any more */
	raw("DROP TRIGGER audit_no_update;"
	    "UPDATE audit SET id = -2 WHERE id = 2;"
	    "UPDATE audit SET id = 2 WHERE id = 3;"
	    "UPDATE audit SET id = 3 WHERE id = -2");
	long long rows;
	cr_assert_eq(verify(&rows), EX_DATAERR);
	cr_assert(strstr(err.msg, "audit row 2"), "%s", err.msg);
	cr_assert_eq(rows, 1, "only the row before the swap checks out");
}

Test(audit, a_row_appended_behind_the_programs_back_is_named)
{
	/* a forged row needs the hash of everything before it: a copy of the
	 * last row's hash will not do */
	raw("INSERT INTO audit (at, login, host, tty, action, referral_id, detail,"
	    " hash) SELECT at, 'intruder', host, tty, 'claim',"
	    " referral_id, detail, hash FROM audit ORDER BY id DESC LIMIT 1");
	long long rows;
	cr_assert_eq(verify(&rows), EX_DATAERR);
	cr_assert(strstr(err.msg, "audit row 6"), "%s", err.msg);
}

struct shown {
	int n;
	char actions[256];
};

static int shown_cb(const struct hub_audit_entry *e, void *arg)
{
	struct shown *s = arg;
	s->n++;
	strncat(s->actions, e->action, sizeof s->actions - strlen(s->actions) - 2);
	strcat(s->actions, " ");
	return 0;
}

Test(audit, supervisors_read_a_referrals_audit_and_that_is_recorded_too)
{
	struct hub *sue = as("sue"), *pat = as("pat");
	struct shown s = { 0 };
	cr_assert_eq(hub_audit_show(pat, ref, shown_cb, &s, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "supervisors"), "%s", err.msg);
	cr_assert_eq(hub_audit_show(sue, ref, shown_cb, &s, &err), 0, "%s", err.msg);
	cr_assert(strstr(s.actions, "referral-add claim"), "%s", s.actions);
	cr_assert(strstr(s.actions, "audit-view"), "reading it is recorded: %s", s.actions);
	hub_close(sue);
	hub_close(pat);
}

/* ---- the anchor: history before it cannot be rewritten unnoticed -------------- */

/* What someone with write access to the file can do: edit a row, then
 * recompute every hash after it by the published formula (the chain is
 * unkeyed), so the whole chain checks out again. */
static void rewrite_and_recompute(long long id, const char *detail)
{
	if (fixture_on_pg())
		cr_skip_test("rewrites the SQLite file itself");
	sqlite3 *db;
	sqlite3_stmt *st, *up;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER audit_no_update", NULL, NULL,
				  NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "UPDATE audit SET detail = ? WHERE id = ?",
					-1, &up, NULL), SQLITE_OK);
	sqlite3_bind_text(up, 1, detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(up, 2, id);
	cr_assert_eq(sqlite3_step(up), SQLITE_DONE);
	sqlite3_finalize(up);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, at, login, host, tty, action,"
					" coalesce(referral_id, 0), detail, state, hash"
					" FROM audit ORDER BY id", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "UPDATE audit SET hash = ? WHERE id = ?",
					-1, &up, NULL), SQLITE_OK);
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	while (sqlite3_step(st) == SQLITE_ROW) {
		char hash[65];
		struct sha256 s;
		sha256_init(&s);
		for (int c = 0; c < 10; c++) {   /* prev, id ... detail, state */
			if (c == 9 && sqlite3_column_type(st, 8) == SQLITE_NULL)
				continue;
			const char *v = c == 0 ? prev : (const char *)sqlite3_column_text(st, c - 1);
			sha256_update(&s, v, strlen(v));
			sha256_update(&s, "\x1f", 1);
		}
		sha256_hex(&s, hash);
		if (sqlite3_column_int64(st, 0) >= id) {
			sqlite3_bind_text(up, 1, hash, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
			cr_assert_eq(sqlite3_step(up), SQLITE_DONE);
			sqlite3_reset(up);
		} else {
			snprintf(hash, sizeof hash, "%s", sqlite3_column_text(st, 9));
		}
		memcpy(prev, hash, sizeof prev);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	sqlite3_close(db);
}

Test(audit, head_names_the_newest_row)
{
	struct hub *pat = as("pat");
	long long id = 0, rows = 0;
	char hash[65];
	cr_assert_eq(hub_audit_head(pat, &id, hash, &err), 0, "%s", err.msg);
	cr_assert_eq(id, raw_int("SELECT max(id) FROM audit"));
	cr_assert_eq(strlen(hash), 64);
	cr_assert_eq(hub_audit_verify_from(pat, id, hash, &rows, &err), 0, "%s", err.msg);
	cr_assert_eq(rows, id);
	hub_close(pat);
}

Test(audit, a_recomputed_chain_passes_alone_but_not_against_the_anchor)
{
	struct hub *pat = as("pat");
	long long anchor = 0, rows;
	char hash[65];
	cr_assert_eq(hub_audit_head(pat, &anchor, hash, &err), 0, "%s", err.msg);
	hub_close(pat);
	rewrite_and_recompute(2, "added nobody");
	pat = as("pat");
	cr_assert_eq(hub_audit_verify(pat, &rows, &err), 0,
		     "the recomputed chain checks out alone: %s", err.msg);
	cr_assert_eq(hub_audit_verify_from(pat, anchor, hash, &rows, &err), EX_DATAERR);
	char want[64];
	snprintf(want, sizeof want, "audit row %lld no longer carries the anchored", anchor);
	cr_assert(strstr(err.msg, want), "%s", err.msg);
	hub_close(pat);
}

Test(audit, rows_after_the_anchor_are_checked_for_links)
{
	struct hub *pat = as("pat");
	long long anchor = 0, rows;
	char hash[65];
	cr_assert_eq(hub_audit_head(pat, &anchor, hash, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_claim(pat, ref, &err), 0, "%s", err.msg);   /* already hers */
	hub_close(pat);
	struct hub *sue = as("sue");
	cr_assert_eq(hub_assign(sue, ref, "sue", "covering", &err), 0, "%s", err.msg);
	cr_assert_eq(hub_audit_verify_from(sue, anchor, hash, &rows, &err), 0, "%s", err.msg);
	hub_close(sue);
	raw("DROP TRIGGER audit_no_update;"
	    "UPDATE audit SET detail = 'assigned to nobody' WHERE action = 'assign'");
	sue = as("sue");
	cr_assert_eq(hub_audit_verify_from(sue, anchor, hash, &rows, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "does not match its hash"), "%s", err.msg);
	hub_close(sue);
}

Test(audit, an_anchor_past_the_end_means_the_log_was_cut_back)
{
	struct hub *pat = as("pat");
	long long anchor = 0, rows;
	char hash[65];
	cr_assert_eq(hub_audit_head(pat, &anchor, hash, &err), 0, "%s", err.msg);
	hub_close(pat);
	raw("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)");
	pat = as("pat");
	cr_assert_eq(hub_audit_verify(pat, &rows, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_audit_verify_from(pat, anchor, hash, &rows, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "the anchor, is not in the log"), "%s", err.msg);
	cr_assert_eq(hub_audit_verify_from(pat, 0, hash, &rows, &err), EX_DATAERR);
	hub_close(pat);
}

/* ---- changes made outside mashdesk -------------------------------------------------- */

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

static int doctor(struct findings *f)
{
	memset(f, 0, sizeof *f);
	return hub_doctor(path, &cfg, finding_cb, f);
}

Test(audit, every_change_seals_the_state_it_left)
{
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE action IN"
			     " ('referral-add', 'claim') AND state IS NULL"), 0);
	cr_assert_eq(raw_int("SELECT count(*) FROM audit WHERE action = 'hub-create'"
			     " AND state IS NULL"), 1, "a row about no referral seals nothing");
	struct hub *pat = as("pat");
	struct check_input c = { .status = "complete", .info = "Known to us.",
				 .basis = "public-task" };
	cr_assert_eq(hub_check_record(pat, ref, &c, &err), 0, "%s", err.msg);
	hub_close(pat);
	struct findings f;
	cr_assert_eq(doctor(&f), 0, "%s", f.problems);
}

Test(audit, doctor_finds_a_check_rewritten_with_sqlite3)
{
	struct hub *pat = as("pat");
	struct check_input c = { .status = "complete", .info = "Two call-outs.",
				 .basis = "public-task" };
	cr_assert_eq(hub_check_record(pat, ref, &c, &err), 0, "%s", err.msg);
	hub_close(pat);
	/* the issue's own example: one statement, no audit row, no version */
	raw("UPDATE agency_check SET info = 'nothing of note' WHERE agency = 'police'");
	long long rows;
	struct hub *sue = as("sue");
	cr_assert_eq(hub_audit_verify(sue, &rows, &err), 0, "the chain alone cannot see it");
	hub_close(sue);
	struct findings f;
	cr_assert_eq(doctor(&f), EX_DATAERR, "%s", f.problems);
	cr_assert(strstr(f.problems, "changes: 1 referral changed outside mashdesk"),
		  "%s", f.problems);
	cr_assert(strstr(f.problems, ref), "%s", f.problems);
}

Test(audit, doctor_finds_a_referral_deleted_or_a_decision_forged)
{
	raw("PRAGMA foreign_keys = OFF; DELETE FROM referral WHERE id = 1");
	struct findings f;
	cr_assert_eq(doctor(&f), EX_DATAERR, "%s", f.problems);
	cr_assert(strstr(f.problems, "referral 1 (deleted)"), "%s", f.problems);
}

Test(audit, doctor_finds_the_append_only_triggers_dropped)
{
	raw("DROP TRIGGER audit_no_delete");
	struct findings f;
	cr_assert_eq(doctor(&f), EX_DATAERR, "%s", f.problems);
	cr_assert(strstr(f.problems, "append-only triggers are gone"), "%s", f.problems);
}
