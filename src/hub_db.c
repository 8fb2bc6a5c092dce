/* hub_db.c - the connection's discipline: the bottom of the data layer.
 *
 * Connection discipline (engineering.md): WAL on a local disk, rollback
 * journal on a network filesystem where WAL cannot work, synchronous=FULL,
 * foreign keys on, a busy timeout, BEGIN IMMEDIATE for every write, and
 * every statement reset after use so no reader pins the WAL.
 *
 * Calls nothing else of the data layer (see hub_db.h). */
#include "hub_db.h"
#include "hub_db_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <time.h>

#include "mashdesk/hub.h"
#include "mashdesk/clock.h"
#include "mashdesk/text.h"

/* ---- statements --------------------------------------------------------- */

/* A statement of either engine; exactly one of the two is set.  Every
 * call below dispatches on it: the only place the data layer above tells
 * the engines apart for statements.
 *
 * On PostgreSQL a statement can outlive its connection: callers keep a
 * struct db_stmt (the cache's, or one of hub_prepare's between calls),
 * and a new connection after a lost one gives each its pg side anew
 * (pg_reconnect).  For that it keeps its SQL (the cache's static text, or
 * a copy) and sits on the hub's list of live statements; busy means bound
 * or stepped and not yet reset: such a statement is in flight, and no
 * connection is swapped under it. */
struct db_stmt {
	struct hub *hub;
	sqlite3_stmt *lite;
	struct pg_stmt *pg;
	const char *sql;
	char *own;
	struct db_stmt *prev, *next;
	int busy;
};

static void pg_reconnect(struct hub *hub, int force, int top);

static int stmt_new(struct hub *hub, const char *sql, unsigned flags,
		    struct db_stmt **out, struct md_error *err)
{
	struct db_stmt *st = calloc(1, sizeof *st);
	if (!st)
		return md_fail(err, EX_OSERR, "out of memory");
	st->hub = hub;
	if (hub->pg) {
		/* The cache's text is static; anything else is copied. */
		st->sql = (flags & SQLITE_PREPARE_PERSISTENT) ? sql
			  : (st->own = strdup(sql));
		if (!st->sql) {
			free(st);
			return md_fail(err, EX_OSERR, "out of memory");
		}
	}
	int rc = hub->pg ? pg_prepare(hub->pg, sql, &st->pg)
			 : sqlite3_prepare_v3(hub->db, sql, -1, flags, &st->lite, NULL);
	if (rc != SQLITE_OK) {
		free(st->own);
		free(st);
		return hub_sql_fail(hub, rc, "preparing a query", err);
	}
	if (hub->pg) {
		st->next = hub->live;
		if (hub->live)
			hub->live->prev = st;
		hub->live = st;
	}
	*out = st;
	return 0;
}

struct db_stmt *hub_stmt(struct hub *hub, const char *sql, struct md_error *err)
{
	if (hub->pg && !hub->in_tx && !hub->in_read)
		pg_reconnect(hub, 0, 0);
	for (int i = 0; i < hub->ncache; i++)
		if (hub->cache[i].sql == sql)
			return hub->cache[i].stmt;
	struct db_stmt *st = NULL;
	if (stmt_new(hub, sql, SQLITE_PREPARE_PERSISTENT, &st, err))
		return NULL;
	if (hub->ncache < HUB_STMT_CACHE) {
		hub->cache[hub->ncache].sql = sql;
		hub->cache[hub->ncache].stmt = st;
		hub->ncache++;
	} else {
		/* The cache is sized above the number of distinct queries; if
		 * it ever fills, leak nothing: evict the oldest. */
		db_finalize(hub->cache[0].stmt);
		memmove(hub->cache, hub->cache + 1,
			sizeof hub->cache[0] * (HUB_STMT_CACHE - 1));
		hub->cache[HUB_STMT_CACHE - 1].sql = sql;
		hub->cache[HUB_STMT_CACHE - 1].stmt = st;
	}
	return st;
}

int hub_prepare(struct hub *hub, const char *sql, struct db_stmt **out,
		struct md_error *err)
{
	*out = NULL;
	if (hub->pg && !hub->in_tx && !hub->in_read)
		pg_reconnect(hub, 0, 0);
	return stmt_new(hub, sql, 0, out, err);
}

void db_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	if (st->pg) {
		pg_finalize(st->pg);
		if (st->prev)
			st->prev->next = st->next;
		else if (st->hub->live == st)
			st->hub->live = st->next;
		if (st->next)
			st->next->prev = st->prev;
	} else {
		sqlite3_finalize(st->lite);
	}
	free(st->own);
	free(st);
}

void hub_reset(struct db_stmt *st)
{
	if (st)
		st->busy = 0;
	if (st && st->pg) {
		pg_reset(st->pg);
		pg_clear_bindings(st->pg);
	} else if (st) {
		sqlite3_reset(st->lite);
		sqlite3_clear_bindings(st->lite);
	}
}

void db_bind_int64(struct db_stmt *st, int i, long long v)
{
	st->busy = 1;
	if (st->pg)
		pg_bind_int64(st->pg, i, v);
	else
		sqlite3_bind_int64(st->lite, i, v);
}

void db_bind_double(struct db_stmt *st, int i, double v)
{
	st->busy = 1;
	if (st->pg)
		pg_bind_double(st->pg, i, v);
	else
		sqlite3_bind_double(st->lite, i, v);
}

void db_bind_text(struct db_stmt *st, int i, const char *s)
{
	st->busy = 1;
	if (st->pg)
		pg_bind_text(st->pg, i, s);
	else
		sqlite3_bind_text(st->lite, i, s, -1, SQLITE_TRANSIENT);
}

void db_bind_null(struct db_stmt *st, int i)
{
	st->busy = 1;
	if (st->pg)
		pg_bind_null(st->pg, i);
	else
		sqlite3_bind_null(st->lite, i);
}

/* SQLITE_STATIC: no copy.  Safe because every statement is stepped and
 * then reset (which clears its bindings) while the caller's text is alive. */
void hub_bind_text(struct db_stmt *st, int i, const char *s)
{
	st->busy = 1;
	if (s && *s && st->pg)
		pg_bind_text(st->pg, i, s);
	else if (s && *s)
		sqlite3_bind_text(st->lite, i, s, -1, SQLITE_STATIC);
	else
		db_bind_null(st, i);
}

void hub_bind_opt_int(struct db_stmt *st, int i, long long v, int is_set)
{
	if (is_set)
		db_bind_int64(st, i, v);
	else
		db_bind_null(st, i);
}

int db_step(struct db_stmt *st)
{
	st->busy = 1;
	return st->pg ? pg_step(st->pg) : sqlite3_step(st->lite);
}

int db_column_type(struct db_stmt *st, int col)
{
	return st->pg ? pg_column_type(st->pg, col)
		      : sqlite3_column_type(st->lite, col);
}

long long db_column_int64(struct db_stmt *st, int col)
{
	return st->pg ? pg_column_int64(st->pg, col)
		      : sqlite3_column_int64(st->lite, col);
}

int db_column_int(struct db_stmt *st, int col)
{
	return (int)db_column_int64(st, col);
}

double db_column_double(struct db_stmt *st, int col)
{
	return st->pg ? pg_column_double(st->pg, col)
		      : sqlite3_column_double(st->lite, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
	return st->pg ? pg_column_text(st->pg, col)
		      : (const char *)sqlite3_column_text(st->lite, col);
}

int db_column_bytes(struct db_stmt *st, int col)
{
	return st->pg ? pg_column_bytes(st->pg, col)
		      : sqlite3_column_bytes(st->lite, col);
}

void hub_col_text(struct db_stmt *st, int col, char *buf, size_t len)
{
	const char *t = db_column_text(st, col);
	snprintf(buf, len, "%s", t ? t : "");
}

long long hub_changes(struct hub *hub)
{
	return hub->pg ? pg_changes(hub->pg) : sqlite3_changes64(hub->db);
}

const char *hub_errmsg(struct hub *hub)
{
	return hub->pg ? pg_errmsg(hub->pg) : sqlite3_errmsg(hub->db);
}

/* ---- a lost PostgreSQL connection -------------------------------------- */

/* libpq follows a multi-host address (target_session_attrs=read-write)
 * only when it makes a new connection, so after a failover or a restart
 * the data layer makes one, at a point where nothing is in flight (see
 * hub_data_version in hub_db.h).  hub_connection_news tells the desk. */

static long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000 + 1;   /* never 0 */
}

static void pg_note_lost(struct hub *hub)
{
	if (hub->pg_lost_ms)
		return;
	hub->pg_lost_ms = mono_ms();
	hub->pg_retry_ms = 0;
	hub->pg_tries = 0;
	hub->pg_news = 1;
}

/* 1 when the connection is known to be gone (noting it the first time). */
static int pg_lost(struct hub *hub)
{
	if (!hub->pg)
		return 0;
	if (!hub->pg_lost_ms && !pg_alive(hub->pg))
		pg_note_lost(hub);
	return hub->pg_lost_ms != 0;
}

/* Give every live statement its pg side on pc: all prepared first, so
 * that running out of memory half way leaves the old ones as they were. */
static int pg_take_over(struct hub *hub, struct pg_conn *pc)
{
	size_t n = 0, i = 0;
	for (struct db_stmt *st = hub->live; st; st = st->next)
		n++;
	struct pg_stmt **fresh = calloc(n ? n : 1, sizeof *fresh);
	if (!fresh)
		return DB_NOMEM;
	int rc = DB_OK;
	for (struct db_stmt *st = hub->live; st && rc == DB_OK; st = st->next)
		rc = pg_prepare(pc, st->sql, &fresh[i++]);
	if (rc == DB_OK) {
		i = 0;
		for (struct db_stmt *st = hub->live; st; st = st->next) {
			pg_finalize(st->pg);    /* the old connection: nothing sent */
			st->pg = fresh[i++];
		}
	} else {
		while (i > 0)
			pg_finalize(fresh[--i]);
	}
	free(fresh);
	return rc;
}

/* One attempt to replace a lost connection, when it is safe: no
 * transaction open, no statement bound or stepped.  top: the caller is the
 * desk's own poll, outside everything, so a statement left busy is a
 * leftover and is reset.  force: a save asked for it; else only once the
 * pause since the last failed attempt is over. */
static void pg_reconnect(struct hub *hub, int force, int top)
{
	if (!pg_lost(hub) || hub->in_tx || hub->in_read || !hub->pg_url)
		return;
	for (struct db_stmt *st = hub->live; st; st = st->next) {
		if (st->busy && !top)
			return;
		if (st->busy)
			hub_reset(st);
	}
	if (!force && mono_ms() < hub->pg_retry_ms)
		return;
	struct pg_conn *pc = NULL;
	char msg[512];
	int rc = pg_connect(&pc, hub->pg_url, hub->cfg.busy_timeout_ms, msg,
			    sizeof msg);
	if (rc == DB_OK)
		rc = pg_take_over(hub, pc);
	long long now = mono_ms();
	if (rc != DB_OK) {
		pg_disconnect(pc);
		int step = hub->pg_tries < 3 ? hub->pg_tries : 3;
		hub->pg_tries++;
		hub->pg_retry_ms = now + (500LL << step);   /* 0.5 s .. 4 s */
		return;
	}
	pg_disconnect(hub->pg);
	hub->pg = pc;
	hub->pg_listening = 0;  /* hub_data_version listens, and moves */
	hub->pg_back_after_ms = now - hub->pg_lost_ms;
	hub->pg_down_ms += hub->pg_back_after_ms;
	hub->pg_reconnects++;
	hub->pg_lost_ms = 0;
	hub->pg_tries = 0;
	hub->pg_news = 2;
}

int hub_connection_news(struct hub *hub, char *msg, size_t len)
{
	int news = hub->pg_news;
	hub->pg_news = 0;
	if (news == 1)
		snprintf(msg, len, "connection to the hub lost; reconnecting\u2026");
	else if (news == 2)
		snprintf(msg, len, "reconnected to the hub after %lld s",
			 (hub->pg_back_after_ms + 500) / 1000);
	return news != 0;
}

int hub_connected(const struct hub *hub)
{
	return !hub->pg || (!hub->pg_lost_ms && pg_alive(hub->pg));
}

void hub_connection_stats(const struct hub *hub, long long *reconnects,
			  long long *down_ms)
{
	*reconnects = hub->pg_reconnects;
	*down_ms = hub->pg_down_ms +
		   (hub->pg_lost_ms ? mono_ms() - hub->pg_lost_ms : 0);
}

/* The sentence for a failure because the connection went: whether
 * anything was saved is what the person needs to know, so it comes first
 * (no address before it, what was being done last): a form's message
 * line at 80 columns shows that much.  The desk's status line says it is
 * reconnecting; a command's next run connects anew.  Only a COMMIT
 * whose answer never came may have saved (pg_writing 2, from hub_end). */
static int pg_lost_fail(struct hub *hub, const char *doing,
			struct md_error *err)
{
	pg_note_lost(hub);
	if (hub->pg_writing == 2)
		return md_fail(err, EX_TEMPFAIL, "connection to the hub lost at "
			       "the commit: it may or may not have been saved; "
			       "look, then try again in a moment (while %s)",
			       doing);
	return md_fail(err, EX_TEMPFAIL, "connection to the hub lost: nothing "
		       "was saved; try again in a moment (while %s)", doing);
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
	const char *what = hub && (hub->db || hub->pg) ? hub_errmsg(hub)
						       : sqlite3_errstr(rc);
	const char *path = hub ? hub->path : "";
	if (hub && hub->pg && (rc & 0xff) == DB_IOERR && !pg_alive(hub->pg))
		return pg_lost_fail(hub, doing, err);
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

int hub_step_done(struct hub *hub, struct db_stmt *st, const char *doing,
		  struct md_error *err)
{
	int rc = db_step(st);
	int status = 0;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = hub_sql_fail(hub, rc, doing, err);
	hub_reset(st);
	return status;
}

/* PostgreSQL has no user_version: a one-row table of mashdesk's own
 * (tests/pg/schema.sh lists it as a difference), made by the first
 * migration's transaction. */
static const char pg_version_sql[] =
	"SELECT CASE WHEN to_regclass('md_version') IS NULL THEN -1 ELSE 0 END";
static const char pg_version_read[] = "SELECT coalesce(max(version), 0) FROM md_version";

static int pg_user_version(struct hub *hub, int *version, struct md_error *err)
{
	*version = 0;
	struct db_stmt *st = hub_stmt(hub, pg_version_sql, err);
	if (!st)
		return err->code;
	int rc = db_step(st), missing = rc == DB_ROW && db_column_int(st, 0) < 0;
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the schema version", err);
	if (missing)
		return 0;
	if (!(st = hub_stmt(hub, pg_version_read, err)))
		return err->code;
	if ((rc = db_step(st)) == DB_ROW)
		*version = db_column_int(st, 0);
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading the schema version", err);
}

int hub_user_version(struct hub *hub, int *version, struct md_error *err)
{
	if (hub->pg)
		return pg_user_version(hub, version, err);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return hub_sql_fail(hub, rc, "reading the schema version", err);
	return 0;
}

int hub_set_version(struct hub *hub, int target, struct md_error *err)
{
	char sql[160];
	/* PRAGMA takes no bound parameters; target is our own integer. */
	if (hub->pg)
		snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS md_version"
			 " (version bigint NOT NULL); DELETE FROM md_version;"
			 " INSERT INTO md_version VALUES (%d)", target);
	else
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
	return hub_exec(hub, sql, "recording the schema version", err);
}

int hub_has_table(struct hub *hub, const char *name, int *n,
		  struct md_error *err)
{
	static const char lite_sql[] =
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
	static const char pg_sql[] =
		"SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
		" AND tablename = ?";
	struct db_stmt *st = hub_stmt(hub, hub->pg ? pg_sql : lite_sql, err);
	if (!st)
		return err->code;
	db_bind_text(st, 1, name);
	int rc = db_step(st);
	*n = rc == DB_ROW ? db_column_int(st, 0) : 0;
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading the schema", err);
}

int hub_is_url(const char *where)
{
	return where && (strncmp(where, "postgresql://", 13) == 0 ||
			 strncmp(where, "postgres://", 11) == 0);
}

int hub_sqlite_only(struct hub *hub, const char *what, struct md_error *err)
{
	if (hub->engine == HUB_SQLITE)
		return 0;
	return md_fail(err, EX_UNAVAILABLE, "%s: %s needs a SQLite hub; on "
		       "PostgreSQL use the server's own tools (see the README, "
		       "\"PostgreSQL\")", hub->path, what);
}

/* ---- transactions ------------------------------------------------------- */

int hub_exec(struct hub *hub, const char *sql, const char *doing,
	     struct md_error *err)
{
	int rc = hub->pg ? pg_exec(hub->pg, sql)
			 : sqlite3_exec(hub->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : hub_sql_fail(hub, rc, doing, err);
}

int hub_begin(struct hub *hub, struct md_error *err)
{
	if (hub->in_tx)
		return md_fail(err, EX_SOFTWARE, "nested transaction");
	if (hub->pg) {
		if (!hub->in_read)
			pg_reconnect(hub, 1, 0);
		hub->pg_writing = 1;
		if (hub->pg_lost_ms) {
			int status = pg_lost_fail(hub, "starting a save", err);
			hub->pg_writing = 0;
			return status;
		}
	}
	/* PostgreSQL: the writer's lock is an advisory lock, one per database
	 * (so per hub), held until COMMIT or ROLLBACK and bounded by the
	 * connection's lock_timeout, as SQLite's busy timeout bounds its wait. */
#define BEGIN_PG_(key) "BEGIN; SELECT pg_advisory_xact_lock(" #key ")"
#define BEGIN_PG(key) BEGIN_PG_(key)
	int status = hub_exec(hub, hub->pg ? BEGIN_PG(HUB_PG_WRITER_LOCK)
			      : "BEGIN IMMEDIATE", "starting a save", err);
	if (status && hub->pg) {
		pg_exec(hub->pg, "ROLLBACK");
		hub->pg_writing = 0;
	}
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
		/* A COMMIT lost on the way has an unknown outcome: say so. */
		if (hub->pg)
			hub->pg_writing = 2;
		status = hub_exec(hub, "COMMIT", "saving", err);
		hub->pg_writing = 0;
		if (status == 0) {
			hub->own_commit = 1;    /* news for hub_poll_changes */
			return 0;
		}
	}
	hub->pg_writing = 0;
	/* A failed COMMIT may leave the transaction open: always roll back,
	 * keeping the first error's message. */
	if (hub->pg)
		pg_exec(hub->pg, "ROLLBACK");
	else
		sqlite3_exec(hub->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

int hub_data_version(struct hub *hub, long long *version, struct md_error *err)
{
	if (hub->pg) {
		/* The desk's poll, outside everything: a safe point. */
		if (!hub->in_tx && !hub->in_read)
			pg_reconnect(hub, 0, 1);
		if (hub->pg_lost_ms)
			return pg_lost_fail(hub, "listening for changes", err);
		/* db/pg/0004: the change log's trigger notifies at commit.  A
		 * new connection listens anew and counts as news: what was
		 * committed while there was none was never notified. */
		if (!hub->pg_listening) {
			int rc = pg_listen(hub->pg, "mashdesk_change");
			/* A standby in recovery refuses LISTEN and takes no
			 * save: it opens for reading (doctor says what it is),
			 * hearing of nothing (an address with
			 * target_session_attrs=read-write never lands there). */
			if (rc == DB_READONLY) {
				hub->pg_version += hub->pg_version == 0;
				*version = hub->pg_version;
				return 0;
			}
			if (rc != DB_OK)
				return hub_sql_fail(hub, rc, "listening for changes", err);
			hub->pg_listening = 1;
			hub->pg_version++;
		} else {
			int rc = pg_notified(hub->pg);
			if (rc < 0)
				return hub_sql_fail(hub, -rc, "listening for changes", err);
			hub->pg_version += rc > 0;
		}
		*version = hub->pg_version;
		return 0;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, "PRAGMA data_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : hub_sql_fail(hub, rc, "polling for changes", err);
}

int hub_read_begin(struct hub *hub)
{
	if (hub->pg) {
		if (hub->in_tx || hub->in_read)
			return 0;
		pg_reconnect(hub, 0, 0);
		hub->in_read = pg_exec(hub->pg, "BEGIN ISOLATION LEVEL REPEATABLE"
				       " READ") == SQLITE_OK;
		return hub->in_read;
	}
	if (!sqlite3_get_autocommit(hub->db))
		return 0;
	return sqlite3_exec(hub->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void hub_read_end(struct hub *hub, int opened)
{
	if (!opened)
		return;
	if (hub->pg) {
		pg_exec(hub->pg, "COMMIT");
		hub->in_read = 0;
	} else {
		sqlite3_exec(hub->db, "COMMIT", NULL, NULL, NULL);
	}
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
	if (hub->pg)
		return 0;   /* the server's own write-ahead log */
	const char *want = hub_on_network_fs(hub->path) ? "delete" : "wal";
	char have[16] = "";
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, "PRAGMA journal_mode", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(have, sizeof have, "%s",
			 (const char *)sqlite3_column_text(st, 0));
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

/* The address as messages show it: a password in it never leaves here. */
static void url_redact(char *out, size_t len, const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	const char *pw = strstr(url, "password=");
	if (at && colon && colon < at)
		snprintf(out, len, "%.*s:***%s", (int)(colon - url), url, at);
	else
		snprintf(out, len, "%s", url);
	if (pw && (pw = strstr(out, "password=")))
		snprintf(out + (pw - out), len - (size_t)(pw - out), "password=***");
}

void hub_address(char *out, size_t len, const char *where)
{
	if (hub_is_url(where))
		url_redact(out, len, where);
	else
		snprintf(out, len, "%s", where);
}

static int pg_open(struct hub *hub, const char *url, struct hub **out,
		   struct md_error *err)
{
	char msg[512];
	hub->engine = HUB_POSTGRES;
	url_redact(hub->path, sizeof hub->path, url);
	int rc = pg_connect(&hub->pg, url, hub->cfg.busy_timeout_ms, msg,
			    sizeof msg);
	/* Reconnecting, the same address, bounded: connect_timeout=2 unless
	 * the address says otherwise (libpq waits for ever without). */
	size_t n = strlen(url) + sizeof "&connect_timeout=2";
	if (rc == SQLITE_OK && (hub->pg_url = malloc(n)) != NULL)
		snprintf(hub->pg_url, n, "%s%s", url,
			 strstr(url, "connect_timeout=") ? ""
			 : strchr(url, '?') ? "&connect_timeout=2"
			 : "?connect_timeout=2");
	if (rc != SQLITE_OK) {
		int status = md_fail(err, rc == SQLITE_AUTH ? EX_NOPERM
				     : EX_UNAVAILABLE, "%s: %s", hub->path, msg);
		hub_close(hub);
		return status;
	}
	*out = hub;
	return 0;
}

/* Date arithmetic shared with PostgreSQL (db/pg/0001_schema.sql defines
 * the same there): md_add_months(t, n), n calendar months after unix time
 * t in UTC, a day past the month's end running on as SQLite's '+N months'
 * does (timegm normalises the same way); md_date(t), t's UTC date;
 * md_epoch(d), the UTC midnight of a YYYY-MM-DD date, else NULL. */
static void sql_add_months(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	time_t t = (time_t)sqlite3_value_int64(argv[0]);
	struct tm tm;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_value_type(argv[1]) == SQLITE_NULL || !gmtime_r(&t, &tm)) {
		sqlite3_result_null(ctx);
		return;
	}
	tm.tm_mon += (int)sqlite3_value_int64(argv[1]);
	sqlite3_result_int64(ctx, (sqlite3_int64)timegm(&tm));
}

static void sql_date(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	time_t t = (time_t)sqlite3_value_int64(argv[0]);
	struct tm tm;
	char buf[16];
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void sql_epoch(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *d = (const char *)sqlite3_value_text(argv[0]);
	struct tm tm = { 0 };
	if (!d || !clock_valid_date(d) ||
	    sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		sqlite3_result_null(ctx);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	sqlite3_result_int64(ctx, (sqlite3_int64)timegm(&tm));
}

static int register_functions(sqlite3 *db)
{
	static const struct {
		const char *name;
		int nargs;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = {
		{ "md_normalise", 1, sql_normalise },
		{ "md_add_months", 2, sql_add_months },
		{ "md_date", 1, sql_date },
		{ "md_epoch", 1, sql_epoch },
	};
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < sizeof fns / sizeof fns[0]; i++)
		rc = sqlite3_create_function_v2(db, fns[i].name, fns[i].nargs,
						SQLITE_UTF8 | SQLITE_DETERMINISTIC |
						SQLITE_INNOCUOUS, NULL, fns[i].fn,
						NULL, NULL, NULL);
	return rc;
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
	if (hub_is_url(path))
		return pg_open(hub, path, out, err);
	int rc = sqlite3_open_v2(path, &hub->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		int status = hub_sql_fail(hub, rc, "opening the hub", err);
		hub_close(hub);
		return status;
	}
	sqlite3_extended_result_codes(hub->db, 1);
	rc = register_functions(hub->db);
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
		db_finalize(hub->cache[i].stmt);
	if (hub->db)
		sqlite3_close(hub->db);
	if (hub->pg)
		pg_disconnect(hub->pg);
	free(hub->pg_url);
	free(hub->bulk);
	free(hub);
}

