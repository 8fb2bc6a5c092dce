/* hub_bulk.c - loading generated data (demo, generate) in large batches.
 *
 * A training hub is filled through the same inserts that `referral add`,
 * `check` and `decide` use, so generated data obeys every rule live data
 * does; only the transaction is larger (one commit per BULK_BATCH
 * referrals), which is what makes a million referrals take seconds, not
 * hours.  Only admins and trainers of a training hub may do it. */
#include "hub_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"

#define BULK_BATCH 20000

/* Indexes on referral that no statement of the load reads.  On a fresh
 * hub they are dropped before the load and built once at the end: one
 * sort instead of a million inserts at random places.  (The tables the
 * second thread fills keep theirs: that thread has time to spare, and the
 * final copy takes the indexes along.) */
static const char *const deferred_index[] = {
	"referral_assigned", "referral_received", "referral_open",
};
#define NDEFERRED (sizeof deferred_index / sizeof deferred_index[0])

struct bulk_state {
	int fresh;            /* HUB_BULK_FRESH: nobody else can see this file */
	struct bulk_split *split;    /* the second thread (fresh loads only) */
	struct repeat_memo *memo;    /* repeat links (fresh loads only) */
	char *index_sql[NDEFERRED];  /* how to rebuild the dropped indexes */
	long pending;         /* referrals since the last commit */
	long long first;      /* first referral id of this batch, 0 = none yet */
	long long last;       /* last referral id loaded */
	long total;           /* referrals loaded in all */
	long long now;
};

/* Raise or lower the hub's bulk_loading flag inside the open transaction:
 * while raised, the change log is not written row by row (see 0004). */
static int bulk_flag(struct hub *hub, int on, struct md_error *err)
{
	static const char sql[] = "UPDATE hub SET bulk_loading = ? WHERE id = 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, on);
	return hub_step_done(hub, st, "marking the bulk load", err);
}

/* Open a batch's transaction with the flag raised. */
static int bulk_open(struct hub *hub, struct md_error *err)
{
	int status = hub_begin(hub, err);
	if (!status && (status = bulk_flag(hub, 1, err)))
		hub_end(hub, status, err);
	return status;
}

/* The batch's records left open owe their referrer an acknowledgement,
 * as if taken in at the desk (0014_feedback.sql's trigger is off while
 * loading): their clocks, from receipt.  The decided history owes
 * nothing: nobody could still answer it on time. */
static int bulk_clocks(struct hub *hub, long long first, long long last,
		       struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO feedback_pending (referral_id, kind, since)"
		" SELECT id, 'acknowledgement', received_at FROM referral"
		" WHERE id BETWEEN ?1 AND ?2 AND decided_at IS NULL"
		" ON CONFLICT DO NOTHING";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, first);
	db_bind_int64(st, 2, last);
	return hub_step_done(hub, st, "starting the feedback clocks", err);
}

/* Index the batch for search, start its clocks, lower the flag and
 * commit. */
static int bulk_commit(struct hub *hub, struct bulk_state *bs, int reopen,
		       struct md_error *err)
{
	int status = bs->first ? hub_search_index(hub, bs->first, bs->last, err) : 0;
	if (!status && bs->first)
		status = bulk_clocks(hub, bs->first, bs->last, err);
	if (!status)
		status = bulk_flag(hub, 0, err);
	bs->first = 0;
	bs->pending = 0;
	status = hub_end(hub, status, err);
	if (!status && reopen)
		status = bulk_open(hub, err);
	return status;
}

static int bulk_user(void *ctx, const struct user *u, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO app_user (login, name, agency, role, active,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
	struct hub *hub = ctx;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, u->login);
	hub_bind_text(st, 2, u->name);
	hub_bind_text(st, 3, u->agency);
	hub_bind_text(st, 4, u->role);
	db_bind_int64(st, 5, u->active ? 1 : 0);
	db_bind_int64(st, 6, ((struct bulk_state *)hub->bulk)->now);
	return hub_step_done(hub, st, "adding a generated user", err);
}

static int check_done(const struct check_input *c)
{
	return !strcmp(c->status, "complete") || !strcmp(c->status, "nothing-known");
}

/* The status the live path (claim, screen, check, decide) would have
 * reached: a screened referral is ready for decision when every agency
 * asked has answered; one never screened when every active agency has. */
static const char *bulk_status(struct hub *hub, const struct gen_referral *g)
{
	if (g->screening_outcome)
		return "closed";
	if (g->decided)
		return "decided";
	if (g->screened_at) {
		int done = 0;
		for (int i = 0; i < g->nchecks; i++)
			done += check_done(&g->checks[i]);
		return done == g->nchecks ? "decision" : "checks";
	}
	if (g->nchecks == 0)
		return g->assigned_to ? "screening" : "new";
	int done = 0;
	for (int a = 0; a < hub->nagencies; a++)
		for (int i = 0; i < g->nchecks; i++)
			if (!strcmp(g->checks[i].agency, hub->agencies[a]) &&
			    check_done(&g->checks[i])) {
				done++;
				break;
			}
	return done == hub->nagencies ? "decision" : "checks";
}

static int bulk_referral(void *ctx, const struct gen_referral *g,
			 struct md_error *err)
{
	struct hub *hub = ctx;
	struct bulk_state *bs = hub->bulk;
	long long id, decided_at = g->decision.at ? g->decision.at : bs->now;
	char ref[MD_REF_MAX];
	if (g->screening_outcome)
		decided_at = g->screened_at;     /* closed: stopped being open */
	/* The RAG now: the last rating's (at the decision, if it re-rated). */
	const char *rag = g->nratings ? g->ratings[g->nratings - 1].to : NULL;
	if (g->decided && g->decision.rag)
		rag = g->decision.rag;
	struct referral_fate fate = {
		.status = bulk_status(hub, g),
		.assigned_to = g->assigned_to,
		.decided_at = g->decided || g->screening_outcome ? decided_at : 0,
		.rag = rag,
		.level = g->decided ? g->decision.level : 0,
		.memo = bs->memo,         /* generate emits in received order */
		.people_later = 1,        /* hub_bulk_rest, or the second thread */
		.stage = g->screening_outcome ? "contact" :
			 g->screened_at || g->decided ? "referral" : "contact",
		.screened_at = g->screened_at,
		.screened_by = g->screened_by,
		.screening_outcome = g->screening_outcome,
		.screening_reason = g->screening_reason,
	};
	int status = hub_referral_insert(hub, &g->in, &fate, bs->now, &id, ref, err);
	/* Still open and red: a strategy discussion is due from when it was
	 * rated red, as a desk's rating would have made it (hub_strategy.c).
	 * Not for decided or closed history, which no one would now chase. */
	if (!status && !g->decided && !g->screening_outcome && rag &&
	    !strcmp(rag, "red")) {
		long long red_at = 0;
		for (int i = 0; i < g->nratings && !red_at; i++)
			if (!strcmp(g->ratings[i].to, "red"))
				red_at = g->ratings[i].at;
		status = hub_strategy_threshold(hub, id, red_at ? red_at :
						g->in.received_at ? g->in.received_at :
						bs->now, err);
	}
	if (!status) {
		bs->first = bs->first ? bs->first : id;
		bs->last = id;
		bs->total++;
	}
	long long received = g->in.received_at ? g->in.received_at : bs->now;
	/* the rest goes to the second thread (hub_bulk_split.c), or is
	 * written here the same way */
	if (!status && bs->split)
		status = hub_bulk_split_put(bs->split, g, id, received,
					    g->decided ? decided_at : 0, err);
	else if (!status)
		status = hub_bulk_rest(hub, g, id, received,
				       g->decided ? decided_at : 0, err);
	if (!status && ++bs->pending >= BULK_BATCH)
		status = bulk_commit(hub, bs, 1, err);
	return status;
}

/* A fresh hub is private to this process until the caller renames it
 * into place, and a failed load is thrown away, so it needs neither a
 * journal nor syncs until it is complete. */
static int fresh_begin(struct hub *hub, struct bulk_state *bs,
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?";
	int rc = sqlite3_exec(hub->db, "PRAGMA locking_mode = EXCLUSIVE;"
			      "PRAGMA journal_mode = OFF;"
			      "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return hub_sql_fail(hub, rc, "preparing the new hub", err);
	for (size_t i = 0; i < NDEFERRED; i++) {
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		hub_bind_text(st, 1, deferred_index[i]);
		if (db_step(st) == DB_ROW &&
		    !(bs->index_sql[i] = sqlite3_mprintf("%s",
				db_column_text(st, 0)))) {
			hub_reset(st);
			return md_fail(err, EX_OSERR, "out of memory");
		}
		hub_reset(st);
		if (!bs->index_sql[i])
			continue;        /* an older schema without it */
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", deferred_index[i]);
		rc = drop ? sqlite3_exec(hub->db, drop, NULL, NULL, NULL) : SQLITE_NOMEM;
		sqlite3_free(drop);
		if (rc != SQLITE_OK)
			return hub_sql_fail(hub, rc, "preparing the new hub", err);
	}
	return 0;
}

/* Rebuild the dropped indexes and put the journal back as every other
 * connection expects it (hub_open chooses WAL or a rollback journal). */
static int fresh_end(struct hub *hub, struct bulk_state *bs,
		     struct md_error *err)
{
	int rc = SQLITE_OK;
	for (size_t i = 0; i < NDEFERRED && rc == SQLITE_OK; i++)
		if (bs->index_sql[i])
			rc = sqlite3_exec(hub->db, bs->index_sql[i], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(hub->db, "PRAGMA journal_mode = DELETE;"
				  "PRAGMA synchronous = FULL;"
				  "PRAGMA locking_mode = NORMAL;"
				  "SELECT count(*) FROM hub", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : hub_sql_fail(hub, rc, "indexing the new hub", err);
}

/* After a load on PostgreSQL.  The tables the load numbers itself
 * (referral, audit: max(id) + 1, as the live inserts do) get explicit
 * ids, which do not move their identity sequences (db/pg/README.md): set
 * the sequences past them, so that anything that ever takes a default id
 * there does not collide.  Then fresh statistics for the planner, which
 * would otherwise plan the desk's queries for the empty tables. */
static int bulk_pg_after(struct hub *hub, struct md_error *err)
{
	static const char *const explicit_id[] = { "referral", "audit" };
	static const char sql[] =
		"SELECT setval(pg_get_serial_sequence(?1, 'id'), max(id))"
		" FROM referral WHERE ?1 = 'referral'"
		" UNION ALL SELECT setval(pg_get_serial_sequence(?1, 'id'), max(id))"
		" FROM audit WHERE ?1 = 'audit'";
	int status = hub_begin(hub, err);
	for (size_t i = 0; !status && i < 2; i++) {
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st) {
			status = err->code;
			break;
		}
		hub_bind_text(st, 1, explicit_id[i]);
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			;
		hub_reset(st);
		if (rc != DB_DONE)
			status = hub_sql_fail(hub, rc, "setting the id sequences", err);
	}
	status = hub_end(hub, status, err);
	return status ? status : hub_exec(hub, "ANALYZE", "analysing the loaded hub", err);
}

static void bulk_free(struct bulk_state *bs)
{
	repeat_memo_free(bs->memo);
	for (size_t i = 0; i < NDEFERRED; i++)
		sqlite3_free(bs->index_sql[i]);
	free(bs);
}

int hub_bulk_begin(struct hub *hub, struct gen_sink *sink, int flags,
		   struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_BULK, err);
	if (status)
		return status;
	status = hub_agencies(hub, err);
	if (status)
		return status;
	struct bulk_state *bs = calloc(1, sizeof *bs);
	if (!bs)
		return md_fail(err, EX_OSERR, "out of memory");
	bs->now = clock_now();
	/* A big page cache keeps the growing indexes in memory.  Foreign keys
	 * are not checked row by row here: some thirty parent lookups per
	 * referral were a quarter of the load time.  Every code and login the
	 * generator uses is checked by its unit tests, every CHECK and NOT NULL
	 * still applies, and the tests run foreign_key_check on loaded hubs. */
	if (hub->engine == HUB_SQLITE)
		sqlite3_exec(hub->db, "PRAGMA cache_size = -262144;"
			     "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	/* PostgreSQL: a database, not a private file, so never fresh (no
	 * scratch file, no second thread, no dropped indexes); the same
	 * inserts in the same big transactions, foreign keys checked. */
	bs->fresh = hub->engine == HUB_SQLITE && (flags & HUB_BULK_FRESH) != 0;
	status = bs->fresh ? fresh_begin(hub, bs, err) : 0;
	if (!status && bs->fresh && !(bs->memo = repeat_memo_new()))
		status = md_fail(err, EX_OSERR, "out of memory");
	if (!status)
		status = bulk_open(hub, err);
	if (status) {
		bulk_free(bs);
		return status;
	}
	/* A private hub can be filled from two threads (hub_bulk_split.c). */
	if (bs->fresh && (status = hub_bulk_split_start(hub, &bs->split, err))) {
		hub_end(hub, status, err);
		bulk_free(bs);
		return status;
	}
	hub->bulk = bs;
	sink->ctx = hub;
	sink->user = bulk_user;
	sink->referral = bulk_referral;
	return 0;
}

int hub_bulk_end(struct hub *hub, int ok, struct md_error *err)
{
	struct bulk_state *bs = hub->bulk;
	int status = ok ? hub_audit(hub, "generate", 0, err, "loaded %ld "
				     "generated referrals", bs->total) : 0;
	status = ok && !status ? bulk_commit(hub, bs, 0, err)
			       : hub_end(hub, ok ? status : EX_SOFTWARE, err);
	if (bs->split) {
		int copied = hub_bulk_split_finish(hub, bs->split, ok && !status, err);
		bs->split = NULL;
		status = status ? status : copied;
	}
	if (ok && !status && bs->fresh)
		status = fresh_end(hub, bs, err);
	if (ok && !status && hub->engine == HUB_POSTGRES)
		status = bulk_pg_after(hub, err);
	bulk_free(bs);
	hub->bulk = NULL;
	if (hub->engine == HUB_SQLITE)
		sqlite3_exec(hub->db, "PRAGMA cache_size = -512;"
			     "PRAGMA foreign_keys = ON;"
			     "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return ok ? status : 0;
}
