/* hub_seal.c - the sealed state of a referral: the SHA-256 of every row
 * that says what the hub knows and decided about it (the referral, its
 * household and aliases, each agency's check, the decision, the agencies
 * in it and its actions, its ratings), in a fixed order and spelling (SQL
 * quote()).  Adding a column or a part changes every referral's state, so
 * audit rows written before would no longer match: a change to this text
 * must come with a migration that tells them apart (e.g. a version in
 * audit.state), or be a part appended only when non-empty (the holds'),
 * which leaves every state without it byte for byte as it was.
 *
 * Strategy discussions (0013_strategy.sql) are sealed as two parts
 * appended only when not empty: '|s:' the referral's strategy_from and
 * strategy_due_at when either is set, '|S:' each discussion with its
 * attendees and actions.  A referral with none of them has a state
 * byte-identical to the one before 0013, so audit rows written before
 * stay valid.
 *
 * Parts added later are appended only when non-empty ('|x:' a transfer,
 * '|h:' a transferred-in history, 0015_transfer.sql; '|L:' legal holds,
 * 0016_retention.sql; '|f:' feedback to the referrer, 0014_feedback.sql),
 * so a referral with
 * none of them has exactly the state it had before they existed and the
 * audit rows written before stay valid.
 *
 * Each audited change records the state it leaves behind in its audit row
 * (hub_audit.c, db/migrations/0011_seal.sql); `doctor` recomputes the state
 * and compares.  A referral that is gone has the state of the empty text.
 * Calls only hub_db.c. */
#include "hub_internal.h"

#include <string.h>

#include "mashdesk/sha256.h"

#define Q(col) "quote(" col ")"

/* One text per referral: the parts joined by '|', rows within a part by
 * ';', columns by ','. */
static const char state_sql[] =
	"SELECT coalesce((SELECT 'r:'||"
	Q("ref") "||','||" Q("child_name") "||','||" Q("name_key") "||','||"
	Q("dob") "||','||" Q("dob_estimated") "||','||" Q("gender") "||','||"
	Q("ethnicity") "||','||" Q("language") "||','||" Q("interpreter") "||','||"
	Q("disability") "||','||" Q("address") "||','||" Q("address_key") "||','||"
	Q("previous_address") "||','||" Q("school") "||','||" Q("gp") "||','||"
	Q("nhs_number") "||','||" Q("upn") "||','||" Q("allocated_worker") "||','||"
	Q("referrer") "||','||" Q("referrer_role") "||','||"
	Q("referrer_agency") "||','||" Q("referrer_contact") "||','||"
	Q("source") "||','||" Q("concern") "||','||" Q("impact") "||','||"
	Q("tried") "||','||" Q("strengths") "||','||" Q("category") "||','||"
	Q("parents_aware") "||','||" Q("consent") "||','||"
	Q("consent_reason") "||','||" Q("rag") "||','||" Q("level") "||','||"
	Q("status") "||','||" Q("assigned_to") "||','||" Q("repeat_of") "||','||"
	Q("received_at") "||','||" Q("due_at") "||','||" Q("decided_at") "||','||"
	Q("created_by") "||','||" Q("version") "||','||" Q("updated_at") "||','||"
	Q("stage") "||','||" Q("screened_at") "||','||" Q("screened_by") "||','||"
	Q("screening_outcome") "||','||" Q("screening_reason")
	" FROM referral WHERE id = ?1), '')"
	" || '|p:' || coalesce((SELECT group_concat(x, ';') FROM (SELECT "
	Q("name") "||','||" Q("relationship") "||','||" Q("dob") "||','||"
	Q("parental_responsibility") "||','||" Q("alleged_perpetrator") "||','||"
	Q("household") " AS x FROM person WHERE referral_id = ?1 ORDER BY id) AS sq), '')"
	" || '|a:' || coalesce((SELECT group_concat(x, ';') FROM (SELECT "
	Q("alias") " AS x FROM referral_alias WHERE referral_id = ?1"
	" ORDER BY alias) AS sq), '')"
	" || '|c:' || coalesce((SELECT group_concat(x, ';') FROM (SELECT "
	Q("agency") "||','||" Q("status") "||','||" Q("info") "||','||"
	Q("lawful_basis") "||','||" Q("consent") "||','||"
	Q("consent_reason") "||','||" Q("override_by") "||','||"
	Q("override_reason") "||','||" Q("handling") "||','||"
	Q("requested_at") "||','||" Q("due_at") "||','||" Q("completed_at") "||','||"
	Q("updated_by") "||','||" Q("updated_at") "||','||" Q("version") "||','||"
	Q("requested_by") "||','||" Q("request_reason")
	" AS x FROM agency_check WHERE referral_id = ?1 ORDER BY agency) AS sq), '')"
	" || '|d:' || coalesce((SELECT "
	Q("outcome") "||','||" Q("rationale") "||','||" Q("rag") "||','||"
	Q("level") "||','||" Q("feedback") "||','||" Q("decided_by") "||','||"
	Q("decided_at") "||','||" Q("signed_by") "||','||" Q("signed_at")
	" FROM decision WHERE referral_id = ?1), '')"
	" || '|g:' || coalesce((SELECT group_concat(x, ';') FROM (SELECT "
	Q("agency") " AS x FROM decision_agency WHERE referral_id = ?1"
	" ORDER BY agency) AS sq), '')"
	" || '|t:' || coalesce((SELECT group_concat(x, ';') FROM (SELECT "
	Q("what") "||','||" Q("owner") "||','||" Q("due_date") "||','||"
	Q("done_at") " AS x FROM decision_action WHERE referral_id = ?1"
	" ORDER BY id) AS sq), '')"
	" || '|k:' || coalesce((SELECT group_concat(x, ';') FROM (SELECT "
	Q("at") "||','||" Q("by_login") "||','||" Q("from_rag") "||','||"
	Q("to_rag") "||','||" Q("reason") " AS x FROM rating WHERE referral_id = ?1"
	" ORDER BY id) AS sq), '')"
	/* Strategy discussions (0013): appended only when there is something
	 * to seal, so a referral without them keeps its state of before. */
	" || coalesce((SELECT '|s:' || " Q("strategy_from") "||','||"
	Q("strategy_due_at") " FROM referral WHERE id = ?1"
	" AND (strategy_from IS NOT NULL OR strategy_due_at IS NOT NULL)), '')"
	" || coalesce('|S:' || (SELECT group_concat(x, ';') FROM (SELECT "
	Q("held_at") "||','||" Q("how") "||','||" Q("summary") "||','||"
	Q("decision") "||','||" Q("instead") "||','||" Q("reconvene") "||','||"
	Q("missing_reason") "||','||" Q("recorded_by") "||','||"
	Q("recorded_at") "||','||"
	" coalesce((SELECT group_concat(y, '/') FROM (SELECT " Q("agency")
	"  ||':'||" Q("login") "||':'||" Q("name") " AS y FROM strategy_attendee"
	"  WHERE strategy_id = s.id ORDER BY id) AS sq), '') ||','||"
	" coalesce((SELECT group_concat(y, '/') FROM (SELECT " Q("what")
	"  ||':'||" Q("owner") "||':'||" Q("due_date") " AS y FROM strategy_action"
	"  WHERE strategy_id = s.id ORDER BY id) AS sq), '')"
	" AS x FROM strategy s WHERE referral_id = ?1 ORDER BY id) AS sq), '')"
	/* Transfers (0015_transfer.sql): only when the referral moved, so a
	 * referral that never did keeps the state it had before. */
	" || coalesce((SELECT '|x:'||"
	Q("transferred_to") "||','||" Q("transfer_reason") "||','||"
	Q("transferred_at") "||','||" Q("transferred_from_hub") "||','||"
	Q("transferred_from_ref") " FROM referral WHERE id = ?1"
	" AND (transferred_to IS NOT NULL OR transferred_at IS NOT NULL"
	" OR transferred_from_hub IS NOT NULL OR transferred_from_ref IS NOT NULL"
	" OR transfer_reason IS NOT NULL)), '')"
	" || coalesce((SELECT '|h:'||"
	Q("from_hub") "||','||" Q("from_ref") "||','||" Q("body")
	" FROM transfer_history WHERE referral_id = ?1), '')"
	/* Legal holds (0016_retention.sql), live and lifted: appended only
	 * when there is one, so a referral never held keeps the state it
	 * had before holds existed, and audit rows sealed then stay valid. */
	" || coalesce('|L:' || (SELECT group_concat(x, ';') FROM (SELECT "
	Q("reason") "||','||" Q("by_login") "||','||" Q("at") "||','||"
	Q("lifted_by") "||','||" Q("lifted_at") "||','||" Q("lift_reason")
	" AS x FROM legal_hold WHERE referral_id = ?1 ORDER BY id) AS sq), '')"
	/* 0014: appended only when there is feedback (see the top) */
	" || coalesce('|f:' || (SELECT group_concat(x, ';') FROM (SELECT "
	Q("kind") "||','||" Q("method") "||','||" Q("text") "||','||"
	Q("at") "||','||" Q("by_login") " AS x FROM feedback WHERE referral_id = ?1"
	" ORDER BY id) AS sq), '')";

int hub_seal_state(struct hub *hub, long long referral_id, char out[65],
		   struct md_error *err)
{
	struct db_stmt *st = hub_stmt(hub, state_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, referral_id);
	int rc = db_step(st);
	int status = 0;
	if (rc == DB_ROW) {
		struct sha256 s;
		const char *t = db_column_text(st, 0);
		int n = db_column_bytes(st, 0);
		sha256_init(&s);
		sha256_update(&s, t ? (const char *)t : "", t ? (size_t)n : 0);
		sha256_hex(&s, out);
	} else {
		status = hub_sql_fail(hub, rc, "reading a referral's state", err);
	}
	hub_reset(st);
	return status;
}
