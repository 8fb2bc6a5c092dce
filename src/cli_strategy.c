/* cli_strategy.c - `mashdesk strategy`: record a strategy discussion on a
 * referral.  The rules (who must take part, the decision, the actions,
 * when the next one is due) are the data layer's (hub_strategy.h); here
 * are only the options. */
#include "cli_internal.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "mashdesk/hub_strategy.h"

struct strategy_args {
	const char *ref;
	struct strategy_input in;
	struct strategy_attendee_input who[MD_MAX_ATTENDEES];
	struct action_input actions[MD_MAX_ACTIONS];
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* "police:pat,health:Ada Lane" added to a->who, split in place. */
static int attended_add(struct cli *c, char *text, struct strategy_args *a)
{
	char *save = NULL;
	for (char *p = strtok_r(text, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(p, ':');
		if (!colon)
			return cli_fail(c, EX_DATAERR, "--attended: '%s' is not "
					"AGENCY:LOGIN (police:pat)", trim(p));
		*colon = '\0';
		if (a->in.nattendees == MD_MAX_ATTENDEES)
			return cli_fail(c, EX_DATAERR, "--attended: at most %d "
					"people", MD_MAX_ATTENDEES);
		a->who[a->in.nattendees++] = (struct strategy_attendee_input){
			trim(p), trim(colon + 1)
		};
	}
	return 0;
}

/* 'WHAT;OWNER;YYYY-MM-DD' split in place. */
static int action_add(struct cli *c, char *spec, struct strategy_args *a)
{
	char *parts[3];
	int n = 0;
	char *p = spec;
	for (;;) {
		char *semi = strchr(p, ';');
		if (n == 3)
			return cli_fail(c, EX_DATAERR, "--action: give 'WHAT;OWNER;"
					"YYYY-MM-DD'");
		parts[n++] = p;
		if (!semi)
			break;
		*semi = '\0';
		p = semi + 1;
	}
	if (n != 3)
		return cli_fail(c, EX_DATAERR, "--action: give 'WHAT;OWNER;"
				"YYYY-MM-DD'");
	if (a->in.nactions == MD_MAX_ACTIONS)
		return cli_fail(c, EX_DATAERR, "--action: at most %d",
				MD_MAX_ACTIONS);
	a->actions[a->in.nactions++] = (struct action_input){
		trim(parts[0]), trim(parts[1]), trim(parts[2])
	};
	return 0;
}

static int do_strategy(struct cli *c, void *arg)
{
	struct strategy_args *a = arg;
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	if (hub_strategy_record(hub, a->ref, &a->in, &c->err))
		status = cli_fail_err(c);
	else if (c->out_tty)
		printf("%s: strategy discussion recorded (%s)\n", a->ref,
		       a->in.decision);
	hub_close(hub);
	return status;
}

int cli_cmd_strategy(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "held", required_argument, NULL, 'H' },
		{ "how", required_argument, NULL, 'w' },
		{ "attended", required_argument, NULL, 'a' },
		{ "summary", required_argument, NULL, 's' },
		{ "decision", required_argument, NULL, 'd' },
		{ "instead", required_argument, NULL, 'i' },
		{ "action", required_argument, NULL, 'A' },
		{ "reconvene", no_argument, NULL, 'r' },
		{ "missing-reason", required_argument, NULL, 'm' },
		{ 0, 0, 0, 0 }
	};
	static struct strategy_args a;
	int ch, status = 0;
	memset(&a, 0, sizeof a);
	while (!status && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'H': a.in.held = optarg; break;
		case 'w': a.in.how = optarg; break;
		case 'a': status = attended_add(c, optarg, &a); break;
		case 's': a.in.summary = optarg; break;
		case 'd': a.in.decision = optarg; break;
		case 'i': a.in.instead = optarg; break;
		case 'A': status = action_add(c, optarg, &a); break;
		case 'r': a.in.reconvene = 1; break;
		case 'm': a.in.missing_reason = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (status)
		return status;
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	const struct { const char *v, *opt; } need[] = {
		{ a.in.held, "held" }, { a.in.how, "how" },
		{ a.in.nattendees ? "" : NULL, "attended" },
		{ a.in.summary, "summary" }, { a.in.decision, "decision" },
	};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!need[i].v)
			return cli_usage(c, "--%s is required", need[i].opt);
	a.ref = argv[optind];
	a.in.attendees = a.who;
	a.in.actions = a.actions;
	return do_strategy(c, &a);
}
