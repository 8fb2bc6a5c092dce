/* hub_show.c - everything the acting user may see of one referral, as
 * (section, field, value) triples for `mashdesk show`.
 *
 * Entries an agency marked restricted are visible at the desk only: this
 * path, which feeds a command's output, never carries their text. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"

typedef int (*show_cb)(const char *section, const char *field,
		       const char *value, void *arg);

/* Columns of the referral, each with its section.  Times are formatted;
 * NULLs are left out. */
static const struct { const char *section, *field; int is_time; } ref_cols[] = {
	{ "referral", "ref", 0 }, { "referral", "status", 0 },
	{ "referral", "rag", 0 }, { "referral", "level", 0 },
	{ "referral", "received", 1 }, { "referral", "due", 1 },
	{ "referral", "decided", 1 }, { "referral", "assigned_to", 0 },
	{ "referral", "repeat_of", 0 },
	{ "child", "name", 0 }, { "child", "aliases", 0 }, { "child", "dob", 0 },
	{ "child", "dob_estimated", 0 }, { "child", "gender", 0 },
	{ "child", "ethnicity", 0 }, { "child", "language", 0 },
	{ "child", "interpreter", 0 }, { "child", "disability", 0 },
	{ "child", "address", 0 }, { "child", "previous_address", 0 },
	{ "child", "school", 0 }, { "child", "gp", 0 },
	{ "child", "nhs_number", 0 }, { "child", "upn", 0 },
	{ "child", "allocated_worker", 0 },
	{ "referrer", "name", 0 }, { "referrer", "role", 0 },
	{ "referrer", "agency", 0 }, { "referrer", "contact", 0 },
	{ "referrer", "source", 0 },
	{ "concern", "category", 0 }, { "concern", "concern", 0 },
	{ "concern", "impact", 0 }, { "concern", "tried", 0 },
	{ "concern", "strengths", 0 },
	{ "consent", "parents_aware", 0 }, { "consent", "consent", 0 },
	{ "consent", "reason", 0 },
};

static const char referral_sql[] =
	"SELECT r.ref, r.status, r.rag, r.level, r.received_at, r.due_at,"
	" r.decided_at, r.assigned_to, (SELECT ref FROM referral p WHERE p.id = r.repeat_of),"
	" r.child_name, (SELECT group_concat(alias, '; ') FROM referral_alias"
	"  WHERE referral_id = r.id), r.dob,"
	" CASE r.dob_estimated WHEN 1 THEN 'yes (expected date)' END, r.gender,"
	" r.ethnicity, r.language, CASE r.interpreter WHEN 1 THEN 'needed' END,"
	" r.disability, r.address, r.previous_address, r.school, r.gp,"
	" r.nhs_number, r.upn, r.allocated_worker,"
	" r.referrer, r.referrer_role, r.referrer_agency, r.referrer_contact,"
	" r.source, r.category, r.concern, r.impact, r.tried, r.strengths,"
	" CASE r.parents_aware WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END,"
	" r.consent, r.consent_reason"
	" FROM referral r WHERE r.id = ?";

static int show_referral(struct hub *hub, long long id, show_cb cb, void *arg,
			 struct md_error *err)
{
	sqlite3_stmt *st = hub_stmt(hub, referral_sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), status = 0;
	for (int i = 0; rc == SQLITE_ROW && status == 0 &&
	     i < (int)(sizeof ref_cols / sizeof ref_cols[0]); i++) {
		if (sqlite3_column_type(st, i) == SQLITE_NULL)
			continue;
		char buf[CLOCK_ISO_MAX];
		const char *v = (const char *)sqlite3_column_text(st, i);
		if (ref_cols[i].is_time) {
			clock_format_iso(sqlite3_column_int64(st, i), buf);
			v = buf;
		}
		status = cb(ref_cols[i].section, ref_cols[i].field, v, arg);
	}
	hub_reset(st);
	if (status == 0 && rc != SQLITE_ROW)
		status = hub_sql_fail(hub, rc, "reading the referral", err);
	return status;
}

/* Rows of a query, each as one (section, field, value) line where field is
 * column 0 and value the remaining columns joined with "; ". */
static int show_rows(struct hub *hub, const char *sql, long long id,
		     const char *section, show_cb cb, void *arg,
		     struct md_error *err)
{
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	int rc, status = 0;
	char value[4096];
	while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t n = 0;
		value[0] = '\0';
		for (int c = 1; c < sqlite3_column_count(st); c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			if (!t || !*t)
				continue;
			n += (size_t)snprintf(value + n, n < sizeof value ? sizeof value - n : 0,
					      "%s%s", n ? "; " : "", t);
			if (n >= sizeof value)
				n = sizeof value - 1;
		}
		const unsigned char *field = sqlite3_column_text(st, 0);
		status = cb(section, field ? (const char *)field : "", value, arg);
	}
	if (status == 0 && rc != SQLITE_DONE)
		status = hub_sql_fail(hub, rc, "reading the referral", err);
	hub_reset(st);
	return status;
}

static const char people_sql[] =
	"SELECT name, relationship, CASE WHEN dob IS NOT NULL THEN 'born ' || dob END,"
	" CASE parental_responsibility WHEN 1 THEN 'parental responsibility' END,"
	" CASE alleged_perpetrator WHEN 1 THEN 'ALLEGED PERPETRATOR' END,"
	" CASE household WHEN 1 THEN 'lives with the child'"
	"  ELSE 'significant adult elsewhere' END"
	" FROM person WHERE referral_id = ? ORDER BY id";

static const char checks_sql[] =
	"SELECT c.agency, c.status,"
	" CASE WHEN h.leaves_hub = 0 THEN '[restricted: visible at the desk only]'"
	"  ELSE c.info END,"
	" 'basis ' || c.lawful_basis, 'consent ' || c.consent, c.consent_reason,"
	" 'consent refusal overridden by ' || c.override_by || ': ' || c.override_reason,"
	" 'handling ' || c.handling, 'by ' || c.updated_by,"
	" 'at ' || strftime('%Y-%m-%dT%H:%M:%SZ', c.updated_at, 'unixepoch'),"
	" 'due ' || strftime('%Y-%m-%dT%H:%M:%SZ', c.due_at, 'unixepoch')"
	" FROM agency_check c JOIN agency a ON a.code = c.agency"
	" JOIN handling_code h ON h.code = c.handling"
	" WHERE c.referral_id = ? ORDER BY a.sort";

static const char decision_sql[] =
	"SELECT outcome, rationale, 'rag ' || rag, 'level ' || level,"
	" 'feedback: ' || feedback, 'by ' || coalesce(decided_by, 'imported'),"
	" 'at ' || strftime('%Y-%m-%dT%H:%M:%SZ', decided_at, 'unixepoch'),"
	" 'with ' || (SELECT group_concat(agency, ', ') FROM decision_agency a"
	"   WHERE a.referral_id = d.referral_id),"
	" 'signed off by ' || signed_by,"
	" 'signed off at ' || strftime('%Y-%m-%dT%H:%M:%SZ', signed_at, 'unixepoch')"
	" FROM decision d WHERE referral_id = ?";

/* Decisions sent back under the two-person rule (hub_signoff.h). */
static const char sendback_sql[] =
	"SELECT outcome, 'decided by ' || coalesce(decided_by, '?'),"
	" 'sent back by ' || by_login,"
	" 'at ' || strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch'),"
	" 'comment: ' || comment"
	" FROM sendback WHERE referral_id = ? ORDER BY id";

static const char actions_sql[] =
	"SELECT what, 'owner ' || owner, 'due ' || due_date"
	" FROM decision_action WHERE referral_id = ? ORDER BY id";

static const char history_sql[] =
	"SELECT ref, strftime('%Y-%m-%d', received_at, 'unixepoch'), child_name,"
	" outcome, CASE same_child WHEN 1 THEN 'same child' ELSE 'same address' END"
	" FROM (" HUB_HISTORY_SQL ")";

int hub_referral_show(struct hub *hub, const char *ref, show_cb cb, void *arg,
		      struct md_error *err)
{
	long long id;
	int status = hub_permit_ref(hub, HUB_ACT_VIEW, ref, err);
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status) {
		hub->last_view_id = 0;   /* every show is a view of its own */
		hub_audit_view(hub, id, "shown on the command line");
	}
	if (!status)
		status = show_referral(hub, id, cb, arg, err);
	if (!status)
		status = show_rows(hub, people_sql, id, "household", cb, arg, err);
	if (!status)
		status = show_rows(hub, checks_sql, id, "check", cb, arg, err);
	if (!status)
		status = show_rows(hub, decision_sql, id, "decision", cb, arg, err);
	if (!status)
		status = show_rows(hub, sendback_sql, id, "sent-back", cb, arg, err);
	if (!status)
		status = show_rows(hub, actions_sql, id, "action", cb, arg, err);
	if (!status)
		status = show_rows(hub, history_sql, id, "history", cb, arg, err);
	return status;
}
