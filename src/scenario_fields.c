/* scenario_fields.c - the pieces of a scenario file both the loader and
 * the data layer use: offsets, finding sections and keys, the message
 * prefix naming file, section and key, checking codes, and turning a
 * referral section into a struct referral_input (see scenario.h). */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "scenario_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/text.h"

/* The referral's own fields, as referral add and the CSV import name them. */
static const char *const referral_keys[] = {
	"child", "aliases", "dob", "dob_estimated", "gender", "ethnicity",
	"language", "interpreter", "disability", "address", "previous_address",
	"school", "gp", "nhs_number", "upn", "allocated_worker", "referrer",
	"referrer_role", "referrer_agency", "referrer_contact", "source",
	"concern", "impact", "tried", "strengths", "category", "parents_aware",
	"consent", "consent_reason", "rag", "level", NULL
};

/* person1 .. person16 */
static int person_key(const char *key)
{
	if (strncmp(key, "person", 6) != 0)
		return 0;
	char *end;
	long n = strtol(key + 6, &end, 10);
	return key[6] >= '1' && key[6] <= '9' && !*end && n >= 1 &&
	       n <= MD_MAX_PEOPLE;
}

int scenario_is_referral_key(const char *key)
{
	for (int i = 0; referral_keys[i]; i++)
		if (!strcmp(referral_keys[i], key))
			return 1;
	return person_key(key);
}

void scenario_where(char *buf, unsigned len, const char *path,
		    const struct scen_item *item, const char *key)
{
	char raw[1200];
	if (item && item->line)
		snprintf(raw, sizeof raw, "%s:%d: [%s]%s%.60s: ", path, item->line,
			 item->section, key ? " " : "", key ? key : "");
	else if (item)
		snprintf(raw, sizeof raw, "%s: [%s]%s%.60s: ", path, item->section,
			 key ? " " : "", key ? key : "");
	else
		snprintf(raw, sizeof raw, "%s: ", path);
	text_inert(buf, len, raw, 0);   /* a key may hold anything */
}

int scenario_fail(struct md_error *err, const char *path,
		     const struct scen_item *item, const char *key,
		     const char *fmt, ...)
{
	char where[600], what[600];
	va_list ap;
	scenario_where(where, sizeof where, path, item, key);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return md_fail(err, EX_DATAERR, "%s%s", where, what);
}

/* A value quoted back in a message: short, and inert. */
const char *scenario_quote(char *buf, size_t len, const char *s)
{
	char fit[128];
	snprintf(fit, sizeof fit, "%.60s%s", s, strlen(s) > 60 ? "..." : "");
	text_inert(buf, len, fit, 0);
	return buf;
}

/* ---- offsets ------------------------------------------------------------ */

long long scenario_parse_offset(const char *s)
{
	if (!s)
		return -1;
	if (*s == '+')
		s++;
	if (!strcmp(s, "0"))
		return 0;
	long long total = 0;
	int groups = 0;
	while (*s) {
		if (*s < '0' || *s > '9')
			return -1;
		long long n = 0;
		for (; *s >= '0' && *s <= '9'; s++) {
			n = n * 10 + (*s - '0');
			if (n > SCEN_MAX_SECONDS)
				return -1;
		}
		switch (*s++) {
		case 'd': n *= 86400; break;
		case 'h': n *= 3600; break;
		case 'm': n *= 60; break;
		case 's': break;
		default: return -1;
		}
		total += n;
		if (total > SCEN_MAX_SECONDS)
			return -1;
		groups++;
	}
	return groups ? total : -1;
}

void scenario_format_offset(long long secs, char *buf, unsigned len)
{
	long long d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60;
	size_t n = 0;
	buf[0] = '\0';
	if (d)
		n += (size_t)snprintf(buf + n, len - n, "%lldd", d);
	if (h && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%lldh", h);
	if ((m || n == 0) && n < len)
		snprintf(buf + n, len - n, "%lldm", m);
}

const char *scenario_get(const struct scen_item *item, const char *key)
{
	for (int i = 0; item && i < item->nfields; i++)
		if (!strcmp(item->fields[i].key, key))
			return item->fields[i].value;
	return NULL;
}

const struct scen_item *scenario_find(const struct scenario *s,
				      enum scen_kind kind, const char *id)
{
	for (int i = 0; i < s->nitems[kind]; i++)
		if (!strcmp(s->items[kind][i].id, id))
			return &s->items[kind][i];
	return NULL;
}

/* ---- codes ----------------------------------------------------------------- */

static int code(const struct scenario *s, const struct scen_item *it,
		const char *key, const char *value, const char *table,
		scenario_code_fn known, void *arg, struct md_error *err)
{
	char allowed[512] = "", q[200];
	if (!value || !*value || known(arg, table, value, allowed, sizeof allowed))
		return 0;
	return scenario_fail(err, s->path, it, key, "unknown code '%s'%s%s%s",
			 scenario_quote(q, sizeof q, value), allowed[0] ? " (one of: " : "",
			 allowed, allowed[0] ? ")" : "");
}

int scenario_check_codes(const struct scenario *s, scenario_code_fn known,
			 void *arg, struct md_error *err)
{
	static const struct { int kind; const char *key, *table; } coded[] = {
		{ SCEN_USER, "agency", "agency" }, { SCEN_USER, "role", "role" },
		{ SCEN_REFERRAL, "category", "category" },
		{ SCEN_REFERRAL, "source", "source" },
		{ SCEN_REFERRAL, "rag", "rag" },
		{ SCEN_REFERRAL, "consent", "consent_position" },
		{ SCEN_HISTORY, "category", "category" },
		{ SCEN_HISTORY, "source", "source" },
		{ SCEN_HISTORY, "rag", "rag" },
		{ SCEN_HISTORY, "consent", "consent_position" },
		{ SCEN_HISTORY, "outcome", "outcome" },
		{ SCEN_KNOWS, "basis", "lawful_basis" },
		{ SCEN_KNOWS, "handling", "handling_code" },
		{ SCEN_EXPECT, "rag", "rag" },
		{ SCEN_EXPECT, "outcome", "outcome" },
	};
	int status = 0;
	for (int i = 0; status == 0 && i < s->nitems[SCEN_KNOWS]; i++) {
		const struct scen_item *it = &s->items[SCEN_KNOWS][i];
		status = code(s, it, NULL, it->agency, "agency", known, arg, err);
	}
	for (size_t c = 0; status == 0 && c < sizeof coded / sizeof coded[0]; c++)
		for (int i = 0; status == 0 && i < s->nitems[coded[c].kind]; i++) {
			const struct scen_item *it = &s->items[coded[c].kind][i];
			status = code(s, it, coded[c].key,
				      scenario_get(it, coded[c].key), coded[c].table,
				      known, arg, err);
		}
	/* practitioners and supervisors belong to an agency */
	for (int i = 0; status == 0 && i < s->nitems[SCEN_USER]; i++) {
		const struct scen_item *u = &s->items[SCEN_USER][i];
		const char *role = scenario_get(u, "role"), *ag = scenario_get(u, "agency");
		if ((!strcmp(role, "practitioner") || !strcmp(role, "supervisor")) &&
		    !(ag && *ag))
			status = scenario_fail(err, s->path, u, "agency", "required for "
					   "a %s", role);
	}
	return status;
}

/* ---- a referral section as a referral_input -------------------------------- */

static int yes_no(const char *path, const struct scen_item *it, const char *key,
		  int *out, struct md_error *err)
{
	const char *v = scenario_get(it, key);
	if (!v)
		return 0;
	if (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false"))
		*out = 0;
	else {
		char q[200];
		return scenario_fail(err, path, it, key, "'%s': yes or no",
				 scenario_quote(q, sizeof q, v));
	}
	return 0;
}

/* "NAME; RELATIONSHIP[; YYYY-MM-DD][; pr][; perpetrator][; elsewhere]"
 * (the same shape as `referral add --person`), parsed into buf. */
static int person(const char *path, const struct scen_item *it, const char *key,
		  char *buf, struct person_input *p, struct md_error *err)
{
	char *parts[8];
	int n = 0;
	for (char *s = buf; n < 8;) {
		parts[n++] = s;
		char *semi = strchr(s, ';');
		if (!semi)
			break;
		*semi = '\0';
		s = semi + 1;
	}
	for (int i = 0; i < n; i++) {
		char *s = parts[i] + strspn(parts[i], " \t");
		size_t l = strlen(s);
		while (l && strchr(" \t", s[l - 1]))
			s[--l] = '\0';
		parts[i] = s;
	}
	memset(p, 0, sizeof *p);
	p->household = 1;
	if (n < 2 || !*parts[0] || !*parts[1])
		return scenario_fail(err, path, it, key, "give at least NAME; "
				 "RELATIONSHIP");
	p->name = parts[0];
	p->relationship = parts[1];
	for (int i = 2; i < n; i++) {
		char q[200];
		if (!strcmp(parts[i], "pr"))
			p->parental_responsibility = 1;
		else if (!strcmp(parts[i], "perpetrator"))
			p->alleged_perpetrator = 1;
		else if (!strcmp(parts[i], "elsewhere"))
			p->household = 0;
		else if (clock_valid_date(parts[i]) && !p->dob)
			p->dob = parts[i];
		else
			return scenario_fail(err, path, it, key, "'%s' is not a date "
					 "(YYYY-MM-DD), pr, perpetrator or elsewhere",
					 scenario_quote(q, sizeof q, parts[i]));
	}
	return 0;
}

int scenario_referral_input(const char *path, const struct scen_item *it,
			    struct referral_input *in,
			    struct person_input people[MD_MAX_PEOPLE],
			    struct md_error *err)
{
	memset(in, 0, sizeof *in);
	in->parents_aware = -1;
	in->child_name = scenario_get(it, "child");
	in->aliases = scenario_get(it, "aliases");
	in->dob = scenario_get(it, "dob");
#define F(f) in->f = scenario_get(it, #f)
	F(gender); F(ethnicity); F(language); F(disability); F(address);
	F(previous_address); F(school); F(gp); F(nhs_number); F(upn);
	F(allocated_worker); F(referrer); F(referrer_role); F(referrer_agency);
	F(referrer_contact); F(source); F(concern); F(impact); F(tried);
	F(strengths); F(category); F(consent); F(consent_reason); F(rag);
#undef F
	char q[200];
	if (in->dob && !clock_valid_date(in->dob))
		return scenario_fail(err, path, it, "dob", "'%s' is not a date "
				 "(YYYY-MM-DD)", scenario_quote(q, sizeof q, in->dob));
	const char *lv = scenario_get(it, "level");
	if (lv && (strlen(lv) != 1 || lv[0] < '1' || lv[0] > '4'))
		return scenario_fail(err, path, it, "level", "'%s' is not a level of "
				 "need (1-4)", scenario_quote(q, sizeof q, lv));
	in->level = lv ? lv[0] - '0' : 0;
	int status = yes_no(path, it, "dob_estimated", &in->dob_estimated, err);
	if (!status)
		status = yes_no(path, it, "interpreter", &in->interpreter, err);
	if (!status)
		status = yes_no(path, it, "parents_aware", &in->parents_aware, err);
	/* People are split in a per-thread scratch copy (the item stays as
	 * read): in->people points there until the next call. */
	static _Thread_local char scratch[MD_MAX_PEOPLE][1024];
	for (int i = 0; !status && i < it->nfields; i++) {
		if (!person_key(it->fields[i].key))
			continue;
		if (in->npeople == MD_MAX_PEOPLE)
			return scenario_fail(err, path, it, it->fields[i].key, "at most "
					 "%d people", MD_MAX_PEOPLE);
		if (strlen(it->fields[i].value) >= sizeof scratch[0])
			return scenario_fail(err, path, it, it->fields[i].key, "too long");
		snprintf(scratch[in->npeople], sizeof scratch[0], "%s",
			 it->fields[i].value);
		status = person(path, it, it->fields[i].key, scratch[in->npeople],
				&people[in->npeople], err);
		if (!status)
			in->npeople++;
	}
	in->people = people;
	return status;
}
