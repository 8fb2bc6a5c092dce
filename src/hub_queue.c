/* hub_queue.c - the referral queue: most urgent first, paged, searchable.
 *
 * Only open referrals are sorted (a partial index holds them), so the first
 * page costs the same at a million referrals as at ten.  Search goes
 * through the FTS5 index over name, aliases and reference; the user's text
 * is turned into quoted prefix terms, so no character they type can change
 * the query's meaning. */
#include "hub_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_feedback.h"

int hub_agencies(struct hub *hub, struct md_error *err)
{
	static const char sql[] = "SELECT code FROM agency ORDER BY sort";
	if (hub->nagencies)
		return 0;
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	       hub->nagencies < MD_MAX_AGENCIES)
		hub_col_text(st, 0, hub->agencies[hub->nagencies++], MD_CODE_MAX);
	hub_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hub_sql_fail(hub, rc, "listing agencies", err);
	return 0;
}

/* "zoë o'b" -> "\"zoë\"* \"o\"* \"b\"*": each run of letters and digits
 * becomes a quoted prefix term.  Returns 0 when nothing searchable. */
static int fts_query(const char *text, char *out, size_t len)
{
	size_t n = 0;
	int terms = 0;
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		while (*p && *p < 0x80 && !((*p >= '0' && *p <= '9') ||
		       ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
			p++;
		if (!*p)
			break;
		if (n + 4 >= len)
			break;
		out[n++] = '"';
		while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') ||
			      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) {
			if (n + 4 >= len)
				break;
			out[n++] = (char)*p++;
		}
		out[n++] = '"';
		out[n++] = '*';
		out[n++] = ' ';
		terms++;
	}
	out[n ? n - 1 : 0] = '\0';
	return terms;
}

static const char queue_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS
	" FROM referral r"
	" WHERE r.status NOT IN ('decided', 'closed')"
	" AND (?2 <> 1 OR r.assigned_to = ?3)"
	" AND (?2 <> 2 OR r.assigned_to IS NULL)"
	" AND (?2 <> 3 OR r.due_at < ?1)"
	" AND (?4 IS NULL OR r.id = ?7 OR r.id IN"
	"      (SELECT rowid FROM referral_search WHERE referral_search MATCH ?4"
	/* Only open referrals can match, and they are the newest few: a
	 * lower rowid bound lets FTS5 skip the decades of decided ones (a
	 * one-letter search at a million referrals: 45 ms -> 16 ms).  The
	 * bound comes from the partial index (INDEXED BY: without it the
	 * planner walks the rowids from 1 to the first open one). */
	"       AND rowid >= (SELECT min(o.id) FROM referral o INDEXED BY referral_open"
	"                     WHERE o.status NOT IN ('decided', 'closed'))))"
	" ORDER BY overdue DESC, CASE r.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1"
	"  WHEN 'green' THEN 2 ELSE 3 END, r.due_at, r.id"
	" LIMIT ?5 OFFSET ?6";

/* "Our checks": the acting user's agency's open checks (?3) on open
 * referrals and contacts, late first, then by the check's due time --
 * one order, since a late check is one whose due time has passed.  The
 * partial index agency_check_open (agency, due_at) of 0007_supervise.sql
 * walks them in that order, so the first page costs the same at a million
 * referrals as at ten. */
static const char checks_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS ", c.due_at, c.due_at < ?1"
	" FROM agency_check c INDEXED BY agency_check_open"
	" JOIN referral r ON r.id = c.referral_id"
	" WHERE c.agency = ?3 AND c.completed_at IS NULL"
	" AND r.status NOT IN ('decided', 'closed')"
	" AND (?4 IS NULL OR r.id = ?7 OR r.id IN"
	"      (SELECT rowid FROM referral_search WHERE referral_search MATCH ?4"
	"       AND rowid >= (SELECT min(o.id) FROM referral o INDEXED BY referral_open"
	"                     WHERE o.status NOT IN ('decided', 'closed'))))"
	" ORDER BY c.due_at, c.referral_id"
	" LIMIT ?5 OFFSET ?6";

/* "Feedback due": every record whose referrer is still owed feedback,
 * open or not, in the order its earliest clock falls due (?8 and ?9: the
 * acknowledgement's and the outcome's hours in seconds; plain hours, so
 * with working hours this is the order the clocks started in, which is
 * the due order when both kinds have the same hours).  Only the running
 * clocks are read (feedback_pending), never the decided history. */
static const char feedback_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS
	" FROM (SELECT referral_id AS id,"
	"   min(since + CASE kind WHEN 'outcome' THEN ?9 ELSE ?8 END) AS due"
	"   FROM feedback_pending"
	"   WHERE (?4 IS NULL OR referral_id = ?7 OR referral_id IN"
	"    (SELECT rowid FROM referral_search WHERE referral_search MATCH ?4))"
	/* sorted and cut to the page before a referral is read: the rows'
	 * columns cost a page, whatever is owed */
	"   GROUP BY referral_id ORDER BY due, referral_id"
	"   LIMIT ?5 OFFSET ?6) p"
	" JOIN referral r ON r.id = p.id"
	" ORDER BY p.due, p.id";

/* With decided referrals too: newest first, the way history is read. */
static const char history_sql[] =
	"SELECT " HUB_QUEUE_COLUMNS
	" FROM referral r"
	" WHERE (?2 <> 1 OR r.assigned_to = ?3)"
	" AND (?2 <> 2 OR r.assigned_to IS NULL)"
	" AND (?2 <> 3 OR (r.status NOT IN ('decided', 'closed') AND r.due_at < ?1))"
	" AND (?4 IS NULL OR r.id = ?7 OR r.id IN"
	"      (SELECT rowid FROM referral_search WHERE referral_search MATCH ?4))"
	" ORDER BY r.received_at DESC, r.id DESC"
	" LIMIT ?5 OFFSET ?6";

/* "requested!" is a late request: upper case stands out on any terminal,
 * colour or none. */
static char check_mark(const char *status)
{
	if (!strcmp(status, "requested!"))
		return 'R';
	if (!strcmp(status, "in-progress!"))
		return 'P';
	if (!strcmp(status, "requested"))
		return 'r';
	if (!strcmp(status, "in-progress"))
		return 'p';
	if (!strcmp(status, "complete"))
		return 'c';
	if (!strcmp(status, "nothing-known"))
		return 'n';
	return '?';
}

/* "police=complete,health=requested" -> one mark per agency. */
static void fill_checks(struct hub *hub, const char *list, char *marks)
{
	int i;
	for (i = 0; i < hub->nagencies; i++)
		marks[i] = '.';
	marks[i] = '\0';
	char item[2 * MD_CODE_MAX];
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		snprintf(item, sizeof item, "%.*s", (int)n, p);
		p += n + (p[n] ? 1 : 0);
		char *eq = strchr(item, '=');
		if (!eq)
			continue;
		*eq = '\0';
		for (i = 0; i < hub->nagencies; i++)
			if (!strcmp(hub->agencies[i], item))
				marks[i] = check_mark(eq + 1);
	}
}

void hub_read_queue_row(struct hub *hub, sqlite3_stmt *st, struct queue_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	hub_col_text(st, 1, r->ref, sizeof r->ref);
	r->received_at = sqlite3_column_int64(st, 2);
	r->due_at = sqlite3_column_int64(st, 3);
	r->decided_at = sqlite3_column_int64(st, 4);
	hub_col_text(st, 5, r->child_name, sizeof r->child_name);
	hub_col_text(st, 6, r->dob, sizeof r->dob);
	r->dob_estimated = sqlite3_column_int(st, 7);
	hub_col_text(st, 8, r->rag, sizeof r->rag);
	r->level = sqlite3_column_int(st, 9);
	hub_col_text(st, 10, r->status, sizeof r->status);
	hub_col_text(st, 11, r->assigned_to, sizeof r->assigned_to);
	fill_checks(hub, (const char *)sqlite3_column_text(st, 12), r->checks);
	r->repeat = sqlite3_column_int(st, 13);
	r->overdue = sqlite3_column_int(st, 14);
	r->check_due = 0;
	r->check_late = 0;
	r->strategy_due = sqlite3_column_int64(st, 15);
	r->strategy_late = r->strategy_due && r->strategy_due < clock_now();
	/* a screenful of rows: one primary-key lookup each */
	struct md_error ignored;
	if (hub_feedback_owed(hub, r->id, clock_now(), &r->feedback_due,
			      &r->feedback_late, r->feedback_kind, &ignored))
		r->feedback_due = 0;
}

/* A reference typed whole ("R000012", "r12") also finds by id. */
static long long search_ref_id(const char *s)
{
	if (!s || (*s != 'R' && *s != 'r'))
		return 0;
	char *end;
	long long id = strtoll(s + 1, &end, 10);
	return (*end == '\0' && id > 0) ? id : 0;
}

int hub_queue(struct hub *hub, const struct queue_query *q,
	      int (*cb)(const struct queue_row *r, void *arg), void *arg,
	      struct md_error *err)
{
	char match[512];
	int status = hub_permit(hub, HUB_ACT_VIEW, err);
	if (!status)
		status = hub_agencies(hub, err);
	if (status)
		return status;
	int searching = q->search && fts_query(q->search, match, sizeof match) > 0;
	int checks = q->filter == HUB_FILTER_CHECKS;
	if (checks && !hub->me.agency[0])
		return md_fail(err, EX_USAGE, "%s belongs to no agency, so has no "
			       "checks of its own", hub->me.login);
	int feedback = q->filter == HUB_FILTER_FEEDBACK;
	sqlite3_stmt *st = hub_stmt(hub, checks ? checks_sql : feedback ?
				    feedback_sql : q->open_only ?
				    queue_sql : history_sql, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, clock_now());
	sqlite3_bind_int(st, 2, (int)q->filter);
	hub_bind_text(st, 3, checks ? hub->me.agency : hub->me.login);
	hub_bind_text(st, 4, searching ? match : NULL);
	sqlite3_bind_int(st, 5, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(st, 6, q->offset > 0 ? q->offset : 0);
	sqlite3_bind_int64(st, 7, searching ? search_ref_id(q->search) : 0);
	if (feedback) {
		sqlite3_bind_int64(st, 8, 3600LL * hub->cfg.feedback_acknowledgement_hours);
		sqlite3_bind_int64(st, 9, 3600LL * hub->cfg.feedback_outcome_hours);
	}
	int rc;
	while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct queue_row r;
		hub_read_queue_row(hub, st, &r);
		r.check_due = checks ? sqlite3_column_int64(st, 16) : 0;
		r.check_late = checks ? sqlite3_column_int(st, 17) : 0;
		status = cb(&r, arg);
	}
	if (status == 0 && rc != SQLITE_DONE)
		status = hub_sql_fail(hub, rc, "reading the queue", err);
	hub_reset(st);
	return status;
}

int hub_checks_late(struct hub *hub, long *n, struct md_error *err)
{
	static const char sql[] =
		"SELECT count(*) FROM agency_check c INDEXED BY agency_check_open"
		" JOIN referral r ON r.id = c.referral_id"
		" WHERE c.agency = ?1 AND c.completed_at IS NULL AND c.due_at < ?2"
		" AND r.status NOT IN ('decided', 'closed')";
	*n = 0;
	int status = hub_permit(hub, HUB_ACT_VIEW, err);
	if (status || !hub->me.agency[0])
		return status;
	sqlite3_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, hub->me.agency);
	sqlite3_bind_int64(st, 2, clock_now());
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	hub_reset(st);
	return rc == SQLITE_ROW ? 0 : hub_sql_fail(hub, rc, "counting late checks", err);
}
