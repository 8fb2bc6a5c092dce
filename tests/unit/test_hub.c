/* test_hub.c - the data layer: every command's success and each of its
 * failures, as the command line and the desk rely on them.
 *
 * Each test makes its own hub in its own temporary directory (Criterion
 * forks and runs tests in parallel). */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"

static char dir[64];
static char path[128];
static struct config cfg;
static struct md_error err;

/* A training hub with a user of each kind:
 *   admin (admin), pat (police practitioner), hana (health practitioner),
 *   sue (csc supervisor), tom (trainer), old (deactivated practitioner). */
static void make_hub(int training)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-test-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/hub.db", dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Test MASH", .training = training,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "tom", "Tom Achebe", "", "trainer", 1 },
		{ "old", "Olive Dunmore", "education", "practitioner", 0 },
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		cr_assert_eq(hub_user_add(hub, &users[i], &err), 0, "%s", err.msg);
	hub_close(hub);
}

static void cleanup(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0])
		(void)system(cmd);
}

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static void add(struct hub *hub, const char *child, const char *dob,
		const char *rag, long long received, char ref[MD_REF_MAX])
{
	struct referral_input in = {
		.child_name = child, .dob = dob, .concern = "A worry.",
		.rag = rag, .received_at = received, .parents_aware = -1,
	};
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), 0, "%s", err.msg);
}

/* Direct SQL on the file, to check what the data layer stored. */
static long long sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s",
		     sqlite3_errmsg(db));
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_text(const char *sql, char *buf, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

struct rows {
	int n;
	struct queue_row r[32];
};

static int collect(const struct queue_row *r, void *arg)
{
	struct rows *rows = arg;
	if (rows->n < 32)
		rows->r[rows->n++] = *r;
	return 0;
}

static struct rows queue(struct hub *hub, enum hub_filter f, const char *search)
{
	struct rows rows = { 0 };
	struct queue_query q = { .filter = f, .search = search, .open_only = 1 };
	cr_assert_eq(hub_queue(hub, &q, collect, &rows, &err), 0, "%s", err.msg);
	return rows;
}

TestSuite(hub, .fini = cleanup);

/* ---- opening and identity ------------------------------------------------ */

Test(hub, create_records_name_mode_and_admin)
{
	make_hub(1);
	struct hub *hub = as("admin");
	struct hub_info info;
	hub_get_info(hub, &info);
	cr_assert_str_eq(info.name, "Test MASH");
	cr_assert_eq(info.training, 1);
	cr_assert_str_eq(info.me.role, "admin");
	cr_assert_eq(info.schema_version, hub_schema_latest());
	hub_close(hub);
	cr_assert_eq(sql_int("SELECT count(*) FROM app_user"), 6);
	char mode[16];
	sql_text("PRAGMA journal_mode", mode, sizeof mode);
	cr_assert_str_eq(mode, "wal");
}

Test(hub, create_refuses_existing_file)
{
	make_hub(0);
	struct hub_create_opts o = { .name = "Again", .admin_login = "x" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), EX_CANTCREAT);
	cr_assert(strstr(err.msg, "already exists"), "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM app_user"), 6);
}

Test(hub, unknown_user_gets_the_user_add_line)
{
	make_hub(0);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "nobody", 0, &err), EX_NOUSER);
	cr_assert(strstr(err.msg, "mashdesk --db"), "%s", err.msg);
	cr_assert(strstr(err.msg, "user add nobody"), "%s", err.msg);
	hub_close(hub);
}

Test(hub, deactivated_user_is_refused)
{
	make_hub(1);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "old", 0, &err), EX_NOUSER);
	cr_assert(strstr(err.msg, "deactivated"), "%s", err.msg);
	hub_close(hub);
}

Test(hub, as_is_refused_on_a_live_hub_but_works_on_training)
{
	make_hub(0);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "pat", 1, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "training"), "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "pat", 0, &err), 0);
	hub_close(hub);
	cleanup();
	make_hub(1);
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0);
	cr_assert_eq(hub_act_as(hub, "pat", 1, &err), 0, "%s", err.msg);
	hub_close(hub);
}

/* ---- users --------------------------------------------------------------- */

Test(hub, only_admins_add_users)
{
	make_hub(0);
	struct hub *hub = as("sue");
	struct user u = { "new", "New Person", "csc", "practitioner", 1 };
	cr_assert_eq(hub_user_add(hub, &u, &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "admins"), "%s", err.msg);
	hub_close(hub);
	cr_assert_eq(sql_int("SELECT count(*) FROM app_user WHERE login='new'"), 0);
}

Test(hub, user_add_validates)
{
	make_hub(0);
	struct hub *hub = as("admin");
	struct user bad_role = { "a1", "A", "csc", "boss", 1 };
	cr_assert_eq(hub_user_add(hub, &bad_role, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "role"), "%s", err.msg);
	struct user no_agency = { "a2", "A", "", "practitioner", 1 };
	cr_assert_eq(hub_user_add(hub, &no_agency, &err), EX_USAGE);
	struct user bad_agency = { "a3", "A", "fire", "practitioner", 1 };
	cr_assert_eq(hub_user_add(hub, &bad_agency, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "police csc health"), "%s", err.msg);
	struct user bad_login = { "a b;", "A", "csc", "practitioner", 1 };
	cr_assert_eq(hub_user_add(hub, &bad_login, &err), EX_DATAERR);
	struct user dup = { "pat", "Pat Again", "police", "practitioner", 1 };
	cr_assert_eq(hub_user_add(hub, &dup, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "already exists"), "%s", err.msg);
	hub_close(hub);
	cr_assert_eq(sql_int("SELECT count(*) FROM app_user"), 6);
}

static int count_user(const struct user *u, void *arg)
{
	(void)u;
	(*(int *)arg)++;
	return 0;
}

Test(hub, user_list_lists_everyone)
{
	make_hub(0);
	struct hub *hub = as("pat");
	int n = 0;
	cr_assert_eq(hub_user_list(hub, count_user, &n, &err), 0);
	cr_assert_eq(n, 6);
	hub_close(hub);
}

/* ---- referrals ------------------------------------------------------------- */

Test(hub, referral_add_numbers_and_stores)
{
	make_hub(0);
	struct hub *hub = as("pat");
	char r1[MD_REF_MAX], r2[MD_REF_MAX];
	add(hub, "Zoë Abara", "2015-03-02", "red", 0, r1);
	add(hub, "Łukasz Wiśniewski", "2012-07-19", NULL, 0, r2);
	cr_assert_str_eq(r1, "R000001");
	cr_assert_str_eq(r2, "R000002");
	hub_close(hub);
	char name[64];
	sql_text("SELECT child_name FROM referral WHERE id = 2", name, sizeof name);
	cr_assert_str_eq(name, "Łukasz Wiśniewski");
	cr_assert_eq(sql_int("SELECT due_at - received_at FROM referral WHERE id=1"),
		     24 * 3600);
	char created[16];
	sql_text("SELECT created_by FROM referral WHERE id=1", created, sizeof created);
	cr_assert_str_eq(created, "pat");
}

Test(hub, referral_add_refuses_bad_input_and_changes_nothing)
{
	make_hub(0);
	struct hub *hub = as("pat");
	char ref[MD_REF_MAX];
	struct referral_input base = { .child_name = "Ada Ekwueme", .dob = "2016-01-01",
				       .concern = "Worry", .parents_aware = -1 };
	struct referral_input in = base;
	in.child_name = NULL;
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "child"), "%s", err.msg);
	in = base;
	in.dob = "2016-02-30";
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "dob"), "%s", err.msg);
	in = base;
	in.dob = "2090-01-01";
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "future"), "%s", err.msg);
	in = base;
	in.category = "sadness";
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "neglect"), "lists the codes: %s", err.msg);
	in = base;
	in.rag = "purple";
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	in = base;
	in.level = 5;
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "out of range"), "%s", err.msg);
	in = base;
	in.nhs_number = "12345";
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	in = base;
	in.concern = "\xff\xfe broken";
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "UTF-8"), "%s", err.msg);
	hub_close(hub);
	cr_assert_eq(sql_int("SELECT count(*) FROM referral"), 0);
}

Test(hub, unborn_child_takes_an_expected_date)
{
	make_hub(0);
	struct hub *hub = as("hana");
	char ref[MD_REF_MAX], dob[CLOCK_ISO_MAX];
	clock_format_iso(clock_now() + 90 * 86400, dob);
	dob[10] = '\0';
	struct referral_input in = { .child_name = "Unborn baby of Mia Farrow-Ince",
				     .dob = dob, .dob_estimated = 1,
				     .concern = "Pre-birth concern.", .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(hub, &in, ref, &err), 0, "%s", err.msg);
	hub_close(hub);
}

Test(hub, hostile_text_is_stored_exactly)
{
	make_hub(0);
	struct hub *hub = as("pat");
	char ref[MD_REF_MAX], got[128];
	const char *evil = "Robert'); DROP TABLE referral;-- \x1b[2J";
	add(hub, evil, "2014-05-05", NULL, 0, ref);
	hub_close(hub);
	sql_text("SELECT child_name FROM referral WHERE id = 1", got, sizeof got);
	cr_assert_str_eq(got, evil);
}

Test(hub, repeat_referrals_are_matched_on_child_and_household)
{
	make_hub(0);
	struct hub *hub = as("pat");
	char r[MD_REF_MAX];
	add(hub, "Zoë O'Brien", "2015-03-02", NULL, 0, r);
	add(hub, "zoe obrien", "2015-03-02", NULL, 0, r);     /* same child */
	add(hub, "Zoë O'Brien", "2016-03-02", NULL, 0, r);    /* another child */
	struct referral_input sib = { .child_name = "Kit Marlowe", .dob = "2013-01-01",
				      .concern = "x", .address = "4 Lantern Row, Eastwick",
				      .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(hub, &sib, r, &err), 0);
	sib.child_name = "Ivy Marlowe";
	sib.address = "4  lantern row, EASTWICK";
	cr_assert_eq(hub_referral_add(hub, &sib, r, &err), 0);
	hub_close(hub);
	cr_assert_eq(sql_int("SELECT repeat_of FROM referral WHERE id = 2"), 1);
	cr_assert_eq(sql_int("SELECT repeat_of IS NULL FROM referral WHERE id = 3"), 1);
	cr_assert_eq(sql_int("SELECT repeat_of FROM referral WHERE id = 5"), 4);
}

/* ---- the queue -------------------------------------------------------------- */

Test(hub, queue_is_most_urgent_first)
{
	make_hub(0);
	struct hub *hub = as("pat");
	long long now = clock_now();
	char r[MD_REF_MAX];
	add(hub, "Green Child", "2015-01-01", "green", now - 3600, r);   /* R1 */
	add(hub, "Unrated Child", "2015-01-01", NULL, now - 7200, r);    /* R2 */
	add(hub, "Red Child", "2015-01-01", "red", now - 60, r);         /* R3 */
	add(hub, "Late Green", "2015-01-01", "green", now - 30 * 3600, r); /* R4 */
	add(hub, "Amber Child", "2015-01-01", "amber", now - 120, r);    /* R5 */
	struct rows q = queue(hub, HUB_FILTER_ALL, NULL);
	cr_assert_eq(q.n, 5);
	const char *want[] = { "R000004", "R000003", "R000005", "R000001", "R000002" };
	for (int i = 0; i < 5; i++)
		cr_assert_str_eq(q.r[i].ref, want[i], "row %d", i);
	cr_assert_eq(q.r[0].overdue, 1);
	cr_assert_eq(q.r[1].overdue, 0);
	cr_assert_str_eq(q.r[0].checks, "......");
	hub_close(hub);
}

Test(hub, queue_filters_and_pages)
{
	make_hub(0);
	struct hub *hub = as("pat");
	char r[MD_REF_MAX];
	for (int i = 0; i < 7; i++)
		add(hub, "Child", "2015-01-01", "amber", 0, r);
	add(hub, "Old", "2015-01-01", "amber", clock_now() - 48 * 3600, r);
	cr_assert_eq(hub_claim(hub, "R000002", &err), 0);
	cr_assert_eq(queue(hub, HUB_FILTER_MINE, NULL).n, 1);
	cr_assert_eq(queue(hub, HUB_FILTER_UNASSIGNED, NULL).n, 7);
	struct rows late = queue(hub, HUB_FILTER_OVERDUE, NULL);
	cr_assert_eq(late.n, 1);
	cr_assert_str_eq(late.r[0].ref, "R000008");
	struct rows page = { 0 };
	struct queue_query q = { .open_only = 1, .offset = 3, .limit = 2 };
	cr_assert_eq(hub_queue(hub, &q, collect, &page, &err), 0);
	cr_assert_eq(page.n, 2);
	cr_assert_str_eq(page.r[0].ref, "R000003");
	hub_close(hub);
}

Test(hub, search_finds_name_prefix_alias_and_reference)
{
	make_hub(0);
	struct hub *hub = as("pat");
	char r[MD_REF_MAX];
	add(hub, "Nguyễn Thị Lan", "2014-02-02", NULL, 0, r);
	struct referral_input in = { .child_name = "Oluwaseun Adeyemi", .dob = "2013-03-03",
				     .concern = "x", .aliases = "Shay; Seun A",
				     .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(hub, &in, r, &err), 0);
	add(hub, "Siobhán Kelly", "2012-04-04", NULL, 0, r);
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "nguy").n, 1);
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "nguyen").n, 1, "accents folded");
	struct rows alias = queue(hub, HUB_FILTER_ALL, "shay");
	cr_assert_eq(alias.n, 1);
	cr_assert_str_eq(alias.r[0].ref, "R000002");
	struct rows byref = queue(hub, HUB_FILTER_ALL, "R000003");
	cr_assert_eq(byref.n, 1);
	cr_assert_str_eq(byref.r[0].child_name, "Siobhán Kelly");
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "\"*)(").n, 3,
		     "punctuation alone searches for nothing: every row");
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "Kel\") OR Nguy (\"").n, 0,
		     "OR typed in the box is a word every match must have, "
		     "not an operator");
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "zzz").n, 0);
	/* One letter (its own prefix index): the oldest open referral is
	 * the queue's lower rowid bound and must still be found. */
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "n").n, 1);
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "o").n, 1);
	cr_assert_eq(queue(hub, HUB_FILTER_ALL, "s").n, 2, "Shay, Seun, Siobhán");
	hub_close(hub);
}

Test(hub, admins_do_not_see_referrals)
{
	make_hub(0);
	struct hub *hub = as("admin");
	struct queue_query q = { .open_only = 1 };
	struct rows rows = { 0 };
	cr_assert_eq(hub_queue(hub, &q, collect, &rows, &err), EX_NOPERM);
	hub_close(hub);
}

/* ---- claim and assign ------------------------------------------------------- */

Test(hub, claim_takes_an_unassigned_referral_once)
{
	make_hub(0);
	struct hub *pat = as("pat"), *hana = as("hana");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", NULL, 0, r);
	cr_assert_eq(hub_claim(pat, "r1", &err), 0, "%s", err.msg);
	cr_assert_eq(hub_claim(pat, "R000001", &err), 0, "claiming your own again is fine");
	cr_assert_eq(hub_claim(hana, "R000001", &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "pat"), "names the winner: %s", err.msg);
	cr_assert_eq(hub_claim(hana, "R000009", &err), EX_DATAERR);
	cr_assert_eq(hub_claim(hana, "banana", &err), EX_DATAERR);
	hub_close(pat);
	hub_close(hana);
	char who[16], status[16];
	sql_text("SELECT assigned_to FROM referral WHERE id = 1", who, sizeof who);
	sql_text("SELECT status FROM referral WHERE id = 1", status, sizeof status);
	cr_assert_str_eq(who, "pat");
	cr_assert_str_eq(status, "screening");
	cr_assert_eq(sql_int("SELECT count(*) FROM assignment"), 1);
}

Test(hub, two_processes_claiming_at_once_one_wins)
{
	make_hub(0);
	struct hub *pat = as("pat");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", NULL, 0, r);
	hub_close(pat);
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t kids[2];
	const char *who[2] = { "pat", "hana" };
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			struct hub *h = as(who[i]);
			char go;
			(void)!read(fds[0], &go, 1);
			int rc = hub_claim(h, "R000001", &err);
			hub_close(h);
			_exit(rc);
		}
	}
	(void)!write(fds[1], "gg", 2);
	int wins = 0, losses = 0;
	for (int i = 0; i < 2; i++) {
		int st;
		waitpid(kids[i], &st, 0);
		int code = WEXITSTATUS(st);
		wins += code == 0;
		losses += code == EX_TEMPFAIL;
	}
	cr_assert_eq(wins, 1);
	cr_assert_eq(losses, 1);
}

Test(hub, only_supervisors_assign_and_with_a_reason)
{
	make_hub(0);
	struct hub *pat = as("pat"), *sue = as("sue");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", NULL, 0, r);
	cr_assert_eq(hub_assign(pat, r, "hana", "busy", &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "supervisors"), "%s", err.msg);
	cr_assert_eq(hub_assign(sue, r, "hana", "", &err), EX_USAGE);
	cr_assert_eq(hub_assign(sue, r, "ghost", "x", &err), EX_NOUSER);
	cr_assert_eq(hub_assign(sue, r, "admin", "x", &err), EX_DATAERR);
	cr_assert_eq(hub_assign(sue, r, "old", "x", &err), EX_DATAERR);
	cr_assert_eq(hub_assign(sue, r, "hana", "pat is on leave", &err), 0, "%s", err.msg);
	hub_close(pat);
	hub_close(sue);
	char reason[32];
	sql_text("SELECT reason FROM assignment WHERE login = 'hana'", reason, sizeof reason);
	cr_assert_str_eq(reason, "pat is on leave");
}

/* ---- checks ------------------------------------------------------------------ */

Test(hub, check_records_own_agency_and_moves_status)
{
	make_hub(0);
	struct hub *pat = as("pat");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", "red", 0, r);
	struct check_input in = { .status = "in-progress" };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), 0, "%s", err.msg);
	struct rows q = queue(pat, HUB_FILTER_ALL, NULL);
	cr_assert_str_eq(q.r[0].checks, "p.....");
	cr_assert_str_eq(q.r[0].status, "checks");
	in = (struct check_input){ .status = "complete", .info = "Two call-outs.",
				   .basis = "public-task", .handling = "restricted" };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), 0, "%s", err.msg);
	hub_close(pat);
	/* red: the police check was due 2 hours after it was requested */
	cr_assert_eq(sql_int("SELECT due_at - requested_at FROM agency_check"), 2 * 3600);
	cr_assert_eq(sql_int("SELECT completed_at IS NOT NULL FROM agency_check"), 1);
}

Test(hub, every_agency_done_means_ready_for_decision)
{
	make_hub(0);
	struct hub *sue = as("sue");
	char r[MD_REF_MAX];
	add(sue, "Child", "2015-01-01", "green", 0, r);
	hub_close(sue);
	/* the bulk-free way: each agency's own practitioner records its check */
	const char *agencies[] = { "police", "csc", "health", "education",
				   "probation", "housing" };
	struct hub *admin = as("admin");
	for (int i = 0; i < 6; i++) {
		char login[16];
		snprintf(login, sizeof login, "p%d", i);
		struct user u = { "", "Checker", "", "practitioner", 1 };
		snprintf(u.login, sizeof u.login, "%s", login);
		snprintf(u.agency, sizeof u.agency, "%s", agencies[i]);
		cr_assert_eq(hub_user_add(admin, &u, &err), 0, "%s", err.msg);
	}
	hub_close(admin);
	for (int i = 0; i < 6; i++) {
		char login[16];
		snprintf(login, sizeof login, "p%d", i);
		struct hub *h = as(login);
		struct check_input in = { .status = "nothing-known" };
		cr_assert_eq(hub_check_record(h, r, &in, &err), 0, "%s", err.msg);
		hub_close(h);
		char status[16];
		sql_text("SELECT status FROM referral", status, sizeof status);
		cr_assert_str_eq(status, i < 5 ? "checks" : "decision");
	}
}

Test(hub, check_refuses_what_it_must)
{
	make_hub(0);
	struct hub *pat = as("pat"), *admin = as("admin");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", NULL, 0, r);
	struct check_input in = { .status = "complete", .info = "Known." };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "basis"), "%s", err.msg);
	/* the sharing record keeps a reason with every consent position */
	static const char *const positions[] = { "refused", "not-sought", "given" };
	for (int i = 0; i < 3; i++) {
		in = (struct check_input){ .status = "complete",
					   .consent = positions[i] };
		cr_assert_eq(hub_check_record(pat, r, &in, &err), EX_DATAERR,
			     "%s without a reason", positions[i]);
		cr_assert(strstr(err.msg, "consent-reason"), "%s", err.msg);
	}
	in = (struct check_input){ .status = "finished" };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), EX_DATAERR);
	in = (struct check_input){ .agency = "health", .status = "complete" };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), EX_NOPERM);
	in = (struct check_input){ .status = "complete" };
	cr_assert_eq(hub_check_record(admin, r, &in, &err), EX_NOPERM);
	hub_close(pat);
	hub_close(admin);
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check"), 0);
}

Test(hub, supervisor_overrides_a_consent_refusal_with_a_reason)
{
	make_hub(0);
	struct hub *pat = as("pat"), *sue = as("sue");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", "amber", 0, r);
	/* nothing to override yet: police have recorded no refusal */
	cr_assert_eq(hub_consent_override(sue, r, "police", "Risk.", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "no consent refusal"), "%s", err.msg);
	struct check_input in = { .status = "in-progress", .consent = "refused",
				  .consent_reason = "Mother declined." };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), 0, "%s", err.msg);
	/* a practitioner may not override, even their own agency's refusal */
	cr_assert_eq(hub_consent_override(pat, r, "police", "Risk.", &err), EX_NOPERM);
	cr_assert(strstr(err.msg, "only supervisors may"), "%s", err.msg);
	/* a reason is required, and the agency must be a real one */
	cr_assert_eq(hub_consent_override(sue, r, "police", "", &err), EX_USAGE);
	cr_assert_eq(hub_consent_override(sue, r, "pollice", "Risk.", &err), EX_DATAERR);
	cr_assert_eq(sql_int("SELECT count(*) FROM agency_check WHERE override_by IS NOT NULL"), 0);
	cr_assert_eq(hub_consent_override(sue, r, "police", "Risk of serious harm "
					  "outweighs the refusal.", &err), 0, "%s", err.msg);
	/* recorded once: a second override is refused, naming who did it */
	cr_assert_eq(hub_consent_override(sue, r, "police", "Again.", &err), EX_DATAERR);
	cr_assert(strstr(err.msg, "already overridden by sue"), "%s", err.msg);
	/* the desk's detail carries it; the refusal and its reason stay */
	struct referral_detail *d;
	cr_assert_eq(hub_referral_get(sue, r, &d, &err), 0, "%s", err.msg);
	cr_assert_str_eq(d->checks[0].agency, "police");
	cr_assert_str_eq(d->checks[0].consent, "refused");
	cr_assert_str_eq(d->checks[0].consent_reason, "Mother declined.");
	cr_assert_str_eq(d->checks[0].override_by, "sue");
	cr_assert(strstr(d->checks[0].override_reason, "outweighs"));
	hub_referral_free(d);
	hub_close(pat);
	hub_close(sue);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'consent-override'"
			     " AND login = 'sue' AND referral_id = 1"
			     " AND detail LIKE '%outweighs%'"), 1);
	/* the practitioner's refused attempt is recorded against the referral */
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'refused'"
			     " AND login = 'pat' AND referral_id = 1"), 1);
}

struct show_capture {
	char text[8192];
};

static int capture(const char *s, const char *f, const char *v, void *arg)
{
	struct show_capture *c = arg;
	size_t n = strlen(c->text);
	snprintf(c->text + n, sizeof c->text - n, "%s\t%s\t%s\n", s, f, v);
	return 0;
}

Test(hub, show_hides_restricted_information)
{
	make_hub(0);
	struct hub *pat = as("pat");
	char r[MD_REF_MAX];
	add(pat, "Child", "2015-01-01", NULL, 0, r);
	struct check_input in = { .status = "complete", .info = "Covert source says X.",
				  .basis = "public-task", .handling = "restricted" };
	cr_assert_eq(hub_check_record(pat, r, &in, &err), 0, "%s", err.msg);
	struct show_capture c = { "" };
	cr_assert_eq(hub_referral_show(pat, r, capture, &c, &err), 0);
	cr_assert_null(strstr(c.text, "Covert"), "%s", c.text);
	cr_assert(strstr(c.text, "restricted"), "%s", c.text);
	cr_assert(strstr(c.text, "child\tname\tChild\n"), "%s", c.text);
	cr_assert_eq(hub_referral_show(pat, "R000077", capture, &c, &err), EX_DATAERR);
	hub_close(pat);
}

/* ---- decisions ---------------------------------------------------------------- */

Test(hub, decide_records_and_moves_on)
{
	make_hub(0);
	struct hub *sue = as("sue");
	char r[MD_REF_MAX];
	add(sue, "Child", "2015-01-01", "amber", 0, r);
	struct action_input acts[] = { { "Visit the family", "sue", "2030-01-02" } };
	struct decision_input d = { .outcome = "s17", .rationale = "Needs assessment.",
				    .level = 3, .agencies = "csc, health",
				    .actions = acts, .nactions = 1,
				    .feedback = "Told the school." };
	cr_assert_eq(hub_decide(sue, r, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(queue(sue, HUB_FILTER_ALL, NULL).n, 0, "decided leaves the queue");
	hub_close(sue);
	char status[16];
	sql_text("SELECT status FROM referral", status, sizeof status);
	cr_assert_str_eq(status, "decided");
	cr_assert_eq(sql_int("SELECT level FROM referral"), 3);
	cr_assert_eq(sql_int("SELECT count(*) FROM decision_agency"), 2);
	cr_assert_eq(sql_int("SELECT count(*) FROM decision_action"), 1);
	cr_assert_eq(sql_int("SELECT decided_at >= received_at FROM referral"), 1);
}

Test(hub, decide_refuses_and_changes_nothing)
{
	make_hub(0);
	struct hub *sue = as("sue"), *pat = as("pat");
	char r[MD_REF_MAX];
	add(sue, "Child", "2015-01-01", NULL, 0, r);
	struct decision_input d = { .outcome = "jail", .rationale = "x" };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_DATAERR);
	d = (struct decision_input){ .outcome = "nfa" };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_USAGE);
	d = (struct decision_input){ .outcome = "nfa", .rationale = "x", .level = 9 };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_DATAERR);
	struct action_input bad[] = { { "Do it", "sue", "tomorrow" } };
	d = (struct decision_input){ .outcome = "nfa", .rationale = "x",
				     .actions = bad, .nactions = 1 };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_DATAERR);
	/* an unknown agency is found mid-transaction: all of it rolls back */
	d = (struct decision_input){ .outcome = "nfa", .rationale = "x",
				     .agencies = "csc,fire" };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_DATAERR);
	cr_assert_eq(sql_int("SELECT count(*) FROM decision"), 0);
	d = (struct decision_input){ .outcome = "advice", .rationale = "Signposted." };
	cr_assert_eq(hub_decide(pat, r, &d, &err), 0, "%s", err.msg);
	d = (struct decision_input){ .outcome = "nfa", .rationale = "Other view." };
	cr_assert_eq(hub_decide(sue, r, &d, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "pat"), "names who decided: %s", err.msg);
	hub_close(sue);
	hub_close(pat);
	char outcome[16];
	sql_text("SELECT outcome FROM decision", outcome, sizeof outcome);
	cr_assert_str_eq(outcome, "advice");
}

static int join_code(const struct hub_code *c, void *arg)
{
	strcat(arg, c->code);
	strcat(arg, " ");
	return 0;
}

Test(hub, codes_are_listed_in_order)
{
	make_hub(0);
	struct hub *pat = as("pat");
	char list[256] = "";
	cr_assert_eq(hub_list_codes(pat, "outcome", join_code, list, &err), 0);
	cr_assert_str_eq(list, "nfa advice early-help s17 s47 immediate-protection ");
	list[0] = '\0';
	cr_assert_eq(hub_list_codes(pat, "agency", join_code, list, &err), 0);
	cr_assert_str_eq(list, "police csc health education probation housing ");
	hub_close(pat);
}

/* ---- the referral screen's read ------------------------------------------- */

Test(hub, referral_get_has_every_panel_and_the_history)
{
	make_hub(0);
	struct hub *pat = as("pat"), *sue = as("sue");
	char r1[MD_REF_MAX], r2[MD_REF_MAX];
	struct person_input mum = { .name = "Marta Nowak", .relationship = "mother",
				    .dob = "1985-02-01", .parental_responsibility = 1,
				    .household = 1 };
	struct referral_input in = { .child_name = "Łukasz Nowak", .dob = "2012-07-19",
				     .concern = "Missing from home.", .rag = "amber",
				     .address = "9 Heron Way", .aliases = "Luke",
				     .people = &mum, .npeople = 1, .parents_aware = 1 };
	cr_assert_eq(hub_referral_add(pat, &in, r1, &err), 0, "%s", err.msg);
	struct decision_input d = { .outcome = "advice", .rationale = "Signposted." };
	cr_assert_eq(hub_decide(sue, r1, &d, &err), 0, "%s", err.msg);
	in.concern = "Missing again.";
	cr_assert_eq(hub_referral_add(pat, &in, r2, &err), 0, "%s", err.msg);
	struct check_input c = { .status = "complete", .info = "Intelligence X.",
				 .basis = "public-task", .handling = "restricted" };
	cr_assert_eq(hub_check_record(pat, r2, &c, &err), 0, "%s", err.msg);

	struct referral_detail *det;
	cr_assert_eq(hub_referral_get(sue, r2, &det, &err), 0, "%s", err.msg);
	cr_assert_str_eq(det->row.child_name, "Łukasz Nowak");
	cr_assert_str_eq(det->concern, "Missing again.");
	cr_assert_str_eq(det->aliases, "Luke");
	cr_assert_str_eq(det->repeat_of, "R000001");
	cr_assert_eq(det->parents_aware, 1);
	cr_assert_eq(det->npeople, 1);
	cr_assert_str_eq(det->people[0].relationship, "mother");
	cr_assert_eq(det->nchecks, 6, "a panel for every agency");
	cr_assert_str_eq(det->checks[0].agency, "police");
	cr_assert_eq(det->checks[0].recorded, 1);
	cr_assert_eq(det->checks[0].restricted, 1, "the desk marks restricted");
	cr_assert_str_eq(det->checks[0].info, "Intelligence X.", "and shows it");
	cr_assert_eq(det->checks[0].due_at - det->checks[0].requested_at, 6 * 3600);
	cr_assert_eq(det->checks[1].recorded, 0);
	cr_assert_eq(det->decided, 0);
	cr_assert_eq(det->nhistory, 1);
	cr_assert_str_eq(det->history[0].ref, "R000001");
	cr_assert_str_eq(det->history[0].outcome, "advice");
	cr_assert_eq(det->history[0].same_child, 1);
	hub_referral_free(det);

	cr_assert_eq(hub_referral_get(sue, r1, &det, &err), 0);
	cr_assert_eq(det->decided, 1);
	cr_assert_str_eq(det->outcome, "advice");
	cr_assert_str_eq(det->decided_by, "sue");
	hub_referral_free(det);
	cr_assert_eq(hub_referral_get(sue, "R000404", &det, &err), EX_DATAERR);
	cr_assert_null(det);
	hub_close(pat);
	hub_close(sue);
}

Test(hub, may_reflects_the_permission_table)
{
	make_hub(0);
	struct hub *pat = as("pat"), *sue = as("sue"), *admin = as("admin");
	struct md_error why;
	cr_assert_eq(hub_may(sue, HUB_ACT_ASSIGN, NULL), 1);
	cr_assert_eq(hub_may(pat, HUB_ACT_ASSIGN, &why), 0);
	cr_assert(strstr(why.msg, "supervisors"), "%s", why.msg);
	cr_assert_eq(hub_may(pat, HUB_ACT_CHECK, NULL), 1);
	cr_assert_eq(hub_may(admin, HUB_ACT_CHECK, NULL), 0);
	cr_assert_eq(hub_may(admin, HUB_ACT_VIEW, NULL), 0);
	hub_close(pat);
	hub_close(sue);
	hub_close(admin);
}
