/* writers.c - many desks saving at once: a benchmark that prints figures.
 *
 *   writers HUB.db N [OPS] [THINK_MS]
 *
 * Creates a training hub at HUB.db (replacing it), then forks N writer
 * processes, each acting as its own practitioner, doing OPS operations with
 * a realistic mix (take in a referral 30%, claim 20%, record a check 35%,
 * decide 15%) and a random think time around THINK_MS between them, while a
 * watcher polls for changes as a desk does.  Prints one line: commits per
 * second, p50/p99 save latency, waits for another writer, busy errors that
 * reached a user, and how long a new referral took to be seen by the
 * watcher.  Timings are for reading, not asserting: no test depends on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/hub.h"

#define MAX_WRITERS 256
#define MAX_OPS 400
#define MAX_ADDS (MAX_WRITERS * MAX_OPS)

struct shared {
	long long lat_us[MAX_WRITERS][MAX_OPS];   /* each save's latency */
	int nlat[MAX_WRITERS];
	long long busy_waits[MAX_WRITERS];
	int busy_errors[MAX_WRITERS];
	int conflicts[MAX_WRITERS];
	int failures[MAX_WRITERS];
	/* referral id -> when its commit returned / when the watcher saw it */
	long long committed_ns[MAX_ADDS + 64];
	long long seen_ns[MAX_ADDS + 64];
	volatile int writers_done;
};

static const char *const agencies[] = { "police", "csc", "health", "education",
					"probation", "housing" };

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct hub *open_as(const char *path, const char *login)
{
	struct config cfg;
	struct md_error err;
	struct hub *hub;
	config_defaults(&cfg);
	if (hub_open(&hub, path, &cfg, &err) || hub_act_as(hub, login, 1, &err)) {
		fprintf(stderr, "writers: %s\n", err.msg);
		exit(EX_SOFTWARE);
	}
	return hub;
}

static void setup(const char *path, int n)
{
	struct config cfg;
	struct md_error err;
	char base[4096];
	config_defaults(&cfg);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(base, sizeof base, "%s%s", path, suffix[i]);
		unlink(base);
	}
	struct hub_create_opts o = { .name = "Bench", .training = 1, .admin_login = "admin" };
	if (hub_create(path, &cfg, &o, &err)) {
		fprintf(stderr, "writers: %s\n", err.msg);
		exit(EX_CANTCREAT);
	}
	struct hub *admin = open_as(path, "admin");
	for (int i = 0; i < n; i++) {
		struct user u = { .role = "practitioner", .active = 1 };
		snprintf(u.login, sizeof u.login, "w%03d", i);
		snprintf(u.name, sizeof u.name, "Writer %d", i);
		snprintf(u.agency, sizeof u.agency, "%s", agencies[i % 6]);
		if (hub_user_add(admin, &u, &err)) {
			fprintf(stderr, "writers: %s\n", err.msg);
			exit(EX_SOFTWARE);
		}
	}
	hub_close(admin);
	struct hub *w = open_as(path, "w000");
	for (int i = 0; i < 50; i++) {
		char ref[MD_REF_MAX];
		struct referral_input in = { .child_name = "Seed Child", .dob = "2015-01-01",
					     .concern = "Seed.", .rag = "amber", .parents_aware = -1 };
		hub_referral_add(w, &in, ref, &err);
	}
	hub_close(w);
}

static int one_op(struct hub *hub, int r, int i, struct shared *sh,
		  struct md_error *err)
{
	char ref[MD_REF_MAX];
	snprintf(ref, sizeof ref, "R%06d", 1 + rand() % (50 + i * 2 + 1));
	if (r < 30) {
		struct referral_input in = { .child_name = "Bench Child", .dob = "2014-02-02",
					     .concern = "A worry.", .rag = "red", .parents_aware = -1 };
		int status = hub_referral_add(hub, &in, ref, err);
		long long id = atoll(ref + 1);
		if (!status && id < MAX_ADDS + 64)
			sh->committed_ns[id] = now_ns();
		return status;
	}
	if (r < 50)
		return hub_claim(hub, ref, err);
	if (r < 85) {
		struct check_input c = { .status = "complete", .info = "Known.",
					 .basis = "public-task" };
		return hub_check_record(hub, ref, &c, err);
	}
	struct decision_input d = { .outcome = "advice", .rationale = "Signposted." };
	return hub_decide(hub, ref, &d, err);
}

static void writer(const char *path, int w, int ops, int think, struct shared *sh)
{
	char login[16];
	snprintf(login, sizeof login, "w%03d", w);
	srand((unsigned)(w * 7919 + 17));
	struct hub *hub = open_as(path, login);
	for (int i = 0; i < ops; i++) {
		if (think > 0)
			usleep((useconds_t)(rand() % (2 * think * 1000 + 1)));
		struct md_error err;
		long long t0 = now_ns();
		int status = one_op(hub, rand() % 100, i, sh, &err);
		sh->lat_us[w][sh->nlat[w]++] = (now_ns() - t0) / 1000;
		if (status == EX_TEMPFAIL && strstr(err.msg, "busy"))
			sh->busy_errors[w]++;
		else if (status == EX_TEMPFAIL)
			sh->conflicts[w]++;
		else if (status && status != EX_DATAERR)
			sh->failures[w]++;
	}
	sh->busy_waits[w] = hub_busy_waits(hub);
	hub_close(hub);
	_exit(0);
}

struct watch {
	struct shared *sh;
};

static int watch_cb(const struct hub_change *c, void *arg)
{
	struct shared *sh = arg;
	if (!strcmp(c->what, "referral") && c->referral_id > 0 &&
	    c->referral_id < MAX_ADDS + 64 && !sh->seen_ns[c->referral_id])
		sh->seen_ns[c->referral_id] = now_ns();
	return 0;
}

static void watcher(const char *path, struct shared *sh)
{
	struct hub *hub = open_as(path, "w000");
	while (!sh->writers_done) {
		int changed, reload;
		struct md_error err;
		hub_poll_changes(hub, &changed, &reload, watch_cb, sh, &err);
		usleep(5000);
	}
	hub_close(hub);
	_exit(0);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static long long pct(long long *v, int n, int p)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_ll);
	return v[(long)(n - 1) * p / 100];
}

static void report(int n, double secs, struct shared *sh)
{
	static long long all[MAX_WRITERS * MAX_OPS], seen[MAX_ADDS];
	int nall = 0, nseen = 0;
	long long waits = 0;
	int busy = 0, conflicts = 0, failures = 0;
	for (int w = 0; w < n; w++) {
		for (int i = 0; i < sh->nlat[w]; i++)
			all[nall++] = sh->lat_us[w][i];
		waits += sh->busy_waits[w];
		busy += sh->busy_errors[w];
		conflicts += sh->conflicts[w];
		failures += sh->failures[w];
	}
	for (int id = 0; id < MAX_ADDS + 64 && nseen < MAX_ADDS; id++)
		if (sh->committed_ns[id] && sh->seen_ns[id])
			seen[nseen++] = (sh->seen_ns[id] - sh->committed_ns[id]) / 1000;
	printf("%4d writers  %6d saves  %7.0f commits/s  p50 %6.1f ms  p99 %7.1f ms"
	       "  waits %6lld  busy errors %d  conflicts %d  other %d"
	       "  seen p50 %5.1f ms p99 %6.1f ms\n",
	       n, nall, nall / secs, pct(all, nall, 50) / 1000.0,
	       pct(all, nall, 99) / 1000.0, waits, busy, conflicts, failures,
	       pct(seen, nseen, 50) / 1000.0, pct(seen, nseen, 99) / 1000.0);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: writers HUB.db N [OPS] [THINK_MS]\n");
		return EX_USAGE;
	}
	int n = atoi(argv[2]), ops = argc > 3 ? atoi(argv[3]) : 40;
	int think = argc > 4 ? atoi(argv[4]) : 20;
	if (n < 1 || n > MAX_WRITERS || ops < 1 || ops > MAX_OPS) {
		fprintf(stderr, "writers: N 1..%d, OPS 1..%d\n", MAX_WRITERS, MAX_OPS);
		return EX_USAGE;
	}
	hub_library_init();
	setup(argv[1], n);
	struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return EX_OSERR;
	pid_t watch = fork();
	if (watch == 0)
		watcher(argv[1], sh);
	long long t0 = now_ns();
	for (int w = 0; w < n; w++)
		if (fork() == 0)
			writer(argv[1], w, ops, think, sh);
	for (int w = 0; w < n; w++)
		wait(NULL);
	double secs = (now_ns() - t0) / 1e9;
	sh->writers_done = 1;
	waitpid(watch, NULL, 0);
	report(n, secs, sh);
	return 0;
}
