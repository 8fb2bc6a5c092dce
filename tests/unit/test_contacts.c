/* test_contacts.c - the front door's figures (`report contacts`) against
 * values computed by hand, the children-in-need export holding referrals
 * only, and the census codes every source and category map to.
 *
 * The dataset is tests/data/contacts.csv, loaded with the real import path
 * (hub_import_csv: its stage column says what each row is; a decided
 * contact is one closed at screening, with its screening outcome), in a
 * hub whose local time is UTC (TZ=UTC).  Times below are 09:00 unless
 * given.
 *
 *  id tag child (dob)                 received             stage: what
 *   1 H1  Iris Quayle (2017-04-04)    2025-04-13           referral, decided
 *   2 H2  Jago Penrose (2014-02-14)   2025-04-13           referral, decided
 *   3 H5  Noe Castellane (2015-03-15) 2025-12-01           referral, decided
 *   4 H4  Mira Szabo (2012-07-08)     2026-01-20           referral, decided
 *   5 H3  Lior Abadi (2013-12-12)     2026-02-10           contact closed nfa
 *   6 B4  Uma Rask                    2026-03-05           contact closed early-help
 *   7 B1  Kaia Brennan (2016-08-08)   2026-03-10           referral, decided
 *   8 B5  Vik Dahl                    2026-03-12           referral, decided
 *   9 B2  Sable Ito                   2026-03-31 23:59:59  contact closed nfa
 *  10 A1  Tova Lindgren               2026-04-01 00:00:00  referral, decided
 *  11 A2  Bram Okoro                  2026-04-02           contact closed nfa
 *  12 A3  Cleo Dunmore                2026-04-03           contact closed advice
 *  13 A4  Dev Anand Rao               2026-04-06           contact closed advice
 *  14 A5  Ellis Varga                 2026-04-07           contact closed early-help
 *  15 A6  Fenna Holt                  2026-04-08           contact closed allocated
 *  16 A7  Gus Marlow (2010-10-10)     2026-04-09           referral, open
 *  17 A8  Hana Takeda                 2026-04-10           contact, open
 *  18 A9  Iris Quayle (2017-04-04)    2026-04-13           referral  RE: H1 365 days before
 *  19 A10 Jago Penrose (2014-02-14)   2026-04-14           referral  no: H2 366 days before
 *  20 A11 Kaia Brennan (2016-08-08)   2026-04-15           referral  RE: B1 (March)
 *  21 A12 Lior Abadi (2013-12-12)     2026-04-16           referral  no: H3 only a contact
 *  22 A13 Mira Szabo (2012-07-07)     2026-04-17           referral  no: H4 another dob
 *  23 A14 "NOÉ  castellane"           2026-04-20           referral  RE: H5 (normalised)
 *  24 A15 Kaia Brennan (2016-08-08)   2026-04-21           contact closed advice: no
 *  25 A16 Gus Marlow (2010-10-10)     2026-04-22           referral  RE: A7 (open)
 *  26 A19 Rafe Quint                  2026-04-28           contact, open
 *  27 A17 Oona Fairley (2019-01-01)   2026-04-30 23:59:59  referral, open: first
 *  28 A18 Oona Fairley (2019-01-01)   2026-04-30 23:59:59  referral  RE: A17 (same
 *                                                          second, entered first)
 *  29 B3  Tam Ruiz                    2026-05-01 00:00:00  referral, decided
 *
 * APRIL (--from 2026-04-01 --to 2026-04-30: takes A1 at 00:00:00 and A17,
 * A18 at 23:59:59; leaves B2 and B3 one second outside): ids 10-28.
 *   contacts     19                                            100.0
 *   referrals    11 (A1 A7 A9-A14 A16 A17 A18)   11/19 = 57.89 -> 57.9
 *   closed        6 (A2-A6 A15)                   6/19 = 31.58 -> 31.6
 *     nfa 1 (A2) 5.3; advice 3 (A3 A4 A15) 15.8; early-help 1 (A5) 5.3;
 *     allocated 1 (A6) 5.3                        1/19 = 5.26, 3/19 = 15.79
 *   open          2 (A8 A19)                      2/19 = 10.53 -> 10.5
 *   re-referrals  5 (A9 A11 A14 A16 A18)          5/11 = 45.45 -> 45.5
 *   and 11 + 6 + 2 = 19.
 * MARCH (the --compare period): ids 6-9 (B4 B1 B5 B2).
 *   contacts 4; referrals 2 (B1 B5) 50.0; closed 2 50.0: nfa 1 (B2) 25.0,
 *   advice 0 0.0, early-help 1 (B4) 25.0, allocated 0 0.0; open 0 0.0;
 *   re-referrals 0 of 2: 0.0.
 * ALL TIME: contacts 29; referrals 18 (H1 H2 H5 H4 B1 B5, April's 11, B3)
 *   62.1; closed 9 (H3 B4 B2, April's 6) 31.0: nfa 3, advice 3,
 *   early-help 2, allocated 1; open 2 6.9; re-referrals 5 of 18 27.8.
 * ONE DAY AT A TIME (contacts, referrals, re-referrals): 13 April A9
 *   1 1 1; 14 April A10 1 1 0; 15 April A11 1 1 1; 16 April A12 1 1 0;
 *   17 April A13 1 1 0; 20 April A14 1 1 1; 21 April A15 1 0 0; 22 April
 *   A16 1 1 1; 30 April A17 A18 2 2 1; 1 May B3 1 1 0.
 * WEEKLY, 5 weeks to 2026-04-30 (from 2026-03-27 00:00), contacts and
 *   referrals: wk0 B2 A1 A2: 3, 1; wk1 A3-A7: 5, 1; wk2 A8-A12: 5, 4;
 *   wk3 A13-A16: 4, 3; wk4 A19 A17 A18: 3, 2.
 * EXPORT, April: the 11 referrals, no contact.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1     /* fmemopen */
#endif
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "hub_internal.h"
#include "mashdesk/clock.h"
#include "mashdesk/csv.h"
#include "mashdesk/hub_export.h"
#include "mashdesk/hub_report.h"
#include "fixture.h"

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

static void import_file(struct hub *hub, FILE *f, const char *name, long want)
{
	struct md_error err;
	long n = 0;
	cr_assert_eq(hub_import_csv(hub, f, name, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, want);
}

static void setup(void)
{
	struct md_error err;
	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof dir, "/tmp/mashdesk-contacts-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Front Door MASH", .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = open_as("admin");
	const struct user users[] = {
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
	};
	for (int i = 0; i < 2; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);
	struct hub *sue = open_as("sue");
	FILE *f = fopen(TEST_DATA_DIR "/contacts.csv", "r");
	cr_assert_not_null(f, "cannot open %s/contacts.csv", TEST_DATA_DIR);
	import_file(sue, f, "contacts.csv", 29);
	fclose(f);
	hub_close(sue);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(contacts, .init = setup, .fini = teardown);

static struct report_period period(const char *from, const char *to)
{
	struct report_period p;
	struct md_error err;
	cr_assert_eq(hub_report_period(from, to, "--from", "--to", &p, &err), 0,
		     "%s", err.msg);
	return p;
}

static struct report_contacts contacts(const char *from, const char *to)
{
	struct md_error err;
	struct report_contacts c;
	struct hub *hub = open_as("sue");
	struct report_period p = period(from, to);
	cr_assert_eq(hub_report_contacts(hub, &p, &c, &err), 0, "%s", err.msg);
	hub_close(hub);
	return c;
}

static void expect_pct(long part, long whole, const char *want, const char *what)
{
	char pct[16];
	report_fmt_pct(pct, sizeof pct, part, whole);
	cr_expect_str_eq(pct, want, "%s: %ld of %ld", what, part, whole);
}

/* The figures as by hand: counts, then the closed ones per outcome in
 * the lookup table's order (nfa advice early-help allocated). */
struct want {
	long contacts, referrals, closed, open, rereferrals, by[4];
	const char *conversion, *closed_pct, *open_pct, *rereferral_pct;
	const char *by_pct[4];
};

static void expect_contacts(const struct report_contacts *c, const struct want *w,
			    const char *what)
{
	static const char *const codes[] = { "nfa", "advice", "early-help", "allocated" };
	cr_expect_eq(c->contacts, w->contacts, "%s: contacts %ld", what, c->contacts);
	cr_expect_eq(c->referrals, w->referrals, "%s: referrals %ld", what, c->referrals);
	cr_expect_eq(c->closed, w->closed, "%s: closed %ld", what, c->closed);
	cr_expect_eq(c->open, w->open, "%s: open %ld", what, c->open);
	cr_expect_eq(c->rereferrals, w->rereferrals, "%s: re-referrals %ld", what,
		     c->rereferrals);
	cr_expect_eq(c->contacts, c->referrals + c->closed + c->open,
		     "%s: every contact is a referral, closed or open", what);
	expect_pct(c->referrals, c->contacts, w->conversion, "conversion");
	expect_pct(c->closed, c->contacts, w->closed_pct, "closed");
	expect_pct(c->open, c->contacts, w->open_pct, "open");
	expect_pct(c->rereferrals, c->referrals, w->rereferral_pct, "re-referrals");
	cr_assert_eq(c->n, 4, "%s: one row per screening outcome", what);
	long sum = 0;
	for (int i = 0; i < 4; i++) {
		cr_expect_str_eq(c->by_outcome[i].code, codes[i]);
		cr_expect_str_eq(c->by_outcome[i].by, "closed");
		cr_expect_eq(c->by_outcome[i].count, w->by[i], "%s: closed %s", what,
			     codes[i]);
		expect_pct(c->by_outcome[i].count, c->contacts, w->by_pct[i], codes[i]);
		sum += c->by_outcome[i].count;
	}
	cr_expect_eq(sum, c->closed, "%s: the outcomes add up to closed", what);
}

Test(contacts, april_by_hand)
{
	struct report_contacts c = contacts("2026-04-01", "2026-04-30");
	struct want w = { 19, 11, 6, 2, 5, { 1, 3, 1, 1 }, "57.9", "31.6", "10.5",
			  "45.5", { "5.3", "15.8", "5.3", "5.3" } };
	expect_contacts(&c, &w, "April");
	cr_expect_str_eq(c.by_outcome[3].name, "Passed to the allocated social worker");
}

Test(contacts, march_the_compare_period)
{
	struct report_contacts c = contacts("2026-03-01", "2026-03-31");
	struct want w = { 4, 2, 2, 0, 0, { 1, 0, 1, 0 }, "50.0", "50.0", "0.0",
			  "0.0", { "25.0", "0.0", "25.0", "0.0" } };
	expect_contacts(&c, &w, "March");
}

Test(contacts, all_time)
{
	struct report_contacts c = contacts(NULL, NULL);
	struct want w = { 29, 18, 9, 2, 5, { 3, 3, 2, 1 }, "62.1", "31.0", "6.9",
			  "27.8", { "10.3", "10.3", "6.9", "3.4" } };
	expect_contacts(&c, &w, "all time");
}

/* Each re-referral case on its own day. */
Test(contacts, rereferrals_one_day_at_a_time)
{
	static const struct { const char *day; long contacts, referrals, again; } days[] = {
		{ "2026-04-13", 1, 1, 1 },   /* A9: H1 exactly 365 days before */
		{ "2026-04-14", 1, 1, 0 },   /* A10: H2 366 days before */
		{ "2026-04-15", 1, 1, 1 },   /* A11: B1 in March */
		{ "2026-04-16", 1, 1, 0 },   /* A12: only a contact before */
		{ "2026-04-17", 1, 1, 0 },   /* A13: another date of birth */
		{ "2026-04-20", 1, 1, 1 },   /* A14: the name normalised */
		{ "2026-04-21", 1, 0, 0 },   /* A15: a contact is no re-referral */
		{ "2026-04-22", 1, 1, 1 },   /* A16: A7, still open */
		{ "2026-04-30", 2, 2, 1 },   /* A17 A18: the same second */
		{ "2026-05-01", 1, 1, 0 },   /* B3 */
	};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct report_contacts c = contacts(days[i].day, days[i].day);
		cr_expect_eq(c.contacts, days[i].contacts, "%s contacts", days[i].day);
		cr_expect_eq(c.referrals, days[i].referrals, "%s referrals", days[i].day);
		cr_expect_eq(c.rereferrals, days[i].again, "%s re-referrals", days[i].day);
	}
}

Test(contacts, an_empty_period_has_no_shares)
{
	struct report_contacts c = contacts("2024-01-01", "2024-01-31");
	cr_expect_eq(c.contacts, 0);
	cr_expect_eq(c.n, 4, "the outcomes are listed even with no contacts");
	expect_pct(c.referrals, c.contacts, "-", "conversion of nothing");
	expect_pct(c.rereferrals, c.referrals, "-", "re-referrals of nothing");
}

Test(contacts, weekly_contacts_and_referrals)
{
	struct md_error err;
	struct hub *hub = open_as("sue");
	struct report_period p = period(NULL, "2026-04-30");
	struct report_week w[5];
	cr_assert_eq(hub_report_weekly(hub, &p, w, 5, &err), 0, "%s", err.msg);
	hub_close(hub);
	static const long want[5][2] = { { 3, 1 }, { 5, 1 }, { 5, 4 }, { 4, 3 }, { 3, 2 } };
	for (int i = 0; i < 5; i++) {
		cr_expect_eq(w[i].contacts, want[i][0], "week %d contacts", i);
		cr_expect_eq(w[i].referrals, want[i][1], "week %d referrals", i);
	}
}

Test(contacts, practitioners_may_not)
{
	struct md_error err;
	struct report_contacts c;
	struct report_period p = period(NULL, NULL);
	struct hub *hub = open_as("pat");
	cr_expect_eq(hub_report_contacts(hub, &p, &c, &err), EX_NOPERM);
	cr_expect(strstr(err.msg, "supervisors and admins") != NULL, "%s", err.msg);
	hub_close(hub);
}

/* The agencies report counts every check, a contact's too: an agency's
 * work on a contact before screening is still its work. */
Test(contacts, agencies_count_checks_on_contacts)
{
	struct md_error err;
	long long t;
	struct hub *hub = open_as("sue");
	struct check_input in = { .status = "in-progress", .basis = "public-task" };
	cr_assert_eq(clock_parse_iso("2026-04-10T10:00", &t), 0);
	cr_assert_eq(hub_begin(hub, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_check_upsert(hub, 17, "police", &in, "pat", 0, t, NULL,
				      &err), 0, "%s", err.msg);
	cr_assert_eq(hub_end(hub, 0, &err), 0, "%s", err.msg);
	struct report_period p = period("2026-04-01", "2026-04-30");
	struct report_agencies a;
	cr_assert_eq(hub_report_agencies(hub, &p, &a, &err), 0, "%s", err.msg);
	cr_assert_str_eq(a.a[0].agency, "police");
	cr_expect_eq(a.a[0].open, 1, "A8 is a contact; its police check counts");
	hub_close(hub);
}

/* ---- the children-in-need export ---------------------------------------------- */

/* Export [from, to] to memory; the rows' refs joined by spaces. */
static long export_refs(const char *from, const char *to, char *refs, size_t len,
			char *csv, size_t csvlen)
{
	struct md_error err;
	struct report_period p = period(from, to);
	FILE *f = fmemopen(csv, csvlen, "w");
	cr_assert_not_null(f);
	struct export_request req = { .period = &p, .out = f };
	long rows = 0;
	struct hub *hub = open_as("sue");
	cr_assert_eq(hub_export(hub, &req, &rows, &err), 0, "%s", err.msg);
	hub_close(hub);
	fclose(f);
	f = fmemopen(csv, strlen(csv), "r");
	struct csv_reader *r = csv_open(f, "export");
	char **fields;
	int n;
	long line;
	refs[0] = '\0';
	for (int first = 1; csv_next(r, &fields, &n, &line, &err) == 1; first = 0)
		if (!first)
			snprintf(refs + strlen(refs), len - strlen(refs), "%s%s",
				 refs[0] ? " " : "", fields[2]);
	csv_close(r);
	fclose(f);
	return rows;
}

Test(contacts, the_export_holds_referrals_only)
{
	static char csv[65536];
	char refs[512];
	long rows = export_refs("2026-04-01", "2026-04-30", refs, sizeof refs, csv,
				sizeof csv);
	cr_expect_eq(rows, 11);
	cr_expect_str_eq(refs, "R000010 R000016 R000018 R000019 R000020 R000021"
			 " R000022 R000023 R000025 R000027 R000028");
	rows = export_refs("2026-03-01", "2026-03-31", refs, sizeof refs, csv,
			   sizeof csv);
	cr_expect_eq(rows, 2);
	cr_expect_str_eq(refs, "R000007 R000008");
}

/* ---- census codes -------------------------------------------------------------- */

/* Every source of referral maps to its code in the children-in-need
 * census (1A..10, with 5C and 5D), and every category of concern to its
 * primary need: one referral of each, exported. */
Test(contacts, every_source_and_category_has_its_census_code)
{
	static const struct { const char *source, *cin; } sources[] = {
		{ "family", "1A" }, { "acquaintance", "1B" }, { "self", "1C" },
		{ "individual-other", "1D" }, { "school", "2A" },
		{ "education", "2B" }, { "gp", "3A" }, { "health-visitor", "3B" },
		{ "school-nurse", "3C" }, { "primary-health", "3D" },
		{ "hospital", "3E" }, { "health-other", "3F" }, { "housing", "4" },
		{ "la-social-care", "5A" }, { "la-other", "5B" },
		{ "la-external", "5C" }, { "early-help", "5D" }, { "police", "6" },
		{ "legal", "7" }, { "other", "8" }, { "anonymous", "9" },
		{ "unknown", "10" },
	};
	static const struct { const char *category, *need; } categories[] = {
		{ "neglect", "N1" }, { "physical", "N1" }, { "sexual", "N1" },
		{ "emotional", "N1" }, { "domestic-abuse", "N1" }, { "cse", "N1" },
		{ "cce", "N6" }, { "parental-mental-health", "N3" },
		{ "substance-misuse", "N5" }, { "other", "N9" },
	};
	enum { NS = sizeof sources / sizeof sources[0],
	       NC = sizeof categories / sizeof categories[0] };
	/* One referral per source, the categories in turn; June 2025. */
	static char in[16384];
	size_t len = (size_t)snprintf(in, sizeof in, "child,dob,concern,source,"
				      "category,received,decided,outcome,stage\n");
	for (int i = 0; i < NS; i++)
		len += (size_t)snprintf(in + len, sizeof in - len,
					"Census Child %c,2015-01-01,Code %s.,%s,%s,"
					"2025-06-02T%02d:00:00,2025-06-03T09:00:00,"
					"s17,referral\n", 'A' + i, sources[i].cin,
					sources[i].source, categories[i % NC].category, i);
	FILE *f = fmemopen(in, len, "r");
	struct hub *hub = open_as("sue");
	import_file(hub, f, "census.csv", NS);
	fclose(f);
	hub_close(hub);

	/* The lookup tables hold exactly these codes, no other. */
	struct md_error err;
	char name[128];
	hub = open_as("sue");
	for (int i = 0; i < NS; i++)
		cr_expect_eq(hub_code_name(hub, "source", sources[i].source, name,
					   sizeof name, &err), 0, "%s", err.msg);
	hub_close(hub);

	static char csv[65536];
	char refs[1024];
	cr_assert_eq(export_refs("2025-06-02", "2025-06-02", refs, sizeof refs, csv,
				 sizeof csv), NS);
	FILE *e = fmemopen(csv, strlen(csv), "r");
	struct csv_reader *r = csv_open(e, "export");
	char **fields;
	int n, row = -1, sources_seen = 0, needs_seen = 0;
	long line;
	while (csv_next(r, &fields, &n, &line, &err) == 1) {
		if (row++ < 0) {
			cr_assert_str_eq(fields[9], "cin_source");
			cr_assert_str_eq(fields[11], "cin_primary_need");
			continue;
		}
		/* Rows come in received order: source i is row i. */
		cr_assert_lt(row - 1, NS);
		cr_expect_str_eq(fields[8], sources[row - 1].source);
		cr_expect_str_eq(fields[9], sources[row - 1].cin, "source %s",
				 sources[row - 1].source);
		cr_expect_str_eq(fields[10], categories[(row - 1) % NC].category);
		cr_expect_str_eq(fields[11], categories[(row - 1) % NC].need,
				 "category %s", categories[(row - 1) % NC].category);
		sources_seen += !strcmp(fields[9], sources[row - 1].cin);
		needs_seen += !strcmp(fields[11], categories[(row - 1) % NC].need);
	}
	csv_close(r);
	fclose(e);
	cr_expect_eq(sources_seen, NS);
	cr_expect_eq(needs_seen, NS);
}

/* No source beyond the census's list: a code added to the table without
 * its census code would show here. */
static int count_code(const struct hub_code *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

Test(contacts, the_source_and_category_tables_hold_the_census_lists)
{
	struct md_error err;
	int sources = 0, categories = 0, outcomes = 0;
	struct hub *hub = open_as("sue");
	cr_assert_eq(hub_list_codes(hub, "source", count_code, &sources, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(hub_list_codes(hub, "category", count_code, &categories, &err),
		     0, "%s", err.msg);
	cr_assert_eq(hub_list_codes(hub, "screening_outcome", count_code, &outcomes,
				    &err), 0, "%s", err.msg);
	hub_close(hub);
	cr_expect_eq(sources, 22, "1A-1D 2A 2B 3A-3F 4 5A-5D 6 7 8 9 10");
	cr_expect_eq(categories, 10);
	cr_expect_eq(outcomes, 4, "nfa advice early-help allocated");
}
