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
	snprintf(path, sizeof path, "%s/hub.db", dir);
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
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg);
	sqlite3_close(db);
}

static long long raw_int(const char *sql)
{
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
