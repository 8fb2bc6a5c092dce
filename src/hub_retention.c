/* hub_retention.c - records that end (see hub_retention.h): which closed
 * records the hub's [retention] policy says are due to go, removing them
 * one short transaction at a time, and legal holds that keep a record
 * whatever the policy says.
 *
 * What a removal relies on.  Every table that refers to a referral does so
 * with ON DELETE CASCADE (foreign keys are on for every connection,
 * hub_db.c), so deleting the referral row takes its aliases, household,
 * checks, decision (and through it the decision's agencies and actions),
 * assignments, send-backs, chases, ratings, leases, drafts and holds, and
 * any table added later that cascades the same way: nothing here names
 * them.  By hand, only what has no such foreign key: later referrals'
 * repeat_of (a plain reference: cleared first, each audited on its own
 * referral since its sealed state changes), change_log (rows about the
 * referral), the search index (its row goes by 0003_search.sql's delete
 * trigger; the FTS5 segments still hold its words behind a delete marker
 * until they are merged, which retention_merge_search does afterwards in
 * small steps), and the audit log, which is append-only: the record's
 * earlier rows stay and a tombstone row is added (README, "Retention",
 * says what earlier rows may hold). */
#include "hub_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_retention.h"

#define HOLD_REASON_BYTES 2000
#define MERGE_STEPS_MAX 10000000L        /* a bound on a loop, never reached */
#define LIFT_RECENT_SECONDS 3600

/* ---- what is due ------------------------------------------------------------ */

/* Closed records with the kind and period their rule gives (?1..?4 the
 * contact outcomes' periods, ?5 no-further's, ?6 assessed's: months,
 * -1 age25, 0 for ever) and when each falls due; the caller adds which
 * rows and when "now" is (?7). */
#define DUE_SQL(which) \
	"WITH c AS (" \
	" SELECT r.id, r.ref, r.dob, r.decided_at AS closed_at," \
	"  CASE WHEN r.stage = 'contact' AND r.screening_outcome IS NOT NULL" \
	"   THEN 'contact-closed'" \
	"   WHEN d.outcome IN ('nfa', 'advice', 'early-help') THEN 'no-further'" \
	"   WHEN d.outcome IN ('s17', 's47', 'immediate-protection')" \
	"   THEN 'assessed' END AS kind," \
	"  CASE WHEN r.stage = 'contact' AND r.screening_outcome IS NOT NULL" \
	"   THEN r.screening_outcome ELSE d.outcome END AS outcome" \
	" FROM referral r" \
	" JOIN referral_status s ON s.code = r.status AND s.open = 0" \
	" LEFT JOIN decision d ON d.referral_id = r.id" \
	" WHERE r.decided_at IS NOT NULL AND " which \
	"  AND NOT EXISTS (SELECT 1 FROM legal_hold h" \
	"   WHERE h.referral_id = r.id AND h.lifted_at IS NULL)" \
	"), p AS (" \
	" SELECT c.*, CASE kind WHEN 'contact-closed' THEN CASE outcome" \
	"   WHEN 'nfa' THEN ?1 WHEN 'advice' THEN ?2 WHEN 'early-help' THEN ?3" \
	"   WHEN 'allocated' THEN ?4 END" \
	"  WHEN 'no-further' THEN ?5 WHEN 'assessed' THEN ?6 END AS period" \
	" FROM c WHERE kind IS NOT NULL" \
	"), q AS (" \
	" SELECT p.*, CASE WHEN period > 0 THEN md_add_months(closed_at, period)" \
	"  WHEN period = -1 THEN max(closed_at," \
	"   md_add_months(md_epoch(dob), 300)) END AS due_at" \
	" FROM p" \
	")" \
	" SELECT id, ref, kind, coalesce(outcome, ''), period, closed_at, due_at" \
	" FROM q WHERE due_at IS NOT NULL AND due_at <= ?7" \
	" ORDER BY due_at, id"

static const char due_all_sql[] = DUE_SQL("1 = 1");
static const char due_one_sql[] = DUE_SQL("r.id = ?8");

/* A contact outcome's period: its own key when set, else contact_closed. */
static int contact_period(const struct config *cfg, int own)
{
	return own == CONFIG_RETAIN_UNSET ? cfg->retain_contact : own;
}

static void bind_periods(struct hub *hub, struct db_stmt *st, long long now)
{
	const struct config *cfg = &hub->cfg;
	db_bind_int64(st, 1, contact_period(cfg, cfg->retain_contact_nfa));
	db_bind_int64(st, 2, contact_period(cfg, cfg->retain_contact_advice));
	db_bind_int64(st, 3, contact_period(cfg, cfg->retain_contact_early_help));
	db_bind_int64(st, 4, contact_period(cfg, cfg->retain_contact_allocated));
	db_bind_int64(st, 5, cfg->retain_no_further);
	db_bind_int64(st, 6, cfg->retain_assessed);
	db_bind_int64(st, 7, now);
}

/* "contact_closed_advice = 72 months": the key that applied and its value. */
static void rule_text(const struct config *cfg, const char *kind,
		      const char *outcome, int period, char *buf, size_t len)
{
	static const struct { const char *outcome; size_t offset; } own[] = {
		{ "nfa", offsetof(struct config, retain_contact_nfa) },
		{ "advice", offsetof(struct config, retain_contact_advice) },
		{ "early-help", offsetof(struct config, retain_contact_early_help) },
		{ "allocated", offsetof(struct config, retain_contact_allocated) },
	};
	char key[48], value[24];
	if (!strcmp(kind, "contact-closed")) {
		snprintf(key, sizeof key, "contact_closed");
		for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
			const int *v = (const int *)((const char *)cfg + own[i].offset);
			if (!strcmp(outcome, own[i].outcome) &&
			    *v != CONFIG_RETAIN_UNSET) {
				snprintf(key, sizeof key, "contact_closed_%s",
					 own[i].outcome);
				for (char *p = key; *p; p++)
					if (*p == '-')
						*p = '_';
			}
		}
	} else {
		snprintf(key, sizeof key, "referral_%s",
			 !strcmp(kind, "assessed") ? "assessed" : "no_further");
	}
	if (period == CONFIG_RETAIN_AGE25)
		snprintf(value, sizeof value, "age25");
	else
		snprintf(value, sizeof value, "%d month%s", period,
			 period == 1 ? "" : "s");
	snprintf(buf, len, "%s = %s", key, value);
}

static void read_due(struct hub *hub, struct db_stmt *st, struct retention_due *d)
{
	memset(d, 0, sizeof *d);
	d->id = db_column_int64(st, 0);
	hub_col_text(st, 1, d->ref, sizeof d->ref);
	hub_col_text(st, 2, d->kind, sizeof d->kind);
	hub_col_text(st, 3, d->outcome, sizeof d->outcome);
	d->closed_at = db_column_int64(st, 5);
	d->due_at = db_column_int64(st, 6);
	rule_text(&hub->cfg, d->kind, d->outcome, db_column_int(st, 4),
		  d->rule, sizeof d->rule);
}

/* Everything due, read in one go (the walk may not hold a statement open
 * while the caller writes). */
struct due_list {
	struct retention_due *v;
	long n, cap;
};

static int due_collect(struct hub *hub, long long now, struct due_list *l,
		       struct md_error *err)
{
	struct db_stmt *st = hub_stmt(hub, due_all_sql, err);
	if (!st)
		return err->code;
	bind_periods(hub, st, now);
	int rc, status = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (l->n == l->cap) {
			long cap = l->cap ? 2 * l->cap : 64;
			struct retention_due *v = realloc(l->v, (size_t)cap * sizeof *v);
			if (!v) {
				status = md_fail(err, EX_OSERR, "out of memory");
				break;
			}
			l->v = v;
			l->cap = cap;
		}
		read_due(hub, st, &l->v[l->n++]);
	}
	hub_reset(st);
	if (!status && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "finding the records due to go", err);
	return status;
}

int hub_retention_due(struct hub *hub, long long now,
		      int (*cb)(const struct retention_due *d, void *arg),
		      void *arg, long *count, struct md_error *err)
{
	struct due_list l = { 0 };
	*count = 0;
	int status = hub_permit(hub, HUB_ACT_RETENTION, err);
	if (!status) {
		/* One read transaction: the list is one moment's. */
		int own = hub_read_begin(hub);
		status = due_collect(hub, now, &l, err);
		hub_read_end(hub, own);
	}
	for (long i = 0; !status && i < l.n; i++) {
		status = cb ? cb(&l.v[i], arg) : 0;
		*count += !status;
	}
	free(l.v);
	return status;
}

/* ---- removing one ------------------------------------------------------------- */

/* Is it still due (not held or reopened since the list was read)? */
static int still_due(struct hub *hub, long long now, long long id, int *due,
		     struct md_error *err)
{
	struct db_stmt *st = hub_stmt(hub, due_one_sql, err);
	if (!st)
		return err->code;
	bind_periods(hub, st, now);
	db_bind_int64(st, 8, id);
	int rc = db_step(st);
	*due = rc == DB_ROW;
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "checking a record is still due", err);
}

/* Who holds a live edit lease on it ("" nobody). */
static int lease_holder(struct hub *hub, long long id, long long now,
			char who[MD_LOGIN_MAX], struct md_error *err)
{
	static const char sql[] =
		"SELECT owner FROM lease WHERE referral_id = ? AND expires_at > ?"
		" ORDER BY taken_at LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	who[0] = '\0';
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		hub_col_text(st, 0, who, MD_LOGIN_MAX);
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "looking for edits under way", err);
}

static int run_one(struct hub *hub, const char *sql, long long a, long long b,
		   const char *doing, struct md_error *err)
{
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, a);
	if (b >= 0)
		db_bind_int64(st, 2, b);
	return hub_step_done(hub, st, doing, err);
}

/* Later referrals that name it as the one they repeat: the link goes
 * (the referral they repeated is as if it never was), each audited on the
 * later referral, whose sealed state changes. */
static int clear_repeats(struct hub *hub, const struct retention_due *d,
			 struct md_error *err)
{
	static const char find_sql[] =
		"SELECT id FROM referral WHERE repeat_of = ? ORDER BY id";
	static const char clear_sql[] =
		"UPDATE referral SET repeat_of = NULL WHERE id = ?1 AND repeat_of = ?2";
	long long later[64];
	int status = 0;
	for (;;) {
		struct db_stmt *st = hub_stmt(hub, find_sql, err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, d->id);
		int n = 0, rc;
		while (n < 64 && (rc = db_step(st)) == DB_ROW)
			later[n++] = db_column_int64(st, 0);
		if (n < 64 && rc != DB_DONE) {
			hub_reset(st);
			return hub_sql_fail(hub, rc, "finding repeat links", err);
		}
		hub_reset(st);
		for (int i = 0; !status && i < n; i++) {
			status = run_one(hub, clear_sql, later[i], d->id,
					 "clearing a repeat link", err);
			if (!status)
				status = hub_audit(hub, "repeat-cleared", later[i], err,
						   "the referral it repeated, %s, "
						   "was removed under [retention] %s",
						   d->ref, d->rule);
		}
		if (status || n < 64)
			return status;
	}
}

static int remove_rows(struct hub *hub, const struct retention_due *d,
		       long long now, struct md_error *err)
{
	static const char log_sql[] = "DELETE FROM change_log WHERE referral_id = ?";
	static const char referral_sql[] = "DELETE FROM referral WHERE id = ?";
	static const char changed_sql[] =
		"INSERT INTO change_log (at, referral_id, what)"
		" VALUES (?2, ?1, 'referral')";
	static const char removed_sql[] =
		"INSERT INTO referral_removed (id, ref, removed_at, rule)"
		" VALUES (?, ?, ?, ?)";
	int status = clear_repeats(hub, d, err);
	if (!status)
		status = run_one(hub, referral_sql, d->id, -1, "removing a record",
				 err);
	if (!status && hub_changes(hub) != 1)
		status = md_fail(err, EX_TEMPFAIL, "%s went while it was being "
				 "removed", d->ref);
	/* After the delete: its leases' delete trigger logged them too. */
	if (!status)
		status = run_one(hub, log_sql, d->id, -1, "forgetting its changes",
				 err);
	/* One row left saying it changed, so a desk showing it lets it go. */
	if (!status)
		status = run_one(hub, changed_sql, d->id, now, "telling desks", err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, removed_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, d->id);
		hub_bind_text(st, 2, d->ref);
		db_bind_int64(st, 3, now);
		hub_bind_text(st, 4, d->rule);
		status = hub_step_done(hub, st, "keeping the removed reference",
				       err);
	}
	return status;
}

/* YYYY-MM-DD in UTC, as due dates are computed. */
static void utc_date(long long t, char buf[CLOCK_ISO_MAX])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, CLOCK_ISO_MAX, "%Y-%m-%d", &tm))
		snprintf(buf, CLOCK_ISO_MAX, "?");
}

/* One record in one transaction.  *outcome: 1 removed, 0 not due any
 * more, -1 in use (who holds it in who). */
static int remove_one(struct hub *hub, const struct retention_due *d,
		      long long now, int *outcome, char who[MD_LOGIN_MAX],
		      struct md_error *err)
{
	char due_on[CLOCK_ISO_MAX];
	int due = 0;
	*outcome = 0;
	int status = hub_begin(hub, err);
	if (status)
		return status;
	status = still_due(hub, now, d->id, &due, err);
	/* A lease is live by the real clock, whatever `now` the policy is
	 * applied at. */
	if (!status && due)
		status = lease_holder(hub, d->id, clock_now(), who, err);
	if (!status && due && who[0])
		*outcome = -1;
	else if (!status && due) {
		status = remove_rows(hub, d, now, err);
		utc_date(d->due_at, due_on);
		/* The tombstone: reference, rule, kind and dates; no personal
		 * data.  It seals the state of a referral that is gone. */
		if (!status)
			status = hub_audit(hub, "retention", d->id, err,
					   "%s removed under [retention] %s (%s %s, "
					   "due since %s)", d->ref, d->rule, d->kind,
					   d->outcome, due_on);
		*outcome = status ? 0 : 1;
	}
	return hub_end(hub, status, err);
}

/* The search index's segments merged in small steps until one is left,
 * so the removed records' words are gone from its shadow tables and not
 * only hidden behind delete markers (SQLite 3.40 has no FTS5
 * secure-delete).  A step that changes fewer than two rows had nothing
 * left to merge (FTS5's documented test). */
static int merge_search(struct hub *hub, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO referral_search (referral_search, rank)"
		" VALUES ('merge', -64)";   /* 64 pages a step, all segments */
	if (hub->engine != HUB_SQLITE)
		return 0;   /* PostgreSQL's GIN index keeps no removed words */
	for (long step = 0; step < MERGE_STEPS_MAX; step++) {
		int status = hub_begin(hub, err);
		if (status)
			return status;
		long long before = sqlite3_total_changes64(hub->db);
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			status = err->code;
		else
			status = hub_step_done(hub, st, "tidying the search index",
					       err);
		long long done = sqlite3_total_changes64(hub->db) - before;
		if ((status = hub_end(hub, status, err)))
			return status;
		if (done < 2)
			return 0;
	}
	return 0;
}

int hub_retention_run(struct hub *hub, long long now,
		      int (*cb)(const struct retention_due *d, void *arg),
		      void *arg, struct retention_result *res,
		      struct md_error *err)
{
	struct due_list l = { 0 };
	memset(res, 0, sizeof *res);
	int status = hub_permit(hub, HUB_ACT_RETENTION, err);
	if (status)
		return status;
	/* Freed pages are overwritten, not left for a file reader. */
	if (hub->engine == HUB_SQLITE &&
	    (status = hub_exec(hub, "PRAGMA secure_delete = ON", "setting up", err)))
		return status;
	int own = hub_read_begin(hub);
	status = due_collect(hub, now, &l, err);
	hub_read_end(hub, own);
	for (long i = 0; !status && i < l.n; i++) {
		char who[MD_LOGIN_MAX] = "";
		int outcome = 0;
		status = remove_one(hub, &l.v[i], now, &outcome, who, err);
		if (!status && outcome == 1) {
			res->removed++;
			if (cb)
				status = cb(&l.v[i], arg);
		} else if (!status && outcome < 0 && res->in_use++ == 0) {
			snprintf(res->in_use_ref, sizeof res->in_use_ref, "%s",
				 l.v[i].ref);
			snprintf(res->in_use_by, sizeof res->in_use_by, "%s", who);
		}
	}
	free(l.v);
	if (!status && res->removed)
		status = merge_search(hub, err);
	if (!status && (res->removed || res->in_use)) {
		if (!(status = hub_begin(hub, err)))
			status = hub_audit(hub, "retention-run", 0, err,
					   "retention run: %ld removed, %ld in use "
					   "kept for the next run", res->removed,
					   res->in_use);
		status = hub_end(hub, status, err);
	}
	return status;
}

/* ---- legal holds ---------------------------------------------------------------- */

struct hold_seen {
	int live;
	char by[MD_LOGIN_MAX];
	long long at;
	char lifted_by[MD_LOGIN_MAX];
	long long lifted_at;
};

/* The live hold, else the latest lifted one, inside the transaction. */
static int hold_read(struct hub *hub, long long id, struct hold_seen *h,
		     struct md_error *err)
{
	static const char sql[] =
		"SELECT lifted_at IS NULL, by_login, at, coalesce(lifted_by, ''),"
		" coalesce(lifted_at, 0) FROM legal_hold WHERE referral_id = ?"
		" ORDER BY lifted_at IS NULL DESC, id DESC LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	memset(h, 0, sizeof *h);
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		h->live = db_column_int(st, 0);
		hub_col_text(st, 1, h->by, sizeof h->by);
		h->at = db_column_int64(st, 2);
		hub_col_text(st, 3, h->lifted_by, sizeof h->lifted_by);
		h->lifted_at = db_column_int64(st, 4);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the legal hold", err);
}

static int hold_begin(struct hub *hub, const char *ref, const char *reason,
		      long long *id, struct md_error *err)
{
	int status = hub_permit_ref(hub, HUB_ACT_HOLD, ref, err);
	if (!status)
		status = hub_note_check("reason", reason, HOLD_REASON_BYTES,
					"say why", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, id, NULL, err);
	if (status)
		hub_end(hub, status, err);
	return status;
}

int hub_hold(struct hub *hub, const char *ref, const char *reason,
	     struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO legal_hold (referral_id, reason, by_login, at)"
		" SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM legal_hold"
		" WHERE referral_id = ?1 AND lifted_at IS NULL)";
	long long id = 0, now = clock_now();
	struct hold_seen h;
	int status = hold_begin(hub, ref, reason, &id, err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, reason);
		hub_bind_text(st, 3, hub->me.login);
		db_bind_int64(st, 4, now);
		status = hub_step_done(hub, st, "putting the legal hold", err);
	}
	if (!status && hub_changes(hub) == 0 &&
	    !(status = hold_read(hub, id, &h, err))) {
		char at[CLOCK_ISO_MAX];
		clock_format_iso(h.at, at);
		status = !strcmp(h.by, hub->me.login)
			? md_fail(err, EX_DATAERR, "%s is on legal hold already "
				  "(yours, since %s)", ref, at)
			: md_fail(err, EX_TEMPFAIL, "%s was put on legal hold by %s "
				  "at %s", ref, h.by, at);
	}
	if (!status)
		status = hub_audit(hub, "hold", id, err, "legal hold: %s", reason);
	return hub_end(hub, status, err);
}

int hub_hold_lift(struct hub *hub, const char *ref, const char *reason,
		  struct md_error *err)
{
	static const char sql[] =
		"UPDATE legal_hold SET lifted_by = ?2, lifted_at = max(?3, at),"
		" lift_reason = ?4 WHERE referral_id = ?1 AND lifted_at IS NULL";
	long long id = 0, now = clock_now();
	struct hold_seen h;
	int status = hold_begin(hub, ref, reason, &id, err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, hub->me.login);
		db_bind_int64(st, 3, now);
		hub_bind_text(st, 4, reason);
		status = hub_step_done(hub, st, "lifting the legal hold", err);
	}
	if (!status && hub_changes(hub) == 0 &&
	    !(status = hold_read(hub, id, &h, err))) {
		char at[CLOCK_ISO_MAX];
		clock_format_iso(h.lifted_at, at);
		status = h.lifted_at && strcmp(h.lifted_by, hub->me.login) &&
			 now - h.lifted_at < LIFT_RECENT_SECONDS
			? md_fail(err, EX_TEMPFAIL, "%s's legal hold was lifted by "
				  "%s at %s", ref, h.lifted_by, at)
			: md_fail(err, EX_DATAERR, "%s is not on legal hold", ref);
	}
	if (!status)
		status = hub_audit(hub, "hold-lift", id, err, "legal hold lifted: %s",
				   reason);
	return hub_end(hub, status, err);
}
