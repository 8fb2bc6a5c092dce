/* test_forms.c - the forms' pure parts, without a terminal: the form
 * library's padded buffers read back as text and text laid out as them,
 * where the data layer's messages land, the fields a message names,
 * and the forms built from a real (temporary) hub - pre-filled from the
 * recorded check or details, and laid out inside every size from 80x24
 * up; the contact form's household rows added, removed and restored from
 * a draft.
 *
 * The buffers in "library_*" tests are exactly what ncurses 6.4's form
 * library produced for the keys named, in a 10-column field. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mashdesk/hub.h"
#include "mashdesk/hub_update.h"
#include "check_form.h"
#include "contact_form.h"
#include "decision_form.h"
#include "forms.h"
#include "front_form.h"
#include "mashdesk/hub_screen.h"

static void setup(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "C.UTF-8 locale");
}

TestSuite(buffers, .init = setup);

static void reads(const char *buf, int width, const char *want)
{
	char *got = forms_rows_to_text(buf, width);

	cr_assert_not_null(got);
	cr_assert_str_eq(got, want, "buffer [%s] at %d", buf, width);
	free(got);
}

Test(buffers, library_rows_read_back_as_the_lines_seen)
{
	/* "one two three four five six seven" typed without Enter */
	reads("one two   three     four five six seven           ", 10,
	      "one two\nthree\nfour five\nsix seven");
	/* "abcd efghi jk": the library wraps as soon as a row is full */
	reads("abcd      efghi jk                    ", 10, "abcd\nefghi jk");
}

Test(buffers, library_line_ends_read_back)
{
	/* "one" Enter "two three" Enter Enter "four" */
	reads("one       two three           four                ", 10,
	      "one\ntwo three\n\nfour");
	/* Enter after a full row: the library leaves a blank row */
	reads("abcdefghij          x         ", 10, "abcdefghij\nx");
}

Test(buffers, library_word_splits_join_directly)
{
	reads("abcdefghijklmno                         ", 10, "abcdefghijklmno");
	/* a space typed after a full row starts the next one */
	reads("abcdefghij klm                          ", 10, "abcdefghij klm");
}

Test(buffers, utf8_counts_characters_not_bytes)
{
	reads("Zoë       Łukasz    Nguyễn    abc       line2     ", 10,
	      "Zoë\nŁukasz\nNguyễn\nabc\nline2");
}

Test(buffers, empty_and_blank)
{
	reads("", 10, "");
	reads("                    ", 10, "");
	reads("          one       ", 10, "\none");
}

static void round_trip(const char *text, int width)
{
	int rows = 0;
	char *buf = forms_text_to_rows(text, width, &rows), *back;

	cr_assert_not_null(buf);
	cr_assert_geq(rows, 1);
	/* rows of exactly width characters */
	size_t chars = 0;
	for (const char *p = buf; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	cr_assert_eq(chars, (size_t)rows * (size_t)width, "[%s] at %d: %zu "
		     "characters for %d rows", text, width, chars, rows);
	back = forms_rows_to_text(buf, width);
	cr_assert_str_eq(back, text, "at width %d via [%s]", width, buf);
	free(buf);
	free(back);
}

static int longest_line(const char *text)
{
	int longest = 0, n = 0;

	for (const char *p = text;; p++) {
		if (!*p || *p == '\n') {
			longest = n > longest ? n : longest;
			n = 0;
			if (!*p)
				return longest;
		} else if ((*p & 0xC0) != 0x80) {
			n++;
		}
	}
}

Test(buffers, text_whose_lines_fit_round_trips)
{
	static const char *const texts[] = {
		"",
		"one",
		("Police and school agree: Zoë is safe at home tonight\n"
		 "Łukasz (brother) to be seen by the school nurse"),
		"first\n\nthird after a blank line",
		"Nguyễn Thị Hoa, Zoë O'Brien, Łukasz Kowalski",
		"\nstarts with a blank line",
		"  indented, and  two spaces",
	};
	int tried = 0;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		for (int w = 12; w <= 80; w++)
			if (longest_line(texts[i]) < w) {
				round_trip(texts[i], w);
				tried++;
			}
	cr_assert_gt(tried, 200);
}

Test(buffers, long_lines_wrap_into_lines)
{
	int rows = 0;
	char *buf = forms_text_to_rows("one two three", 8, &rows);
	char *back = forms_rows_to_text(buf, 8);

	cr_assert_eq(rows, 2);
	cr_assert_str_eq(back, "one two\nthree");
	free(buf);
	free(back);
	/* a word longer than the row is split and joined again */
	round_trip("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12);
	/* a row ending full before a line end is followed by a blank row */
	round_trip("abcdefghij\nnext", 10);
	round_trip("abcdefghij klm", 10);
}

/* Whatever the text (runs of spaces, long words, blank lines), a second
 * trip changes nothing more, and nothing but a space at a wrap (which
 * becomes the line end) is ever lost. */
Test(buffers, any_text_settles_after_one_trip)
{
	unsigned seed = 7;
	const char alphabet[] = "ab  cdé\nxyzŁ  ";

	for (int n = 0; n < 2000; n++) {
		char text[120];
		size_t used = 0;
		int len = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 60;
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			size_t k = (seed >> 16) % (sizeof alphabet - 1);
			/* whole UTF-8 characters only */
			while (k > 0 && (alphabet[k] & 0xC0) == 0x80)
				k--;
			size_t l = (alphabet[k] & 0x80) ? 2 : 1;
			memcpy(text + used, alphabet + k, l);
			used += l;
		}
		text[used] = '\0';
		int w = 4 + (int)((seed >> 8) % 20);
		char *b1 = forms_text_to_rows(text, w, NULL);
		char *t1 = forms_rows_to_text(b1, w);
		char *b2 = forms_text_to_rows(t1, w, NULL);
		char *t2 = forms_rows_to_text(b2, w);
		cr_assert_str_eq(t2, t1, "[%s] at %d", text, w);
		char a[120], b[120];
		size_t na = 0, nb = 0;
		for (const char *p = text; *p; p++)
			if (*p != ' ' && *p != '\n')
				a[na++] = *p;
		for (const char *p = t1; *p; p++)
			if (*p != ' ' && *p != '\n')
				b[nb++] = *p;
		a[na] = b[nb] = '\0';
		cr_assert_str_eq(b, a, "characters lost from [%s] at %d", text, w);
		free(b1);
		free(t1);
		free(b2);
		free(t2);
	}
}

Test(buffers, trim)
{
	char out[16];

	forms_trim(out, sizeof out, "  2026-01-02   ", 1);
	cr_assert_str_eq(out, "2026-01-02");
	forms_trim(out, sizeof out, "  kept lead  ", 0);
	cr_assert_str_eq(out, "  kept lead");
	forms_trim(out, 4, "abcdef", 0);
	cr_assert_str_eq(out, "abc");
}

/* ---- both forms, built on a real hub ------------------------------------------ */

static char dir[64], path[128];
static struct config cfg;
static struct md_error err;
static struct hub *hub;
static char ref[MD_REF_MAX];

static void hub_setup(void)
{
	setup();
	snprintf(dir, sizeof dir, "/tmp/mashdesk-forms-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/hub.db", dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Forms MASH", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	const struct user pat = { "pat", "Pat Okafor", "police", "practitioner", 1 };
	cr_assert_eq(hub_user_add(hub, &pat, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "pat", 1, &err), 0, "%s", err.msg);
	struct referral_input in = { .child_name = "Zoë Łukasz",
				     .dob = "2016-04-01", .concern = "A worry.",
				     .rag = "amber", .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), 0, "%s", err.msg);
}

static void hub_teardown(void)
{
	char cmd[160];

	hub_close(hub);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0])
		(void)system(cmd);
}

TestSuite(built, .init = hub_setup, .fini = hub_teardown);

static struct referral_detail *detail(void)
{
	struct referral_detail *d = NULL;

	cr_assert_eq(hub_referral_get(hub, ref, &d, &err), 0, "%s", err.msg);
	return d;
}

static void lays_out(struct forms *fm, const char *what)
{
	char why[160];

	/* The body is the terminal less 3 rows (status, message, key bar). */
	for (int rows = 21; rows <= 60; rows += 3)
		for (int cols = 80; cols <= 200; cols += 7) {
			fm->ops->layout(fm, rows, cols);
			cr_assert_eq(forms_layout_check(fm, rows, cols, why,
							sizeof why), 0,
				     "%s at %dx%d: %s", what, cols, rows, why);
		}
}

Test(built, check_form_is_prefilled_from_the_recorded_check)
{
	struct check_input in = { .status = "complete",
				  .info = "One call-out\n\x1b[2Jtwo lines",
				  .basis = "public-task", .consent = "not-sought",
				  .consent_reason = "Would alert the household",
				  .handling = "conditional" };
	struct referral_detail *d;
	struct forms *fm;

	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	d = detail();
	fm = check_form_new(hub, "police", d, &err);
	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "status")), "complete");
	/* the escape is made inert before the form library sees it */
	cr_assert_str_eq(forms_text(fm, forms_find(fm, "info")),
			 "One call-out\n^[[2Jtwo lines");
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "basis")), "public-task");
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "consent")), "not-sought");
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "handling")), "conditional");
	/* a recorded basis cannot be unmade (the data layer would keep it) */
	cr_assert_null(fm->fields[forms_find(fm, "basis")].none_label);
	lays_out(fm, "check form");
	check_form_delete(fm);
}

Test(built, check_form_starts_sensibly_when_nothing_is_recorded)
{
	struct referral_detail *d = detail();
	struct forms *fm = check_form_new(hub, "police", d, &err);
	int basis;

	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "status")), "in-progress");
	cr_assert_str_eq(forms_text(fm, forms_find(fm, "info")), "");
	basis = forms_find(fm, "basis");
	cr_assert_null(forms_code(fm, basis));
	cr_assert_not_null(fm->fields[basis].none_label);
	/* every basis carries its explanation to the point of sharing */
	for (int i = 0; i < fm->fields[basis].options->n; i++)
		cr_assert_neq(fm->fields[basis].options->v[i].explanation[0], '\0');
	/* so does every consent position */
	int c = forms_find(fm, "consent");
	for (int i = 0; i < fm->fields[c].options->n; i++)
		cr_assert_neq(fm->fields[c].options->v[i].explanation[0], '\0');
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "handling")), "shareable");
	lays_out(fm, "empty check form");
	check_form_delete(fm);
}

Test(built, decision_form_ticks_the_agencies_that_checked)
{
	struct check_input in = { .status = "nothing-known" };
	struct referral_detail *d;
	struct forms *fm;
	int ticked = 0, ticks = 0;

	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	d = detail();
	fm = decision_form_new(hub, d, &err);
	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	for (int i = 0; i < fm->nfields; i++)
		if (fm->fields[i].kind == FORMS_TICK) {
			ticks++;
			if (fm->fields[i].choice) {
				ticked++;
				cr_assert_str_eq(fm->fields[i].tick_label, "Police");
			}
		}
	cr_assert_eq(ticks, 6);
	cr_assert_eq(ticked, 1);
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "rag")), "amber");
	cr_assert_null(forms_code(fm, forms_find(fm, "outcome")));
	cr_assert_null(forms_code(fm, forms_find(fm, "level")));
	lays_out(fm, "decision form");
	decision_form_delete(fm);
}

/* The front door's forms act for a csc supervisor. */
static void act_as_csc(void)
{
	const struct user sue = { "sue", "Sue Lindqvist", "csc", "supervisor", 1 };

	cr_assert_eq(hub_act_as(hub, "admin", 1, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_user_add(hub, &sue, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "sue", 1, &err), 0, "%s", err.msg);
}

static int ticks_in(const struct forms *fm, int *ticked)
{
	int n = 0;

	*ticked = 0;
	for (int i = 0; i < fm->nfields; i++)
		if (fm->fields[i].kind == FORMS_TICK) {
			n++;
			*ticked += fm->fields[i].choice;
		}
	return n;
}

Test(built, front_forms_start_from_the_record_and_lay_out)
{
	struct referral_detail *d;
	struct forms *fm;
	int ticked;

	act_as_csc();
	d = detail();
	fm = front_form_new(hub, FRONT_SCREEN, d, &err);
	cr_assert_not_null(fm, "%s", err.msg);
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "close")), "progress");
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "rag")), "amber",
			 "the rating at intake");
	cr_assert_null(forms_code(fm, forms_find(fm, "level")));
	cr_assert_eq(ticks_in(fm, &ticked), 6, "every agency can be asked");
	cr_assert_eq(ticked, 0, "none asked until ticked");
	lays_out(fm, "screening form");
	front_form_delete(fm);
	fm = front_form_new(hub, FRONT_RATE, d, &err);
	cr_assert_not_null(fm, "%s", err.msg);
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "rag")), "amber");
	lays_out(fm, "rating form");
	front_form_delete(fm);
	hub_referral_free(d);
	const char *asked[] = { "police", "health" };
	cr_assert_eq(hub_screen_progress(hub, ref, "red", "Bruise.", 0, asked, 2,
					 &err), 0, "%s", err.msg);
	d = detail();
	fm = front_form_new(hub, FRONT_REQUEST, d, &err);
	cr_assert_not_null(fm, "%s", err.msg);
	cr_assert_eq(ticks_in(fm, &ticked), 4, "only the agencies not asked yet");
	lays_out(fm, "request form");
	front_form_delete(fm);
	hub_referral_free(d);
}

Test(built, messages_find_their_field)
{
	struct referral_detail *d = detail();
	struct forms *fm = check_form_new(hub, "police", d, &err);

	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	cr_assert_eq(forms_problem_field(fm, "basis: required when sharing"),
		     forms_find(fm, "basis"));
	cr_assert_eq(forms_problem_field(fm, "consent-reason: required"),
		     forms_find(fm, "consent-reason"));
	cr_assert_eq(forms_problem_field(fm, "consent: unknown code"),
		     forms_find(fm, "consent"));
	cr_assert_eq(forms_problem_field(fm, "R000001 is already decided"), -1);
	check_form_delete(fm);
}

/* ---- the rules live in the data layer; each message lands at its field -----
 *
 * The forms check nothing themselves: a save goes to the data layer, and
 * its message ("basis: required ...", "action 2: owner: required ...")
 * names the field the form shows it at (forms_problem_field). */

TestSuite(rules, .init = hub_setup, .fini = hub_teardown);

/* The data layer refuses in; its message names the form's field `want`. */
static void refused_at(struct forms *fm, int status, const char *want,
		       const char *words)
{
	cr_assert_neq(status, 0, "saved, but %s should be refused", want);
	cr_assert_eq(forms_problem_field(fm, err.msg), forms_find(fm, want),
		     "\"%s\" should land at %s", err.msg, want);
	cr_assert_geq(forms_find(fm, want), 0, "the form has no field %s", want);
	if (words)
		cr_assert(strstr(err.msg, words), "\"%s\" lacks \"%s\"",
			  err.msg, words);
}

static struct forms *check_form(void)
{
	struct referral_detail *d = detail();
	struct forms *fm = check_form_new(hub, "police", d, &err);

	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	return fm;
}

Test(rules, check_needs_a_basis_to_share_when_complete)
{
	struct forms *fm = check_form();
	struct check_input in = { .status = "complete", .info = "One call-out" };

	refused_at(fm, hub_check_record(hub, ref, &in, &err), "basis",
		   "golden rule 7");
	in.status = "in-progress";      /* not shared yet */
	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	in.status = "complete";
	in.info = NULL;                 /* completing what was recorded shares it */
	refused_at(fm, hub_check_record(hub, ref, &in, &err), "basis",
		   "golden rule 7");
	in.basis = "public-task";
	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	check_form_delete(fm);
}

Test(rules, every_consent_position_needs_a_reason)
{
	struct forms *fm = check_form();
	struct check_input in = { .status = "requested", .consent = "refused" };

	refused_at(fm, hub_check_record(hub, ref, &in, &err), "consent-reason",
		   "refused, and why");
	in.consent = "not-sought";
	in.consent_reason = "";
	refused_at(fm, hub_check_record(hub, ref, &in, &err), "consent-reason",
		   "not sought, and why");
	in.consent = "given";
	refused_at(fm, hub_check_record(hub, ref, &in, &err), "consent-reason",
		   "how consent was given");
	in.status = NULL;
	refused_at(fm, hub_check_record(hub, ref, &in, &err), "status", NULL);
	in.status = "requested";
	in.consent_reason = "Mother agreed on the phone";
	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	check_form_delete(fm);
}

Test(rules, a_recorded_text_is_never_emptied_silently)
{
	struct forms *fm = check_form();
	struct check_input in = { .status = "in-progress", .info = "One call-out" };

	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	in.info = "";                   /* the form's field, emptied */
	refused_at(fm, hub_check_record(hub, ref, &in, &err), "info",
		   "cannot be emptied");
	in.info = NULL;                 /* the command line, not given: kept */
	cr_assert_eq(hub_check_record(hub, ref, &in, &err), 0, "%s", err.msg);
	check_form_delete(fm);
}

static struct forms *decision_form(void)
{
	struct referral_detail *d = detail();
	struct forms *fm = decision_form_new(hub, d, &err);

	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	return fm;
}

Test(rules, decision_needs_outcome_then_rationale)
{
	struct forms *fm = decision_form();
	struct decision_input in = { 0 };

	refused_at(fm, hub_decide(hub, ref, &in, &err), "outcome", NULL);
	in.outcome = "early-help";
	in.rationale = "";
	refused_at(fm, hub_decide(hub, ref, &in, &err), "rationale", "say why");
	in.rationale = "Why.";
	in.level = 5;
	refused_at(fm, hub_decide(hub, ref, &in, &err), "level", "1-4");
	decision_form_delete(fm);
}

Test(rules, decision_action_rows_are_whole_with_real_dates)
{
	struct forms *fm = decision_form();
	/* the form's four rows as typed, blank ones included */
	struct action_input a[4] = { { "", "", "" }, { "Visit", "", "" },
				     { "", "", "" }, { "", "", "" } };
	struct decision_input in = { .outcome = "s17", .rationale = "Why.",
				     .actions = a, .nactions = 4 };

	refused_at(fm, hub_decide(hub, ref, &in, &err), "action2.owner",
		   "action 2");
	a[1].owner = "csc duty team";
	refused_at(fm, hub_decide(hub, ref, &in, &err), "action2.due", NULL);
	a[1].due = "2026-02-30";
	refused_at(fm, hub_decide(hub, ref, &in, &err), "action2.due",
		   "2026-02-30");
	a[1].due = "2026-02-28";
	a[3].due = "2026-03-01";        /* a date alone is not an action */
	refused_at(fm, hub_decide(hub, ref, &in, &err), "action4.what", NULL);
	a[3].due = "";
	cr_assert_eq(hub_decide(hub, ref, &in, &err), 0, "%s", err.msg);
	struct referral_detail *d = detail();
	cr_assert_eq(d->nactions, 1, "blank rows are no actions");
	cr_assert_str_eq(d->actions[0].what, "Visit");
	hub_referral_free(d);
	decision_form_delete(fm);
}

/* The front door's forms: each refusal of hub_screen.c lands at its field. */
Test(rules, front_door_messages_land_at_their_fields)
{
	struct referral_detail *d;
	struct forms *fm;
	const char *police[] = { "police" };

	act_as_csc();
	d = detail();
	fm = front_form_new(hub, FRONT_SCREEN, d, &err);
	cr_assert_not_null(fm, "%s", err.msg);
	refused_at(fm, hub_screen_progress(hub, ref, "red", "Why.", 0, NULL, 0,
					   &err), "request", "name the agencies");
	refused_at(fm, hub_screen_progress(hub, ref, NULL, "Why.", 0, police, 1,
					   &err), "rag", NULL);
	refused_at(fm, hub_screen_progress(hub, ref, "red", "", 0, police, 1,
					   &err), "reason", NULL);
	refused_at(fm, hub_screen_close(hub, ref, "allocated", "Why.", &err),
		   "close", "none is recorded");
	front_form_delete(fm);
	fm = front_form_new(hub, FRONT_RATE, d, &err);
	cr_assert_not_null(fm, "%s", err.msg);
	refused_at(fm, hub_rate(hub, ref, "amber", "Same.", &err), "rag",
		   "already amber");
	front_form_delete(fm);
	hub_referral_free(d);
	cr_assert_eq(hub_screen_progress(hub, ref, "red", "Why.", 0, police, 1,
					 &err), 0, "%s", err.msg);
	d = detail();
	fm = front_form_new(hub, FRONT_REQUEST, d, &err);
	cr_assert_not_null(fm, "%s", err.msg);
	refused_at(fm, hub_request(hub, ref, police, 1, NULL, &err), "agency",
		   "police was asked already");
	front_form_delete(fm);
	hub_referral_free(d);
}

/* ---- the contact form ------------------------------------------------------------ */

/* Type text into field `name` as the keyboard would leave it. */
static void put(struct forms *fm, const char *name, const char *text)
{
	int i = forms_find(fm, name);

	cr_assert_geq(i, 0, "the form has no field %s", name);
	free(fm->fields[i].text);
	fm->fields[i].text = strdup(text);
	fm->fields[i].edited = 1;
}

static void tick_on(struct forms *fm, const char *name)
{
	int i = forms_find(fm, name);

	cr_assert_geq(i, 0, "the form has no field %s", name);
	fm->fields[i].choice = 1;
}

static struct forms *contact_form(int edit)
{
	struct referral_detail *d = edit ? detail() : NULL;
	struct forms *fm = contact_form_new(hub, d, &err);

	hub_referral_free(d);
	cr_assert_not_null(fm, "%s", err.msg);
	return fm;
}

Test(built, contact_form_lays_out_with_any_household_at_every_size)
{
	struct forms *fm = contact_form(0);

	lays_out(fm, "the contact form, no one in the household");
	cr_assert_gt(fm->vrows, 21, "it scrolls: %d rows", fm->vrows);
	cr_assert_eq(contact_form_add_person(fm), forms_find(fm, "person1.name"));
	lays_out(fm, "the contact form, one person");
	while (contact_form_add_person(fm) >= 0)
		;
	cr_assert_eq(contact_form_people(fm), MD_MAX_PEOPLE);
	lays_out(fm, "the contact form, a full household");
	cr_assert_geq(forms_find(fm, "person16.lives_elsewhere"), 0);
	cr_assert_lt(fm->nfields, FORMS_MAX_FIELDS + 1);
	contact_form_delete(fm);
}

Test(built, contact_form_has_a_field_for_every_detail_the_data_layer_names)
{
	static const char *const names[] = {
		"child", "dob", "dob_estimated", "aliases", "gender", "ethnicity",
		"language", "interpreter", "disability", "address",
		"previous_address", "school", "gp", "nhs_number", "upn",
		"allocated_worker", "referrer", "referrer_role",
		"referrer_agency", "referrer_contact", "source", "concern",
		"impact", "tried", "strengths", "category", "parents_aware",
		"consent", "consent_reason",
	};
	struct forms *fm = contact_form(0);

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		cr_assert_geq(forms_find(fm, names[i]), 0, "no field %s", names[i]);
	/* a phone call's order: the child first, then who calls, then what
	 * happened, then consent */
	cr_assert_eq(forms_find(fm, "child"), 0);
	cr_assert_eq(forms_find(fm, "dob"), 1);
	cr_assert_lt(forms_find(fm, "nhs_number"), forms_find(fm, "referrer"));
	cr_assert_lt(forms_find(fm, "referrer"), forms_find(fm, "concern"));
	cr_assert_lt(forms_find(fm, "concern"), forms_find(fm, "consent"));
	contact_form_delete(fm);
}

Test(built, contact_form_rows_are_added_and_removed_keeping_what_is_typed)
{
	struct forms *fm = contact_form(0);
	struct person_input people[MD_MAX_PEOPLE];
	struct referral_input in;

	cr_assert_eq(forms_changed(fm), 0);
	for (int r = 0; r < 3; r++)
		cr_assert_geq(contact_form_add_person(fm), 0);
	cr_assert(forms_changed(fm), "rows added are a change");
	put(fm, "person1.name", "Ann Quill");
	put(fm, "person2.name", "Rob Quill");
	put(fm, "person2.relationship", "father");
	tick_on(fm, "person2.lives_elsewhere");
	put(fm, "person3.name", "Tia Quill");
	put(fm, "referrer", "Ms Hart");
	contact_form_remove_person(fm, 0);
	cr_assert_eq(contact_form_people(fm), 2);
	cr_assert_eq(forms_find(fm, "person3.name"), -1, "renumbered");
	cr_assert_str_eq(forms_text(fm, forms_find(fm, "person1.name")), "Rob Quill");
	cr_assert_str_eq(fm->fields[forms_find(fm, "person1.name")].label, "Person 1");
	cr_assert_str_eq(forms_text(fm, forms_find(fm, "person2.name")), "Tia Quill");
	cr_assert_eq(fm->current, forms_find(fm, "person1.name"),
		     "the focus goes to the next person");
	cr_assert_str_eq(forms_text(fm, forms_find(fm, "referrer")), "Ms Hart");
	contact_form_input(fm, &in, people);
	cr_assert_eq(in.npeople, 2);
	cr_assert_str_eq(in.people[0].name, "Rob Quill");
	cr_assert_str_eq(in.people[0].relationship, "father");
	cr_assert_eq(in.people[0].household, 0);
	cr_assert_eq(in.people[1].household, 1);
	cr_assert_str_eq(in.referrer, "Ms Hart");
	cr_assert_eq(in.parents_aware, -1);
	contact_form_remove_person(fm, 1);
	contact_form_remove_person(fm, 0);
	cr_assert_eq(contact_form_people(fm), 0);
	cr_assert_eq(fm->current, forms_find(fm, "referrer"),
		     "no one left: the focus goes on to the referrer");
	lays_out(fm, "the contact form, everyone removed");
	contact_form_delete(fm);
}

Test(built, contact_form_draft_makes_its_rows_first)
{
	struct forms *fm = contact_form(0);

	fm->ops->draft_shape(fm, "child=Ada\nperson3.name=Tia\nperson1.name=Ann\n");
	cr_assert_eq(contact_form_people(fm), 3);
	cr_assert(forms_changed(fm), "rows the record lacks are a change");
	fm->ops->draft_shape(fm, "child=Ada\n");
	cr_assert_eq(contact_form_people(fm), 0);
	contact_form_delete(fm);
}

Test(built, contact_form_edits_the_details_as_recorded)
{
	struct person_input people[2] = {
		{ .name = "Ann Łukasz", .relationship = "mother",
		  .dob = "1985-05-05", .parental_responsibility = 1,
		  .household = 1 },
		{ .name = "Rob Łukasz", .relationship = "father",
		  .alleged_perpetrator = 1 },
	};
	struct referral_input in = {
		.child_name = "Zoë Łukasz", .dob = "2016-04-01", .concern = "A worry.",
		.aliases = "Zo", .school = "Hill School", .source = "police",
		.category = "neglect", .parents_aware = 0, .consent = "not-sought",
		.consent_reason = "Asking would put her at risk.",
		.people = people, .npeople = 2, .interpreter = 1,
	};
	struct person_input back_people[MD_MAX_PEOPLE];
	struct referral_input back;

	cr_assert_eq(hub_referral_update(hub, ref, &in, NULL, 0, NULL, &err), 0,
		     "%s", err.msg);
	struct forms *fm = contact_form(1);
	cr_assert_eq(contact_form_people(fm), 2);
	cr_assert_str_eq(forms_text(fm, forms_find(fm, "person2.name")), "Rob Łukasz");
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "source")), "police");
	cr_assert_str_eq(forms_code(fm, forms_find(fm, "parents_aware")), "no");
	cr_assert_eq(forms_changed(fm), 0, "as recorded: nothing changed yet");
	/* read back as the data layer takes it: the same details */
	contact_form_input(fm, &back, back_people);
	int n = -1;
	cr_assert_eq(hub_referral_update(hub, ref, &back, NULL, 0, &n, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(n, 0, "the form read back the record exactly");
	contact_form_delete(fm);
}

/* What hub_contact_add refuses lands at the field the message names. */
Test(rules, contact_refusals_land_at_their_fields)
{
	struct forms *fm = contact_form(0);
	struct person_input people[MD_MAX_PEOPLE];
	struct referral_input in;
	char got[MD_REF_MAX];

#define REFUSED(field, words) do { \
		contact_form_input(fm, &in, people); \
		refused_at(fm, hub_contact_add(hub, &in, got, &err), field, words); \
	} while (0)
	REFUSED("child", "required");
	put(fm, "child", "Ada Quill");
	REFUSED("concern", "required");
	put(fm, "concern", "Seen alone at night.");
	REFUSED("dob", "required");
	put(fm, "dob", "2016-02-30");
	REFUSED("dob", "2016-02-30");
	put(fm, "dob", "2016-02-28");
	put(fm, "nhs_number", "12345");
	REFUSED("nhs_number", "10-digit");
	put(fm, "nhs_number", "485 777 3456");
	contact_form_add_person(fm);
	contact_form_add_person(fm);
	put(fm, "person1.name", "Ann Quill");
	REFUSED("person2.name", "required");
	put(fm, "person2.name", "Rob Quill");
	put(fm, "person2.dob", "1980-13-01");
	REFUSED("person2.dob", "1980-13-01");
	put(fm, "person2.dob", "");
	fm->fields[forms_find(fm, "consent")].choice =
		forms_option_find(fm->fields[forms_find(fm, "consent")].options,
				  "refused");
	REFUSED("consent_reason", "required");
	put(fm, "consent_reason", "Mother said no.");
#undef REFUSED
	contact_form_input(fm, &in, people);
	cr_assert_eq(hub_contact_add(hub, &in, got, &err), 0, "%s", err.msg);
	contact_form_delete(fm);
}
