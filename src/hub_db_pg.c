/* hub_db_pg.c - the PostgreSQL engine under hub_db.c (libpq).
 *
 * The contract is hub_db_pg.h's: SQLite's placeholders, SQLite's result
 * codes, SQLite's column types, so that the data layer keeps one set of
 * queries.  What it takes to get there:
 *
 * - Statements are prepared on the server at their first step, not at
 *   pg_prepare, so that the parameters' types can come from what was bound
 *   (int8 for integers, float8 for doubles, unknown for text and NULL: the
 *   server infers them from the query, as SQLite's affinity would).  Values
 *   always travel as text, so a later step binding another type still runs.
 * - Results come back as text, the whole result at once, held until the
 *   reset: column text outlives the next step (longer than SQLite's).  An
 *   export holds all its rows in memory; single-row mode would stream them
 *   if that ever matters.
 * - A failed statement inside a transaction aborts the whole transaction on
 *   PostgreSQL, where SQLite only undoes the statement.  hub_end rolls back
 *   on any failure, so the data layer never relies on the difference.
 *
 * Nothing here is global: all state is in struct pg_conn and pg_stmt.
 * Calls nothing of the data layer (tests/arch.sh): libpq and libc only. */
#include "hub_db_pg.h"

#include "hub_db.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBPQ

#include <libpq-fe.h>

/* The type OIDs we name (pg_type.h is a server header, not libpq's). */
enum {
	OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
	OID_TEXT = 25, OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
	OID_NUMERIC = 1700
};

struct pg_conn {
	PGconn *conn;
	unsigned next_name;     /* statement names md1, md2, ...: unique per
	                         * connection, never reused */
	long long changes;
	char channel[64];       /* the channel LISTENed on ("" for none) */
	/* Statements finalized while the transaction had failed, when the
	 * server refuses even DEALLOCATE: dropped at the next chance. */
	unsigned *stale;
	int nstale, maxstale;
	char errmsg[512];
};

struct pg_stmt {
	struct pg_conn *pc;
	char *sql;              /* with $N placeholders */
	int nparams;            /* the highest parameter number */
	char **values;          /* malloc'd text, NULL for SQL NULL */
	Oid *types;             /* the latest bind's type, 0 for unknown */
	unsigned name;          /* 0 until prepared on the server */
	PGresult *res;          /* the result while stepping, else NULL */
	int row, nrows;
};

/* libpq prints notices on stderr by default: the desk owns the terminal. */
static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The first line of text into buf, without its newline. */
static void first_line(char *buf, size_t len, const char *text)
{
	if (len == 0)
		return;
	size_t n = strcspn(text ? text : "", "\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, text ? text : "", n);
	buf[n] = '\0';
	/* A server's or OpenSSL's text may hold anything (libpq 15 has been
	 * seen to end a key file's error with stray bytes): only printable
	 * ASCII and well-formed UTF-8 reach a terminal. */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)buf[i];
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0
			   ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		int good = k == 1 ? c >= 0x20 && c != 0x7f : k > 1 && i + k <= n &&
			   c >= 0xC2 && c <= 0xF4;
		for (size_t j = 1; good && j < k; j++)
			good = ((unsigned char)buf[i + j] & 0xC0) == 0x80;
		if (!good) {
			buf[i++] = '?';
			continue;
		}
		i += k;
	}
}

/* Blank out every occurrence of secret (slen bytes) in msg: a libpq
 * message may quote the part of the address it could not read. */
static void redact(char *msg, const char *secret, size_t slen)
{
	size_t stars = slen > 3 ? 3 : slen;
	char *p = msg;
	while (slen && (p = memmem(p, strlen(p), secret, slen)) != NULL) {
		memset(p, '*', stars);
		memmove(p + stars, p + slen, strlen(p + slen) + 1);
		p += stars;
	}
}

/* The password in url, as written and as libpq decodes it, out of msg. */
static void redact_password(char *msg, const char *url)
{
	const char *auth = strstr(url, "://"), *colon;
	if (auth) {             /* postgresql://user:secret@host/... */
		auth += 3;
		const char *end = auth + strcspn(auth, "/?"), *at = NULL;
		for (const char *p = auth; p < end; p++)
			if (*p == '@')
				at = p;
		if (at && (colon = memchr(auth, ':', (size_t)(at - auth))))
			redact(msg, colon + 1, (size_t)(at - colon - 1));
	}
	for (const char *q = url; (q = strstr(q, "password=")) != NULL; q += 9)
		redact(msg, q + 9, strcspn(q + 9, "&"));
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &perr);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val)
			redact(msg, o->val, strlen(o->val));
	PQconninfoFree(opts);
	PQfreemem(perr);
}

/* The certificate and key files the address names, checked with the
 * effective ids (the setgid mashdesk's group) before libpq reads them:
 * libpq 15.18 reads past its buffer writing the error for a client key it
 * cannot open (AddressSanitizer, tests/pg/isolation.sh), and a plain
 * sentence naming the file is better anyway.  1 with msg set when one
 * cannot be read. */
static int unreadable_credential(const char *url, char *msg, size_t msglen)
{
	char *perr = NULL;
	int bad = 0;
	PQconninfoOption *opts = PQconninfoParse(url, &perr);
	for (PQconninfoOption *o = opts; !bad && o && o->keyword; o++) {
		if (!o->val || !*o->val || (strcmp(o->keyword, "sslkey") != 0 &&
					    strcmp(o->keyword, "sslcert") != 0 &&
					    strcmp(o->keyword, "sslrootcert") != 0))
			continue;
		if (faccessat(AT_FDCWD, o->val, R_OK, AT_EACCESS) != 0) {
			snprintf(msg, msglen, "cannot read the %s file %s: %s",
				 o->keyword, o->val, strerror(errno));
			bad = 1;
		}
	}
	PQconninfoFree(opts);
	PQfreemem(perr);
	return bad;
}

int pg_connect(struct pg_conn **out, const char *url, int lock_timeout_ms,
	       char *msg, size_t msglen)
{
	*out = NULL;
	if (unreadable_credential(url, msg, msglen))
		return DB_AUTH;
	PGconn *conn = PQconnectdb(url);
	if (!conn) {
		snprintf(msg, msglen, "out of memory connecting to PostgreSQL");
		return DB_ERROR;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		const char *e = PQerrorMessage(conn);
		first_line(msg, msglen, e);
		redact_password(msg, url);
		int rc = strstr(e, "authentication") || strstr(e, "password") ||
			 strcasestr(e, "permission denied") ||
			 strstr(e, "private key") || strstr(e, "certificate file")
			 ? DB_AUTH : DB_CANTOPEN;
		PQfinish(conn);
		return rc;
	}
	PQsetNoticeProcessor(conn, pg_quiet, NULL);
	/* lock_timeout 0 would wait for ever, where SQLite's busy timeout 0
	 * gives up at once: the nearest is 1 ms.  UTC and ISO dates, so that
	 * timestamps read back as the C code writes them. */
	char set[256];
	snprintf(set, sizeof set, "SET lock_timeout = %d; "
		 "SET client_min_messages = warning; SET TimeZone = 'UTC'; "
		 "SET datestyle = ISO", lock_timeout_ms > 0 ? lock_timeout_ms : 1);
	PGresult *res = PQexec(conn, set);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *e = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		first_line(msg, msglen, e ? e : PQerrorMessage(conn));
		PQclear(res);
		PQfinish(conn);
		return DB_ERROR;
	}
	PQclear(res);
	struct pg_conn *pc = calloc(1, sizeof *pc);
	if (!pc) {
		snprintf(msg, msglen, "out of memory connecting to PostgreSQL");
		PQfinish(conn);
		return DB_ERROR;
	}
	pc->conn = conn;
	*out = pc;
	return DB_OK;
}

void pg_disconnect(struct pg_conn *pc)
{
	if (!pc)
		return;
	PQfinish(pc->conn);
	free(pc->stale);
	free(pc);
}

const char *pg_errmsg(struct pg_conn *pc)
{
	return pc ? pc->errmsg : "";
}

/* ---- failures ------------------------------------------------------------ */

/* The nearest SQLite code for a SQLSTATE (or for none: libpq's own
 * failures, such as a connection lost mid-query). */
static int map_state(PGconn *conn, const char *st)
{
	if (PQstatus(conn) == CONNECTION_BAD)
		return DB_IOERR;
	if (!st || strlen(st) != 5)
		return DB_ERROR;
	if (strncmp(st, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (!strcmp(st, "40001") || !strcmp(st, "40P01") ||
	    !strcmp(st, "55P03") || !strcmp(st, "57014"))
		return DB_BUSY;     /* serialization, deadlock, lock_timeout */
	if (!strcmp(st, "25006"))
		return DB_READONLY;
	if (!strcmp(st, "42501"))
		return DB_PERM;
	if (!strcmp(st, "53100"))
		return DB_FULL;
	if (strncmp(st, "53", 2) == 0)
		return DB_NOMEM;
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "58", 2) == 0 ||
	    !strcmp(st, "57P01") || !strcmp(st, "57P02") || !strcmp(st, "57P03"))
		return DB_IOERR;
	if (!strcmp(st, "XX001") || !strcmp(st, "XX002"))
		return DB_CORRUPT;
	return DB_ERROR;
}

/* Record a failed result's sentence and map it; clears res.  The primary
 * message alone: a trigger's refusal (md_refuse, SQLSTATE 23001) reads
 * exactly as its text, as SQLite gives RAISE(ABORT, 'text'). */
static int fail(struct pg_conn *pc, PGresult *res)
{
	const char *e = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			    : NULL;
	if (!e) {
		/* libpq's own text ("FATAL:  terminating connection ..."):
		 * the severity is not part of the sentence. */
		e = PQerrorMessage(pc->conn);
		if (!strncmp(e, "FATAL:  ", 8) || !strncmp(e, "ERROR:  ", 8))
			e += 8;
	}
	first_line(pc->errmsg, sizeof pc->errmsg, e);
	int rc = map_state(pc->conn, res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
					 : NULL);
	PQclear(res);
	return rc;
}

/* Note the rows an INSERT, UPDATE, DELETE or MERGE changed (with or
 * without RETURNING): other commands leave the count, as in SQLite. */
static void note_changes(struct pg_conn *pc, PGresult *res)
{
	const char *cmd = PQcmdStatus(res);
	if (cmd && (!strncmp(cmd, "INSERT ", 7) || !strncmp(cmd, "UPDATE ", 7) ||
		    !strncmp(cmd, "DELETE ", 7) || !strncmp(cmd, "MERGE ", 6)))
		pc->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* Run text on the connection: DB_OK or a mapped failure. */
static int run(struct pg_conn *pc, const char *sql)
{
	PGresult *res = PQexec(pc->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	/* Text of comments only (db/pg/0009) is an empty query: nothing to do. */
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
		return fail(pc, res);
	note_changes(pc, res);
	PQclear(res);
	return DB_OK;
}

/* DEALLOCATE the statements left over, once the transaction allows it. */
static void drop_stale(struct pg_conn *pc)
{
	if (pc->nstale == 0 || PQstatus(pc->conn) != CONNECTION_OK ||
	    PQtransactionStatus(pc->conn) == PQTRANS_INERROR)
		return;
	for (int i = 0; i < pc->nstale; i++) {
		char sql[32];
		snprintf(sql, sizeof sql, "DEALLOCATE md%u", pc->stale[i]);
		PQclear(PQexec(pc->conn, sql));
	}
	pc->nstale = 0;
}

/* ---- statements ---------------------------------------------------------- */

/* SQLite's placeholders as PostgreSQL's: ? is one more than the highest
 * number so far, ?NNN is $NNN; quoted text, quoted names and comments are
 * copied as they are (the SQL is SQLite's: no E'' or $$ quoting).  The new
 * text (malloc'd), or NULL with *nparams -1 for a number out of SQLite's
 * range, 0 for no memory. */
static char *translate(const char *sql, int *nparams)
{
	size_t marks = 0;
	for (const char *p = sql; *p; p++)
		marks += *p == '?';
	char *out = malloc(strlen(sql) + marks * 6 + 1), *o = out;
	int max = 0;
	*nparams = 0;
	for (const char *p = sql; out && *p;) {
		size_t n = 0;   /* a run to copy as it is */
		if (*p == '\'' || *p == '"') {
			/* A doubled quote reads as the end of one run and the
			 * start of the next: the same copy. */
			const char *end = strchr(p + 1, *p);
			n = end ? (size_t)(end - p + 1) : strlen(p);
		} else if (p[0] == '-' && p[1] == '-') {
			n = strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			n = end ? (size_t)(end - p + 2) : strlen(p);
		} else if (*p != '?') {
			n = 1;
		}
		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
			continue;
		}
		long num = max + 1;     /* a bare ? */
		if (*++p >= '0' && *p <= '9') {
			char *end;
			num = strtol(p, &end, 10);
			p = end;
		}
		/* SQLite's limit (PostgreSQL's is 65535). */
		if (num < 1 || num > 32766) {
			free(out);
			*nparams = -1;
			return NULL;
		}
		if (num > max)
			max = (int)num;
		o += sprintf(o, "$%ld", num);
	}
	if (out) {
		*o = '\0';
		*nparams = max;
	}
	return out;
}

int pg_prepare(struct pg_conn *pc, const char *sql, struct pg_stmt **out)
{
	*out = NULL;
	struct pg_stmt *ps = calloc(1, sizeof *ps);
	if (!ps) {
		snprintf(pc->errmsg, sizeof pc->errmsg, "out of memory");
		return DB_NOMEM;
	}
	ps->pc = pc;
	ps->sql = translate(sql, &ps->nparams);
	if (!ps->sql) {
		int bad = ps->nparams < 0;
		snprintf(pc->errmsg, sizeof pc->errmsg, "%s", bad ?
			 "a parameter number out of range (1 to 32766)" :
			 "out of memory");
		free(ps);
		return bad ? DB_ERROR : DB_NOMEM;
	}
	if (ps->nparams > 0) {
		ps->values = calloc((size_t)ps->nparams, sizeof *ps->values);
		ps->types = calloc((size_t)ps->nparams, sizeof *ps->types);
		if (!ps->values || !ps->types) {
			snprintf(pc->errmsg, sizeof pc->errmsg, "out of memory");
			pg_finalize(ps);
			return DB_NOMEM;
		}
	}
	*out = ps;
	return DB_OK;
}

void pg_finalize(struct pg_stmt *ps)
{
	if (!ps)
		return;
	pg_reset(ps);
	struct pg_conn *pc = ps->pc;
	if (ps->name && PQstatus(pc->conn) == CONNECTION_OK) {
		if (PQtransactionStatus(pc->conn) == PQTRANS_INERROR) {
			if (pc->nstale == pc->maxstale) {
				int n = pc->maxstale ? pc->maxstale * 2 : 8;
				unsigned *s = realloc(pc->stale, sizeof *s * (size_t)n);
				if (s) {
					pc->stale = s;
					pc->maxstale = n;
				}
			}
			/* Without room it stays on the server until the
			 * connection ends: harmless, the name is never reused. */
			if (pc->nstale < pc->maxstale)
				pc->stale[pc->nstale++] = ps->name;
		} else {
			char sql[32];
			snprintf(sql, sizeof sql, "DEALLOCATE md%u", ps->name);
			PQclear(PQexec(pc->conn, sql));
		}
	}
	for (int i = 0; i < ps->nparams && ps->values; i++)
		free(ps->values[i]);
	free(ps->values);
	free(ps->types);
	free(ps->sql);
	free(ps);
}

static void set_param(struct pg_stmt *ps, int i, const char *text, Oid type)
{
	if (!ps || i < 1 || i > ps->nparams)
		return;
	free(ps->values[i - 1]);
	ps->values[i - 1] = text ? strdup(text) : NULL;
	ps->types[i - 1] = type;
}

void pg_bind_int64(struct pg_stmt *ps, int i, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	set_param(ps, i, buf, OID_INT8);
}

void pg_bind_double(struct pg_stmt *ps, int i, double v)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.17g", v);
	set_param(ps, i, buf, OID_FLOAT8);
}

void pg_bind_text(struct pg_stmt *ps, int i, const char *s)
{
	set_param(ps, i, s, 0);
}

void pg_bind_null(struct pg_stmt *ps, int i)
{
	set_param(ps, i, NULL, 0);
}

void pg_clear_bindings(struct pg_stmt *ps)
{
	for (int i = 1; ps && i <= ps->nparams; i++)
		set_param(ps, i, NULL, 0);
}

/* PQprepare under a savepoint inside a transaction: a refused prepare
 * would otherwise abort the transaction, where SQLite's leaves it be. */
static PGresult *prepare_once(struct pg_stmt *ps, const char *name,
			      const Oid *types)
{
	PGconn *conn = ps->pc->conn;
	int sp = PQtransactionStatus(conn) == PQTRANS_INTRANS;
	if (sp)
		PQclear(PQexec(conn, "SAVEPOINT md_prepare"));
	PGresult *res = PQprepare(conn, name, ps->sql, ps->nparams, types);
	if (sp) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			PQclear(PQexec(conn, "ROLLBACK TO SAVEPOINT md_prepare"));
		PQclear(PQexec(conn, "RELEASE SAVEPOINT md_prepare"));
	}
	return res;
}

/* Prepare on the server, typed by the bindings.  A parameter the server
 * cannot type from the query alone (a bare `? IS NULL`: 42P08 or 42P18;
 * an argument of an overloaded function: 42725) is retried once as text. */
static int prepare(struct pg_stmt *ps)
{
	struct pg_conn *pc = ps->pc;
	unsigned id = ++pc->next_name;
	char name[16];
	snprintf(name, sizeof name, "md%u", id);
	PGresult *res = prepare_once(ps, name, ps->types);
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && st &&
	    (!strcmp(st, "42P18") || !strcmp(st, "42P08") ||
	     !strcmp(st, "42725"))) {
		PQclear(res);
		for (int i = 0; i < ps->nparams; i++)
			if (ps->types[i] == 0)
				ps->types[i] = OID_TEXT;
		res = prepare_once(ps, name, ps->types);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail(pc, res);
	PQclear(res);
	ps->name = id;
	return DB_OK;
}

int pg_step(struct pg_stmt *ps)
{
	if (!ps)
		return DB_ERROR;
	if (ps->res) {
		if (ps->row + 1 < ps->nrows) {
			ps->row++;
			return DB_ROW;
		}
		ps->row = ps->nrows;
		return DB_DONE;
	}
	struct pg_conn *pc = ps->pc;
	drop_stale(pc);
	if (!ps->name) {
		int rc = prepare(ps);
		if (rc != DB_OK)
			return rc;
	}
	char name[16];
	snprintf(name, sizeof name, "md%u", ps->name);
	PGresult *res = PQexecPrepared(pc->conn, name, ps->nparams,
				       (const char *const *)ps->values,
				       NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return fail(pc, res);
	note_changes(pc, res);
	pc->errmsg[0] = '\0';
	ps->res = res;
	ps->nrows = PQntuples(res);
	ps->row = 0;
	return ps->nrows > 0 ? DB_ROW : DB_DONE;
}

void pg_reset(struct pg_stmt *ps)
{
	if (!ps)
		return;
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = ps->nrows = 0;
}

/* ---- columns -------------------------------------------------------------- */

/* The current row's value, or NULL for SQL NULL, no row or no such column. */
static const char *value(struct pg_stmt *ps, int col, Oid *type)
{
	if (!ps || !ps->res || ps->row >= ps->nrows || col < 0 ||
	    col >= PQnfields(ps->res) || PQgetisnull(ps->res, ps->row, col))
		return NULL;
	*type = PQftype(ps->res, col);
	return PQgetvalue(ps->res, ps->row, col);
}

int pg_column_type(struct pg_stmt *ps, int col)
{
	Oid t = 0;
	const char *v = value(ps, col, &t);
	if (!v)
		return DB_NULL;
	switch (t) {
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: case OID_BOOL:
		return DB_INTEGER;
	case OID_FLOAT4: case OID_FLOAT8:
		return DB_FLOAT;
	case OID_NUMERIC:
		return strchr(v, '.') ? DB_FLOAT : DB_INTEGER;
	default:
		return DB_TEXT;
	}
}

long long pg_column_int64(struct pg_stmt *ps, int col)
{
	Oid t = 0;
	const char *v = value(ps, col, &t);
	if (!v)
		return 0;
	if (t == OID_BOOL)
		return v[0] == 't';
	/* A fraction or an exponent: truncated toward zero, as SQLite reads
	 * a real as an integer. */
	if (strpbrk(v, ".eE")) {
		double d = strtod(v, NULL);
		return d != d ? 0 : d >= 9.2e18 ? LLONG_MAX
		       : d <= -9.2e18 ? LLONG_MIN : (long long)d;
	}
	return strtoll(v, NULL, 10);
}

double pg_column_double(struct pg_stmt *ps, int col)
{
	Oid t = 0;
	const char *v = value(ps, col, &t);
	if (!v)
		return 0.0;
	if (t == OID_BOOL)
		return v[0] == 't' ? 1.0 : 0.0;
	return strtod(v, NULL);
}

const char *pg_column_text(struct pg_stmt *ps, int col)
{
	Oid t = 0;
	const char *v = value(ps, col, &t);
	if (v && t == OID_BOOL)
		return v[0] == 't' ? "1" : "0";
	return v;
}

int pg_column_bytes(struct pg_stmt *ps, int col)
{
	const char *v = pg_column_text(ps, col);
	return v ? (int)strlen(v) : 0;
}

/* ---- text, changes, notifications ------------------------------------------ */

int pg_exec(struct pg_conn *pc, const char *sql)
{
	drop_stale(pc);
	int rc = run(pc, sql);
	if (rc == DB_OK)
		pc->errmsg[0] = '\0';
	return rc;
}

long long pg_changes(struct pg_conn *pc)
{
	return pc ? pc->changes : 0;
}

int pg_listen(struct pg_conn *pc, const char *channel)
{
	if (strcmp(pc->channel, channel) == 0)
		return DB_OK;
	if (strlen(channel) >= sizeof pc->channel) {
		snprintf(pc->errmsg, sizeof pc->errmsg, "channel name too long");
		return DB_ERROR;
	}
	char *quoted = PQescapeIdentifier(pc->conn, channel, strlen(channel));
	if (!quoted) {
		first_line(pc->errmsg, sizeof pc->errmsg, PQerrorMessage(pc->conn));
		return map_state(pc->conn, NULL);
	}
	char sql[160];
	snprintf(sql, sizeof sql, "LISTEN %s", quoted);
	PQfreemem(quoted);
	int rc = pg_exec(pc, sql);
	if (rc == DB_OK)
		snprintf(pc->channel, sizeof pc->channel, "%s", channel);
	return rc;
}

int pg_notified(struct pg_conn *pc)
{
	if (!PQconsumeInput(pc->conn) || PQstatus(pc->conn) == CONNECTION_BAD) {
		first_line(pc->errmsg, sizeof pc->errmsg, PQerrorMessage(pc->conn));
		return -DB_IOERR;
	}
	int any = 0;
	PGnotify *n;
	while ((n = PQnotifies(pc->conn)) != NULL) {
		any = 1;
		PQfreemem(n);
	}
	return any;
}

int pg_alive(struct pg_conn *pc)
{
	return pc && PQstatus(pc->conn) == CONNECTION_OK;
}

#else /* !HAVE_LIBPQ */

/* Built without libpq: hub_db.c still links, and a postgresql:// address
 * says why it cannot be opened.  Nothing else is reachable without a
 * connection. */
int pg_connect(struct pg_conn **out, const char *url, int lock_timeout_ms,
	       char *msg, size_t msglen)
{
	(void)url;
	(void)lock_timeout_ms;
	*out = NULL;
	snprintf(msg, msglen, "this mashdesk was built without PostgreSQL "
		 "support (libpq)");
	return DB_CANTOPEN;
}
void pg_disconnect(struct pg_conn *pc) { (void)pc; }
const char *pg_errmsg(struct pg_conn *pc) { (void)pc; return ""; }
int pg_prepare(struct pg_conn *pc, const char *sql, struct pg_stmt **out)
{
	(void)pc;
	(void)sql;
	*out = NULL;
	return DB_CANTOPEN;
}
void pg_finalize(struct pg_stmt *ps) { (void)ps; }
void pg_bind_int64(struct pg_stmt *ps, int i, long long v)
{ (void)ps; (void)i; (void)v; }
void pg_bind_double(struct pg_stmt *ps, int i, double v)
{ (void)ps; (void)i; (void)v; }
void pg_bind_text(struct pg_stmt *ps, int i, const char *s)
{ (void)ps; (void)i; (void)s; }
void pg_bind_null(struct pg_stmt *ps, int i) { (void)ps; (void)i; }
void pg_clear_bindings(struct pg_stmt *ps) { (void)ps; }
int pg_step(struct pg_stmt *ps) { (void)ps; return DB_CANTOPEN; }
void pg_reset(struct pg_stmt *ps) { (void)ps; }
int pg_column_type(struct pg_stmt *ps, int col)
{ (void)ps; (void)col; return DB_NULL; }
long long pg_column_int64(struct pg_stmt *ps, int col)
{ (void)ps; (void)col; return 0; }
double pg_column_double(struct pg_stmt *ps, int col)
{ (void)ps; (void)col; return 0.0; }
const char *pg_column_text(struct pg_stmt *ps, int col)
{ (void)ps; (void)col; return NULL; }
int pg_column_bytes(struct pg_stmt *ps, int col)
{ (void)ps; (void)col; return 0; }
int pg_exec(struct pg_conn *pc, const char *sql)
{ (void)pc; (void)sql; return DB_CANTOPEN; }
long long pg_changes(struct pg_conn *pc) { (void)pc; return 0; }
int pg_listen(struct pg_conn *pc, const char *channel)
{ (void)pc; (void)channel; return DB_CANTOPEN; }
int pg_notified(struct pg_conn *pc) { (void)pc; return -DB_IOERR; }
int pg_alive(struct pg_conn *pc) { (void)pc; return 0; }

#endif
