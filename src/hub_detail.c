/* hub_detail.c - one referral in full, read in one place for the desk's
 * referral screen and for `show` (hub_show.c lays it out as text): the
 * child, household, referrer and concern; the agencies' checks; the
 * decision, its actions and the decisions sent back before it; and the
 * prior history of the child and household.  Read in one short read
 * transaction so the parts agree. */
#include "hub_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_feedback.h"

/* A text kept by a struct referral_detail, freed with it. */
struct referral_text {
	struct referral_text *next;
	char text[];
};

/* The reader's state: the struct being filled, and how. */
struct detail_read {
	struct referral_detail *d;
	enum hub_read how;
	int oom;                /* a copy failed: the read fails */
};

/* Keep a copy of a text column; "" for NULL. */
static const char *keep(struct detail_read *r, struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);
	if (!t || !*t)
		return "";
	size_t n = strlen((const char *)t) + 1;
	struct referral_text *k = malloc(sizeof *k + n);
	if (!k) {
		r->oom = 1;
		return "";
	}
	memcpy(k->text, t, n);
	k->next = r->d->owned;
	r->d->owned = k;
	return k->text;
}

static const char detail_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS ", r.version,"
	" (SELECT ref FROM referral p WHERE p.id = r.repeat_of),"
	" (SELECT group_concat(alias, '; ') FROM (SELECT alias FROM referral_alias"
	"  WHERE referral_id = r.id ORDER BY alias) AS sq),"
	" r.gender, r.ethnicity, r.language, r.disability, r.address,"
	" r.previous_address, r.school, r.gp, r.nhs_number, r.upn,"
	" r.allocated_worker, r.referrer, r.referrer_role, r.referrer_agency,"
	" r.referrer_contact, r.concern, r.impact, r.tried, r.strengths,"
	" r.consent_reason, coalesce(r.category, ''), coalesce(r.source, ''),"
	" coalesce(r.consent, ''), coalesce(r.parents_aware, -1), r.interpreter,"
	" r.stage, coalesce(r.screened_at, 0), coalesce(r.screened_by, ''),"
	" coalesce(r.screening_outcome, ''), r.screening_reason,"
	" coalesce(r.strategy_from, 0)"
	" FROM referral r WHERE r.id = ?2";

static int read_referral(struct hub *hub, long long id, struct detail_read *r,
			 struct md_error *err)
{
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, detail_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, clock_now());
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char **texts[] = {
			&d->aliases, &d->gender, &d->ethnicity, &d->language,
			&d->disability, &d->address, &d->previous_address,
			&d->school, &d->gp, &d->nhs_number, &d->upn,
			&d->allocated_worker, &d->referrer, &d->referrer_role,
			&d->referrer_agency, &d->referrer_contact, &d->concern,
			&d->impact, &d->tried, &d->strengths, &d->consent_reason,
		};
		hub_read_queue_row(hub, st, &d->row);
		d->version = db_column_int64(st, 16);
		hub_col_text(st, 17, d->repeat_of, sizeof d->repeat_of);
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
			*texts[i] = keep(r, st, 18 + (int)i);
		hub_col_text(st, 39, d->category, sizeof d->category);
		hub_col_text(st, 40, d->source, sizeof d->source);
		hub_col_text(st, 41, d->consent, sizeof d->consent);
		d->parents_aware = db_column_int(st, 42);
		d->interpreter = db_column_int(st, 43);
		hub_col_text(st, 44, d->stage, sizeof d->stage);
		d->screened_at = db_column_int64(st, 45);
		hub_col_text(st, 46, d->screened_by, sizeof d->screened_by);
		hub_col_text(st, 47, d->screening_outcome,
			     sizeof d->screening_outcome);
		d->screening_reason = keep(r, st, 48);
		d->strategy_from = db_column_int64(st, 49);
	}
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading the referral", err);
}

static int read_people(struct hub *hub, long long id, struct detail_read *r,
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT name, relationship, coalesce(dob, ''), parental_responsibility,"
		" alleged_perpetrator, household FROM person WHERE referral_id = ?"
		" ORDER BY id LIMIT 16";
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && d->npeople < MD_MAX_PEOPLE) {
		struct referral_person *p = &d->people[d->npeople++];
		hub_col_text(st, 0, p->name, sizeof p->name);
		hub_col_text(st, 1, p->relationship, sizeof p->relationship);
		hub_col_text(st, 2, p->dob, sizeof p->dob);
		p->parental_responsibility = db_column_int(st, 3);
		p->alleged_perpetrator = db_column_int(st, 4);
		p->household = db_column_int(st, 5);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the household", err);
}

/* Every active agency and every agency with a check recorded, in display
 * order; the desk wants the first (a panel each), `show` the second. */
static const char checks_sql[] =
	"SELECT a.code, a.name, c.referral_id IS NOT NULL, coalesce(c.status, ''),"
	" c.info, coalesce(c.lawful_basis, ''), coalesce(c.consent, ''),"
	" c.consent_reason, coalesce(c.handling, ''), coalesce(h.leaves_hub, 1) = 0,"
	" coalesce(c.updated_by, ''), coalesce(c.requested_at, 0),"
	" coalesce(c.due_at, 0), coalesce(c.completed_at, 0),"
	" coalesce(c.updated_at, 0), coalesce(c.version, 0),"
	" c.completed_at IS NULL AND c.due_at < ?2,"
	" coalesce(c.override_by, ''), c.override_reason, a.active,"
	" coalesce(c.requested_by, ''), c.request_reason"
	" FROM agency a LEFT JOIN agency_check c"
	"  ON c.agency = a.code AND c.referral_id = ?1"
	" LEFT JOIN handling_code h ON h.code = c.handling"
	" WHERE a.active = 1 OR c.referral_id IS NOT NULL ORDER BY a.sort";

static void read_check(struct detail_read *r, struct db_stmt *st,
		       struct referral_check *c)
{
	hub_col_text(st, 0, c->agency, sizeof c->agency);
	hub_col_text(st, 1, c->agency_name, sizeof c->agency_name);
	c->recorded = db_column_int(st, 2);
	hub_col_text(st, 3, c->status, sizeof c->status);
	c->restricted = db_column_int(st, 9);
	/* A restricted entry's text never leaves the hub: read for `show`,
	 * it is not even copied. */
	c->info = c->restricted && r->how == HUB_READ_SHOW ? "" : keep(r, st, 4);
	hub_col_text(st, 5, c->basis, sizeof c->basis);
	hub_col_text(st, 6, c->consent, sizeof c->consent);
	c->consent_reason = keep(r, st, 7);
	hub_col_text(st, 8, c->handling, sizeof c->handling);
	hub_col_text(st, 10, c->updated_by, sizeof c->updated_by);
	c->requested_at = db_column_int64(st, 11);
	c->due_at = db_column_int64(st, 12);
	c->completed_at = db_column_int64(st, 13);
	c->updated_at = db_column_int64(st, 14);
	c->version = db_column_int64(st, 15);
	c->overdue = db_column_int(st, 16);
	hub_col_text(st, 17, c->override_by, sizeof c->override_by);
	c->override_reason = keep(r, st, 18);
	hub_col_text(st, 20, c->requested_by, sizeof c->requested_by);
	c->request_reason = keep(r, st, 21);
}

static int read_checks(struct hub *hub, long long id, struct detail_read *r,
		       struct md_error *err)
{
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, checks_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, clock_now());
	int rc;
	while ((rc = db_step(st)) == DB_ROW && d->nchecks < MD_MAX_AGENCIES) {
		int wanted = r->how == HUB_READ_SHOW ? db_column_int(st, 2)
			: db_column_int(st, 19);
		if (wanted)
			read_check(r, st, &d->checks[d->nchecks++]);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the agency checks", err);
}

static int read_decision(struct hub *hub, long long id, struct detail_read *r,
			 struct md_error *err)
{
	static const char sql[] =
		"SELECT outcome, rationale, feedback, coalesce(decided_by, ''), decided_at,"
		" coalesce((SELECT group_concat(agency, ', ') FROM (SELECT agency"
		"  FROM decision_agency a WHERE a.referral_id = d.referral_id"
		"  ORDER BY agency) AS sq), ''),"
		" coalesce(rag, ''), coalesce(level, 0), coalesce(signed_by, ''),"
		" coalesce(signed_at, 0)"
		" FROM decision d WHERE referral_id = ?";
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		d->decided = 1;
		hub_col_text(st, 0, d->outcome, sizeof d->outcome);
		d->rationale = keep(r, st, 1);
		d->feedback = keep(r, st, 2);
		hub_col_text(st, 3, d->decided_by, sizeof d->decided_by);
		d->decided_at = db_column_int64(st, 4);
		hub_col_text(st, 5, d->decision_agencies, sizeof d->decision_agencies);
		hub_col_text(st, 6, d->decision_rag, sizeof d->decision_rag);
		d->decision_level = db_column_int(st, 7);
		hub_col_text(st, 8, d->signed_by, sizeof d->signed_by);
		d->signed_at = db_column_int64(st, 9);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the decision", err);
}

static int read_actions(struct hub *hub, long long id, struct detail_read *r,
			struct md_error *err)
{
	static const char sql[] =
		"SELECT what, owner, due_date FROM decision_action"
		" WHERE referral_id = ? ORDER BY id LIMIT 16";
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && d->nactions < MD_MAX_ACTIONS) {
		struct referral_action *a = &d->actions[d->nactions++];
		a->what = keep(r, st, 0);
		a->owner = keep(r, st, 1);
		hub_col_text(st, 2, a->due, sizeof a->due);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the actions", err);
}

/* Room for one more row at the end of a growing array (*arrp, *n rows):
 * its capacity doubles at 1, 2, 4, ...; the new row zeroed.  NULL when
 * out of memory (the array as it was).  ROW_NEXT(d->ratings, d->nratings)
 * gives a typed pointer. */
static void *row_next(void *arrp, int *n, size_t size)
{
	void *arr;
	memcpy(&arr, arrp, sizeof arr);
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? 2 * (size_t)*n : 1;
		void *more = realloc(arr, cap * size);
		if (!more)
			return NULL;
		arr = more;
		memcpy(arrp, &arr, sizeof arr);
	}
	return memset((char *)arr + (size_t)(*n)++ * size, 0, size);
}
#define ROW_NEXT(arr, n) row_next(&(arr), &(n), sizeof *(arr))

static int read_sendbacks(struct hub *hub, long long id, struct detail_read *r,
			  struct md_error *err)
{
	static const char sql[] =
		"SELECT outcome, coalesce(decided_by, ''), by_login, at, comment"
		" FROM sendback WHERE referral_id = ? ORDER BY id";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct referral_sendback *b =
			ROW_NEXT(r->d->sendbacks, r->d->nsendbacks);
		if (!b) {
			r->oom = 1;
			break;
		}
		hub_col_text(st, 0, b->outcome, sizeof b->outcome);
		hub_col_text(st, 1, b->decided_by, sizeof b->decided_by);
		hub_col_text(st, 2, b->by, sizeof b->by);
		b->at = db_column_int64(st, 3);
		b->comment = keep(r, st, 4);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the decisions sent back", err);
}

/* The RAG ratings, oldest first: the timeline. */
static int read_ratings(struct hub *hub, long long id, struct detail_read *r,
			struct md_error *err)
{
	static const char sql[] =
		"SELECT at, by_login, coalesce(from_rag, ''), to_rag, reason"
		" FROM rating WHERE referral_id = ? ORDER BY at, id";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct referral_rating *g =
			ROW_NEXT(r->d->ratings, r->d->nratings);
		if (!g) {
			r->oom = 1;
			break;
		}
		g->at = db_column_int64(st, 0);
		hub_col_text(st, 1, g->by, sizeof g->by);
		hub_col_text(st, 2, g->from, sizeof g->from);
		hub_col_text(st, 3, g->to, sizeof g->to);
		g->reason = keep(r, st, 4);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the ratings", err);
}

/* The actions of strategy discussion sid into g. */
static int read_strategy_actions(struct hub *hub, long long sid,
				 struct detail_read *r,
				 struct referral_strategy *g,
				 struct md_error *err)
{
	static const char sql[] =
		"SELECT what, owner, due_date FROM strategy_action"
		" WHERE strategy_id = ? ORDER BY id";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, sid);
	int rc;
	while ((rc = db_step(st)) == DB_ROW &&
	       g->nactions < MD_MAX_ACTIONS) {
		struct referral_action *a = &g->actions[g->nactions++];
		a->what = keep(r, st, 0);
		a->owner = keep(r, st, 1);
		hub_col_text(st, 2, a->due, sizeof a->due);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading a strategy discussion's actions",
			       err);
}

/* The strategy discussions, in the order they were held; who took part
 * as "police: pat, csc: sam, health: Ada Lane" (by agency order). */
static int read_strategies(struct hub *hub, long long id, struct detail_read *r,
			   struct md_error *err)
{
	static const char sql[] =
		"SELECT s.id, s.held_at, s.how, s.summary, s.decision, s.instead,"
		" s.reconvene, s.missing_reason, s.recorded_by, s.recorded_at,"
		" (SELECT group_concat(w, ', ') FROM (SELECT t.agency || ': ' ||"
		"   coalesce(t.login, t.name) AS w FROM strategy_attendee t"
		"   JOIN agency a ON a.code = t.agency WHERE t.strategy_id = s.id"
		"   ORDER BY a.sort, t.id) AS sq)"
		" FROM strategy s WHERE s.referral_id = ? ORDER BY s.held_at, s.id";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	long long ids[64];
	int n = 0, rc;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW && n < 64) {
		struct referral_strategy *g =
			ROW_NEXT(r->d->strategies, r->d->nstrategies);
		if (!g) {
			r->oom = 1;
			break;
		}
		ids[n++] = db_column_int64(st, 0);
		g->held_at = db_column_int64(st, 1);
		hub_col_text(st, 2, g->how, sizeof g->how);
		g->summary = keep(r, st, 3);
		hub_col_text(st, 4, g->decision, sizeof g->decision);
		g->instead = keep(r, st, 5);
		g->reconvene = db_column_int(st, 6);
		g->missing_reason = keep(r, st, 7);
		hub_col_text(st, 8, g->recorded_by, sizeof g->recorded_by);
		g->recorded_at = db_column_int64(st, 9);
		g->attended = keep(r, st, 10);
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading the strategy discussions", err);
	int status = 0;
	for (int i = 0; !status && !r->oom && i < n; i++)
		status = read_strategy_actions(hub, ids[i], r,
					       &r->d->strategies[i], err);
	return status;
}

/* Feedback given to the referrer, oldest first, and the clocks still
 * running as due times (hub_feedback.h). */
static int read_feedback(struct hub *hub, long long id, struct detail_read *r,
			 struct md_error *err)
{
	static const char sql[] =
		"SELECT at, by_login, kind, method, text FROM feedback"
		" WHERE referral_id = ? ORDER BY at, id";
	static const char clocks_sql[] =
		"SELECT kind, since FROM feedback_pending WHERE referral_id = ?";
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct referral_feedback *f = ROW_NEXT(d->given, d->ngiven);
		if (!f) {
			r->oom = 1;
			break;
		}
		f->at = db_column_int64(st, 0);
		hub_col_text(st, 1, f->by, sizeof f->by);
		hub_col_text(st, 2, f->kind, sizeof f->kind);
		hub_col_text(st, 3, f->method, sizeof f->method);
		f->text = keep(r, st, 4);
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading the feedback", err);
	if (!(st = hub_stmt(hub, clocks_sql, err)))
		return err->code;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = (const char *)db_column_text(st, 0);
		int outcome = k && !strcmp(k, "outcome");
		long long due = hub_feedback_due(hub, outcome ? FEEDBACK_OUTCOME
						 : FEEDBACK_ACK,
						 db_column_int64(st, 1));
		*(outcome ? &d->outcome_due : &d->ack_due) = due;
	}
	hub_reset(st);
	return rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the feedback clocks", err);
}

/* The live legal hold, if any (0016_retention.sql). */
static int read_hold(struct hub *hub, long long id, struct detail_read *r,
		     struct md_error *err)
{
	static const char sql[] =
		"SELECT by_login, at, reason FROM legal_hold"
		" WHERE referral_id = ? AND lifted_at IS NULL";
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	d->hold_reason = "";
	if (rc == DB_ROW) {
		d->held = 1;
		hub_col_text(st, 0, d->held_by, sizeof d->held_by);
		d->held_at = db_column_int64(st, 1);
		d->hold_reason = keep(r, st, 2);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the legal hold", err);
}

/* Earlier and later referrals of the same child (normalised name and date
 * of birth) or household (normalised address) as the referral ?1, newest
 * first: ref, received_at, child_name, outcome (the decision's, or a
 * contact's closed at screening, or the status), same_child. */
static const char history_sql[] =
	"SELECT o.ref, o.received_at, o.child_name,"
	" coalesce(d.outcome, o.screening_outcome, o.status) AS outcome,"
	" o.same_child FROM ("
	"  SELECT p.id, p.ref, p.received_at, p.child_name, p.status,"
	"   p.screening_outcome, 1 AS same_child"
	"   FROM referral r JOIN referral p ON p.name_key = r.name_key"
	"   AND p.dob = r.dob AND p.id <> r.id WHERE r.id = ?1"
	"  UNION"
	"  SELECT p.id, p.ref, p.received_at, p.child_name, p.status,"
	"   p.screening_outcome, 0"
	"   FROM referral r JOIN referral p ON p.address_key = r.address_key"
	"   AND p.id <> r.id AND NOT (p.name_key = r.name_key AND p.dob = r.dob)"
	"   WHERE r.id = ?1 AND r.address_key IS NOT NULL) o"
	" LEFT JOIN decision d ON d.referral_id = o.id"
	" ORDER BY o.received_at DESC LIMIT 20";

static int read_history(struct hub *hub, long long id, struct detail_read *r,
			struct md_error *err)
{
	struct referral_detail *d = r->d;
	struct db_stmt *st = hub_stmt(hub, history_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && d->nhistory < MD_MAX_HISTORY) {
		struct referral_link *l = &d->history[d->nhistory++];
		hub_col_text(st, 0, l->ref, sizeof l->ref);
		l->received_at = db_column_int64(st, 1);
		hub_col_text(st, 2, l->child_name, sizeof l->child_name);
		hub_col_text(st, 3, l->outcome, sizeof l->outcome);
		l->same_child = db_column_int(st, 4);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the prior history", err);
}

/* Where it went or came from, and the history it came with. */
static int read_transfer(struct hub *hub, long long id, struct detail_read *r,
			 struct md_error *err)
{
	struct referral_detail *d = r->d;
	char *reason = NULL, *history = NULL;
	int status = hub_transfer_detail(hub, id, d->transferred_to,
					 sizeof d->transferred_to, &reason,
					 &d->transferred_at, d->transferred_from_hub,
					 sizeof d->transferred_from_hub,
					 d->transferred_from_ref,
					 sizeof d->transferred_from_ref, &history, err);
	d->transfer_reason = d->transfer_history = "";
	const char *texts[] = { reason, history };
	const char **dst[] = { &d->transfer_reason, &d->transfer_history };
	for (int i = 0; !status && i < 2; i++) {
		if (!texts[i])
			continue;
		size_t n = strlen(texts[i]) + 1;
		struct referral_text *k = malloc(sizeof *k + n);
		if (!k) {
			r->oom = 1;
			break;
		}
		memcpy(k->text, texts[i], n);
		k->next = d->owned;
		d->owned = k;
		*dst[i] = k->text;
	}
	free(reason);
	free(history);
	return status;
}

int hub_referral_read(struct hub *hub, long long id, enum hub_read how,
		      struct referral_detail **out, struct md_error *err)
{
	static int (*const parts[])(struct hub *, long long, struct detail_read *,
				    struct md_error *) = {
		read_referral, read_people, read_checks, read_decision,
		read_actions, read_sendbacks, read_history, read_ratings,
		read_strategies,
		read_transfer,
		read_hold, read_feedback,
	};
	*out = NULL;
	int status = hub_agencies(hub, err);   /* the row's check marks */
	if (status)
		return status;
	struct detail_read r = { .d = calloc(1, sizeof *r.d), .how = how };
	if (!r.d)
		return md_fail(err, EX_OSERR, "out of memory");
	/* One read transaction: the panels and the header agree.  Inside a
	 * caller's own (subject access reads many referrals in one), that
	 * one: a COMMIT here would end it. */
	int own_tx = hub_read_begin(hub);
	for (size_t i = 0; !status && i < sizeof parts / sizeof parts[0]; i++)
		status = parts[i](hub, id, &r, err);
	hub_read_end(hub, own_tx);
	if (!status && r.oom)
		status = md_fail(err, EX_OSERR, "out of memory");
	if (status) {
		hub_referral_free(r.d);
		return status;
	}
	*out = r.d;
	return 0;
}

int hub_referral_get(struct hub *hub, const char *ref,
		     struct referral_detail **out, struct md_error *err)
{
	long long id;
	*out = NULL;
	int status = hub_permit_ref(hub, HUB_ACT_VIEW, ref, err);
	if (!status)
		status = hub_agencies(hub, err);
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	if (status)
		return status;
	hub_audit_view(hub, id, "opened at the desk");
	return hub_referral_read(hub, id, HUB_READ_DESK, out, err);
}

void hub_referral_free(struct referral_detail *d)
{
	if (!d)
		return;
	while (d->owned) {
		struct referral_text *k = d->owned;
		d->owned = k->next;
		free(k);
	}
	free(d->sendbacks);
	free(d->ratings);
	free(d->strategies);
	free(d->given);
	free(d);
}
