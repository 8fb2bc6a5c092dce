/* hub_work.c - working a referral: claim, assign, agency checks and the
 * joint decision.  Each is one short BEGIN IMMEDIATE transaction whose
 * UPDATE carries its own precondition, so two desks racing for the same
 * referral cannot both win: the loser is told who did. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/text.h"

#define TEXT_BYTES 100000

/* Who holds a referral, and whether it is still open, for messages. */
static int referral_holder(struct hub *hub, long long id, char *holder,
			   size_t len, int *open, struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(r.assigned_to, ''), s.open FROM referral r"
		" JOIN referral_status s ON s.code = r.status WHERE r.id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, holder, len);
		*open = db_column_int(st, 1);
	}
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading a referral", err);
}

int hub_claim(struct hub *hub, const char *ref, struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET assigned_to = ?1,"
		" status = CASE status WHEN 'new' THEN 'screening' ELSE status END,"
		" version = version + 1, updated_at = ?2"
		" WHERE id = ?3 AND assigned_to IS NULL"
		" AND status NOT IN ('decided', 'closed')";
	static const char log_sql[] =
		"INSERT INTO assignment (referral_id, login, by_login, reason, at)"
		" VALUES (?1, ?2, ?2, 'claimed', ?3)";
	long long id, now = clock_now();
	int status = hub_permit_ref(hub, HUB_ACT_CLAIM, ref, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, hub->me.login);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, id);
		status = hub_step_done(hub, st, "claiming", err);
	}
	if (!status && hub_changes(hub) == 0) {
		char holder[MD_LOGIN_MAX] = "";
		int open = 0;
		status = referral_holder(hub, id, holder, sizeof holder, &open, err);
		if (!status && !strcmp(holder, hub->me.login))
			return hub_end(hub, 0, err);   /* already yours */
		if (!status && !open)
			status = md_fail(err, EX_DATAERR, "%s is already decided",
					 ref);
		else if (!status)
			status = md_fail(err, EX_TEMPFAIL, "%s is already claimed "
					 "by %s", ref, holder);
		return hub_end(hub, status, err);
	}
	if (!status && !(st = hub_stmt(hub, log_sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, hub->me.login);
		db_bind_int64(st, 3, now);
		status = hub_step_done(hub, st, "recording the claim", err);
	}
	if (!status)
		status = hub_audit(hub, "claim", id, err, "claimed");
	return hub_end(hub, status, err);
}

/* A login that can hold referrals: active practitioner or supervisor. */
static int check_assignee(struct hub *hub, const char *login,
			  struct md_error *err)
{
	static const char sql[] =
		"SELECT role, active FROM app_user WHERE login = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, login);
	int rc = db_step(st);
	char role[MD_CODE_MAX] = "";
	int active = 0;
	if (rc == DB_ROW) {
		hub_col_text(st, 0, role, sizeof role);
		active = db_column_int(st, 1);
	}
	hub_reset(st);
	if (rc == DB_DONE)
		return md_fail(err, EX_NOUSER, "%s is not a user of hub %s", login,
			       hub->name);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "looking up a user", err);
	if (!active)
		return md_fail(err, EX_DATAERR, "%s is deactivated and cannot "
			       "hold referrals", login);
	if (strcmp(role, "practitioner") && strcmp(role, "supervisor"))
		return md_fail(err, EX_DATAERR, "%s is %s %s; only practitioners "
			       "and supervisors hold referrals", login,
			       role[0] == 'a' ? "an" : "a", role);
	return 0;
}

/* One assignment inside the caller's transaction (hub_assign, and
 * hub_reassign's batch): the permission and reason are checked first. */
int hub_assign_tx(struct hub *hub, const char *ref, const char *login,
		  const char *reason, long long now, struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET assigned_to = ?1,"
		" status = CASE status WHEN 'new' THEN 'screening' ELSE status END,"
		" version = version + 1, updated_at = ?2"
		" WHERE id = ?3 AND status NOT IN ('decided', 'closed')";
	static const char log_sql[] =
		"INSERT INTO assignment (referral_id, login, by_login, reason, at)"
		" VALUES (?, ?, ?, ?, ?)";
	long long id;
	char was[MD_LOGIN_MAX] = "";
	int open = 0;
	int status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = referral_holder(hub, id, was, sizeof was, &open, err);
	if (!status)
		status = check_assignee(hub, login, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, login);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, id);
		status = hub_step_done(hub, st, "assigning", err);
	}
	if (!status && hub_changes(hub) == 0)
		status = md_fail(err, EX_DATAERR, "%s is already decided", ref);
	if (!status && !(st = hub_stmt(hub, log_sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, login);
		hub_bind_text(st, 3, hub->me.login);
		hub_bind_text(st, 4, reason);
		db_bind_int64(st, 5, now);
		status = hub_step_done(hub, st, "recording the assignment", err);
	}
	if (!status)
		status = hub_audit(hub, "assign", id, err, "assigned to %s (was %s): %s",
				   login, was[0] ? was : "unassigned", reason);
	return status;
}

/* Who may assign, and a reason that can be kept. */
int hub_assign_allowed(struct hub *hub, const char *reason,
		       struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_ASSIGN, err);
	if (!status)
		status = hub_note_check("reason", reason, TEXT_BYTES, "say why "
					"it is assigned", err);
	return status;
}

int hub_assign(struct hub *hub, const char *ref, const char *login,
	       const char *reason, struct md_error *err)
{
	/* a refusal is recorded against the referral tried */
	int status = hub_permit_ref(hub, HUB_ACT_ASSIGN, ref, err);
	if (!status)
		status = hub_assign_allowed(hub, reason, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_assign_tx(hub, ref, login, reason, clock_now(), err);
	return hub_end(hub, status, err);
}

/* ---- agency checks ----------------------------------------------------- */

static int validate_check(struct hub *hub, const struct check_input *in,
			  struct md_error *err)
{
	int status = 0;
	if (!in->status || !*in->status)
		return md_fail(err, EX_USAGE, "status: required; choose "
			       "requested, in-progress, complete or "
			       "nothing-known");
	status = hub_code_check(hub, "check_status", in->status, "status", err);
	if (!status && in->basis && *in->basis)
		status = hub_code_check(hub, "lawful_basis", in->basis, "basis", err);
	if (!status && in->consent && *in->consent)
		status = hub_code_check(hub, "consent_position", in->consent,
					"consent", err);
	if (!status && in->handling && *in->handling)
		status = hub_code_check(hub, "handling_code", in->handling,
					"handling", err);
	const char *texts[] = { in->info, in->consent_reason };
	for (int i = 0; !status && i < 2; i++)
		if (texts[i] && (strlen(texts[i]) > TEXT_BYTES ||
				 !text_valid_utf8(texts[i], strlen(texts[i]))))
			status = md_fail(err, EX_DATAERR, "%s: not valid UTF-8 "
					 "text of at most %d bytes",
					 i ? "consent-reason" : "info", TEXT_BYTES);
	if (status)
		return status;
	/* The sharing record keeps a reason with every consent position. */
	if (in->consent && *in->consent &&
	    !(in->consent_reason && *in->consent_reason))
		return md_fail(err, EX_DATAERR, "consent-reason: required with a "
			       "consent position; say how consent was %s",
			       !strcmp(in->consent, "given") ? "given"
			       : !strcmp(in->consent, "refused")
				 ? "refused, and why" : "not sought, and why");
	return 0;
}

int hub_check_upsert(struct hub *hub, long long id, const char *agency,
		     const struct check_input *in, const char *by,
		     long long requested, long long at, const char *rag,
		     struct md_error *err)
{
	/* The check's own clock: hours by the referral's RAG at the time the
	 * check is first recorded (an unrated referral counts as green),
	 * counted as the [clocks] section says (clock_due_at). */
	static const char sql[] =
		"INSERT INTO agency_check (referral_id, agency, status, info,"
		" lawful_basis, consent, consent_reason, handling, requested_at,"
		" due_at, completed_at, updated_by, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, 'shareable'), ?12,"
		"  ?10, CASE WHEN ?3 IN ('complete', 'nothing-known')"
		"  THEN ?9 END, ?11, ?9)"
		" ON CONFLICT (referral_id, agency) DO UPDATE SET"
		"  status = excluded.status,"
		"  info = coalesce(excluded.info, agency_check.info),"
		"  lawful_basis = coalesce(excluded.lawful_basis, agency_check.lawful_basis),"
		"  consent = coalesce(excluded.consent, agency_check.consent),"
		"  consent_reason = coalesce(excluded.consent_reason,"
		"   agency_check.consent_reason),"
		"  handling = coalesce(?8, agency_check.handling),"
		"  completed_at = CASE WHEN excluded.completed_at IS NULL THEN NULL"
		"   ELSE coalesce(agency_check.completed_at, excluded.completed_at) END,"
		"  updated_by = excluded.updated_by, updated_at = excluded.updated_at,"
		"  version = agency_check.version + 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, agency);
	hub_bind_text(st, 3, in->status);
	hub_bind_text(st, 4, in->info);
	hub_bind_text(st, 5, in->basis);
	hub_bind_text(st, 6, in->consent);
	hub_bind_text(st, 7, in->consent_reason);
	hub_bind_text(st, 8, in->handling);
	if (!requested || requested > at)
		requested = at;
	db_bind_int64(st, 9, at);
	db_bind_int64(st, 10, clock_due_at(&hub->cfg.work, requested,
					       config_check_hours(&hub->cfg, rag)));
	hub_bind_text(st, 11, by);
	db_bind_int64(st, 12, requested);
	return hub_step_done(hub, st, "saving the agency check", err);
}

int hub_status_refresh(struct hub *hub, long long id, struct md_error *err)
{
	/* Checks under way -> 'checks'; ready -> 'decision'.  Ready: on a
	 * screened record that asked agencies, every agency asked has done
	 * its check (an agency that was not asked does not hold it up); on
	 * a record never screened (from before the front door, or decided
	 * without screening), every active agency. */
	static const char sql[] =
		"UPDATE referral SET status = CASE"
		"  WHEN screened_at IS NOT NULL AND EXISTS (SELECT 1 FROM agency_check"
		"       WHERE referral_id = ?1 AND requested_by IS NOT NULL) THEN"
		"   CASE WHEN EXISTS (SELECT 1 FROM agency_check c JOIN check_status s"
		"         ON s.code = c.status WHERE c.referral_id = ?1"
		"         AND c.requested_by IS NOT NULL AND s.done = 0)"
		"    THEN 'checks' ELSE 'decision' END"
		"  WHEN (SELECT count(*) FROM agency a WHERE a.active = 1 AND NOT EXISTS"
		"        (SELECT 1 FROM agency_check c JOIN check_status s"
		"         ON s.code = c.status WHERE c.referral_id = ?1"
		"         AND c.agency = a.code AND s.done = 1)) = 0 THEN 'decision'"
		"  ELSE 'checks' END"
		" WHERE id = ?1 AND status IN ('new', 'screening', 'checks', 'decision')"
		" AND EXISTS (SELECT 1 FROM agency_check WHERE referral_id = ?1)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	return hub_step_done(hub, st, "updating the referral's status", err);
}

static int referral_rag(struct hub *hub, long long id, char rag[MD_CODE_MAX],
			struct md_error *err)
{
	static const char sql[] = "SELECT coalesce(rag, '') FROM referral WHERE id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		hub_col_text(st, 0, rag, MD_CODE_MAX);
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading a referral", err);
}

/* A change to one of a referral's parts moves the referral's own version,
 * so a form opened on it before the change is fenced (hub_lease_fence). */
static int referral_touch(struct hub *hub, long long id, long long now,
			  struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET version = version + 1, updated_at = ? WHERE id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	return hub_step_done(hub, st, "saving", err);
}

/* The rules that depend on what is recorded already, inside the save's
 * transaction: information shared needs its lawful basis (given now or
 * before), and a recorded text is never silently kept when the user
 * emptied it -- the save is refused, so nobody believes a withdrawn entry
 * is gone. */
static int check_against_recorded(struct hub *hub, long long id,
				  const struct check_input *in,
				  struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(info, ''), coalesce(consent_reason, ''),"
		" coalesce(lawful_basis, '') FROM agency_check"
		" WHERE referral_id = ? AND agency = ?";
	const char *given[] = { in->info, in->consent_reason, in->basis };
	const char *field[] = { "info", "consent-reason" };
	char had[3][8] = { "", "", "" };
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, hub->me.agency);
	int rc = db_step(st);
	for (int i = 0; rc == DB_ROW && i < 3; i++)
		hub_col_text(st, i, had[i], sizeof had[i]);
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading the check", err);
	for (int i = 0; i < 2; i++)
		if (given[i] && !*given[i] && had[i][0])
			return md_fail(err, EX_DATAERR, "%s: a recorded text "
				       "cannot be emptied; write what should "
				       "stand instead (for example \"withdrawn\")",
				       field[i]);
	int info = (given[0] && *given[0]) || had[0][0];
	int basis = (given[2] && *given[2]) || had[2][0];
	if (info && !basis && !strcmp(in->status, "complete"))
		return md_fail(err, EX_DATAERR, "basis: required when sharing "
			       "information; say on what lawful basis it is "
			       "shared (golden rule 7)");
	return 0;
}

int hub_check_record(struct hub *hub, const char *ref,
		     const struct check_input *in, struct md_error *err)
{
	long long id, now = clock_now();
	char rstatus[MD_CODE_MAX], rag[MD_CODE_MAX] = "";
	int status = hub_permit_ref(hub, HUB_ACT_CHECK, ref, err);
	if (!status && !hub->me.agency[0])
		status = md_fail(err, EX_NOPERM, "%s belongs to no agency, so has "
				 "no agency check to record", hub->me.login);
	if (!status && in->agency && *in->agency &&
	    strcmp(in->agency, hub->me.agency)) {
		status = md_fail(err, EX_NOPERM, "%s may record only %s's check; "
				 "%s records its own", hub->me.login,
				 hub->me.agency, in->agency);
		hub_refused_on(hub, ref, err->msg);
	}
	if (!status)
		status = validate_check(hub, in, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, rstatus, err);
	if (!status && (!strcmp(rstatus, "decided") || !strcmp(rstatus, "closed")))
		status = md_fail(err, EX_DATAERR, "%s is already decided; its "
				 "agency checks are closed", ref);
	if (!status)
		status = hub_lease_fence(hub, HUB_LEASE_CHECK, id, hub->me.agency,
					 in->lease_token, in->expect_version, err);
	if (!status)
		status = check_against_recorded(hub, id, in, err);
	if (!status)
		status = referral_rag(hub, id, rag, err);
	if (!status)
		status = hub_check_upsert(hub, id, hub->me.agency, in,
					  hub->me.login, 0, now, rag, err);
	if (!status)
		status = hub_status_refresh(hub, id, err);
	if (!status)
		status = hub_lease_finish(hub, HUB_LEASE_CHECK, id, hub->me.agency,
					  in->lease_token, err);
	if (!status)
		status = referral_touch(hub, id, now, err);
	if (!status)
		status = hub_audit(hub, "check", id, err, "%s check: %s%s",
				   hub->me.agency, in->status,
				   in->info && *in->info ? ", information shared" : "");
	return hub_end(hub, status, err);
}

/* ---- the joint decision -------------------------------------------------- */

/* An action with nothing in it is no action (a form's spare rows); one
 * with anything in it needs all three parts. */
static int action_blank(const struct action_input *a)
{
	return !(a->what && *a->what) && !(a->owner && *a->owner) &&
	       !(a->due && *a->due);
}

static int validate_decision(struct hub *hub, const struct decision_input *in,
			     struct md_error *err)
{
	if (!in->outcome || !*in->outcome)
		return md_fail(err, EX_USAGE, "outcome: required; choose what "
			       "happens next");
	int status = hub_code_check(hub, "outcome", in->outcome, "outcome", err);
	if (!status && (!in->rationale || !*in->rationale))
		status = md_fail(err, EX_USAGE, "rationale: required; say why");
	if (!status && in->rag && *in->rag)
		status = hub_code_check(hub, "rag", in->rag, "rag", err);
	if (!status && (in->level < 0 || in->level > 4))
		status = md_fail(err, EX_DATAERR, "level: %d is out of range "
				 "(1-4)", in->level);
	if (!status && (in->nactions < 0 || in->nactions > MD_MAX_ACTIONS))
		status = md_fail(err, EX_DATAERR, "actions: at most %d",
				 MD_MAX_ACTIONS);
	for (int i = 0; !status && i < in->nactions; i++) {
		const struct action_input *a = &in->actions[i];
		if (action_blank(a))
			continue;
		if (!a->what || !*a->what)
			status = md_fail(err, EX_DATAERR, "action %d: what: "
					 "required; say what is to be done", i + 1);
		else if (!a->owner || !*a->owner)
			status = md_fail(err, EX_DATAERR, "action %d: owner: "
					 "required; say who does it (a login, or "
					 "a team in words)", i + 1);
		else if (!a->due || !clock_valid_date(a->due))
			status = md_fail(err, EX_DATAERR, "action %d: due: '%s' "
					 "is not a real date (YYYY-MM-DD)", i + 1,
					 a->due ? a->due : "");
	}
	const char *texts[] = { in->rationale, in->feedback };
	for (int i = 0; !status && i < 2; i++)
		if (texts[i] && (strlen(texts[i]) > TEXT_BYTES ||
				 !text_valid_utf8(texts[i], strlen(texts[i]))))
			status = md_fail(err, EX_DATAERR, "%s: not valid UTF-8 "
					 "text of at most %d bytes",
					 i ? "feedback" : "rationale", TEXT_BYTES);
	return status;
}

static int insert_decision_agencies(struct hub *hub, long long id,
				    const char *agencies, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO decision_agency (referral_id, agency) VALUES (?, ?)"
		" ON CONFLICT DO NOTHING";
	char code[MD_CODE_MAX];
	for (const char *p = agencies; p && *p;) {
		size_t n = strcspn(p, ", ");
		if (n > 0) {
			snprintf(code, sizeof code, "%.*s", (int)n, p);
			/* bulk loads rely on the generator's tested codes */
			int status = hub->bulk ? 0 : hub_code_check(hub, "agency",
								    code, "agencies", err);
			struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
			if (!status && !st)
				status = err->code;
			if (!status) {
				db_bind_int64(st, 1, id);
				hub_bind_text(st, 2, code);
				status = hub_step_done(hub, st, "saving who took part", err);
			}
			if (status)
				return status;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

static int insert_actions(struct hub *hub, long long id,
			  const struct decision_input *in, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO decision_action (referral_id, what, owner, due_date)"
		" VALUES (?, ?, ?, ?)";
	for (int i = 0; i < in->nactions; i++) {
		if (action_blank(&in->actions[i]))
			continue;
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, in->actions[i].what);
		hub_bind_text(st, 3, in->actions[i].owner);
		hub_bind_text(st, 4, in->actions[i].due);
		int status = hub_step_done(hub, st, "saving an action", err);
		if (status)
			return status;
	}
	return 0;
}

int hub_decision_insert(struct hub *hub, long long id,
			const struct decision_input *in, const char *by,
			long long at, int move_on, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO decision (referral_id, outcome, rationale, rag, level,"
		" feedback, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	static const char ref_sql[] =
		"UPDATE referral SET status = 'decided', decided_at = ?1,"
		" rag = coalesce(?2, rag), level = coalesce(?3, level),"
		" version = version + 1, updated_at = ?1 WHERE id = ?4";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, in->outcome);
	hub_bind_text(st, 3, in->rationale);
	hub_bind_text(st, 4, in->rag);
	hub_bind_opt_int(st, 5, in->level, in->level > 0);
	hub_bind_text(st, 6, in->feedback);
	hub_bind_text(st, 7, by);
	db_bind_int64(st, 8, at);
	int status = hub_step_done(hub, st, "saving the decision", err);
	if (!status)
		status = insert_decision_agencies(hub, id, in->agencies, err);
	if (!status)
		status = insert_actions(hub, id, in, err);
	if (!status && move_on && !(st = hub_stmt(hub, ref_sql, err)))
		status = err->code;
	if (!status && move_on) {
		db_bind_int64(st, 1, at);
		hub_bind_text(st, 2, in->rag);
		hub_bind_opt_int(st, 3, in->level, in->level > 0);
		db_bind_int64(st, 4, id);
		status = hub_step_done(hub, st, "moving the referral on", err);
	}
	return status;
}

/* Who decided an already-decided referral, for the loser's message. */
static int decided_by(struct hub *hub, long long id, char *who, size_t len,
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(decided_by, 'an earlier system'), decided_at"
		" FROM decision WHERE referral_id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char when[CLOCK_ISO_MAX], name[MD_LOGIN_MAX];
		hub_col_text(st, 0, name, sizeof name);
		clock_format_iso(db_column_int64(st, 1), when);
		snprintf(who, len, "%s at %s", name, when);
	} else {
		snprintf(who, len, "someone");
	}
	hub_reset(st);
	return 0;
}

/* A contact closed at screening has no decision: who closed it, as what
 * ("sam at TIME as advice"), or 0 when it was not. */
static int closed_by(struct hub *hub, long long id, char *who, size_t len)
{
	static const char sql[] =
		"SELECT coalesce(screened_by, '?'), screened_at, screening_outcome"
		" FROM referral WHERE id = ? AND screening_outcome IS NOT NULL";
	struct md_error scratch;
	struct db_stmt *st = hub_stmt(hub, sql, &scratch);
	if (!st)
		return 0;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char when[CLOCK_ISO_MAX], name[MD_LOGIN_MAX], outcome[MD_CODE_MAX];
		hub_col_text(st, 0, name, sizeof name);
		clock_format_iso(db_column_int64(st, 1), when);
		hub_col_text(st, 2, outcome, sizeof outcome);
		snprintf(who, len, "%s at %s as %s", name, when, outcome);
	}
	hub_reset(st);
	return rc == DB_ROW;
}

/* A decision that changes the rating is a rating too: the timeline keeps
 * it, the decision its reason (before the decision's own UPDATE, while
 * the referral still has the rating it changes).  Its own statement, not
 * hub_rating_insert: hub_referral.c calls down into this file, so this
 * file does not call up into it (tests/arch.sh). */
static int decision_rating(struct hub *hub, long long id, const char *rag,
			   long long at, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO rating (referral_id, at, by_login, from_rag, to_rag,"
		" reason) SELECT id, ?2, ?3, rag, ?4, 'set by the joint decision'"
		" FROM referral WHERE id = ?1 AND coalesce(rag, '') <> ?4";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	hub_bind_text(st, 3, hub->me.login);
	hub_bind_text(st, 4, rag);
	return hub_step_done(hub, st, "keeping the decision's rating", err);
}

/* A joint decision on a contact nobody screened progresses it: it is a
 * referral from then on (counted as one), screened by the decision. */
static int decision_progresses(struct hub *hub, long long id, long long at,
			       struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET stage = 'referral', screened_at = ?1,"
		" screened_by = ?2 WHERE id = ?3 AND stage = 'contact'";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, at);
	hub_bind_text(st, 2, hub->me.login);
	db_bind_int64(st, 3, id);
	int status = hub_step_done(hub, st, "progressing the contact", err);
	if (!status && hub_changes(hub) > 0)
		status = hub_audit(hub, "screen", id, err, "progressed by the "
				   "decision (not screened before)");
	return status;
}

int hub_decide(struct hub *hub, const char *ref,
	       const struct decision_input *in, struct md_error *err)
{
	long long id, now = clock_now();
	char rstatus[MD_CODE_MAX];
	int status = hub_permit_ref(hub, HUB_ACT_DECIDE, ref, err);
	if (!status)
		status = validate_decision(hub, in, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, rstatus, err);
	if (!status && !strcmp(rstatus, "closed")) {
		char who[MD_LOGIN_MAX + CLOCK_ISO_MAX + MD_CODE_MAX + 16];
		if (closed_by(hub, id, who, sizeof who))
			status = md_fail(err, EX_TEMPFAIL, "%s was closed at "
					 "screening by %s", ref, who);
	}
	if (!status && (!strcmp(rstatus, "decided") || !strcmp(rstatus, "closed") ||
			!strcmp(rstatus, "signoff"))) {
		char who[MD_LOGIN_MAX + CLOCK_ISO_MAX + 8];
		decided_by(hub, id, who, sizeof who, err);
		status = md_fail(err, EX_TEMPFAIL, "%s was already decided by %s%s",
				 ref, who, !strcmp(rstatus, "signoff") ?
				 " and awaits sign-off" : "");
	}
	if (!status)
		status = hub_lease_fence(hub, HUB_LEASE_DECISION, id, "",
					 in->lease_token, in->expect_version, err);
	if (!status && in->rag && *in->rag)
		status = decision_rating(hub, id, in->rag, in->at ? in->at : now,
					 err);
	if (!status)
		status = hub_decision_insert(hub, id, in, hub->me.login,
					     in->at ? in->at : now, 1, err);
	if (!status)
		status = decision_progresses(hub, id, in->at ? in->at : now, err);
	/* Decided s47 or immediate-protection, or rated red by the
	 * decision: a strategy discussion is due from the decision (unless
	 * due already from an earlier red rating). */
	if (!status)
		status = hub_strategy_threshold(hub, id, in->at ? in->at : now, err);
	if (!status && hub->cfg.two_person_rule)
		status = hub_signoff_hold(hub, id, err);
	if (!status)
		status = hub_lease_finish(hub, HUB_LEASE_DECISION, id, "",
					  in->lease_token, err);
	if (!status)
		status = hub_audit(hub, "decide", id, err, "decided: %s%s",
				   in->outcome, hub->cfg.two_person_rule ?
				   " (awaiting sign-off)" : "");
	return hub_end(hub, status, err);
}

/* ---- overriding a consent refusal ----------------------------------------- */

int hub_consent_override(struct hub *hub, const char *ref, const char *agency,
			 const char *reason, struct md_error *err)
{
	static const char read_sql[] =
		"SELECT consent, coalesce(override_by, '') FROM agency_check"
		" WHERE referral_id = ? AND agency = ?";
	static const char sql[] =
		"UPDATE agency_check SET override_by = ?1, override_reason = ?2,"
		" updated_by = ?1, updated_at = ?3, version = version + 1"
		" WHERE referral_id = ?4 AND agency = ?5";
	long long id, now = clock_now();
	char rstatus[MD_CODE_MAX], consent[MD_CODE_MAX] = "", by[MD_LOGIN_MAX] = "";
	int status = hub_permit_ref(hub, HUB_ACT_OVERRIDE, ref, err);
	if (!status && (!agency || !*agency))
		status = md_fail(err, EX_USAGE, "agency: required (whose check)");
	if (!status)
		status = hub_code_check(hub, "agency", agency, "agency", err);
	if (!status)
		status = hub_note_check("reason", reason, TEXT_BYTES, "say why the "
					"information must be shared without "
					"consent", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, rstatus, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, read_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, agency);
		int rc = db_step(st);
		if (rc == DB_ROW) {
			hub_col_text(st, 0, consent, sizeof consent);
			hub_col_text(st, 1, by, sizeof by);
		} else if (rc != DB_DONE) {
			status = hub_sql_fail(hub, rc, "reading the check", err);
		}
		hub_reset(st);
	}
	if (!status && strcmp(consent, "refused"))
		status = md_fail(err, EX_DATAERR, "%s: %s's check records no "
				 "consent refusal to override", ref, agency);
	if (!status && by[0])
		status = md_fail(err, EX_DATAERR, "%s: %s's consent refusal was "
				 "already overridden by %s", ref, agency, by);
	if (!status && !(st = hub_stmt(hub, sql, err)))
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, hub->me.login);
		hub_bind_text(st, 2, reason);
		db_bind_int64(st, 3, now);
		db_bind_int64(st, 4, id);
		hub_bind_text(st, 5, agency);
		status = hub_step_done(hub, st, "recording the override", err);
	}
	if (!status)
		status = referral_touch(hub, id, now, err);
	if (!status)
		status = hub_audit(hub, "consent-override", id, err, "overrode %s's "
				   "consent refusal: %s", agency, reason);
	return hub_end(hub, status, err);
}
