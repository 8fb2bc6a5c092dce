/* test_layout.c - the desk's pure parts, without a terminal: the queue's
 * row layout with names of every width, key specs, bindings, and the key
 * bar and help texts generated from the action table.
 *
 * Column widths come from wcwidth(), so every test runs in C.UTF-8. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "mashdesk/actions.h"
#include "mashdesk/desk.h"
#include "mashdesk/text.h"
#include "../../src/desk_internal.h"

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
		cr_assert_eq(l.x[i], l.x[i - 1] + l.w[i - 1] + 1, "col %d", i);
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

	queue_layout_make(&l, 80, 6);
	queue_header_cells(&l, "PCHEPH", &c);
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
		cr_assert_eq(action_from_name(action_name((enum action)a)), a);
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

Test(texts, keybar_for_the_queue)
{
	char bar[256];
	struct action_span spans[ACTION_COUNT];
	int n = action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, spans,
			      ACTION_COUNT);

	cr_assert_str_eq(bar, "q Quit  / Search  f Filter  c Claim  Enter Open  "
			 "? Help");
	cr_assert_eq(n, 6);
	cr_assert_eq(strncmp(bar + spans[4].off, "Enter", spans[4].len), 0);
	cr_assert_eq(spans[4].len, 5);
}

Test(texts, keybar_keeps_help_when_narrow_and_follows_bindings)
{
	char bar[256], why[64];

	action_keybar(SCREEN_QUEUE, 24, bar, sizeof bar, NULL, 0);
	cr_assert_leq(text_width(bar), 24);
	cr_assert_not_null(strstr(bar, "? Help"), "%s", bar);

	cr_assert_eq(action_bind("help", "h", why, sizeof why), 0);
	cr_assert_eq(action_bind("search", "s, /", why, sizeof why), 0);
	action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, NULL, 0);
	cr_assert_not_null(strstr(bar, "h Help"), "%s", bar);
	cr_assert_not_null(strstr(bar, "s Search"), "%s", bar);
	/* A function key is named only when the action has no other key. */
	cr_assert_eq(action_bind("filter", "F5, f", why, sizeof why), 0);
	action_keybar(SCREEN_QUEUE, 78, bar, sizeof bar, NULL, 0);
	cr_assert_not_null(strstr(bar, "f Filter"), "%s", bar);
}

Test(texts, keybar_of_other_screens)
{
	char bar[256];

	action_keybar(SCREEN_HELP, 78, bar, sizeof bar, NULL, 0);
	cr_assert_str_eq(bar, "Esc Back  Space Page  ? Help");
	action_keybar(SCREEN_FORM, 78, bar, sizeof bar, NULL, 0);
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

/* ---- the pager's wrapping ------------------------------------------------- */

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
	int n = pager_wrap("Zoë Łukasz Nguye\xCC\x82\xCC\x83n 陈美玲 and more words",
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
