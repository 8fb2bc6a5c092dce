/* hub_detail.c - one referral in full, for the desk's referral screen:
 * the child, household, referrer and concern; one panel per agency; the
 * decision and its actions; and the prior history of the child and
 * household.  Read in one short read transaction so the parts agree. */
#include "hub_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"

/* Keep a copy of a text column; "" for NULL.  Copies are owned by d. */
static const char *keep(struct referral_detail *d, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	if (!t || !*t || d->nowned == (int)(sizeof d->owned / sizeof d->owned[0]))
		return "";
	char *copy = strdup((const char *)t);
	if (!copy)
		return "";
	d->owned[d->nowned++] = copy;
	return copy;
}

static const char detail_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS ", r.version,"
	" (SELECT ref FROM referral p WHERE p.id = r.repeat_of),"
	" (SELECT group_concat(alias, '; ') FROM referral_alias WHERE referral_id = r.id),"
	" r.gender, r.ethnicity, r.language, r.disability, r.address,"
	" r.previous_address, r.school, r.gp, r.nhs_number, r.upn,"
	" r.allocated_worker, r.referrer, r.referrer_role, r.referrer_agency,"
	" r.referrer_contact, r.concern, r.impact, r.tried, r.strengths,"
	" r.consent_reason, coalesce(r.category, ''), coalesce(r.source, ''),"
	" coalesce(r.consent, ''), coalesce(r.parents_aware, -1), r.interpreter"
	" FROM referral r WHERE r.id = ?2";

static int read_referral(struct hub *hub, long long id,
			 struct referral_detail *d, struct md_error *err)
{
	sqlite3_stmt *st = hub_stmt(hub, detail_sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, clock_now());
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char **texts[] = {
			&d->aliases, &d->gender, &d->ethnicity, &d->language,
			&d->disability, &d->address, &d->previous_address,
			&d->school, &d->gp, &d->nhs_number, &d->upn,
			&d->allocated_worker, &d->referrer, &d->referrer_role,
			&d->referrer_agency, &d->referrer_contact, &d->concern,
			&d->impact, &d->tried, &d->strengths, &d->consent_reason,
		};
		hub_read_queue_row(hub, st, &d->row);
		d->version = sqlite3_column_int64(st, 15);
		hub_col_text(st, 16, d->repeat_of, sizeof d->repeat_of);
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
			*texts[i] = keep(d, st, 17 + (int)i);
		hub_col_text(st, 38, d->category, sizeof d->category);
		hub_col_text(st, 39, d->source, sizeof d->source);
		hub_col_text(st, 40, d->consent, sizeof d->consent);
		d->parents_aware = sqlite3_column_int(st, 41);
		d->interpreter = sqlite3_column_int(st, 42);
	}
	hub_reset(st);
	return rc == SQLITE_ROW ? 0 : hub_sql_fail(hub, rc, "reading the referral", err);
}

static int read_people(struct hub *hub, long long id, struct referral_detail *d,
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT name, relationship, coalesce(dob, ''), parental_responsibility,"
		" alleged_perpetrator, household FROM person WHERE referral_id = ?"
		" ORDER BY id LIMIT 16";
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && d->npeople < MD_MAX_PEOPLE) {
		struct referral_person *p = &d->people[d->npeople++];
		hub_col_text(st, 0, p->name, sizeof p->name);
		hub_col_text(st, 1, p->relationship, sizeof p->relationship);
		hub_col_text(st, 2, p->dob, sizeof p->dob);
		p->parental_responsibility = sqlite3_column_int(st, 3);
		p->alleged_perpetrator = sqlite3_column_int(st, 4);
		p->household = sqlite3_column_int(st, 5);
	}
	hub_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the household", err);
}

static int read_checks(struct hub *hub, long long id, struct referral_detail *d,
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT a.code, a.name, c.referral_id IS NOT NULL, coalesce(c.status, ''),"
		" c.info, coalesce(c.lawful_basis, ''), coalesce(c.consent, ''),"
		" c.consent_reason, coalesce(c.handling, ''), coalesce(h.leaves_hub, 1) = 0,"
		" coalesce(c.updated_by, ''), coalesce(c.requested_at, 0),"
		" coalesce(c.due_at, 0), coalesce(c.completed_at, 0),"
		" coalesce(c.updated_at, 0), coalesce(c.version, 0),"
		" c.completed_at IS NULL AND c.due_at < ?2,"
		" coalesce(c.override_by, ''), c.override_reason"
		" FROM agency a LEFT JOIN agency_check c"
		"  ON c.agency = a.code AND c.referral_id = ?1"
		" LEFT JOIN handling_code h ON h.code = c.handling"
		" WHERE a.active ORDER BY a.sort";
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, clock_now());
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && d->nchecks < MD_MAX_AGENCIES) {
		struct referral_check *c = &d->checks[d->nchecks++];
		hub_col_text(st, 0, c->agency, sizeof c->agency);
		hub_col_text(st, 1, c->agency_name, sizeof c->agency_name);
		c->recorded = sqlite3_column_int(st, 2);
		hub_col_text(st, 3, c->status, sizeof c->status);
		c->info = keep(d, st, 4);
		hub_col_text(st, 5, c->basis, sizeof c->basis);
		hub_col_text(st, 6, c->consent, sizeof c->consent);
		c->consent_reason = keep(d, st, 7);
		hub_col_text(st, 8, c->handling, sizeof c->handling);
		c->restricted = sqlite3_column_int(st, 9);
		hub_col_text(st, 10, c->updated_by, sizeof c->updated_by);
		c->requested_at = sqlite3_column_int64(st, 11);
		c->due_at = sqlite3_column_int64(st, 12);
		c->completed_at = sqlite3_column_int64(st, 13);
		c->updated_at = sqlite3_column_int64(st, 14);
		c->version = sqlite3_column_int64(st, 15);
		c->overdue = sqlite3_column_int(st, 16);
		hub_col_text(st, 17, c->override_by, sizeof c->override_by);
		c->override_reason = keep(d, st, 18);
	}
	hub_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the agency checks", err);
}

static int read_decision(struct hub *hub, long long id, struct referral_detail *d,
			 struct md_error *err)
{
	static const char sql[] =
		"SELECT outcome, rationale, feedback, coalesce(decided_by, ''), decided_at,"
		" coalesce((SELECT group_concat(agency, ', ') FROM decision_agency a"
		"  WHERE a.referral_id = d.referral_id), '')"
		" FROM decision d WHERE referral_id = ?";
	static const char actions_sql[] =
		"SELECT what, owner, due_date FROM decision_action"
		" WHERE referral_id = ? ORDER BY id LIMIT 16";
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		d->decided = 1;
		hub_col_text(st, 0, d->outcome, sizeof d->outcome);
		d->rationale = keep(d, st, 1);
		d->feedback = keep(d, st, 2);
		hub_col_text(st, 3, d->decided_by, sizeof d->decided_by);
		d->decided_at = sqlite3_column_int64(st, 4);
		hub_col_text(st, 5, d->decision_agencies, sizeof d->decision_agencies);
	}
	hub_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hub_sql_fail(hub, rc, "reading the decision", err);
	if (!(st = hub_stmt(hub, actions_sql, err)))
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && d->nactions < MD_MAX_ACTIONS) {
		struct referral_action *a = &d->actions[d->nactions++];
		a->what = keep(d, st, 0);
		hub_col_text(st, 1, a->owner, sizeof a->owner);
		hub_col_text(st, 2, a->due, sizeof a->due);
	}
	hub_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the actions", err);
}

static int read_history(struct hub *hub, long long id, struct referral_detail *d,
			struct md_error *err)
{
	static const char sql[] = HUB_HISTORY_SQL;
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && d->nhistory < MD_MAX_HISTORY) {
		struct referral_link *l = &d->history[d->nhistory++];
		hub_col_text(st, 0, l->ref, sizeof l->ref);
		l->received_at = sqlite3_column_int64(st, 1);
		hub_col_text(st, 2, l->child_name, sizeof l->child_name);
		hub_col_text(st, 3, l->outcome, sizeof l->outcome);
		l->same_child = sqlite3_column_int(st, 4);
	}
	hub_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the prior history", err);
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
	struct referral_detail *d = calloc(1, sizeof *d);
	if (!d)
		return md_fail(err, EX_OSERR, "out of memory");
	/* One read transaction: the panels and the header agree. */
	sqlite3_exec(hub->db, "BEGIN", NULL, NULL, NULL);
	status = read_referral(hub, id, d, err);
	if (!status)
		status = read_people(hub, id, d, err);
	if (!status)
		status = read_checks(hub, id, d, err);
	if (!status)
		status = read_decision(hub, id, d, err);
	if (!status)
		status = read_history(hub, id, d, err);
	sqlite3_exec(hub->db, "COMMIT", NULL, NULL, NULL);
	if (status) {
		hub_referral_free(d);
		return status;
	}
	*out = d;
	return 0;
}

void hub_referral_free(struct referral_detail *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	free(d);
}
