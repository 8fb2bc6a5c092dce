/* backup.c - a backup while desks save: a benchmark that prints figures.
 *
 *   backup HUB.db COPY.db N THINK_MS MODE
 *
 * Forks N writer processes, each a practitioner of the (training) hub,
 * taking in a contact every ~THINK_MS (random 0..2x) as desks do, and
 * times every save.  After a quiet lead-in it takes a copy of the hub at
 * COPY.db (removed first) while they save, then lets them go on for as
 * long again.  MODE is how the copy is taken:
 *
 *   api[:PAGES[:PAUSE_US[:lazy]]]  hub_backup(), the data layer's backup
 *                           (what `mashdesk backup` runs), with these
 *                           steps (lazy: no fdatasync after each)
 *   vacuum                  VACUUM INTO from a connection of its own,
 *                           for comparison (not a product path)
 *   none                    no copy: the writers alone, as long
 *
 * Prints lines of "name<TAB>value": the copy's time (and the check's),
 * and the saves' p50/p99/max before and after the copy and during it.
 * Timings are for reading, not asserting: no test depends on them. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "mashdesk/hub.h"
#include "mashdesk/hub_backup.h"

#define MAX_WRITERS 64
#define MAX_SAVES 20000

struct save { long long start_ns, lat_us; };

struct shared {
	struct save saves[MAX_WRITERS][MAX_SAVES];
	int n[MAX_WRITERS];
	int failures[MAX_WRITERS];
	volatile int stop;
};

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct hub *open_as(const char *path, const char *login)
{
	struct config cfg;
	struct md_error err;
	struct hub *hub;
	config_defaults(&cfg);
	if (hub_open(&hub, path, &cfg, &err) || hub_act_as(hub, login, 1, &err)) {
		fprintf(stderr, "bench backup: %s\n", err.msg);
		exit(EX_SOFTWARE);
	}
	return hub;
}

/* Logins of the hub: n practitioners, and an admin. */
static int logins(const char *path, char names[][64], int n, char *admin)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int k = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT login FROM app_user WHERE role ="
			       " 'practitioner' AND active ORDER BY login LIMIT ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, n);
		while (k < n && sqlite3_step(st) == SQLITE_ROW)
			snprintf(names[k++], 64, "%s", sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	admin[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT login FROM app_user WHERE role = 'admin'"
			       " ORDER BY rowid LIMIT 1", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(admin, 64, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return k;
}

static void writer(const char *path, const char *login, int w, int think,
		   struct shared *sh)
{
	srand((unsigned)(w * 7919 + 17));
	struct hub *hub = open_as(path, login);
	while (!sh->stop && sh->n[w] < MAX_SAVES) {
		usleep((useconds_t)(rand() % (2 * think * 1000 + 1)));
		struct referral_input in = { .child_name = "Bench Child",
					     .dob = "2014-02-02", .concern = "A worry.",
					     .rag = "amber", .parents_aware = -1 };
		char ref[MD_REF_MAX];
		struct md_error err;
		long long t0 = now_ns();
		int status = hub_referral_add(hub, &in, ref, &err);
		long long t1 = now_ns();
		sh->saves[w][sh->n[w]++] = (struct save){ t0, (t1 - t0) / 1000 };
		if (status)
			sh->failures[w]++;
	}
	hub_close(hub);
	_exit(0);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* p50, p99 (nearest rank) and max of the saves started in [from, to). */
static void figures(const char *name, struct shared *sh, int n, long long from,
		    long long to)
{
	static long long v[MAX_WRITERS * MAX_SAVES];
	int k = 0;
	for (int w = 0; w < n; w++)
		for (int i = 0; i < sh->n[w]; i++)
			if (sh->saves[w][i].start_ns >= from && sh->saves[w][i].start_ns < to)
				v[k++] = sh->saves[w][i].lat_us;
	qsort(v, (size_t)k, sizeof *v, cmp_ll);
	long long p50 = k ? v[(k * 50 + 99) / 100 - 1] : 0;
	long long p99 = k ? v[(k * 99 + 99) / 100 - 1] : 0;
	printf("%s_saves\t%d\n%s_p50_ms\t%.2f\n%s_p99_ms\t%.2f\n%s_max_ms\t%.2f\n",
	       name, k, name, p50 / 1000.0, name, p99 / 1000.0, name,
	       k ? v[k - 1] / 1000.0 : 0.0);
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: backup HUB.db COPY.db N THINK_MS "
			"api[:PAGES[:PAUSE_US]]|vacuum|none\n");
		return EX_USAGE;
	}
	const char *hub_path = argv[1], *copy = argv[2], *mode = argv[5];
	int n = atoi(argv[3]), think = atoi(argv[4]);
	if (n < 1 || n > MAX_WRITERS || think < 1)
		return EX_USAGE;
	hub_library_init();
	static char names[MAX_WRITERS][64];
	char admin[64];
	if (logins(hub_path, names, n, admin) < n || !admin[0]) {
		fprintf(stderr, "bench backup: %s lacks %d practitioners or an "
			"admin\n", hub_path, n);
		return EX_DATAERR;
	}
	unlink(copy);
	struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return EX_OSERR;
	for (int w = 0; w < n; w++)
		if (fork() == 0)
			writer(hub_path, names[w], w, think, sh);
	long long lead = 3000000000LL;      /* 3 s of saves before the copy */
	usleep((useconds_t)(lead / 1000));
	long long b0 = now_ns();
	int status = 0;
	double check_s = 0;
	if (strncmp(mode, "api", 3) == 0) {
		struct hub_backup_opts o = { .path = copy, .pause_us = -1 };
		const char *p = strchr(mode, ':');
		if (p) {
			o.pages_per_step = atoi(p + 1);
			if ((p = strchr(p + 1, ':')))
				o.pause_us = atoi(p + 1);
			if (p && (p = strchr(p + 1, ':')))
				o.lazy = strcmp(p + 1, "lazy") == 0;
		}
		struct hub *hub = open_as(hub_path, admin);
		struct hub_backup_result r;
		struct md_error err;
		status = hub_backup(hub, &o, &r, &err);
		if (status)
			fprintf(stderr, "bench backup: %s\n", err.msg);
		check_s = r.check_seconds;
		printf("steps\t%lld\npages\t%lld\n", r.steps, r.pages);
		hub_close(hub);
	} else if (strcmp(mode, "vacuum") == 0) {
		sqlite3 *db;
		sqlite3_stmt *st = NULL;
		if (sqlite3_open_v2(hub_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &st, NULL) != SQLITE_OK) {
			status = 1;
		} else {
			sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE) {
				fprintf(stderr, "bench backup: %s\n", sqlite3_errmsg(db));
				status = 1;
			}
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
	} else if (strcmp(mode, "none") == 0) {
		usleep(5000000);
	} else {
		fprintf(stderr, "bench backup: unknown mode %s\n", mode);
		status = EX_USAGE;
	}
	long long b1 = now_ns();
	usleep((useconds_t)(lead / 1000));
	sh->stop = 1;
	for (int w = 0; w < n; w++)
		wait(NULL);
	long long end = now_ns();
	int failures = 0;
	for (int w = 0; w < n; w++)
		failures += sh->failures[w];
	printf("mode\t%s\nwriters\t%d\nthink_ms\t%d\n", mode, n, think);
	printf("backup_s\t%.2f\ncheck_s\t%.2f\ncopy_s\t%.2f\n",
	       (b1 - b0) / 1e9, check_s, (b1 - b0) / 1e9 - check_s);
	figures("outside", sh, n, 0, b0);
	figures("copying", sh, n, b0, b1 - (long long)(check_s * 1e9));
	figures("during", sh, n, b0, b1);
	figures("after", sh, n, b1, end);
	printf("failed_saves\t%d\nstatus\t%d\n", failures, status);
	return status ? 1 : 0;
}
