/* test_subject.c - a subject access request (hub_subject_access): the
 * child found under every name and alias, and no other child; the
 * document's marks for the reviewer; one audit row per run; who may.
 *
 * Each test makes its own training hub with sue (csc supervisor), cas
 * (csc practitioner, who screens), pat (police) and hana (health). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"

#include "fixture.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_screen.h"
#include "mashdesk/hub_strategy.h"
#include "mashdesk/hub_subject.h"

static char dir[64], path[128];
static struct config cfg;
static struct md_error err;
static struct hub *sue, *cas, *pat, *hana;

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 1, &err), 0, "%s", err.msg);
	return hub;
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-subject-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Subject MASH", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = as("admin");
	const struct user users[] = {
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "cas", "Cas Moreno", "csc", "practitioner", 1 },
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);
	sue = as("sue");
	cas = as("cas");
	pat = as("pat");
	hana = as("hana");
}

static void teardown(void)
{
	char cmd[128];
	hub_close(sue);
	hub_close(cas);
	hub_close(pat);
	hub_close(hana);
	sue = cas = pat = hana = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

/* A contact received `days` ago with a household; its reference. */
static void add(const char *child, const char *dob, const char *aliases,
		const char *address, const struct person_input *people,
		int npeople, int days, char ref[MD_REF_MAX])
{
	struct referral_input in = {
		.child_name = child, .dob = dob, .aliases = aliases,
		.address = address, .concern = "Seen alone at night.",
		.referrer = "Ms Ada Teacher", .referrer_role = "class teacher",
		.people = people, .npeople = npeople, .parents_aware = -1,
		.received_at = clock_now() - days * 86400LL,
	};
	cr_assert_eq(hub_referral_add(cas, &in, ref, &err), 0, "%s", err.msg);
}

/* The document for (child, dob) as the acting user hub, in a malloc'd
 * string; *status and *records as hub_subject_access left them. */
static const char *aliases_asked;   /* --aliases, for the next document */

static char *document(struct hub *hub, const char *child, const char *dob,
		      int *status, int *records)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	struct subject_request req = { .child_name = child, .dob = dob,
				       .aliases = aliases_asked,
				       .where = "standard output" };
	*status = hub_subject_access(hub, &req, f, records, &err);
	long n = ftell(f);
	char *text = calloc(1, (size_t)n + 1);
	cr_assert_not_null(text);
	rewind(f);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

static char *document_ok(const char *child, const char *dob, int *records)
{
	int status;
	char *text = document(sue, child, dob, &status, records);
	cr_assert_eq(status, 0, "%s", err.msg);
	return text;
}

/* One value from the hub (sqlite3 or psql), trailing newline cut. */
static void query(const char *sql, char *out, size_t len)
{
	char cmd[1024];
	fixture_sql_command(cmd, sizeof cmd, path, sql);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
	pclose(p);
}

/* The line of text holding needle ("" if none), copied into line. */
static const char *line_of(const char *text, const char *needle, char *line,
			   size_t len)
{
	const char *at = strstr(text, needle);
	line[0] = '\0';
	if (!at)
		return line;
	const char *start = at;
	while (start > text && start[-1] != '\n')
		start--;
	size_t n = strcspn(start, "\n");
	snprintf(line, len, "%.*s", (int)n, start);
	return line;
}

Test(subject, finds_the_child_under_every_alias_and_no_other_child,
     .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX], b[MD_REF_MAX], c[MD_REF_MAX], d[MD_REF_MAX];
	char e[MD_REF_MAX], f[MD_REF_MAX];
	const struct person_input sister[] = {
		{ "Tia Quill", "sister", "2016-04-01", 0, 0, 1 },
	};
	/* A: the name asked; B: another name, with the one asked as an
	 * alias; F: B's name alone (known to be hers only through B). */
	add("Tia Quill", "2016-04-01", NULL, "1 Elm Row", NULL, 0, 300, a);
	add("Tia Marsh", "2016-04-01", "Tia Quill", "2 Oak Row", NULL, 0, 200, b);
	add("Tia Marsh", "2016-04-01", NULL, "2 Oak Row", NULL, 0, 100, f);
	/* C: another child of the same name, born another day; D: a
	 * brother at A's address, born the same day; E: a child whose
	 * household names a Tia Quill born that day. */
	add("Tia Quill", "2015-01-01", NULL, "9 Far Lane", NULL, 0, 50, c);
	add("Kim Quill", "2016-04-01", NULL, "1 Elm Row", NULL, 0, 40, d);
	add("Bo Lane", "2016-04-01", NULL, "1 Elm Row", sister, 1, 30, e);

	int records;
	char *doc = document_ok("tia quill", "2016-04-01", &records);
	cr_assert_eq(records, 3, "%s", doc);
	cr_assert_not_null(strstr(doc, a), "%s", doc);
	cr_assert_not_null(strstr(doc, b), "%s", doc);
	cr_assert_not_null(strstr(doc, f), "%s", doc);
	cr_assert_null(strstr(doc, c), "another child's record: %s", doc);
	cr_assert_null(strstr(doc, d), "a brother's record: %s", doc);
	cr_assert_null(strstr(doc, e), "a household member is not the child: %s", doc);
	cr_assert_null(strstr(doc, "Kim Quill"));
	cr_assert_null(strstr(doc, "Bo Lane"));
	/* What was searched, and in order oldest first. */
	char line[512];
	cr_assert_str_eq(line_of(doc, "Date of birth: 2016-04-01", line,
				 sizeof line), "  Date of birth: 2016-04-01");
	cr_assert_not_null(strstr(doc, "Name: tia quill (as asked)"), "%s", doc);
	char want[128];
	snprintf(want, sizeof want, "Name: Tia Marsh (a name or alias of the "
		 "child on %s)", b);
	cr_assert_not_null(strstr(doc, want), "%s", doc);
	snprintf(want, sizeof want, "Records found: 3 (%s, %s, %s), oldest "
		 "first.", a, b, f);
	cr_assert_not_null(strstr(doc, want), "%s", doc);
	cr_assert_lt(strstr(doc, "Record 1 of 3"), strstr(doc, "Record 2 of 3"));
	snprintf(want, sizeof want, "Record 1 of 3: %s", a);
	cr_assert_not_null(strstr(doc, want), "%s", doc);
	free(doc);

	/* Asked by the other name, the same three. */
	doc = document_ok("Tia Marsh", "2016-04-01", &records);
	cr_assert_eq(records, 3, "%s", doc);
	free(doc);
	/* The other Tia Quill is found alone by her own date of birth. */
	doc = document_ok("Tia Quill", "2015-01-01", &records);
	cr_assert_eq(records, 1);
	cr_assert_not_null(strstr(doc, c));
	free(doc);
}

Test(subject, nothing_held_is_an_answer, .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX];
	add("Tia Quill", "2016-04-01", NULL, "1 Elm Row", NULL, 0, 3, a);
	int records = -1;
	char *doc = document_ok("Ola Brandt", "2016-04-01", &records);
	cr_assert_eq(records, 0);
	cr_assert_not_null(strstr(doc, "Records found: none. Subject MASH "
				  "holds no contact or referral"), "%s", doc);
	cr_assert_not_null(strstr(doc, "End of the document: 0 records."));
	cr_assert_null(strstr(doc, a));
	free(doc);
}

Test(subject, marks_restricted_entries_and_third_parties,
     .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX];
	const struct person_input people[] = {
		{ "Kim Quill", "mother", "1990-03-04", 1, 0, 1 },
		{ "Dan Marsh", "mother's partner", NULL, 0, 1, 1 },
	};
	add("Tia Quill", "2016-04-01", NULL, "1 Elm Row", people, 2, 3, a);
	const char *asked[] = { "police", "health" };
	cr_assert_eq(hub_screen_progress(cas, a, "red", "Bruise seen", 0, asked,
					 2, &err), 0, "%s", err.msg);
	struct check_input police = { .status = "complete", .info =
		"Dan Marsh: two call-outs for violence", .basis = "public-task",
		.handling = "restricted" };
	cr_assert_eq(hub_check_record(pat, a, &police, &err), 0, "%s", err.msg);
	struct check_input health = { .status = "complete", .info =
		"Seen by the GP in March", .basis = "public-task",
		.handling = "conditional" };
	cr_assert_eq(hub_check_record(hana, a, &health, &err), 0, "%s", err.msg);

	int records;
	char *doc = document_ok("Tia Quill", "2016-04-01", &records);
	char line[512];
	/* The restricted entry's own text carries the mark on its line. */
	line_of(doc, "Information shared: Dan Marsh", line, sizeof line);
	cr_assert_not_null(strstr(line, SUBJECT_MARK_RESTRICTED), "%s", doc);
	cr_assert_not_null(strstr(doc, "    [THIRD PARTY: agency's entry, "
				  "Police]\n    " SUBJECT_MARK_RESTRICTED
				  " Check: Police, Complete\n    Handling: Restricted "
				  "to the hub (restricted)\n"), "%s", doc);
	line_of(doc, "Seen by the GP", line, sizeof line);
	cr_assert_null(strstr(line, "[RESTRICTED"), "%s", line);
	cr_assert_not_null(strstr(doc, "[CONDITIONAL: review before "
				  "disclosure] Information shared: Seen by the "
				  "GP"), "%s", doc);
	/* Household members, the referrer, free text. */
	line_of(doc, "Kim Quill", line, sizeof line);
	cr_assert_not_null(strstr(line, "[THIRD PARTY: household member] "
				  "Person: Kim Quill (mother)"), "%s", line);
	line_of(doc, "Person: Dan Marsh", line, sizeof line);
	cr_assert_not_null(strstr(line, "[THIRD PARTY: household member]"));
	line_of(doc, "Ms Ada Teacher", line, sizeof line);
	cr_assert_str_eq(line, "    [THIRD PARTY: referrer] Referrer: Ms Ada "
			 "Teacher");
	line_of(doc, "What happened", line, sizeof line);
	cr_assert_not_null(strstr(line, SUBJECT_MARK_FREE), "%s", line);
	/* The heading says what it is and for whom. */
	cr_assert_not_null(strstr(doc, "FOR REVIEW BEFORE DISCLOSURE"));
	cr_assert_not_null(strstr(doc, "by Sue Lindqvist (sue, supervisor)"));
	cr_assert_eq(strncmp(doc, "SUBJECT ACCESS: what Subject MASH holds "
			     "about Tia Quill, born 2016-04-01\n", 71), 0, "%s", doc);
	free(doc);
}

Test(subject, text_is_wrapped_and_inert, .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX];
	struct referral_input in = {
		.child_name = "Tia Quill", .dob = "2016-04-01",
		.concern = "A long account of what the school saw over the "
			"whole of the autumn term, told by the class teacher "
			"and the head, with every date and every word the "
			"child said about home written down as it was said.\n"
			"A second paragraph \x1b[31mwith an escape.",
		.parents_aware = -1,
	};
	cr_assert_eq(hub_referral_add(cas, &in, a, &err), 0, "%s", err.msg);
	int records;
	char *doc = document_ok("Tia Quill", "2016-04-01", &records);
	cr_assert_null(strchr(doc, '\x1b'), "an escape reached the document");
	cr_assert_not_null(strstr(doc, "A second paragraph ^[[31mwith"), "%s", doc);
	for (char *l = doc; *l;) {
		size_t n = strcspn(l, "\n");
		cr_assert_leq(n, 78, "a line of %zu columns: %.*s", n, (int)n, l);
		l += n + (l[n] ? 1 : 0);
	}
	free(doc);
}

Test(subject, each_run_is_audited_once_without_the_document,
     .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX], b[MD_REF_MAX], got[1024], want[512];
	add("Tia Quill", "2016-04-01", NULL, "1 Elm Row", NULL, 0, 30, a);
	add("Tia Marsh", "2016-04-01", "Tia Quill", NULL, NULL, 0, 20, b);
	int records;
	free(document_ok("Tia Quill", "2016-04-01", &records));
	query("SELECT count(*) || '|' || group_concat(login || '|' || "
	      "coalesce(CAST(referral_id AS TEXT), 'none') || '|' || detail) FROM audit "
	      "WHERE action = 'subject-access'", got, sizeof got);
	snprintf(want, sizeof want, "1|sue|none|subject access for 'Tia Quill' "
		 "born 2016-04-01: 2 records (%s, %s) to standard output", a, b);
	cr_assert_str_eq(got, want);
	query("SELECT count(*) FROM audit WHERE detail LIKE '%alone at night%'",
	      got, sizeof got);
	cr_assert_str_eq(got, "0", "the audit copied the document");
	/* A bad date of birth is refused before anything is read: no row. */
	int status;
	char *doc = document(sue, "Tia Quill", "2016-02-30", &status, &records);
	cr_assert_eq(status, EX_DATAERR);
	cr_assert_not_null(strstr(err.msg, "dob: '2016-02-30' is not a date"),
			   "%s", err.msg);
	cr_assert_str_eq(doc, "");
	free(doc);
	doc = document(sue, "  ", "2016-04-01", &status, &records);
	cr_assert_eq(status, EX_USAGE);
	free(doc);
	query("SELECT count(*) FROM audit WHERE action = 'subject-access'", got,
	      sizeof got);
	cr_assert_str_eq(got, "1");
}

Test(subject, only_supervisors_may, .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX], got[256];
	add("Tia Quill", "2016-04-01", NULL, NULL, NULL, 0, 3, a);
	struct hub *who[] = { cas, pat };
	for (size_t i = 0; i < 2; i++) {
		int status, records;
		char *doc = document(who[i], "Tia Quill", "2016-04-01", &status,
				     &records);
		cr_assert_eq(status, EX_NOPERM);
		cr_assert_not_null(strstr(err.msg, "only supervisors may answer "
					  "subject access requests"), "%s", err.msg);
		cr_assert_str_eq(doc, "", "a refusal wrote: %s", doc);
		free(doc);
	}
	query("SELECT count(*) FROM audit WHERE action = 'refused'", got,
	      sizeof got);
	cr_assert_str_eq(got, "2", "each refusal is recorded");
	query("SELECT count(*) FROM audit WHERE action = 'subject-access'", got,
	      sizeof got);
	cr_assert_str_eq(got, "0");
	cr_assert(hub_may(sue, HUB_ACT_SUBJECT_ACCESS, NULL));
	cr_assert(!hub_may(cas, HUB_ACT_SUBJECT_ACCESS, NULL));
}

Test(subject, the_requesters_other_names_are_searched_too,
     .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX], b[MD_REF_MAX], got[512], want[512];
	/* Nothing links the two records but the requester's word. */
	add("Tia Quill", "2016-04-01", NULL, NULL, NULL, 0, 30, a);
	add("Tia Okoro", "2016-04-01", NULL, NULL, NULL, 0, 20, b);
	int records;
	char *doc = document_ok("Tia Quill", "2016-04-01", &records);
	cr_assert_eq(records, 1);
	free(doc);
	aliases_asked = "Tia Okoro; ;Tia O'Koro";
	doc = document_ok("Tia Quill", "2016-04-01", &records);
	aliases_asked = NULL;
	cr_assert_eq(records, 2, "%s", doc);
	cr_assert_not_null(strstr(doc, "Name: Tia Okoro (as asked)"), "%s", doc);
	cr_assert_null(strstr(doc, "O'Koro"), "the same name twice: %s", doc);
	free(doc);
	query("SELECT detail FROM audit WHERE action = 'subject-access' "
	      "ORDER BY id DESC LIMIT 1", got, sizeof got);
	snprintf(want, sizeof want, "subject access for 'Tia Quill' (also 'Tia "
		 "Okoro; ;Tia O'Koro') born 2016-04-01: 2 records (%s, %s) to "
		 "standard output", a, b);
	cr_assert_str_eq(got, want);
}

/* A strategy discussion is in the document: who took part marked as
 * others', what was shared as free text that may name others. */
Test(subject, strategy_discussions_are_in_the_document,
     .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX];
	add("Tia Quill", "2016-04-01", NULL, NULL, NULL, 0, 1, a);
	const char *asked[] = { "police", "health" };
	cr_assert_eq(hub_screen_progress(cas, a, "red", "Bruise seen", 0, asked,
					 2, &err), 0, "%s", err.msg);
	const struct strategy_attendee_input who[] = {
		{ "police", "pat" }, { "csc", "cas" }, { "health", "hana" },
	};
	struct strategy_input in = {
		.held = "now", .how = "call", .attendees = who, .nattendees = 3,
		.summary = "Police shared two call-outs to the home.",
		.decision = "s47-joint",
	};
	cr_assert_eq(hub_strategy_record(cas, a, &in, &err), 0, "%s", err.msg);

	int records;
	char *doc = document_ok("Tia Quill", "2016-04-01", &records);
	char line[512];
	cr_assert_not_null(strstr(doc, "Strategy discussions"), "%s", doc);
	line_of(doc, "Took part:", line, sizeof line);
	cr_assert_not_null(strstr(line, "[THIRD PARTY: those who took part]"),
			   "%s", line);
	cr_assert_not_null(strstr(line, "police: pat"), "%s", line);
	line_of(doc, "Shared: Police shared", line, sizeof line);
	cr_assert_not_null(strstr(line, SUBJECT_MARK_FREE), "%s", line);
	cr_assert_not_null(strstr(doc, "jointly with police"), "%s", doc);
	free(doc);
}

/* What the referrer was told is in the document, as the hub's own words. */
Test(subject, feedback_to_the_referrer_is_in_the_document,
     .init = setup, .fini = teardown)
{
	char a[MD_REF_MAX];
	add("Tia Quill", "2016-04-01", NULL, NULL, NULL, 0, 1, a);
	cr_assert_eq(hub_feedback_record(cas, a, "acknowledgement", "phone",
					 "We have your referral about Tia.", &err),
		     0, "%s", err.msg);
	int records;
	char *doc = document_ok("Tia Quill", "2016-04-01", &records);
	char line[512];
	cr_assert_not_null(strstr(doc, "Feedback to the referrer"), "%s", doc);
	line_of(doc, "Given:", line, sizeof line);
	cr_assert_not_null(strstr(line, "acknowledgement by phone; by cas"),
			   "%s", line);
	line_of(doc, "Told: We have your referral", line, sizeof line);
	cr_assert_not_null(strstr(line, SUBJECT_MARK_FREE), "%s", line);
	free(doc);
}
