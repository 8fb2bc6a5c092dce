/* hub_migrate.c - bringing a hub's schema up to date.
 *
 * The numbered files in db/migrations are embedded at build time
 * (db/embed.sh -> migrations.c), and their PostgreSQL twins from db/pg
 * (pg_migrations.c).  PRAGMA user_version records how many have been
 * applied (on PostgreSQL the md_version table: hub_db.c).  Each migration runs in its own BEGIN IMMEDIATE transaction
 * together with the version bump, and the version is read again inside the
 * transaction, so two desks upgrading the same hub at once apply each
 * migration exactly once. */
#include "hub_internal.h"

#include <stdio.h>

static int hub_apply_one(struct hub *hub, int target, struct md_error *err)
{
	int status = hub_begin(hub, err);
	if (status)
		return status;
	int version = 0;
	status = hub_user_version(hub, &version, err);
	if (status == 0 && version >= target)
		return hub_end(hub, 0, err);   /* another process got here first */
	if (status == 0) {
		const char *sql = hub->engine == HUB_POSTGRES
			? hub_pg_migrations[target - 1] : hub_migrations[target - 1];
		struct md_error e = { 0 };
		if (hub_exec(hub, sql, "migrating", &e) != 0)
			status = md_fail(err, EX_SOFTWARE, "%s: schema migration "
					 "%d failed: %s", hub->path, target,
					 hub_errmsg(hub));
	}
	if (status == 0)
		status = hub_set_version(hub, target, err);
	return hub_end(hub, status, err);
}

int hub_migrate(struct hub *hub, struct md_error *err)
{
	int version = 0;
	int status = hub_user_version(hub, &version, err);
	if (status)
		return status;
	if (version > hub_migration_count)
		return md_fail(err, EX_DATAERR, "%s: this hub's schema (version "
			       "%d) is newer than this mashdesk understands "
			       "(%d); upgrade mashdesk", hub->path, version,
			       hub_migration_count);
	for (int v = version + 1; status == 0 && v <= hub_migration_count; v++)
		status = hub_apply_one(hub, v, err);
	return status;
}

int hub_schema_latest(void)
{
	return hub_migration_count;
}
