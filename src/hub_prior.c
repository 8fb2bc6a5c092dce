/* hub_prior.c - prior history while a contact is typed (hub_prior.h).
 *
 * One statement: four branches, each read newest first from its own index
 * (referral_match_child for name and date of birth, the same index with
 * the typed aliases as names, referral_alias_key for names and aliases
 * against other records' aliases, referral_match_address for the
 * household) and each cut at PRIOR_MAX before they meet, so a common
 * address or a child referred a hundred times costs the same as one
 * match.  The keys are made here with text_normalise, the function the
 * stored keys were made with (registered in SQL as md_normalise).
 *
 * The same statement finds every record of one child for a subject access
 * request (hub_prior_child, hub_internal.h; hub_subject.c): the limit is
 * then none (?13 = -1) and the address not asked (?3 NULL matches
 * nothing), so the two can never disagree about who the child is. */
#include "hub_internal.h"

#include <limits.h>

#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_prior.h"
#include "mashdesk/text.h"

#define PRIOR_ALIASES 8         /* typed aliases matched; more are ignored */
#define KEY_MAX 1024

/* ?1 name key, ?2 date of birth, ?3 address key, ?4..?11 alias keys,
 * ?12 the record left out, ?13 each branch's limit (-1 none). */
static const char prior_sql[] =
	"WITH m(id, same_child) AS ("
	" SELECT id, 1 FROM (SELECT id FROM referral"
	"  WHERE name_key = ?1 AND dob = ?2 AND id <> ?12"
	"  ORDER BY received_at DESC LIMIT ?13) AS sq"
	" UNION ALL"
	" SELECT id, 1 FROM (SELECT id FROM referral"
	"  WHERE name_key IN (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) AND dob = ?2"
	"  AND id <> ?12 ORDER BY received_at DESC LIMIT ?13) AS sq"
	" UNION ALL"
	" SELECT id, 1 FROM (SELECT r.id, r.received_at FROM referral_alias a"
	"  JOIN referral r ON r.id = a.referral_id"
	"  WHERE a.alias_key IN (?1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	"  AND r.dob = ?2 AND r.id <> ?12 ORDER BY r.received_at DESC LIMIT ?13) AS sq"
	" UNION ALL"
	" SELECT id, 0 FROM (SELECT id FROM referral"
	"  WHERE address_key = ?3 AND id <> ?12"
	"  ORDER BY received_at DESC LIMIT ?13) AS sq)"
	" SELECT r.ref, r.received_at, r.child_name, r.stage, r.status,"
	"  coalesce(d.outcome, r.screening_outcome, ''), max(m.same_child),"
	"  coalesce(r.allocated_worker, ''), coalesce(r.assigned_to, ''), r.id"
	" FROM m JOIN referral r ON r.id = m.id"
	" LEFT JOIN decision d ON d.referral_id = r.id"
	" GROUP BY r.id, d.outcome ORDER BY r.received_at DESC, r.id DESC";

/* Bind the typed aliases' keys from ?4 on; the rest stay NULL. */
static void bind_aliases(struct db_stmt *st, const char *aliases,
			 char keys[PRIOR_ALIASES][KEY_MAX])
{
	int n = 0;

	for (const char *p = aliases; p && *p && n < PRIOR_ALIASES;) {
		size_t len = strcspn(p, ";");
		char one[KEY_MAX];
		snprintf(one, sizeof one, "%.*s", (int)(len < KEY_MAX - 1 ? len
							 : KEY_MAX - 1), p);
		p += len + (p[len] ? 1 : 0);
		text_normalise(keys[n], KEY_MAX, one);
		if (keys[n][0]) {
			db_bind_text(st, 4 + n, keys[n]);
			n++;
		}
	}
	for (int i = n; i < PRIOR_ALIASES; i++)
		db_bind_null(st, 4 + i);
}

/* Run the statement for q (the keys made here), each branch cut at limit
 * (-1 none), each row through row (non-zero stops and is returned). */
static int prior_run(struct hub *hub, const struct prior_query *q, int limit,
		     int (*row)(struct db_stmt *st, void *arg), void *arg,
		     struct md_error *err)
{
	char name_key[KEY_MAX], address_key[KEY_MAX];
	char alias_keys[PRIOR_ALIASES][KEY_MAX];
	int dob_ok = q->dob && clock_valid_date(q->dob);
	text_normalise(name_key, sizeof name_key, dob_ok ? q->child_name : "");
	text_normalise(address_key, sizeof address_key, q->address);
	if (!name_key[0] && !address_key[0])
		return 0;               /* nothing to match yet */
	struct db_stmt *st = hub_stmt(hub, prior_sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, name_key);
	if (dob_ok)
		db_bind_text(st, 2, q->dob);
	else
		db_bind_null(st, 2);
	hub_bind_text(st, 3, address_key);
	bind_aliases(st, dob_ok ? q->aliases : NULL, alias_keys);
	db_bind_int64(st, 12, q->exclude_id);
	db_bind_int64(st, 13, limit >= 0 ? limit : LLONG_MAX);   /* none: -1 on SQLite only */
	int rc, status = 0;
	while (status == 0 && (rc = db_step(st)) == DB_ROW)
		status = row(st, arg);
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "looking for prior history", err);
	hub_reset(st);
	return status;
}

struct prior_given {
	int (*cb)(const struct prior_match *m, void *arg);
	void *arg;
	char *allocated_now;
	int given;
};

static int prior_row(struct db_stmt *st, void *arg)
{
	struct prior_given *g = arg;
	struct prior_match m;
	hub_col_text(st, 0, m.ref, sizeof m.ref);
	m.received_at = db_column_int64(st, 1);
	hub_col_text(st, 2, m.child_name, sizeof m.child_name);
	hub_col_text(st, 3, m.stage, sizeof m.stage);
	hub_col_text(st, 4, m.status, sizeof m.status);
	hub_col_text(st, 5, m.outcome, sizeof m.outcome);
	m.same_child = db_column_int(st, 6);
	hub_col_text(st, 7, m.allocated_worker, sizeof m.allocated_worker);
	hub_col_text(st, 8, m.assigned_to, sizeof m.assigned_to);
	/* Newest first: the first of the child's with a worker. */
	if (m.same_child && !g->allocated_now[0] && m.allocated_worker[0])
		snprintf(g->allocated_now, MD_NAME_MAX, "%s", m.allocated_worker);
	if (g->given < PRIOR_MAX) {
		g->given++;
		if (g->cb)
			return g->cb(&m, g->arg);
	}
	return 0;
}

int hub_prior_history(struct hub *hub, const struct prior_query *q,
		      int (*cb)(const struct prior_match *m, void *arg),
		      void *arg, char allocated_now[MD_NAME_MAX],
		      struct md_error *err)
{
	allocated_now[0] = '\0';
	int status = hub_permit_check(hub, HUB_ACT_VIEW, err);
	if (status)
		return status;
	struct prior_given g = { cb, arg, allocated_now, 0 };
	return prior_run(hub, q, PRIOR_MAX, prior_row, &g, err);
}

struct prior_ids {
	int (*cb)(long long id, void *arg);
	void *arg;
};

static int prior_id_row(struct db_stmt *st, void *arg)
{
	struct prior_ids *p = arg;
	return p->cb(db_column_int64(st, 9), p->arg);
}

int hub_prior_child(struct hub *hub, const char *name, const char *dob,
		    int (*cb)(long long id, void *arg), void *arg,
		    struct md_error *err)
{
	struct prior_query q = { .child_name = name, .dob = dob };
	struct prior_ids p = { cb, arg };
	return prior_run(hub, &q, -1, prior_id_row, &p, err);
}
