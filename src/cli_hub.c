/* cli_hub.c - commands about the hub itself: desk, init, demo, generate,
 * user add, user list. */
#include "cli_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/desk.h"
#include "mashdesk/generate.h"

/* Commands that take no operands after their options. */
static int cli_no_operands(struct cli *c, int argc, char **argv,
			   const struct option *opts)
{
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch == CLI_HELP_SHOWN)
			return -1;
		return EX_USAGE;
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int cli_cmd_desk(struct cli *c, int argc, char **argv)
{
	int status = cli_no_operands(c, argc, argv, NULL);
	if (status)
		return status < 0 ? 0 : status;
	struct hub *hub;
	if ((status = cli_open_hub(c, &hub)))
		return status;
	status = desk_run(hub, &c->cfg, &c->err);
	if (status)
		status = cli_fail_err(c);
	hub_close(hub);
	/* Stopped by SIGTERM/SIGHUP: the terminal is restored and the hub
	 * closed; now die of that signal so the parent sees why. */
	int sig = desk_stop_signal();
	if (sig) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return status;
}

/* mkdir -p for the default XDG location only: an explicit --db in a
 * missing directory is the user's mistake and is reported as such. */
static int cli_make_parent(struct cli *c, const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return cli_fail(c, EX_CANTCREAT, "cannot create directory "
					"%s: %s", dir, strerror(errno));
		*p = '/';
	}
	return 0;
}

/* With a group, the directory should be setgid so that the -wal and -shm
 * files SQLite creates beside the hub get the group too. */
static void cli_note_setgid(const char *path)
{
	char dir[PATH_MAX];
	struct stat sb;
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if (stat(dir, &sb) == 0 && !(sb.st_mode & S_ISGID))
		fprintf(stderr, "mashdesk: init: note: %s is not setgid; run "
			"chgrp GROUP %s && chmod g+s %s so the hub's side files "
			"stay in the group\n", dir, dir, dir);
}

static int cli_create_group(struct cli *c, const char *name, int training,
			    const char *group, int hub_dir)
{
	char login[MD_LOGIN_MAX];
	int status = cli_unix_login(c, login, sizeof login);
	if (status)
		return status;
	if (c->db_is_default && (status = cli_make_parent(c, c->db_path)))
		return status;
	struct hub_create_opts opts = {
		.name = name, .training = training, .admin_login = login,
		.group = group, .hub_dir = hub_dir,
	};
	if (hub_create(c->db_path, &c->cfg, &opts, &c->err))
		return cli_fail_err(c);
	if (group && !hub_dir)
		cli_note_setgid(c->db_path);
	return 0;
}

static int cli_create(struct cli *c, const char *name, int training)
{
	return cli_create_group(c, name, training, NULL, 0);
}

int cli_cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "training", no_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "group", required_argument, NULL, 'g' },
		{ 0, 0, 0, 0 }
	};
	int training = 0, ch;
	const char *name = NULL, *group = NULL;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't': training = 1; break;
		case 'n': name = optarg; break;
		case 'g': group = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	/* The hub the system configuration names belongs to the group
	 * mashdesk is installed setgid to, in a directory of its own. */
	int hub_dir = 0;
	int status = cli_live_hub_group(c, &group, &hub_dir);
	if (status == 0)
		status = cli_create_group(c, name, training, group, hub_dir);
	if (status == 0 && c->out_tty)
		printf("created %s hub at %s; you are its admin\n",
		       training ? "training" : "live", c->db_path);
	return status;
}

/* Fill a training hub from the generator.  The demo is filled by its
 * creator (--as names the demo user who then opens the desk); generate
 * honours --as, so a trainer can fill a hub someone else created. */
static int cli_fill(struct cli *c, long n, unsigned long seed, int years,
		    int honour_as, int bulk_flags)
{
	struct hub *hub;
	const char *as = c->as_login;
	if (!honour_as)
		c->as_login = NULL;
	int status = cli_open_hub(c, &hub);
	c->as_login = as;
	if (status)
		return status;
	struct gen_sink sink;
	status = hub_bulk_begin(hub, &sink, bulk_flags, &c->err);
	if (status == 0) {
		if (n < 0)
			status = generate_demo(&sink, clock_now(), &c->err);
		else
			status = generate_referrals(&sink, n, seed, clock_now(),
						    years, &c->err);
		int end = hub_bulk_end(hub, status == 0, &c->err);
		status = status ? status : end;
	}
	hub_close(hub);
	return status ? cli_fail_err(c) : 0;
}

int cli_demo_path(struct cli *c)
{
	if (c->db_opt)
		return 0;
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(c->db_path, sizeof c->db_path, "%s/mashdesk/demo.db", xdg);
	else if (home && *home)
		snprintf(c->db_path, sizeof c->db_path,
			 "%s/.local/share/mashdesk/demo.db", home);
	else
		return cli_fail(c, EX_USAGE, "no place for the demo hub: set HOME "
				"or use --db PATH");
	c->db_is_default = 1;
	return 0;
}

/* --reset throws away only a training hub: never a live one. */
static int cli_demo_reset(struct cli *c)
{
	struct hub *hub;
	if (access(c->db_path, F_OK) != 0)
		return 0;
	if (hub_open(&hub, c->db_path, &c->cfg, &c->err))
		return cli_fail_err(c);
	struct hub_info info;
	hub_get_info(hub, &info);
	hub_close(hub);
	if (!info.training)
		return cli_fail(c, EX_NOPERM, "%s is a live hub; --reset only "
				"replaces a training hub", c->db_path);
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (int i = 0; i < 4; i++) {
		char p[PATH_MAX + 16];
		snprintf(p, sizeof p, "%s%s", c->db_path, suffix[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			return cli_fail(c, EX_IOERR, "cannot remove %s: %s", p,
					strerror(errno));
	}
	return 0;
}

int cli_cmd_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reset", no_argument, NULL, 'r' },
		{ "no-desk", no_argument, NULL, 'n' },
		{ 0, 0, 0, 0 }
	};
	int reset = 0, no_desk = 0, ch, status;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'r': reset = 1; break;
		case 'n': no_desk = 1; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	if ((status = cli_demo_path(c)))
		return status;
	if (reset && (status = cli_demo_reset(c)))
		return status;
	if (access(c->db_path, F_OK) != 0) {
		status = cli_create(c, "Demo MASH", 1);
		if (status == 0 && (status = cli_fill(c, -1, 0, 0, 0, 0)) != 0)
			unlink(c->db_path);
		if (status)
			return status;
	}
	if (no_desk)
		return 0;
	if (!c->as_login)
		c->as_login = GENERATE_DEMO_SUPERVISOR;
	return cli_cmd_desk(c, 1, (char *[]){ "desk", NULL });
}

/* A new hub for `generate` is built under a hidden name beside its final
 * one and put in place only when complete; link(2) will not replace a hub
 * that someone made there meanwhile.  So an interrupted run never leaves a
 * half-filled hub behind, and while it is private the file needs no
 * journal (see HUB_BULK_FRESH): about a fifth faster at a million. */
/* The file, SQLite's journals, and the bulk loader's scratch file beside
 * it (HUB_BULK_SCRATCH). */
#define PARTIAL_SIDES 5
static char partial_path[PATH_MAX], partial_side[PARTIAL_SIDES][PATH_MAX + 16];

/* The file and any journal SQLite had beside it (async-signal-safe). */
static void partial_unlink(void)
{
	unlink(partial_path);
	for (int i = 0; i < PARTIAL_SIDES; i++)
		unlink(partial_side[i]);
}

static void partial_remove(int sig)
{
	partial_unlink();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int cli_generate_fresh(struct cli *c, long n, unsigned long seed,
			      int years)
{
	int status = 0;
	char final[PATH_MAX];
	snprintf(final, sizeof final, "%s", c->db_path);
	const char *slash = strrchr(final, '/');
	int dirlen = slash ? (int)(slash - final + 1) : 0;
	if (snprintf(partial_path, sizeof partial_path, "%.*s.%s.partial-%ld",
		     dirlen, final, final + dirlen, (long)getpid())
	    >= (int)sizeof partial_path)
		return cli_fail(c, EX_USAGE, "%s: path too long", final);
	static const char *const side[PARTIAL_SIDES] = {
		"-journal", "-wal", "-shm", "-bulk", "-bulk-journal"
	};
	for (int i = 0; i < PARTIAL_SIDES; i++)
		snprintf(partial_side[i], sizeof partial_side[i], "%s%s",
			 partial_path, side[i]);
	struct stat sb;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", dirlen > 1 ? dirlen - 1 : 1,
		 dirlen ? final : ".");
	if (c->db_is_default)
		status = cli_make_parent(c, final);
	if (status == 0 && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		status = cli_fail(c, EX_CANTCREAT, "cannot create %s: directory %s "
				  "does not exist", final, dir);
	if (status)
		return status;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = partial_remove }, old[3];
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	snprintf(c->db_path, sizeof c->db_path, "%s", partial_path);
	status = cli_create(c, "Generated MASH", 1);
	if (status == 0)
		status = cli_fill(c, n, seed, years, 1, HUB_BULK_FRESH);
	snprintf(c->db_path, sizeof c->db_path, "%s", final);
	if (status == 0 && link(partial_path, final) != 0)
		status = cli_fail(c, errno == EEXIST ? EX_CANTCREAT : EX_IOERR,
				  "%s: %s", final, errno == EEXIST
				  ? "a hub appeared there while this one was being "
				    "generated; it was left alone and nothing was added"
				  : strerror(errno));
	partial_unlink();
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return status;
}

int cli_cmd_generate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "referrals", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "years", required_argument, NULL, 'y' },
		{ 0, 0, 0, 0 }
	};
	long n = -1, seed = 1, years = 30;
	int ch, status = 0;
	while (status == 0 && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'n': status = cli_int(c, "--referrals", optarg, 0, 10000000, &n); break;
		case 's': status = cli_int(c, "--seed", optarg, 0, 2147483647L, &seed); break;
		case 'y': status = cli_int(c, "--years", optarg, 1, 100, &years); break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (status)
		return status;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	if (n < 0)
		return cli_usage(c, "--referrals N is required");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* A PostgreSQL hub is a database made with `init` first: filled in
	 * place, one big transaction per batch. */
	if (!strncmp(c->db_path, "postgresql://", 13) ||
	    !strncmp(c->db_path, "postgres://", 11))
		status = cli_fill(c, n, (unsigned long)seed, (int)years, 1, 0);
	else if (access(c->db_path, F_OK) != 0)
		status = cli_generate_fresh(c, n, (unsigned long)seed, (int)years);
	else
		status = cli_fill(c, n, (unsigned long)seed, (int)years, 1, 0);
	if (status)
		return status;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "mashdesk: generated %ld referrals into %s in %.1f s\n",
			n, c->db_path, (double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

struct findings {
	struct cli *c;
	int problems;
	char first[64];
};

static void print_finding(enum hub_finding level, const char *topic,
			  const char *text, void *arg)
{
	struct findings *f = arg;
	static const char *const label[] = { "ok", "warning", "PROBLEM" };
	printf("%-8s %-13s ", label[level], topic);
	cli_put(f->c, text);
	putchar('\n');
	if (level == HUB_FINDING_PROBLEM && f->problems++ == 0)
		snprintf(f->first, sizeof f->first, "%s", topic);
}

/* The report goes to stdout; a failing one also says so on stderr. */
int cli_cmd_doctor(struct cli *c, int argc, char **argv)
{
	int status = cli_no_operands(c, argc, argv, NULL);
	if (status)
		return status < 0 ? 0 : status;
	struct findings f = { .c = c };
	char shown[PATH_MAX];
	hub_address(shown, sizeof shown, c->db_path);
	printf("%-8s %-13s %s\n", "", "hub", shown);
	fflush(stdout);
	status = hub_doctor(c->db_path, &c->cfg, print_finding, &f);
	if (status)
		cli_fail(c, status, "%d problem%s found, the first in %s (see "
			 "above)", f.problems, f.problems == 1 ? "" : "s", f.first);
	return status;
}

int cli_cmd_audit_verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { 0, 0, 0, 0 }
	};
	const char *from = NULL;
	long long anchor = 0;
	char hash[65] = "";
	int ch, status;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch != 'f')
			return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
		from = optarg;
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	if (from && (status = cli_parse_anchor(c, from, &anchor, hash)))
		return status;
	/* Nobody to act as: root's daily check need not be a user of the hub. */
	struct hub *hub;
	if (hub_open(&hub, c->db_path, &c->cfg, &c->err))
		return cli_fail_err(c);
	long long rows = 0;
	if (from ? hub_audit_verify_from(hub, anchor, hash, &rows, &c->err)
		 : hub_audit_verify(hub, &rows, &c->err))
		status = cli_fail_err(c);
	else if (c->out_tty && from)
		printf("the audit log is intact: %lld entries, and row %lld still "
		       "carries the anchored hash\n", rows, anchor);
	else if (c->out_tty)
		printf("the audit log is intact: %lld entries\n", rows);
	hub_close(hub);
	return status;
}

int cli_cmd_user_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "agency", required_argument, NULL, 'a' },
		{ "role", required_argument, NULL, 'r' },
		{ "inactive", no_argument, NULL, 'i' },
		{ 0, 0, 0, 0 }
	};
	struct user u = { .active = 1 };
	int ch, have_name = 0, have_role = 0;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'n': snprintf(u.name, sizeof u.name, "%s", optarg); have_name = 1; break;
		case 'a': snprintf(u.agency, sizeof u.agency, "%s", optarg); break;
		case 'r': snprintf(u.role, sizeof u.role, "%s", optarg); have_role = 1; break;
		case 'i': u.active = 0; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "LOGIN is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (!have_name || !have_role)
		return cli_usage(c, "%s is required", have_name ? "--role" : "--name");
	if (strlen(argv[optind]) >= sizeof u.login)
		return cli_fail(c, EX_DATAERR, "login: too long (at most 63)");
	snprintf(u.login, sizeof u.login, "%s", argv[optind]);
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	if (hub_user_add(hub, &u, &c->err))
		status = cli_fail_err(c);
	hub_close(hub);
	return status;
}

static int print_user(const struct user *u, void *arg)
{
	struct cli *c = arg;
	if (c->out_tty) {
		cli_put_col(c, u->login, 16);
		putchar(' ');
		cli_put_col(c, u->name, 26);
		printf(" %-10s %-12s %s\n", u->agency[0] ? u->agency : "-", u->role,
		       u->active ? "yes" : "no");
		return 0;
	}
	const char *f[] = { u->login, u->name, u->agency, u->role };
	for (int i = 0; i < 4; i++) {
		cli_put(c, f[i]);
		putchar('\t');
	}
	printf("%d\n", u->active);
	return 0;
}

int cli_cmd_user_list(struct cli *c, int argc, char **argv)
{
	int status = cli_no_operands(c, argc, argv, NULL);
	if (status)
		return status < 0 ? 0 : status;
	struct hub *hub;
	if ((status = cli_open_hub(c, &hub)))
		return status;
	if (c->out_tty)
		printf("%-16s %-26s %-10s %-12s %s\n", "LOGIN", "NAME", "AGENCY",
		       "ROLE", "ACTIVE");
	else
		printf("login\tname\tagency\trole\tactive\n");
	if (hub_user_list(hub, print_user, c, &c->err))
		status = cli_fail_err(c);
	hub_close(hub);
	return status;
}
