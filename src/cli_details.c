/* cli_details.c - `referral edit REF [OPTIONS]`: a referral's details
 * corrected from the shell, as E does at the desk (hub_update.h).  The
 * options given replace what is recorded; the rest is kept as it stands
 * (read with hub_details_get), so the one update, its validation and its
 * audit are the desk's. */
#include "cli_internal.h"

#include <stddef.h>
#include <string.h>

#include "mashdesk/hub_update.h"

enum {
	O_CHILD = 256, O_DOB, O_EXPECTED, O_NOT_EXPECTED, O_ALIASES, O_GENDER,
	O_ETHNICITY, O_LANGUAGE, O_INTERPRETER, O_DISABILITY, O_ADDRESS,
	O_PREVIOUS, O_SCHOOL, O_GP, O_NHS, O_UPN, O_ALLOCATED, O_REFERRER,
	O_ROLE, O_AGENCY, O_CONTACT, O_SOURCE, O_CONCERN, O_IMPACT, O_TRIED,
	O_STRENGTHS, O_CATEGORY, O_AWARE, O_CONSENT, O_REASON, O_PERSON,
	O_NO_PEOPLE,
};

/* A text option: where its value goes in struct referral_input. */
static const struct {
	int opt;
	size_t off;
} texts[] = {
	{ O_CHILD, offsetof(struct referral_input, child_name) },
	{ O_DOB, offsetof(struct referral_input, dob) },
	{ O_ALIASES, offsetof(struct referral_input, aliases) },
	{ O_GENDER, offsetof(struct referral_input, gender) },
	{ O_ETHNICITY, offsetof(struct referral_input, ethnicity) },
	{ O_LANGUAGE, offsetof(struct referral_input, language) },
	{ O_DISABILITY, offsetof(struct referral_input, disability) },
	{ O_ADDRESS, offsetof(struct referral_input, address) },
	{ O_PREVIOUS, offsetof(struct referral_input, previous_address) },
	{ O_SCHOOL, offsetof(struct referral_input, school) },
	{ O_GP, offsetof(struct referral_input, gp) },
	{ O_NHS, offsetof(struct referral_input, nhs_number) },
	{ O_UPN, offsetof(struct referral_input, upn) },
	{ O_ALLOCATED, offsetof(struct referral_input, allocated_worker) },
	{ O_REFERRER, offsetof(struct referral_input, referrer) },
	{ O_ROLE, offsetof(struct referral_input, referrer_role) },
	{ O_AGENCY, offsetof(struct referral_input, referrer_agency) },
	{ O_CONTACT, offsetof(struct referral_input, referrer_contact) },
	{ O_SOURCE, offsetof(struct referral_input, source) },
	{ O_CONCERN, offsetof(struct referral_input, concern) },
	{ O_IMPACT, offsetof(struct referral_input, impact) },
	{ O_TRIED, offsetof(struct referral_input, tried) },
	{ O_STRENGTHS, offsetof(struct referral_input, strengths) },
	{ O_CATEGORY, offsetof(struct referral_input, category) },
	{ O_CONSENT, offsetof(struct referral_input, consent) },
	{ O_REASON, offsetof(struct referral_input, consent_reason) },
};

/* What the command line asked, to lay over the details as they stand. */
struct edit_args {
	const char *ref;
	const char *text[sizeof texts / sizeof texts[0]];
	int given[sizeof texts / sizeof texts[0]];
	int expected, interpreter, aware;       /* -2 = not given */
	int people_given;
	struct person_input people[MD_MAX_PEOPLE];
	int npeople;
};

static int do_edit(struct cli *c, struct hub *hub, void *arg)
{
	struct edit_args *a = arg;
	struct referral_detail *d = NULL;
	struct person_input people[MD_MAX_PEOPLE];
	struct referral_input in;
	int n = 0;

	if (hub_details_get(hub, a->ref, &d, &c->err))
		return cli_fail_err(c);
	hub_details_input(d, &in, people);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (a->given[i])
			*(const char **)((char *)&in + texts[i].off) = a->text[i];
	if (a->expected != -2)
		in.dob_estimated = a->expected;
	if (a->interpreter != -2)
		in.interpreter = a->interpreter;
	if (a->aware != -2)
		in.parents_aware = a->aware;
	if (a->people_given) {
		in.people = a->people;
		in.npeople = a->npeople;
	}
	int status = hub_referral_update(hub, a->ref, &in, NULL, 0, &n, &c->err);
	hub_referral_free(d);
	if (status)
		return cli_fail_err(c);
	printf("%d\n", n);
	return 0;
}

/* yes/no (and unknown where allowed) as 1/0 (-1). */
static int yes_no(struct cli *c, const char *opt, const char *v, int unknown,
		  int *out)
{
	if (!strcmp(v, "yes"))
		*out = 1;
	else if (!strcmp(v, "no"))
		*out = 0;
	else if (unknown && !strcmp(v, "unknown"))
		*out = -1;
	else
		return cli_fail(c, EX_DATAERR, "%s: '%s' is not yes%s or no", opt,
				v, unknown ? ", unknown" : "");
	return 0;
}

int cli_cmd_referral_edit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "child", required_argument, NULL, O_CHILD },
		{ "dob", required_argument, NULL, O_DOB },
		{ "expected", no_argument, NULL, O_EXPECTED },
		{ "not-expected", no_argument, NULL, O_NOT_EXPECTED },
		{ "aliases", required_argument, NULL, O_ALIASES },
		{ "gender", required_argument, NULL, O_GENDER },
		{ "ethnicity", required_argument, NULL, O_ETHNICITY },
		{ "language", required_argument, NULL, O_LANGUAGE },
		{ "interpreter", required_argument, NULL, O_INTERPRETER },
		{ "disability", required_argument, NULL, O_DISABILITY },
		{ "address", required_argument, NULL, O_ADDRESS },
		{ "previous-address", required_argument, NULL, O_PREVIOUS },
		{ "school", required_argument, NULL, O_SCHOOL },
		{ "gp", required_argument, NULL, O_GP },
		{ "nhs-number", required_argument, NULL, O_NHS },
		{ "upn", required_argument, NULL, O_UPN },
		{ "allocated-worker", required_argument, NULL, O_ALLOCATED },
		{ "referrer", required_argument, NULL, O_REFERRER },
		{ "referrer-role", required_argument, NULL, O_ROLE },
		{ "referrer-agency", required_argument, NULL, O_AGENCY },
		{ "referrer-contact", required_argument, NULL, O_CONTACT },
		{ "source", required_argument, NULL, O_SOURCE },
		{ "concern", required_argument, NULL, O_CONCERN },
		{ "impact", required_argument, NULL, O_IMPACT },
		{ "tried", required_argument, NULL, O_TRIED },
		{ "strengths", required_argument, NULL, O_STRENGTHS },
		{ "category", required_argument, NULL, O_CATEGORY },
		{ "parents-aware", required_argument, NULL, O_AWARE },
		{ "consent", required_argument, NULL, O_CONSENT },
		{ "consent-reason", required_argument, NULL, O_REASON },
		{ "person", required_argument, NULL, O_PERSON },
		{ "no-people", no_argument, NULL, O_NO_PEOPLE },
		{ 0, 0, 0, 0 }
	};
	struct edit_args a;
	int ch, status = 0;

	memset(&a, 0, sizeof a);
	a.expected = a.interpreter = a.aware = -2;
	while (!status && (ch = cli_getopt(c, argc, argv, opts)) != -1) {
		int known = 0;
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
			if (texts[i].opt == ch) {
				a.text[i] = optarg;
				a.given[i] = known = 1;
			}
		if (known)
			continue;
		switch (ch) {
		case O_EXPECTED: a.expected = 1; break;
		case O_NOT_EXPECTED: a.expected = 0; break;
		case O_INTERPRETER:
			status = yes_no(c, "--interpreter", optarg, 0, &a.interpreter);
			break;
		case O_AWARE:
			status = yes_no(c, "--parents-aware", optarg, 1, &a.aware);
			break;
		case O_NO_PEOPLE:
			a.people_given = 1;
			break;
		case O_PERSON:
			a.people_given = 1;
			if (a.npeople == MD_MAX_PEOPLE)
				status = cli_fail(c, EX_DATAERR, "--person: at most %d",
						  MD_MAX_PEOPLE);
			else
				status = cli_parse_person(c, optarg,
							  &a.people[a.npeople++]);
			break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (status)
		return status;
	if (optind >= argc)
		return cli_usage(c, "give the referral's reference");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	a.ref = argv[optind];
	struct hub *hub;
	if ((status = cli_open_hub(c, &hub)) != 0)
		return status;
	status = do_edit(c, hub, &a);
	hub_close(hub);
	return status;
}
