/* cli_backup.c - backup, backup verify and restore (hub_backup.h).
 *
 * Who may, on a hub host (README "Operations"): a backup is an admin's
 * act (the BACKUP rule), and a caller holding the live hub's group may put
 * the copy only in [backup] dir (cli_backup_place).  `backup verify` reads
 * a copy there with the group's rights too (it says whether the copy is
 * whole, never what is in it); anywhere else with the caller's own.
 * `restore` always runs with the caller's own rights: it makes a hub, and
 * making the live hub is root's job, as `init` is. */
#include "cli_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_backup.h"
#include "mashdesk/privilege.h"

static void print_field(struct cli *c, const char *field, const char *value)
{
	if (c->out_tty)
		printf("%-13s ", field);
	else
		printf("%s\t", field);
	cli_put(c, value);
	putchar('\n');
}

/* A PostgreSQL hub's copy: what pg_restore --list says of the archive
 * (what is in it shows only restored: restore --to URL). */
static void print_dump_info(struct cli *c, const char *file,
			    const struct hub_copy_info *in)
{
	char v[32];
	print_field(c, "file", file);
	print_field(c, "format", "pg_dump custom archive");
	print_field(c, "database", in->database);
	print_field(c, "dumped_at", in->dumped_at);
	print_field(c, "encrypted", in->encrypted ? "yes" : "no");
	snprintf(v, sizeof v, "%lld", in->bytes);
	print_field(c, "bytes", v);
	print_field(c, "checked", "pg_restore --list: whole, with the hub's "
		    "tables: ok");
}

static void print_info(struct cli *c, const char *file,
		       const struct hub_copy_info *in)
{
	char v[160], when[CLOCK_ISO_MAX];
	if (in->pg_dump) {
		print_dump_info(c, file, in);
		return;
	}
	print_field(c, "file", file);
	print_field(c, "hub", in->name);
	print_field(c, "mode", in->training ? "training" : "live");
	snprintf(v, sizeof v, "%d", in->schema);
	print_field(c, "schema", v);
	snprintf(v, sizeof v, "%lld", in->referrals);
	print_field(c, "referrals", v);
	snprintf(v, sizeof v, "%lld", in->audit_rows);
	print_field(c, "audit_rows", v);
	snprintf(v, sizeof v, "%lld:%s", in->audit_id, in->audit_hash);
	print_field(c, "audit_head", v);
	clock_format_iso(in->created_at, when);
	print_field(c, "last_audited", in->created_at ? when : "");
	print_field(c, "encrypted", in->encrypted ? "yes" : "no");
	snprintf(v, sizeof v, "%lld", in->bytes);
	print_field(c, "bytes", v);
	print_field(c, "checked", "integrity, foreign keys, audit chain: ok");
}

int cli_cmd_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "keep", required_argument, NULL, 'k' },
		{ "encrypt", required_argument, NULL, 'e' },
		{ "force", no_argument, NULL, 'f' },
		{ 0, 0, 0, 0 }
	};
	struct hub_backup_opts o = { .pause_us = -1 };
	long keep = -1;
	int ch, status = 0;
	while (status == 0 && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'd': o.dir = optarg; break;
		case 'k': status = cli_int(c, "--keep", optarg, 1, 100000, &keep); break;
		case 'e': o.recipient = optarg; break;
		case 'f': o.replace = 1; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (status)
		return status;
	if (argc - optind > 1)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc)
		o.path = argv[optind];
	if (o.path && o.dir)
		return cli_usage(c, "give a FILE or --dir DIR, not both");
	if (o.path && keep > 0)
		return cli_usage(c, "--keep works with a directory of copies "
				 "(--dir DIR or [backup] dir), not a FILE");
	if (o.dir && o.replace)
		return cli_usage(c, "--force replaces a FILE; copies in a "
				 "directory are named by time");
	if (!o.path && !o.dir) {
		if (!c->cfg.backup_dir[0])
			return cli_usage(c, "name a FILE or --dir DIR (or set "
					 "[backup] dir in the configuration)");
		o.dir = c->cfg.backup_dir;
	}
	if (o.recipient && !*o.recipient)
		return cli_usage(c, "--encrypt needs a recipient (an age public key)");
	o.keep = keep > 0 ? (int)keep : c->cfg.backup_keep;
	if (o.path && !*o.path)
		return cli_usage(c, "FILE is empty");
	if ((status = cli_backup_place(c, o.path ? o.path : o.dir, o.dir != NULL)))
		return status;
	/* For the tests: copy 8 pages a step, and after the first step make
	 * this file and wait while it is there (never for a setgid caller,
	 * whose environment is cut anyway). */
	if (!priv_untrusted() && (o.test_pause = getenv("MASHDESK_TEST_BACKUP_PAUSE")))
		o.pages_per_step = 8;
	o.address = c->db_path;
	struct hub *hub;
	if ((status = cli_open_hub(c, &hub)))
		return status;
	struct hub_backup_result r;
	status = hub_backup(hub, &o, &r, &c->err);
	hub_close(hub);
	if (status)
		return cli_fail_err(c);
	if (c->out_tty) {
		char shown[PATH_MAX];
		hub_address(shown, sizeof shown, c->db_path);
		printf("backed up %s to ", shown);
		cli_put(c, r.path);
		printf("\n  %.1f MB%s, %s in %.1f s, checked in %.1f s: "
		       "%s, %lld audit entries intact\n",
		       (double)r.info.bytes / 1e6, r.info.encrypted
		       ? " (before encryption)" : "", r.info.pg_dump ? "dumped"
		       : "copied", r.copy_seconds, r.check_seconds, r.info.pg_dump
		       ? "pg_restore --list" : "integrity, foreign keys",
		       r.info.audit_rows);
		if (r.pruned)
			printf("  removed %d older cop%s (keeping %d)\n", r.pruned,
			       r.pruned == 1 ? "y" : "ies", o.keep);
	} else {
		cli_put(c, r.path);
		putchar('\n');
	}
	return 0;
}

int cli_cmd_backup_verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "identity", required_argument, NULL, 'i' }, { 0, 0, 0, 0 }
	};
	const char *identity = NULL;
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch != 'i')
			return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
		identity = optarg;
	}
	if (optind >= argc)
		return cli_usage(c, "FILE is missing");
	if (argc - optind > 1)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	const char *file = argv[optind];
	/* The group's rights only for a copy in [backup] dir. */
	if (priv_hub_rights() && !cli_backup_dir_holds(c, file) &&
	    priv_drop_group(&c->err))
		return cli_fail_err(c);
	struct hub_copy_info info;
	if (hub_copy_check(file, &c->cfg, identity, &info, &c->err))
		return cli_fail_err(c);
	print_info(c, file, &info);
	return 0;
}

int cli_cmd_restore(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "identity", required_argument, NULL, 'i' },
		{ "group", required_argument, NULL, 'g' },
		{ 0, 0, 0, 0 }
	};
	const char *to = NULL;
	struct hub_restore_opts o = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't': to = optarg; break;
		case 'i': o.identity = optarg; break;
		case 'g': o.group = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "FILE (the copy) is missing");
	if (argc - optind > 1)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (!to || !*to)
		return cli_usage(c, "--to PATH is required (a new file, or an "
				 "empty database's postgresql:// address)");
	if (hub_is_url(to) && o.group)
		return cli_usage(c, "--group is for a hub file; a database's "
				 "rights are the server's roles");
	const char *copy = argv[optind];
	/* Never with the hub's group: see the top of this file. */
	if (priv_drop_group(&c->err))
		return cli_fail_err(c);
	char login[MD_LOGIN_MAX];
	int status = cli_unix_login(c, login, sizeof login);
	if (status)
		return status;
	o.login = login;
	/* Restored where the system configuration puts the live hub: the
	 * group mashdesk is installed setgid to, as `init` gives it. */
	int hub_dir = 0;
	char saved[PATH_MAX];
	snprintf(saved, sizeof saved, "%s", c->db_path);
	snprintf(c->db_path, sizeof c->db_path, "%s", to);
	status = hub_is_url(to) ? 0 : cli_live_hub_group(c, &o.group, &hub_dir);
	snprintf(c->db_path, sizeof c->db_path, "%s", saved);
	if (status)
		return status;
	struct hub_copy_info info;
	if (hub_restore(copy, to, &c->cfg, &o, &info, &c->err))
		return cli_fail_err(c);
	char shown[PATH_MAX];
	hub_address(shown, sizeof shown, to);
	if (c->out_tty) {
		printf("restored %s to ", copy);
		cli_put(c, shown);
		printf("\n  hub %s (%s), %lld referrals, audit chain intact to "
		       "%lld:%.12s..., the restore recorded after it\n", info.name,
		       info.training ? "training" : "live", info.referrals,
		       info.audit_id, info.audit_hash);
	} else {
		cli_put(c, shown);
		putchar('\n');
	}
	return 0;
}
