/* test_migrate.c - opening and creating hubs, and bringing old ones up to
 * date.  A hub's schema is the numbered files in db/migrations, embedded
 * at build time and counted by PRAGMA user_version.  These tests protect:
 * a new hub is sound and at the latest version; a hub of any earlier
 * version is upgraded with its data (and search) intact, once, even when
 * two desks open it at the same moment; anything that is not a hub of a
 * version we understand is refused with the right exit code and left as it
 * was; and hub_create never overwrites or half-makes a file. */
/* nftw, setgroups, fmemopen; the build may define it already. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/config.h"
#include "mashdesk/hub.h"
#include "mashdesk/text.h"
/* hub_migrations[] and hub_migration_count, from the embedded schema. */
#include "hub_internal.h"

#ifndef MIGRATIONS_DIR
#error "the build must define MIGRATIONS_DIR as the path of db/migrations"
#endif

/* ---- one directory per test ------------------------------------------------ */

static char dir[64];            /* this test's temporary directory */
static char path[128];          /* the hub file the test works on */
static struct config cfg;
static struct md_error err;
static struct hub *hub;         /* a hub a test holds open, closed in teardown */
/* Buffers a test reads files into; freed in teardown, so that a failed
 * assertion (which leaves the test at once) leaks nothing. */
static char *held[32];
static int nheld;

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-migrate-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
	snprintf(path, sizeof path, "%s/hub.db", dir);
	config_defaults(&cfg);
	md_clear(&err);
}

static int remove_one(const char *p, const struct stat *sb, int type,
		      struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP || type == FTW_D)
		chmod(p, 0700);   /* a test may have locked it */
	remove(p);
	return 0;
}

static void teardown(void)
{
	hub_close(hub);
	hub = NULL;
	while (nheld > 0)
		free(held[--nheld]);
	if (dir[0])
		nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(migrate, .init = setup, .fini = teardown, .timeout = 120);

/* ---- helpers ---------------------------------------------------------------- */

static const struct hub_create_opts create_opts = {
	.name = "T", .training = 1, .admin_login = "admin"
};

static void create_hub(const char *p)
{
	md_clear(&err);
	cr_assert_eq(hub_create(p, &cfg, &create_opts, &err), 0,
		     "hub_create: %s", err.msg);
}

static char *join(const char *name)
{
	static char buf[4][192];
	static int next;
	char *b = buf[next++ % 4];
	snprintf(b, sizeof buf[0], "%s/%s", dir, name);
	return b;
}

static int exists(const char *p)
{
	struct stat sb;
	return lstat(p, &sb) == 0;
}

/* A whole file in memory, to check that a refusal changed nothing. */
struct snap {
	char *data;
	size_t len;
};

static struct snap snap_take(const char *p)
{
	struct snap s = { 0 };
	FILE *f = fopen(p, "rb");
	cr_assert_not_null(f, "%s: %s", p, strerror(errno));
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	s.len = (size_t)n;
	cr_assert_lt(nheld, 32);
	s.data = held[nheld++] = malloc(s.len + 1);
	cr_assert_not_null(s.data);
	cr_assert_eq(fread(s.data, 1, s.len, f), s.len);
	fclose(f);
	return s;
}

static void assert_unchanged(const char *p, struct snap *before)
{
	struct snap now = snap_take(p);
	cr_assert_eq(now.len, before->len, "%s: %zu bytes, was %zu", p,
		     now.len, before->len);
	cr_assert_eq(memcmp(now.data, before->data, now.len), 0,
		     "%s: contents changed", p);
}

static void write_file(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");
	cr_assert_not_null(f, "%s: %s", p, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* Deterministic "random" bytes: the same every run. */
static void fill_noise(unsigned char *b, size_t n, unsigned seed)
{
	unsigned x = seed;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
}

/* md_normalise, as every hub connection has it (hub_db.c): an old hub
 * built here runs the migrations that use it (0010 on). */
static void raw_normalise(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[1024];
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	text_normalise(key, sizeof key, (const char *)sqlite3_value_text(argv[0]));
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

/* Plain SQLite on a file, outside the data layer. */
static sqlite3 *raw_open(const char *p)
{
	sqlite3 *db = NULL;
	cr_assert_eq(sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE |
				     SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_create_function_v2(db, "md_normalise", 1,
						SQLITE_UTF8 | SQLITE_DETERMINISTIC,
						NULL, raw_normalise, NULL, NULL,
						NULL), SQLITE_OK);
	return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_OK, "%.80s...: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

static void exec_on(const char *p, const char *sql)
{
	sqlite3 *db = raw_open(p);
	raw_exec(db, sql);
	sqlite3_close(db);
}

static long long sql_int(const char *p, const char *sql)
{
	sqlite3 *db = raw_open(p);
	sqlite3_stmt *st = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void assert_sql_text(const char *p, const char *sql, const char *want)
{
	sqlite3 *db = raw_open(p);
	sqlite3_stmt *st = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	const char *got = (const char *)sqlite3_column_text(st, 0);
	cr_assert_str_eq(got ? got : "(null)", want, "%s", sql);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The database is whole: integrity_check says "ok" and no foreign key
 * points nowhere. */
static void assert_sound(const char *p)
{
	assert_sql_text(p, "PRAGMA integrity_check", "ok");
	cr_assert_eq(sql_int(p, "SELECT count(*) FROM pragma_foreign_key_check"),
		     0, "foreign_key_check found rows");
}

/* hub_open must refuse p with code, a message holding `want`, and no hub. */
static void assert_open_refused(const char *p, int code, const char *want)
{
	struct hub *got = (struct hub *)1;
	md_clear(&err);
	int rc = hub_open(&got, p, &cfg, &err);
	if (rc == 0) {
		hub_close(got);
		got = NULL;
		cr_assert_fail("hub_open %s succeeded; expected %d", p, code);
	}
	cr_assert_null(got, "a refused open handed back a hub");
	cr_assert_eq(rc, code, "hub_open %s returned %d, not %d (%s)", p, rc,
		     code, err.msg);
	cr_assert_eq(err.code, code);
	cr_assert_not_null(strstr(err.msg, want), "message lacks \"%s\": %s",
			   want, err.msg);
}

/* Build by hand the hub an older mashdesk would have made at schema
 * version k: migrations 1..k, user_version k, the hub row, an admin and a
 * practitioner, and one referral with an alias written with SQL that is
 * valid at version 1 (the referral table's first shape). */
static void build_old_hub(const char *p, int k)
{
	sqlite3 *db = raw_open(p);
	raw_exec(db, "PRAGMA journal_mode = WAL");
	raw_exec(db, "BEGIN");
	for (int i = 0; i < k; i++)
		raw_exec(db, hub_migrations[i]);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", k);
	raw_exec(db, sql);
	raw_exec(db,
		 "INSERT INTO hub (id, name, mode, created_at)"
		 " VALUES (1, 'T', 'training', 0);"
		 "INSERT INTO app_user (login, name, agency, role, active, created_at)"
		 " VALUES ('admin', 'Hub Admin', NULL, 'admin', 1, 0),"
		 " ('pat', 'Pat Ellery', 'police', 'practitioner', 1, 0);"
		 "INSERT INTO referral (id, ref, child_name, name_key, dob, concern,"
		 " status, received_at, due_at, created_by, updated_at)"
		 " VALUES (1, 'R000001', 'Ada Quill', 'ada quill', '2016-04-12',"
		 " 'Seen alone at the bus station at night, twice.', 'new',"
		 " 1767225600, 1767312000, 'admin', 1767225600);"
		 "INSERT INTO referral_alias (referral_id, alias)"
		 " VALUES (1, 'Wren Quill');");
	/* From version 3 on, the data layer indexes each referral it adds
	 * (hub_search_index); do what it would have done. */
	if (k >= 3)
		raw_exec(db, "INSERT INTO referral_search (rowid, ref, child_name,"
			 " aliases) VALUES (1, 'R000001', 'Ada Quill', 'Wren Quill')");
	raw_exec(db, "COMMIT");
	cr_assert_eq(sqlite3_close(db), SQLITE_OK);
	/* as mashdesk would have made it: not open to everyone */
	cr_assert_eq(chmod(p, 0640), 0);
}

/* Every version a hub can be upgraded from: 1 .. latest-1. */
static int old_versions[256];

static size_t list_old_versions(void)
{
	size_t n = 0;
	for (int k = 1; k < hub_schema_latest() && n < 256; k++)
		old_versions[n++] = k;
	return n;
}

struct seen {
	int n;
	char ref[MD_REF_MAX];
};

static int seen_cb(const struct queue_row *r, void *arg)
{
	struct seen *s = arg;
	if (s->n++ == 0)
		snprintf(s->ref, sizeof s->ref, "%s", r->ref);
	return 0;
}

static struct seen search(struct hub *h, const char *text)
{
	struct seen s = { 0 };
	struct queue_query q = { .filter = HUB_FILTER_ALL, .search = text,
				 .open_only = 0 };
	md_clear(&err);
	cr_assert_eq(hub_queue(h, &q, seen_cb, &s, &err), 0, "queue: %s",
		     err.msg);
	return s;
}

/* ---- a new hub ---------------------------------------------------------------- */

/* hub_create makes a hub at the latest schema that SQLite finds sound,
 * in WAL mode, with its hub row and admin. */
Test(migrate, fresh_hub_is_latest_and_sound)
{
	cr_assert_gt(hub_schema_latest(), 0);
	cr_assert_eq(hub_schema_latest(), hub_migration_count);
	create_hub(path);
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), hub_schema_latest());
	assert_sound(path);
	assert_sql_text(path, "PRAGMA journal_mode", "wal");
	assert_sql_text(path, "SELECT name || '|' || mode FROM hub",
			"T|training");
	assert_sql_text(path, "SELECT group_concat(login || ':' || role) "
			"FROM app_user", "admin:admin");
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM agency"), 6);

	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	struct hub_info info;
	hub_get_info(hub, &info);
	cr_assert_eq(info.schema_version, hub_schema_latest());
	cr_assert_str_eq(info.name, "T");
	cr_assert_eq(info.training, 1);
	hub_close(hub);
	hub = NULL;
	/* Opening an up-to-date hub applies nothing again. */
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), hub_schema_latest());
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM agency"), 6);
}

/* ---- upgrading -------------------------------------------------------------- */

ParameterizedTestParameters(migrate, upgrade_keeps_data)
{
	size_t n = list_old_versions();
	return cr_make_param_array(int, old_versions, n);
}

/* A hub left at version k by an older mashdesk is brought to the latest
 * version by hub_open, and keeps its hub, users and referrals exactly. */
ParameterizedTest(int *k, migrate, upgrade_keeps_data)
{
	build_old_hub(path, *k);
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), *k);
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0,
		     "opening a version %d hub: %s", *k, err.msg);
	hub_close(hub);
	hub = NULL;
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), hub_schema_latest(),
		     "from version %d", *k);
	assert_sound(path);
	assert_sql_text(path, "SELECT name || '|' || mode FROM hub",
			"T|training");
	assert_sql_text(path, "SELECT group_concat(login, ',') FROM "
			"(SELECT login FROM app_user ORDER BY login)",
			"admin,pat");
	assert_sql_text(path, "SELECT ref || '|' || child_name || '|' || dob "
			"|| '|' || concern || '|' || status FROM referral",
			"R000001|Ada Quill|2016-04-12|Seen alone at the bus "
			"station at night, twice.|new");
	assert_sql_text(path, "SELECT alias FROM referral_alias", "Wren Quill");
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM referral"), 1);
	/* Code tables hold each code once. */
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM agency"), 6);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM outcome"), 6);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM rag"), 3);
}

ParameterizedTestParameters(migrate, upgrade_keeps_search)
{
	size_t n = list_old_versions();
	return cr_make_param_array(int, old_versions, n);
}

/* After an upgrade, search finds referrals written before it (by name
 * and by alias) as well as those added after it. */
ParameterizedTest(int *k, migrate, upgrade_keeps_search)
{
	build_old_hub(path, *k);
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0,
		     "opening a version %d hub: %s", *k, err.msg);
	cr_assert_eq(hub_act_as(hub, "pat", 1, &err), 0, "%s", err.msg);

	struct referral_input in = {
		.child_name = "Milo Hartigan", .dob = "2017-03-03",
		.concern = "Added after the upgrade", .aliases = "Mo Hart",
		.parents_aware = -1,
	};
	char ref[MD_REF_MAX];
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ref, "R000002");
	struct seen s = search(hub, "Hartigan");
	cr_assert_eq(s.n, 1, "new referral not found after upgrade from %d", *k);
	cr_assert_str_eq(s.ref, "R000002");
	cr_assert_eq(search(hub, "Mo Hart").n, 1);

	s = search(hub, "Quill");
	cr_assert_eq(s.n, 1, "referral written at version %d not found by "
		     "name after the upgrade", *k);
	cr_assert_str_eq(s.ref, "R000001");
	s = search(hub, "Wren");
	cr_assert_eq(s.n, 1, "referral written at version %d not found by "
		     "alias after the upgrade", *k);
	cr_assert_str_eq(s.ref, "R000001");
	hub_close(hub);
	hub = NULL;
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM referral_search"), 2);
}

/* Two desks opening the same old hub at the same moment: both succeed,
 * and each migration is applied exactly once (an applied-twice migration
 * would fail one of them, or double the code tables). */
Test(migrate, concurrent_upgrade_applies_each_migration_once)
{
	for (int round = 0; round < 8; round++) {
		char name[32];
		snprintf(name, sizeof name, "race-%d.db", round);
		char *p = join(name);
		build_old_hub(p, 1);
		int go[2];
		cr_assert_eq(pipe(go), 0);
		pid_t kids[2];
		for (int i = 0; i < 2; i++) {
			kids[i] = fork();
			cr_assert_geq(kids[i], 0, "fork: %s", strerror(errno));
			if (kids[i] == 0) {
				char c;
				close(go[1]);
				/* Wait for the starting gun, then race. */
				if (read(go[0], &c, 1) != 1)
					_exit(100);
				struct hub *mine = NULL;
				struct md_error e = { 0 };
				int rc = hub_open(&mine, p, &cfg, &e);
				if (rc)
					fprintf(stderr, "child %d: %s\n", i, e.msg);
				hub_close(mine);
				_exit(rc);
			}
		}
		close(go[0]);
		cr_assert_eq(write(go[1], "gg", 2), 2);
		close(go[1]);
		for (int i = 0; i < 2; i++) {
			int ws = 0;
			cr_assert_eq(waitpid(kids[i], &ws, 0), kids[i]);
			cr_assert(WIFEXITED(ws), "round %d: child %d died", round, i);
			cr_assert_eq(WEXITSTATUS(ws), 0, "round %d: child %d's "
				     "hub_open returned %d", round, i,
				     WEXITSTATUS(ws));
		}
		cr_assert_eq(sql_int(p, "PRAGMA user_version"), hub_schema_latest());
		assert_sound(p);
		cr_assert_eq(sql_int(p, "SELECT count(*) FROM agency"), 6);
		cr_assert_eq(sql_int(p, "SELECT count(*) FROM outcome"), 6);
		cr_assert_eq(sql_int(p, "SELECT count(*) FROM (SELECT code FROM "
				     "category GROUP BY code HAVING count(*) > 1)"),
			     0);
		cr_assert_eq(sql_int(p, "SELECT count(*) FROM sqlite_master "
				     "WHERE name = 'referral_search'"), 1);
		cr_assert_eq(sql_int(p, "SELECT count(*) FROM referral"), 1);
	}
}

/* ---- what is refused -------------------------------------------------------- */

/* A hub from a newer mashdesk is refused, not opened and misread, and
 * left as it was. */
Test(migrate, newer_schema_refused)
{
	create_hub(path);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		 hub_schema_latest() + 1);
	exec_on(path, sql);
	struct snap before = snap_take(path);
	assert_open_refused(path, EX_DATAERR, "newer");
	assert_unchanged(path, &before);
	cr_assert_eq(sql_int(path, "PRAGMA user_version"),
		     hub_schema_latest() + 1);
}

/* Files that are not SQLite at all: refused as bad data, untouched, and
 * never a crash. */
Test(migrate, not_sqlite_refused_and_unchanged)
{
	static const char text[] = "child,dob,concern\nAda Quill,2016-04-12,"
				   "this is a CSV file, not a hub\n";
	write_file(path, text, sizeof text - 1);
	struct snap before = snap_take(path);
	assert_open_refused(path, EX_DATAERR, path);
	assert_unchanged(path, &before);
	cr_assert(!exists(join("hub.db-wal")));

	static unsigned char noise[10000];
	for (unsigned seed = 1; seed <= 4; seed++) {
		size_t n = seed * 2500;
		fill_noise(noise, n, seed);
		if (seed == 4)   /* a real SQLite header over garbage */
			memcpy(noise, "SQLite format 3", 16);
		write_file(path, noise, n);
		before = snap_take(path);
		assert_open_refused(path, EX_DATAERR, "not a mashdesk hub");
		assert_unchanged(path, &before);
	}
}

/* A hub cut short (a bad copy, a full disk) is reported as damaged. */
Test(migrate, truncated_hub_refused)
{
	create_hub(path);
	cr_assert_eq(truncate(path, 8192), 0);
	struct snap before = snap_take(path);
	assert_open_refused(path, EX_DATAERR, "damaged");
	assert_unchanged(path, &before);
}

/* A SQLite database with no schema at all is not a hub. */
Test(migrate, empty_sqlite_database_is_not_a_hub)
{
	exec_on(path, "CREATE TABLE t (x); DROP TABLE t;");
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), 0);
	assert_open_refused(path, EX_DATAERR, "not a mashdesk hub");
}

/* ... and refusing it does not rewrite it (e.g. switch it to WAL). */
Test(migrate, empty_sqlite_database_left_unchanged)
{
	exec_on(path, "CREATE TABLE t (x); DROP TABLE t;");
	struct snap before = snap_take(path);
	assert_open_refused(path, EX_DATAERR, "not a mashdesk hub");
	assert_unchanged(path, &before);
}

/* A zero-byte file is not a hub, and is not turned into a database. */
Test(migrate, zero_byte_file_refused_and_unchanged)
{
	write_file(path, "", 0);
	assert_open_refused(path, EX_DATAERR, "not a mashdesk hub");
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_size, 0, "refused file grew to %lld bytes",
		     (long long)sb.st_size);
}

/* Another application's database that keeps its own user_version is not
 * a hub: refused as bad data and not touched (no migration is tried). */
Test(migrate, other_application_database_refused)
{
	exec_on(path, "CREATE TABLE bookmark (url TEXT); "
		"INSERT INTO bookmark VALUES ('https://example.org'); "
		"PRAGMA user_version = 1;");
	struct snap before = snap_take(path);
	assert_open_refused(path, EX_DATAERR, "not a mashdesk hub");
	assert_unchanged(path, &before);
}

/* A directory is not a hub. */
Test(migrate, directory_refused)
{
	assert_open_refused(dir, EX_DATAERR, "not a mashdesk hub");
}

/* A missing hub is EX_NOINPUT, and opening does not create one. */
Test(migrate, missing_file)
{
	assert_open_refused(path, EX_NOINPUT, path);
	cr_assert(!exists(path), "hub_open created %s", path);
}

/* ---- creating --------------------------------------------------------------- */

/* hub_create never overwrites: an existing file, hub or not, is kept. */
Test(migrate, create_refuses_existing_file)
{
	static const char text[] = "precious notes\n";
	write_file(path, text, sizeof text - 1);
	struct snap before = snap_take(path);
	md_clear(&err);
	cr_assert_eq(hub_create(path, &cfg, &create_opts, &err), EX_CANTCREAT,
		     "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
	assert_unchanged(path, &before);

	char *hub2 = join("hub2.db");
	create_hub(hub2);
	before = snap_take(hub2);
	md_clear(&err);
	cr_assert_eq(hub_create(hub2, &cfg, &(struct hub_create_opts){
			.name = "Other", .training = 0, .admin_login = "eve" },
			&err), EX_CANTCREAT, "%s", err.msg);
	assert_unchanged(hub2, &before);
	assert_sql_text(hub2, "SELECT name FROM hub", "T");
}

/* A directory that does not exist: EX_CANTCREAT naming the path. */
Test(migrate, create_in_missing_directory)
{
	char *p = join("no-such-dir/hub.db");
	md_clear(&err);
	cr_assert_eq(hub_create(p, &cfg, &create_opts, &err), EX_CANTCREAT,
		     "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, p), "message lacks the path: %s",
			   err.msg);
	cr_assert(!exists(join("no-such-dir")));
}

/* A directory the user may not write: EX_CANTCREAT naming the path, and
 * nothing left behind.  Root ignores permissions, so as root the attempt
 * is made by a child process that has become nobody. */
Test(migrate, create_in_unwritable_directory)
{
	char *locked = join("locked");
	char p[224];
	snprintf(p, sizeof p, "%s/hub.db", locked);
	cr_assert_eq(mkdir(locked, 0700), 0);
	cr_assert_eq(chmod(locked, 0500), 0);
	cr_assert_eq(chmod(dir, 0755), 0);   /* so nobody can reach it */

	int out[2];
	cr_assert_eq(pipe(out), 0);
	pid_t kid = fork();
	cr_assert_geq(kid, 0);
	if (kid == 0) {
		close(out[0]);
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 ||
				       setgid(65534) != 0 || setuid(65534) != 0))
			_exit(200);
		if (access(locked, W_OK) == 0)
			_exit(201);   /* still allowed to write: cannot test */
		struct md_error e = { 0 };
		int rc = hub_create(p, &cfg, &create_opts, &e);
		if (write(out[1], e.msg, strlen(e.msg) + 1) < 0)
			_exit(202);
		_exit(rc);
	}
	close(out[1]);
	char msg[sizeof err.msg] = "";
	ssize_t got = read(out[0], msg, sizeof msg - 1);
	close(out[0]);
	int ws = 0;
	cr_assert_eq(waitpid(kid, &ws, 0), kid);
	cr_assert(WIFEXITED(ws), "child died");
	if (WEXITSTATUS(ws) == 200 || WEXITSTATUS(ws) == 201)
		cr_skip_test("cannot take away this process's write permission");
	cr_assert_gt(got, 0);
	cr_assert_eq(WEXITSTATUS(ws), EX_CANTCREAT, "hub_create returned %d: %s",
		     WEXITSTATUS(ws), msg);
	cr_assert_not_null(strstr(msg, p), "message lacks the path: %s", msg);
	cr_assert(!exists(p), "a refused create left %s behind", p);
}

/* ---- the embedded schema ----------------------------------------------------- */

struct mig_file {
	long number;
	char name[256];
};

static int by_number(const void *a, const void *b)
{
	const struct mig_file *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

static char *read_all(const char *p)
{
	struct snap s = snap_take(p);
	s.data[s.len] = '\0';
	return s.data;
}

/* The binary carries exactly db/migrations/NNNN_*.sql, in number order,
 * byte for byte, numbered 1..n without gaps. */
Test(migrate, embedded_migrations_match_files)
{
	DIR *d = opendir(MIGRATIONS_DIR);
	cr_assert_not_null(d, "%s: %s", MIGRATIONS_DIR, strerror(errno));
	struct mig_file files[256];
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		size_t digits = strspn(e->d_name, "0123456789");
		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		cr_assert(digits > 0 && e->d_name[digits] == '_',
			  "%s in db/migrations is not named NNNN_name.sql",
			  e->d_name);
		cr_assert_lt(n, 256);
		files[n].number = strtol(e->d_name, NULL, 10);
		snprintf(files[n].name, sizeof files[n].name, "%s", e->d_name);
		n++;
	}
	closedir(d);
	qsort(files, (size_t)n, sizeof files[0], by_number);

	cr_assert_eq(n, hub_migration_count, "%d files, %d embedded", n,
		     hub_migration_count);
	cr_assert_null(hub_migrations[n], "the list is not NULL-terminated");
	for (int i = 0; i < n; i++) {
		cr_assert_eq(files[i].number, i + 1, "%s: expected number %d",
			     files[i].name, i + 1);
		char p[512];
		snprintf(p, sizeof p, "%s/%s", MIGRATIONS_DIR, files[i].name);
		char *text = read_all(p);
		cr_assert_not_null(hub_migrations[i]);
		cr_assert_str_eq(hub_migrations[i], text,
				 "embedded migration %d differs from %s", i + 1,
				 files[i].name);
	}
}
