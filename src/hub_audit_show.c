/* hub_audit_show.c - who saw and did what on one referral, for supervisors
 * (and trainers on a training hub): reading it is itself recorded. */
#include "hub_internal.h"

int hub_audit_show(struct hub *hub, const char *ref,
		   int (*cb)(const struct hub_audit_entry *e, void *arg), void *arg,
		   struct md_error *err)
{
	static const char sql[] =
		"SELECT at, login, host, tty, action, detail FROM audit"
		" WHERE referral_id = ? ORDER BY id";
	long long id;
	int status = hub_permit_ref(hub, HUB_ACT_AUDIT, ref, err);
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = hub_audit_view_alone(hub, id);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (status)
		return status;
	db_bind_int64(st, 1, id);
	int rc;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct hub_audit_entry e;
		e.at = db_column_int64(st, 0);
		hub_col_text(st, 1, e.login, sizeof e.login);
		hub_col_text(st, 2, e.host, sizeof e.host);
		hub_col_text(st, 3, e.tty, sizeof e.tty);
		hub_col_text(st, 4, e.action, sizeof e.action);
		hub_col_text(st, 5, e.detail, sizeof e.detail);
		status = cb(&e, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the audit log", err);
	hub_reset(st);
	return status;
}
