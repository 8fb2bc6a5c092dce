/* clock.c - time as the hub counts it (see clock.h).
 *
 * Zoned times and UTC offsets are computed with our own calendar
 * arithmetic (days_from_civil) instead of timegm() and tm_gmtoff, which are
 * neither C nor POSIX; only local time goes through the C library, with
 * mktime()/localtime_r() and tm_isdst = -1 so that the zone rules (BST)
 * decide.  A local wall-clock time that a DST change skips (01:30 on the
 * last Sunday of March in London) is taken as mktime() does on glibc: as
 * if the clocks had not gone forward yet, i.e. 02:30 BST.  One that happens
 * twice (01:30 in late October) is whichever mktime() picks. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* localtime_r() */
#endif
#include "mashdesk/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct civil {
	int y, mo, d, h, mi, s;
};

long long clock_now(void)
{
	return (long long)time(NULL);
}

/* ---- calendar arithmetic --------------------------------------------- */

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Division rounding towards minus infinity, for years before 1 AD. */
static long long floor_div(long long a, long long b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* Days from 0001-01-01 to 1 January of year y (proleptic Gregorian). */
static long long days_before_year(long long y)
{
	long long p = y - 1;

	return 365 * p + floor_div(p, 4) - floor_div(p, 100) + floor_div(p, 400);
}

/* Days from 1970-01-01 to the date y-m-d. */
static long long days_from_civil(long long y, int m, int d)
{
	static const int before[12] = { 0, 31, 59, 90, 120, 151,
					181, 212, 243, 273, 304, 334 };
	long long days = days_before_year(y) - days_before_year(1970);

	return days + before[m - 1] + (m > 2 && is_leap(y)) + d - 1;
}

/* ---- parsing --------------------------------------------------------- */

/* Read exactly n ASCII digits at *ps (no sign, no spaces: sscanf and
 * strtol would accept both). */
static int read_digits(const char **ps, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*ps)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*ps += n;
	*out = v;
	return 0;
}

static int expect(const char **ps, char c)
{
	if (**ps != c)
		return -1;
	(*ps)++;
	return 0;
}

/* YYYY-MM-DD naming a real day of years 0001-9999. */
static int read_date(const char **ps, struct civil *c)
{
	if (read_digits(ps, 4, &c->y) || expect(ps, '-') ||
	    read_digits(ps, 2, &c->mo) || expect(ps, '-') ||
	    read_digits(ps, 2, &c->d))
		return -1;
	if (c->y < 1 || c->mo < 1 || c->mo > 12 || c->d < 1 ||
	    c->d > days_in_month(c->y, c->mo))
		return -1;
	return 0;
}

/* HH:MM or HH:MM:SS on a 24-hour clock; no leap seconds, no "24:00". */
static int read_time(const char **ps, struct civil *c)
{
	c->s = 0;
	if (read_digits(ps, 2, &c->h) || expect(ps, ':') ||
	    read_digits(ps, 2, &c->mi))
		return -1;
	if (**ps == ':' && (expect(ps, ':') || read_digits(ps, 2, &c->s)))
		return -1;
	return c->h > 23 || c->mi > 59 || c->s > 59 ? -1 : 0;
}

/* Z, +HH:MM or -HH:MM: seconds east of UTC into *off.  Returns 1 when a
 * zone was given, 0 when none, -1 when it is malformed. */
static int read_zone(const char **ps, int *off)
{
	int sign, hh, mm;

	if (**ps == 'Z') {
		(*ps)++;
		*off = 0;
		return 1;
	}
	if (**ps != '+' && **ps != '-')
		return 0;
	sign = **ps == '-' ? -1 : 1;
	(*ps)++;
	if (read_digits(ps, 2, &hh) || expect(ps, ':') ||
	    read_digits(ps, 2, &mm) || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 1;
}

/* Local wall-clock time to unix seconds, letting the zone rules choose
 * GMT or BST.  tm_wday is set by a successful mktime() only, which tells
 * a real failure from the valid time 1969-12-31T23:59:59Z (also -1). */
static int local_to_unix(const struct civil *c, long long *out)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = c->y - 1900;
	tm.tm_mon = c->mo - 1;
	tm.tm_mday = c->d;
	tm.tm_hour = c->h;
	tm.tm_min = c->mi;
	tm.tm_sec = c->s;
	tm.tm_isdst = -1;
	tm.tm_wday = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 && tm.tm_wday == -1)
		return -1;
	*out = (long long)t;
	return 0;
}

int clock_parse_iso(const char *s, long long *out)
{
	struct civil c = { 0 };
	int off = 0, zoned = 0;
	long long t;

	if (s == NULL || out == NULL || read_date(&s, &c))
		return -1;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (read_time(&s, &c))
			return -1;
		zoned = read_zone(&s, &off);
		if (zoned < 0)
			return -1;
	}
	if (*s != '\0')
		return -1;      /* trailing junk, or a zone after a bare date */
	if (!zoned)
		return local_to_unix(&c, out);
	t = days_from_civil(c.y, c.mo, c.d) * 86400LL + c.h * 3600LL +
	    c.mi * 60LL + c.s;
	*out = t - off;
	return 0;
}

int clock_valid_date(const char *s)
{
	struct civil c;

	return s != NULL && read_date(&s, &c) == 0 && *s == '\0';
}

/* ---- formatting ------------------------------------------------------ */

static int local_tm(long long t, struct tm *tm)
{
	time_t tt = (time_t)t;

	if ((long long)tt != t || localtime_r(&tt, tm) == NULL)
		return -1;
	return 0;
}

void clock_format_iso(long long t, char buf[CLOCK_ISO_MAX])
{
	struct tm tm;
	long long wall, off;
	char sign = '+';
	unsigned oh, om;

	/* Outside years 0001-9999 there is no such ISO text to write (and
	 * clock_parse_iso could not read it back): show "?" instead. */
	if (local_tm(t, &tm) || tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900) {
		snprintf(buf, CLOCK_ISO_MAX, "?");
		return;
	}
	/* The offset is what the local wall clock reads minus UTC. */
	wall = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday) *
	       86400LL + tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec;
	off = wall - t;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	/* Real zones are within a day of UTC and localtime_r() fields are
	 * in range; the unsigned bounds only let the compiler see that the
	 * text always fits in CLOCK_ISO_MAX. */
	oh = (unsigned)(off / 3600 % 24);
	om = (unsigned)(off % 3600 / 60);
	snprintf(buf, CLOCK_ISO_MAX, "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u",
		 (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
		 (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
		 (unsigned)tm.tm_sec % 100u, sign, oh, om);
}

/* ---- ages and deadlines ---------------------------------------------- */

/* Someone born on 29 February has their birthday on 1 March in a year
 * without one (the day after 28 February, when the anniversary would have
 * fallen); so they are not a year older on 28 February. */
int clock_age_years(const char *dob, long long now)
{
	struct civil b;
	struct tm tm;
	int ny, nm, nd, bm, bd;

	if (dob == NULL || read_date(&dob, &b) || *dob != '\0' ||
	    local_tm(now, &tm))
		return -999;
	ny = tm.tm_year + 1900;
	nm = tm.tm_mon + 1;
	nd = tm.tm_mday;
	bm = b.mo;
	bd = b.d;
	if (bm == 2 && bd == 29 && !is_leap(ny)) {
		bm = 3;
		bd = 1;
	}
	/* Rounded down, so a date still to come gives -1 or less. */
	return ny - b.y - (nm < bm || (nm == bm && nd < bd));
}

/* Deadlines, at most 10 columns so the queue column never wraps:
 *   time left   "<1m"  "45m"  "3h 20m"  "3h"  "2d 4h"  "2d"  "123d"  ">999d"
 *   overdue     "late <1m"  "late 45m"  "late 5h"  "late 2d"  "late >999d"
 * Everything is rounded down (whole minutes, hours, days), so time left is
 * never overstated.  Overdue says "late" rather than a minus sign, which is
 * easy to miss on a monochrome screen, and shows only its largest unit:
 * once a deadline has passed that is what matters, and two units would not
 * fit ("late 9d 23h" is 11 columns).  A deadline due this very second
 * counts as late. */
static void format_late(unsigned long long a, char *buf, size_t len)
{
	if (a < 60)
		snprintf(buf, len, "late <1m");
	else if (a < 3600)
		snprintf(buf, len, "late %llum", a / 60);
	else if (a < 86400)
		snprintf(buf, len, "late %lluh", a / 3600);
	else if (a < 1000ULL * 86400)
		snprintf(buf, len, "late %llud", a / 86400);
	else
		snprintf(buf, len, "late >999d");
}

static void format_ahead(unsigned long long a, char *buf, size_t len)
{
	unsigned long long m = a / 60 % 60, h = a / 3600 % 24, d = a / 86400;

	if (a < 60)
		snprintf(buf, len, "<1m");
	else if (a < 3600)
		snprintf(buf, len, "%llum", m);
	else if (a < 86400 && m == 0)
		snprintf(buf, len, "%lluh", h);
	else if (a < 86400)
		snprintf(buf, len, "%lluh %llum", h, m);
	else if (d >= 1000)
		snprintf(buf, len, ">999d");
	else if (d >= 100 || h == 0)
		snprintf(buf, len, "%llud", d);
	else
		snprintf(buf, len, "%llud %lluh", d, h);
}

void clock_format_left(long long due, long long now, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return;
	/* Unsigned subtraction gives |due - now| without overflow. */
	if (due <= now)
		format_late((unsigned long long)now - (unsigned long long)due,
			    buf, len);
	else
		format_ahead((unsigned long long)due - (unsigned long long)now,
			     buf, len);
}

/* ---- working hours ----------------------------------------------------- */

static const char *const weekday_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

static int read_hhmm(const char **ps, int *minutes)
{
	int h, m;

	if (read_digits(ps, 2, &h) || expect(ps, ':') || read_digits(ps, 2, &m))
		return -1;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

int clock_parse_day_hours(const char *s, int *start, int *end)
{
	int a, b;

	if (s == NULL || read_hhmm(&s, &a) || expect(&s, '-') ||
	    read_hhmm(&s, &b) || *s != '\0' || a >= b)
		return -1;
	*start = a;
	*end = b;
	return 0;
}

static int weekday_index(const char *s, size_t n)
{
	if (n != 3)
		return -1;
	for (int i = 0; i < 7; i++) {
		int same = 1;
		for (size_t k = 0; k < 3; k++) {
			char c = s[k];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			same &= c == weekday_names[i][k];
		}
		if (same)
			return i;
	}
	return -1;
}

/* Items of a comma-separated list, spaces around each dropped. */
static const char *next_item(const char *p, const char **start, size_t *len)
{
	while (*p == ' ' || *p == '\t')
		p++;
	const char *e = p + strcspn(p, ",");
	const char *q = e;
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	*start = p;
	*len = (size_t)(q - p);
	return *e == ',' ? e + 1 : NULL;
}

static void copy_bad(char *bad, size_t badlen, const char *s, size_t n)
{
	if (bad && badlen)
		snprintf(bad, badlen, "%.*s", (int)n, s);
}

int clock_parse_weekdays(const char *s, unsigned *mask, char *bad,
			 size_t badlen)
{
	unsigned m = 0;
	const char *p = s, *item;
	size_t n;

	if (s == NULL)
		return -1;
	while (p) {
		p = next_item(p, &item, &n);
		const char *dash = memchr(item, '-', n);
		int a, b;
		if (dash) {
			a = weekday_index(item, (size_t)(dash - item));
			b = weekday_index(dash + 1, n - (size_t)(dash - item) - 1);
		} else {
			a = b = weekday_index(item, n);
		}
		if (a < 0 || b < 0) {
			copy_bad(bad, badlen, item, n);
			return -1;
		}
		for (int d = a;; d = (d + 1) % 7) {
			m |= 1u << d;
			if (d == b)
				break;
		}
	}
	*mask = m;
	return 0;
}

int clock_parse_dates(const char *s, int *dates, int max, int *n, char *bad,
		      size_t badlen)
{
	const char *p = s, *item;
	size_t len;
	int count = 0;

	if (s == NULL)
		return -1;
	while (p) {
		p = next_item(p, &item, &len);
		if (len == 0 && p == NULL && count == 0)
			break;          /* "" : no bank holidays */
		char text[11];
		struct civil c;
		const char *q = text;
		if (len != 10 || count >= max) {
			copy_bad(bad, badlen, item, len);
			return -1;
		}
		memcpy(text, item, 10);
		text[10] = '\0';
		if (read_date(&q, &c)) {
			copy_bad(bad, badlen, item, len);
			return -1;
		}
		int v = c.y * 10000 + c.mo * 100 + c.d, i = count++;
		for (; i > 0 && dates[i - 1] > v; i--)   /* keep them sorted */
			dates[i] = dates[i - 1];
		dates[i] = v;
	}
	*n = count;
	return 0;
}

static int is_holiday(const struct clock_work *w, int ymd)
{
	int lo = 0, hi = w->nholidays - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (w->holidays[mid] == ymd)
			return 1;
		if (w->holidays[mid] < ymd)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

/* The local time `minutes` after midnight of the day in tm. */
static long long day_at(const struct tm *day, int minutes)
{
	struct civil c = { day->tm_year + 1900, day->tm_mon + 1, day->tm_mday,
			   minutes / 60, minutes % 60, 0 };
	long long t = 0;

	if (c.h == 24) {        /* midnight ending the day: the next one's 00:00 */
		struct tm next = *day;
		next.tm_mday++;
		next.tm_hour = 12;
		next.tm_isdst = -1;
		mktime(&next);
		c.y = next.tm_year + 1900;
		c.mo = next.tm_mon + 1;
		c.d = next.tm_mday;
		c.h = 0;
	}
	local_to_unix(&c, &t);
	return t;
}

long long clock_due_at(const struct clock_work *w, long long start, int hours)
{
	long long left = hours * 3600LL, t = start;
	struct tm day;

	if (w == NULL || !w->on || (w->days & 0x7Fu) == 0)
		return start + left;
	if (local_tm(start, &day))
		return start + left;
	/* Walk the days from the start's, at most ten years of them (a
	 * 720-hour timescale on a one-hour, one-day week is 14 years: clamp
	 * there rather than loop for ever). */
	for (int i = 0; i < 3660; i++) {
		int ymd = (day.tm_year + 1900) * 10000 + (day.tm_mon + 1) * 100 +
			  day.tm_mday;
		if ((w->days >> day.tm_wday & 1u) && !is_holiday(w, ymd)) {
			long long open = day_at(&day, w->day_start);
			long long close = day_at(&day, w->day_end);
			if (t < open)
				t = open;
			if (t < close) {
				if (close - t >= left)
					return t + left;
				left -= close - t;
			}
		}
		/* Noon of the next day, so a summer-time change never lands
		 * the walk on the same day twice or skips one. */
		day.tm_mday++;
		day.tm_hour = 12;
		day.tm_min = day.tm_sec = 0;
		day.tm_isdst = -1;
		if (mktime(&day) == (time_t)-1)
			break;
	}
	return t + left;
}
