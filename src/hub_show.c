/* hub_show.c - everything the acting user may see of one referral, as
 * (section, field, value) triples for `mashdesk show` and the desk's
 * read-only details.  No SQL here: the referral is read by hub_detail.c,
 * the same read as the desk's referral screen, and laid out below.
 *
 * It stays in the data layer, rather than beside the command line, because
 * what it writes leaves the hub: entries an agency marked restricted are
 * visible at the desk only, so their text is not even read for this path
 * (HUB_READ_SHOW), and a marker stands in its place.  Every show is
 * audited as a view of its own. */
#include "hub_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"

typedef int (*show_cb)(const char *section, const char *field,
		       const char *value, void *arg);

#define RESTRICTED_MARK "[restricted: visible at the desk only]"

/* ---- the referral itself -------------------------------------------------- */

/* Its fields, each with its section, in order; "" is left out. */
static int show_referral(const struct referral_detail *d, show_cb cb,
			 void *arg)
{
	const struct queue_row *w = &d->row;
	char received[CLOCK_ISO_MAX], due[CLOCK_ISO_MAX], decided[CLOCK_ISO_MAX] = "";
	char level[16] = "";
	clock_format_iso(w->received_at, received);
	clock_format_iso(w->due_at, due);
	if (w->decided_at)
		clock_format_iso(w->decided_at, decided);
	if (w->level)
		snprintf(level, sizeof level, "%d", w->level);
	const struct { const char *section, *field, *value; } f[] = {
		{ "referral", "ref", w->ref }, { "referral", "status", w->status },
		{ "referral", "rag", w->rag }, { "referral", "level", level },
		{ "referral", "received", received }, { "referral", "due", due },
		{ "referral", "decided", decided },
		{ "referral", "assigned_to", w->assigned_to },
		{ "referral", "repeat_of", d->repeat_of },
		{ "child", "name", w->child_name }, { "child", "aliases", d->aliases },
		{ "child", "dob", w->dob },
		{ "child", "dob_estimated", w->dob_estimated ? "yes (expected date)" : "" },
		{ "child", "gender", d->gender }, { "child", "ethnicity", d->ethnicity },
		{ "child", "language", d->language },
		{ "child", "interpreter", d->interpreter ? "needed" : "" },
		{ "child", "disability", d->disability }, { "child", "address", d->address },
		{ "child", "previous_address", d->previous_address },
		{ "child", "school", d->school }, { "child", "gp", d->gp },
		{ "child", "nhs_number", d->nhs_number }, { "child", "upn", d->upn },
		{ "child", "allocated_worker", d->allocated_worker },
		{ "referrer", "name", d->referrer }, { "referrer", "role", d->referrer_role },
		{ "referrer", "agency", d->referrer_agency },
		{ "referrer", "contact", d->referrer_contact },
		{ "referrer", "source", d->source },
		{ "concern", "category", d->category }, { "concern", "concern", d->concern },
		{ "concern", "impact", d->impact }, { "concern", "tried", d->tried },
		{ "concern", "strengths", d->strengths },
		{ "consent", "parents_aware", d->parents_aware == 1 ? "yes"
		  : d->parents_aware == 0 ? "no" : "" },
		{ "consent", "consent", d->consent },
		{ "consent", "reason", d->consent_reason },
	};
	int status = 0;
	for (size_t i = 0; status == 0 && i < sizeof f / sizeof f[0]; i++)
		if (*f[i].value)
			status = cb(f[i].section, f[i].field, f[i].value, arg);
	return status;
}

/* ---- its parts, one line each ------------------------------------------------ */

/* A line's value: its parts joined with "; ", cut at 4095 bytes. */
struct show_line {
	char value[4096];
	size_t n;
};

/* Add the part a b c d (the pieces written one after another). */
static void line_add4(struct show_line *l, const char *a, const char *b,
		      const char *c, const char *d)
{
	size_t room = l->n < sizeof l->value ? sizeof l->value - l->n : 0;
	l->n += (size_t)snprintf(l->value + l->n, room, "%s%s%s%s%s",
				 l->n ? "; " : "", a, b, c, d);
	if (l->n >= sizeof l->value)
		l->n = sizeof l->value - 1;
}

/* Add prefix and text, unless text is "" (not recorded). */
static void line_add(struct show_line *l, const char *prefix, const char *text)
{
	if (*text)
		line_add4(l, prefix, text, "", "");
}

/* A time as SQLite's strftime('%Y-%m-%dT%H:%M:%SZ') writes it (UTC);
 * date_only: just the date.  (Room for any int in each field.) */
#define UTC_MAX 80
static const char *utc(long long t, int date_only, char buf[UTC_MAX])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return "";
	if (date_only)
		snprintf(buf, UTC_MAX, "%04d-%02d-%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday);
	else
		snprintf(buf, UTC_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

static int show_people(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->npeople; i++) {
		const struct referral_person *p = &d->people[i];
		struct show_line l = { "", 0 };
		line_add(&l, "", p->relationship);
		line_add(&l, "born ", p->dob);
		line_add(&l, "", p->parental_responsibility ? "parental responsibility" : "");
		line_add(&l, "", p->alleged_perpetrator ? "ALLEGED PERPETRATOR" : "");
		line_add(&l, "", p->household ? "lives with the child"
			 : "significant adult elsewhere");
		status = cb("household", p->name, l.value, arg);
	}
	return status;
}

static int show_checks(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->nchecks; i++) {
		const struct referral_check *c = &d->checks[i];
		struct show_line l = { "", 0 };
		char at[UTC_MAX], due[UTC_MAX];
		line_add(&l, "", c->status);
		line_add(&l, "", c->restricted ? RESTRICTED_MARK : c->info);
		line_add(&l, "basis ", c->basis);
		line_add(&l, "consent ", c->consent);
		line_add(&l, "", c->consent_reason);
		if (c->override_by[0])
			line_add4(&l, "consent refusal overridden by ",
				  c->override_by, ": ", c->override_reason);
		line_add(&l, "handling ", c->handling);
		line_add(&l, "by ", c->updated_by);
		line_add(&l, "at ", utc(c->updated_at, 0, at));
		line_add(&l, "due ", utc(c->due_at, 0, due));
		status = cb("check", c->agency, l.value, arg);
	}
	return status;
}

static int show_decision(const struct referral_detail *d, show_cb cb, void *arg)
{
	struct show_line l = { "", 0 };
	char level[16] = "", at[UTC_MAX], signed_at[UTC_MAX];
	if (!d->decided)
		return 0;
	if (d->decision_level)
		snprintf(level, sizeof level, "%d", d->decision_level);
	line_add(&l, "", d->rationale);
	line_add(&l, "rag ", d->decision_rag);
	line_add(&l, "level ", level);
	line_add(&l, "feedback: ", d->feedback);
	line_add(&l, "by ", d->decided_by[0] ? d->decided_by : "imported");
	line_add(&l, "at ", utc(d->decided_at, 0, at));
	line_add(&l, "with ", d->decision_agencies);
	line_add(&l, "signed off by ", d->signed_by);
	if (d->signed_by[0])
		line_add(&l, "signed off at ", utc(d->signed_at, 0, signed_at));
	return cb("decision", d->outcome, l.value, arg);
}

static int show_sendbacks(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->nsendbacks; i++) {
		const struct referral_sendback *b = &d->sendbacks[i];
		struct show_line l = { "", 0 };
		char at[UTC_MAX];
		line_add(&l, "decided by ", b->decided_by[0] ? b->decided_by : "?");
		line_add(&l, "sent back by ", b->by);
		line_add(&l, "at ", utc(b->at, 0, at));
		line_add(&l, "comment: ", b->comment);
		status = cb("sent-back", b->outcome, l.value, arg);
	}
	return status;
}

static int show_actions(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->nactions; i++) {
		const struct referral_action *a = &d->actions[i];
		struct show_line l = { "", 0 };
		line_add(&l, "owner ", a->owner);
		line_add(&l, "due ", a->due);
		status = cb("action", a->what, l.value, arg);
	}
	return status;
}

static int show_history(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->nhistory; i++) {
		const struct referral_link *h = &d->history[i];
		struct show_line l = { "", 0 };
		char day[UTC_MAX];
		line_add(&l, "", utc(h->received_at, 1, day));
		line_add(&l, "", h->child_name);
		line_add(&l, "", h->outcome);
		line_add(&l, "", h->same_child ? "same child" : "same address");
		status = cb("history", h->ref, l.value, arg);
	}
	return status;
}

/* ---- the front door: after every line above, so those stay as they were -- */

/* How it came through the front door: its stage, and when screened, by
 * whom, how (closed with an outcome) and why. */
static int show_screening(const struct referral_detail *d, show_cb cb,
			  void *arg)
{
	char at[UTC_MAX] = "";
	if (d->screened_at)
		utc(d->screened_at, 0, at);
	const struct { const char *field, *value; } f[] = {
		{ "stage", d->stage }, { "screened", at },
		{ "screened_by", d->screened_by },
		{ "outcome", d->screening_outcome },
		{ "reason", d->screening_reason },
	};
	int status = 0;
	for (size_t i = 0; status == 0 && i < sizeof f / sizeof f[0]; i++)
		if (*f[i].value)
			status = cb("screening", f[i].field, f[i].value, arg);
	return status;
}

/* The RAG ratings, oldest first: "red	Bruising seen; was amber; by sue;
 * at ...". */
static int show_ratings(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->nratings; i++) {
		const struct referral_rating *g = &d->ratings[i];
		struct show_line l = { "", 0 };
		char at[UTC_MAX];
		line_add(&l, "", g->reason);
		line_add(&l, "was ", g->from);
		line_add(&l, "by ", g->by);
		line_add(&l, "at ", utc(g->at, 0, at));
		status = cb("rating", g->to, l.value, arg);
	}
	return status;
}

/* Each agency asked for its check: why, by whom and when. */
static int show_requests(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->nchecks; i++) {
		const struct referral_check *c = &d->checks[i];
		struct show_line l = { "", 0 };
		char at[UTC_MAX];
		if (!c->requested_by[0])
			continue;
		line_add(&l, "", c->request_reason);
		line_add(&l, "by ", c->requested_by);
		line_add(&l, "at ", utc(c->requested_at, 0, at));
		status = cb("request", c->agency, l.value, arg);
	}
	return status;
}

/* Strategy discussions (hub_strategy.h): when one is due
 * ("strategy_due	TIME	due since THRESHOLD" or "late ..."), then each
 * discussion in the order held ("strategy	HELD	how call; decision
 * s47-joint; attended police: pat, ...; summary ...; by sam at ...") and
 * its actions ("strategy_action	WHAT	owner ...; due ...; held HELD"). */
static int show_strategies(const struct referral_detail *d, show_cb cb,
			   void *arg)
{
	int status = 0;
	if (d->row.strategy_due) {
		struct show_line l = { "", 0 };
		char due[UTC_MAX], from[UTC_MAX] = "";
		if (d->strategy_from)
			utc(d->strategy_from, 0, from);
		line_add(&l, "", d->row.strategy_late ? "late" : "due");
		line_add(&l, "threshold met ", from);
		status = cb("strategy_due", utc(d->row.strategy_due, 0, due),
			    l.value, arg);
	}
	for (int i = 0; status == 0 && i < d->nstrategies; i++) {
		const struct referral_strategy *g = &d->strategies[i];
		struct show_line l = { "", 0 };
		char held[UTC_MAX], at[UTC_MAX];
		utc(g->held_at, 0, held);
		line_add(&l, "how ", g->how);
		line_add(&l, "decision ", g->decision);
		line_add(&l, "instead ", g->instead);
		line_add(&l, "attended ", g->attended);
		line_add(&l, "missing ", g->missing_reason);
		line_add(&l, "summary ", g->summary);
		line_add(&l, "", g->reconvene ? "reconvene" : "");
		line_add(&l, "by ", g->recorded_by);
		line_add(&l, "at ", utc(g->recorded_at, 0, at));
		status = cb("strategy", held, l.value, arg);
		for (int k = 0; status == 0 && k < g->nactions; k++) {
			const struct referral_action *a = &g->actions[k];
			struct show_line m = { "", 0 };
			line_add(&m, "owner ", a->owner);
			line_add(&m, "due ", a->due);
			line_add(&m, "held ", held);
			status = cb("strategy_action", a->what, m.value, arg);
		}
	}
	return status;
}

/* Feedback to the referrer, oldest first ("feedback	acknowledgement	We
 * have it; by phone; by sue; at ..."), then each clock still running
 * ("feedback	outcome_due	2026-...Z; late"). */
static int show_feedback(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	for (int i = 0; status == 0 && i < d->ngiven; i++) {
		const struct referral_feedback *f = &d->given[i];
		struct show_line l = { "", 0 };
		char at[UTC_MAX];
		line_add(&l, "", f->text);
		line_add(&l, "by ", f->method);
		line_add(&l, "by ", f->by);
		line_add(&l, "at ", utc(f->at, 0, at));
		status = cb("feedback", f->kind, l.value, arg);
	}
	long long now = clock_now();
	const long long due[2] = { d->ack_due, d->outcome_due };
	const char *const name[2] = { "acknowledgement_due", "outcome_due" };
	for (int k = 0; status == 0 && k < 2; k++) {
		struct show_line l = { "", 0 };
		char at[UTC_MAX];
		if (!due[k])
			continue;
		line_add(&l, "", utc(due[k], 0, at));
		line_add(&l, "", due[k] < now ? "late" : "");
		status = cb("feedback", name[k], l.value, arg);
	}
	return status;
}

/* Transfers between hubs (hub_transfer.h): where it went, where it came
 * from, and the sending hub's history, one numbered line each. */
static int show_transfer(const struct referral_detail *d, show_cb cb, void *arg)
{
	int status = 0;
	char at[UTC_MAX];
	if (d->transferred_to[0]) {
		struct show_line l = { "", 0 };
		line_add(&l, "", d->transferred_to);
		line_add(&l, "at ", utc(d->transferred_at, 0, at));
		line_add(&l, "", d->transfer_reason ? d->transfer_reason : "");
		status = cb("transfer", "to", l.value, arg);
	}
	if (!status && d->transferred_from_hub[0]) {
		char from[sizeof d->transferred_from_hub + sizeof d->transferred_from_ref];
		snprintf(from, sizeof from, "%s %s", d->transferred_from_hub,
			 d->transferred_from_ref);
		status = cb("transfer", "from", from, arg);
	}
	int n = 0;
	for (const char *p = d->transfer_history; !status && p && *p;) {
		size_t k = strcspn(p, "\n");
		char field[16], *line = strndup(p, k);
		if (!line)
			return EX_OSERR;
		snprintf(field, sizeof field, "%d", ++n);
		status = cb("transferred history", field, line, arg);
		free(line);
		p += k + (p[k] ? 1 : 0);
	}
	return status;
}

/* A live legal hold: "hold	reason	REASON; by sue; at ...". */
static int show_hold(const struct referral_detail *d, show_cb cb, void *arg)
{
	struct show_line l = { "", 0 };
	char at[UTC_MAX];
	if (!d->held)
		return 0;
	line_add(&l, "", d->hold_reason);
	line_add(&l, "by ", d->held_by);
	line_add(&l, "at ", utc(d->held_at, 0, at));
	return cb("hold", "legal-hold", l.value, arg);
}

int hub_referral_show(struct hub *hub, const char *ref, show_cb cb, void *arg,
		      struct md_error *err)
{
	static int (*const parts[])(const struct referral_detail *, show_cb,
				    void *) = {
		show_referral, show_people, show_checks, show_decision,
		show_sendbacks, show_actions, show_history,
		show_screening, show_ratings, show_requests, show_strategies,
		show_transfer, show_hold, show_feedback,
	};
	long long id;
	struct referral_detail *d = NULL;
	int status = hub_permit_ref(hub, HUB_ACT_VIEW, ref, err);
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status) {
		hub->last_view_id = 0;   /* every show is a view of its own */
		hub_audit_view(hub, id, "shown on the command line");
		status = hub_referral_read(hub, id, HUB_READ_SHOW, &d, err);
	}
	for (size_t i = 0; !status && i < sizeof parts / sizeof parts[0]; i++)
		status = parts[i](d, cb, arg);
	hub_referral_free(d);
	return status;
}
