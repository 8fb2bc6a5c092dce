/* referral.c - one referral: a header that stays put, then everything the
 * hub holds on it, one panel per agency, the decision and the prior
 * history, scrolled like the pager.
 *
 * The layout is a pure function of the referral, the width, the time and
 * the focus (referral_layout.c, unit-tested), rebuilt on every draw: it
 * costs microseconds, deadlines count down without bookkeeping, and a
 * resize simply re-flows.  Curses sends the terminal only the cells that
 * changed, so rebuilding never costs the wire anything.
 *
 * Focus.  Tab and Shift-Tab stop at each agency panel and each prior
 * referral; the focused one is reversed and marked, and the real cursor
 * sits on it so screen readers follow.  e and Enter act on the focus: your
 * own agency's panel opens the check form, another agency's says it is
 * read only (its information belongs to that agency), a prior referral
 * opens on a screen of its own.
 *
 * Freshness.  The referral is read again whenever the desk learns of a
 * commit (tick with force): another desk's within a second, this desk's
 * own -- a form's save, a claim, a sign-off -- right after the key that
 * made it (hub_poll_changes reports both).  No transaction is held between
 * reads.
 *
 * The key bar leaves out what the hub would refuse now (referral_bar_shows):
 * editing a decided referral, signing off one that awaits nothing. */
#include "referral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "check_form.h"
#include "contact_form.h"
#include "decision_form.h"
#include "feedback_form.h"
#include "front_form.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_signoff.h"
#include "mashdesk/text.h"
#include "note_form.h"
#include "referral_layout.h"
#include "strategy_form.h"

#define REFERRAL_TICK_MS 60000  /* safety net: the desk forces a re-read
				    * whenever anyone commits, this desk too */

struct code_entry {
	char table[24];
	char code[MD_CODE_MAX];
	char name[128];
};

struct referral_screen {
	char ref[MD_REF_MAX];
	struct referral_detail *det;
	struct referral_layout lay;     /* as last drawn */
	int focus;                      /* stop with the focus, -1 none */
	int top;                        /* first scrolled line shown */
	int page;                       /* scrolled lines the body shows */
	long long loaded_ms;
	int read_failed;                /* the last re-read failed: said once */
	int gone;                       /* ... because it is not there any
					 * more (removed under retention) */
	int may_check, may_decide, may_claim, may_audit;
	int may_screen, may_rate, may_request;  /* the front door */
	int may_strategy;               /* record a strategy discussion */
	int may_feedback;
	struct md_error why_check, why_decide;  /* what the hub would say */
	struct code_entry *codes;       /* display names of codes */
	int ncodes, capcodes;
	const char *loading;            /* table being read into codes */
	char edit_key[ACTION_KEY_NAME_MAX];
	struct signoff_state so;         /* the two-person rule's state */
	int have_so;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- code names --------------------------------------------------------- */

static int code_keep(const struct hub_code *c, void *arg)
{
	struct referral_screen *r = arg;
	struct code_entry *e;

	if (r->ncodes == r->capcodes) {
		int cap = r->capcodes ? r->capcodes * 2 : 64;
		struct code_entry *v;

		v = realloc(r->codes, (size_t)cap * sizeof *v);
		if (!v)
			return 0;       /* codes then show as codes */
		r->codes = v;
		r->capcodes = cap;
	}
	e = &r->codes[r->ncodes++];
	snprintf(e->table, sizeof e->table, "%s", r->loading);
	snprintf(e->code, sizeof e->code, "%s", c->code);
	snprintf(e->name, sizeof e->name, "%s", c->name);
	return 0;
}

/* Names for the codes the screen shows; a table that cannot be read just
 * leaves its codes showing as codes. */
static void codes_load(struct referral_screen *r, struct desk *d)
{
	static const char *const tables[] = {
		"outcome", "referral_status", "check_status", "lawful_basis",
		"handling_code", "consent_position", "category", "source",
		"screening_outcome",
	};
	struct md_error err;

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		r->loading = tables[i];
		md_clear(&err);
		hub_list_codes(desk_hub(d), tables[i], code_keep, r, &err);
	}
	r->loading = NULL;
}

static const char *code_lookup(void *arg, const char *table, const char *code)
{
	const struct referral_screen *r = arg;

	for (int i = 0; i < r->ncodes; i++)
		if (!strcmp(r->codes[i].code, code) &&
		    !strcmp(r->codes[i].table, table))
			return r->codes[i].name;
	return NULL;
}

/* ---- reading ------------------------------------------------------------ */

static void referral_permissions(struct referral_screen *r, struct desk *d)
{
	md_clear(&r->why_check);
	r->may_check = hub_may(desk_hub(d), HUB_ACT_CHECK, &r->why_check);
	md_clear(&r->why_decide);
	r->may_decide = hub_may(desk_hub(d), HUB_ACT_DECIDE, &r->why_decide);
	r->may_claim = hub_may(desk_hub(d), HUB_ACT_CLAIM, NULL);
	r->may_audit = hub_may(desk_hub(d), HUB_ACT_AUDIT, NULL);
	r->may_screen = hub_may(desk_hub(d), HUB_ACT_SCREEN, NULL);
	r->may_rate = hub_may(desk_hub(d), HUB_ACT_RATE, NULL);
	r->may_strategy = hub_may(desk_hub(d), HUB_ACT_STRATEGY, NULL);
	r->may_request = hub_may(desk_hub(d), HUB_ACT_REQUEST, NULL);
	r->may_feedback = hub_may(desk_hub(d), HUB_ACT_FEEDBACK, NULL);
}

/* Read the referral again.  Returns 1 when read; on failure keeps what
 * was shown and says why (once, unless loud: the user asked). */
/* Where the decision stands under the two-person rule. */
static void referral_signoff_load(struct referral_screen *r, struct desk *d)
{
	struct md_error err;

	md_clear(&err);
	r->have_so = hub_signoff_state(desk_hub(d), r->ref, &r->so, &err) == 0;
}

static int referral_reload(struct referral_screen *r, struct desk *d, int loud)
{
	struct referral_detail *det = NULL;
	struct md_error err;

	r->loaded_ms = now_ms();
	md_clear(&err);
	if (hub_referral_get(desk_hub(d), r->ref, &det, &err) != 0) {
		if (loud || !r->read_failed)
			desk_message(d, THEME_ERROR, "Could not read %s again: "
				     "%s", r->ref, err.msg);
		r->read_failed = 1;
		r->gone = err.code == EX_DATAERR &&
			  strstr(err.msg, "no referral ") != NULL;
		return 0;
	}
	r->read_failed = 0;
	hub_referral_free(r->det);
	r->det = det;
	referral_signoff_load(r, d);
	referral_permissions(r, d);
	return 1;
}

/* ---- layout ------------------------------------------------------------- */

static int referral_can_edit(const struct referral_screen *r, struct desk *d)
{
	return r->may_check && !r->det->decided && desk_info(d)->me.agency[0] &&
	       !r->det->screening_outcome[0];   /* not closed at screening */
}

static void referral_view_make(struct referral_screen *r, struct desk *d,
			       int cols, struct referral_view *v)
{
	memset(v, 0, sizeof *v);
	v->cols = cols;
	v->now = desk_now(d);
	v->ascii = desk_ascii();
	v->my_agency = desk_info(d)->me.agency;
	v->can_edit = referral_can_edit(r, d);
	action_keys_text(ACTION_EDIT, 1, r->edit_key, sizeof r->edit_key);
	v->edit_key = r->edit_key;
	v->focus = r->focus;
	v->signoff = r->have_so ? &r->so : NULL;
	v->code_name = code_lookup;
	v->code_arg = r;
}

/* Lay out again for this width; the focus and scroll stay in range. */
static void referral_relayout(struct referral_screen *r, struct desk *d,
			      int cols)
{
	struct referral_view v;

	referral_layout_free(&r->lay);
	referral_view_make(r, d, cols, &v);
	if (referral_layout_build(&r->lay, r->det, &v) != 0)
		desk_message(d, THEME_ERROR, "Out of memory: part of %s is "
			     "missing.", r->ref);
	if (r->focus >= r->lay.nstops) {
		r->focus = -1;          /* the stop went away */
		referral_relayout(r, d, cols);
	}
}

static int referral_lines(const struct referral_screen *r)
{
	return r->lay.n - r->lay.nhead;
}

static void referral_clamp(struct referral_screen *r)
{
	int last = referral_lines(r) - r->page;

	if (r->top > last)
		r->top = last;
	if (r->top < 0)
		r->top = 0;
}

/* ---- drawing ------------------------------------------------------------ */

static void referral_draw_line(WINDOW *w, int y,
			       const struct referral_layout *l, int i)
{
	const struct referral_line *ln = &l->lines[i];

	for (int k = 0; k < ln->nspan; k++) {
		const struct referral_span *sp = &ln->span[k];
		if (sp->role == sp->base)
			term_style(w, sp->role);
		else
			term_style_on(w, sp->role, sp->base);
		desk_put(w, y, sp->x, sp->w, referral_span_text(l, sp), 1);
	}
	term_style(w, THEME_NORMAL);
}

/* The rule under the header says where in the referral the view is. */
static void referral_draw_rule(struct referral_screen *r, WINDOW *w, int y,
			       int cols)
{
	char pos[64];
	int n = referral_lines(r), last = r->top + r->page;
	int pw;

	/* A drawn rule, not ACS: thin terminals and capture tools disagree
	 * about the alternate character set; text is the same everywhere. */
	term_style(w, THEME_DIM);
	for (int x = 0; x < cols; x++)
		desk_put(w, y, x, 1, desk_ascii() ? "-" : "\u2500", 0);
	snprintf(pos, sizeof pos, " lines %d-%d of %d%s ", n ? r->top + 1 : 0,
		 last < n ? last : n, n, last < n ? ", more below" : "");
	pw = text_width(pos);
	desk_put(w, y, cols - pw - 2, pw, pos, 0);
	term_style(w, THEME_NORMAL);
}

static void referral_draw(struct screen *s, struct desk *d, WINDOW *w,
			  int rows, int cols)
{
	struct referral_screen *r = s->priv;
	int head, y0;

	if (now_ms() - r->loaded_ms >= REFERRAL_TICK_MS)
		referral_reload(r, d, 0);
	referral_relayout(r, d, cols);
	head = r->lay.nhead < rows - 2 ? r->lay.nhead : rows - 2;
	y0 = head + 1;
	r->page = rows - y0 > 1 ? rows - y0 : 1;
	referral_clamp(r);
	for (int i = 0; i < head; i++)
		referral_draw_line(w, i, &r->lay, i);
	referral_draw_rule(r, w, head, cols);
	for (int i = 0; i < r->page && r->top + i < referral_lines(r); i++)
		referral_draw_line(w, y0 + i, &r->lay,
				   r->lay.nhead + r->top + i);
	s->cur_y = y0;
	s->cur_x = 0;
	if (r->focus >= 0) {
		const struct referral_stop *st = &r->lay.stops[r->focus];
		if (st->first >= r->top && st->first < r->top + r->page) {
			s->cur_y = y0 + st->first - r->top;
			s->cur_x = st->x;
		}
	}
}

/* ---- focus and scrolling ------------------------------------------------ */

static int stop_visible(const struct referral_screen *r, int i)
{
	const struct referral_stop *st = &r->lay.stops[i];

	return st->first >= r->top && st->first < r->top + r->page;
}

/* Scroll just enough to show stop i whole (its top, if it is taller than
 * the page). */
static void referral_show_stop(struct referral_screen *r, int i)
{
	const struct referral_stop *st = &r->lay.stops[i];

	if (st->last >= r->top + r->page)
		r->top = st->last - r->page + 1;
	if (st->first < r->top || st->last - st->first >= r->page)
		r->top = st->first;
	referral_clamp(r);
}

/* Tab (dir 1) or Shift-Tab (-1): from the focus when it is in view, else
 * from the view itself, so Tab never jumps back to a panel scrolled away. */
static void referral_focus_move(struct referral_screen *r, struct desk *d,
				int dir)
{
	int n = r->lay.nstops, f = r->focus;

	if (n == 0) {
		desk_message(d, THEME_NORMAL, "Nothing here takes the focus.");
		return;
	}
	if (f >= 0 && stop_visible(r, f)) {
		f = (f + dir + n) % n;
	} else if (dir > 0) {
		for (f = 0; f < n && r->lay.stops[f].first < r->top; f++)
			;
		f %= n;
	} else {
		for (f = n - 1; f >= 0 &&
		     r->lay.stops[f].first >= r->top + r->page; f--)
			;
		f = f < 0 ? n - 1 : f;
	}
	r->focus = f;
	referral_show_stop(r, f);
}

static int referral_scroll(struct referral_screen *r, enum action a)
{
	switch (a) {
	case ACTION_UP:        r->top--; break;
	case ACTION_DOWN:      r->top++; break;
	case ACTION_PAGE_UP:   r->top -= r->page; break;
	case ACTION_PAGE_DOWN: r->top += r->page; break;
	case ACTION_TOP:       r->top = 0; break;
	case ACTION_BOTTOM:    r->top = referral_lines(r); break;
	default:               return DESK_UNHANDLED;
	}
	referral_clamp(r);
	return DESK_REDRAW;
}

/* ---- actions ------------------------------------------------------------ */

static const char *agency_name(const struct referral_detail *det,
			       const char *code)
{
	for (int i = 0; i < det->nchecks; i++)
		if (!strcmp(det->checks[i].agency, code))
			return det->checks[i].agency_name;
	return code;
}

/* e: the user's own agency's check, whatever has the focus, unless the
 * focus is on another agency's panel - then say why not. */
static void referral_edit(struct referral_screen *r, struct desk *d)
{
	const char *mine = desk_info(d)->me.agency;
	struct md_error err;

	if (r->focus >= 0 && r->lay.stops[r->focus].check >= 0) {
		const struct referral_check *c =
			&r->det->checks[r->lay.stops[r->focus].check];
		if (strcmp(c->agency, mine)) {
			char key[ACTION_KEY_NAME_MAX];
			action_keys_text(ACTION_EDIT, 1, key, sizeof key);
			if (mine[0])
				desk_message(d, THEME_ERROR, "Read only: the %s "
					     "panel. Edit your own (%s) with %s.",
					     c->agency_name,
					     agency_name(r->det, mine), key);
			else
				desk_message(d, THEME_ERROR, "Read only: the %s "
					     "panel belongs to %s.",
					     c->agency_name, c->agency_name);
			return;
		}
	}
	if (!r->may_check) {
		desk_message(d, THEME_ERROR, "%s", r->why_check.msg);
		return;
	}
	if (r->det->decided || r->det->screening_outcome[0]) {
		desk_message(d, THEME_ERROR, "%s is %s: its checks can no "
			     "longer be changed.", r->ref, r->det->decided ?
			     "decided" : "closed at screening");
		return;
	}
	md_clear(&err);
	if (check_form_open(d, r->ref, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
}

static void referral_decide(struct referral_screen *r, struct desk *d)
{
	struct md_error err;

	if (!r->may_decide) {
		desk_message(d, THEME_ERROR, "%s", r->why_decide.msg);
		return;
	}
	if (r->det->screening_outcome[0]) {
		desk_message(d, THEME_ERROR, "%s was closed at screening (%s): "
			     "there is no decision to make.", r->ref,
			     r->det->screening_outcome);
		return;
	}
	md_clear(&err);
	if (decision_form_open(d, r->ref, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
}

/* E: the details (child, household, referrer, concern, consent) on the
 * contact form; the data layer refuses a decided or closed record. */
static void referral_details(struct referral_screen *r, struct desk *d)
{
	struct md_error err;

	md_clear(&err);
	if (contact_form_open_edit(d, r->ref, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
}

/* Details can still change: open, and the hub would let this user. */
static int referral_details_open(const struct referral_screen *r,
				 struct desk *d)
{
	const char *st = r->det->row.status;

	return !r->det->decided && strcmp(st, "closed") &&
	       strcmp(st, "decided") && strcmp(st, "signoff") &&
	       hub_may(desk_hub(d), HUB_ACT_EDIT_DETAILS, NULL);
}

static void referral_claim(struct referral_screen *r, struct desk *d)
{
	struct md_error err;

	if (!strcmp(r->det->row.assigned_to, desk_info(d)->me.login)) {
		desk_message(d, THEME_NORMAL, "%s is already yours.", r->ref);
		return;
	}
	md_clear(&err);
	if (hub_claim(desk_hub(d), r->ref, &err) != 0)
		desk_message(d, THEME_ERROR, "Not claimed: %s", err.msg);
	else
		desk_message(d, THEME_NORMAL, "Claimed %s: it is yours now.",
			     r->ref);
}

static void referral_signoff(struct referral_screen *r, struct desk *d)
{
	struct md_error err;

	md_clear(&err);
	if (hub_signoff(desk_hub(d), r->ref, &err) != 0)
		desk_message(d, THEME_ERROR, "Not signed off: %s", err.msg);
	else
		desk_message(d, THEME_NORMAL, "Signed off: the decision on %s "
			     "takes effect.", r->ref);
}

static void referral_sendback(struct referral_screen *r, struct desk *d)
{
	if (!r->have_so || strcmp(r->so.status, "signoff")) {
		desk_message(d, THEME_ERROR, "%s has no decision awaiting "
			     "sign-off.", r->ref);
		return;
	}
	note_sendback_open(d, r->ref);
}

/* The agency check with the focus, or NULL. */
static const struct referral_check *referral_focus_check(
	const struct referral_screen *r)
{
	if (r->focus < 0 || r->focus >= r->lay.nstops)
		return NULL;
	int i = r->lay.stops[r->focus].check;
	return i >= 0 && i < r->det->nchecks ? &r->det->checks[i] : NULL;
}

/* A refusal not yet overridden, on the panel with the focus. */
static int referral_overridable(const struct referral_screen *r)
{
	const struct referral_check *c = referral_focus_check(r);
	return c && !strcmp(c->consent, "refused") && !c->override_by[0] &&
	       !r->det->decided;
}

static void referral_override(struct referral_screen *r, struct desk *d)
{
	const struct referral_check *c = referral_focus_check(r);

	if (!c) {
		desk_message(d, THEME_NORMAL, "Tab to the agency panel whose "
			     "consent refusal you would override.");
		return;
	}
	if (!referral_overridable(r)) {
		desk_message(d, THEME_ERROR, "The %s panel records no consent "
			     "refusal to override.", c->agency_name);
		return;
	}
	note_override_open(d, r->ref, c->agency, c->agency_name);
}

/* ---- the front door -------------------------------------------------------- */

/* Still open: not decided, closed at screening or awaiting sign-off. */
static int referral_open_now(const struct referral_screen *r)
{
	const char *st = r->det->row.status;

	return !r->det->decided && strcmp(st, "decided") && strcmp(st, "closed") &&
	       strcmp(st, "signoff");
}

static int referral_is_contact(const struct referral_screen *r)
{
	return !strcmp(r->det->stage, "contact");
}

/* Why the front door's forms would not open on this record now ("" when
 * they would): what the data layer would say, said before the form. */
static void referral_front_state(const struct referral_screen *r, char *buf,
				 size_t len)
{
	char when[CLOCK_ISO_MAX];

	buf[0] = '\0';
	if (r->det->screening_outcome[0]) {
		clock_format_iso(r->det->screened_at, when);
		snprintf(buf, len, "%s was closed at screening by %s at %s (%s).",
			 r->ref, r->det->screened_by, when,
			 r->det->screening_outcome);
	} else if (!referral_open_now(r)) {
		snprintf(buf, len, "%s is decided.", r->ref);
	}
}

/* s: screen the contact. */
static void referral_screen_key(struct referral_screen *r, struct desk *d)
{
	char why[200], when[CLOCK_ISO_MAX];

	referral_front_state(r, why, sizeof why);
	if (!why[0] && !referral_is_contact(r) && r->det->screened_at) {
		clock_format_iso(r->det->screened_at, when);
		snprintf(why, sizeof why, "%s is a referral: screened by %s at "
			 "%s.", r->ref, r->det->screened_by, when);
	} else if (!why[0] && !referral_is_contact(r)) {
		snprintf(why, sizeof why, "%s is a referral already (from before "
			 "the front door).", r->ref);
	}
	if (why[0] && r->may_screen)
		desk_message(d, THEME_ERROR, "%s", why);
	else
		screen_form_open(d, r->det);
}

/* r: rate it, saying why. */
static void referral_rate_key(struct referral_screen *r, struct desk *d)
{
	char why[200];

	referral_front_state(r, why, sizeof why);
	if (why[0] && r->may_rate)
		desk_message(d, THEME_ERROR, "%s Its rating stands.", why);
	else
		rate_form_open(d, r->det);
}

/* a: ask more agencies. */
static void referral_request_key(struct referral_screen *r, struct desk *d)
{
	char why[200], key[ACTION_KEY_NAME_MAX];

	referral_front_state(r, why, sizeof why);
	if (!why[0] && referral_is_contact(r)) {
		action_keys_text(ACTION_SCREEN, 1, key, sizeof key);
		snprintf(why, sizeof why, "%s is a contact: screen it first (%s), "
			 "asking the agencies then.", r->ref, key);
	}
	if (why[0] && r->may_request)
		desk_message(d, THEME_ERROR, "%s", why);
	else
		request_form_open(d, r->det);
}

/* The key bar, drawn after the body: what the hub would refuse now is
 * left out (the keys still work, and say why not). */
static int referral_bar_shows(struct screen *s, struct desk *d, enum action a)
{
	const struct referral_screen *r = s->priv;
	const struct queue_row *row = &r->det->row;

	switch (a) {
	case ACTION_EDIT:
		return referral_can_edit(r, d);
	case ACTION_DECIDE:
		return r->may_decide && !r->det->screening_outcome[0];
	case ACTION_EDIT_DETAILS:
		return referral_details_open(r, d);
	case ACTION_AUDIT:
		return r->may_audit;
	case ACTION_OVERRIDE:
		return referral_overridable(r) &&
		       hub_may(desk_hub(d), HUB_ACT_OVERRIDE, NULL);
	case ACTION_CLAIM:
		return r->may_claim && !row->assigned_to[0] && !r->det->decided &&
		       !r->det->screening_outcome[0];
	/* Enter acts on the focus: named once something has it (at 80
	 * columns its room goes to the referral's own keys until then). */
	case ACTION_OPEN:
		return r->lay.nstops > 0 && r->focus >= 0;
	/* Sign-off and send-back only while a decision awaits sign-off, and
	 * only for those the hub would let (not its decider). */
	case ACTION_SIGNOFF:
		return r->have_so && hub_may_signoff(desk_hub(d), &r->so);
	case ACTION_SENDBACK:
		return r->have_so && !strcmp(r->so.status, "signoff") &&
		       hub_may(desk_hub(d), HUB_ACT_SIGNOFF, NULL);
	/* The front door: screening a contact, rating and asking while open. */
	case ACTION_SCREEN:
		return r->may_screen && referral_is_contact(r) && referral_open_now(r);
	case ACTION_RATE:
		return r->may_rate && referral_open_now(r);
	case ACTION_REQUEST:
		return r->may_request && !referral_is_contact(r) &&
		       referral_open_now(r);
	/* Named while a discussion is due (the key works at any time). */
	case ACTION_STRATEGY:
		return r->may_strategy && row->strategy_due;
	/* Feedback: named while the referrer is owed some. */
	case ACTION_FEEDBACK:
		return r->may_feedback && (r->det->ack_due || r->det->outcome_due);
	default:
		return 1;
	}
}

/* Enter: open the prior referral with the focus; on a panel, as e. */
static void referral_enter(struct referral_screen *r, struct desk *d)
{
	const struct referral_stop *st;
	char ref[MD_REF_MAX];

	if (r->focus < 0) {
		desk_message(d, THEME_NORMAL, "Tab moves to the agency panels "
			     "and prior referrals; Enter opens the one with the "
			     "focus.");
		return;
	}
	st = &r->lay.stops[r->focus];
	if (st->history < 0) {
		referral_edit(r, d);
		return;
	}
	memcpy(ref, r->det->history[st->history].ref, sizeof ref);
	referral_open(d, ref);
}

static int referral_key(struct screen *s, struct desk *d, enum action a,
			int key)
{
	struct referral_screen *r = s->priv;

	(void)key;
	switch (a) {
	case ACTION_NEXT_PANEL: referral_focus_move(r, d, 1); break;
	case ACTION_PREV_PANEL: referral_focus_move(r, d, -1); break;
	case ACTION_EDIT:       referral_edit(r, d); break;
	case ACTION_DECIDE:     referral_decide(r, d); break;
	case ACTION_CLAIM:      referral_claim(r, d); break;
	case ACTION_AUDIT:      audit_open(d, r->ref); break;
	case ACTION_OPEN:       referral_enter(r, d); break;
	case ACTION_SIGNOFF:    referral_signoff(r, d); break;
	case ACTION_SENDBACK:   referral_sendback(r, d); break;
	case ACTION_OVERRIDE:   referral_override(r, d); break;
	case ACTION_SCREEN:       referral_screen_key(r, d); break;
	case ACTION_RATE:         referral_rate_key(r, d); break;
	case ACTION_REQUEST:      referral_request_key(r, d); break;
	case ACTION_EDIT_DETAILS: referral_details(r, d); break;
	case ACTION_STRATEGY:     strategy_form_open(d, r->det); break;
	case ACTION_FEEDBACK:     feedback_form_open(d, r->det); break;
	default:                return referral_scroll(r, a);
	}
	return DESK_REDRAW;
}

/* Idle: read again now and then; redraw only when what shows changed. */
static int referral_tick(struct screen *s, struct desk *d, int force)
{
	struct referral_screen *r = s->priv;
	struct referral_layout fresh;
	struct referral_view v;
	int same;

	if (!force && now_ms() - r->loaded_ms < REFERRAL_TICK_MS)
		return 0;
	/* A referral that is gone (retention removed it) is not kept on
	 * the screen: the desk goes back, the message saying why. */
	if (!referral_reload(r, d, force))
		return r->gone ? DESK_CLOSE | DESK_REDRAW
			       : force ? DESK_REDRAW : 0;
	referral_view_make(r, d, r->lay.cols, &v);
	referral_layout_build(&fresh, r->det, &v);
	same = referral_layout_same(&fresh, &r->lay);
	referral_layout_free(&fresh);
	return same ? 0 : DESK_REDRAW;
}

/* ---- opening and closing ------------------------------------------------ */

static void referral_screen_close(struct screen *s, struct desk *d)
{
	struct referral_screen *r = s->priv;

	(void)d;
	if (!r)
		return;
	hub_referral_free(r->det);
	referral_layout_free(&r->lay);
	free(r->codes);
	free(r);
	s->priv = NULL;
}

static int referral_screen_open(struct screen *s, struct desk *d, void *arg,
				struct md_error *err)
{
	struct referral_screen *r = calloc(1, sizeof *r);

	if (!r)
		return md_fail(err, EX_OSERR, "out of memory opening a "
			       "referral");
	snprintf(r->ref, sizeof r->ref, "%s", (const char *)arg);
	if (hub_referral_get(desk_hub(d), r->ref, &r->det, err) != 0) {
		free(r);
		return err->code ? err->code : EX_SOFTWARE;
	}
	s->priv = r;
	r->focus = -1;
	r->loaded_ms = now_ms();
	codes_load(r, d);
	referral_permissions(r, d);
	referral_signoff_load(r, d);
	return 0;
}

static int referral_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		"The referral",
		"  The lines at the top stay while the rest scrolls: the child, "
		"RAG (R red, A amber, G green), level of need, status, who holds "
		"it and the time left to the decision (\"late\" once it has "
		"passed).",
		"  REPEAT: the child or household was referred before; the "
		"prior history at the end lists every such referral.",
		"  ALLEGED PERPETRATOR marks that person in the household.",
		"",
		"Agency panels",
		"  Every agency has a panel, recorded or not, with its own clock: "
		"the time left to its check, or \"late\".",
		"  Tab and Shift-Tab move the focus between the panels and the "
		"prior referrals; the one with the focus is reversed and marked >.",
		"  Your own agency's panel says \"yours\": e (or Enter on it) "
		"records your agency's check.  Other agencies' panels are read "
		"only: their information belongs to them.",
		"  RESTRICTED: hub only - visible in the hub, never to be passed "
		"outside it.",
		"",
		"The front door",
		"  Everything taken in is a contact. Checks (in the header): each "
		"agency asked and its check's state: done, the time left, or LATE "
		"and by how long.",
		"  s screens a contact: progress it to the hub's checks (RAG, level, "
		"the agencies to ask, why) or close it (an outcome, why). r changes "
		"the RAG rating, saying why; a asks more agencies. Children's social "
		"care by default.",
		"  Raising the rating brings the decision's and the open checks' due "
		"times forward to the new RAG's timescales from now (never later); "
		"lowering it keeps them. Every rating is kept: RAG ratings shows "
		"who, when, from, to and why.",
	};

	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops referral_screen_ops = {
	.name = "Referral",
	.kind = SCREEN_REFERRAL,
	.open = referral_screen_open,
	.draw = referral_draw,
	.key = referral_key,
	.tick = referral_tick,
	.bar_shows = referral_bar_shows,
	.help_extra = referral_help_extra,
	.close = referral_screen_close,
};

int referral_open(struct desk *d, const char *ref)
{
	char copy[MD_REF_MAX];

	snprintf(copy, sizeof copy, "%s", ref);
	return desk_push(d, &referral_screen_ops, copy);
}
