/* referral_sections.c - the referral screen's sections below the header
 * (pure, like referral_layout.c): the child, the concern, the household,
 * the referrer and consent; one panel per agency; the decision; the prior
 * history.
 *
 * Every agency has a panel whether or not it has recorded anything, so a
 * missing check is as visible as a late one.  From REFERRAL_TWO_COLUMNS
 * columns on the panels go two abreast: they are what a practitioner
 * compares, and extra width is best spent showing more of them at once.
 * Each panel and each prior referral is a Tab stop; the one with the focus
 * is drawn reversed and marked ">", so it shows without colour. */
#include "rlay.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_signoff.h"
#include "mashdesk/text.h"

#define COLUMN_GAP 3
#define RESTRICTED_MARK "RESTRICTED: hub only"
#define PERPETRATOR_MARK "ALLEGED PERPETRATOR"

/* ---- the child, the concern, the people --------------------------------- */

static void child_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char buf[256];

	rlay_heading(b, "Child", NULL);
	rlay_field(b, "Name", d->row.child_name, THEME_NORMAL);
	rlay_field_opt(b, "Also known as", d->aliases);
	snprintf(buf, sizeof buf, "%.12s%s", d->row.dob,
		 d->row.dob_estimated ? " (expected date of delivery)" : "");
	rlay_field(b, d->row.dob_estimated ? "Due" : "Born", buf, THEME_NORMAL);
	rlay_field_opt(b, "Gender", d->gender);
	rlay_field_opt(b, "Ethnicity", d->ethnicity);
	if (d->language[0] || d->interpreter) {
		snprintf(buf, sizeof buf, "%.200s%s%s", d->language,
			 d->language[0] && d->interpreter ? "; " : "",
			 d->interpreter ? "needs an interpreter" : "");
		rlay_field(b, "Language", buf, THEME_NORMAL);
	}
	rlay_field_opt(b, "Disability", d->disability);
	rlay_field(b, "Address", d->address, THEME_NORMAL);
	rlay_field_opt(b, "Former address", d->previous_address);
	rlay_field_opt(b, "School", d->school);
	rlay_field_opt(b, "GP", d->gp);
	rlay_field_opt(b, "NHS number", d->nhs_number);
	rlay_field_opt(b, "Pupil number", d->upn);
	if (d->allocated_worker[0])
		rlay_field(b, "Social worker", d->allocated_worker,
			   THEME_ALERT);
}

/* "Name, relationship, born DATE, parental responsibility" */
static void person_add(struct rlay *b, const struct referral_person *p)
{
	char name[3 * MD_NAME_MAX], rel[3 * MD_NAME_MAX], dob[40];
	char text[4 * 3 * MD_NAME_MAX];

	rlay_short(b->l, p->name, name, sizeof name);
	rlay_short(b->l, p->relationship, rel, sizeof rel);
	rlay_short(b->l, p->dob, dob, sizeof dob);
	snprintf(text, sizeof text, "%s, %s%s%s%s%s", name,
		 rel[0] ? rel : "relationship not given",
		 dob[0] ? ", born " : "", dob,
		 p->parental_responsibility ? ", parental responsibility" : "",
		 p->household ? "" : ", lives elsewhere");
	rlay_para(b, RLAY_LABEL_X, text,
		  p->alleged_perpetrator ? PERPETRATOR_MARK : NULL);
}

static void people_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;

	rlay_heading(b, "Household and significant adults", NULL);
	for (int i = 0; i < d->npeople; i++)
		person_add(b, &d->people[i]);
	if (d->npeople == 0)
		rlay_note(b, RLAY_LABEL_X, "None recorded.", THEME_DIM);
}

static void referrer_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char when[40];

	rlay_heading(b, "Referrer", NULL);
	rlay_field(b, "Name", d->referrer, THEME_NORMAL);
	rlay_field_opt(b, "Role", d->referrer_role);
	rlay_field_opt(b, "Agency", d->referrer_agency);
	rlay_field_opt(b, "Contact", d->referrer_contact);
	rlay_when(d->row.received_at, 1, when, sizeof when);
	rlay_field(b, "Received", when, THEME_NORMAL);
}

static void consent_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;

	rlay_heading(b, "Consent", NULL);
	rlay_field(b, "Parents aware", d->parents_aware < 0 ? "not known" :
		   d->parents_aware ? "yes" : "no", THEME_NORMAL);
	rlay_field(b, "Consent", d->consent[0] ?
		   rlay_code(b, "consent_position", d->consent) : "not recorded",
		   d->consent[0] ? THEME_NORMAL : THEME_DIM);
	rlay_field_opt(b, "Reason", d->consent_reason);
}

/* The child and what happened to them. */
static void about_child(struct rlay *b)
{
	const struct referral_detail *d = b->d;

	child_add(b);
	rlay_heading(b, "Concern", NULL);
	rlay_field(b, "What happened", d->concern, THEME_NORMAL);
	rlay_field(b, "Impact", d->impact, THEME_NORMAL);
	rlay_field(b, "Tried so far", d->tried, THEME_NORMAL);
	rlay_field(b, "Going well", d->strengths, THEME_NORMAL);
	rlay_field(b, "Category", rlay_code(b, "category", d->category),
		   THEME_NORMAL);
	rlay_field(b, "Source", rlay_code(b, "source", d->source), THEME_NORMAL);
}

/* The people around the child, who referred, and consent. */
static void about_people(struct rlay *b)
{
	people_add(b);
	referrer_add(b);
	consent_add(b);
}

/* Build one part apart, as wide as its column, and copy it in at line
 * first, column x.  Returns its height. */
static int part_place(struct rlay *b, void (*part)(struct rlay *, int),
		      int arg, int cols, int first, int x)
{
	struct referral_layout t = { .cols = cols, .ascii = b->l->ascii };
	struct rlay tb = { &t, b->v, b->d };
	int n;

	part(&tb, arg);
	rlay_merge(b->l, &t, first, x);
	n = t.n;
	referral_layout_free(&t);
	return n;
}

static void about_part(struct rlay *b, int which)
{
	if (which == 0)
		about_child(b);
	else
		about_people(b);
}

void rlay_add_about(struct rlay *b)
{
	struct referral_layout *l = b->l;
	int colw = (l->cols - COLUMN_GAP) / 2, first, n0, n1;

	if (l->cols < REFERRAL_TWO_COLUMNS) {
		about_child(b);
		about_people(b);
		return;
	}
	first = l->n;
	n0 = part_place(b, about_part, 0, colw, first, 0);
	n1 = part_place(b, about_part, 1, colw, first, colw + COLUMN_GAP);
	while (l->n < first + (n0 > n1 ? n0 : n1) && rlay_line(l) >= 0)
		;
}

/* ---- one agency's panel ------------------------------------------------- */

static const char *edit_key(const struct rlay *b)
{
	return b->v->edit_key && b->v->edit_key[0] ? b->v->edit_key : "e";
}

/* The panel's clock in a few words, and whether it is late. */
static int check_clock(const struct referral_check *c, long long now,
		       char *buf, size_t len)
{
	char left[32];

	if (!c->recorded) {
		snprintf(buf, len, "no check requested");
		return 0;
	}
	if (c->completed_at) {
		snprintf(buf, len, "done");
		return 0;
	}
	if (!c->due_at) {
		snprintf(buf, len, "no deadline");
		return 0;
	}
	clock_format_left(c->due_at, now, left, sizeof left);
	if (c->overdue || c->due_at <= now) {
		snprintf(buf, len, "%s", left);
		return 1;
	}
	snprintf(buf, len, "%s left", left);
	return 0;
}

/* "> Police - yours (e edits)    RESTRICTED: hub only        3h 20m left" */
static void panel_title(struct rlay *b, const struct referral_check *c,
			int focused, int mine)
{
	struct referral_layout *l = b->l;
	enum theme_role base = focused ? THEME_SELECTED : THEME_HEADER;
	char name[200], left[300], right[64];
	int late = check_clock(c, b->v->now, right, sizeof right);
	int i = rlay_line(l), rw = text_width(right) + 1, aw = 0, lw, x;

	rlay_short(l, c->agency_name[0] ? c->agency_name : c->agency, name,
		   sizeof name);
	snprintf(left, sizeof left, "%s %s%s%s%s", focused ? ">" : " ", name,
		 !mine ? " - read only" : " - yours",
		 mine && b->v->can_edit ? " - edit with " : "",
		 mine && b->v->can_edit ? edit_key(b) : "");
	lw = text_width(left) + 2;
	if (c->restricted)
		aw = text_width(RESTRICTED_MARK);
	if (lw + aw > l->cols - rw)
		aw = 0;                 /* no room: on a line of its own below */
	if (lw > l->cols - rw - aw)
		lw = l->cols - rw - aw;
	x = rlay_span(l, i, 0, lw, left, base, base);
	if (aw)
		x = rlay_span(l, i, x, aw, RESTRICTED_MARK, THEME_ALERT, base);
	x = rlay_span(l, i, x, l->cols - rw - x, "", base, base);
	rlay_span(l, i, x, rw, right, late ? THEME_OVERDUE : base, base);
	if (c->restricted && !aw)
		rlay_note(b, RLAY_LABEL_X, RESTRICTED_MARK, THEME_ALERT);
}

/* "22 Nov 2025 14:05, 3h 20m left" / "..., late 2h" / "done 22 Nov ..." */
static int check_due(const struct rlay *b, const struct referral_check *c,
		     char *buf, size_t len)
{
	char due[40], done[40], left[32];
	int late;

	if (!c->due_at) {
		snprintf(buf, len, "no deadline set");
		return 0;
	}
	rlay_when(c->due_at, 1, due, sizeof due);
	if (c->completed_at) {
		rlay_when(c->completed_at, 1, done, sizeof done);
		snprintf(buf, len, "%s; done %s%s", due, done,
			 c->completed_at > c->due_at ? ", after the deadline"
						     : "");
		return 0;
	}
	late = c->overdue || c->due_at <= b->v->now;
	clock_format_left(c->due_at, b->v->now, left, sizeof left);
	snprintf(buf, len, "%s, %s%s", due, left, late ? "" : " left");
	return late;
}

static void panel_body(struct rlay *b, const struct referral_check *c,
		       int mine)
{
	char buf[256], when[40];
	int late;

	if (!c->recorded) {
		/* The title says "no check requested"; one line per silent
		 * agency keeps the ones that did answer in view. */
		char hint[96];
		snprintf(hint, sizeof hint, "Nothing recorded yet: %s records "
			 "your agency's check.", edit_key(b));
		if (mine && b->v->can_edit)
			rlay_note(b, RLAY_LABEL_X, hint, THEME_DIM);
		return;
	}
	rlay_field(b, "Status", rlay_code(b, "check_status", c->status),
		   THEME_NORMAL);
	if (c->requested_by[0]) {       /* the front door asked for it */
		char who[3 * MD_LOGIN_MAX], asked[RLAY_TEXT_MAX];
		rlay_when(c->requested_at, 1, when, sizeof when);
		rlay_short(b->l, c->requested_by, who, sizeof who);
		const char *why = c->request_reason ? c->request_reason : "";
		snprintf(asked, sizeof asked, "by %.64s, %s%s%.1024s", who, when,
			 why[0] ? ": " : "", why);
		rlay_field(b, "Asked", asked, THEME_NORMAL);
	}
	late = check_due(b, c, buf, sizeof buf);
	rlay_field(b, "Due", buf, late ? THEME_OVERDUE : THEME_NORMAL);
	rlay_field(b, "Shared", c->info[0] ? c->info : "nothing shared yet",
		   c->info[0] ? THEME_NORMAL : THEME_DIM);
	rlay_field(b, "Lawful basis", c->basis[0] ?
		   rlay_code(b, "lawful_basis", c->basis) : "not recorded",
		   c->basis[0] ? THEME_NORMAL : THEME_DIM);
	rlay_field(b, "Consent", c->consent[0] ?
		   rlay_code(b, "consent_position", c->consent) : "not recorded",
		   c->consent[0] ? THEME_NORMAL : THEME_DIM);
	rlay_field_opt(b, "Reason", c->consent_reason);
	if (c->override_by[0]) {
		snprintf(buf, sizeof buf, "refusal overridden by %.64s",
			 c->override_by);
		rlay_field(b, "Override", buf, THEME_NORMAL);
		rlay_field_opt(b, "Why", c->override_reason);
	}
	rlay_field(b, "Handling", c->handling[0] ?
		   rlay_code(b, "handling_code", c->handling) : "not recorded",
		   c->handling[0] ? THEME_NORMAL : THEME_DIM);
	/* Asked and not yet touched by the agency: nobody shared anything. */
	if (c->requested_by[0] && c->updated_at == c->requested_at &&
	    !strcmp(c->updated_by, c->requested_by))
		return;
	rlay_when(c->updated_at, 1, when, sizeof when);
	snprintf(buf, sizeof buf, "%.64s, %s", c->updated_by[0] ?
		 c->updated_by : "?", when);
	rlay_field(b, "Shared by", buf, THEME_NORMAL);
}

/* Panel i alone, into a layout as wide as its column. */
static void panel_build(struct rlay *b, int i)
{
	const struct referral_check *c = &b->d->checks[i];
	const char *my = b->v->my_agency ? b->v->my_agency : "";
	int mine = my[0] && !strcmp(c->agency, my);

	panel_title(b, c, b->v->focus == i, mine);
	panel_body(b, c, mine);
}

/* Panel i built apart and copied in at line first, column x: a stop. */
static int panel_place(struct rlay *b, int i, int cols, int first, int x)
{
	struct referral_layout *l = b->l;
	struct referral_stop *st;
	int n = part_place(b, panel_build, i, cols, first, x);

	if (l->nstops < REFERRAL_STOPS_MAX) {
		st = &l->stops[l->nstops++];
		st->first = first - l->nhead;
		st->last = first - l->nhead + (n > 0 ? n - 1 : 0);
		st->x = x;
		st->check = i;
		st->history = -1;
	}
	return n;
}

void rlay_add_panels(struct rlay *b)
{
	struct referral_layout *l = b->l;
	int two = l->cols >= REFERRAL_TWO_COLUMNS;
	int per_row = two ? 2 : 1;
	int colw = two ? (l->cols - COLUMN_GAP) / 2 : l->cols;

	rlay_heading(b, "Agency checks", "Tab moves between the panels");
	for (int i = 0; i < b->d->nchecks && !l->failed; i += per_row) {
		int first, tallest = 0;

		if (i > 0)
			rlay_line(l);
		first = l->n;
		for (int k = 0; k < per_row && i + k < b->d->nchecks; k++) {
			int n = panel_place(b, i + k, colw, first,
					    k ? colw + COLUMN_GAP : 0);
			if (n > tallest)
				tallest = n;
		}
		while (l->n < first + tallest && rlay_line(l) >= 0)
			;
	}
}

/* ---- the decision and the history --------------------------------------- */

static void actions_add(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char text[RLAY_TEXT_MAX], owner[3 * MD_NAME_MAX], due[40];

	for (int i = 0; i < d->nactions; i++) {
		const struct referral_action *a = &d->actions[i];
		rlay_short(b->l, a->owner, owner, sizeof owner);
		rlay_short(b->l, a->due, due, sizeof due);
		snprintf(text, sizeof text, "%.1024s (%s%s%s)", a->what,
			 owner[0] ? owner : "no owner", due[0] ? ", due " : "",
			 due);
		rlay_field(b, i ? "" : "Actions", text, THEME_NORMAL);
	}
}

/* A send-back matters most while the new decision is still to be made. */
static enum theme_role d_decided_role(const struct signoff_state *s)
{
	return s->decided ? THEME_DIM : THEME_ALERT;
}

/* The two-person rule: who signed, or that it waits; the last send-back
 * and its comment, which the next decider must see. */
static void signoff_add(struct rlay *b)
{
	const struct signoff_state *s = b->v->signoff;
	char buf[MD_LOGIN_MAX + 160], when[40];

	if (!s)
		return;
	if (!strcmp(s->status, "signoff")) {
		snprintf(buf, sizeof buf, "AWAITING SIGN-OFF by a supervisor other "
			 "than %.64s (S signs off, B sends back)",
			 s->decided_by[0] ? s->decided_by : "the decider");
		rlay_field(b, "Sign-off", buf, THEME_ALERT);
	} else if (s->signed_by[0]) {
		rlay_when(s->signed_at, 1, when, sizeof when);
		snprintf(buf, sizeof buf, "%.64s, %s", s->signed_by, when);
		rlay_field(b, "Signed off by", buf, THEME_NORMAL);
	}
	if (s->sendbacks) {
		rlay_when(s->sent_back_at, 1, when, sizeof when);
		snprintf(buf, sizeof buf, "%.64s, %s (was %.32s)%s", s->sent_back_by,
			 when, s->sent_back_outcome, s->sendbacks > 1 ?
			 ", and earlier" : "");
		rlay_field(b, "Sent back by", buf, d_decided_role(s));
		rlay_field(b, "Comment", s->comment, d_decided_role(s));
	}
}

void rlay_add_decision(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char buf[128], when[40];

	rlay_heading(b, "Decision", NULL);
	if (!d->decided) {
		rlay_note(b, RLAY_LABEL_X, "Not decided yet.", THEME_DIM);
		signoff_add(b);
		return;
	}
	rlay_field(b, "Outcome", rlay_code(b, "outcome", d->outcome),
		   THEME_HEADER);
	rlay_field(b, "Rationale", d->rationale, THEME_NORMAL);
	rlay_field_opt(b, "Agencies", d->decision_agencies);
	actions_add(b);
	rlay_field_opt(b, "Feedback", d->feedback);
	rlay_when(d->decided_at, 1, when, sizeof when);
	snprintf(buf, sizeof buf, "%.64s, %s", d->decided_by[0] ?
		 d->decided_by : "?", when);
	rlay_field(b, "Decided by", buf, THEME_NORMAL);
	signoff_add(b);
}

/* An open referral's "outcome" is its status: name whichever it is. */
static const char *link_outcome(const struct rlay *b, const char *code)
{
	const char *name = rlay_code(b, "outcome", code);

	return name != code ? name : rlay_code(b, "referral_status", code);
}

void rlay_add_history(struct rlay *b)
{
	struct referral_layout *l = b->l;
	const struct referral_detail *d = b->d;
	char text[RLAY_TEXT_MAX], when[40], ref[64], name[3 * MD_NAME_MAX];

	rlay_heading(b, "Prior history", d->nhistory ?
		     "Tab to one, Enter opens it" : NULL);
	if (d->nhistory == 0)
		rlay_note(b, RLAY_LABEL_X, "No other referral of this child or "
			  "household.", THEME_DIM);
	for (int k = 0; k < d->nhistory && !l->failed; k++) {
		const struct referral_link *h = &d->history[k];
		int stop = l->nstops, first, last;

		rlay_when(h->received_at, 0, when, sizeof when);
		rlay_short(l, h->ref, ref, sizeof ref);
		rlay_short(l, h->child_name, name, sizeof name);
		snprintf(text, sizeof text, "%s  %s  %s - %.128s - %s", ref, when,
			 name, link_outcome(b, h->outcome),
			 h->same_child ? "same child" : "same address");
		rlay_entry(b, RLAY_LABEL_X, text, b->v->focus == stop, &first,
			   &last);
		if (stop < REFERRAL_STOPS_MAX) {
			struct referral_stop *st = &l->stops[l->nstops++];
			*st = (struct referral_stop){ first, last, 0, -1, k };
		}
	}
}

/* A case transferred in: why it left the sending hub and what that hub
 * knew, as it arrived (read-only), a paragraph per line. */
void rlay_add_transfer(struct rlay *b)
{
	const struct referral_detail *d = b->d;
	char line[RLAY_TEXT_MAX];

	if (d->transferred_to[0]) {
		rlay_heading(b, "Transfer", NULL);
		rlay_field_opt(b, "Reason", d->transfer_reason ?
			       d->transfer_reason : "");
	}
	if (!d->transfer_history || !d->transfer_history[0])
		return;
	rlay_heading(b, "Sending hub's history", "as it arrived; read-only");
	for (const char *p = d->transfer_history; *p && !b->l->failed;) {
		size_t k = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(k < sizeof line ? k
			 : sizeof line - 1), p);
		rlay_para(b, RLAY_LABEL_X, line, NULL);
		p += k + (p[k] ? 1 : 0);
	}
}
