/* test_clock.c - deadlines, ages and ISO times as a hub in the UK sees them.
 *
 * London time comes from the POSIX rule "GMT0BST,M3.5.0/1,M10.5.0" (the
 * current UK rule: BST from 01:00 GMT on the last Sunday of March to
 * 01:00 GMT on the last Sunday of October), so the tests need no tzdata;
 * one test checks that the zoneinfo name agrees where it is installed.
 * Unix times in comments were checked with `date -u -d ... +%s`. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"

#define LONDON_RULE "GMT0BST,M3.5.0/1,M10.5.0"

static void set_tz(const char *tz)
{
	cr_assert_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

static void london(void)
{
	set_tz(LONDON_RULE);
}

static void utc(void)
{
	set_tz("UTC0");
}

TestSuite(clock_london, .init = london);
TestSuite(clock_utc, .init = utc);

static long long at(const char *iso)
{
	long long t = 0;

	cr_assert_eq(clock_parse_iso(iso, &t), 0, "cannot parse %s", iso);
	return t;
}

static void assert_rejected(const char *iso)
{
	long long t = 42;

	cr_assert_eq(clock_parse_iso(iso, &t), -1, "accepted \"%s\"", iso);
	cr_assert_eq(t, 42, "\"%s\" changed *out on failure", iso);
}

/* ---- clock_parse_iso ------------------------------------------------- */

Test(clock_london, parse_zoned_times_are_absolute)
{
	cr_assert_eq(at("2026-11-22T14:05:00Z"), 1795356300);
	cr_assert_eq(at("2026-11-22T14:05:00+00:00"), 1795356300);
	cr_assert_eq(at("2026-11-22T15:05:00+01:00"), 1795356300);
	cr_assert_eq(at("2026-11-22T09:05-05:00"), 1795356300);
	cr_assert_eq(at("2026-11-22 14:05Z"), 1795356300);
	cr_assert_eq(at("2024-02-29T23:59:59Z"), 1709251199);
	cr_assert_eq(at("2000-01-01T00:00:00Z"), 946684800);
	cr_assert_eq(at("1900-06-15T12:00:00Z"), -2194689600LL);
	cr_assert_eq(at("1969-12-31T23:59:59Z"), -1);
}

Test(clock_london, parse_local_times_follow_bst)
{
	cr_assert_eq(at("2026-07-01T12:00"), 1782903600);       /* 11:00Z */
	cr_assert_eq(at("2026-07-01 12:00:00"), 1782903600);
	cr_assert_eq(at("2026-11-22T14:05:00"), 1795356300);    /* GMT */
}

Test(clock_london, parse_date_alone_is_local_midnight)
{
	cr_assert_eq(at("2026-01-15"), 1768435200);             /* 00:00Z */
	cr_assert_eq(at("2026-07-15"), 1784070000);             /* 14th 23:00Z */
}

Test(clock_utc, parse_date_alone_is_local_midnight_in_utc)
{
	cr_assert_eq(at("2026-07-15"), 1784073600);
	cr_assert_eq(at("2026-07-01T12:00"), 1782907200);
	/* -1 is a real time, not mktime's failure. */
	cr_assert_eq(at("1969-12-31T23:59:59"), -1);
}

Test(clock_london, parse_time_skipped_by_bst_is_read_as_gmt)
{
	/* 01:30 on 29 March 2026 never shows on a London clock. */
	cr_assert_eq(at("2026-03-29T01:30"), 1774747800);       /* 01:30Z */
}

Test(clock_london, parse_rejects_impossible_dates)
{
	assert_rejected("2026-02-30");
	assert_rejected("2026-02-29");
	assert_rejected("1900-02-29");
	assert_rejected("2026-04-31");
	assert_rejected("2026-13-01");
	assert_rejected("2026-00-10");
	assert_rejected("2026-01-00");
	assert_rejected("0000-01-01");
	assert_rejected("2026-02-30T12:00Z");
}

Test(clock_london, parse_rejects_malformed_text)
{
	static const char *bad[] = {
		"", "26-01-01", "2026-1-01", "2026-01-1", "2026/01/01",
		"+2026-01-01", " 2026-01-01", "2026-01-01 ", "2026-01-01x",
		"2026-01-01Z", "2026-01-01T", "2026-01-01T12", "2026-01-01T1:00",
		"2026-01-01t12:00", "2026-01-01T12:00z", "2026-01-01T12:00:0",
		"2026-01-01T12:00Z junk", "2026-01-01T12:00+01",
		"2026-01-01T12:00+0100", "2026-01-01T12:00+1:00",
		"2026-01-01T12:00 +01:00", "2026-01-01T12:00:00.5Z",
		"2026-01-01T-1:00",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_rejected(bad[i]);
	cr_assert_eq(clock_parse_iso(NULL, &(long long){ 0 }), -1);
	cr_assert_eq(clock_parse_iso("2026-01-01", NULL), -1);
}

Test(clock_london, parse_rejects_out_of_range_times_and_zones)
{
	assert_rejected("2026-01-01T24:00");
	assert_rejected("2026-01-01T23:60");
	assert_rejected("2026-01-01T12:00:60");
	assert_rejected("2026-01-01T12:00+24:00");
	assert_rejected("2026-01-01T12:00-01:60");
	cr_assert_eq(at("2026-01-01T23:59:59+23:59"), at("2026-01-01T00:00:59Z"));
}

/* ---- clock_format_iso ------------------------------------------------ */

static void assert_iso(long long t, const char *want)
{
	char buf[CLOCK_ISO_MAX];

	clock_format_iso(t, buf);
	cr_assert_str_eq(buf, want, "formatting %lld", t);
}

Test(clock_london, format_shows_local_time_and_offset)
{
	assert_iso(1795356300, "2026-11-22T14:05:00+00:00");
	assert_iso(1782903600, "2026-07-01T12:00:00+01:00");
	assert_iso(1774745999, "2026-03-29T00:59:59+00:00");
	assert_iso(1774746000, "2026-03-29T02:00:00+01:00");
}

Test(clock_utc, format_in_utc)
{
	assert_iso(1782903600, "2026-07-01T11:00:00+00:00");
	assert_iso(-1, "1969-12-31T23:59:59+00:00");
}

Test(clock_utc, format_negative_half_hour_offset)
{
	set_tz("NST3:30");
	assert_iso(1795356300, "2026-11-22T10:35:00-03:30");
	cr_assert_eq(at("2026-11-22T10:35:00-03:30"), 1795356300);
}

Test(clock_london, format_outside_four_digit_years_is_a_question_mark)
{
	assert_iso(253402300800LL, "?");        /* 10000-01-01 */
	assert_iso(LLONG_MAX, "?");
	assert_iso(LLONG_MIN, "?");
}

Test(clock_london, format_then_parse_round_trips_across_bst_changes)
{
	static const long long times[] = {
		0, 946684800, 1709251199, 1774745999, 1774746000,
		1774747800, 1792888200, 1792891800, 1795356300, -2194689600LL,
	};

	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		char buf[CLOCK_ISO_MAX];

		clock_format_iso(times[i], buf);
		cr_assert_eq(at(buf), times[i], "%s", buf);
	}
}

Test(clock_london, zoneinfo_name_agrees_with_the_rule)
{
	char rule[CLOCK_ISO_MAX], named[CLOCK_ISO_MAX];
	struct tm tm;
	time_t summer = 1782903600;

	clock_format_iso(summer, rule);
	set_tz("Europe/London");
	if (localtime_r(&summer, &tm) == NULL || tm.tm_isdst <= 0)
		cr_skip_test("tzdata is not installed");
	clock_format_iso(summer, named);
	cr_assert_str_eq(named, rule);
	cr_assert_eq(at("2026-07-15"), 1784070000);
}

/* ---- clock_valid_date ------------------------------------------------ */

Test(clock_london, valid_date_is_exactly_a_real_day)
{
	cr_assert(clock_valid_date("2026-02-28"));
	cr_assert(clock_valid_date("2024-02-29"));
	cr_assert(clock_valid_date("2000-02-29"));
	cr_assert(clock_valid_date("2026-12-31"));
	cr_assert_not(clock_valid_date("2026-02-29"));
	cr_assert_not(clock_valid_date("2100-02-29"));
	cr_assert_not(clock_valid_date("2026-02-30"));
	cr_assert_not(clock_valid_date("2026-06-31"));
	cr_assert_not(clock_valid_date("2026-13-01"));
	cr_assert_not(clock_valid_date("2026-1-1"));
	cr_assert_not(clock_valid_date("26-01-01"));
	cr_assert_not(clock_valid_date("2026-01-01T00:00"));
	cr_assert_not(clock_valid_date("2026-01-01 "));
	cr_assert_not(clock_valid_date(""));
	cr_assert_not(clock_valid_date(NULL));
}

/* ---- clock_age_years ------------------------------------------------- */

Test(clock_london, age_turns_on_the_birthday)
{
	cr_assert_eq(clock_age_years("2010-06-15", at("2026-06-14T12:00")), 15);
	cr_assert_eq(clock_age_years("2010-06-15", at("2026-06-15T00:00")), 16);
	cr_assert_eq(clock_age_years("2008-11-22", at("2026-11-22T09:00")), 18);
	cr_assert_eq(clock_age_years("2008-11-23", at("2026-11-22T23:59:59")), 17);
}

Test(clock_london, age_of_a_leap_day_birthday_turns_on_1_march)
{
	cr_assert_eq(clock_age_years("2008-02-29", at("2026-02-28T12:00")), 17);
	cr_assert_eq(clock_age_years("2008-02-29", at("2026-03-01T00:00")), 18);
	cr_assert_eq(clock_age_years("2008-02-29", at("2028-02-28T12:00")), 19);
	cr_assert_eq(clock_age_years("2008-02-29", at("2028-02-29T00:00")), 20);
}

Test(clock_london, age_uses_the_local_date)
{
	/* 23:30Z on the 14th is already the 15th in BST. */
	long long t = at("2026-06-14T23:30:00Z");

	cr_assert_eq(clock_age_years("2010-06-15", t), 16);
	utc();
	cr_assert_eq(clock_age_years("2010-06-15", t), 15);
}

Test(clock_london, age_of_an_expected_date_is_negative)
{
	long long now = at("2026-11-22T12:00");

	cr_assert_eq(clock_age_years("2026-11-22", now), 0);
	cr_assert_eq(clock_age_years("2026-11-23", now), -1);
	cr_assert_eq(clock_age_years("2027-04-01", now), -1);
	cr_assert_eq(clock_age_years("2027-12-01", now), -2);
}

Test(clock_london, age_of_a_bad_date_is_minus_999)
{
	long long now = at("2026-11-22T12:00");

	cr_assert_eq(clock_age_years("2026-02-30", now), -999);
	cr_assert_eq(clock_age_years("22/11/2008", now), -999);
	cr_assert_eq(clock_age_years("2008-11-22T00:00", now), -999);
	cr_assert_eq(clock_age_years("", now), -999);
	cr_assert_eq(clock_age_years(NULL, now), -999);
}

/* ---- clock_format_left ----------------------------------------------- */

#define MIN 60LL
#define HOUR 3600LL
#define DAY 86400LL

static void assert_left(long long delta, const char *want)
{
	const long long now = 1795356300;
	char buf[32];

	clock_format_left(now + delta, now, buf, sizeof buf);
	cr_assert_str_eq(buf, want, "due in %lld s", delta);
}

Test(clock_london, left_shows_time_remaining_rounded_down)
{
	assert_left(30, "<1m");
	assert_left(45 * MIN + 59, "45m");
	assert_left(3 * HOUR + 20 * MIN + 59, "3h 20m");
	assert_left(3 * HOUR, "3h");
	assert_left(23 * HOUR + 59 * MIN, "23h 59m");
	assert_left(2 * DAY + 4 * HOUR + 59 * MIN, "2d 4h");
	assert_left(2 * DAY, "2d");
	assert_left(99 * DAY + 23 * HOUR, "99d 23h");
	assert_left(100 * DAY + 5 * HOUR, "100d");
	assert_left(999 * DAY + 23 * HOUR, "999d");
	assert_left(1000 * DAY, ">999d");
}

Test(clock_london, left_shows_overdue_as_late)
{
	assert_left(0, "late <1m");
	assert_left(-59, "late <1m");
	assert_left(-45 * MIN, "late 45m");
	assert_left(-(5 * HOUR + 59 * MIN), "late 5h");
	assert_left(-(2 * DAY + 4 * HOUR + 30 * MIN), "late 2d");
	assert_left(-(9 * DAY + 23 * HOUR), "late 9d");
	assert_left(-(12 * DAY + 5 * HOUR), "late 12d");
	assert_left(-(999 * DAY + 23 * HOUR), "late 999d");
	assert_left(-1000 * DAY, "late >999d");
}

Test(clock_london, left_always_fits_a_ten_column_queue_cell)
{
	const long long now = 1795356300;

	for (long long d = -1100 * DAY; d <= 1100 * DAY; d += 7 * MIN + 13) {
		char buf[32];

		clock_format_left(now + d, now, buf, sizeof buf);
		cr_assert_leq(strlen(buf), 10, "\"%s\" for %lld s", buf, d);
	}
}

Test(clock_london, left_survives_extremes_and_small_buffers)
{
	char buf[32];
	char small[4] = "xyz";

	clock_format_left(LLONG_MIN, LLONG_MAX, buf, sizeof buf);
	cr_assert_str_eq(buf, "late >999d");
	clock_format_left(LLONG_MAX, LLONG_MIN, buf, sizeof buf);
	cr_assert_str_eq(buf, ">999d");
	clock_format_left(3 * HOUR + 20 * MIN, 0, small, sizeof small);
	cr_assert_str_eq(small, "3h ");
	clock_format_left(0, 0, small, 0);
	cr_assert_str_eq(small, "3h ", "len 0 must not write");
}

Test(clock_london, now_is_the_system_clock)
{
	long long before = (long long)time(NULL);
	long long t = clock_now();

	cr_assert_geq(t, before);
	cr_assert_leq(t, (long long)time(NULL));
}

/* ---- working hours ------------------------------------------------------ */

/* 09:00-17:00, Monday to Friday, Christmas and Boxing Day (substitute)
 * 2026 as bank holidays. */
static struct clock_work office(void)
{
	struct clock_work w;
	memset(&w, 0, sizeof w);
	w.on = 1;
	cr_assert_eq(clock_parse_day_hours("09:00-17:00", &w.day_start,
					   &w.day_end), 0);
	cr_assert_eq(clock_parse_weekdays("Mon-Fri", &w.days, NULL, 0), 0);
	cr_assert_eq(clock_parse_dates("2026-12-28, 2026-12-25", w.holidays,
				       CLOCK_MAX_HOLIDAYS, &w.nholidays, NULL, 0), 0);
	return w;
}

static void expect_due(const struct clock_work *w, const char *from, int hours,
		       const char *want)
{
	long long due = clock_due_at(w, at(from), hours);
	char got[CLOCK_ISO_MAX];
	clock_format_iso(due, got);
	cr_assert_eq(due, at(want), "%d h from %s: got %s, want %s", hours, from,
		     got, want);
}

Test(clock_london, working_hours_off_counts_plain_hours)
{
	struct clock_work w = office();
	w.on = 0;
	expect_due(&w, "2026-11-20T16:00", 24, "2026-11-21T16:00");
	expect_due(NULL, "2026-11-20T16:00", 2, "2026-11-20T18:00");
}

Test(clock_london, working_hours_within_one_day)
{
	struct clock_work w = office();
	expect_due(&w, "2026-11-18T09:00", 8, "2026-11-18T17:00");
	expect_due(&w, "2026-11-18T10:30", 2, "2026-11-18T12:30");
}

/* Friday 16:00 + 2 working hours: one on Friday, one on Monday. */
Test(clock_london, working_hours_across_a_weekend)
{
	struct clock_work w = office();
	expect_due(&w, "2026-11-20T16:00", 2, "2026-11-23T10:00");
	/* 24 working hours are three working days. */
	expect_due(&w, "2026-11-20T09:00", 24, "2026-11-24T17:00");
	expect_due(&w, "2026-11-20T16:00", 8, "2026-11-23T16:00");
}

/* Received at the weekend or at night: the clock starts at the next
 * opening. */
Test(clock_london, working_hours_starting_outside_hours)
{
	struct clock_work w = office();
	expect_due(&w, "2026-11-21T11:00", 2, "2026-11-23T11:00");   /* Saturday */
	expect_due(&w, "2026-11-18T20:15", 1, "2026-11-19T10:00");   /* evening */
	expect_due(&w, "2026-11-18T06:00", 1, "2026-11-18T10:00");   /* early */
	expect_due(&w, "2026-11-18T17:00", 1, "2026-11-19T10:00");   /* at close */
}

/* Thursday 24 December 2026, 15:00, 4 working hours: 2 on Thursday, then
 * Friday 25th (Christmas), the weekend and Monday 28th (substitute Boxing
 * Day) are skipped: due Tuesday 29th at 11:00. */
Test(clock_london, working_hours_across_bank_holidays)
{
	struct clock_work w = office();
	expect_due(&w, "2026-12-24T15:00", 4, "2026-12-29T11:00");
	expect_due(&w, "2026-12-25T10:00", 1, "2026-12-29T10:00");
}

/* The clocks go forward on Sunday 29 March 2026: Friday 27th 16:00 + 2
 * working hours is Monday 30th 10:00 BST, one working hour each day; the
 * hour lost at night is not a working hour. */
Test(clock_london, working_hours_across_a_clock_change)
{
	struct clock_work w = office();
	expect_due(&w, "2026-03-27T16:00", 2, "2026-03-30T10:00");
	expect_due(&w, "2026-10-23T16:00", 2, "2026-10-26T10:00");
}

Test(clock_utc, working_days_and_hours_parse_strictly)
{
	unsigned mask = 0;
	int a, b, dates[4], n;
	char bad[32];
	cr_assert_eq(clock_parse_weekdays("mon-fri", &mask, bad, sizeof bad), 0);
	cr_assert_eq(mask, 0x3Eu);
	cr_assert_eq(clock_parse_weekdays("Sun-Thu", &mask, bad, sizeof bad), 0);
	cr_assert_eq(mask, 0x1Fu);
	cr_assert_eq(clock_parse_weekdays("Fri-Mon", &mask, bad, sizeof bad), 0);
	cr_assert_eq(mask, 0x63u);   /* wraps over the weekend */
	cr_assert_eq(clock_parse_weekdays("Mon, Wed", &mask, bad, sizeof bad), 0);
	cr_assert_eq(mask, 0x0Au);
	cr_assert_eq(clock_parse_weekdays("Mon-Fry", &mask, bad, sizeof bad), -1);
	cr_assert_str_eq(bad, "Mon-Fry");
	cr_assert_eq(clock_parse_weekdays("", &mask, bad, sizeof bad), -1);
	cr_assert_eq(clock_parse_day_hours("08:30-18:00", &a, &b), 0);
	cr_assert_eq(a, 510);
	cr_assert_eq(b, 1080);
	cr_assert_eq(clock_parse_day_hours("00:00-24:00", &a, &b), 0);
	cr_assert_eq(clock_parse_day_hours("17:00-09:00", &a, &b), -1);
	cr_assert_eq(clock_parse_day_hours("9:00-17:00", &a, &b), -1);
	cr_assert_eq(clock_parse_day_hours("09:00-17:60", &a, &b), -1);
	cr_assert_eq(clock_parse_dates("", dates, 4, &n, bad, sizeof bad), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(clock_parse_dates("2026-12-28,2026-12-25", dates, 4, &n,
				       bad, sizeof bad), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(dates[0], 20261225);
	cr_assert_eq(clock_parse_dates("2026-02-30", dates, 4, &n, bad,
				       sizeof bad), -1);
	cr_assert_str_eq(bad, "2026-02-30");
	cr_assert_eq(clock_parse_dates("2026-12-25, , 2026-12-28", dates, 4, &n,
				       bad, sizeof bad), -1);
	cr_assert_eq(clock_parse_dates("2026-01-01,2026-01-02,2026-01-03,"
				       "2026-01-04,2026-01-05", dates, 4, &n, bad,
				       sizeof bad), -1);
}
