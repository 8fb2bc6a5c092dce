/* cli_supervise.c - supervisors' commands: board, chase, chase mark,
 * signoff, sendback. */
#include "cli_internal.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_board.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_chase.h"
#include "mashdesk/hub_signoff.h"

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

/* Options only; returns -1 after --help, EX_USAGE, or 0. */
static int no_options(struct cli *c, int argc, char **argv)
{
	int ch;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? -1 : EX_USAGE;
	return 0;
}

/* ---- board ----------------------------------------------------------------- */

static int print_board_row(const struct board_row *r, void *arg)
{
	struct cli *c = arg;
	char due[CLOCK_ISO_MAX] = "-", left[32] = "-";
	if (r->oldest_due) {
		clock_format_iso(r->oldest_due, due);
		clock_format_left(r->oldest_due, clock_now(), left, sizeof left);
	}
	if (c->out_tty) {
		printf("%-10s %-12s ", r->agency[0] ? r->agency : "-",
		       r->login[0] ? r->login : "-");
		cli_put_col(c, r->name, 24);
		printf(" %5d %7d %5d  %-10s %4d/%-4d%s\n", r->open, r->overdue,
		       r->late_checks, left, r->strategy_due, r->strategy_late,
		       r->active ? "" : " (inactive)");
		return 0;
	}
	printf("%s\t%s\t", r->agency[0] ? r->agency : "-",
	       r->login[0] ? r->login : "-");
	cli_put(c, r->name);
	printf("\t%d\t%d\t%s\t%d\t%d\t%d\n", r->open, r->overdue, due,
	       r->late_checks, r->strategy_due, r->strategy_late);
	return 0;
}

static int do_board(struct cli *c, struct hub *hub, void *arg)
{
	(void)arg;
	/* No header above a refusal (hub_board then refuses and audits it). */
	if (!hub_may(hub, HUB_ACT_BOARD, NULL))
		;
	else if (c->out_tty)
		printf("%-10s %-12s %-24s %5s %7s %5s  %-10s %s\n", "AGENCY",
		       "LOGIN", "NAME", "OPEN", "OVERDUE", "LATE", "OLDEST DUE",
		       "STRATEGY DUE/LATE");
	else
		printf("agency\tlogin\tname\topen\toverdue\toldest_due\tlate_checks"
		       "\tstrategy_due\tstrategy_late\n");
	if (hub_board(hub, print_board_row, c, &c->err))
		return cli_fail_err(c);
	/* the figures of a terminal's reader: a pipe's rows stay as they were */
	struct feedback_counts fb;
	if (c->out_tty && !hub_feedback_counts(hub, &fb, &c->err))
		printf("\nfeedback owed to referrers: %ld acknowledgement%s "
		       "(%ld late), %ld outcome%s (%ld late)\n",
		       fb.due[FEEDBACK_ACK], fb.due[FEEDBACK_ACK] == 1 ? "" : "s",
		       fb.late[FEEDBACK_ACK], fb.due[FEEDBACK_OUTCOME],
		       fb.due[FEEDBACK_OUTCOME] == 1 ? "" : "s",
		       fb.late[FEEDBACK_OUTCOME]);
	return 0;
}

int cli_cmd_board(struct cli *c, int argc, char **argv)
{
	int status = no_options(c, argc, argv);
	if (status)
		return status < 0 ? 0 : status;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return with_hub(c, do_board, NULL);
}

/* ---- chase ----------------------------------------------------------------- */

struct chase_args {
	const char *agency, *ref, *note;
	int late_only;
};

static int print_chase_row(const struct chase_row *r, void *arg)
{
	struct cli *c = arg;
	char due[CLOCK_ISO_MAX], left[32], chased[CLOCK_ISO_MAX] = "";
	clock_format_iso(r->due_at, due);
	clock_format_left(r->due_at, clock_now(), left, sizeof left);
	if (r->chased_at)
		clock_format_iso(r->chased_at, chased);
	if (c->out_tty) {
		printf("%-8s %-10s ", r->ref, r->agency);
		cli_put_col(c, r->child_name, 20);
		printf(" %c %-11s %-10s %.16s", r->rag[0] ? r->rag[0] - 32 : '-',
		       r->status, left, due);
		if (r->chases) {
			printf("  chased %dx, last %s %.16s: ", r->chases,
			       r->chased_by, chased);
			cli_put(c, r->note);
		}
		printf("\n");
		return 0;
	}
	printf("%s\t%s\t", r->ref, r->agency);
	cli_put(c, r->child_name);
	printf("\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t", r->rag, r->status, due, left,
	       r->late, r->chases, r->chased_by, chased);
	cli_put(c, r->note);
	printf("\n");
	return 0;
}

static int do_chase(struct cli *c, struct hub *hub, void *arg)
{
	struct chase_args *a = arg;
	if (!hub_may(hub, HUB_ACT_BOARD, NULL))
		;
	else if (c->out_tty)
		printf("%-8s %-10s %-20s R %-11s %-10s %s\n", "REF", "AGENCY",
		       "CHILD", "STATUS", "DUE IN", "DUE");
	else
		printf("ref\tagency\tchild\trag\tstatus\tdue\tleft\tlate\tchases\t"
		       "chased_by\tchased_at\tnote\n");
	if (hub_chase_list(hub, a->agency, a->late_only, print_chase_row, c,
			   &c->err))
		return cli_fail_err(c);
	return 0;
}

int cli_cmd_chase(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "late", no_argument, NULL, 'l' }, { 0, 0, 0, 0 }
	};
	struct chase_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch == 'l')
			a.late_only = 1;
		else
			return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	}
	if (argc - optind > 1)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc)
		a.agency = argv[optind];
	return with_hub(c, do_chase, &a);
}

static int do_chase_mark(struct cli *c, struct hub *hub, void *arg)
{
	struct chase_args *a = arg;
	if (hub_chase_mark(hub, a->ref, a->agency, a->note, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("chase of %s on %s recorded\n", a->agency, a->ref);
	return 0;
}

int cli_cmd_chase_mark(struct cli *c, int argc, char **argv)
{
	struct chase_args a = { 0 };
	int status = cli_pair_and_text(c, argc, argv, "note", "REF and AGENCY",
				       &a.ref, &a.agency, &a.note);
	if (status)
		return status == CLI_HELP_SHOWN ? 0 : status;
	return with_hub(c, do_chase_mark, &a);
}

/* ---- signoff, sendback ------------------------------------------------------ */

struct signoff_args {
	const char *ref, *comment;
};

static int do_signoff(struct cli *c, struct hub *hub, void *arg)
{
	struct signoff_args *a = arg;
	if (hub_signoff(hub, a->ref, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s signed off\n", a->ref);
	return 0;
}

int cli_cmd_signoff(struct cli *c, int argc, char **argv)
{
	struct signoff_args a = { 0 };
	int status = no_options(c, argc, argv);
	if (status)
		return status < 0 ? 0 : status;
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	a.ref = argv[optind];
	return with_hub(c, do_signoff, &a);
}

static int do_sendback(struct cli *c, struct hub *hub, void *arg)
{
	struct signoff_args *a = arg;
	if (hub_sendback(hub, a->ref, a->comment, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s sent back for a new decision\n", a->ref);
	return 0;
}

int cli_cmd_sendback(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "comment", required_argument, NULL, 'm' }, { 0, 0, 0, 0 }
	};
	struct signoff_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch == 'm')
			a.comment = optarg;
		else
			return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage(c, argc - optind < 1 ? "REF is missing"
				 : "unexpected argument");
	if (!a.comment || !*a.comment)
		return cli_usage(c, "--comment is required");
	a.ref = argv[optind];
	return with_hub(c, do_sendback, &a);
}
