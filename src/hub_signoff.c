/* hub_signoff.c - the two-person rule (see hub_signoff.h).  Each call is one
 * short BEGIN IMMEDIATE transaction whose UPDATE carries its precondition
 * (status 'signoff'), so two supervisors racing cannot both act. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_signoff.h"

#define COMMENT_BYTES 100000

/* Called by hub_decide() inside its transaction when the rule is on. */
int hub_signoff_hold(struct hub *hub, long long id, struct md_error *err)
{
	static const char sql[] =
		"UPDATE referral SET status = 'signoff' WHERE id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	return hub_step_done(hub, st, "holding the decision for sign-off", err);
}

static int read_state(struct hub *hub, long long id, struct signoff_state *s,
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT r.status, d.referral_id IS NOT NULL, coalesce(d.outcome, ''),"
		" coalesce(d.decided_by, ''), coalesce(d.decided_at, 0),"
		" coalesce(d.signed_by, ''), coalesce(d.signed_at, 0),"
		" (SELECT count(*) FROM sendback b WHERE b.referral_id = r.id)"
		" FROM referral r LEFT JOIN decision d ON d.referral_id = r.id"
		" WHERE r.id = ?";
	static const char last_sql[] =
		"SELECT by_login, at, outcome, comment FROM sendback"
		" WHERE referral_id = ? ORDER BY at DESC, id DESC LIMIT 1";
	memset(s, 0, sizeof *s);
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, s->status, sizeof s->status);
		s->decided = db_column_int(st, 1);
		hub_col_text(st, 2, s->outcome, sizeof s->outcome);
		hub_col_text(st, 3, s->decided_by, sizeof s->decided_by);
		s->decided_at = db_column_int64(st, 4);
		hub_col_text(st, 5, s->signed_by, sizeof s->signed_by);
		s->signed_at = db_column_int64(st, 6);
		s->sendbacks = db_column_int(st, 7);
	}
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the decision", err);
	if (s->sendbacks == 0)
		return 0;
	if (!(st = hub_stmt(hub, last_sql, err)))
		return err->code;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, s->sent_back_by, sizeof s->sent_back_by);
		s->sent_back_at = db_column_int64(st, 1);
		hub_col_text(st, 2, s->sent_back_outcome, sizeof s->sent_back_outcome);
		/* cut at a character boundary, never inside one */
		const char *c = (const char *)db_column_text(st, 3);
		size_t n = c ? strlen(c) : 0;
		if (n >= sizeof s->comment) {
			n = sizeof s->comment - 1;
			while (n > 0 && ((unsigned char)c[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(s->comment, c ? c : "", n);
		s->comment[n] = '\0';
	}
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading a send-back", err);
}

int hub_signoff_state(struct hub *hub, const char *ref,
		      struct signoff_state *out, struct md_error *err)
{
	long long id;
	int status = hub_permit(hub, HUB_ACT_VIEW, err);
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	return status ? status : read_state(hub, id, out, err);
}

int hub_may_signoff(struct hub *hub, const struct signoff_state *s)
{
	return hub_may(hub, HUB_ACT_SIGNOFF, NULL) &&
	       !strcmp(s->status, "signoff") &&
	       strcmp(s->decided_by, hub->me.login) != 0;
}

/* Inside the transaction: the referral awaits sign-off, or EX_DATAERR. */
static int awaiting(struct hub *hub, const char *ref, long long *id,
		    struct signoff_state *s, struct md_error *err)
{
	int status = hub_find_referral(hub, ref, id, NULL, err);
	if (!status)
		status = read_state(hub, *id, s, err);
	if (!status && strcmp(s->status, "signoff"))
		status = md_fail(err, EX_DATAERR, "%s is not awaiting sign-off "
				 "(its status is %s)", ref, s->status);
	return status;
}

int hub_signoff(struct hub *hub, const char *ref, struct md_error *err)
{
	static const char dec_sql[] =
		"UPDATE decision SET signed_by = ?1, signed_at = ?2"
		" WHERE referral_id = ?3 AND signed_by IS NULL";
	static const char ref_sql[] =
		"UPDATE referral SET status = 'decided', version = version + 1,"
		" updated_at = ?1 WHERE id = ?2 AND status = 'signoff'";
	struct signoff_state s;
	long long id = 0, now = clock_now();
	int status = hub_permit(hub, HUB_ACT_SIGNOFF, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = awaiting(hub, ref, &id, &s, err);
	if (!status && !strcmp(s.decided_by, hub->me.login)) {
		status = md_fail(err, EX_NOPERM, "only a supervisor other than "
				 "its decider may sign off a decision; %s decided "
				 "%s", hub->me.login, ref);
		hub_end(hub, status, NULL);
		hub_audit_alone(hub, hub->me.login, "refused", id, err->msg);
		return status;
	}
	struct db_stmt *st = status ? NULL : hub_stmt(hub, dec_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, hub->me.login);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, id);
		status = hub_step_done(hub, st, "signing the decision off", err);
	}
	if (!status && !(st = hub_stmt(hub, ref_sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, now);
		db_bind_int64(st, 2, id);
		status = hub_step_done(hub, st, "signing the decision off", err);
	}
	if (!status)
		status = hub_audit(hub, "signoff", id, err, "signed off the "
				   "decision of %s: %s",
				   s.decided_by[0] ? s.decided_by : "?", s.outcome);
	return hub_end(hub, status, err);
}

int hub_sendback(struct hub *hub, const char *ref, const char *comment,
		 struct md_error *err)
{
	static const char log_sql[] =
		"INSERT INTO sendback (referral_id, by_login, at, comment,"
		" decided_by, decided_at, outcome) SELECT ?1, ?2, ?3, ?4,"
		" decided_by, decided_at, outcome FROM decision WHERE referral_id = ?1";
	static const char del_sql[] = "DELETE FROM decision WHERE referral_id = ?";
	static const char ref_sql[] =
		"UPDATE referral SET status = 'decision', decided_at = NULL,"
		" version = version + 1, updated_at = ?1"
		" WHERE id = ?2 AND status = 'signoff'";
	struct signoff_state s;
	long long id = 0, now = clock_now();
	int status = hub_permit(hub, HUB_ACT_SIGNOFF, err);
	if (!status)
		status = hub_note_check("comment", comment, COMMENT_BYTES, "say "
					"why the decision goes back", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = awaiting(hub, ref, &id, &s, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, log_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, hub->me.login);
		db_bind_int64(st, 3, now);
		hub_bind_text(st, 4, comment);
		status = hub_step_done(hub, st, "recording the send-back", err);
	}
	if (!status && !(st = hub_stmt(hub, del_sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		status = hub_step_done(hub, st, "sending the decision back", err);
	}
	if (!status && !(st = hub_stmt(hub, ref_sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, now);
		db_bind_int64(st, 2, id);
		status = hub_step_done(hub, st, "sending the decision back", err);
	}
	if (!status)
		status = hub_audit(hub, "sendback", id, err, "sent back the "
				   "decision of %s (%s): %s",
				   s.decided_by[0] ? s.decided_by : "?", s.outcome,
				   comment);
	return hub_end(hub, status, err);
}
