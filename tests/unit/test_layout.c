/* test_layout.c - the desk's pure parts, without a terminal: the queue's
 * row layout with names of every width, key specs, bindings, and the key
 * bar and help texts generated from the action table, and the referral
 * screen's layout (header, panels, focus, wrapping, untrusted text).
 *
 * Column widths come from wcwidth(), so every test runs in C.UTF-8. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/actions.h"
#include "mashdesk/desk.h"
#include "mashdesk/hub_signoff.h"
#include "mashdesk/screen.h"
#include "mashdesk/text.h"
#include "queue_layout.h"
#include "referral_layout.h"

static void setup(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "C.UTF-8 locale");
	action_bind_defaults();
}

TestSuite(layout, .init = setup);
TestSuite(keys, .init = setup);
TestSuite(texts, .init = setup);

#define NOW 1795000000LL        /* a fixed moment: rows must not depend on today */

static struct queue_row sample_row(const char *name)
{
	struct queue_row r;

	memset(&r, 0, sizeof r);
	r.id = 12;
	snprintf(r.ref, sizeof r.ref, "R0000012");
	r.received_at = NOW - 3600;
	r.due_at = NOW + 5 * 3600;
	snprintf(r.child_name, sizeof r.child_name, "%s", name);
	snprintf(r.dob, sizeof r.dob, "2015-03-04");
	snprintf(r.rag, sizeof r.rag, "red");
	r.level = 3;
	snprintf(r.status, sizeof r.status, "screening");
	snprintf(r.assigned_to, sizeof r.assigned_to, "demo-sup");
	snprintf(r.checks, sizeof r.checks, "c.rp.n");
	r.repeat = 1;
	return r;
}

/* The joined line and the part of it after the name cell. */
static void row_line(const struct queue_layout *l, const char *name,
		     char *line, size_t len, const char **after)
{
	struct queue_row r = sample_row(name);
	struct queue_cells c;

	queue_row_cells(l, &r, NOW, 0, &c);
	queue_cells_join(l, &c, line, len);
	*after = line + strlen(c.text[QCOL_REF]) + 1 +
		 strlen(c.text[QCOL_RECEIVED]) + 1 + strlen(c.text[QCOL_NAME]);
}

Test(layout, columns_fill_80_exactly)
{
	struct queue_layout l;

	queue_layout_make(&l, 80, 6);
	cr_assert_eq(l.x[0], 0);
	for (int i = 1; i < QCOL_COUNT; i++)
		cr_assert_eq(l.x[i], l.x[i - 1] + l.w[i - 1] +
			     (i != QCOL_STRATEGY), "col %d", i);
	cr_assert_eq(l.x[QCOL_COUNT - 1] + l.w[QCOL_COUNT - 1], 80);
	cr_assert_geq(l.w[QCOL_NAME], 12);
	cr_assert_eq(l.w[QCOL_CHECKS], 6);
	cr_assert_eq(l.w[QCOL_DUE], 10, "clock_format_left needs 10");
	cr_assert_eq(l.wide_dates, 0);
}

Test(layout, wider_terminal_widens_name_and_dates)
{
	struct queue_layout narrow, wide;

	queue_layout_make(&narrow, 80, 6);
	queue_layout_make(&wide, 132, 6);
	cr_assert_gt(wide.w[QCOL_NAME], narrow.w[QCOL_NAME]);
	cr_assert_geq(wide.w[QCOL_NAME], 40);
	cr_assert_eq(wide.wide_dates, 1);
	cr_assert_eq(wide.x[QCOL_COUNT - 1] + wide.w[QCOL_COUNT - 1], 132);
}

Test(layout, many_agencies_leave_the_name_readable)
{
	struct queue_layout l;

	queue_layout_make(&l, 80, 16);
	cr_assert_geq(l.w[QCOL_NAME], 12);
	cr_assert_eq(l.x[QCOL_COUNT - 1] + l.w[QCOL_COUNT - 1], 80);
}

Test(layout, non_ascii_names_align)
{
	static const char *const names[] = {
		"Amy Li", "Zoë O'Brien", "Łukasz Wiśniewski",
		"Nguyễn Văn An",                        /* precomposed */
		"Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An",  /* decomposed */
		"陈美玲",                                /* width 6 */
		"陈美玲陈美玲陈美玲陈美玲",              /* wider than the column */
		"Nguyễn Thị Minh Khai Hoàng",           /* cut with an ellipsis */
		"Evil \x1B[2J\x1B]0;pwned\x07 Name",    /* escapes made inert */
	};
	struct queue_layout l;
	char first_after[1024] = "";

	queue_layout_make(&l, 80, 6);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char line[1024];
		const char *after;

		row_line(&l, names[i], line, sizeof line, &after);
		cr_assert_eq(text_width(line), 80, "%s: width %d", names[i],
			     text_width(line));
		cr_assert_null(strchr(line, '\x1B'), "no ESC reaches the terminal");
		cr_assert_null(strchr(line, '\x07'));
		/* Everything after the name is byte-identical: same columns. */
		if (i == 0)
			snprintf(first_after, sizeof first_after, "%s", after);
		else
			cr_assert_str_eq(after, first_after, "%s", names[i]);
	}
}

Test(layout, name_cells_are_exactly_their_width)
{
	struct queue_layout l;
	struct queue_cells c;
	struct queue_row r = sample_row("陈美玲陈美玲陈美玲陈美玲");

	/* An odd name width: a wide character must not straddle the edge. */
	for (int cols = 80; cols <= 85; cols++) {
		queue_layout_make(&l, cols, 6);
		queue_row_cells(&l, &r, NOW, 0, &c);
		for (int i = 0; i < QCOL_COUNT; i++)
			cr_assert_eq(text_width(c.text[i]), l.w[i],
				     "cols %d col %d", cols, i);
	}
	cr_assert_not_null(strstr(c.text[QCOL_NAME], "\xE2\x80\xA6"), "ellipsis");
}

Test(layout, row_cells_say_it_in_letters)
{
	struct queue_layout l;
	struct queue_cells c;
	struct queue_row r = sample_row("Zoë");

	queue_layout_make(&l, 80, 6);
	queue_row_cells(&l, &r, NOW, 0, &c);
	cr_assert_str_eq(c.text[QCOL_RAG], "R");
	cr_assert_eq(c.role[QCOL_RAG], THEME_RAG_RED);
	cr_assert_str_eq(c.text[QCOL_AGE], " 11", "2015-03-04 seen from %lld", NOW);
	cr_assert_str_eq(c.text[QCOL_LEVEL], "3");
	cr_assert_str_eq(c.text[QCOL_CHECKS], "c.rp.n");
	cr_assert_str_eq(c.text[QCOL_REPEAT], "*");
	cr_assert_str_eq(c.text[QCOL_DUE], "5h        ");
	cr_assert_eq(c.role[QCOL_DUE], THEME_NORMAL);

	r.due_at = NOW - 2 * 3600;
	r.overdue = 1;
	r.rag[0] = '\0';
	r.assigned_to[0] = '\0';
	snprintf(r.dob, sizeof r.dob, "2099-01-01");
	queue_row_cells(&l, &r, NOW, 0, &c);
	cr_assert_str_eq(c.text[QCOL_DUE], "late 2h   ");
	cr_assert_eq(c.role[QCOL_DUE], THEME_OVERDUE);
	cr_assert_str_eq(c.text[QCOL_RAG], "-");
	cr_assert_str_eq(c.text[QCOL_AGE], "unb");
	cr_assert_eq(c.text[QCOL_ASSIGNED][0], '-');
}

Test(layout, header_names_agencies_by_initial)
{
	struct queue_layout l;
	struct queue_cells c;
	char line[512];

	struct queue_initials ini = { "", 0 };
	const char *codes[] = { "police", "csc", "health", "education",
				"probation", "housing" };
	for (int i = 0; i < 6; i++) {
		struct hub_code code = { "", "", "" };
		snprintf(code.code, sizeof code.code, "%s", codes[i]);
		queue_initial_add(&code, &ini);
	}
	cr_assert_str_eq(ini.s, "PCHEPH");
	cr_assert_eq(ini.n, 6);
	queue_layout_make(&l, 80, ini.n);
	queue_header_cells(&l, ini.s, &c);
	queue_cells_join(&l, &c, line, sizeof line);
	cr_assert_eq(text_width(line), 80);
	cr_assert_str_eq(c.text[QCOL_CHECKS], "PCHEPH");
	cr_assert_eq(strncmp(line, "Ref ", 4), 0, "%s", line);
}

/* ---- key specs --------------------------------------------------------- */

Test(keys, parse_format_round_trip)
{
	static const char *const specs[] = {
		"c", "G", "/", "?", "#", ";", "é", "^K", "^X", "^L", "Enter", "Esc",
		"Tab", "BTab", "Up", "Down", "Left", "Right", "PgUp", "PgDn",
		"Home", "End", "Space", "Comma", "Backspace", "Del", "F1", "F12",
	};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		char why[128] = "", back[ACTION_KEY_NAME_MAX];
		int key = -1;

		cr_assert_eq(action_key_parse(specs[i], &key, why, sizeof why), 0,
			     "%s: %s", specs[i], why);
		action_key_format(key, back, sizeof back);
		cr_assert_str_eq(back, specs[i]);
	}
}

Test(keys, other_spellings_fold_to_one)
{
	static const char *const pairs[][2] = {
		{ "enter", "Enter" }, { "Return", "Enter" }, { "^M", "Enter" },
		{ "^i", "Tab" }, { "^[", "Esc" }, { "C-k", "^K" },
		{ "Ctrl-K", "^K" }, { "^H", "Backspace" }, { "^?", "Backspace" },
		{ "Shift-Tab", "BTab" }, { "PageDown", "PgDn" }, { " q ", "q" },
		{ "\"#\"", "#" }, { "f5", "F5" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char why[128] = "", back[ACTION_KEY_NAME_MAX];
		int key;

		cr_assert_eq(action_key_parse(pairs[i][0], &key, why, sizeof why),
			     0, "%s: %s", pairs[i][0], why);
		action_key_format(key, back, sizeof back);
		cr_assert_str_eq(back, pairs[i][1], "%s", pairs[i][0]);
	}
}

Test(keys, flow_control_and_signal_keys_refused)
{
	static const char *const bad[] = { "^S", "^s", "Ctrl-S", "C-s", "^Q",
					   "^q", "^C", "^Z", "^\\", "^@" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[128] = "";
		int key;

		cr_assert_neq(action_key_parse(bad[i], &key, why, sizeof why), 0,
			      "%s accepted", bad[i]);
		cr_assert_neq(why[0], '\0');
	}
	char why[128];
	int key;
	action_key_parse("^S", &key, why, sizeof why);
	cr_assert_not_null(strstr(why, "flow control"), "%s", why);
}

Test(keys, nonsense_refused)
{
	static const char *const bad[] = { "", "  ", "Enterprise", "qq", "F0",
					   "F13", "^", "^1", "\x01", "\xFF" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[128] = "";
		int key;

		if (!strcmp(bad[i], "^"))       /* a caret alone is the caret */
			continue;
		cr_assert_neq(action_key_parse(bad[i], &key, why, sizeof why), 0,
			      "\"%s\" accepted", bad[i]);
	}
}

Test(keys, desk_check_key_validates_ini_entries)
{
	char why[256];

	cr_assert_eq(desk_check_key("claim", "c", why, sizeof why), 0);
	cr_assert_eq(desk_check_key("up", "k, Up", why, sizeof why), 0);
	cr_assert_eq(desk_check_key("save", "^X", why, sizeof why), 0);
	cr_assert_neq(desk_check_key("fly", "c", why, sizeof why), 0);
	cr_assert_not_null(strstr(why, "unknown action"), "%s", why);
	cr_assert_neq(desk_check_key("save", "^S", why, sizeof why), 0);
	cr_assert_not_null(strstr(why, "flow control"), "%s", why);
	cr_assert_neq(desk_check_key("claim", "Bogus", why, sizeof why), 0);
	cr_assert_not_null(strstr(why, "unknown key"), "%s", why);
	cr_assert_neq(desk_check_key("claim", "", why, sizeof why), 0);
	cr_assert_neq(desk_check_key("claim", "a, b, c, d, e", why, sizeof why), 0);
	cr_assert_neq(desk_check_key("claim", "c,", why, sizeof why), 0);
}

Test(keys, every_action_has_a_default_and_valid_names)
{
	for (int a = 1; a < ACTION_COUNT; a++) {
		char keys[ACTION_KEYS_TEXT_MAX];

		action_keys_text((enum action)a, 0, keys, sizeof keys);
		cr_assert_neq(keys[0], '\0', "%s unbound", action_name((enum action)a));
		cr_assert_eq((int)action_from_name(action_name((enum action)a)), a);
		cr_assert_neq(action_label((enum action)a)[0], '\0');
		cr_assert_neq(action_help((enum action)a)[0], '\0');
	}
	/* product.md: no action needs a function key alone. */
	for (int a = 1; a < ACTION_COUNT; a++) {
		char one[ACTION_KEY_NAME_MAX];
		int key;
		char why[64];

		action_keys_text((enum action)a, 1, one, sizeof one);
		cr_assert_eq(action_key_parse(one, &key, why, sizeof why), 0);
		/* Shift-Tab is a key sequence every terminal sends, not an F-key. */
		cr_assert(!ACTION_KEY_IS_FN(key) || a == ACTION_PREV_PANEL,
			  "%s: only a function key (%s)",
			  action_name((enum action)a), one);
	}
}

Test(keys, bindings_and_overrides)
{
	char why[128];

	cr_assert_eq(action_for_key('q', SCREEN_QUEUE), ACTION_QUIT);
	cr_assert_eq(action_for_key('q', SCREEN_HELP), ACTION_NONE);
	cr_assert_eq(action_for_key(ACTION_KEY_ENTER, SCREEN_QUEUE), ACTION_OPEN);
	cr_assert_eq(action_for_key(ACTION_KEY_FN(KEY_ENTER), SCREEN_QUEUE),
		     ACTION_OPEN, "keypad Enter is Enter");
	cr_assert_eq(action_for_key(ACTION_KEY_FN(KEY_DOWN), SCREEN_HELP),
		     ACTION_DOWN);
	cr_assert_eq(action_for_key('G', SCREEN_QUEUE), ACTION_BOTTOM);

	cr_assert_eq(action_bind("claim", "x, ^K", why, sizeof why), 0, "%s", why);
	cr_assert_eq(action_for_key('x', SCREEN_QUEUE), ACTION_CLAIM);
	cr_assert_eq(action_for_key(0x0B, SCREEN_QUEUE), ACTION_CLAIM);
	cr_assert_eq(action_for_key('c', SCREEN_QUEUE), ACTION_NONE);

	/* Taking another action's key takes it away from that action. */
	cr_assert_eq(action_bind("claim", "q", why, sizeof why), 0);
	cr_assert_eq(action_for_key('q', SCREEN_QUEUE), ACTION_CLAIM);
	char keys[ACTION_KEYS_TEXT_MAX];
	action_keys_text(ACTION_QUIT, 0, keys, sizeof keys);
	cr_assert_str_eq(keys, "");

	cr_assert_neq(action_bind("claim", "^Q", why, sizeof why), 0);
	cr_assert_neq(action_bind("nope", "z", why, sizeof why), 0);
}

/* ---- texts generated from the table ------------------------------------- */

/* What a practitioner's queue shows: not the supervisors' or trainers'. */
static int practitioner_shows(enum action a, void *arg)
{
	(void)arg;
	return a != ACTION_TRAINER && a != ACTION_BOARD && a != ACTION_REPORTS;
}

/* Leaves out the actions in arg (a list ended by ACTION_NONE). */
static int hides(enum action a, void *arg)
{
	for (const enum action *h = arg; *h != ACTION_NONE; h++)
		if (*h == a)
			return 0;
	return 1;
}

Test(texts, keybar_for_the_queue)
{
	char bar[256];
	struct action_span spans[ACTION_COUNT];
	int n = action_keybar(SCREEN_QUEUE, 100, bar, sizeof bar, spans,
			      ACTION_COUNT, NULL, NULL);

	cr_assert_str_eq(bar, "q Quit  / Search  f Filter  c Claim  Enter Open  "
			 "t Trainer  w Board  R Reports  n New  ? Help");
	cr_assert_eq(n, 10);
	cr_assert_eq(strncmp(bar + spans[4].off, "Enter", spans[4].len), 0);
	cr_assert_eq(spans[4].len, 5);
	/* at 80 columns what does not fit goes, help stays */
	n = action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, spans, ACTION_COUNT,
			  NULL, NULL);
	cr_assert_str_eq(bar, "q Quit  / Search  f Filter  c Claim  Enter Open  "
			 "t Trainer  w Board  ? Help");
	cr_assert_eq(n, 8);
	/* the screen leaves out what the user may not do: a practitioner's bar */
	n = action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, spans, ACTION_COUNT,
			  practitioner_shows, NULL);
	cr_assert_str_eq(bar, "q Quit  / Search  f Filter  c Claim  Enter Open  "
			 "n New  ? Help");
	cr_assert_eq(n, 7);
	/* asked afresh each time: nothing stays hidden */
	action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_not_null(strstr(bar, "w Board"), "%s", bar);
}

Test(texts, keybar_keeps_help_when_narrow_and_follows_bindings)
{
	char bar[256], why[64];

	action_keybar(SCREEN_QUEUE, 24, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_leq(text_width(bar), 24);
	cr_assert_not_null(strstr(bar, "? Help"), "%s", bar);

	cr_assert_eq(action_bind("help", "h", why, sizeof why), 0);
	cr_assert_eq(action_bind("search", "s, /", why, sizeof why), 0);
	action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_not_null(strstr(bar, "h Help"), "%s", bar);
	cr_assert_not_null(strstr(bar, "s Search"), "%s", bar);
	/* A function key is named only when the action has no other key. */
	cr_assert_eq(action_bind("filter", "F5, f", why, sizeof why), 0);
	action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_not_null(strstr(bar, "f Filter"), "%s", bar);
}

Test(texts, keybar_of_other_screens)
{
	char bar[256];

	action_keybar(SCREEN_HELP, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_str_eq(bar, "Esc Back  Space Page  ? Help");
	action_keybar(SCREEN_FORM, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_not_null(strstr(bar, "^X Save"), "forms name their save key: %s",
			   bar);
}

Test(texts, help_lists_every_action_of_the_screen_as_bound)
{
	char line[512], why[64];
	int found_claim = 0, found_quit = 0, n = 0;

	cr_assert_eq(action_bind("claim", "x, ^K", why, sizeof why), 0);
	for (int i = 0; action_help_line(SCREEN_QUEUE, i, line, sizeof line); i++) {
		n++;
		if (strstr(line, "[claim]")) {
			found_claim = 1;
			cr_assert_not_null(strstr(line, "x, ^K"), "%s", line);
		}
		if (strstr(line, "[quit]"))
			found_quit = 1;
		cr_assert_null(strstr(line, "[decide]"), "not a queue action");
	}
	cr_assert(found_claim && found_quit);
	int expect = 0;
	for (int a = 1; a < ACTION_COUNT; a++)
		expect += (action_screens((enum action)a) & SCREEN_QUEUE) != 0;
	cr_assert_eq(n, expect);
}

/* ---- wrapping (text_wrap) ------------------------------------------------- */

struct wrapped {
	char lines[16][128];
	int n;
};

static void collect(const char *start, size_t len, void *arg)
{
	struct wrapped *w = arg;

	if (w->n < 16)
		snprintf(w->lines[w->n++], 128, "%.*s", (int)len, start);
}

Test(texts, wrap_by_columns_not_bytes)
{
	struct wrapped w = { .n = 0 };
	int n = text_wrap("Zoë Łukasz Nguye\xCC\x82\xCC\x83n 陈美玲 and more words",
			   12, 10, collect, &w);

	cr_assert_eq(n, w.n);
	cr_assert_gt(n, 2);
	cr_assert_leq(text_width(w.lines[0]), 12);
	for (int i = 1; i < n; i++)
		cr_assert_leq(text_width(w.lines[i]), 10, "%s", w.lines[i]);
	/* The combining marks stayed with their e. */
	for (int i = 0; i < n; i++)
		cr_assert_neq((unsigned char)w.lines[i][0], 0xCC, "%s", w.lines[i]);
	cr_assert_str_eq(w.lines[0], "Zoë Łukasz");
}

Test(keys, typed_characters_become_utf8)
{
	char u[5];

	cr_assert_eq(action_key_char(0xE9, u), 2);
	cr_assert_str_eq(u, "é");
	cr_assert_eq(action_key_char(0x9648, u), 3);
	cr_assert_str_eq(u, "陈");
	cr_assert_eq(action_key_char(' ', u), 1);
	cr_assert_eq(action_key_char(ACTION_KEY_ENTER, u), 0);
	cr_assert_str_eq(u, "");
	cr_assert_eq(action_key_char(ACTION_KEY_ESC, u), 0);
	cr_assert_eq(action_key_char(ACTION_KEY_FN(KEY_UP), u), 0);
	cr_assert_eq(action_key_char(0x9B, u), 0, "C1 control");
}

Test(layout, ascii_terminal_gets_one_column_per_character)
{
	char s[] = "Zoë Nguye\xCC\x82\xCC\x83n 陈美玲";
	struct queue_layout l;
	struct queue_cells c;
	struct queue_row r = sample_row("Łukasz Nguye\xCC\x82\xCC\x83n 陈美玲 Zoë");

	desk_ascii_fold(s);
	cr_assert_str_eq(s, "Zo? Nguyen ???", "combining marks go with their base");
	queue_layout_make(&l, 80, 6);
	queue_row_cells(&l, &r, NOW, 1, &c);
	for (int i = 0; i < QCOL_COUNT; i++) {
		cr_assert_eq((int)strlen(c.text[i]), l.w[i], "col %d: %s", i,
			     c.text[i]);
		for (const char *p = c.text[i]; *p; p++)
			cr_assert_lt((unsigned char)*p, 0x80);
	}
	cr_assert_eq(strncmp(c.text[QCOL_NAME], "?ukasz Nguyen ??", 16), 0,
		     "%s", c.text[QCOL_NAME]);
}

/* ---- the referral screen's layout (screens/referral_layout.c) ----------- */

static void referral_setup(void)
{
	setup();
	setenv("TZ", "UTC", 1);         /* dates in the panels are local */
	tzset();
}

TestSuite(referral, .init = referral_setup);

static const char *const agencies[6][2] = {
	{ "police", "Police" }, { "csc", "Children's social care" },
	{ "health", "Health" }, { "education", "Education" },
	{ "probation", "Probation" }, { "housing", "Housing" },
};

/* A referral as hub_referral_get gives it: every text "" unless set, every
 * agency with a panel, police's recorded and restricted. */
static struct referral_detail *sample_detail(void)
{
	struct referral_detail *d = calloc(1, sizeof *d);
	const char **texts[] = {
		&d->aliases, &d->gender, &d->ethnicity, &d->language,
		&d->disability, &d->address, &d->previous_address, &d->school,
		&d->gp, &d->nhs_number, &d->upn, &d->allocated_worker,
		&d->referrer, &d->referrer_role, &d->referrer_agency,
		&d->referrer_contact, &d->concern, &d->impact, &d->tried,
		&d->strengths, &d->consent_reason, &d->rationale, &d->feedback,
	};

	cr_assert_not_null(d);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		*texts[i] = "";
	d->row = sample_row("Ottilie Brackenbury");
	snprintf(d->repeat_of, sizeof d->repeat_of, "R0000003");
	d->address = "9 Heron Row, Eastwick";
	d->school = "Eastwick Juniors";
	d->gp = "Heron Surgery";
	d->concern = "Seen alone in the park after dark; a bruise on the arm "
		     "that nobody could explain, and she said she was hungry.";
	d->parents_aware = -1;
	d->npeople = 2;
	snprintf(d->people[0].name, sizeof d->people[0].name, "Marguerite Brackenbury");
	snprintf(d->people[0].relationship, sizeof d->people[0].relationship, "mother");
	snprintf(d->people[0].dob, sizeof d->people[0].dob, "1985-01-01");
	d->people[0].parental_responsibility = d->people[0].household = 1;
	snprintf(d->people[1].name, sizeof d->people[1].name, "Desmond Quayle");
	snprintf(d->people[1].relationship, sizeof d->people[1].relationship, "partner");
	d->people[1].alleged_perpetrator = 1;
	d->nchecks = 6;
	for (int i = 0; i < 6; i++) {
		struct referral_check *c = &d->checks[i];
		snprintf(c->agency, sizeof c->agency, "%s", agencies[i][0]);
		snprintf(c->agency_name, sizeof c->agency_name, "%s", agencies[i][1]);
		c->info = c->consent_reason = "";
	}
	struct referral_check *p = &d->checks[0];
	p->recorded = p->restricted = 1;
	snprintf(p->status, sizeof p->status, "in-progress");
	snprintf(p->handling, sizeof p->handling, "restricted");
	snprintf(p->updated_by, sizeof p->updated_by, "pc-ash");
	p->info = "Two call-outs to the address this year.";
	p->due_at = NOW - 2 * 3600;     /* late */
	p->overdue = 1;
	d->nhistory = 1;
	snprintf(d->history[0].ref, sizeof d->history[0].ref, "R0000003");
	snprintf(d->history[0].child_name, sizeof d->history[0].child_name,
		 "Ottilie Brackenbury");
	snprintf(d->history[0].outcome, sizeof d->history[0].outcome, "nfa");
	d->history[0].received_at = NOW - 90 * 86400;
	d->history[0].same_child = 1;
	return d;
}

static const char *fake_code_name(void *arg, const char *table,
				  const char *code)
{
	static const char *const names[][3] = {
		{ "check_status", "in-progress", "In progress" },
		{ "handling_code", "restricted", "Restricted to the hub" },
		{ "outcome", "nfa", "No further action" },
	};

	(void)arg;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(table, names[i][0]) && !strcmp(code, names[i][1]))
			return names[i][2];
	return NULL;
}

static struct referral_view sample_view(int cols, int focus)
{
	struct referral_view v = {
		.cols = cols, .now = NOW, .ascii = 0, .my_agency = "police",
		.can_edit = 1, .focus = focus, .edit_key = "e",
	};
	return v;
}

/* The first line (from 0) whose text holds s, or -1. */
static int line_with(const struct referral_layout *l, const char *s)
{
	char buf[2048];

	for (int i = 0; i < l->n; i++) {
		referral_line_text(l, i, buf, sizeof buf);
		if (strstr(buf, s))
			return i;
	}
	return -1;
}

/* The span on line i whose text holds s, or NULL. */
static const struct referral_span *span_with(const struct referral_layout *l,
					     int i, const char *s)
{
	for (int k = 0; i >= 0 && k < l->lines[i].nspan; k++)
		if (strstr(referral_span_text(l, &l->lines[i].span[k]), s))
			return &l->lines[i].span[k];
	return NULL;
}

/* Every span inside the width, left to right, exactly as wide as it says. */
static void assert_spans_fit(const struct referral_layout *l)
{
	for (int i = 0; i < l->n; i++) {
		int right = 0;
		for (int k = 0; k < l->lines[i].nspan; k++) {
			const struct referral_span *sp = &l->lines[i].span[k];
			const char *t = referral_span_text(l, sp);
			cr_assert_geq(sp->x, right, "line %d span %d overlaps", i, k);
			cr_assert_leq(sp->x + sp->w, l->cols, "line %d: %s", i, t);
			cr_assert_eq(text_width(t), sp->w, "line %d: \"%s\"", i, t);
			right = sp->x + sp->w;
		}
	}
}

Test(referral, header_says_who_how_urgent_and_repeat)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	char line[512];

	cr_assert_eq(referral_layout_build(&l, d, &v), 0);
	cr_assert_geq(l.nhead, 2);
	referral_line_text(&l, 0, line, sizeof line);
	cr_assert_not_null(strstr(line, "R0000012  Ottilie Brackenbury  age "),
			   "%s", line);
	cr_assert_not_null(strstr(line, "REPEAT of R0000003"), "%s", line);
	cr_assert_eq(text_width(line), 79, "the repeat mark ends the line");
	cr_assert_not_null(span_with(&l, 0, "REPEAT"));
	cr_assert_eq(span_with(&l, 0, "REPEAT")->role, THEME_ALERT);
	int i = line_with(&l, "RAG: R Red");
	cr_assert(i >= 0 && i < l.nhead, "RAG in the header");
	cr_assert_eq(span_with(&l, i, "R Red")->role, THEME_RAG_RED);
	cr_assert_eq(span_with(&l, line_with(&l, "Decision: 5h left"),
			       "5h left")->role, THEME_NORMAL);
	i = line_with(&l, "Address: 9 Heron Row");
	cr_assert(i >= 0 && i < l.nhead, "address in the header");
	cr_assert_not_null(strstr(line, "R0000012"));
	referral_layout_free(&l);

	d->row.due_at = NOW - 3 * 3600;         /* overdue: loud */
	d->row.overdue = 1;
	referral_layout_build(&l, d, &v);
	i = line_with(&l, "Decision: late 3h");
	cr_assert(i >= 0 && i < l.nhead);
	cr_assert_eq(span_with(&l, i, "late 3h")->role, THEME_OVERDUE);
	cr_assert_eq(line_with(&l, "Legal hold"), -1, "not held: no mark");
	referral_layout_free(&l);

	d->held = 1;                            /* on legal hold: said */
	snprintf(d->held_by, sizeof d->held_by, "sue");
	referral_layout_build(&l, d, &v);
	i = line_with(&l, "Legal hold by sue");
	cr_assert(i >= 0 && i < l.nhead, "the hold in the header");
	cr_assert_eq(span_with(&l, i, "by sue")->role, THEME_ALERT);
	assert_spans_fit(&l);
	referral_layout_free(&l);
	free(d);
}

Test(referral, unborn_child_shows_due_date)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;

	snprintf(d->row.dob, sizeof d->row.dob, "2027-03-01");
	d->row.dob_estimated = 1;
	referral_layout_build(&l, d, &v);
	cr_assert_eq(line_with(&l, "unborn, due 2027-03-01"), 0);
	referral_layout_free(&l);
	free(d);
}

Test(referral, every_agency_has_a_panel_and_a_stop)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	char line[512];

	referral_layout_build(&l, d, &v);
	cr_assert_eq(l.nstops, 6 + 1, "six panels and one prior referral");
	for (int i = 0; i < 6; i++) {
		const struct referral_stop *st = &l.stops[i];
		cr_assert_eq(st->check, i);
		cr_assert_eq(st->history, -1);
		referral_line_text(&l, l.nhead + st->first, line, sizeof line);
		cr_assert_not_null(strstr(line, agencies[i][1]), "%s", line);
		cr_assert_not_null(strstr(line, i == 0 ? "- yours - edit with e"
					  : "- read only"), "%s", line);
		if (i > 0)
			cr_assert_not_null(strstr(line, "no check requested"),
					   "%s", line);
		cr_assert_geq(st->first, i ? l.stops[i - 1].last + 1 : 0);
	}
	cr_assert_eq(l.stops[6].history, 0);
	referral_layout_free(&l);
	free(d);
}

/* Ask check i (from sample_detail's agencies) of d: by sam, due in
 * `left` seconds (negative: late), done when `done`. */
static void asked(struct referral_detail *d, int i, long long left, int done)
{
	struct referral_check *c = &d->checks[i];

	c->recorded = 1;
	snprintf(c->requested_by, sizeof c->requested_by, "sam");
	c->request_reason = "Bruise seen at school.";
	snprintf(c->status, sizeof c->status, done ? "complete" : "requested");
	c->requested_at = NOW - 3600;
	c->due_at = NOW + left;
	c->overdue = !done && left < 0;
	c->completed_at = done ? NOW - 60 : 0;
	snprintf(c->updated_by, sizeof c->updated_by, "sam");
	c->updated_at = c->requested_at;
}

Test(referral, checks_line_says_where_each_asked_check_stands)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	int i;

	/* never screened: the checks recorded (police's, late) */
	referral_layout_build(&l, d, &v);
	i = line_with(&l, "Checks: Police LATE 2h");
	cr_assert(i >= 0 && i < l.nhead, "in the header");
	cr_assert_eq(span_with(&l, i, "LATE 2h")->role, THEME_OVERDUE);
	referral_layout_free(&l);
	/* screened: the agencies asked, each with its state */
	snprintf(d->stage, sizeof d->stage, "referral");
	d->screened_at = NOW - 3600;
	snprintf(d->screened_by, sizeof d->screened_by, "sam");
	d->screening_reason = "Bruise seen at school.";
	asked(d, 2, 80 * 60, 0);        /* health: 1h 20m left */
	asked(d, 3, -3 * 3600, 0);      /* education: late 3h */
	asked(d, 5, 3600, 1);           /* housing: done */
	referral_layout_build(&l, d, &v);
	i = line_with(&l, "Checks: Health 1h 20m  Educ. LATE 3h  Housing done");
	cr_assert(i >= 0 && i < l.nhead, "the asked ones only, in the header");
	cr_assert_eq(span_with(&l, i, "LATE 3h")->role, THEME_OVERDUE);
	cr_assert_eq(span_with(&l, i, "1h 20m")->role, THEME_NORMAL);
	/* the police panel, asked by nobody, is not among them */
	cr_assert_null(span_with(&l, i, "Police"));
	assert_spans_fit(&l);
	/* the health panel says who asked, when and why; nobody shared yet */
	int title = l.nhead + l.stops[2].first;
	int at = line_with(&l, "Asked           by sam, ");
	cr_assert(at > title && at <= l.nhead + l.stops[2].last, "in health's panel");
	cr_assert_geq(line_with(&l, ": Bruise seen at school."), at);
	cr_assert_lt(line_with(&l, "Shared by       sam"), 0, "nothing shared");
	referral_layout_free(&l);
	/* all six asked: the line still fits 80 columns, the rest counted */
	for (int k = 0; k < 6; k++)
		asked(d, k, 2 * 3600 + 59 * 60, 0);
	referral_layout_build(&l, d, &v);
	i = line_with(&l, "Checks: Police 2h 59m  CSC 2h 59m");
	cr_assert(i >= 0 && i < l.nhead);
	cr_assert_not_null(span_with(&l, i, " more"), "the rest are counted");
	assert_spans_fit(&l);
	referral_layout_free(&l);
	free(d);
}

Test(referral, a_contact_not_screened_says_so)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;

	snprintf(d->stage, sizeof d->stage, "contact");
	d->checks[0].recorded = 0;
	referral_layout_build(&l, d, &v);
	int i = line_with(&l, "Checks: none asked yet: the contact is not screened");
	cr_assert(i >= 0 && i < l.nhead);
	cr_assert_gt(line_with(&l, "Stage           Contact: not screened yet"),
		     l.nhead);
	cr_assert_gt(line_with(&l, "None recorded."), l.nhead, "no ratings yet");
	referral_layout_free(&l);
	free(d);
}

Test(referral, screening_and_the_ratings_timeline)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	struct referral_rating ratings[3] = {
		{ .at = NOW - 7200, .by = "sue", .from = "", .to = "amber",
		  .reason = "rated at intake" },
		{ .at = NOW - 3600, .by = "sam", .from = "amber", .to = "red",
		  .reason = "Bruise seen at school." },
		{ .at = NOW - 60, .by = "sue", .from = "red", .to = "amber",
		  .reason = "Explained by the GP: a fall in the playground." },
	};

	snprintf(d->stage, sizeof d->stage, "referral");
	d->screened_at = NOW - 3600;
	snprintf(d->screened_by, sizeof d->screened_by, "sam");
	d->screening_reason = "Bruise seen at school.";
	d->ratings = ratings;
	d->nratings = 3;
	referral_layout_build(&l, d, &v);
	int s = line_with(&l, "Screening");
	cr_assert_gt(s, l.nhead);
	cr_assert_lt(s, l.nhead + l.stops[0].first, "before the agency panels");
	cr_assert_eq(line_with(&l, "Stage           Referral"), s + 1);
	cr_assert_geq(line_with(&l, "by sam: progressed to the hub's checks"), s);
	cr_assert_geq(line_with(&l, "Reason          Bruise seen at school."), s);
	int r = line_with(&l, "RAG ratings  oldest first");
	cr_assert_gt(r, s);
	cr_assert_eq(line_with(&l, "Amber by sue: rated at intake"), r + 1);
	cr_assert_eq(line_with(&l, "Red, was Amber by sam: Bruise seen at school."),
		     r + 2);
	cr_assert_eq(line_with(&l, "Amber, was Red by sue: Explained by the GP:"),
		     r + 3);
	assert_spans_fit(&l);
	referral_layout_free(&l);
	/* closed at screening */
	snprintf(d->stage, sizeof d->stage, "contact");
	snprintf(d->screening_outcome, sizeof d->screening_outcome, "advice");
	referral_layout_build(&l, d, &v);
	cr_assert_geq(line_with(&l, "Stage           Contact: closed at screening"), 0);
	cr_assert_geq(line_with(&l, "by sam: closed, advice"), 0);
	referral_layout_free(&l);
	d->ratings = NULL;
	free(d);
}

Test(referral, own_panel_restricted_and_late)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	int title;

	referral_layout_build(&l, d, &v);
	title = l.nhead + l.stops[0].first;
	cr_assert_not_null(span_with(&l, title, "RESTRICTED: hub only"));
	cr_assert_eq(span_with(&l, title, "RESTRICTED")->role, THEME_ALERT);
	cr_assert_not_null(span_with(&l, title, "late 2h"));
	cr_assert_eq(span_with(&l, title, "late 2h")->role, THEME_OVERDUE);
	cr_assert_gt(line_with(&l, "Shared          Two call-outs"), title);
	cr_assert_gt(line_with(&l, "Shared by       pc-ash"), title);
	referral_layout_free(&l);

	v.can_edit = 0;                 /* decided, or not permitted */
	referral_layout_build(&l, d, &v);
	cr_assert_lt(line_with(&l, "edit with"), 0);
	cr_assert_geq(line_with(&l, "Police - yours"), 0);
	referral_layout_free(&l);
	free(d);
}

Test(referral, focus_reverses_and_marks_one_stop)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, 2);
	struct referral_layout a, b;
	char line[512];

	referral_layout_build(&a, d, &v);
	referral_line_text(&a, a.nhead + a.stops[2].first, line, sizeof line);
	cr_assert_eq(strncmp(line, "> Health", 8), 0, "%s", line);
	const struct referral_span *sp = span_with(&a, a.nhead + a.stops[2].first,
						   "Health");
	cr_assert_eq(sp->base, THEME_SELECTED);
	cr_assert_eq(a.stops[2].x, 0);
	referral_line_text(&a, a.nhead + a.stops[1].first, line, sizeof line);
	cr_assert_eq(line[0], ' ', "only the focused panel is marked");

	v.focus = 6;                    /* the prior referral */
	referral_layout_build(&b, d, &v);
	referral_line_text(&b, b.nhead + b.stops[6].first, line, sizeof line);
	cr_assert_not_null(strstr(line, "> R0000003  "), "%s", line);
	cr_assert_not_null(strstr(line, "same child"), "%s", line);
	cr_assert_not(referral_layout_same(&a, &b));
	referral_layout_free(&b);
	v.focus = 2;
	referral_layout_build(&b, d, &v);
	cr_assert(referral_layout_same(&a, &b), "the same input, the same lines");
	referral_layout_free(&a);
	referral_layout_free(&b);
	free(d);
}

Test(referral, household_and_concern_wrap_inside_the_width)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	char line[512];
	int i;

	referral_layout_build(&l, d, &v);
	assert_spans_fit(&l);
	i = line_with(&l, "Desmond Quayle, partner");
	cr_assert_geq(i, 0);
	cr_assert_eq(span_with(&l, i, "ALLEGED PERPETRATOR")->role, THEME_ALERT);
	i = line_with(&l, "What happened   Seen alone");
	cr_assert_geq(i, 0);
	referral_line_text(&l, i + 1, line, sizeof line);
	cr_assert_eq(strspn(line, " "), 18, "continued under the value: %s", line);
	referral_layout_free(&l);
	free(d);
}

Test(referral, names_of_every_width_fit_at_any_width)
{
	static const char *const names[] = {
		"Zoë Łukasz-Nguyễn", "山田 花子 山田 花子 山田 花子 山田 花子 山田",
		"Ann",
		("Bartholomew-Fitzwilliam-Montgomery-Featherstonehaugh "
		 "de la Cruz y Villanueva Ottoline"),
	};
	static const int widths[] = { 80, 100, 139, 140, 200 };

	for (size_t n = 0; n < sizeof names / sizeof names[0]; n++)
		for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
			struct referral_detail *d = sample_detail();
			struct referral_view v = sample_view(widths[w], 3);
			struct referral_layout l;

			snprintf(d->row.child_name, sizeof d->row.child_name,
				 "%s", names[n]);
			snprintf(d->people[0].name, sizeof d->people[0].name,
				 "%s", names[n]);
			d->checks[1].recorded = 1;
			d->checks[1].info = names[n];
			cr_assert_eq(referral_layout_build(&l, d, &v), 0);
			cr_assert_eq(l.cols, widths[w]);
			assert_spans_fit(&l);
			referral_layout_free(&l);
			free(d);
		}
}

Test(referral, wide_terminals_put_panels_side_by_side)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(160, -1);
	struct referral_layout l;
	char line[1024];

	referral_layout_build(&l, d, &v);
	cr_assert_eq(l.stops[0].first, l.stops[1].first, "police beside csc");
	cr_assert_eq(l.stops[0].x, 0);
	cr_assert_gt(l.stops[1].x, 70);
	referral_line_text(&l, l.nhead + l.stops[0].first, line, sizeof line);
	cr_assert_not_null(strstr(line, "Police"));
	cr_assert_not_null(strstr(line, "Children's social care"));
	cr_assert_gt(l.stops[2].first, l.stops[0].last, "health below");
	referral_layout_free(&l);

	struct referral_layout narrow;
	v.cols = 80;
	referral_layout_build(&narrow, d, &v);
	cr_assert_gt(narrow.stops[1].first, narrow.stops[0].last);
	referral_layout_build(&l, d, &(struct referral_view){ .cols = 160,
		.now = NOW, .my_agency = "police", .focus = -1 });
	cr_assert_lt(l.n, narrow.n, "extra width shows more at once");
	referral_layout_free(&narrow);
	referral_layout_free(&l);
	free(d);
}

Test(referral, untrusted_text_is_inert_and_ascii_folds)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;

	snprintf(d->row.child_name, sizeof d->row.child_name,
		 "Zoë\x1b[2J\x1b]0;owned\x07 \xe2\x80\xae Evil");
	d->checks[0].info = "line one\nline two \x1b[31mred\x9b";
	d->concern = "tab\there \r\n and \x7f";
	referral_layout_build(&l, d, &v);
	for (int i = 0; i < l.n; i++)
		for (int k = 0; k < l.lines[i].nspan; k++) {
			const char *t = referral_span_text(&l, &l.lines[i].span[k]);
			for (const unsigned char *p = (const void *)t; *p; p++)
				cr_assert(*p >= 0x20 && *p != 0x7f, "control in \"%s\"", t);
			cr_assert_null(strstr(t, "\xe2\x80\xae"), "bidi override kept");
		}
	cr_assert_geq(line_with(&l, "line two ^[[31mred"), 0);
	referral_layout_free(&l);

	v.ascii = 1;
	referral_layout_build(&l, d, &v);
	for (int i = 0; i < l.n; i++)
		for (int k = 0; k < l.lines[i].nspan; k++)
			for (const unsigned char *p = (const void *)
			     referral_span_text(&l, &l.lines[i].span[k]); *p; p++)
				cr_assert_lt(*p, 0x80, "line %d not ASCII", i);
	assert_spans_fit(&l);
	referral_layout_free(&l);
	free(d);
}

Test(referral, decision_with_actions_and_history_of_the_household)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;

	cr_assert_geq((referral_layout_build(&l, d, &v), line_with(&l,
		       "Not decided yet.")), 0);
	referral_layout_free(&l);
	d->decided = 1;
	snprintf(d->outcome, sizeof d->outcome, "s47");
	d->rationale = "Bruising unexplained; strategy discussion held.";
	d->nactions = 1;
	d->actions[0].what = "Home visit";
	d->actions[0].owner = "sup-bea";
	snprintf(d->actions[0].due, sizeof d->actions[0].due, "2026-11-25");
	snprintf(d->decided_by, sizeof d->decided_by, "sup-bea");
	d->nhistory = 2;
	d->history[1] = d->history[0];
	snprintf(d->history[1].ref, sizeof d->history[1].ref, "R0000001");
	snprintf(d->history[1].child_name, sizeof d->history[1].child_name,
		 "Barnaby Brackenbury");
	d->history[1].same_child = 0;
	referral_layout_build(&l, d, &v);
	cr_assert_geq(line_with(&l, "Outcome         s47"), 0);
	cr_assert_geq(line_with(&l, "Actions         Home visit (sup-bea, due "
				"2026-11-25)"), 0);
	cr_assert_geq(line_with(&l, "Decided by      sup-bea"), 0);
	cr_assert_geq(line_with(&l, "R0000001  "), 0);
	cr_assert_geq(line_with(&l, "Barnaby Brackenbury - nfa - same address"), 0);
	cr_assert_eq(l.nstops, 8);
	cr_assert_eq(l.stops[7].history, 1);
	referral_layout_free(&l);
	free(d);
}

Test(referral, codes_are_shown_by_name)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;

	v.code_name = fake_code_name;
	referral_layout_build(&l, d, &v);
	cr_assert_geq(line_with(&l, "Status          In progress"), 0);
	cr_assert_geq(line_with(&l, "Handling        Restricted to the hub"), 0);
	cr_assert_geq(line_with(&l, "No further action - same child"), 0);
	referral_layout_free(&l);
	free(d);
}

Test(referral, keybar_names_its_keys_and_leaves_out_refused_ones)
{
	char bar[256], line[512];
	int prev = 0;

	action_keybar(SCREEN_REFERRAL, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	for (const char *const *k = (const char *const[]){ "c Claim",
	     "d Decide", "e Edit", "Esc Back", "Tab Next", "? Help", NULL };
	     *k; k++)
		cr_assert_not_null(strstr(bar, *k), "%s lacks %s", bar, *k);
	enum action hidden[] = { ACTION_EDIT, ACTION_CLAIM, ACTION_NONE };
	action_keybar(SCREEN_REFERRAL, 78, bar, sizeof bar, NULL, 0, hides,
		      hidden);
	cr_assert_null(strstr(bar, "e Edit"), "%s", bar);
	cr_assert_null(strstr(bar, "c Claim"), "%s", bar);
	cr_assert_not_null(strstr(bar, "d Decide"), "%s", bar);
	/* the predicate is asked only of the bar's own actions */
	enum action help_too[] = { ACTION_HELP, ACTION_NONE };
	action_keybar(SCREEN_REFERRAL, 78, bar, sizeof bar, NULL, 0, hides,
		      help_too);
	cr_assert_not_null(strstr(bar, "? Help"), "help is always kept: %s", bar);
	action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_not_null(strstr(bar, "c Claim"), "only the referral's bar: %s",
			   bar);
	action_keybar(SCREEN_REFERRAL, 78, bar, sizeof bar, NULL, 0, NULL, NULL);
	cr_assert_not_null(strstr(bar, "e Edit"), "%s", bar);
	/* Shift-Tab has a key that vt100 terminals can send as well. */
	for (int i = 0; action_help_line(SCREEN_REFERRAL, i, line, sizeof line); i++)
		if (strstr(line, "[prev-panel]"))
			prev = strstr(line, "BTab, ^P") != NULL;
	cr_assert(prev, "prev-panel listed with BTab and ^P");
}

/* The two-person rule in the decision section: a decision waiting, one
 * signed off, and one sent back with its comment. */
Test(referral, sign_off_and_send_back_in_the_decision_section)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;
	struct signoff_state s;

	memset(&s, 0, sizeof s);
	snprintf(s.status, sizeof s.status, "decision");
	s.sendbacks = 1;
	snprintf(s.sent_back_by, sizeof s.sent_back_by, "sup-cal");
	snprintf(s.sent_back_outcome, sizeof s.sent_back_outcome, "nfa");
	snprintf(s.comment, sizeof s.comment, "Ask the school first.");
	s.sent_back_at = 1763800000;
	v.signoff = &s;
	referral_layout_build(&l, d, &v);
	cr_assert_geq(line_with(&l, "Not decided yet."), 0);
	cr_assert_geq(line_with(&l, "Sent back by    sup-cal"), 0);
	cr_assert_geq(line_with(&l, "Comment         Ask the school first."), 0);
	referral_layout_free(&l);

	d->decided = 1;
	snprintf(d->outcome, sizeof d->outcome, "advice");
	d->rationale = "Advice to the school.";
	snprintf(d->decided_by, sizeof d->decided_by, "sup-bea");
	snprintf(s.status, sizeof s.status, "signoff");
	s.decided = 1;
	snprintf(s.decided_by, sizeof s.decided_by, "sup-bea");
	referral_layout_build(&l, d, &v);
	cr_assert_geq(line_with(&l, "Sign-off        AWAITING SIGN-OFF by a "
				"supervisor other than sup-bea"), 0);
	referral_layout_free(&l);

	snprintf(s.status, sizeof s.status, "decided");
	snprintf(s.signed_by, sizeof s.signed_by, "sup-cal");
	s.signed_at = 1763800000;
	referral_layout_build(&l, d, &v);
	cr_assert_geq(line_with(&l, "Signed off by   sup-cal"), 0);
	cr_assert_lt(line_with(&l, "AWAITING SIGN-OFF"), 0);
	referral_layout_free(&l);
	free(d);
}

/* A strategy discussion due: s after the repeat mark, S once late. */
Test(layout, the_strategy_mark_is_glued_to_the_repeat_mark)
{
	struct queue_layout l;
	struct queue_cells c;
	struct queue_row r = sample_row("Ada Quill");
	char line[512];

	queue_layout_make(&l, 80, 6);
	queue_row_cells(&l, &r, NOW, 0, &c);
	cr_assert_str_eq(c.text[QCOL_STRATEGY], " ", "none due");
	r.strategy_due = NOW + 3600;
	queue_row_cells(&l, &r, NOW, 0, &c);
	cr_assert_str_eq(c.text[QCOL_STRATEGY], "s");
	cr_assert_eq(c.role[QCOL_STRATEGY], THEME_ALERT);
	r.strategy_late = 1;
	queue_row_cells(&l, &r, NOW, 0, &c);
	cr_assert_str_eq(c.text[QCOL_STRATEGY], "S");
	cr_assert_eq(c.role[QCOL_STRATEGY], THEME_OVERDUE);
	queue_cells_join(&l, &c, line, sizeof line);
	cr_assert_eq(text_width(line), 80);
	cr_assert(strstr(line, "*S"), "%s", line);
}

/* Transfers between hubs: the header says where it went or came from, the
 * sending hub's history is a section of its own, each line wrapped inside
 * the width; a referral never transferred shows none of it. */
Test(referral, transfer_lines_in_the_header_and_the_history_section)
{
	struct referral_detail *d = sample_detail();
	struct referral_view v = sample_view(80, -1);
	struct referral_layout l;

	cr_assert_eq(referral_layout_build(&l, d, &v), 0);
	cr_assert_eq(line_with(&l, "Transferred"), -1);
	cr_assert_eq(line_with(&l, "Sending hub's history"), -1);
	referral_layout_free(&l);

	snprintf(d->transferred_from_hub, sizeof d->transferred_from_hub,
		 "Riverside MASH");
	snprintf(d->transferred_from_ref, sizeof d->transferred_from_ref,
		 "R000007");
	d->transfer_history = "Transferred from Riverside MASH (training) as "
		"R000007\n== Referral ==\nconcern: Seen alone at the bus stop "
		"late at night, more than once, by two different neighbours";
	cr_assert_eq(referral_layout_build(&l, d, &v), 0);
	int i = line_with(&l, "Transferred from Riverside MASH R000007");
	cr_assert(i >= 0 && i < l.nhead, "in the header, which stays put");
	cr_assert_eq(span_with(&l, i, "Transferred")->role, THEME_ALERT);
	i = line_with(&l, "Sending hub's history");
	cr_assert(i > l.nhead);
	cr_assert_gt(line_with(&l, "== Referral =="), i);
	cr_assert_gt(line_with(&l, "neighbours"),
		     line_with(&l, "concern: Seen alone"), "wrapped");
	assert_spans_fit(&l);
	referral_layout_free(&l);

	d->transferred_from_hub[0] = '\0';
	d->transfer_history = "";
	snprintf(d->transferred_to, sizeof d->transferred_to, "Hilltop MASH");
	d->transferred_at = NOW;
	d->transfer_reason = "Family moved to Hilltop.";
	cr_assert_eq(referral_layout_build(&l, d, &v), 0);
	i = line_with(&l, "Transferred to Hilltop MASH on ");
	cr_assert(i >= 0 && i < l.nhead, "in the header");
	cr_assert_gt(line_with(&l, "Family moved to Hilltop."), l.nhead);
	referral_layout_free(&l);
	free(d);
}
