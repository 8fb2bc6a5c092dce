/* board_list.c - one person's open referrals (or the unassigned pile),
 * opened from the board: mark one or several (Space, m), mark every
 * overdue one (o), and reassign the marked to someone else with a reason
 * (a).  The rows are the queue's own cells (queue_layout.c), after a
 * mark column.
 *
 * A person holds tens of referrals, not thousands, so the list is read
 * whole (capped at LIST_MAX, said so on the title line). */
#include "board_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_board.h"
#include "note_form.h"
#include "queue_layout.h"
#include "referral.h"

#define LIST_HEAD 2
#define LIST_MAX 500
#define LIST_MARK_W 2           /* "+ " before each row */

struct held_item {
	struct queue_row r;
	int marked;
};

struct held {
	char login[MD_LOGIN_MAX];       /* "" = the unassigned pile */
	char name[MD_NAME_MAX];
	struct held_item *items;
	int n, cap, sel, top, more, nmarked;
	struct queue_layout layout;
	struct queue_initials agencies; /* heading the check marks */
};

struct held_open {
	const char *login, *name;
	int overdue_marked;
};

static int held_add(const struct queue_row *r, void *arg)
{
	struct held *h = arg;

	if (h->n >= LIST_MAX) {
		h->more = 1;
		return 0;
	}
	if (h->n == h->cap) {
		int cap = h->cap ? h->cap * 2 : 32;
		struct held_item *m = realloc(h->items, (size_t)cap * sizeof *m);
		if (!m)
			return EX_OSERR;
		h->items = m;
		h->cap = cap;
	}
	h->items[h->n].r = *r;
	h->items[h->n++].marked = 0;
	return 0;
}

static void held_count(struct held *h)
{
	h->nmarked = 0;
	for (int i = 0; i < h->n; i++)
		h->nmarked += h->items[i].marked;
}

/* Read again, keeping marks and the selection on the referrals still
 * held (a reassigned one leaves the list, and its mark with it). */
static int held_load(struct held *h, struct desk *d, struct md_error *err)
{
	char (*marked)[MD_REF_MAX] = NULL, keep[MD_REF_MAX] = "";
	int nm = 0, oldn = h->n;

	if (h->nmarked && (marked = calloc((size_t)h->nmarked, sizeof *marked)))
		for (int i = 0; i < oldn; i++)
			if (h->items[i].marked)
				memcpy(marked[nm++], h->items[i].r.ref, MD_REF_MAX);
	if (oldn)
		memcpy(keep, h->items[h->sel].r.ref, sizeof keep);
	h->n = 0;
	h->more = 0;
	int rc = hub_board_held(desk_hub(d), h->login, 0, held_add, h, err);
	if (rc == EX_OSERR)
		md_fail(err, rc, "out of memory reading the list");
	for (int i = 0; i < h->n; i++) {
		for (int k = 0; k < nm; k++)
			if (!strcmp(h->items[i].r.ref, marked[k]))
				h->items[i].marked = 1;
		if (keep[0] && !strcmp(h->items[i].r.ref, keep))
			h->sel = i;
	}
	free(marked);
	if (h->sel >= h->n)
		h->sel = h->n ? h->n - 1 : 0;
	held_count(h);
	return rc;
}

static void held_mark_overdue(struct held *h)
{
	int all = 1, any = 0;

	for (int i = 0; i < h->n; i++)
		if (h->items[i].r.overdue) {
			any = 1;
			all &= h->items[i].marked;
		}
	/* Again when all are marked: unmark them. */
	for (int i = 0; any && i < h->n; i++)
		if (h->items[i].r.overdue)
			h->items[i].marked = !all;
	held_count(h);
}

static int held_open_screen(struct screen *s, struct desk *d, void *arg,
			    struct md_error *err)
{
	const struct held_open *o = arg;
	struct held *h = calloc(1, sizeof *h);

	if (!h)
		return md_fail(err, EX_OSERR, "out of memory opening the list");
	snprintf(h->login, sizeof h->login, "%s", o->login ? o->login : "");
	snprintf(h->name, sizeof h->name, "%s", o->name ? o->name : "");
	int rc = hub_list_codes(desk_hub(d), "agency",
				 queue_initial_add, &h->agencies, err);
	if (!rc)
		rc = held_load(h, d, err);
	if (rc) {
		free(h->items);
		free(h);
		return rc;
	}
	if (o->overdue_marked)
		held_mark_overdue(h);
	for (int i = 0; o->overdue_marked && i < h->n; i++)
		if (h->items[i].marked) {
			h->sel = i;
			break;
		}
	s->priv = h;
	return 0;
}

static void held_close(struct screen *s, struct desk *d)
{
	struct held *h = s->priv;

	(void)d;
	free(h->items);
	free(h);
	s->priv = NULL;
}

static void held_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		      int cols)
{
	struct held *h = s->priv;
	struct queue_cells c;
	long long now = desk_now(d);
	int page = rows - LIST_HEAD, overdue = 0;
	char title[MD_NAME_MAX + 128];

	(void)d;
	if (page < 1)
		page = 1;
	if (h->layout.cols != cols - LIST_MARK_W)
		queue_layout_make(&h->layout, cols - LIST_MARK_W,
				  h->agencies.n);
	if (h->sel < h->top)
		h->top = h->sel;
	if (h->sel >= h->top + page)
		h->top = h->sel - page + 1;
	for (int i = 0; i < h->n; i++)
		overdue += h->items[i].r.overdue;
	snprintf(title, sizeof title, " %s%s%s%s: %d open%s, %d overdue, "
		 "%d marked", h->name, h->login[0] ? " (" : "", h->login,
		 h->login[0] ? ")" : "", h->n, h->more ? "+" : "", overdue,
		 h->nmarked);
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	mvwaddstr(w, 1, 0, "  ");
	queue_header_cells(&h->layout, h->agencies.s, &c);
	for (int i = 0; i < QCOL_COUNT; i++)
		mvwaddstr(w, 1, LIST_MARK_W + h->layout.x[i], c.text[i]);
	term_style(w, THEME_NORMAL);
	for (int i = h->top; i < h->n && i < h->top + page; i++) {
		int y = LIST_HEAD + i - h->top;
		enum theme_role base = i == h->sel ? THEME_SELECTED : THEME_NORMAL;
		queue_row_cells(&h->layout, &h->items[i].r, now, desk_ascii(), &c);
		term_style(w, base);
		mvwprintw(w, y, 0, "%*s", cols, "");
		if (h->items[i].marked) {
			term_style_on(w, THEME_ALERT, base);
			mvwaddstr(w, y, 0, "+");
		}
		for (int k = 0; k < QCOL_COUNT; k++) {
			if (c.role[k] == THEME_NORMAL)
				term_style(w, base);
			else
				term_style_on(w, c.role[k], base);
			mvwaddstr(w, y, LIST_MARK_W + h->layout.x[k], c.text[k]);
		}
		term_style(w, THEME_NORMAL);
	}
	if (h->n == 0)
		desk_put(w, LIST_HEAD, 1, cols - 2, "Nothing open here.", 0);
	s->cur_y = LIST_HEAD + (h->n ? h->sel - h->top : 0);
	s->cur_x = 0;
}

/* The marked referrals, or the selected one when none is marked. */
static void held_reassign(struct held *h, struct desk *d)
{
	const char **refs = calloc((size_t)(h->n ? h->n : 1), sizeof *refs);
	int n = 0;

	if (!refs)
		return;
	for (int i = 0; i < h->n; i++)
		if (h->items[i].marked)
			refs[n++] = h->items[i].r.ref;
	if (n == 0 && h->n)
		refs[n++] = h->items[h->sel].r.ref;
	note_reassign_open(d, refs, n, NULL);
	free(refs);
}

static int held_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct held *h = s->priv;

	(void)key;
	switch (a) {
	case ACTION_UP:
		if (h->sel > 0)
			h->sel--;
		return DESK_REDRAW;
	case ACTION_DOWN:
		if (h->sel + 1 < h->n)
			h->sel++;
		return DESK_REDRAW;
	case ACTION_PAGE_UP:
		h->sel = h->sel > 10 ? h->sel - 10 : 0;
		return DESK_REDRAW;
	case ACTION_PAGE_DOWN:
		h->sel = h->sel + 10 < h->n ? h->sel + 10 : h->n ? h->n - 1 : 0;
		return DESK_REDRAW;
	case ACTION_TOP:
		h->sel = 0;
		return DESK_REDRAW;
	case ACTION_BOTTOM:
		h->sel = h->n ? h->n - 1 : 0;
		return DESK_REDRAW;
	case ACTION_MARK:
		if (h->n) {
			h->items[h->sel].marked = !h->items[h->sel].marked;
			if (h->sel + 1 < h->n)
				h->sel++;
			held_count(h);
		}
		return DESK_REDRAW;
	case ACTION_MARK_OVERDUE:
		held_mark_overdue(h);
		return DESK_REDRAW;
	case ACTION_REASSIGN:
		held_reassign(h, d);
		return DESK_REDRAW;
	case ACTION_OPEN:
		if (h->n)
			referral_open(d, h->items[h->sel].r.ref);
		return DESK_REDRAW;
	default:                /* C, the chase list: the desk opens it */
		return DESK_UNHANDLED;
	}
}

static int held_tick(struct screen *s, struct desk *d, int force)
{
	struct held *h = s->priv;
	struct md_error err;

	if (!force)
		return 0;
	md_clear(&err);
	if (held_load(h, d, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
	return DESK_REDRAW;
}

/* Every key of the board's lists but the chase list's filter. */
static int held_bar_shows(struct screen *s, struct desk *d, enum action a)
{
	(void)s;
	(void)d;
	return a != ACTION_FILTER;
}

static int held_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		("+ before a row: marked.  Reassign (a) moves the marked referrals, "
		"or the selected one when none is marked, all in one go."),
		"Columns as on the queue; Checks: R and P are late agency checks.",
	};

	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops held_screen_ops = {
	.name = "Held referrals",
	.kind = SCREEN_BOARD,
	.open = held_open_screen,
	.draw = held_draw,
	.key = held_key,
	.tick = held_tick,
	.bar_shows = held_bar_shows,
	.help_extra = held_help_extra,
	.close = held_close,
};

int board_list_open(struct desk *d, const char *login, const char *name,
		    int overdue_marked)
{
	struct held_open o = { login, name, overdue_marked };

	return desk_push(d, &held_screen_ops, &o);
}
