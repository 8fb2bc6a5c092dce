/* hub_bulk.c - loading generated data (demo, generate) in large batches.
 *
 * A training hub is filled through the same inserts that `referral add`,
 * `check` and `decide` use, so generated data obeys every rule live data
 * does; only the transaction is larger (one commit per BULK_BATCH
 * referrals), which is what makes a million referrals take seconds, not
 * hours.  Only admins and trainers of a training hub may do it. */
#include "hub_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"

#define BULK_BATCH 20000

struct bulk_state {
	long pending;         /* referrals since the last commit */
	long long now;
};

static int bulk_user(void *ctx, const struct user *u, struct md_error *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO app_user (login, name, agency, role, active,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?)";
	struct hub *hub = ctx;
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, u->login);
	hub_bind_text(st, 2, u->name);
	hub_bind_text(st, 3, u->agency);
	hub_bind_text(st, 4, u->role);
	sqlite3_bind_int(st, 5, u->active ? 1 : 0);
	sqlite3_bind_int64(st, 6, ((struct bulk_state *)hub->bulk)->now);
	return hub_step_done(hub, st, "adding a generated user", err);
}

static int bulk_assign(struct hub *hub, long long id, const char *login,
		       long long at, struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET assigned_to = ?1, status = CASE status"
		" WHEN 'new' THEN 'screening' ELSE status END WHERE id = ?2";
	static const char log_sql[] =
		"INSERT INTO assignment (referral_id, login, by_login, reason, at)"
		" VALUES (?1, ?2, ?2, 'claimed', ?3)";
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, login);
	sqlite3_bind_int64(st, 2, id);
	int status = hub_step_done(hub, st, "assigning a generated referral", err);
	if (!status && !(st = hub_stmt(hub, log_sql, err)))
		status = err->code;
	if (!status) {
		sqlite3_bind_int64(st, 1, id);
		hub_bind_text(st, 2, login);
		sqlite3_bind_int64(st, 3, at);
		status = hub_step_done(hub, st, "recording an assignment", err);
	}
	return status;
}

static int bulk_referral(void *ctx, const struct gen_referral *g,
			 struct md_error *err)
{
	struct hub *hub = ctx;
	struct bulk_state *bs = hub->bulk;
	long long id;
	char ref[MD_REF_MAX];
	int status = hub_referral_insert(hub, &g->in, NULL, bs->now, &id, ref, err);
	long long received = g->in.received_at ? g->in.received_at : bs->now;
	if (!status && g->assigned_to)
		status = bulk_assign(hub, id, g->assigned_to, received, err);
	for (int i = 0; !status && i < g->nchecks; i++)
		status = hub_check_upsert(hub, id, g->checks[i].agency, &g->checks[i],
					  g->check_by[i], g->checks[i].at ?
					  g->checks[i].at : received, err);
	if (!status && g->nchecks)
		status = hub_status_refresh(hub, id, err);
	if (!status && g->decided)
		status = hub_decision_insert(hub, id, &g->decision, g->decided_by,
					     g->decision.at ? g->decision.at
							    : bs->now, err);
	if (!status && ++bs->pending >= BULK_BATCH) {
		bs->pending = 0;
		status = hub_end(hub, 0, err);
		if (!status)
			status = hub_begin(hub, err);
	}
	return status;
}

int hub_bulk_begin(struct hub *hub, struct gen_sink *sink, struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_BULK, err);
	if (status)
		return status;
	struct bulk_state *bs = calloc(1, sizeof *bs);
	if (!bs)
		return md_fail(err, EX_OSERR, "out of memory");
	bs->now = clock_now();
	status = hub_begin(hub, err);
	if (status) {
		free(bs);
		return status;
	}
	hub->bulk = bs;
	sink->ctx = hub;
	sink->user = bulk_user;
	sink->referral = bulk_referral;
	return 0;
}

int hub_bulk_end(struct hub *hub, int ok, struct md_error *err)
{
	int status = hub_end(hub, ok ? 0 : EX_SOFTWARE, err);
	free(hub->bulk);
	hub->bulk = NULL;
	return ok ? status : 0;
}
