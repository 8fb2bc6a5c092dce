/* hub.c - opening a hub, the connection's discipline, and who may do what.
 *
 * Connection discipline (engineering.md): WAL on a local disk, rollback
 * journal on a network filesystem where WAL cannot work, synchronous=FULL,
 * foreign keys on, a busy timeout, BEGIN IMMEDIATE for every write, and
 * every statement reset after use so no reader pins the WAL. */
#include "hub_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/text.h"

/* ---- statements --------------------------------------------------------- */

sqlite3_stmt *hub_stmt(struct hub *hub, const char *sql, struct md_error *err)
{
	for (int i = 0; i < hub->ncache; i++)
		if (hub->cache[i].sql == sql)
			return hub->cache[i].stmt;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(hub->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    &st, NULL);
	if (rc != SQLITE_OK) {
		hub_sql_fail(hub, rc, "preparing a query", err);
		return NULL;
	}
	if (hub->ncache < HUB_STMT_CACHE) {
		hub->cache[hub->ncache].sql = sql;
		hub->cache[hub->ncache].stmt = st;
		hub->ncache++;
	} else {
		/* The cache is sized above the number of distinct queries; if
		 * it ever fills, leak nothing: evict the oldest. */
		sqlite3_finalize(hub->cache[0].stmt);
		memmove(hub->cache, hub->cache + 1,
			sizeof hub->cache[0] * (HUB_STMT_CACHE - 1));
		hub->cache[HUB_STMT_CACHE - 1].sql = sql;
		hub->cache[HUB_STMT_CACHE - 1].stmt = st;
	}
	return st;
}

void hub_reset(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

/* SQLITE_STATIC: no copy.  Safe because every statement is stepped and
 * then reset (which clears its bindings) while the caller's text is alive. */
void hub_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void hub_bind_opt_int(sqlite3_stmt *st, int i, long long v, int is_set)
{
	if (is_set)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void hub_col_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

/* 1 when the filesystem holding path has no room left: SQLite reports a
 * full disk as SQLITE_FULL, or as an I/O error when it strikes while
 * growing the WAL's shared-memory file. */
static int hub_disk_full(const char *path)
{
	struct statvfs sv;
	return path && *path && statvfs(path, &sv) == 0 && sv.f_bavail == 0;
}

int hub_sql_fail(struct hub *hub, int rc, const char *doing,
		 struct md_error *err)
{
	const char *what = hub && hub->db ? sqlite3_errmsg(hub->db)
					  : sqlite3_errstr(rc);
	const char *path = hub ? hub->path : "";
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return md_fail(err, EX_TEMPFAIL,
			       "%s: the hub is busy with another user's save "
			       "(waited %d ms) while %s; try again", path,
			       hub ? hub->cfg.busy_timeout_ms : 0, doing);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return md_fail(err, EX_NOPERM,
			       "%s: cannot write to the hub (%s) while %s",
			       path, what, doing);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return md_fail(err, EX_DATAERR,
			       "%s: not a mashdesk hub, or damaged (%s)",
			       path, what);
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
		if ((rc & 0xff) == SQLITE_FULL || hub_disk_full(path))
			return md_fail(err, EX_IOERR, "%s: the disk is full while "
				       "%s; nothing was saved: free some space "
				       "and try again", path, doing);
		return md_fail(err, EX_IOERR, "%s: %s while %s", path, what,
			       doing);
	case SQLITE_CONSTRAINT:
		return md_fail(err, EX_DATAERR, "%s refused by the hub: %s",
			       doing, what);
	default:
		return md_fail(err, EX_SOFTWARE, "%s: %s while %s", path,
			       what, doing);
	}
}

int hub_step_done(struct hub *hub, sqlite3_stmt *st, const char *doing,
		  struct md_error *err)
{
	int rc = sqlite3_step(st);
	int status = 0;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = hub_sql_fail(hub, rc, doing, err);
	hub_reset(st);
	return status;
}

/* ---- transactions ------------------------------------------------------- */

static int hub_exec(struct hub *hub, const char *sql, const char *doing,
		    struct md_error *err)
{
	int rc = sqlite3_exec(hub->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : hub_sql_fail(hub, rc, doing, err);
}

int hub_begin(struct hub *hub, struct md_error *err)
{
	if (hub->in_tx)
		return md_fail(err, EX_SOFTWARE, "nested transaction");
	int status = hub_exec(hub, "BEGIN IMMEDIATE", "starting a save", err);
	if (status == 0)
		hub->in_tx = 1;
	return status;
}

int hub_end(struct hub *hub, int status, struct md_error *err)
{
	if (!hub->in_tx)
		return status;
	hub->in_tx = 0;
	if (status == 0) {
		status = hub_exec(hub, "COMMIT", "saving", err);
		if (status == 0) {
			hub->own_commit = 1;    /* news for hub_poll_changes */
			return 0;
		}
	}
	/* A failed COMMIT may leave the transaction open: always roll back,
	 * keeping the first error's message. */
	sqlite3_exec(hub->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

/* ---- opening ------------------------------------------------------------ */

void hub_library_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Filesystems where WAL's shared memory cannot work across hosts. */
int hub_fs_is_network(long type)
{
	static const long network[] = {
		0x6969,     /* NFS */
		0xFF534D42, /* CIFS */
		0xFE534D42, /* SMB2 */
		0x517B,     /* SMB */
		0x65735546, /* FUSE (sshfs and friends) */
		0x5346414F, /* AFS */
		0x47504653, /* GPFS */
		0x00C36400, /* Ceph */
		0x6B414653, /* kAFS */
	};
	for (size_t i = 0; i < sizeof network / sizeof network[0]; i++)
		if ((unsigned long)type == (unsigned long)network[i])
			return 1;
	return 0;
}

static int hub_on_network_fs(const char *path)
{
	struct statfs sf;
	return statfs(path, &sf) == 0 && hub_fs_is_network((long)sf.f_type);
}

/* Like SQLite's busy timeout, but counting (each call is one wait for
 * another writer, which the benchmark reports) and with short steps: write
 * transactions here last a millisecond or two, and SQLite's own ladder up
 * to 100 ms made the slowest saves wait far longer than the lock was held
 * (p99 430 ms with 128 writers, against 100 ms wanted).  Gives up after
 * [database] busy_timeout_ms. */
static int hub_busy_wait(void *arg, int count)
{
	static const int delays[] = { 1, 1, 1, 2, 2, 2, 3 };
	struct hub *hub = arg;
	int n = (int)(sizeof delays / sizeof delays[0]);
	long long waited = 0;
	for (int i = 0; i < count; i++)
		waited += delays[i < n ? i : n - 1];
	if (waited >= hub->cfg.busy_timeout_ms)
		return 0;
	int ms = delays[count < n ? count : n - 1];
	if (waited + ms > hub->cfg.busy_timeout_ms)
		ms = (int)(hub->cfg.busy_timeout_ms - waited);
	hub->busy_waits++;
	sqlite3_sleep(ms);
	return 1;
}

long long hub_busy_waits(const struct hub *hub)
{
	return hub->busy_waits;
}

static int hub_pragmas(struct hub *hub, struct md_error *err)
{
	sqlite3_busy_handler(hub->db, hub_busy_wait, hub);
	int status = hub_exec(hub, "PRAGMA foreign_keys = ON", "setting up", err);
	/* Statement journals in memory: on disk they cost a write per page
	 * per statement inside every transaction. */
	if (status == 0)
		status = hub_exec(hub, "PRAGMA temp_store = MEMORY", "setting up", err);
	if (status == 0)
		status = hub_exec(hub, "PRAGMA synchronous = FULL",
				  "setting up", err);
	/* 512 KB of page cache, not SQLite's 2 MB: the desk reads one page
	 * of the queue at a time, the OS caches the file anyway, and each
	 * desk should stay under 8 MB resident (./quickstart bench).  Bulk
	 * loads set their own. */
	if (status == 0)
		status = hub_exec(hub, "PRAGMA cache_size = -512",
				  "setting up", err);
	return status;
}

/* WAL on a local disk, a rollback journal where WAL cannot work.  Only
 * called once the file is known to be a hub: setting the journal mode
 * writes to the file, and a refused file must be left as it was. */
static int hub_set_journal(struct hub *hub, struct md_error *err)
{
	const char *want = hub_on_network_fs(hub->path) ? "delete" : "wal";
	char have[16] = "";
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, "PRAGMA journal_mode", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		hub_col_text(st, 0, have, sizeof have);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return hub_sql_fail(hub, rc, "reading the journal mode", err);
	if (strcmp(have, want) == 0)
		return 0;
	return hub_exec(hub, strcmp(want, "wal") == 0
			? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE",
			"setting the journal mode", err);
}

static int hub_connect(struct hub **out, const char *path,
		       const struct config *cfg, int flags, struct md_error *err)
{
	struct hub *hub = calloc(1, sizeof *hub);
	if (!hub)
		return md_fail(err, EX_OSERR, "out of memory");
	snprintf(hub->path, sizeof hub->path, "%s", path);
	if (cfg)
		hub->cfg = *cfg;
	else
		config_defaults(&hub->cfg);
	int rc = sqlite3_open_v2(path, &hub->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		int status = hub_sql_fail(hub, rc, "opening the hub", err);
		hub_close(hub);
		return status;
	}
	sqlite3_extended_result_codes(hub->db, 1);
	int status = hub_pragmas(hub, err);
	if (status) {
		hub_close(hub);
		return status;
	}
	*out = hub;
	return 0;
}

int hub_open_scratch(struct hub **out, const char *path,
		     const struct config *cfg, struct md_error *err)
{
	*out = NULL;
	int status = hub_connect(out, path, cfg, SQLITE_OPEN_READWRITE |
				 SQLITE_OPEN_CREATE, err);
	if (status == 0 && sqlite3_exec((*out)->db, "PRAGMA foreign_keys = OFF;"
					"PRAGMA locking_mode = EXCLUSIVE;"
					"PRAGMA journal_mode = OFF;"
					"PRAGMA synchronous = OFF;"
					"PRAGMA cache_size = -131072", NULL, NULL,
					NULL) != SQLITE_OK)
		status = hub_sql_fail(*out, sqlite3_errcode((*out)->db),
				      "preparing a scratch file", err);
	if (status == 0)
		(*out)->have_me = 1;   /* acts only through the bulk loader */
	else if (*out) {
		hub_close(*out);
		*out = NULL;
	}
	return status;
}

/* A mashdesk hub has our schema version and a hub table; anything else
 * (another program's database, an empty one) is refused untouched. */
static int hub_check_is_hub(struct hub *hub, int version, struct md_error *err)
{
	static const char sql[] =
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'hub'";
	if (version == 0)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk hub (no "
			       "mashdesk schema)", hub->path);
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc = sqlite3_step(st), n = sqlite3_column_int(st, 0);
	hub_reset(st);
	if (rc != SQLITE_ROW)
		return hub_sql_fail(hub, rc, "reading the schema", err);
	if (n != 1)
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk hub (no hub "
			       "table)", hub->path);
	return 0;
}

void hub_close(struct hub *hub)
{
	if (!hub)
		return;
	for (int i = 0; i < hub->ncache; i++)
		sqlite3_finalize(hub->cache[i].stmt);
	if (hub->db)
		sqlite3_close(hub->db);
	free(hub->bulk);
	free(hub);
}

/* Read the hub row; a database without one is not a hub. */
static int hub_load_identity(struct hub *hub, struct md_error *err)
{
	static const char sql[] =
		"SELECT name, mode = 'training' FROM hub WHERE id = 1";
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc = sqlite3_step(st);
	int status = 0;
	if (rc == SQLITE_ROW) {
		hub_col_text(st, 0, hub->name, sizeof hub->name);
		hub->training = sqlite3_column_int(st, 1);
	} else if (rc == SQLITE_DONE) {
		status = md_fail(err, EX_DATAERR, "%s: not a mashdesk hub "
				 "(no hub record)", hub->path);
	} else {
		status = hub_sql_fail(hub, rc, "reading the hub", err);
	}
	hub_reset(st);
	return status;
}

int hub_open(struct hub **out, const char *path, const struct config *cfg,
	     struct md_error *err)
{
	struct stat sb;
	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return md_fail(err, EX_NOINPUT, "%s: no hub here "
				       "(create one with `mashdesk init`)", path);
		return md_fail(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return md_fail(err, EX_DATAERR, "%s: not a mashdesk hub "
			       "(not a regular file)", path);

	if (access(path, R_OK) != 0)
		return md_fail(err, EX_NOPERM, "%s: %s", path, strerror(errno));
	/* Every desk writes (claims, leases, drafts), and WAL needs its side
	 * files: say so plainly rather than let SQLite fail obscurely later. */
	if (access(path, W_OK) != 0)
		return md_fail(err, EX_NOPERM, "%s: cannot write to the hub: %s%s",
			       path, strerror(errno), errno == EROFS ? "" :
			       " (ask the hub's admin to add you to its group)");
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
	if (status == 0 && (sb.st_mode & (S_IROTH | S_IWOTH)))
		status = md_fail(err, EX_NOPERM, "%s is %s by everyone on this "
				 "host; refusing to use it: chmod o-rwx %s", path,
				 (sb.st_mode & S_IWOTH) ? "writable" : "readable",
				 path);
	if (status == 0 && version > hub_migration_count)
		status = hub_migrate(hub, err);   /* refuses, naming versions */
	if (status == 0)
		status = hub_load_identity(hub, err);
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
	sqlite3_stmt *st = status ? NULL : hub_stmt(hub, hub_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, name);
		sqlite3_bind_text(st, 2, opts->training ? "training" : "live", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		status = hub_step_done(hub, st, "naming the hub", err);
	}
	if (!status && !(st = hub_stmt(hub, admin_sql, err)))
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, opts->admin_login);
		hub_bind_text(st, 2, opts->admin_name ? opts->admin_name
			      : opts->admin_login);
		sqlite3_bind_int64(st, 3, now);
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
	int status = hub_reserve_file(path, err);
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

/* ---- identity and permissions -------------------------------------------- */

static int hub_load_user(struct hub *hub, const char *login, struct user *u,
			 int *found, struct md_error *err)
{
	static const char sql[] =
		"SELECT login, name, coalesce(agency, ''), role, active "
		"FROM app_user WHERE login = ?";
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, login);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		hub_col_text(st, 0, u->login, sizeof u->login);
		hub_col_text(st, 1, u->name, sizeof u->name);
		hub_col_text(st, 2, u->agency, sizeof u->agency);
		hub_col_text(st, 3, u->role, sizeof u->role);
		u->active = sqlite3_column_int(st, 4);
	}
	hub_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
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

int hub_schema_latest(void)
{
	return hub_migration_count;
}

/* "practitioner supervisor" -> "practitioners and supervisors". */
static void hub_roles_phrase(char *out, size_t len, const char *roles)
{
	char copy[96];
	snprintf(copy, sizeof copy, "%s", roles);
	out[0] = '\0';
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(out);
		snprintf(out + n, len - n, "%s%ss", n ? " and " : "", w);
	}
}

/* The one table of who may do what.  The desk asks the same function to
 * grey out what would be refused. */
int hub_permit_check(struct hub *hub, enum hub_act act, struct md_error *err)
{
	static const struct {
		enum hub_act act;
		const char *what;
		const char *who;          /* roles allowed, space-separated */
		const char *who_training; /* extra roles on training hubs */
	} rules[] = {
		{ HUB_ACT_VIEW, "see referrals", "practitioner supervisor", "trainer" },
		{ HUB_ACT_REFERRAL_ADD, "take in referrals", "practitioner supervisor", "trainer" },
		{ HUB_ACT_CLAIM, "claim referrals", "practitioner supervisor", "" },
		{ HUB_ACT_ASSIGN, "assign referrals", "supervisor", "" },
		{ HUB_ACT_CHECK, "record agency checks", "practitioner supervisor", "" },
		{ HUB_ACT_DECIDE, "record decisions", "practitioner supervisor", "" },
		{ HUB_ACT_USER_ADD, "manage users", "admin", "trainer" },
		{ HUB_ACT_BULK, "fill a training hub with data", "", "admin trainer" },
		{ HUB_ACT_AUDIT, "read a referral's audit", "supervisor", "trainer" },
		{ HUB_ACT_OVERRIDE, "override a consent refusal", "supervisor", "" },
		/* Reports are aggregates; trainers see them on training hubs. */
		{ HUB_ACT_REPORT, "run reports", "supervisor admin", "trainer" },
		/* An export takes records out of the hub: not trainers. */
		{ HUB_ACT_EXPORT, "export referrals", "supervisor admin", "" },
		{ HUB_ACT_BOARD, "see the workload board", "supervisor", "trainer" },
		{ HUB_ACT_SIGNOFF, "sign decisions off", "supervisor", "" },
		{ HUB_ACT_CHASE, "chase agencies' checks", "supervisor", "" },
		{ HUB_ACT_SCENARIO, "run training scenarios", "", "admin trainer" },
	};
	if (!hub->have_me)
		return md_fail(err, EX_NOUSER, "no acting user");
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (rules[i].act != act)
			continue;
		char roles[96];
		snprintf(roles, sizeof roles, " %s %s ", rules[i].who,
			 hub->training ? rules[i].who_training : "");
		char mine[MD_CODE_MAX + 2];
		snprintf(mine, sizeof mine, " %s ", hub->me.role);
		if (strstr(roles, mine))
			return 0;
		if (act == HUB_ACT_BULK)
			return md_fail(err, EX_NOPERM, "only an admin or trainer "
				       "of a training hub may %s; %s is %s",
				       rules[i].what, hub->name,
				       hub->training ? "a training hub"
						     : "a live hub");
		if (act == HUB_ACT_SCENARIO && !hub->training)
			return md_fail(err, EX_NOPERM, "only trainers and admins "
				       "of a training hub may %s; %s is a live "
				       "hub, and nothing is copied between live "
				       "and training hubs", rules[i].what, hub->name);
		if (act == HUB_ACT_SCENARIO)
			return md_fail(err, EX_NOPERM, "only trainers and admins "
				       "may %s; %s is %s %s", rules[i].what,
				       hub->me.login,
				       strchr("aeiou", hub->me.role[0]) ? "an" : "a",
				       hub->me.role);
		char who[96];
		hub_roles_phrase(who, sizeof who, rules[i].who);
		return md_fail(err, EX_NOPERM, "only %s may %s; %s is %s %s",
			       who, rules[i].what, hub->me.login,
			       strchr("aeiou", hub->me.role[0]) ? "an" : "a",
			       hub->me.role);
	}
	return md_fail(err, EX_SOFTWARE, "no permission rule for action %d", act);
}

/* An attempt refused is recorded: who tried what, and why not. */
int hub_permit(struct hub *hub, enum hub_act act, struct md_error *err)
{
	int status = hub_permit_check(hub, act, err);
	if (status == EX_NOPERM)
		hub_audit_alone(hub, hub->me.login, "refused", 0, err->msg);
	return status;
}

/* The same, for an action on one referral: the refusal is recorded
 * against it, so `audit show REF` lists who tried and was turned away. */
int hub_permit_ref(struct hub *hub, enum hub_act act, const char *ref,
		   struct md_error *err)
{
	int status = hub_permit_check(hub, act, err);
	if (status == EX_NOPERM)
		hub_refused_on(hub, ref, err->msg);
	return status;
}

void hub_refused_on(struct hub *hub, const char *ref, const char *why)
{
	struct md_error scratch;
	long long id = 0;
	if (hub_find_referral(hub, ref, &id, NULL, &scratch) != 0)
		id = 0;
	hub_audit_alone(hub, hub->me.login, "refused", id, why);
}

int hub_note_check(const char *field, const char *text, size_t max,
		   const char *why, struct md_error *err)
{
	if (!text || !*text)
		return md_fail(err, EX_USAGE, "%s: required; %s", field, why);
	size_t n = strlen(text);
	if (n > max || !text_valid_utf8(text, n))
		return md_fail(err, EX_DATAERR, "%s: not valid UTF-8 text of at "
			       "most %zu bytes", field, max);
	return 0;
}

int hub_may(struct hub *hub, enum hub_act act, struct md_error *why)
{
	struct md_error scratch;
	if (act == HUB_ACT_CHECK && hub->have_me && !hub->me.agency[0])
		return md_fail(why ? why : &scratch, EX_NOPERM, "%s belongs to "
			       "no agency", hub->me.login) == 0;
	return hub_permit_check(hub, act, why ? why : &scratch) == 0;
}

/* ---- codes -------------------------------------------------------------- */

/* Lookup tables by name: the only table names ever put into SQL text, and
 * they come from this fixed list, never from input. */
static const struct {
	const char *table;
	const char *list_sql;
	const char *exists_sql;
} code_tables[] = {
#define CODE_TABLE(t) { #t, "SELECT code, name, '' FROM " #t " ORDER BY sort", \
	"SELECT 1 FROM " #t " WHERE code = ?" }
#define EXPLAINED_TABLE(t) { #t, "SELECT code, name, explanation FROM " #t \
	" ORDER BY sort", "SELECT 1 FROM " #t " WHERE code = ?" }
	CODE_TABLE(agency), CODE_TABLE(category), CODE_TABLE(source),
	CODE_TABLE(outcome), EXPLAINED_TABLE(lawful_basis),
	EXPLAINED_TABLE(handling_code), CODE_TABLE(referral_status),
	CODE_TABLE(check_status), CODE_TABLE(consent_position),
	CODE_TABLE(rag), CODE_TABLE(role),
#undef CODE_TABLE
#undef EXPLAINED_TABLE
};

static int code_table_index(const char *table)
{
	for (size_t i = 0; i < sizeof code_tables / sizeof code_tables[0]; i++)
		if (strcmp(code_tables[i].table, table) == 0)
			return (int)i;
	return -1;
}

int hub_list_codes(struct hub *hub, const char *table,
		   int (*cb)(const struct hub_code *c, void *arg), void *arg,
		   struct md_error *err)
{
	int t = code_table_index(table);
	if (t < 0)
		return md_fail(err, EX_SOFTWARE, "no code table %s", table);
	sqlite3_stmt *st = hub_stmt(hub, code_tables[t].list_sql, err);
	if (!st)
		return err->code;
	int rc, status = 0;
	while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hub_code c;
		hub_col_text(st, 0, c.code, sizeof c.code);
		hub_col_text(st, 1, c.name, sizeof c.name);
		hub_col_text(st, 2, c.explanation, sizeof c.explanation);
		status = cb(&c, arg);
	}
	if (status == 0 && rc != SQLITE_DONE)
		status = hub_sql_fail(hub, rc, "listing codes", err);
	hub_reset(st);
	return status;
}

struct code_join {
	char text[512];
};

static int code_join_cb(const struct hub_code *c, void *arg)
{
	struct code_join *j = arg;
	size_t n = strlen(j->text);
	snprintf(j->text + n, sizeof j->text - n, "%s%s", n ? " " : "", c->code);
	return 0;
}

int hub_code_check(struct hub *hub, const char *table, const char *code,
		   const char *field, struct md_error *err)
{
	int t = code_table_index(table);
	if (t < 0)
		return md_fail(err, EX_SOFTWARE, "no code table %s", table);
	sqlite3_stmt *st = hub_stmt(hub, code_tables[t].exists_sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	hub_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return hub_sql_fail(hub, rc, "checking a code", err);
	struct code_join j = { "" };
	hub_list_codes(hub, table, code_join_cb, &j, NULL);
	return md_fail(err, EX_DATAERR, "%s: unknown code '%s' (one of: %s)",
		       field, code, j.text);
}

/* ---- finding referrals ---------------------------------------------------- */

/* "r12", "R000012" and "12" all name referral 12. */
static int hub_parse_ref(const char *ref, long long *id)
{
	const char *p = ref;
	if (*p == 'R' || *p == 'r')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	long long v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > 100000000000LL)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p || v <= 0)
		return -1;
	*id = v;
	return 0;
}

int hub_find_referral(struct hub *hub, const char *ref, long long *id,
		      char status[MD_CODE_MAX], struct md_error *err)
{
	static const char sql[] = "SELECT status FROM referral WHERE id = ?";
	long long want;
	if (!ref || hub_parse_ref(ref, &want) != 0)
		return md_fail(err, EX_DATAERR, "'%s' is not a referral "
			       "reference (like R000012)", ref ? ref : "");
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, want);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && status)
		hub_col_text(st, 0, status, MD_CODE_MAX);
	hub_reset(st);
	if (rc == SQLITE_DONE)
		return md_fail(err, EX_DATAERR, "no referral %s on hub %s", ref,
			       hub->name);
	if (rc != SQLITE_ROW)
		return hub_sql_fail(hub, rc, "finding a referral", err);
	*id = want;
	return 0;
}
