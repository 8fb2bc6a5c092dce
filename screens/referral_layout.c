/* referral_layout.c - the referral screen as a list of lines (pure: no
 * curses, no database), so it is unit-tested without a terminal.  This
 * file holds the line store, wrapping, the building blocks and the header;
 * referral_sections.c the sections below it.
 *
 * Top to bottom: a header that stays put while the rest scrolls (the child,
 * RAG, level, status, holder, the decision clock, where the child lives:
 * what must never scroll out of sight); then the child, the concern, the
 * household, the referrer, consent; one panel per agency, recorded or not;
 * the decision; the prior history.  Labels sit in one column and values
 * wrap under themselves, so wider terminals get longer lines.
 *
 * All text arrives untrusted: each value is made inert (and folded to
 * ASCII on an ASCII terminal) before it is measured, wrapped and fitted, so
 * the widths here are the widths drawn. */
#include "rlay.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/screen.h"
#include "mashdesk/text.h"

#define VALUE_X (RLAY_LABEL_X + RLAY_LABEL_W + 1)
#define VALUE_MIN 24            /* narrower: the value goes under its label */

/* ---- the line store ----------------------------------------------------- */

static int rlay_fail(struct referral_layout *l)
{
	l->failed = 1;
	return -1;
}

/* A new empty line; its index, or -1. */
int rlay_line(struct referral_layout *l)
{
	if (l->failed)
		return -1;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		struct referral_line *v = realloc(l->lines, (size_t)cap * sizeof *v);
		if (!v)
			return rlay_fail(l);
		l->lines = v;
		l->cap = cap;
	}
	l->lines[l->n].nspan = 0;
	return l->n++;
}

static int lay_store(struct referral_layout *l, const char *text, size_t *off)
{
	size_t n = strlen(text) + 1;

	if (l->used + n > l->size) {
		size_t size = l->size ? l->size * 2 : 4096;
		while (size < l->used + n)
			size *= 2;
		char *b = realloc(l->buf, size);
		if (!b)
			return rlay_fail(l);
		l->buf = b;
		l->size = size;
	}
	memcpy(l->buf + l->used, text, n);
	*off = l->used;
	l->used += n;
	return 0;
}

/* Put (inert) text at column x of line i, fitted and padded to w columns.
 * Returns the column after it. */
int rlay_span(struct referral_layout *l, int i, int x, int w,
	      const char *text, enum theme_role role, enum theme_role base)
{
	char fit[RLAY_TEXT_MAX];
	struct referral_line *line;
	struct referral_span *sp;

	if (i < 0 || l->failed || w <= 0 || x >= l->cols)
		return x;
	if (x + w > l->cols)
		w = l->cols - x;
	line = &l->lines[i];
	if (line->nspan == REFERRAL_SPANS_MAX)
		return x + w;
	text_fit(fit, sizeof fit, text, w, 1, l->ascii);
	sp = &line->span[line->nspan];
	if (lay_store(l, fit, &sp->off) != 0)
		return x + w;
	sp->x = x;
	sp->w = w;
	sp->role = role;
	sp->base = base;
	line->nspan++;
	return x + w;
}

/* Untrusted text made inert (newlines kept unless oneline) and, on an
 * ASCII terminal, folded; malloc'd, NULL when out of memory. */
static char *lay_clean(const struct referral_layout *l, const char *s,
		       int oneline)
{
	size_t n = strlen(s ? s : "");
	char *t = malloc(3 * n + 1);

	if (!t)
		return NULL;
	text_inert(t, 3 * n + 1, s ? s : "", oneline);
	if (l->ascii)
		desk_ascii_fold(t);
	return t;
}

/* A short value placed as is: cleaned into buf. */
const char *rlay_short(const struct referral_layout *l, const char *s,
		       char *buf, size_t len)
{
	text_inert(buf, len, s ? s : "", 1);
	if (l->ascii)
		desk_ascii_fold(buf);
	return buf;
}

/* ---- building ----------------------------------------------------------- */

const char *rlay_code(const struct rlay *b, const char *table,
		      const char *code)
{
	const char *name = NULL;

	if (code[0] && b->v->code_name)
		name = b->v->code_name(b->v->code_arg, table, code);
	return name && name[0] ? name : code;
}

void rlay_when(long long t, int with_time, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm) ||
	    !strftime(buf, len, with_time ? "%d %b %Y %H:%M" : "%d %b %Y", &tm))
		snprintf(buf, len, "-");
}

/* Wrapping: each piece text_wrap cuts becomes a line of its own. */
struct wrap {
	struct referral_layout *l;
	int x, w;                       /* where the text goes */
	int hang;                       /* later pieces start further in */
	int fill;                       /* pad pieces to the edge: a highlight */
	enum theme_role role, base;
	const char *label;              /* on the first line at label_x */
	int label_x;
	int pieces;                     /* of the current paragraph */
	int first_line, last_line;      /* -1 before the first piece */
	int end_x;                      /* where the last piece's text ends */
};

static void wrap_piece(const char *start, size_t len, void *arg)
{
	struct wrap *c = arg;
	char piece[RLAY_TEXT_MAX];
	int i = rlay_line(c->l), x, w;

	if (i < 0)
		return;
	if (len >= sizeof piece)
		len = sizeof piece - 1;
	memcpy(piece, start, len);
	piece[len] = '\0';
	x = c->pieces++ ? c->x + c->hang : c->x;
	if (c->first_line < 0) {
		c->first_line = i;
		if (c->label)
			rlay_span(c->l, i, c->label_x, text_width(c->label),
				  c->label, THEME_NORMAL, c->base);
	}
	w = text_width(piece);
	c->end_x = x + w;
	rlay_span(c->l, i, x, c->fill ? c->x + c->w - x : w, piece, c->role,
		  c->base);
	c->last_line = i;
}

/* Wrap (untrusted) text as c says, each of its own lines separately. */
static void lay_wrap(struct referral_layout *l, struct wrap *c,
		     const char *text)
{
	char *t = lay_clean(l, text, 0);

	c->l = l;
	c->first_line = c->last_line = -1;
	c->end_x = c->x;
	if (!t) {
		rlay_fail(l);
		return;
	}
	for (char *p = t;;) {
		size_t n = strcspn(p, "\n");
		char save = p[n];

		p[n] = '\0';
		c->pieces = 0;
		text_wrap(p, c->w, c->w - c->hang, wrap_piece, c);
		if (!save)
			break;
		p += n + 1;
	}
	free(t);
}

/* "  Label          value, wrapped under itself"; an empty value says so. */
void rlay_field(struct rlay *b, const char *label, const char *value,
		enum theme_role role)
{
	struct referral_layout *l = b->l;
	struct wrap c = { .role = role, .base = THEME_NORMAL, .label = label,
			  .label_x = RLAY_LABEL_X, .x = VALUE_X,
			  .w = l->cols - VALUE_X };

	if (!value || !value[0]) {
		value = "not given";
		c.role = THEME_DIM;
	}
	if (c.w < VALUE_MIN) {          /* a narrow column: value below */
		rlay_span(l, rlay_line(l), RLAY_LABEL_X, l->cols - RLAY_LABEL_X,
			  label, THEME_NORMAL, THEME_NORMAL);
		c.label = NULL;
		c.x = RLAY_LABEL_X + 2;
		c.w = l->cols - c.x;
	}
	lay_wrap(l, &c, value);
}

/* A field shown only when there is something in it. */
void rlay_field_opt(struct rlay *b, const char *label, const char *value)
{
	if (value && value[0])
		rlay_field(b, label, value, THEME_NORMAL);
}

/* A wrapped paragraph at x (later lines hanging further in), then an
 * optional mark to heed, on its last line when it fits. */
void rlay_para(struct rlay *b, int x, const char *text, const char *mark)
{
	struct referral_layout *l = b->l;
	struct wrap c = { .role = THEME_NORMAL, .base = THEME_NORMAL, .x = x,
			  .w = l->cols - x, .hang = 2 };
	int mw;

	lay_wrap(l, &c, text);
	if (!mark || c.last_line < 0)
		return;
	mw = text_width(mark);
	if (c.end_x + 2 + mw <= l->cols)
		rlay_span(l, c.last_line, c.end_x + 2, mw, mark, THEME_ALERT,
			  THEME_NORMAL);
	else
		rlay_span(l, rlay_line(l), x + c.hang, mw, mark, THEME_ALERT,
			  THEME_NORMAL);
}

/* One selectable entry (a prior referral): the whole column reversed when
 * it has the focus, and a ">" before it, so it shows without colour. */
void rlay_entry(struct rlay *b, int x, const char *text, int focused,
		int *first, int *last)
{
	struct referral_layout *l = b->l;
	enum theme_role role = focused ? THEME_SELECTED : THEME_NORMAL;
	struct wrap c = { .role = role, .base = role, .x = x,
			  .w = l->cols - x, .hang = 2, .fill = focused,
			  .label = focused ? ">" : NULL, .label_x = x - 2 };

	lay_wrap(l, &c, text);
	*first = c.first_line - l->nhead;
	*last = c.last_line - l->nhead;
}

void rlay_note(struct rlay *b, int x, const char *text, enum theme_role role)
{
	char buf[RLAY_TEXT_MAX];

	rlay_short(b->l, text, buf, sizeof buf);
	rlay_span(b->l, rlay_line(b->l), x, text_width(buf), buf, role,
		  THEME_NORMAL);
}

void rlay_merge(struct referral_layout *l, const struct referral_layout *t,
		int first, int x)
{
	if (t->failed)
		rlay_fail(l);
	for (int r = 0; r < t->n && !l->failed; r++) {
		const struct referral_line *ln = &t->lines[r];

		while (l->n <= first + r)
			if (rlay_line(l) < 0)
				return;
		for (int k = 0; k < ln->nspan; k++) {
			const struct referral_span *sp = &ln->span[k];
			rlay_span(l, first + r, sp->x + x, sp->w,
				  t->buf + sp->off, sp->role, sp->base);
		}
	}
}

/* A section's title, a blank line above it (none at the very top). */
void rlay_heading(struct rlay *b, const char *title, const char *hint)
{
	struct referral_layout *l = b->l;
	int i, x;

	if (l->n > l->nhead)
		rlay_line(l);
	i = rlay_line(l);
	x = rlay_span(l, i, 0, text_width(title), title, THEME_HEADER,
		      THEME_NORMAL);
	if (hint)
		rlay_span(l, i, x + 2, text_width(hint), hint, THEME_DIM,
			  THEME_NORMAL);
}

/* ---- the header --------------------------------------------------------- */

static void age_text(const struct rlay *b, char *buf, size_t len)
{
	const struct queue_row *r = &b->d->row;
	char dob[40];
	int age = clock_age_years(r->dob, b->v->now);

	rlay_short(b->l, r->dob, dob, sizeof dob);
	if (r->dob_estimated)
		snprintf(buf, len, "unborn, due %s", dob);
	else if (age == -999)
		snprintf(buf, len, "age not known");
	else if (age < 0)
		snprintf(buf, len, "not born yet, %s", dob);
	else
		snprintf(buf, len, "age %d (born %s)", age, dob);
}

/* " R0000012  Child's Name  age 9 (born ...)          REPEAT of R0000003" */
static void header_name(struct rlay *b)
{
	struct referral_layout *l = b->l;
	const struct referral_detail *d = b->d;
	char ref[64], name[3 * MD_NAME_MAX], age[80], rep[80] = "";
	int i = rlay_line(l), x, nw, aw, rw;

	rlay_short(l, d->row.ref, ref, sizeof ref);
	rlay_short(l, d->row.child_name, name, sizeof name);
	age_text(b, age, sizeof age);
	if (d->repeat_of[0] || d->row.repeat) {
		char of[64];
		snprintf(rep, sizeof rep, d->repeat_of[0] ? "REPEAT of %s" :
			 "REPEAT%s", rlay_short(l, d->repeat_of, of, sizeof of));
	}
	aw = text_width(age);
	rw = rep[0] ? text_width(rep) + 2 : 0;
	x = rlay_span(l, i, 1, text_width(ref), ref, THEME_NORMAL,
		      THEME_NORMAL) + 2;
	nw = l->cols - 1 - x - 2 - aw - rw;
	if (nw > text_width(name))
		nw = text_width(name);
	x = rlay_span(l, i, x, nw > 1 ? nw : 1, name, THEME_HEADER,
		      THEME_NORMAL) + 2;
	rlay_span(l, i, x, aw, age, THEME_NORMAL, THEME_NORMAL);
	if (rep[0])
		rlay_span(l, i, l->cols - rw + 1, rw - 2, rep, THEME_ALERT,
			  THEME_NORMAL);
}

/* Short "Label: value" fields packed into as few lines as fit. */
struct flow {
	int line, x;
};

static void flow_add(struct rlay *b, struct flow *f, const char *label,
		     const char *value, enum theme_role role)
{
	struct referral_layout *l = b->l;
	int lw = text_width(label), vw = text_width(value);

	if (f->line < 0 || f->x + 2 + lw + 1 + vw > l->cols - 1) {
		f->line = rlay_line(l);
		f->x = 1;
	} else {
		f->x += 2;
	}
	f->x = rlay_span(l, f->line, f->x, lw, label, THEME_NORMAL,
			 THEME_NORMAL) + 1;
	if (vw > l->cols - 1 - f->x)
		vw = l->cols - 1 - f->x;
	f->x = rlay_span(l, f->line, f->x, vw, value, role, THEME_NORMAL);
}

static enum theme_role rag_text(const char *rag, char *buf, size_t len)
{
	static const struct { const char *code, *text; enum theme_role role; }
	rags[] = {
		{ "red", "R Red", THEME_RAG_RED },
		{ "amber", "A Amber", THEME_RAG_AMBER },
		{ "green", "G Green", THEME_RAG_GREEN },
	};

	for (size_t i = 0; i < sizeof rags / sizeof rags[0]; i++)
		if (!strcmp(rag, rags[i].code)) {
			snprintf(buf, len, "%s", rags[i].text);
			return rags[i].role;
		}
	snprintf(buf, len, rag[0] ? "? %s" : "- not rated", rag);
	return THEME_NORMAL;
}

/* The decision clock first: it is what the hub is judged on. */
static void header_clock(struct rlay *b, struct flow *f)
{
	const struct queue_row *r = &b->d->row;
	char buf[64];
	enum theme_role role;
	int late;

	if (b->d->screening_outcome[0]) {       /* no decision: closed */
		flow_add(b, f, "Decision:", "none, closed at screening",
			 THEME_NORMAL);
		return;
	}
	if (b->d->decided || r->decided_at) {
		flow_add(b, f, "Decision:", "made", THEME_NORMAL);
		return;
	}
	clock_format_left(r->due_at, b->v->now, buf, sizeof buf);
	late = r->overdue || r->due_at <= b->v->now;
	role = late ? THEME_OVERDUE : THEME_NORMAL;
	if (role == THEME_NORMAL)
		strncat(buf, " left", sizeof buf - strlen(buf) - 1);
	flow_add(b, f, "Decision:", buf, role);
}

/* The decision clock (loud when late), RAG, level, status and holder. */
static void header_state(struct rlay *b, struct flow *f)
{
	const struct queue_row *r = &b->d->row;
	char buf[128], who[3 * MD_LOGIN_MAX];
	enum theme_role role = rag_text(r->rag, buf, sizeof buf);

	header_clock(b, f);
	flow_add(b, f, "RAG:", buf, role);
	if (r->level > 0)
		snprintf(buf, sizeof buf, "%d", r->level);
	else
		snprintf(buf, sizeof buf, "not assessed");
	flow_add(b, f, "Level:", buf, THEME_NORMAL);
	rlay_short(b->l, rlay_code(b, "referral_status", r->status), buf,
		   sizeof buf);
	flow_add(b, f, "Status:", buf, THEME_NORMAL);
	rlay_short(b->l, r->assigned_to, who, sizeof who);
	flow_add(b, f, "Assigned:", who[0] ? who : "nobody",
		 who[0] ? THEME_NORMAL : THEME_DIM);
	/* Kept whatever the retention policy says (hub_retention.h). */
	if (b->d->held) {
		char by[sizeof who + 4];
		rlay_short(b->l, b->d->held_by, who, sizeof who);
		snprintf(by, sizeof by, "by %s", who);
		flow_add(b, f, "Legal hold", by, THEME_ALERT);
	}
}

/* Shrink the widest of n widths until they add up to at most room. */
static void widths_fit(int *w, int n, int room)
{
	for (;;) {
		int sum = 0, big = 0;
		for (int i = 0; i < n; i++) {
			sum += w[i];
			if (w[i] > w[big])
				big = i;
		}
		if (sum <= room || w[big] <= 1)
			return;
		w[big]--;
	}
}

/* "Address: ...  School: ...  GP: ..." on one line, each cut to fit (the
 * Child section below has them whole). */
static void header_places(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	const char *labels[3] = { "Address:", "School:", "GP:" };
	const char *src[3] = { d->address, d->school, d->gp };
	char vals[3][512];
	int w[3], n = 0, idx[3], room = b->l->cols - 2, x = 1, i;

	for (int k = 0; k < 3; k++) {
		if (!src[k] || !src[k][0])
			continue;
		rlay_short(b->l, src[k], vals[k], sizeof vals[k]);
		room -= text_width(labels[k]) + 1 + (n ? 2 : 0);
		w[n] = text_width(vals[k]);
		idx[n++] = k;
	}
	if (!n || room < n)
		return;
	widths_fit(w, n, room);
	i = rlay_line(b->l);
	for (int k = 0; k < n; k++) {
		const char *label = labels[idx[k]];
		x = rlay_span(b->l, i, x, text_width(label), label, THEME_NORMAL,
			      THEME_NORMAL) + 1;
		x = rlay_span(b->l, i, x, w[k], vals[idx[k]], THEME_NORMAL,
			      THEME_NORMAL) + 2;
	}
}

/* A transferred case says so where it cannot scroll away: "Transferred
 * to HUB on DATE" (closed here) or "Transferred from HUB REF". */
static void header_transfer(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char text[RLAY_TEXT_MAX], when[40];

	if (d->transferred_to[0]) {
		rlay_when(d->transferred_at, 0, when, sizeof when);
		snprintf(text, sizeof text, "Transferred to %.400s on %s",
			 d->transferred_to, when);
		rlay_note(b, 1, text, THEME_ALERT);
	}
	if (d->transferred_from_hub[0]) {
		snprintf(text, sizeof text, "Transferred from %.400s %.40s",
			 d->transferred_from_hub, d->transferred_from_ref);
		rlay_note(b, 1, text, THEME_ALERT);
	}
}

static void header_build(struct rlay *b)
{
	struct flow f = { -1, 0 };

	header_name(b);
	header_state(b, &f);
	rlay_add_checks_line(b);
	header_places(b);
	header_transfer(b);
}

/* ---- the whole screen --------------------------------------------------- */

int referral_layout_build(struct referral_layout *l,
			  const struct referral_detail *d,
			  const struct referral_view *v)
{
	struct rlay b = { l, v, d };

	memset(l, 0, sizeof *l);
	l->cols = v->cols > 1 ? v->cols : 1;
	l->ascii = v->ascii;
	header_build(&b);
	l->nhead = l->n;
	rlay_add_about(&b);
	rlay_add_front(&b);
	rlay_add_panels(&b);
	rlay_add_decision(&b);
	rlay_add_history(&b);
	rlay_add_transfer(&b);
	return l->failed ? -1 : 0;
}

void referral_layout_free(struct referral_layout *l)
{
	free(l->lines);
	free(l->buf);
	memset(l, 0, sizeof *l);
}

const char *referral_span_text(const struct referral_layout *l,
			       const struct referral_span *s)
{
	return l->buf ? l->buf + s->off : "";
}

int referral_layout_same(const struct referral_layout *a,
			 const struct referral_layout *b)
{
	if (a->n != b->n || a->nhead != b->nhead || a->cols != b->cols ||
	    a->nstops != b->nstops)
		return 0;
	for (int i = 0; i < a->n; i++) {
		const struct referral_line *x = &a->lines[i], *y = &b->lines[i];
		if (x->nspan != y->nspan)
			return 0;
		for (int k = 0; k < x->nspan; k++) {
			const struct referral_span *p = &x->span[k];
			const struct referral_span *q = &y->span[k];
			if (p->x != q->x || p->w != q->w || p->role != q->role ||
			    p->base != q->base ||
			    strcmp(a->buf + p->off, b->buf + q->off))
				return 0;
		}
	}
	return 1;
}

void referral_line_text(const struct referral_layout *l, int i, char *buf,
			size_t len)
{
	size_t used = 0;
	int col = 0;

	if (!len)
		return;
	buf[0] = '\0';
	if (i < 0 || i >= l->n)
		return;
	for (int k = 0; k < l->lines[i].nspan; k++) {
		const struct referral_span *sp = &l->lines[i].span[k];
		for (; col < sp->x && used + 1 < len; col++)
			buf[used++] = ' ';
		buf[used] = '\0';
		used += (size_t)snprintf(buf + used, len - used, "%s",
					 l->buf + sp->off);
		if (used >= len)
			return;
		col = sp->x + sp->w;
	}
}
