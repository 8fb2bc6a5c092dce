/* test_import.c - `mashdesk import` as the data layer does it:
 * hub_import_csv takes in every row or none, validates each row exactly as
 * `referral add` does, and when it refuses a file says which line and which
 * column were wrong.  Every test makes its own hub in its own temporary
 * directory (Criterion runs tests in parallel, each in its own process). */
/* fmemopen and nftw; the build may define it already. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <criterion/criterion.h>

#include <ftw.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/config.h"
#include "mashdesk/csv.h"
#include "mashdesk/hub.h"

/* ---- one hub per test ----------------------------------------------------- */

static char dir[64];            /* this test's temporary directory */
static char path[128];          /* its hub database */
static struct config cfg;
static struct hub *hub;
static struct md_error err;
static long count;              /* rows the last import reported */

static void open_as(const char *login)
{
	md_clear(&err);
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "hub_open: %s",
		     err.msg);
	cr_assert_eq(hub_act_as(hub, login, 1, &err), 0, "act as %s: %s",
		     login, err.msg);
}

static void reopen_as(const char *login)
{
	hub_close(hub);
	hub = NULL;
	open_as(login);
}

/* A training hub whose admin adds one practitioner, then the test acts as
 * that practitioner: only practitioners and supervisors take in referrals. */
static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-import-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
	snprintf(path, sizeof path, "%s/hub.db", dir);
	config_defaults(&cfg);
	md_clear(&err);
	cr_assert_eq(hub_create(path, &cfg, &(struct hub_create_opts){
			.name = "T", .training = 1, .admin_login = "admin" },
			&err), 0, "hub_create: %s", err.msg);
	open_as("admin");
	struct user pat = { .login = "pat", .name = "Pat Ellery",
			    .agency = "police", .role = "practitioner",
			    .active = 1 };
	cr_assert_eq(hub_user_add(hub, &pat, &err), 0, "user add: %s",
		     err.msg);
	reopen_as("pat");
}

static int remove_one(const char *p, const struct stat *sb, int type,
		      struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(p);
	return 0;
}

static void teardown(void)
{
	hub_close(hub);
	hub = NULL;
	if (dir[0])
		nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(import, .init = setup, .fini = teardown, .timeout = 120);

/* ---- importing ------------------------------------------------------------ */

/* Import len bytes of CSV read through fmemopen, named "t.csv". */
static int import_n(const char *csv, size_t len)
{
	md_clear(&err);
	count = -1;
	char *copy = malloc(len + 1);
	cr_assert_not_null(copy);
	memcpy(copy, csv, len);
	FILE *f = fmemopen(copy, len, "r");
	cr_assert_not_null(f, "fmemopen failed");
	int rc = hub_import_csv(hub, f, "t.csv", &count, &err);
	fclose(f);
	free(copy);
	return rc;
}

static int import_text(const char *csv)
{
	return import_n(csv, strlen(csv));
}

/* Import through a real file, as the command line does: "in.csv". */
static int import_file(const char *csv, size_t len)
{
	char file[160];
	snprintf(file, sizeof file, "%s/in.csv", dir);
	FILE *f = fopen(file, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(csv, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	f = fopen(file, "rb");
	cr_assert_not_null(f);
	md_clear(&err);
	count = -1;
	int rc = hub_import_csv(hub, f, "in.csv", &count, &err);
	fclose(f);
	return rc;
}

/* A growing text buffer for the big files. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		cr_assert_not_null(b->s);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void buf_fill(struct buf *b, char c, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->len + n + 1;
		b->s = realloc(b->s, b->cap);
		cr_assert_not_null(b->s);
	}
	memset(b->s + b->len, c, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* ---- looking at the hub ---------------------------------------------------- */

/* A second, plain SQLite connection on the hub file: what is really there. */
static sqlite3 *raw_open(void)
{
	sqlite3 *db = NULL;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
		     SQLITE_OK);
	return db;
}

static long long sql_int(const char *sql)
{
	sqlite3 *db = raw_open();
	sqlite3_stmt *st = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The first column of the first row as a new string ("(null)" for NULL). */
static char *sql_text(const char *sql)
{
	sqlite3 *db = raw_open();
	sqlite3_stmt *st = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	const char *t = (const char *)sqlite3_column_text(st, 0);
	char *v = strdup(t ? t : "(null)");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void assert_sql_text(const char *sql, const char *want)
{
	char *got = sql_text(sql);
	cr_assert_str_eq(got, want, "%s", sql);
	free(got);
}

struct queue_seen {
	int n;
	struct queue_row first;
	struct queue_row last;
};

static int queue_cb(const struct queue_row *r, void *arg)
{
	struct queue_seen *s = arg;
	if (s->n++ == 0)
		s->first = *r;
	s->last = *r;
	return 0;
}

/* Rows the acting user's queue shows (all of them, one page). */
static struct queue_seen queue(int open_only, const char *search)
{
	struct queue_seen s = { 0 };
	struct queue_query q = { .filter = HUB_FILTER_ALL, .search = search,
				 .open_only = open_only };
	struct md_error qerr = { 0 };
	cr_assert_eq(hub_queue(hub, &q, queue_cb, &s, &qerr), 0, "queue: %s",
		     qerr.msg);
	return s;
}

/* The hub holds exactly n referrals, seen both in the table and the queue. */
static void assert_referrals(long long n)
{
	cr_assert_eq(sql_int("SELECT count(*) FROM referral"), n);
	cr_assert_eq(queue(0, NULL).n, n);
}

/* A refused file leaves no trace: no referral, alias, decision or search
 * entry. */
static void assert_nothing_imported(void)
{
	assert_referrals(0);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral_alias"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM decision"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral_search"), 0);
}

/* The import failed with `code`, reported no rows, and its one-line
 * message holds every string given. */
static void assert_failed_v(int rc, int code, va_list ap)
{
	cr_assert_eq(rc, code, "import returned %d, not %d (%s)", rc, code,
		     err.msg);
	cr_assert_eq(err.code, code);
	cr_assert_eq(count, 0, "a failed import reported %ld rows", count);
	for (const char *want; (want = va_arg(ap, const char *));)
		cr_assert_not_null(strstr(err.msg, want),
				   "message lacks \"%s\": %s", want, err.msg);
	cr_assert_null(strchr(err.msg, '\n'), "message is not one line");
}

static void assert_failed(int rc, int code, ...) __attribute__((sentinel));

static void assert_failed(int rc, int code, ...)
{
	va_list ap;
	va_start(ap, code);
	assert_failed_v(rc, code, ap);
	va_end(ap);
}

/* As assert_failed (NULL-terminated list of strings the message must
 * hold), and nothing reached the hub. */
static void assert_refused(int rc, int code, ...) __attribute__((sentinel));

static void assert_refused(int rc, int code, ...)
{
	va_list ap;
	va_start(ap, code);
	assert_failed_v(rc, code, ap);
	va_end(ap);
	assert_nothing_imported();
}

static void assert_imported(int rc, long n)
{
	cr_assert_eq(rc, 0, "import failed (%d): %s", rc, err.msg);
	cr_assert_eq(count, n, "import reported %ld rows, not %ld", count, n);
	assert_referrals(n);
}

struct show_want {
	const char *section, *field;
	char *value;            /* found value, or NULL */
};

static int show_cb(const char *section, const char *field, const char *value,
		   void *arg)
{
	struct show_want *w = arg;
	if (!strcmp(section, w->section) && !strcmp(field, w->field)) {
		free(w->value);
		w->value = strdup(value);
	}
	return 0;
}

/* One value of `mashdesk show REF`, or NULL when it is not shown. */
static char *show(const char *ref, const char *section, const char *field)
{
	struct show_want w = { section, field, NULL };
	struct md_error serr = { 0 };
	cr_assert_eq(hub_referral_show(hub, ref, show_cb, &w, &serr), 0,
		     "show %s: %s", ref, serr.msg);
	return w.value;
}

static void assert_shown(const char *ref, const char *section,
			 const char *field, const char *want)
{
	char *got = show(ref, section, field);
	cr_assert_not_null(got, "%s: %s %s not shown", ref, section, field);
	cr_assert_str_eq(got, want, "%s: %s %s", ref, section, field);
	free(got);
}

/* ---- files that are taken in ----------------------------------------------- */

/* The header names the columns in any order: each value lands in the
 * column its header names, not the one at its position. */
Test(import, columns_in_unusual_order)
{
	int rc = import_text(
		"concern,school,rag,level,dob,category,child,source,referrer\n"
		"Bruising seen on arm,Hollin Lane Primary,amber,3,2016-04-12,"
		"physical,Ada Quill,school,Ms Fenwick\n"
		"Not collected from school,,green,2,2019-09-01,neglect,"
		"Ivo Brackett,,\n");
	assert_imported(rc, 2);
	assert_sql_text("SELECT child_name || '|' || dob || '|' || concern "
			"|| '|' || rag || '|' || level || '|' || category || '|' "
			"|| source || '|' || referrer || '|' || school || '|' "
			"|| status || '|' || created_by FROM referral WHERE id = 1",
			"Ada Quill|2016-04-12|Bruising seen on arm|amber|3|"
			"physical|school|Ms Fenwick|Hollin Lane Primary|new|pat");
	/* Empty optional fields are not stored as empty strings. */
	assert_sql_text("SELECT child_name || '|' || coalesce(school, 'NULL') "
			"|| '|' || coalesce(source, 'NULL') || '|' || "
			"coalesce(referrer, 'NULL') || '|' || level FROM referral "
			"WHERE id = 2",
			"Ivo Brackett|NULL|NULL|NULL|2");
	assert_sql_text("SELECT group_concat(ref, ',') FROM "
			"(SELECT ref FROM referral ORDER BY id)",
			"R000001,R000002");
}

/* A header and no rows is a valid, empty import. */
Test(import, header_only_imports_nothing)
{
	assert_imported(import_text("child,dob,concern\n"), 0);
	assert_imported(import_text("child,dob,concern"), 0);
}

/* Quoted commas, doubled quotes and line breaks inside a quoted concern
 * are stored exactly as written. */
Test(import, quoted_commas_and_newlines_stored_exactly)
{
	int rc = import_text(
		"child,dob,concern,rag\n"
		"Mina Okonjo,2014-07-30,\"Said \"\"don't tell mum\"\", then cried,"
		" twice.\nSecond line, with commas, too.\n\n  Indented last line \","
		"red\n"
		"Theo Sallis,2017-02-02,\"plain, with a comma\",green\n");
	assert_imported(rc, 2);
	assert_shown("R000001", "concern", "concern",
		     "Said \"don't tell mum\", then cried, twice.\n"
		     "Second line, with commas, too.\n\n  Indented last line ");
	assert_shown("R000001", "referral", "rag", "red");
	assert_shown("R000002", "concern", "concern", "plain, with a comma");
	assert_shown("R000002", "child", "name", "Theo Sallis");
}

/* A UTF-8 byte-order mark (as spreadsheets save) is not part of the first
 * column's name, and UTF-8 names are kept exactly. */
Test(import, utf8_bom_skipped)
{
	static const char csv[] =
		"\xEF\xBB\xBF" "child,dob,concern\n"
		"Zo\xC3\xAB Ashdown,2015-03-15,Missed school for a week\n"
		"\xC5\x81ukasz Wr\xC3\xB3" "bel,2012-11-02,Seen out late\n";
	assert_imported(import_file(csv, sizeof csv - 1), 2);
	assert_shown("R000001", "child", "name", "Zo\xC3\xAB Ashdown");
	assert_shown("R000002", "child", "name", "\xC5\x81ukasz Wr\xC3\xB3""bel");
}

/* Windows line ends: no stray CR in any value, and a CRLF inside a quoted
 * field is stored as LF. */
Test(import, crlf_line_ends)
{
	static const char csv[] =
		"child,dob,concern,referrer\r\n"
		"Ruby Penhale,2013-05-06,\"line one\r\nline two\",Dr Amos\r\n"
		"Cas Winterbourne,2018-08-18,Only one line,Nurse Vell\r\n";
	assert_imported(import_file(csv, sizeof csv - 1), 2);
	assert_shown("R000001", "concern", "concern", "line one\nline two");
	assert_shown("R000001", "referrer", "name", "Dr Amos");
	assert_shown("R000002", "concern", "concern", "Only one line");
	assert_shown("R000002", "referrer", "name", "Nurse Vell");
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE "
			     "instr(child_name || concern || referrer, "
			     "char(13)) > 0"), 0);
}

/* A 50 KB concern (a long pasted chronology) is taken in whole. */
Test(import, long_concern_accepted)
{
	struct buf b = { 0 };
	buf_add(&b, "child,dob,concern\nElla Marchbank,2016-01-20,");
	buf_fill(&b, 'x', 50000 - 5);
	buf_add(&b, " end.\n");
	assert_imported(import_n(b.s, b.len), 1);
	cr_assert_eq(sql_int("SELECT length(concern) FROM referral"), 50000);
	char *got = show("R000001", "concern", "concern");
	cr_assert_not_null(got);
	cr_assert_eq(strlen(got), 50000);
	cr_assert_eq(strspn(got, "x"), 49995);
	cr_assert_str_eq(got + 49995, " end.");
	free(got);
	free(b.s);
}

/* History from another system: decided + outcome make a referral that is
 * already decided, with its decision recorded, out of the open queue. */
Test(import, decided_history)
{
	int rc = import_text(
		"child,dob,concern,received,decided,outcome\n"
		"Rowan Tull,2016-05-04,Old case from the previous system,"
		"2025-01-10T09:00:00Z,2025-01-11T15:30:00Z,early-help\n"
		"Nell Abernethy,2019-10-10,Still open,2025-02-01T08:00:00Z,,\n");
	assert_imported(rc, 2);
	assert_sql_text("SELECT status || '|' || decided_at || '|' || received_at "
			"FROM referral WHERE id = 1",
			"decided|1736609400|1736499600");
	assert_sql_text("SELECT outcome || '|' || decided_at || '|' || "
			"coalesce(decided_by, 'NULL') FROM decision "
			"WHERE referral_id = 1", "early-help|1736609400|NULL");
	assert_sql_text("SELECT status || '|' || coalesce(decided_at, 'NULL') "
			"FROM referral WHERE id = 2", "new|NULL");
	cr_assert_eq(sql_int("SELECT count(*) FROM decision"), 1);

	/* The open queue shows only the open one ... */
	struct queue_seen open = queue(1, NULL);
	cr_assert_eq(open.n, 1);
	cr_assert_str_eq(open.first.ref, "R000002");
	/* ... the whole history shows both, the decided one as decided. */
	struct queue_seen all = queue(0, "Rowan");
	cr_assert_eq(all.n, 1);
	cr_assert_str_eq(all.first.ref, "R000001");
	cr_assert_str_eq(all.first.status, "decided");
	cr_assert_eq(all.first.decided_at, 1736609400);
	cr_assert_eq(queue(0, NULL).n, 2);
	assert_shown("R000001", "referral", "status", "decided");
}

/* `received` takes ISO 8601 with Z or any offset, meaning the same
 * instant; the decision deadline follows from it. */
Test(import, received_iso8601_zones)
{
	int rc = import_text(
		"child,dob,concern,received\n"
		"Ada One,2016-01-01,a,2026-03-01T09:30:00Z\n"
		"Ada Two,2016-01-01,b,2026-03-01T10:30:00+01:00\n"
		"Ada Three,2016-01-01,c,2026-03-01T04:30:00-05:00\n"
		"Ada Four,2016-01-01,d,2026-03-01T09:30:00+00:00\n"
		"Ada Five,2016-01-01,e,2026-03-01 09:30Z\n"
		"Ada Six,2016-01-01,f,2025-12-31T23:59:59Z\n");
	assert_imported(rc, 6);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral "
			     "WHERE received_at = 1772357400"), 5);
	cr_assert_eq(sql_int("SELECT received_at FROM referral WHERE id = 6"),
		     1767225599);
	/* Default decision timescale: 24 hours after receipt. */
	cr_assert_eq(sql_int("SELECT count(*) FROM referral "
			     "WHERE due_at = received_at + 24 * 3600"), 6);
}

/* Without a `received` column a referral is received now. */
Test(import, received_defaults_to_now)
{
	long long before = clock_now();
	assert_imported(import_text("child,dob,concern\n"
				    "Orla Fenn,2015-06-06,Now\n"), 1);
	long long after = clock_now();
	long long at = sql_int("SELECT received_at FROM referral");
	cr_assert(at >= before && at <= after, "received_at %lld not in "
		  "[%lld, %lld]", at, before, after);
}

/* Aliases "A;B" are each found by the queue's search, and shown. */
Test(import, aliases_searchable)
{
	int rc = import_text(
		"child,dob,concern,aliases\n"
		"Rebecca Marlowe,2014-02-14,Known by other names,Bex Marlow;Becca Stroud\n"
		"Tobias Crane,2015-05-05,No aliases,\n");
	assert_imported(rc, 2);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral_alias"), 2);
	struct queue_seen s = queue(1, "Stroud");
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.first.ref, "R000001");
	s = queue(1, "bex");
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.first.ref, "R000001");
	cr_assert_eq(queue(1, "Marlowe").n, 1);
	cr_assert_eq(queue(1, "Tobias").n, 1);
	cr_assert_eq(queue(1, "Quentin").n, 0);
	/* Shown together; the order is not part of the contract. */
	char *shown = show("R000001", "child", "aliases");
	cr_assert_not_null(shown);
	cr_assert(!strcmp(shown, "Bex Marlow; Becca Stroud") ||
		  !strcmp(shown, "Becca Stroud; Bex Marlow"),
		  "aliases shown as \"%s\"", shown);
	free(shown);
}

/* A file of the size a real migration brings: every row arrives. */
Test(import, two_thousand_rows)
{
	struct buf b = { 0 };
	buf_add(&b, "child,dob,concern,rag\n");
	for (int i = 1; i <= 2000; i++)
		buf_add(&b, "Child Number%d,2015-%02d-%02d,Concern %d,%s\n", i,
			i % 12 + 1, i % 28 + 1, i,
			i % 3 == 0 ? "red" : i % 3 == 1 ? "amber" : "green");
	assert_imported(import_file(b.s, b.len), 2000);
	assert_sql_text("SELECT ref || '|' || child_name || '|' || concern "
			"FROM referral WHERE id = 2000",
			"R002000|Child Number2000|Concern 2000");
	cr_assert_eq(sql_int("SELECT count(DISTINCT ref) FROM referral"), 2000);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE rag = 'red'"),
		     666);
	cr_assert_eq(queue(1, NULL).n, 2000);
	free(b.s);
}

/* A failed import leaves the connection usable: the next file goes in. */
Test(import, hub_usable_after_refused_file)
{
	assert_refused(import_text("child,dob,concern\n"
				   "Ada Quill,2016-01-01,ok\n"
				   "Ivo Brackett,not-a-date,bad\n"),
		       EX_DATAERR, "line 3", NULL);
	assert_imported(import_text("child,dob,concern\n"
				    "Ada Quill,2016-01-01,ok\n"), 1);
	assert_sql_text("SELECT ref FROM referral", "R000001");
}

/* ---- files that are refused ------------------------------------------------ */

/* A row with too few or too many fields names its line and both counts. */
Test(import, wrong_field_count)
{
	assert_refused(import_text("child,dob,concern\n"
				   "Ada Quill,2016-01-01,fine\n"
				   "Ivo Brackett,2016-01-01\n"),
		       EX_DATAERR, "t.csv line 3", "2 fields", "names 3", NULL);
	assert_refused(import_text("child,dob,concern\n"
				   "Ada Quill,2016-01-01,fine\n"
				   "Ivo Brackett,2016-01-01,unquoted, comma\n"),
		       EX_DATAERR, "t.csv line 3", "4 fields", "names 3", NULL);
}

/* child, dob and concern are required columns, each named when missing. */
Test(import, missing_required_column)
{
	static const struct { const char *csv, *missing; } cases[] = {
		{ "dob,concern\n2016-01-01,worry\n", "'child'" },
		{ "child,concern\nAda Quill,worry\n", "'dob'" },
		{ "child,dob,rag\nAda Quill,2016-01-01,red\n", "'concern'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_refused(import_text(cases[i].csv), EX_DATAERR,
			       "t.csv line 1", "missing required column",
			       cases[i].missing, NULL);
}

/* An unknown column is refused (not silently dropped), naming it. */
Test(import, unknown_column)
{
	assert_refused(import_text("child,dob,concern,colour\n"
				   "Ada Quill,2016-01-01,worry,blue\n"),
		       EX_DATAERR, "t.csv line 1", "column 4", "'colour'", NULL);
}

/* A column named twice is ambiguous and refused. */
Test(import, column_named_twice)
{
	assert_refused(import_text("child,dob,concern,dob\n"
				   "Ada Quill,2016-01-01,worry,2016-01-02\n"),
		       EX_DATAERR, "t.csv line 1", "column 4", "'dob'",
		       "twice", NULL);
}

/* Dates that are not real, not ISO, or in the future are refused naming
 * line, column and value; the good row before them is rolled back. */
Test(import, bad_dates)
{
	static const char *const bad[] = { "2026-02-30", "15/03/2015",
					   "2099-01-01", "2015-13-01", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char csv[256];
		snprintf(csv, sizeof csv, "child,dob,concern\n"
			 "Ada Quill,2016-01-01,fine\n"
			 "Ivo Brackett,%s,worry\n", bad[i]);
		assert_refused(import_text(csv), EX_DATAERR, "t.csv line 3",
			       "dob", bad[i], NULL);
	}
	assert_refused(import_text("child,dob,concern,received\n"
				   "Ada Quill,2016-01-01,fine,2026-03-01T09:30:00Z\n"
				   "Ivo Brackett,2016-01-01,x,2026-03-01T25:00:00Z\n"),
		       EX_DATAERR, "t.csv line 3", "received", "25:00", NULL);
	assert_refused(import_text("child,dob,concern,received\n"
				   "Ivo Brackett,2016-01-01,x,2099-03-01T09:00:00Z\n"),
		       EX_DATAERR, "t.csv line 2", "received", "future", NULL);
}

/* Unknown codes name line, column and the bad code. */
Test(import, unknown_codes)
{
	static const struct { const char *header, *value, *field; } cases[] = {
		{ "rag", "purple", "rag" },
		{ "category", "bullying", "category" },
		{ "source", "carrier-pigeon", "source" },
		{ "consent", "maybe", "consent" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char csv[256], quoted[64];
		snprintf(csv, sizeof csv, "child,dob,concern,%s\n"
			 "Ada Quill,2016-01-01,fine,\n"
			 "Ivo Brackett,2016-01-01,worry,%s\n",
			 cases[i].header, cases[i].value);
		snprintf(quoted, sizeof quoted, "'%s'", cases[i].value);
		assert_refused(import_text(csv), EX_DATAERR, "t.csv line 3",
			       cases[i].field, quoted, NULL);
	}
	assert_refused(import_text("child,dob,concern,received,decided,outcome\n"
				   "Ivo Brackett,2016-01-01,worry,"
				   "2025-01-10T09:00:00Z,2025-01-11T09:00:00Z,"
				   "prison\n"),
		       EX_DATAERR, "t.csv line 2", "outcome", "'prison'", NULL);
}

/* The stage column says what each row is: an open contact (the default
 * for an open row), an open referral, a contact closed at screening
 * (decided, with a screening outcome and no joint decision) or a decided
 * referral (the default for a decided row). */
Test(import, stage_says_contact_or_referral)
{
	int rc = import_text(
		"child,dob,concern,received,decided,outcome,stage\n"
		"Rowan Tull,2016-05-04,Waiting,2025-01-10T09:00:00Z,,,\n"
		"Nell Abernethy,2019-10-10,Open referral,2025-01-10T10:00:00Z,,,referral\n"
		"Ivo Brackett,2016-01-01,Closed,2025-01-10T11:00:00Z,"
		"2025-01-10T12:00:00Z,advice,contact\n"
		"Ada Quill,2016-01-01,Decided,2025-01-10T11:00:00Z,"
		"2025-01-11T12:00:00Z,s17,\n"
		"Kit Ambrose,2016-01-01,Decided too,2025-01-10T11:00:00Z,"
		"2025-01-11T12:00:00Z,nfa,referral\n");
	assert_imported(rc, 5);
	assert_sql_text("SELECT group_concat(stage || ':' || status, ' ') FROM"
			" (SELECT stage, status FROM referral ORDER BY id)",
			"contact:new referral:new contact:closed referral:decided"
			" referral:decided");
	assert_sql_text("SELECT screening_outcome || '|' || screened_at || '|' ||"
			" decided_at || '|' || coalesce(screened_by, 'NULL') || '|' ||"
			" (screening_reason LIKE 'Closed at screening%') FROM referral"
			" WHERE id = 3", "advice|1736510400|1736510400|NULL|1");
	cr_assert_eq(sql_int("SELECT count(*) FROM decision"), 2);
	cr_assert_eq(sql_int("SELECT count(*) FROM decision WHERE referral_id = 3"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral WHERE screened_at IS NOT NULL"
			     " AND id <> 3"), 0);
	/* Only the open ones are in the queue. */
	cr_assert_eq(queue(1, NULL).n, 2);
}

Test(import, stage_refusals)
{
	assert_refused(import_text("child,dob,concern,stage\n"
				   "Ivo Brackett,2016-01-01,worry,lead\n"),
		       EX_DATAERR, "t.csv line 2", "stage", "'lead'", NULL);
	/* closed at screening takes a screening outcome, not a decision's */
	assert_refused(import_text("child,dob,concern,received,decided,outcome,stage\n"
				   "Ivo Brackett,2016-01-01,worry,"
				   "2025-01-10T09:00:00Z,2025-01-11T09:00:00Z,"
				   "s47,contact\n"),
		       EX_DATAERR, "t.csv line 2", "outcome", "'s47'",
		       "allocated", NULL);
	/* and a referral's decision never takes "allocated" */
	assert_refused(import_text("child,dob,concern,received,decided,outcome,stage\n"
				   "Ivo Brackett,2016-01-01,worry,"
				   "2025-01-10T09:00:00Z,2025-01-11T09:00:00Z,"
				   "allocated,referral\n"),
		       EX_DATAERR, "t.csv line 2", "outcome", "'allocated'", NULL);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral"), 0);
}

/* Levels of need are 1 to 4. */
Test(import, bad_level)
{
	static const char *const bad[] = { "5", "x", "0", "12", "-1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char csv[256], quoted[16];
		snprintf(csv, sizeof csv, "child,dob,concern,level\n"
			 "Ada Quill,2016-01-01,fine,4\n"
			 "Ivo Brackett,2016-01-01,worry,%s\n", bad[i]);
		snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
		assert_refused(import_text(csv), EX_DATAERR, "t.csv line 3",
			       "level", quoted, NULL);
	}
}

/* Record line numbers count the physical lines inside quoted fields. */
Test(import, line_numbers_count_embedded_newlines)
{
	assert_refused(import_text("child,dob,concern\n"
				   "Ada Quill,2016-01-01,\"one\ntwo\nthree\"\n"
				   "Ivo Brackett,2016-02-30,worry\n"),
		       EX_DATAERR, "t.csv line 5", "dob", NULL);
}

/* Bytes that are not UTF-8 are refused, naming the physical line even
 * inside a multi-line field, and the field. */
Test(import, invalid_utf8)
{
	assert_refused(import_text("child,dob,concern\n"
				   "Ada Quill,2016-01-01,fine\n"
				   "Ma\xE9lle Dufort,2016-01-01,Latin-1 name\n"),
		       EX_DATAERR, "t.csv line 3", "field 1", "UTF-8", NULL);
	assert_refused(import_text("child,dob,concern\n"
				   "Ada Quill,2016-01-01,\"first line\n"
				   "second \xFF line\"\n"),
		       EX_DATAERR, "t.csv line 3", "field 3", "UTF-8", NULL);
}

/* An empty file (or only blank lines) has no header: say so. */
Test(import, empty_file)
{
	assert_refused(import_file("", 0), EX_DATAERR, "in.csv", "empty", NULL);
	assert_refused(import_text("\n\r\n\n"), EX_DATAERR, "t.csv", "empty",
		       NULL);
}

/* A field over the reader's limit (1 MiB) is refused naming its line,
 * before it can use unbounded memory; the row before is rolled back. */
Test(import, huge_field_refused)
{
	struct buf b = { 0 };
	buf_add(&b, "child,dob,concern\nAda Quill,2016-01-01,fine\n"
		"Ivo Brackett,2016-01-01,");
	buf_fill(&b, 'y', CSV_MAX_FIELD + 1);
	buf_add(&b, "\n");
	assert_refused(import_n(b.s, b.len), EX_DATAERR, "t.csv line 3",
		       "field 3", "longer than", NULL);
	free(b.s);
}

/* A decided referral needs both decided and outcome. */
Test(import, decided_needs_outcome)
{
	assert_refused(import_text("child,dob,concern,received,decided,outcome\n"
				   "Rowan Tull,2016-05-04,old,2025-01-10T09:00:00Z,"
				   "2025-01-11T09:00:00Z,\n"),
		       EX_DATAERR, "t.csv line 2", "outcome", NULL);
	assert_refused(import_text("child,dob,concern,received,decided,outcome\n"
				   "Rowan Tull,2016-05-04,old,2025-01-10T09:00:00Z,"
				   ",nfa\n"),
		       EX_DATAERR, "t.csv line 2", "decided", NULL);
	assert_refused(import_text("child,dob,concern,outcome\n"
				   "Rowan Tull,2016-05-04,old,nfa\n"),
		       EX_DATAERR, "t.csv line 2", "decided", NULL);
}

/* A decision before the referral was received is refused with a message
 * that names the `decided` column, whether `received` is given or left to
 * default to now. */
Test(import, decided_before_received)
{
	assert_refused(import_text("child,dob,concern,received,decided,outcome\n"
				   "Rowan Tull,2016-05-04,old,2025-01-10T09:00:00Z,"
				   "2025-01-09T09:00:00Z,nfa\n"),
		       EX_DATAERR, "t.csv line 2", "decided:", NULL);
	assert_refused(import_text("child,dob,concern,decided,outcome\n"
				   "Rowan Tull,2016-05-04,old,"
				   "2025-01-09T09:00:00Z,nfa\n"),
		       EX_DATAERR, "t.csv line 2", "decided:", NULL);
}

/* Only practitioners and supervisors take in referrals: an admin is
 * refused before anything is read. */
Test(import, admin_may_not_import)
{
	reopen_as("admin");
	assert_failed(import_text("child,dob,concern\n"
				  "Ada Quill,2016-01-01,worry\n"),
		      EX_NOPERM, "take in referrals", "admin", NULL);
	reopen_as("pat");   /* an admin may not even look at the queue */
	assert_nothing_imported();
}

/* All or nothing at scale: a bad row 1,500 of 2,000 (file line 1,501)
 * rolls back the 1,499 good rows before it. */
Test(import, error_on_row_1500_rolls_back_everything)
{
	struct buf b = { 0 };
	buf_add(&b, "child,dob,concern\n");
	for (int i = 1; i <= 2000; i++)
		buf_add(&b, "Child Number%d,%s,Concern %d\n", i,
			i == 1500 ? "2015-02-29" : "2015-02-28", i);
	assert_refused(import_file(b.s, b.len), EX_DATAERR, "in.csv line 1501",
		       "dob", "2015-02-29", NULL);
	free(b.s);
}

/* ---- training and live never mix -------------------------------------------- */

/* `export` writes each row's hub_mode; this hub is a training hub. */
Test(import, a_live_hubs_rows_are_refused_on_a_training_hub)
{
	assert_failed(import_text("hub_mode,child,dob,concern\n"
				  "training,Ada Quill,2016-01-01,worry\n"
				  "live,Bo Quill,2015-01-01,worry\n"),
		      EX_NOPERM, "t.csv line 3", "exported from a live hub", NULL);
	cr_assert(strstr(err.msg, "nothing is copied between live and training"),
		  "%s", err.msg);
	assert_nothing_imported();
}

Test(import, rows_of_the_same_kind_of_hub_are_taken)
{
	cr_assert_eq(import_text("hub_mode,child,dob,concern\n"
				 "training,Ada Quill,2016-01-01,worry\n"), 0,
		     "%s", err.msg);
	cr_assert_eq(count, 1);
}

/* A whole export of a live hub names where it came from, not merely the
 * first column import does not take. */
Test(import, a_live_export_is_refused_for_where_it_came_from)
{
	assert_failed(import_text("hub_mode,hub,ref,received,child,dob\n"
				  "live,Riverside MASH,R000001,2026-01-05T09:00:00Z,"
				  "Ada Quill,2016-01-01\n"),
		      EX_NOPERM, "t.csv line 2", "exported from a live hub", NULL);
	assert_nothing_imported();
	/* the same file from a training hub: an ordinary bad header */
	assert_failed(import_text("hub_mode,hub,ref,received,child,dob\n"
				  "training,Practice,R000001,2026-01-05T09:00:00Z,"
				  "Ada Quill,2016-01-01\n"),
		      EX_DATAERR, "unknown column 'hub'", NULL, NULL);
}
