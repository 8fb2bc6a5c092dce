/* hub_open.c - opening a hub and creating one: refusing what is not a hub
 * (leaving it untouched), bringing the schema up to date, and a new hub's
 * file, its group and its first row and admin.  The connection itself is
 * hub_db.c's. */
#include "hub_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/clock.h"

/* A mashdesk hub has our schema version and a hub table; anything else
 * (another program's database, an empty one) is refused untouched. */
static int hub_check_is_hub(struct hub *hub, int version, struct md_error *err)
{
	if (version == 0)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk hub (no "
			       "mashdesk schema)", hub->path);
	int n = 0, status = hub_has_table(hub, "hub", &n, err);
	if (status)
		return status;
	if (n != 1)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk hub (no hub "
			       "table)", hub->path);
	return 0;
}

/* Read the hub row; a database without one is not a hub. */
static int hub_read_hub_row(struct hub *hub, struct md_error *err)
{
	static const char sql[] =
		"SELECT name, mode = 'training' FROM hub WHERE id = 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc = db_step(st);
	int status = 0;
	if (rc == DB_ROW) {
		hub_col_text(st, 0, hub->name, sizeof hub->name);
		hub->training = db_column_int(st, 1);
	} else if (rc == DB_DONE) {
		status = md_fail(err, EX_DATAERR, "%s: not a mashdesk hub "
				 "(no hub record)", hub->path);
	} else {
		status = hub_sql_fail(hub, rc, "reading the hub", err);
	}
	hub_reset(st);
	return status;
}

static int hub_open_checked(struct hub **out, const char *path,
			    const struct config *cfg, const struct stat *sb,
			    struct md_error *err);

int hub_open(struct hub **out, const char *path, const struct config *cfg,
	     struct md_error *err)
{
	struct stat sb = { 0 };
	*out = NULL;
	if (hub_is_url(path))
		return hub_open_checked(out, path, cfg, &sb, err);
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return md_fail(err, EX_NOINPUT, "%s: no hub here "
				       "(create one with `mashdesk init`)", path);
		return md_fail(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk hub "
			       "(not a regular file)", path);

	/* With the effective ids: a setgid mashdesk reaches the hub through
	 * its group, which the caller is not in (privilege.h). */
	if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0)
		return md_fail(err, EX_NOPERM, "%s: %s", path, strerror(errno));
	/* Every desk writes (claims, leases, drafts), and WAL needs its side
	 * files: say so plainly rather than let SQLite fail obscurely later. */
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
		return md_fail(err, EX_NOPERM, "%s: cannot write to the hub: %s%s",
			       path, strerror(errno), errno == EROFS ? "" :
			       " (a live hub is reached through the installed, "
			       "setgid mashdesk; a training hub's group must "
			       "include you)");
	return hub_open_checked(out, path, cfg, &sb, err);
}

/* Connect, and refuse what is not a hub (sb: the file's, zero on
 * PostgreSQL, where the server's own rights keep others out). */
static int hub_open_checked(struct hub **out, const char *path,
			    const struct config *cfg, const struct stat *sb,
			    struct md_error *err)
{
	struct hub *hub;
	int status = hub_connect(&hub, path, cfg, SQLITE_OPEN_READWRITE, err);
	if (status)
		return status;
	int version = 0;
	status = hub_user_version(hub, &version, err);
	if (status == 0)
		status = hub_check_is_hub(hub, version, err);
	/* The hub holds children's records: open to everyone on the host, it
	 * is refused outright (mashdesk doctor says the same, with the fix). */
	if (status == 0 && (sb->st_mode & (S_IROTH | S_IWOTH)))
		status = md_fail(err, EX_NOPERM, "%s is %s by everyone on this "
				 "host; refusing to use it: chmod o-rwx %s", path,
				 (sb->st_mode & S_IWOTH) ? "writable" : "readable",
				 path);
	if (status == 0 && version > hub_migration_count)
		status = hub_migrate(hub, err);   /* refuses, naming versions */
	if (status == 0)
		status = hub_read_hub_row(hub, err);
	if (status == 0)
		status = hub_set_journal(hub, err);
	if (status == 0 && version < hub_migration_count)
		status = hub_migrate(hub, err);
	if (status == 0) {
		/* Start watching for other users' changes from here. */
		int changed, reload;
		status = hub_poll_changes(hub, &changed, &reload, NULL, NULL, err);
	}
	if (status) {
		hub_close(hub);
		return status;
	}
	*out = hub;
	return 0;
}

/* The live hub's own directory: the hub's group's, 2770 (setgid, so the
 * -wal and -shm files SQLite creates get the group too; nothing for
 * others), made if missing.  Only root creates a hub there. */
static int hub_make_dir(const char *path, const char *group,
			struct md_error *err)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	const char *d = dirname(dir);
	struct group *g = getgrnam(group);
	struct stat sb;
	if (!g)
		return md_fail(err, EX_DATAERR, "no Unix group '%s' (make install "
			       "creates it: groupadd --system %s)", group, group);
	if (mkdir(d, 0770) != 0 && errno != EEXIST)
		return md_fail(err, EX_CANTCREAT, "cannot create directory %s: %s",
			       d, strerror(errno));
	if (lstat(d, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return md_fail(err, EX_CANTCREAT, "%s is not a directory", d);
	if (chown(d, (uid_t)-1, g->gr_gid) != 0 || chmod(d, 02770) != 0)
		return md_fail(err, EX_NOPERM, "cannot give %s to group %s with "
			       "mode 2770: %s", d, group, strerror(errno));
	return 0;
}

/* Reserve the file with O_EXCL so two `init`s cannot both win, with the
 * group-shared mode of the deployment (umask may narrow it further). */
static int hub_reserve_file(const char *path, struct md_error *err)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	const char *d = dirname(dir);
	struct stat sb;
	if (stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return md_fail(err, EX_CANTCREAT, "cannot create %s: directory "
			       "%s does not exist", path, d);
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
		      0660);
	if (fd < 0) {
		if (errno == EEXIST)
			return md_fail(err, EX_CANTCREAT, "%s already exists; "
				       "refusing to overwrite it", path);
		return md_fail(err, EX_CANTCREAT, "cannot create %s: %s", path,
			       strerror(errno));
	}
	close(fd);
	return 0;
}

/* Hand the new file to the hub's Unix group, read-write for the group and
 * nothing for others, whatever the umask. */
static int hub_give_to_group(const char *path, const char *group,
			     struct md_error *err)
{
	struct group *g = getgrnam(group);
	if (!g)
		return md_fail(err, EX_DATAERR, "--group: no Unix group '%s'", group);
	if (chown(path, (uid_t)-1, g->gr_gid) != 0)
		return md_fail(err, EX_NOPERM, "cannot give %s to group %s: %s (you "
			       "must be a member of it)", path, group, strerror(errno));
	if (chmod(path, 0660) != 0)
		return md_fail(err, EX_NOPERM, "cannot set the mode of %s: %s", path,
			       strerror(errno));
	return 0;
}

static void hub_remove_files(const char *path)
{
	char side[PATH_MAX + 8];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

static int hub_seed(struct hub *hub, const struct hub_create_opts *opts,
		    struct md_error *err)
{
	static const char hub_sql[] =
		"INSERT INTO hub (id, name, mode, created_at) VALUES (1, ?, ?, ?)";
	static const char admin_sql[] =
		"INSERT INTO app_user (login, name, agency, role, created_at) "
		"VALUES (?, ?, NULL, 'admin', ?)";
	const char *name = opts->name ? opts->name : hub->cfg.hub_name;
	long long now = clock_now();
	int status = hub_begin(hub, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, hub_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, name);
		db_bind_text(st, 2, opts->training ? "training" : "live");
		db_bind_int64(st, 3, now);
		status = hub_step_done(hub, st, "naming the hub", err);
	}
	if (!status && !(st = hub_stmt(hub, admin_sql, err)))
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, opts->admin_login);
		hub_bind_text(st, 2, opts->admin_name ? opts->admin_name
			      : opts->admin_login);
		db_bind_int64(st, 3, now);
		status = hub_step_done(hub, st, "adding the hub's admin", err);
	}
	if (!status) {
		char detail[256];
		snprintf(detail, sizeof detail, "created %s hub %s",
			 opts->training ? "training" : "live", name);
		status = hub_audit_append(hub, opts->admin_login, "hub-create", 0,
					  detail, err);
	}
	return hub_end(hub, status, err);
}

/* The database an address names ("" when none), and the same address
 * naming the cluster's maintenance database "postgres" instead. */
static int url_database(const char *url, char *db, size_t dblen,
			char *maint, size_t mlen)
{
	const char *p = strstr(url, "://");
	if (!p)
		return -1;
	p += 3;
	const char *slash = strchr(p, '/'), *query = strchr(p, '?');
	if (query && slash && query < slash)
		slash = NULL;
	const char *end = slash ? slash + 1 + strcspn(slash + 1, "?") : NULL;
	snprintf(db, dblen, "%.*s", slash ? (int)(end - slash - 1) : 0,
		 slash ? slash + 1 : "");
	if (slash)
		snprintf(maint, mlen, "%.*s/postgres%s", (int)(slash - url), url, end);
	else if (query)
		snprintf(maint, mlen, "%.*s/postgres%s", (int)(query - url), url, query);
	else
		snprintf(maint, mlen, "%s/postgres", url);
	return 0;
}

/* The hub's own database, made on the cluster when it is not there yet
 * and the connecting role may create databases: owned by that role, and
 * closed to every other role (REVOKE ... FROM PUBLIC), so that another
 * hub's role on the same cluster cannot even connect to it. */
static int hub_make_database(const char *url, const struct config *cfg,
			     struct md_error *err)
{
	char db[128], maint[PATH_MAX], sql[400];
	if (url_database(url, db, sizeof db, maint, sizeof maint) != 0 || !db[0])
		return md_fail(err, EX_USAGE, "%s: name the hub's database in "
			       "the address (postgresql://HOST/DATABASE)", url);
	if (strlen(db) > 63 || strspn(db, "abcdefghijklmnopqrstuvwxyz"
				      "0123456789_-") != strlen(db))
		return md_fail(err, EX_DATAERR, "%s: a new hub's database name is "
			       "1 to 63 of a-z, 0-9, _ and - (create other names "
			       "yourself: createdb)", db);
	struct hub *hub = NULL;
	int status = hub_connect(&hub, maint, cfg, 0, err);
	if (status == 0) {
		/* The name was checked above: no quoting can be escaped. */
		snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", db);
		status = hub_exec(hub, sql, "creating the hub's database", err);
	}
	if (status == 0) {
		snprintf(sql, sizeof sql, "REVOKE ALL ON DATABASE \"%s\" FROM PUBLIC", db);
		status = hub_exec(hub, sql, "closing the hub's database to others",
				  err);
	}
	if (status == EX_NOPERM && hub)
		status = md_fail(err, EX_NOPERM, "%s: the database %s is not there "
				 "and this role may not create it: ask the "
				 "cluster's administrator (createdb -O ROLE %s)",
				 hub->path, db, db);
	hub_close(hub);
	return status;
}

/* A hub on PostgreSQL: its database, made if missing (hub_make_database),
 * must be empty; the schema and the first rows as on SQLite. */
static int hub_create_pg(const char *url, const struct config *cfg,
			 const struct hub_create_opts *opts, struct md_error *err)
{
	struct hub *hub = NULL;
	int version = 0, tables = 0;
	int status = hub_connect(&hub, url, cfg, 0, err);
	if (status && strstr(err->msg, "does not exist") &&
	    (status = hub_make_database(url, cfg, err)) == 0)
		status = hub_connect(&hub, url, cfg, 0, err);
	if (status == 0)
		status = hub_user_version(hub, &version, err);
	if (status == 0)
		status = hub_has_table(hub, "hub", &tables, err);
	if (status == 0 && (version > 0 || tables > 0))
		status = md_fail(err, EX_CANTCREAT, "%s: already holds a hub "
				 "(open it, or name another database)", hub->path);
	if (status == 0)
		status = hub_migrate(hub, err);
	if (status == 0)
		status = hub_seed(hub, opts, err);
	hub_close(hub);
	return status;
}

int hub_create(const char *path, const struct config *cfg,
	       const struct hub_create_opts *opts, struct md_error *err)
{
	const char *name = opts->name ? opts->name : (cfg ? cfg->hub_name : "");
	if (!name || !*name || strlen(name) > 100)
		return md_fail(err, EX_DATAERR, "hub name: must be 1 to 100 "
			       "characters");
	if (!opts->admin_login || !*opts->admin_login)
		return md_fail(err, EX_NOUSER, "cannot tell who is creating "
			       "the hub (no login name)");
	if (hub_is_url(path))
		return hub_create_pg(path, cfg, opts, err);
	int status = 0;
	if (opts->group && opts->hub_dir)
		status = hub_make_dir(path, opts->group, err);
	if (status == 0)
		status = hub_reserve_file(path, err);
	if (status == 0 && opts->group && (status = hub_give_to_group(path, opts->group, err)))
		unlink(path);
	if (status)
		return status;
	struct hub *hub = NULL;
	status = hub_connect(&hub, path, cfg, SQLITE_OPEN_READWRITE, err);
	if (status == 0)
		status = hub_set_journal(hub, err);
	if (status == 0)
		status = hub_migrate(hub, err);
	if (status == 0)
		status = hub_seed(hub, opts, err);
	hub_close(hub);
	if (status)
		hub_remove_files(path);   /* nothing half-made is left behind */
	return status;
}
