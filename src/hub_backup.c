/* hub_backup.c - backup, check and restore of a hub (hub_backup.h).
 *
 * Why the online backup API and not VACUUM INTO (measured with
 * tests/bench/backup at a million referrals, README "Performance"): both
 * read inside one read transaction, so neither holds a desk up in WAL
 * mode, but VACUUM INTO rebuilds every table and index (minutes, with a
 * core busy the whole time) where the backup API copies pages as they are
 * and can be paced: a few MB per step, a pause between steps, and the
 * copy's dirty pages written out as it goes, so the disk queue a desk's
 * fsync waits behind stays short.
 *
 * In WAL mode the source connection opens one read transaction before the
 * first step and keeps it to the last: every step then reads the same
 * snapshot, nothing restarts however many desks save meanwhile, and the
 * copy holds exactly what was committed when the backup began.  With a
 * rollback journal (a network filesystem) a reader blocks writers, so each
 * step takes and releases its own lock, and a save between steps makes
 * SQLite start the copy over; after HUB_BACKUP_RESTARTS the backup gives
 * up with EX_TEMPFAIL rather than hold the desks up. */
#include "hub_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/backup_file.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_backup.h"

/* ---- temporary files, removed however the run ends (but SIGKILL) ------- */

#define TMP_SIDES 4
static char tmp_paths[2][TMP_SIDES][PATH_MAX + 16];   /* plain, age */

static void tmp_set(int which, const char *path)
{
	static const char *const side[TMP_SIDES] = { "", "-journal", "-wal", "-shm" };
	for (int i = 0; i < TMP_SIDES; i++)
		snprintf(tmp_paths[which][i], sizeof tmp_paths[which][i], "%s%s",
			 path, side[i]);
}

/* Async-signal-safe. */
static void tmp_unlink(int which)
{
	for (int i = 0; i < TMP_SIDES; i++)
		if (tmp_paths[which][i][0])
			unlink(tmp_paths[which][i]);
}

static void tmp_forget(void)
{
	memset(tmp_paths, 0, sizeof tmp_paths);
}

static void tmp_on_signal(int sig)
{
	tmp_unlink(0);
	tmp_unlink(1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int tmp_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define TMP_NSIGS ((int)(sizeof tmp_sigs / sizeof tmp_sigs[0]))

static void tmp_guard(struct sigaction old[TMP_NSIGS])
{
	struct sigaction sa = { .sa_handler = tmp_on_signal };
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < TMP_NSIGS; i++)
		sigaction(tmp_sigs[i], &sa, &old[i]);
}

static void tmp_unguard(const struct sigaction old[TMP_NSIGS])
{
	for (int i = 0; i < TMP_NSIGS; i++)
		sigaction(tmp_sigs[i], &old[i], NULL);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* err's sentence again, inside a new one: before + it + after. */
static int reword(struct md_error *err, int code, const char *before,
		  const char *after)
{
	char old[sizeof err->msg], pre[PATH_MAX + 80];
	snprintf(old, sizeof old, "%s", err->msg);
	snprintf(pre, sizeof pre, "%s", before);
	return md_fail(err, code, "%s%s%s", pre, old, after);
}

/* A new file, never replacing anything, with at most the mode `mode`; the
 * group gid when given (-1: leave it), else group bits off unless the file
 * got that group anyway.  Returns the fd, or -1 with err set. */
static int create_private(const char *path, mode_t mode, gid_t gid,
			  struct md_error *err)
{
	int fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC,
		      mode & 0660);
	if (fd < 0) {
		md_fail(err, errno == EEXIST ? EX_CANTCREAT : errno == EACCES ||
			errno == EPERM ? EX_NOPERM : EX_CANTCREAT,
			"cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	mode_t want = mode & 0660;
	if (gid != (gid_t)-1 && fstat(fd, &sb) == 0 && sb.st_gid != gid &&
	    fchown(fd, (uid_t)-1, gid) != 0)
		want &= 0600;   /* another group than the hub's: not for it */
	if (fchmod(fd, want) != 0) {
		md_fail(err, EX_IOERR, "cannot set the mode of %s: %s", path,
			strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* ---- checking a copy ----------------------------------------------------- */

/* A standalone SQLite file: the header says so, and not in WAL mode (its
 * recent changes would be in a -wal beside it, not in the file). */
static int copy_header(const char *path, int fd, struct md_error *err)
{
	unsigned char h[100];
	ssize_t n = pread(fd, h, sizeof h, 0);
	if (n < 0)
		return md_fail(err, EX_IOERR, "%s: %s", path, strerror(errno));
	if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk backup (not "
			       "an SQLite database%s)", path, n == 0 ? ": empty" : "");
	if (h[18] == 2 || h[19] == 2)
		return md_fail(err, EX_DATAERR, "%s: a hub in WAL mode, not a "
			       "standalone copy (its latest changes may be in a "
			       "-wal file beside it); take copies with mashdesk "
			       "backup", path);
	return 0;
}

static long long copy_count(struct hub *c, const char *sql, int *ok)
{
	struct db_stmt *st = NULL;
	struct md_error perr = { 0 };
	long long n = -1;
	if (hub_prepare(c, sql, &st, &perr) == 0 &&
	    db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	else
		*ok = 0;
	db_finalize(st);
	return n;
}

/* Check the open copy c (named path in messages). */
static int copy_examine(struct hub *c, const char *path,
			struct hub_copy_info *info, struct md_error *err)
{
	int version = 0, ok = 1;
	int status = hub_user_version(c, &version, err);
	char before[PATH_MAX + 40];
	snprintf(before, sizeof before, "%s: not a mashdesk backup (", path);
	if (status)
		return reword(err, EX_DATAERR, before, ")");
	if (version == 0 || copy_count(c, "SELECT count(*) FROM sqlite_master"
				       " WHERE type = 'table' AND name IN ('hub',"
				       " 'audit', 'referral')", &ok) != 3)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk backup (no "
			       "mashdesk schema)", path);
	if (version > hub_migration_count)
		return md_fail(err, EX_DATAERR, "%s: made by a newer mashdesk "
			       "(schema %d; this one knows up to %d)", path, version,
			       hub_migration_count);
	info->schema = version;
	/* Every page, every index against its table. */
	struct db_stmt *st = NULL;
	struct md_error perr = { 0 };
	char first[256] = "";
	int rows = 0;
	int rc = hub_prepare(c, "PRAGMA integrity_check(5)", &st, &perr);
	while (rc == 0 && db_step(st) == DB_ROW)
		if (rows++ == 0)
			hub_col_text(st, 0, first, sizeof first);
	db_finalize(st);
	if (rows != 1 || strcmp(first, "ok") != 0)
		return md_fail(err, EX_DATAERR, "%s: damaged (integrity check: %s)",
			       path, first[0] ? first : hub_errmsg(c));
	long long fk = copy_count(c, "SELECT count(*) FROM pragma_foreign_key_check", &ok);
	if (!ok || fk != 0)
		return md_fail(err, EX_DATAERR, "%s: %lld rows point at records "
			       "that are not there (foreign key check)", path, fk);
	st = NULL;
	if (hub_prepare(c, "SELECT name, mode = 'training' FROM hub"
			" WHERE id = 1", &st, &perr) == 0 &&
	    db_step(st) == DB_ROW) {
		hub_col_text(st, 0, info->name, sizeof info->name);
		info->training = db_column_int(st, 1);
	} else {
		ok = 0;
	}
	db_finalize(st);
	if (!ok)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk backup (no "
			       "hub record)", path);
	info->referrals = copy_count(c, "SELECT count(*) FROM referral", &ok);
	info->created_at = copy_count(c, "SELECT coalesce(max(at), 0) FROM audit", &ok);
	/* The audit chain, as `audit verify` walks it. */
	snprintf(before, sizeof before, "%s: ", path);
	if ((status = hub_audit_verify(c, &info->audit_rows, err)) != 0)
		return reword(err, EX_DATAERR, before, "");
	if ((status = hub_audit_head(c, &info->audit_id, info->audit_hash, err)))
		return status;
	return 0;
}

/* ---- PostgreSQL: pg_dump and pg_restore ------------------------------------
 *
 * A PostgreSQL hub has no file to copy page by page: `backup` runs
 * pg_dump --format=custom inside a snapshot this connection exports, so
 * the hub's name, referral count and audit head it reports (and the audit
 * chain it verifies) are those of exactly what the dump holds.  The dump
 * goes through the same temporary name, check (pg_restore --list: a whole
 * archive, with the hub's tables), optional age encryption, naming,
 * --keep and audit entry as a SQLite copy.  `restore --to URL` runs
 * pg_restore in one transaction into an empty database only.  The address
 * reaches the tools without its password, which goes in PGPASSWORD. */

/* Percent-decoding of a URI component into out (at most len - 1 bytes). */
static void pct_decode(char *out, size_t len, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		unsigned hi, lo;
		if (s[i] == '%' && i + 2 < n &&
		    sscanf(s + i + 1, "%1x%1x", &hi, &lo) == 2) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

/* url without its password (user:PW@ or a password= parameter) into
 * bare, the password (decoded) into pw ("" when none). */
static void pg_url_split(const char *url, char *bare, size_t blen, char *pw,
			 size_t plen)
{
	const char *auth = strstr(url, "://");
	pw[0] = '\0';
	snprintf(bare, blen, "%s", url);
	if (!auth)
		return;
	auth += 3;
	size_t alen = strcspn(auth, "/?");
	const char *at = memrchr(auth, '@', alen);
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		pct_decode(pw, plen, colon + 1, (size_t)(at - colon - 1));
		snprintf(bare, blen, "%.*s%s", (int)(colon - url), url, at);
	}
	char *q = strchr(bare, '?');
	for (char *p = q; p && *p;) {
		char *next = strchr(p + 1, '&');
		if (strncmp(p + 1, "password=", 9) == 0) {
			size_t vlen = next ? (size_t)(next - p - 10) : strlen(p + 10);
			pct_decode(pw, plen, p + 10, vlen);
			if (next)
				memmove(p + 1, next + 1, strlen(next + 1) + 1);
			else
				*p = '\0';
			continue;
		}
		p = next;
	}
}

/* Run a PostgreSQL client program (argv[0], found on PATH) without a
 * shell: stdin from in_fd, stdout to out_fd (-1: /dev/null), password in
 * PGPASSWORD.  Like backup_run_age, the child gives up a setgid group for
 * good first.  0; EX_UNAVAILABLE when the program is not installed;
 * fail_code with its first line of complaint otherwise. */
static int run_pg_tool(char *const argv[], const char *password, int in_fd,
		       int out_fd, int fail_code, struct md_error *err)
{
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) != 0)
		return md_fail(err, EX_OSERR, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(errpipe[0]);
		close(errpipe[1]);
		return md_fail(err, EX_OSERR, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		gid_t g = getgid();
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (setresgid(g, g, g) != 0 ||
		    dup2(in_fd >= 0 ? in_fd : devnull, 0) < 0 ||
		    dup2(out_fd >= 0 ? out_fd : devnull, 1) < 0 ||
		    dup2(errpipe[1], 2) < 0)
			_exit(126);
		if (password && *password)
			setenv("PGPASSWORD", password, 1);
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(errpipe[1]);
	char buf[4096];
	size_t used = 0;
	for (;;) {
		ssize_t n = read(errpipe[0], buf + used, sizeof buf - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof buf - 1) {   /* keep the start, drain the rest */
			char sink[512];
			while (read(errpipe[0], sink, sizeof sink) > 0)
				;
			break;
		}
	}
	buf[used] = '\0';
	close(errpipe[0]);
	int wst = 0;
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0)
		return 0;
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 127 && !used)
		return md_fail(err, EX_UNAVAILABLE, "%s is not installed (the "
			       "PostgreSQL client programs: apt-get install "
			       "postgresql-client)", argv[0]);
	/* The first line that says "error", else the first line. */
	char *line = strstr(buf, "error: ");
	line = line ? line + 7 : buf;
	line[strcspn(line, "\n")] = '\0';
	return md_fail(err, fail_code, "%s: %s", argv[0], *line ? line
		       : "failed without saying why");
}

/* A pg_dump custom archive starts so. */
static int is_pg_dump(int fd)
{
	char h[5];
	return pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h &&
	       memcmp(h, "PGDMP", 5) == 0;
}

/* pg_restore --list on the archive at fd: whole, and holding the hub's
 * tables; its database and when it was made into info. */
static int dump_check(const char *path, int fd, struct hub_copy_info *info,
		      struct md_error *err)
{
	int out = memfd_create("pg_restore-list", MFD_CLOEXEC);
	if (out < 0)
		return md_fail(err, EX_OSERR, "memfd_create: %s", strerror(errno));
	char *argv[] = { "pg_restore", "--list", NULL };
	lseek(fd, 0, SEEK_SET);
	int status = run_pg_tool(argv, NULL, fd, out, EX_DATAERR, err);
	FILE *f = status ? NULL : fdopen(out, "r");
	int tables = 0;
	if (f) {
		char line[1024];
		rewind(f);
		while (fgets(line, sizeof line, f)) {
			char schema[128], table[128];
			const char *td = strstr(line, " TABLE DATA ");
			line[strcspn(line, "\n")] = '\0';
			if (strncmp(line, ";     dbname: ", 14) == 0)
				snprintf(info->database, sizeof info->database,
					 "%.127s", line + 14);
			else if (strncmp(line, "; Archive created at ", 21) == 0)
				snprintf(info->dumped_at, sizeof info->dumped_at,
					 "%.63s", line + 21);
			else if (td && sscanf(td + 12, "%127s %127s", schema, table) == 2)
				tables += strcmp(table, "hub") == 0 ||
					  strcmp(table, "audit") == 0 ||
					  strcmp(table, "referral") == 0;
		}
		fclose(f);
	} else {
		close(out);
	}
	if (status) {
		char before[PATH_MAX + 60];
		snprintf(before, sizeof before, "%s: damaged, or not a whole "
			 "pg_dump archive (", path);
		return reword(err, status == EX_DATAERR ? EX_DATAERR : status,
			      before, ")");
	}
	if (tables != 3)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk backup (a "
			       "pg_dump archive without the hub's tables)", path);
	info->pg_dump = 1;
	return 0;
}

/* One count in the hub, -1 when it cannot be read. */
static long long hub_count(struct hub *hub, const char *sql)
{
	int ok = 1;
	long long n = copy_count(hub, sql, &ok);
	return ok ? n : -1;
}

/* What the hub holds now (inside the caller's snapshot): as a check of a
 * copy finds it, the audit chain walked as `audit verify` does. */
static int pg_examine(struct hub *hub, struct hub_copy_info *info,
		      struct md_error *err)
{
	struct hub_info hi;
	hub_get_info(hub, &hi);
	snprintf(info->name, sizeof info->name, "%s", hi.name);
	info->training = hi.training;
	info->schema = hi.schema_version;
	info->referrals = hub_count(hub, "SELECT count(*) FROM referral");
	info->created_at = hub_count(hub, "SELECT coalesce(max(at), 0) FROM audit");
	int status = hub_audit_verify(hub, &info->audit_rows, err);
	if (status == 0)
		status = hub_audit_head(hub, &info->audit_id, info->audit_hash, err);
	return status;
}

/* pg_dump of the hub into fd, in a snapshot this connection exports and
 * examines (into r->info) while the dump runs from it. */
static int pg_dump_into(struct hub *hub, const struct hub_backup_opts *o,
			int fd, struct hub_backup_result *r,
			struct md_error *err)
{
	char bare[PATH_MAX], pw[256], snap[64] = "", snaparg[96];
	struct db_stmt *st = NULL;
	if (!o->address || !hub_is_url(o->address))
		return md_fail(err, EX_SOFTWARE, "a PostgreSQL backup needs the "
			       "hub's address");
	pg_url_split(o->address, bare, sizeof bare, pw, sizeof pw);
	int opened = hub_read_begin(hub);
	int status = hub_prepare(hub, "SELECT pg_export_snapshot()", &st, err);
	if (status == 0 && db_step(st) == DB_ROW)
		hub_col_text(st, 0, snap, sizeof snap);
	else if (status == 0)
		status = hub_sql_fail(hub, DB_ERROR, "exporting a snapshot", err);
	db_finalize(st);
	if (status == 0)
		status = pg_examine(hub, &r->info, err);
	snprintf(snaparg, sizeof snaparg, "--snapshot=%s", snap);
	char *argv[] = { "pg_dump", "--format=custom", "--no-password",
			 snaparg, "--dbname", bare, NULL };
	if (status == 0)
		status = run_pg_tool(argv, pw, -1, fd, EX_UNAVAILABLE, err);
	hub_read_end(hub, opened);
	explicit_bzero(pw, sizeof pw);
	return status;
}

/* An empty database: nothing of anyone's in it but the system's. */
static int pg_target_empty(struct hub *t, const char *shown,
			   struct md_error *err)
{
	long long n = hub_count(t, "SELECT (SELECT count(*) FROM pg_class c"
		" JOIN pg_namespace s ON s.oid = c.relnamespace"
		" WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')"
		" AND s.nspname NOT LIKE 'pg\\_%') + (SELECT count(*) FROM pg_proc p"
		" JOIN pg_namespace s ON s.oid = p.pronamespace"
		" WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')"
		" AND s.nspname NOT LIKE 'pg\\_%')");
	if (n < 0)
		return hub_sql_fail(t, DB_ERROR, "looking into the database", err);
	if (n > 0)
		return md_fail(err, EX_CANTCREAT, "%s is not an empty database "
			       "(%lld tables, functions and the like); refusing "
			       "to restore into it: create a new one (createdb)",
			       shown, n);
	return 0;
}

/* restore --to URL: the archive at fd (checked) into the empty database
 * at url in one transaction; then opened as a hub, its audit chain
 * walked, and the restore recorded. */
static int pg_restore_into(const char *copy, int fd, const char *url,
			   const struct config *cfg,
			   const struct hub_restore_opts *o,
			   struct hub_copy_info *info, struct md_error *err)
{
	char bare[PATH_MAX], pw[256], shown[PATH_MAX];
	hub_address(shown, sizeof shown, url);
	struct hub *t = NULL;
	int status = hub_connect(&t, url, cfg, 0, err);
	if (status == 0)
		status = pg_target_empty(t, shown, err);
	hub_close(t);
	if (status)
		return status;
	pg_url_split(url, bare, sizeof bare, pw, sizeof pw);
	char *argv[] = { "pg_restore", "--single-transaction", "--exit-on-error",
			 "--no-owner", "--no-privileges", "--no-password",
			 "--dbname", bare, NULL };
	lseek(fd, 0, SEEK_SET);
	status = run_pg_tool(argv, pw, fd, -1, EX_DATAERR, err);
	explicit_bzero(pw, sizeof pw);
	if (status) {
		char before[PATH_MAX + 40];
		snprintf(before, sizeof before, "%s: ", copy);
		return reword(err, status, before, "; nothing was restored");
	}
	struct hub *h = NULL;
	long long bytes = info->bytes;
	status = hub_open(&h, url, cfg, err);
	if (status == 0 && (status = pg_examine(h, info, err)) != 0) {
		char before[PATH_MAX + 80];
		snprintf(before, sizeof before, "%s is restored into %s, but ",
			 copy, shown);
		reword(err, EX_DATAERR, before, "");
	}
	info->bytes = bytes;
	info->pg_dump = 1;
	if (status == 0) {
		char detail[2 * PATH_MAX + 200];
		snprintf(detail, sizeof detail, "restored from %s to %s with "
			 "pg_restore (the copy's audit head %lld:%s)", copy, shown,
			 info->audit_id, info->audit_hash);
		status = hub_begin(h, err);
		if (status == 0)
			status = hub_audit_append(h, o->login, "restore", 0, detail, err);
		status = hub_end(h, status, err);
	}
	hub_close(h);
	return status;
}

/* Open path read-only as a standalone copy and examine it. */
static int copy_check_plain(const char *path, const struct config *cfg,
			    struct hub_copy_info *info, struct md_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return md_fail(err, errno == ENOENT ? EX_NOINPUT : errno == EACCES
			       ? EX_NOPERM : EX_NOINPUT, "%s: %s", path,
			       strerror(errno));
	struct stat sb;
	int status = fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)
		? md_fail(err, EX_DATAERR, "%s: not a regular file", path)
		: is_pg_dump(fd) ? dump_check(path, fd, info, err)
		: copy_header(path, fd, err);
	info->bytes = (long long)sb.st_size;
	close(fd);
	if (status || info->pg_dump)
		return status;
	struct hub *c = NULL;
	status = hub_connect(&c, path, cfg, SQLITE_OPEN_READONLY, err);
	if (status == 0)
		status = copy_examine(c, path, info, err);
	hub_close(c);
	return status;
}

/* Decrypt the age file at fd into a new temporary file `plain` (mode
 * 0600), with the key file identity. */
static int copy_decrypt(const char *path, int fd, const char *identity,
			const char *plain, struct md_error *err)
{
	int out = create_private(plain, 0600, (gid_t)-1, err);
	if (out < 0)
		return err->code;
	char *argv[] = { "age", "--decrypt", "--identity", (char *)identity, NULL };
	int status = backup_run_age(argv, fd, out, EX_DATAERR, err);
	if (status == EX_DATAERR) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		md_fail(err, EX_DATAERR, "%s: cannot decrypt it with %s (%s)", path,
			identity, why);
	}
	if (status == 0 && fsync(out) != 0)
		status = md_fail(err, EX_IOERR, "%s: %s", plain, strerror(errno));
	close(out);
	return status;
}

/* An age file (by its content)?  0/1 into *age. */
static int copy_is_age(const char *path, int *age, struct md_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return md_fail(err, errno == ENOENT ? EX_NOINPUT : errno == EACCES
			       ? EX_NOPERM : EX_NOINPUT, "%s: %s", path,
			       strerror(errno));
	*age = backup_fd_is_age(fd);
	int e = errno;
	close(fd);
	if (*age < 0)
		return md_fail(err, EX_IOERR, "%s: %s", path, strerror(e));
	return 0;
}

int hub_copy_check(const char *path, const struct config *cfg,
		   const char *identity, struct hub_copy_info *info,
		   struct md_error *err)
{
	memset(info, 0, sizeof *info);
	int age = 0;
	int status = copy_is_age(path, &age, err);
	if (status)
		return status;
	if (!age)
		return copy_check_plain(path, cfg, info, err);
	info->encrypted = 1;
	if (!identity)
		return md_fail(err, EX_USAGE, "%s is encrypted with age: give the "
			       "private key with --identity KEYFILE (on a host "
			       "that holds it: never the hub host)", path);
	char plain[PATH_MAX];
	if (backup_partial_name(plain, sizeof plain, path, (long)getpid()) != 0)
		return md_fail(err, EX_USAGE, "%s: path too long", path);
	struct sigaction old[TMP_NSIGS];
	tmp_set(0, plain);
	tmp_guard(old);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		status = md_fail(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	else {
		status = copy_decrypt(path, fd, identity, plain, err);
		close(fd);
	}
	if (status == 0) {
		status = copy_check_plain(plain, cfg, info, err);
		info->encrypted = 1;
		if (status) {   /* name the file given, not the temporary one */
			char why[sizeof err->msg];
			const char *m = strstr(err->msg, plain);
			snprintf(why, sizeof why, "%s", m ? m + strlen(plain) : err->msg);
			md_fail(err, status, "%s (decrypted)%s", path, why);
		}
	}
	tmp_unlink(0);
	tmp_unguard(old);
	tmp_forget();
	return status;
}

/* ---- taking a copy ----------------------------------------------------------- */

/* 1 when name is the hub (hs) or one of SQLite's files beside it. */
static int samefile_hub(const struct stat *hs, const char *hub_path, const char *name)
{
	struct stat sb;
	if (stat(name, &sb) == 0 && sb.st_dev == hs->st_dev && sb.st_ino == hs->st_ino)
		return 1;
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
		char p[PATH_MAX + 16];
		snprintf(p, sizeof p, "%s%s", hub_path, side[i]);
		if (strcmp(p, name) == 0)
			return 1;
	}
	return 0;
}

/* The journal mode of an open connection ("wal", "delete", ...). */
static void journal_mode(struct hub *c, char *mode, size_t len)
{
	struct db_stmt *st = NULL;
	struct md_error perr = { 0 };
	mode[0] = '\0';
	if (hub_prepare(c, "PRAGMA journal_mode", &st, &perr) == 0 &&
	    db_step(st) == DB_ROW)
		hub_col_text(st, 0, mode, len);
	db_finalize(st);
}

static void test_pause(const char *file)
{
	int fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	while (access(file, F_OK) == 0)
		usleep(10000);
}

/* The online backup API from a connection of our own into tmp (an empty
 * file we made).  See the top of this file for the read transaction. */
static int copy_pages(struct hub *hub, const char *tmp, int tmp_fd,
		      const struct hub_backup_opts *o, struct hub_backup_result *r,
		      struct md_error *err)
{
	struct hub *src = NULL, *dst = NULL;
	int status = hub_connect(&src, hub->path, &hub->cfg, SQLITE_OPEN_READWRITE, err);
	char mode[16] = "";
	if (status == 0)
		journal_mode(src, mode, sizeof mode);
	int wal = strcmp(mode, "wal") == 0;
	if (status == 0 && wal)
		status = hub_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master",
				  "starting the backup's read", err);
	if (status == 0)
		status = hub_connect(&dst, tmp, NULL, SQLITE_OPEN_READWRITE, err);
	/* Nobody else opens the temporary file, and a crash throws it away:
	 * no journal, no syncs until the end (one fsync then). */
	if (status == 0)
		status = hub_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF",
				  "preparing the copy", err);
	sqlite3_backup *b = NULL;
	if (status == 0 && !(b = sqlite3_backup_init(dst->db, "main", src->db, "main")))
		status = hub_sql_fail(dst, sqlite3_errcode(dst->db), "starting the backup", err);
	int per = o->pages_per_step > 0 ? o->pages_per_step : HUB_BACKUP_PAGES;
	int pause_us = o->pause_us >= 0 ? o->pause_us : HUB_BACKUP_PAUSE_US;
	long long done_before = 0;
	int busy = 0;
	while (status == 0) {
		int rc = sqlite3_backup_step(b, per);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			/* rollback journal: a writer holds the file */
			if (++busy * 5 > hub->cfg.busy_timeout_ms) {
				status = hub_sql_fail(src, rc, "copying the hub", err);
				break;
			}
			usleep(5000);
			continue;
		}
		if (rc != SQLITE_OK && rc != SQLITE_DONE) {
			status = hub_sql_fail(dst, rc, "copying the hub", err);
			break;
		}
		busy = 0;
		r->steps++;
		long long total = sqlite3_backup_pagecount(b);
		long long done = total - sqlite3_backup_remaining(b);
		if (done < done_before && ++r->restarts > HUB_BACKUP_RESTARTS) {
			status = md_fail(err, EX_TEMPFAIL, "%s: the hub changed %d "
					 "times while it was being copied (a rollback "
					 "journal lets a copy see only a quiet hub); "
					 "try again when fewer desks are saving",
					 hub->path, r->restarts);
			break;
		}
		done_before = done;
		r->pages = total;
		if (rc == SQLITE_DONE)
			break;
		/* Write this step's pages out now: a long queue of dirty pages
		 * would make every desk's commit (an fsync) wait behind it. */
		if (!o->lazy && fdatasync(tmp_fd) != 0) {
			status = md_fail(err, EX_IOERR, "%s: %s", tmp, strerror(errno));
			break;
		}
		if (o->test_pause && r->steps == 1)
			test_pause(o->test_pause);
		if (pause_us > 0)
			usleep((useconds_t)pause_us);
	}
	if (b && sqlite3_backup_finish(b) != SQLITE_OK && status == 0)
		status = hub_sql_fail(dst, sqlite3_errcode(dst->db), "finishing the copy", err);
	if (src && wal)
		hub_exec(src, "COMMIT", "ending the backup's read", NULL);
	hub_close(src);
	hub_close(dst);
	dst = NULL;
	/* The pages carry the hub's WAL mark: make the copy standalone (this
	 * connection sees WAL, checkpoints nothing, and rewrites the mark). */
	if (status == 0)
		status = hub_connect(&dst, tmp, NULL, SQLITE_OPEN_READWRITE, err);
	if (status == 0)
		status = hub_exec(dst, "PRAGMA journal_mode = DELETE",
				  "making the copy standalone", err);
	if (status == 0) {
		journal_mode(dst, mode, sizeof mode);
		if (strcmp(mode, "delete") != 0)
			status = md_fail(err, EX_SOFTWARE, "%s: the copy stayed in "
					 "journal mode %s", tmp, mode);
	}
	hub_close(dst);
	return status;
}

/* Encrypt the checked plain copy into a new file, its fd into *out. */
static int copy_encrypt(const char *plain, const char *aged, mode_t mode,
			gid_t gid, const char *recipient, struct md_error *err)
{
	int in = open(plain, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return md_fail(err, EX_IOERR, "%s: %s", plain, strerror(errno));
	int out = create_private(aged, mode, gid, err);
	if (out < 0) {
		close(in);
		return err->code;
	}
	char *argv[] = { "age", "--encrypt", "--recipient", (char *)recipient, NULL };
	int status = backup_run_age(argv, in, out, EX_DATAERR, err);
	if (status == EX_DATAERR) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		md_fail(err, EX_DATAERR, "--encrypt %.80s: %s", recipient, why);
	}
	if (status == 0 && fsync(out) != 0)
		status = md_fail(err, EX_IOERR, "%s: %s", aged, strerror(errno));
	close(in);
	close(out);
	return status;
}

/* Put tmp at name, never replacing a file there: link(2), or on a
 * filesystem without hard links, a check and rename(2).  0 or -1 (errno). */
static int place_new(const char *tmp, const char *name)
{
	if (link(tmp, name) == 0)
		return 0;
	if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP &&
	    errno != EMLINK)
		return -1;
	struct stat sb;
	if (lstat(name, &sb) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(tmp, name);
}

/* Link tmp to its final name: o->path (rename over it when replace), or
 * the first free name of the time in o->dir. */
static int copy_place(const char *tmp, const struct hub_backup_opts *o,
		      const char *slug, long long t, int encrypted,
		      char *final, size_t len, struct md_error *err)
{
	if (o->path) {
		snprintf(final, len, "%s", o->path);
		if (o->replace ? rename(tmp, final) == 0 : place_new(tmp, final) == 0)
			return 0;
		return md_fail(err, errno == EEXIST ? EX_CANTCREAT : EX_IOERR,
			       "%s: %s", final, errno == EEXIST ? "already exists "
			       "(it appeared while the copy was being taken); "
			       "nothing was replaced" : strerror(errno));
	}
	for (int seq = 1; seq < 100; seq++) {
		char name[NAME_MAX + 1];
		if (backup_copy_name(name, sizeof name, slug, t, seq, encrypted) != 0 ||
		    snprintf(final, len, "%s/%s", o->dir, name) >= (int)len)
			return md_fail(err, EX_USAGE, "%s: path too long", o->dir);
		if (place_new(tmp, final) == 0)
			return 0;
		if (errno != EEXIST)
			return md_fail(err, EX_IOERR, "%s: %s", final, strerror(errno));
	}
	return md_fail(err, EX_CANTCREAT, "%s: 99 copies taken in one second "
		       "already", o->dir);
}

static int backup_audit(struct hub *hub, const char *final,
			const struct hub_backup_result *r, const char *recipient,
			struct md_error *err)
{
	char detail[PATH_MAX + 200];
	if (r->info.pg_dump)
		snprintf(detail, sizeof detail, "dumped the hub to %s with pg_dump "
			 "(checked%s)", final, recipient ? ", encrypted with age" : "");
	else
		snprintf(detail, sizeof detail, "copied the hub to %s (%lld pages, "
			 "checked%s)", final, r->pages, recipient
			 ? ", encrypted with age" : "");
	int status = hub_begin(hub, err);
	if (status == 0)
		status = hub_audit_append(hub, hub->me.login, "backup", 0, detail, err);
	return hub_end(hub, status, err);
}

int hub_backup(struct hub *hub, const struct hub_backup_opts *o,
	       struct hub_backup_result *r, struct md_error *err)
{
	memset(r, 0, sizeof *r);
	int status = hub_permit(hub, HUB_ACT_BACKUP, err);
	if (status)
		return status;
	if (!o->path == !o->dir)
		return md_fail(err, EX_USAGE, "a backup needs a file or a directory");
	/* The copy's mode: the hub file's; a dump of a PostgreSQL hub has
	 * none to follow: the owner's and, to read, the directory's group. */
	int pg = hub->engine == HUB_POSTGRES;
	struct stat hs = { .st_mode = 0640, .st_gid = (gid_t)-1 };
	if (!pg && stat(hub->path, &hs) != 0)
		return md_fail(err, EX_IOERR, "%s: %s", hub->path, strerror(errno));
	/* Where it goes and what it is called until it is done. */
	long long t = clock_now();
	char slug[64], final[PATH_MAX], plain[PATH_MAX], aged[PATH_MAX];
	const char *dir = o->dir;
	char dirbuf[PATH_MAX];
	backup_slug(slug, sizeof slug, hub->name);
	if (o->path) {
		snprintf(final, sizeof final, "%s", o->path);
		snprintf(dirbuf, sizeof dirbuf, "%s", o->path);
		char *slash = strrchr(dirbuf, '/');
		if (!slash)
			snprintf(dirbuf, sizeof dirbuf, ".");
		else
			slash[slash == dirbuf] = '\0';
		dir = dirbuf;
		struct stat fs;
		if (stat(final, &fs) == 0 && S_ISDIR(fs.st_mode))
			return md_fail(err, EX_USAGE, "%s is a directory (a copy "
				       "into a directory, named by time: --dir %s)",
				       final, final);
		if (!o->replace && lstat(final, &fs) == 0)
			return md_fail(err, EX_CANTCREAT, "%s already exists; "
				       "refusing to overwrite it (--force replaces "
				       "it)", final);
	} else {
		char name[NAME_MAX + 1];
		if (backup_copy_name(name, sizeof name, slug, t, 1,
				     o->recipient != NULL) != 0 ||
		    snprintf(final, sizeof final, "%s/%s", o->dir, name) >= (int)sizeof final)
			return md_fail(err, EX_USAGE, "%s: path too long", o->dir);
	}
	struct stat ds;
	if (stat(dir, &ds) != 0 || !S_ISDIR(ds.st_mode))
		return md_fail(err, EX_CANTCREAT, "cannot write a copy to %s: %s",
			       dir, errno && !S_ISDIR(ds.st_mode) && errno != ENOENT
			       ? strerror(errno) : "no such directory");
	if (!pg && samefile_hub(&hs, hub->path, final))
		return md_fail(err, EX_USAGE, "%s is the hub itself", final);
	if (backup_partial_name(plain, sizeof plain, final, (long)getpid()) != 0 ||
	    snprintf(aged, sizeof aged, "%s-age", plain) >= (int)sizeof aged)
		return md_fail(err, EX_USAGE, "%s: path too long", final);
	if (o->recipient) {	/* a recipient age refuses: say so before the copy */
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
		char *argv[] = { "age", "--encrypt", "--recipient",
				 (char *)o->recipient, NULL };
		status = in < 0 || out < 0
			? md_fail(err, EX_OSERR, "/dev/null: %s", strerror(errno))
			: backup_run_age(argv, in, out, EX_DATAERR, err);
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		if (status == EX_DATAERR) {
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err->msg);
			md_fail(err, EX_DATAERR, "--encrypt %.80s: %s", o->recipient, why);
		}
		if (status)
			return status;
	}
	{	/* litter of killed runs: this name's, or the whole directory's */
		const char *base = strrchr(final, '/');
		backup_clean_stale(dir, o->path ? (base ? base + 1 : final) : NULL);
	}
	struct sigaction old[TMP_NSIGS];
	tmp_set(0, plain);
	if (o->recipient)
		tmp_set(1, aged);
	tmp_guard(old);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int fd = create_private(plain, hs.st_mode, hs.st_gid, err);
	status = fd < 0 ? err->code : 0;
	if (status == 0)
		status = pg ? pg_dump_into(hub, o, fd, r, err)
			    : copy_pages(hub, plain, fd, o, r, err);
	if (status == 0 && fsync(fd) != 0)
		status = md_fail(err, EX_IOERR, "%s: %s", plain, strerror(errno));
	if (fd >= 0)
		close(fd);
	r->copy_seconds = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (status == 0 && (status = copy_check_plain(plain, &hub->cfg, &r->info, err)))
		reword(err, status, "the copy failed its check, and was removed: ", "");
	r->check_seconds = seconds_since(&t0);
	const char *done = plain;
	if (status == 0 && o->recipient) {
		status = copy_encrypt(plain, aged, hs.st_mode, hs.st_gid, o->recipient, err);
		tmp_unlink(0);      /* the plain copy goes either way */
		done = aged;
		r->info.encrypted = 1;
	}
	if (status == 0)
		status = copy_place(done, o, slug, t, o->recipient != NULL, final,
				    sizeof final, err);
	tmp_unlink(0);
	tmp_unlink(1);
	if (status == 0) {
		backup_sync_dir(final);
		snprintf(r->path, sizeof r->path, "%s", final);
		if ((status = backup_audit(hub, final, r, o->recipient, err)) != 0)
			unlink(final);   /* no copy without its audit entry */
	}
	if (status == 0 && o->dir && o->keep > 0 &&
	    (status = backup_prune(o->dir, slug, o->keep, &r->pruned, err))) {
		char before[PATH_MAX + 40];
		snprintf(before, sizeof before, "the copy %s is taken, but ", final);
		reword(err, status, before, "");
	}
	tmp_unguard(old);
	tmp_forget();
	return status;
}

/* ---- restoring --------------------------------------------------------------- */

static int copy_bytes(const char *from, int in, int out, const char *to,
		      struct md_error *err)
{
	char buf[1 << 16];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return md_fail(err, EX_IOERR, "%s: %s", from, strerror(errno));
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return md_fail(err, EX_IOERR, "%s: %s", to, strerror(errno));
			off += w;
		}
	}
}

/* The restored file as a hub: schema brought up to date, journal mode
 * set as for any hub here, and the restore in its audit log. */
static int restore_open(const char *tmp, const char *copy, const char *to,
			const struct config *cfg, const struct hub_restore_opts *o,
			const struct hub_copy_info *info, struct md_error *err)
{
	struct hub *h = NULL;
	int status = hub_open(&h, tmp, cfg, err);
	if (status == 0) {
		char detail[2 * PATH_MAX + 200];
		snprintf(detail, sizeof detail, "restored from %s to %s (the copy's "
			 "audit head %lld:%s)", copy, to, info->audit_id,
			 info->audit_hash);
		status = hub_begin(h, err);
		if (status == 0)
			status = hub_audit_append(h, o->login, "restore", 0, detail, err);
		status = hub_end(h, status, err);
	}
	hub_close(h);
	return status;
}

/* restore of a pg_dump archive (age-encrypted or not) to a postgresql://
 * address: see pg_restore_into. */
static int hub_restore_pg(const char *copy, const char *to,
			  const struct config *cfg,
			  const struct hub_restore_opts *o,
			  struct hub_copy_info *info, struct md_error *err)
{
	if (o->group)
		return md_fail(err, EX_USAGE, "--group names the Unix group of a "
			       "hub file; a database's rights are the server's roles");
	int age = 0, fd = -1, guarded = 0;
	int status = copy_is_age(copy, &age, err);
	if (status)
		return status;
	if (age && !o->identity)
		return md_fail(err, EX_USAGE, "%s is encrypted with age: give the "
			       "private key with --identity KEYFILE", copy);
	char plain[PATH_MAX];
	struct sigaction old[TMP_NSIGS];
	if (age) {
		if (backup_partial_name(plain, sizeof plain, copy, (long)getpid()))
			return md_fail(err, EX_USAGE, "%s: path too long", copy);
		tmp_set(0, plain);
		tmp_guard(old);
		guarded = 1;
		int in = open(copy, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		status = in < 0 ? md_fail(err, EX_NOINPUT, "%s: %s", copy,
					  strerror(errno))
				: copy_decrypt(copy, in, o->identity, plain, err);
		if (in >= 0)
			close(in);
		if (status == 0 && (fd = open(plain, O_RDONLY | O_CLOEXEC)) < 0)
			status = md_fail(err, EX_IOERR, "%s: %s", plain, strerror(errno));
	} else if ((fd = open(copy, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		status = md_fail(err, errno == EACCES ? EX_NOPERM : EX_NOINPUT,
				 "%s: %s", copy, strerror(errno));
	}
	struct stat sb;
	if (status == 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)))
		status = md_fail(err, EX_DATAERR, "%s: not a regular file", copy);
	else if (status == 0 && !is_pg_dump(fd))
		status = md_fail(err, EX_DATAERR, "%s is a copy of a SQLite hub, "
				 "not a pg_dump archive: it restores to a file "
				 "(--to PATH)", copy);
	else if (status == 0) {
		info->bytes = (long long)sb.st_size;
		status = dump_check(copy, fd, info, err);
	}
	if (status == 0)
		status = pg_restore_into(copy, fd, to, cfg, o, info, err);
	info->encrypted = age;
	if (fd >= 0)
		close(fd);
	if (guarded) {
		tmp_unlink(0);
		tmp_unguard(old);
		tmp_forget();
	}
	return status;
}

int hub_restore(const char *copy, const char *to, const struct config *cfg,
		const struct hub_restore_opts *o, struct hub_copy_info *info,
		struct md_error *err)
{
	memset(info, 0, sizeof *info);
	if (hub_is_url(to))
		return hub_restore_pg(copy, to, cfg, o, info, err);
	struct stat sb;
	if (lstat(to, &sb) == 0)
		return md_fail(err, EX_CANTCREAT, "%s already exists; refusing to "
			       "overwrite it (restore to a new path; see "
			       "mashdesk(1), BACKUP AND RESTORE)", to);
	char dir[PATH_MAX], tmp[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", to);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		slash[slash == dir] = '\0';
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return md_fail(err, EX_CANTCREAT, "cannot create %s: directory %s "
			       "does not exist", to, dir);
	int age = 0;
	int status = copy_is_age(copy, &age, err);
	if (status)
		return status;
	if (age && !o->identity)
		return md_fail(err, EX_USAGE, "%s is encrypted with age: give the "
			       "private key with --identity KEYFILE", copy);
	gid_t gid = (gid_t)-1;
	if (o->group) {
		struct group *g = getgrnam(o->group);
		if (!g)
			return md_fail(err, EX_DATAERR, "--group: no Unix group '%s'",
				       o->group);
		gid = g->gr_gid;
	}
	if (backup_partial_name(tmp, sizeof tmp, to, (long)getpid()) != 0)
		return md_fail(err, EX_USAGE, "%s: path too long", to);
	const char *base = strrchr(to, '/');
	backup_clean_stale(dir, base ? base + 1 : to);
	struct sigaction old[TMP_NSIGS];
	tmp_set(0, tmp);
	tmp_guard(old);
	mode_t mask = umask(0);
	umask(mask);
	/* As init makes a hub: the group's, 0660; else 0660 less the umask. */
	int out = create_private(tmp, gid != (gid_t)-1 ? 0660 : 0660 & ~mask,
				 gid, err);
	status = out < 0 ? err->code : 0;
	if (status == 0 && gid != (gid_t)-1 &&
	    (fstat(out, &sb) != 0 || sb.st_gid != gid))
		status = md_fail(err, EX_NOPERM, "cannot give %s to group %s (you "
				 "must be a member of it)", to, o->group);
	int in = status ? -1 : open(copy, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (status == 0 && in < 0)
		status = md_fail(err, EX_NOINPUT, "%s: %s", copy, strerror(errno));
	if (status == 0 && age) {
		char *argv[] = { "age", "--decrypt", "--identity", (char *)o->identity, NULL };
		if ((status = backup_run_age(argv, in, out, EX_DATAERR, err)) == EX_DATAERR) {
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err->msg);
			md_fail(err, EX_DATAERR, "%s: cannot decrypt it with %s (%s)",
				copy, o->identity, why);
		}
	} else if (status == 0) {
		status = copy_bytes(copy, in, out, to, err);
	}
	if (status == 0 && fsync(out) != 0)
		status = md_fail(err, EX_IOERR, "%s: %s", to, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	/* What is restored is what was checked: the file written here. */
	if (status == 0 && (status = copy_check_plain(tmp, cfg, info, err)) != 0) {
		char why[sizeof err->msg];
		const char *m = strstr(err->msg, tmp);
		snprintf(why, sizeof why, "%s", m ? m + strlen(tmp) : err->msg);
		md_fail(err, status, "%s%s; nothing was restored", copy, why);
	}
	if (status == 0 && info->pg_dump)
		status = md_fail(err, EX_DATAERR, "%s is a pg_dump archive of a "
				 "PostgreSQL hub: it restores to an empty database "
				 "(--to postgresql://...)", copy);
	info->encrypted = age;
	if (status == 0)
		status = restore_open(tmp, copy, to, cfg, o, info, err);
	if (status == 0 && place_new(tmp, to) != 0)
		status = md_fail(err, errno == EEXIST ? EX_CANTCREAT : EX_IOERR,
				 "%s: %s", to, errno == EEXIST ? "a file appeared "
				 "there while the copy was being restored; it was "
				 "left alone" : strerror(errno));
	tmp_unlink(0);
	if (status == 0)
		backup_sync_dir(to);
	tmp_unguard(old);
	tmp_forget();
	return status;
}
