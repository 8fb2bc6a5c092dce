/* hub_report.c - the hub's figures (see hub_report.h).
 *
 * Counts, sums and means are computed in SQL, one GROUP BY statement per
 * report over the referrals received in the period, bound as [?1, ?2).
 * Order statistics come from a second statement that streams the same
 * durations sorted (ORDER BY v): knowing each group's count n from the
 * first, one pass picks the values ranked
 *   (n+1)/2 and (n+2)/2   the median: one value when n is odd, the mean
 *                         of the two middle ones when it is even;
 *   (9n+9)/10 = ceil(0.9n) the 90th percentile, nearest rank.
 * (Window functions - row_number() OVER (PARTITION BY ...) - give the same
 * answer in one statement but took three times as long: 1.2 s against
 * 0.35 s for the turnaround of 100,000 generated referrals.)  Durations are whole seconds; C turns them into
 * hours.
 *
 * These statements run rarely (a command, a key at the desk), so they are
 * prepared and finalized each time rather than kept in the connection's
 * statement cache, which is sized for the desk's hot queries. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_report.h"

const char *const report_group_names[REPORT_GROUPS] = {
	"all", "red", "amber", "green", "level-1", "level-2", "level-3", "level-4",
};

/* Referral r received in the period. */
#define IN_PERIOD "r.received_at >= ?1 AND r.received_at < ?2"

/* Only referrals (contacts progressed at screening), not contacts still
 * waiting or closed at screening: turnaround, outcomes, repeats and the
 * weekly series count what the national statistics count (see
 * mashdesk(1), REPORTS, for why each report counts what it does). */
#define IS_REFERRAL(r) r ".stage = 'referral'"

/* Each referral row b(rag, level, ...) counted in 'all', its RAG and its
 * level: the eight groups of turnaround and repeats. */
#define GROUPS_OF(cols) \
	"SELECT 'all', " cols " FROM b" \
	" UNION ALL SELECT rag, " cols " FROM b WHERE rag IS NOT NULL" \
	" UNION ALL SELECT 'level-' || level, " cols " FROM b WHERE level IS NOT NULL"

/* One group's order statistics, filled from a sorted stream. */
struct ranks {
	long n, seen;
	double mean, lo, hi, p90;     /* seconds */
};

static void ranks_feed(struct ranks *g, double v)
{
	g->seen++;
	if (g->seen == (g->n + 1) / 2)
		g->lo = v;
	if (g->seen == (g->n + 2) / 2)
		g->hi = v;
	if (g->seen == (9 * g->n + 9) / 10)
		g->p90 = v;
}

static void ranks_stats(const struct ranks *g, struct report_stats *s)
{
	s->count = g->n;
	s->mean_h = g->n ? g->mean / 3600.0 : 0;
	s->median_h = g->n ? (g->lo + g->hi) / 2 / 3600.0 : 0;
	s->p90_h = g->n ? g->p90 / 3600.0 : 0;
}

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

static struct db_stmt *report_prepare(struct hub *hub, const char *sql,
				    const struct report_period *p,
				    struct md_error *err)
{
	struct db_stmt *st = NULL;
	if (hub_prepare(hub, sql, &st, err) != 0)
		return NULL;
	db_bind_int64(st, 1, p->from);
	db_bind_int64(st, 2, p->to);
	return st;
}

/* Step through every row, then finalize; 0 or the failure. */
static int report_finish(struct hub *hub, struct db_stmt *st, int rc,
			 const char *doing, struct md_error *err)
{
	db_finalize(st);
	return rc == DB_DONE ? 0 : hub_sql_fail(hub, rc, doing, err);
}

static int group_index(const char *name)
{
	for (int i = 0; i < REPORT_GROUPS; i++)
		if (!strcmp(report_group_names[i], name))
			return i;
	return -1;
}

/* ---- turnaround ------------------------------------------------------------------ */

/* The decided referrals of the period: b(rag, level, v). */
#define DECIDED_SQL \
	"b AS MATERIALIZED (SELECT r.rag, r.level, r.decided_at - r.received_at AS v" \
	"  FROM referral r WHERE r.decided_at IS NOT NULL AND " IS_REFERRAL("r") \
	"  AND " IN_PERIOD ")"

int hub_report_turnaround(struct hub *hub, const struct report_period *p,
			  struct report_turnaround *out, struct md_error *err)
{
	static const char count_sql[] =
		"WITH " DECIDED_SQL ", d(grp, v) AS (" GROUPS_OF("v") ")"
		" SELECT grp, count(*), avg(v) FROM d GROUP BY grp";
	static const char sorted_sql[] =
		"WITH " DECIDED_SQL " SELECT rag, level, v FROM b ORDER BY v";
	struct ranks g[REPORT_GROUPS] = { { 0 } };
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	struct db_stmt *st = status ? NULL : report_prepare(hub, count_sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int i = group_index((const char *)db_column_text(st, 0));
		if (i >= 0) {
			g[i].n = db_column_int(st, 1);
			g[i].mean = db_column_double(st, 2);
		}
	}
	if ((status = report_finish(hub, st, rc, "computing turnaround", err)))
		return status;
	if (!(st = report_prepare(hub, sorted_sql, p, err)))
		return err->code;
	while ((rc = db_step(st)) == DB_ROW) {
		double v = db_column_double(st, 2);
		const char *rag = (const char *)db_column_text(st, 0);
		int level = db_column_int(st, 1);
		int i = rag ? group_index(rag) : -1;
		ranks_feed(&g[0], v);
		if (i > 0)
			ranks_feed(&g[i], v);
		if (level >= 1 && level <= 4)
			ranks_feed(&g[3 + level], v);
	}
	for (int i = 0; i < REPORT_GROUPS; i++)
		ranks_stats(&g[i], &out->g[i]);
	return report_finish(hub, st, rc, "computing turnaround", err);
}

/* ---- agencies ---------------------------------------------------------------------- */

static int agency_index(const struct report_agencies *a, const char *code)
{
	for (int i = 0; code && i < a->n; i++)
		if (!strcmp(a->a[i].agency, code))
			return i;
	return -1;
}

/* The checks on the referrals of the period: c joined to r. */
#define CHECKS_OF_PERIOD \
	" FROM agency_check c JOIN referral r ON r.id = c.referral_id" \
	" WHERE " IN_PERIOD

int hub_report_agencies(struct hub *hub, const struct report_period *p,
			struct report_agencies *out, struct md_error *err)
{
	static const char agency_sql[] =
		"SELECT code, name FROM agency WHERE ?1 <= ?2 ORDER BY sort";
	static const char count_sql[] =
		"SELECT c.agency, count(c.completed_at),"
		"  avg(c.completed_at - c.requested_at), sum(c.completed_at > c.due_at),"
		"  sum(c.completed_at IS NULL), sum(c.completed_at IS NULL AND c.due_at < ?3)"
		CHECKS_OF_PERIOD " GROUP BY c.agency";
	static const char sorted_sql[] =
		"SELECT c.agency, c.completed_at - c.requested_at AS v" CHECKS_OF_PERIOD
		" AND c.completed_at IS NOT NULL ORDER BY v";
	struct ranks g[MD_MAX_AGENCIES] = { { 0 } };
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	struct db_stmt *st = status ? NULL : report_prepare(hub, agency_sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	/* Every agency, in display order (beyond MD_MAX_AGENCIES: left out). */
	while ((rc = db_step(st)) == DB_ROW && out->n < MD_MAX_AGENCIES) {
		struct report_agency *a = &out->a[out->n++];
		hub_col_text(st, 0, a->agency, sizeof a->agency);
		hub_col_text(st, 1, a->name, sizeof a->name);
	}
	if (rc == DB_ROW)
		rc = DB_DONE;
	if ((status = report_finish(hub, st, rc, "listing agencies", err)))
		return status;
	if (!(st = report_prepare(hub, count_sql, p, err)))
		return err->code;
	db_bind_int64(st, 3, clock_now());
	while ((rc = db_step(st)) == DB_ROW) {
		int i = agency_index(out, (const char *)db_column_text(st, 0));
		if (i < 0)
			continue;
		g[i].n = db_column_int(st, 1);
		g[i].mean = db_column_double(st, 2);
		out->a[i].late = db_column_int(st, 3);
		out->a[i].open = db_column_int(st, 4);
		out->a[i].open_late = db_column_int(st, 5);
	}
	if ((status = report_finish(hub, st, rc, "counting agency checks", err)))
		return status;
	if (!(st = report_prepare(hub, sorted_sql, p, err)))
		return err->code;
	while ((rc = db_step(st)) == DB_ROW) {
		int i = agency_index(out, (const char *)db_column_text(st, 0));
		if (i >= 0)
			ranks_feed(&g[i], db_column_double(st, 1));
	}
	for (int i = 0; i < out->n; i++)
		ranks_stats(&g[i], &out->a[i].s);
	return report_finish(hub, st, rc, "timing agency checks", err);
}

/* ---- outcomes -------------------------------------------------------------------------- */

int hub_report_outcomes(struct hub *hub, const struct report_period *p,
			struct report_outcomes *out, struct md_error *err)
{
	/* Every outcome and category code (zero counts included), and the
	 * decided referrals with no category ('none' is no category code:
	 * codes are lower-case words, and 'none' is not among them). */
	static const char sql[] =
		"WITH d AS MATERIALIZED (SELECT d.outcome, coalesce(r.category, 'none')"
		"  AS category FROM decision d JOIN referral r ON r.id = d.referral_id"
		"  WHERE " IS_REFERRAL("r") " AND " IN_PERIOD "),"
		" oc AS (SELECT outcome AS code, count(*) AS n FROM d GROUP BY outcome),"
		" cc AS (SELECT category AS code, count(*) AS n FROM d GROUP BY category)"
		" SELECT 'outcome', o.code, o.name, coalesce(oc.n, 0), 1, o.sort"
		"  FROM outcome o LEFT JOIN oc ON oc.code = o.code"
		" UNION ALL SELECT 'category', c.code, c.name, coalesce(cc.n, 0), 2, c.sort"
		"  FROM category c LEFT JOIN cc ON cc.code = c.code"
		" UNION ALL SELECT 'category', 'none', 'No category recorded',"
		"  coalesce((SELECT n FROM cc WHERE code = 'none'), 0), 3, 0"
		" ORDER BY 5, 6";
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	struct db_stmt *st = status ? NULL : report_prepare(hub, sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && out->n < REPORT_MAX_CODES) {
		struct report_count *c = &out->c[out->n++];
		hub_col_text(st, 0, c->by, sizeof c->by);
		hub_col_text(st, 1, c->code, sizeof c->code);
		hub_col_text(st, 2, c->name, sizeof c->name);
		c->count = db_column_int(st, 3);
		if (!strcmp(c->by, "outcome"))
			out->decided += c->count;
	}
	if (rc == DB_ROW)
		rc = DB_DONE;
	return report_finish(hub, st, rc, "counting outcomes", err);
}

/* ---- repeats ---------------------------------------------------------------------------- */

/* An earlier referral p of r (received before it, or at the same second
 * with a lower id) within the twelve months before it. */
#define EARLIER_WITHIN_YEAR \
	" " IS_REFERRAL("p") " AND p.id <> r.id AND (p.received_at < r.received_at OR" \
	"  (p.received_at = r.received_at AND p.id < r.id)) AND p.received_at >=" \
	"  md_add_months(r.received_at, -12)"

int hub_report_repeats(struct hub *hub, const struct report_period *p,
		       struct report_repeats *out, struct md_error *err)
{
	/* The same matching as the desk's repeat mark (hub_referral.c
	 * find_repeat, and the history in hub_detail.c): name and date of
	 * birth for the child, normalised address for the household. */
	static const char sql[] =
		"WITH b AS MATERIALIZED (SELECT r.rag, r.level,"
		"  EXISTS (SELECT 1 FROM referral p WHERE p.name_key = r.name_key"
		"   AND p.dob = r.dob AND" EARLIER_WITHIN_YEAR ") AS child,"
		"  r.address_key IS NOT NULL AND EXISTS (SELECT 1 FROM referral p"
		"   WHERE p.address_key = r.address_key AND" EARLIER_WITHIN_YEAR ") AS home"
		"  FROM referral r WHERE " IS_REFERRAL("r") " AND " IN_PERIOD "),"
		" g(grp, child, home) AS (" GROUPS_OF("child, home") ")"
		" SELECT grp, count(*), sum(child OR home), sum(child),"
		"  sum(home AND NOT child) FROM g GROUP BY grp";
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	struct db_stmt *st = status ? NULL : report_prepare(hub, sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int g = group_index((const char *)db_column_text(st, 0));
		if (g < 0)
			continue;
		out->g[g].referrals = db_column_int(st, 1);
		out->g[g].repeats = db_column_int(st, 2);
		out->g[g].same_child = db_column_int(st, 3);
		out->g[g].same_household = db_column_int(st, 4);
	}
	return report_finish(hub, st, rc, "counting repeat referrals", err);
}

/* ---- contacts: the front door ------------------------------------------------------------ */

/* 365 days, in seconds: "within 12 months" of the re-referral figure. */
#define REREFERRAL_WINDOW "31536000"

int hub_report_contacts(struct hub *hub, const struct report_period *p,
			struct report_contacts *out, struct md_error *err)
{
	/* Every record received in the period was taken in as a contact; its
	 * stage and screening outcome say what became of it.  A re-referral
	 * is a referral whose child (normalised name and date of birth, as
	 * the repeats report matches) had an earlier referral - not a contact
	 * closed at screening - received in the 365 days before it (at the
	 * same second, the one entered first is the earlier).  The first row
	 * holds the totals, then one row per screening outcome in display
	 * order, zero counts too. */
	static const char sql[] =
		"WITH c AS MATERIALIZED (SELECT " IS_REFERRAL("r") " AS ref,"
		"  r.screening_outcome AS so, " IS_REFERRAL("r") " AND EXISTS"
		"  (SELECT 1 FROM referral p WHERE p.name_key = r.name_key"
		"   AND p.dob = r.dob AND " IS_REFERRAL("p") " AND p.id <> r.id"
		"   AND (p.received_at < r.received_at OR (p.received_at ="
		"   r.received_at AND p.id < r.id)) AND p.received_at >="
		"   r.received_at - " REREFERRAL_WINDOW ") AS again"
		"  FROM referral r WHERE " IN_PERIOD "),"
		" oc AS (SELECT so AS code, count(*) AS n FROM c"
		"  WHERE so IS NOT NULL GROUP BY so)"
		" SELECT 0 AS kind, '', '', count(*), coalesce(sum(ref), 0),"
		"  coalesce(sum(so IS NOT NULL), 0),"
		"  coalesce(sum(NOT ref AND so IS NULL), 0),"
		"  coalesce(sum(again), 0), 0 AS sort FROM c"
		" UNION ALL SELECT 1, o.code, o.name, coalesce(oc.n, 0), 0, 0, 0, 0,"
		"  o.sort FROM screening_outcome o LEFT JOIN oc ON oc.code = o.code"
		" ORDER BY kind, sort";
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	struct db_stmt *st = status ? NULL : report_prepare(hub, sql, p, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_column_int(st, 0) == 0) {
			out->contacts = db_column_int(st, 3);
			out->referrals = db_column_int(st, 4);
			out->closed = db_column_int(st, 5);
			out->open = db_column_int(st, 6);
			out->rereferrals = db_column_int(st, 7);
			continue;
		}
		if (out->n >= REPORT_MAX_SCREENING)
			continue;
		struct report_count *c = &out->by_outcome[out->n++];
		snprintf(c->by, sizeof c->by, "closed");
		hub_col_text(st, 1, c->code, sizeof c->code);
		hub_col_text(st, 2, c->name, sizeof c->name);
		c->count = db_column_int(st, 3);
	}
	return report_finish(hub, st, rc, "counting contacts and referrals", err);
}

/* ---- weekly series -------------------------------------------------------------------------- */

int hub_report_weekly(struct hub *hub, const struct report_period *p,
		      struct report_week *weeks, int nweeks,
		      struct md_error *err)
{
	/* ?1 is the first week's start; weeks are 7 * 86400 seconds (a DST
	 * change shifts a boundary by an hour, which a sparkline cannot show). */
	static const char count_sql[] =
		"SELECT (r.received_at - ?1) / 604800 AS wk, count(*),"
		" sum(" IS_REFERRAL("r") "),"
		" sum(" IS_REFERRAL("r") " AND r.decided_at IS NOT NULL)"
		" FROM referral r WHERE " IN_PERIOD " GROUP BY wk";
	static const char sorted_sql[] =
		"SELECT (r.received_at - ?1) / 604800, r.decided_at - r.received_at AS v"
		" FROM referral r WHERE r.decided_at IS NOT NULL AND "
		IS_REFERRAL("r") " AND " IN_PERIOD " ORDER BY v";
	struct ranks g[REPORT_MAX_WEEKS] = { { 0 } };
	if (nweeks < 1 || nweeks > REPORT_MAX_WEEKS || p->to >= (1LL << 62))
		return md_fail(err, EX_SOFTWARE, "weekly report: bad period");
	struct report_period w = *p;
	w.from = p->to - (long long)nweeks * 604800;
	memset(weeks, 0, sizeof *weeks * (size_t)nweeks);
	for (int i = 0; i < nweeks; i++)
		weeks[i].start = w.from + (long long)i * 604800;
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	struct db_stmt *st = status ? NULL : report_prepare(hub, count_sql, &w, err);
	if (!st)
		return status ? status : err->code;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		long long i = db_column_int64(st, 0);
		if (i < 0 || i >= nweeks)
			continue;
		weeks[i].contacts = db_column_int(st, 1);
		weeks[i].referrals = db_column_int(st, 2);
		weeks[i].decided = g[i].n = db_column_int(st, 3);
	}
	if ((status = report_finish(hub, st, rc, "counting referrals by week", err)))
		return status;
	if (!(st = report_prepare(hub, sorted_sql, &w, err)))
		return err->code;
	while ((rc = db_step(st)) == DB_ROW) {
		long long i = db_column_int64(st, 0);
		if (i >= 0 && i < nweeks)
			ranks_feed(&g[i], db_column_double(st, 1));
	}
	for (int i = 0; i < nweeks; i++)
		weeks[i].median_h = g[i].n ? (g[i].lo + g[i].hi) / 2 / 3600.0 : 0;
	return report_finish(hub, st, rc, "timing referrals by week", err);
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
