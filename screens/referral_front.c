/* referral_front.c - the front door on the referral screen (pure, like
 * referral_layout.c): the header's line of checks -- every agency asked
 * and where its check stands, so at 80x24 who has answered shows without
 * scrolling to the panels -- and the Screening, RAG ratings and Strategy
 * discussions sections.
 *
 * Meaning is never colour alone: a late check says LATE, a done one
 * "done", the others their time left. */
#include "rlay.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mashdesk/actions.h"
#include "mashdesk/clock.h"
#include "mashdesk/text.h"

#define CHECKS_ITEMS_MAX ((REFERRAL_SPANS_MAX - 2) / 2)   /* spans per line */

/* ---- the header's line of checks -------------------------------------------- */

/* An agency's short name from its code: "csc" -> "CSC", "police" ->
 * "Police", "education" -> "Educ." (codes are [a-z] and '-', so a byte
 * is a column). */
static void short_agency(const char *code, char *buf, size_t len)
{
	size_t n = strlen(code);

	if (n <= 3) {
		size_t i;
		for (i = 0; i < n && i + 1 < len; i++)
			buf[i] = (char)toupper((unsigned char)code[i]);
		buf[i] = '\0';
		return;
	}
	if (n > 7)
		snprintf(buf, len, "%.4s.", code);
	else
		snprintf(buf, len, "%s", code);
	buf[0] = (char)toupper((unsigned char)buf[0]);
}

/* Where one check stands, in a word or two; 1 when it is late. */
static int check_state(const struct referral_check *c, long long now,
		       char *buf, size_t len)
{
	char left[32];

	if (c->completed_at) {
		snprintf(buf, len, "done");
		return 0;
	}
	if (!c->due_at) {
		snprintf(buf, len, "asked");
		return 0;
	}
	clock_format_left(c->due_at, now, left, sizeof left);
	if (c->overdue || c->due_at <= now) {
		/* "late 3h" -> "LATE 3h": it stands out on any terminal */
		for (char *p = left; *p && *p != ' '; p++)
			*p = (char)toupper((unsigned char)*p);
		snprintf(buf, len, "%s", left);
		return 1;
	}
	snprintf(buf, len, "%s", left);
	return 0;
}

/* Whether check i is shown: the agencies asked; on a record that asked
 * none (from before the front door), those that recorded a check. */
static int check_shown(const struct referral_detail *d, int i, int asked)
{
	return asked ? d->checks[i].requested_by[0] != '\0' : d->checks[i].recorded;
}

void rlay_add_checks_line(struct rlay *b)
{
	struct referral_layout *l = b->l;
	const struct referral_detail *d = b->d;
	int asked = 0, total = 0, shown = 0, i = rlay_line(l), x;

	for (int k = 0; k < d->nchecks; k++)
		asked += d->checks[k].requested_by[0] != '\0';
	for (int k = 0; k < d->nchecks; k++)
		total += check_shown(d, k, asked);
	x = rlay_span(l, i, 1, 7, "Checks:", THEME_NORMAL, THEME_NORMAL) + 1;
	if (total == 0) {
		const char *none = !strcmp(d->stage, "contact") && !d->screened_at
			? "none asked yet: the contact is not screened"
			: "none asked";
		rlay_span(l, i, x, text_width(none), none, THEME_DIM, THEME_NORMAL);
		return;
	}
	for (int k = 0; k < d->nchecks; k++) {
		char name[16], state[40], more[24];
		int late, nw, sw, rest = total - shown;
		if (!check_shown(d, k, asked))
			continue;
		short_agency(d->checks[k].agency, name, sizeof name);
		late = check_state(&d->checks[k], b->v->now, state, sizeof state);
		nw = text_width(name);
		sw = text_width(state);
		snprintf(more, sizeof more, "+%d more", rest);
		/* room for this one, and for "+N more" after it unless last */
		if (shown == CHECKS_ITEMS_MAX ||
		    x + nw + 1 + sw + (rest > 1 ? 2 + text_width(more) : 0) >
		    l->cols - 1) {
			rlay_span(l, i, x, text_width(more), more, THEME_DIM,
				  THEME_NORMAL);
			return;
		}
		x = rlay_span(l, i, x, nw, name, THEME_NORMAL, THEME_NORMAL) + 1;
		x = rlay_span(l, i, x, sw, state, late ? THEME_OVERDUE : THEME_NORMAL,
			      THEME_NORMAL) + 2;
		shown++;
	}
}

/* ---- the Screening and RAG ratings sections --------------------------------- */

/* "Red" from "red": the words the timeline reads in. */
static void rag_word(const char *code, char *buf, size_t len)
{
	snprintf(buf, len, "%s", code[0] ? code : "not rated");
	if (code[0])
		buf[0] = (char)toupper((unsigned char)buf[0]);
}

static void screening_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char when[40], who[MD_LOGIN_MAX * 3], buf[RLAY_TEXT_MAX];
	const char *reason = d->screening_reason ? d->screening_reason : "";
	int contact = !strcmp(d->stage, "contact");

	rlay_heading(b, "Screening", NULL);
	if (!d->screened_at) {
		rlay_field(b, "Stage", contact ? "Contact: not screened yet"
			   : "Referral (from before the front door)",
			   contact ? THEME_ALERT : THEME_NORMAL);
		return;
	}
	rlay_field(b, "Stage", contact ? "Contact: closed at screening"
		   : "Referral", THEME_NORMAL);
	rlay_when(d->screened_at, 1, when, sizeof when);
	rlay_short(b->l, d->screened_by, who, sizeof who);
	if (d->screening_outcome[0])
		snprintf(buf, sizeof buf, "%s by %s: closed, %s", when, who,
			 rlay_code(b, "screening_outcome", d->screening_outcome));
	else if (!reason[0])
		snprintf(buf, sizeof buf, "%s by %s: progressed by the decision",
			 when, who);
	else
		snprintf(buf, sizeof buf, "%s by %s: progressed to the hub's "
			 "checks", when, who);
	rlay_field(b, "Screened", buf, THEME_NORMAL);
	rlay_field_opt(b, "Reason", reason);
}

static void ratings_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;

	rlay_heading(b, "RAG ratings", d->nratings ? "oldest first" : NULL);
	if (d->nratings == 0) {
		rlay_note(b, RLAY_LABEL_X, "None recorded.", THEME_DIM);
		return;
	}
	for (int i = 0; i < d->nratings; i++) {
		const struct referral_rating *g = &d->ratings[i];
		char label[32], to[40], from[40], who[MD_LOGIN_MAX * 3];
		char text[RLAY_TEXT_MAX];
		time_t t = (time_t)g->at;
		struct tm tm;
		if (!localtime_r(&t, &tm) ||
		    !strftime(label, sizeof label, "%d %b %H:%M", &tm))
			snprintf(label, sizeof label, "-");
		rag_word(g->to, to, sizeof to);
		rag_word(g->from, from, sizeof from);
		rlay_short(b->l, g->by, who, sizeof who);
		snprintf(text, sizeof text, "%s%s%s by %s: %.1500s", to,
			 !g->from[0] ? "" : strcmp(g->from, g->to) ? ", was "
			 : ", confirmed", g->from[0] && strcmp(g->from, g->to)
			 ? from : "", who, g->reason ? g->reason : "");
		rlay_field(b, label, text, THEME_NORMAL);
	}
}

/* Strategy discussions (hub_strategy.h), shown once the threshold is met
 * or one is held: what is due, then each in the order held. */
static void strategy_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	const struct queue_row *w = &d->row;
	char when[40], buf[RLAY_TEXT_MAX], who[MD_LOGIN_MAX * 3];

	if (!d->strategy_from && !d->nstrategies && !w->strategy_due)
		return;
	rlay_heading(b, "Strategy discussions", d->nstrategies > 1
		     ? "in the order held" : NULL);
	if (w->strategy_due) {
		char key[ACTION_KEY_NAME_MAX];
		action_keys_text(ACTION_STRATEGY, 1, key, sizeof key);
		rlay_when(w->strategy_due, 1, when, sizeof when);
		snprintf(buf, sizeof buf, "%s %s%s; %s records it", w->strategy_late
			 ? "LATE: was due" : "Due by", when, d->nstrategies
			 ? " (reconvened)" : "", key);
		rlay_field(b, "Next", buf, w->strategy_late ? THEME_OVERDUE
			   : THEME_ALERT);
	}
	for (int i = 0; i < d->nstrategies; i++) {
		const struct referral_strategy *g = &d->strategies[i];
		rlay_when(g->held_at, 1, when, sizeof when);
		rlay_short(b->l, g->recorded_by, who, sizeof who);
		snprintf(buf, sizeof buf, "%s, %s: %s%s%s%s", when, g->how,
			 g->decision, g->instead[0] ? " (instead: " : "",
			 g->instead, g->instead[0] ? ")" : "");
		rlay_field(b, "Held", buf, THEME_NORMAL);
		rlay_field_opt(b, "Attended", g->attended);
		rlay_field_opt(b, "Missing", g->missing_reason);
		rlay_field_opt(b, "Shared", g->summary);
		for (int k = 0; k < g->nactions; k++) {
			const struct referral_action *a = &g->actions[k];
			snprintf(buf, sizeof buf, "%.600s (%.100s, by %s)", a->what,
				 a->owner, a->due);
			rlay_field(b, "Action", buf, THEME_NORMAL);
		}
		snprintf(buf, sizeof buf, "%s%s", who, g->reconvene
			 ? "; to reconvene" : "");
		rlay_field(b, "Recorded by", buf, THEME_DIM);
	}
}

/* Feedback to the referrer: each clock still running ("Due" with the
 * time left, late in the alert colour), then what was given, oldest
 * first. */
static void feedback_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	const long long due[2] = { d->ack_due, d->outcome_due };
	const char *const what[2] = { "Acknowledge", "Tell outcome" };

	rlay_heading(b, "Feedback to the referrer", d->ngiven ? "oldest first"
		     : NULL);
	for (int k = 0; k < 2; k++) {
		char when[40], left[32], text[96];
		if (!due[k])
			continue;
		rlay_when(due[k], 1, when, sizeof when);
		clock_format_left(due[k], b->v->now, left, sizeof left);
		snprintf(text, sizeof text, "due %s (%s)", when, left);
		rlay_field(b, what[k], text, due[k] <= b->v->now ? THEME_ALERT
			   : THEME_NORMAL);
	}
	if (d->ngiven == 0 && !due[0] && !due[1]) {
		rlay_note(b, RLAY_LABEL_X, "None recorded.", THEME_DIM);
		return;
	}
	for (int i = 0; i < d->ngiven; i++) {
		const struct referral_feedback *f = &d->given[i];
		char label[32], who[MD_LOGIN_MAX * 3], text[RLAY_TEXT_MAX];
		time_t t = (time_t)f->at;
		struct tm tm;
		if (!localtime_r(&t, &tm) ||
		    !strftime(label, sizeof label, "%d %b %H:%M", &tm))
			snprintf(label, sizeof label, "-");
		rlay_short(b->l, f->by, who, sizeof who);
		snprintf(text, sizeof text, "%s by %s, %s: %.1800s", f->kind,
			 f->method, who, f->text ? f->text : "");
		rlay_field(b, label, text, THEME_NORMAL);
	}
}

void rlay_add_front(struct rlay *b)
{
	screening_add(b);
	ratings_add(b);
	strategy_add(b);
	feedback_add(b);
}
