/* cli_retention.c - records that end: `retention --dry-run` (what the
 * hub's [retention] policy says is due to go, and why), `retention run`
 * (remove it) and `hold` (a legal hold, or lifting one).  The rules are the
 * data layer's (hub_retention.h); here are only the options and the
 * output. */
#include "cli_internal.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_retention.h"

/* YYYY-MM-DD of a moment, in UTC (due dates are computed in UTC). */
static void utc_date(long long t, char buf[16])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, 16, "%Y-%m-%d", &tm))
		snprintf(buf, 16, "?");
}

static int with_hub(struct cli *c, int (*fn)(struct cli *, struct hub *, void *),
		    void *arg)
{
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	status = fn(c, hub, arg);
	hub_close(hub);
	return status;
}

/* ---- retention --dry-run ------------------------------------------------------ */

struct due_args {
	long long at;
};

static int print_due(const struct retention_due *d, void *arg)
{
	struct cli *c = arg;
	char kind[48], since[16];
	snprintf(kind, sizeof kind, "%s/%s", d->kind, d->outcome);
	utc_date(d->due_at, since);
	if (c->out_tty)
		printf("%-8s %-26s %-38s %s\n", d->ref, kind, d->rule, since);
	else
		printf("%s\t%s\t%s\t%s\n", d->ref, kind, d->rule, since);
	return 0;
}

static int do_due(struct cli *c, struct hub *hub, void *arg)
{
	struct due_args *a = arg;
	long n = 0;
	if (!hub_may(hub, HUB_ACT_RETENTION, NULL))
		;   /* hub_retention_due says why, with nothing printed */
	else if (c->out_tty)
		printf("%-8s %-26s %-38s %s\n", "REF", "KIND", "RULE", "DUE SINCE");
	else
		printf("ref\tkind\trule\tdue_since\n");
	if (hub_retention_due(hub, a->at, print_due, c, &n, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%ld record%s due to go\n", n, n == 1 ? "" : "s");
	return 0;
}

int cli_cmd_retention(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "as-of", required_argument, NULL, 'a' },
		{ 0, 0, 0, 0 }
	};
	struct due_args a = { .at = clock_now() };
	int ch, dry = 0;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'n': dry = 1; break;
		case 'a':
			if (clock_parse_iso(optarg, &a.at) != 0)
				return cli_usage(c, "--as-of: '%s' is not a date "
						 "(YYYY-MM-DD) or time", optarg);
			break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s' (to remove what is "
				 "due: mashdesk retention run)", argv[optind]);
	if (!dry)
		return cli_usage(c, "--dry-run lists what is due to go; "
				 "`mashdesk retention run` removes it");
	return with_hub(c, do_due, &a);
}

/* ---- retention run ---------------------------------------------------------------- */

static int do_run(struct cli *c, struct hub *hub, void *arg)
{
	struct retention_result r;
	(void)arg;
	if (hub_retention_run(hub, clock_now(), NULL, NULL, &r, &c->err))
		return cli_fail_err(c);
	printf("removed %ld record%s\n", r.removed, r.removed == 1 ? "" : "s");
	fflush(stdout);
	if (r.in_use == 1)
		return cli_fail(c, EX_TEMPFAIL, "%s is being edited by %s: kept "
				"for the next run (the rest due were removed)",
				r.in_use_ref, r.in_use_by);
	if (r.in_use > 1)
		return cli_fail(c, EX_TEMPFAIL, "%s (being edited by %s) and %ld "
				"more in use: kept for the next run (the rest "
				"due were removed)", r.in_use_ref, r.in_use_by,
				r.in_use - 1);
	return 0;
}

int cli_cmd_retention_run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { 0, 0, 0, 0 } };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return with_hub(c, do_run, NULL);
}

/* ---- hold ------------------------------------------------------------------------ */

struct hold_args {
	const char *ref, *reason;
	int lift;
};

static int do_hold(struct cli *c, struct hub *hub, void *arg)
{
	struct hold_args *a = arg;
	int status = a->lift ? hub_hold_lift(hub, a->ref, a->reason, &c->err)
			     : hub_hold(hub, a->ref, a->reason, &c->err);
	if (status)
		return cli_fail_err(c);
	if (c->out_tty)
		printf(a->lift ? "%s: legal hold lifted\n"
			       : "%s is on legal hold\n", a->ref);
	return 0;
}

int cli_cmd_hold(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'R' },
		{ "lift", no_argument, NULL, 'l' },
		{ 0, 0, 0, 0 }
	};
	struct hold_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'R': a.reason = optarg; break;
		case 'l': a.lift = 1; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	a.ref = argv[optind];
	if (!a.reason)
		return cli_usage(c, "--reason is required");
	return with_hub(c, do_hold, &a);
}
