/* hub_doctor.c - `mashdesk doctor`: is this hub healthy, and if not, what
 * to do about it.  Each finding is one line: what was checked, what was
 * found, and for a problem, how to fix it.
 *
 * On SQLite the file is the hub: its filesystem, modes, group, journal,
 * integrity and locking are checked.  On PostgreSQL there is no file: the
 * server is (its version, whether this is the primary, its standbys and
 * their lag, the role the hub connects as, the writers' advisory lock).
 * The checks of what is in the hub (schema, leases, the audit chain, the
 * seals, backups) are the same on both; where a query differs by engine,
 * one small function per concern picks it by hub->engine. */
#include "hub_internal.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/backup_file.h"
#include "mashdesk/clock.h"
#include "mashdesk/privilege.h"

struct doctor {
	const char *path;
	hub_doctor_cb cb;
	void *arg;
	int worst;             /* the exit status so far */
};

static void say(struct doctor *dr, enum hub_finding level, int code,
		const char *topic, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void say(struct doctor *dr, enum hub_finding level, int code,
		const char *topic, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (level == HUB_FINDING_PROBLEM && !dr->worst)
		dr->worst = code;
	dr->cb(level, topic, text, dr->arg);
}

static const char *fs_name(long type)
{
	static const struct { unsigned long type; const char *name; } names[] = {
		{ 0xEF53, "ext2/3/4" }, { 0x58465342, "xfs" }, { 0x9123683E, "btrfs" },
		{ 0x01021994, "tmpfs" }, { 0x2FC12FC1, "zfs" }, { 0x794C7630, "overlayfs" },
		{ 0x6969, "nfs" }, { 0xFF534D42, "cifs" }, { 0xFE534D42, "smb2" },
		{ 0x517B, "smb" }, { 0x65735546, "fuse" }, { 0x5346414F, "afs" },
		{ 0x00C36400, "ceph" }, { 0x47504653, "gpfs" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((unsigned long)type == names[i].type)
			return names[i].name;
	return "unknown";
}

static void check_filesystem(struct doctor *dr, int *network)
{
	struct statfs sf;
	if (statfs(dr->path, &sf) != 0) {
		say(dr, HUB_FINDING_PROBLEM, EX_IOERR, "filesystem", "cannot read: %s",
		    strerror(errno));
		return;
	}
	*network = hub_fs_is_network((long)sf.f_type);
	say(dr, HUB_FINDING_OK, 0, "filesystem", "%s (%s)", fs_name((long)sf.f_type),
	    *network ? "a network filesystem: rollback journal, one host's "
		       "locking; prefer a local disk" : "local disk: WAL mode");
}

static void check_permissions(struct doctor *dr)
{
	struct stat sb, db;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", dr->path);
	const char *d = dirname(dir);
	if (stat(dr->path, &sb) != 0 || stat(d, &db) != 0) {
		say(dr, HUB_FINDING_PROBLEM, EX_IOERR, "permissions", "cannot stat: %s",
		    strerror(errno));
		return;
	}
	struct group *g = getgrgid(sb.st_gid);
	const char *group = g ? g->gr_name : "?";
	if (sb.st_mode & (S_IROTH | S_IWOTH))
		say(dr, HUB_FINDING_PROBLEM, EX_NOPERM, "permissions", "the hub is "
		    "%s by everyone on this host (mode %04o); fix: chmod o-rwx %s",
		    (sb.st_mode & S_IWOTH) ? "writable" : "readable",
		    (unsigned)(sb.st_mode & 07777), dr->path);
	else
		say(dr, HUB_FINDING_OK, 0, "permissions", "mode %04o, group %s",
		    (unsigned)(sb.st_mode & 07777), group);
	/* The -wal holds recent changes in full and the -shm the index to
	 * them: as secret as the hub, and as closed. */
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	for (int i = 0; i < 3; i++) {
		char p[PATH_MAX + 16];
		struct stat ss;
		snprintf(p, sizeof p, "%s%s", dr->path, side[i]);
		if (lstat(p, &ss) != 0)
			continue;
		if (ss.st_mode & (S_IROTH | S_IWOTH))
			say(dr, HUB_FINDING_PROBLEM, EX_NOPERM, "permissions", "%s is "
			    "%s by everyone on this host (mode %04o); fix: chmod "
			    "o-rwx %s", p, (ss.st_mode & S_IWOTH) ? "writable"
			    : "readable", (unsigned)(ss.st_mode & 07777), p);
		else if (ss.st_gid != sb.st_gid && (ss.st_mode & S_IRWXG))
			say(dr, HUB_FINDING_PROBLEM, EX_NOPERM, "permissions", "%s "
			    "belongs to another group than the hub; fix: chgrp %s "
			    "%s", p, group, p);
	}
	if ((db.st_mode & S_IWOTH) && !(db.st_mode & S_ISVTX))
		say(dr, HUB_FINDING_PROBLEM, EX_NOPERM, "directory", "%s is writable "
		    "by everyone, who could replace the hub; fix: chmod o-w %s", d, d);
	else if (db.st_mode & S_IWOTH)
		say(dr, HUB_FINDING_WARNING, 0, "directory", "%s is a shared scratch "
		    "directory (like /tmp): fine for practice, but keep a live hub "
		    "in a directory of its own group (see mashdesk(1), DEPLOYMENT)", d);
	else if ((sb.st_mode & S_IRWXG) && !(db.st_mode & S_ISGID))
		say(dr, HUB_FINDING_WARNING, 0, "directory", "the hub is shared with "
		    "group %s but %s is not setgid, so the -wal and -shm files "
		    "may get another group; fix: chgrp %s %s && chmod g+s %s",
		    group, d, group, d, d);
	else
		say(dr, HUB_FINDING_OK, 0, "directory", "%s mode %04o", d,
		    (unsigned)(db.st_mode & 07777));
}

/* A child takes the write lock and holds it; we must be refused while it
 * does and admitted once it lets go.  Proves the filesystem's locking. */
static void check_locking(struct doctor *dr)
{
	int go[2], held[2];
	if (pipe(go) != 0 || pipe(held) != 0) {
		say(dr, HUB_FINDING_PROBLEM, EX_OSERR, "locking", "pipe: %s", strerror(errno));
		return;
	}
	pid_t kid = fork();
	if (kid == 0) {
		sqlite3 *db = NULL;
		char c = 'x';
		int ok = sqlite3_open_v2(dr->path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
			 sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
		c = ok ? 'y' : 'n';
		(void)!write(held[1], &c, 1);
		(void)!read(go[0], &c, 1);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(db);
		_exit(0);
	}
	char c = 'n';
	(void)!read(held[0], &c, 1);
	sqlite3 *db = NULL;
	int blocked = -1, admitted = -1;
	if (c == 'y' && sqlite3_open_v2(dr->path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 200);
		blocked = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_BUSY;
	}
	(void)!write(go[1], "g", 1);
	waitpid(kid, NULL, 0);
	if (db) {
		sqlite3_busy_timeout(db, 5000);
		admitted = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_close(db);
	}
	close(go[0]); close(go[1]); close(held[0]); close(held[1]);
	if (blocked == 1 && admitted == 1)
		say(dr, HUB_FINDING_OK, 0, "locking", "two processes: the second "
		    "waits while the first writes, then gets its turn");
	else
		say(dr, HUB_FINDING_PROBLEM, EX_UNAVAILABLE, "locking", "two-process "
		    "lock test failed (%s); this filesystem's locks cannot be "
		    "trusted: move the hub to a local disk",
		    c != 'y' ? "could not take the lock" : blocked != 1
		    ? "a second writer was not kept out" : "the lock was not released");
}

static void check_journal(struct doctor *dr, struct hub *hub, int network)
{
	char mode[16] = "";
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	if (hub_prepare(hub, "PRAGMA journal_mode", &st, &err) == 0 &&
	    db_step(st) == DB_ROW)
		hub_col_text(st, 0, mode, sizeof mode);
	db_finalize(st);
	const char *want = network ? "delete" : "wal";
	if (strcmp(mode, want) == 0)
		say(dr, HUB_FINDING_OK, 0, "journal", "%s", mode);
	else
		say(dr, HUB_FINDING_PROBLEM, EX_CONFIG, "journal", "%s, but %s is "
		    "right here; fix: open the hub once with mashdesk, which sets it",
		    mode, want);
	struct stat sb;
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", dr->path);
	if (stat(wal, &sb) == 0 && sb.st_size > 256LL * 1024 * 1024)
		say(dr, HUB_FINDING_WARNING, 0, "wal", "%lld MB: a desk may be "
		    "holding an old read open; it shrinks once all desks have "
		    "caught up (or run: sqlite3 %s 'PRAGMA wal_checkpoint(TRUNCATE)')",
		    (long long)(sb.st_size / (1024 * 1024)), dr->path);
	else
		say(dr, HUB_FINDING_OK, 0, "wal", "%lld kB",
		    stat(wal, &sb) == 0 ? (long long)(sb.st_size / 1024) : 0LL);
}

static long long count(struct hub *hub, const char *sql, long long arg)
{
	struct db_stmt *st = NULL;
	long long n = -1;
	struct md_error err = { 0 };
	if (hub_prepare(hub, sql, &st, &err) == 0) {
		db_bind_int64(st, 1, arg);
		if (db_step(st) == DB_ROW)
			n = db_column_int64(st, 0);
	}
	db_finalize(st);
	return n;
}

static void check_integrity_lite(struct doctor *dr, struct hub *hub)
{
	char first[256] = "";
	struct db_stmt *st = NULL;
	int rows = 0;
	struct md_error err = { 0 };
	if (hub_prepare(hub, "PRAGMA integrity_check(5)", &st, &err) == 0)
		while (db_step(st) == DB_ROW)
			if (rows++ == 0)
				hub_col_text(st, 0, first, sizeof first);
	db_finalize(st);
	if (rows == 1 && strcmp(first, "ok") == 0)
		say(dr, HUB_FINDING_OK, 0, "integrity", "ok");
	else
		say(dr, HUB_FINDING_PROBLEM, EX_DATAERR, "integrity", "damaged: %s; "
		    "fix: restore from the last backup (sqlite3 %s .recover may "
		    "save what is left)", first[0] ? first : "cannot read", dr->path);
	long long fk = count(hub, "SELECT count(*) FROM pragma_foreign_key_check", 0);
	if (fk == 0)
		say(dr, HUB_FINDING_OK, 0, "foreign keys", "ok");
	else
		say(dr, HUB_FINDING_PROBLEM, EX_DATAERR, "foreign keys", "%lld rows "
		    "point at records that are not there", fk);
}

/* PostgreSQL checks its own pages and keys: nothing like integrity_check
 * or foreign_key_check to run, but say what guards them. */
static void check_integrity_pg(struct doctor *dr, struct hub *hub)
{
	char sums[16] = "";
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	if (hub_prepare(hub, "SELECT current_setting('data_checksums')", &st,
			&err) == 0 && db_step(st) == DB_ROW)
		hub_col_text(st, 0, sums, sizeof sums);
	db_finalize(st);
	say(dr, HUB_FINDING_OK, 0, "integrity", "kept by the server (data "
	    "checksums %s); a deep check of tables and indexes: pg_amcheck",
	    sums[0] ? sums : "unknown");
	say(dr, HUB_FINDING_OK, 0, "foreign keys", "enforced by the server at "
	    "every save");
}

static void check_integrity(struct doctor *dr, struct hub *hub)
{
	if (hub->engine == HUB_POSTGRES)
		check_integrity_pg(dr, hub);
	else
		check_integrity_lite(dr, hub);
}

static void check_leases(struct doctor *dr, struct hub *hub)
{
	long long stale = count(hub, "SELECT count(*) FROM lease WHERE expires_at < ?",
				clock_now());
	long long live = count(hub, "SELECT count(*) FROM lease WHERE expires_at >= ?",
			       clock_now());
	if (stale > 0)
		say(dr, HUB_FINDING_WARNING, 0, "leases", "%lld expired (their desks "
		    "are gone; the next editor takes them over), %lld live", stale, live);
	else
		say(dr, HUB_FINDING_OK, 0, "leases", "%lld live, none stale", live);
}

/* ---- who can reach a live hub -------------------------------------------- */

/* A live hub's group must have no people in it: a member reaches the file
 * around mashdesk (sqlite3, cp).  Root is left out: root reaches it anyway. */
static void check_members(struct doctor *dr, gid_t gid, const char *group)
{
	char names[512] = "";
	size_t used = 0;
	int n = 0;
	struct group *g = getgrgid(gid);
	for (char **m = g ? g->gr_mem : NULL; m && *m; m++) {
		struct passwd *pw = getpwnam(*m);
		if (pw && pw->pw_uid == 0)
			continue;
		n++;
		if (used < sizeof names)
			used += (size_t)snprintf(names + used, sizeof names - used,
						 "%s%s", used ? ", " : "", *m);
	}
	setpwent();
	for (struct passwd *pw; (pw = getpwent()) != NULL;) {
		if (pw->pw_gid != gid || pw->pw_uid == 0)
			continue;
		n++;
		if (used < sizeof names)
			used += (size_t)snprintf(names + used, sizeof names - used,
						 "%s%s (its primary group)",
						 used ? ", " : "", pw->pw_name);
	}
	endpwent();
	if (n)
		say(dr, HUB_FINDING_PROBLEM, EX_NOPERM, "group", "%d login%s in "
		    "the hub's group %s, so can read and change the hub around "
		    "mashdesk (sqlite3, cp): %s; fix: gpasswd -d LOGIN %s for each "
		    "(usermod -g for a primary group); people reach the hub through "
		    "the setgid mashdesk", n, n == 1 ? " is" : "s are", group, names,
		    group);
	else
		say(dr, HUB_FINDING_OK, 0, "group", "nobody is in %s: people reach "
		    "the hub only through mashdesk", group);
}

/* This process reached the live hub: through the setgid group (as it
 * should), as root or its owner, or through the caller's own membership
 * of its group (a problem: so can sqlite3).  And is this program installed
 * setgid to the hub's group, as practitioners' must be? */
static void check_reach(struct doctor *dr, const struct stat *sb,
			const char *group)
{
	struct stat self;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (!priv_hub_rights() && getuid() != 0 && getuid() != sb->st_uid)
		say(dr, HUB_FINDING_PROBLEM, EX_NOPERM, "reach", "you reached this "
		    "live hub through your own membership of group %s, not "
		    "through a setgid mashdesk: so can sqlite3 and cp; fix: "
		    "install mashdesk setgid to %s and take people out of it "
		    "(README, Deployment)", group, group);
	else if (n > 0 && stat(exe, &self) == 0 &&
		 (!(self.st_mode & S_ISGID) || self.st_gid != sb->st_gid))
		say(dr, HUB_FINDING_WARNING, 0, "reach", "%s is not installed "
		    "setgid to the hub's group %s, so practitioners cannot reach "
		    "the hub with it (the one they run must be: chgrp %s %s && "
		    "chmod 2755 %s)", exe, group, group, exe, exe);
	else
		say(dr, HUB_FINDING_OK, 0, "reach", "%s", priv_hub_rights()
		    ? "through the setgid mashdesk" : "as root or the hub's owner, "
		    "with a mashdesk installed setgid to its group");
}

/* ---- what changed outside mashdesk ----------------------------------------------- */

/* How many of the audit log's two append-only triggers are there (and,
 * on PostgreSQL, enabled: ALTER TABLE ... DISABLE TRIGGER is as bad). */
static const char *audit_triggers_sql(const struct hub *hub)
{
	static const char *const sql[] = {
		[HUB_SQLITE] = "SELECT count(*) FROM sqlite_master WHERE"
			" type = 'trigger' AND name IN ('audit_no_update',"
			" 'audit_no_delete') AND tbl_name = 'audit'",
		[HUB_POSTGRES] = "SELECT count(*) FROM pg_trigger WHERE"
			" tgrelid = to_regclass('audit') AND tgname IN"
			" ('audit_no_update', 'audit_no_delete') AND tgenabled <> 'D'",
	};
	return sql[hub->engine];
}

static void check_audit(struct doctor *dr, struct hub *hub)
{
	struct md_error err;
	long long rows = 0;
	if (hub_audit_verify(hub, &rows, &err) != 0)
		say(dr, HUB_FINDING_PROBLEM, EX_DATAERR, "audit", "%s", err.msg);
	else
		say(dr, HUB_FINDING_OK, 0, "audit", "%lld entries, the chain intact "
		    "(check it against an anchor kept elsewhere: audit verify "
		    "--from)", rows);
	long long triggers = count(hub, audit_triggers_sql(hub), 0);
	if (triggers != 2)
		say(dr, HUB_FINDING_PROBLEM, EX_DATAERR, "audit", "the audit log's "
		    "append-only triggers are gone or switched off: someone "
		    "changed the schema outside mashdesk");
}

/* Each referral's state against the one its latest audited change sealed
 * (hub_seal.c): a difference is a change made outside mashdesk. */
static void check_seals(struct doctor *dr, struct hub *hub)
{
	static const char sql[] =
		"SELECT a.referral_id, a.state, coalesce(r.ref, '') FROM audit a"
		" LEFT JOIN referral r ON r.id = a.referral_id"
		" WHERE a.id IN (SELECT max(id) FROM audit WHERE state IS NOT NULL"
		" GROUP BY referral_id) ORDER BY a.referral_id";
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	char refs[256] = "", now[65], sealed[65];
	size_t used = 0;
	long long checked = 0, changed = 0;
	int rc = hub_prepare(hub, sql, &st, &err) == 0 ? DB_ROW : DB_ERROR;
	while (rc == DB_ROW) {
		if ((rc = db_step(st)) != DB_ROW)
			break;
		long long id = db_column_int64(st, 0);
		char ref[MD_REF_MAX + 16];
		hub_col_text(st, 1, sealed, sizeof sealed);
		hub_col_text(st, 2, ref, sizeof ref);
		if (!ref[0])
			snprintf(ref, sizeof ref, "referral %lld (deleted)", id);
		if (hub_seal_state(hub, id, now, &err) != 0) {
			rc = DB_ERROR;
			break;
		}
		checked++;
		if (strcmp(now, sealed) == 0)
			continue;
		if (changed++ < 5 && used < sizeof refs)
			used += (size_t)snprintf(refs + used, sizeof refs - used,
						 "%s%s", used ? ", " : "", ref);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		say(dr, HUB_FINDING_PROBLEM, EX_SOFTWARE, "changes", "cannot "
		    "compare the referrals with their audit: %s",
		    err.msg[0] ? err.msg : hub_errmsg(hub));
	else if (changed)
		say(dr, HUB_FINDING_PROBLEM, EX_DATAERR, "changes", "%lld "
		    "referral%s changed outside mashdesk since %s last audited "
		    "change (the referral, a check or the decision no longer "
		    "matches what the audit log sealed): %s%s", changed,
		    changed == 1 ? "" : "s", changed == 1 ? "its" : "their", refs,
		    changed > 5 ? ", ..." : "");
	else
		say(dr, HUB_FINDING_OK, 0, "changes", "%lld referral%s as %s last "
		    "audited change left %s", checked, checked == 1 ? "" : "s",
		    checked == 1 ? "its" : "their", checked == 1 ? "it" : "them");
}
/* ---- the PostgreSQL server ------------------------------------------------ */

/* Lag worth a warning: a standby this far behind loses this much if it
 * has to take over now (an asynchronous one), or is slow to catch up. */
#define PG_LAG_SECONDS 10.0
#define PG_LAG_BYTES (16LL * 1024 * 1024)

/* The server's version, and whether it is the primary: only the primary
 * takes saves (a standby in recovery is read-only).  1 for the primary. */
static int check_pg_server(struct doctor *dr, struct hub *hub)
{
	char version[128] = "";
	int standby = -1;
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	if (hub_prepare(hub, "SELECT current_setting('server_version'),"
			" pg_is_in_recovery()", &st, &err) == 0 &&
	    db_step(st) == DB_ROW) {
		hub_col_text(st, 0, version, sizeof version);
		standby = db_column_int(st, 1);
	}
	db_finalize(st);
	if (standby < 0)
		say(dr, HUB_FINDING_PROBLEM, EX_UNAVAILABLE, "server", "cannot "
		    "read the server's version and role: %s", hub_errmsg(hub));
	else if (standby)
		say(dr, HUB_FINDING_PROBLEM, EX_UNAVAILABLE, "server", "PostgreSQL "
		    "%s, a standby in recovery: it cannot take saves; fix: "
		    "point the address at the primary (with several hosts, add "
		    "target_session_attrs=read-write)", version);
	else
		say(dr, HUB_FINDING_OK, 0, "server", "PostgreSQL %s, the primary",
		    version);
	return standby == 0;
}

/* The hub's role should be its own, not a superuser: a superuser can turn
 * the audit log's triggers off, and reaches every other database too. */
static void check_pg_role(struct doctor *dr, struct hub *hub, char *role,
			  size_t len)
{
	int super = -1;
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	role[0] = '\0';
	if (hub_prepare(hub, "SELECT current_user, rolsuper FROM pg_roles"
			" WHERE rolname = current_user", &st, &err) == 0 &&
	    db_step(st) == DB_ROW) {
		hub_col_text(st, 0, role, len);
		super = db_column_int(st, 1);
	}
	db_finalize(st);
	if (super < 0)
		say(dr, HUB_FINDING_WARNING, 0, "role", "cannot read the "
		    "connection's role: %s", hub_errmsg(hub));
	else if (super)
		say(dr, HUB_FINDING_WARNING, 0, "role", "connected as %s, a "
		    "superuser; give the hub its own role (README, PostgreSQL): "
		    "a superuser can switch the audit log's triggers off", role);
	else
		say(dr, HUB_FINDING_OK, 0, "role", "connected as %s, not a "
		    "superuser", role);
}

/* One standby's line: what pg_stat_replication says of it.  1 when it is
 * synchronous (sync or quorum), -1 when the role may not see its state. */
static int pg_standby(struct doctor *dr, struct db_stmt *st)
{
	char name[128], addr[64], state[32], sync[16];
	hub_col_text(st, 0, name, sizeof name);
	hub_col_text(st, 1, addr, sizeof addr);
	hub_col_text(st, 2, state, sizeof state);
	hub_col_text(st, 3, sync, sizeof sync);
	double lag = db_column_double(st, 4);
	long long bytes = db_column_int64(st, 5);
	if (!state[0])
		return -1;
	const char *who = name[0] ? name : "(no application_name)";
	int slow = lag > PG_LAG_SECONDS || bytes > PG_LAG_BYTES;
	if (strcmp(state, "streaming") != 0 || slow)
		say(dr, HUB_FINDING_WARNING, 0, "standby", "%s at %s: %s, %s, "
		    "replay lag %.1f s, %lld bytes behind: %s", who, addr, state,
		    sync, lag, bytes, slow ? "more than 10 s or 16 MB behind; "
		    "is its network or disk too slow?" : "not streaming yet "
		    "(catching up, or being copied)");
	else
		say(dr, HUB_FINDING_OK, 0, "standby", "%s at %s: %s, %s, replay "
		    "lag %.1f s, %lld bytes behind", who, addr, state, sync, lag,
		    bytes);
	return strcmp(sync, "sync") == 0 || strcmp(sync, "quorum") == 0;
}

/* The standbys the primary streams to (pg_stat_replication), their lag,
 * and whether the synchronous ones that synchronous_standby_names asks
 * for are there: without one, every save waits for ever. */
static void check_pg_replication(struct doctor *dr, struct hub *hub,
				 const char *role)
{
	static const char sql[] =
		"SELECT coalesce(application_name, ''),"
		" coalesce(host(client_addr), 'the local socket'),"
		" coalesce(state, ''), coalesce(sync_state, ''),"
		" coalesce(extract(epoch FROM replay_lag), 0)::float8,"
		" coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint"
		" FROM pg_stat_replication ORDER BY application_name, client_addr";
	char want[256] = "";
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	int rc = DB_ERROR, n = 0, sync = 0, hidden = 0;
	if (hub_prepare(hub, "SELECT current_setting('synchronous_standby_names')",
			&st, &err) == 0 && db_step(st) == DB_ROW)
		hub_col_text(st, 0, want, sizeof want);
	db_finalize(st);
	st = NULL;
	if (hub_prepare(hub, sql, &st, &err) == 0)
		while ((rc = db_step(st)) == DB_ROW) {
			int s = pg_standby(dr, st);
			n++;
			sync += s > 0;
			hidden += s < 0;
		}
	db_finalize(st);
	if (rc != DB_DONE)
		say(dr, HUB_FINDING_WARNING, 0, "replication", "cannot read "
		    "pg_stat_replication: %s", err.msg[0] ? err.msg : hub_errmsg(hub));
	else if (hidden)
		say(dr, HUB_FINDING_WARNING, 0, "replication", "%d standby "
		    "connection%s, but role %s may not see their state or lag; "
		    "fix: GRANT pg_monitor TO %s", hidden, hidden == 1 ? "" : "s",
		    role, role);
	else if (want[0] && !sync)
		say(dr, HUB_FINDING_PROBLEM, EX_UNAVAILABLE, "replication",
		    "synchronous_standby_names is '%s' but no standby is "
		    "synchronous (%d connected): saves wait until one is; fix: "
		    "bring the standby back, or clear synchronous_standby_names "
		    "(README, High availability)", want, n);
	else if (n == 0)
		say(dr, HUB_FINDING_WARNING, 0, "replication", "no standby: a "
		    "failure of this server stops the hub; see README, High "
		    "availability");
	else
		say(dr, HUB_FINDING_OK, 0, "replication", "%d standby%s, %d "
		    "synchronous%s", n, n == 1 ? "" : "s", sync, want[0] ? ""
		    : " (synchronous_standby_names is empty: a failover may "
		    "lose the last saves)");
}

/* The writers' lock the PostgreSQL way (hub_begin: an advisory lock per
 * database): while this connection holds it in a save, a second
 * connection must be refused it, and admitted once the save ends. */
static void check_pg_locking(struct doctor *dr, struct hub *hub)
{
	static const char sql[] = "SELECT pg_try_advisory_xact_lock(?)";
	struct hub *other = NULL;
	struct db_stmt *st = NULL;
	struct md_error err = { 0 };
	int blocked = -1, admitted = -1;
	if (hub_connect(&other, dr->path, &hub->cfg, 0, &err) != 0) {
		say(dr, HUB_FINDING_PROBLEM, EX_UNAVAILABLE, "locking", "a second "
		    "connection failed: %s", err.msg);
		return;
	}
	int held = hub_begin(hub, &err) == 0;
	if (held && hub_prepare(other, sql, &st, &err) == 0) {
		db_bind_int64(st, 1, HUB_PG_WRITER_LOCK);
		if (db_step(st) == DB_ROW)
			blocked = !db_column_int(st, 0);
		hub_reset(st);
	}
	if (held)
		hub_end(hub, -1, &err);     /* a rollback: nothing was written */
	if (st) {
		db_bind_int64(st, 1, HUB_PG_WRITER_LOCK);
		if (db_step(st) == DB_ROW)
			admitted = db_column_int(st, 0);
	}
	db_finalize(st);
	hub_close(other);
	if (blocked == 1 && admitted == 1)
		say(dr, HUB_FINDING_OK, 0, "locking", "two connections: the "
		    "second is kept out while the first saves (an advisory "
		    "lock), then gets its turn");
	else
		say(dr, HUB_FINDING_PROBLEM, EX_UNAVAILABLE, "locking", "the "
		    "writers' advisory lock test failed (%s); saves may not "
		    "take turns", !held ? "could not take the lock" : blocked != 1
		    ? "a second writer was not kept out" : "the lock was not "
		    "released");
}

/* ---- copies ----------------------------------------------------------------- */

/* The newest copy in [backup] dir and its age (README "Operations"). */
static void check_backups(struct doctor *dr, const struct config *cfg,
			  int training)
{
	char name[256];
	long long mtime = 0;
	int count = 0;
	struct md_error err;
	if (!cfg || !cfg->backup_dir[0]) {
		if (!training)
			say(dr, HUB_FINDING_WARNING, 0, "backup", "no [backup] dir "
			    "is configured, so nothing says this hub has a copy "
			    "anywhere (mashdesk.ini(5), [backup]; README, Operations)");
		return;
	}
	if (backup_newest(cfg->backup_dir, name, sizeof name, &mtime, &count, &err)) {
		say(dr, HUB_FINDING_WARNING, 0, "backup", "%s", err.msg);
		return;
	}
	if (count == 0) {
		say(dr, HUB_FINDING_WARNING, 0, "backup", "no copies in %s yet "
		    "(take one: mashdesk backup)", cfg->backup_dir);
		return;
	}
	long long age = clock_now() - mtime;
	if (age < 0)
		age = 0;
	char ago[32];
	if (age < 5400)
		snprintf(ago, sizeof ago, "%lld minutes", age / 60);
	else
		snprintf(ago, sizeof ago, "%.1f hours", (double)age / 3600);
	if (age > (long long)cfg->backup_warn_hours * 3600)
		say(dr, HUB_FINDING_WARNING, 0, "backup", "the newest copy, %s, "
		    "is %s old: more than [backup] warn_hours (%d); is the "
		    "timer running? (systemctl status mashdesk-backup.timer)",
		    name, ago, cfg->backup_warn_hours);
	else
		say(dr, HUB_FINDING_OK, 0, "backup", "the newest copy, %s, is %s "
		    "old (%d in %s)", name, ago, count, cfg->backup_dir);
}

/* A PostgreSQL hub: the server's checks, then what is in the hub. */
static void doctor_pg(struct doctor *dr, struct hub *hub,
		      const struct config *cfg)
{
	char role[128];
	int primary = check_pg_server(dr, hub);
	check_pg_role(dr, hub, role, sizeof role);
	if (primary)
		check_pg_replication(dr, hub, role);
	check_integrity(dr, hub);
	check_leases(dr, hub);
	check_audit(dr, hub);
	if (!hub->training)
		check_seals(dr, hub);
	if (primary)
		check_pg_locking(dr, hub);
	check_backups(dr, cfg, hub->training);
}

int hub_doctor(const char *path, const struct config *cfg, hub_doctor_cb cb,
	       void *arg)
{
	struct doctor dr = { .path = path, .cb = cb, .arg = arg };
	struct md_error err;
	struct hub *hub = NULL;
	int network = 0;
	if (hub_open(&hub, path, cfg, &err) != 0) {
		say(&dr, HUB_FINDING_PROBLEM, err.code, "hub", "%s", err.msg);
		if (err.code == EX_NOINPUT || hub_is_url(path))
			return dr.worst;    /* no file to look at either */
	} else {
		struct hub_info info;
		hub_get_info(hub, &info);
		say(&dr, HUB_FINDING_OK, 0, "hub", "%s (%s), schema version %d",
		    info.name, info.training ? "training" : "live",
		    info.schema_version);
	}
	if (hub && hub->engine == HUB_POSTGRES) {
		doctor_pg(&dr, hub, cfg);
		hub_close(hub);
		return dr.worst;
	}
	check_filesystem(&dr, &network);
	check_permissions(&dr);
	struct stat sb;
	if (hub && !hub->training && stat(path, &sb) == 0 &&
	    (sb.st_mode & (S_IRGRP | S_IWGRP))) {
		struct group *g = getgrgid(sb.st_gid);
		char group[64];
		snprintf(group, sizeof group, "%s", g ? g->gr_name : "?");
		check_members(&dr, sb.st_gid, group);
		check_reach(&dr, &sb, group);
	}
	if (hub) {
		check_journal(&dr, hub, network);
		check_integrity(&dr, hub);
		check_leases(&dr, hub);
		check_audit(&dr, hub);
		if (!hub->training)
			check_seals(&dr, hub);
		check_locking(&dr);
		check_backups(&dr, cfg, hub->training);
		hub_close(hub);
	}
	return dr.worst;
}
