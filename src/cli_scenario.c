/* cli_scenario.c - the trainer's commands: scenario load, run, reset,
 * status and debrief, and the trainee's scenario records.  The file format
 * is mashdesk-scenario(5); the rules live in the data layer
 * (hub_scenario.c): only trainers and admins of a training hub. */
#include "cli_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_scenario.h"
#include "mashdesk/scenario.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/mashdesk"
#endif

static int cli_scenario_hub(struct cli *c, struct hub **hub)
{
	return cli_open_hub(c, hub);
}

/* ---- load ------------------------------------------------------------------ */

/* A path as given; else a shipped scenario's short name ("quiet-morning")
 * in $MASHDESK_SCENARIO_DIR or $(pkgdatadir)/scenarios (run from a build
 * tree not installed: the source tree's). */
static void cli_scenario_path(const char *arg, char *out, size_t len)
{
	struct stat sb;
	snprintf(out, len, "%s", arg);
	if (stat(arg, &sb) == 0 || strchr(arg, '/'))
		return;
	const char *dir = getenv("MASHDESK_SCENARIO_DIR");
	char shipped[PATH_MAX], try[PATH_MAX + 256];
	cli_data_path("scenarios", "scenarios", shipped, sizeof shipped);
	snprintf(try, sizeof try, "%s/%s%s", dir && *dir ? dir : shipped, arg,
		 strstr(arg, ".ini") ? "" : ".ini");
	size_t n = strlen(try);
	if (stat(try, &sb) == 0 && n < len)
		memcpy(out, try, n + 1);
}

static void cli_remove_hub_files(const char *path)
{
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (int i = 0; i < 4; i++) {
		char p[PATH_MAX + 16];
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* An existing hub at the target: a live one is never touched; a training
 * one is replaced only with --force, by one of its trainers or admins. */
static int cli_scenario_may_replace(struct cli *c, int force)
{
	struct hub *hub;
	if (hub_open(&hub, c->db_path, &c->cfg, &c->err))
		return cli_fail_err(c);
	struct hub_info info;
	hub_get_info(hub, &info);
	int status = 0;
	if (!info.training) {
		/* Record the refused attempt on the hub it aimed at: acting
		 * as the login asks the data layer, which audits refusals. */
		char login[MD_LOGIN_MAX] = "";
		struct md_error e;
		if (c->as_login)
			hub_act_as(hub, c->as_login, 1, &e);
		else if (cli_unix_login(c, login, sizeof login) == 0 &&
			 hub_act_as(hub, login, 0, &e) == 0)
			hub_scenario_permit(hub, &e);
		hub_close(hub);
		return cli_fail(c, EX_NOPERM, "%s is a live hub: scenario load "
				"makes or replaces only a training hub, and "
				"nothing is copied between live and training "
				"hubs; give another --db", c->db_path);
	}
	hub_close(hub);
	if (!force)
		return cli_fail(c, EX_CANTCREAT, "%s already exists; --force "
				"replaces a training hub (its exercise and all "
				"work on it)", c->db_path);
	if ((status = cli_open_hub(c, &hub)))
		return status;
	if (hub_scenario_permit(hub, &c->err))
		status = cli_fail_err(c);
	hub_close(hub);
	return status;
}

static int cli_scenario_build(struct cli *c, const char *tmp,
			      const struct scenario *s, const char *name)
{
	char login[MD_LOGIN_MAX];
	int status = cli_unix_login(c, login, sizeof login);
	if (status)
		return status;
	struct hub_create_opts opts = { .name = name ? name : s->name,
					.training = 1, .admin_login = login };
	if (hub_create(tmp, &c->cfg, &opts, &c->err))
		return cli_fail_err(c);
	struct hub *hub;
	status = hub_open(&hub, tmp, &c->cfg, &c->err);
	if (!status) {
		status = hub_act_as(hub, login, 0, &c->err);
		if (!status)
			status = hub_scenario_load(hub, s, &c->err);
		hub_close(hub);
	}
	return status ? cli_fail_err(c) : 0;
}

int cli_cmd_scenario_load(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ 0, 0, 0, 0 }
	};
	int force = 0, ch, status;
	const char *name = NULL;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f': force = 1; break;
		case 'n': name = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "FILE is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	char file[PATH_MAX];
	cli_scenario_path(argv[optind], file, sizeof file);
	struct scenario *s;
	if (scenario_load(file, &s, &c->err))
		return cli_fail_err(c);
	if (cli_is_pg_address(c->db_path)) {
		/* PostgreSQL: into a database that holds no hub yet (made when
		 * missing, as init does); one that does is refused (73) rather
		 * than replaced: dropping a database is its owner's call. */
		status = cli_scenario_build(c, c->db_path, s, name);
		if (!status && c->out_tty)
			printf("loaded scenario \"%s\" into training hub %s\n",
			       s->name, c->db_path);
		scenario_free(s);
		return status;
	}
	int exists = access(c->db_path, F_OK) == 0;
	status = exists ? cli_scenario_may_replace(c, force) : 0;
	/* Built beside the target and renamed over it: a failure leaves
	 * whatever was there as it was. */
	char tmp[PATH_MAX + 32];
	snprintf(tmp, sizeof tmp, "%s.loading-%ld", c->db_path, (long)getpid());
	if (!status)
		status = cli_scenario_build(c, tmp, s, name);
	if (!status) {
		if (exists)
			cli_remove_hub_files(c->db_path);
		if (rename(tmp, c->db_path) != 0)
			status = cli_fail(c, EX_CANTCREAT, "cannot create %s: %s",
					  c->db_path, strerror(errno));
	}
	if (status)
		cli_remove_hub_files(tmp);
	else if (c->out_tty)
		printf("loaded scenario \"%s\" into training hub %s: %d users, "
		       "%d referrals to arrive, %d earlier referrals\n", s->name,
		       c->db_path, s->nitems[SCEN_USER], s->nitems[SCEN_REFERRAL],
		       s->nitems[SCEN_HISTORY]);
	scenario_free(s);
	return status;
}

/* ---- run ------------------------------------------------------------------- */

static volatile sig_atomic_t cli_scenario_stop;

static void cli_scenario_signal(int sig)
{
	cli_scenario_stop = sig;
}

static void cli_print_release(const struct hub_scenario_release *r, void *arg)
{
	struct cli *c = arg;
	char at[32];
	scenario_format_offset(r->offset, at, sizeof at);
	if (c->out_tty) {
		printf("+%-7s %-8s ", at, r->ref);
		cli_put_col(c, r->child, 28);
		printf("  [referral:%s]\n", r->key);
	} else {
		printf("%lld\t%s\t%s\t", r->offset, r->ref, r->key);
		cli_put(c, r->child);
		putchar('\n');
	}
	fflush(stdout);
}

static void cli_nap(double seconds)
{
	if (seconds <= 0)
		return;
	time_t whole = (time_t)seconds;
	struct timespec ts = { whole, (long)((seconds - (double)whole) * 1e9) };
	nanosleep(&ts, NULL);   /* a signal cuts it short: that is wanted */
}

static int cli_scenario_play(struct cli *c, struct hub *hub, double speed)
{
	int pending = 0, status = 0;
	long long next = -1;
	if (!c->out_tty)
		printf("offset\tref\tkey\tchild\n");
	while (!cli_scenario_stop) {
		status = hub_scenario_release_due(hub, speed == 0, cli_print_release,
						  c, &pending, &next, &c->err);
		if (status == EX_TEMPFAIL) {   /* a busy hub: try again shortly */
			cli_nap(0.2);
			continue;
		}
		if (status || pending == 0)
			break;
		struct hub_scenario_state st;
		if ((status = hub_scenario_state(hub, &st, &c->err)))
			break;
		/* sleep until the next arrival, waking at least once a second */
		double wait = speed > 0 ? (double)(next - st.now) / speed : 0;
		cli_nap(wait > 1 ? 1 : wait < 0.05 ? 0.05 : wait);
	}
	return status;
}

int cli_cmd_scenario_run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "speed", required_argument, NULL, 's' },
		{ 0, 0, 0, 0 }
	};
	double speed = 1;
	int ch, status;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		char *end;
		switch (ch) {
		case 's':
			errno = 0;
			speed = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(speed >= 0 && speed <= 3600))
				return cli_fail(c, EX_USAGE, "--speed: '%s' is not a "
						"number from 0 to 3600", optarg);
			break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	struct hub *hub;
	if ((status = cli_scenario_hub(c, &hub)))
		return status;
	if (hub_scenario_start(hub, speed, &c->err)) {
		status = cli_fail_err(c);
		hub_close(hub);
		return status;
	}
	struct sigaction sa = { .sa_handler = cli_scenario_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = cli_scenario_play(c, hub, speed);
	struct md_error scratch;   /* the first failure is the one reported */
	int stop = hub_scenario_stop(hub, status ? &scratch : &c->err);
	if (status || stop)
		status = cli_fail_err(c);
	struct hub_scenario_state st;
	if (!status && c->out_tty && hub_scenario_state(hub, &st, &c->err) == 0) {
		char at[32];
		scenario_format_offset(st.now, at, sizeof at);
		if (st.released == st.total)
			printf("all %d referrals have arrived (clock at %s)\n",
			       st.total, at);
		else
			printf("stopped at %s: %d of %d referrals have arrived; "
			       "`scenario run` resumes\n", at, st.released, st.total);
	}
	hub_close(hub);
	return status;
}

/* One `field value` line: aligned on a terminal, else tab-separated. */
static void cli_field(struct cli *c, const char *name, const char *value)
{
	printf(c->out_tty ? "%-10s " : "%s\t", name);
	cli_put(c, value);
	putchar('\n');
}

/* ---- reset, status ------------------------------------------------------------ */

int cli_cmd_scenario_reset(struct cli *c, int argc, char **argv)
{
	int ch, status, removed = 0;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	struct hub *hub;
	if ((status = cli_scenario_hub(c, &hub)))
		return status;
	if (hub_scenario_reset(hub, &removed, &c->err))
		status = cli_fail_err(c);
	else if (c->out_tty)
		printf("removed %d referral%s and the work on them; the clock is "
		       "back at the start\n", removed, removed == 1 ? "" : "s");
	hub_close(hub);
	return status;
}

int cli_cmd_scenario_status(struct cli *c, int argc, char **argv)
{
	int ch, status;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	struct hub *hub;
	if ((status = cli_scenario_hub(c, &hub)))
		return status;
	struct hub_scenario_state st;
	if (hub_scenario_permit(hub, &c->err) ||
	    hub_scenario_state(hub, &st, &c->err)) {
		status = cli_fail_err(c);
		hub_close(hub);
		return status;
	}
	char now[32], dur[32], next[32] = "-";
	scenario_format_offset(st.now, now, sizeof now);
	scenario_format_offset(st.duration, dur, sizeof dur);
	if (st.next_offset >= 0)
		scenario_format_offset(st.next_offset, next, sizeof next);
	char speed[32], n[3][16];
	snprintf(speed, sizeof speed, "%g", st.speed);
	snprintf(n[0], sizeof n[0], "%d", st.released);
	snprintf(n[1], sizeof n[1], "%d", st.total);
	snprintf(n[2], sizeof n[2], "%d", st.history);
	cli_field(c, "scenario", st.loaded ? st.name : "-");
	cli_field(c, "clock", now);
	cli_field(c, "duration", dur);
	cli_field(c, "running", st.running ? "yes" : "no");
	cli_field(c, "speed", speed);
	cli_field(c, "arrived", n[0]);
	cli_field(c, "referrals", n[1]);
	cli_field(c, "history", n[2]);
	cli_field(c, "next", next);
	hub_close(hub);
	return 0;
}

/* ---- debrief ------------------------------------------------------------------ */

static void cli_debrief_tsv(struct cli *c, const struct hub_debrief *d)
{
	printf("trainee\tref\texpected_rag\tactual_rag\texpected_outcome\t"
	       "actual_outcome\tminutes_to_decision\twithin_timescale\tscore\n");
	for (int i = 0; i < d->nrows; i++) {
		const struct hub_debrief_row *r = &d->rows[i];
		cli_put(c, r->trainee);
		printf("\t%s\t%s\t%s\t%s\t%s\t", r->ref, r->expected_rag,
		       r->actual_rag, r->expected_outcome, r->actual_outcome);
		if (r->minutes >= 0)
			printf("%lld", r->minutes);
		else
			putchar('-');
		printf("\t%s\t%d\n", r->within < 0 ? "-" : r->within ? "yes" : "no",
		       r->score);
	}
	printf("\ntrainee\treferrals\tdecided\trag_right\toutcome_right\t"
	       "within_timescale\tscore\tmax_score\n");
	for (int i = 0; i < d->ntotals; i++) {
		const struct hub_debrief_total *t = &d->totals[i];
		cli_put(c, t->trainee);
		printf("\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", t->referrals, t->decided,
		       t->rag_right, t->outcome_right, t->within, t->score,
		       t->max_score);
	}
}

static void cli_debrief_table(struct cli *c, const struct hub_debrief *d)
{
	printf("%-12s %-8s %-11s %-25s %7s %-6s %s\n", "TRAINEE", "REF",
	       "RAG exp/act", "OUTCOME expected/actual", "MINUTES", "IN TIME",
	       "SCORE");
	for (int i = 0; i < d->nrows; i++) {
		const struct hub_debrief_row *r = &d->rows[i];
		char rag[80], out[80], mins[24];
		snprintf(rag, sizeof rag, "%s/%s", r->expected_rag, r->actual_rag);
		snprintf(out, sizeof out, "%s/%s", r->expected_outcome,
			 r->actual_outcome);
		snprintf(mins, sizeof mins, r->minutes >= 0 ? "%lld" : "-",
			 r->minutes);
		cli_put_col(c, r->trainee, 12);
		printf(" %-8s %-11s %-25s %7s %-7s %d/%d\n", r->ref, rag, out, mins,
		       r->within < 0 ? "-" : r->within ? "yes" : "no", r->score,
		       HUB_DEBRIEF_MAX);
	}
	printf("\n%-12s %9s %7s %9s %13s %7s %s\n", "TRAINEE", "REFERRALS",
	       "DECIDED", "RAG RIGHT", "OUTCOME RIGHT", "IN TIME", "SCORE");
	for (int i = 0; i < d->ntotals; i++) {
		const struct hub_debrief_total *t = &d->totals[i];
		cli_put_col(c, t->trainee, 12);
		printf(" %9d %7d %9d %13d %7d %d/%d\n", t->referrals, t->decided,
		       t->rag_right, t->outcome_right, t->within, t->score,
		       t->max_score);
	}
	printf("\nScore per referral: right outcome 2, right RAG 1, decided "
	       "within the timescale 1.\n");
}

int cli_cmd_scenario_debrief(struct cli *c, int argc, char **argv)
{
	int ch, status;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	struct hub *hub;
	if ((status = cli_scenario_hub(c, &hub)))
		return status;
	struct hub_debrief *d;
	if (hub_scenario_debrief(hub, &d, &c->err)) {
		status = cli_fail_err(c);
	} else {
		if (c->out_tty)
			cli_debrief_table(c, d);
		else
			cli_debrief_tsv(c, d);
		hub_debrief_free(d);
	}
	hub_close(hub);
	return status;
}

/* ---- what your agency's records show ---------------------------------------- */

int cli_cmd_scenario_records(struct cli *c, int argc, char **argv)
{
	int ch, status, found = 0;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	struct hub *hub;
	if ((status = cli_scenario_hub(c, &hub)))
		return status;
	struct hub_scenario_knows k;
	struct hub_info info;
	hub_get_info(hub, &info);
	if (!info.training)
		status = cli_fail(c, EX_NOPERM, "%s is a live hub: scenario "
				  "records exist only on training hubs", c->db_path);
	else if (hub_scenario_knows(hub, argv[optind], &k, &found, &c->err))
		status = cli_fail_err(c);
	else if (!found)
		status = cli_fail(c, EX_DATAERR, "%s: the scenario sets down "
				  "nothing in %s's records about it (record "
				  "nothing-known)", argv[optind], info.me.agency);
	else {
		cli_field(c, "status", k.status);
		cli_field(c, "info", k.info);
		cli_field(c, "basis", k.basis[0] ? k.basis : "-");
		cli_field(c, "handling", k.handling[0] ? k.handling : "-");
	}
	hub_close(hub);
	return status;
}
