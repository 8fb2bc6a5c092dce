/* hub_user.c - the people who use the desk. */
#include "hub_internal.h"

#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/text.h"

static int hub_user_validate(struct hub *hub, const struct user *u,
			     struct md_error *err)
{
	size_t n = strlen(u->login);
	if (n == 0 || n > 63 || strspn(u->login, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return md_fail(err, EX_DATAERR, "login: '%s' is not a login "
			       "(1-63 letters, digits, '.', '_' or '-')", u->login);
	n = strlen(u->name);
	if (n == 0 || n > 200 || !text_valid_utf8(u->name, n))
		return md_fail(err, EX_DATAERR, "name: must be 1 to 200 "
			       "characters of UTF-8 text");
	int status = hub_code_check(hub, "role", u->role, "role", err);
	if (status)
		return status;
	if (!u->agency[0]) {
		if (strcmp(u->role, "admin") && strcmp(u->role, "trainer"))
			return md_fail(err, EX_USAGE, "agency: a %s needs an "
				       "agency (--agency CODE)", u->role);
		return 0;
	}
	return hub_code_check(hub, "agency", u->agency, "agency", err);
}

int hub_user_add(struct hub *hub, const struct user *u, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO app_user (login, name, agency, role, active, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?)";
	static const char exists_sql[] = "SELECT 1 FROM app_user WHERE login = ?";
	int status = hub_permit(hub, HUB_ACT_USER_ADD, err);
	if (status == 0)
		status = hub_user_validate(hub, u, err);
	if (status == 0)
		status = hub_begin(hub, err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, exists_sql, err);
	if (!st)
		return hub_end(hub, err->code, err);
	hub_bind_text(st, 1, u->login);
	int rc = db_step(st);
	hub_reset(st);
	if (rc == DB_ROW)
		status = md_fail(err, EX_DATAERR, "user %s already exists on hub "
				 "%s", u->login, hub->name);
	else if (rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "adding a user", err);
	if (status == 0 && !(st = hub_stmt(hub, sql, err)))
		status = err->code;
	if (status == 0) {
		hub_bind_text(st, 1, u->login);
		hub_bind_text(st, 2, u->name);
		hub_bind_text(st, 3, u->agency);
		hub_bind_text(st, 4, u->role);
		db_bind_int64(st, 5, u->active ? 1 : 0);
		db_bind_int64(st, 6, clock_now());
		status = hub_step_done(hub, st, "adding a user", err);
	}
	if (status == 0)
		status = hub_audit(hub, "user-add", 0, err, "added %s (%s%s%s)",
				   u->login, u->role, u->agency[0] ? ", " : "",
				   u->agency);
	return hub_end(hub, status, err);
}

int hub_user_list(struct hub *hub, int (*cb)(const struct user *u, void *arg),
		  void *arg, struct md_error *err)
{
	static const char sql[] =
		"SELECT login, name, coalesce(agency, ''), role, active "
		"FROM app_user ORDER BY login";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc, status = 0;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct user u;
		hub_col_text(st, 0, u.login, sizeof u.login);
		hub_col_text(st, 1, u.name, sizeof u.name);
		hub_col_text(st, 2, u.agency, sizeof u.agency);
		hub_col_text(st, 3, u.role, sizeof u.role);
		u.active = db_column_int(st, 4);
		status = cb(&u, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "listing users", err);
	hub_reset(st);
	return status;
}
