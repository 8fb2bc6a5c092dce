/* cli_referral.c - commands about referrals: referral add, import, queue,
 * show, claim, assign, check, decide. */
#include "cli_internal.h"

#include <errno.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/privilege.h"

#define MAX_SPLIT 8

/* Split "a;b;c" in place into at most MAX_SPLIT trimmed parts. */
static int split_semicolons(char *s, char *parts[MAX_SPLIT])
{
	int n = 0;
	for (char *save = NULL, *p = strtok_r(s, ";", &save); p && n < MAX_SPLIT;
	     p = strtok_r(NULL, ";", &save)) {
		while (*p == ' ')
			p++;
		char *e = p + strlen(p);
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		parts[n++] = p;
	}
	return n;
}

/* --person 'NAME;RELATIONSHIP[;YYYY-MM-DD][;pr][;perpetrator][;elsewhere]' */
int cli_parse_person(struct cli *c, char *spec, struct person_input *p)
{
	char *parts[MAX_SPLIT];
	int n = split_semicolons(spec, parts);
	if (n < 2)
		return cli_fail(c, EX_DATAERR, "--person: give at least "
				"'NAME;RELATIONSHIP'");
	*p = (struct person_input){ .name = parts[0], .relationship = parts[1],
				    .household = 1 };
	for (int i = 2; i < n; i++) {
		if (!strcmp(parts[i], "pr"))
			p->parental_responsibility = 1;
		else if (!strcmp(parts[i], "perpetrator"))
			p->alleged_perpetrator = 1;
		else if (!strcmp(parts[i], "elsewhere"))
			p->household = 0;
		else if (clock_valid_date(parts[i]))
			p->dob = parts[i];
		else
			return cli_fail(c, EX_DATAERR, "--person: '%s' is not a "
					"date, pr, perpetrator or elsewhere",
					parts[i]);
	}
	return 0;
}

static int run_with_hub(struct cli *c, int (*fn)(struct cli *, struct hub *,
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

struct add_args {
	struct referral_input in;
	struct person_input people[MD_MAX_PEOPLE];
};

static int do_referral_add(struct cli *c, struct hub *hub, void *arg)
{
	struct add_args *a = arg;
	char ref[MD_REF_MAX];
	if (hub_referral_add(hub, &a->in, ref, &c->err))
		return cli_fail_err(c);
	printf("%s\n", ref);
	return 0;
}

int cli_cmd_referral_add(struct cli *c, int argc, char **argv)
{
	enum { O_NHS = 256, O_EXPECTED, O_CONSENT, O_CONSENT_REASON, O_PERSON,
	       O_RECEIVED };
	static const struct option opts[] = {
		{ "child", required_argument, NULL, 'c' },
		{ "dob", required_argument, NULL, 'd' },
		{ "concern", required_argument, NULL, 'C' },
		{ "category", required_argument, NULL, 'g' },
		{ "source", required_argument, NULL, 's' },
		{ "rag", required_argument, NULL, 'r' },
		{ "level", required_argument, NULL, 'l' },
		{ "referrer", required_argument, NULL, 'R' },
		{ "aliases", required_argument, NULL, 'a' },
		{ "address", required_argument, NULL, 'A' },
		{ "school", required_argument, NULL, 'S' },
		{ "gp", required_argument, NULL, 'G' },
		{ "nhs-number", required_argument, NULL, O_NHS },
		{ "received", required_argument, NULL, O_RECEIVED },
		{ "expected", no_argument, NULL, O_EXPECTED },
		{ "consent", required_argument, NULL, O_CONSENT },
		{ "consent-reason", required_argument, NULL, O_CONSENT_REASON },
		{ "person", required_argument, NULL, O_PERSON },
		{ 0, 0, 0, 0 }
	};
	struct add_args a = { .in = { .parents_aware = -1 } };
	struct referral_input *in = &a.in;
	long level;
	int ch, status = 0;
	while (!status && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'c': in->child_name = optarg; break;
		case 'd': in->dob = optarg; break;
		case 'C': in->concern = optarg; break;
		case 'g': in->category = optarg; break;
		case 's': in->source = optarg; break;
		case 'r': in->rag = optarg; break;
		case 'l':
			status = cli_int(c, "--level", optarg, 1, 4, &level);
			in->level = (int)level;
			break;
		case 'R': in->referrer = optarg; break;
		case 'a': in->aliases = optarg; break;
		case 'A': in->address = optarg; break;
		case 'S': in->school = optarg; break;
		case 'G': in->gp = optarg; break;
		case O_NHS: in->nhs_number = optarg; break;
		case O_EXPECTED: in->dob_estimated = 1; break;
		case O_CONSENT: in->consent = optarg; break;
		case O_CONSENT_REASON: in->consent_reason = optarg; break;
		case O_RECEIVED:
			if (clock_parse_iso(optarg, &in->received_at) != 0)
				status = cli_fail(c, EX_DATAERR, "--received: '%s' is "
						  "not an ISO 8601 time", optarg);
			break;
		case O_PERSON:
			if (in->npeople == MD_MAX_PEOPLE)
				status = cli_fail(c, EX_DATAERR, "--person: at most %d",
						  MD_MAX_PEOPLE);
			else
				status = cli_parse_person(c, optarg,
						      &a.people[in->npeople++]);
			break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (status)
		return status;
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	if (!in->child_name || !in->dob || !in->concern)
		return cli_usage(c, "--%s is required", !in->child_name ? "child"
				 : !in->dob ? "dob" : "concern");
	in->people = a.people;
	return run_with_hub(c, do_referral_add, &a);
}

/* ---- import --------------------------------------------------------------- */

static int do_import(struct cli *c, struct hub *hub, void *arg)
{
	const char *path = arg;
	FILE *f = user_file_fopen(path, "rb");   /* with your own rights */
	if (!f)
		return cli_fail(c, errno == ENOENT || errno == EACCES ? EX_NOINPUT
				: EX_IOERR, "%s: %s", path, strerror(errno));
	long count = 0;
	int status = hub_import_csv(hub, f, path, &count, &c->err);
	fclose(f);
	if (status)
		return cli_fail_err(c);
	if (c->out_tty)
		printf("imported %ld referral%s from %s\n", count,
		       count == 1 ? "" : "s", path);
	return 0;
}

int cli_cmd_import(struct cli *c, int argc, char **argv)
{
	int ch;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind >= argc)
		return cli_usage(c, "FILE.csv is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	return run_with_hub(c, do_import, argv[optind]);
}

/* ---- queue ------------------------------------------------------------------ */

struct queue_args {
	struct queue_query q;
};

/* What print_queue_row prints for. */
struct queue_out {
	struct cli *c;
	int checks;             /* --checks: two more columns */
};

static int print_queue_row(const struct queue_row *r, void *arg)
{
	const struct queue_out *o = arg;
	struct cli *c = o->c;
	/* --checks: the agency's own check, its due time and whether it is
	 * late, after the columns every queue has (extend, don't break) */
	int checks = o->checks;
	char check_due[CLOCK_ISO_MAX] = "", check_left[32] = "";
	char received[CLOCK_ISO_MAX], due[CLOCK_ISO_MAX], left[32];
	long long now = clock_now();
	int age = clock_age_years(r->dob, now);
	clock_format_iso(r->received_at, received);
	clock_format_iso(r->due_at, due);
	clock_format_left(r->due_at, now, left, sizeof left);
	if (r->decided_at)
		snprintf(left, sizeof left, "decided");
	if (c->out_tty) {
		char name[MD_NAME_MAX + 16];
		snprintf(name, sizeof name, "%s (%d)", r->child_name, age);
		printf("%-8s %.16s ", r->ref, received);
		cli_put_col(c, name, 22);
		if (checks)
			clock_format_left(r->check_due, now, check_left,
					  sizeof check_left);
		char fb_left[32] = "";
		if (r->feedback_due)
			clock_format_left(r->feedback_due, now, fb_left,
					  sizeof fb_left);
		printf(" %c %c %-9s %-10.10s %s %-9s%s%s%s%s%s%s%s%s\n",
		       r->rag[0] ? r->rag[0] - 32 : '-',
		       r->level ? '0' + r->level : '-', r->status,
		       r->assigned_to[0] ? r->assigned_to : "-", r->checks, left,
		       r->repeat ? " repeat" : "", checks ? "  our check: " : "",
		       check_left, !r->strategy_due ? "" : r->strategy_late
		       ? "  strategy late" : "  strategy due",
		       r->feedback_due ? "  feedback: " : "",
		       r->feedback_kind, r->feedback_due ? " " : "", fb_left);
		return 0;
	}
	printf("%s\t%s\t", r->ref, received);
	cli_put(c, r->child_name);
	printf("\t%s\t%d\t%s\t", r->dob, age, r->rag);
	if (r->level)
		printf("%d", r->level);
	printf("\t%s\t%s\t%s\t%s\t%s\t%d\t%d", r->status, r->assigned_to,
	       r->checks, due, left, r->overdue, r->repeat);
	if (checks) {
		clock_format_iso(r->check_due, check_due);
		printf("\t%s\t%d", check_due, r->check_late);
	}
	/* when a strategy discussion is due ("" none), then the feedback columns */
	if (r->strategy_due) {
		char sdue[CLOCK_ISO_MAX];
		clock_format_iso(r->strategy_due, sdue);
		printf("\t%s", sdue);
	} else {
		printf("\t");
	}
	/* feedback owed to the referrer (hub_feedback.h): always last */
	char fb_due[CLOCK_ISO_MAX] = "";
	if (r->feedback_due)
		clock_format_iso(r->feedback_due, fb_due);
	printf("\t%s\t%s\t%d", fb_due, r->feedback_kind, r->feedback_late);
	putchar('\n');
	return 0;
}

static int do_queue(struct cli *c, struct hub *hub, void *arg)
{
	struct queue_args *a = arg;
	struct queue_out o = { c, a->q.filter == HUB_FILTER_CHECKS };
	struct hub_info info;
	hub_get_info(hub, &info);
	/* No header above a refusal: a user of no agency has no checks. */
	if (o.checks && !hub_may(hub, HUB_ACT_VIEW, NULL))
		;
	else if (o.checks && !info.me.agency[0])
		return cli_fail(c, EX_USAGE, "--checks: %s belongs to no agency, "
				"so has no checks of its own", info.me.login);
	else if (c->out_tty)
		printf("%-8s %-16s %-22s R L %-9s %-10s %-6s %s\n", "REF",
		       "RECEIVED", "CHILD (AGE)", "STATUS", "ASSIGNED", "CHECKS",
		       "DECIDE IN");
	else
		printf("ref\treceived\tchild\tdob\tage\trag\tlevel\tstatus\t"
		       "assigned_to\tchecks\tdue\tleft\toverdue\trepeat%s"
		       "\tstrategy_due\tfeedback_due\tfeedback_kind\tfeedback_late\n",
		       o.checks ? "\tcheck_due\tcheck_late" : "");
	if (hub_queue(hub, &a->q, print_queue_row, &o, &c->err))
		return cli_fail_err(c);
	return 0;
}

int cli_cmd_queue(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mine", no_argument, NULL, 'm' },
		{ "unassigned", no_argument, NULL, 'u' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "checks", no_argument, NULL, 'c' },
		{ "feedback", no_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ "search", required_argument, NULL, 's' },
		{ "decided", no_argument, NULL, 'D' },
		{ 0, 0, 0, 0 }
	};
	struct queue_args a = { .q = { .filter = HUB_FILTER_ALL, .open_only = 1 } };
	int ch, status = 0, filters = 0;
	long limit;
	while (!status && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'm': a.q.filter = HUB_FILTER_MINE; filters++; break;
		case 'u': a.q.filter = HUB_FILTER_UNASSIGNED; filters++; break;
		case 'o': a.q.filter = HUB_FILTER_OVERDUE; filters++; break;
		case 'a': a.q.filter = HUB_FILTER_ALL; filters++; break;
		case 'c': a.q.filter = HUB_FILTER_CHECKS; filters++; break;
		case 'f': a.q.filter = HUB_FILTER_FEEDBACK; filters++; break;
		case 'l':
			status = cli_int(c, "--limit", optarg, 1, 100000000, &limit);
			a.q.limit = (int)limit;
			break;
		case 's': a.q.search = optarg; break;
		case 'D': a.q.open_only = 0; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (status)
		return status;
	if (filters > 1)
		return cli_usage(c, "give only one of --mine, --unassigned, "
				 "--overdue, --all, --checks, --feedback");
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return run_with_hub(c, do_queue, &a);
}

/* ---- show ------------------------------------------------------------------- */

struct show_state {
	struct cli *c;
	char section[32];
};

static int print_show(const char *section, const char *field,
		      const char *value, void *arg)
{
	struct show_state *s = arg;
	if (!s->c->out_tty) {
		cli_put(s->c, section);
		putchar('\t');
		cli_put(s->c, field);
		putchar('\t');
		cli_put(s->c, value);
		putchar('\n');
		return 0;
	}
	if (strcmp(s->section, section)) {
		printf("%s%s\n", s->section[0] ? "\n" : "", section);
		snprintf(s->section, sizeof s->section, "%s", section);
	}
	printf("  ");
	cli_put(s->c, field);
	printf(": ");
	cli_put(s->c, value);
	putchar('\n');
	return 0;
}

static int do_show(struct cli *c, struct hub *hub, void *arg)
{
	struct show_state s = { .c = c };
	if (hub_referral_show(hub, arg, print_show, &s, &c->err))
		return cli_fail_err(c);
	return 0;
}

/* REF as the only operand, for show and claim. */
static int ref_operand(struct cli *c, int argc, char **argv, char **ref)
{
	int ch;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? -1 : EX_USAGE;
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	*ref = argv[optind];
	return 0;
}

int cli_cmd_show(struct cli *c, int argc, char **argv)
{
	char *ref = NULL;
	int status = ref_operand(c, argc, argv, &ref);
	if (status)
		return status < 0 ? 0 : status;
	return run_with_hub(c, do_show, ref);
}

/* ---- audit show --------------------------------------------------------------- */

struct audit_out {
	struct cli *c;
	int header;             /* printed yet */
};

static void audit_header(struct audit_out *o)
{
	if (!o->header && !o->c->out_tty)
		printf("at\tlogin\thost\ttty\taction\tdetail\n");
	o->header = 1;
}

static int print_audit(const struct hub_audit_entry *e, void *arg)
{
	struct audit_out *o = arg;
	struct cli *c = o->c;
	char when[CLOCK_ISO_MAX];
	audit_header(o);
	clock_format_iso(e->at, when);
	const char *f[] = { when, e->login, e->host, e->tty, e->action, e->detail };
	for (int i = 0; i < 6; i++) {
		if (c->out_tty && i < 5)
			cli_put_col(c, f[i], i == 0 ? 25 : i == 4 ? 12 : 14);
		else
			cli_put(c, f[i]);
		putchar(i < 5 ? (c->out_tty ? ' ' : '\t') : '\n');
	}
	return 0;
}

static int do_audit_show(struct cli *c, struct hub *hub, void *arg)
{
	struct audit_out o = { .c = c };
	if (hub_audit_show(hub, arg, print_audit, &o, &c->err))
		return cli_fail_err(c);
	audit_header(&o);   /* a referral nobody touched still gets its header */
	return 0;
}

int cli_cmd_audit_show(struct cli *c, int argc, char **argv)
{
	char *ref = NULL;
	int status = ref_operand(c, argc, argv, &ref);
	if (status)
		return status < 0 ? 0 : status;
	return run_with_hub(c, do_audit_show, ref);
}

/* ---- claim, assign ---------------------------------------------------------- */

static int do_claim(struct cli *c, struct hub *hub, void *arg)
{
	if (hub_claim(hub, arg, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s is yours\n", (char *)arg);
	return 0;
}

int cli_cmd_claim(struct cli *c, int argc, char **argv)
{
	char *ref = NULL;
	int status = ref_operand(c, argc, argv, &ref);
	if (status)
		return status < 0 ? 0 : status;
	return run_with_hub(c, do_claim, ref);
}

struct assign_args {
	const char *ref, *login, *reason;
};

static int do_assign(struct cli *c, struct hub *hub, void *arg)
{
	struct assign_args *a = arg;
	if (hub_assign(hub, a->ref, a->login, a->reason, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s assigned to %s\n", a->ref, a->login);
	return 0;
}

int cli_cmd_assign(struct cli *c, int argc, char **argv)
{
	struct assign_args a = { 0 };
	int status = cli_pair_and_text(c, argc, argv, "reason", "REF and LOGIN",
				       &a.ref, &a.login, &a.reason);
	if (status)
		return status == CLI_HELP_SHOWN ? 0 : status;
	return run_with_hub(c, do_assign, &a);
}

/* ---- consent override ----------------------------------------------------- */

static int do_override(struct cli *c, struct hub *hub, void *arg)
{
	struct assign_args *a = arg;    /* login carries the agency */
	if (hub_consent_override(hub, a->ref, a->login, a->reason, &c->err))
		return cli_fail_err(c);
	if (c->out_tty)
		printf("%s: %s's consent refusal overridden\n", a->ref, a->login);
	return 0;
}

int cli_cmd_consent_override(struct cli *c, int argc, char **argv)
{
	struct assign_args a = { 0 };
	int status = cli_pair_and_text(c, argc, argv, "reason", "REF and AGENCY",
				       &a.ref, &a.login, &a.reason);
	if (status)
		return status == CLI_HELP_SHOWN ? 0 : status;
	return run_with_hub(c, do_override, &a);
}

/* ---- check ---------------------------------------------------------------- */

struct check_args {
	const char *ref;
	struct check_input in;
};

static int do_check(struct cli *c, struct hub *hub, void *arg)
{
	struct check_args *a = arg;
	if (hub_check_record(hub, a->ref, &a->in, &c->err))
		return cli_fail_err(c);
	return 0;
}

int cli_cmd_check(struct cli *c, int argc, char **argv)
{
	enum { O_CONSENT_REASON = 256 };
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "info", required_argument, NULL, 'i' },
		{ "basis", required_argument, NULL, 'b' },
		{ "consent", required_argument, NULL, 'c' },
		{ "consent-reason", required_argument, NULL, O_CONSENT_REASON },
		{ "handling", required_argument, NULL, 'H' },
		{ 0, 0, 0, 0 }
	};
	struct check_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 's': a.in.status = optarg; break;
		case 'i': a.in.info = optarg; break;
		case 'b': a.in.basis = optarg; break;
		case 'c': a.in.consent = optarg; break;
		case O_CONSENT_REASON: a.in.consent_reason = optarg; break;
		case 'H': a.in.handling = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (!a.in.status)
		return cli_usage(c, "--status is required");
	a.ref = argv[optind];
	return run_with_hub(c, do_check, &a);
}

/* ---- decide --------------------------------------------------------------- */

struct decide_args {
	const char *ref;
	struct decision_input in;
	struct action_input actions[MD_MAX_ACTIONS];
};

static int do_decide(struct cli *c, struct hub *hub, void *arg)
{
	struct decide_args *a = arg;
	if (hub_decide(hub, a->ref, &a->in, &c->err))
		return cli_fail_err(c);
	return 0;
}

static int parse_action(struct cli *c, char *spec, struct action_input *act)
{
	char *parts[MAX_SPLIT];
	if (split_semicolons(spec, parts) != 3)
		return cli_fail(c, EX_DATAERR, "--action: give 'WHAT;OWNER;"
				"YYYY-MM-DD'");
	*act = (struct action_input){ parts[0], parts[1], parts[2] };
	return 0;
}

int cli_cmd_decide(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "outcome", required_argument, NULL, 'o' },
		{ "rationale", required_argument, NULL, 'r' },
		{ "rag", required_argument, NULL, 'R' },
		{ "level", required_argument, NULL, 'l' },
		{ "feedback", required_argument, NULL, 'f' },
		{ "agencies", required_argument, NULL, 'a' },
		{ "action", required_argument, NULL, 'A' },
		{ 0, 0, 0, 0 }
	};
	struct decide_args a = { 0 };
	long level;
	int ch, status = 0;
	while (!status && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'o': a.in.outcome = optarg; break;
		case 'r': a.in.rationale = optarg; break;
		case 'R': a.in.rag = optarg; break;
		case 'l':
			status = cli_int(c, "--level", optarg, 1, 4, &level);
			a.in.level = (int)level;
			break;
		case 'f': a.in.feedback = optarg; break;
		case 'a': a.in.agencies = optarg; break;
		case 'A':
			if (a.in.nactions == MD_MAX_ACTIONS)
				status = cli_fail(c, EX_DATAERR, "--action: at most %d",
						  MD_MAX_ACTIONS);
			else
				status = parse_action(c, optarg,
						      &a.actions[a.in.nactions++]);
			break;
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
	if (!a.in.outcome || !a.in.rationale)
		return cli_usage(c, "--%s is required", a.in.outcome ? "rationale"
				 : "outcome");
	a.ref = argv[optind];
	a.in.actions = a.actions;
	return run_with_hub(c, do_decide, &a);
}
