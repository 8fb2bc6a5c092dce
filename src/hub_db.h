/* hub_db.h - the bottom of the data layer: one SQLite connection and its
 * discipline.  The statement cache, binding and reading columns, mapping
 * SQLite's failures to a sysexits code and a sentence, transactions, the
 * busy handler, the pragmas and the journal mode, opening and closing.
 *
 * hub_db.c calls nothing else of the data layer (tests/arch.sh checks it):
 * only SQLite, libc and the pure helpers of error.c and config.c.  Every
 * other hub_*.c builds on it. */
#ifndef MASHDESK_HUB_DB_H
#define MASHDESK_HUB_DB_H

#include <limits.h>
#include <sqlite3.h>

#include "mashdesk/config.h"
#include "mashdesk/error.h"
#include "mashdesk/hub.h"
#include "mashdesk/model.h"

/* Above the number of distinct queries (about 100 with the code tables' 22
 * and the supervisors' work): a full cache evicts, and evicting a statement
 * still being stepped would be a bug. */
#define HUB_STMT_CACHE 160

/* The engine behind a connection: a path is SQLite (the embedded
 * default), a postgresql:// address PostgreSQL (hub_db_pg.c). */
enum hub_engine { HUB_SQLITE, HUB_POSTGRES };

/* Result codes of both engines: SQLite's numbers, onto which hub_db_pg.c
 * maps PostgreSQL's SQLSTATEs, so that hub_sql_fail turns either into a
 * sysexits code in one place. */
enum {
	DB_OK = 0, DB_ERROR = 1, DB_PERM = 3, DB_BUSY = 5, DB_LOCKED = 6,
	DB_NOMEM = 7, DB_READONLY = 8, DB_IOERR = 10, DB_CORRUPT = 11,
	DB_FULL = 13, DB_CANTOPEN = 14, DB_CONSTRAINT = 19, DB_AUTH = 23,
	DB_NOTADB = 26, DB_ROW = 100, DB_DONE = 101
};

/* Column types, as SQLite numbers them. */
enum { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* A prepared statement on either engine (hub_db.c). */
struct db_stmt;

struct hub_stmt_slot {
	const char *sql;        /* the static SQL text; its address is the key */
	struct db_stmt *stmt;
};

struct pg_conn;

/* One connection to one hub.  The first group is hub_db.c's own; the rest
 * is state the modules above keep per connection (each names its owner). */
struct hub {
	enum hub_engine engine;
	sqlite3 *db;            /* SQLite's connection; NULL on PostgreSQL */
	struct pg_conn *pg;     /* PostgreSQL's; NULL on SQLite */
	char path[PATH_MAX];    /* the file, or the address without password */
	struct config cfg;
	int in_tx;
	int in_read;            /* hub_read_begin's, on PostgreSQL */
	long long pg_version;   /* hub_data_version's count of wake-ups */
	int pg_listening;       /* LISTENing on this connection */
	/* Reconnecting to PostgreSQL (hub_db.c): the address as given
	 * (malloc'd, password and all), every live statement (so that a new
	 * connection can take them over), and the loss's bookkeeping. */
	char *pg_url;
	struct db_stmt *live;
	int pg_writing;         /* between hub_begin and hub_end */
	long long pg_lost_ms;   /* when the loss was noticed (monotonic ms),
	                         * 0 while connected */
	long long pg_retry_ms;  /* no attempt from a poll before this */
	int pg_tries;           /* failed attempts since the loss */
	int pg_news;            /* for hub_connection_news: 1 lost, 2 back */
	long long pg_back_after_ms; /* the last loss's length */
	long long pg_reconnects, pg_down_ms;
	struct hub_stmt_slot cache[HUB_STMT_CACHE];
	int ncache;
	long long busy_waits;   /* times this connection waited for a writer */
	void *bulk;             /* hub_bulk.c's state while bulk loading
	                         * (malloc'd; hub_close frees it) */
	/* The hub row (hub_open.c). */
	char name[128];
	int training;
	/* The acting user (hub_identity.c); roles is its role as a bit of
	 * enum hub_role (hub_permit.h), 0 for a role no rule names. */
	int have_me;
	struct user me;
	unsigned roles;
	/* hub_poll_changes: the last data_version and change_log id seen. */
	long long data_version;
	long long last_change;
	int own_commit;         /* hub_end committed since the last poll:
	                         * data_version moves only for others' */
	long long last_view_id, last_view_at;   /* hub_audit_view's quiet time */
	/* Agency codes in display order, loaded on first use (hub_agencies). */
	char agencies[MD_MAX_AGENCIES][MD_CODE_MAX];
	int nagencies;
};

/* ---- statements ---------------------------------------------------------- */

/* Prepared once per connection and cached by the SQL text's address.
 * Returns NULL with err set.  Always pair with hub_reset(). */
struct db_stmt *hub_stmt(struct hub *hub, const char *sql, struct md_error *err);
void hub_reset(struct db_stmt *st);

/* A statement for one use (SQL built at run time): pair with db_finalize. */
int hub_prepare(struct hub *hub, const char *sql, struct db_stmt **out,
		struct md_error *err);
void db_finalize(struct db_stmt *st);

/* Binding, 1-based as in SQLite.  db_bind_text copies; hub_bind_text binds
 * NULL for NULL or empty text and does not copy (the statement is stepped
 * and reset while the caller's text is alive). */
void db_bind_int64(struct db_stmt *st, int i, long long v);
void db_bind_double(struct db_stmt *st, int i, double v);
void db_bind_text(struct db_stmt *st, int i, const char *s);
void db_bind_null(struct db_stmt *st, int i);
void hub_bind_text(struct db_stmt *st, int i, const char *s);
void hub_bind_opt_int(struct db_stmt *st, int i, long long v, int is_set);

/* DB_ROW, DB_DONE or a DB_* failure (for hub_sql_fail). */
int db_step(struct db_stmt *st);

/* The current row's columns, 0-based.  Text stays valid until the next
 * step or reset; NULL text reads as NULL (db_column_text) or "" (hub_col_text). */
int db_column_type(struct db_stmt *st, int col);
long long db_column_int64(struct db_stmt *st, int col);
int db_column_int(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col);
int db_column_bytes(struct db_stmt *st, int col);

/* Copy a text column into buf ("" for NULL). */
void hub_col_text(struct db_stmt *st, int col, char *buf, size_t len);

/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
long long hub_changes(struct hub *hub);

/* The engine's last error sentence. */
const char *hub_errmsg(struct hub *hub);

/* Map a failure (a DB_* code) to a sysexits code and a sentence that says
 * what we were doing ("saving the check on R000012"); a full disk says so. */
int hub_sql_fail(struct hub *hub, int rc, const char *doing,
		 struct md_error *err);

/* Run a statement with no result rows (after binding), then reset it. */
int hub_step_done(struct hub *hub, struct db_stmt *st, const char *doing,
		  struct md_error *err);

/* Run SQL text without parameters (pragmas, transaction control). */
int hub_exec(struct hub *hub, const char *sql, const char *doing,
	     struct md_error *err);

/* How many migrations this hub has had: PRAGMA user_version on SQLite,
 * the md_version table on PostgreSQL; hub_set_version records target. */
int hub_user_version(struct hub *hub, int *version, struct md_error *err);
int hub_set_version(struct hub *hub, int target, struct md_error *err);

/* How many tables called name the hub has (0 or 1). */
int hub_has_table(struct hub *hub, const char *name, int *n,
		  struct md_error *err);

/* hub_is_url (1 for a postgresql:// address) and hub_address (an address
 * as messages show it) are in mashdesk/hub.h, for the command line too. */

/* Refuse what needs a SQLite file (its online backup, the bulk loader):
 * EX_UNAVAILABLE naming what, on PostgreSQL; 0 on SQLite. */
int hub_sqlite_only(struct hub *hub, const char *what, struct md_error *err);

/* ---- transactions ---------------------------------------------------------- */

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  hub_end() commits when status is 0
 * and rolls back otherwise; it returns the final status.  On PostgreSQL
 * BEGIN IMMEDIATE is BEGIN and the hub's writer lock (an advisory lock held
 * to the transaction's end), so writers take turns there as here. */
int hub_begin(struct hub *hub, struct md_error *err);

/* The key of that advisory lock (`doctor` tries it from a second
 * connection to prove writers are kept apart). */
#define HUB_PG_WRITER_LOCK 7236281364531589195
int hub_end(struct hub *hub, int status, struct md_error *err);

/* A number that moves when another connection commits: PRAGMA
 * data_version on SQLite; on PostgreSQL a count of the change log's
 * notifications (its first call starts listening, and so does its first
 * call on a new connection: notifications may have been missed meanwhile,
 * so the number moves then too).
 *
 * PostgreSQL: a lost connection is replaced at the next safe point, where
 * no statement is in flight and no transaction open: hub_begin,
 * hub_read_begin, hub_data_version, hub_stmt and hub_prepare.  One
 * attempt there, bounded by connect_timeout (2 s unless the address says),
 * and from all but hub_begin (a save asked for) not more often than a
 * growing pause allows (0.5 s doubling to 4 s).  The new connection takes
 * over every live statement (struct db_stmt stays where it is).  A failure
 * because the connection is gone is EX_TEMPFAIL, saying nothing was saved
 * (or, for a COMMIT whose answer never came, that it may have been). */
int hub_data_version(struct hub *hub, long long *version, struct md_error *err);

/* A read transaction, so that several queries see one moment: opens one
 * unless the connection is in a transaction already (returns 1 when it
 * did); hub_read_end(hub, what hub_read_begin returned) ends it. */
int hub_read_begin(struct hub *hub);
void hub_read_end(struct hub *hub, int opened);

/* ---- connections ------------------------------------------------------------ */

/* A new connection to path (sqlite3_open_v2 flags), with the busy handler
 * and the pragmas every connection has; no check that it is a hub.  A
 * postgresql:// address connects to PostgreSQL instead (flags unused). */
int hub_connect(struct hub **out, const char *path, const struct config *cfg,
		int flags, struct md_error *err);

/* WAL on a local disk, a rollback journal where WAL cannot work.  Only
 * for a file known to be a hub: setting the journal mode writes to it. */
int hub_set_journal(struct hub *hub, struct md_error *err);

/* A private connection to a scratch SQLite file (created if missing) for
 * the bulk loader's second thread: no schema, no user, no journal. */
int hub_open_scratch(struct hub **out, const char *path,
		     const struct config *cfg, struct md_error *err);

/* 1 for filesystem types (statfs f_type) where WAL cannot work. */
int hub_fs_is_network(long type);

#endif
