/* hub_queue.c - the referral queue: most urgent first, paged, searchable.
 *
 * Only open referrals are sorted (a partial index holds them), so the first
 * page costs the same at a million referrals as at ten.  Search goes
 * through the full-text index over name, aliases and reference (FTS5 on
 * SQLite, a tsvector on PostgreSQL); the user's text is turned into prefix
 * terms, so no character they type can change the query's meaning. */
#include "hub_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/text.h"

int hub_agencies(struct hub *hub, struct md_error *err)
{
	static const char sql[] = "SELECT code FROM agency ORDER BY sort";
	if (hub->nagencies)
		return 0;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc;
	while ((rc = db_step(st)) == DB_ROW &&
	       hub->nagencies < MD_MAX_AGENCIES)
		hub_col_text(st, 0, hub->agencies[hub->nagencies++], MD_CODE_MAX);
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
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

/* The search, the one part of these queries the engines write
 * differently: SQLite's FTS5 table (its rowid the referral's id) and
 * PostgreSQL's tsvector column with its GIN index (db/pg/0003), each
 * given the terms search_terms made for it as ?4.  Only open referrals
 * can match the queue's, and they are the newest few: a lower rowid
 * bound lets FTS5 skip the decades of decided ones (a one-letter search
 * at a million referrals: 45 ms -> 16 ms); the bound comes from the
 * partial index (INDEXED BY: without it the planner walks the rowids from
 * 1 to the first open one).  PostgreSQL's planner needs no such hints. */
#define LITE_MATCH \
	"(SELECT rowid FROM referral_search WHERE referral_search MATCH ?4)"
#define LITE_OPEN_MATCH \
	"(SELECT rowid FROM referral_search WHERE referral_search MATCH ?4" \
	" AND rowid >= (SELECT min(o.id) FROM referral o INDEXED BY referral_open" \
	"               WHERE o.status NOT IN ('decided', 'closed')))"
#define PG_MATCH \
	"(SELECT id FROM referral_search WHERE document @@ to_tsquery('simple', ?4))"

#define QUEUE_SQL(MATCH) \
	"SELECT " HUB_QUEUE_COLUMNS \
	" FROM referral r" \
	" WHERE r.status NOT IN ('decided', 'closed')" \
	" AND (?2 <> 1 OR r.assigned_to = ?3)" \
	" AND (?2 <> 2 OR r.assigned_to IS NULL)" \
	" AND (?2 <> 3 OR r.due_at < ?1)" \
	" AND (?4 IS NULL OR r.id = ?7 OR r.id IN " MATCH ")" \
	" ORDER BY overdue DESC, CASE r.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1" \
	"  WHEN 'green' THEN 2 ELSE 3 END, r.due_at, r.id" \
	" LIMIT ?5 OFFSET ?6"
static const char *const queue_sql[] = {
	[HUB_SQLITE] = QUEUE_SQL(LITE_OPEN_MATCH),
	[HUB_POSTGRES] = QUEUE_SQL(PG_MATCH),
};

/* "Our checks": the acting user's agency's open checks (?3) on open
 * referrals and contacts, late first, then by the check's due time --
 * one order, since a late check is one whose due time has passed.  The
 * partial index agency_check_open (agency, due_at) of 0007_supervise.sql
 * walks them in that order, so the first page costs the same at a million
 * referrals as at ten. */
#define CHECKS_SQL(INDEXED, MATCH) \
	"SELECT " HUB_QUEUE_COLUMNS ", c.due_at, c.due_at < ?1" \
	" FROM agency_check c " INDEXED \
	" JOIN referral r ON r.id = c.referral_id" \
	" WHERE c.agency = ?3 AND c.completed_at IS NULL" \
	" AND r.status NOT IN ('decided', 'closed')" \
	" AND (?4 IS NULL OR r.id = ?7 OR r.id IN " MATCH ")" \
	" ORDER BY c.due_at, c.referral_id" \
	" LIMIT ?5 OFFSET ?6"
static const char *const checks_sql[] = {
	[HUB_SQLITE] = CHECKS_SQL("INDEXED BY agency_check_open", LITE_OPEN_MATCH),
	[HUB_POSTGRES] = CHECKS_SQL("", PG_MATCH),
};

/* "Feedback due": every record whose referrer is still owed feedback,
 * open or not, in the order its earliest clock falls due (?8 and ?9: the
 * acknowledgement's and the outcome's hours in seconds; plain hours, so
 * with working hours this is the order the clocks started in, which is
 * the due order when both kinds have the same hours).  Only the running
 * clocks are read (feedback_pending), never the decided history.  The
 * page is sorted and cut before a referral is read: the rows' columns
 * cost a page, whatever is owed. */
#define FEEDBACK_SQL(MATCH) \
	"SELECT " HUB_QUEUE_COLUMNS \
	" FROM (SELECT referral_id AS id," \
	"   min(since + CASE kind WHEN 'outcome' THEN ?9 ELSE ?8 END) AS due" \
	"   FROM feedback_pending" \
	"   WHERE (?4 IS NULL OR referral_id = ?7 OR referral_id IN " MATCH ")" \
	"   GROUP BY referral_id ORDER BY due, referral_id" \
	"   LIMIT ?5 OFFSET ?6) p" \
	" JOIN referral r ON r.id = p.id" \
	" ORDER BY p.due, p.id"
static const char *const feedback_sql[] = {
	[HUB_SQLITE] = FEEDBACK_SQL(LITE_MATCH),
	[HUB_POSTGRES] = FEEDBACK_SQL(PG_MATCH),
};

/* With decided referrals too: newest first, the way history is read. */
#define HISTORY_SQL(MATCH) \
	"SELECT " HUB_QUEUE_COLUMNS \
	" FROM referral r" \
	" WHERE (?2 <> 1 OR r.assigned_to = ?3)" \
	" AND (?2 <> 2 OR r.assigned_to IS NULL)" \
	" AND (?2 <> 3 OR (r.status NOT IN ('decided', 'closed') AND r.due_at < ?1))" \
	" AND (?4 IS NULL OR r.id = ?7 OR r.id IN " MATCH ")" \
	" ORDER BY r.received_at DESC, r.id DESC" \
	" LIMIT ?5 OFFSET ?6"
static const char *const history_sql[] = {
	[HUB_SQLITE] = HISTORY_SQL(LITE_MATCH),
	[HUB_POSTGRES] = HISTORY_SQL(PG_MATCH),
};

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

void hub_read_queue_row(struct hub *hub, struct db_stmt *st, struct queue_row *r)
{
	r->id = db_column_int64(st, 0);
	hub_col_text(st, 1, r->ref, sizeof r->ref);
	r->received_at = db_column_int64(st, 2);
	r->due_at = db_column_int64(st, 3);
	r->decided_at = db_column_int64(st, 4);
	hub_col_text(st, 5, r->child_name, sizeof r->child_name);
	hub_col_text(st, 6, r->dob, sizeof r->dob);
	r->dob_estimated = db_column_int(st, 7);
	hub_col_text(st, 8, r->rag, sizeof r->rag);
	r->level = db_column_int(st, 9);
	hub_col_text(st, 10, r->status, sizeof r->status);
	hub_col_text(st, 11, r->assigned_to, sizeof r->assigned_to);
	fill_checks(hub, (const char *)db_column_text(st, 12), r->checks);
	r->repeat = db_column_int(st, 13);
	r->overdue = db_column_int(st, 14);
	r->check_due = 0;
	r->check_late = 0;
	r->strategy_due = db_column_int64(st, 15);
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

/* "zoë o'b" -> "zoe:* & o:* & b:*" for PostgreSQL's to_tsquery: each run
 * keyed as the document's words are (md_search_words: text_normalise,
 * which leaves no character to_tsquery reads as an operator). */
static int pg_terms(const char *text, char *out, size_t len)
{
	char quoted[512], word[256];
	int terms = 0;
	size_t n = 0;
	if (fts_query(text, quoted, sizeof quoted) == 0)
		return 0;
	char *save = NULL;
	for (char *t = strtok_r(quoted, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		t[strlen(t) - 2] = '\0';             /* the closing quote and * */
		text_normalise(word, sizeof word, t + 1);
		if (!word[0] || n + strlen(word) + 6 >= len)
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s:*",
				      terms ? " & " : "", word);
		terms++;
	}
	return terms;
}

/* The search text as the engine's full-text query (see LITE_MATCH). */
static int search_terms(struct hub *hub, const char *text, char *out, size_t len)
{
	return hub->engine == HUB_POSTGRES ? pg_terms(text, out, len)
					   : fts_query(text, out, len);
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
	int searching = q->search && search_terms(hub, q->search, match,
						  sizeof match) > 0;
	int checks = q->filter == HUB_FILTER_CHECKS;
	if (checks && !hub->me.agency[0])
		return md_fail(err, EX_USAGE, "%s belongs to no agency, so has no "
			       "checks of its own", hub->me.login);
	int feedback = q->filter == HUB_FILTER_FEEDBACK;
	const char *const *sql = checks ? checks_sql : feedback ? feedback_sql
				 : q->open_only ? queue_sql : history_sql;
	struct db_stmt *st = hub_stmt(hub, sql[hub->engine], err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, clock_now());
	db_bind_int64(st, 2, (int)q->filter);
	hub_bind_text(st, 3, checks ? hub->me.agency : hub->me.login);
	hub_bind_text(st, 4, searching ? match : NULL);
	/* No limit: the largest, as both engines read it (SQLite also takes -1). */
	db_bind_int64(st, 5, q->limit > 0 ? q->limit : LLONG_MAX);
	db_bind_int64(st, 6, q->offset > 0 ? q->offset : 0);
	db_bind_int64(st, 7, searching ? search_ref_id(q->search) : 0);
	if (feedback) {
		db_bind_int64(st, 8, 3600LL * hub->cfg.feedback_acknowledgement_hours);
		db_bind_int64(st, 9, 3600LL * hub->cfg.feedback_outcome_hours);
	}
	int rc;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct queue_row r;
		hub_read_queue_row(hub, st, &r);
		r.check_due = checks ? db_column_int64(st, 16) : 0;
		r.check_late = checks ? db_column_int(st, 17) : 0;
		status = cb(&r, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the queue", err);
	hub_reset(st);
	return status;
}

int hub_checks_late(struct hub *hub, long *n, struct md_error *err)
{
#define LATE_SQL(INDEXED) \
		"SELECT count(*) FROM agency_check c " INDEXED \
		" JOIN referral r ON r.id = c.referral_id" \
		" WHERE c.agency = ?1 AND c.completed_at IS NULL AND c.due_at < ?2" \
		" AND r.status NOT IN ('decided', 'closed')"
	static const char *const sqls[] = {
		[HUB_SQLITE] = LATE_SQL("INDEXED BY agency_check_open"),
		[HUB_POSTGRES] = LATE_SQL(""),
	};
	const char *sql = sqls[hub->engine];
	*n = 0;
	int status = hub_permit(hub, HUB_ACT_VIEW, err);
	if (status || !hub->me.agency[0])
		return status;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, hub->me.agency);
	db_bind_int64(st, 2, clock_now());
	int rc = db_step(st);
	if (rc == DB_ROW)
		*n = (long)db_column_int64(st, 0);
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "counting late checks", err);
}
