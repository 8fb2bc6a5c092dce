/* test_bulk.c - the bulk loader behind `demo` and `generate`.
 *
 * A fresh hub (HUB_BULK_FRESH) is loaded differently from an existing
 * one -- no journal, secondary indexes built at the end, repeat referrals
 * linked in one pass -- so these tests load the same generated data both
 * ways and require the two hubs to hold the same referrals, the same
 * repeat links, every index, and a clean bill of health. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/generate.h"
#include "mashdesk/hub.h"

#define N_REFERRALS 3000
#define SEED 7

static char dir[64];
static struct config cfg;
static struct md_error err;
static const long long now = 1795000000;   /* a fixed "now": same data twice */

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-bulk-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	config_defaults(&cfg);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)system(cmd);
}

TestSuite(bulk, .init = setup, .fini = teardown);

static void load(const char *name, int flags)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct hub_create_opts o = { .name = "Bulk", .training = 1,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, "admin", 0, &err), 0, "%s", err.msg);
	struct gen_sink sink;
	cr_assert_eq(hub_bulk_begin(hub, &sink, flags, &err), 0, "%s", err.msg);
	int status = generate_referrals(&sink, N_REFERRALS, SEED, now, 30, &err);
	cr_assert_eq(status, 0, "%s", err.msg);
	cr_assert_eq(hub_bulk_end(hub, 1, &err), 0, "%s", err.msg);
	hub_close(hub);
}

/* One integer from SQL run on the fresh hub, with the other attached. */
static long long q(const char *sql)
{
	char path[128], other[128];
	snprintf(path, sizeof path, "%s/fresh.db", dir);
	snprintf(other, sizeof other, "%s/ordinary.db", dir);
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *attach = sqlite3_mprintf("ATTACH %Q AS o", other);
	cr_assert_eq(sqlite3_exec(db, attach, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(attach);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

Test(bulk, fresh_and_ordinary_loads_hold_the_same_referrals)
{
	load("fresh.db", HUB_BULK_FRESH);
	load("ordinary.db", 0);
	cr_assert_eq(q("SELECT count(*) FROM referral"), N_REFERRALS);
	static const char *const tables[] = {
		"referral", "referral_alias", "person", "agency_check", "decision",
		"decision_agency", "decision_action", "assignment", "rating",
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM main.%s) -"
			 " (SELECT count(*) FROM o.%s)", tables[i], tables[i]);
		cr_expect_eq(q(sql), 0, "%s differs", tables[i]);
	}
	cr_expect_eq(q("SELECT count(*) FROM referral r JOIN o.referral x USING (id)"
		       " WHERE r.ref IS NOT x.ref OR r.child_name IS NOT x.child_name"
		       " OR r.received_at IS NOT x.received_at"
		       " OR r.status IS NOT x.status OR r.due_at IS NOT x.due_at"
		       " OR r.stage IS NOT x.stage OR r.screened_at IS NOT x.screened_at"
		       " OR r.screened_by IS NOT x.screened_by OR r.rag IS NOT x.rag"
		       " OR r.screening_outcome IS NOT x.screening_outcome"
		       " OR r.screening_reason IS NOT x.screening_reason"
		       " OR r.decided_at IS NOT x.decided_at"),
		     0, "the same referrals, in the same order");
}

/* The tables a fresh load fills from its second thread: row for row what
 * the single-threaded load writes, ids included. */
Test(bulk, fresh_load_second_threads_tables_match_row_for_row)
{
	load("fresh.db", HUB_BULK_FRESH);
	load("ordinary.db", 0);
	static const char *const tables[] = {
		"person", "assignment", "agency_check", "decision",
		"decision_agency", "decision_action", "rating",
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[256];
		cr_assert_gt(q((snprintf(sql, sizeof sql, "SELECT count(*) FROM"
					 " main.%s", tables[i]), sql)), 0,
			     "%s is filled", tables[i]);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT * FROM main.%s"
			 " EXCEPT SELECT * FROM o.%s)", tables[i], tables[i]);
		cr_expect_eq(q(sql), 0, "%s: rows only the fresh load has", tables[i]);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT * FROM o.%s"
			 " EXCEPT SELECT * FROM main.%s)", tables[i], tables[i]);
		cr_expect_eq(q(sql), 0, "%s: rows only the ordinary load has", tables[i]);
	}
	/* the change-log triggers set aside for the copy are back */
	cr_expect_eq(q("SELECT count(*) FROM o.sqlite_master WHERE type = 'trigger'"
		       " AND name NOT IN (SELECT name FROM main.sqlite_master"
		       "  WHERE type = 'trigger')"), 0, "a trigger is missing");
	/* and nothing is left of the scratch file */
	char scratch[160];
	snprintf(scratch, sizeof scratch, "%s/fresh.db-bulk", dir);
	cr_expect_neq(access(scratch, F_OK), 0, "%s left behind", scratch);
}

Test(bulk, fresh_load_links_repeats_exactly_as_receipt_does)
{
	load("fresh.db", HUB_BULK_FRESH);
	load("ordinary.db", 0);
	long long repeats = q("SELECT count(*) FROM o.referral WHERE repeat_of IS NOT NULL");
	cr_assert_gt(repeats, N_REFERRALS / 50, "the generator makes repeats (%lld)", repeats);
	cr_expect_eq(q("SELECT count(*) FROM referral r JOIN o.referral x USING (id)"
		       " WHERE r.repeat_of IS NOT x.repeat_of"), 0);
}

Test(bulk, fresh_load_rebuilds_every_index_and_is_healthy)
{
	load("fresh.db", HUB_BULK_FRESH);
	load("ordinary.db", 0);
	cr_expect_eq(q("SELECT count(*) FROM o.sqlite_master WHERE type = 'index'"
		       " AND name NOT IN (SELECT name FROM main.sqlite_master"
		       "  WHERE type = 'index')"), 0, "an index is missing");
	cr_expect_eq(q("SELECT count(*) FROM pragma_foreign_key_check"), 0);
	cr_expect_eq(q("SELECT count(*) FROM pragma_integrity_check"
		       " WHERE integrity_check <> 'ok'"), 0);
	/* the journal is back: a hub is never left without one */
	cr_expect_eq(q("SELECT count(*) FROM pragma_journal_mode"
		       " WHERE journal_mode IN ('delete', 'wal')"), 1);
	/* the search index covers every referral */
	cr_expect_eq(q("SELECT count(*) FROM referral_search"), N_REFERRALS);
}

/* The front door as the live path leaves it: contacts closed at screening
 * have their outcome and reason and nothing after; referrals were screened,
 * each check asked by whom and why, its clock from the request; ratings
 * run in order to the RAG the referral shows. */
Test(bulk, loads_the_front_door)
{
	load("fresh.db", HUB_BULK_FRESH);
	load("ordinary.db", 0);
	long long closed = q("SELECT count(*) FROM referral WHERE status = 'closed'");
	long long finished = q("SELECT count(*) FROM referral"
			       " WHERE status IN ('closed', 'decided')");
	cr_expect(closed * 100 > finished * 33 && closed * 100 < finished * 47,
		  "%lld closed of %lld", closed, finished);
	cr_expect_eq(q("SELECT count(*) FROM referral WHERE status = 'closed'"
		       " AND (stage <> 'contact' OR screening_outcome IS NULL"
		       " OR screening_reason IS NULL OR screened_at IS NULL"
		       " OR decided_at IS NOT screened_at)"), 0);
	cr_expect_eq(q("SELECT count(*) FROM referral r WHERE status = 'closed' AND"
		       " (EXISTS (SELECT 1 FROM agency_check WHERE referral_id = r.id)"
		       "  OR EXISTS (SELECT 1 FROM decision WHERE referral_id = r.id))"), 0);
	cr_expect_eq(q("SELECT count(*) FROM referral WHERE status = 'decided'"
		       " AND (stage <> 'referral' OR screened_at IS NULL"
		       " OR screened_at > decided_at)"), 0);
	cr_expect_eq(q("SELECT count(*) FROM referral WHERE stage = 'contact'"
		       " AND status IN ('checks', 'decision', 'decided')"), 0);
	/* every check on a screened referral was asked, not before screening */
	cr_expect_eq(q("SELECT count(*) FROM agency_check c JOIN referral r"
		       " ON r.id = c.referral_id WHERE c.requested_by IS NULL"
		       " OR c.request_reason IS NULL OR c.requested_at < r.screened_at"), 0);
	cr_expect_eq(q("SELECT count(*) FROM agency_check c JOIN app_user u"
		       " ON u.login = c.requested_by WHERE u.agency <> 'csc'"), 0);
	/* a check's clock runs from its request: green 24 hours (no rating
	 * raised on the way) */
	cr_expect_gt(q("SELECT count(*) FROM agency_check c JOIN referral r"
		       " ON r.id = c.referral_id WHERE r.rag = 'green'"
		       " AND c.due_at = c.requested_at + 86400"), 0);
	cr_expect_eq(q("SELECT count(*) FROM agency_check"
		       " WHERE due_at > requested_at + 86400"), 0, "no clock beyond 24h");
	/* a ready referral: every agency asked has answered */
	cr_expect_eq(q("SELECT count(*) FROM referral r WHERE status = 'decision'"
		       " AND EXISTS (SELECT 1 FROM agency_check c WHERE"
		       " c.referral_id = r.id AND c.completed_at IS NULL)"), 0);
	/* ratings: the first from nothing, each from the one before, the last
	 * to the RAG shown; every one with a reason */
	cr_expect_gt(q("SELECT count(*) FROM rating"), N_REFERRALS / 2);
	cr_expect_eq(q("SELECT count(*) FROM rating x WHERE from_rag IS NOT"
		       " (SELECT to_rag FROM rating p WHERE p.referral_id = x.referral_id"
		       "  AND p.id < x.id ORDER BY p.id DESC LIMIT 1)"), 0);
	cr_expect_eq(q("SELECT count(*) FROM referral r WHERE EXISTS (SELECT 1 FROM"
		       " rating WHERE referral_id = r.id) AND r.rag IS NOT (SELECT to_rag"
		       " FROM rating WHERE referral_id = r.id ORDER BY id DESC LIMIT 1)"), 0);
	cr_expect_gt(q("SELECT count(*) FROM rating WHERE from_rag IS NOT NULL"
		       " AND reason <> 'rated at intake'"), 0, "some re-rated");
	cr_expect_eq(q("SELECT count(*) FROM rating WHERE length(reason) < 1"), 0);
}
