/* hub_transfer.c - a child's case moving to another hub (hub_transfer.h).
 *
 * The bundle is a small SQLite database built in memory and written out as
 * one image: tables mirroring the referral and its parts, listed once in
 * bundle_tables[] below (its name, its columns with each one's type and
 * size bound, the query that reads its rows from the hub), plus a `bundle`
 * row: format, sending hub and its mode, reference, time, who, where to,
 * why, and the SHA-256 of a canonical serialisation of every row of every
 * table in that order (bundle_hash).  A part added to a referral later
 * is one more entry in that list (strategy discussions and feedback
 * came so).
 *
 * Restricted agency entries (handling_code.leaves_hub = 0) are withheld in
 * the SQL that reads them: their agency, status and times go (marked
 * withheld), their information, consent and override texts never do.
 *
 * Out, in one BEGIN IMMEDIATE transaction: read the rows, build the image,
 * check it as a receiving hub would, write it to a temporary file beside
 * FILE with the user's own rights, close the referral as transferred and
 * audit it, link the file into place, commit.  A failure before the
 * commit removes the file again: nothing changes and nothing is left.
 *
 * In: the file is hostile input.  It is read whole (with the user's
 * rights, at most HUB_TRANSFER_MAX_BYTES) into memory and opened from
 * there read-only, so SQLite never touches the file itself (no journal
 * beside it, nothing replayed into it), on a connection with triggers and
 * views off, defensive mode on and an untrusted schema.  Then, in this
 * order, anything wrong being 65 with nothing changed: the SQLite header
 * and application id, the format version, the schema (exactly our tables
 * and columns, before any row is read: a hostile schema's expressions
 * never run), PRAGMA integrity_check, every value's type and size and
 * every table's row count, the hash, and finally the whole file against
 * the image this program would write from those rows (a byte changed in
 * unused space, or rows hidden in free pages, differ).  The hash shows a
 * bundle was not damaged or edited by hand; it is not a signature (anyone
 * who knows the format can write a bundle), so what arrives is a contact
 * to be screened like any other, its history kept apart as the sending
 * hub's account. */
#include "hub_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_transfer.h"
#include "mashdesk/privilege.h"
#include "mashdesk/sha256.h"
#include "mashdesk/text.h"

#define APP_ID 1296126792       /* 'MASH' in the SQLite header */
#define NAME_B 200
#define TEXT_B 100000
#define CODE_B 31
#define HUB_B 100
#define LOGIN_B 63
#define REASON_B 2000
#define TIME_MAX 253402300799LL  /* 9999-12-31T23:59:59Z */
#define HISTORY_MAX 4000000

/* ---- the bundle's tables ------------------------------------------------------ */

enum bkind { B_TEXT, B_INT, B_FLAG, B_TIME };

struct bcol {
	const char *name;
	enum bkind kind;
	int null_ok;
	long long max;          /* text: bytes; an integer: its largest value */
};

struct btable {
	const char *name;       /* in the bundle */
	const char *title;      /* in the history kept by the receiving hub */
	const char *select;     /* its rows at the sending hub (?1 = referral
	                         * id), columns in cols' order; NULL: written
	                         * by this file (the bundle row) */
	int min_rows, max_rows;
	const struct bcol *cols;
	int ncols;
};

#define T(n, m) { n, B_TEXT, 0, m }
#define TN(n, m) { n, B_TEXT, 1, m }
#define F(n) { n, B_FLAG, 0, 1 }
#define FN(n) { n, B_FLAG, 1, 1 }
#define TM(n) { n, B_TIME, 0, TIME_MAX }
#define TMN(n) { n, B_TIME, 1, TIME_MAX }

static const struct bcol bundle_cols[] = {
	{ "format", B_INT, 0, 1000 }, T("hub", HUB_B), T("hub_mode", 8),
	T("ref", CODE_B), TM("at"), T("by_login", LOGIN_B), T("to_hub", HUB_B),
	T("reason", REASON_B), T("hash", 64),   /* last: not hashed */
};
enum { BUNDLE_FORMAT, BUNDLE_HUB, BUNDLE_MODE, BUNDLE_REF, BUNDLE_AT,
       BUNDLE_BY, BUNDLE_TO, BUNDLE_REASON, BUNDLE_HASH };

static const struct bcol child_cols[] = {
	T("ref", CODE_B), T("child_name", NAME_B), T("dob", 10), F("dob_estimated"),
	TN("gender", NAME_B), TN("ethnicity", NAME_B), TN("language", NAME_B),
	F("interpreter"), TN("disability", TEXT_B), TN("address", TEXT_B),
	TN("previous_address", TEXT_B), TN("school", TEXT_B), TN("gp", TEXT_B),
	TN("nhs_number", 10), TN("upn", NAME_B), TN("allocated_worker", NAME_B),
	TN("referrer", TEXT_B), TN("referrer_role", NAME_B),
	TN("referrer_agency", NAME_B), TN("referrer_contact", TEXT_B),
	TN("source", CODE_B), T("concern", TEXT_B), TN("impact", TEXT_B),
	TN("tried", TEXT_B), TN("strengths", TEXT_B), TN("category", CODE_B),
	FN("parents_aware"), TN("consent", CODE_B), TN("consent_reason", TEXT_B),
	TN("rag", CODE_B), { "level", B_INT, 1, 4 }, T("status", CODE_B),
	T("stage", CODE_B), TM("received_at"), TM("due_at"), TMN("decided_at"),
	TMN("screened_at"), TN("screening_outcome", CODE_B),
	TN("screening_reason", TEXT_B), TN("transferred_from_hub", HUB_B),
	TN("transferred_from_ref", CODE_B),
};
/* child_cols' indexes the new referral is made from */
enum { C_REF, C_NAME, C_DOB, C_DOB_EST, C_GENDER, C_ETHNICITY, C_LANGUAGE,
       C_INTERPRETER, C_DISABILITY, C_ADDRESS, C_PREV_ADDRESS, C_SCHOOL, C_GP,
       C_NHS, C_UPN, C_WORKER, C_REFERRER, C_REFERRER_ROLE, C_REFERRER_AGENCY,
       C_REFERRER_CONTACT, C_SOURCE, C_CONCERN, C_IMPACT, C_TRIED,
       C_STRENGTHS, C_CATEGORY, C_PARENTS_AWARE, C_CONSENT, C_CONSENT_REASON,
       C_NCOLS = 41 };

static const struct bcol alias_cols[] = { T("alias", NAME_B) };

static const struct bcol person_cols[] = {
	T("name", NAME_B), T("relationship", NAME_B), TN("dob", 10),
	F("parental_responsibility"), F("alleged_perpetrator"), F("household"),
};

static const struct bcol check_cols[] = {
	T("agency", CODE_B), T("status", CODE_B), F("withheld"),
	T("handling", CODE_B), TN("info", TEXT_B), TN("lawful_basis", CODE_B),
	TN("consent", CODE_B), TN("consent_reason", TEXT_B),
	TN("override_reason", TEXT_B), TM("requested_at"), TM("due_at"),
	TMN("completed_at"), TN("requested_by", LOGIN_B),
	TN("request_reason", TEXT_B), T("updated_by", LOGIN_B), TM("updated_at"),
};

static const struct bcol decision_cols[] = {
	T("outcome", CODE_B), T("rationale", TEXT_B), TN("rag", CODE_B),
	{ "level", B_INT, 1, 4 }, TN("feedback", TEXT_B),
	TN("decided_by", LOGIN_B), TM("decided_at"), TN("signed_by", LOGIN_B),
	TMN("signed_at"),
};

static const struct bcol decision_agency_cols[] = { T("agency", CODE_B) };

static const struct bcol action_cols[] = {
	T("what", TEXT_B), T("owner", NAME_B), T("due_date", 10), TMN("done_at"),
};

static const struct bcol rating_cols[] = {
	TM("at"), T("by_login", LOGIN_B), TN("from_rag", CODE_B),
	T("to_rag", CODE_B), T("reason", TEXT_B),
};

/* A strategy discussion, who took part flattened into one line by agency
 * ("police: pat, csc: sam, health: Ada Lane"), and its actions, each by
 * the time of the discussion it came from. */
static const struct bcol strategy_cols[] = {
	TM("held_at"), T("how", CODE_B), T("summary", TEXT_B),
	T("decision", CODE_B), TN("instead", TEXT_B), F("reconvene"),
	TN("missing_reason", TEXT_B), T("recorded_by", LOGIN_B),
	TM("recorded_at"), TN("attended", TEXT_B),
};

/* What the referrer was told, in the hub's own words (checked when given
 * never to repeat a restricted entry). */
static const struct bcol feedback_cols[] = {
	TM("at"), T("kind", CODE_B), T("method", CODE_B), T("text", TEXT_B),
	T("by_login", LOGIN_B),
};

static const struct bcol strategy_action_cols[] = {
	TM("held_at"), T("what", TEXT_B), T("owner", NAME_B), T("due_date", 10),
};

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

/* In this order in the file, the hash and the kept history.  A restricted
 * check's texts are NULL here, in SQL: no C can let one through. */
static const struct btable bundle_tables[] = {
	{ "bundle", "Transfer", NULL, 1, 1, COLS(bundle_cols) },
	{ "child", "Referral", "SELECT ref, child_name, dob, dob_estimated,"
	  " gender, ethnicity, language, interpreter, disability, address,"
	  " previous_address, school, gp, nhs_number, upn, allocated_worker,"
	  " referrer, referrer_role, referrer_agency, referrer_contact, source,"
	  " concern, impact, tried, strengths, category, parents_aware, consent,"
	  " consent_reason, rag, level, status, stage, received_at, due_at,"
	  " decided_at, screened_at, screening_outcome, screening_reason,"
	  " transferred_from_hub, transferred_from_ref"
	  " FROM referral WHERE id = ?1", 1, 1, COLS(child_cols) },
	{ "alias", "Also known as", "SELECT alias FROM referral_alias"
	  " WHERE referral_id = ?1 ORDER BY alias", 0, 1000, COLS(alias_cols) },
	{ "person", "Household and significant adults", "SELECT name,"
	  " relationship, dob, parental_responsibility, alleged_perpetrator,"
	  " household FROM person WHERE referral_id = ?1 ORDER BY id",
	  0, 200, COLS(person_cols) },
	{ "agency_check", "Agency checks (restricted entries withheld)",
	  "SELECT c.agency, c.status, h.leaves_hub = 0, c.handling,"
	  " CASE WHEN h.leaves_hub = 1 THEN c.info END,"
	  " CASE WHEN h.leaves_hub = 1 THEN c.lawful_basis END,"
	  " CASE WHEN h.leaves_hub = 1 THEN c.consent END,"
	  " CASE WHEN h.leaves_hub = 1 THEN c.consent_reason END,"
	  " CASE WHEN h.leaves_hub = 1 THEN c.override_reason END,"
	  " c.requested_at, c.due_at, c.completed_at, c.requested_by,"
	  " c.request_reason, c.updated_by, c.updated_at"
	  " FROM agency_check c JOIN handling_code h ON h.code = c.handling"
	  " WHERE c.referral_id = ?1 ORDER BY c.agency", 0, 64, COLS(check_cols) },
	{ "decision", "Decision", "SELECT outcome, rationale, rag, level,"
	  " feedback, decided_by, decided_at, signed_by, signed_at"
	  " FROM decision WHERE referral_id = ?1", 0, 1, COLS(decision_cols) },
	{ "decision_agency", "Agencies in the decision", "SELECT agency"
	  " FROM decision_agency WHERE referral_id = ?1 ORDER BY agency",
	  0, 64, COLS(decision_agency_cols) },
	{ "decision_action", "Actions", "SELECT what, owner, due_date, done_at"
	  " FROM decision_action WHERE referral_id = ?1 ORDER BY id",
	  0, 1000, COLS(action_cols) },
	{ "rating", "RAG ratings", "SELECT at, by_login, from_rag, to_rag, reason"
	  " FROM rating WHERE referral_id = ?1 ORDER BY at, id",
	  0, 10000, COLS(rating_cols) },
	{ "strategy", "Strategy discussions", "SELECT s.held_at, s.how,"
	  " s.summary, s.decision, s.instead, s.reconvene, s.missing_reason,"
	  " s.recorded_by, s.recorded_at, (SELECT group_concat(w, ', ') FROM"
	  " (SELECT t.agency || ': ' || coalesce(t.login, t.name) AS w"
	  "  FROM strategy_attendee t JOIN agency a ON a.code = t.agency"
	  "  WHERE t.strategy_id = s.id ORDER BY a.sort, t.id) AS sq)"
	  " FROM strategy s WHERE s.referral_id = ?1 ORDER BY s.held_at, s.id",
	  0, 1000, COLS(strategy_cols) },
	{ "strategy_action", "Strategy discussions' actions", "SELECT s.held_at,"
	  " x.what, x.owner, x.due_date FROM strategy_action x"
	  " JOIN strategy s ON s.id = x.strategy_id WHERE s.referral_id = ?1"
	  " ORDER BY s.held_at, s.id, x.id", 0, 10000,
	  COLS(strategy_action_cols) },
	{ "feedback", "Feedback to the referrer", "SELECT at, kind, method, text,"
	  " by_login FROM feedback WHERE referral_id = ?1 ORDER BY at, id",
	  0, 10000, COLS(feedback_cols) },
};
#define NTABLES ((int)(sizeof bundle_tables / sizeof bundle_tables[0]))

/* ---- SQL text about the bundle's own tables ------------------------------------ */

struct sqlbuf {
	char s[4096];
	size_t n;
};

static void sb_add(struct sqlbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_add(struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n = b->n + (size_t)k < sizeof b->s ? b->n + (size_t)k
						      : sizeof b->s - 1;
}

/* CREATE TABLE as it stands in sqlite_schema, exactly. */
static void sql_create(const struct btable *t, struct sqlbuf *b)
{
	b->n = 0;
	sb_add(b, "CREATE TABLE %s (seq INTEGER PRIMARY KEY", t->name);
	for (int i = 0; i < t->ncols; i++)
		sb_add(b, ", %s %s", t->cols[i].name,
		       t->cols[i].kind == B_TEXT ? "TEXT" : "INTEGER");
	sb_add(b, ")");
}

static void sql_select(const struct btable *t, struct sqlbuf *b)
{
	b->n = 0;
	sb_add(b, "SELECT ");
	for (int i = 0; i < t->ncols; i++)
		sb_add(b, "%s%s", i ? ", " : "", t->cols[i].name);
	sb_add(b, " FROM %s ORDER BY seq", t->name);
}

static void sql_insert(const struct btable *t, struct sqlbuf *b)
{
	b->n = 0;
	sb_add(b, "INSERT INTO %s (", t->name);
	for (int i = 0; i < t->ncols; i++)
		sb_add(b, "%s%s", i ? ", " : "", t->cols[i].name);
	sb_add(b, ") VALUES (");
	for (int i = 0; i < t->ncols; i++)
		sb_add(b, "%s?", i ? ", " : "");
	sb_add(b, ")");
}

static int bad(struct md_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct md_error *err, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return md_fail(err, EX_DATAERR, "%s", msg);
}

static int bdb_fail(sqlite3 *db, const char *doing, struct md_error *err)
{
	return bad(err, "%s: %s", doing, sqlite3_errmsg(db));
}

static int bdb_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st,
		       struct md_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
		return bdb_fail(db, "not a transfer bundle", err);
	}
	return 0;
}

/* ---- building an image ---------------------------------------------------------- */

/* An empty bundle in memory, its tables made, inside a transaction: every
 * setting that shapes the file is fixed here, so the same rows make the
 * same bytes at both hubs. */
static int bundle_new(sqlite3 **out, struct md_error *err)
{
	sqlite3 *db = NULL;
	char sql[160];
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	snprintf(sql, sizeof sql, "PRAGMA page_size = 4096; PRAGMA auto_vacuum"
		 " = NONE; PRAGMA encoding = 'UTF-8'; PRAGMA application_id ="
		 " %d; PRAGMA user_version = %d; BEGIN", APP_ID,
		 HUB_TRANSFER_FORMAT);
	int status = 0;
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		status = md_fail(err, EX_SOFTWARE, "making a bundle: %s",
				 sqlite3_errmsg(db));
	struct sqlbuf b;
	for (int i = 0; !status && i < NTABLES; i++) {
		sql_create(&bundle_tables[i], &b);
		if (sqlite3_exec(db, b.s, NULL, NULL, NULL) != SQLITE_OK)
			status = md_fail(err, EX_SOFTWARE, "making a bundle: %s",
					 sqlite3_errmsg(db));
	}
	if (status) {
		sqlite3_close(db);
		return status;
	}
	*out = db;
	return 0;
}

/* Rows come from a bundle (lite) or from the hub (rows, either engine). */
static int src_step(sqlite3_stmt *lite, struct db_stmt *rows)
{
	return lite ? sqlite3_step(lite) : db_step(rows);
}

static void bind_from(sqlite3_stmt *ins, int i, sqlite3_stmt *lite,
		      struct db_stmt *rows)
{
	if (lite) {
		sqlite3_bind_value(ins, i + 1, sqlite3_column_value(lite, i));
		return;
	}
	switch (db_column_type(rows, i)) {
	case DB_NULL:
		sqlite3_bind_null(ins, i + 1);
		break;
	case DB_INTEGER:
		sqlite3_bind_int64(ins, i + 1, db_column_int64(rows, i));
		break;
	case DB_FLOAT:
		sqlite3_bind_double(ins, i + 1, db_column_double(rows, i));
		break;
	default:
		sqlite3_bind_text(ins, i + 1, db_column_text(rows, i), -1,
				  SQLITE_TRANSIENT);
	}
}

/* Each row src (lite or hub) steps through into table t of dst; the
 * bundle row's hash becomes `hash` when given; from is the hub rows
 * come from. */
static int bundle_copy(sqlite3 *dst, const struct btable *t, sqlite3_stmt *lite,
		       struct db_stmt *rows, struct hub *from, const char *hash,
		       struct md_error *err)
{
	struct sqlbuf b;
	sqlite3_stmt *ins = NULL;
	sql_insert(t, &b);
	if (sqlite3_prepare_v2(dst, b.s, -1, &ins, NULL) != SQLITE_OK) {
		sqlite3_finalize(ins);
		return md_fail(err, EX_SOFTWARE, "making a bundle: %s",
			       sqlite3_errmsg(dst));
	}
	int rc, status = 0;
	while (!status && (rc = src_step(lite, rows)) == SQLITE_ROW) {
		for (int i = 0; i < t->ncols; i++)
			bind_from(ins, i, lite, rows);
		if (hash && t->cols == bundle_cols)
			sqlite3_bind_text(ins, BUNDLE_HASH + 1, hash, -1,
					  SQLITE_TRANSIENT);
		if (sqlite3_step(ins) != SQLITE_DONE)
			status = md_fail(err, EX_SOFTWARE, "making a bundle: %s",
					 sqlite3_errmsg(dst));
		sqlite3_reset(ins);
	}
	if (!status && rc != SQLITE_DONE)
		status = md_fail(err, EX_SOFTWARE, "reading rows for a bundle: %s",
				 from ? hub_errmsg(from) : sqlite3_errstr(rc));
	sqlite3_finalize(ins);
	return status;
}

/* Commit and take the bytes. */
static int bundle_image(sqlite3 *db, unsigned char **img, size_t *n,
			struct md_error *err)
{
	sqlite3_int64 size = 0;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return md_fail(err, EX_SOFTWARE, "making a bundle: %s",
			       sqlite3_errmsg(db));
	*img = sqlite3_serialize(db, "main", &size, 0);
	if (!*img)
		return md_fail(err, EX_OSERR, "out of memory");
	*n = (size_t)size;
	return 0;
}

/* A bundle made afresh from the rows of another: what this program writes
 * for them, byte for byte. */
static int bundle_rebuild(sqlite3 *from, const char *hash, unsigned char **img,
			  size_t *n, struct md_error *err)
{
	sqlite3 *db;
	int status = bundle_new(&db, err);
	if (status)
		return status;
	struct sqlbuf b;
	for (int i = 0; !status && i < NTABLES; i++) {
		sqlite3_stmt *st = NULL;
		sql_select(&bundle_tables[i], &b);
		status = bdb_prepare(from, b.s, &st, err);
		if (!status)
			status = bundle_copy(db, &bundle_tables[i], st, NULL, NULL,
					     hash, err);
		sqlite3_finalize(st);
	}
	if (!status)
		status = bundle_image(db, img, n, err);
	sqlite3_close(db);
	return status;
}

/* ---- the hash ----------------------------------------------------------------------- */

static void hash_printf(struct sha256 *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void hash_printf(struct sha256 *s, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (k > 0)
		sha256_update(s, buf, (size_t)k < sizeof buf ? (size_t)k
							       : sizeof buf - 1);
}

/* SHA-256 over every row of every table in bundle_tables' order, rows by
 * seq, each value spelled with its type and length ("n;", "i42;",
 * "t5:hello;"), the bundle row's own hash left out. */
static int bundle_hash(sqlite3 *db, char out[65], struct md_error *err)
{
	struct sha256 s;
	struct sqlbuf b;
	sha256_init(&s);
	hash_printf(&s, "mashdesk transfer bundle %d\n", HUB_TRANSFER_FORMAT);
	int status = 0;
	for (int i = 0; !status && i < NTABLES; i++) {
		const struct btable *t = &bundle_tables[i];
		int ncols = t->cols == bundle_cols ? BUNDLE_HASH : t->ncols;
		sqlite3_stmt *st = NULL;
		sql_select(t, &b);
		hash_printf(&s, "table %s %d\n", t->name, ncols);
		if ((status = bdb_prepare(db, b.s, &st, err)))
			break;
		int rc;
		while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int c = 0; !status && c < ncols; c++) {
				switch (sqlite3_column_type(st, c)) {
				case SQLITE_NULL:
					sha256_update(&s, "n;", 2);
					break;
				case SQLITE_INTEGER:
					hash_printf(&s, "i%lld;", (long long)
						    sqlite3_column_int64(st, c));
					break;
				case SQLITE_TEXT: {
					const unsigned char *v = sqlite3_column_text(st, c);
					int len = sqlite3_column_bytes(st, c);
					hash_printf(&s, "t%d:", len);
					sha256_update(&s, v, (size_t)len);
					sha256_update(&s, ";", 1);
					break;
				}
				default:
					status = bad(err, "%s.%s: not a value a bundle "
						     "holds", t->name, t->cols[c].name);
				}
			}
			sha256_update(&s, "\n", 1);
		}
		if (!status && rc != SQLITE_DONE)
			status = bdb_fail(db, "reading the bundle", err);
		sqlite3_finalize(st);
	}
	if (!status)
		sha256_hex(&s, out);
	return status;
}

/* ---- checking an image ------------------------------------------------------------- */

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

/* A read-only connection to a copy of the image, hardened against a
 * hostile file before its schema is read. */
static int bundle_open_image(const unsigned char *data, size_t n, sqlite3 **out,
			     struct md_error *err)
{
	static const int off[] = {
		SQLITE_DBCONFIG_ENABLE_TRIGGER, SQLITE_DBCONFIG_ENABLE_VIEW,
		SQLITE_DBCONFIG_TRUSTED_SCHEMA, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
	};
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
		sqlite3_db_config(db, off[i], 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 2 * TEXT_B);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	unsigned char *copy = sqlite3_malloc64(n);
	if (!copy) {
		sqlite3_close(db);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	memcpy(copy, data, n);
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)n,
				(sqlite3_int64)n, SQLITE_DESERIALIZE_FREEONCLOSE |
				SQLITE_DESERIALIZE_READONLY) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA cell_size_check = ON", NULL, NULL,
			 NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return bad(err, "not a transfer bundle: SQLite cannot read it");
	}
	*out = db;
	return 0;
}

/* Exactly our tables, in our order, each exactly as we create it. */
static int check_schema(sqlite3 *db, struct md_error *err)
{
	sqlite3_stmt *st = NULL;
	int status = bdb_prepare(db, "SELECT type, name, sql FROM sqlite_schema"
				 " ORDER BY rowid", &st, err);
	int i = 0, rc = SQLITE_DONE;
	struct sqlbuf b;
	while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 2);
		if (i == NTABLES)
			status = bad(err, "not a transfer bundle: it has more "
				     "than a bundle's tables (%.40s)",
				     name ? name : "?");
		else {
			sql_create(&bundle_tables[i], &b);
			if (!type || strcmp(type, "table") || !name ||
			    strcmp(name, bundle_tables[i].name) || !sql ||
			    strcmp(sql, b.s))
				status = bad(err, "not a transfer bundle: its "
					     "table %d is not %s as a bundle has "
					     "it", i + 1, bundle_tables[i].name);
		}
		i++;
	}
	if (!status && rc != SQLITE_DONE)
		status = bdb_fail(db, "not a transfer bundle", err);
	if (!status && i < NTABLES)
		status = bad(err, "not a transfer bundle: table %s is missing",
			     bundle_tables[i].name);
	sqlite3_finalize(st);
	return status;
}

static int check_integrity(sqlite3 *db, struct md_error *err)
{
	sqlite3_stmt *st = NULL;
	int status = bdb_prepare(db, "PRAGMA integrity_check", &st, err);
	if (!status) {
		int rc = sqlite3_step(st);
		const char *r = rc == SQLITE_ROW
			? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (!r || strcmp(r, "ok") || sqlite3_step(st) != SQLITE_DONE)
			status = bad(err, "damaged: SQLite's integrity check "
				     "fails (%.80s)", r ? r : sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return status;
}

/* One value against its column's type and bound. */
static int check_value(sqlite3_stmt *st, int c, const struct btable *t,
		       long row, struct md_error *err)
{
	const struct bcol *k = &t->cols[c];
	int type = sqlite3_column_type(st, c);
	if (type == SQLITE_NULL)
		return k->null_ok ? 0 : bad(err, "%s row %ld: %s is missing",
					    t->name, row, k->name);
	if (k->kind == B_TEXT) {
		if (type != SQLITE_TEXT)
			return bad(err, "%s row %ld: %s is not text", t->name,
				   row, k->name);
		const char *v = (const char *)sqlite3_column_text(st, c);
		int n = sqlite3_column_bytes(st, c);
		if (!v || n < 1 || (long long)n > k->max ||
		    memchr(v, '\0', (size_t)n) || !text_valid_utf8(v, (size_t)n))
			return bad(err, "%s row %ld: %s is not UTF-8 text of 1 to "
				   "%lld bytes", t->name, row, k->name, k->max);
		/* a name, code, reference or date is one line of print */
		for (int i = 0; k->max <= HUB_B && i < n; i++)
			if ((unsigned char)v[i] < ' ' || v[i] == 0x7f)
				return bad(err, "%s row %ld: %s holds a control "
					   "character", t->name, row, k->name);
		return 0;
	}
	if (type != SQLITE_INTEGER)
		return bad(err, "%s row %ld: %s is not a whole number", t->name,
			   row, k->name);
	long long v = sqlite3_column_int64(st, c);
	if (v < 0 || v > k->max)
		return bad(err, "%s row %ld: %s is out of range", t->name, row,
			   k->name);
	return 0;
}

static int check_rows(sqlite3 *db, const struct btable *t, struct md_error *err)
{
	struct sqlbuf b;
	sqlite3_stmt *st = NULL;
	sql_select(t, &b);
	int status = bdb_prepare(db, b.s, &st, err), rc = SQLITE_DONE;
	long row = 0;
	while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++row > t->max_rows)
			status = bad(err, "%s: more than %d rows", t->name,
				     t->max_rows);
		for (int c = 0; !status && c < t->ncols; c++)
			status = check_value(st, c, t, row, err);
	}
	if (!status && rc != SQLITE_DONE)
		status = bdb_fail(db, "reading the bundle", err);
	if (!status && row < t->min_rows)
		status = bad(err, "%s: %ld rows, a bundle has %d", t->name, row,
			     t->min_rows);
	sqlite3_finalize(st);
	return status;
}

/* The stored hash (the bundle row's), once the rows are known good. */
static int stored_hash(sqlite3 *db, char out[65], struct md_error *err)
{
	sqlite3_stmt *st = NULL;
	int status = bdb_prepare(db, "SELECT hash FROM bundle", &st, err);
	if (!status && sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (!status)
		status = bdb_fail(db, "reading the bundle", err);
	sqlite3_finalize(st);
	return status;
}

/* Every check of the file's description at the top; *out stays open on
 * success (the caller closes it). */
static int bundle_check(const unsigned char *data, size_t n, sqlite3 **out,
			char hash[65], struct md_error *err)
{
	static const char magic[16] = "SQLite format 3";
	*out = NULL;
	if (n < 100 || memcmp(data, magic, sizeof magic))
		return bad(err, "not a transfer bundle: not a SQLite database");
	if (be32(data + 68) != APP_ID)
		return bad(err, "not a transfer bundle: a SQLite database of "
			   "something else");
	if (be32(data + 60) != HUB_TRANSFER_FORMAT)
		return bad(err, "a bundle of format %lu; this mashdesk reads "
			   "format %d", be32(data + 60), HUB_TRANSFER_FORMAT);
	sqlite3 *db = NULL;
	int status = bundle_open_image(data, n, &db, err);
	if (status)
		return status;
	status = check_schema(db, err);
	if (!status)
		status = check_integrity(db, err);
	for (int i = 0; !status && i < NTABLES; i++)
		status = check_rows(db, &bundle_tables[i], err);
	char stored[65] = "";
	if (!status)
		status = stored_hash(db, stored, err);
	if (!status)
		status = bundle_hash(db, hash, err);
	if (!status && strcmp(hash, stored))
		status = bad(err, "changed or damaged since it was written: its "
			     "content does not match its SHA-256");
	unsigned char *img = NULL;
	size_t m = 0;
	if (!status)
		status = bundle_rebuild(db, NULL, &img, &m, err);
	/* Built in memory, an image carries no change counter or SQLite
	 * version stamp (header bytes 24-27, 92-99 stay 0): every byte is
	 * the content's, whichever SQLite wrote it. */
	if (!status && (m != n || memcmp(img, data, n)))
		status = bad(err, "changed or damaged since it was written: the "
			     "file is not the bundle its rows make");
	sqlite3_free(img);
	if (status) {
		sqlite3_close(db);
		return status;
	}
	*out = db;
	return 0;
}

int hub_transfer_check_image(const unsigned char *data, size_t n,
			     char hash[65], struct md_error *err)
{
	sqlite3 *db = NULL;
	int status = bundle_check(data, n, &db, hash, err);
	sqlite3_close(db);
	return status;
}

/* ---- out ------------------------------------------------------------------------- */

/* The referral's rows at this hub into a new bundle, with its bundle row;
 * then the image made afresh with the hash in it. */
static int bundle_from_hub(struct hub *hub, long long id, const char *ref,
			   const struct transfer_out *req, long long now,
			   unsigned char **img, size_t *n, char hash[65],
			   struct md_error *err)
{
	sqlite3 *db;
	int status = bundle_new(&db, err);
	if (status)
		return status;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO bundle (format, hub, hub_mode,"
			       " ref, at, by_login, to_hub, reason, hash)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", -1, &st,
			       NULL) != SQLITE_OK)
		status = md_fail(err, EX_SOFTWARE, "making a bundle: %s",
				 sqlite3_errmsg(db));
	if (!status) {
		sqlite3_bind_int(st, 1, HUB_TRANSFER_FORMAT);
		sqlite3_bind_text(st, 2, hub->name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, hub->training ? "training" : "live", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 4, ref, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, now);
		sqlite3_bind_text(st, 6, hub->me.login, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, req->to_hub, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, req->reason, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			status = md_fail(err, EX_SOFTWARE, "making a bundle: %s",
					 sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	for (int i = 0; !status && i < NTABLES; i++) {
		const struct btable *t = &bundle_tables[i];
		if (!t->select)
			continue;
		struct db_stmt *src = hub_stmt(hub, t->select, err);
		if (!src) {
			status = err->code;
			break;
		}
		db_bind_int64(src, 1, id);
		status = bundle_copy(db, t, NULL, src, hub, NULL, err);
		hub_reset(src);
	}
	if (!status)
		status = bundle_hash(db, hash, err);
	if (!status)
		status = bundle_rebuild(db, hash, img, n, err);
	sqlite3_close(db);
	return status;
}

/* Nobody else may be editing it (a panel, the decision, its details). */
static int transfer_unleased(struct hub *hub, long long id, const char *ref,
			     long long now, struct md_error *err)
{
	static const char sql[] =
		"SELECT owner FROM lease WHERE referral_id = ?1 AND expires_at > ?2"
		" AND owner <> ?3 LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	hub_bind_text(st, 3, hub->me.login);
	char owner[MD_LOGIN_MAX] = "";
	int rc = db_step(st);
	if (rc == DB_ROW)
		hub_col_text(st, 0, owner, sizeof owner);
	hub_reset(st);
	if (rc == DB_ROW)
		return md_fail(err, EX_TEMPFAIL, "%s is editing %s; transfer it "
			       "when they have saved or closed it", owner, ref);
	return rc == DB_DONE ? 0 : hub_sql_fail(hub, rc, "reading leases", err);
}

/* Not transferred before; its canonical reference. */
static int transfer_movable(struct hub *hub, long long id, char ref[MD_REF_MAX],
			    struct md_error *err)
{
	static const char sql[] =
		"SELECT ref, transferred_to, transferred_at FROM referral WHERE id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st), status = 0;
	if (rc == DB_ROW) {
		char to[128], at[CLOCK_ISO_MAX];
		hub_col_text(st, 0, ref, MD_REF_MAX);
		hub_col_text(st, 1, to, sizeof to);
		clock_format_iso(db_column_int64(st, 2), at);
		if (to[0])
			status = md_fail(err, EX_DATAERR, "%s was transferred to "
					 "%s at %s already", ref, to, at);
	} else {
		status = hub_sql_fail(hub, rc, "reading the referral", err);
	}
	hub_reset(st);
	return status;
}

static int transfer_close(struct hub *hub, long long id, const char *ref,
			  const struct transfer_out *req, long long now,
			  struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET status = 'closed',"
		" decided_at = coalesce(decided_at, ?2), transferred_to = ?3,"
		" transfer_reason = ?4, transferred_at = ?2, version = version + 1,"
		" updated_at = ?2 WHERE id = ?1 AND transferred_to IS NULL";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	hub_bind_text(st, 3, req->to_hub);
	hub_bind_text(st, 4, req->reason);
	int status = hub_step_done(hub, st, "closing the referral", err);
	if (!status && hub_changes(hub) != 1)
		status = md_fail(err, EX_TEMPFAIL, "%s was transferred by someone "
				 "else meanwhile", ref);
	return status;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Put the temporary file at path without replacing anything there. */
static int transfer_publish(const char *tmp, const char *path,
			    struct md_error *err)
{
	if (link(tmp, path) == 0)
		return 0;
	if (errno == EEXIST)
		return md_fail(err, EX_CANTCREAT, "%s already exists; refusing to "
			       "overwrite it", path);
	struct stat sb;   /* a filesystem without hard links */
	if (lstat(path, &sb) == 0)
		return md_fail(err, EX_CANTCREAT, "%s already exists; refusing to "
			       "overwrite it", path);
	if (rename(tmp, path) != 0)
		return md_fail(err, EX_CANTCREAT, "cannot write %s: %s", path,
			       strerror(errno));
	return 0;
}

static int out_args(struct hub *hub, const struct transfer_out *req,
		    struct md_error *err)
{
	int status = hub_note_check("--to", req->to_hub, HUB_B,
				    "the receiving hub's name", err);
	if (!status)
		status = hub_note_check("--reason", req->reason, REASON_B,
					"why the case moves (kept and audited)",
					err);
	if (!status && (!req->path || !*req->path))
		status = md_fail(err, EX_USAGE, "--output: required; the bundle "
				 "file to write");
	if (!status && !strcasecmp(req->to_hub, hub->name))
		status = md_fail(err, EX_DATAERR, "--to: this hub is %s; a "
				 "transfer goes to another hub", hub->name);
	return status;
}

int hub_transfer_out(struct hub *hub, const struct transfer_out *req,
		     struct transfer_result *res, struct md_error *err)
{
	memset(res, 0, sizeof *res);
	int status = hub_permit_ref(hub, HUB_ACT_TRANSFER, req->ref, err);
	if (!status)
		status = out_args(hub, req, err);
	if (status)
		return status;
	char tmp[PATH_MAX], abs[PATH_MAX];
	struct stat sb;
	int fd = -1;
	if (user_files_begin() != 0)
		return md_fail(err, EX_OSERR, "cannot act with your own rights: %s",
			       strerror(errno));
	if (lstat(req->path, &sb) == 0)
		status = md_fail(err, EX_CANTCREAT, "%s already exists; refusing "
				 "to overwrite it", req->path);
	else if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", req->path) >=
		 sizeof tmp)
		status = md_fail(err, EX_CANTCREAT, "%s: name too long", req->path);
	else if ((fd = mkstemp(tmp)) < 0)   /* 0600: a child's record */
		status = md_fail(err, EX_CANTCREAT, "cannot create %s: %s",
				 req->path, strerror(errno));
	if (!status && realpath(tmp, abs))
		abs[strlen(abs) - 7] = '\0';   /* less ".XXXXXX" */
	else if (!status)
		snprintf(abs, sizeof abs, "%s", req->path);
	user_files_end();
	if (status)
		return status;

	long long id = 0, now = clock_now();
	unsigned char *img = NULL;
	size_t n = 0;
	int published = 0;
	status = hub_begin(hub, err);
	if (!status)
		status = hub_find_referral(hub, req->ref, &id, NULL, err);
	if (!status)
		status = transfer_movable(hub, id, res->ref, err);
	if (!status)
		status = transfer_unleased(hub, id, res->ref, now, err);
	if (!status)
		status = bundle_from_hub(hub, id, res->ref, req, now, &img, &n,
					 res->hash, err);
	/* as a receiving hub will check it: what it refuses never leaves */
	char check[65];
	if (!status && hub_transfer_check_image(img, n, check, err)) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		status = md_fail(err, EX_DATAERR, "%s cannot be transferred: %s",
				 res->ref, why);
	}
	if (!status && (write_all(fd, img, n) || fsync(fd)))
		status = md_fail(err, EX_IOERR, "writing %s: %s", req->path,
				 strerror(errno));
	if (close(fd) != 0 && !status)
		status = md_fail(err, EX_IOERR, "writing %s: %s", req->path,
				 strerror(errno));
	sqlite3_free(img);
	if (!status)
		status = transfer_close(hub, id, res->ref, req, now, err);
	if (!status)
		status = hub_audit(hub, "transfer-out", id, err, "transferred %s "
				   "to %s: %s; bundle sha256 %s written to %s",
				   res->ref, req->to_hub, req->reason, res->hash,
				   abs);
	if (user_files_begin() != 0) {
		if (!status)
			status = md_fail(err, EX_OSERR, "cannot act with your "
					 "own rights: %s", strerror(errno));
		status = hub_end(hub, status, err);
		return status;
	}
	if (!status && !(status = transfer_publish(tmp, req->path, err)))
		published = 1;
	status = hub_end(hub, status, err);
	if (status && published)
		unlink(req->path);   /* not closed here: not sent either */
	unlink(tmp);
	user_files_end();
	return status;
}

/* ---- in --------------------------------------------------------------------------- */

/* The file, whole, with the user's own rights. */
static int read_bundle_file(const char *path, unsigned char **data, size_t *n,
			    struct md_error *err)
{
	int fd = user_file_open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0)
		return md_fail(err, EX_NOINPUT, "cannot open %s: %s", path,
			       strerror(errno));
	struct stat sb;
	int status = 0;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		status = md_fail(err, EX_NOINPUT, "%s is not a file", path);
	else if (sb.st_size > HUB_TRANSFER_MAX_BYTES)
		status = bad(err, "%s: not a transfer bundle: larger than %ld "
			     "bytes", path, HUB_TRANSFER_MAX_BYTES);
	size_t cap = status ? 0 : (size_t)sb.st_size + 1, got = 0;
	unsigned char *buf = status ? NULL : malloc(cap);
	if (!status && !buf)
		status = md_fail(err, EX_OSERR, "out of memory");
	while (!status) {   /* to its end, whatever fstat said */
		if (got == cap) {
			if (cap > (size_t)HUB_TRANSFER_MAX_BYTES) {
				status = bad(err, "%s: not a transfer bundle: larger "
					     "than %ld bytes", path,
					     HUB_TRANSFER_MAX_BYTES);
				break;
			}
			unsigned char *more = realloc(buf, cap * 2);
			if (!more) {
				status = md_fail(err, EX_OSERR, "out of memory");
				break;
			}
			buf = more;
			cap *= 2;
		}
		ssize_t k = read(fd, buf + got, cap - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			status = md_fail(err, EX_IOERR, "reading %s: %s", path,
					 strerror(errno));
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (status) {
		free(buf);
		return status;
	}
	*data = buf;
	*n = got;
	return 0;
}

/* One row of a bundle table, its texts copied (NULL for NULL). */
struct brow {
	char *v[C_NCOLS];
	long long i[C_NCOLS];
	char null[C_NCOLS];
};

static void brow_free(struct brow *r, int ncols)
{
	for (int c = 0; c < ncols; c++)
		free(r->v[c]);
}

static int brow_read(sqlite3_stmt *st, int ncols, struct brow *r)
{
	memset(r, 0, sizeof *r);
	for (int c = 0; c < ncols && c < C_NCOLS; c++) {
		r->i[c] = sqlite3_column_int64(st, c);
		r->null[c] = sqlite3_column_type(st, c) == SQLITE_NULL;
		const unsigned char *t = sqlite3_column_text(st, c);
		if (sqlite3_column_type(st, c) == SQLITE_TEXT && t &&
		    !(r->v[c] = strdup((const char *)t)))
			return -1;
	}
	return 0;
}

/* The first row of table t into r. */
static int read_one(sqlite3 *db, const struct btable *t, struct brow *r,
		    struct md_error *err)
{
	struct sqlbuf b;
	sqlite3_stmt *st = NULL;
	sql_select(t, &b);
	int status = bdb_prepare(db, b.s, &st, err);
	if (!status && sqlite3_step(st) == SQLITE_ROW) {
		if (brow_read(st, t->ncols, r))
			status = md_fail(err, EX_OSERR, "out of memory");
	} else if (!status) {
		status = bdb_fail(db, "reading the bundle", err);
	}
	sqlite3_finalize(st);
	return status;
}

static const struct btable *table_named(const char *name)
{
	for (int i = 0; i < NTABLES; i++)
		if (!strcmp(bundle_tables[i].name, name))
			return &bundle_tables[i];
	return NULL;
}

/* What the history keeps: the whole bundle as text, a line per row (a
 * line per field for a table of one row), times in UTC. */
struct history {
	char *s;
	size_t n, cap;
	int oom;
};

static void hist_add(struct history *h, const char *s, size_t n)
{
	if (h->oom)
		return;
	if (h->n + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 4096;
		while (cap < h->n + n + 1)
			cap *= 2;
		char *more = realloc(h->s, cap);
		if (!more) {
			h->oom = 1;
			return;
		}
		h->s = more;
		h->cap = cap;
	}
	for (size_t k = 0; k < n; k++)   /* one line stays one line */
		h->s[h->n++] = (unsigned char)s[k] < ' ' ? ' ' : s[k];
	h->s[h->n] = '\0';
}

static void hist_str(struct history *h, const char *s)
{
	hist_add(h, s, strlen(s));
}

static void hist_nl(struct history *h)
{
	hist_add(h, " ", 1);
	if (!h->oom)
		h->s[h->n - 1] = '\n';
}

static void hist_value(struct history *h, sqlite3_stmt *st, int c,
		       const struct bcol *k)
{
	char buf[64];
	if (k->kind == B_TIME) {
		clock_format_iso(sqlite3_column_int64(st, c), buf);
		hist_str(h, buf);
	} else if (k->kind == B_FLAG) {
		hist_str(h, sqlite3_column_int(st, c) ? "yes" : "no");
	} else if (k->kind == B_INT) {
		snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, c));
		hist_str(h, buf);
	} else {
		hist_add(h, (const char *)sqlite3_column_text(st, c),
			 (size_t)sqlite3_column_bytes(st, c));
	}
}

static int render_history(sqlite3 *db, const struct brow *bundle,
			  char **out, struct md_error *err)
{
	struct history h = { 0 };
	char at[CLOCK_ISO_MAX];
	clock_format_iso(bundle->i[BUNDLE_AT], at);
	hist_str(&h, "Transferred from ");
	hist_str(&h, bundle->v[BUNDLE_HUB]);
	hist_str(&h, " (");
	hist_str(&h, bundle->v[BUNDLE_MODE]);
	hist_str(&h, ") as ");
	hist_str(&h, bundle->v[BUNDLE_REF]);
	hist_str(&h, " at ");
	hist_str(&h, at);
	hist_str(&h, " by ");
	hist_str(&h, bundle->v[BUNDLE_BY]);
	hist_str(&h, " to ");
	hist_str(&h, bundle->v[BUNDLE_TO]);
	hist_str(&h, ": ");
	hist_str(&h, bundle->v[BUNDLE_REASON]);
	hist_nl(&h);
	int status = 0;
	for (int i = 0; !status && i < NTABLES; i++) {
		const struct btable *t = &bundle_tables[i];
		if (!t->select)
			continue;
		struct sqlbuf b;
		sqlite3_stmt *st = NULL;
		sql_select(t, &b);
		if ((status = bdb_prepare(db, b.s, &st, err)))
			break;
		int first = 1;
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (first) {
				hist_str(&h, "== ");
				hist_str(&h, t->title);
				hist_str(&h, " ==");
				hist_nl(&h);
				first = 0;
			}
			int sep = 0;
			for (int c = 0; c < t->ncols; c++) {
				if (sqlite3_column_type(st, c) == SQLITE_NULL)
					continue;
				if (sep && t->max_rows > 1)
					hist_str(&h, "; ");
				hist_str(&h, t->cols[c].name);
				hist_str(&h, ": ");
				hist_value(&h, st, c, &t->cols[c]);
				if (t->max_rows == 1)
					hist_nl(&h);
				sep = 1;
			}
			if (t->max_rows > 1)
				hist_nl(&h);
		}
		sqlite3_finalize(st);
	}
	if (!status && h.oom)
		status = md_fail(err, EX_OSERR, "out of memory");
	if (!status && h.n > HISTORY_MAX)
		status = bad(err, "its history is longer than %d bytes", HISTORY_MAX);
	if (status) {
		free(h.s);
		return status;
	}
	*out = h.s;
	return 0;
}

/* The new contact's details, household and aliases from the bundle. */
struct arrival {
	struct brow child;
	struct person_input people[MD_MAX_PEOPLE];
	struct brow person_rows[MD_MAX_PEOPLE];
	int npeople;
	char *aliases;
	struct referral_input in;
};

static void arrival_free(struct arrival *a)
{
	brow_free(&a->child, C_NCOLS);
	for (int i = 0; i < a->npeople; i++)
		brow_free(&a->person_rows[i], C_NCOLS);
	free(a->aliases);
}

static int arrival_read(sqlite3 *db, struct arrival *a, struct md_error *err)
{
	int status = read_one(db, table_named("child"), &a->child, err);
	struct sqlbuf b;
	sqlite3_stmt *st = NULL;
	const struct btable *pt = table_named("person");
	sql_select(pt, &b);
	if (!status)
		status = bdb_prepare(db, b.s, &st, err);
	/* the first MD_MAX_PEOPLE; the history has them all */
	while (!status && a->npeople < MD_MAX_PEOPLE &&
	       sqlite3_step(st) == SQLITE_ROW) {
		struct brow *r = &a->person_rows[a->npeople];
		if (brow_read(st, pt->ncols, r)) {
			brow_free(r, C_NCOLS);
			status = md_fail(err, EX_OSERR, "out of memory");
			break;
		}
		a->people[a->npeople++] = (struct person_input) {
			.name = r->v[0], .relationship = r->v[1], .dob = r->v[2],
			.parental_responsibility = (int)r->i[3],
			.alleged_perpetrator = (int)r->i[4],
			.household = (int)r->i[5],
		};
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!status)
		status = bdb_prepare(db, "SELECT group_concat(alias, ';') FROM"
				     " (SELECT alias FROM alias ORDER BY seq)",
				     &st, err);
	if (!status && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_TEXT &&
	    !(a->aliases = strdup((const char *)sqlite3_column_text(st, 0))))
		status = md_fail(err, EX_OSERR, "out of memory");
	sqlite3_finalize(st);
	if (status)
		return status;
	char **v = a->child.v;
	long long *i = a->child.i;
	a->in = (struct referral_input) {
		.child_name = v[C_NAME], .aliases = a->aliases, .dob = v[C_DOB],
		.dob_estimated = (int)i[C_DOB_EST], .gender = v[C_GENDER],
		.ethnicity = v[C_ETHNICITY], .language = v[C_LANGUAGE],
		.interpreter = (int)i[C_INTERPRETER], .disability = v[C_DISABILITY],
		.address = v[C_ADDRESS], .previous_address = v[C_PREV_ADDRESS],
		.school = v[C_SCHOOL], .gp = v[C_GP], .nhs_number = v[C_NHS],
		.upn = v[C_UPN], .allocated_worker = v[C_WORKER],
		.referrer = v[C_REFERRER], .referrer_role = v[C_REFERRER_ROLE],
		.referrer_agency = v[C_REFERRER_AGENCY],
		.referrer_contact = v[C_REFERRER_CONTACT], .source = v[C_SOURCE],
		.concern = v[C_CONCERN], .impact = v[C_IMPACT], .tried = v[C_TRIED],
		.strengths = v[C_STRENGTHS], .category = v[C_CATEGORY],
		.parents_aware = a->child.null[C_PARENTS_AWARE] ? -1
			: (int)i[C_PARENTS_AWARE],
		.consent = v[C_CONSENT], .consent_reason = v[C_CONSENT_REASON],
		.people = a->people, .npeople = a->npeople,
	};
	return 0;
}

/* The referral this bundle (or another of the same referral) became. */
static int transfer_replayed(struct hub *hub, const char *hash,
			     const char *from_hub, const char *from_ref,
			     const char *path, struct md_error *err)
{
	static const char sql[] =
		"SELECT r.ref, t.at FROM transfer_in t JOIN referral r"
		" ON r.id = t.referral_id WHERE t.hash = ?1"
		" OR (t.from_hub = ?2 AND t.from_ref = ?3) LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, hash);
	hub_bind_text(st, 2, from_hub);
	hub_bind_text(st, 3, from_ref);
	char ref[MD_REF_MAX] = "", at[CLOCK_ISO_MAX] = "";
	int rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, ref, sizeof ref);
		clock_format_iso(db_column_int64(st, 1), at);
	}
	hub_reset(st);
	if (rc == DB_ROW)
		return md_fail(err, EX_CANTCREAT, "%s: %s %s was taken in already, "
			       "at %s: it became %s", path, from_hub, from_ref,
			       at, ref);
	return rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading transfers taken in", err);
}

static int transfer_record_in(struct hub *hub, long long id,
			      const struct transfer_result *res,
			      const char *history, long long now,
			      struct md_error *err)
{
	static const char mark_sql[] =
		"UPDATE referral SET transferred_from_hub = ?2,"
		" transferred_from_ref = ?3 WHERE id = ?1";
	static const char in_sql[] =
		"INSERT INTO transfer_in (hash, referral_id, from_hub, from_ref,"
		" at, by_login) VALUES (?4, ?1, ?2, ?3, ?5, ?6)";
	static const char history_sql[] =
		"INSERT INTO transfer_history (referral_id, from_hub, from_ref,"
		" body) VALUES (?1, ?2, ?3, ?4)";
	const char *const sqls[] = { mark_sql, in_sql, history_sql };
	const char *const doing[] = { "marking the referral transferred",
		"recording the transfer", "keeping the sending hub's history" };
	int status = 0;
	for (int k = 0; !status && k < 3; k++) {
		struct db_stmt *st = hub_stmt(hub, sqls[k], err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, res->from_hub);
		hub_bind_text(st, 3, res->from_ref);
		hub_bind_text(st, 4, k == 2 ? history : res->hash);
		if (k == 1) {
			db_bind_int64(st, 5, now);
			hub_bind_text(st, 6, hub->me.login);
		}
		status = hub_step_done(hub, st, doing[k], err);
	}
	return status;
}

/* EX_DATAERR from a check of the file: "FILE: why". */
static int about_file(const char *path, int status, struct md_error *err)
{
	char why[sizeof err->msg];
	snprintf(why, sizeof why, "%s", err->msg);
	return md_fail(err, status, "%s: %s", path, why);
}

int hub_transfer_in(struct hub *hub, const char *path,
		    struct transfer_result *res, struct md_error *err)
{
	memset(res, 0, sizeof *res);
	int status = hub_permit(hub, HUB_ACT_TRANSFER, err);
	if (status)
		return status;
	unsigned char *data = NULL;
	size_t n = 0;
	if ((status = read_bundle_file(path, &data, &n, err)))
		return status;
	sqlite3 *db = NULL;
	status = bundle_check(data, n, &db, res->hash, err);
	free(data);
	if (status)
		return about_file(path, status, err);

	struct brow bundle;
	struct arrival a;
	char *history = NULL;
	memset(&a, 0, sizeof a);
	memset(&bundle, 0, sizeof bundle);
	status = read_one(db, table_named("bundle"), &bundle, err);
	if (!status) {
		snprintf(res->from_hub, sizeof res->from_hub, "%s",
			 bundle.v[BUNDLE_HUB]);
		snprintf(res->from_ref, sizeof res->from_ref, "%s",
			 bundle.v[BUNDLE_REF]);
	}
	const char *mine = hub->training ? "training" : "live";
	if (!status && (bundle.i[BUNDLE_FORMAT] != HUB_TRANSFER_FORMAT ||
			(strcmp(bundle.v[BUNDLE_MODE], "live") &&
			 strcmp(bundle.v[BUNDLE_MODE], "training"))))
		status = bad(err, "%s: not a transfer bundle: format %lld, hub "
			     "mode '%.20s'", path, bundle.i[BUNDLE_FORMAT],
			     bundle.v[BUNDLE_MODE]);
	if (!status && strcmp(bundle.v[BUNDLE_MODE], mine)) {
		status = md_fail(err, EX_NOPERM, "%s: transferred from a %.20s hub, "
				 "but this is a %s hub; nothing is copied between "
				 "live and training hubs", path,
				 bundle.v[BUNDLE_MODE], mine);
		hub_audit_alone(hub, hub->me.login, "refused", 0, err->msg);
	}
	if (!status && strcasecmp(bundle.v[BUNDLE_TO], hub->name))
		status = md_fail(err, EX_DATAERR, "%s: addressed to %.100s, but this "
				 "hub is %s", path, bundle.v[BUNDLE_TO], hub->name);
	if (!status && !strcasecmp(bundle.v[BUNDLE_HUB], hub->name))
		status = md_fail(err, EX_DATAERR, "%s: it came from this hub", path);
	if (!status)
		status = arrival_read(db, &a, err);
	if (!status && (status = hub_referral_validate(hub, &a.in, err)))
		status = about_file(path, EX_DATAERR, err);
	if (!status)
		status = render_history(db, &bundle, &history, err);
	sqlite3_close(db);

	long long id = 0, now = clock_now();
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		goto done;
	status = transfer_replayed(hub, res->hash, res->from_hub, res->from_ref,
				   path, err);
	if (!status)
		status = hub_referral_insert(hub, &a.in, NULL, now, &id, res->ref,
					     err);
	if (!status)
		status = hub_search_index(hub, id, id, err);
	if (!status)
		status = transfer_record_in(hub, id, res, history, now, err);
	if (!status)
		status = hub_audit(hub, "transfer-in", id, err, "took in %s, "
				   "transferred from %s %s (bundle sha256 %s)",
				   res->ref, res->from_hub, res->from_ref,
				   res->hash);
	status = hub_end(hub, status, err);
done:
	brow_free(&bundle, C_NCOLS);
	arrival_free(&a);
	free(history);
	return status;
}

/* ---- reading a referral's transfer (hub_detail.c) --------------------------------- */

int hub_transfer_detail(struct hub *hub, long long id, char *to, size_t to_len,
			char **reason, long long *at, char *from_hub,
			size_t from_len, char *from_ref, size_t ref_len,
			char **history, struct md_error *err)
{
	static const char sql[] =
		"SELECT r.transferred_to, r.transfer_reason,"
		" coalesce(r.transferred_at, 0), r.transferred_from_hub,"
		" r.transferred_from_ref, h.body FROM referral r"
		" LEFT JOIN transfer_history h ON h.referral_id = r.id WHERE r.id = ?";
	*reason = *history = NULL;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st), status = 0;
	if (rc == DB_ROW) {
		const char *r = db_column_text(st, 1);
		const char *b = db_column_text(st, 5);
		hub_col_text(st, 0, to, to_len);
		*at = db_column_int64(st, 2);
		hub_col_text(st, 3, from_hub, from_len);
		hub_col_text(st, 4, from_ref, ref_len);
		if ((r && !(*reason = strdup((const char *)r))) ||
		    (b && !(*history = strdup((const char *)b))))
			status = md_fail(err, EX_OSERR, "out of memory");
	} else if (rc != DB_DONE) {
		status = hub_sql_fail(hub, rc, "reading the referral's transfer", err);
	}
	hub_reset(st);
	if (status) {
		free(*reason);
		free(*history);
		*reason = *history = NULL;
	}
	return status;
}
