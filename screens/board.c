/* board.c - the workload board (supervisors): the unassigned pile, then
 * every practitioner and supervisor grouped by agency, with what they hold
 * open, how much of it is overdue, late agency checks on it, and their
 * oldest due time.  Enter opens a person's work; o opens it with all the
 * overdue marked, ready to reassign (board_list.c); C opens the chase list
 * of the selected person's agency (chase.c).
 *
 * The board is small (one row per person), so it is read whole and kept;
 * it is read again when another desk commits or a reassignment is saved. */
#include "board.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_list.h"
#include "chase.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_board.h"
#include "mashdesk/hub_feedback.h"

#define BOARD_HEAD 2            /* title line + column headings */

struct board {
	struct board_row *rows;
	int n, cap, sel, top;
	struct feedback_counts fb;   /* feedback owed to referrers, hub-wide */
};

static int board_add(const struct board_row *r, void *arg)
{
	struct board *b = arg;

	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 32;
		struct board_row *m = realloc(b->rows, (size_t)cap * sizeof *m);
		if (!m)
			return EX_OSERR;
		b->rows = m;
		b->cap = cap;
	}
	b->rows[b->n++] = *r;
	return 0;
}

/* Read the board again, keeping the selection on the same person. */
static int board_load(struct board *b, struct desk *d, struct md_error *err)
{
	char keep[MD_LOGIN_MAX] = "";
	int had = b->n > 0;

	if (had)
		memcpy(keep, b->rows[b->sel].login, sizeof keep);
	b->n = 0;
	int rc = hub_board(desk_hub(d), board_add, b, err);
	if (!rc)
		rc = hub_feedback_counts(desk_hub(d), &b->fb, err);
	if (rc == EX_OSERR)
		md_fail(err, rc, "out of memory reading the board");
	for (int i = 0; had && i < b->n; i++)
		if (!strcmp(b->rows[i].login, keep))
			b->sel = i;
	if (b->sel >= b->n)
		b->sel = b->n ? b->n - 1 : 0;
	return rc;
}

static int board_screen_open(struct screen *s, struct desk *d, void *arg,
			     struct md_error *err)
{
	struct board *b = calloc(1, sizeof *b);

	(void)arg;
	if (!b)
		return md_fail(err, EX_OSERR, "out of memory opening the board");
	int rc = board_load(b, d, err);
	if (rc) {
		free(b->rows);
		free(b);
		return rc;
	}
	s->priv = b;
	return 0;
}

static void board_close(struct screen *s, struct desk *d)
{
	struct board *b = s->priv;

	(void)d;
	free(b->rows);
	free(b);
	s->priv = NULL;
}

/* One person's line: "csc   Pat Okafor (pat)   3   2   1  late 2d   1/0",
 * the last the strategy discussions due and late on what they hold. */
static void board_draw_row(WINDOW *w, int y, int cols,
			   const struct board_row *r, int first_of_agency,
			   enum theme_role base, long long now)
{
	char who[MD_NAME_MAX + MD_LOGIN_MAX + 16], nums[64], left[32] = "-";
	int namew = cols - 10 - 43;
	char strat[16];

	if (r->oldest_due)
		clock_format_left(r->oldest_due, now, left, sizeof left);
	if (r->login[0])
		snprintf(who, sizeof who, "%s (%s)%s", r->name, r->login,
			 r->active ? "" : " inactive");
	else
		snprintf(who, sizeof who, "%s pile", r->name);
	term_style(w, base);
	mvwprintw(w, y, 0, "%*s", cols, "");
	desk_put(w, y, 0, 9, first_of_agency ? (r->agency[0] ? r->agency : "-")
		 : "", 1);
	desk_put(w, y, 10, namew, who, 1);
	snprintf(nums, sizeof nums, "%5d %7d %6d", r->open, r->overdue,
		 r->late_checks);
	mvwaddstr(w, y, 10 + namew + 1, nums);
	if (r->overdue > 0 || r->late_checks > 0)
		term_style_on(w, THEME_OVERDUE, base);
	/* "!" says it without colour too. */
	mvwaddstr(w, y, 10 + namew + 21, r->overdue || r->late_checks ? "!" : " ");
	term_style(w, base);
	if (r->oldest_due && r->oldest_due <= now)
		term_style_on(w, THEME_OVERDUE, base);
	desk_put(w, y, 10 + namew + 23, 10, left, 1);
	/* strategy discussions due / late on what they hold ("!" when late) */
	term_style(w, base);
	snprintf(strat, sizeof strat, "%4d/%-3d", r->strategy_due,
		 r->strategy_late);
	mvwaddstr(w, y, 10 + namew + 34, strat);
	if (r->strategy_late > 0)
		term_style_on(w, THEME_OVERDUE, base);
	mvwaddstr(w, y, 10 + namew + 42, r->strategy_late ? "!" : " ");
	term_style(w, THEME_NORMAL);
}

static void board_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols)
{
	struct board *b = s->priv;
	int page = rows - BOARD_HEAD, namew = cols - 10 - 43;
	long long now = desk_now(d);
	char head[160];

	(void)d;
	if (page < 1)
		page = 1;
	if (b->sel < b->top)
		b->top = b->sel;
	if (b->sel >= b->top + page)
		b->top = b->sel - page + 1;
	term_style(w, THEME_HEADER);
	snprintf(head, sizeof head, " Workload board   Feedback due %ld, "
		 "late %ld   (Enter their work, o overdue, C chase list)",
		 b->fb.due[FEEDBACK_ACK] + b->fb.due[FEEDBACK_OUTCOME],
		 b->fb.late[FEEDBACK_ACK] + b->fb.late[FEEDBACK_OUTCOME]);
	desk_put(w, 0, 0, cols, head, 1);
	snprintf(head, sizeof head, "%-9s %-*s %5s %7s %6s  %-10s %-9s", "Agency",
		 namew, "Person (login)", "Open", "Overdue", "LateCk", "Oldest due",
		 "Strat d/l");
	desk_put(w, 1, 0, cols, head, 1);
	term_style(w, THEME_NORMAL);
	for (int i = b->top; i < b->n && i < b->top + page; i++)
		board_draw_row(w, BOARD_HEAD + i - b->top, cols, &b->rows[i],
			       i == 0 || i == b->top ||
			       strcmp(b->rows[i].agency, b->rows[i - 1].agency),
			       i == b->sel ? THEME_SELECTED : THEME_NORMAL, now);
	s->cur_y = BOARD_HEAD + b->sel - b->top;
	s->cur_x = 0;
}

static int board_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct board *b = s->priv;
	const struct board_row *r = b->n ? &b->rows[b->sel] : NULL;

	(void)key;
	switch (a) {
	case ACTION_UP:
		if (b->sel > 0)
			b->sel--;
		return DESK_REDRAW;
	case ACTION_DOWN:
		if (b->sel + 1 < b->n)
			b->sel++;
		return DESK_REDRAW;
	case ACTION_PAGE_UP:
		b->sel = b->sel > 10 ? b->sel - 10 : 0;
		return DESK_REDRAW;
	case ACTION_PAGE_DOWN:
		b->sel = b->sel + 10 < b->n ? b->sel + 10 : b->n ? b->n - 1 : 0;
		return DESK_REDRAW;
	case ACTION_TOP:
		b->sel = 0;
		return DESK_REDRAW;
	case ACTION_BOTTOM:
		b->sel = b->n ? b->n - 1 : 0;
		return DESK_REDRAW;
	case ACTION_OPEN:
	case ACTION_MARK_OVERDUE:
		if (r)
			board_list_open(d, r->login, r->name, a == ACTION_MARK_OVERDUE);
		return DESK_REDRAW;
	case ACTION_CHASE:
		chase_open_agency(d, r && r->agency[0] ? r->agency : NULL);
		return DESK_REDRAW;
	case ACTION_MARK:
	case ACTION_REASSIGN:
		desk_message(d, THEME_NORMAL, "Open a person's work first (Enter), "
			     "then mark and reassign.");
		return DESK_REDRAW;
	default:
		return DESK_UNHANDLED;
	}
}

static int board_tick(struct screen *s, struct desk *d, int force)
{
	struct board *b = s->priv;
	struct md_error err;

	if (!force)
		return 0;
	md_clear(&err);
	if (board_load(b, d, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
	return DESK_REDRAW;
}

/* The board's bar names o (a person's overdue work) but not the keys
 * that work on a person's list. */
static int board_bar_shows(struct screen *s, struct desk *d, enum action a)
{
	(void)s;
	(void)d;
	return a != ACTION_FILTER && a != ACTION_MARK && a != ACTION_REASSIGN;
}

static int board_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		"Columns",
		("  Agency and Person: the unassigned pile first, then everyone who "
		"holds referrals, by agency."),
		("  Open: open referrals they hold.  Overdue: of those, past the "
		"decision time."),
		"  LateCk: agency checks past their due time on those referrals.",
		("  !: something overdue or late.  Oldest due: time left to their "
		"earliest decision deadline."),
		"",
		("To move all of one person's overdue work: select them, o (their "
		"overdue work, all marked), a, the login of who takes it, Tab, "
		"the reason, then save."),
	};

	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops board_screen_ops = {
	.name = "Workload board",
	.kind = SCREEN_BOARD,
	.open = board_screen_open,
	.draw = board_draw,
	.key = board_key,
	.tick = board_tick,
	.bar_shows = board_bar_shows,
	.help_extra = board_help_extra,
	.close = board_close,
};

int board_open(struct desk *d)
{
	struct md_error why;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_BOARD, &why)) {
		desk_message(d, THEME_ERROR, "The board is for supervisors only: %s",
			     why.msg);
		return EX_NOPERM;
	}
	return desk_push(d, &board_screen_ops, NULL);
}
