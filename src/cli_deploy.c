/* cli_deploy.c - the command line's part in the deployment model (README,
 * "Deployment"): which hub keeps the setgid group and which runs with the
 * caller's own rights, the live hub's group at `init`, and the audit
 * chain's anchor (`audit head`).
 *
 * An untrusted caller (privilege.h) keeps the hub's group only for the hub
 * the system configuration names ([database] path), and then opens it by
 * the system's own spelling of its path, never by theirs: a symlink they
 * made to resolve one way when checked cannot resolve another way when
 * opened.  Anything else runs with their own rights from the start; a
 * command that creates or replaces a hub in the hub's directory (init,
 * demo, generate, scenario load) is refused there: that is root's job. */
#include "cli_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/privilege.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef HUB_GROUP
#define HUB_GROUP "mashdesk"
#endif

/* path as the real path of its directory and its last name; -1 when the
 * directory cannot be resolved or the name is not a plain one. */
static int cli_canonical(const char *path, char *dir, char *base)
{
	char copy[PATH_MAX];
	if (snprintf(copy, sizeof copy, "%s", path) >= (int)sizeof copy)
		return -1;
	char *slash = strrchr(copy, '/');
	const char *d = ".", *b = copy;
	if (slash) {
		*slash = '\0';
		d = slash == copy ? "/" : copy;
		b = slash + 1;
	}
	if (!*b || !strcmp(b, ".") || !strcmp(b, "..") || strlen(b) > NAME_MAX)
		return -1;
	if (!realpath(d, dir))
		return -1;
	memcpy(base, b, strlen(b) + 1);
	return 0;
}

/* Where a and b are the same directory (*same_dir) and the same file. */
static int cli_same_hub(const char *a, const char *b, int *same_dir)
{
	char da[PATH_MAX], ba[NAME_MAX + 1], db[PATH_MAX], bb[NAME_MAX + 1];
	*same_dir = 0;
	if (!*a || !*b)
		return 0;
	if (strcmp(a, b) == 0) {
		*same_dir = 1;
		return 1;
	}
	if (cli_canonical(a, da, ba) || cli_canonical(b, db, bb))
		return 0;
	*same_dir = strcmp(da, db) == 0;
	return *same_dir && strcmp(ba, bb) == 0;
}

/* The system's hub is opened with the group's rights, and SQLite opens
 * its -wal, -shm and journal beside it by name: a directory the caller can
 * write (a relative path, or a ~/ expanded with their $HOME) would let
 * them plant those names.  1 when that could be so. */
static int cli_hub_dir_unsafe(const char *system)
{
	char dir[PATH_MAX], base[NAME_MAX + 1];
	struct stat sb;
	if (system[0] != '/' || cli_canonical(system, dir, base) != 0)
		return 1;
	return stat(dir, &sb) != 0 || sb.st_uid == getuid() ||
	       access(dir, W_OK) == 0;   /* the real ids: the caller's */
}

static int cli_creates_hubs(const struct cli_command *cmd)
{
	static const char *const names[] = {
		"init", "demo", "generate", "scenario load",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (cmd && strcmp(cmd->name, names[i]) == 0)
			return 1;
	return 0;
}

int cli_is_pg_address(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0;
}

/* libpq reads PG* variables for whatever the address leaves out (another
 * host, a password file, server options): a caller's environment must not
 * steer the connection the group's credential makes. */
static void cli_scrub_pg_environment(void)
{
	extern char **environ;
	for (int again = 1; again;) {
		again = 0;
		for (char **e = environ; *e; e++) {
			if (strncmp(*e, "PG", 2) != 0)
				continue;
			char name[128];
			size_t n = strcspn(*e, "=");
			if (n >= sizeof name)
				continue;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			again = 1;
			break;
		}
	}
}

int cli_privilege(struct cli *c)
{
	if (!priv_untrusted())
		return 0;
	/* The configuration was split (config_load_split): [database] path
	 * and url can only be the system's. */
	const char *system = c->cfg.db_url[0] ? c->cfg.db_url : c->cfg.db_path;
	int same_dir = 0, is_hub = 0;
	cli_scrub_pg_environment();
	if (cli_is_pg_address(system)) {
		/* A PostgreSQL hub: its credential (a password file or a client
		 * key only the hub's group can read, named in the system's url)
		 * is read with the group's rights for that address alone; any
		 * other address gets none, so it cannot be sent elsewhere. */
		if (strcmp(c->db_path, system) != 0)
			return priv_drop_group(&c->err) ? cli_fail_err(c) : 0;
		if (cli_creates_hubs(c->command)) {
			priv_drop_group(&c->err);
			return cli_fail(c, EX_NOPERM, "creating the live hub's "
					"database is root's job (run mashdesk as "
					"root; see mashdesk(1), DEPLOYMENT)");
		}
		return priv_keep_group(&c->err) ? cli_fail_err(c) : 0;
	}
	if (user_files_begin() == 0) {   /* resolve their path as them */
		is_hub = cli_same_hub(c->db_path, system, &same_dir);
		user_files_end();
	}
	if (same_dir && cli_creates_hubs(c->command)) {
		priv_drop_group(&c->err);
		return cli_fail(c, EX_NOPERM, "%s is in the live hub's directory: "
				"creating or replacing a hub there is root's job "
				"(run mashdesk as root; see mashdesk(1), "
				"DEPLOYMENT)", c->db_path);
	}
	if (is_hub && cli_hub_dir_unsafe(system)) {
		priv_drop_group(&c->err);
		return cli_fail(c, EX_CONFIG, "[database] path %s in the system "
				"configuration must be an absolute path in a "
				"directory only root and the hub's group can write; "
				"refusing to use the hub's group there", system);
	}
	if (is_hub) {
		snprintf(c->db_path, sizeof c->db_path, "%s", system);
		return priv_keep_group(&c->err) ? cli_fail_err(c) : 0;
	}
	return priv_drop_group(&c->err) ? cli_fail_err(c) : 0;
}

int cli_live_hub_group(struct cli *c, const char **group, int *hub_dir)
{
	struct config sys;
	struct md_error err;
	char path[PATH_MAX];
	int same_dir = 0;
	*hub_dir = 0;
	snprintf(path, sizeof path, "%s/mashdesk/mashdesk.ini", SYSCONFDIR);
	if (access(path, F_OK) != 0)
		return 0;
	if (config_load_file(&sys, path, NULL, &err))
		return cli_fail(c, err.code, "%s", err.msg);
	if (cli_same_hub(c->db_path, sys.db_path, &same_dir)) {
		if (!*group)
			*group = HUB_GROUP;
		*hub_dir = 1;
	}
	return 0;
}

/* ---- the audit chain's anchor ---------------------------------------------- */

int cli_cmd_audit_head(struct cli *c, int argc, char **argv)
{
	int ch;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	/* Nobody to act as: root's daily anchor need not be a user of the hub. */
	struct hub *hub;
	int status = 0;
	if (hub_open(&hub, c->db_path, &c->cfg, &c->err))
		return cli_fail_err(c);
	long long id = 0;
	char hash[65];
	if (hub_audit_head(hub, &id, hash, &c->err))
		status = cli_fail_err(c);
	else
		printf("%lld:%s\n", id, hash);
	hub_close(hub);
	return status;
}

int cli_parse_anchor(struct cli *c, const char *text, long long *id,
		     char hash[65])
{
	const char *colon = strchr(text, ':');
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (!colon || end != colon || colon == text || errno || v < 0 ||
	    text[0] == '+' || text[0] == '-' || strlen(colon + 1) != 64 ||
	    strspn(colon + 1, "0123456789abcdef") != 64)
		return cli_usage(c, "--from: '%.80s' is not an anchor: expected "
				 "ID:HASH as `mashdesk audit head` prints it",
				 text);
	*id = v;
	memcpy(hash, colon + 1, 65);
	return 0;
}

/* ---- where copies of the live hub may go ------------------------------------- */

/* [backup] dir resolved into want, when it is safe for the group's copies:
 * an existing absolute path the caller neither owns nor can write to. */
static int cli_backup_dir(struct cli *c, char want[PATH_MAX])
{
	const char *dir = c->cfg.backup_dir;
	struct stat sb;
	return dir[0] == '/' && realpath(dir, want) && stat(want, &sb) == 0 &&
	       S_ISDIR(sb.st_mode) && sb.st_uid != getuid() &&
	       access(want, W_OK) != 0;   /* the real ids: the caller's */
}

/* 1 when path (a file's name, or a directory) is in want. */
static int cli_in_dir(const char *path, int is_dir, const char *want)
{
	char got[PATH_MAX], base[NAME_MAX + 1];
	int ok = is_dir ? realpath(path, got) != NULL
			: cli_canonical(path, got, base) == 0;
	return ok && strcmp(got, want) == 0;
}

int cli_backup_place(struct cli *c, const char *path, int is_dir)
{
	if (!priv_hub_rights())
		return 0;   /* root, no setgid, or a hub of the caller's own */
	char want[PATH_MAX];
	if (!c->cfg.backup_dir[0])
		return cli_fail(c, EX_NOPERM, "a copy of the live hub in a person's "
				"hands is the whole hub in their hands: copies go "
				"only to [backup] dir, and the system configuration "
				"sets none (root sets it: mashdesk.ini(5), [backup])");
	if (!cli_backup_dir(c, want))
		return cli_fail(c, EX_CONFIG, "[backup] dir %s in the system "
				"configuration must be an existing absolute path "
				"only root and the hub's group can write to; refusing "
				"to write copies of the hub there", c->cfg.backup_dir);
	if (!cli_in_dir(path, is_dir, want))
		return cli_fail(c, EX_NOPERM, "%s is not in [backup] dir %s: a copy "
				"of the live hub in a person's hands is the whole hub "
				"in their hands, so copies go only there", path,
				c->cfg.backup_dir);
	return 0;
}

int cli_backup_dir_holds(struct cli *c, const char *path)
{
	char want[PATH_MAX];
	return c->cfg.backup_dir[0] && cli_backup_dir(c, want) &&
	       cli_in_dir(path, 0, want);
}
