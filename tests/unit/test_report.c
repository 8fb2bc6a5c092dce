/* test_report.c - the hub's figures against values computed by hand, and
 * the children-in-need export.
 *
 * The dataset is tests/data/report.csv, loaded with the real import path
 * (hub_import_csv, with its received, decided, outcome and stage columns),
 * in a hub whose local time is UTC (TZ=UTC).  Agency checks cannot be imported,
 * so five referrals get back-dated checks through the data layer's own
 * hub_check_upsert.
 *
 * The referrals (id: name, RAG, level, received, decided, hours):
 *   1 O1  Ines Zoë Park  green 1  2025-02-01 09:00  +3h      nfa
 *   2 J1  Milo Hart      red   4  2026-01-05 09:00  +6h      s47
 *   3 J2  Nia Stone      red   3  2026-01-06 09:00  +8h      s47
 *   4 J3  Esme Lorca     amber 3  2026-01-07 09:00  +48h     s17
 *   5 J4  Otto Quince    green 2  2026-01-08 09:00  +60h     early-help
 *   6 B1  Ada Quill      red   4  2026-02-28 23:59:59 +2h    s47
 *   7 M1  Ada Quill      red   4  2026-03-01 00:00:00 +2h    s47      physical
 *   8 M2  Bo Harrow      red   4  2026-03-02 09:00  +4h      s47      sexual
 *   9 M3  Cai Mendel     red   3  2026-03-03 09:00  +1.5h    imm.prot physical
 *  10 M4  Dara Vance     amber 3  2026-03-04 09:00  +24h     s17      neglect
 *  11 M5  Esme Lorca     amber 3  2026-03-05 09:00  +12h     s17      neglect
 *  12 M6  Finn Oduya     amber 2  2026-03-06 09:00  +30h     e-help   par.mental
 *  13 M7  Gia Oduya-B.   amber 2  2026-03-09 09:00  +8h      e-help   dom.abuse
 *  14 M8  Hal Preston    green 2  2026-03-10 09:00  +48h     advice   other
 *  15 M9  Ines Zoë Park  green 1  2026-03-11 09:00  +6h      nfa      (none)
 *  16 M11 Kit Ambrose    amber 3  2026-03-12 09:00  undecided         neglect
 *  17 M12 Jonah Reyes    -     2  2026-03-13 09:00  +3h      advice   neglect
 *  18 M10 Jonah Reyes    green -  2026-03-31 23:59:59 +10h   nfa      neglect
 *  19 B2  Lena Moss      green 1  2026-04-01 00:00:00 +5h    nfa
 * Rows 1-19 are referrals (stage referral; M11 an open one).  Three
 * contacts follow, which every figure below leaves out (the reports count
 * referrals; agencies counts checks, and these have none):
 *  20 C1  Pia Sorensen   green -  2026-03-16 09:00  closed at screening +1h, advice
 *  21 C2  Dara Vance     -     -  2026-03-20 09:00  open (M4's child)
 *  22 C3  Hal Preston    -     -  2026-03-09 08:00  closed at screening +1h, nfa
 *  C1 would add 1h to March's turnaround and a row to the export; C2 a
 *  repeat of the same child as M4; C3 would make M8 a repeat.
 *
 * TURNAROUND, March (--from 2026-03-01 --to 2026-03-31: takes M1 at
 * 00:00:00 and M10 at 23:59:59, leaves B1 and B2 one second outside;
 * M11 undecided is left out):
 *   group    values (sorted)                       n  mean   median     p90
 *   all      1.5 2 3 4 6 8 10 12 24 30 48         11  148.5/11=13.5  8 (6th)  30 (ceil 9.9=10th)
 *   red      1.5 2 4                               3  7.5/3=2.5   2        4 (3rd)
 *   amber    8 12 24 30                            4  74/4=18.5   (12+24)/2=18   30 (4th)
 *   green    6 10 48                               3  64/3=21.33->21.3  10   48
 *   level-1  6                                     1  6.0   6.0   6.0
 *   level-2  3 8 30 48                             4  89/4=22.25->22.3 (half up)  (8+30)/2=19  48
 *   level-3  1.5 12 24                             3  37.5/3=12.5  12  24
 *   level-4  2 4                                   2  3.0   3.0   4 (ceil 1.8=2nd)
 * TURNAROUND, January (the --compare period):
 *   all 6 8 48 60: n 4, mean 30.5, median (8+48)/2=28, p90 60
 *   red 6 8: 7.0 7.0 8.0; amber 48; green 60; level-1 empty (count 0, '-');
 *   level-2 60; level-3 8 48: 28.0 28.0 48.0; level-4 6
 *   change_median_h = March - January: all 8-28 = -20.0 (-20/28 = -71.4%),
 *   red -5.0 (-71.4%), amber -30.0 (-62.5%), green -50.0 (-83.3%),
 *   level-1 '-', level-2 -41.0 (-68.3%), level-3 -16.0 (-57.1%),
 *   level-4 -3.0 (-50.0%).
 * TURNAROUND, 2026-03-01..03 only: red 3 (M1..M3), amber and green empty.
 *
 * AGENCIES (checks added below; timescales red 2h, amber 6h, green 24h):
 *   M1 police 1h ok, health 3h late; M4 police 8h late, health 4h ok;
 *   M8 police 12h ok, health 2h ok (restricted); M11 education open,
 *   due 2026-03-12 15:00 (long past: open_late); B1 police 1h (February).
 *   March:  police 1 8 12: n 3, mean 7.0, median 8.0, p90 12.0, late 1 (33.3%)
 *           health 2 3 4: n 3, mean 3.0, median 3.0, p90 4.0, late 1 (33.3%)
 *           education: n 0, '-', late 0, late_pct '-', open 1, open_late 1
 *   All time: police 1 1 8 12: n 4, mean 5.5, median (1+8)/2 = 4.5, p90 12.
 *
 * OUTCOMES, March: 11 decided.  nfa 2 (M9 M10) 18.2%, advice 2 18.2%,
 *   early-help 2, s17 2, s47 2 (18.2% each), immediate-protection 1 9.1%;
 *   categories neglect 4 (M4 M5 M12 M10) 4/11 = 36.4%, physical 2 18.2%,
 *   sexual 1, parental-mental-health 1, domestic-abuse 1, other 1,
 *   none 1 (9.1% each), emotional cse cce substance-misuse 0 (0.0%).
 *
 * REPEATS, March (12 referrals received, M11 included):
 *   M1  same child as B1 (one second earlier)           -> child
 *   M5  same child as J3 (January, within 12 months)    -> child
 *   M7  same address as M6 (another child)              -> household
 *   M10 same child as M12 (earlier in March)            -> child
 *   M9  same child as O1, but 13 months earlier          -> not a repeat
 *   M12 is earlier than M10, so not a repeat of it.
 *   group    referrals repeats pct   child household
 *   all      12        4       33.3  3     1
 *   red      3 (M1-3)  1       33.3  1     0
 *   amber    5 (M4-7, M11) 2   40.0  1     1
 *   green    3 (M8-10) 1       33.3  1     0
 *   level-1  1 (M9)    0       0.0   0     0
 *   level-2  4 (M6 M7 M8 M12) 1 25.0 0     1
 *   level-3  4 (M3 M4 M5 M11) 1 25.0 1     0
 *   level-4  2 (M1 M2) 1       50.0  1     0
 *
 * WEEKLY, 5 weeks to 2026-03-31 (from 2026-02-25 00:00):
 *   wk0 B1 M1 M2 M3: 4 referrals, 2 2 4 1.5 -> median 2.0; 4 contacts
 *   wk1 M4..M8: 5, 8 12 24 30 48 -> median 24.0; 6 contacts (C3)
 *   wk2 M9 M11 M12: 3, decided 2: 3 6 -> median 4.5; 4 contacts (C1)
 *   wk3 no referral; 1 contact (C2); wk4 M10: 1, 10.0; 1 contact
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "hub_internal.h"
#include "mashdesk/chart.h"
#include "mashdesk/clock.h"
#include "mashdesk/csv.h"
#include "mashdesk/hub_export.h"
#include "mashdesk/hub_report.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

static char dir[64], path[128];
static struct config cfg;

static struct hub *open_as(const char *login)
{
	struct md_error err;
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static long long at(const char *iso)
{
	long long t;
	cr_assert_eq(clock_parse_iso(iso, &t), 0, "%s", iso);
	return t;
}

/* A check requested at req and (if done) completed at done. */
static void add_check(struct hub *hub, long long id, const char *agency,
		      const char *rag, const char *req, const char *done,
		      const char *handling, const char *info)
{
	struct md_error err;
	struct check_input in = { .status = "requested" };
	cr_assert_eq(hub_begin(hub, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_check_upsert(hub, id, agency, &in, "sue", 0, at(req), rag,
				      &err), 0, "%s", err.msg);
	if (done) {
		struct check_input c = { .status = "complete", .info = info,
					 .basis = "public-task", .handling = handling };
		cr_assert_eq(hub_check_upsert(hub, id, agency, &c, "sue", 0, at(done),
					      rag, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(hub_end(hub, 0, &err), 0, "%s", err.msg);
}

static void setup(void)
{
	struct md_error err;
	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof dir, "/tmp/mashdesk-report-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/hub.db", dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Report MASH", .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = open_as("admin");
	const struct user users[] = {
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "tom", "Tom Achebe", "", "trainer", 1 },
	};
	for (int i = 0; i < 3; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);

	struct hub *sue = open_as("sue");
	FILE *f = fopen(TEST_DATA_DIR "/report.csv", "r");
	cr_assert_not_null(f, "cannot open %s/report.csv", TEST_DATA_DIR);
	long n = 0;
	cr_assert_eq(hub_import_csv(sue, f, "report.csv", &n, &err), 0, "%s", err.msg);
	fclose(f);
	cr_assert_eq(n, 22);
	add_check(sue, 7, "police", "red", "2026-03-01T00:00", "2026-03-01T01:00", NULL, NULL);
	add_check(sue, 7, "health", "red", "2026-03-01T00:00", "2026-03-01T03:00", NULL, NULL);
	add_check(sue, 10, "police", "amber", "2026-03-04T09:00", "2026-03-04T17:00", NULL, NULL);
	add_check(sue, 10, "health", "amber", "2026-03-04T09:00", "2026-03-04T13:00", NULL, NULL);
	add_check(sue, 14, "police", "green", "2026-03-10T09:00", "2026-03-10T21:00",
		  "shareable", "Known to police: one call-out.");
	add_check(sue, 14, "health", "green", "2026-03-10T09:00", "2026-03-10T11:00",
		  "restricted", "RESTRICTED-INTEL: not for outside the hub.");
	add_check(sue, 16, "education", "amber", "2026-03-12T09:00", NULL, NULL, NULL);
	add_check(sue, 6, "police", "red", "2026-02-28T23:59:59", "2026-03-01T00:59:59", NULL, NULL);
	hub_close(sue);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(report, .init = setup, .fini = teardown);

static struct report_period period(const char *from, const char *to)
{
	struct report_period p;
	struct md_error err;
	cr_assert_eq(hub_report_period(from, to, "--from", "--to", &p, &err), 0,
		     "%s", err.msg);
	return p;
}

/* The figures as the command line prints them. */
static void expect_stats(const struct report_stats *s, long n, const char *mean,
			 const char *median, const char *p90, const char *what)
{
	char m[16], md[16], p[16];
	report_fmt_hours(m, sizeof m, s->mean_h, s->count);
	report_fmt_hours(md, sizeof md, s->median_h, s->count);
	report_fmt_hours(p, sizeof p, s->p90_h, s->count);
	cr_expect_eq(s->count, n, "%s: count %ld, wanted %ld", what, s->count, n);
	cr_expect_str_eq(m, mean, "%s: mean", what);
	cr_expect_str_eq(md, median, "%s: median", what);
	cr_expect_str_eq(p, p90, "%s: p90", what);
}

Test(report, turnaround_march_by_hand)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_period p = period("2026-03-01", "2026-03-31");
	struct report_turnaround t;
	cr_assert_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	static const struct { long n; const char *mean, *median, *p90; } want[] = {
		{ 11, "13.5", "8.0", "30.0" },   /* all */
		{ 3, "2.5", "2.0", "4.0" },      /* red */
		{ 4, "18.5", "18.0", "30.0" },   /* amber: even median */
		{ 3, "21.3", "10.0", "48.0" },   /* green */
		{ 1, "6.0", "6.0", "6.0" },      /* level-1 */
		{ 4, "22.3", "19.0", "48.0" },   /* level-2: 22.25 half up */
		{ 3, "12.5", "12.0", "24.0" },   /* level-3 */
		{ 2, "3.0", "3.0", "4.0" },      /* level-4 */
	};
	for (int g = 0; g < REPORT_GROUPS; g++)
		expect_stats(&t.g[g], want[g].n, want[g].mean, want[g].median,
			     want[g].p90, report_group_names[g]);
	hub_close(hub);
}

Test(report, turnaround_boundaries_and_empty_groups)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_turnaround t;
	struct report_period p = period("2026-03-01", "2026-03-03");
	cr_assert_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	expect_stats(&t.g[0], 3, "2.5", "2.0", "4.0", "all, 1-3 March");
	expect_stats(&t.g[2], 0, "-", "-", "-", "amber, empty");
	expect_stats(&t.g[3], 0, "-", "-", "-", "green, empty");
	/* One day each side: the last second of February, the first of April. */
	p = period("2026-02-28", "2026-02-28");
	cr_assert_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	expect_stats(&t.g[0], 1, "2.0", "2.0", "2.0", "28 February: B1 only");
	p = period("2026-04-01", NULL);
	cr_assert_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	expect_stats(&t.g[0], 1, "5.0", "5.0", "5.0", "from 1 April: B2 only");
	/* All time: every decided referral (19 less M11). */
	p = period(NULL, NULL);
	cr_assert_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	cr_expect_eq(t.g[0].count, 18);
	hub_close(hub);
}

Test(report, turnaround_compare_january)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_turnaround t;
	struct report_period p = period("2026-01-01", "2026-01-31");
	cr_assert_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	expect_stats(&t.g[0], 4, "30.5", "28.0", "60.0", "all, January");
	expect_stats(&t.g[1], 2, "7.0", "7.0", "8.0", "red, January");
	expect_stats(&t.g[4], 0, "-", "-", "-", "level-1, January: empty");
	expect_stats(&t.g[6], 2, "28.0", "28.0", "48.0", "level-3, January");
	hub_close(hub);
}

Test(report, agencies_by_hand)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_period p = period("2026-03-01", "2026-03-31");
	struct report_agencies a;
	cr_assert_eq(hub_report_agencies(hub, &p, &a, &err), 0, "%s", err.msg);
	cr_assert_eq(a.n, 6);
	cr_assert_str_eq(a.a[0].agency, "police");
	cr_assert_str_eq(a.a[2].agency, "health");
	cr_assert_str_eq(a.a[3].agency, "education");
	expect_stats(&a.a[0].s, 3, "7.0", "8.0", "12.0", "police");
	cr_expect_eq(a.a[0].late, 1);
	cr_expect_eq(a.a[0].open, 0);
	expect_stats(&a.a[2].s, 3, "3.0", "3.0", "4.0", "health");
	cr_expect_eq(a.a[2].late, 1);
	expect_stats(&a.a[3].s, 0, "-", "-", "-", "education");
	cr_expect_eq(a.a[3].open, 1);
	cr_expect_eq(a.a[3].open_late, 1);
	expect_stats(&a.a[1].s, 0, "-", "-", "-", "csc");
	cr_expect_eq(a.a[1].open, 0);
	char pct[16];
	report_fmt_pct(pct, sizeof pct, a.a[0].late, a.a[0].s.count);
	cr_expect_str_eq(pct, "33.3");
	report_fmt_pct(pct, sizeof pct, a.a[3].late, a.a[3].s.count);
	cr_expect_str_eq(pct, "-");
	/* All time takes B1's police check too: an even median. */
	p = period(NULL, NULL);
	cr_assert_eq(hub_report_agencies(hub, &p, &a, &err), 0, "%s", err.msg);
	expect_stats(&a.a[0].s, 4, "5.5", "4.5", "12.0", "police, all time");
	hub_close(hub);
}

static const struct report_count *find_count(const struct report_outcomes *o,
					     const char *by, const char *code)
{
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->c[i].by, by) && !strcmp(o->c[i].code, code))
			return &o->c[i];
	cr_assert_fail("no %s %s row", by, code);
	return NULL;
}

Test(report, outcomes_by_hand)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_period p = period("2026-03-01", "2026-03-31");
	struct report_outcomes o;
	cr_assert_eq(hub_report_outcomes(hub, &p, &o, &err), 0, "%s", err.msg);
	cr_assert_eq(o.decided, 11);
	static const struct { const char *by, *code; long n; const char *pct; } want[] = {
		{ "outcome", "nfa", 2, "18.2" }, { "outcome", "advice", 2, "18.2" },
		{ "outcome", "early-help", 2, "18.2" }, { "outcome", "s17", 2, "18.2" },
		{ "outcome", "s47", 2, "18.2" },
		{ "outcome", "immediate-protection", 1, "9.1" },
		{ "category", "neglect", 4, "36.4" }, { "category", "physical", 2, "18.2" },
		{ "category", "sexual", 1, "9.1" },
		{ "category", "parental-mental-health", 1, "9.1" },
		{ "category", "domestic-abuse", 1, "9.1" }, { "category", "other", 1, "9.1" },
		{ "category", "none", 1, "9.1" }, { "category", "emotional", 0, "0.0" },
		{ "category", "cse", 0, "0.0" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct report_count *c = find_count(&o, want[i].by, want[i].code);
		char pct[16];
		report_fmt_pct(pct, sizeof pct, c->count, o.decided);
		cr_expect_eq(c->count, want[i].n, "%s %s", want[i].by, want[i].code);
		cr_expect_str_eq(pct, want[i].pct, "%s %s", want[i].by, want[i].code);
	}
	/* Outcomes in their display order, then categories, "none" last. */
	cr_expect_str_eq(o.c[0].code, "nfa");
	cr_expect_str_eq(o.c[o.n - 1].code, "none");
	hub_close(hub);
}

Test(report, repeats_by_hand)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_period p = period("2026-03-01", "2026-03-31");
	struct report_repeats r;
	cr_assert_eq(hub_report_repeats(hub, &p, &r, &err), 0, "%s", err.msg);
	static const struct { long n, rep, child, home; const char *pct; } want[] = {
		{ 12, 4, 3, 1, "33.3" }, { 3, 1, 1, 0, "33.3" }, { 5, 2, 1, 1, "40.0" },
		{ 3, 1, 1, 0, "33.3" }, { 1, 0, 0, 0, "0.0" }, { 4, 1, 0, 1, "25.0" },
		{ 4, 1, 1, 0, "25.0" }, { 2, 1, 1, 0, "50.0" },
	};
	for (int g = 0; g < REPORT_GROUPS; g++) {
		const struct report_repeat *x = &r.g[g];
		char pct[16];
		report_fmt_pct(pct, sizeof pct, x->repeats, x->referrals);
		cr_expect_eq(x->referrals, want[g].n, "%s referrals", report_group_names[g]);
		cr_expect_eq(x->repeats, want[g].rep, "%s repeats", report_group_names[g]);
		cr_expect_eq(x->same_child, want[g].child, "%s child", report_group_names[g]);
		cr_expect_eq(x->same_household, want[g].home, "%s home", report_group_names[g]);
		cr_expect_str_eq(pct, want[g].pct, "%s pct", report_group_names[g]);
	}
	hub_close(hub);
}

Test(report, weekly_series)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_period p = period(NULL, "2026-03-31");
	struct report_week w[5];
	cr_assert_eq(hub_report_weekly(hub, &p, w, 5, &err), 0, "%s", err.msg);
	cr_expect_eq(w[0].start, at("2026-02-25T00:00"));
	static const struct { long n, decided; const char *median; long c; } want[] = {
		{ 4, 4, "2.0", 4 }, { 5, 5, "24.0", 6 }, { 3, 2, "4.5", 4 },
		{ 0, 0, "-", 1 }, { 1, 1, "10.0", 1 },
	};
	for (int i = 0; i < 5; i++) {
		char m[16];
		report_fmt_hours(m, sizeof m, w[i].median_h, w[i].decided);
		cr_expect_eq(w[i].referrals, want[i].n, "week %d", i);
		cr_expect_eq(w[i].contacts, want[i].c, "week %d contacts", i);
		cr_expect_eq(w[i].decided, want[i].decided, "week %d", i);
		cr_expect_str_eq(m, want[i].median, "week %d", i);
	}
	hub_close(hub);
}

Test(report, period_errors)
{
	struct report_period p;
	struct md_error err;
	cr_expect_eq(hub_report_period("2026-02-30", NULL, "--from", "--to", &p, &err),
		     EX_USAGE);
	cr_expect(strstr(err.msg, "--from") != NULL, "%s", err.msg);
	cr_expect_eq(hub_report_period(NULL, "31/03/2026", "--from", "--to", &p, &err),
		     EX_USAGE);
	cr_expect(strstr(err.msg, "--to") != NULL, "%s", err.msg);
	cr_expect_eq(hub_report_period("2026-04-01", "2026-03-31", "--from", "--to",
				       &p, &err), EX_USAGE);
	/* One day is a whole day: from its midnight to the next. */
	cr_assert_eq(hub_report_period("2026-03-01", "2026-03-01", "--from", "--to",
				       &p, &err), 0);
	cr_expect_eq(p.to - p.from, 86400);
}

Test(report, who_may_run_reports)
{
	struct md_error err;
	struct report_period p = period(NULL, NULL);
	struct report_turnaround t;
	struct hub *hub = open_as("pat");
	cr_expect_eq(hub_report_turnaround(hub, &p, &t, &err), EX_NOPERM);
	cr_expect(strstr(err.msg, "supervisors and admins") != NULL, "%s", err.msg);
	cr_expect_eq(hub_report_may(hub), 0);
	hub_close(hub);
	hub = open_as("tom");   /* a trainer on a live hub */
	cr_expect_eq(hub_report_turnaround(hub, &p, &t, &err), EX_NOPERM);
	hub_close(hub);
	hub = open_as("admin");
	cr_expect_eq(hub_report_turnaround(hub, &p, &t, &err), 0, "%s", err.msg);
	cr_expect_eq(hub_report_may(hub), 1);
	hub_close(hub);
}

/* ---- export ------------------------------------------------------------------- */

static long audit_count(const char *action, const char *like)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long n = -1;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE "
					"action = ? AND detail LIKE ?", -1, &st,
					NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int do_export(const char *login, const char *out, int force, long *rows,
		     struct md_error *err)
{
	struct report_period p = period("2026-03-01", "2026-03-31");
	struct export_request req = { .period = &p, .path = out, .force = force };
	struct hub *hub = open_as(login);
	int status = hub_export(hub, &req, rows, err);
	hub_close(hub);
	return status;
}

/* The exported record whose ref is ref, as fields (static until next call). */
static char row[32][256];
static int export_row(const char *file, const char *ref, int *nrows)
{
	struct md_error err;
	FILE *f = fopen(file, "r");
	cr_assert_not_null(f);
	struct csv_reader *r = csv_open(f, file);
	char **fields;
	int n, found = 0;
	long line;
	*nrows = -1;   /* the header */
	while (csv_next(r, &fields, &n, &line, &err) == 1) {
		(*nrows)++;
		if (*nrows == 0) {
			cr_assert_eq(n, 18);
			cr_assert_str_eq(fields[0], "hub_mode");
			cr_assert_str_eq(fields[9], "cin_source");
			cr_assert_str_eq(fields[11], "cin_primary_need");
			cr_assert_str_eq(fields[17], "checks");
		}
		if (!strcmp(fields[2], ref)) {
			for (int i = 0; i < n && i < 32; i++)
				snprintf(row[i], sizeof row[i], "%s", fields[i]);
			found = 1;
		}
	}
	csv_close(r);
	fclose(f);
	return found;
}

static char *slurp(const char *file)
{
	static char buf[65536];
	FILE *f = fopen(file, "r");
	cr_assert_not_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(report, export_codes_and_restricted_entries)
{
	struct md_error err;
	char out[160];
	long rows = 0;
	int n;
	snprintf(out, sizeof out, "%s/march.csv", dir);
	cr_assert_eq(do_export("sue", out, 0, &rows, &err), 0, "%s", err.msg);
	cr_expect_eq(rows, 12);
	cr_assert(export_row(out, "R000007", &n));
	cr_expect_eq(n, 12);
	cr_expect_str_eq(row[0], "live");
	cr_expect_str_eq(row[1], "Report MASH");
	cr_expect_str_eq(row[8], "police");
	cr_expect_str_eq(row[9], "6");         /* source: police */
	cr_expect_str_eq(row[10], "physical");
	cr_expect_str_eq(row[11], "N1");       /* abuse or neglect */
	cr_expect_str_eq(row[16], "s47");
	cr_expect_str_eq(row[17], "police=complete;health=complete");
	cr_assert(export_row(out, "R000010", &n));
	cr_expect_str_eq(row[9], "5C");        /* another authority (0006) */
	cr_assert(export_row(out, "R000012", &n));
	cr_expect_str_eq(row[9], "3A");        /* GP */
	cr_expect_str_eq(row[11], "N3");       /* parental illness */
	cr_assert(export_row(out, "R000014", &n));
	cr_expect_str_eq(row[9], "3B");        /* health visitor */
	cr_expect_str_eq(row[17], "police=complete");   /* health restricted */
	cr_assert(export_row(out, "R000016", &n));
	cr_expect_str_eq(row[14], "new");      /* status, as imported */
	cr_expect_str_eq(row[15], "");         /* undecided */
	cr_expect_str_eq(row[17], "education=requested");
	cr_assert(export_row(out, "R000015", &n));
	cr_expect_str_eq(row[4], "Ines Zoë Park");
	cr_expect_str_eq(row[11], "");         /* no category */
	cr_expect(!export_row(out, "R000006", &n), "B1 is February");
	cr_expect(!export_row(out, "R000019", &n), "B2 is April");
	cr_expect(strstr(slurp(out), "RESTRICTED") == NULL);
	cr_expect(strstr(slurp(out), "\r\n") != NULL, "RFC 4180 line ends");
	struct stat sb;
	cr_assert_eq(stat(out, &sb), 0);
	cr_expect_eq(sb.st_mode & 077, 0, "mode %o", sb.st_mode & 0777);
	char like[200];
	snprintf(like, sizeof like, "exported 12 referrals received 2026-03-01 to "
		 "2026-03-31 from live hub Report MASH to %%/march.csv");
	cr_expect_eq(audit_count("export", like), 1);
	struct hub *hub = open_as("admin");
	long long chain = 0;
	cr_expect_eq(hub_audit_verify(hub, &chain, &err), 0, "%s", err.msg);
	hub_close(hub);
}

Test(report, export_refuses_practitioners_and_trainers)
{
	struct md_error err;
	char out[160];
	long rows = 0;
	snprintf(out, sizeof out, "%s/pat.csv", dir);
	cr_expect_eq(do_export("pat", out, 0, &rows, &err), EX_NOPERM);
	cr_expect(strstr(err.msg, "supervisors and admins") != NULL, "%s", err.msg);
	cr_expect_neq(access(out, F_OK), 0, "no file written");
	cr_expect_eq(audit_count("refused", "%export referrals%"), 1);
	cr_expect_eq(audit_count("export", "%"), 0);
	cr_expect_eq(do_export("tom", out, 0, &rows, &err), EX_NOPERM);
	cr_expect_eq(do_export("admin", out, 0, &rows, &err), 0, "%s", err.msg);
	cr_expect_eq(rows, 12);
}

Test(report, export_keeps_an_existing_file)
{
	struct md_error err;
	char out[160];
	long rows = 0;
	snprintf(out, sizeof out, "%s/taken.csv", dir);
	FILE *f = fopen(out, "w");
	fputs("keep me\n", f);
	fclose(f);
	cr_expect_eq(do_export("sue", out, 0, &rows, &err), EX_CANTCREAT);
	cr_expect(strstr(err.msg, "already exists") != NULL, "%s", err.msg);
	cr_expect_str_eq(slurp(out), "keep me\n");
	cr_expect_eq(audit_count("export", "%"), 0);
	/* No temporary file left beside it. */
	char cmd[200];
	snprintf(cmd, sizeof cmd, "test $(ls '%s' | grep -c taken) -eq 1", dir);
	cr_expect_eq(system(cmd), 0);
	cr_expect_eq(do_export("sue", out, 1, &rows, &err), 0, "%s", err.msg);
	cr_expect(strncmp(slurp(out), "hub_mode,", 9) == 0);
	cr_expect_eq(audit_count("export", "%taken.csv"), 1);
}

Test(report, export_to_a_stream_is_audited)
{
	struct md_error err;
	struct report_period p = period("2026-03-01", "2026-03-31");
	char buf[65536] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	struct export_request req = { .period = &p, .out = f };
	long rows = 0;
	struct hub *hub = open_as("sue");
	cr_assert_eq(hub_export(hub, &req, &rows, &err), 0, "%s", err.msg);
	hub_close(hub);
	fclose(f);
	cr_expect_eq(rows, 12);
	cr_expect(strstr(buf, "R000018") != NULL);
	cr_expect_eq(audit_count("export", "%to standard output"), 1);
	/* An export names its period: both ends are required. */
	struct report_period open_end = period("2026-03-01", NULL);
	req.period = &open_end;
	hub = open_as("sue");
	cr_expect_eq(hub_export(hub, &req, &rows, &err), EX_USAGE);
	hub_close(hub);
}

/* ---- drawing and formatting ------------------------------------------------------ */

Test(report, bars_and_sparklines)
{
	char b[128];
	cr_expect_eq(chart_bar(b, sizeof b, 10, 10, 4, 0), 4);
	cr_expect_str_eq(b, "\u2588\u2588\u2588\u2588");
	cr_expect_eq(chart_bar(b, sizeof b, 5, 10, 3, 0), 2);   /* 1.5 cells */
	cr_expect_str_eq(b, "\u2588\u258C ");
	chart_bar(b, sizeof b, 0.01, 10, 3, 0);                  /* a sliver */
	cr_expect_str_eq(b, "\u258F  ");
	chart_bar(b, sizeof b, 0, 10, 3, 0);
	cr_expect_str_eq(b, "   ");
	chart_bar(b, sizeof b, 5, 10, 3, 1);
	cr_expect_str_eq(b, "#+ ");
	chart_bar(b, sizeof b, 0.01, 10, 3, 1);
	cr_expect_str_eq(b, "+  ");
	double v[] = { 0, 1, 4, 8 };
	chart_spark(b, sizeof b, v, 4, 0);
	cr_expect_str_eq(b, " \u2581\u2584\u2588");
	chart_spark(b, sizeof b, v, 4, 1);
	cr_expect_str_eq(b, " .=#");
}

Test(report, hours_round_half_up)
{
	char b[16];
	report_fmt_hours(b, sizeof b, 2.25, 1);
	cr_expect_str_eq(b, "2.3");
	report_fmt_hours(b, sizeof b, 64.0 / 3, 1);
	cr_expect_str_eq(b, "21.3");
	report_fmt_hours(b, sizeof b, -20.0, 1);
	cr_expect_str_eq(b, "-20.0");
	report_fmt_hours(b, sizeof b, 5, 0);
	cr_expect_str_eq(b, "-");
	report_fmt_pct(b, sizeof b, 2, 11);
	cr_expect_str_eq(b, "18.2");
	report_fmt_pct(b, sizeof b, 1, 8);      /* 12.5 exactly */
	cr_expect_str_eq(b, "12.5");
	report_fmt_pct(b, sizeof b, 1, 16);     /* 6.25 -> 6.3 */
	cr_expect_str_eq(b, "6.3");
}

Test(report, csv_writer_quotes_only_what_needs_it_and_reads_back)
{
	char buf[512] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	const char *in[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "",
			     NULL, "Zoë" };
	cr_assert_eq(csv_write_record(f, in, 7), 0);
	fclose(f);
	cr_expect_str_eq(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,,Zoë\r\n");
	/* The reader gives back exactly what was written (NULL as ""). */
	f = fmemopen(buf, strlen(buf), "r");
	struct csv_reader *r = csv_open(f, "mem");
	struct md_error err;
	char **fields;
	int n;
	long line;
	cr_assert_eq(csv_next(r, &fields, &n, &line, &err), 1, "%s", err.msg);
	cr_assert_eq(n, 7);
	for (int i = 0; i < 7; i++)
		cr_expect_str_eq(fields[i], in[i] ? in[i] : "", "field %d", i);
	csv_close(r);
	fclose(f);
}
