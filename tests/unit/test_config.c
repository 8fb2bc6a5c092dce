/* test_config.c - the configuration module (src/config.c).
 *
 * Criterion forks every test and runs them in parallel, so each test has
 * its own scratch directory (mkdtemp) and its own environment: HOME points
 * into the scratch directory and MASHDESK_CONFIG / XDG_CONFIG_HOME are
 * cleared, so the developer's own configuration never leaks in.
 *
 * The expected defaults and ranges are written out here again, on purpose,
 * rather than taken from config.c: the tests pin the documented contract. */
#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700       /* mkdtemp, setenv, nftw */
#endif
#include <criterion/criterion.h>

#include <errno.h>
#include <ftw.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "mashdesk/actions.h"
#include "mashdesk/config.h"

#ifndef SAMPLE_INI
#error "build with -DSAMPLE_INI=\"<srcdir>/etc/mashdesk.ini\""
#endif

/* Half of PATH_MAX, so that any name built under it fits a PATH_MAX buffer. */
static char scratch[PATH_MAX / 2];

/* ---- fixture ---------------------------------------------------------- */

static void scratch_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch, sizeof scratch, "%s/mashdesk-config-XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(scratch), "mkdtemp: %s", strerror(errno));
	unsetenv("MASHDESK_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", scratch, 1);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void scratch_teardown(void)
{
	if (scratch[0] && strstr(scratch, "/mashdesk-config-"))
		nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(config, .init = scratch_setup, .fini = scratch_teardown);

/* scratch/rel into buf (PATH_MAX), creating the directories on the way. */
static char *scratch_path(char *buf, const char *rel)
{
	snprintf(buf, PATH_MAX, "%s/%s", scratch, rel);
	for (char *p = buf + strlen(scratch) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		cr_assert(mkdir(buf, 0700) == 0 || errno == EEXIST, "mkdir %s: %s",
			  buf, strerror(errno));
		*p = '/';
	}
	return buf;
}

/* Write text (len bytes, so it may hold NULs) to scratch/rel. */
static char *write_bytes(char *buf, const char *rel, const char *text,
			 size_t len)
{
	FILE *f = fopen(scratch_path(buf, rel), "w");

	cr_assert_not_null(f, "fopen %s: %s", buf, strerror(errno));
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static char *write_file(char *buf, const char *rel, const char *text)
{
	return write_bytes(buf, rel, text, strlen(text));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;

	cr_assert_not_null(f, "cannot open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/* ---- what the contract says ------------------------------------------ */

static void assert_defaults(const struct config *c)
{
	cr_assert_str_eq(c->hub_name, "MASH");
	cr_assert_str_eq(c->db_path, "");
	cr_assert_str_eq(c->db_url, "");
	cr_assert_eq(c->busy_timeout_ms, 5000);
	cr_assert_eq(c->lease_seconds, 300);
	cr_assert_eq(c->heartbeat_seconds, 30);
	cr_assert_eq(c->decision_hours, 24);
	cr_assert_eq(c->check_red_hours, 2);
	cr_assert_eq(c->check_amber_hours, 6);
	cr_assert_eq(c->check_green_hours, 24);
	cr_assert_str_eq(c->theme, "auto");
	cr_assert_eq(c->refresh_ms, 500);
	cr_assert_eq(c->decision_red_hours, 0, "not set: decision_hours");
	cr_assert_eq(c->decision_amber_hours, 0);
	cr_assert_eq(c->decision_green_hours, 0);
	cr_assert_eq(c->strategy_hours, 24);
	cr_assert_str_eq(c->first_filter, "auto");
	cr_assert_str_eq(c->backup_dir, "");
	cr_assert_eq(c->backup_keep, 0);
	cr_assert_eq(c->backup_warn_hours, 26);
	cr_assert_eq(c->retain_contact, CONFIG_RETAIN_FOREVER);
	cr_assert_eq(c->retain_contact_nfa, CONFIG_RETAIN_UNSET);
	cr_assert_eq(c->retain_contact_advice, CONFIG_RETAIN_UNSET);
	cr_assert_eq(c->retain_contact_early_help, CONFIG_RETAIN_UNSET);
	cr_assert_eq(c->retain_contact_allocated, CONFIG_RETAIN_UNSET);
	cr_assert_eq(c->retain_no_further, CONFIG_RETAIN_FOREVER);
	cr_assert_eq(c->retain_assessed, CONFIG_RETAIN_FOREVER);
	cr_assert_eq(c->feedback_acknowledgement_hours, 24);
	cr_assert_eq(c->feedback_outcome_hours, 24);
	cr_assert_str_eq(c->letter_template, "");
	cr_assert_eq(c->nkeys, 0);
}

/* Every key of every section but [keys]. */
static const char *const all_keys[][2] = {
	{ "hub", "name" },
	{ "database", "path" },
	{ "database", "busy_timeout_ms" },
	{ "locking", "lease_seconds" },
	{ "locking", "heartbeat_seconds" },
	{ "timescales", "decision_hours" },
	{ "timescales", "check_red_hours" },
	{ "timescales", "check_amber_hours" },
	{ "timescales", "check_green_hours" },
	{ "timescales", "decision_red_hours" },
	{ "timescales", "decision_amber_hours" },
	{ "timescales", "decision_green_hours" },
	{ "timescales", "strategy_hours" },
	{ "clocks", "working_hours" },
	{ "clocks", "working_day" },
	{ "clocks", "working_days" },
	{ "clocks", "bank_holidays" },
	{ "decision", "two_person_rule" },
	{ "backup", "dir" },
	{ "backup", "keep" },
	{ "backup", "warn_hours" },
	{ "retention", "contact_closed" },
	{ "retention", "contact_closed_nfa" },
	{ "retention", "contact_closed_advice" },
	{ "retention", "contact_closed_early_help" },
	{ "retention", "contact_closed_allocated" },
	{ "retention", "referral_no_further" },
	{ "retention", "referral_assessed" },
	{ "ui", "theme" },
	{ "ui", "refresh_ms" },
	{ "ui", "first_filter" },
	{ "permissions", "screen_agencies" },
	{ "timescales", "feedback_acknowledgement_hours" },
	{ "timescales", "feedback_outcome_hours" },
	{ "feedback", "letter_template" },
};
#define N_ALL_KEYS (sizeof all_keys / sizeof all_keys[0])

static const struct number_key {
	const char *section, *key;
	size_t offset;
	long min, max;
} numbers[] = {
	{ "database", "busy_timeout_ms", offsetof(struct config, busy_timeout_ms),
	  100, 600000 },
	{ "locking", "lease_seconds", offsetof(struct config, lease_seconds),
	  30, 86400 },
	{ "locking", "heartbeat_seconds",
	  offsetof(struct config, heartbeat_seconds), 1, 3600 },
	{ "timescales", "decision_hours", offsetof(struct config, decision_hours),
	  1, 720 },
	{ "timescales", "check_red_hours",
	  offsetof(struct config, check_red_hours), 1, 720 },
	{ "timescales", "check_amber_hours",
	  offsetof(struct config, check_amber_hours), 1, 720 },
	{ "timescales", "check_green_hours",
	  offsetof(struct config, check_green_hours), 1, 720 },
	{ "timescales", "decision_red_hours",
	  offsetof(struct config, decision_red_hours), 1, 720 },
	{ "timescales", "decision_amber_hours",
	  offsetof(struct config, decision_amber_hours), 1, 720 },
	{ "timescales", "decision_green_hours",
	  offsetof(struct config, decision_green_hours), 1, 720 },
	{ "timescales", "strategy_hours",
	  offsetof(struct config, strategy_hours), 1, 720 },
	{ "timescales", "feedback_acknowledgement_hours",
	  offsetof(struct config, feedback_acknowledgement_hours), 1, 720 },
	{ "timescales", "feedback_outcome_hours",
	  offsetof(struct config, feedback_outcome_hours), 1, 720 },
	{ "backup", "keep", offsetof(struct config, backup_keep), 0, 100000 },
	{ "backup", "warn_hours", offsetof(struct config, backup_warn_hours),
	  1, 8760 },
	{ "ui", "refresh_ms", offsetof(struct config, refresh_ms), 50, 10000 },
};
#define N_NUMBERS (sizeof numbers / sizeof numbers[0])

/* The desk's actions and default keys, as the sample must list them:
 * straight from the one action table, so a new action cannot be left out
 * of the sample or the man page. */
static const char *const actions[][2] = {
#define ACTION_NAME_KEYS(id, name, keys, ...) { name, keys },
	ACTION_LIST(ACTION_NAME_KEYS)
#undef ACTION_NAME_KEYS
};
#define N_ACTIONS (sizeof actions / sizeof actions[0])

/* ---- [keys] check callbacks ------------------------------------------ */

static int check_calls;
static char checked[8][2][64];

/* Accepts everything and records what it was shown. */
static int check_record(const char *action, const char *spec, char *why,
			size_t whylen)
{
	(void)why;
	(void)whylen;
	if (check_calls < 8) {
		snprintf(checked[check_calls][0], 64, "%s", action);
		snprintf(checked[check_calls][1], 64, "%s", spec);
	}
	check_calls++;
	return 0;
}

/* Refuses what the desk would: flow-control keys and unknown actions. */
static int check_desk(const char *action, const char *spec, char *why,
		      size_t whylen)
{
	if (strstr(spec, "^S")) {
		snprintf(why, whylen, "Ctrl-S is flow control");
		return 1;
	}
	if (strcmp(action, "fly") == 0) {
		snprintf(why, whylen, "unknown action");
		return 1;
	}
	return 0;
}

/* Refuses without saying why. */
static int check_mute(const char *action, const char *spec, char *why,
		      size_t whylen)
{
	(void)action;
	(void)spec;
	(void)why;
	(void)whylen;
	return 1;
}

/* ---- helpers ---------------------------------------------------------- */

static int load_text(struct config *cfg, const char *text,
		     config_key_check_fn check, struct md_error *err)
{
	char path[PATH_MAX];

	write_file(path, "test.ini", text);
	return config_load_file(cfg, path, check, err);
}

static void load_ok(struct config *cfg, const char *text)
{
	struct md_error err = { .code = 99, .msg = "stale" };
	int rc = load_text(cfg, text, check_record, &err);

	cr_assert_eq(rc, 0, "load failed: %s\n--- file:\n%s", err.msg, text);
	cr_assert_eq(err.code, 0);
	cr_assert_str_eq(err.msg, "");
}

/* A failed load: the code, a one-line message naming the file and every
 * needle, and cfg left holding exactly the defaults (it starts as junk). */
static void expect_error_len(const char *text, size_t len,
			     config_key_check_fn check, const char *const *needles)
{
	char path[PATH_MAX];
	struct config cfg;
	struct md_error err = { 0 };
	int rc;

	write_bytes(path, "bad.ini", text, len);
	memset(&cfg, 0x5a, sizeof cfg);
	rc = config_load_file(&cfg, path, check, &err);
	cr_assert_eq(rc, EX_CONFIG, "rc %d (%s) for:\n%s", rc, err.msg, text);
	cr_assert_eq(err.code, EX_CONFIG);
	cr_assert_not_null(strstr(err.msg, path), "no file name in: %s", err.msg);
	for (; *needles; needles++)
		cr_assert_not_null(strstr(err.msg, *needles),
				   "\"%s\" not in: %s", *needles, err.msg);
	cr_assert_null(strchr(err.msg, '\n'), "not one line: %s", err.msg);
	cr_assert_null(strchr(err.msg, '\x1b'), "raw ESC in: %s", err.msg);
	assert_defaults(&cfg);
	cr_assert_str_eq(cfg.source, "");
}

#define EXPECT_ERROR(text, check, ...) \
	expect_error_len(text, strlen(text), check, \
			 (const char *const[]){ __VA_ARGS__, NULL })

/* ---- defaults and the shipped sample ---------------------------------- */

Test(config, defaults_are_the_documented_values)
{
	struct config cfg;

	memset(&cfg, 0x5a, sizeof cfg);
	config_defaults(&cfg);
	assert_defaults(&cfg);
	cr_assert_str_eq(cfg.source, "");
}

Test(config, sample_loads_to_exactly_the_defaults)
{
	struct config got, want;
	struct md_error err;
	int rc = config_load_file(&got, SAMPLE_INI, check_record, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	assert_defaults(&got);
	cr_assert_str_eq(got.source, SAMPLE_INI);
	cr_assert_eq(check_calls, 0, "the sample binds keys");
	config_defaults(&want);
	memcpy(want.source, got.source, sizeof want.source);
	cr_assert(memcmp(&got, &want, sizeof got) == 0,
		  "the sample differs from config_defaults()");
}

Test(config, sample_lists_every_section_key_and_action)
{
	dictionary *d = iniparser_load(SAMPLE_INI);
	char *text = slurp(SAMPLE_INI), line[128];

	cr_assert_not_null(d);
	for (size_t i = 0; i < N_ALL_KEYS; i++) {
		snprintf(line, sizeof line, "%s:%s", all_keys[i][0], all_keys[i][1]);
		cr_assert(iniparser_find_entry(d, line), "sample lacks %s", line);
	}
	cr_assert(iniparser_find_entry(d, "keys"), "sample lacks [keys]");
	for (size_t i = 0; i < N_ACTIONS; i++) {
		snprintf(line, sizeof line, "\n;%s = %s\n", actions[i][0],
			 actions[i][1]);
		cr_assert_not_null(strstr(text, line), "sample lacks %s", line + 1);
	}
	cr_assert_not_null(strstr(text, "Ctrl-S and Ctrl-Q (^S, ^Q) are never allowed"));
	iniparser_freedict(d);
	free(text);
}

/* Uncommented, the sample's [keys] lines are a valid file binding every
 * action to its default keys. */
Test(config, sample_keys_lines_load_when_uncommented)
{
	char *text = slurp(SAMPLE_INI), *p;
	struct config cfg;

	while ((p = strstr(text, "\n;")) != NULL)
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	load_ok(&cfg, text);
	cr_assert_eq(cfg.nkeys, (int)N_ACTIONS);
	for (size_t i = 0; i < N_ACTIONS; i++) {
		int k = 0;
		while (k < cfg.nkeys && strcmp(cfg.keys[k].action, actions[i][0]))
			k++;
		cr_assert_lt(k, cfg.nkeys, "sample lacks %s", actions[i][0]);
		cr_assert_str_eq(cfg.keys[k].keys, actions[i][1]);
	}
	free(text);
}

/* The man page sits at ../man/ from the sample's directory. */
Test(config, man_page_documents_every_section_and_key)
{
	char man[PATH_MAX], want[128], *slash, *text;

	snprintf(man, sizeof man, "%s", SAMPLE_INI);
	for (int up = 0; up < 2; up++) {
		slash = strrchr(man, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(man, sizeof man, ".");
	}
	strncat(man, "/man/mashdesk.ini.5", sizeof man - strlen(man) - 1);
	text = slurp(man);
	for (size_t i = 0; i < N_ALL_KEYS; i++) {
		snprintf(want, sizeof want, ".SS [%s]", all_keys[i][0]);
		cr_assert_not_null(strstr(text, want), "man page lacks %s", want);
		snprintf(want, sizeof want, ".BI %s ", all_keys[i][1]);
		cr_assert_not_null(strstr(text, want), "man page lacks %s", want);
	}
	cr_assert_not_null(strstr(text, ".SS [keys]"));
	for (size_t i = 0; i < N_ACTIONS; i++) {
		snprintf(want, sizeof want, ".B %s\n", actions[i][0]);
		cr_assert_not_null(strstr(text, want), "man page lacks %s", want);
	}
	free(text);
}

/* ---- values that load -------------------------------------------------- */

Test(config, every_key_can_be_overridden)
{
	struct config cfg;

	load_ok(&cfg,
		"# names of sections and keys are case-insensitive\n"
		"[Hub]\n"
		"Name = Merton MASH \xe2\x80\x93 Zo\xc3\xab's team\n"
		"[DATABASE]\n"
		"path = /srv/mash/merton.db\n"
		"busy_timeout_ms = 250\n"
		"[locking]\n"
		"lease_seconds = 900\n"
		"heartbeat_seconds = 45   ; renew often\n"
		"[timescales]\n"
		"decision_hours = 48\n"
		"check_red_hours = 1\n"
		"check_amber_hours = 4\n"
		"check_green_hours = 72\n"
		"[ui]\n"
		"theme = Mono\n"
		"refresh_ms = 1000\n"
		"[keys]\n"
		"claim = ^K, c\n"
		"Next-Panel = Tab\n"
		"search = \"#\"\n");
	cr_assert_str_eq(cfg.hub_name, "Merton MASH \xe2\x80\x93 Zo\xc3\xab's team");
	cr_assert_str_eq(cfg.db_path, "/srv/mash/merton.db");
	cr_assert_eq(cfg.busy_timeout_ms, 250);
	cr_assert_eq(cfg.lease_seconds, 900);
	cr_assert_eq(cfg.heartbeat_seconds, 45);
	cr_assert_eq(cfg.decision_hours, 48);
	cr_assert_eq(cfg.check_red_hours, 1);
	cr_assert_eq(cfg.check_amber_hours, 4);
	cr_assert_eq(cfg.check_green_hours, 72);
	cr_assert_str_eq(cfg.theme, "mono");
	cr_assert_eq(cfg.refresh_ms, 1000);
	cr_assert_eq(cfg.nkeys, 3);
	cr_assert_str_eq(cfg.keys[0].action, "claim");
	cr_assert_str_eq(cfg.keys[0].keys, "^K, c");
	cr_assert_str_eq(cfg.keys[1].action, "next-panel");
	cr_assert_str_eq(cfg.keys[1].keys, "Tab");
	cr_assert_str_eq(cfg.keys[2].action, "search");
	cr_assert_str_eq(cfg.keys[2].keys, "#");
	cr_assert_str_eq(cfg.source + strlen(scratch), "/test.ini");
}

Test(config, a_key_left_out_keeps_its_default)
{
	struct config cfg;

	load_ok(&cfg, "[timescales]\ncheck_red_hours = 1\n");
	cr_assert_eq(cfg.check_red_hours, 1);
	cfg.check_red_hours = 2;
	assert_defaults(&cfg);
}

Test(config, empty_file_and_dev_null_give_the_defaults)
{
	struct config cfg;
	struct md_error err;

	load_ok(&cfg, "");
	assert_defaults(&cfg);
	load_ok(&cfg, "# only a comment\n\n[hub]\n");
	assert_defaults(&cfg);
	cr_assert_eq(config_load_file(&cfg, "/dev/null", NULL, &err), 0, "%s",
		     err.msg);
	assert_defaults(&cfg);
	cr_assert_str_eq(cfg.source, "/dev/null");
}

Test(config, every_number_accepts_its_bounds)
{
	char text[256];
	struct config cfg;

	for (size_t i = 0; i < N_NUMBERS; i++) {
		long bounds[2] = { numbers[i].min, numbers[i].max };

		for (int b = 0; b < 2; b++) {
			/* A long lease and a short heartbeat first, so that
			 * their mutual rule does not get in the way. */
			snprintf(text, sizeof text,
				 "[locking]\nlease_seconds = 86400\n"
				 "heartbeat_seconds = 1\n[%s]\n%s = %ld\n",
				 numbers[i].section, numbers[i].key, bounds[b]);
			load_ok(&cfg, text);
			cr_assert_eq(*(int *)((char *)&cfg + numbers[i].offset),
				     bounds[b], "%s", text);
		}
	}
}

Test(config, whole_numbers_are_read_as_decimal)
{
	struct config cfg;

	load_ok(&cfg, "[timescales]\ncheck_red_hours = 010\n"
		"check_amber_hours = +7\ncheck_green_hours = \"30\"\n");
	cr_assert_eq(cfg.check_red_hours, 10, "010 is ten, not octal 8");
	cr_assert_eq(cfg.check_amber_hours, 7);
	cr_assert_eq(cfg.check_green_hours, 30);
}

Test(config, every_theme_is_accepted_in_any_case)
{
	static const char *const themes[][2] = {
		{ "auto", "auto" }, { "COLOUR", "colour" },
		{ "Color", "color" }, { "mono", "mono" },
	};
	char text[64];
	struct config cfg;

	for (size_t i = 0; i < 4; i++) {
		snprintf(text, sizeof text, "[ui]\ntheme = %s\n", themes[i][0]);
		load_ok(&cfg, text);
		cr_assert_str_eq(cfg.theme, themes[i][1]);
	}
}

Test(config, hub_name_limits_are_in_bytes)
{
	char text[512], name[256];
	struct config cfg;

	memset(name, 'x', 100);
	name[100] = '\0';
	snprintf(text, sizeof text, "[hub]\nname = %s\n", name);
	load_ok(&cfg, text);
	cr_assert_str_eq(cfg.hub_name, name);

	/* 50 two-byte letters: 50 characters, 100 bytes. */
	name[0] = '\0';
	for (int i = 0; i < 50; i++)
		strcat(name, "\xc3\xa9");
	snprintf(text, sizeof text, "[hub]\nname = %s\n", name);
	load_ok(&cfg, text);
	cr_assert_str_eq(cfg.hub_name, name);
	strcat(name, "\xc3\xa9");
	snprintf(text, sizeof text, "[hub]\nname = %s\n", name);
	EXPECT_ERROR(text, NULL, "[hub] name", "102 bytes", "1..100");
}

Test(config, database_path_expands_a_leading_tilde)
{
	char want[PATH_MAX];
	struct config cfg;

	load_ok(&cfg, "[database]\npath = ~/hubs/merton.db\n");
	snprintf(want, sizeof want, "%s/hubs/merton.db", scratch);
	cr_assert_str_eq(cfg.db_path, want);

	/* A trailing slash on $HOME does not double the slash. */
	snprintf(want, sizeof want, "%s/", scratch);
	setenv("HOME", want, 1);
	load_ok(&cfg, "[database]\npath = ~/x.db\n");
	snprintf(want, sizeof want, "%s/x.db", scratch);
	cr_assert_str_eq(cfg.db_path, want);

	load_ok(&cfg, "[database]\npath = relative/a~b.db\n");
	cr_assert_str_eq(cfg.db_path, "relative/a~b.db");
}

Test(config, empty_database_path_means_unset)
{
	struct config cfg;

	load_ok(&cfg, "[database]\npath =\n");
	cr_assert_str_eq(cfg.db_path, "");
	load_ok(&cfg, "[database]\npath = \"\"\n");
	cr_assert_str_eq(cfg.db_path, "");
}

Test(config, keys_entries_go_to_the_check_in_file_order)
{
	struct config cfg;

	load_ok(&cfg, "[keys]\nquit = q\nclaim = ^K, c\nPage-Down = PgDn, Space\n");
	cr_assert_eq(check_calls, 3);
	cr_assert_str_eq(checked[0][0], "quit");
	cr_assert_str_eq(checked[0][1], "q");
	cr_assert_str_eq(checked[1][0], "claim");
	cr_assert_str_eq(checked[1][1], "^K, c");
	cr_assert_str_eq(checked[2][0], "page-down");
	cr_assert_str_eq(checked[2][1], "PgDn, Space");
	cr_assert_eq(cfg.nkeys, 3);
	cr_assert_str_eq(cfg.keys[2].action, "page-down");
}

Test(config, keys_without_a_check_are_kept_as_written)
{
	char path[PATH_MAX];
	struct config cfg;
	struct md_error err;

	write_file(path, "k.ini", "[keys]\nanything = ^S\n");
	cr_assert_eq(config_load_file(&cfg, path, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.nkeys, 1);
	cr_assert_str_eq(cfg.keys[0].action, "anything");
	cr_assert_str_eq(cfg.keys[0].keys, "^S");
}

Test(config, keys_hold_up_to_the_maximum)
{
	char text[CONFIG_MAX_KEYS * 16 + 16];
	size_t used = 0;
	struct config cfg;

	used += (size_t)snprintf(text, sizeof text, "[keys]\n");
	for (int i = 0; i < CONFIG_MAX_KEYS; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 "a%d = x\n", i);
	load_ok(&cfg, text);
	cr_assert_eq(cfg.nkeys, CONFIG_MAX_KEYS);
	snprintf(text + used, sizeof text - used, "one-more = y\n");
	EXPECT_ERROR(text, NULL, "[keys] one-more", "too many", "64");
}

/* ---- each kind of error ------------------------------------------------ */

Test(config, syntax_error_names_file_line_and_section)
{
	EXPECT_ERROR("[hub]\nname = Partial\nthis line has no equals sign\n",
		     NULL, "bad.ini:3: [hub] syntax error",
		     "\"this line has no equals sign\"");
	EXPECT_ERROR("  oops\n[hub]\n", NULL, "bad.ini:1: syntax error",
		     "\"oops\"");
	EXPECT_ERROR("[hub]\nname = x\n[ui\ntheme = mono\n", NULL,
		     "bad.ini:3: [hub] syntax error", "\"[ui\"");
}

Test(config, overlong_line_and_nul_byte_are_syntax_errors)
{
	char text[1200];
	static const char nul[] = "[hub]\nname = a\0b\n[ui]\n";

	snprintf(text, sizeof text, "[Locking]\nlease_seconds = 60\n[hub]\nname = ");
	memset(text + strlen(text), 'x', sizeof text - strlen(text) - 2);
	text[sizeof text - 2] = '\n';
	text[sizeof text - 1] = '\0';
	EXPECT_ERROR(text, NULL, "bad.ini:4: [hub] line too long");
	expect_error_len(nul, sizeof nul - 1, NULL,
			 (const char *const[]){ "bad.ini:2: [hub]", "NUL", NULL });
}

Test(config, unknown_section_is_refused)
{
	EXPECT_ERROR("[hub]\nname = Partial\n[foo]\nbar = 1\n", NULL,
		     "unknown section [foo]", "hub, database");
	EXPECT_ERROR("[FOO]\n", NULL, "unknown section [foo]");
	EXPECT_ERROR("[hub:name]\n", NULL, "unknown section [hub:name]");
}

Test(config, unknown_key_is_refused)
{
	EXPECT_ERROR("[ui]\ntheme = mono\n[hub]\ncolour = red\n", NULL,
		     "[hub] colour: unknown key", "name");
	EXPECT_ERROR("[timescales]\ncheck_blue_hours = 3\n", NULL,
		     "[timescales] check_blue_hours: unknown key",
		     "check_red_hours");
	EXPECT_ERROR("[hub]\nna:me = x\n", NULL, "[hub] na:me: unknown key");
}

Test(config, key_outside_any_section_is_refused)
{
	EXPECT_ERROR("name = Partial\n[hub]\n", NULL, "name",
		     "outside any section");
}

Test(config, numbers_must_be_whole)
{
	static const char *const bad[] = {
		"abc", "12abc", "1.5", "0x10", "1e3", "2h", "12 13", "+", "-",
		"\"\"", "\" 12\"", "\xd9\xa3",
	};
	char text[128];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text,
			 "[hub]\nname = Partial\n[timescales]\ncheck_red_hours = %s\n",
			 bad[i]);
		EXPECT_ERROR(text, NULL, "[timescales] check_red_hours: \"",
			     "is not a whole number (1..720)");
	}
	EXPECT_ERROR("[timescales]\ncheck_red_hours =\n", NULL,
		     "[timescales] check_red_hours: \"\" is not a whole number");
}

Test(config, numbers_out_of_range_are_refused)
{
	char text[256], range[64], where[96], value[32];

	for (size_t i = 0; i < N_NUMBERS; i++) {
		const struct number_key *n = &numbers[i];
		long outside[2] = { n->min - 1, n->max + 1 };

		snprintf(range, sizeof range, "is out of range (%ld..%ld)", n->min,
			 n->max);
		snprintf(where, sizeof where, "[%s] %s: \"", n->section, n->key);
		for (int b = 0; b < 4; b++) {
			if (b < 2)
				snprintf(value, sizeof value, "%ld", outside[b]);
			else
				snprintf(value, sizeof value, "%s99999999999999999999",
					 b == 2 ? "" : "-");
			snprintf(text, sizeof text,
				 "[locking]\nlease_seconds = 86400\n"
				 "heartbeat_seconds = 1\n[%s]\n%s = %s\n",
				 n->section, n->key, value);
			EXPECT_ERROR(text, NULL, where, value, range);
		}
	}
}

Test(config, heartbeat_must_be_shorter_than_the_lease)
{
	EXPECT_ERROR("[locking]\nheartbeat_seconds = 300\n", NULL,
		     "[locking] heartbeat_seconds: 300 must be smaller than "
		     "lease_seconds (300)");
	EXPECT_ERROR("[locking]\nlease_seconds = 60\nheartbeat_seconds = 90\n",
		     NULL, "[locking] heartbeat_seconds", "lease_seconds (60)");
	/* Shortening only the lease can break the rule too. */
	EXPECT_ERROR("[locking]\nlease_seconds = 30\n", NULL,
		     "[locking] heartbeat_seconds: 30", "lease_seconds (30)");
}

Test(config, unknown_theme_is_refused)
{
	EXPECT_ERROR("[ui]\nrefresh_ms = 100\ntheme = neon\n", NULL,
		     "[ui] theme: \"neon\" is not a theme",
		     "auto, colour, color, mono");
	EXPECT_ERROR("[ui]\ntheme =\n", NULL, "[ui] theme: \"\"");
}

Test(config, bad_hub_names_are_refused)
{
	char text[256];

	EXPECT_ERROR("[hub]\nname =\n", NULL, "[hub] name: must not be empty");
	EXPECT_ERROR("[hub]\nname = \"   \"\n", NULL,
		     "[hub] name: must not be empty");
	snprintf(text, sizeof text, "[hub]\nname = %0101d\n", 0);
	EXPECT_ERROR(text, NULL, "[hub] name:", "101 bytes long (1..100 bytes)");
	EXPECT_ERROR("[hub]\nname = bad \xff\xfe\n", NULL, "[hub] name:",
		     "not valid UTF-8");
	EXPECT_ERROR("[hub]\nname = slash \xc0\xaf\n", NULL, "[hub] name:",
		     "not valid UTF-8");
	EXPECT_ERROR("[hub]\nname = a\x01z\n", NULL, "[hub] name:",
		     "control character");
	EXPECT_ERROR("[hub]\nname = a\x7fz\n", NULL, "[hub] name:",
		     "control character");
	EXPECT_ERROR("[hub]\nname = a\xc2\x85z\n", NULL, "[hub] name:",
		     "control character");
	/* An escape sequence in a value reaches the message only as "^[". */
	EXPECT_ERROR("[hub]\nname = \x1b[31mred\n", NULL, "[hub] name:",
		     "\"^[[31mred\"");
}

Test(config, bad_database_paths_are_refused)
{
	char home[PATH_MAX];

	EXPECT_ERROR("[database]\npath = ~bob/hub.db\n", NULL,
		     "[database] path: \"~bob/hub.db\"", "only a leading ~/");
	unsetenv("HOME");
	EXPECT_ERROR("[database]\npath = ~/hub.db\n", NULL,
		     "[database] path:", "$HOME is not set");
	memset(home, 'h', sizeof home - 1);
	home[0] = '/';
	home[sizeof home - 8] = '\0';
	setenv("HOME", home, 1);
	EXPECT_ERROR("[database]\npath = ~/a/long/way/to/the/hub.db\n", NULL,
		     "[database] path:", "too long");
}

Test(config, keys_refused_by_the_check_are_errors)
{
	EXPECT_ERROR("[hub]\nname = Partial\n[keys]\nquit = q\nsave = ^S\n",
		     check_desk, "[keys] save: \"^S\": Ctrl-S is flow control");
	EXPECT_ERROR("[keys]\nfly = x\n", check_desk,
		     "[keys] fly: \"x\": unknown action");
	EXPECT_ERROR("[keys]\nquit = q\n", check_mute, "[keys] quit:",
		     "refused");
}

Test(config, malformed_keys_entries_are_errors)
{
	char text[256];

	EXPECT_ERROR("[keys]\nclaim =\n", check_record, "[keys] claim: no key");
	snprintf(text, sizeof text, "[keys]\n%040d = x\n", 0);
	EXPECT_ERROR(text, NULL, "[keys] 0000", "action name too long");
	snprintf(text, sizeof text, "[keys]\nclaim = %070d\n", 0);
	EXPECT_ERROR(text, NULL, "[keys] claim:", "too long (at most 63 bytes)");
}

/* ---- files that cannot be read ----------------------------------------- */

Test(config, missing_file_is_noinput)
{
	char path[PATH_MAX];
	struct config cfg;
	struct md_error err;

	scratch_path(path, "nowhere.ini");
	memset(&cfg, 0x5a, sizeof cfg);
	cr_assert_eq(config_load_file(&cfg, path, NULL, &err), EX_NOINPUT);
	cr_assert_eq(err.code, EX_NOINPUT);
	cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, strerror(ENOENT)), "%s", err.msg);
	assert_defaults(&cfg);
}

Test(config, directory_is_noinput)
{
	struct config cfg;
	struct md_error err;

	cr_assert_eq(config_load_file(&cfg, scratch, NULL, &err), EX_NOINPUT);
	cr_assert_not_null(strstr(err.msg, strerror(EISDIR)), "%s", err.msg);
	assert_defaults(&cfg);
}

Test(config, unreadable_file_is_noinput_with_the_reason)
{
	char path[PATH_MAX];
	struct config cfg;
	struct md_error err;

	uid_t euid = geteuid();
	int rc;

	write_file(path, "locked.ini", "[hub]\nname = Locked\n");
	chmod(path, 0);
	/* Root reads a mode-000 file, so as root read it as "nobody". */
	if (euid == 0) {
		chmod(scratch, 0755);
		cr_assert_eq(seteuid(65534), 0, "seteuid: %s", strerror(errno));
	}
	rc = config_load_file(&cfg, path, NULL, &err);
	if (euid == 0)
		cr_assert_eq(seteuid(0), 0);
	cr_assert_eq(rc, EX_NOINPUT, "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, strerror(EACCES)), "%s", err.msg);
	assert_defaults(&cfg);
}

/* ---- where config_load() looks ------------------------------------------ */

/* One file in each place config_load() looks, each naming its place. */
static void make_every_place(char *cli, char *env, char *xdg, char *home,
			     char *etc)
{
	write_file(cli, "cli.ini", "[hub]\nname = CLI\n");
	write_file(env, "env.ini", "[hub]\nname = ENV\n");
	write_file(xdg, "xdg/mashdesk/mashdesk.ini", "[hub]\nname = XDG\n");
	write_file(home, ".config/mashdesk/mashdesk.ini", "[hub]\nname = HOME\n");
	write_file(etc, "etc/mashdesk/mashdesk.ini", "[hub]\nname = ETC\n");
}

static void expect_found(const char *explicit_path, const char *name,
			 const char *source)
{
	char sysconf[PATH_MAX];
	struct config cfg;
	struct md_error err;
	int rc;

	snprintf(sysconf, sizeof sysconf, "%s/etc", scratch);
	rc = config_load(&cfg, explicit_path, sysconf, NULL, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_str_eq(cfg.hub_name, name);
	cr_assert_str_eq(cfg.source, source);
}

Test(config, search_order_explicit_then_env_then_xdg_then_sysconf)
{
	char cli[PATH_MAX], env[PATH_MAX], xdg[PATH_MAX], home[PATH_MAX];
	char etc[PATH_MAX], xdgdir[PATH_MAX];

	make_every_place(cli, env, xdg, home, etc);
	snprintf(xdgdir, sizeof xdgdir, "%s/xdg", scratch);
	setenv("MASHDESK_CONFIG", env, 1);
	setenv("XDG_CONFIG_HOME", xdgdir, 1);
	expect_found(cli, "CLI", cli);
	expect_found(NULL, "ENV", env);
	unsetenv("MASHDESK_CONFIG");
	expect_found(NULL, "XDG", xdg);
	setenv("MASHDESK_CONFIG", "", 1);        /* empty is unset */
	expect_found(NULL, "XDG", xdg);
	/* With XDG_CONFIG_HOME set, ~/.config is not a fallback. */
	unlink(xdg);
	expect_found(NULL, "ETC", etc);
}

Test(config, home_config_when_xdg_is_unset_empty_or_relative)
{
	char cli[PATH_MAX], env[PATH_MAX], xdg[PATH_MAX], home[PATH_MAX];
	char etc[PATH_MAX];

	make_every_place(cli, env, xdg, home, etc);
	expect_found(NULL, "HOME", home);
	setenv("XDG_CONFIG_HOME", "", 1);
	expect_found(NULL, "HOME", home);
	setenv("XDG_CONFIG_HOME", "xdg", 1);   /* relative: invalid */
	expect_found(NULL, "HOME", home);
	unlink(home);
	expect_found(NULL, "ETC", etc);
}

Test(config, defaults_when_no_file_exists)
{
	struct config cfg;
	struct md_error err = { .code = 99, .msg = "stale" };
	char sysconf[PATH_MAX];

	snprintf(sysconf, sizeof sysconf, "%s/etc", scratch);
	memset(&cfg, 0x5a, sizeof cfg);
	cr_assert_eq(config_load(&cfg, NULL, sysconf, check_record, &err), 0);
	assert_defaults(&cfg);
	cr_assert_str_eq(cfg.source, "");
	cr_assert_eq(err.code, 0);
	cr_assert_eq(check_calls, 0);
	unsetenv("HOME");
	cr_assert_eq(config_load(&cfg, NULL, NULL, NULL, &err), 0);
	assert_defaults(&cfg);
}

Test(config, named_file_that_is_missing_is_noinput)
{
	char cli[PATH_MAX], env[PATH_MAX], xdg[PATH_MAX], home[PATH_MAX];
	char etc[PATH_MAX], gone[PATH_MAX];
	struct config cfg;
	struct md_error err;

	make_every_place(cli, env, xdg, home, etc);
	scratch_path(gone, "gone.ini");
	cr_assert_eq(config_load(&cfg, gone, NULL, NULL, &err), EX_NOINPUT);
	cr_assert_not_null(strstr(err.msg, gone), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "--config"), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, strerror(ENOENT)), "%s", err.msg);
	assert_defaults(&cfg);

	setenv("MASHDESK_CONFIG", gone, 1);
	cr_assert_eq(config_load(&cfg, NULL, NULL, NULL, &err), EX_NOINPUT);
	cr_assert_not_null(strstr(err.msg, gone), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "$MASHDESK_CONFIG"), "%s", err.msg);
	assert_defaults(&cfg);
}

Test(config, a_bad_file_in_an_implicit_place_is_not_skipped)
{
	char path[PATH_MAX], etc[PATH_MAX];
	struct config cfg;
	struct md_error err;

	write_file(path, ".config/mashdesk/mashdesk.ini", "[hub]\nnmae = x\n");
	write_file(etc, "etc/mashdesk/mashdesk.ini", "[hub]\nname = ETC\n");
	snprintf(etc, sizeof etc, "%s/etc", scratch);
	cr_assert_eq(config_load(&cfg, NULL, etc, NULL, &err), EX_CONFIG);
	cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "[hub] nmae"), "%s", err.msg);
	assert_defaults(&cfg);
}

Test(config, a_failed_load_forgets_an_earlier_good_one)
{
	char good[PATH_MAX], bad[PATH_MAX];
	struct config cfg;
	struct md_error err;

	write_file(good, "good.ini", "[hub]\nname = Good\n[keys]\nquit = x\n");
	write_file(bad, "bad.ini", "[hub]\nname = Bad\n[ui]\ntheme = neon\n");
	cr_assert_eq(config_load(&cfg, good, NULL, NULL, &err), 0);
	cr_assert_str_eq(cfg.hub_name, "Good");
	cr_assert_eq(config_load(&cfg, bad, NULL, NULL, &err), EX_CONFIG);
	assert_defaults(&cfg);
	cr_assert_str_eq(cfg.source, "");
}

/* ---- config_check_hours ---------------------------------------------- */

Test(config, check_hours_follow_the_rag_rating)
{
	struct config cfg;

	config_defaults(&cfg);
	cr_assert_eq(config_check_hours(&cfg, "red"), 2);
	cr_assert_eq(config_check_hours(&cfg, "amber"), 6);
	cr_assert_eq(config_check_hours(&cfg, "green"), 24);
	cr_assert_eq(config_check_hours(&cfg, "RED"), 2);
	cr_assert_eq(config_check_hours(&cfg, NULL), 24, "unrated: green");
	cr_assert_eq(config_check_hours(&cfg, "blue"), 24, "unknown: green");
	cr_assert_eq(config_check_hours(&cfg, ""), 24);
	load_ok(&cfg, "[timescales]\ncheck_red_hours = 1\ncheck_amber_hours = 3\n"
		"check_green_hours = 48\n");
	cr_assert_eq(config_check_hours(&cfg, "red"), 1);
	cr_assert_eq(config_check_hours(&cfg, "amber"), 3);
	cr_assert_eq(config_check_hours(&cfg, "green"), 48);
	cr_assert_eq(config_check_hours(&cfg, NULL), 48);
}

/* ---- config_decision_hours -------------------------------------------- */

Test(config, decision_hours_by_rag_default_to_decision_hours)
{
	struct config cfg;

	config_defaults(&cfg);
	cr_assert_eq(config_decision_hours(&cfg, "red"), 24);
	cr_assert_eq(config_decision_hours(&cfg, "amber"), 24);
	cr_assert_eq(config_decision_hours(&cfg, "green"), 24);
	cr_assert_eq(config_decision_hours(&cfg, NULL), 24, "unrated");
	load_ok(&cfg, "[timescales]\ndecision_hours = 8\n"
		"decision_red_hours = 2\ndecision_amber_hours =\n"
		"decision_green_hours = \"48\"\n");
	cr_assert_eq(config_decision_hours(&cfg, "red"), 2);
	cr_assert_eq(config_decision_hours(&cfg, "RED"), 2);
	cr_assert_eq(config_decision_hours(&cfg, "amber"), 8, "empty: not set");
	cr_assert_eq(config_decision_hours(&cfg, "green"), 48);
	cr_assert_eq(config_decision_hours(&cfg, NULL), 8, "unrated");
	cr_assert_eq(config_decision_hours(&cfg, "blue"), 8, "unknown");
	EXPECT_ERROR("[timescales]\ndecision_red_hours = 0\n", NULL,
		     "[timescales] decision_red_hours: \"0\" is out of range (1..720)");
	EXPECT_ERROR("[timescales]\ndecision_amber_hours = soon\n", NULL,
		     "[timescales] decision_amber_hours: \"soon\" is not a whole number");
}

/* ---- [ui] first_filter ------------------------------------------------- */

Test(config, first_filter_is_one_of_the_queue_filters)
{
	static const char *const filters[][2] = {
		{ "auto", "auto" }, { "ALL", "all" }, { "Mine", "mine" },
		{ "unassigned", "unassigned" }, { "overdue", "overdue" },
		{ "Checks", "checks" }, { "Feedback", "feedback" },
	};
	struct config cfg;
	char text[96];

	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		snprintf(text, sizeof text, "[ui]\nfirst_filter = %s\n",
			 filters[i][0]);
		load_ok(&cfg, text);
		cr_assert_str_eq(cfg.first_filter, filters[i][1]);
	}
	EXPECT_ERROR("[ui]\nfirst_filter = ours\n", NULL,
		     "[ui] first_filter: \"ours\" is not a filter (auto, all, "
		     "mine, unassigned, overdue, checks, feedback)");
}

/* ---- [clocks] and [decision] ------------------------------------------- */

Test(config, working_hours_keys_load)
{
	struct config cfg;

	load_ok(&cfg, "[clocks]\nworking_hours = Yes\nworking_day = 08:30-16:30\n"
		"working_days = Mon-Thu, Sat\n"
		"bank_holidays = 2026-12-28, 2026-12-25\n"
		"[decision]\ntwo_person_rule = on\n");
	cr_assert_eq(cfg.work.on, 1);
	cr_assert_eq(cfg.work.day_start, 510);
	cr_assert_eq(cfg.work.day_end, 990);
	cr_assert_eq(cfg.work.days, 0x5Eu);
	cr_assert_eq(cfg.work.nholidays, 2);
	cr_assert_eq(cfg.work.holidays[0], 20261225);
	cr_assert_eq(cfg.two_person_rule, 1);
	config_defaults(&cfg);
	cr_assert_eq(cfg.work.on, 0);
	cr_assert_eq(cfg.work.day_start, 540);
	cr_assert_eq(cfg.work.days, 0x3Eu);
	cr_assert_eq(cfg.two_person_rule, 0);
}

Test(config, working_hours_keys_are_strict)
{
	EXPECT_ERROR("[clocks]\nworking_hours = maybe\n", NULL,
		     "[clocks] working_hours: \"maybe\" is not yes or no");
	EXPECT_ERROR("[clocks]\nworking_day = 17:00-09:00\n", NULL,
		     "[clocks] working_day: \"17:00-09:00\"");
	EXPECT_ERROR("[clocks]\nworking_day = 9-5\n", NULL,
		     "[clocks] working_day:");
	EXPECT_ERROR("[clocks]\nworking_days = Mon-Fry\n", NULL,
		     "[clocks] working_days: \"Mon-Fry\"");
	EXPECT_ERROR("[clocks]\nbank_holidays = 2026-12-25, 25/12/2026\n", NULL,
		     "[clocks] bank_holidays: \"25/12/2026\" is not a date");
	EXPECT_ERROR("[decision]\ntwo_person_rule = 2\n", NULL,
		     "[decision] two_person_rule:");
	EXPECT_ERROR("[decision]\nthree_person_rule = yes\n", NULL,
		     "[decision] three_person_rule: unknown key");
}

/* ---- [retention] -------------------------------------------------------- */

Test(config, retention_periods_are_months_age25_or_for_ever)
{
	struct config cfg;

	load_ok(&cfg, "[retention]\n"
		"contact_closed = 72\n"
		"contact_closed_nfa = 24\n"
		"contact_closed_advice =\n"
		"contact_closed_early_help = 0\n"
		"contact_closed_allocated = AGE25\n"
		"referral_no_further = 1200\n"
		"referral_assessed = age25\n");
	cr_assert_eq(cfg.retain_contact, 72);
	cr_assert_eq(cfg.retain_contact_nfa, 24);
	cr_assert_eq(cfg.retain_contact_advice, CONFIG_RETAIN_UNSET,
		     "empty: contact_closed's period");
	cr_assert_eq(cfg.retain_contact_early_help, CONFIG_RETAIN_FOREVER,
		     "0: for ever, whatever contact_closed says");
	cr_assert_eq(cfg.retain_contact_allocated, CONFIG_RETAIN_AGE25);
	cr_assert_eq(cfg.retain_no_further, 1200);
	cr_assert_eq(cfg.retain_assessed, CONFIG_RETAIN_AGE25);
	load_ok(&cfg, "[retention]\ncontact_closed =\nreferral_assessed = 0\n");
	cr_assert_eq(cfg.retain_contact, CONFIG_RETAIN_FOREVER);
	cr_assert_eq(cfg.retain_assessed, CONFIG_RETAIN_FOREVER);
	EXPECT_ERROR("[retention]\ncontact_closed = six years\n", NULL,
		     "[retention] contact_closed: \"six years\" is not a number "
		     "of months (0..1200), age25 or empty");
	EXPECT_ERROR("[retention]\nreferral_assessed = 1201\n", NULL,
		     "[retention] referral_assessed: \"1201\" is out of range");
	EXPECT_ERROR("[retention]\nreferral_no_further = -1\n", NULL,
		     "[retention] referral_no_further: \"-1\" is out of range");
	EXPECT_ERROR("[retention]\nreferral_assessed = age18\n", NULL,
		     "[retention] referral_assessed: \"age18\"");
	EXPECT_ERROR("[retention]\ncontacts = 72\n", NULL,
		     "[retention] contacts: unknown key");
}

/* ---- a setgid mashdesk: the system's file, then the user's look and keys ---- */

static int split(const char *explicit_path, struct config *cfg,
		 struct md_error *err)
{
	char sysconf[PATH_MAX];
	snprintf(sysconf, sizeof sysconf, "%s/etc", scratch);
	return config_load_split(cfg, explicit_path, sysconf, NULL, err);
}

Test(config, split_the_system_file_sets_the_hub_and_its_rules)
{
	char etc[PATH_MAX], mine[PATH_MAX];
	struct config cfg;
	struct md_error err;

	write_file(etc, "etc/mashdesk/mashdesk.ini",
		   "[database]\npath = /srv/mash/hub.db\n"
		   "[timescales]\ndecision_hours = 8\n[ui]\ntheme = mono\n"
		   "[keys]\nclaim = C\n");
	write_file(mine, ".config/mashdesk/mashdesk.ini",
		   "[ui]\nrefresh_ms = 250\n[keys]\nclaim = x\n");
	cr_assert_eq(split(NULL, &cfg, &err), 0, "%s", err.msg);
	cr_assert_str_eq(cfg.db_path, "/srv/mash/hub.db");
	cr_assert_eq(cfg.decision_hours, 8);
	cr_assert_str_eq(cfg.theme, "mono", "the user's file left it alone");
	cr_assert_eq(cfg.refresh_ms, 250);
	cr_assert_eq(cfg.nkeys, 2, "the user's keys after the system's");
	cr_assert_str_eq(cfg.keys[1].keys, "x");
	cr_assert_str_eq(cfg.source, mine);
}

Test(config, split_without_a_user_file_or_a_system_file)
{
	char etc[PATH_MAX];
	struct config cfg;
	struct md_error err;

	cr_assert_eq(split(NULL, &cfg, &err), 0, "%s", err.msg);
	assert_defaults(&cfg);
	write_file(etc, "etc/mashdesk/mashdesk.ini", "[database]\npath = /srv/h.db\n");
	cr_assert_eq(split(NULL, &cfg, &err), 0, "%s", err.msg);
	cr_assert_str_eq(cfg.db_path, "/srv/h.db");
	cr_assert_str_eq(cfg.source, etc);
}

Test(config, split_a_user_file_may_not_set_the_hub_or_its_rules)
{
	static const char *const refused[][2] = {
		{ "[database]\npath = /home/me/hub.db\n", "[database] path" },
		{ "[database]\nbusy_timeout_ms = 100\n", "[database] busy_timeout_ms" },
		{ "[hub]\nname = Mine\n", "[hub] name" },
		{ "[locking]\nlease_seconds = 30\n", "[locking] lease_seconds" },
		{ "[timescales]\ndecision_hours = 720\n", "[timescales] decision_hours" },
		{ "[clocks]\nworking_hours = yes\n", "[clocks] working_hours" },
		{ "[decision]\ntwo_person_rule = no\n", "[decision] two_person_rule" },
	};
	char etc[PATH_MAX], mine[PATH_MAX], env[PATH_MAX], want[3 * PATH_MAX];
	struct config cfg;
	struct md_error err;

	write_file(etc, "etc/mashdesk/mashdesk.ini", "[database]\npath = /srv/h.db\n");
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		write_file(mine, "mine.ini", refused[i][0]);
		cr_assert_eq(split(mine, &cfg, &err), EX_CONFIG, "%s", refused[i][0]);
		snprintf(want, sizeof want, "%s: %s: belongs in the system "
			 "configuration (%s): your own file may set only [ui] "
			 "and [keys]", mine, refused[i][1], etc);
		cr_assert_str_eq(err.msg, want);
		assert_defaults(&cfg);
	}
	/* the same from $MASHDESK_CONFIG and from the XDG place */
	write_file(env, "env.ini", "[ui]\ntheme = mono\n[hub]\nname = Mine\n");
	setenv("MASHDESK_CONFIG", env, 1);
	cr_assert_eq(split(NULL, &cfg, &err), EX_CONFIG);
	cr_assert(strstr(err.msg, "[hub] name: belongs in the system"), "%s", err.msg);
	unsetenv("MASHDESK_CONFIG");
	write_file(mine, ".config/mashdesk/mashdesk.ini", "[timescales]\ncheck_red_hours = 9\n");
	cr_assert_eq(split(NULL, &cfg, &err), EX_CONFIG);
	cr_assert(strstr(err.msg, "[timescales] check_red_hours: belongs"), "%s", err.msg);
}

Test(config, split_a_named_user_file_must_exist_and_a_bad_system_file_stops)
{
	char etc[PATH_MAX], gone[PATH_MAX];
	struct config cfg;
	struct md_error err;

	snprintf(gone, sizeof gone, "%s/gone.ini", scratch);
	cr_assert_eq(split(gone, &cfg, &err), EX_NOINPUT);
	write_file(etc, "etc/mashdesk/mashdesk.ini", "[database]\nnope = 1\n");
	cr_assert_eq(split(NULL, &cfg, &err), EX_CONFIG);
	cr_assert(strstr(err.msg, "[database] nope: unknown key"), "%s", err.msg);
	assert_defaults(&cfg);
}

/* [database] url: a postgresql:// address; anything else, or a url
 * beside a path, stops mashdesk with 78 naming the key. */
Test(config, database_url_is_a_postgresql_address_alone)
{
	struct config cfg;
	struct md_error err;

	load_ok(&cfg, "[database]\nurl = postgresql://db1:5432,db2:5432/hub"
		"?target_session_attrs=read-write\n");
	cr_assert_str_eq(cfg.db_url, "postgresql://db1:5432,db2:5432/hub"
			 "?target_session_attrs=read-write");
	cr_assert_str_eq(cfg.db_path, "");
	load_ok(&cfg, "[database]\nurl = postgres://localhost/hub\n");
	cr_assert_str_eq(cfg.db_url, "postgres://localhost/hub");

	cr_assert_eq(load_text(&cfg, "[database]\nurl = /srv/mash/hub.db\n",
			       check_record, &err), EX_CONFIG);
	cr_assert(strstr(err.msg, "[database] url") && strstr(err.msg, "not a postgresql://"),
		  "%s", err.msg);
	cr_assert_eq(load_text(&cfg, "[database]\nurl = postgresql://a b/hub\n",
			       check_record, &err), EX_CONFIG);
	cr_assert_eq(load_text(&cfg, "[database]\npath = /srv/hub.db\n"
			       "url = postgresql://db/hub\n", check_record, &err),
		     EX_CONFIG);
	cr_assert(strstr(err.msg, "keep one"), "%s", err.msg);
}
