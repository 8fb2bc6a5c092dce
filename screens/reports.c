/* reports.c - the hub's figures at the desk (supervisors and admins).
 *
 * The five reports of `mashdesk report` (hub_report.h), one at a time, chosen
 * with Tab / Shift-Tab (next-panel, prev-panel), over a period chosen with
 * p: all time, then the last 4, 13 and 52 weeks, each ending today.
 * Figures are drawn as horizontal bars, and the turnaround report adds
 * weekly sparklines of referrals received and of median turnaround, the
 * contacts report weekly contacts and their conversion rate.
 * Unicode block characters where the terminal can show them
 * (term_unicode_blocks), '#' and friends under vt100 or a non-UTF-8
 * locale; the numbers are always printed too, so nothing depends on the
 * drawing.
 *
 * The screen reads the report shown when it is first shown, and again
 * when the period changes or another desk commits (tick with force);
 * drawing only lays out what it holds. */
#include "reports.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/chart.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_report.h"

#define NREPORTS 6
#define NPERIODS 4
#define MAX_LINES 64
#define RLINE_MAX 768
/* Other desks' commits re-read the figures at most this often: on a large
 * hub a report is a scan, and a busy hub commits every second. */
#define REPORTS_REFRESH_S 30

static const char *const report_titles[NREPORTS] = {
	"Turnaround", "Agencies", "Outcomes", "Repeats", "Contacts", "Feedback",
};
#define REPORT_CONTACTS 4               /* its index: the front door */
static const struct {
	const char *name;
	int weeks;                      /* 0 = all time */
	int spark;                      /* weeks in the sparklines */
} periods[NPERIODS] = {
	{ "all time", 0, 26 }, { "last 4 weeks", 4, 4 },
	{ "last 13 weeks", 13, 13 }, { "last 52 weeks", 52, 52 },
};

struct line {
	char text[RLINE_MAX];
	enum theme_role role;
};

struct reports {
	int which, period;
	struct report_period p;
	struct report_turnaround t;
	struct report_agencies a;
	struct report_outcomes o;
	struct report_repeats r;
	struct report_contacts c;
	struct feedback_report f;
	struct report_week weeks[REPORT_MAX_WEEKS];
	int nweeks;
	int loaded[NREPORTS];           /* read for this period already */
	long long loaded_at;            /* when last read */
	int stale;                      /* another desk committed since */
	int now_please;                 /* ^L: read at once */
	struct line lines[MAX_LINES];
	int nlines, top, page;
};

/* ---- reading ---------------------------------------------------------------- */

/* Today's local date, days back from it, as YYYY-MM-DD. */
static void local_date(char buf[11], int days_back)
{
	time_t now = (time_t)clock_now();
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_mday -= days_back;
	tm.tm_hour = 12;                /* clear of any DST change */
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* The period chosen, ending today; forgets what was read for another. */
static int reports_period(struct reports *r, struct md_error *err)
{
	char from[11], to[11];
	int weeks = periods[r->period].weeks;
	local_date(to, 0);
	local_date(from, weeks * 7 - 1);
	memset(r->loaded, 0, sizeof r->loaded);
	r->nweeks = periods[r->period].spark;
	return hub_report_period(weeks ? from : NULL, to, "from", "to", &r->p, err);
}

/* Read the report shown, once per period: on a large hub each report is
 * a scan of the period's referrals, so only the one asked for is read. */
static int reports_load(struct reports *r, struct hub *hub, struct md_error *err)
{
	int status = 0;
	if (r->loaded[r->which])
		return 0;
	switch (r->which) {
	case 0:
		status = hub_report_turnaround(hub, &r->p, &r->t, err);
		if (!status)
			status = hub_report_weekly(hub, &r->p, r->weeks, r->nweeks,
						   err);
		break;
	case 1: status = hub_report_agencies(hub, &r->p, &r->a, err); break;
	case 2: status = hub_report_outcomes(hub, &r->p, &r->o, err); break;
	case 3: status = hub_report_repeats(hub, &r->p, &r->r, err); break;
	case 4:
		status = hub_report_contacts(hub, &r->p, &r->c, err);
		if (!status)
			status = hub_report_weekly(hub, &r->p, r->weeks, r->nweeks,
						   err);
		break;
	default:
		status = hub_feedback_report(hub, r->p.from, r->p.to, &r->f, err);
		break;
	}
	r->loaded[r->which] = status == 0;
	return status;
}

/* ---- laying out ----------------------------------------------------------------- */

static void add(struct reports *r, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct reports *r, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	if (r->nlines >= MAX_LINES)
		return;
	struct line *l = &r->lines[r->nlines++];
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->role = role;
}

/* A line of figures (ASCII, so its width is its length) and then a bar of
 * value/max filling the rest of the width. */
static void add_bar(struct reports *r, int cols, int ascii, double value,
		    double max, const char *figures)
{
	char bar[RLINE_MAX / 2];
	int w = cols - 2 - (int)strlen(figures);
	chart_bar(bar, sizeof bar, value, max, w > 0 ? w : 0, ascii);
	add(r, THEME_NORMAL, "%s %s", figures, bar);
}

static void lay_turnaround(struct reports *r, int cols, int ascii)
{
	double max = 0;
	for (int g = 0; g < REPORT_GROUPS; g++)
		if (r->t.g[g].count && r->t.g[g].median_h > max)
			max = r->t.g[g].median_h;
	add(r, THEME_HEADER, "Receipt to decision, hours (decided referrals)");
	add(r, THEME_HEADER, "%-8s %5s %7s %7s %7s  median", "group", "n",
	    "median", "mean", "p90");
	for (int g = 0; g < REPORT_GROUPS; g++) {
		const struct report_stats *s = &r->t.g[g];
		char med[16], mean[16], p90[16], fig[96];
		report_fmt_hours(med, sizeof med, s->median_h, s->count);
		report_fmt_hours(mean, sizeof mean, s->mean_h, s->count);
		report_fmt_hours(p90, sizeof p90, s->p90_h, s->count);
		snprintf(fig, sizeof fig, "%-8s %5ld %7s %7s %7s ",
			 report_group_names[g], s->count, med, mean, p90);
		add_bar(r, cols, ascii, s->count ? s->median_h : 0, max, fig);
	}
	/* Sparklines: as many of the latest weeks as fit. */
	int n = r->nweeks, room = cols - 34;
	if (n > room)
		n = room > 0 ? room : 0;
	const struct report_week *wk = r->weeks + (r->nweeks - n);
	double v[REPORT_MAX_WEEKS], m[REPORT_MAX_WEEKS], vmax = 0, mmax = 0;
	for (int i = 0; i < n; i++) {
		v[i] = (double)wk[i].referrals;
		m[i] = wk[i].decided ? wk[i].median_h : 0;
		vmax = v[i] > vmax ? v[i] : vmax;
		mmax = m[i] > mmax ? m[i] : mmax;
	}
	char spark[RLINE_MAX / 2], from[CLOCK_ISO_MAX] = "", mx[16];
	if (n)
		clock_format_iso(wk[0].start, from);
	add(r, THEME_NORMAL, "%s", "");
	add(r, THEME_HEADER, "Week by week: %d weeks from %.10s, oldest left", n,
	    from);
	chart_spark(spark, sizeof spark, v, n, ascii);
	add(r, THEME_NORMAL, "%-20s %s  max %.0f", "Referrals received", spark,
	    vmax);
	chart_spark(spark, sizeof spark, m, n, ascii);
	report_fmt_hours(mx, sizeof mx, mmax, 1);
	add(r, THEME_NORMAL, "%-20s %s  max %sh", "Median turnaround", spark, mx);
}

static void lay_agencies(struct reports *r, int cols, int ascii)
{
	add(r, THEME_HEADER, "Agency checks: request to completion, hours; late "
	    "= completed after its due time");
	add(r, THEME_HEADER, "%-10s %4s %6s %6s %4s %6s %4s %4s  late %%", "agency",
	    "n", "median", "p90", "late", "late%", "open", "now");
	for (int i = 0; i < r->a.n; i++) {
		const struct report_agency *a = &r->a.a[i];
		char med[16], p90[16], pct[16], fig[96];
		report_fmt_hours(med, sizeof med, a->s.median_h, a->s.count);
		report_fmt_hours(p90, sizeof p90, a->s.p90_h, a->s.count);
		report_fmt_pct(pct, sizeof pct, a->late, a->s.count);
		snprintf(fig, sizeof fig, "%-10.10s %4ld %6s %6s %4ld %6s %4ld %4ld ",
			 a->agency, a->s.count, med, p90, a->late, pct, a->open,
			 a->open_late);
		add_bar(r, cols, ascii, a->s.count ? 100.0 * a->late / a->s.count
						   : 0, 100.0, fig);
	}
	add(r, THEME_NORMAL, "%s", "");
	add(r, THEME_DIM, "open: checks not yet done; now: of those, past due now.");
}

static void lay_outcomes(struct reports *r, int cols, int ascii)
{
	long max = 1;
	for (int i = 0; i < r->o.n; i++)
		if (r->o.c[i].count > max)
			max = r->o.c[i].count;
	add(r, THEME_HEADER, "Decisions: %ld on referrals received in the period",
	    r->o.decided);
	const char *by = "";
	for (int i = 0; i < r->o.n; i++) {
		const struct report_count *c = &r->o.c[i];
		char pct[16], fig[96];
		if (strcmp(by, c->by)) {
			by = c->by;
			add(r, THEME_HEADER, "By %-22s %5s %6s", by, "n", "%");
		}
		report_fmt_pct(pct, sizeof pct, c->count, r->o.decided);
		snprintf(fig, sizeof fig, "   %-22.22s %5ld %6s ", c->code, c->count,
			 pct);
		add_bar(r, cols, ascii, (double)c->count, (double)max, fig);
	}
}

static void lay_repeats(struct reports *r, int cols, int ascii)
{
	add(r, THEME_HEADER, "Repeat referrals: the child or household referred "
	    "in the 12 months before");
	add(r, THEME_HEADER, "%-8s %5s %5s %6s %5s %5s  rate", "group", "refs",
	    "rep", "rate%", "child", "home");
	for (int g = 0; g < REPORT_GROUPS; g++) {
		const struct report_repeat *x = &r->r.g[g];
		char pct[16], fig[96];
		report_fmt_pct(pct, sizeof pct, x->repeats, x->referrals);
		snprintf(fig, sizeof fig, "%-8s %5ld %5ld %6s %5ld %5ld ",
			 report_group_names[g], x->referrals, x->repeats, pct,
			 x->same_child, x->same_household);
		add_bar(r, cols, ascii, x->referrals ? 100.0 * x->repeats /
			x->referrals : 0, 100.0, fig);
	}
}

/* One figure: name, count, its share (of contacts, or of referrals), a
 * bar of the share. */
static void contacts_line(struct reports *r, int cols, int ascii,
			  const char *name, long n, long of)
{
	char pct[16], fig[96];
	report_fmt_pct(pct, sizeof pct, n, of);
	snprintf(fig, sizeof fig, "%-28.28s %5ld %6s ", name, n, pct);
	add_bar(r, cols, ascii, of ? 100.0 * (double)n / (double)of : 0, 100.0, fig);
}

static void lay_contacts(struct reports *r, int cols, int ascii)
{
	const struct report_contacts *c = &r->c;
	add(r, THEME_HEADER, "Everything taken in is a contact; screening "
	    "progresses it or closes it");
	add(r, THEME_HEADER, "%-28s %5s %6s  share", "", "n", "%");
	contacts_line(r, cols, ascii, "Contacts taken in", c->contacts, c->contacts);
	contacts_line(r, cols, ascii, "Referrals (conversion rate)", c->referrals,
		      c->contacts);
	contacts_line(r, cols, ascii, "Closed at screening", c->closed, c->contacts);
	for (int i = 0; i < c->n; i++) {
		char name[64];
		snprintf(name, sizeof name, "  %s", c->by_outcome[i].code);
		contacts_line(r, cols, ascii, name, c->by_outcome[i].count, c->contacts);
	}
	contacts_line(r, cols, ascii, "Still open (not screened)", c->open,
		      c->contacts);
	contacts_line(r, cols, ascii, "Re-referrals in 12 months", c->rereferrals,
		      c->referrals);
	add(r, THEME_DIM, "Re-referral: the child had a referral in the 365 days "
	    "before.");
	add(r, THEME_DIM, "England 2024: 22%% of referrals were re-referrals.");
	/* Sparklines: as many of the latest weeks as fit. */
	int n = r->nweeks, room = cols - 34;
	if (n > room)
		n = room > 0 ? room : 0;
	const struct report_week *wk = r->weeks + (r->nweeks - n);
	double v[REPORT_MAX_WEEKS], q[REPORT_MAX_WEEKS], vmax = 0, qmax = 0;
	for (int i = 0; i < n; i++) {
		v[i] = (double)wk[i].contacts;
		q[i] = wk[i].contacts ? 100.0 * (double)wk[i].referrals /
					(double)wk[i].contacts : 0;
		vmax = v[i] > vmax ? v[i] : vmax;
		qmax = q[i] > qmax ? q[i] : qmax;
	}
	char spark[RLINE_MAX / 2], from[CLOCK_ISO_MAX] = "", mx[16];
	if (n)
		clock_format_iso(wk[0].start, from);
	add(r, THEME_NORMAL, "%s", "");
	add(r, THEME_HEADER, "Week by week: %d weeks from %.10s, oldest left", n,
	    from);
	chart_spark(spark, sizeof spark, v, n, ascii);
	add(r, THEME_NORMAL, "%-20s %s  max %.0f", "Contacts taken in", spark, vmax);
	chart_spark(spark, sizeof spark, q, n, ascii);
	report_fmt_hours(mx, sizeof mx, qmax, 1);
	add(r, THEME_NORMAL, "%-20s %s  max %s%%", "Conversion rate", spark, mx);
}

/* Feedback to referrers: per kind, the clocks that started in the period
 * and how they ended, each a share of those owed (on time, late or
 * overdue; still running is left out). */
static void lay_feedback(struct reports *r, int cols, int ascii)
{
	static const char *const heads[FEEDBACK_KINDS] = {
		"Acknowledgements", "Outcomes",
	};
	add(r, THEME_HEADER, "Feedback to referrers: each within its timescale");
	add(r, THEME_HEADER, "%-28s %5s %6s  share of those owed", "", "n", "%");
	for (int k = 0; k < FEEDBACK_KINDS; k++) {
		const struct feedback_report_kind *x = &r->f.k[k];
		long owed = x->on_time + x->late + x->overdue;
		char name[64];
		add(r, THEME_NORMAL, "%s", "");
		snprintf(name, sizeof name, "%s (%ld owed)", heads[k], owed);
		add(r, THEME_HEADER, "%s", name);
		contacts_line(r, cols, ascii, "  Given on time", x->on_time, owed);
		contacts_line(r, cols, ascii, "  Given late", x->late, owed);
		contacts_line(r, cols, ascii, "  Not given, past due", x->overdue,
			      owed);
		add(r, THEME_DIM, "  %ld more not yet due", x->running);
	}
	add(r, THEME_DIM, "Clocks that started in the period: [timescales] "
	    "feedback_*_hours.");
}

static void reports_layout(struct reports *r, int cols)
{
	int ascii = !term_unicode_blocks();
	r->nlines = 0;
	switch (r->which) {
	case 0: lay_turnaround(r, cols, ascii); break;
	case 1: lay_agencies(r, cols, ascii); break;
	case 2: lay_outcomes(r, cols, ascii); break;
	case 3: lay_repeats(r, cols, ascii); break;
	case 4: lay_contacts(r, cols, ascii); break;
	default: lay_feedback(r, cols, ascii); break;
	}
}

/* ---- the screen -------------------------------------------------------------- */

static int reports_screen_open(struct screen *s, struct desk *d, void *arg,
			       struct md_error *err)
{
	struct reports *r = calloc(1, sizeof *r);
	(void)arg;
	if (!r)
		return md_fail(err, EX_OSERR, "out of memory opening the reports");
	int status = reports_period(r, err);
	if (!status)
		status = reports_load(r, desk_hub(d), err);
	r->loaded_at = clock_now();
	if (status) {
		free(r);
		return status;
	}
	s->priv = r;
	return 0;
}

static void reports_close(struct screen *s, struct desk *d)
{
	(void)d;
	free(s->priv);
	s->priv = NULL;
}

static void draw_tabs(struct reports *r, WINDOW *w, int cols)
{
	int x = 0;
	for (int i = 0; i < NREPORTS && x < cols; i++) {
		char tab[32];
		/* Brackets as well as reverse: not by attribute alone. */
		snprintf(tab, sizeof tab, i == r->which ? "[%s]" : " %s ",
			 report_titles[i]);
		term_style(w, i == r->which ? THEME_SELECTED : THEME_HEADER);
		x += desk_put(w, 0, x, cols - x, tab, 0);
		term_style(w, THEME_HEADER);
		x += desk_put(w, 0, x, cols - x, " ", 0);
	}
	term_style(w, THEME_HEADER);
	if (x < cols)
		desk_put(w, 0, x, cols - x, "", 1);
}

static void reports_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
			 int cols)
{
	struct reports *r = s->priv;
	char line[160];
	(void)d;
	reports_layout(r, cols);
	draw_tabs(r, w, cols);
	int fb = r->which == REPORT_CONTACTS + 1;
	const char *what = r->which == REPORT_CONTACTS ? "Contacts"
		: fb ? "Feedback clocks" : "Referrals";
	const char *verb = fb ? "started" : "received";
	if (r->p.from_text[0])
		snprintf(line, sizeof line, "%s %s %s to %s (%s)", what, verb,
			 r->p.from_text, r->p.to_text, periods[r->period].name);
	else
		snprintf(line, sizeof line, "%s %s up to %s (%s)", what, verb,
			 r->p.to_text, periods[r->period].name);
	r->page = rows - 2 > 0 ? rows - 2 : 1;
	if (r->top > r->nlines - r->page)
		r->top = r->nlines - r->page;
	if (r->top < 0)
		r->top = 0;
	/* Say when there is more than the body shows. */
	if (r->nlines > r->page) {
		size_t n = strlen(line);
		snprintf(line + n, sizeof line - n, "  lines %d-%d of %d",
			 r->top + 1, r->top + r->page, r->nlines);
	}
	term_style(w, THEME_DIM);
	desk_put(w, 1, 0, cols, line, 1);
	for (int i = 0; i < r->page; i++) {
		int k = r->top + i;
		term_style(w, k < r->nlines ? r->lines[k].role : THEME_NORMAL);
		desk_put(w, 2 + i, 0, cols, k < r->nlines ? r->lines[k].text : "", 1);
	}
	term_style(w, THEME_NORMAL);
	s->cur_y = 0;
	s->cur_x = 0;
}

/* Read again: everything (force: the period moved or another desk
 * committed), or just the report now shown if not yet read. */
static int reports_reload(struct reports *r, struct desk *d, int force)
{
	struct md_error err;
	md_clear(&err);
	if ((force && reports_period(r, &err)) ||
	    reports_load(r, desk_hub(d), &err))
		desk_message(d, THEME_ERROR, "%s", err.msg);
	if (force)
		r->loaded_at = clock_now();
	return DESK_REDRAW;
}

static int reports_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct reports *r = s->priv;
	(void)key;
	switch (a) {
	case ACTION_NEXT_PANEL:
		r->which = (r->which + 1) % NREPORTS;
		r->top = 0;
		return reports_reload(r, d, 0);
	case ACTION_PREV_PANEL:
		r->which = (r->which + NREPORTS - 1) % NREPORTS;
		r->top = 0;
		return reports_reload(r, d, 0);
	case ACTION_PERIOD:
		r->period = (r->period + 1) % NPERIODS;
		return reports_reload(r, d, 1);
	case ACTION_REFRESH:
		r->now_please = 1;      /* the desk repaints, then ticks us */
		return DESK_UNHANDLED;
	case ACTION_UP:        r->top--; return DESK_REDRAW;
	case ACTION_DOWN:      r->top++; return DESK_REDRAW;
	case ACTION_PAGE_UP:   r->top -= r->page; return DESK_REDRAW;
	case ACTION_PAGE_DOWN: r->top += r->page; return DESK_REDRAW;
	case ACTION_TOP:       r->top = 0; return DESK_REDRAW;
	case ACTION_BOTTOM:    r->top = r->nlines; return DESK_REDRAW;
	default:               return DESK_UNHANDLED;
	}
}

/* Another desk committed: the figures may have moved.  Read them again
 * once REPORTS_REFRESH_S have passed since the last read (at once after
 * ^L). */
static int reports_tick(struct screen *s, struct desk *d, int force)
{
	struct reports *r = s->priv;
	if (force)
		r->stale = 1;
	if (!r->stale || (!r->now_please &&
			  clock_now() - r->loaded_at < REPORTS_REFRESH_S))
		return 0;
	r->stale = r->now_please = 0;
	return reports_reload(r, d, 1);
}

static int reports_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		"The figures (see mashdesk(1), REPORTS, for every definition)",
		"  Turnaround: hours from receipt to decision of the referrals "
		"received in the period and decided; n, median, mean and 90th "
		"percentile (nearest rank), with a bar of the median.",
		"  Week by week: referrals received, and their median turnaround, "
		"in 7-day weeks ending today.",
		"  Agencies: each agency's checks, request to completion; late = "
		"completed after the check's due time (set from [timescales] by "
		"the RAG); open and past due now.",
		"  Outcomes: decisions by outcome and by category, with their share.",
		"  Repeats: referrals whose child or household was referred in the "
		"12 months before.",
		"  Contacts: everything taken in, the referrals it became (the "
		"conversion rate), those closed at screening by outcome, those "
		"still waiting, and re-referrals: referrals whose child had a "
		"referral in the 365 days before, as a share of referrals.",
		("  Feedback: the feedback clocks (acknowledgement from receipt, "
		 "outcome from the decision) that started in the period: given "
		 "on time, given late, not given and past due, as shares of those "
		 "owed; those not yet due are left out."),
		"  Turnaround, outcomes and repeats count referrals only; agencies "
		"counts every check, a contact's too.",
		"",
		"Bars use block characters, or # and + on terminals without them "
		"(vt100, or a locale that is not UTF-8).",
	};
	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops reports_screen_ops = {
	.name = "Reports",
	.kind = SCREEN_REPORT,
	.open = reports_screen_open,
	.draw = reports_draw,
	.key = reports_key,
	.tick = reports_tick,
	.help_extra = reports_help_extra,
	.close = reports_close,
};

int reports_open(struct desk *d)
{
	/* A refusal comes back from the data layer (and is audited). */
	return desk_push(d, &reports_screen_ops, NULL);
}
