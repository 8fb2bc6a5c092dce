/* pager.c - read-only text in pages: the widget under the help screen,
 * the audit trail and the forms' guides (see pager.h).
 *
 * The pager holds logical lines (made inert when added) and wraps them to
 * the body's width whenever that changes, so a resize re-flows the text.
 * It draws only the visible slice into the body window rather than using a
 * curses pad: the body stays the one window the desk refreshes last, which
 * keeps the real cursor where screen readers expect it. */
#include "pager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/text.h"

struct pager_line {
	char *text;
	int indent;             /* continuation lines start here */
	enum theme_role role;
};

struct pager_lines {
	struct pager_line *v;
	int n, cap;
};

struct pager_row {              /* one wrapped row on screen */
	int line;               /* index into logical lines */
	size_t off, len;        /* bytes of that line */
	int indent;
};

struct pager {
	char title[128];
	struct pager_lines lines;
	struct pager_row *rows;
	int nrows, cap;
	int width;              /* rows are wrapped for this width */
	int top;                /* first row shown */
	int page;               /* rows the body shows */
};

/* ---- text ------------------------------------------------------------------ */

static int pager_push(struct pager_lines *pl, int indent, enum theme_role role,
		      const char *start, size_t len)
{
	char *t;

	if (pl->n == pl->cap) {
		int cap = pl->cap ? pl->cap * 2 : 32;
		struct pager_line *v = realloc(pl->v, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		pl->v = v;
		pl->cap = cap;
	}
	if (!(t = malloc(len + (size_t)indent + 1)))
		return -1;
	memset(t, ' ', (size_t)indent);
	memcpy(t + indent, start, len);
	t[indent + len] = '\0';
	pl->v[pl->n].text = t;
	pl->v[pl->n].indent = indent;
	pl->v[pl->n].role = role;
	pl->n++;
	return 0;
}

int pager_add(struct pager_lines *pl, int indent, enum theme_role role,
	      const char *text)
{
	size_t len = strlen(text ? text : "");
	/* Inert text is at most three bytes per byte (U+FFFD for a bad one). */
	char *inert = malloc(3 * len + 1);
	int rc = 0, first = 1;

	if (!inert)
		return -1;
	text_inert(inert, 3 * len + 1, text ? text : "", 0);
	/* Each line of a multi-line value continues under the value. */
	for (const char *p = inert; rc == 0; first = 0) {
		size_t n = strcspn(p, "\n");
		rc = pager_push(pl, first ? 0 : indent, role, p, n);
		if (rc == 0 && first)
			pl->v[pl->n - 1].indent = indent;
		if (!p[n])
			break;
		p += n + 1;
	}
	free(inert);
	return rc;
}

static void pager_lines_free(struct pager_lines *pl)
{
	for (int i = 0; i < pl->n; i++)
		free(pl->v[i].text);
	free(pl->v);
	memset(pl, 0, sizeof *pl);
}

struct wrap_ctx {
	struct pager *pg;
	int line, failed;
};

static void wrap_out(const char *start, size_t len, void *arg)
{
	struct wrap_ctx *c = arg;
	struct pager *pg = c->pg;
	const struct pager_line *l = &pg->lines.v[c->line];

	if (pg->nrows == pg->cap) {
		int cap = pg->cap ? pg->cap * 2 : 64;
		struct pager_row *v = realloc(pg->rows, (size_t)cap * sizeof *v);
		if (!v) {
			c->failed = 1;
			return;
		}
		pg->rows = v;
		pg->cap = cap;
	}
	pg->rows[pg->nrows].line = c->line;
	pg->rows[pg->nrows].off = (size_t)(start - l->text);
	pg->rows[pg->nrows].len = len;
	/* The first row of a line is drawn from column 0, the rest indented. */
	pg->rows[pg->nrows].indent = start == l->text ? 0 : l->indent;
	pg->nrows++;
}

static void pager_reflow(struct pager *pg, int width)
{
	struct wrap_ctx c = { pg, 0, 0 };

	pg->nrows = 0;
	pg->width = width;
	for (c.line = 0; c.line < pg->lines.n && !c.failed; c.line++) {
		const struct pager_line *l = &pg->lines.v[c.line];
		text_wrap(l->text, width, width - l->indent, wrap_out, &c);
	}
}

/* ---- the screen ------------------------------------------------------------ */

void pager_screen_close(struct screen *s, struct desk *d)
{
	struct pager *pg = s->priv;

	(void)d;
	pager_lines_free(&pg->lines);
	free(pg->rows);
	free(pg);
	s->priv = NULL;
}

int pager_screen_open(struct screen *s, struct desk *d, void *arg,
		      struct md_error *err)
{
	const struct pager_source *src = arg;
	struct pager *pg = calloc(1, sizeof *pg);
	int rc;

	(void)d;
	if (!pg)
		return md_fail(err, EX_OSERR, "out of memory opening a page");
	s->priv = pg;
	snprintf(pg->title, sizeof pg->title, "%s", src->title);
	if ((rc = src->fill(src->arg, &pg->lines, err)) != 0) {
		if (!err->code)
			md_fail(err, rc, "could not read \"%s\"", src->title);
		pager_screen_close(s, d);
		return err->code;
	}
	return 0;
}

void pager_screen_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols)
{
	struct pager *pg = s->priv;
	char pos[48];
	int pw;

	(void)d;
	if (pg->width != cols - 2)
		pager_reflow(pg, cols - 2);
	pg->page = rows - 1 > 0 ? rows - 1 : 1;
	if (pg->top > pg->nrows - pg->page)
		pg->top = pg->nrows - pg->page;
	if (pg->top < 0)
		pg->top = 0;
	snprintf(pos, sizeof pos, "%d-%d of %d ", pg->nrows ? pg->top + 1 : 0,
		 pg->top + pg->page < pg->nrows ? pg->top + pg->page : pg->nrows,
		 pg->nrows);
	pw = (int)strlen(pos);
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols - pw, pg->title, 1);
	desk_put(w, 0, cols - pw, pw, pos, 0);
	for (int i = 0; i < pg->page && pg->top + i < pg->nrows; i++) {
		const struct pager_row *r = &pg->rows[pg->top + i];
		const struct pager_line *l = &pg->lines.v[r->line];
		char buf[1024];

		snprintf(buf, sizeof buf, "%.*s", (int)r->len, l->text + r->off);
		term_style(w, l->role);
		desk_put(w, 1 + i, 1 + r->indent, cols - 1 - r->indent, buf, 0);
	}
	term_style(w, THEME_NORMAL);
	s->cur_y = 1;
	s->cur_x = 1;
}

int pager_screen_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct pager *pg = s->priv;
	int last = pg->nrows - pg->page;

	(void)d;
	(void)key;
	switch (a) {
	case ACTION_UP:        pg->top--; break;
	case ACTION_DOWN:      pg->top++; break;
	case ACTION_PAGE_UP:   pg->top -= pg->page; break;
	case ACTION_PAGE_DOWN: pg->top += pg->page; break;
	case ACTION_TOP:       pg->top = 0; break;
	case ACTION_BOTTOM:    pg->top = last; break;
	default:               return DESK_UNHANDLED;
	}
	if (pg->top > last)
		pg->top = last;
	if (pg->top < 0)
		pg->top = 0;
	return DESK_REDRAW;
}

static const struct screen_ops pager_screen_ops =
	PAGER_SCREEN_OPS("Details", SCREEN_PAGER);

int pager_open(struct desk *d, struct pager_source *src)
{
	return desk_push(d, &pager_screen_ops, src);
}
