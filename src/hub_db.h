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
#include "mashdesk/model.h"

/* Above the number of distinct queries (about 100 with the code tables' 22
 * and the supervisors' work): a full cache evicts, and evicting a statement
 * still being stepped would be a bug. */
#define HUB_STMT_CACHE 160

struct hub_stmt_slot {
	const char *sql;        /* the static SQL text; its address is the key */
	sqlite3_stmt *stmt;
};

/* One connection to one hub.  The first group is hub_db.c's own; the rest
 * is state the modules above keep per connection (each names its owner). */
struct hub {
	sqlite3 *db;
	char path[PATH_MAX];
	struct config cfg;
	int in_tx;
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
sqlite3_stmt *hub_stmt(struct hub *hub, const char *sql, struct md_error *err);
void hub_reset(sqlite3_stmt *st);

/* Bind helpers: NULL/empty text binds NULL. */
void hub_bind_text(sqlite3_stmt *st, int i, const char *s);
void hub_bind_opt_int(sqlite3_stmt *st, int i, long long v, int is_set);

/* Copy a text column into buf ("" for NULL). */
void hub_col_text(sqlite3_stmt *st, int col, char *buf, size_t len);

/* Map a SQLite failure to a sysexits code and a sentence that says what
 * we were doing ("saving the check on R000012"); a full disk says so. */
int hub_sql_fail(struct hub *hub, int rc, const char *doing,
		 struct md_error *err);

/* Run a statement with no result rows (after binding), then reset it. */
int hub_step_done(struct hub *hub, sqlite3_stmt *st, const char *doing,
		  struct md_error *err);

/* Run SQL text without parameters (pragmas, transaction control). */
int hub_exec(struct hub *hub, const char *sql, const char *doing,
	     struct md_error *err);

/* PRAGMA user_version: how many migrations this hub has had. */
int hub_user_version(struct hub *hub, int *version, struct md_error *err);

/* ---- transactions ---------------------------------------------------------- */

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  hub_end() commits when status is 0
 * and rolls back otherwise; it returns the final status. */
int hub_begin(struct hub *hub, struct md_error *err);
int hub_end(struct hub *hub, int status, struct md_error *err);

/* ---- connections ------------------------------------------------------------ */

/* A new connection to path (sqlite3_open_v2 flags), with the busy handler
 * and the pragmas every connection has; no check that it is a hub. */
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
