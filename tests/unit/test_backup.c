/* test_backup.c - the backup module: a copy of a hub and its check, the
 * temporary name and what a killed run leaves, keeping the newest N,
 * refusals that leave nothing behind, and restore (hub_backup.h,
 * backup_file.h).  The copy while desks save, a backup killed midway and
 * encryption with age are tests/e2e/backup.sh's. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/backup_file.h"
#include "mashdesk/hub.h"
#include "mashdesk/hub_backup.h"

static char dir[64], hub_path[128];
static struct config cfg;

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-backup-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(hub_path, sizeof hub_path, "%s/hub.db", dir);
	config_defaults(&cfg);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

TestSuite(backup, .init = setup, .fini = teardown);

static struct hub *open_as(const char *path, const char *login)
{
	struct md_error err;
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 1, &err), 0, "%s", err.msg);
	return hub;
}

/* A training hub named "Riverside MASH" with an admin, a practitioner and
 * n referrals. */
static void make_hub(int n)
{
	struct md_error err;
	struct hub_create_opts o = { .name = "Riverside MASH", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(hub_path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = open_as(hub_path, "admin");
	struct user pat = { "pat", "Pat Okafor", "police", "practitioner", 1 };
	cr_assert_eq(hub_user_add(admin, &pat, &err), 0, "%s", err.msg);
	hub_close(admin);
	struct hub *p = open_as(hub_path, "pat");
	for (int i = 0; i < n; i++) {
		char ref[MD_REF_MAX];
		struct referral_input in = { .child_name = "Ada Quill",
					     .dob = "2016-04-12", .concern = "Seen alone.",
					     .parents_aware = -1 };
		cr_assert_eq(hub_referral_add(p, &in, ref, &err), 0, "%s", err.msg);
	}
	hub_close(p);
}

static int take(const char *login, struct hub_backup_opts *o,
		struct hub_backup_result *r, struct md_error *err)
{
	struct hub *hub = open_as(hub_path, login);
	if (o->pause_us == 0)
		o->pause_us = -1;
	int status = hub_backup(hub, o, r, err);
	hub_close(hub);
	return status;
}

static long long sql_count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* The names in dir, sorted, one per line. */
static void listing(char *out, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
			snprintf(out + strlen(out), len - strlen(out), "%s\n",
				 names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static int exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

/* ---- a copy -------------------------------------------------------------- */

Test(backup, copy_is_whole_standalone_checked_and_audited)
{
	make_hub(5);
	char copy[160];
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	struct hub_backup_opts o = { .path = copy, .pages_per_step = 4 };
	struct hub_backup_result r;
	struct md_error err;
	cr_assert_eq(take("admin", &o, &r, &err), 0, "%s", err.msg);
	cr_assert_str_eq(r.path, copy);
	cr_assert_gt(r.steps, 1, "copied in small steps (%lld)", r.steps);
	cr_assert_eq(r.info.referrals, 5);
	cr_assert_str_eq(r.info.name, "Riverside MASH");
	cr_assert_eq(r.info.training, 1);
	cr_assert_gt(r.info.audit_rows, 0);
	/* standalone: the header says rollback journal, and nothing beside */
	unsigned char h[100];
	int fd = open(copy, O_RDONLY);
	cr_assert_eq(read(fd, h, sizeof h), (ssize_t)sizeof h);
	close(fd);
	cr_assert(h[18] == 1 && h[19] == 1, "journal mark %d %d", h[18], h[19]);
	char side[200];
	snprintf(side, sizeof side, "%s-wal", copy);
	cr_assert(!exists(side));
	snprintf(side, sizeof side, "%s-journal", copy);
	cr_assert(!exists(side));
	/* the copy holds what the hub held; the hub records the backup */
	cr_assert_eq(sql_count(copy, "SELECT count(*) FROM referral"), 5);
	cr_assert_eq(sql_count(hub_path, "SELECT count(*) FROM audit WHERE action ="
			       " 'backup' AND login = 'admin'"), 1);
	struct hub_copy_info info;
	cr_assert_eq(hub_copy_check(copy, &cfg, NULL, &info, &err), 0, "%s", err.msg);
	cr_assert_eq(info.audit_id, r.info.audit_id);
	cr_assert_str_eq(info.audit_hash, r.info.audit_hash);
	/* nothing else was left in the directory */
	char names[512];
	listing(names, sizeof names);
	cr_assert(strstr(names, "copy.db\n") && !strstr(names, "partial"),
		  "left: %s", names);
}

Test(backup, copy_mode_is_never_wider_than_the_hub)
{
	make_hub(1);
	cr_assert_eq(chmod(hub_path, 0600), 0);
	umask(0);
	char copy[160];
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	struct hub_backup_opts o = { .path = copy };
	struct hub_backup_result r;
	struct md_error err;
	cr_assert_eq(take("admin", &o, &r, &err), 0, "%s", err.msg);
	struct stat sb;
	cr_assert_eq(stat(copy, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600, "mode %o", sb.st_mode & 07777);
	cr_assert_eq(chmod(hub_path, 0660), 0);
	snprintf(copy, sizeof copy, "%s/copy2.db", dir);
	cr_assert_eq(take("admin", &o, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(stat(copy, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0660, "mode %o", sb.st_mode & 07777);
}

/* ---- refusals: each leaves nothing ------------------------------------------ */

Test(backup, refusals_leave_nothing)
{
	make_hub(1);
	char copy[160], names[512], before[512];
	struct hub_backup_result r;
	struct md_error err;
	listing(before, sizeof before);
	/* a practitioner may not (77), and the refusal is audited */
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	struct hub_backup_opts o = { .path = copy };
	cr_assert_eq(take("pat", &o, &r, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only admins may back the hub up"), "%s", err.msg);
	cr_assert_eq(sql_count(hub_path, "SELECT count(*) FROM audit WHERE action ="
			       " 'refused' AND login = 'pat'"), 1);
	/* a directory that is not there (73) */
	char missing[160];
	snprintf(missing, sizeof missing, "%s/nowhere/copy.db", dir);
	o.path = missing;
	cr_assert_eq(take("admin", &o, &r, &err), EX_CANTCREAT, "%s", err.msg);
	/* the hub itself, and its -wal */
	o.path = hub_path;
	o.replace = 1;
	cr_assert_neq(take("admin", &o, &r, &err), 0);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", hub_path);
	o.path = wal;
	cr_assert_neq(take("admin", &o, &r, &err), 0);
	/* a recipient age would refuse, before anything is copied */
	if (system("command -v age >/dev/null") == 0) {
		o = (struct hub_backup_opts){ .path = copy, .recipient = "age1nonsense" };
		cr_assert_eq(take("admin", &o, &r, &err), EX_DATAERR);
		cr_assert(strstr(err.msg, "--encrypt"), "%s", err.msg);
	}
	listing(names, sizeof names);
	cr_assert_str_eq(names, before);
	cr_assert_eq(sql_count(hub_path, "SELECT count(*) FROM referral"), 1);
}

Test(backup, an_existing_file_is_kept_unless_replaced)
{
	make_hub(2);
	char copy[160];
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	FILE *f = fopen(copy, "w");
	fputs("last week's notes\n", f);
	fclose(f);
	struct hub_backup_opts o = { .path = copy };
	struct hub_backup_result r;
	struct md_error err;
	cr_assert_eq(take("admin", &o, &r, &err), EX_CANTCREAT);
	cr_assert(strstr(err.msg, "already exists"), "%s", err.msg);
	struct stat sb;
	cr_assert_eq(stat(copy, &sb), 0);
	cr_assert_eq(sb.st_size, 18);
	o.replace = 1;
	cr_assert_eq(take("admin", &o, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(sql_count(copy, "SELECT count(*) FROM referral"), 2);
}

/* ---- temporary names, and litter of killed runs ------------------------------ */

Test(backup, temporary_names_and_stale_ones)
{
	char p[256];
	cr_assert_eq(backup_partial_name(p, sizeof p, "/srv/b/hub.db", 42), 0);
	cr_assert_str_eq(p, "/srv/b/.hub.db.partial-42");
	cr_assert_eq(backup_partial_name(p, sizeof p, "copy.db", 7), 0);
	cr_assert_str_eq(p, ".copy.db.partial-7");
	cr_assert_neq(backup_partial_name(p, sizeof p, "/srv/b/", 7), 0);

	/* a process that is gone: its files go; a live one's stay */
	pid_t kid = fork();
	if (kid == 0)
		_exit(0);
	waitpid(kid, NULL, 0);
	const char *names[][2] = { { ".a.db", "" }, { ".a.db", "-journal" },
				   { ".a.db", "-age" }, { ".b.db", "" } };
	char path[256];
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s.partial-%ld%s", dir, names[i][0],
			 (long)kid, names[i][1]);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	snprintf(path, sizeof path, "%s/.a.db.partial-1", dir);   /* init: alive */
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof path, "%s/.a.db.partial-x", dir);   /* not ours */
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof path, "%s/a.db", dir);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	cr_assert_eq(backup_clean_stale(dir, "a.db"), 3);
	char left[512], want[512];
	listing(left, sizeof left);
	snprintf(want, sizeof want, ".a.db.partial-1\n.a.db.partial-x\n"
		 ".b.db.partial-%ld\na.db\n", (long)kid);
	cr_assert_str_eq(left, want);
	cr_assert_eq(backup_clean_stale(dir, NULL), 1);   /* the other name's */
}

/* ---- a directory of copies ------------------------------------------------------ */

Test(backup, names_by_time)
{
	char s[64], n[128], stamp[BACKUP_STAMP_LEN + 1];
	int seq, enc;
	backup_slug(s, sizeof s, "Riverside  MASH (north)");
	cr_assert_str_eq(s, "riverside-mash-north");
	backup_slug(s, sizeof s, "Zoë's hub");
	cr_assert_str_eq(s, "zo-s-hub");
	backup_slug(s, sizeof s, "--");
	cr_assert_str_eq(s, "hub");
	cr_assert_eq(backup_copy_name(n, sizeof n, "riverside-mash", 1796000000, 1, 0), 0);
	cr_assert_str_eq(n, "riverside-mash-20261130T005320Z.db");
	cr_assert_eq(backup_copy_name(n, sizeof n, "x", 1796000000, 3, 1), 0);
	cr_assert_str_eq(n, "x-20261130T005320Z-3.db.age");
	cr_assert(backup_copy_parse(n, "x", stamp, &seq, &enc));
	cr_assert_str_eq(stamp, "20261130T005320Z");
	cr_assert(seq == 3 && enc == 1);
	cr_assert(backup_copy_parse("x-20261221T001320Z.db", NULL, stamp, &seq, &enc));
	cr_assert(seq == 1 && enc == 0);
	cr_assert_not(backup_copy_parse("x-20261221T001320Z.db", "y", NULL, NULL, NULL));
	cr_assert_not(backup_copy_parse("x-2026122T001320Z.db", NULL, NULL, NULL, NULL));
	cr_assert_not(backup_copy_parse("x-20261221T001320Z.csv", NULL, NULL, NULL, NULL));
	cr_assert_not(backup_copy_parse(".x-20261221T001320Z.db", NULL, NULL, NULL, NULL));
	cr_assert_not(backup_copy_parse("20261221T001320Z.db", NULL, NULL, NULL, NULL));
}

Test(backup, keep_n_keeps_the_newest_of_this_hub_only)
{
	make_hub(1);
	char path[256];
	/* older copies by name, another hub's, and a file that is not a copy */
	const char *old[] = { "riverside-mash-20200101T000000Z.db",
			      "riverside-mash-20200102T000000Z.db.age",
			      "hillside-mash-20200101T000000Z.db", "notes.txt" };
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, old[i]);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	struct hub_backup_opts o = { .dir = dir, .keep = 2 };
	struct hub_backup_result r[3];
	struct md_error err;
	for (int i = 0; i < 3; i++)
		cr_assert_eq(take("admin", &o, &r[i], &err), 0, "%s", err.msg);
	char names[1024];
	listing(names, sizeof names);
	/* the three new ones, in one second or more: the newest two stay */
	cr_assert(!exists(r[0].path), "the oldest new copy stayed: %s", names);
	cr_assert(exists(r[1].path) && exists(r[2].path), "%s", names);
	cr_assert_eq(r[2].pruned, 1);
	cr_assert(strstr(names, "hillside-mash-20200101T000000Z.db\n") &&
		  strstr(names, "notes.txt\n") &&
		  !strstr(names, "riverside-mash-2020"), "%s", names);
	int n = 0;
	for (char *p = names; (p = strstr(p, "riverside-mash-")); p++)
		n++;
	cr_assert_eq(n, 2, "%s", names);
	char newest[256];
	long long mtime;
	int count;
	cr_assert_eq(backup_newest(dir, newest, sizeof newest, &mtime, &count, &err), 0);
	cr_assert_eq(count, 3);   /* this hub's two and the other hub's */
	cr_assert_gt(mtime, 0);
}

/* ---- checking copies ------------------------------------------------------------ */

Test(backup, check_refuses_what_is_not_a_whole_copy)
{
	make_hub(1);
	struct hub_copy_info info;
	struct md_error err;
	char path[160];
	snprintf(path, sizeof path, "%s/none.db", dir);
	cr_assert_eq(hub_copy_check(path, &cfg, NULL, &info, &err), EX_NOINPUT);
	snprintf(path, sizeof path, "%s/text.db", dir);
	FILE *f = fopen(path, "w");
	fputs("not a database at all, but long enough to have a header of a "
	      "hundred bytes, if it were one; it is not.\n", f);
	fclose(f);
	cr_assert_eq(hub_copy_check(path, &cfg, NULL, &info, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "not an SQLite database"), "%s", err.msg);
	/* the live file: WAL mode, not standalone */
	cr_assert_eq(hub_copy_check(hub_path, &cfg, NULL, &info, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "WAL mode"), "%s", err.msg);
	/* a copy whose audit chain was edited */
	char copy[160];
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	struct hub_backup_opts o = { .path = copy };
	struct hub_backup_result r;
	cr_assert_eq(take("admin", &o, &r, &err), 0, "%s", err.msg);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(copy, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER audit_no_update; UPDATE audit SET"
				  " detail = 'nothing' WHERE id = 1", NULL, NULL, NULL),
		     SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(hub_copy_check(copy, &cfg, NULL, &info, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "audit row 1"), "%s", err.msg);
	/* another program's database */
	snprintf(path, sizeof path, "%s/other.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL);
	sqlite3_close(db);
	cr_assert_eq(hub_copy_check(path, &cfg, NULL, &info, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "not a mashdesk backup"), "%s", err.msg);
}

/* ---- restore ---------------------------------------------------------------------- */

Test(backup, restore_makes_a_working_hub_at_a_new_path_only)
{
	make_hub(3);
	char copy[160], to[160];
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	snprintf(to, sizeof to, "%s/restored.db", dir);
	struct hub_backup_opts o = { .path = copy };
	struct hub_backup_result r;
	struct md_error err;
	cr_assert_eq(take("admin", &o, &r, &err), 0, "%s", err.msg);
	struct hub_restore_opts ro = { .login = "root-on-call" };
	struct hub_copy_info info;
	cr_assert_eq(hub_restore(copy, to, &cfg, &ro, &info, &err), 0, "%s", err.msg);
	cr_assert_eq(info.referrals, 3);
	struct hub *h = open_as(to, "pat");
	long long rows;
	cr_assert_eq(hub_audit_verify(h, &rows, &err), 0, "%s", err.msg);
	cr_assert_eq(rows, info.audit_rows + 1);
	char ref[MD_REF_MAX];
	struct referral_input in = { .child_name = "Bo Quill", .dob = "2015-05-05",
				     .concern = "Sibling.", .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(h, &in, ref, &err), 0, "%s", err.msg);
	hub_close(h);
	cr_assert_eq(sql_count(to, "SELECT count(*) FROM audit WHERE action ="
			       " 'restore' AND login = 'root-on-call'"), 1);
	/* never over an existing file: the hub, or the restored one */
	cr_assert_eq(hub_restore(copy, hub_path, &cfg, &ro, &info, &err), EX_CANTCREAT);
	cr_assert_eq(hub_restore(copy, to, &cfg, &ro, &info, &err), EX_CANTCREAT);
	cr_assert(strstr(err.msg, "already exists"), "%s", err.msg);
	cr_assert_eq(sql_count(to, "SELECT count(*) FROM referral"), 4);
	/* a damaged copy restores nothing */
	char bad[160], to2[160];
	snprintf(bad, sizeof bad, "%s/bad.db", dir);
	snprintf(to2, sizeof to2, "%s/restored2.db", dir);
	FILE *f = fopen(bad, "w");
	fputs("SQLite format 3", f);
	fclose(f);
	cr_assert_eq(hub_restore(bad, to2, &cfg, &ro, &info, &err), EX_DATAERR);
	cr_assert(!exists(to2));
	char names[512];
	listing(names, sizeof names);
	cr_assert(!strstr(names, "partial"), "%s", names);
}
