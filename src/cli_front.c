/* cli_front.c - the front door's commands: screen (progress a contact to
 * the hub's checks, or close it), request (ask more agencies later) and
 * rate (change the RAG rating, saying why).  The rules are the data
 * layer's (hub_screen.h); here are only the options. */
#include "cli_internal.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "mashdesk/hub_screen.h"

#define MAX_LISTED 32           /* agency codes in one command */

static int front_with_hub(struct cli *c, int (*fn)(struct cli *, struct hub *,
						   void *), void *arg)
{
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	status = fn(c, hub, arg);
	hub_close(hub);
	return status;
}

/* Agencies given as "police,health" (or "police health"), added to list
 * in place; EX_DATAERR when there are too many. */
struct agency_list {
	const char *v[MAX_LISTED];
	int n;
};

static int agencies_add(struct cli *c, const char *opt, char *text,
			struct agency_list *l)
{
	char *save = NULL;
	for (char *p = strtok_r(text, ", ", &save); p;
	     p = strtok_r(NULL, ", ", &save)) {
		if (l->n == MAX_LISTED)
			return cli_fail(c, EX_DATAERR, "%s: at most %d agencies",
					opt, MAX_LISTED);
		l->v[l->n++] = p;
	}
	return 0;
}

/* ---- screen ---------------------------------------------------------------- */

struct screen_args {
	const char *ref, *rag, *reason, *close;
	int level;
	struct agency_list agencies;
	int requested;          /* --request given (perhaps empty) */
};

static int do_screen(struct cli *c, struct hub *hub, void *arg)
{
	struct screen_args *a = arg;
	int status = a->close
		? hub_screen_close(hub, a->ref, a->close, a->reason, &c->err)
		: hub_screen_progress(hub, a->ref, a->rag, a->reason, a->level,
				      a->agencies.v, a->agencies.n, &c->err);
	if (status)
		return cli_fail_err(c);
	if (c->out_tty && a->close)
		printf("%s closed at screening: %s\n", a->ref, a->close);
	else if (c->out_tty)
		printf("%s progressed to the hub's checks: %s\n", a->ref, a->rag);
	return 0;
}

int cli_cmd_screen(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rag", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "level", required_argument, NULL, 'l' },
		{ "request", required_argument, NULL, 'q' },
		{ "close", required_argument, NULL, 'c' },
		{ 0, 0, 0, 0 }
	};
	struct screen_args a = { 0 };
	long level;
	int ch, status = 0, levelled = 0;
	while (!status && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'r': a.rag = optarg; break;
		case 'R': a.reason = optarg; break;
		case 'l':
			status = cli_int(c, "--level", optarg, 1, 4, &level);
			a.level = (int)level;
			levelled = 1;
			break;
		case 'q':
			a.requested = 1;
			status = agencies_add(c, "--request", optarg, &a.agencies);
			break;
		case 'c': a.close = optarg; break;
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
	a.ref = argv[optind];
	if (a.close && (a.rag || a.requested || levelled))
		return cli_usage(c, "--close goes alone with --reason: a contact "
				 "closed at screening is not rated or asked about");
	if (!a.close && !a.rag)
		return cli_usage(c, "give --rag, --reason and --request to progress "
				 "the contact, or --close and --reason to close it");
	if (!a.close && !a.requested)
		return cli_usage(c, "--request is required: the agencies to ask "
				 "for their checks (e.g. --request police,health)");
	if (!a.reason)
		return cli_usage(c, "--reason is required");
	return front_with_hub(c, do_screen, &a);
}

/* ---- request --------------------------------------------------------------- */

struct request_args {
	const char *ref, *reason;
	struct agency_list agencies;
};

static int do_request(struct cli *c, struct hub *hub, void *arg)
{
	struct request_args *a = arg;
	if (hub_request(hub, a->ref, a->agencies.v, a->agencies.n, a->reason,
			&c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s: asked %d agenc%s for %s check%s\n", a->ref,
		       a->agencies.n, a->agencies.n == 1 ? "y" : "ies",
		       a->agencies.n == 1 ? "its" : "their",
		       a->agencies.n == 1 ? "" : "s");
	return 0;
}

int cli_cmd_request(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'R' },
		{ 0, 0, 0, 0 }
	};
	struct request_args a = { 0 };
	int ch, status = 0;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'R': a.reason = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 >= argc)
		return cli_usage(c, "AGENCY is missing: the agencies to ask "
				 "(e.g. police,health)");
	a.ref = argv[optind];
	for (int i = optind + 1; !status && i < argc; i++)
		status = agencies_add(c, "AGENCY", argv[i], &a.agencies);
	if (status)
		return status;
	return front_with_hub(c, do_request, &a);
}

/* ---- rate -------------------------------------------------------------------- */

struct rate_args {
	const char *ref, *rag, *reason;
};

static int do_rate(struct cli *c, struct hub *hub, void *arg)
{
	struct rate_args *a = arg;
	if (hub_rate(hub, a->ref, a->rag, a->reason, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s rated %s\n", a->ref, a->rag);
	return 0;
}

int cli_cmd_rate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rag", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ 0, 0, 0, 0 }
	};
	struct rate_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'r': a.rag = optarg; break;
		case 'R': a.reason = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (!a.rag || !a.reason)
		return cli_usage(c, "--%s is required", a.rag ? "reason" : "rag");
	a.ref = argv[optind];
	return front_with_hub(c, do_rate, &a);
}
