/* engine.c - the PostgreSQL engine (src/hub_db_pg.c) against a real server.
 *
 * Run by tests/pg/engine.sh with the private server's address:
 *   engine URL [AUTH_URL]
 * AUTH_URL, when given, names a role that must authenticate by password,
 * with the wrong password.  Each check prints one TAP line; the exit status
 * is 0 only when all passed.  Linked with hub_db_pg.c and libpq only, so
 * what it proves is the engine's own contract, the one hub_db.c relies on. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub_db.h"
#include "hub_db_pg.h"

static int tap_n, tap_failed;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!cond)
		tap_failed++;
}

static void diag(const char *what, const char *text)
{
	printf("# %s: %s\n", what, text ? text : "(null)");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Prepare sql, or fail the test run: the rest would mean nothing. */
static struct pg_stmt *prep(struct pg_conn *pc, const char *sql)
{
	struct pg_stmt *ps = NULL;
	int rc = pg_prepare(pc, sql, &ps);
	if (rc != DB_OK) {
		printf("Bail out! cannot prepare %s: %d %s\n", sql, rc,
		       pg_errmsg(pc));
		exit(1);
	}
	return ps;
}

/* One text value of a one-row query. */
static int text_is(struct pg_stmt *ps, const char *want)
{
	const char *got = pg_column_text(ps, 0);
	if (!got || strcmp(got, want) != 0) {
		diag("got", got);
		return 0;
	}
	return 1;
}

static struct pg_conn *connect_or_bail(const char *url, int timeout_ms)
{
	struct pg_conn *pc;
	char msg[256];
	int rc = pg_connect(&pc, url, timeout_ms, msg, sizeof msg);
	if (rc != DB_OK) {
		printf("Bail out! cannot connect: %d %s\n", rc, msg);
		exit(1);
	}
	return pc;
}

static void placeholders(struct pg_conn *pc)
{
	struct pg_stmt *ps = prep(pc,
		"SELECT ?1 || ?1 || '?''?' || ? /* ? */ || \"t?\".x -- ?\n"
		"FROM (SELECT '-' AS x) AS \"t?\"");
	pg_bind_text(ps, 1, "a");
	pg_bind_text(ps, 2, "b");
	ok(pg_step(ps) == DB_ROW && text_is(ps, "aa?'?b-"),
	   "?1 repeated, then ? numbered after it; ? in text, names and comments untouched");
	pg_finalize(ps);

	/* ?3 alone: $1 and $2 have no type the server can infer, so the
	 * prepare is retried with them as text. */
	ps = prep(pc, "SELECT ?3");
	pg_bind_int64(ps, 3, 42);
	ok(pg_step(ps) == DB_ROW && pg_column_int64(ps, 0) == 42,
	   "?3 with no ?1 and ?2 runs (untyped parameters retried as text)");
	pg_finalize(ps);

	ps = prep(pc, "SELECT ?2 || ? || ?");
	pg_bind_text(ps, 2, "x");
	pg_bind_text(ps, 3, "y");
	pg_bind_text(ps, 4, "z");
	ok(pg_step(ps) == DB_ROW && text_is(ps, "xyz"),
	   "a bare ? after ?2 is ?3, as SQLite numbers it");
	pg_finalize(ps);

	ps = prep(pc, "SELECT ? IS NULL, coalesce(?, 'none')");
	pg_bind_null(ps, 1);
	pg_bind_null(ps, 2);
	int rc = pg_step(ps);
	ok(rc == DB_ROW && pg_column_int64(ps, 0) == 1 && text_is(ps, "1") &&
	   strcmp(pg_column_text(ps, 1), "none") == 0,
	   "NULL bound where the server must infer the type");
	if (rc != DB_ROW)
		diag("error", pg_errmsg(pc));
	pg_finalize(ps);

	struct pg_stmt *bad = NULL;
	ok(pg_prepare(pc, "SELECT ?0", &bad) == DB_ERROR && !bad &&
	   *pg_errmsg(pc), "?0 is refused at prepare, with a sentence");
	ok(pg_prepare(pc, "SELECT ?32766, ?", &bad) == DB_ERROR && !bad,
	   "and a ? past SQLite's 32766");
}

static void binding(struct pg_conn *pc)
{
	struct pg_stmt *ps = prep(pc, "SELECT ?, ?, ?, ?, ?");
	pg_bind_int64(ps, 1, 9007199254740993LL);
	pg_bind_text(ps, 2, "Zoë O'Brien");
	pg_bind_null(ps, 3);
	pg_bind_double(ps, 4, 0.1);
	pg_bind_int64(ps, 5, -7);
	int rc = pg_step(ps);
	ok(rc == DB_ROW, "a row of bound values");
	ok(pg_column_type(ps, 0) == DB_INTEGER &&
	   pg_column_int64(ps, 0) == 9007199254740993LL,
	   "int64 round-trips exactly, as an integer");
	ok(pg_column_type(ps, 1) == DB_TEXT &&
	   strcmp(pg_column_text(ps, 1), "Zoë O'Brien") == 0 &&
	   pg_column_bytes(ps, 1) == (int)strlen("Zoë O'Brien"),
	   "text round-trips, bytes counted");
	ok(pg_column_type(ps, 2) == DB_NULL && pg_column_text(ps, 2) == NULL &&
	   pg_column_int64(ps, 2) == 0 && pg_column_bytes(ps, 2) == 0,
	   "NULL reads as NULL, 0 and no bytes");
	ok(pg_column_type(ps, 3) == DB_FLOAT && pg_column_double(ps, 3) == 0.1,
	   "a double round-trips exactly, as a float");
	ok(pg_column_int64(ps, 4) == -7, "a negative integer");
	ok(pg_column_text(ps, 5) == NULL && pg_column_int64(ps, 5) == 0 &&
	   pg_column_type(ps, -1) == DB_NULL, "a column out of range reads as NULL");
	ok(pg_step(ps) == DB_DONE && pg_column_text(ps, 1) == NULL,
	   "then DB_DONE, and no current row reads as NULL");

	/* The server's statement is reused with values of another type. */
	pg_reset(ps);
	pg_clear_bindings(ps);
	pg_bind_text(ps, 1, "12");
	rc = pg_step(ps);
	ok(rc == DB_ROW && pg_column_int64(ps, 0) == 12 &&
	   pg_column_type(ps, 3) == DB_NULL,
	   "reset and cleared: reused with text for an integer, the rest NULL");
	pg_finalize(ps);
}

static void rows(struct pg_conn *pc)
{
	struct pg_stmt *ps = prep(pc, "SELECT g, g % 2 = 0 FROM generate_series(1, ?) g");
	pg_bind_int64(ps, 1, 500);
	long long n = 0, sum = 0, even = 0;
	int rc;
	while ((rc = pg_step(ps)) == DB_ROW) {
		n++;
		sum += pg_column_int64(ps, 0);
		even += pg_column_int64(ps, 1);
	}
	ok(rc == DB_DONE && n == 500 && sum == 500 * 501 / 2 && even == 250,
	   "500 rows stepped one by one, then DB_DONE (%lld rows)", n);
	ok(pg_step(ps) == DB_DONE, "DB_DONE again after the end");
	pg_reset(ps);
	pg_bind_int64(ps, 1, 3);
	n = 0;
	while (pg_step(ps) == DB_ROW)
		n++;
	ok(n == 3, "reset runs it again with the new value (%lld rows)", n);
	pg_finalize(ps);

	ps = prep(pc, "SELECT 1 < 2, 2 < 1, sum(g::bigint), 7.5::numeric, "
		  "2.5::float8, 30::smallint FROM generate_series(1, 10) g");
	ok(pg_step(ps) == DB_ROW, "booleans, sums and fractions");
	ok(pg_column_type(ps, 0) == DB_INTEGER && pg_column_int64(ps, 0) == 1 &&
	   pg_column_int64(ps, 1) == 0 && text_is(ps, "1") &&
	   strcmp(pg_column_text(ps, 1), "0") == 0 &&
	   pg_column_double(ps, 0) == 1.0,
	   "booleans read as 1 and 0, as integers");
	ok(pg_column_type(ps, 2) == DB_INTEGER && pg_column_int64(ps, 2) == 55,
	   "sum() of bigints (numeric) reads as an integer");
	ok(pg_column_type(ps, 3) == DB_FLOAT && pg_column_int64(ps, 3) == 7 &&
	   pg_column_double(ps, 3) == 7.5,
	   "a numeric with a fraction reads as a float, truncated as an integer");
	ok(pg_column_type(ps, 4) == DB_FLOAT && pg_column_int64(ps, 4) == 2 &&
	   pg_column_type(ps, 5) == DB_INTEGER && pg_column_int64(ps, 5) == 30,
	   "float8 and smallint");
	pg_finalize(ps);
}

static void writes(struct pg_conn *pc)
{
	ok(pg_exec(pc, "CREATE TABLE kid (id int PRIMARY KEY, name text UNIQUE, "
		   "seen int NOT NULL DEFAULT 0); "
		   "INSERT INTO kid (id, name) VALUES (1, 'Ada'), (2, 'Bo'), (3, 'Cy')")
	   == DB_OK && pg_changes(pc) == 3,
	   "pg_exec runs several statements; changes() counts the INSERT's rows");
	struct pg_stmt *ps = prep(pc, "UPDATE kid SET seen = seen + ? WHERE id <= ?");
	pg_bind_int64(ps, 1, 1);
	pg_bind_int64(ps, 2, 3);
	ok(pg_step(ps) == DB_DONE && pg_changes(pc) == 3,
	   "changes() after an UPDATE of 3 rows (%lld)", pg_changes(pc));
	pg_finalize(ps);
	ps = prep(pc, "SELECT count(*) FROM kid");
	ok(pg_step(ps) == DB_ROW && pg_changes(pc) == 3,
	   "a SELECT leaves changes() as it was");
	pg_finalize(ps);

	ps = prep(pc, "INSERT INTO kid (id, name) VALUES (?, ?)");
	pg_bind_int64(ps, 1, 4);
	pg_bind_text(ps, 2, "Ada");
	int rc = pg_step(ps);
	ok(rc == DB_CONSTRAINT && strstr(pg_errmsg(pc), "duplicate key") &&
	   !strchr(pg_errmsg(pc), '\n'),
	   "a UNIQUE violation is DB_CONSTRAINT with the server's sentence");
	diag("message", pg_errmsg(pc));
	pg_finalize(ps);

	ok(pg_exec(pc, "CREATE FUNCTION md_refuse_test() RETURNS void "
		   "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION USING "
		   "ERRCODE = '23001', MESSAGE = 'a decision needs a reason'; "
		   "END $$") == DB_OK, "a function that refuses as md_refuse does");
	ps = prep(pc, "SELECT md_refuse_test()");
	rc = pg_step(ps);
	ok(rc == DB_CONSTRAINT &&
	   strcmp(pg_errmsg(pc), "a decision needs a reason") == 0,
	   "its refusal is DB_CONSTRAINT and exactly its text");
	diag("message", pg_errmsg(pc));
	pg_finalize(ps);

	ok(pg_exec(pc, "SELECT nonsense FROM") == DB_ERROR && *pg_errmsg(pc),
	   "a syntax error is DB_ERROR with a sentence");
	ok(pg_exec(pc, "SELECT 1") == DB_OK && !*pg_errmsg(pc),
	   "the sentence is gone after a success");
}

/* Statements on the server: prepared ones must not pile up. */
static long long server_statements(struct pg_conn *pc)
{
	struct pg_stmt *ps = prep(pc, "SELECT count(*) FROM pg_prepared_statements");
	long long n = pg_step(ps) == DB_ROW ? pg_column_int64(ps, 0) : -1;
	pg_finalize(ps);
	return n;
}

static void transactions(struct pg_conn *pc)
{
	long long before = server_statements(pc);
	ok(pg_exec(pc, "BEGIN") == DB_OK, "BEGIN");
	struct pg_stmt *ps = prep(pc, "SELECT no_such_column FROM kid");
	ok(pg_step(ps) == DB_ERROR, "a query the server cannot prepare fails...");
	pg_finalize(ps);
	ps = prep(pc, "SELECT count(*) FROM kid");
	ok(pg_step(ps) == DB_ROW && pg_column_int64(ps, 0) == 3,
	   "...and leaves the transaction usable, as on SQLite");
	pg_reset(ps);
	struct pg_stmt *div = prep(pc, "SELECT 1 / ?");
	pg_bind_int64(div, 1, 0);
	ok(pg_step(div) == DB_ERROR, "a failing statement (division by zero)");
	pg_finalize(div);
	pg_finalize(ps);        /* finalized while the transaction failed */
	ok(pg_exec(pc, "ROLLBACK") == DB_OK, "ROLLBACK");
	long long after = server_statements(pc);
	ok(after == before, "statements finalized in a failed transaction are "
	   "dropped from the server afterwards (%lld, %lld)", before, after);
}

static void busy(const char *url, struct pg_conn *a)
{
	struct pg_conn *b = connect_or_bail(url, 300);
	struct pg_stmt *ps = prep(a, "SELECT pg_advisory_lock(1)");
	ok(pg_step(ps) == DB_ROW, "one connection holds the lock");
	pg_finalize(ps);
	ok(pg_exec(b, "BEGIN") == DB_OK, "the other begins");
	ps = prep(b, "SELECT pg_advisory_xact_lock(1)");
	double t0 = now();
	int rc = pg_step(ps);
	double waited = now() - t0;
	ok(rc == DB_BUSY && *pg_errmsg(b),
	   "and waiting for the lock ends in DB_BUSY (%d) after %.2f s", rc, waited);
	ok(waited >= 0.2 && waited < 20, "after lock_timeout, not at once or for ever");
	diag("message", pg_errmsg(b));
	pg_finalize(ps);
	ok(pg_exec(b, "ROLLBACK") == DB_OK, "ROLLBACK");
	ps = prep(a, "SELECT pg_advisory_unlock(1)");
	pg_step(ps);
	pg_finalize(ps);
	pg_disconnect(b);
}

static void notify(const char *url, struct pg_conn *a)
{
	struct pg_conn *b = connect_or_bail(url, 1000);
	ok(pg_listen(a, "hub changes") == DB_OK && pg_listen(a, "hub changes") == DB_OK,
	   "LISTEN on a channel whose name needs quoting (twice: once)");
	ok(pg_notified(a) == 0, "nothing yet");
	ok(pg_exec(b, "NOTIFY \"hub changes\"; NOTIFY \"hub changes\", 'x'") == DB_OK,
	   "another connection notifies twice");
	int got = 0;
	/* Delivery is asynchronous: wait for it, with a deadline for hangs. */
	for (double t0 = now(); now() - t0 < 30; nap_ms(20))
		if ((got = pg_notified(a)) != 0)
			break;
	ok(got == 1, "pg_notified says so (%d)", got);
	ok(pg_notified(a) == 0, "and then nothing: both drained");
	pg_disconnect(b);
}

static void failures(const char *url, const char *auth_url)
{
	struct pg_conn *pc = NULL;
	char msg[256];
	int rc = pg_connect(&pc, "postgresql://postgres:s3cretpw@127.0.0.1:1/postgres",
			    1000, msg, sizeof msg);
	ok(rc == DB_CANTOPEN && !pc && *msg && !strchr(msg, '\n') &&
	   !strstr(msg, "s3cretpw"),
	   "nobody listening: DB_CANTOPEN, one line, no password");
	diag("message", msg);
	rc = pg_connect(&pc, "postgresql://postgres:s3%zzpw@127.0.0.1:1/postgres",
			1000, msg, sizeof msg);
	ok(rc != DB_OK && !pc && *msg && !strstr(msg, "s3%zzpw") &&
	   !strstr(msg, "zzpw"), "an address libpq cannot read: no password in "
	   "the sentence (%d)", rc);
	diag("message", msg);
	if (auth_url) {
		rc = pg_connect(&pc, auth_url, 1000, msg, sizeof msg);
		ok(rc == DB_AUTH && !pc && !strstr(msg, "wrongpw"),
		   "a wrong password: DB_AUTH (%d), no password in the sentence", rc);
		diag("message", msg);
	} else {
		ok(1, "# SKIP no role with a password");
	}

	pc = connect_or_bail(url, 1000);
	struct pg_stmt *keep = prep(pc, "SELECT 1");
	ok(pg_step(keep) == DB_ROW, "a statement prepared before the end");
	pg_reset(keep);
	struct pg_stmt *ps = prep(pc, "SELECT pg_terminate_backend(pg_backend_pid())");
	rc = pg_step(ps);
	if (rc == DB_ROW || rc == DB_DONE) {
		pg_reset(ps);
		rc = pg_step(ps);
	}
	ok(rc == DB_IOERR, "the server ends the session: DB_IOERR (%d)", rc);
	diag("message", pg_errmsg(pc));
	ok(pg_step(keep) == DB_IOERR && !pg_alive(pc),
	   "then every step is DB_IOERR, and pg_alive says 0");
	ok(pg_exec(pc, "SELECT 1") == DB_IOERR, "pg_exec too");
	ok(pg_notified(pc) == -DB_IOERR, "pg_notified: -DB_IOERR");
	pg_finalize(ps);
	pg_finalize(keep);
	pg_disconnect(pc);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: engine URL [AUTH_URL]\n");
		return 64;
	}
	struct pg_conn *pc = connect_or_bail(argv[1], 1000);
	ok(pg_alive(pc) && !*pg_errmsg(pc), "connected");
	struct pg_stmt *ps = prep(pc, "SELECT current_setting('TimeZone'), "
				  "current_setting('DateStyle'), "
				  "current_setting('lock_timeout')");
	ok(pg_step(ps) == DB_ROW && text_is(ps, "UTC") &&
	   strncmp(pg_column_text(ps, 1), "ISO", 3) == 0 &&
	   strcmp(pg_column_text(ps, 2), "1s") == 0,
	   "the session is UTC, ISO dates, lock_timeout as asked");
	pg_finalize(ps);

	placeholders(pc);
	binding(pc);
	rows(pc);
	writes(pc);
	transactions(pc);
	busy(argv[1], pc);
	notify(argv[1], pc);
	pg_disconnect(pc);
	failures(argv[1], argc > 2 ? argv[2] : NULL);

	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
