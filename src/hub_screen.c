/* hub_screen.c - the front door (see hub_screen.h): screening a contact
 * (progressed to the hub's checks, or closed with an outcome), asking
 * agencies for their checks, and rating with a reason.
 *
 * Each is one short BEGIN IMMEDIATE transaction.  Its first UPDATE carries
 * the precondition (a contact still open, a rating still what the caller
 * saw), as a claim's does, so two desks racing cannot both win; the loser
 * is told who won and when, read in the same transaction.  The audit row
 * goes in with the change. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_screen.h"

#define REASON_BYTES 100000

/* ---- what the front door reads of a record -------------------------------- */

struct front {
	char stage[16];                 /* contact | referral */
	char status[MD_CODE_MAX];
	int open;                       /* open, and not awaiting sign-off */
	char rag[MD_CODE_MAX];          /* "" = not rated */
	long long screened_at;          /* 0 = never screened */
	char screened_by[MD_LOGIN_MAX];
	char outcome[MD_CODE_MAX];      /* closed at screening: the outcome */
};

static int front_read(struct hub *hub, long long id, struct front *f,
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT r.stage, r.status, s.open = 1 AND r.status <> 'signoff',"
		" coalesce(r.rag, ''), coalesce(r.screened_at, 0),"
		" coalesce(r.screened_by, ''), coalesce(r.screening_outcome, '')"
		" FROM referral r JOIN referral_status s ON s.code = r.status"
		" WHERE r.id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	memset(f, 0, sizeof *f);
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, f->stage, sizeof f->stage);
		hub_col_text(st, 1, f->status, sizeof f->status);
		f->open = db_column_int(st, 2);
		hub_col_text(st, 3, f->rag, sizeof f->rag);
		f->screened_at = db_column_int64(st, 4);
		hub_col_text(st, 5, f->screened_by, sizeof f->screened_by);
		hub_col_text(st, 6, f->outcome, sizeof f->outcome);
	}
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading the contact", err);
}

/* Why a contact cannot be screened (again): done by the acting user is
 * EX_DATAERR, by someone else EX_TEMPFAIL naming them and when. */
static int screened_refusal(struct hub *hub, const char *ref,
			    const struct front *f, struct md_error *err)
{
	char when[CLOCK_ISO_MAX], how[MD_CODE_MAX + 16];

	if (!f->screened_at && !f->open)
		return md_fail(err, EX_DATAERR, "%s is already decided; only an "
			       "open contact is screened", ref);
	if (!f->screened_at && !strcmp(f->stage, "referral"))
		return md_fail(err, EX_DATAERR, "%s is a referral already (it "
			       "came in before the front door); to ask more "
			       "agencies: mashdesk request %s AGENCY", ref, ref);
	if (!f->screened_at)
		return md_fail(err, EX_TEMPFAIL, "%s changed meanwhile; look "
			       "again and retry", ref);
	clock_format_iso(f->screened_at, when);
	if (f->outcome[0])
		snprintf(how, sizeof how, "closed as %s", f->outcome);
	else
		snprintf(how, sizeof how, "progressed");
	if (!strcmp(f->screened_by, hub->me.login))
		return md_fail(err, EX_DATAERR, "%s was screened already, by you "
			       "at %s (%s)", ref, when, how);
	return md_fail(err, EX_TEMPFAIL, "%s was screened by %s at %s (%s)", ref,
		       f->screened_by, when, how);
}

/* ---- checking what is given ------------------------------------------------ */

static int rag_given(struct hub *hub, const char *rag, struct md_error *err)
{
	if (!rag || !*rag)
		return md_fail(err, EX_USAGE, "rag: required; red, amber or green");
	return hub_code_check(hub, "rag", rag, "rag", err);
}

/* The agencies asked, checked and without repeats. */
struct asked {
	char code[MD_MAX_AGENCIES][MD_CODE_MAX];
	int n;
	char list[MD_MAX_AGENCIES * (MD_CODE_MAX + 2)];   /* "police, health" */
};

static int agencies_take(struct hub *hub, const char *field,
			 const char *const *agencies, int n, struct asked *a,
			 struct md_error *err)
{
	static const char sql[] = "SELECT active FROM agency WHERE code = ?";
	a->n = 0;
	a->list[0] = '\0';
	for (int i = 0; agencies && i < n; i++) {
		const char *code = agencies[i];
		int dup = 0, status;
		if (!code || !*code)
			continue;
		if ((status = hub_code_check(hub, "agency", code, field, err)))
			return status;
		for (int k = 0; k < a->n; k++)
			dup |= !strcmp(a->code[k], code);
		if (dup)
			continue;
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		hub_bind_text(st, 1, code);
		int rc = db_step(st), active = rc == DB_ROW &&
				db_column_int(st, 0);
		hub_reset(st);
		if (rc != DB_ROW)
			return hub_sql_fail(hub, rc, "reading an agency", err);
		if (!active)
			return md_fail(err, EX_DATAERR, "%s: %s is not an active "
				       "agency of hub %s", field, code, hub->name);
		if (a->n == MD_MAX_AGENCIES)
			return md_fail(err, EX_DATAERR, "%s: at most %d agencies",
				       field, MD_MAX_AGENCIES);
		snprintf(a->code[a->n], MD_CODE_MAX, "%s", code);
		size_t used = strlen(a->list);
		snprintf(a->list + used, sizeof a->list - used, "%s%s",
			 a->n ? ", " : "", code);
		a->n++;
	}
	if (a->n == 0)
		return md_fail(err, EX_USAGE, "%s: required; name the agencies to "
			       "ask for their checks, e.g. police,health", field);
	return 0;
}

/* ---- the raise/lower rule --------------------------------------------------- */

/* 1 in *raises when `to` is more urgent than `from` (the rag table's
 * sort: red first; "" = not rated, below every rating). */
static int rag_raises(struct hub *hub, const char *from, const char *to,
		      int *raises, struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce((SELECT sort FROM rag WHERE code = ?2), 1e9)"
		" < coalesce((SELECT sort FROM rag WHERE code = ?1), 1e9)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, from);
	hub_bind_text(st, 2, to);
	int rc = db_step(st);
	*raises = rc == DB_ROW && db_column_int(st, 0);
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "comparing ratings", err);
}

/* A raised rating: the decision and every open check due no later than
 * the new RAG's timescale from now (never later than they were).  *moved
 * says whether any due time moved. */
static int bring_forward(struct hub *hub, long long id, const char *rag,
			 long long now, int *moved, struct md_error *err)
{
	static const char ref_sql[] =
		"UPDATE referral SET due_at = ?1 WHERE id = ?2 AND due_at > ?1";
	static const char checks_sql[] =
		"UPDATE agency_check SET due_at = ?1 WHERE referral_id = ?2"
		" AND completed_at IS NULL AND due_at > ?1";
	const char *const sqls[] = { ref_sql, checks_sql };
	long long due[] = {
		clock_due_at(&hub->cfg.work, now, config_decision_hours(&hub->cfg, rag)),
		clock_due_at(&hub->cfg.work, now, config_check_hours(&hub->cfg, rag)),
	};
	for (int i = 0; i < 2; i++) {
		struct db_stmt *st = hub_stmt(hub, sqls[i], err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, due[i]);
		db_bind_int64(st, 2, id);
		int status = hub_step_done(hub, st, "bringing due times forward", err);
		if (status)
			return status;
		*moved |= hub_changes(hub) > 0;
	}
	return 0;
}

/* ---- asking an agency ---------------------------------------------------- */

/* Who asked agency for its check on id, and when, for a refusal:
 * EX_DATAERR when the acting user did, EX_TEMPFAIL naming someone else. */
static int asked_already(struct hub *hub, long long id, const char *agency,
			 const char *field, struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(requested_by, ''), requested_at FROM agency_check"
		" WHERE referral_id = ? AND agency = ?";
	char by[MD_LOGIN_MAX] = "", when[CLOCK_ISO_MAX] = "?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, agency);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, by, sizeof by);
		clock_format_iso(db_column_int64(st, 1), when);
	}
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the check", err);
	if (!strcmp(by, hub->me.login))
		return md_fail(err, EX_DATAERR, "%s: %s was asked already (at %s "
			       "by %s)", field, agency, when, by);
	return md_fail(err, EX_TEMPFAIL, "%s: %s was asked already, by %s at %s",
		       field, agency, by, when);
}

/* Ask agency for its check on id, inside the open transaction: a new
 * check, requested now and due by the RAG's check hours from now; or the
 * check the agency recorded unasked, marked as asked now (its clock kept,
 * its due time no later than a new one's).  Asked already: refused. */
static int ask_one(struct hub *hub, long long id, const char *agency,
		   const char *rag, const char *reason, long long now,
		   const char *field, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO agency_check (referral_id, agency, status, requested_at,"
		" due_at, updated_by, updated_at, requested_by, request_reason)"
		" VALUES (?1, ?2, 'requested', ?3, ?4, ?5, ?3, ?5, ?6)"
		" ON CONFLICT (referral_id, agency) DO UPDATE SET"
		"  requested_by = excluded.requested_by,"
		"  request_reason = excluded.request_reason,"
		"  due_at = CASE WHEN agency_check.completed_at IS NULL"
		"   THEN min(agency_check.due_at, excluded.due_at)"
		"   ELSE agency_check.due_at END"
		" WHERE agency_check.requested_by IS NULL";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, agency);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, clock_due_at(&hub->cfg.work, now,
					       config_check_hours(&hub->cfg, rag)));
	hub_bind_text(st, 5, hub->me.login);
	hub_bind_text(st, 6, reason);
	int status = hub_step_done(hub, st, "asking an agency for its check", err);
	if (!status && hub_changes(hub) == 0)
		status = asked_already(hub, id, agency, field, err);
	return status;
}

static int ask_all(struct hub *hub, long long id, const struct asked *a,
		   const char *rag, const char *reason, long long now,
		   const char *field, struct md_error *err)
{
	int status = 0;
	for (int i = 0; !status && i < a->n; i++)
		status = ask_one(hub, id, a->code[i], rag, reason, now, field, err);
	return status;
}

/* ---- screening ------------------------------------------------------------- */

int hub_screen_progress(struct hub *hub, const char *ref, const char *rag,
			const char *reason, int level,
			const char *const *agencies, int n,
			struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET stage = 'referral', screened_at = ?1,"
		" screened_by = ?2, screening_reason = ?3, rag = ?4,"
		" level = coalesce(?5, level), status = 'checks',"
		" version = version + 1, updated_at = ?1"
		" WHERE id = ?6 AND stage = 'contact'"
		" AND status IN ('new', 'screening', 'checks', 'decision')";
	struct asked a;
	struct front f;
	long long id = 0, now = clock_now();
	int raises = 0, moved = 0;
	int status = hub_permit_ref(hub, HUB_ACT_SCREEN, ref, err);
	if (!status)
		status = rag_given(hub, rag, err);
	if (!status && (level < 0 || level > 4))
		status = md_fail(err, EX_DATAERR, "level: %d is out of range "
				 "(1-4)", level);
	if (!status)
		status = hub_note_check("reason", reason, REASON_BYTES, "say why "
					"it goes to the hub's checks", err);
	if (!status)
		status = agencies_take(hub, "request", agencies, n, &a, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = front_read(hub, id, &f, err);
	if (!status)
		status = rag_raises(hub, f.rag, rag, &raises, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, now);
		hub_bind_text(st, 2, hub->me.login);
		hub_bind_text(st, 3, reason);
		hub_bind_text(st, 4, rag);
		hub_bind_opt_int(st, 5, level, level > 0);
		db_bind_int64(st, 6, id);
		status = hub_step_done(hub, st, "screening the contact", err);
		if (!status && hub_changes(hub) == 0)
			status = screened_refusal(hub, ref, &f, err);
	}
	if (!status && raises)
		status = bring_forward(hub, id, rag, now, &moved, err);
	if (!status)
		status = ask_all(hub, id, &a, rag, reason, now, "request", err);
	if (!status)
		status = hub_status_refresh(hub, id, err);
	if (!status)
		status = hub_rating_insert(hub, id, f.rag[0] ? f.rag : NULL, rag,
					   reason, now, err);
	if (!status)
		status = hub_strategy_threshold(hub, id, now, err);
	if (!status) {
		char lv[24] = "";
		if (level > 0)
			snprintf(lv, sizeof lv, ", level %d", level);
		status = hub_audit(hub, "screen", id, err, "screened: %s%s, asked "
				   "%s: %s", rag, lv, a.list, reason);
	}
	return hub_end(hub, status, err);
}

/* The allocated social worker recorded for the child of id (this record,
 * else the newest record of the same child, name and date of birth);
 * "" when there is none. */
static int allocated_worker(struct hub *hub, long long id, char *worker,
			    size_t len, struct md_error *err)
{
	static const char sql[] =
		"SELECT p.allocated_worker FROM referral r JOIN referral p"
		" ON p.id = r.id OR (p.name_key = r.name_key AND p.dob = r.dob)"
		" WHERE r.id = ?1 AND coalesce(p.allocated_worker, '') <> ''"
		" ORDER BY p.id = r.id DESC, p.received_at DESC LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	worker[0] = '\0';
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		hub_col_text(st, 0, worker, len);
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "looking for the allocated worker", err);
}

int hub_screen_close(struct hub *hub, const char *ref, const char *outcome,
		     const char *reason, struct md_error *err)
{
	/* Closed: decided_at is when it stopped being open (the schema
	 * wants it on every closed row). */
	static const char sql[] =
		"UPDATE referral SET status = 'closed',"
		" decided_at = max(?1, received_at), screened_at = max(?1, received_at),"
		" screened_by = ?2, screening_outcome = ?3, screening_reason = ?4,"
		" version = version + 1, updated_at = ?1"
		" WHERE id = ?5 AND stage = 'contact'"
		" AND status IN ('new', 'screening', 'checks', 'decision')";
	struct front f;
	char worker[MD_NAME_MAX] = "";
	long long id = 0, now = clock_now();
	int status = hub_permit_ref(hub, HUB_ACT_SCREEN, ref, err);
	if (!status && (!outcome || !*outcome))
		status = md_fail(err, EX_USAGE, "close: required; nfa, advice, "
				 "early-help or allocated");
	if (!status)
		status = hub_code_check(hub, "screening_outcome", outcome, "close",
					err);
	if (!status)
		status = hub_note_check("reason", reason, REASON_BYTES, "say why "
					"it is closed", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = front_read(hub, id, &f, err);
	if (!status && !strcmp(outcome, "allocated"))
		status = allocated_worker(hub, id, worker, sizeof worker, err);
	if (!status && !strcmp(outcome, "allocated") && !worker[0] && f.open &&
	    !strcmp(f.stage, "contact"))
		status = md_fail(err, EX_DATAERR, "close: allocated passes the "
				 "contact to the child's allocated social worker, "
				 "and none is recorded for this child; close it as "
				 "nfa, advice or early-help, or progress it");
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, now);
		hub_bind_text(st, 2, hub->me.login);
		hub_bind_text(st, 3, outcome);
		hub_bind_text(st, 4, reason);
		db_bind_int64(st, 5, id);
		status = hub_step_done(hub, st, "closing the contact", err);
		if (!status && hub_changes(hub) == 0)
			status = screened_refusal(hub, ref, &f, err);
	}
	if (!status)
		status = hub_audit(hub, "screen", id, err, "closed at screening: "
				   "%s%s%s: %s", outcome, worker[0] ? ", to " : "",
				   worker, reason);
	return hub_end(hub, status, err);
}

/* ---- asking more agencies later ------------------------------------------- */

/* Why no agency can be asked on ref now. */
static int request_refusal(const char *ref, const struct front *f,
			   struct md_error *err)
{
	if (f->outcome[0])
		return md_fail(err, EX_DATAERR, "%s was closed at screening (%s); "
			       "no agency is asked on it", ref, f->outcome);
	if (!f->open)
		return md_fail(err, EX_DATAERR, "%s is decided; its agency checks "
			       "are closed", ref);
	return md_fail(err, EX_DATAERR, "%s is a contact: screen it first, "
		       "asking the agencies then (mashdesk screen %s --rag RAG "
		       "--reason TEXT --request AGENCY)", ref, ref);
}

int hub_request(struct hub *hub, const char *ref, const char *const *agencies,
		int n, const char *reason, struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET version = version + 1, updated_at = ?1"
		" WHERE id = ?2 AND stage = 'referral'"
		" AND status NOT IN ('decided', 'closed', 'signoff')";
	struct asked a;
	struct front f;
	long long id = 0, now = clock_now();
	int status = hub_permit_ref(hub, HUB_ACT_REQUEST, ref, err);
	if (!status && reason && *reason)
		status = hub_note_check("reason", reason, REASON_BYTES, "", err);
	if (!status)
		status = agencies_take(hub, "agency", agencies, n, &a, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = front_read(hub, id, &f, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, now);
		db_bind_int64(st, 2, id);
		status = hub_step_done(hub, st, "asking agencies", err);
		if (!status && hub_changes(hub) == 0)
			status = request_refusal(ref, &f, err);
	}
	if (!status)
		status = ask_all(hub, id, &a, f.rag, reason && *reason ? reason
				 : NULL, now, "agency", err);
	if (!status)
		status = hub_status_refresh(hub, id, err);
	if (!status)
		status = hub_audit(hub, "request", id, err, "asked %s for %s "
				   "check%s%s%s", a.list, a.n == 1 ? "its" : "their",
				   a.n == 1 ? "" : "s", reason && *reason ? ": " : "",
				   reason && *reason ? reason : "");
	return hub_end(hub, status, err);
}

/* ---- rating ------------------------------------------------------------------ */

/* The latest rating of id: "red by sam at TIME" into buf, and its rater;
 * "someone" when it was never rated through the front door. */
static int last_rating(struct hub *hub, long long id, char *buf, size_t len,
		       char by[MD_LOGIN_MAX], struct md_error *err)
{
	static const char sql[] =
		"SELECT to_rag, by_login, at FROM rating WHERE referral_id = ?"
		" ORDER BY at DESC, id DESC LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	by[0] = '\0';
	snprintf(buf, len, "someone");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char to[MD_CODE_MAX], when[CLOCK_ISO_MAX];
		hub_col_text(st, 0, to, sizeof to);
		hub_col_text(st, 1, by, MD_LOGIN_MAX);
		clock_format_iso(db_column_int64(st, 2), when);
		snprintf(buf, len, "%s by %s at %s", to, by, when);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the ratings", err);
}

/* Why this rating is refused, given where the record stands (f), what
 * the caller saw (seen, or NULL) and the rating asked for. */
static int rate_refusal(struct hub *hub, const char *ref, long long id,
			const struct front *f, const char *seen,
			const char *rag, struct md_error *err)
{
	char last[MD_CODE_MAX + MD_LOGIN_MAX + CLOCK_ISO_MAX + 16];
	char by[MD_LOGIN_MAX];
	int status;

	if (f->outcome[0])
		return md_fail(err, EX_DATAERR, "%s was closed at screening (%s); "
			       "its rating stands", ref, f->outcome);
	if (!f->open)
		return md_fail(err, EX_DATAERR, "%s is %s; its rating stands",
			       ref, !strcmp(f->status, "signoff") ?
			       "decided and awaits sign-off" : "decided");
	if ((status = last_rating(hub, id, last, sizeof last, by, err)))
		return status;
	if (seen && strcmp(seen, f->rag))
		return md_fail(err, EX_TEMPFAIL, "%s was rated %s meanwhile; look "
			       "again before rating it", ref, last);
	if (!strcmp(f->rag, rag))
		return md_fail(err, EX_DATAERR, "rag: %s is already %s (rated %s)",
			       ref, rag, last);
	return md_fail(err, EX_TEMPFAIL, "%s changed meanwhile; look again and "
		       "retry", ref);
}

int hub_rate_seen(struct hub *hub, const char *ref, const char *seen,
		  const char *rag, const char *reason, struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET rag = ?1, version = version + 1, updated_at = ?2"
		" WHERE id = ?3 AND coalesce(rag, '') = ?4 AND coalesce(rag, '') <> ?1"
		" AND coalesce(rag, '') = coalesce(?5, coalesce(rag, ''))"
		" AND status NOT IN ('decided', 'closed', 'signoff')";
	struct front f;
	long long id = 0, now = clock_now();
	int raises = 0, moved = 0;
	int status = hub_permit_ref(hub, HUB_ACT_RATE, ref, err);
	if (!status)
		status = rag_given(hub, rag, err);
	if (!status)
		status = hub_note_check("reason", reason, REASON_BYTES, "say why "
					"the rating changes", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = front_read(hub, id, &f, err);
	if (!status)
		status = rag_raises(hub, f.rag, rag, &raises, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, rag);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, id);
		/* "" binds as text here: the rating as read, not rated or not */
		db_bind_text(st, 4, f.rag);
		if (seen)
			db_bind_text(st, 5, seen);
		else
			db_bind_null(st, 5);
		status = hub_step_done(hub, st, "rating", err);
		if (!status && hub_changes(hub) == 0)
			status = rate_refusal(hub, ref, id, &f, seen, rag, err);
	}
	if (!status && raises)
		status = bring_forward(hub, id, rag, now, &moved, err);
	if (!status)
		status = hub_rating_insert(hub, id, f.rag[0] ? f.rag : NULL, rag,
					   reason, now, err);
	if (!status)
		status = hub_strategy_threshold(hub, id, now, err);
	if (!status)
		status = hub_audit(hub, "rate", id, err, "rated %s (was %s)%s: %s",
				   rag, f.rag[0] ? f.rag : "not rated",
				   moved ? ", due times brought forward" : "",
				   reason);
	return hub_end(hub, status, err);
}

int hub_rate(struct hub *hub, const char *ref, const char *rag,
	     const char *reason, struct md_error *err)
{
	return hub_rate_seen(hub, ref, NULL, rag, reason, err);
}
