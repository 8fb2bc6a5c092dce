/* config.c - the hub's INI configuration (see config.h).
 *
 * iniparser does the lexing; meaning lives here, driven by one table
 * (config_items) that lists every key with its section, type, default and
 * range.  config_defaults(), the loader and the error messages all read
 * that table, so a key cannot be added in one place and forgotten in
 * another.  tests/unit/test_config.c checks that the sample
 * etc/mashdesk.ini and man/mashdesk.ini.5 list every key.
 *
 * We walk iniparser's dictionary entries directly instead of asking it for
 * sections and keys, because its section queries cannot see everything a
 * file may hold: a key above the first [section] is stored as ":key" (no
 * section), and a header such as "[a:b]" is not counted as a section.
 * Only by looking at every entry can we refuse everything unknown.
 *
 * Failures load nothing: cfg is reset to the defaults, so no caller can
 * run on a half-applied file. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* getline(), strcasecmp() */
#endif
#include "mashdesk/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "mashdesk/privilege.h"
#include "mashdesk/text.h"

/* config_read()'s answer when an implicit location simply is not there. */
#define CONFIG_ABSENT (-1)

/* Longest part of a value quoted back in a message; the rest is "...". */
#define CONFIG_QUOTE_MAX 60
#define CONFIG_QUOTE_SIZE (CONFIG_QUOTE_MAX + 8)

#define CONFIG_FILE_NAME "mashdesk/mashdesk.ini"

/* iniparser 4.1 reads lines into a 1024-byte buffer with fgets(). */
#define CONFIG_LINE_MAX 1022

enum config_type {
	CONFIG_INT,     /* whole number in [min, max] */
	CONFIG_OPT_INT, /* the same, or "" = not set (0) */
	CONFIG_NAME,    /* UTF-8 text, min..max bytes, no controls */
	CONFIG_PATH,    /* file name, leading ~/ expanded, "" = unset */
	CONFIG_URL,     /* a postgresql:// or postgres:// address, "" = unset */
	CONFIG_THEME,   /* one of config_themes */
	CONFIG_FILTER,  /* one of config_filters */
	CONFIG_CODES,   /* lookup codes ([a-z-]) separated by spaces or commas:
			 * kept with single spaces; "" = none */
	CONFIG_BOOL,    /* yes/no (true/false, on/off, 1/0) into an int */
	CONFIG_DAYHOURS,/* "09:00-17:00": text kept, minutes into work */
	CONFIG_WEEKDAYS,/* "Mon-Fri": text kept, mask into work */
	CONFIG_DATES,   /* "2026-12-25, 2026-12-28": text kept, dates into work */
	CONFIG_RETAIN,  /* a retention period: months (1..max), "age25"
			 * (CONFIG_RETAIN_AGE25), "0" (CONFIG_RETAIN_FOREVER),
			 * "" = the key's default */
};

struct config_item {
	const char *section;
	const char *key;
	enum config_type type;
	size_t offset;          /* of the field in struct config */
	size_t size;            /* of the field (text types) */
	long min, max;          /* number range, or length in bytes for text */
	long def;               /* default of a number */
	const char *def_text;   /* default of a text */
};

#define CONFIG_SIZE(field) sizeof(((struct config *)0)->field)
#define CONFIG_NUMBER(sec, key, field, lo, hi, dflt) \
	{ sec, key, CONFIG_INT, offsetof(struct config, field), \
	  CONFIG_SIZE(field), lo, hi, dflt, NULL }
#define CONFIG_OPT_NUMBER(sec, key, field, lo, hi) \
	{ sec, key, CONFIG_OPT_INT, offsetof(struct config, field), \
	  CONFIG_SIZE(field), lo, hi, 0, NULL }
#define CONFIG_FLAG(sec, key, field, dflt) \
	{ sec, key, CONFIG_BOOL, offsetof(struct config, field), \
	  CONFIG_SIZE(field), 0, 1, dflt, NULL }
#define CONFIG_TEXT(sec, key, type, field, lo, hi, dflt) \
	{ sec, key, type, offsetof(struct config, field), \
	  CONFIG_SIZE(field), lo, hi, 0, dflt }

#define CONFIG_RETENTION(key, field, dflt) \
	{ "retention", key, CONFIG_RETAIN, offsetof(struct config, field), \
	  CONFIG_SIZE(field), 1, CONFIG_RETAIN_MAX_MONTHS, dflt, NULL }

/* Every key of every section but [keys], whose keys are the desk's actions
 * and are judged by the caller's check function.  Keep etc/mashdesk.ini and
 * man/mashdesk.ini.5 in step with this table. */
static const struct config_item config_items[] = {
	CONFIG_TEXT("hub", "name", CONFIG_NAME, hub_name, 1, 100, "MASH"),
	CONFIG_TEXT("database", "path", CONFIG_PATH, db_path,
		    0, PATH_MAX - 1, ""),
	CONFIG_TEXT("database", "url", CONFIG_URL, db_url, 0, PATH_MAX - 1, ""),
	CONFIG_NUMBER("database", "busy_timeout_ms", busy_timeout_ms,
		      100, 600000, 5000),
	CONFIG_NUMBER("locking", "lease_seconds", lease_seconds, 30, 86400, 300),
	CONFIG_NUMBER("locking", "heartbeat_seconds", heartbeat_seconds,
		      1, 3600, 30),
	CONFIG_NUMBER("timescales", "decision_hours", decision_hours, 1, 720, 24),
	CONFIG_NUMBER("timescales", "check_red_hours", check_red_hours,
		      1, 720, 2),
	CONFIG_NUMBER("timescales", "check_amber_hours", check_amber_hours,
		      1, 720, 6),
	CONFIG_NUMBER("timescales", "check_green_hours", check_green_hours,
		      1, 720, 24),
	CONFIG_OPT_NUMBER("timescales", "decision_red_hours",
			  decision_red_hours, 1, 720),
	CONFIG_OPT_NUMBER("timescales", "decision_amber_hours",
			  decision_amber_hours, 1, 720),
	CONFIG_OPT_NUMBER("timescales", "decision_green_hours",
			  decision_green_hours, 1, 720),
	CONFIG_NUMBER("timescales", "strategy_hours", strategy_hours, 1, 720, 24),
	CONFIG_NUMBER("timescales", "feedback_acknowledgement_hours",
		      feedback_acknowledgement_hours, 1, 720, 24),
	CONFIG_NUMBER("timescales", "feedback_outcome_hours",
		      feedback_outcome_hours, 1, 720, 24),
	CONFIG_FLAG("clocks", "working_hours", work.on, 0),
	CONFIG_TEXT("clocks", "working_day", CONFIG_DAYHOURS, working_day,
		    0, 0, "09:00-17:00"),
	CONFIG_TEXT("clocks", "working_days", CONFIG_WEEKDAYS, working_days,
		    0, 0, "Mon-Fri"),
	CONFIG_TEXT("clocks", "bank_holidays", CONFIG_DATES, bank_holidays,
		    0, 0, ""),
	CONFIG_FLAG("decision", "two_person_rule", two_person_rule, 0),
	CONFIG_TEXT("permissions", "screen_agencies", CONFIG_CODES,
		    screen_agencies, 0, 0, ""),
	CONFIG_TEXT("backup", "dir", CONFIG_PATH, backup_dir, 0, PATH_MAX - 1, ""),
	CONFIG_NUMBER("backup", "keep", backup_keep, 0, 100000, 0),
	CONFIG_NUMBER("backup", "warn_hours", backup_warn_hours, 1, 8760, 26),
	CONFIG_RETENTION("contact_closed", retain_contact, CONFIG_RETAIN_FOREVER),
	CONFIG_RETENTION("contact_closed_nfa", retain_contact_nfa,
			 CONFIG_RETAIN_UNSET),
	CONFIG_RETENTION("contact_closed_advice", retain_contact_advice,
			 CONFIG_RETAIN_UNSET),
	CONFIG_RETENTION("contact_closed_early_help", retain_contact_early_help,
			 CONFIG_RETAIN_UNSET),
	CONFIG_RETENTION("contact_closed_allocated", retain_contact_allocated,
			 CONFIG_RETAIN_UNSET),
	CONFIG_RETENTION("referral_no_further", retain_no_further,
			 CONFIG_RETAIN_FOREVER),
	CONFIG_RETENTION("referral_assessed", retain_assessed,
			 CONFIG_RETAIN_FOREVER),
	CONFIG_TEXT("feedback", "letter_template", CONFIG_PATH, letter_template,
		    0, PATH_MAX - 1, ""),
	CONFIG_TEXT("ui", "theme", CONFIG_THEME, theme, 0, 0, "auto"),
	CONFIG_NUMBER("ui", "refresh_ms", refresh_ms, 50, 10000, 500),
	CONFIG_TEXT("ui", "first_filter", CONFIG_FILTER, first_filter,
		    0, 0, "auto"),
};
#define CONFIG_NITEMS (sizeof config_items / sizeof config_items[0])

/* In the order the sample and the man page present them. */
static const char *const config_sections[] = {
	"hub", "database", "locking", "timescales", "clocks", "decision",
	"permissions", "backup", "retention", "feedback", "ui", "keys",
};
#define CONFIG_NSECTIONS (sizeof config_sections / sizeof config_sections[0])

/* "colour" and "color" are the same theme.  Both spellings are accepted
 * (in any case) and the one used is kept, in lower case. */
static const char *const config_themes[] = {
	"auto", "colour", "color", "mono",
};
#define CONFIG_NTHEMES (sizeof config_themes / sizeof config_themes[0])

/* The queue's filters a desk may open on ([ui] first_filter). */
static const char *const config_filters[] = {
	"auto", "all", "mine", "unassigned", "overdue", "checks", "feedback",
};
#define CONFIG_NFILTERS (sizeof config_filters / sizeof config_filters[0])

/* ---- messages -------------------------------------------------------- */

/* Every message is made inert (control characters shown as ^X, bad UTF-8
 * as U+FFFD) because names and values come from the file and the message
 * goes to a terminal. */
__attribute__((format(printf, 3, 4)))
static int config_fail(struct md_error *err, int code, const char *fmt, ...)
{
	char raw[sizeof err->msg], clean[sizeof err->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	text_inert(clean, sizeof clean, raw, 1);
	return md_fail(err, code, "%s", clean);
}

/* "FILE: [section] key: why" - the shape of every complaint about a value. */
__attribute__((format(printf, 5, 6)))
static int config_bad(struct md_error *err, const char *path,
		      const char *section, const char *key, const char *fmt, ...)
{
	char why[sizeof err->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return config_fail(err, EX_CONFIG, "%s: [%s] %s: %s", path, section, key,
			   why);
}

/* A value as quoted in a message: in double quotes, cut (at a character
 * boundary) to CONFIG_QUOTE_MAX bytes so that the file, section and key
 * still fit in the one-line message. */
static const char *config_quote(char *buf, size_t len, const char *val)
{
	char cut[CONFIG_QUOTE_MAX + 1];
	size_t n = strlen(val);
	int cutoff = n > CONFIG_QUOTE_MAX;

	if (cutoff) {
		n = CONFIG_QUOTE_MAX;
		while (n > 0 && ((unsigned char)val[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(cut, val, n);
	cut[n] = '\0';
	snprintf(buf, len, "\"%s%s\"", cut, cutoff ? "..." : "");
	return buf;
}

/* "a, b, c": the names a message offers instead of an unknown one. */
static const char *config_list(char *buf, size_t len, const char *const *names,
			       size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* The keys of one section, for "unknown key" messages. */
static const char *config_section_keys(char *buf, size_t len,
				       const char *section)
{
	const char *names[CONFIG_NITEMS];
	size_t n = 0;

	for (size_t i = 0; i < CONFIG_NITEMS; i++)
		if (strcmp(config_items[i].section, section) == 0)
			names[n++] = config_items[i].key;
	return config_list(buf, len, names, n);
}

/* ---- values ---------------------------------------------------------- */

static int *config_number_field(struct config *cfg,
				const struct config_item *it)
{
	return (int *)((char *)cfg + it->offset);
}

static char *config_text_field(struct config *cfg, const struct config_item *it)
{
	return (char *)cfg + it->offset;
}

/* Strictly a whole number: an optional sign and decimal digits, nothing
 * else.  strtol() alone would take " 12", "12abc" or "0x1F", and
 * iniparser_getint() would even read "010" as octal 8.  Returns 0, -1 for
 * "not a number" or 1 for a number too large for a long. */
static int config_whole(const char *s, long *out)
{
	const char *p = s + (*s == '+' || *s == '-');

	if (*p == '\0')
		return -1;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return -1;
	errno = 0;
	*out = strtol(s, NULL, 10);
	return errno == ERANGE ? 1 : 0;
}

static int config_set_number(struct config *cfg, const struct config_item *it,
			     const char *val, const char *path,
			     struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE];
	long v = 0;
	int rc = config_whole(val, &v);

	if (rc < 0)
		return config_bad(err, path, it->section, it->key,
				  "%s is not a whole number (%ld..%ld)",
				  config_quote(q, sizeof q, val), it->min, it->max);
	if (rc > 0 || v < it->min || v > it->max)
		return config_bad(err, path, it->section, it->key,
				  "%s is out of range (%ld..%ld)",
				  config_quote(q, sizeof q, val), it->min, it->max);
	*config_number_field(cfg, it) = (int)v;
	return 0;
}

/* C0 controls and DEL are single bytes; C1 controls (U+0080..U+009F) are
 * 0xC2 0x80..0x9F.  s is already known to be valid UTF-8, so a 0xC2 here
 * is always the start of a character. */
static int config_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return 1;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return 1;
	}
	return 0;
}

static int config_set_name(struct config *cfg, const struct config_item *it,
			   const char *val, const char *path,
			   struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE];
	size_t n = strlen(val);

	/* Only quotes can give a value of spaces; it is as empty as "". */
	if (strspn(val, " ") == n)
		return config_bad(err, path, it->section, it->key,
				  "must not be empty (%ld..%ld bytes)",
				  it->min, it->max);
	if (n > (size_t)it->max)
		return config_bad(err, path, it->section, it->key,
				  "%s is %zu bytes long (%ld..%ld bytes)",
				  config_quote(q, sizeof q, val), n, it->min,
				  it->max);
	if (!text_valid_utf8(val, n))
		return config_bad(err, path, it->section, it->key,
				  "%s is not valid UTF-8",
				  config_quote(q, sizeof q, val));
	if (config_has_control(val))
		return config_bad(err, path, it->section, it->key,
				  "%s contains a control character",
				  config_quote(q, sizeof q, val));
	memcpy(config_text_field(cfg, it), val, n + 1);
	return 0;
}

/* A PostgreSQL hub's address: the scheme, then text without spaces or
 * controls ("" unsets).  libpq judges the rest when it connects. */
static int config_set_url(struct config *cfg, const struct config_item *it,
			  const char *val, const char *path,
			  struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE];
	size_t n = strlen(val);
	if (n == 0) {
		config_text_field(cfg, it)[0] = '\0';
		return 0;
	}
	if (strncmp(val, "postgresql://", 13) != 0 &&
	    strncmp(val, "postgres://", 11) != 0)
		return config_bad(err, path, it->section, it->key,
				  "%s is not a postgresql:// address (a SQLite "
				  "hub is [database] path)",
				  config_quote(q, sizeof q, val));
	if (n > (size_t)it->max || config_has_control(val) || strchr(val, ' '))
		return config_bad(err, path, it->section, it->key,
				  "%s: too long, or a space or control character "
				  "in it", config_quote(q, sizeof q, val));
	memcpy(config_text_field(cfg, it), val, n + 1);
	return 0;
}

/* dir + "/" + rest without doubling a slash; 0 when it does not fit. */
static int config_join(char *buf, size_t len, const char *dir,
		       const char *rest)
{
	size_t n = strlen(dir);
	int w;

	while (n > 0 && dir[n - 1] == '/')
		n--;
	w = snprintf(buf, len, "%.*s/%s", (int)n, dir, rest);
	return w >= 0 && (size_t)w < len;
}

/* "csc, police" -> "csc police": codes as the hub's lookup tables spell
 * them; whether the hub knows them is for the hub to say. */
static int config_set_codes(struct config *cfg, const struct config_item *it,
			    const char *val, const char *path,
			    struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE], *out = config_text_field(cfg, it);
	size_t n = 0;

	for (const char *p = val; *p;) {
		size_t w = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
		if (w == 0 && !strchr(" ,", *p))
			return config_bad(err, path, it->section, it->key,
					  "%s is not a list of codes (like "
					  "\"csc police\")",
					  config_quote(q, sizeof q, val));
		if (w && n + w + 2 > it->size)
			return config_bad(err, path, it->section, it->key,
					  "%s is too long",
					  config_quote(q, sizeof q, val));
		if (w) {
			if (n)
				out[n++] = ' ';
			memcpy(out + n, p, w);
			n += w;
		}
		p += w ? w : 1;
	}
	out[n] = '\0';
	return 0;
}

static int config_set_path(struct config *cfg, const struct config_item *it,
			   const char *val, const char *path,
			   struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE];
	char *field = config_text_field(cfg, it);
	const char *home = getenv("HOME");

	if (val[0] != '~') {
		if (strlen(val) >= it->size)
			return config_bad(err, path, it->section, it->key,
					  "%s is too long", config_quote(q, sizeof q, val));
		memcpy(field, val, strlen(val) + 1);
		return 0;
	}
	/* A shell would also expand ~user; we do not, and say so rather than
	 * open a file literally named "~user/..." in the working directory. */
	if (val[1] != '/')
		return config_bad(err, path, it->section, it->key,
				  "%s: only a leading ~/ is expanded; write the full path",
				  config_quote(q, sizeof q, val));
	if (home == NULL || home[0] == '\0')
		return config_bad(err, path, it->section, it->key,
				  "%s: cannot expand ~/ because $HOME is not set",
				  config_quote(q, sizeof q, val));
	if (!config_join(field, it->size, home, val + 2))
		return config_bad(err, path, it->section, it->key,
				  "%s is too long once ~/ is expanded",
				  config_quote(q, sizeof q, val));
	return 0;
}

static int config_set_theme(struct config *cfg, const struct config_item *it,
			    const char *val, const char *path,
			    struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE], names[64];

	for (size_t i = 0; i < CONFIG_NTHEMES; i++) {
		if (strcasecmp(val, config_themes[i]) == 0) {
			snprintf(config_text_field(cfg, it), it->size, "%s",
				 config_themes[i]);
			return 0;
		}
	}
	return config_bad(err, path, it->section, it->key,
			  "%s is not a theme (%s)", config_quote(q, sizeof q, val),
			  config_list(names, sizeof names, config_themes,
				      CONFIG_NTHEMES));
}

static int config_set_filter(struct config *cfg, const struct config_item *it,
			     const char *val, const char *path,
			     struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE], names[96];

	for (size_t i = 0; i < CONFIG_NFILTERS; i++) {
		if (strcasecmp(val, config_filters[i]) == 0) {
			snprintf(config_text_field(cfg, it), it->size, "%s",
				 config_filters[i]);
			return 0;
		}
	}
	return config_bad(err, path, it->section, it->key,
			  "%s is not a filter (%s)",
			  config_quote(q, sizeof q, val),
			  config_list(names, sizeof names, config_filters,
				      CONFIG_NFILTERS));
}

static int config_set_bool(struct config *cfg, const struct config_item *it,
			   const char *val, const char *path,
			   struct md_error *err)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	char q[CONFIG_QUOTE_SIZE];

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(val, yes[i]) == 0 || strcasecmp(val, no[i]) == 0) {
			*config_number_field(cfg, it) = strcasecmp(val, yes[i]) == 0;
			return 0;
		}
	}
	return config_bad(err, path, it->section, it->key,
			  "%s is not yes or no", config_quote(q, sizeof q, val));
}

/* The working-hours texts: parsed into cfg->work, and kept as written
 * (so a loaded sample compares equal to the defaults). */
static int config_set_clock_text(struct config *cfg,
				 const struct config_item *it, const char *val,
				 const char *path, struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE], bad[64] = "";
	struct clock_work *w = &cfg->work;

	if (strlen(val) >= it->size)
		return config_bad(err, path, it->section, it->key,
				  "%s is too long (at most %zu bytes)",
				  config_quote(q, sizeof q, val), it->size - 1);
	if (it->type == CONFIG_DAYHOURS &&
	    clock_parse_day_hours(val, &w->day_start, &w->day_end))
		return config_bad(err, path, it->section, it->key,
				  "%s is not a range of hours like 09:00-17:00 "
				  "(start before end)",
				  config_quote(q, sizeof q, val));
	if (it->type == CONFIG_WEEKDAYS &&
	    clock_parse_weekdays(val, &w->days, bad, sizeof bad))
		return config_bad(err, path, it->section, it->key,
				  "%s is not a day or range of days (Mon Tue "
				  "Wed Thu Fri Sat Sun, e.g. Mon-Fri)",
				  config_quote(q, sizeof q, bad));
	if (it->type == CONFIG_DATES &&
	    clock_parse_dates(val, w->holidays, CLOCK_MAX_HOLIDAYS,
			      &w->nholidays, bad, sizeof bad))
		return config_bad(err, path, it->section, it->key,
				  "%s is not a date (YYYY-MM-DD), or more than "
				  "%d dates", config_quote(q, sizeof q, bad),
				  CLOCK_MAX_HOLIDAYS);
	memcpy(config_text_field(cfg, it), val, strlen(val) + 1);
	return 0;
}

/* A retention period: "" (or spaces) the key's default, "0" keep for
 * ever, "age25" until the child's 25th birthday, else whole months. */
static int config_set_retain(struct config *cfg, const struct config_item *it,
			     const char *val, const char *path,
			     struct md_error *err)
{
	char q[CONFIG_QUOTE_SIZE];
	long v = 0;
	int rc;

	if (strspn(val, " ") == strlen(val)) {
		*config_number_field(cfg, it) = (int)it->def;
		return 0;
	}
	if (strcasecmp(val, "age25") == 0) {
		*config_number_field(cfg, it) = CONFIG_RETAIN_AGE25;
		return 0;
	}
	rc = config_whole(val, &v);
	if (rc < 0)
		return config_bad(err, path, it->section, it->key,
				  "%s is not a number of months (0..%ld), "
				  "age25 or empty", config_quote(q, sizeof q, val),
				  it->max);
	if (rc > 0 || v < 0 || v > it->max)
		return config_bad(err, path, it->section, it->key,
				  "%s is out of range (0..%ld months, or age25)",
				  config_quote(q, sizeof q, val), it->max);
	*config_number_field(cfg, it) = (int)v;
	return 0;
}

static int config_set_item(struct config *cfg, const struct config_item *it,
			   const char *val, const char *path,
			   struct md_error *err)
{
	switch (it->type) {
	case CONFIG_INT:
		return config_set_number(cfg, it, val, path, err);
	case CONFIG_OPT_INT:
		/* Empty (or only spaces, from quotes): not set. */
		if (strspn(val, " ") == strlen(val)) {
			*config_number_field(cfg, it) = 0;
			return 0;
		}
		return config_set_number(cfg, it, val, path, err);
	case CONFIG_NAME:
		return config_set_name(cfg, it, val, path, err);
	case CONFIG_PATH:
		return config_set_path(cfg, it, val, path, err);
	case CONFIG_URL:
		return config_set_url(cfg, it, val, path, err);
	case CONFIG_THEME:
		return config_set_theme(cfg, it, val, path, err);
	case CONFIG_FILTER:
		return config_set_filter(cfg, it, val, path, err);
	case CONFIG_CODES:
		return config_set_codes(cfg, it, val, path, err);
	case CONFIG_BOOL:
		return config_set_bool(cfg, it, val, path, err);
	case CONFIG_DAYHOURS:
	case CONFIG_WEEKDAYS:
	case CONFIG_DATES:
		return config_set_clock_text(cfg, it, val, path, err);
	case CONFIG_RETAIN:
		return config_set_retain(cfg, it, val, path, err);
	}
	return config_bad(err, path, it->section, it->key, "internal: bad type");
}

/* One [keys] entry: action = key[, key...]. */
static int config_add_key(struct config *cfg, const char *action,
			  const char *spec, config_key_check_fn check,
			  const char *path, struct md_error *err)
{
	struct config_key *k = &cfg->keys[cfg->nkeys];
	char q[CONFIG_QUOTE_SIZE], why[160] = "";

	if (cfg->nkeys >= CONFIG_MAX_KEYS)
		return config_bad(err, path, "keys", action,
				  "too many entries (at most %d)", CONFIG_MAX_KEYS);
	if (strlen(action) >= sizeof k->action)
		return config_bad(err, path, "keys", action,
				  "action name too long (at most %zu bytes)",
				  sizeof k->action - 1);
	if (spec[0] == '\0')
		return config_bad(err, path, "keys", action, "no key given");
	if (strlen(spec) >= sizeof k->keys)
		return config_bad(err, path, "keys", action,
				  "%s is too long (at most %zu bytes)",
				  config_quote(q, sizeof q, spec), sizeof k->keys - 1);
	if (check && check(action, spec, why, sizeof why) != 0) {
		why[sizeof why - 1] = '\0';
		return config_bad(err, path, "keys", action, "%s: %s",
				  config_quote(q, sizeof q, spec),
				  why[0] ? why : "refused");
	}
	memcpy(k->action, action, strlen(action) + 1);
	memcpy(k->keys, spec, strlen(spec) + 1);
	cfg->nkeys++;
	return 0;
}

/* ---- the dictionary -------------------------------------------------- */

static int config_section_known(const char *name, size_t len)
{
	for (size_t i = 0; i < CONFIG_NSECTIONS; i++)
		if (strlen(config_sections[i]) == len &&
		    memcmp(config_sections[i], name, len) == 0)
			return 1;
	return 0;
}

static int config_unknown_section(const char *name, size_t len,
				  const char *path, struct md_error *err)
{
	char names[128];

	return config_fail(err, EX_CONFIG,
			   "%s: unknown section [%.*s] (known: %s)", path,
			   (int)len, name,
			   config_list(names, sizeof names, config_sections,
				       CONFIG_NSECTIONS));
}

/* The sections a user's own file may set when mashdesk runs setgid
 * (config_load_split): how the desk looks and its keys. */
static int config_user_section(const char *section)
{
	return strcmp(section, "ui") == 0 || strcmp(section, "keys") == 0;
}

/* One "section:key" entry with its value.  system is NULL for a file that
 * may set anything, else the system file's name, for the message about a
 * key a user's file may not set. */
static int config_apply_value(struct config *cfg, const char *entry,
			      const char *val, const char *path,
			      config_key_check_fn check, const char *system,
			      struct md_error *err)
{
	const char *colon = strchr(entry, ':');
	char section[16], names[256];
	size_t seclen;

	if (colon == NULL || colon == entry)
		return config_fail(err, EX_CONFIG,
				   "%s: %s: key outside any section (put it under [hub], [database], ...)",
				   path, colon ? colon + 1 : entry);
	seclen = (size_t)(colon - entry);
	if (!config_section_known(entry, seclen))
		return config_unknown_section(entry, seclen, path, err);
	memcpy(section, entry, seclen);     /* known, so it fits */
	section[seclen] = '\0';
	if (system && !config_user_section(section))
		return config_bad(err, path, section, colon + 1, "belongs in the "
				  "system configuration (%s): your own file may "
				  "set only [ui] and [keys]", system);
	if (strcmp(section, "keys") == 0)
		return config_add_key(cfg, colon + 1, val, check, path, err);
	for (size_t i = 0; i < CONFIG_NITEMS; i++)
		if (strcmp(config_items[i].section, section) == 0 &&
		    strcmp(config_items[i].key, colon + 1) == 0)
			return config_set_item(cfg, &config_items[i], val, path,
					       err);
	return config_bad(err, path, section, colon + 1, "unknown key (known: %s)",
			  config_section_keys(names, sizeof names, section));
}

/* Rules between keys, checked once every key has its final value. */
static int config_check_together(const struct config *cfg, const char *path,
				 struct md_error *err)
{
	/* A holder that renews its lease no more often than the lease lasts
	 * would lose it between two heartbeats. */
	if (cfg->heartbeat_seconds >= cfg->lease_seconds)
		return config_bad(err, path, "locking", "heartbeat_seconds",
				  "%d must be smaller than lease_seconds (%d)",
				  cfg->heartbeat_seconds, cfg->lease_seconds);
	/* One hub: a file (SQLite) or an address (PostgreSQL), not both. */
	if (cfg->db_path[0] && cfg->db_url[0])
		return config_bad(err, path, "database", "url", "and path are both "
				  "set: a hub is a SQLite file (path) or a "
				  "PostgreSQL database (url); keep one");
	return 0;
}

/* Entries come in file order (iniparser appends), so the first bad line
 * of the file is the one reported.  A NULL value marks a [section] line. */
static int config_apply(struct config *cfg, const dictionary *d,
			const char *path, config_key_check_fn check,
			const char *system, struct md_error *err)
{
	for (ssize_t i = 0; i < d->size; i++) {
		const char *entry = d->key[i];
		int rc;

		if (entry == NULL)
			continue;
		if (d->val[i] == NULL)
			rc = config_section_known(entry, strlen(entry)) ? 0 :
			     config_unknown_section(entry, strlen(entry), path, err);
		else
			rc = config_apply_value(cfg, entry, d->val[i], path, check,
						system, err);
		if (rc)
			return rc;
	}
	return config_check_together(cfg, path, err);
}

/* ---- iniparser's own complaints -------------------------------------- */

/* iniparser reports through one global callback without a user pointer,
 * so the first message of a load is kept here (per thread) and turned into
 * ours afterwards; iniparser itself then prints nothing. */
static _Thread_local char config_parser_msg[8192];

__attribute__((format(printf, 1, 2)))
static int config_parser_error(const char *fmt, ...)
{
	va_list ap;

	/* Keep the first: later ones are often its consequences. */
	if (config_parser_msg[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(config_parser_msg, sizeof config_parser_msg, fmt, ap);
	va_end(ap);
	if (config_parser_msg[0] == '\0')
		snprintf(config_parser_msg, sizeof config_parser_msg, "error");
	return 0;
}

/* What iniparser saw on physical line `lineno`: the [section] it is in (""
 * before the first), and whether the line holds a NUL byte (which
 * iniparser reports as "line too long", as its fgets() loop stops there). */
static void config_scan_to(const char *path, long lineno, char *section,
			   size_t seclen, int *has_nul)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int cont = 0;

	section[0] = '\0';
	*has_nul = 0;
	for (long no = 1; f && (n = getline(&line, &cap, f)) >= 0; no++) {
		size_t len = strlen(line), start = strspn(line, " \t");

		if (no == lineno) {
			*has_nul = len < (size_t)n;
			break;
		}
		while (len > start && strchr(" \t\r\n", line[len - 1]))
			len--;
		if (!cont && len > start + 1 && line[start] == '[' &&
		    line[len - 1] == ']') {
			snprintf(section, seclen, "%.*s", (int)(len - start - 2),
				 line + start + 1);
			for (char *p = section; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
		}
		cont = len > start && line[len - 1] == '\\';
	}
	free(line);
	if (f)
		fclose(f);
}

/* The words for what iniparser found wrong with a line, and a hint. */
static const char *config_parser_what(char *buf, size_t len, const char *what,
				      size_t whatlen, int has_nul)
{
	snprintf(buf, len, "%.*s", (int)whatlen, what);
	if (has_nul)
		snprintf(buf, len, "the line holds a NUL byte");
	else if (strcmp(buf, "input line too long") == 0)
		snprintf(buf, len, "line too long (at most %d bytes)",
			 CONFIG_LINE_MAX);
	else if (strcmp(buf, "syntax error") == 0)
		return " (expected [section], key = value, or a # comment)";
	return "";
}

/* iniparser 4.1 writes "iniparser: WHAT in FILE (LINE)" and, for a syntax
 * error, ":\n-> TEXT".  Turn that into "FILE:LINE: [section] WHAT: TEXT".
 * Anything not of that shape is passed on as it is. */
static int config_parser_failure(const char *path, struct md_error *err)
{
	const char *m = config_parser_msg, *in, *text, *hint;
	char section[128], what[96], line[1100], q[CONFIG_QUOTE_SIZE + 2];
	char *end;
	size_t plen = strlen(path);
	long lineno;
	int has_nul;

	if (m[0] == '\0' || strstr(m, "memory allocation"))
		return config_fail(err, EX_OSERR, "%s: out of memory while reading",
				   path);
	if (strncmp(m, "iniparser: ", 11) == 0)
		m += 11;
	in = strstr(m, " in ");
	if (in == NULL || strncmp(in + 4, path, plen) != 0 ||
	    strncmp(in + 4 + plen, " (", 2) != 0)
		return config_fail(err, EX_CONFIG, "%s: %s", path, m);
	lineno = strtol(in + 6 + plen, &end, 10);
	config_scan_to(path, lineno, section, sizeof section, &has_nul);
	hint = config_parser_what(what, sizeof what, m, (size_t)(in - m),
				  has_nul);
	q[0] = '\0';
	text = strstr(end, "\n-> ");
	if (text && !has_nul) {
		text += 4 + strspn(text + 4, " \t");
		snprintf(line, sizeof line, "%s", text);
		line[strcspn(line, "\n")] = '\0';
		q[0] = ':';
		q[1] = ' ';
		config_quote(q + 2, sizeof q - 2, line);
	}
	return config_fail(err, EX_CONFIG, "%s:%ld: %s%s%s%s%s%s", path, lineno,
			   section[0] ? "[" : "", section, section[0] ? "] " : "",
			   what, q, hint);
}

/* Returns the parsed file, or NULL with *rc and err set. */
static dictionary *config_parse(const char *path, int *rc,
				struct md_error *err)
{
	dictionary *d;

	config_parser_msg[0] = '\0';
	iniparser_set_error_callback(config_parser_error);
	d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	/* After a memory failure mid-file iniparser 4.1 still returns what it
	 * had read so far: any complaint at all means the file is not used. */
	if (d && config_parser_msg[0] == '\0')
		return d;
	if (d)
		iniparser_freedict(d);
	*rc = config_parser_failure(path, err);
	return NULL;
}

/* ---- finding and reading the file ------------------------------------ */

/* Opens path only to learn whether, and why not, it can be read, since
 * iniparser would say no more than "cannot open" (and would read a
 * directory as an empty file).  origin says who named the file, for the
 * message.  With skip_absent, a file that is not there is CONFIG_ABSENT. */
static int config_readable(const char *path, const char *origin,
			   int skip_absent, struct md_error *err)
{
	char from[48] = "";
	struct stat st;
	int fd, e;

	if (origin)
		snprintf(from, sizeof from, " (named by %s)", origin);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (skip_absent && (e == ENOENT || e == ENOTDIR))
			return CONFIG_ABSENT;
		return config_fail(err, EX_NOINPUT, "%s%s: cannot read: %s", path,
				   from, strerror(e));
	}
	e = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	close(fd);
	if (e)
		return config_fail(err, EX_NOINPUT, "%s%s: cannot read: %s", path,
				   from, strerror(EISDIR));
	return 0;
}

static int config_read_as_user(struct config *cfg, const char *path,
			       const char *origin, int skip_absent,
			       config_key_check_fn check,
			       const struct config *base, const char *system,
			       struct md_error *err)
{
	dictionary *d;
	int rc;

	if (strlen(path) >= sizeof cfg->source)
		return config_fail(err, EX_NOINPUT, "%.200s...: cannot read: %s",
				   path, strerror(ENAMETOOLONG));
	rc = config_readable(path, origin, skip_absent, err);
	if (rc)
		return rc;
	d = config_parse(path, &rc, err);
	if (d == NULL)
		return rc;
	if (base)
		*cfg = *base;
	rc = config_apply(cfg, d, path, check, system, err);
	iniparser_freedict(d);
	if (rc)
		return rc;
	memcpy(cfg->source, path, strlen(path) + 1);
	return 0;
}

/* config_load_file() plus what config_load() and config_load_split() need
 * to say: who named the file, whether a missing file is merely skipped
 * (CONFIG_ABSENT), what it is read over (base; NULL = the defaults) and,
 * for a user's file under setgid, the system file that alone may set the
 * rest (system).  Read with the user's own rights (privilege.h).  On any
 * failure cfg holds the defaults. */
static int config_read(struct config *cfg, const char *path, const char *origin,
		       int skip_absent, config_key_check_fn check,
		       const struct config *base, const char *system,
		       struct md_error *err)
{
	int rc;

	md_clear(err);
	config_defaults(cfg);
	if (user_files_begin() != 0)
		return config_fail(err, EX_OSERR, "%s: cannot read with your own "
				   "rights: %s", path, strerror(errno));
	rc = config_read_as_user(cfg, path, origin, skip_absent, check, base,
				 system, err);
	user_files_end();
	if (rc)
		config_defaults(cfg);
	return rc;
}

/* $XDG_CONFIG_HOME/mashdesk/mashdesk.ini, else ~/.config/...; 0 if there
 * is no such place (no usable variable) or the name would not fit. */
static int config_user_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	/* The XDG spec: a relative value is invalid and must be ignored. */
	if (xdg && xdg[0] == '/')
		return config_join(buf, len, xdg, CONFIG_FILE_NAME);
	if (home && home[0] != '\0')
		return config_join(buf, len, home, ".config/" CONFIG_FILE_NAME);
	return 0;
}

/* ---- the interface ---------------------------------------------------- */

void config_defaults(struct config *cfg)
{
	/* Zeroed first so that two default configurations compare equal
	 * byte for byte, padding and string tails included. */
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < CONFIG_NITEMS; i++) {
		const struct config_item *it = &config_items[i];

		if (it->type == CONFIG_INT || it->type == CONFIG_OPT_INT ||
		    it->type == CONFIG_BOOL || it->type == CONFIG_RETAIN)
			*config_number_field(cfg, it) = (int)it->def;
		else if (it->type == CONFIG_DAYHOURS || it->type == CONFIG_WEEKDAYS ||
			 it->type == CONFIG_DATES)
			config_set_clock_text(cfg, it, it->def_text, "", NULL);
		else
			snprintf(config_text_field(cfg, it), it->size, "%s",
				 it->def_text);
	}
}

int config_load_file(struct config *cfg, const char *path,
		     config_key_check_fn check, struct md_error *err)
{
	return config_read(cfg, path, NULL, 0, check, NULL, NULL, err);
}

int config_load(struct config *cfg, const char *explicit_path,
		const char *sysconfdir, config_key_check_fn check,
		struct md_error *err)
{
	const char *env = getenv("MASHDESK_CONFIG");
	char path[PATH_MAX];
	int rc;

	if (explicit_path)
		return config_read(cfg, explicit_path, "--config", 0, check, NULL,
				   NULL, err);
	/* An empty variable is taken as unset, as shells make it easy to
	 * "unset" one by assigning nothing. */
	if (env && env[0] != '\0')
		return config_read(cfg, env, "$MASHDESK_CONFIG", 0, check, NULL,
				   NULL, err);
	if (config_user_path(path, sizeof path)) {
		rc = config_read(cfg, path, NULL, 1, check, NULL, NULL, err);
		if (rc != CONFIG_ABSENT)
			return rc;
	}
	if (sysconfdir && sysconfdir[0] != '\0' &&
	    config_join(path, sizeof path, sysconfdir, CONFIG_FILE_NAME)) {
		rc = config_read(cfg, path, NULL, 1, check, NULL, NULL, err);
		if (rc != CONFIG_ABSENT)
			return rc;
	}
	md_clear(err);
	config_defaults(cfg);
	return 0;
}

int config_load_split(struct config *cfg, const char *explicit_path,
		      const char *sysconfdir, config_key_check_fn check,
		      struct md_error *err)
{
	const char *env = getenv("MASHDESK_CONFIG"), *path = NULL, *origin = NULL;
	char system[PATH_MAX] = "", user[PATH_MAX];
	struct config base;
	int rc = CONFIG_ABSENT, skip = 0;

	if (sysconfdir && sysconfdir[0] != '\0' &&
	    config_join(system, sizeof system, sysconfdir, CONFIG_FILE_NAME))
		rc = config_read(&base, system, NULL, 1, check, NULL, NULL, err);
	if (rc == CONFIG_ABSENT)
		config_defaults(&base);
	else if (rc) {
		*cfg = base;   /* the defaults */
		return rc;
	}
	if (explicit_path) {
		path = explicit_path;
		origin = "--config";
	} else if (env && env[0] != '\0') {
		path = env;
		origin = "$MASHDESK_CONFIG";
	} else if (config_user_path(user, sizeof user)) {
		path = user;
		skip = 1;
	}
	md_clear(err);
	*cfg = base;
	if (!path)
		return 0;
	rc = config_read(cfg, path, origin, skip, check, &base,
			 system[0] ? system : "the system's mashdesk.ini", err);
	if (rc == CONFIG_ABSENT) {
		md_clear(err);
		*cfg = base;
		return 0;
	}
	return rc;
}

int config_check_hours(const struct config *cfg, const char *rag)
{
	if (rag && strcasecmp(rag, "red") == 0)
		return cfg->check_red_hours;
	if (rag && strcasecmp(rag, "amber") == 0)
		return cfg->check_amber_hours;
	return cfg->check_green_hours;
}

int config_decision_hours(const struct config *cfg, const char *rag)
{
	int hours = 0;

	if (rag && strcasecmp(rag, "red") == 0)
		hours = cfg->decision_red_hours;
	else if (rag && strcasecmp(rag, "amber") == 0)
		hours = cfg->decision_amber_hours;
	else if (rag && strcasecmp(rag, "green") == 0)
		hours = cfg->decision_green_hours;
	return hours > 0 ? hours : cfg->decision_hours;
}
