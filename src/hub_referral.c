/* hub_referral.c - taking a referral in: validation, reference numbers,
 * repeat detection and the insert shared by `referral add`, `import` and
 * the bulk loader. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/text.h"

#define NAME_BYTES 200
#define TEXT_BYTES 100000   /* any free-text field */
#define FUTURE_SLACK 300    /* seconds of clock skew tolerated */
#define EXPECTED_AHEAD (305 * 86400LL)  /* an expected date: ten months */

/* Optional text: valid UTF-8 and within its size, else EX_DATAERR. */
static int check_text(const char *field, const char *s, size_t max,
		      int required, struct md_error *err)
{
	if (!s || !*s) {
		if (required)
			return md_fail(err, EX_DATAERR, "%s: required", field);
		return 0;
	}
	size_t n = strlen(s);
	if (n > max)
		return md_fail(err, EX_DATAERR, "%s: %zu bytes is too long "
			       "(at most %zu)", field, n, max);
	if (!text_valid_utf8(s, n))
		return md_fail(err, EX_DATAERR, "%s: not valid UTF-8 text", field);
	return 0;
}

static int check_code(struct hub *hub, const char *table, const char *field,
		      const char *code, struct md_error *err)
{
	if (!code || !*code)
		return 0;
	return hub_code_check(hub, table, code, field, err);
}

int hub_nhs_check(const char *s, char out[11], struct md_error *err)
{
	int n = 0;
	out[0] = '\0';
	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p == ' ')
			continue;   /* written as 485 777 3456 */
		if (*p < '0' || *p > '9' || n == 10)
			return md_fail(err, EX_DATAERR, "nhs_number: '%s' is not "
				       "a 10-digit NHS number", s);
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n != 10)
		return md_fail(err, EX_DATAERR, "nhs_number: '%s' is not a "
			       "10-digit NHS number", s);
	return 0;
}

static int check_aliases(const char *aliases, struct md_error *err)
{
	if (!aliases)
		return 0;
	const char *p = aliases;
	while (*p) {
		size_t n = strcspn(p, ";");
		if (n > NAME_BYTES)
			return md_fail(err, EX_DATAERR, "aliases: one alias is "
				       "longer than %d bytes", NAME_BYTES);
		p += n;
		if (*p)
			p++;
	}
	return check_text("aliases", aliases, TEXT_BYTES, 0, err);
}

static int check_people(const struct referral_input *in, struct md_error *err)
{
	if (in->npeople < 0 || in->npeople > MD_MAX_PEOPLE)
		return md_fail(err, EX_DATAERR, "people: at most %d household "
			       "members and significant adults", MD_MAX_PEOPLE);
	/* "person 2: name: required": the desk's form shows it at person
	 * 2's name (forms_problem_field). */
	for (int i = 0; i < in->npeople; i++) {
		const struct person_input *p = &in->people[i];
		char name[32], rel[40];
		snprintf(name, sizeof name, "person %d: name", i + 1);
		snprintf(rel, sizeof rel, "person %d: relationship", i + 1);
		int status = check_text(name, p->name, NAME_BYTES, 1, err);
		if (status == 0)
			status = check_text(rel, p->relationship, NAME_BYTES, 0, err);
		if (status)
			return status;
		if (p->dob && *p->dob && !clock_valid_date(p->dob))
			return md_fail(err, EX_DATAERR, "person %d: dob: '%s' is "
				       "not a date (YYYY-MM-DD)", i + 1, p->dob);
	}
	return 0;
}

static int check_dates(const struct referral_input *in, long long now,
		       struct md_error *err)
{
	if (!in->dob || !*in->dob)
		return md_fail(err, EX_DATAERR, "dob: required (YYYY-MM-DD)");
	if (!clock_valid_date(in->dob))
		return md_fail(err, EX_DATAERR, "dob: '%s' is not a date "
			       "(YYYY-MM-DD)", in->dob);
	int age = clock_age_years(in->dob, now);
	if (!in->dob_estimated && age < 0)
		return md_fail(err, EX_DATAERR, "dob: %s is in the future (for "
			       "an unborn child give the expected date as an "
			       "estimated dob)", in->dob);
	if (age > 25)
		return md_fail(err, EX_DATAERR, "dob: %s makes the child %d; a "
			       "MASH referral is about a child", in->dob, age);
	long long due;
	if (in->dob_estimated && clock_parse_iso(in->dob, &due) == 0 &&
	    due > now + EXPECTED_AHEAD)
		return md_fail(err, EX_DATAERR, "dob: %s is more than ten months "
			       "ahead; an expected date of delivery falls within "
			       "the pregnancy", in->dob);
	if (in->received_at > now + FUTURE_SLACK)
		return md_fail(err, EX_DATAERR, "received: in the future");
	if (in->decided_at &&
	    in->decided_at < (in->received_at ? in->received_at : now))
		return md_fail(err, EX_DATAERR, "decided: earlier than received");
	if (in->decided_at > now + FUTURE_SLACK)
		return md_fail(err, EX_DATAERR, "decided: in the future");
	if ((in->decided_at != 0) != (in->outcome && *in->outcome))
		return md_fail(err, EX_DATAERR, "%s: a decided referral needs "
			       "both decided and outcome",
			       in->decided_at ? "outcome" : "decided");
	return 0;
}

/* Imported history of a contact closed at screening (stage contact,
 * decided): no joint decision, a screening outcome. */
static int closed_at_screening(const struct referral_input *in)
{
	return in->decided_at && in->stage && !strcmp(in->stage, "contact");
}

int hub_referral_validate(struct hub *hub, const struct referral_input *in,
			  struct md_error *err)
{
	static const struct { const char *field; size_t off; size_t max; } texts[] = {
#define T(f, m) { #f, offsetof(struct referral_input, f), m }
		T(gender, NAME_BYTES), T(ethnicity, NAME_BYTES),
		T(language, NAME_BYTES), T(disability, TEXT_BYTES),
		T(address, TEXT_BYTES), T(previous_address, TEXT_BYTES),
		T(school, TEXT_BYTES), T(gp, TEXT_BYTES), T(upn, NAME_BYTES),
		T(allocated_worker, NAME_BYTES), T(referrer, TEXT_BYTES),
		T(referrer_role, NAME_BYTES), T(referrer_agency, NAME_BYTES),
		T(referrer_contact, TEXT_BYTES), T(impact, TEXT_BYTES),
		T(tried, TEXT_BYTES), T(strengths, TEXT_BYTES),
		T(consent_reason, TEXT_BYTES),
#undef T
	};
	long long now = clock_now();
	char nhs[11];
	int status = check_text("child", in->child_name, NAME_BYTES, 1, err);
	if (!status)
		status = check_text("concern", in->concern, TEXT_BYTES, 1, err);
	for (size_t i = 0; !status && i < sizeof texts / sizeof texts[0]; i++)
		status = check_text(texts[i].field,
				    *(const char *const *)((const char *)in + texts[i].off),
				    texts[i].max, 0, err);
	if (!status)
		status = check_dates(in, now, err);
	if (!status)
		status = hub_nhs_check(in->nhs_number, nhs, err);
	if (!status)
		status = check_aliases(in->aliases, err);
	if (!status)
		status = check_people(in, err);
	if (!status && (in->level < 0 || in->level > 4))
		status = md_fail(err, EX_DATAERR, "level: %d is out of range "
				 "(1-4)", in->level);
	if (!status && (in->parents_aware < -1 || in->parents_aware > 1))
		status = md_fail(err, EX_DATAERR, "parents_aware: must be yes or no");
	if (!status)
		status = check_code(hub, "category", "category", in->category, err);
	if (!status)
		status = check_code(hub, "source", "source", in->source, err);
	if (!status)
		status = check_code(hub, "rag", "rag", in->rag, err);
	if (!status)
		status = check_code(hub, "consent_position", "consent",
				    in->consent, err);
	if (!status && in->stage && strcmp(in->stage, "contact") &&
	    strcmp(in->stage, "referral"))
		status = md_fail(err, EX_DATAERR, "stage: '%.40s' is not a stage "
				 "(contact or referral)", in->stage);
	/* A decided contact was closed at screening, with a screening
	 * outcome; a decided referral has the joint decision's. */
	if (!status)
		status = check_code(hub, closed_at_screening(in) ?
				    "screening_outcome" : "outcome", "outcome",
				    in->outcome, err);
	if (!status && in->consent && !strcmp(in->consent, "refused") &&
	    !(in->consent_reason && *in->consent_reason))
		status = md_fail(err, EX_DATAERR, "consent_reason: required when "
				 "consent was refused");
	return status;
}

/* The latest earlier referral of the same child (name and date of birth)
 * or of the same household (address): "join the dots" at receipt.  (A
 * fresh bulk load answers the same from memory: hub_bulk_repeat.c.) */
static int find_repeat(struct hub *hub, const char *name_key, const char *dob,
		       const char *address_key, long long received,
		       long long *repeat_of, struct md_error *err)
{
	static const char sql[] =
		"SELECT max(coalesce((SELECT max(id) FROM referral"
		"   WHERE name_key = ?1 AND dob = ?2 AND received_at <= ?4), 0),"
		"  coalesce((SELECT max(id) FROM referral"
		"   WHERE address_key = ?3 AND received_at <= ?4), 0))";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, name_key);
	hub_bind_text(st, 2, dob);
	hub_bind_text(st, 3, address_key);
	db_bind_int64(st, 4, received);
	int rc = db_step(st);
	*repeat_of = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "looking for earlier referrals", err);
	return 0;
}

int hub_aliases_insert(struct hub *hub, long long id, const char *aliases,
		       struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO referral_alias (referral_id, alias, alias_key)"
		" VALUES (?1, ?2, md_normalise(?2)) ON CONFLICT DO NOTHING";
	char one[NAME_BYTES + 1];
	for (const char *p = aliases; p && *p;) {
		size_t n = strcspn(p, ";");
		const char *s = p;
		p += n + (p[n] ? 1 : 0);
		while (n && *s == ' ')
			s++, n--;
		while (n && s[n - 1] == ' ')
			n--;
		if (n == 0)
			continue;
		snprintf(one, sizeof one, "%.*s", (int)n, s);
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, one);
		int status = hub_step_done(hub, st, "saving an alias", err);
		if (status)
			return status;
	}
	return 0;
}

int hub_people_insert(struct hub *hub, long long id,
		      const struct referral_input *in, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO person (referral_id, name, relationship, dob,"
		" parental_responsibility, alleged_perpetrator, household)"
		" VALUES (?, ?, coalesce(?, 'not known'), ?, ?, ?, ?)";
	for (int i = 0; i < in->npeople; i++) {
		const struct person_input *p = &in->people[i];
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, p->name);
		hub_bind_text(st, 3, p->relationship);
		hub_bind_text(st, 4, p->dob);
		db_bind_int64(st, 5, p->parental_responsibility ? 1 : 0);
		db_bind_int64(st, 6, p->alleged_perpetrator ? 1 : 0);
		db_bind_int64(st, 7, p->household ? 1 : 0);
		int status = hub_step_done(hub, st, "saving a household member", err);
		if (status)
			return status;
	}
	return 0;
}

/* After the highest referral there is or was: a number removed under
 * retention (referral_removed) is never given again. */
static int next_referral_id(struct hub *hub, long long *id, struct md_error *err)
{
	static const char sql[] =
		"SELECT max(coalesce((SELECT max(id) FROM referral), 0),"
		" coalesce((SELECT max(id) FROM referral_removed), 0)) + 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc = db_step(st);
	*id = db_column_int64(st, 0);
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "numbering", err);
}

static void bind_referral_columns(struct db_stmt *st, const struct referral_input *in)
{
	int i = 5;   /* 1-4 are id, ref, keys; see the INSERT's order */
	const char *texts[] = {
		in->child_name, in->dob, in->gender, in->ethnicity, in->language,
		in->disability, in->address, in->previous_address, in->school,
		in->gp, in->upn, in->allocated_worker, in->referrer,
		in->referrer_role, in->referrer_agency, in->referrer_contact,
		in->source, in->concern, in->impact, in->tried, in->strengths,
		in->category, in->consent, in->consent_reason, in->rag,
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		hub_bind_text(st, i++, texts[k]);
	db_bind_int64(st, i++, in->dob_estimated ? 1 : 0);
	db_bind_int64(st, i++, in->interpreter ? 1 : 0);
	hub_bind_opt_int(st, i++, in->parents_aware, in->parents_aware >= 0);
	hub_bind_opt_int(st, i++, in->level, in->level > 0);
}

int hub_referral_insert(struct hub *hub, const struct referral_input *in,
			const struct referral_fate *fate, long long now,
			long long *id, char ref[MD_REF_MAX], struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO referral (id, ref, name_key, address_key,"
		" child_name, dob, gender, ethnicity, language, disability,"
		" address, previous_address, school, gp, upn, allocated_worker,"
		" referrer, referrer_role, referrer_agency, referrer_contact,"
		" source, concern, impact, tried, strengths, category, consent,"
		" consent_reason, rag, dob_estimated, interpreter, parents_aware,"
		" level, nhs_number, repeat_of, received_at, due_at, decided_at,"
		" status, created_by, updated_at, assigned_to, stage, screened_at,"
		" screened_by, screening_outcome, screening_reason)"
		" VALUES (?,?,?,?, ?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?, ?,?,?,?,?,?,?,"
		" ?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?, ?,?,?,?,?)";
	char name_key[NAME_BYTES * 2], address_key[1024], nhs[11];
	long long received = in->received_at ? in->received_at : now, repeat = 0;
	text_normalise(name_key, sizeof name_key, in->child_name);
	text_normalise(address_key, sizeof address_key,
		       in->address ? in->address : "");
	int status = hub_nhs_check(in->nhs_number, nhs, err);
	if (!status)
		status = next_referral_id(hub, id, err);
	if (!status && fate && fate->memo) {
		if (repeat_memo_link(fate->memo, name_key, in->dob, address_key,
				     *id, &repeat))
			status = md_fail(err, EX_OSERR, "out of memory");
	} else if (!status) {
		status = find_repeat(hub, name_key, in->dob,
				     address_key[0] ? address_key : NULL,
				     received, &repeat, err);
	}
	if (status)
		return status;
	snprintf(ref, MD_REF_MAX, "R%06lld", *id);
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, *id);
	hub_bind_text(st, 2, ref);
	hub_bind_text(st, 3, name_key);
	hub_bind_text(st, 4, address_key);
	bind_referral_columns(st, in);
	hub_bind_text(st, 34, nhs);
	hub_bind_opt_int(st, 35, repeat, repeat > 0);
	db_bind_int64(st, 36, received);
	/* A contact rated at intake is due by its RAG's decision hours. */
	db_bind_int64(st, 37, clock_due_at(&hub->cfg.work, received,
		config_decision_hours(&hub->cfg, fate && fate->rag ? fate->rag
						 : in->rag)));
	long long decided = fate ? fate->decided_at : in->decided_at;
	int closed = !fate && closed_at_screening(in);
	hub_bind_opt_int(st, 38, decided, decided != 0);
	hub_bind_text(st, 39, fate ? fate->status : closed ? "closed" :
		      in->decided_at ? "decided" : "new");
	hub_bind_text(st, 40, hub->me.login);
	db_bind_int64(st, 41, now);
	hub_bind_text(st, 42, fate ? fate->assigned_to : NULL);
	/* Everything taken in is a contact until screened; history that
	 * arrives decided was a referral. */
	const char *stage = fate && fate->stage ? fate->stage
			    : !fate && in->stage ? in->stage
			    : decided ? "referral" : "contact";
	hub_bind_text(st, 43, stage);
	hub_bind_opt_int(st, 44, fate ? fate->screened_at : decided,
			 fate ? fate->screened_at != 0 : closed);
	hub_bind_text(st, 45, fate ? fate->screened_by : NULL);
	/* Imported history closed at screening: who screened it is not
	 * known here (as a migrated decision's maker is not). */
	hub_bind_text(st, 46, fate ? fate->screening_outcome
			      : closed ? in->outcome : NULL);
	hub_bind_text(st, 47, fate ? fate->screening_reason
			      : closed ? "Closed at screening before this hub's "
				"records began (imported history)." : NULL);
	if (fate && fate->rag)
		hub_bind_text(st, 29, fate->rag);
	if (fate && fate->level)
		db_bind_int64(st, 33, fate->level);
	status = hub_step_done(hub, st, "saving the referral", err);
	if (!status)
		status = hub_aliases_insert(hub, *id, in->aliases, err);
	if (!status && !(fate && fate->people_later))
		status = hub_people_insert(hub, *id, in, err);
	if (!status && !fate && in->rag && *in->rag)
		status = hub_rating_insert(hub, *id, NULL, in->rag,
					   "rated at intake", received, err);
	/* Rated red at intake: a strategy discussion is due from receipt.
	 * Not for history arriving decided, nor a bulk load's (fate). */
	if (!status && !fate && !in->decided_at && in->rag && *in->rag)
		status = hub_strategy_threshold(hub, *id, received, err);
	if (!status && in->decided_at && !fate && !closed) {
		struct decision_input d = {
			.outcome = in->outcome,
			.rationale = "Decided before this hub's records began "
				     "(imported history).",
		};
		status = hub_decision_insert(hub, *id, &d, NULL, in->decided_at,
					     0, err);
	}
	return status;
}

int hub_rating_insert(struct hub *hub, long long id, const char *from,
		      const char *to, const char *reason, long long at,
		      struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO rating (referral_id, at, by_login, from_rag, to_rag,"
		" reason) VALUES (?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	hub_bind_text(st, 3, hub->me.login);
	hub_bind_text(st, 4, from);
	hub_bind_text(st, 5, to);
	hub_bind_text(st, 6, reason);
	return hub_step_done(hub, st, "keeping the rating", err);
}

int hub_search_index(struct hub *hub, long long first, long long last,
		     struct md_error *err)
{
	/* The search table's key: FTS5's rowid, PostgreSQL's id (db/pg/0003). */
#define SEARCH_SQL(KEY) \
		"INSERT INTO referral_search (" KEY ", ref, child_name, aliases)" \
		" SELECT r.id, r.ref, r.child_name," \
		"  coalesce((SELECT group_concat(alias, ' ') FROM referral_alias a" \
		"            WHERE a.referral_id = r.id), '')" \
		" FROM referral r WHERE r.id BETWEEN ? AND ?"
	static const char *const sql[] = {
		[HUB_SQLITE] = SEARCH_SQL("rowid"),
		[HUB_POSTGRES] = SEARCH_SQL("id"),
	};
	if (last < first)
		return 0;
	struct db_stmt *st = hub_stmt(hub, sql[hub->engine], err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, first);
	db_bind_int64(st, 2, last);
	return hub_step_done(hub, st, "indexing referrals for search", err);
}

int hub_referral_add(struct hub *hub, const struct referral_input *in,
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
		status = hub_audit(hub, "referral-add", id, err, "took in %s", ref);
	return hub_end(hub, status, err);
}
