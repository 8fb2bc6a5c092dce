/* hub_db.c - the connection's discipline: the bottom of the data layer.
 *
 * Connection discipline (engineering.md): WAL on a local disk, rollback
 * journal on a network filesystem where WAL cannot work, synchronous=FULL,
 * foreign keys on, a busy timeout, BEGIN IMMEDIATE for every write, and
 * every statement reset after use so no reader pins the WAL.
 *
 * Calls nothing else of the data layer (see hub_db.h). */
#include "hub_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#include "mashdesk/hub.h"
#include "mashdesk/text.h"

/* ---- statements --------------------------------------------------------- */

sqlite3_stmt *hub_stmt(struct hub *hub, const char *sql, struct md_error *err)
{
	for (int i = 0; i < hub->ncache; i++)
		if (hub->cache[i].sql == sql)
			return hub->cache[i].stmt;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(hub->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    &st, NULL);
	if (rc != SQLITE_OK) {
		hub_sql_fail(hub, rc, "preparing a query", err);
		return NULL;
	}
	if (hub->ncache < HUB_STMT_CACHE) {
		hub->cache[hub->ncache].sql = sql;
		hub->cache[hub->ncache].stmt = st;
		hub->ncache++;
	} else {
		/* The cache is sized above the number of distinct queries; if
		 * it ever fills, leak nothing: evict the oldest. */
		sqlite3_finalize(hub->cache[0].stmt);
		memmove(hub->cache, hub->cache + 1,
			sizeof hub->cache[0] * (HUB_STMT_CACHE - 1));
		hub->cache[HUB_STMT_CACHE - 1].sql = sql;
		hub->cache[HUB_STMT_CACHE - 1].stmt = st;
	}
	return st;
}

void hub_reset(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

/* SQLITE_STATIC: no copy.  Safe because every statement is stepped and
 * then reset (which clears its bindings) while the caller's text is alive. */
void hub_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void hub_bind_opt_int(sqlite3_stmt *st, int i, long long v, int is_set)
{
	if (is_set)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void hub_col_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

/* 1 when the filesystem holding path has no room left: SQLite reports a
 * full disk as SQLITE_FULL, or as an I/O error when it strikes while
 * growing the WAL's shared-memory file. */
static int hub_disk_full(const char *path)
{
	struct statvfs sv;
	return path && *path && statvfs(path, &sv) == 0 && sv.f_bavail == 0;
}

int hub_sql_fail(struct hub *hub, int rc, const char *doing,
		 struct md_error *err)
{
	const char *what = hub && hub->db ? sqlite3_errmsg(hub->db)
					  : sqlite3_errstr(rc);
	const char *path = hub ? hub->path : "";
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return md_fail(err, EX_TEMPFAIL,
			       "%s: the hub is busy with another user's save "
			       "(waited %d ms) while %s; try again", path,
			       hub ? hub->cfg.busy_timeout_ms : 0, doing);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return md_fail(err, EX_NOPERM,
			       "%s: cannot write to the hub (%s) while %s",
			       path, what, doing);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return md_fail(err, EX_DATAERR,
			       "%s: not a mashdesk hub, or damaged (%s)",
			       path, what);
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
		if ((rc & 0xff) == SQLITE_FULL || hub_disk_full(path))
			return md_fail(err, EX_IOERR, "%s: the disk is full while "
				       "%s; nothing was saved: free some space "
				       "and try again", path, doing);
		return md_fail(err, EX_IOERR, "%s: %s while %s", path, what,
			       doing);
	case SQLITE_CONSTRAINT:
		return md_fail(err, EX_DATAERR, "%s refused by the hub: %s",
			       doing, what);
	default:
		return md_fail(err, EX_SOFTWARE, "%s: %s while %s", path,
			       what, doing);
	}
}

int hub_step_done(struct hub *hub, sqlite3_stmt *st, const char *doing,
		  struct md_error *err)
{
	int rc = sqlite3_step(st);
	int status = 0;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = hub_sql_fail(hub, rc, doing, err);
	hub_reset(st);
	return status;
}

int hub_user_version(struct hub *hub, int *version, struct md_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return hub_sql_fail(hub, rc, "reading the schema version", err);
	return 0;
}

/* ---- transactions ------------------------------------------------------- */

int hub_exec(struct hub *hub, const char *sql, const char *doing,
	     struct md_error *err)
{
	int rc = sqlite3_exec(hub->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : hub_sql_fail(hub, rc, doing, err);
}

int hub_begin(struct hub *hub, struct md_error *err)
{
	if (hub->in_tx)
		return md_fail(err, EX_SOFTWARE, "nested transaction");
	int status = hub_exec(hub, "BEGIN IMMEDIATE", "starting a save", err);
	if (status == 0)
		hub->in_tx = 1;
	return status;
}

int hub_end(struct hub *hub, int status, struct md_error *err)
{
	if (!hub->in_tx)
		return status;
	hub->in_tx = 0;
	if (status == 0) {
		status = hub_exec(hub, "COMMIT", "saving", err);
		if (status == 0) {
			hub->own_commit = 1;    /* news for hub_poll_changes */
			return 0;
		}
	}
	/* A failed COMMIT may leave the transaction open: always roll back,
	 * keeping the first error's message. */
	sqlite3_exec(hub->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

/* ---- connections ---------------------------------------------------------- */

void hub_library_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Filesystems where WAL's shared memory cannot work across hosts. */
int hub_fs_is_network(long type)
{
	static const long network[] = {
		0x6969,     /* NFS */
		0xFF534D42, /* CIFS */
		0xFE534D42, /* SMB2 */
		0x517B,     /* SMB */
		0x65735546, /* FUSE (sshfs and friends) */
		0x5346414F, /* AFS */
		0x47504653, /* GPFS */
		0x00C36400, /* Ceph */
		0x6B414653, /* kAFS */
	};
	for (size_t i = 0; i < sizeof network / sizeof network[0]; i++)
		if ((unsigned long)type == (unsigned long)network[i])
			return 1;
	return 0;
}

static int hub_on_network_fs(const char *path)
{
	struct statfs sf;
	return statfs(path, &sf) == 0 && hub_fs_is_network((long)sf.f_type);
}

/* Like SQLite's busy timeout, but counting (each call is one wait for
 * another writer, which the benchmark reports) and with short steps: write
 * transactions here last a millisecond or two, and SQLite's own ladder up
 * to 100 ms made the slowest saves wait far longer than the lock was held
 * (p99 430 ms with 128 writers, against 100 ms wanted).  Gives up after
 * [database] busy_timeout_ms. */
static int hub_busy_wait(void *arg, int count)
{
	static const int delays[] = { 1, 1, 1, 2, 2, 2, 3 };
	struct hub *hub = arg;
	int n = (int)(sizeof delays / sizeof delays[0]);
	long long waited = 0;
	for (int i = 0; i < count; i++)
		waited += delays[i < n ? i : n - 1];
	if (waited >= hub->cfg.busy_timeout_ms)
		return 0;
	int ms = delays[count < n ? count : n - 1];
	if (waited + ms > hub->cfg.busy_timeout_ms)
		ms = (int)(hub->cfg.busy_timeout_ms - waited);
	hub->busy_waits++;
	sqlite3_sleep(ms);
	return 1;
}

long long hub_busy_waits(const struct hub *hub)
{
	return hub->busy_waits;
}

static int hub_pragmas(struct hub *hub, struct md_error *err)
{
	sqlite3_busy_handler(hub->db, hub_busy_wait, hub);
	int status = hub_exec(hub, "PRAGMA foreign_keys = ON", "setting up", err);
	/* Statement journals in memory: on disk they cost a write per page
	 * per statement inside every transaction. */
	if (status == 0)
		status = hub_exec(hub, "PRAGMA temp_store = MEMORY", "setting up", err);
	if (status == 0)
		status = hub_exec(hub, "PRAGMA synchronous = FULL",
				  "setting up", err);
	/* 512 KB of page cache, not SQLite's 2 MB: the desk reads one page
	 * of the queue at a time, the OS caches the file anyway, and each
	 * desk should stay under 8 MB resident (./quickstart bench).  Bulk
	 * loads set their own. */
	if (status == 0)
		status = hub_exec(hub, "PRAGMA cache_size = -512",
				  "setting up", err);
	return status;
}

/* Only called once the file is known to be a hub: setting the journal
 * mode writes to the file, and a refused file must be left as it was. */
int hub_set_journal(struct hub *hub, struct md_error *err)
{
	const char *want = hub_on_network_fs(hub->path) ? "delete" : "wal";
	char have[16] = "";
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, "PRAGMA journal_mode", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		hub_col_text(st, 0, have, sizeof have);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return hub_sql_fail(hub, rc, "reading the journal mode", err);
	if (strcmp(have, want) == 0)
		return 0;
	return hub_exec(hub, strcmp(want, "wal") == 0
			? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE",
			"setting the journal mode", err);
}

/* md_normalise(text): text_normalise in SQL, so a migration or a query
 * can match names the way the C code keys them (name_key, alias_key). */
static void sql_normalise(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[1024];
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	text_normalise(key, sizeof key, (const char *)sqlite3_value_text(argv[0]));
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

int hub_connect(struct hub **out, const char *path, const struct config *cfg,
		int flags, struct md_error *err)
{
	struct hub *hub = calloc(1, sizeof *hub);
	if (!hub)
		return md_fail(err, EX_OSERR, "out of memory");
	snprintf(hub->path, sizeof hub->path, "%s", path);
	if (cfg)
		hub->cfg = *cfg;
	else
		config_defaults(&hub->cfg);
	int rc = sqlite3_open_v2(path, &hub->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		int status = hub_sql_fail(hub, rc, "opening the hub", err);
		hub_close(hub);
		return status;
	}
	sqlite3_extended_result_codes(hub->db, 1);
	rc = sqlite3_create_function_v2(hub->db, "md_normalise", 1,
					SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					SQLITE_INNOCUOUS, NULL, sql_normalise,
					NULL, NULL, NULL);
	int status = rc == SQLITE_OK ? hub_pragmas(hub, err)
				     : hub_sql_fail(hub, rc, "opening the hub", err);
	if (status) {
		hub_close(hub);
		return status;
	}
	*out = hub;
	return 0;
}

int hub_open_scratch(struct hub **out, const char *path,
		     const struct config *cfg, struct md_error *err)
{
	*out = NULL;
	int status = hub_connect(out, path, cfg, SQLITE_OPEN_READWRITE |
				 SQLITE_OPEN_CREATE, err);
	if (status == 0 && sqlite3_exec((*out)->db, "PRAGMA foreign_keys = OFF;"
					"PRAGMA locking_mode = EXCLUSIVE;"
					"PRAGMA journal_mode = OFF;"
					"PRAGMA synchronous = OFF;"
					"PRAGMA cache_size = -131072", NULL, NULL,
					NULL) != SQLITE_OK)
		status = hub_sql_fail(*out, sqlite3_errcode((*out)->db),
				      "preparing a scratch file", err);
	if (status == 0)
		(*out)->have_me = 1;   /* acts only through the bulk loader */
	else if (*out) {
		hub_close(*out);
		*out = NULL;
	}
	return status;
}

void hub_close(struct hub *hub)
{
	if (!hub)
		return;
	for (int i = 0; i < hub->ncache; i++)
		sqlite3_finalize(hub->cache[i].stmt);
	if (hub->db)
		sqlite3_close(hub->db);
	free(hub->bulk);
	free(hub);
}

