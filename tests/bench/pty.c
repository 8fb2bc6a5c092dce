/* pty.c - the desk in a pseudo-terminal, timed from the outside.
 *
 *   pty [-s COLSxROWS] [-q QUIET_MS] [-n KEYS] [-i IDLE_S] [-T WAIT_S]
 *       -m MARKER [-w WORD,WORD...] [-c CMD]... [-t SEC,SEC...] [-S]
 *       [-p NAME|DOB;NAME|DOB...] -- MASHDESK ARGS...
 *
 * Runs the real desk under forkpty(3) at a fixed size with
 * TERM=xterm-256color and measures what a person at the terminal would
 * see.  A screen update is "complete" when the desk has written nothing
 * for QUIET_MS (default 25); its time is taken at the LAST byte, so the
 * quiet window itself is never counted.  Escape sequences are stripped
 * before looking for MARKER (a reference on the queue's first page, or
 * the empty queue's notice): the queue has been painted once MARKER has
 * appeared and the output has then gone quiet.
 *
 * Prints one "name<TAB>value" line per figure, for tests/bench/run:
 *   paint_ms paint_bytes rss_kb hwm_kb anon_kb (memory after the paint)
 *   KIND_n KIND_p50_ms KIND_p99_ms KIND_silent, KIND in move page
 *     filter search open back (silent: keys that drew nothing)
 *   change_bytes change_ms change_n (one row changed by CMD, another
 *     process; CMDs are run in turn, median bytes)
 *   idle_bytes (IDLE_S seconds with no key; started early in a minute so
 *     the clock does not tick in it)
 *   end_rss_kb end_hwm_kb end_anon_kb (after all the keys)
 *   with -p, typing_* and prior_* as KIND above: for each child, n opens
 *     the contact form, the name and date of birth are typed a key at a
 *     time (typing), and the Tab that leaves the date of birth -- which
 *     asks the hub for the prior history and draws the panel -- is timed
 *     (prior); Esc and y throw the contact away
 * With -S (sanity) it only paints, moves once (j) and quits, printing
 * paint_ms paint_bytes move_bytes move_ms, so a test can check that the
 * driver reads the desk (tests/e2e/pty.sh).  No MARKER within WAIT_S
 * (default 10) seconds, no answer to a key in as long, or a desk that
 * does not quit in as long: exit 70 with what it saw on stderr.
 *
 * Only the key is in a key's window: the desk redraws by itself when the
 * minute turns (its clock, every row's time left), so a window that
 * counts bytes opens with enough of the minute left and after this
 * minute's redraw has gone out (clear_of_the_minute).  The sanity move
 * also keeps clear of the seconds given with -t (when shown rows' times
 * left turn over: the move's redraw would bring them up to date) and
 * repaints (^L) before it, so every cell is as of the stretch it is in. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 4096
#define MAX_CMDS 8
#define TEXT_MAX (1 << 20)

static int master = -1;
static pid_t child = -1;
static int quiet_ms = 25;
static int wait_s = 10;         /* a deadline for hangs, not for speed */
static int quitting;    /* the desk was asked to leave: EOF is expected */
static long drawn_minute = -1;  /* the minute the desk's clock shows */
static int turnover[60];        /* -t: seconds at which rows turn over */
static int nturnover;

/* Everything the desk wrote since the last reset, escapes stripped. */
static char text[TEXT_MAX];
static size_t ntext;
static int esc_state;   /* 0 text, 1 after ESC, 2 in CSI, 3 in OSC/string */

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "pty: %s: %s\n", what, strerror(errno));
	if (child > 0)
		kill(child, SIGKILL);
	exit(EX_SOFTWARE);
}

static void strip(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		switch (esc_state) {
		case 0:
			if (c == 0x1b)
				esc_state = 1;
			else if ((c >= 0x20 || c == '\n') && ntext + 1 < TEXT_MAX)
				text[ntext++] = (char)c;
			break;
		case 1:
			esc_state = c == '[' ? 2 : (c == ']' || c == 'P') ? 3 :
				    (c == '(' || c == ')') ? 4 : 0;
			break;
		case 2:         /* CSI: parameters until a final byte */
			if (c >= 0x40 && c <= 0x7e)
				esc_state = 0;
			break;
		case 3:         /* OSC / DCS: until BEL or ST */
			if (c == 0x07 || c == '\\')
				esc_state = 0;
			break;
		default:        /* charset designation: one more byte */
			esc_state = 0;
			break;
		}
	}
	text[ntext] = '\0';
}

/* Read what is there for up to wait_ms; returns bytes read, sets *last to
 * the time of the last byte.  Exits when the desk is gone. */
static long drain(int wait_ms, double *last)
{
	unsigned char buf[65536];
	struct pollfd p = { master, POLLIN, 0 };
	long total = 0;

	int rc = poll(&p, 1, wait_ms);
	if (rc < 0 && errno != EINTR)
		die("poll");
	if (rc <= 0)
		return 0;
	ssize_t n = read(master, buf, sizeof buf);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		if (quitting)
			return 0;
		fprintf(stderr, "pty: the desk went away\n");
		exit(EX_SOFTWARE);
	}
	if (n > 0) {
		*last = now_ms();
		strip(buf, (size_t)n);
		total += n;
	}
	return total;
}

/* Read until nothing came for quiet_ms after the last byte, or for
 * first_ms when nothing came at all.  Returns bytes; *last as above. */
static long settle(int first_ms, double *last)
{
	long total = drain(first_ms, last);
	if (!total)
		return 0;
	for (;;) {
		double left = *last + quiet_ms - now_ms();
		long n = drain(left > 0 ? (int)left + 1 : 0, last);
		if (n == 0 && now_ms() >= *last + quiet_ms)
			return total;
		total += n;
	}
}

/* The desk redraws its clock (and every row's time left) when the minute
 * turns.  Return when at least margin_s seconds are left in a minute the
 * desk has already drawn, and everything it drew is read: sleep past the
 * turn if too little is left, then wait for the turn's redraw (it must
 * come: the clock changed) and for quiet after it.  drawn_minute -1: not
 * known which minute the desk shows (it started as one turned), only that
 * it is no later than now. */
static void clear_of_the_minute(int margin_s)
{
	double last;

	for (;;) {
		time_t t = time(NULL);
		struct tm tm;
		if (!localtime_r(&t, &tm))
			return;
		long minute = (long)(t / 60);
		if (minute == drawn_minute && tm.tm_sec + margin_s < 60)
			break;
		if (minute == drawn_minute || drawn_minute < 0) {
			sleep((unsigned)(60 - tm.tm_sec));
			drawn_minute = minute;  /* at most: a redraw is due */
			continue;
		}
		/* a newer minute than the desk has drawn: its redraw */
		if (settle(wait_s * 1000, &last) == 0)
			fprintf(stderr, "pty: no redraw %d s after the minute "
				"turned\n", wait_s);
		drawn_minute = (long)(time(NULL) / 60);
	}
	while (settle(quiet_ms, &last))
		;       /* anything still going out */
}

static void send_keys(const char *k)
{
	size_t n = strlen(k);
	if (write(master, k, n) != (ssize_t)n)
		die("write to the desk");
}

/* At least 2 seconds past the last turnover (the minute's, and -t's) and
 * margin_s or more before the next? */
static int still(int margin_s)
{
	time_t t = time(NULL);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 1;
	int since = tm.tm_sec, left = 60 - tm.tm_sec;
	for (int i = 0; i < nturnover; i++) {
		int to = (turnover[i] - tm.tm_sec + 60) % 60;
		int from = (tm.tm_sec - turnover[i] + 60) % 60;
		if (to == 0)
			to = 60;
		if (to < left)
			left = to;
		if (from < since)
			since = from;
	}
	return since >= 2 && left >= margin_s;
}

/* A still stretch of margin_s seconds, the minute's redraw gone out, and
 * then a whole repaint (^L): every cell as of now, none left to turn over
 * in the margin.  Gives up (saying so) after two minutes of no stretch. */
static void still_stretch(int margin_s)
{
	double last;

	for (int i = 0;; i++) {
		clear_of_the_minute(margin_s);
		if (still(margin_s))
			break;
		if (i == 120) {
			fprintf(stderr, "pty: no still stretch of %d s in the "
				"minute\n", margin_s);
			break;
		}
		sleep(1);
	}
	send_keys("\f");
	if (settle(wait_s * 1000, &last) == 0)
		fprintf(stderr, "pty: ^L drew nothing in %d s\n", wait_s);
	while (settle(quiet_ms, &last))
		;
}

static void proc_kb(const char *field, long *v)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)child);
	FILE *f = fopen(path, "r");
	*v = -1;
	if (!f)
		return;
	size_t len = strlen(field);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, len) && line[len] == ':')
			*v = atol(line + len + 1);
	fclose(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of n sorted samples. */
static double pct(const double *s, int n, int p)
{
	if (n == 0)
		return -1;
	int i = (n * p + 99) / 100 - 1;
	return s[i < 0 ? 0 : i >= n ? n - 1 : i];
}

struct run {
	const char *name;
	double ms[MAX_SAMPLES];
	int n, silent;
};

/* One timed key: from its write to the last byte of what it drew. */
static void timed_key(struct run *r, const char *key)
{
	double t0 = now_ms(), last = t0;
	send_keys(key);
	if (settle(1000, &last) == 0)
		r->silent++;
	else if (r->n < MAX_SAMPLES)
		r->ms[r->n++] = last - t0;
}

/* An untimed key (getting into position), left to settle. */
static void plain_key(const char *key)
{
	double last;
	send_keys(key);
	settle(300, &last);
}

static void report(struct run *r)
{
	qsort(r->ms, (size_t)r->n, sizeof r->ms[0], cmp_double);
	printf("%s_n\t%d\n%s_p50_ms\t%.2f\n%s_p99_ms\t%.2f\n%s_silent\t%d\n",
	       r->name, r->n, r->name, pct(r->ms, r->n, 50), r->name,
	       pct(r->ms, r->n, 99), r->name, r->silent);
}

static void usage(void)
{
	fprintf(stderr, "usage: pty [-s COLSxROWS] [-q QUIET_MS] [-n KEYS] "
		"[-i IDLE_S] [-T WAIT_S] -m MARKER [-w WORDS] [-c CMD]... "
		"[-t SECONDS] [-S] [-p NAME|DOB;...] -- "
		"MASHDESK ARGS...\n");
	exit(EX_USAGE);
}

static void keys_runs(int nkeys, char *words)
{
	static struct run move = { .name = "move" }, page = { .name = "page" },
			  filter = { .name = "filter" }, search = { .name = "search" },
			  open = { .name = "open" }, back = { .name = "back" };

	/* Down a stretch, back up: within the page, as people mostly move. */
	for (int i = 0; i < nkeys; i++)
		timed_key(&move, (i / 20) % 2 ? "k" : "j");
	/* Page down and up in turn: each one reads a page from the hub. */
	for (int i = 0; i < nkeys; i++)
		timed_key(&page, i % 2 ? "b" : " ");
	plain_key("g");
	/* All, Mine, Unassigned, Overdue, All, ... */
	for (int i = 0; i < nkeys; i++)
		timed_key(&filter, "f");
	for (int i = nkeys; i % 4; i++)
		plain_key("f");                 /* (not counted) back to All */
	/* Search as you type: each letter asks the hub again. */
	for (int done = 0, before = -1; words && done < nkeys && done > before;) {
		char *save, *w;
		before = done;          /* a list of no letters ends it */
		char *copy = strdup(words);
		for (w = strtok_r(copy, ",", &save); w && done < nkeys;
		     w = strtok_r(NULL, ",", &save)) {
			plain_key("/");
			for (const char *c = w; *c && done < nkeys; c++, done++) {
				char k[2] = { *c, 0 };
				timed_key(&search, k);
			}
			plain_key("\033");      /* clear it */
		}
		free(copy);
	}
	plain_key("g");
	/* Open the selected referral and go back, in turn. */
	for (int i = 0; i < nkeys / 2; i++) {
		plain_key(i % 2 ? "k" : "j");
		timed_key(&open, "\r");
		timed_key(&back, "\033");
	}
	report(&move);
	report(&page);
	report(&filter);
	report(&search);
	report(&open);
	report(&back);
}

/* Type text a character at a time, each timed as a key: a UTF-8
 * character goes whole, as a terminal sends it (one byte of it alone
 * would draw nothing, and the desk would go idle waiting). */
static void type_chars(struct run *r, const char *typed)
{
	for (const unsigned char *c = (const unsigned char *)typed; *c;) {
		char k[8];
		size_t n = *c < 0xC0 ? 1 : *c < 0xE0 ? 2 : *c < 0xF0 ? 3 : 4;
		size_t i = 0;
		for (; i < n && c[i] && i < sizeof k - 1; i++)
			k[i] = (char)c[i];
		k[i] = '\0';
		c += i;
		timed_key(r, k);
	}
}

/* A phone call about each child: n, the name, Tab, the date of birth
 * typed, then the Tab that looks the child up (pairs "NAME|DOB;..."). */
static void prior_runs(const char *pairs)
{
	static struct run prior = { .name = "prior" },
			  typing = { .name = "typing" };
	char *copy = strdup(pairs), *save = NULL;

	if (!copy)
		die("strdup");
	for (char *p = strtok_r(copy, ";", &save); p;
	     p = strtok_r(NULL, ";", &save)) {
		char *dob = strchr(p, '|');
		if (!dob)
			continue;
		*dob++ = '\0';
		plain_key("n");
		type_chars(&typing, p);
		plain_key("\t");
		type_chars(&typing, dob);
		timed_key(&prior, "\t");
		plain_key("\033");     /* typed work: it asks first */
		plain_key("y");
	}
	free(copy);
	report(&typing);
	report(&prior);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* Another process changes one row; the desk notices within its poll
 * interval and repaints.  Counted: the bytes of that repaint. */
static void change_runs(char **cmds, int ncmds)
{
	long bytes[32];
	double ms[32];
	int n = 0;

	for (int i = 0; i < 2 * ncmds && i < 32; i++) {
		double last;
		settle(0, &last);
		if (system(cmds[i % ncmds]) != 0) {
			fprintf(stderr, "pty: change command failed: %s\n",
				cmds[i % ncmds]);
			continue;
		}
		double t0 = now_ms();
		last = t0;
		/* A longer window: the poll comes every refresh_ms. */
		long b = settle(3000, &last);
		bytes[n] = b;
		ms[n++] = b ? last - t0 : -1;
	}
	qsort(bytes, (size_t)n, sizeof bytes[0], cmp_long);
	qsort(ms, (size_t)n, sizeof ms[0], cmp_double);
	printf("change_n\t%d\nchange_bytes\t%ld\nchange_ms\t%.1f\n", n,
	       n ? bytes[n / 2] : -1L, n ? ms[n / 2] : -1.0);
}

static void idle_run(int secs)
{
	double last;

	settle(0, &last);
	/* Keep the minute's clock tick out of the window: it is the one
	 * thing an idle desk must draw. */
	clear_of_the_minute(secs + 2);
	double end = now_ms() + secs * 1000.0;
	long total = 0;
	for (double left; (left = end - now_ms()) > 0;)
		total += drain((int)left + 1, &last);
	printf("idle_bytes\t%ld\nidle_s\t%d\n", total, secs);
}

int main(int argc, char **argv)
{
	int cols = 120, rows = 40, nkeys = 200, idle_s = 10, sanity = 0, opt;
	const char *marker = NULL;
	char *words = NULL, *cmds[MAX_CMDS], *pairs = NULL;
	int ncmds = 0;

	while ((opt = getopt(argc, argv, "s:q:n:i:T:m:w:c:t:Sp:")) != -1) {
		switch (opt) {
		case 's':
			if (sscanf(optarg, "%dx%d", &cols, &rows) != 2)
				usage();
			break;
		case 'q': quiet_ms = atoi(optarg); break;
		case 'n': nkeys = atoi(optarg); break;
		case 'i': idle_s = atoi(optarg); break;
		case 'T': wait_s = atoi(optarg); break;
		case 'm': marker = optarg; break;
		case 'w': words = optarg; break;
		case 'c':
			if (ncmds < MAX_CMDS)
				cmds[ncmds++] = optarg;
			break;
		case 't':
			for (char *p = optarg, *end; *p && nturnover < 60;
			     p = *end ? end + 1 : end) {
				long v = strtol(p, &end, 10);
				if (end == p || v < 0 || v > 59 ||
				    (*end && *end != ','))
					usage();
				turnover[nturnover++] = (int)v;
			}
			break;
		case 'S': sanity = 1; break;
		case 'p': pairs = optarg; break;
		default: usage();
		}
	}
	if (!marker || optind >= argc || quiet_ms < 1 || nkeys < 0 ||
	    nkeys > MAX_SAMPLES)
		usage();

	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };
	double t0 = now_ms(), last = t0;
	long started_minute = (long)(time(NULL) / 60);
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0)
		die("forkpty");
	if (child == 0) {
		setenv("TERM", "xterm-256color", 1);
		unsetenv("NO_COLOR");
		execvp(argv[optind], argv + optind);
		_exit(127);
	}

	/* First paint: the marker, then quiet. */
	long paint = 0;
	while (!strstr(text, marker)) {
		long n = drain(100, &last);
		if (n == 0 && now_ms() - t0 > wait_s * 1000.0) {
			fprintf(stderr, "pty: no '%s' on the screen after %d s; "
				"saw: %.300s\n", marker, wait_s, text);
			kill(child, SIGKILL);
			return EX_SOFTWARE;
		}
		paint += n;
	}
	/* the first paint's clock: known unless a minute turned meanwhile */
	drawn_minute = (long)(time(NULL) / 60) == started_minute ?
		started_minute : -1;
	double painted = last;
	for (;;) {
		long n = settle(quiet_ms, &last);
		if (!n)
			break;
		paint += n;
		painted = last;
	}
	long rss, hwm, anon;
	proc_kb("VmRSS", &rss);
	proc_kb("VmHWM", &hwm);
	proc_kb("RssAnon", &anon);
	if (sanity) {
		still_stretch(10);
		ntext = 0;
		double tk = now_ms();
		send_keys("j");
		long n = settle(wait_s * 1000, &last);
		printf("paint_ms\t%.2f\npaint_bytes\t%ld\nmove_bytes\t%ld\n"
		       "move_ms\t%.2f\n", painted - t0, paint, n, last - tk);
	} else {
		printf("paint_ms\t%.2f\npaint_bytes\t%ld\nrss_kb\t%ld\n"
		       "hwm_kb\t%ld\nanon_kb\t%ld\n", painted - t0, paint, rss,
		       hwm, anon);
		fflush(stdout);
		idle_run(idle_s);
		fflush(stdout);
		if (ncmds)
			change_runs(cmds, ncmds);
		fflush(stdout);
		keys_runs(nkeys, words);
		if (pairs)
			prior_runs(pairs);
		proc_kb("VmRSS", &rss);
		proc_kb("VmHWM", &hwm);
		proc_kb("RssAnon", &anon);
		printf("end_rss_kb\t%ld\nend_hwm_kb\t%ld\nend_anon_kb\t%ld\n",
		       rss, hwm, anon);
	}
	fflush(stdout);

	/* Leave as a person would; a desk that will not go is killed. */
	quitting = 1;
	send_keys("q");
	int status = 0;
	for (double end = now_ms() + wait_s * 1000.0;;) {
		settle(0, &last);
		if (waitpid(child, &status, WNOHANG) == child)
			break;
		usleep(10000);
		if (now_ms() > end) {
			fprintf(stderr, "pty: the desk did not quit on q in %d s\n",
				wait_s);
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			return EX_SOFTWARE;
		}
	}
	close(master);
	return 0;
}
