/* forms_text.c - the pure part of the forms: the form library's padded
 * field buffers turned into text and back (see forms.h), without curses,
 * so it is unit-tested on its own.
 *
 * A multi-line field is rows of `width` cells, padded with spaces, and the
 * library keeps no line ends: a row may end because the library wrapped a
 * word, split a word longer than the row (the row is then full to its
 * last cell), or because the user pressed Enter.  A wrap and an Enter near
 * the right edge look the same, so no rule can tell them apart every
 * time; one that guessed would, on each resize, turn some of the user's
 * line ends into spaces.  So the text is what the user saw: each row a
 * line, except that a full row runs on into the next.  Read back at the
 * width it was laid out for, it is always the same text. */
#include "forms.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of the UTF-8 character at p (a stray byte counts as one). */
static size_t u8len(const char *p)
{
	unsigned char b = (unsigned char)*p;
	size_t n = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;

	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return i;
	return n;
}

void forms_trim(char *dst, size_t len, const char *s, int lead)
{
	size_t n;

	if (!len)
		return;
	while (lead && *s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

struct frow {
	const char *start;
	size_t bytes, trimmed;  /* all of it / without trailing spaces */
	int cells, tcells;      /* the same in characters */
};

/* Cut buf into rows of width characters; returns how many. */
static int rows_split(const char *buf, int width, struct frow *rows, int max)
{
	int n = 0;

	for (const char *p = buf; *p && n < max; n++) {
		struct frow *r = &rows[n];
		r->start = p;
		r->cells = r->tcells = 0;
		r->trimmed = 0;
		while (*p && r->cells < width) {
			size_t l = u8len(p);
			p += l;
			r->cells++;
			if (p[-1] != ' ' || l > 1) {
				r->trimmed = (size_t)(p - r->start);
				r->tcells = r->cells;
			}
		}
		r->bytes = (size_t)(p - r->start);
	}
	return n;
}

/* How row i joins the one before it: directly after a full row (the
 * library split a word there), else at a line end. */
static const char *rows_join(const struct frow *prev, int width)
{
	return prev->tcells >= width ? "" : "\n";
}

char *forms_rows_to_text(const char *buf, int width)
{
	size_t len = strlen(buf ? buf : "");
	int max = (int)len + 1, n;
	struct frow *rows = calloc((size_t)max, sizeof *rows);
	char *out = malloc(len + 1), *o = out;

	if (!rows || !out || width < 1) {
		free(rows);
		free(out);
		return NULL;
	}
	n = rows_split(buf ? buf : "", width, rows, max);
	while (n > 0 && rows[n - 1].tcells == 0)
		n--;
	for (int i = 0; i < n; i++) {
		/* After a full row the next is taken whole: its leading
		 * spaces are the text's own. */
		if (i > 0) {
			const char *j = rows_join(&rows[i - 1], width);
			memcpy(o, j, strlen(j));
			o += strlen(j);
		}
		memcpy(o, rows[i].start, rows[i].trimmed);
		o += rows[i].trimmed;
	}
	*o = '\0';
	free(rows);
	return out;
}

struct rowbuf {
	char *s;
	size_t used, cap;
	int rows, cells;        /* rows finished, characters in this one */
	int width;
	int last_full;          /* the last finished row was full */
};

static int rb_put(struct rowbuf *b, const char *p, size_t n, int cells)
{
	if (b->used + n + 1 > b->cap) {
		size_t cap = (b->used + n + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->used, p, n);
	b->used += n;
	b->s[b->used] = '\0';
	b->cells += cells;
	return 0;
}

static int rb_end_row(struct rowbuf *b)
{
	b->last_full = b->cells >= b->width;
	while (b->cells < b->width)
		if (rb_put(b, " ", 1, 1))
			return -1;
	b->rows++;
	b->cells = 0;
	return 0;
}

/* Put piece (cells characters) into rows, splitting it where the row is
 * full: a full row tells the reader to join the next one directly. */
static int rb_split(struct rowbuf *b, const char *p, size_t n, int cells)
{
	while (b->cells + cells >= b->width) {
		const char *q = p;
		int take = b->width - b->cells;
		for (int i = 0; i < take; i++)
			q += u8len(q);
		if (rb_put(b, p, (size_t)(q - p), take) || rb_end_row(b))
			return -1;
		n -= (size_t)(q - p);
		cells -= take;
		p = q;
	}
	return rb_put(b, p, n, cells);
}

/* One line of text (no newline in it) as rows. */
static int rb_line(struct rowbuf *b, const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	int started = 0;

	while (p <= end) {
		const char *q = p;
		int cells = 0;
		while (q < end && *q != ' ') {
			q += u8len(q);
			cells++;
		}
		int sep = started ? 1 : 0;
		if (b->cells + sep + cells < b->width) {
			if ((sep && rb_put(b, " ", 1, 1)) ||
			    rb_put(b, p, (size_t)(q - p), cells))
				return -1;
		} else if (started && b->cells > 0 && cells < b->width) {
			/* A word that does not fit starts the next row. */
			if (rb_end_row(b) || rb_put(b, p, (size_t)(q - p), cells))
				return -1;
		} else if ((sep && rb_split(b, " ", 1, 1)) ||
			   rb_split(b, p, (size_t)(q - p), cells)) {
			return -1;
		}
		started = 1;
		p = q + 1;
	}
	if (rb_end_row(b))
		return -1;
	/* A full last row would glue the next line on: end it with a blank
	 * row, as the library itself does when Enter meets a full row. */
	return b->last_full ? rb_end_row(b) : 0;
}

char *forms_text_to_rows(const char *text, int width, int *nrows)
{
	struct rowbuf b = { NULL, 0, 0, 0, 0, width < 1 ? 1 : width, 0 };
	const char *p = text ? text : "";

	if (rb_put(&b, "", 0, 0))
		return NULL;
	for (;;) {
		size_t n = strcspn(p, "\n");
		if (rb_line(&b, p, n)) {
			free(b.s);
			return NULL;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	if (nrows)
		*nrows = b.rows;
	return b.s;
}
