/* chase.c - the chase list (supervisors): agency checks still open on
 * open referrals, late first, one agency or all (f cycles through them).
 * C records that you chased the agency for the selected check, with a
 * note; the list shows how often, by whom and when it was last chased.
 * Enter opens the referral.  With every agency, the strategy discussions
 * due or late are on it too (agency "strategy"), to be held and recorded
 * on their referral. */
#include "chase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_chase.h"
#include "note_form.h"
#include "referral.h"

#define CHASE_HEAD 2
#define CHASE_MAX 1000

struct chase {
	char agencies[MD_MAX_AGENCIES][MD_CODE_MAX];
	int nagencies;
	int agency;                     /* index, or -1 for every agency */
	struct chase_row *rows;
	int n, cap, sel, top, more, late;
};

static int chase_add(const struct chase_row *r, void *arg)
{
	struct chase *c = arg;

	if (c->n >= CHASE_MAX) {
		c->more = 1;
		return 0;
	}
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 64;
		struct chase_row *m = realloc(c->rows, (size_t)cap * sizeof *m);
		if (!m)
			return EX_OSERR;
		c->rows = m;
		c->cap = cap;
	}
	c->rows[c->n++] = *r;
	c->late += r->late;
	return 0;
}

static int chase_load(struct chase *c, struct desk *d, struct md_error *err)
{
	char keep[MD_REF_MAX + MD_CODE_MAX] = "";

	if (c->n)
		snprintf(keep, sizeof keep, "%s %s", c->rows[c->sel].ref,
			 c->rows[c->sel].agency);
	c->n = c->more = c->late = 0;
	int rc = hub_chase_list(desk_hub(d), c->agency >= 0 ?
				c->agencies[c->agency] : NULL, 0, chase_add, c, err);
	if (rc == EX_OSERR)
		md_fail(err, rc, "out of memory reading the chase list");
	for (int i = 0; keep[0] && i < c->n; i++) {
		char k[sizeof keep];
		snprintf(k, sizeof k, "%s %s", c->rows[i].ref, c->rows[i].agency);
		if (!strcmp(k, keep))
			c->sel = i;
	}
	if (c->sel >= c->n)
		c->sel = c->n ? c->n - 1 : 0;
	return rc;
}

static int chase_agency(const struct hub_code *code, void *arg)
{
	struct chase *c = arg;

	if (c->nagencies < MD_MAX_AGENCIES)
		snprintf(c->agencies[c->nagencies++], MD_CODE_MAX, "%s", code->code);
	return 0;
}

static int chase_screen_open(struct screen *s, struct desk *d, void *arg,
			     struct md_error *err)
{
	const char *agency = *(const char *const *)arg;
	struct chase *c = calloc(1, sizeof *c);

	if (!c)
		return md_fail(err, EX_OSERR, "out of memory opening the chase list");
	c->agency = -1;
	int rc = hub_list_codes(desk_hub(d), "agency", chase_agency, c, err);
	for (int i = 0; !rc && agency && i < c->nagencies; i++)
		if (!strcmp(c->agencies[i], agency))
			c->agency = i;
	if (!rc)
		rc = chase_load(c, d, err);
	if (rc) {
		free(c->rows);
		free(c);
		return rc;
	}
	s->priv = c;
	return 0;
}

static void chase_close(struct screen *s, struct desk *d)
{
	struct chase *c = s->priv;

	(void)d;
	free(c->rows);
	free(c);
	s->priv = NULL;
}

/* "R000012  health     Ava Jones        R requested   late 5h   chased 2x sue 22/11 10:40: rang" */
static void chase_draw_row(WINDOW *w, int y, int cols, const struct chase_row *r,
			   enum theme_role base, long long now)
{
	char left[32], st[MD_CODE_MAX], chased[MD_LOGIN_MAX + 320] = "";

	clock_format_left(r->due_at, now, left, sizeof left);
	snprintf(st, sizeof st, "%s", !strcmp(r->status, "in-progress") ?
		 "in progress" : r->status);
	if (r->chases) {
		char when[CLOCK_ISO_MAX];
		clock_format_iso(r->chased_at, when);
		/* "2x sue 22/11 10:40 rang the duty desk" */
		snprintf(chased, sizeof chased, "%dx %s %.2s/%.2s %.5s %s",
			 r->chases, r->chased_by, when + 8, when + 5, when + 11,
			 r->note);
	}
	term_style(w, base);
	mvwprintw(w, y, 0, "%*s", cols, "");
	desk_put(w, y, 0, 8, r->ref, 1);
	desk_put(w, y, 9, 9, r->agency, 1);
	desk_put(w, y, 19, 14, r->child_name, 1);
	desk_put(w, y, 34, 1, r->rag[0] == 'r' ? "R" : r->rag[0] == 'a' ? "A" :
		 r->rag[0] == 'g' ? "G" : "-", 1);
	desk_put(w, y, 36, 11, st, 1);
	if (r->late)
		term_style_on(w, THEME_OVERDUE, base);
	desk_put(w, y, 48, 9, left, 1);
	term_style(w, base);
	if (cols > 58)
		desk_put(w, y, 58, cols - 58, chased, 1);
	term_style(w, THEME_NORMAL);
}

static void chase_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols)
{
	struct chase *c = s->priv;
	int page = rows - CHASE_HEAD;
	long long now = desk_now(d);
	char title[200];

	(void)d;
	if (page < 1)
		page = 1;
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + page)
		c->top = c->sel - page + 1;
	snprintf(title, sizeof title, " Chase list, %s: %d open check%s, %d "
		 "late%s (f next agency)",
		 c->agency >= 0 ? c->agencies[c->agency] : "every agency", c->n,
		 c->n == 1 ? "" : "s", c->late, c->more ? ", more not shown" : "");
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	char head[128];
	snprintf(head, sizeof head, "%-8s %-9s %-14s R %-11s %-9s %s", "Ref",
		 "Agency", "Child", "Check", "Due", "Chased (times, last by, when, note)");
	desk_put(w, 1, 0, cols, head, 1);
	term_style(w, THEME_NORMAL);
	for (int i = c->top; i < c->n && i < c->top + page; i++)
		chase_draw_row(w, CHASE_HEAD + i - c->top, cols, &c->rows[i],
			       i == c->sel ? THEME_SELECTED : THEME_NORMAL, now);
	if (c->n == 0)
		desk_put(w, CHASE_HEAD, 1, cols - 2, "No open checks to chase.", 0);
	s->cur_y = CHASE_HEAD + (c->n ? c->sel - c->top : 0);
	s->cur_x = 0;
}

static int chase_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct chase *c = s->priv;
	struct md_error err;

	(void)key;
	switch (a) {
	case ACTION_UP:
		if (c->sel > 0)
			c->sel--;
		return DESK_REDRAW;
	case ACTION_DOWN:
		if (c->sel + 1 < c->n)
			c->sel++;
		return DESK_REDRAW;
	case ACTION_PAGE_UP:
		c->sel = c->sel > 10 ? c->sel - 10 : 0;
		return DESK_REDRAW;
	case ACTION_PAGE_DOWN:
		c->sel = c->sel + 10 < c->n ? c->sel + 10 : c->n ? c->n - 1 : 0;
		return DESK_REDRAW;
	case ACTION_TOP:
		c->sel = 0;
		return DESK_REDRAW;
	case ACTION_BOTTOM:
		c->sel = c->n ? c->n - 1 : 0;
		return DESK_REDRAW;
	case ACTION_FILTER:
		c->agency = c->agency + 1 < c->nagencies ? c->agency + 1 : -1;
		c->sel = c->top = 0;
		md_clear(&err);
		if (chase_load(c, d, &err) != 0)
			desk_message(d, THEME_ERROR, "%s", err.msg);
		return DESK_REDRAW;
	case ACTION_CHASE:
		/* a strategy discussion due is no agency's check: it is held
		 * and recorded on the referral */
		if (c->n && !strcmp(c->rows[c->sel].agency, "strategy")) {
			char keys[ACTION_KEY_NAME_MAX];
			action_keys_text(ACTION_STRATEGY, 1, keys, sizeof keys);
			desk_message(d, THEME_NORMAL, "A strategy discussion is "
				     "due on %s: open it (Enter) and record it "
				     "there (%s).", c->rows[c->sel].ref, keys);
		} else if (c->n)
			note_chase_open(d, c->rows[c->sel].ref,
					     c->rows[c->sel].agency);
		else
			desk_message(d, THEME_NORMAL, "Nothing to chase here.");
		return DESK_REDRAW;
	case ACTION_OPEN:
		if (c->n)
			referral_open(d, c->rows[c->sel].ref);
		return DESK_REDRAW;
	case ACTION_MARK:
	case ACTION_MARK_OVERDUE:
	case ACTION_REASSIGN:
		desk_message(d, THEME_NORMAL, "Marking and reassigning work on "
			     "the board's lists (Esc, then w).");
		return DESK_REDRAW;
	default:
		return DESK_UNHANDLED;
	}
}

static int chase_tick(struct screen *s, struct desk *d, int force)
{
	struct chase *c = s->priv;
	struct md_error err;

	if (!force)
		return 0;
	md_clear(&err);
	if (chase_load(c, d, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
	return DESK_REDRAW;
}

/* f (one agency after another) but none of the marking keys. */
static int chase_bar_shows(struct screen *s, struct desk *d, enum action a)
{
	(void)s;
	(void)d;
	return a != ACTION_MARK && a != ACTION_MARK_OVERDUE &&
	       a != ACTION_REASSIGN;
}

static int chase_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		("A check is listed from when its agency records it as requested or "
		"in progress until it is complete or the referral is decided."),
		("Late ones (Due says \"late\") come first.  Chased: how often, the "
		"last by whom and when (day/month hour:minute), and its note."),
		"f shows one agency after another, then every agency again.",
	};

	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops chase_screen_ops = {
	.name = "Chase list",
	.kind = SCREEN_BOARD,
	.open = chase_screen_open,
	.draw = chase_draw,
	.key = chase_key,
	.tick = chase_tick,
	.bar_shows = chase_bar_shows,
	.help_extra = chase_help_extra,
	.close = chase_close,
};

int chase_open_agency(struct desk *d, const char *agency)
{
	struct md_error why;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_BOARD, &why)) {
		desk_message(d, THEME_ERROR, "The chase list is for supervisors "
			     "only: %s", why.msg);
		return EX_NOPERM;
	}
	return desk_push(d, &chase_screen_ops, &agency);
}

int chase_open(struct desk *d)
{
	return chase_open_agency(d, NULL);
}
