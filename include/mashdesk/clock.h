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

#endif
