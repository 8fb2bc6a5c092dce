/* hub_report.c - the hub's figures, computed in SQL (see report.h).
 *
 * Each report is one statement over the referrals received in the period,
 * bound as [?1, ?2).  Medians and 90th percentiles are computed in SQL
 * with window functions over the durations of each group (row_number and
 * the group's count):
 *   median = mean of the values ranked (n+1)/2 and (n+2)/2 (integer
 *            division: the same row when n is odd, the two middle ones
 *            when it is even);
 *   p90    = the value ranked ceil(0.9 n) = (9n + 9)/10 (nearest rank).
 * Durations are whole seconds; C turns them into hours.
 *
 * These statements run rarely (a command, a key at the desk), so they are
 * prepared and finalized each time rather than kept in the connection's
 * statement cache, which is sized for the desk's hot queries. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/report.h"

const char *const report_group_names[REPORT_GROUPS] = {
	"all", "red", "amber", "green", "level-1", "level-2", "level-3", "level-4",
};

/* The per-group statistics over d(grp, v), v in seconds. */
#define STATS_SQL(with_d) \
	"WITH " with_d "," \
	" r AS (SELECT grp, v, row_number() OVER (PARTITION BY grp ORDER BY v) AS rn," \
	"  count(*) OVER (PARTITION BY grp) AS n FROM d)" \
	" SELECT grp, count(*), avg(v)," \
	"  avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END)," \
	"  max(CASE WHEN rn = (9 * n + 9) / 10 THEN v END)" \
	" FROM r GROUP BY grp"

/* Referral r received in the period. */
#define IN_PERIOD "r.received_at >= ?1 AND r.received_at < ?2"

/* Each referral row b(rag, level, ...) counted in 'all', its RAG and its
 * level: the eight groups of turnaround and repeats. */
#define GROUPS_OF(cols) \
	"SELECT 'all', " cols " FROM b" \
	" UNION ALL SELECT rag, " cols " FROM b WHERE rag IS NOT NULL" \
	" UNION ALL SELECT 'level-' || level, " cols " FROM b WHERE level IS NOT NULL"

/* ---- the period ----------------------------------------------------------- */

/* Local midnight starting the day `days` after the date s. */
static int day_start(const char *s, int days, long long *out)
{
	int y, m, d;
	if (!clock_valid_date(s) || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1,
			 .tm_mday = d + days, .tm_isdst = -1 };
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (long long)t;
	return 0;
}

int hub_report_period(const char *from, const char *to, const char *opt_from,
		      const char *opt_to, struct report_period *p,
		      struct md_error *err)
{
	memset(p, 0, sizeof *p);
	p->from = -(1LL << 62);
	p->to = 1LL << 62;
	if (from && *from) {
		if (day_start(from, 0, &p->from))
			return md_fail(err, EX_USAGE, "%s: '%.40s' is not a date "
				       "(YYYY-MM-DD)", opt_from, from);
		snprintf(p->from_text, sizeof p->from_text, "%s", from);
	}
	if (to && *to) {
		if (day_start(to, 1, &p->to))
			return md_fail(err, EX_USAGE, "%s: '%.40s' is not a date "
				       "(YYYY-MM-DD)", opt_to, to);
		snprintf(p->to_text, sizeof p->to_text, "%s", to);
	}
	if (p->from >= p->to)
		return md_fail(err, EX_USAGE, "%s %s is after %s %s", opt_from,
			       p->from_text, opt_to, p->to_text);
	return 0;
}

/* ---- shared plumbing --------------------------------------------------------- */

int hub_report_may(struct hub *hub)
{
	return hub_may(hub, HUB_ACT_REPORT, NULL);
}

static sqlite3_stmt *report_prepare(struct hub *hub, const char *sql,
				    const struct report_period *p,
				    struct md_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(hub->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		hub_sql_fail(hub, rc, "preparing a report", err);
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, p->from);
	sqlite3_bind_int64(st, 2, p->to);
	return st;
}

/* Step through every row, then finalize; 0 or the failure. */
static int report_finish(struct hub *hub, sqlite3_stmt *st, int rc,
			 const char *doing, struct md_error *err)
{
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : hub_sql_fail(hub, rc, doing, err);
}

static int group_index(const char *name)
{
	for (int i = 0; i < REPORT_GROUPS; i++)
		if (!strcmp(report_group_names[i], name))
			return i;
	return -1;
}

/* Columns 1..4 of STATS_SQL into s. */
static void read_stats(sqlite3_stmt *st, struct report_stats *s)
{
	s->count = sqlite3_column_int(st, 1);
	s->mean_h = sqlite3_column_double(st, 2) / 3600.0;
	s->median_h = sqlite3_column_double(st, 3) / 3600.0;
	s->p90_h = sqlite3_column_double(st, 4) / 3600.0;
}

/* ---- turnaround ------------------------------------------------------------------ */

int hub_report_turnaround(struct hub *hub, const struct report_period *p,
			  struct report_turnaround *out, struct md_error *err)
{
	static const char sql[] = STATS_SQL(
		"b AS (SELECT r.rag, r.level, r.decided_at - r.received_at AS v"
		"  FROM referral r WHERE r.decided_at IS NOT NULL AND " IN_PERIOD "),"
		" d(grp, v) AS (" GROUPS_OF("v") ")");
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	sqlite3_stmt *st = status ? NULL : report_prepare(hub, sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int g = group_index((const char *)sqlite3_column_text(st, 0));
		if (g >= 0)
			read_stats(st, &out->g[g]);
	}
	return report_finish(hub, st, rc, "computing turnaround", err);
}

/* ---- agencies ---------------------------------------------------------------------- */

int hub_report_agencies(struct hub *hub, const struct report_period *p,
			struct report_agencies *out, struct md_error *err)
{
	/* Every agency, in display order, with its counts of late and open
	 * checks; then the statistics of its completed checks. */
	static const char count_sql[] =
		"SELECT a.code, a.name,"
		"  coalesce(sum(c.completed_at > c.due_at), 0),"
		"  coalesce(sum(c.agency IS NOT NULL AND c.completed_at IS NULL), 0),"
		"  coalesce(sum(c.agency IS NOT NULL AND c.completed_at IS NULL"
		"   AND c.due_at < ?3), 0)"
		" FROM agency a LEFT JOIN (agency_check c JOIN referral r"
		"  ON r.id = c.referral_id AND " IN_PERIOD ") ON c.agency = a.code"
		" GROUP BY a.code ORDER BY a.sort";
	static const char stats_sql[] = STATS_SQL(
		"d(grp, v) AS (SELECT c.agency, c.completed_at - c.requested_at"
		"  FROM agency_check c JOIN referral r ON r.id = c.referral_id"
		"  WHERE c.completed_at IS NOT NULL AND " IN_PERIOD ")");
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	sqlite3_stmt *st = status ? NULL : report_prepare(hub, count_sql, p, err);
	if (!st)
		return status ? status : err->code;
	sqlite3_bind_int64(st, 3, clock_now());
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < MD_MAX_AGENCIES) {
		struct report_agency *a = &out->a[out->n++];
		hub_col_text(st, 0, a->agency, sizeof a->agency);
		hub_col_text(st, 1, a->name, sizeof a->name);
		a->late = sqlite3_column_int(st, 2);
		a->open = sqlite3_column_int(st, 3);
		a->open_late = sqlite3_column_int(st, 4);
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;   /* more agencies than the desk shows */
	if ((status = report_finish(hub, st, rc, "counting agency checks", err)))
		return status;
	if (!(st = report_prepare(hub, stats_sql, p, err)))
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; code && i < out->n; i++)
			if (!strcmp(out->a[i].agency, code))
				read_stats(st, &out->a[i].s);
	}
	return report_finish(hub, st, rc, "timing agency checks", err);
}

/* ---- outcomes -------------------------------------------------------------------------- */

int hub_report_outcomes(struct hub *hub, const struct report_period *p,
			struct report_outcomes *out, struct md_error *err)
{
	/* Every outcome and category code (zero counts included), and the
	 * decided referrals with no category. */
	static const char sql[] =
		"SELECT 'outcome', o.code, o.name, (SELECT count(*) FROM decision d"
		"   JOIN referral r ON r.id = d.referral_id"
		"   WHERE d.outcome = o.code AND " IN_PERIOD "), 1, o.sort FROM outcome o"
		" UNION ALL SELECT 'category', c.code, c.name, (SELECT count(*)"
		"   FROM decision d JOIN referral r ON r.id = d.referral_id"
		"   WHERE r.category = c.code AND " IN_PERIOD "), 2, c.sort FROM category c"
		" UNION ALL SELECT 'category', 'none', 'No category recorded',"
		"  (SELECT count(*) FROM decision d JOIN referral r ON r.id = d.referral_id"
		"   WHERE r.category IS NULL AND " IN_PERIOD "), 3, 0"
		" ORDER BY 5, 6";
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	sqlite3_stmt *st = status ? NULL : report_prepare(hub, sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < REPORT_MAX_CODES) {
		struct report_count *c = &out->c[out->n++];
		hub_col_text(st, 0, c->by, sizeof c->by);
		hub_col_text(st, 1, c->code, sizeof c->code);
		hub_col_text(st, 2, c->name, sizeof c->name);
		c->count = sqlite3_column_int(st, 3);
		if (!strcmp(c->by, "outcome"))
			out->decided += c->count;
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return report_finish(hub, st, rc, "counting outcomes", err);
}

/* ---- repeats ---------------------------------------------------------------------------- */

/* An earlier referral p of r (received before it, or at the same second
 * with a lower id) within the twelve months before it. */
#define EARLIER_WITHIN_YEAR \
	" p.id <> r.id AND (p.received_at < r.received_at OR" \
	"  (p.received_at = r.received_at AND p.id < r.id)) AND p.received_at >=" \
	"  CAST(strftime('%s', r.received_at, 'unixepoch', '-12 months') AS INTEGER)"

int hub_report_repeats(struct hub *hub, const struct report_period *p,
		       struct report_repeats *out, struct md_error *err)
{
	/* The same matching as the desk's repeat mark (hub_referral.c
	 * find_repeat, HUB_HISTORY_SQL): name and date of birth for the
	 * child, normalised address for the household. */
	static const char sql[] =
		"WITH b AS (SELECT r.rag, r.level,"
		"  EXISTS (SELECT 1 FROM referral p WHERE p.name_key = r.name_key"
		"   AND p.dob = r.dob AND" EARLIER_WITHIN_YEAR ") AS child,"
		"  r.address_key IS NOT NULL AND EXISTS (SELECT 1 FROM referral p"
		"   WHERE p.address_key = r.address_key AND" EARLIER_WITHIN_YEAR ") AS home"
		"  FROM referral r WHERE " IN_PERIOD "),"
		" g(grp, child, home) AS (" GROUPS_OF("child, home") ")"
		" SELECT grp, count(*), sum(child OR home), sum(child),"
		"  sum(home AND NOT child) FROM g GROUP BY grp";
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	sqlite3_stmt *st = status ? NULL : report_prepare(hub, sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int g = group_index((const char *)sqlite3_column_text(st, 0));
		if (g < 0)
			continue;
		out->g[g].referrals = sqlite3_column_int(st, 1);
		out->g[g].repeats = sqlite3_column_int(st, 2);
		out->g[g].same_child = sqlite3_column_int(st, 3);
		out->g[g].same_household = sqlite3_column_int(st, 4);
	}
	return report_finish(hub, st, rc, "counting repeat referrals", err);
}

/* ---- weekly series -------------------------------------------------------------------------- */

int hub_report_weekly(struct hub *hub, const struct report_period *p,
		      struct report_week *weeks, int nweeks,
		      struct md_error *err)
{
	/* ?1 is the first week's start; weeks are 7 * 86400 seconds (a DST
	 * change shifts a boundary by an hour, which a sparkline cannot show). */
	static const char sql[] =
		"WITH b AS (SELECT (r.received_at - ?1) / 604800 AS wk,"
		"  r.decided_at - r.received_at AS v FROM referral r WHERE " IN_PERIOD "),"
		" d(grp, v) AS (SELECT wk, v FROM b WHERE v IS NOT NULL),"
		" r AS (SELECT grp, v, row_number() OVER (PARTITION BY grp ORDER BY v) AS rn,"
		"  count(*) OVER (PARTITION BY grp) AS n FROM d),"
		" m AS (SELECT grp, count(*) AS decided,"
		"  avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END) AS median"
		"  FROM r GROUP BY grp)"
		" SELECT b.wk, count(*), coalesce(m.decided, 0), coalesce(m.median, 0)"
		" FROM b LEFT JOIN m ON m.grp = b.wk GROUP BY b.wk";
	if (nweeks < 1 || nweeks > REPORT_MAX_WEEKS || p->to >= (1LL << 62))
		return md_fail(err, EX_SOFTWARE, "weekly report: bad period");
	struct report_period w = *p;
	w.from = p->to - (long long)nweeks * 604800;
	memset(weeks, 0, sizeof *weeks * (size_t)nweeks);
	for (int i = 0; i < nweeks; i++)
		weeks[i].start = w.from + (long long)i * 604800;
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	sqlite3_stmt *st = status ? NULL : report_prepare(hub, sql, &w, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long i = sqlite3_column_int64(st, 0);
		if (i < 0 || i >= nweeks)
			continue;
		weeks[i].referrals = sqlite3_column_int(st, 1);
		weeks[i].decided = sqlite3_column_int(st, 2);
		weeks[i].median_h = sqlite3_column_double(st, 3) / 3600.0;
	}
	return report_finish(hub, st, rc, "counting referrals by week", err);
}

/* ---- formatting ---------------------------------------------------------------------------- */

void report_fmt_hours(char *buf, size_t len, double h, long count)
{
	if (count <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	/* Half up, in tenths, so 2.25 h is 2.3 whatever printf would do. */
	long long t = (long long)(h * 10.0 + 0.5 + 1e-9);
	if (h < 0)
		t = -(long long)(-h * 10.0 + 0.5 + 1e-9);
	snprintf(buf, len, "%s%lld.%lld", t < 0 ? "-" : "", (t < 0 ? -t : t) / 10,
		 (t < 0 ? -t : t) % 10);
}

void report_fmt_pct(char *buf, size_t len, long part, long whole)
{
	if (whole <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	/* Tenths of a per cent, rounded half up, in integers. */
	long long t = ((long long)part * 2000 + whole) / (2LL * whole);
	snprintf(buf, len, "%lld.%lld", t / 10, t % 10);
}
