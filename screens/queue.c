/* queue.c - the referral queue, the desk's first screen.
 *
 * Paged, never loaded whole: the screen asks hub_queue for the rows it can
 * show plus one (to know whether there is more below), from an offset, and
 * forgets the statement; a hub of a million referrals opens as fast as one
 * of ten.  The rows are laid out by queue_layout.c, pure and
 * unit-tested without a terminal, with names of every width.
 *
 * Body, top to bottom: the filter and search line, column headings, rows.
 * The real cursor sits on the selected row, or in the search text while
 * one is being typed.
 *
 * The board (w), the reports (R), the chase list (C) and the trainer's
 * screen (t) are opened by the desk from the action table; the queue's key
 * bar names them only for those who may use them (queue_bar_shows). */
#include "queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/text.h"
#include "note_form.h"
#include "queue_layout.h"
#include "referral.h"

/* The desk forces a re-read when another desk commits; this slow timer is
 * only a safety net (deadlines count down without one: rows are redrawn
 * from their due times every minute). */
#define QUEUE_TICK_MS 60000
#define QUEUE_HEAD_ROWS 2       /* filter line + column headings */

/* ---- the screen ------------------------------------------------------------ */

/* In enum hub_filter's order.  "Our checks" is the acting user's
 * agency's own work list: a desk of any agency but children's social care
 * opens on it ([ui] first_filter says otherwise). */
static const char *const filter_names[] = { "All", "Mine", "Unassigned",
					    "Overdue", "Our checks",
					    "Feedback due" };
#define NFILTERS 6

struct queue {
	enum hub_filter filter;
	char search[128];
	int searching;                  /* typing into the search */
	long top;                       /* offset of the first row shown */
	int sel;                        /* selected row, index into rows */
	int page;                       /* rows the body can show */
	struct queue_row *rows;         /* page + 1 */
	int nrows, more;
	struct queue_layout layout;
	struct queue_initials agencies; /* heading the check marks */
	long long loaded_ms;
	/* Referrals marked to reassign (supervisors), by reference: they
	 * stay marked while the page moves. */
	char (*marks)[MD_REF_MAX];
	int nmarks, capmarks;
	int reassigned;                 /* the reassign form saved: unmark */
	/* The key bar names these only for those the hub lets use them. */
	int may_board, may_reports, may_trainer;
	int has_agency;                 /* "Our checks" is in the cycle */
	long late;                      /* the agency's late checks, on it */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct fetch {
	struct queue_row *rows;
	int n, cap;
};

static int fetch_row(const struct queue_row *r, void *arg)
{
	struct fetch *f = arg;

	if (f->n < f->cap)
		f->rows[f->n] = *r;
	f->n++;
	return 0;
}

/* Rows from offset, at most limit; the number found or -1 (message shown). */
static int queue_fetch(struct queue *q, struct desk *d, long offset, int limit,
		       struct queue_row *rows)
{
	struct queue_query qq = {
		.filter = q->filter, .search = q->search[0] ? q->search : NULL,
		.open_only = 1, .offset = offset, .limit = limit,
	};
	struct fetch f = { rows, 0, rows ? limit : 0 };
	struct md_error err;

	md_clear(&err);
	if (hub_queue(desk_hub(d), &qq, fetch_row, &f, &err) != 0) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return -1;
	}
	return f.n;
}

/* Field by field: the data layer fills only the used part of each buffer,
 * so whole structs cannot be compared with memcmp. */
static int queue_row_same(const struct queue_row *a, const struct queue_row *b)
{
	return a->id == b->id && a->received_at == b->received_at &&
	       a->due_at == b->due_at && a->decided_at == b->decided_at &&
	       a->dob_estimated == b->dob_estimated && a->level == b->level &&
	       a->repeat == b->repeat && a->overdue == b->overdue &&
	       !strcmp(a->ref, b->ref) && !strcmp(a->child_name, b->child_name) &&
	       !strcmp(a->dob, b->dob) && !strcmp(a->rag, b->rag) &&
	       !strcmp(a->status, b->status) && !strcmp(a->checks, b->checks) &&
	       !strcmp(a->assigned_to, b->assigned_to) &&
	       a->check_due == b->check_due && a->check_late == b->check_late &&
	       a->strategy_due == b->strategy_due &&
	       a->strategy_late == b->strategy_late &&
	       a->feedback_due == b->feedback_due &&
	       a->feedback_late == b->feedback_late;
}

/* Read the page again; with keep_sel, keep the selection on the same
 * referral when it is still there (someone else's change moved it).
 * Returns 1 when anything shown changed. */
static int queue_load(struct queue *q, struct desk *d, int keep_sel)
{
	char keep[MD_REF_MAX] = "";
	struct queue_row *old = q->rows;
	int oldn = q->nrows, n;

	if (keep_sel && q->sel < q->nrows)
		memcpy(keep, q->rows[q->sel].ref, sizeof keep);
	q->rows = calloc((size_t)q->page + 1, sizeof *q->rows);
	if (!q->rows) {
		q->rows = old;
		return 0;
	}
	n = queue_fetch(q, d, q->top, q->page + 1, q->rows);
	if (n == 0 && q->top > 0) {     /* the rows below went away */
		q->top = 0;
		n = queue_fetch(q, d, 0, q->page + 1, q->rows);
	}
	if (q->filter == HUB_FILTER_CHECKS) {
		long was = q->late;
		struct md_error err;
		md_clear(&err);
		if (hub_checks_late(desk_hub(d), &q->late, &err) != 0)
			q->late = was;
		if (q->late != was)
			oldn = -1;      /* the filter line changed: redraw */
	} else if (q->filter == HUB_FILTER_FEEDBACK) {
		long was = q->late;
		struct feedback_counts fc;
		struct md_error err;
		md_clear(&err);
		if (hub_feedback_counts(desk_hub(d), &fc, &err) == 0)
			q->late = fc.late[FEEDBACK_ACK] + fc.late[FEEDBACK_OUTCOME];
		if (q->late != was)
			oldn = -1;
	}
	q->loaded_ms = now_ms();
	q->nrows = n < 0 ? 0 : n > q->page ? q->page : n;
	q->more = n > q->page;
	for (int i = 0; keep[0] && i < q->nrows; i++)
		if (!strcmp(q->rows[i].ref, keep))
			q->sel = i;
	if (q->sel >= q->nrows)
		q->sel = q->nrows ? q->nrows - 1 : 0;
	n = oldn != q->nrows || !old;
	for (int i = 0; !n && i < oldn; i++)
		n = !queue_row_same(&old[i], &q->rows[i]);
	free(old);
	return n;
}

/* The filter a desk opens on: [ui] first_filter, where "auto" is Our
 * checks for a user of any agency but children's social care (their own
 * work list) and All for everyone else. */
static enum hub_filter queue_first_filter(const struct config *cfg,
					  const struct user *me)
{
	static const char *const names[] = { "all", "mine", "unassigned",
					      "overdue", "checks", "feedback" };
	const char *want = cfg ? cfg->first_filter : "auto";

	for (int i = 0; i < NFILTERS; i++)
		if (!strcmp(want, names[i]))
			return (enum hub_filter)i;
	return me->agency[0] && strcmp(me->agency, "csc") ? HUB_FILTER_CHECKS
							  : HUB_FILTER_ALL;
}

static int queue_screen_open(struct screen *s, struct desk *d, void *arg,
			     struct md_error *err)
{
	struct queue *q = calloc(1, sizeof *q);

	(void)arg;
	if (!q)
		return md_fail(err, EX_OSERR, "out of memory opening the queue");
	if (hub_list_codes(desk_hub(d), "agency", queue_initial_add,
			   &q->agencies, err)) {
		free(q);
		return err->code;
	}
	q->has_agency = desk_info(d)->me.agency[0] != '\0';
	q->filter = queue_first_filter(desk_config(d), &desk_info(d)->me);
	if (q->filter == HUB_FILTER_CHECKS && !q->has_agency)
		q->filter = HUB_FILTER_ALL;
	/* The board is for supervisors, the reports for supervisors and
	 * admins, the trainer's screen for trainers: others do not see the
	 * keys (which still say why not). */
	q->may_board = hub_may(desk_hub(d), HUB_ACT_BOARD, NULL);
	q->may_reports = hub_may(desk_hub(d), HUB_ACT_REPORT, NULL);
	q->may_trainer = hub_may(desk_hub(d), HUB_ACT_SCENARIO, NULL);
	s->priv = q;
	return 0;
}

static void queue_close(struct screen *s, struct desk *d)
{
	struct queue *q = s->priv;

	(void)d;
	free(q->rows);
	free(q->marks);
	free(q);
	s->priv = NULL;
}

static void queue_resize(struct screen *s, struct desk *d, int rows, int cols)
{
	struct queue *q = s->priv;

	q->page = rows - QUEUE_HEAD_ROWS;
	if (q->page < 1)
		q->page = 1;
	queue_layout_make(&q->layout, cols, q->agencies.n);
	queue_load(q, d, 1);
}

/* ---- marks (supervisors reassigning several at once) ---------------------- */

static int queue_marked(const struct queue *q, const char *ref)
{
	for (int i = 0; i < q->nmarks; i++)
		if (!strcmp(q->marks[i], ref))
			return i;
	return -1;
}

/* A marked row: "+" right after its reference (or over its last column
 * when the reference fills it), drawn as an alert: seen without colour. */
static void queue_mark_cell(const struct queue_layout *l, struct queue_cells *c)
{
	char *t = c->text[QCOL_REF];
	size_t n = strlen(t);
	size_t at = n;

	while (at > 0 && t[at - 1] == ' ')
		at--;
	if (at >= (size_t)l->w[QCOL_REF])
		at = (size_t)l->w[QCOL_REF] - 1;
	if (at < n)
		t[at] = '+';
	c->role[QCOL_REF] = THEME_ALERT;
}

static void queue_mark(struct queue *q, const char *ref, int on)
{
	int i = queue_marked(q, ref);

	if (!on && i >= 0) {
		memmove(q->marks[i], q->marks[i + 1],
			(size_t)(q->nmarks - i - 1) * sizeof *q->marks);
		q->nmarks--;
	} else if (on && i < 0) {
		if (q->nmarks == q->capmarks) {
			int cap = q->capmarks ? q->capmarks * 2 : 16;
			char (*m)[MD_REF_MAX] = realloc(q->marks, (size_t)cap * sizeof *m);
			if (!m)
				return;
			q->marks = m;
			q->capmarks = cap;
		}
		memcpy(q->marks[q->nmarks++], ref, MD_REF_MAX);
	}
}

static int queue_may_mark(struct desk *d)
{
	struct md_error why;

	md_clear(&why);
	if (hub_may(desk_hub(d), HUB_ACT_ASSIGN, &why))
		return 1;
	desk_message(d, THEME_ERROR, "Marking is for reassigning: %s", why.msg);
	return 0;
}

static void queue_mark_key(struct queue *q, struct desk *d, enum action a)
{
	int n = 0;

	if (!queue_may_mark(d) || q->nrows == 0)
		return;
	if (a == ACTION_MARK) {
		const char *ref = q->rows[q->sel].ref;
		queue_mark(q, ref, queue_marked(q, ref) < 0);
		if (q->sel + 1 < q->nrows)
			q->sel++;
		return;
	}
	for (int i = 0; i < q->nrows; i++)
		if (q->rows[i].overdue) {
			queue_mark(q, q->rows[i].ref, 1);
			n++;
		}
	desk_message(d, THEME_NORMAL, "Marked the %d overdue referral%s shown "
		     "(%d marked in all).", n, n == 1 ? "" : "s", q->nmarks);
}

static void queue_reassign(struct queue *q, struct desk *d)
{
	const char **refs;
	int n = q->nmarks ? q->nmarks : 1;

	if (q->nrows == 0 && q->nmarks == 0) {
		desk_message(d, THEME_ERROR, "Nothing to reassign here.");
		return;
	}
	if (!(refs = calloc((size_t)n, sizeof *refs)))
		return;
	for (int i = 0; i < q->nmarks; i++)
		refs[i] = q->marks[i];
	if (!q->nmarks)
		refs[0] = q->rows[q->sel].ref;
	note_reassign_open(d, refs, n, &q->reassigned);
	free(refs);
}

/* ---- drawing ---------------------------------------------------------------- */

static void queue_draw_cells(WINDOW *w, int y, const struct queue_layout *l,
			     const struct queue_cells *c, enum theme_role base)
{
	term_style(w, base);
	mvwprintw(w, y, 0, "%*s", l->cols, "");
	for (int i = 0; i < QCOL_COUNT; i++) {
		if (c->role[i] == THEME_NORMAL)
			term_style(w, base);
		else
			term_style_on(w, c->role[i], base);
		mvwaddstr(w, y, l->x[i], c->text[i]);
	}
	term_style(w, THEME_NORMAL);
}

/* The filters' names, the one on in brackets (bold only repeats it);
 * on Our checks with `late`, how many of the agency's checks are late
 * (on Feedback due, how much feedback is late).  Without `all`, Feedback
 * due is named only while on (80 columns hold the rest and a search).
 * Returns the column after them; draws only when w is not NULL. */
static int queue_draw_filters(const struct queue *q, WINDOW *w, int late,
			      int all)
{
	int x = w ? desk_put(w, 0, 0, 8, " Filter:", 0) : 8;

	for (int i = 0; i < NFILTERS; i++) {
		char item[48];
		int on = (int)q->filter == i;

		if (i == HUB_FILTER_CHECKS && !q->has_agency)
			continue;
		if (i == HUB_FILTER_FEEDBACK && !on && !all)
			continue;
		if (on && late)
			snprintf(item, sizeof item, "[%s: %ld late]",
				 filter_names[i], q->late);
		else
			snprintf(item, sizeof item, on ? "[%s]" : "%s",
				 filter_names[i]);
		if (w) {
			term_style(w, on ? THEME_HEADER : THEME_NORMAL);
			if (on && late && q->late > 0)
				term_style_on(w, THEME_OVERDUE, THEME_HEADER);
			desk_put(w, 0, x + 1, text_width(item), item, 0);
			term_style(w, THEME_NORMAL);
		}
		x += text_width(item) + 1;
	}
	return x;
}

static void queue_draw_top(struct screen *s, struct queue *q, WINDOW *w,
			   int cols)
{
	char pos[64];
	int late = q->filter == HUB_FILTER_CHECKS ||
		   q->filter == HUB_FILTER_FEEDBACK;

	snprintf(pos, sizeof pos, q->nrows ? "%ld-%ld%s " : "none ",
		 q->top + 1, q->top + q->nrows, q->more ? " more" : "");
	int pw = (int)strlen(pos);
	/* Room for the search (its label and some text) after the filters;
	 * at 80 columns on Our checks the late count takes it, so while a
	 * search is typed or kept the count gives way, and otherwise the
	 * empty search's label does. */
	int search = 1;
	int all = cols - pw - queue_draw_filters(q, NULL, late, 1) - 11 >= 8;
	if (late && cols - pw - queue_draw_filters(q, NULL, 1, all) - 11 < 8) {
		if (q->searching || q->search[0])
			late = 0;
		else
			search = 0;
	}
	int x = queue_draw_filters(q, w, late, all);
	if (!search) {
		desk_put(w, 0, cols - pw, pw, pos, 0);
		return;
	}
	x += desk_put(w, 0, x + 2, 8, "Search:", 0) + 3;
	int room = cols - pw - x - 1;
	int sw = desk_put(w, 0, x, room, q->search, 0);
	if (q->searching) {
		s->cur_y = 0;
		s->cur_x = x + sw < cols - pw ? x + sw : cols - pw - 1;
	}
	desk_put(w, 0, cols - pw, pw, pos, 0);
}

static void queue_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols)
{
	struct queue *q = s->priv;
	struct queue_cells c;
	long long now = desk_now(d);

	if (q->layout.cols != cols || q->page != rows - QUEUE_HEAD_ROWS)
		queue_resize(s, d, rows, cols);
	queue_draw_top(s, q, w, cols);
	queue_header_cells(&q->layout, q->agencies.s, &c);
	if (q->filter == HUB_FILTER_CHECKS)     /* the column is our check's */
		snprintf(c.text[QCOL_DUE], sizeof c.text[QCOL_DUE], "%-*.*s",
			 q->layout.w[QCOL_DUE], q->layout.w[QCOL_DUE], "Check due");
	if (q->filter == HUB_FILTER_FEEDBACK)   /* ... the referrer's feedback */
		snprintf(c.text[QCOL_DUE], sizeof c.text[QCOL_DUE], "%-*.*s",
			 q->layout.w[QCOL_DUE], q->layout.w[QCOL_DUE], "Feedback");
	queue_draw_cells(w, 1, &q->layout, &c, THEME_HEADER);
	for (int i = 0; i < q->nrows; i++) {
		enum theme_role base = i == q->sel ? THEME_SELECTED : THEME_NORMAL;
		struct queue_row shown = q->rows[i];
		/* On Our checks, Due is the time left to our agency's check. */
		if (q->filter == HUB_FILTER_CHECKS) {
			shown.due_at = shown.check_due;
			shown.overdue = shown.check_late;
		}
		/* On Feedback due, Due is the feedback's (decided or not). */
		if (q->filter == HUB_FILTER_FEEDBACK) {
			shown.due_at = shown.feedback_due;
			shown.overdue = shown.feedback_late;
			shown.decided_at = 0;
		}
		queue_row_cells(&q->layout, &shown, now, desk_ascii(), &c);
		if (queue_marked(q, q->rows[i].ref) >= 0)
			queue_mark_cell(&q->layout, &c);
		queue_draw_cells(w, QUEUE_HEAD_ROWS + i, &q->layout, &c, base);
	}
	if (q->nrows == 0)
		desk_put(w, QUEUE_HEAD_ROWS, 1, cols - 2,
			 q->filter == HUB_FILTER_FEEDBACK ? (q->search[0] ?
			 "No feedback due matches the search." :
			 "No feedback is due.") : q->search[0] ?
			 "No open referral matches the search." :
			 "No open referrals here.", 0);
	if (!q->searching) {
		s->cur_y = QUEUE_HEAD_ROWS + (q->nrows ? q->sel : 0);
		s->cur_x = 0;
	}
}

/* ---- movement ------------------------------------------------------------- */

/* Does a row exist at this offset? */
static int queue_exists(struct queue *q, struct desk *d, long offset)
{
	struct queue_row r;

	return queue_fetch(q, d, offset, 1, &r) > 0;
}

/* The offset of the last row, found with O(log n) one-row probes: hub.h
 * has no count yet, and End must not load every row to find the last. */
static long queue_last(struct queue *q, struct desk *d)
{
	long lo = q->top + q->nrows - 1, hi = lo + q->page + 1;

	if (!q->more)
		return lo < 0 ? 0 : lo;
	while (queue_exists(q, d, hi)) {
		lo = hi;
		hi = hi * 2 + 1;
	}
	while (hi - lo > 1) {           /* lo exists, hi does not */
		long mid = lo + (hi - lo) / 2;
		if (queue_exists(q, d, mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Select the row at this offset, scrolling just enough to show it. */
static void queue_goto(struct queue *q, struct desk *d, long target)
{
	long top = q->top;

	if (target < 0)
		target = 0;
	if (target < top)
		top = target;
	else if (target >= top + q->page)
		top = target - q->page + 1;
	q->sel = (int)(target - top);
	if (top != q->top) {
		q->top = top;
		queue_load(q, d, 0);
	}
}

static int queue_move(struct queue *q, struct desk *d, enum action a)
{
	long at = q->top + q->sel;

	switch (a) {
	case ACTION_UP:
		queue_goto(q, d, at - 1);
		break;
	case ACTION_DOWN:
		if (q->sel + 1 < q->nrows || q->more)
			queue_goto(q, d, at + 1);
		break;
	case ACTION_PAGE_UP:
		/* A page at a time, the selection keeping its place. */
		if (q->top == 0) {
			q->sel = 0;
			break;
		}
		q->top = q->top > q->page ? q->top - q->page : 0;
		queue_load(q, d, 0);
		break;
	case ACTION_PAGE_DOWN:
		if (!q->more) {
			q->sel = q->nrows ? q->nrows - 1 : 0;
			break;
		}
		q->top += q->page;
		queue_load(q, d, 0);
		break;
	case ACTION_TOP:
		queue_goto(q, d, 0);
		break;
	case ACTION_BOTTOM:
		queue_goto(q, d, queue_last(q, d));
		break;
	default:
		return DESK_UNHANDLED;
	}
	if (q->sel >= q->nrows)
		q->sel = q->nrows ? q->nrows - 1 : 0;
	return DESK_REDRAW;
}

/* ---- actions -------------------------------------------------------------- */

static void queue_restart(struct queue *q, struct desk *d)
{
	q->top = 0;
	q->sel = 0;
	queue_load(q, d, 0);
}

static void queue_claim(struct queue *q, struct desk *d)
{
	struct md_error err;
	const struct queue_row *r;
	char ref[MD_REF_MAX];

	if (q->nrows == 0) {
		desk_message(d, THEME_ERROR, "Nothing to claim here.");
		return;
	}
	r = &q->rows[q->sel];
	memcpy(ref, r->ref, sizeof ref);
	if (!strcmp(r->assigned_to, desk_info(d)->me.login)) {
		desk_message(d, THEME_NORMAL, "%s is already yours.", ref);
		return;
	}
	md_clear(&err);
	if (hub_claim(desk_hub(d), ref, &err) != 0)
		desk_message(d, THEME_ERROR, "Not claimed: %s", err.msg);
	else
		desk_message(d, THEME_NORMAL, "Claimed %s: it is yours now.", ref);
}

static void queue_open_referral(struct queue *q, struct desk *d)
{
	if (q->nrows > 0)
		referral_open(d, q->rows[q->sel].ref);
}

/* Typing a search: every change asks the hub again, from the top.
 * Printable keys are text here, whatever they are bound to; Enter and Esc
 * (or the keys bound to open and back) keep and clear, as in any field. */
static int queue_search_key(struct queue *q, struct desk *d, enum action a,
			    int key)
{
	size_t n = strlen(q->search);
	char u[5];

	if (action_key_char(key, u) > 0) {
		if (n + strlen(u) >= sizeof q->search)
			return DESK_HANDLED;
		memcpy(q->search + n, u, strlen(u) + 1);
	} else if (key == ACTION_KEY_ESC || a == ACTION_BACK) {
		q->searching = 0;
		q->search[0] = '\0';
	} else if (key == ACTION_KEY_ENTER || a == ACTION_OPEN) {
		q->searching = 0;       /* keep it */
		return DESK_REDRAW;
	} else if (key == ACTION_KEY_FN(KEY_BACKSPACE)) {
		while (n > 0 && ((unsigned char)q->search[--n] & 0xC0) == 0x80)
			;               /* back over a whole UTF-8 character */
		q->search[n] = '\0';
	} else if (a == ACTION_REFRESH) {
		return DESK_UNHANDLED;  /* the desk repaints */
	} else {
		/* Movement still works; anything else is ignored. */
		return queue_move(q, d, a) | DESK_HANDLED;
	}
	queue_restart(q, d);
	return DESK_REDRAW;
}

static int queue_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct queue *q = s->priv;

	if (q->searching)
		return queue_search_key(q, d, a, key);
	switch (a) {
	case ACTION_SEARCH:
		q->searching = 1;
		return DESK_REDRAW;
	case ACTION_FILTER:
		q->filter = (enum hub_filter)(((int)q->filter + 1) % NFILTERS);
		if (q->filter == HUB_FILTER_CHECKS && !q->has_agency)
			q->filter = HUB_FILTER_FEEDBACK;   /* no agency, no checks */
		queue_restart(q, d);
		return DESK_REDRAW;
	case ACTION_BACK:
		if (q->nmarks) {
			q->nmarks = 0;      /* first Esc drops the marks */
			return DESK_REDRAW;
		}
		if (q->search[0]) {
			q->search[0] = '\0';
			queue_restart(q, d);
		}
		return DESK_REDRAW;
	case ACTION_MARK:
	case ACTION_MARK_OVERDUE:
		queue_mark_key(q, d, a);
		return DESK_REDRAW;
	case ACTION_REASSIGN:
		if (queue_may_mark(d))
			queue_reassign(q, d);
		return DESK_REDRAW;
	case ACTION_CLAIM:
		queue_claim(q, d);
		return DESK_REDRAW;
	case ACTION_OPEN:
		queue_open_referral(q, d);
		return DESK_HANDLED;
	default:
		return queue_move(q, d, a);
	}
}

/* Re-read the page when anyone committed (force): another desk's claims
 * and new referrals show within a second, this desk's own saves at once. */
static int queue_tick(struct screen *s, struct desk *d, int force)
{
	struct queue *q = s->priv;

	if (q->reassigned) {
		q->reassigned = 0;      /* the marked ones have gone to someone */
		q->nmarks = 0;
	}
	if (!force && now_ms() - q->loaded_ms < QUEUE_TICK_MS)
		return 0;
	return queue_load(q, d, 1) ? DESK_REDRAW : 0;
}

static int queue_keybar(struct screen *s, char *buf, size_t len)
{
	const struct queue *q = s->priv;

	if (!q->searching && q->nmarks) {
		char mark[ACTION_KEY_NAME_MAX], re[ACTION_KEY_NAME_MAX];
		char ov[ACTION_KEY_NAME_MAX], back[ACTION_KEY_NAME_MAX];
		action_keys_text(ACTION_MARK, 1, mark, sizeof mark);
		action_keys_text(ACTION_REASSIGN, 1, re, sizeof re);
		action_keys_text(ACTION_MARK_OVERDUE, 1, ov, sizeof ov);
		action_keys_text(ACTION_BACK, 1, back, sizeof back);
		snprintf(buf, len, "%d marked  %s Reassign  %s Mark  %s Overdue  "
			 "%s Unmark all", q->nmarks, re, mark, ov, back);
		return 1;
	}
	if (!q->searching)
		return 0;
	/* While typing, letters are text: Enter and Esc are fixed here like
	 * in any text field, and only the arrow keys move. */
	snprintf(buf, len, "Type to search  Enter Keep  Esc Clear  "
		 "Backspace Delete  Up/Down Move");
	return 1;
}

static int queue_bar_shows(struct screen *s, struct desk *d, enum action a)
{
	const struct queue *q = s->priv;

	(void)d;
	switch (a) {
	case ACTION_BOARD:   return q->may_board;
	case ACTION_REPORTS: return q->may_reports;
	case ACTION_TRAINER: return q->may_trainer;
	default:             return 1;
	}
}

static int queue_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		"Columns",
		"  Ref and Recvd: the reference and when the hub received it.",
		"  Child and Age: the child's name and age in years (unb = not yet born).",
		"  R: RAG rating, R red, A amber, G green, - not yet rated.",
		"  L: level of need, 1 to 4, - not yet assessed.",
		"  Status, Assigned: where the referral is and who holds it (- nobody).",
		("  Checks: one mark per agency, headed by its initial: . not asked, "
		 "r requested, p in progress, c complete, n nothing known; R and P "
		 "are late (past the check's due time: chase them, C)."),
		"  Due: time left to the decision deadline; \"late\" once it has passed.",
		("  Check due (on Our checks): time left to your agency's own "
		 "check; \"late\" once it has passed."),
		("  Feedback (on Feedback due): time left to the feedback the "
		 "referrer is owed, the acknowledgement or the outcome; \"late\" "
		 "once it has passed."),
		"  *: a repeat - the child or household was referred before.",
		("  S: a strategy discussion is due (s), or late (S): police, "
		 "social care and health to meet; open the referral to record it."),
		("  + after a reference: marked to reassign (supervisors: Space or "
		 "m marks, o marks the overdue shown, a reassigns, Esc unmarks)."),
		"",
		("Filters (one after another): All, Mine, Unassigned, Overdue, Our "
		 "checks: your agency's checks still to do, late first, then by "
		 "their due time, with how many are late. A desk of any agency but "
		 "children's social care opens on Our checks ([ui] first_filter). "
		 "Feedback due: referrals and contacts, open or not, whose "
		 "referrer is still owed an acknowledgement or the outcome, in "
		 "the order it falls due, with how many are late."),
		("While typing a search, letters go into the search: Enter keeps "
		 "it, Esc clears it."),
	};

	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops queue_screen_ops = {
	.name = "Queue",
	.kind = SCREEN_QUEUE,
	.open = queue_screen_open,
	.draw = queue_draw,
	.key = queue_key,
	.resize = queue_resize,
	.tick = queue_tick,
	.keybar = queue_keybar,
	.bar_shows = queue_bar_shows,
	.help_extra = queue_help_extra,
	.close = queue_close,
};

int queue_open(struct desk *d)
{
	return desk_push(d, &queue_screen_ops, NULL);
}
