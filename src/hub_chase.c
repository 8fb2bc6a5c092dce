/* hub_chase.c - chase lists (see hub_chase.h). */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_chase.h"

#define NOTE_BYTES 2000

/* ?1 now, ?2 agency or NULL, ?3 late only.  With every agency (?2
 * NULL), the strategy discussions due too (hub_strategy.h): agency
 * "strategy", status "discussion", from the threshold to its due time,
 * decided referrals included (an s47 decision is followed by one). */
static const char list_sql[] =
	"SELECT ref, child_name, rag, agency, status, requested_at, due_at, late,"
	" chases, by_login, chased_at, note FROM ("
	"SELECT r.ref, r.child_name, coalesce(r.rag, '') AS rag, c.agency,"
	" c.status, c.requested_at, c.due_at, c.due_at < ?1 AS late,"
	" (SELECT count(*) FROM chase h WHERE h.referral_id = c.referral_id"
	"   AND h.agency = c.agency) AS chases,"
	" l.by_login, coalesce(l.at, 0) AS chased_at, l.note, a.sort, r.id"
	" FROM agency_check c"
	" JOIN referral r ON r.id = c.referral_id"
	"  AND r.status NOT IN ('decided', 'closed')"
	" JOIN agency a ON a.code = c.agency"
	" LEFT JOIN chase l ON l.id = (SELECT max(h.id) FROM chase h"
	"   WHERE h.referral_id = c.referral_id AND h.agency = c.agency)"
	" WHERE c.completed_at IS NULL AND (?2 IS NULL OR c.agency = ?2)"
	" AND (?3 = 0 OR c.due_at < ?1)"
	" UNION ALL"
	" SELECT r.ref, r.child_name, coalesce(r.rag, ''), 'strategy',"
	" 'discussion', coalesce(r.strategy_from, r.received_at),"
	" r.strategy_due_at, r.strategy_due_at < ?1, 0, NULL, 0, NULL, 0, r.id"
	" FROM referral r WHERE ?2 IS NULL AND r.strategy_due_at IS NOT NULL"
	" AND (?3 = 0 OR r.strategy_due_at < ?1)) AS sq"
	" ORDER BY due_at >= ?1, sort, due_at, id";

int hub_chase_list(struct hub *hub, const char *agency, int late_only,
		   int (*cb)(const struct chase_row *r, void *arg), void *arg,
		   struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_BOARD, err);
	if (!status && agency && *agency)
		status = hub_code_check(hub, "agency", agency, "agency", err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, list_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, clock_now());
	hub_bind_text(st, 2, agency);
	db_bind_int64(st, 3, late_only != 0);
	int rc;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct chase_row r;
		memset(&r, 0, sizeof r);
		hub_col_text(st, 0, r.ref, sizeof r.ref);
		hub_col_text(st, 1, r.child_name, sizeof r.child_name);
		hub_col_text(st, 2, r.rag, sizeof r.rag);
		hub_col_text(st, 3, r.agency, sizeof r.agency);
		hub_col_text(st, 4, r.status, sizeof r.status);
		r.requested_at = db_column_int64(st, 5);
		r.due_at = db_column_int64(st, 6);
		r.late = db_column_int(st, 7);
		r.chases = db_column_int(st, 8);
		hub_col_text(st, 9, r.chased_by, sizeof r.chased_by);
		r.chased_at = db_column_int64(st, 10);
		hub_col_text(st, 11, r.note, sizeof r.note);
		status = cb(&r, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the chase list", err);
	hub_reset(st);
	return status;
}

int hub_chase_mark(struct hub *hub, const char *ref, const char *agency,
		   const char *note, struct md_error *err)
{
	static const char open_sql[] =
		"SELECT 1 FROM agency_check c JOIN referral r ON r.id = c.referral_id"
		" AND r.status NOT IN ('decided', 'closed')"
		" WHERE c.referral_id = ? AND c.agency = ? AND c.completed_at IS NULL";
	static const char sql[] =
		"INSERT INTO chase (referral_id, agency, by_login, at, note)"
		" VALUES (?, ?, ?, ?, ?)";
	long long id = 0;
	int status = hub_permit(hub, HUB_ACT_CHASE, err);
	if (!status)
		status = hub_note_check("note", note, NOTE_BYTES, "say how and "
					"whom you chased", err);
	if (!status && (!agency || !*agency))
		status = md_fail(err, EX_USAGE, "agency: required");
	if (!status)
		status = hub_code_check(hub, "agency", agency, "agency", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, open_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, agency);
		int rc = db_step(st);
		hub_reset(st);
		if (rc == DB_DONE)
			status = md_fail(err, EX_DATAERR, "%s has no open %s check to "
					 "chase", ref, agency);
		else if (rc != DB_ROW)
			status = hub_sql_fail(hub, rc, "finding the check", err);
	}
	if (!status && !(st = hub_stmt(hub, sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, agency);
		hub_bind_text(st, 3, hub->me.login);
		db_bind_int64(st, 4, clock_now());
		hub_bind_text(st, 5, note);
		status = hub_step_done(hub, st, "recording the chase", err);
	}
	if (!status)
		status = hub_audit(hub, "chase", id, err, "chased %s for its check: %s",
				   agency, note);
	return hub_end(hub, status, err);
}
