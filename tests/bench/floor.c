/* floor.c - the queue's first page through the data layer, timed.
 *
 *   floor HUB LOGIN ROWS RUNS SQL_OUT [WORD...]
 *
 * Calls hub_queue() exactly as the queue screen does for its first page
 * (all open referrals, no search, ROWS + 1 rows: the page plus one to know
 * whether there is more), RUNS times after a warm-up, and prints p50 and
 * p99 of the call.  A profile hook on the connection catches the page
 * query itself as SQLite ran it, and writes it to SQL_OUT as a sqlite3
 * shell script (".parameter set" lines and the statement, unchanged), so
 * tests/bench/run can time the very same query in the shell: the floor.
 * With WORDs, each word's prefixes are searched as the screen does while
 * they are typed ("s", "sm", "smi", ...), and their p50/p99 printed too.
 *
 * Prints "name<TAB>value" lines: query_p50_ms query_p99_ms query_rows
 * search_p50_ms search_p99_ms search_n.
 *
 * With FLOOR_CHECKS_LOGIN set (a practitioner of an agency), "Our checks"
 * too, as the queue screen loads it for that user: the filter's first
 * page and the count of late checks on the filter line, RUNS times after a
 * warm-up: checks_rows checks_late checks_p50_ms checks_p99_ms.
 *
 * Then "Feedback due" as the queue screen loads it for LOGIN: the
 * filter's first page and the counts of feedback due and late (the filter
 * line and the board), RUNS times after a warm-up: feedback_rows
 * feedback_owed feedback_late feedback_p50_ms feedback_p99_ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "hub_internal.h"
#include "mashdesk/hub_feedback.h"

#define MAX_RUNS 100000

static char page_sql[8192];

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Remember the queue's page query (the one with LIMIT ?5 OFFSET ?6). */
static int on_profile(unsigned type, void *arg, void *p, void *x)
{
	(void)arg;
	(void)x;
	if (type != SQLITE_TRACE_PROFILE || page_sql[0])
		return 0;
	const char *sql = sqlite3_sql((sqlite3_stmt *)p);
	if (sql && strstr(sql, "FROM referral r") && strstr(sql, "LIMIT ?5"))
		snprintf(page_sql, sizeof page_sql, "%s", sql);
	return 0;
}

static int count_row(const struct queue_row *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *s, int n, int p)
{
	if (n == 0)
		return -1;
	qsort(s, (size_t)n, sizeof *s, cmp_double);
	int i = (n * p + 99) / 100 - 1;
	return s[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static double timed_queue(struct hub *hub, const struct queue_query *q,
			  int *rows)
{
	struct md_error err;
	double t0 = now_ms();
	*rows = 0;
	if (hub_queue(hub, q, count_row, rows, &err)) {
		fprintf(stderr, "floor: %s\n", err.msg);
		exit(EX_SOFTWARE);
	}
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	static double ms[MAX_RUNS];
	struct config cfg;
	struct md_error err;
	struct hub *hub;
	int rows;

	if (argc < 6) {
		fprintf(stderr, "usage: floor HUB.db LOGIN ROWS RUNS SQL_OUT [WORD...]\n");
		return EX_USAGE;
	}
	int page = atoi(argv[3]), runs = atoi(argv[4]);
	if (page < 1 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "floor: ROWS >= 1, RUNS 1..%d\n", MAX_RUNS);
		return EX_USAGE;
	}
	hub_library_init();
	config_defaults(&cfg);
	if (hub_open(&hub, argv[1], &cfg, &err) ||
	    hub_act_as(hub, argv[2], 1, &err)) {
		fprintf(stderr, "floor: %s\n", err.msg);
		return EX_SOFTWARE;
	}
	/* The floor is SQLite's shell; on PostgreSQL there is no profile
	 * hook to catch the statement with, and SQL_OUT stays empty. */
	if (hub->engine == HUB_SQLITE)
		sqlite3_trace_v2(hub->db, SQLITE_TRACE_PROFILE, on_profile, NULL);

	struct queue_query q = { .filter = HUB_FILTER_ALL, .open_only = 1,
				 .offset = 0, .limit = page + 1 };
	for (int i = 0; i < 20; i++)    /* warm-up: cache, statement */
		timed_queue(hub, &q, &rows);
	for (int i = 0; i < runs; i++)
		ms[i] = timed_queue(hub, &q, &rows);
	printf("query_rows\t%d\nquery_p50_ms\t%.3f\nquery_p99_ms\t%.3f\n",
	       rows, pct(ms, runs, 50), pct(ms, runs, 99));

	/* The shell's script: the same statement, the same values (SQLite;
	 * on PostgreSQL SQL_OUT is left empty). */
	FILE *f = fopen(argv[5], "w");
	if (!f || (hub->engine == HUB_SQLITE && !page_sql[0])) {
		fprintf(stderr, "floor: %s\n", f ? "the page query was not seen"
			: "cannot write the SQL file");
		return EX_SOFTWARE;
	}
	if (hub->engine == HUB_SQLITE)
		fprintf(f, ".parameter init\n.parameter set ?1 %lld\n"
			".parameter set ?2 %d\n.parameter set ?3 '%s'\n"
			".parameter set ?4 NULL\n.parameter set ?5 %d\n"
			".parameter set ?6 0\n.parameter set ?7 0\n%s;\n",
			(long long)time(NULL), (int)HUB_FILTER_ALL, hub->me.login,
			page + 1, page_sql);
	fclose(f);

	/* Search as the screen does while a word is typed. */
	int n = 0;
	for (int a = 6; a < argc; a++) {
		char prefix[128];
		size_t len = strlen(argv[a]);
		for (size_t k = 1; k <= len && k < sizeof prefix; k++) {
			snprintf(prefix, sizeof prefix, "%.*s", (int)k, argv[a]);
			q.search = prefix;
			timed_queue(hub, &q, &rows);     /* warm */
			for (int i = 0; i < 5 && n < MAX_RUNS; i++)
				ms[n++] = timed_queue(hub, &q, &rows);
		}
	}
	if (n)
		printf("search_n\t%d\nsearch_p50_ms\t%.3f\nsearch_p99_ms\t%.3f\n",
		       n, pct(ms, n, 50), pct(ms, n, 99));
	hub_close(hub);

	const char *checker = getenv("FLOOR_CHECKS_LOGIN");
	if (checker && *checker) {
		long late = 0;
		if (hub_open(&hub, argv[1], &cfg, &err) ||
		    hub_act_as(hub, checker, 1, &err)) {
			fprintf(stderr, "floor: %s\n", err.msg);
			return EX_SOFTWARE;
		}
		struct queue_query c = { .filter = HUB_FILTER_CHECKS, .open_only = 1,
					 .offset = 0, .limit = page + 1 };
		for (int i = 0; i < 20 + runs; i++) {
			double t0 = now_ms();
			timed_queue(hub, &c, &rows);
			if (hub_checks_late(hub, &late, &err)) {
				fprintf(stderr, "floor: %s\n", err.msg);
				return EX_SOFTWARE;
			}
			if (i >= 20)
				ms[i - 20] = now_ms() - t0;
		}
		printf("checks_rows\t%d\nchecks_late\t%ld\nchecks_p50_ms\t%.3f\n"
		       "checks_p99_ms\t%.3f\n", rows, late, pct(ms, runs, 50),
		       pct(ms, runs, 99));
		hub_close(hub);
	}

	if (hub_open(&hub, argv[1], &cfg, &err) ||
	    hub_act_as(hub, argv[2], 1, &err)) {
		fprintf(stderr, "floor: %s\n", err.msg);
		return EX_SOFTWARE;
	}
	struct queue_query fq = { .filter = HUB_FILTER_FEEDBACK, .offset = 0,
				  .limit = page + 1 };
	struct feedback_counts fc = { { 0 }, { 0 } };
	for (int i = 0; i < 20 + runs; i++) {
		double t0 = now_ms();
		timed_queue(hub, &fq, &rows);
		if (hub_feedback_counts(hub, &fc, &err)) {
			fprintf(stderr, "floor: %s\n", err.msg);
			return EX_SOFTWARE;
		}
		if (i >= 20)
			ms[i - 20] = now_ms() - t0;
	}
	printf("feedback_rows\t%d\nfeedback_owed\t%ld\nfeedback_late\t%ld\n"
	       "feedback_p50_ms\t%.3f\nfeedback_p99_ms\t%.3f\n", rows,
	       fc.due[FEEDBACK_ACK] + fc.due[FEEDBACK_OUTCOME],
	       fc.late[FEEDBACK_ACK] + fc.late[FEEDBACK_OUTCOME],
	       pct(ms, runs, 50), pct(ms, runs, 99));
	hub_close(hub);
	return 0;
}
