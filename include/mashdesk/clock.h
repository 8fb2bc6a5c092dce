/* clock.h - time as the hub counts it.  All times are unix seconds (UTC);
 * text is ISO 8601.  Pure functions: no database, no curses. */
#ifndef MASHDESK_CLOCK_H
#define MASHDESK_CLOCK_H

#include <stddef.h>

#define CLOCK_ISO_MAX 32

long long clock_now(void);

/* Parse YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS (a space may
 * stand for the T), optionally followed by Z or +HH:MM/-HH:MM.  Without a
 * zone the time is local.  A date alone means its local midnight.  Returns 0
 * or -1 when the text is not such a time or names no real date. */
int clock_parse_iso(const char *s, long long *out);

/* "2026-11-22T14:05:00+00:00" in local time. */
void clock_format_iso(long long t, char buf[CLOCK_ISO_MAX]);

/* 1 when s is exactly YYYY-MM-DD and a real calendar date. */
int clock_valid_date(const char *s);

/* Whole years between a YYYY-MM-DD date and the moment `now` (local);
 * negative for an expected date still to come (rounded down: -1 within the
 * next year); -999 when dob is bad.  A 29 February birthday falls on
 * 1 March in years without one. */
int clock_age_years(const char *dob, long long now);

/* "45m", "3h 20m", "2d 4h", "late 5h", "late 2d", for a deadline seen from
 * now: at most 10 columns, rounded down; see clock.c for every form. */
void clock_format_left(long long due, long long now, char *buf, size_t len);

/* ---- working hours ----------------------------------------------------
 *
 * With working hours on, a timescale's hours count only inside working
 * hours: on a working day (one of `days` and not a bank holiday), between
 * day_start and day_end local time.  A 24-hour timescale is then 24
 * working hours (three 8-hour days), and a referral received on Friday at
 * 16:00 with an 8-hour timescale is due on Monday at 16:00.  Days are
 * walked in local civil time (mktime), so a change to or from summer time
 * neither adds nor loses an hour of work. */
#define CLOCK_MAX_HOLIDAYS 96

struct clock_work {
	int on;                   /* 0: hours are plain elapsed hours */
	int day_start, day_end;   /* minutes after local midnight; start < end */
	unsigned days;            /* bit n = weekday n, 0 = Sunday (tm_wday) */
	int holidays[CLOCK_MAX_HOLIDAYS];   /* YYYYMMDD, ascending */
	int nholidays;
};

/* "09:00-17:00" into minutes after midnight (start before end; 24:00 may
 * end a day).  0, or -1 when it is not such a range. */
int clock_parse_day_hours(const char *s, int *start, int *end);

/* "Mon-Fri", "Mon,Tue,Thu", "Sun-Thu" (a range may wrap over the week's
 * end), English three-letter names in any case, comma-separated items.
 * 0, or -1 (with the bad item copied into bad) when it names no day or a
 * bad one. */
int clock_parse_weekdays(const char *s, unsigned *mask, char *bad,
			 size_t badlen);

/* "2026-12-25, 2026-12-28": comma-separated dates (or "" for none), kept
 * sorted into dates as YYYYMMDD.  0, or -1 with the bad item in bad (not
 * a date, or more than max). */
int clock_parse_dates(const char *s, int *dates, int max, int *n, char *bad,
		      size_t badlen);

/* The moment `hours` hours after start: plain hours when w is NULL or off,
 * otherwise working hours as described above.  Every due time the hub
 * computes (referral decisions, agency checks) comes from here. */
long long clock_due_at(const struct clock_work *w, long long start, int hours);

#endif
