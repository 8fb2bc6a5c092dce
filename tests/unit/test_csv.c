/* test_csv.c - the CSV reader as an import relies on it: exact field
 * contents, field counts, the line each record starts on, and errors that
 * name the file, the line and the field. */
/* fmemopen and fopencookie; the build may define it already. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <criterion/criterion.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/csv.h"

/* One reader over an in-memory copy of the input.  fmemopen needs its
 * buffer to outlive the stream, so the copy lives here too. */
struct rd {
	char *buf;
	FILE *f;
	struct csv_reader *r;
	struct md_error err;
	char **fields;
	int n;
	long line;
};

static void rd_open_n(struct rd *t, const char *s, size_t len)
{
	memset(t, 0, sizeof *t);
	t->buf = malloc(len + 1);
	cr_assert_not_null(t->buf);
	memcpy(t->buf, s, len);
	t->f = fmemopen(t->buf, len, "r");
	cr_assert_not_null(t->f, "fmemopen: %s", strerror(errno));
	t->r = csv_open(t->f, "t.csv");
	cr_assert_not_null(t->r);
}

static void rd_open(struct rd *t, const char *s)
{
	rd_open_n(t, s, strlen(s));
}

static void rd_close(struct rd *t)
{
	csv_close(t->r);
	fclose(t->f);
	free(t->buf);
}

static int rd_next(struct rd *t)
{
	md_clear(&t->err);
	return csv_next(t->r, &t->fields, &t->n, &t->line, &t->err);
}

/* The next record starts on `line` and holds exactly the n strings given. */
static void expect_rec(struct rd *t, long line, int n, ...)
{
	va_list ap;
	int rc = rd_next(t);

	cr_assert_eq(rc, 1, "expected a record at line %ld, got %d (%s)",
		     line, rc, t->err.msg);
	cr_assert_eq(t->line, line, "record starts on line %ld, not %ld",
		     t->line, line);
	cr_assert_eq(t->n, n, "line %ld: %d fields, expected %d",
		     line, t->n, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);
		cr_assert_str_eq(t->fields[i], want, "line %ld field %d",
				 line, i + 1);
	}
	va_end(ap);
}

static void expect_end(struct rd *t)
{
	int rc = rd_next(t);

	cr_assert_eq(rc, 0, "expected the end, got %d (%s)", rc, t->err.msg);
	/* The end stays the end. */
	cr_assert_eq(rd_next(t), 0);
}

/* The next call fails with code and a one-line message containing each
 * of the given fragments (the file and line, the field). */
static void expect_err(struct rd *t, int code, const char *where,
		       const char *field)
{
	int rc = rd_next(t);

	cr_assert_eq(rc, code, "expected error %d, got %d (%s)", code, rc,
		     t->err.msg);
	cr_assert_eq(t->err.code, code);
	cr_assert_not_null(strstr(t->err.msg, where),
			   "message \"%s\" does not name \"%s\"", t->err.msg, where);
	if (field)
		cr_assert_not_null(strstr(t->err.msg, field),
				   "message \"%s\" does not name \"%s\"",
				   t->err.msg, field);
	cr_assert_null(strchr(t->err.msg, '\n'));
	/* The stream is mid-record: the reader keeps refusing. */
	cr_assert_eq(rd_next(t), code);
	cr_assert_not_null(strstr(t->err.msg, where));
}

Test(csv, simple_rows)
{
	struct rd t;

	rd_open(&t, "name,dob,school\nAmy Lee,2014-03-02,Oak Primary\n");
	expect_rec(&t, 1, 3, "name", "dob", "school");
	expect_rec(&t, 2, 3, "Amy Lee", "2014-03-02", "Oak Primary");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, spaces_are_data)
{
	struct rd t;

	rd_open(&t, " a , b \n");
	expect_rec(&t, 1, 2, " a ", " b ");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, quoted_commas)
{
	struct rd t;

	rd_open(&t, "\"Lee, Amy\",\"1, High St, Leeds\",x\n");
	expect_rec(&t, 1, 3, "Lee, Amy", "1, High St, Leeds", "x");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, quoted_newlines_keep_line_numbers)
{
	struct rd t;

	rd_open(&t, "id,note\n"
		    "1,\"first line\nsecond line\n\nfourth line\"\n"
		    "2,\"a\nb\",after\n"
		    "3,plain\n");
	expect_rec(&t, 1, 2, "id", "note");
	expect_rec(&t, 2, 2, "1", "first line\nsecond line\n\nfourth line");
	expect_rec(&t, 6, 3, "2", "a\nb", "after");
	expect_rec(&t, 8, 2, "3", "plain");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, doubled_quotes)
{
	struct rd t;

	rd_open(&t, "\"She said \"\"no\"\"\",\"\"\"\",\"\",\"\"\"\"\"\"\n");
	expect_rec(&t, 1, 4, "She said \"no\"", "\"", "", "\"\"");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, bom_skipped)
{
	struct rd t;

	rd_open(&t, "\xEF\xBB\xBFname,age\nAmy,9\n");
	expect_rec(&t, 1, 2, "name", "age");
	expect_rec(&t, 2, 2, "Amy", "9");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, bom_only_at_start)
{
	struct rd t;

	/* Only the first BOM is a marker; a later U+FEFF is text. */
	rd_open(&t, "\xEF\xBB\xBF\xEF\xBB\xBFx\n");
	expect_rec(&t, 1, 1, "\xEF\xBB\xBFx");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, bom_then_quoted_field)
{
	struct rd t;

	rd_open(&t, "\xEF\xBB\xBF\"a,b\",c\n");
	expect_rec(&t, 1, 2, "a,b", "c");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, only_bom_is_empty)
{
	struct rd t;

	rd_open(&t, "\xEF\xBB\xBF");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, empty_file)
{
	struct rd t;

	rd_open(&t, "");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, only_blank_lines_is_empty)
{
	struct rd t;

	rd_open(&t, "\n\r\n\n");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, crlf)
{
	struct rd t;

	rd_open(&t, "a,b\r\n\"c\",\"d\"\r\n,\r\n");
	expect_rec(&t, 1, 2, "a", "b");
	expect_rec(&t, 2, 2, "c", "d");
	expect_rec(&t, 3, 2, "", "");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, crlf_inside_quotes_becomes_lf)
{
	struct rd t;

	rd_open(&t, "\"one\r\ntwo\",x\r\ny\r\n");
	expect_rec(&t, 1, 2, "one\ntwo", "x");
	expect_rec(&t, 3, 1, "y");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, lone_cr_inside_quotes_is_data)
{
	struct rd t;

	rd_open(&t, "\"a\rb\",\"c\r\"\n");
	expect_rec(&t, 1, 2, "a\rb", "c\r");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, mixed_line_ends)
{
	struct rd t;

	rd_open(&t, "a\r\nb\nc\r\n\"d\ne\"\r\nf");
	expect_rec(&t, 1, 1, "a");
	expect_rec(&t, 2, 1, "b");
	expect_rec(&t, 3, 1, "c");
	expect_rec(&t, 4, 1, "d\ne");
	expect_rec(&t, 6, 1, "f");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, blank_lines_skipped)
{
	struct rd t;

	rd_open(&t, "\n\na,b\n\r\n\nc,d\n\n");
	expect_rec(&t, 3, 2, "a", "b");
	expect_rec(&t, 6, 2, "c", "d");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, quoted_empty_line_is_a_record)
{
	struct rd t;

	/* "" is one empty field, not a blank line. */
	rd_open(&t, "a\n\"\"\nb\n");
	expect_rec(&t, 1, 1, "a");
	expect_rec(&t, 2, 1, "");
	expect_rec(&t, 3, 1, "b");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, empty_fields)
{
	struct rd t;

	rd_open(&t, ",,\na,,b\na,\n,a\n");
	expect_rec(&t, 1, 3, "", "", "");
	expect_rec(&t, 2, 3, "a", "", "b");
	expect_rec(&t, 3, 2, "a", "");
	expect_rec(&t, 4, 2, "", "a");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, missing_trailing_newline)
{
	struct rd t;

	rd_open(&t, "a,b\nc,d");
	expect_rec(&t, 1, 2, "a", "b");
	expect_rec(&t, 2, 2, "c", "d");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, missing_trailing_newline_after_quote_or_comma)
{
	struct rd t;

	rd_open(&t, "a,\"b\nc\"");
	expect_rec(&t, 1, 2, "a", "b\nc");
	expect_end(&t);
	rd_close(&t);

	rd_open(&t, "a,");
	expect_rec(&t, 1, 2, "a", "");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, utf8_kept_exactly)
{
	struct rd t;

	rd_open(&t, "Zoë O'Brien,\"李小龍\",🙂\n");
	expect_rec(&t, 1, 3, "Zoë O'Brien", "李小龍", "🙂");
	expect_end(&t);
	rd_close(&t);
}

Test(csv, invalid_utf8)
{
	struct rd t;

	/* Latin-1 "é" in the second field of line 2. */
	rd_open(&t, "name,town\nAmy,Montr\xE9" "al\n");
	expect_rec(&t, 1, 2, "name", "town");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 2");
	rd_close(&t);
}

Test(csv, invalid_utf8_names_line_inside_multiline_field)
{
	struct rd t;

	rd_open(&t, "a\n\"ok\nstill ok\nbad \xC0\xAF here\"\n");
	expect_rec(&t, 1, 1, "a");
	expect_err(&t, EX_DATAERR, "t.csv line 4:", "field 1");
	rd_close(&t);
}

Test(csv, invalid_utf8_overlong_and_truncated)
{
	struct rd t;

	/* A sequence cut off by the end of the field. */
	rd_open(&t, "x,\xE6\x9D,y\n");
	expect_err(&t, EX_DATAERR, "t.csv line 1:", "field 2");
	rd_close(&t);
}

/* A field of exactly len bytes of 'x', optionally quoted, after a first
 * line "h". */
static char *big_input(size_t len, int quoted, size_t *total)
{
	char *s = malloc(len + 16);
	size_t n = 0;

	cr_assert_not_null(s);
	memcpy(s, "h\n", 2);
	n = 2;
	if (quoted)
		s[n++] = '"';
	memset(s + n, 'x', len);
	n += len;
	if (quoted)
		s[n++] = '"';
	memcpy(s + n, ",y\nz\n", 5);
	n += 5;
	*total = n;
	return s;
}

Test(csv, large_field_at_limit_ok)
{
	struct rd t;
	size_t n;
	char *s = big_input(CSV_MAX_FIELD, 0, &n);

	rd_open_n(&t, s, n);
	expect_rec(&t, 1, 1, "h");
	cr_assert_eq(rd_next(&t), 1, "%s", t.err.msg);
	cr_assert_eq(t.line, 2);
	cr_assert_eq(t.n, 2);
	cr_assert_eq(strlen(t.fields[0]), (size_t)CSV_MAX_FIELD);
	cr_assert_eq(strspn(t.fields[0], "x"), (size_t)CSV_MAX_FIELD);
	cr_assert_str_eq(t.fields[1], "y");
	expect_rec(&t, 3, 1, "z");
	expect_end(&t);
	rd_close(&t);
	free(s);
}

Test(csv, quoted_field_at_limit_ok)
{
	struct rd t;
	size_t n;
	char *s = big_input(CSV_MAX_FIELD, 1, &n);

	rd_open_n(&t, s, n);
	expect_rec(&t, 1, 1, "h");
	cr_assert_eq(rd_next(&t), 1, "%s", t.err.msg);
	cr_assert_eq(strlen(t.fields[0]), (size_t)CSV_MAX_FIELD);
	rd_close(&t);
	free(s);
}

Test(csv, huge_field_over_limit)
{
	struct rd t;
	size_t n;
	char *s = big_input(CSV_MAX_FIELD + 1, 0, &n);

	rd_open_n(&t, s, n);
	expect_rec(&t, 1, 1, "h");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 1");
	rd_close(&t);
	free(s);
}

Test(csv, huge_quoted_field_names_its_first_line)
{
	struct rd t;
	size_t n;
	char *s = big_input(CSV_MAX_FIELD + 1, 1, &n);

	/* Line breaks inside the field: the message names where it began. */
	s[100] = '\n';
	s[200] = '\n';
	rd_open_n(&t, s, n);
	expect_rec(&t, 1, 1, "h");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 1");
	rd_close(&t);
	free(s);
}

Test(csv, stray_quote)
{
	struct rd t;

	rd_open(&t, "a,b\nc,5\" tall,d\n");
	expect_rec(&t, 1, 2, "a", "b");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 2");
	rd_close(&t);
}

Test(csv, text_after_closing_quote)
{
	struct rd t;

	rd_open(&t, "\"a\nb\"c,d\n");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 1");
	rd_close(&t);
}

Test(csv, unterminated_quote_names_opening_line)
{
	struct rd t;

	rd_open(&t, "a,b\nc,\"never closed\nmore\nand more\n");
	expect_rec(&t, 1, 2, "a", "b");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 2");
	rd_close(&t);
}

/* A record of n fields "f1,f2,...". */
static char *wide_record(int n)
{
	char *s = malloc((size_t)n * 8 + 2);
	size_t len = 0;

	cr_assert_not_null(s);
	for (int i = 1; i <= n; i++)
		len += (size_t)sprintf(s + len, "%sf%d", i > 1 ? "," : "", i);
	strcpy(s + len, "\n");
	return s;
}

Test(csv, max_fields_ok)
{
	struct rd t;
	char *s = wide_record(CSV_MAX_FIELDS);

	rd_open(&t, s);
	cr_assert_eq(rd_next(&t), 1, "%s", t.err.msg);
	cr_assert_eq(t.n, CSV_MAX_FIELDS);
	cr_assert_str_eq(t.fields[0], "f1");
	cr_assert_str_eq(t.fields[CSV_MAX_FIELDS - 1], "f256");
	expect_end(&t);
	rd_close(&t);
	free(s);
}

Test(csv, too_many_fields)
{
	struct rd t;
	char *s = wide_record(CSV_MAX_FIELDS + 1);
	char *in = malloc(strlen(s) + 3);

	cr_assert_not_null(in);
	strcpy(in, "a\n");
	strcat(in, s);
	rd_open(&t, in);
	expect_rec(&t, 1, 1, "a");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "256");
	rd_close(&t);
	free(in);
	free(s);
}

Test(csv, nul_byte)
{
	struct rd t;
	static const char in[] = "a,b\nc,d\0e\n";

	rd_open_n(&t, in, sizeof in - 1);
	expect_rec(&t, 1, 2, "a", "b");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "field 2");
	rd_close(&t);
}

Test(csv, nul_byte_in_quotes)
{
	struct rd t;
	static const char in[] = "\"a\n\0\"\n";

	rd_open_n(&t, in, sizeof in - 1);
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "NUL");
	rd_close(&t);
}

Test(csv, utf16_file_refused)
{
	struct rd t;
	/* "a,b\n" in UTF-16LE with its BOM, as Excel's "Unicode text". */
	static const char in[] = "\xFF\xFE" "a\0,\0b\0\n\0";

	rd_open_n(&t, in, sizeof in - 1);
	cr_assert_eq(rd_next(&t), EX_DATAERR);
	cr_assert_not_null(strstr(t.err.msg, "t.csv line 1:"), "%s",
			   t.err.msg);
	rd_close(&t);
}

Test(csv, bare_cr_is_an_error)
{
	struct rd t;

	/* Old Mac line ends would otherwise merge into one record. */
	rd_open(&t, "a,b\rc,d\r");
	expect_err(&t, EX_DATAERR, "t.csv line 1:", "carriage return");
	rd_close(&t);

	rd_open(&t, "x\ny\rz\n");
	expect_rec(&t, 1, 1, "x");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "carriage return");
	rd_close(&t);

	rd_open(&t, "x\n\ry\n");
	expect_rec(&t, 1, 1, "x");
	expect_err(&t, EX_DATAERR, "t.csv line 2:", "carriage return");
	rd_close(&t);
}

/* A stream that yields `data` and then fails with EIO. */
static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
	const char **rest = cookie;
	size_t n = strlen(*rest);

	if (n == 0) {
		errno = EIO;
		return -1;
	}
	if (n > size)
		n = size;
	memcpy(buf, *rest, n);
	*rest += n;
	return (ssize_t)n;
}

Test(csv, read_error_is_ioerr)
{
	const char *rest = "a,b\nc,d";
	cookie_io_functions_t io = { .read = failing_read };
	FILE *f = fopencookie(&rest, "r", io);
	struct csv_reader *r;
	struct md_error err;
	char **fields;
	int n;
	long line;

	cr_assert_not_null(f);
	r = csv_open(f, "t.csv");
	cr_assert_not_null(r);
	md_clear(&err);
	cr_assert_eq(csv_next(r, &fields, &n, &line, &err), 1);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(fields[1], "b");
	/* The second record is cut short by the error: never delivered as
	 * if it were complete. */
	cr_assert_eq(csv_next(r, &fields, &n, &line, &err), EX_IOERR);
	cr_assert_eq(err.code, EX_IOERR);
	cr_assert_not_null(strstr(err.msg, "t.csv line 2:"), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "read error"), "%s", err.msg);
	csv_close(r);
	fclose(f);
}

Test(csv, many_rows_across_read_blocks)
{
	enum { ROWS = 100000 };
	size_t cap = (size_t)ROWS * 48, len = 0;
	char *s = malloc(cap);
	char id[16], name[32], note[32];
	struct rd t;

	cr_assert_not_null(s);
	/* Every third note spans two lines, so line numbers drift from row
	 * numbers and records straddle the reader's block boundaries. */
	for (int i = 0; i < ROWS; i++)
		len += (size_t)snprintf(s + len, cap - len,
				       i % 3 ? "%d,Name %d,\"note, %d\"\r\n"
					     : "%d,Name %d,\"note\n%d\"\r\n",
				       i, i, i);
	rd_open_n(&t, s, len);
	for (int i = 0; i < ROWS; i++) {
		long want = 1 + i + (i + 2) / 3;

		snprintf(id, sizeof id, "%d", i);
		snprintf(name, sizeof name, "Name %d", i);
		snprintf(note, sizeof note, i % 3 ? "note, %d" : "note\n%d", i);
		expect_rec(&t, want, 3, id, name, note);
	}
	expect_end(&t);
	rd_close(&t);
	free(s);
}

Test(csv, null_name_and_null_err)
{
	char in[] = "\"x";
	FILE *f = fmemopen(in, 2, "r");
	struct csv_reader *r = csv_open(f, NULL);
	char **fields;
	int n;
	long line;

	cr_assert_not_null(r);
	/* err may be NULL: the failure is still reported by its code. */
	cr_assert_eq(csv_next(r, &fields, &n, &line, NULL), EX_DATAERR);
	cr_assert_null(csv_open(NULL, "t.csv"));
	csv_close(r);
	csv_close(NULL);
	fclose(f);
}
