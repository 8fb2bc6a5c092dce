/* actions.c - the one table of actions, key specs and bindings.
 *
 * The table itself is ACTION_LIST in actions.h; this file turns it into
 * arrays, parses and prints key specs, holds the current bindings (the
 * defaults with the INI [keys] overrides applied) and generates the key bar
 * and help texts.  Only curses' KEY_* constants are used, never a curses
 * function, so all of it runs in unit tests without a terminal.  The
 * table's last column, the screen an action opens, is src/desk.c's alone. */
#include "mashdesk/actions.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mashdesk/desk.h"
#include "mashdesk/text.h"

struct action_def {
	const char *name, *keys, *label, *help;
	unsigned screens, bar;
};

static const struct action_def action_defs[ACTION_COUNT] = {
	[ACTION_NONE] = { "", "", "", "", SCREEN_NONE, SCREEN_NONE },
#define ACTION_DEF(id, name, keys, label, help, on, bar, opens) \
	[ACTION_##id] = { name, keys, label, help, on, bar },
	ACTION_LIST(ACTION_DEF)
#undef ACTION_DEF
};

/* Current bindings; filled by action_bind_defaults (or lazily). */
static int bindings[ACTION_COUNT][ACTION_MAX_KEYS];
static int nbindings[ACTION_COUNT];
static int bindings_ready;

/* Named keys, canonical spelling first; later rows with the same key are
 * accepted aliases. */
static const struct { const char *name; int key; } key_names[] = {
	{ "Enter", ACTION_KEY_ENTER }, { "Esc", ACTION_KEY_ESC },
	{ "Tab", ACTION_KEY_TAB }, { "BTab", ACTION_KEY_FN(KEY_BTAB) },
	{ "Space", ' ' }, { "Comma", ',' },
	{ "Up", ACTION_KEY_FN(KEY_UP) }, { "Down", ACTION_KEY_FN(KEY_DOWN) },
	{ "Left", ACTION_KEY_FN(KEY_LEFT) }, { "Right", ACTION_KEY_FN(KEY_RIGHT) },
	{ "PgUp", ACTION_KEY_FN(KEY_PPAGE) }, { "PgDn", ACTION_KEY_FN(KEY_NPAGE) },
	{ "Home", ACTION_KEY_FN(KEY_HOME) }, { "End", ACTION_KEY_FN(KEY_END) },
	{ "Backspace", ACTION_KEY_FN(KEY_BACKSPACE) },
	{ "Del", ACTION_KEY_FN(KEY_DC) }, { "Ins", ACTION_KEY_FN(KEY_IC) },
	/* aliases */
	{ "Return", ACTION_KEY_ENTER }, { "Escape", ACTION_KEY_ESC },
	{ "Shift-Tab", ACTION_KEY_FN(KEY_BTAB) },
	{ "PageUp", ACTION_KEY_FN(KEY_PPAGE) },
	{ "PageDown", ACTION_KEY_FN(KEY_NPAGE) },
	{ "BS", ACTION_KEY_FN(KEY_BACKSPACE) }, { "Delete", ACTION_KEY_FN(KEY_DC) },
};
#define NKEY_NAMES (sizeof key_names / sizeof key_names[0])

/* ---- the table ---------------------------------------------------------- */

static const struct action_def *action_def(enum action a)
{
	if ((int)a <= 0 || a >= ACTION_COUNT)
		return &action_defs[ACTION_NONE];
	return &action_defs[a];
}

const char *action_name(enum action a) { return action_def(a)->name; }
const char *action_label(enum action a) { return action_def(a)->label; }
const char *action_help(enum action a) { return action_def(a)->help; }
unsigned action_screens(enum action a) { return action_def(a)->screens; }

enum action action_from_name(const char *name)
{
	for (int a = 1; name && a < ACTION_COUNT; a++)
		if (strcmp(action_defs[a].name, name) == 0)
			return (enum action)a;
	return ACTION_NONE;
}

/* ---- key specs ---------------------------------------------------------- */

int action_key_normalise(int key)
{
	if (key == ACTION_KEY_FN(KEY_ENTER))
		return ACTION_KEY_ENTER;
	if (key == 0x08 || key == 0x7F)
		return ACTION_KEY_FN(KEY_BACKSPACE);
	return key;
}

/* Decode exactly one UTF-8 code point making up all of s; -1 otherwise. */
static int utf8_single(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n, cp;

	if (p[0] == 0)
		return -1;
	if (p[0] < 0x80)
		n = 1, cp = p[0];
	else if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, cp = p[0] & 0x07;
	else
		return -1;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (p[n] != '\0' || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return -1;
	return cp;
}

static size_t utf8_encode(int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Control keys the terminal itself takes (with cbreak, as the desk runs)
 * never reach the program, so binding them would be a lie. */
static const char *key_refusal(int key)
{
	switch (key) {
	case 0x13: return "Ctrl-S is flow control (it freezes the terminal)";
	case 0x11: return "Ctrl-Q is flow control (it unfreezes the terminal)";
	case 0x03: return "Ctrl-C is the terminal's interrupt key";
	case 0x1A: return "Ctrl-Z is the terminal's suspend key";
	case 0x1C: return "Ctrl-\\ is the terminal's quit key";
	case 0x00: return "Ctrl-@ (NUL) cannot be bound";
	default: return NULL;
	}
}

/* "^K", "Ctrl-K", "C-k" -> 0x0B; -1 when s is not a control spelling. */
static int key_parse_ctrl(const char *s)
{
	char c;

	if (s[0] == '^' && s[1] && !s[2])
		c = s[1];
	else if (!strncasecmp(s, "Ctrl-", 5) && s[5] && !s[6])
		c = s[5];
	else if (!strncasecmp(s, "C-", 2) && s[2] && !s[3])
		c = s[2];
	else
		return -1;
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == '?')
		return 0x7F;
	if (c >= '@' && c <= '_')
		return c & 0x1F;
	return -1;
}

/* "F1".."F12" -> the curses function key; -1 otherwise. */
static int key_parse_fn(const char *s)
{
	int n = 0;

	if ((s[0] != 'F' && s[0] != 'f') || !s[1])
		return -1;
	for (const char *p = s + 1; *p; p++) {
		if (*p < '0' || *p > '9' || n > 12)
			return -1;
		n = n * 10 + (*p - '0');
	}
	return (n >= 1 && n <= 12) ? ACTION_KEY_FN(KEY_F(n)) : -1;
}

static int key_parse_raw(const char *s)
{
	int k;

	for (size_t i = 0; i < NKEY_NAMES; i++)
		if (strcasecmp(s, key_names[i].name) == 0)
			return key_names[i].key;
	if ((k = key_parse_ctrl(s)) >= 0 || (k = key_parse_fn(s)) >= 0)
		return k;
	k = utf8_single(s);
	if (k < 0x20 || k == 0x7F || (k >= 0x80 && k <= 0x9F))
		return -1;      /* not one printable character (or bad UTF-8) */
	return k;
}

int action_key_parse(const char *spec, int *key, char *why, size_t whylen)
{
	char buf[64];
	size_t n;
	const char *refusal;
	int k;

	if (!spec)
		spec = "";
	while (*spec == ' ' || *spec == '\t')
		spec++;
	n = strlen(spec);
	while (n && (spec[n - 1] == ' ' || spec[n - 1] == '\t'))
		n--;
	/* The sample INI tells people to quote "#" and ";". */
	if (n >= 3 && spec[0] == '"' && spec[n - 1] == '"')
		spec++, n -= 2;
	if (n == 0 || n >= sizeof buf) {
		snprintf(why, whylen, n ? "key name too long" : "no key given");
		return -1;
	}
	memcpy(buf, spec, n);
	buf[n] = '\0';
	k = key_parse_raw(buf);
	if (k < 0) {
		snprintf(why, whylen, "unknown key \"%.32s\" (a character, ^X, "
			 "or Enter Esc Tab BTab Up Down PgUp PgDn Home End "
			 "Space)", buf);
		return -1;
	}
	k = action_key_normalise(k);
	if ((refusal = key_refusal(k)) != NULL) {
		snprintf(why, whylen, "%s", refusal);
		return -1;
	}
	*key = k;
	return 0;
}

/* Parse "k, Up" into keys[] (at most max).  Returns 0 or -1 with why. */
static int action_keys_parse(const char *list, int *keys, int max, int *n,
			     char *why, size_t whylen)
{
	char item[64];

	*n = 0;
	if (!list)
		list = "";
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		int k;

		if (len >= sizeof item) {
			snprintf(why, whylen, "key name too long");
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		if (action_key_parse(item, &k, why, whylen) != 0)
			return -1;
		if (*n >= max) {
			snprintf(why, whylen, "at most %d keys per action", max);
			return -1;
		}
		keys[(*n)++] = k;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

size_t action_key_char(int key, char out[5])
{
	size_t n = 0;

	if (!ACTION_KEY_IS_FN(key) && key >= 0x20 && key != 0x7F &&
	    !(key >= 0x80 && key <= 0x9F) && key <= 0x10FFFF &&
	    !(key >= 0xD800 && key <= 0xDFFF))
		n = utf8_encode(key, out);
	out[n] = '\0';
	return n;
}

void action_key_format(int key, char *buf, size_t len)
{
	char u[5];
	size_t n;

	if (!len)
		return;
	key = action_key_normalise(key);
	for (size_t i = 0; i < NKEY_NAMES; i++)
		if (key_names[i].key == key) {
			snprintf(buf, len, "%s", key_names[i].name);
			return;
		}
	if (ACTION_KEY_IS_FN(key)) {
		int code = key & ~ACTION_KEY_FN_BIT;
		if (code >= KEY_F(1) && code <= KEY_F(12))
			snprintf(buf, len, "F%d", code - KEY_F0);
		else
			snprintf(buf, len, "<key %#o>", code);
	} else if (key < 0x20) {
		snprintf(buf, len, "^%c", key + 0x40);
	} else if (key < 0 || key > 0x10FFFF) {
		snprintf(buf, len, "<bad key>");
	} else {
		n = utf8_encode(key, u);
		u[n] = '\0';
		snprintf(buf, len, "%s", u);
	}
}

/* ---- bindings ------------------------------------------------------------- */

void action_bind_defaults(void)
{
	char why[128];

	for (int a = 1; a < ACTION_COUNT; a++)
		/* The defaults are in the source: a bad one is a programming
		 * error that the unit tests catch; it just stays unbound. */
		if (action_keys_parse(action_defs[a].keys, bindings[a],
				      ACTION_MAX_KEYS, &nbindings[a], why,
				      sizeof why) != 0)
			nbindings[a] = 0;
	bindings_ready = 1;
}

static void bindings_need(void)
{
	if (!bindings_ready)
		action_bind_defaults();
}

/* Take key away from every other action sharing a screen with a. */
static void binding_steal(enum action a, int key)
{
	for (int b = 1; b < ACTION_COUNT; b++) {
		int o = 0;

		if (b == (int)a || !(action_defs[b].screens & action_defs[a].screens))
			continue;
		for (int i = 0; i < nbindings[b]; i++)
			if (bindings[b][i] != key)
				bindings[b][o++] = bindings[b][i];
		nbindings[b] = o;
	}
}

int action_bind(const char *name, const char *list, char *why, size_t whylen)
{
	enum action a = action_from_name(name);
	int keys[ACTION_MAX_KEYS], n;

	bindings_need();
	if (a == ACTION_NONE) {
		snprintf(why, whylen, "unknown action \"%.32s\"", name ? name : "");
		return -1;
	}
	if (action_keys_parse(list, keys, ACTION_MAX_KEYS, &n, why, whylen))
		return -1;
	for (int i = 0; i < n; i++)
		binding_steal(a, keys[i]);
	memcpy(bindings[a], keys, sizeof keys);
	nbindings[a] = n;
	return 0;
}

enum action action_for_key(int key, unsigned screen)
{
	bindings_need();
	key = action_key_normalise(key);
	for (int a = 1; a < ACTION_COUNT; a++) {
		if (!(action_defs[a].screens & screen))
			continue;
		for (int i = 0; i < nbindings[a]; i++)
			if (bindings[a][i] == key)
				return (enum action)a;
	}
	return ACTION_NONE;
}

void action_keys_text(enum action a, int first_only, char *buf, size_t len)
{
	char one[ACTION_KEY_NAME_MAX];
	size_t used = 0;

	bindings_need();
	if (!len)
		return;
	buf[0] = '\0';
	if ((int)a <= 0 || a >= ACTION_COUNT)
		return;
	if (first_only && nbindings[a] > 0) {
		int pick = bindings[a][0];
		for (int i = nbindings[a] - 1; i >= 0; i--)
			if (!ACTION_KEY_IS_FN(bindings[a][i]))
				pick = bindings[a][i];
		action_key_format(pick, buf, len);
		return;
	}
	for (int i = 0; i < nbindings[a] && used < len; i++) {
		action_key_format(bindings[a][i], one, sizeof one);
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", one);
	}
}

/* ---- generated texts ------------------------------------------------------ */

/* Append "key label" (with two spaces before it unless first) when it fits
 * within cols columns; returns 1 when appended. */
static int keybar_add(enum action a, int cols, char *buf, size_t len,
		      size_t *used, int *width, struct action_span *span)
{
	char key[ACTION_KEY_NAME_MAX], item[64];
	const char *sep = *used ? "  " : "";
	int w;

	action_keys_text(a, 1, key, sizeof key);
	if (!key[0])
		return 0;
	snprintf(item, sizeof item, "%s%s %s", sep, key, action_label(a));
	w = text_width(item);
	if (*width + w > cols || *used + strlen(item) >= len)
		return 0;
	if (span) {
		span->off = *used + strlen(sep);
		span->len = strlen(key);
	}
	memcpy(buf + *used, item, strlen(item) + 1);
	*used += strlen(item);
	*width += w;
	return 1;
}

int action_keybar(unsigned screen, int cols, char *buf, size_t len,
		  struct action_span *spans, int maxspans,
		  int (*shows)(enum action a, void *arg), void *arg)
{
	char help[ACTION_KEY_NAME_MAX + 16];
	size_t used = 0;
	int width = 0, n = 0, help_w = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	action_keys_text(ACTION_HELP, 1, help, sizeof help);
	if (help[0] && (action_defs[ACTION_HELP].bar & screen))
		help_w = 2 + text_width(help) + 1 +
			 text_width(action_label(ACTION_HELP));
	for (int a = 1; a < ACTION_COUNT; a++) {
		if (a == ACTION_HELP || !(action_defs[a].bar & screen) ||
		    (shows && !shows((enum action)a, arg)))
			continue;
		if (keybar_add((enum action)a, cols - help_w, buf, len, &used,
			       &width, n < maxspans && spans ? &spans[n] : NULL))
			n++;
	}
	if (help_w && keybar_add(ACTION_HELP, cols, buf, len, &used, &width,
				 n < maxspans && spans ? &spans[n] : NULL))
		n++;
	return n < maxspans || !spans ? n : maxspans;
}

/* The i-th action (from 0) that works on this screen kind. */
static enum action help_nth(unsigned screen, int i)
{
	for (int a = 1; a < ACTION_COUNT; a++)
		if ((action_defs[a].screens & screen) && i-- == 0)
			return (enum action)a;
	return ACTION_NONE;
}

int action_help_line(unsigned screen, int i, char *buf, size_t len)
{
	char keys[ACTION_KEYS_TEXT_MAX], col[ACTION_KEYS_TEXT_MAX + 8];
	enum action a = help_nth(screen, i);

	if (a == ACTION_NONE || !len)
		return 0;
	action_keys_text(a, 0, keys, sizeof keys);
	/* A key an earlier action takes on this screen (Space marks on the
	 * queue, so does not page there) is not this action's here. */
	keys[0] = '\0';
	for (int k = 0, used = 0; k < nbindings[a]; k++) {
		char one[ACTION_KEY_NAME_MAX];
		if (action_for_key(bindings[a][k], screen) != a)
			continue;
		action_key_format(bindings[a][k], one, sizeof one);
		used += snprintf(keys + used, sizeof keys - (size_t)used, "%s%s",
				 used ? ", " : "", one);
		if ((size_t)used >= sizeof keys)
			break;
	}
	/* Pad the keys to one column so the sentences line up; text_fit pads
	 * by display width, which is right for a key like "é". */
	text_fit(col, sizeof col, keys[0] ? keys : "(unbound)", 16, 1, 1);
	snprintf(buf, len, "  %s %s  [%s]", col, action_help(a), action_name(a));
	return 1;
}

/* ---- the [keys] validator (desk.h) ------------------------------------- */

int desk_check_key(const char *action, const char *spec, char *why,
		   size_t whylen)
{
	int keys[ACTION_MAX_KEYS], n;

	if (action_from_name(action) == ACTION_NONE) {
		char names[512];
		size_t used = 0;
		for (int a = 1; a < ACTION_COUNT && used < sizeof names; a++)
			used += (size_t)snprintf(names + used, sizeof names - used,
						 "%s%s", a > 1 ? " " : "",
						 action_defs[a].name);
		snprintf(why, whylen, "unknown action (known: %s)", names);
		return -1;
	}
	return action_keys_parse(spec, keys, ACTION_MAX_KEYS, &n, why, whylen)
		? -1 : 0;
}
