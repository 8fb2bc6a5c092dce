/* hub_db_pg.h - the PostgreSQL engine under hub_db.c (libpq).
 *
 * hub_db.c is the only caller: it picks the engine from the hub's address
 * (a path is SQLite, postgresql:// or postgres:// is this) and forwards
 * its statement calls here when the connection is PostgreSQL's.  The
 * contract mirrors SQLite's so that the data layer above keeps one set of
 * queries:
 *
 * - SQL is written for SQLite's placeholders (?, ?NNN); pg_prepare turns
 *   them into $N (outside quoted text and comments) and prepares the
 *   statement once per connection under a name of its own.
 * - Results come back as text and are read through the same column calls
 *   (integers, doubles, text, NULL), booleans read as 1 and 0, numeric
 *   (sum() of bigints) as its integer value.
 * - Failures come back as hub_db.h's DB_* codes, the SQLSTATE mapped onto
 *   the nearest SQLite code (constraint, busy, read-only, full disk, I/O,
 *   permission) so hub_sql_fail maps both engines to sysexits in one place;
 *   pg_errmsg gives the server's sentence.
 * - BEGIN IMMEDIATE is BEGIN plus a transaction-level advisory lock, so
 *   writers take turns on PostgreSQL as on SQLite (hub_db.c).
 *
 * Compiled only when configure found libpq (HAVE_LIBPQ); without it,
 * pg_connect says so and everything else is unreachable. */
#ifndef MASHDESK_HUB_DB_PG_H
#define MASHDESK_HUB_DB_PG_H

#include <stddef.h>

struct pg_conn;
struct pg_stmt;

/* Connect to url (a libpq URI, multi-host allowed).  lock_timeout_ms
 * bounds the wait for the writers' lock and row locks, like SQLite's busy
 * timeout.  On failure *out is NULL, msg holds one sentence, and the
 * result is DB_CANTOPEN (unreachable, refused), DB_AUTH (authentication)
 * or DB_ERROR. */
int pg_connect(struct pg_conn **out, const char *url, int lock_timeout_ms,
	       char *msg, size_t msglen);
void pg_disconnect(struct pg_conn *pc);

/* The server's last error sentence ("" when none). */
const char *pg_errmsg(struct pg_conn *pc);

/* Prepare sql (SQLite placeholders).  DB_OK or a DB_* error. */
int pg_prepare(struct pg_conn *pc, const char *sql, struct pg_stmt **out);
void pg_finalize(struct pg_stmt *ps);

/* Parameters are 1-based, as in SQLite; text is copied. */
void pg_bind_int64(struct pg_stmt *ps, int i, long long v);
void pg_bind_double(struct pg_stmt *ps, int i, double v);
void pg_bind_text(struct pg_stmt *ps, int i, const char *s);
void pg_bind_null(struct pg_stmt *ps, int i);
void pg_clear_bindings(struct pg_stmt *ps);

/* The first step runs the statement; each step moves to the next row:
 * DB_ROW, DB_DONE, or a DB_* error.  pg_reset forgets the result. */
int pg_step(struct pg_stmt *ps);
void pg_reset(struct pg_stmt *ps);

/* The current row's columns (0-based).  pg_column_type: DB_NULL,
 * DB_INTEGER, DB_FLOAT or DB_TEXT.  Text stays valid until the next step,
 * reset or finalize. */
int pg_column_type(struct pg_stmt *ps, int col);
long long pg_column_int64(struct pg_stmt *ps, int col);
double pg_column_double(struct pg_stmt *ps, int col);
const char *pg_column_text(struct pg_stmt *ps, int col);
int pg_column_bytes(struct pg_stmt *ps, int col);

/* Run SQL text without parameters, possibly several statements. */
int pg_exec(struct pg_conn *pc, const char *sql);

/* Rows changed by the last INSERT, UPDATE or DELETE stepped or executed. */
long long pg_changes(struct pg_conn *pc);

/* LISTEN on channel (once), then: 1 when a NOTIFY arrived on it since the
 * last call (draining them all), 0 when none, a DB_* error (negated) when
 * the connection is gone. */
int pg_listen(struct pg_conn *pc, const char *channel);
int pg_notified(struct pg_conn *pc);

/* 1 while the connection is up; after a failover libpq needs a new one. */
int pg_alive(struct pg_conn *pc);

#endif
