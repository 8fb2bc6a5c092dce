/* scenario.c - reading practice scenario files (see scenario.h and
 * mashdesk-scenario(5)).
 *
 * iniparser does the lexing.  Like config.c we walk its dictionary entries
 * directly: section headers with colons ("[referral:r1]") are not counted
 * as sections by its section queries, and only by seeing every entry can we
 * refuse every unknown section and key.  iniparser silently merges a
 * section that appears twice, so the file is also scanned line by line
 * first: that finds duplicates and the line each section starts on.
 * What the fields mean (offsets, codes, a referral's fields) is in
 * scenario_fields.c. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* getline(), strdup() */
#endif
#include "scenario_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "mashdesk/clock.h"
#include "mashdesk/privilege.h"
#include "mashdesk/text.h"

static const char *const kind_names[SCEN_NKINDS] = {
	"user", "referral", "history", "knows", "expect"
};

static const char *const scenario_keys[] = {
	"name", "description", "duration", "trainer", NULL };
static const char *const kind_keys[SCEN_NKINDS][8] = {
	[SCEN_USER] = { "name", "agency", "role", NULL },
	[SCEN_REFERRAL] = { "arrives", NULL },
	[SCEN_HISTORY] = { "ago", "outcome", "decided", "rationale", NULL },
	[SCEN_KNOWS] = { "info", "basis", "handling", "status", NULL },
	[SCEN_EXPECT] = { "rag", "level", "outcome", "rationale", "within", NULL },
};

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* ---- the raw scan: section lines and duplicates --------------------------- */

struct scan {
	char (*names)[160];
	int *lines;
	int n, cap;
	/* the current section's keys, to refuse one given twice (iniparser
	 * would keep the last without a word) */
	char keys[128][64];
	int keylines[128];
	int nkeys;
};

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int scan_key(const char *path, int no, const char *text, size_t len,
		    struct scan *sc, struct md_error *err)
{
	if (len == 0 || *text == '#' || *text == ';')
		return 0;
	const char *eq = memchr(text, '=', len);
	if (!eq)
		return 0;   /* iniparser reports the syntax error */
	size_t kl = (size_t)(eq - text);
	while (kl && strchr(" \t", text[kl - 1]))
		kl--;
	if (kl == 0 || kl >= sizeof sc->keys[0])
		return 0;
	char key[64];
	snprintf(key, sizeof key, "%.*s", (int)kl, text);
	lower(key);
	for (int i = 0; i < sc->nkeys; i++)
		if (!strcmp(sc->keys[i], key)) {
			char q[200], qs[200];
			return md_fail(err, EX_DATAERR, "%s:%d: [%s] %s: given twice "
				       "in the section (first at line %d)", path, no,
				       scenario_quote(qs, sizeof qs, sc->n ? sc->names[sc->n - 1]
					     : ""), scenario_quote(q, sizeof q, key),
				       sc->keylines[i]);
		}
	if (sc->nkeys < 128) {
		memcpy(sc->keys[sc->nkeys], key, sizeof key);
		sc->keylines[sc->nkeys++] = no;
	}
	return 0;
}

static int scan_file(const char *path, struct scan *sc, struct md_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return md_fail(err, EX_NOINPUT, "%s: cannot read: %s", path,
			       strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int status = 0, cont = 0;
	for (int no = 1; status == 0 && (got = getline(&line, &cap, f)) >= 0; no++) {
		size_t len = strlen(line), start = strspn(line, " \t");
		while (len > start && strchr(" \t\r\n", line[len - 1]))
			len--;
		int header = !cont && len > start + 1 && line[start] == '[' &&
			     line[len - 1] == ']';
		int was_cont = cont;
		cont = len > start && line[len - 1] == '\\';
		if (!header) {
			if (!was_cont)
				status = scan_key(path, no, line + start,
						  len - start, sc, err);
			continue;
		}
		sc->nkeys = 0;   /* a new section: its own keys */
		char name[160];
		snprintf(name, sizeof name, "%.*s", (int)(len - start - 2),
			 line + start + 1);
		/* iniparser strips blanks around the name and lower-cases it */
		char *p = name + strspn(name, " \t");
		size_t l = strlen(p);
		while (l && strchr(" \t", p[l - 1]))
			p[--l] = '\0';
		lower(p);
		for (int i = 0; i < sc->n; i++)
			if (!strcmp(sc->names[i], p)) {
				char q[200];
				status = md_fail(err, EX_DATAERR, "%s:%d: [%s]: "
						 "duplicate section (first at line "
						 "%d)", path, no, scenario_quote(q, sizeof q, p),
						 sc->lines[i]);
			}
		if (status)
			break;
		if (sc->n == sc->cap) {
			int ncap = sc->cap ? sc->cap * 2 : 32;
			void *nn = realloc(sc->names, sizeof *sc->names * (size_t)ncap);
			if (nn)
				sc->names = nn;
			void *nl = realloc(sc->lines, sizeof *sc->lines * (size_t)ncap);
			if (nl)
				sc->lines = nl;
			if (!nn || !nl) {
				status = md_fail(err, EX_OSERR, "out of memory");
				break;
			}
			sc->cap = ncap;
		}
		snprintf(sc->names[sc->n], sizeof sc->names[0], "%s", p);
		sc->lines[sc->n++] = no;
	}
	free(line);
	fclose(f);
	return status;
}

static int scan_line(const struct scan *sc, const char *section)
{
	for (int i = 0; i < sc->n; i++)
		if (!strcmp(sc->names[i], section))
			return sc->lines[i];
	return 0;
}

/* ---- iniparser ----------------------------------------------------------- */

/* iniparser reports through one global callback: keep its first message. */
static _Thread_local char parser_msg[1024];

__attribute__((format(printf, 1, 2)))
static int parser_error(const char *fmt, ...)
{
	va_list ap;
	if (parser_msg[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(parser_msg, sizeof parser_msg, fmt, ap);
	va_end(ap);
	if (!parser_msg[0])
		snprintf(parser_msg, sizeof parser_msg, "error");
	return 0;
}

static dictionary *parse(const char *path, struct md_error *err)
{
	parser_msg[0] = '\0';
	iniparser_set_error_callback(parser_error);
	dictionary *d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	if (d && !parser_msg[0])
		return d;
	if (d)
		iniparser_freedict(d);
	/* "iniparser: syntax error in FILE (LINE):\n-> TEXT" -> one line */
	char *m = parser_msg;
	if (!strncmp(m, "iniparser: ", 11))
		m += 11;
	m[strcspn(m, "\n")] = '\0';
	size_t l = strlen(m);
	if (l && m[l - 1] == ':')
		m[l - 1] = '\0';
	char q[1100];
	text_inert(q, sizeof q, m, 0);
	md_fail(err, EX_DATAERR, "%s: cannot read the scenario: %s", path, q);
	return NULL;
}

/* ---- building the structure ---------------------------------------------- */

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	for (int k = 0; k < SCEN_NKINDS; k++) {
		for (int i = 0; i < s->nitems[k]; i++) {
			struct scen_item *it = &s->items[k][i];
			for (int f = 0; f < it->nfields; f++) {
				free(it->fields[f].key);
				free(it->fields[f].value);
			}
			free(it->fields);
		}
		free(s->items[k]);
	}
	free(s->name);
	free(s->description);
	free(s);
}

/* Valid IDs: letters, digits, '.', '_' and '-' (they appear in section
 * names and, for users, are logins). */
static int valid_id(const char *id)
{
	if (!*id || strlen(id) >= SCEN_ID_MAX)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

static int add_item(struct scenario *s, enum scen_kind kind, const char *section,
		    const char *id, const char *agency, int line,
		    struct md_error *err)
{
	if (s->nitems[kind] % 16 == 0) {
		void *p = realloc(s->items[kind], sizeof(struct scen_item) *
				  (size_t)(s->nitems[kind] + 16));
		if (!p)
			return md_fail(err, EX_OSERR, "out of memory");
		s->items[kind] = p;
	}
	struct scen_item *it = &s->items[kind][s->nitems[kind]++];
	memset(it, 0, sizeof *it);
	snprintf(it->section, sizeof it->section, "%s", section);
	snprintf(it->id, sizeof it->id, "%s", id);
	snprintf(it->agency, sizeof it->agency, "%s", agency ? agency : "");
	it->line = line;
	return 0;
}

/* A section header: "scenario", or "KIND:ID", or "knows:ID:AGENCY". */
static int add_section(struct scenario *s, const char *sec, int line,
		       struct md_error *err)
{
	char q[200];
	struct scen_item where = { .line = line };
	scenario_quote(where.section, sizeof where.section, sec);
	if (!strcmp(sec, "scenario")) {
		/* "" until its name = line: then "required" rather than "no
		 * [scenario] section" */
		if (!s->name && !(s->name = strdup("")))
			return md_fail(err, EX_OSERR, "out of memory");
		return 0;
	}
	char copy[160];
	snprintf(copy, sizeof copy, "%s", sec);
	char *id = strchr(copy, ':');
	if (!id)
		return scenario_fail(err, s->path, &where, NULL, "unknown section "
				 "(expected scenario, user:LOGIN, referral:ID, "
				 "history:ID, knows:ID:AGENCY or expect:ID)");
	*id++ = '\0';
	int kind = -1;
	for (int k = 0; k < SCEN_NKINDS; k++)
		if (!strcmp(copy, kind_names[k]))
			kind = k;
	if (kind < 0)
		return scenario_fail(err, s->path, &where, NULL, "unknown section "
				 "(expected scenario, user:LOGIN, referral:ID, "
				 "history:ID, knows:ID:AGENCY or expect:ID)");
	char *agency = NULL;
	if (kind == SCEN_KNOWS) {
		agency = strchr(id, ':');
		if (!agency || !agency[1])
			return scenario_fail(err, s->path, &where, NULL, "name the "
					 "agency: [knows:ID:AGENCY]");
		*agency++ = '\0';
		if (strlen(agency) >= MD_CODE_MAX || strchr(agency, ':'))
			return scenario_fail(err, s->path, &where, NULL, "'%s' is not "
					 "an agency code", scenario_quote(q, sizeof q, agency));
	}
	if (!valid_id(id))
		return scenario_fail(err, s->path, &where, NULL, "'%s' is not a valid "
				 "%s (letters, digits, '.', '_' and '-', at most "
				 "%d)", scenario_quote(q, sizeof q, id),
				 kind == SCEN_USER ? "login" : "ID", SCEN_ID_MAX - 1);
	/* referral and history IDs share one name space */
	if ((kind == SCEN_REFERRAL && scenario_find(s, SCEN_HISTORY, id)) ||
	    (kind == SCEN_HISTORY && scenario_find(s, SCEN_REFERRAL, id)))
		return scenario_fail(err, s->path, &where, NULL, "duplicate ID: '%s' "
				 "is both a referral and a history section", id);
	return add_item(s, (enum scen_kind)kind, sec, id, agency, line, err);
}

static struct scen_item *item_for(struct scenario *s, const char *sec)
{
	for (int k = 0; k < SCEN_NKINDS; k++)
		for (int i = 0; i < s->nitems[k]; i++)
			if (!strcmp(s->items[k][i].section, sec))
				return &s->items[k][i];
	return NULL;
}

static int kind_of(const struct scenario *s, const struct scen_item *it)
{
	for (int k = 0; k < SCEN_NKINDS; k++)
		if (s->items[k] && it >= s->items[k] &&
		    it < s->items[k] + s->nitems[k])
			return k;
	return -1;
}

static int add_field(struct scen_item *it, const char *key, const char *value,
		     struct md_error *err)
{
	if (it->nfields % 16 == 0) {
		void *p = realloc(it->fields, sizeof *it->fields *
				  (size_t)(it->nfields + 16));
		if (!p)
			return md_fail(err, EX_OSERR, "out of memory");
		it->fields = p;
	}
	char *k = strdup(key), *v = strdup(value);
	if (!k || !v) {
		free(k);
		free(v);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	it->fields[it->nfields].key = k;
	it->fields[it->nfields].value = v;
	it->nfields++;
	return 0;
}

static int set_scenario_key(struct scenario *s, const char *key,
			    const char *value, int line, struct md_error *err)
{
	struct scen_item where = { .section = "scenario", .line = line };
	char q[200];
	if (!in_list(scenario_keys, key))
		return scenario_fail(err, s->path, &where, key, "unknown key (expected "
				 "name, description, duration or trainer)");
	if (!text_valid_utf8(value, strlen(value)))
		return scenario_fail(err, s->path, &where, key, "not valid UTF-8 text");
	if (!strcmp(key, "name") || !strcmp(key, "description")) {
		char **dst = key[0] == 'n' ? &s->name : &s->description;
		free(*dst);
		if (!(*dst = strdup(value)))
			return md_fail(err, EX_OSERR, "out of memory");
	} else if (!strcmp(key, "duration")) {
		s->duration = scenario_parse_offset(value);
		if (s->duration <= 0)
			return scenario_fail(err, s->path, &where, key, "'%s' is not a "
					 "duration (like 2h or 1h30m)",
					 scenario_quote(q, sizeof q, value));
	} else {
		if (!valid_id(value))
			return scenario_fail(err, s->path, &where, key, "'%s' is not a "
					 "login", scenario_quote(q, sizeof q, value));
		snprintf(s->trainer, sizeof s->trainer, "%s", value);
	}
	return 0;
}

/* Walk the entries in file order: sections, then keys into them. */
static int build(struct scenario *s, const dictionary *d, const struct scan *sc,
		 struct md_error *err)
{
	int status = 0;
	const char *cur = NULL;   /* the section the entries now belong to */
	for (ssize_t i = 0; status == 0 && i < d->size; i++) {
		const char *entry = d->key[i];
		if (!entry)
			continue;
		if (!d->val[i]) {
			cur = entry;
			status = add_section(s, entry, scan_line(sc, entry), err);
			continue;
		}
		/* iniparser names a key "section:key" (":key" before any
		 * section); keys of their own may hold colons too */
		size_t cl = cur ? strlen(cur) : 0;
		int in_cur = cur && !strncmp(entry, cur, cl) && entry[cl] == ':';
		char sec[160];
		snprintf(sec, sizeof sec, "%s", in_cur ? cur : "");
		const char *key = in_cur ? entry + cl + 1
				 : entry + (entry[0] == ':');
		char q[200];
		if (!sec[0]) {
			status = md_fail(err, EX_DATAERR, "%s: key '%s' comes before "
					 "any [section]", s->path,
					 scenario_quote(q, sizeof q, key));
		} else if (!strcmp(sec, "scenario")) {
			status = set_scenario_key(s, key, d->val[i], scan_line(sc, sec),
						  err);
		} else {
			struct scen_item *it = item_for(s, sec);
			if (!it)
				return md_fail(err, EX_SOFTWARE, "%s: [%s] seen "
					       "after its keys", s->path, sec);
			int kind = kind_of(s, it);
			int ok = in_list(kind_keys[kind], key) ||
				 ((kind == SCEN_REFERRAL || kind == SCEN_HISTORY) &&
				  scenario_is_referral_key(key));
			if (!ok)
				status = scenario_fail(err, s->path, it, key, "unknown "
						   "key for a [%s:...] section (see "
						   "mashdesk-scenario(5))",
						   kind_names[kind]);
			else if (!text_valid_utf8(d->val[i], strlen(d->val[i])))
				status = scenario_fail(err, s->path, it, key, "not valid "
						   "UTF-8 text");
			else
				status = add_field(it, key, d->val[i], err);
		}
	}
	return status;
}

/* ---- checks between sections --------------------------------------------- */

static int require(const struct scenario *s, const struct scen_item *it,
		   const char *key, struct md_error *err)
{
	const char *v = scenario_get(it, key);
	if (!v || !*v)
		return scenario_fail(err, s->path, it, key, "required");
	return 0;
}

static int check_user(const struct scenario *s, const struct scen_item *u,
		      struct md_error *err)
{
	int status = require(s, u, "name", err);
	if (!status)
		status = require(s, u, "role", err);
	return status;
}

static int check_offsets(struct scenario *s, struct md_error *err)
{
	char q[200];
	for (int k = SCEN_REFERRAL; k <= SCEN_HISTORY; k++)
		for (int i = 0; i < s->nitems[k]; i++) {
			struct scen_item *it = &s->items[k][i];
			const char *key = k == SCEN_REFERRAL ? "arrives" : "ago";
			int status = require(s, it, key, err);
			if (status)
				return status;
			const char *v = scenario_get(it, key);
			it->offset = scenario_parse_offset(v);
			if (it->offset < 0 && v[0] == '-')
				return scenario_fail(err, s->path, it, key, "'%s': an "
						 "offset is never negative (an "
						 "earlier referral is a "
						 "[history:ID] section with ago = "
						 "...)", scenario_quote(q, sizeof q, v));
			if (it->offset < 0)
				return scenario_fail(err, s->path, it, key, "'%s' is not "
						 "an offset (like +0m, +15m, 1h30m "
						 "or 2d)", scenario_quote(q, sizeof q, v));
			if (k == SCEN_HISTORY && it->offset == 0)
				return scenario_fail(err, s->path, it, key, "a history "
						 "referral arrived before the "
						 "exercise: give how long ago");
			const char *dec = k == SCEN_HISTORY ?
					  scenario_get(it, "decided") : NULL;
			if (dec && (scenario_parse_offset(dec) < 0 ||
				    scenario_parse_offset(dec) > it->offset))
				return scenario_fail(err, s->path, it, "decided", "'%s' "
						 "is not an offset after arrival "
						 "and before the exercise",
						 scenario_quote(q, sizeof q, dec));
			if (k == SCEN_REFERRAL && it->offset > s->duration &&
			    s->duration > 0)
				return scenario_fail(err, s->path, it, key, "arrives "
						 "after the scenario's duration");
		}
	return 0;
}

static int check_refs(const struct scenario *s, struct md_error *err)
{
	char q[200];
	for (int k = SCEN_KNOWS; k <= SCEN_EXPECT; k++)
		for (int i = 0; i < s->nitems[k]; i++) {
			const struct scen_item *it = &s->items[k][i];
			if (!scenario_find(s, SCEN_REFERRAL, it->id))
				return scenario_fail(err, s->path, it, NULL, "no "
						 "[referral:%s] section defines "
						 "this referral",
						 scenario_quote(q, sizeof q, it->id));
			for (int j = 0; k == SCEN_KNOWS && j < i; j++)
				if (!strcmp(s->items[k][j].id, it->id) &&
				    !strcmp(s->items[k][j].agency, it->agency))
					return scenario_fail(err, s->path, it, NULL,
							 "duplicate section");
		}
	for (int i = 0; i < s->nitems[SCEN_REFERRAL]; i++) {
		const struct scen_item *r = &s->items[SCEN_REFERRAL][i];
		if (!scenario_find(s, SCEN_EXPECT, r->id))
			return scenario_fail(err, s->path, r, NULL, "no [expect:%s] "
					 "section gives the model answer", r->id);
	}
	if (s->trainer[0]) {
		const struct scen_item *u = scenario_find(s, SCEN_USER, s->trainer);
		struct scen_item where = { .section = "scenario" };
		if (!u)
			return scenario_fail(err, s->path, &where, "trainer", "no "
					 "[user:%s] section defines this user",
					 s->trainer);
		const char *role = scenario_get(u, "role");
		if (!role || strcmp(role, "trainer"))
			return scenario_fail(err, s->path, &where, "trainer", "user "
					 "%s's role is not trainer", s->trainer);
	}
	return 0;
}

static int check_knows_expect(const struct scenario *s, struct md_error *err)
{
	char q[200];
	for (int i = 0; i < s->nitems[SCEN_KNOWS]; i++) {
		const struct scen_item *it = &s->items[SCEN_KNOWS][i];
		const char *st = scenario_get(it, "status");
		if (st && strcmp(st, "complete") && strcmp(st, "nothing-known"))
			return scenario_fail(err, s->path, it, "status", "'%s': "
					 "complete or nothing-known",
					 scenario_quote(q, sizeof q, st));
		if (!(st && !strcmp(st, "nothing-known"))) {
			int status = require(s, it, "info", err);
			if (status)
				return status;
		}
	}
	for (int i = 0; i < s->nitems[SCEN_EXPECT]; i++) {
		const struct scen_item *it = &s->items[SCEN_EXPECT][i];
		int status = require(s, it, "outcome", err);
		if (!status)
			status = require(s, it, "rag", err);
		if (!status)
			status = require(s, it, "rationale", err);
		if (status)
			return status;
		const char *lv = scenario_get(it, "level");
		if (lv && (strlen(lv) != 1 || lv[0] < '1' || lv[0] > '4'))
			return scenario_fail(err, s->path, it, "level", "'%s' is not "
					 "a level of need (1-4)", scenario_quote(q, sizeof q, lv));
		const char *w = scenario_get(it, "within");
		if (w && scenario_parse_offset(w) <= 0)
			return scenario_fail(err, s->path, it, "within", "'%s' is not "
					 "a timescale (like 2h or 30m)",
					 scenario_quote(q, sizeof q, w));
	}
	return 0;
}

static int check_referrals(const struct scenario *s, struct md_error *err)
{
	struct referral_input in;
	struct person_input people[MD_MAX_PEOPLE];
	for (int k = SCEN_REFERRAL; k <= SCEN_HISTORY; k++)
		for (int i = 0; i < s->nitems[k]; i++) {
			const struct scen_item *it = &s->items[k][i];
			int status = require(s, it, "child", err);
			if (!status)
				status = require(s, it, "dob", err);
			if (!status)
				status = require(s, it, "concern", err);
			if (!status && k == SCEN_HISTORY)
				status = require(s, it, "outcome", err);
			if (!status)
				status = scenario_referral_input(s->path, it, &in,
								 people, err);
			if (status)
				return status;
		}
	return 0;
}

static int check_all(struct scenario *s, struct md_error *err)
{
	struct scen_item where = { .section = "scenario" };
	if (!s->name || !*s->name)
		return scenario_fail(err, s->path, s->name ? &where : NULL,
				 s->name ? "name" : NULL, s->name ? "required"
				 : "no [scenario] section with its name");
	if (strlen(s->name) > 100)
		return scenario_fail(err, s->path, &where, "name", "at most 100 bytes");
	if (!s->description && !(s->description = strdup("")))
		return md_fail(err, EX_OSERR, "out of memory");
	if (s->nitems[SCEN_USER] == 0)
		return scenario_fail(err, s->path, NULL, NULL, "no [user:LOGIN] "
				 "sections: an exercise needs its trainees");
	if (s->nitems[SCEN_REFERRAL] == 0)
		return scenario_fail(err, s->path, NULL, NULL, "no [referral:ID] "
				 "sections: nothing would arrive");
	for (int i = 0; i < s->nitems[SCEN_USER]; i++) {
		int status = check_user(s, &s->items[SCEN_USER][i], err);
		if (status)
			return status;
	}
	int status = check_offsets(s, err);
	if (!status)
		status = check_refs(s, err);
	if (!status)
		status = check_knows_expect(s, err);
	if (!status)
		status = check_referrals(s, err);
	if (status)
		return status;
	if (s->duration == 0)
		for (int i = 0; i < s->nitems[SCEN_REFERRAL]; i++)
			if (s->items[SCEN_REFERRAL][i].offset > s->duration)
				s->duration = s->items[SCEN_REFERRAL][i].offset;
	return 0;
}

/* The file is the user's: it is read with their own rights (privilege.h),
 * never with the hub group's a setgid mashdesk holds. */
static int scenario_read(const char *path, struct scenario **out,
			 struct md_error *err);

int scenario_load(const char *path, struct scenario **out, struct md_error *err)
{
	*out = NULL;
	if (user_files_begin() != 0)
		return md_fail(err, EX_OSERR, "%s: cannot read with your own "
			       "rights: %s", path, strerror(errno));
	int status = scenario_read(path, out, err);
	user_files_end();
	return status;
}

static int scenario_read(const char *path, struct scenario **out,
			 struct md_error *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return md_fail(err, EX_NOINPUT, "%s: cannot read: %s", path,
			       strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return md_fail(err, EX_NOINPUT, "%s: cannot read: %s", path,
			       strerror(EISDIR));
	struct scenario *s = calloc(1, sizeof *s);
	if (!s)
		return md_fail(err, EX_OSERR, "out of memory");
	snprintf(s->path, sizeof s->path, "%s", path);
	struct scan sc = { 0 };
	int status = scan_file(path, &sc, err);
	dictionary *d = status ? NULL : parse(path, err);
	if (!status && !d)
		status = err ? err->code : EX_DATAERR;
	if (!status)
		status = build(s, d, &sc, err);
	if (!status)
		status = check_all(s, err);
	if (d)
		iniparser_freedict(d);
	free(sc.names);
	free(sc.lines);
	if (status) {
		scenario_free(s);
		return status;
	}
	*out = s;
	return 0;
}
