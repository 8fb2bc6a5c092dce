/* hub_debrief.c - how each trainee's decisions compare with the model
 * answers of the scenario (hub_scenario.h).
 *
 * One row per referral of the exercise that arrived.  Its trainee is who
 * recorded the decision, else who holds the referral, else "-".  Minutes
 * to decision are scenario minutes: wall-clock seconds from arrival to the
 * decision times the speed the clock ran at (speed 0, everything at once,
 * counts as real time).  The timescale is the model answer's `within`, else
 * the hub's check timescale for the expected RAG ([timescales]
 * check_red_hours and so on).  Score: right outcome 2, right RAG 1, decided
 * within the timescale 1; nothing for a referral not decided. */
#include "hub_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mashdesk/hub_scenario.h"

void hub_debrief_free(struct hub_debrief *d)
{
	if (!d)
		return;
	free(d->rows);
	free(d->totals);
	free(d);
}

static void score_row(struct hub_debrief_row *r)
{
	r->score = 0;
	if (!r->decided) {
		r->within = -1;
		r->minutes = -1;
		return;
	}
	if (!strcmp(r->expected_outcome, r->actual_outcome))
		r->score += 2;
	if (!strcmp(r->expected_rag, r->actual_rag))
		r->score += 1;
	r->within = r->minutes <= r->within_minutes;
	r->score += r->within;
}

static int add_total(struct hub_debrief *d, const struct hub_debrief_row *r)
{
	if (!strcmp(r->trainee, "-"))
		return 0;
	struct hub_debrief_total *t = NULL;
	for (int i = 0; i < d->ntotals; i++)
		if (!strcmp(d->totals[i].trainee, r->trainee))
			t = &d->totals[i];
	if (!t) {
		void *p = realloc(d->totals, sizeof *d->totals * (size_t)(d->ntotals + 1));
		if (!p)
			return EX_OSERR;
		d->totals = p;
		t = &d->totals[d->ntotals++];
		memset(t, 0, sizeof *t);
		snprintf(t->trainee, sizeof t->trainee, "%s", r->trainee);
	}
	t->referrals++;
	t->decided += r->decided;
	t->rag_right += r->decided && !strcmp(r->expected_rag, r->actual_rag);
	t->outcome_right += r->decided &&
			    !strcmp(r->expected_outcome, r->actual_outcome);
	t->within += r->within == 1;
	t->score += r->score;
	t->max_score += HUB_DEBRIEF_MAX;
	return 0;
}

static void read_row(struct hub *hub, struct db_stmt *st, double speed,
		     struct hub_debrief_row *r)
{
	memset(r, 0, sizeof *r);
	hub_col_text(st, 0, r->trainee, sizeof r->trainee);
	hub_col_text(st, 1, r->ref, sizeof r->ref);
	hub_col_text(st, 2, r->key, sizeof r->key);
	hub_col_text(st, 3, r->child, sizeof r->child);
	hub_col_text(st, 4, r->expected_rag, sizeof r->expected_rag);
	hub_col_text(st, 5, r->actual_rag, sizeof r->actual_rag);
	hub_col_text(st, 6, r->expected_outcome, sizeof r->expected_outcome);
	hub_col_text(st, 7, r->actual_outcome, sizeof r->actual_outcome);
	r->expected_level = db_column_int(st, 8);
	r->actual_level = db_column_int(st, 9);
	r->decided = db_column_type(st, 10) != DB_NULL;
	long long secs = db_column_int64(st, 10);
	r->minutes = (long long)((double)(secs > 0 ? secs : 0) *
				 (speed > 0 ? speed : 1.0)) / 60;
	long long within_s = db_column_int64(st, 11);
	if (within_s <= 0)
		within_s = 3600LL * config_check_hours(&hub->cfg, r->expected_rag);
	r->within_minutes = within_s / 60;
	hub_col_text(st, 12, r->rationale, sizeof r->rationale);
	score_row(r);
}

int hub_scenario_debrief(struct hub *hub, struct hub_debrief **out,
			 struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(d.decided_by, r.assigned_to, '-'), r.ref, s.key,"
		" r.child_name, e.rag, coalesce(d.rag, r.rag, '-'), e.outcome,"
		" coalesce(d.outcome, '-'), coalesce(e.level, 0),"
		" coalesce(d.level, r.level, 0), d.decided_at - r.received_at,"
		" coalesce(e.within_s, 0), e.rationale"
		" FROM scenario_referral s"
		" JOIN scenario_expect e ON e.scenario_key = s.key"
		" JOIN referral r ON r.id = s.referral_id"
		" LEFT JOIN decision d ON d.referral_id = r.id"
		" WHERE s.history = 0"
		" ORDER BY coalesce(d.decided_by, r.assigned_to, '-') = '-',"
		" coalesce(d.decided_by, r.assigned_to, '-'), s.offset_s, s.seq";
	static const char speed_sql[] = "SELECT speed FROM scenario WHERE id = 1";
	*out = NULL;
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, speed_sql, err);
	if (!status && !st)
		status = err->code;
	if (status)
		return status;
	int rc = db_step(st);
	double speed = rc == DB_ROW ? db_column_double(st, 0) : 1;
	hub_reset(st);
	if (rc == DB_DONE)
		return md_fail(err, EX_DATAERR, "%s holds no scenario (load one "
			       "with `mashdesk scenario load FILE`)", hub->path);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the scenario", err);
	struct hub_debrief *d = calloc(1, sizeof *d);
	if (!d || !(st = hub_stmt(hub, sql, err))) {
		free(d);
		return d ? err->code : md_fail(err, EX_OSERR, "out of memory");
	}
	while ((rc = db_step(st)) == DB_ROW) {
		void *p = realloc(d->rows, sizeof *d->rows * (size_t)(d->nrows + 1));
		if (!p) {
			status = md_fail(err, EX_OSERR, "out of memory");
			break;
		}
		d->rows = p;
		read_row(hub, st, speed, &d->rows[d->nrows]);
		if (add_total(d, &d->rows[d->nrows]) != 0) {
			status = md_fail(err, EX_OSERR, "out of memory");
			break;
		}
		d->nrows++;
	}
	hub_reset(st);
	if (!status && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the debrief", err);
	if (status) {
		hub_debrief_free(d);
		return status;
	}
	hub_audit_alone(hub, hub->me.login, "scenario-debrief", 0,
			"read the scenario's debrief");
	*out = d;
	return 0;
}
