/* hub_update.c - a referral's details from the desk's contact form: a new
 * contact taken in (its draft going in the same transaction), and the
 * details of one already taken in corrected under an edit lease, audited
 * field by field (hub_update.h).
 *
 * The fields are one table (detail_fields): the column, how the audit
 * names the field (the name the form, the CSV and the validation use),
 * and where its value is in struct referral_input.  Reading the record as
 * it stands, comparing, auditing and writing all walk that table, so a
 * field cannot be written without being audited. */
#include "hub_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_update.h"
#include "mashdesk/text.h"

#define SHORT_TEXT 80           /* longer (or several lines): "changed" */
#define KEY_BYTES 1024

/* ---- taking a contact in --------------------------------------------------- */

int hub_contact_add(struct hub *hub, const struct referral_input *in,
		    char ref[MD_REF_MAX], struct md_error *err)
{
	long long id;
	int status = hub_permit(hub, HUB_ACT_REFERRAL_ADD, err);

	if (!status)
		status = hub_referral_validate(hub, in, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_referral_insert(hub, in, NULL, clock_now(), &id, ref, err);
	if (!status)
		status = hub_search_index(hub, id, id, err);
	if (!status)
		status = hub_audit(hub, "referral-add", id, err, "took in %s at "
				   "the desk", ref);
	if (!status)
		status = hub_contact_draft_drop_tx(hub, err);
	return hub_end(hub, status, err);
}

/* ---- the fields ------------------------------------------------------------------ */

enum detail_kind {
	DK_TEXT,        /* free text */
	DK_DATE,        /* the date of birth */
	DK_FLAG,        /* 0/1: "yes" or "no" */
	DK_AWARE,       /* -1/0/1: "not known", "no", "yes" */
	DK_NHS,         /* ten digits, stored without spaces */
	DK_CODE,        /* a lookup code */
};

struct detail_field {
	const char *name;       /* as the audit, the form and the CSV say it */
	enum detail_kind kind;
	size_t off;             /* in struct referral_input */
};

#define TEXT_FIELD(n, f) { n, DK_TEXT, offsetof(struct referral_input, f) }
/* In the order of the UPDATE's parameters and the SELECT's columns. */
static const struct detail_field detail_fields[] = {
	TEXT_FIELD("child", child_name),
	{ "dob", DK_DATE, offsetof(struct referral_input, dob) },
	{ "dob_estimated", DK_FLAG, offsetof(struct referral_input, dob_estimated) },
	TEXT_FIELD("gender", gender),
	TEXT_FIELD("ethnicity", ethnicity),
	TEXT_FIELD("language", language),
	{ "interpreter", DK_FLAG, offsetof(struct referral_input, interpreter) },
	TEXT_FIELD("disability", disability),
	TEXT_FIELD("address", address),
	TEXT_FIELD("previous_address", previous_address),
	TEXT_FIELD("school", school),
	TEXT_FIELD("gp", gp),
	{ "nhs_number", DK_NHS, offsetof(struct referral_input, nhs_number) },
	TEXT_FIELD("upn", upn),
	TEXT_FIELD("allocated_worker", allocated_worker),
	TEXT_FIELD("referrer", referrer),
	TEXT_FIELD("referrer_role", referrer_role),
	TEXT_FIELD("referrer_agency", referrer_agency),
	TEXT_FIELD("referrer_contact", referrer_contact),
	{ "source", DK_CODE, offsetof(struct referral_input, source) },
	TEXT_FIELD("concern", concern),
	TEXT_FIELD("impact", impact),
	TEXT_FIELD("tried", tried),
	TEXT_FIELD("strengths", strengths),
	{ "category", DK_CODE, offsetof(struct referral_input, category) },
	{ "parents_aware", DK_AWARE, offsetof(struct referral_input, parents_aware) },
	{ "consent", DK_CODE, offsetof(struct referral_input, consent) },
	TEXT_FIELD("consent_reason", consent_reason),
};
#undef TEXT_FIELD
#define NFIELDS (sizeof detail_fields / sizeof detail_fields[0])

static size_t field_index(const char *name)
{
	size_t i = 0;

	while (i + 1 < NFIELDS && strcmp(detail_fields[i].name, name))
		i++;
	return i;
}

static const char old_sql[] =
	"SELECT child_name, dob, dob_estimated, gender, ethnicity, language,"
	" interpreter, disability, address, previous_address, school, gp,"
	" nhs_number, upn, allocated_worker, referrer, referrer_role,"
	" referrer_agency, referrer_contact, source, concern, impact, tried,"
	" strengths, category, coalesce(parents_aware, -1), consent,"
	" consent_reason, received_at,"
	" coalesce((SELECT group_concat(alias, '; ') FROM (SELECT alias FROM"
	"  referral_alias WHERE referral_id = ?1 ORDER BY alias) AS sq), '')"
	" FROM referral WHERE id = ?1";

static const char update_sql[] =
	"UPDATE referral SET child_name = ?1, dob = ?2, dob_estimated = ?3,"
	" gender = ?4, ethnicity = ?5, language = ?6, interpreter = ?7,"
	" disability = ?8, address = ?9, previous_address = ?10, school = ?11,"
	" gp = ?12, nhs_number = ?13, upn = ?14, allocated_worker = ?15,"
	" referrer = ?16, referrer_role = ?17, referrer_agency = ?18,"
	" referrer_contact = ?19, source = ?20, concern = ?21, impact = ?22,"
	" tried = ?23, strengths = ?24, category = ?25, parents_aware = ?26,"
	" consent = ?27, consent_reason = ?28,"
	" name_key = ?29, address_key = ?30, repeat_of = ?31,"
	" version = version + 1, updated_at = ?32 WHERE id = ?33";

/* Each field's value as text, old and new alike: "" for none, flags as
 * "yes"/"no", parents' awareness as "yes"/"no"/"not known". */
struct detail_values {
	char *v[NFIELDS];
	char *aliases;          /* "a; b", sorted, trimmed, no repeats */
	long long received_at;
};

static void values_free(struct detail_values *dv)
{
	for (size_t i = 0; i < NFIELDS; i++)
		free(dv->v[i]);
	free(dv->aliases);
	memset(dv, 0, sizeof *dv);
}

static const char *flag_text(int v, int aware)
{
	if (aware && v < 0)
		return "not known";
	return v ? "yes" : "no";
}

static int set_value(struct detail_values *dv, size_t i, const char *s)
{
	free(dv->v[i]);
	dv->v[i] = strdup(s ? s : "");
	return dv->v[i] ? 0 : -1;
}

static int read_old(struct hub *hub, long long id, struct detail_values *dv,
		    struct md_error *err)
{
	struct db_stmt *st = hub_stmt(hub, old_sql, err);
	int oom = 0;

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		for (size_t i = 0; i < NFIELDS; i++) {
			const struct detail_field *f = &detail_fields[i];
			const char *t = db_column_text(st, (int)i);
			if (f->kind == DK_FLAG || f->kind == DK_AWARE)
				oom |= set_value(dv, i, flag_text(db_column_int(
					st, (int)i), f->kind == DK_AWARE));
			else
				oom |= set_value(dv, i, (const char *)t);
		}
		dv->received_at = db_column_int64(st, (int)NFIELDS);
		const char *a = db_column_text(st, (int)NFIELDS + 1);
		dv->aliases = strdup(a ? (const char *)a : "");
		oom |= !dv->aliases;
	}
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the referral's details", err);
	return oom ? md_fail(err, EX_OSERR, "out of memory") : 0;
}

/* The typed aliases as they will be stored and read back: each trimmed,
 * sorted as the table keeps them, without repeats, "; "-separated. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *aliases_canonical(const char *aliases)
{
	char *copy = strdup(aliases ? aliases : ""), *out;
	char *parts[256];
	size_t n = 0, len = 1;

	if (!copy)
		return NULL;
	for (char *save = NULL, *p = strtok_r(copy, ";", &save); p && n < 256;
	     p = strtok_r(NULL, ";", &save)) {
		while (*p == ' ')
			p++;
		size_t l = strlen(p);
		while (l && p[l - 1] == ' ')
			p[--l] = '\0';
		if (l)
			parts[n++] = p;
	}
	qsort(parts, n, sizeof parts[0], cmp_str);
	for (size_t i = 0; i < n; i++)
		len += strlen(parts[i]) + 2;
	if ((out = malloc(len)) != NULL) {
		size_t used = 0;
		out[0] = '\0';
		for (size_t i = 0; i < n; i++) {
			if (i && !strcmp(parts[i], parts[i - 1]))
				continue;
			used += (size_t)snprintf(out + used, len - used, "%s%s",
						 used ? "; " : "", parts[i]);
		}
	}
	free(copy);
	return out;
}

static int read_new(const struct referral_input *in, struct detail_values *dv,
		    struct md_error *err)
{
	int oom = 0;

	for (size_t i = 0; i < NFIELDS; i++) {
		const struct detail_field *f = &detail_fields[i];
		const char *at = (const char *)in + f->off;
		if (f->kind == DK_FLAG || f->kind == DK_AWARE) {
			oom |= set_value(dv, i, flag_text(*(const int *)at,
							  f->kind == DK_AWARE));
		} else if (f->kind == DK_NHS) {
			char nhs[11];
			int status = hub_nhs_check(*(const char *const *)at, nhs, err);
			if (status)
				return status;
			oom |= set_value(dv, i, nhs);
		} else {
			oom |= set_value(dv, i, *(const char *const *)at);
		}
	}
	dv->aliases = aliases_canonical(in->aliases);
	oom |= !dv->aliases;
	return oom ? md_fail(err, EX_OSERR, "out of memory") : 0;
}

/* ---- the household ---------------------------------------------------------------- */

/* One person as the audit describes them. */
static void person_text(char *buf, size_t len, const char *name,
			const char *rel, const char *dob, int pr, int ap,
			int household)
{
	snprintf(buf, len, "%s (%s%s%s%s%s%s)", name, rel && *rel ? rel :
		 "not known", dob && *dob ? ", born " : "", dob ? dob : "",
		 pr ? ", parental responsibility" : "",
		 ap ? ", alleged perpetrator" : "",
		 household ? "" : ", lives elsewhere");
}

#define PERSON_TEXT 700

static int read_old_people(struct hub *hub, long long id,
			   char (*out)[PERSON_TEXT], int *n, struct md_error *err)
{
	static const char sql[] =
		"SELECT name, relationship, coalesce(dob, ''),"
		" parental_responsibility, alleged_perpetrator, household"
		" FROM person WHERE referral_id = ? ORDER BY id";
	struct db_stmt *st = hub_stmt(hub, sql, err);

	*n = 0;
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *rel = (const char *)db_column_text(st, 1);
		/* What the insert stores for "no relationship given". */
		if (rel && !strcmp(rel, "not known"))
			rel = "";
		if (*n < MD_MAX_PEOPLE * 2)
			person_text(out[(*n)++], PERSON_TEXT,
				    (const char *)db_column_text(st, 0), rel,
				    (const char *)db_column_text(st, 2),
				    db_column_int(st, 3),
				    db_column_int(st, 4),
				    db_column_int(st, 5));
	}
	hub_reset(st);
	return rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the household", err);
}

/* Audit the household person by person; *changed counts the rows. */
static int audit_people(struct hub *hub, long long id,
			const struct referral_input *in, int *changed,
			struct md_error *err)
{
	char old[MD_MAX_PEOPLE * 2][PERSON_TEXT], now[PERSON_TEXT];
	int nold = 0, status = read_old_people(hub, id, old, &nold, err);

	for (int i = 0; !status && (i < nold || i < in->npeople); i++) {
		const struct person_input *p = i < in->npeople ? &in->people[i] : NULL;
		if (p)
			person_text(now, sizeof now, p->name, p->relationship,
				    p->dob, p->parental_responsibility,
				    p->alleged_perpetrator, p->household);
		if (p && i < nold && !strcmp(now, old[i]))
			continue;
		++*changed;
		if (!p)
			status = hub_audit(hub, "edit-details", id, err,
					   "person %d: removed '%s'", i + 1, old[i]);
		else if (i >= nold)
			status = hub_audit(hub, "edit-details", id, err,
					   "person %d: added '%s'", i + 1, now);
		else
			status = hub_audit(hub, "edit-details", id, err,
					   "person %d: '%s' -> '%s'", i + 1, old[i],
					   now);
	}
	return status;
}

static int replace_people(struct hub *hub, long long id,
			  const struct referral_input *in, struct md_error *err)
{
	static const char sql[] = "DELETE FROM person WHERE referral_id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int status = hub_step_done(hub, st, "replacing the household", err);
	return status ? status : hub_people_insert(hub, id, in, err);
}

static int replace_aliases(struct hub *hub, long long id, const char *aliases,
			   struct md_error *err)
{
	static const char sql[] = "DELETE FROM referral_alias WHERE referral_id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);

	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int status = hub_step_done(hub, st, "replacing the aliases", err);
	return status ? status : hub_aliases_insert(hub, id, aliases, err);
}

/* ---- auditing and writing ---------------------------------------------------------- */

static int is_short(const char *s)
{
	return strlen(s) <= SHORT_TEXT && !strchr(s, '\n');
}

static int audit_field(struct hub *hub, long long id, const char *name,
		       const char *was, const char *now, struct md_error *err)
{
	if (is_short(was) && is_short(now))
		return hub_audit(hub, "edit-details", id, err, "%s: '%s' -> '%s'",
				 name, was, now);
	return hub_audit(hub, "edit-details", id, err, "%s: changed (%d -> "
			 "%d characters)", name, text_width(was), text_width(now));
}

/* The latest earlier referral of the child or household (find_repeat in
 * hub_referral.c), for the details as they now are: received before this
 * one, or at the same second and taken in before it. */
static int repeat_now(struct hub *hub, long long id, const char *name_key,
		      const char *dob, const char *address_key,
		      long long received, long long *repeat_of,
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT max(coalesce((SELECT max(id) FROM referral"
		"   WHERE name_key = ?1 AND dob = ?2 AND received_at <= ?4"
		"   AND (received_at < ?4 OR id < ?5)), 0),"
		"  coalesce((SELECT max(id) FROM referral"
		"   WHERE address_key = ?3 AND received_at <= ?4"
		"   AND (received_at < ?4 OR id < ?5)), 0))";
	struct db_stmt *st = hub_stmt(hub, sql, err);

	if (!st)
		return err->code;
	hub_bind_text(st, 1, name_key);
	hub_bind_text(st, 2, dob);
	hub_bind_text(st, 3, address_key);
	db_bind_int64(st, 4, received);
	db_bind_int64(st, 5, id);
	int rc = db_step(st);
	*repeat_of = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	hub_reset(st);
	return rc == DB_ROW ? 0
		: hub_sql_fail(hub, rc, "looking for earlier referrals", err);
}

static int write_details(struct hub *hub, long long id,
			 const struct detail_values *now,
			 const struct detail_values *old, struct md_error *err)
{
	char name_key[KEY_BYTES], address_key[KEY_BYTES];
	long long repeat = 0;
	struct db_stmt *st;
	int status;

	text_normalise(name_key, sizeof name_key, now->v[field_index("child")]);
	text_normalise(address_key, sizeof address_key,
		       now->v[field_index("address")]);
	status = repeat_now(hub, id, name_key, now->v[field_index("dob")],
			    address_key,
			    old->received_at, &repeat, err);
	if (status || !(st = hub_stmt(hub, update_sql, err)))
		return status ? status : err->code;
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct detail_field *f = &detail_fields[i];
		const char *v = now->v[i];
		int p = (int)i + 1;
		if (f->kind == DK_FLAG)
			db_bind_int64(st, p, !strcmp(v, "yes"));
		else if (f->kind == DK_AWARE)
			hub_bind_opt_int(st, p, !strcmp(v, "yes"),
					 strcmp(v, "not known") != 0);
		else
			hub_bind_text(st, p, v);
	}
	hub_bind_text(st, 29, name_key);
	hub_bind_text(st, 30, address_key);
	hub_bind_opt_int(st, 31, repeat, repeat > 0);
	db_bind_int64(st, 32, clock_now());
	db_bind_int64(st, 33, id);
	return hub_step_done(hub, st, "saving the referral's details", err);
}

/* Compare, audit and write inside the open transaction. */
static int update_tx(struct hub *hub, long long id,
		     const struct referral_input *in, int *changed,
		     struct md_error *err)
{
	struct detail_values old, now;
	int status;

	memset(&old, 0, sizeof old);
	memset(&now, 0, sizeof now);
	status = read_old(hub, id, &old, err);
	if (!status)
		status = read_new(in, &now, err);
	for (size_t i = 0; !status && i < NFIELDS; i++)
		if (strcmp(old.v[i], now.v[i])) {
			++*changed;
			status = audit_field(hub, id, detail_fields[i].name,
					     old.v[i], now.v[i], err);
		}
	int aliases = !status && strcmp(old.aliases, now.aliases) != 0;
	if (aliases) {
		++*changed;
		status = audit_field(hub, id, "aliases", old.aliases, now.aliases,
				     err);
	}
	int before = *changed;
	if (!status)
		status = audit_people(hub, id, in, changed, err);
	if (!status && *changed > before)
		status = replace_people(hub, id, in, err);
	if (!status && aliases)
		status = replace_aliases(hub, id, in->aliases, err);
	if (!status && *changed)
		status = write_details(hub, id, &now, &old, err);
	values_free(&old);
	values_free(&now);
	return status;
}

int hub_referral_update(struct hub *hub, const char *ref,
			const struct referral_input *in, const char *token,
			long long expect_version, int *changed,
			struct md_error *err)
{
	char rstatus[MD_CODE_MAX], canon[MD_REF_MAX];
	long long id;
	int n = 0;
	int status = hub_permit_ref(hub, HUB_ACT_EDIT_DETAILS, ref, err);

	if (changed)
		*changed = 0;
	if (!status)
		status = hub_referral_validate(hub, in, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, rstatus, err);
	if (!status) {
		snprintf(canon, sizeof canon, "R%06lld", id);
		status = hub_details_editable(canon, rstatus, err);
	}
	if (!status)
		status = hub_lease_fence(hub, HUB_LEASE_DETAILS, id, "", token,
					 expect_version, err);
	if (!status)
		status = update_tx(hub, id, in, &n, err);
	if (!status)
		status = hub_lease_finish(hub, HUB_LEASE_DETAILS, id, "", token,
					  err);
	status = hub_end(hub, status, err);
	if (!status && changed)
		*changed = n;
	return status;
}

/* ---- the details as they stand ----------------------------------------------------- */

int hub_details_get(struct hub *hub, const char *ref,
		    struct referral_detail **out, struct md_error *err)
{
	long long id;
	int status = hub_permit_ref(hub, HUB_ACT_EDIT_DETAILS, ref, err);

	*out = NULL;
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	if (status)
		return status;
	hub_audit_view(hub, id, "read to edit its details");
	return hub_referral_read(hub, id, HUB_READ_DESK, out, err);
}

void hub_details_input(const struct referral_detail *d,
		       struct referral_input *in, struct person_input *people)
{
	memset(in, 0, sizeof *in);
	in->child_name = d->row.child_name;
	in->dob = d->row.dob;
	in->dob_estimated = d->row.dob_estimated;
	in->aliases = d->aliases;
	in->gender = d->gender;
	in->ethnicity = d->ethnicity;
	in->language = d->language;
	in->interpreter = d->interpreter;
	in->disability = d->disability;
	in->address = d->address;
	in->previous_address = d->previous_address;
	in->school = d->school;
	in->gp = d->gp;
	in->nhs_number = d->nhs_number;
	in->upn = d->upn;
	in->allocated_worker = d->allocated_worker;
	in->referrer = d->referrer;
	in->referrer_role = d->referrer_role;
	in->referrer_agency = d->referrer_agency;
	in->referrer_contact = d->referrer_contact;
	in->source = d->source;
	in->concern = d->concern;
	in->impact = d->impact;
	in->tried = d->tried;
	in->strengths = d->strengths;
	in->category = d->category;
	in->parents_aware = d->parents_aware;
	in->consent = d->consent;
	in->consent_reason = d->consent_reason;
	for (int i = 0; i < d->npeople && i < MD_MAX_PEOPLE; i++)
		people[i] = (struct person_input){
			.name = d->people[i].name,
			.relationship = d->people[i].relationship,
			.dob = d->people[i].dob,
			.parental_responsibility = d->people[i].parental_responsibility,
			.alleged_perpetrator = d->people[i].alleged_perpetrator,
			.household = d->people[i].household,
		};
	in->people = people;
	in->npeople = d->npeople < MD_MAX_PEOPLE ? d->npeople : MD_MAX_PEOPLE;
}
