/* hub_board.c - the workload board (see hub_board.h). */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_board.h"

/* Open referrals are status NOT IN ('decided', 'closed'), written as the
 * partial index referral_open (0003) is, so the planner can use it.
 *
 * Open referrals per holder with their overdue count, earliest due time
 * and late agency checks, and the strategy discussions due and late on
 * what they hold; the pile (holder NULL) comes first with sort key -1.
 * ?1 = now. */
static const char board_sql[] =
	"WITH held AS ("
	"  SELECT r.assigned_to AS login, count(*) AS open,"
	"   sum(r.due_at < ?1) AS overdue, min(r.due_at) AS oldest,"
	"   sum((SELECT count(*) FROM agency_check c WHERE c.referral_id = r.id"
	"        AND c.completed_at IS NULL AND c.due_at < ?1)) AS late"
	"  FROM referral r WHERE r.status NOT IN ('decided', 'closed')"
	"  GROUP BY r.assigned_to),"
	/* strategy discussions due (decided referrals too: an s47 decision
	 * is followed by one), from the partial index referral_strategy_due */
	" strat AS ("
	"  SELECT r.assigned_to AS login, sum(r.strategy_due_at >= ?1) AS due,"
	"   sum(r.strategy_due_at < ?1) AS late"
	"  FROM referral r WHERE r.strategy_due_at IS NOT NULL"
	"  GROUP BY r.assigned_to)"
	" SELECT '', '', 'Unassigned', '', 1, coalesce(h.open, 0),"
	"  coalesce(h.overdue, 0), coalesce(h.late, 0), coalesce(h.oldest, 0),"
	"  coalesce(s.due, 0), coalesce(s.late, 0), -1 AS asort"
	"  FROM (SELECT 1) AS one LEFT JOIN held h ON h.login IS NULL"
	"  LEFT JOIN strat s ON s.login IS NULL"
	" UNION ALL"
	" SELECT u.agency, u.login, u.name, u.role, u.active, coalesce(h.open, 0),"
	"  coalesce(h.overdue, 0), coalesce(h.late, 0), coalesce(h.oldest, 0),"
	"  coalesce(s.due, 0), coalesce(s.late, 0), a.sort"
	"  FROM app_user u JOIN agency a ON a.code = u.agency"
	"  LEFT JOIN held h ON h.login = u.login"
	"  LEFT JOIN strat s ON s.login = u.login"
	"  WHERE (u.active = 1 AND u.role IN ('practitioner', 'supervisor'))"
	"   OR h.open > 0 OR s.due > 0 OR s.late > 0"
	" ORDER BY asort, 3, 2";

int hub_board(struct hub *hub, int (*cb)(const struct board_row *r, void *arg),
	      void *arg, struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_BOARD, err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, board_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, clock_now());
	int rc;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct board_row r;
		memset(&r, 0, sizeof r);
		hub_col_text(st, 0, r.agency, sizeof r.agency);
		hub_col_text(st, 1, r.login, sizeof r.login);
		hub_col_text(st, 2, r.name, sizeof r.name);
		hub_col_text(st, 3, r.role, sizeof r.role);
		r.active = db_column_int(st, 4);
		r.open = db_column_int(st, 5);
		r.overdue = db_column_int(st, 6);
		r.late_checks = db_column_int(st, 7);
		r.oldest_due = db_column_int64(st, 8);
		r.strategy_due = db_column_int(st, 9);
		r.strategy_late = db_column_int(st, 10);
		status = cb(&r, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the board", err);
	hub_reset(st);
	return status;
}

/* ?1 now, ?2 login (NULL = the pile), ?3 overdue only. */
static const char held_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS
	" FROM referral r"
	" WHERE r.assigned_to IS NOT DISTINCT FROM ?2 AND r.status NOT IN ('decided', 'closed')"
	" AND (?3 = 0 OR r.due_at < ?1)"
	" ORDER BY r.due_at >= ?1, CASE r.rag WHEN 'red' THEN 0 WHEN 'amber'"
	"  THEN 1 WHEN 'green' THEN 2 ELSE 3 END, r.due_at, r.id";

int hub_board_held(struct hub *hub, const char *login, int overdue_only,
		   int (*cb)(const struct queue_row *r, void *arg), void *arg,
		   struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_BOARD, err);
	if (!status)
		status = hub_agencies(hub, err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, held_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, clock_now());
	hub_bind_text(st, 2, login);
	db_bind_int64(st, 3, overdue_only != 0);
	int rc;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct queue_row r;
		hub_read_queue_row(hub, st, &r);
		status = cb(&r, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading a practitioner's work", err);
	hub_reset(st);
	return status;
}

int hub_reassign(struct hub *hub, const char *const *refs, int n,
		 const char *login, const char *reason, struct md_error *err)
{
	if (n <= 0)
		return md_fail(err, EX_USAGE, "no referrals to reassign");
	int status = hub_assign_allowed(hub, reason, err);
	if (!status && (!login || !*login))
		status = md_fail(err, EX_USAGE, "to: required; whose login "
				 "takes them?");
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	long long now = clock_now();
	for (int i = 0; !status && i < n; i++)
		status = hub_assign_tx(hub, refs[i], login, reason, now, err);
	return hub_end(hub, status, err);
}
