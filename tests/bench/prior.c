/* prior.c - prior history through the data layer, timed.
 *
 *   prior HUB LOGIN RUNS
 *
 * Takes RUNS referrals of the hub at random and, for each, asks
 * hub_prior_history() what the contact form asks while that child's
 * details are typed: when the date of birth is left (name and date of
 * birth), and when the address is left (name, date of birth, aliases and
 * address) -- the lookups of a phone call about a child known to the hub,
 * the costly case (a child never seen matches nothing).  After a warm-up
 * of 20, prints p50, p99 and the slowest, and how many matches a lookup
 * found on average.
 *
 * Prints "name<TAB>value" lines: prior_n prior_p50_ms prior_p99_ms
 * prior_max_ms prior_matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "hub_internal.h"
#include "mashdesk/hub_prior.h"

#define MAX_RUNS 20000

struct sample {
	char name[MD_NAME_MAX], dob[12], aliases[400], address[400];
};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const double *s, int n, int p)
{
	int i = (n * p + 99) / 100 - 1;
	return n ? s[i < 0 ? 0 : i >= n ? n - 1 : i] : -1;
}

static int count(const struct prior_match *m, void *arg)
{
	(void)m;
	++*(long *)arg;
	return 0;
}

/* RUNS referrals at random (ids are dense from 1); through the data
 * layer's statements, so on either engine. */
static int pick(struct hub *hub, struct sample *s, int n)
{
	static const char max_sql[] = "SELECT max(id) FROM referral";
	static const char sql[] =
		"SELECT child_name, dob, coalesce(address, ''),"
		" coalesce((SELECT group_concat(alias, ';') FROM referral_alias"
		"  WHERE referral_id = r.id), '')"
		" FROM referral r WHERE id = ?";
	struct md_error err;
	struct db_stmt *st = hub_stmt(hub, max_sql, &err);
	long long max = 0;
	int got = 0;

	if (!st)
		return -1;
	if (db_step(st) == DB_ROW)
		max = db_column_int64(st, 0);
	hub_reset(st);
	if (max < 1 || !(st = hub_stmt(hub, sql, &err)))
		return -1;
	srand(1);
	for (int tries = 0; got < n && tries < 10 * n; tries++) {
		db_bind_int64(st, 1, 1 + (long long)(
			(double)rand() / ((double)RAND_MAX + 1) * (double)max));
		if (db_step(st) == DB_ROW) {
			struct sample *x = &s[got++];
			hub_col_text(st, 0, x->name, sizeof x->name);
			hub_col_text(st, 1, x->dob, sizeof x->dob);
			hub_col_text(st, 2, x->address, sizeof x->address);
			hub_col_text(st, 3, x->aliases, sizeof x->aliases);
		}
		hub_reset(st);
	}
	return got;
}

int main(int argc, char **argv)
{
	static double ms[2 * MAX_RUNS];
	static struct sample samples[MAX_RUNS];
	struct config cfg;
	struct md_error err;
	struct hub *hub;
	char allocated[MD_NAME_MAX];
	long matches = 0;
	int n = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: prior HUB.db LOGIN RUNS\n");
		return EX_USAGE;
	}
	int runs = atoi(argv[3]);
	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "prior: RUNS 1..%d\n", MAX_RUNS);
		return EX_USAGE;
	}
	hub_library_init();
	config_defaults(&cfg);
	if (hub_open(&hub, argv[1], &cfg, &err) ||
	    hub_act_as(hub, argv[2], 1, &err)) {
		fprintf(stderr, "prior: %s\n", err.msg);
		return EX_SOFTWARE;
	}
	int got = pick(hub, samples, runs + 20);
	if (got < 21) {
		fprintf(stderr, "prior: too few referrals to sample\n");
		return EX_SOFTWARE;
	}
	for (int i = 0; i < got; i++) {
		const struct sample *x = &samples[i];
		/* the date of birth left, then the address */
		struct prior_query asks[2] = {
			{ x->name, x->dob, NULL, NULL, 0 },
			{ x->name, x->dob, x->aliases, x->address, 0 },
		};
		for (int k = 0; k < 2; k++) {
			long found = 0;
			double t0 = now_ms();
			if (hub_prior_history(hub, &asks[k], count, &found,
					      allocated, &err)) {
				fprintf(stderr, "prior: %s\n", err.msg);
				return EX_SOFTWARE;
			}
			double t = now_ms() - t0;
			if (i < 20)
				continue;       /* warm-up: cache, statement */
			ms[n++] = t;
			matches += found;
		}
	}
	qsort(ms, (size_t)n, sizeof ms[0], cmp_double);
	printf("prior_n\t%d\nprior_p50_ms\t%.3f\nprior_p99_ms\t%.3f\n"
	       "prior_max_ms\t%.3f\nprior_matches\t%.1f\n", n, pct(ms, n, 50),
	       pct(ms, n, 99), n ? ms[n - 1] : -1.0,
	       n ? (double)matches / n : 0.0);
	hub_close(hub);
	return 0;
}
