/* hub_identity.c - who is acting: loading the user a connection acts for,
 * their role as a bit of enum hub_role (hub_permit.h) once, and what a
 * front end may know of the hub and its user. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

/* The role code's bit; 0 for a code no rule names. */
static unsigned hub_role_bit(const char *code)
{
	static const struct { const char *code; unsigned bit; } roles[] = {
#define HUB_ROLE_CODE_(name, code) { code, HUB_ROLE_##name },
		HUB_ROLES(HUB_ROLE_CODE_)
#undef HUB_ROLE_CODE_
	};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].code, code) == 0)
			return roles[i].bit;
	return 0;
}

static int hub_load_user(struct hub *hub, const char *login, struct user *u,
			 int *found, struct md_error *err)
{
	static const char sql[] =
		"SELECT login, name, coalesce(agency, ''), role, active "
		"FROM app_user WHERE login = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, login);
	int rc = db_step(st);
	*found = rc == DB_ROW;
	if (*found) {
		hub_col_text(st, 0, u->login, sizeof u->login);
		hub_col_text(st, 1, u->name, sizeof u->name);
		hub_col_text(st, 2, u->agency, sizeof u->agency);
		hub_col_text(st, 3, u->role, sizeof u->role);
		u->active = db_column_int(st, 4);
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "looking up a user", err);
	return 0;
}

int hub_act_as(struct hub *hub, const char *login, int chosen,
	       struct md_error *err)
{
	if (chosen && !hub->training) {
		md_fail(err, EX_NOPERM, "--as works only on training hubs; %s is "
			"a live hub, where you act as your own login", hub->name);
		hub_audit_alone(hub, login, "refused", 0, err->msg);
		return EX_NOPERM;
	}
	struct user u;
	int found = 0;
	int status = hub_load_user(hub, login, &u, &found, err);
	if (status)
		return status;
	if (!found)
		md_fail(err, EX_NOUSER, "%s is not a user of hub %s; an admin can "
			"add them with: mashdesk --db %s user add %s --name 'Full "
			"Name' --agency CODE --role practitioner", login,
			hub->name, hub->path, login);
	else if (!u.active)
		md_fail(err, EX_NOUSER, "user %s is deactivated on hub %s", login,
			hub->name);
	if (!found || !u.active) {
		hub_audit_alone(hub, login, "refused", 0, err->msg);
		return EX_NOUSER;
	}
	hub->me = u;
	hub->roles = hub_role_bit(u.role);
	hub->have_me = 1;
	return 0;
}

void hub_get_info(const struct hub *hub, struct hub_info *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", hub->name);
	out->training = hub->training;
	out->schema_version = hub_migration_count;
	if (hub->have_me)
		out->me = hub->me;
}
