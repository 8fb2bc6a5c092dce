/* csv.c - an RFC 4180 reader for imports.
 *
 * Choices beyond RFC 4180, made so that a bad file fails loudly rather
 * than importing quietly wrong:
 * - Records end with LF or CRLF.  A bare CR outside quotes (old Mac line
 *   ends, or a stray control byte) is an error: taking it as data would
 *   merge a whole old-Mac file into one record, and taking it as a line
 *   end would guess at what the sender meant.
 * - Inside quotes every byte is data, except that CRLF is stored as LF, so
 *   a multi-line note reads the same whether the file was saved with
 *   Windows or Unix line ends.  A lone CR inside quotes is kept as data.
 * - A completely empty line (nothing before LF or CRLF) is skipped; a line
 *   holding only "" or a space is a record of one field.
 * - A NUL byte anywhere is an error (usually a UTF-16 or binary file).
 * - Errors are sticky: after one, every later call returns the same error,
 *   since the stream is left in the middle of a record.
 *
 * Bytes come through a private buffer filled with fread, which is portable
 * and costs one compare per byte; so the reader reads ahead, and the
 * stream's position means nothing until csv_close.  All fields of a record live in one
 * growing buffer, NUL-separated, so memory follows the widest record. */
#include "mashdesk/csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/text.h"

#define CSV_READ_SIZE 65536

struct csv_reader {
	FILE *in;
	char *name;
	long line;              /* physical line of the next byte */
	int started;            /* first block read and its BOM skipped */
	int eof;                /* in has nothing more to give */
	int ioerr;              /* ... because of a read error */
	int ioerrno;            /* errno seen with that error, or 0 */
	struct md_error fail;   /* sticky error, code 0 when none */

	char *data;             /* fields of the record, NUL-separated */
	size_t len, cap;
	size_t stop;            /* len where append must look closer */
	size_t fstart;          /* offset of the field being read */
	long fline;             /* line that field starts on */
	int nfields;            /* fields finished so far */
	size_t offs[CSV_MAX_FIELDS];
	char *fields[CSV_MAX_FIELDS + 1];

	size_t pos, end;        /* unread bytes of buf */
	unsigned char buf[CSV_READ_SIZE];
};

static int csv_fail(struct csv_reader *r, int code, long line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int csv_expand(struct csv_reader *r);

static int csv_fail(struct csv_reader *r, int code, long line,
		    const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return md_fail(&r->fail, code, "%s line %ld: %s", r->name, line, what);
}

struct csv_reader *csv_open(FILE *in, const char *name)
{
	struct csv_reader *r;
	size_t n;

	if (!in)
		return NULL;
	if (!name)
		name = "input";
	r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	n = strlen(name) + 1;
	r->name = malloc(n);
	if (!r->name) {
		free(r);
		return NULL;
	}
	memcpy(r->name, name, n);
	/* Start with a buffer so that data is never NULL, even for a record
	 * of empty fields. */
	if (csv_expand(r)) {
		free(r->name);
		free(r);
		return NULL;
	}
	r->in = in;
	r->line = 1;
	md_clear(&r->fail);
	return r;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->data);
	free(r->name);
	free(r);
}

/* Read the next block.  A short fread means end of file or an error, so
 * after one we never call fread again: a terminal or pipe would otherwise
 * be asked twice, and an error would be retried. */
static int csv_refill(struct csv_reader *r)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	size_t n;

	if (r->eof)
		return 0;
	errno = 0;
	n = fread(r->buf, 1, sizeof r->buf, r->in);
	if (n < sizeof r->buf) {
		r->eof = 1;
		if (ferror(r->in)) {
			r->ioerr = 1;
			r->ioerrno = errno;
		}
	}
	r->pos = 0;
	r->end = n;
	/* fread only comes back short at the end, so a BOM at the start of
	 * the file is always whole in the first block. */
	if (!r->started) {
		r->started = 1;
		if (n >= 3 && memcmp(r->buf, bom, 3) == 0)
			r->pos = 3;
	}
	return r->pos < r->end;
}

static inline int csv_getc(struct csv_reader *r)
{
	if (r->pos == r->end && !csv_refill(r))
		return EOF;
	return r->buf[r->pos++];
}

/* Double the buffer.  Growth is by whole records' worth of bytes, so the
 * buffer ends up the size of the widest record read. */
static int csv_expand(struct csv_reader *r)
{
	size_t ncap = r->cap ? r->cap * 2 : 256;
	char *p = realloc(r->data, ncap);

	if (!p)
		return csv_fail(r, EX_OSERR, r->line,
				"out of memory reading a record of %zu bytes",
				r->len);
	r->data = p;
	r->cap = ncap;
	return 0;
}

/* Where csv_put must next stop and look: the nearer of the buffer's end
 * and the current field's size limit. */
static void csv_set_stop(struct csv_reader *r)
{
	r->stop = r->cap - r->fstart > CSV_MAX_FIELD ?
		r->fstart + CSV_MAX_FIELD : r->cap;
}

/* The slow half of csv_put: fail when the field has reached CSV_MAX_FIELD
 * bytes, else grow.  The check comes before any growth, so a huge field
 * costs at most CSV_MAX_FIELD bytes of memory before it is refused. */
static int csv_grow(struct csv_reader *r)
{
	int rc;

	if (r->len - r->fstart >= CSV_MAX_FIELD)
		return csv_fail(r, EX_DATAERR, r->fline,
				"field %d is longer than %d bytes",
				r->nfields + 1, CSV_MAX_FIELD);
	rc = csv_expand(r);
	if (rc)
		return rc;
	csv_set_stop(r);
	return 0;
}

/* Append one byte to the current field.  One compare on the fast path:
 * stop is the nearer of the buffer's end and the field's size limit. */
static inline int csv_put(struct csv_reader *r, int c)
{
	if (r->len == r->stop) {
		int rc = csv_grow(r);
		if (rc)
			return rc;
	}
	r->data[r->len++] = (char)c;
	return 0;
}

static int csv_read_error(struct csv_reader *r)
{
	if (r->ioerrno)
		return csv_fail(r, EX_IOERR, r->line, "read error: %s",
				strerror(r->ioerrno));
	return csv_fail(r, EX_IOERR, r->line, "read error");
}

static int csv_nul(struct csv_reader *r)
{
	return csv_fail(r, EX_DATAERR, r->line,
			"field %d contains a NUL byte (is this a UTF-16 or binary file?)",
			r->nfields + 1);
}

/* Read the rest of an unquoted field whose first byte is c.  Returns 0
 * with *next set to the byte that ended it (',', '\n', '\r' or EOF). */
static int csv_unquoted(struct csv_reader *r, int c, int *next)
{
	int rc;

	while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
		if (c == '"')
			return csv_fail(r, EX_DATAERR, r->line,
					"field %d has a quote but does not start with one (quote the whole field and double the quote inside)",
					r->nfields + 1);
		if (c == '\0')
			return csv_nul(r);
		rc = csv_put(r, c);
		if (rc)
			return rc;
		c = csv_getc(r);
	}
	*next = c;
	return 0;
}

/* Read a quoted field after its opening quote.  Returns 0 with *next set
 * to the byte after the closing quote. */
static int csv_quoted(struct csv_reader *r, int *next)
{
	int c = csv_getc(r);
	int rc;

	for (;;) {
		if (c == EOF) {
			if (r->ioerr)
				return csv_read_error(r);
			return csv_fail(r, EX_DATAERR, r->fline,
					"field %d opens a quote that is never closed",
					r->nfields + 1);
		}
		if (c == '"') {
			c = csv_getc(r);
			if (c != '"') {
				*next = c;
				return 0;
			}
		} else if (c == '\r') {
			c = csv_getc(r);
			if (c != '\n') {
				/* A lone CR: keep it, then look at c afresh. */
				rc = csv_put(r, '\r');
				if (rc)
					return rc;
				continue;
			}
			r->line++;
		} else if (c == '\n') {
			r->line++;
		} else if (c == '\0') {
			return csv_nul(r);
		}
		rc = csv_put(r, c);
		if (rc)
			return rc;
		c = csv_getc(r);
	}
}

/* Finish the current field: terminate it and check its UTF-8. */
static int csv_end_field(struct csv_reader *r)
{
	const char *s = r->data + r->fstart;
	size_t n = r->len - r->fstart;
	long line = r->fline;
	int rc;

	if (!text_valid_utf8(s, n)) {
		/* A line break is ASCII, so it cannot sit inside a valid
		 * sequence: checking line by line finds the line at fault. */
		for (;;) {
			const char *nl = memchr(s, '\n', n);
			size_t k = nl ? (size_t)(nl - s) : n;

			if (!nl || !text_valid_utf8(s, k))
				break;
			s += k + 1;
			n -= k + 1;
			line++;
		}
		return csv_fail(r, EX_DATAERR, line,
				"field %d is not valid UTF-8 (save the file as UTF-8)",
				r->nfields + 1);
	}
	/* The terminator does not count toward the field's size limit. */
	if (r->len == r->cap) {
		rc = csv_expand(r);
		if (rc)
			return rc;
	}
	r->data[r->len++] = '\0';
	r->nfields++;
	return 0;
}

/* Skip completely empty lines.  Returns the first byte of a record, EOF,
 * or -2 with r->fail set. */
static int csv_skip_blank(struct csv_reader *r)
{
	int c;

	for (;;) {
		c = csv_getc(r);
		if (c == '\n') {
			r->line++;
		} else if (c == '\r') {
			if (csv_getc(r) != '\n') {
				csv_fail(r, EX_DATAERR, r->line,
					 "carriage return without a line feed (only LF or CRLF line ends are read)");
				return -2;
			}
			r->line++;
		} else {
			return c;
		}
	}
}

/* Start a field whose first byte is c; on return *next is the byte after
 * it: ',', '\n', '\r' or EOF. */
static int csv_field(struct csv_reader *r, int c, int *next)
{
	int rc;

	if (r->nfields == CSV_MAX_FIELDS)
		return csv_fail(r, EX_DATAERR, r->line,
				"more than %d fields in one record",
				CSV_MAX_FIELDS);
	r->fstart = r->len;
	r->fline = r->line;
	r->offs[r->nfields] = r->fstart;
	csv_set_stop(r);
	if (c == '"') {
		rc = csv_quoted(r, next);
		if (rc)
			return rc;
		c = *next;
		if (c != ',' && c != '\n' && c != '\r' && c != EOF)
			return csv_fail(r, EX_DATAERR, r->line,
					"field %d has text after its closing quote (a quote inside a quoted field must be doubled)",
					r->nfields + 1);
	} else {
		rc = csv_unquoted(r, c, next);
		if (rc)
			return rc;
	}
	return csv_end_field(r);
}

/* Read one record into r->data/r->offs.  Returns 1, 0 at the end, or an
 * EX_* code with r->fail set. */
static int csv_record(struct csv_reader *r, long *start)
{
	int c, rc;

	r->len = 0;
	r->nfields = 0;
	c = csv_skip_blank(r);
	if (c == -2)
		return r->fail.code;
	if (c == EOF)
		return r->ioerr ? csv_read_error(r) : 0;
	*start = r->line;
	for (;;) {
		rc = csv_field(r, c, &c);
		if (rc)
			return rc;
		if (c == ',') {
			c = csv_getc(r);
			continue;
		}
		if (c == '\r' && csv_getc(r) != '\n')
			return csv_fail(r, EX_DATAERR, r->line,
					"carriage return without a line feed after field %d (only LF or CRLF line ends are read)",
					r->nfields);
		if (c == EOF)
			return r->ioerr ? csv_read_error(r) : 1;
		r->line++;
		return 1;
	}
}

/* On 0 or an error, *fields is NULL, *nfields 0 and *line the line where
 * reading stopped.  Any output pointer may be NULL. */
int csv_next(struct csv_reader *r, char ***fields, int *nfields, long *line,
	     struct md_error *err)
{
	long start = 0;
	int rc;

	if (fields)
		*fields = NULL;
	if (nfields)
		*nfields = 0;
	rc = r->fail.code ? r->fail.code : csv_record(r, &start);
	if (line)
		*line = rc == 1 ? start : r->line;
	if (rc != 1) {
		if (rc && err)
			*err = r->fail;
		return rc;
	}
	for (int i = 0; i < r->nfields; i++)
		r->fields[i] = r->data + r->offs[i];
	r->fields[r->nfields] = NULL;
	if (fields)
		*fields = r->fields;
	if (nfields)
		*nfields = r->nfields;
	return 1;
}

/* ---- writing ------------------------------------------------------------ */

/* RFC 4180: a field is quoted when it holds a comma, a quote, CR or LF,
 * and a quote inside it is doubled.  Records end with CRLF. */
static int csv_put_field(FILE *out, const char *s)
{
	if (!s)
		s = "";
	if (!s[strcspn(s, ",\"\r\n")])
		return fputs(s, out) < 0 ? -1 : 0;
	if (putc('"', out) == EOF)
		return -1;
	for (; *s; s++)
		if ((*s == '"' && putc('"', out) == EOF) || putc(*s, out) == EOF)
			return -1;
	return putc('"', out) == EOF ? -1 : 0;
}

int csv_write_record(FILE *out, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++) {
		if (i && putc(',', out) == EOF)
			return -1;
		if (csv_put_field(out, fields[i]))
			return -1;
	}
	return fputs("\r\n", out) < 0 ? -1 : 0;
}
