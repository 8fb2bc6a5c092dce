/* hub_bulk_split.c - the second thread of a fresh bulk load.
 *
 * SQLite writes one file from one thread at a time, so a million
 * generated referrals (some fourteen rows each) kept one core busy and
 * left the other idle.  A fresh hub is private until it is renamed into
 * place (HUB_BULK_FRESH), which allows this: the main thread inserts each
 * referral, its aliases and its search entry into the hub, and hands the
 * rest -- the household, the assignment, the agency checks and the
 * decision -- to a second thread that inserts them, through the very same
 * data-layer functions, into the same tables of a scratch file beside the
 * hub.  At the end the hub copies those tables in whole (empty tables of
 * identical definition, no triggers, foreign keys off: SQLite copies the
 * records as they are, without re-checking or re-indexing row by row) and
 * the scratch file is removed.  Every row is the one the single-threaded
 * load would write, in the same order with the same ids; tests/unit/
 * test_bulk.c loads the same data both ways and compares them. */
#include "hub_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mashdesk/clock.h"

#define SPLIT_QUEUE 2048        /* referrals in flight between the threads */
#define SPLIT_BATCH 20000       /* referrals per scratch transaction */

/* The tables the second thread fills, parents first. */
static const char *const split_tables[] = {
	"person", "assignment", "agency_check", "decision", "decision_agency",
	"decision_action", "rating",
};
#define NSPLIT (sizeof split_tables / sizeof split_tables[0])

/* One referral's share of the work, copied out of the generator's
 * buffers (which live only for one call) into one allocation. */
struct split_job {
	long long id, received, decided_at;
	const char *rag, *assigned_to, *decided_by;
	struct check_input checks[MD_MAX_AGENCIES];
	const char *check_by[MD_MAX_AGENCIES];
	long long request_at[MD_MAX_AGENCIES];
	const char *request_by[MD_MAX_AGENCIES], *request_reason[MD_MAX_AGENCIES];
	int nchecks;
	struct gen_rating ratings[GEN_MAX_RATINGS];
	int nratings;
	struct referral_input in;       /* people only */
	struct person_input people[MD_MAX_PEOPLE];
	int decided;
	struct decision_input decision;
	struct action_input actions[MD_MAX_ACTIONS];
	char *next;                     /* free space in text[] */
	char text[];
};

struct bulk_split {
	struct hub *aux;                /* the scratch file, second thread only */
	char path[PATH_MAX];
	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct split_job *queue[SPLIT_QUEUE];
	int head, count;
	int closing;                    /* no more jobs will come */
	int status;                     /* the thread's first failure */
	struct md_error err;
};

/* ---- copying a generated referral ---------------------------------------- */

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static const char *keep(struct split_job *j, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = memcpy(j->next, s, n);
	j->next += n;
	return p;
}

static struct split_job *job_new(const struct gen_referral *g, long long id,
				 long long received, long long decided_at)
{
	const struct decision_input *d = &g->decision;
	size_t n = len0(g->in.rag) + len0(g->assigned_to) + len0(g->decided_by);
	for (int i = 0; i < g->nchecks; i++) {
		const struct check_input *c = &g->checks[i];
		n += len0(c->agency) + len0(c->status) + len0(c->info) +
		     len0(c->basis) + len0(c->consent) + len0(c->consent_reason) +
		     len0(c->handling) + len0(g->check_by[i]) +
		     len0(g->request_by[i]) + len0(g->request_reason[i]);
	}
	for (int i = 0; i < g->nratings; i++)
		n += len0(g->ratings[i].by) + len0(g->ratings[i].from) +
		     len0(g->ratings[i].to) + len0(g->ratings[i].reason);
	for (int i = 0; i < g->in.npeople; i++) {
		const struct person_input *p = &g->in.people[i];
		n += len0(p->name) + len0(p->relationship) + len0(p->dob);
	}
	if (g->decided) {
		n += len0(d->outcome) + len0(d->rationale) + len0(d->rag) +
		     len0(d->feedback) + len0(d->agencies);
		for (int i = 0; i < d->nactions; i++)
			n += len0(d->actions[i].what) + len0(d->actions[i].owner) +
			     len0(d->actions[i].due);
	}
	struct split_job *j = calloc(1, sizeof *j + n);
	if (!j)
		return NULL;
	j->next = j->text;
	j->id = id;
	j->received = received;
	j->decided_at = decided_at;
	j->rag = keep(j, g->in.rag);
	j->assigned_to = keep(j, g->assigned_to);
	j->nchecks = g->nchecks < MD_MAX_AGENCIES ? g->nchecks : MD_MAX_AGENCIES;
	for (int i = 0; i < j->nchecks; i++) {
		const struct check_input *c = &g->checks[i];
		struct check_input *o = &j->checks[i];
		o->agency = keep(j, c->agency);
		o->status = keep(j, c->status);
		o->info = keep(j, c->info);
		o->basis = keep(j, c->basis);
		o->consent = keep(j, c->consent);
		o->consent_reason = keep(j, c->consent_reason);
		o->handling = keep(j, c->handling);
		o->at = c->at;
		j->check_by[i] = keep(j, g->check_by[i]);
		j->request_at[i] = g->request_at[i];
		j->request_by[i] = keep(j, g->request_by[i]);
		j->request_reason[i] = keep(j, g->request_reason[i]);
	}
	j->nratings = g->nratings < GEN_MAX_RATINGS ? g->nratings : GEN_MAX_RATINGS;
	for (int i = 0; i < j->nratings; i++) {
		const struct gen_rating *r = &g->ratings[i];
		j->ratings[i].at = r->at;
		j->ratings[i].by = keep(j, r->by);
		j->ratings[i].from = keep(j, r->from);
		j->ratings[i].to = keep(j, r->to);
		j->ratings[i].reason = keep(j, r->reason);
	}
	j->in.npeople = g->in.npeople < MD_MAX_PEOPLE ? g->in.npeople : MD_MAX_PEOPLE;
	for (int i = 0; i < j->in.npeople; i++) {
		j->people[i] = g->in.people[i];
		j->people[i].name = keep(j, g->in.people[i].name);
		j->people[i].relationship = keep(j, g->in.people[i].relationship);
		j->people[i].dob = keep(j, g->in.people[i].dob);
	}
	j->in.people = j->people;
	j->decided = g->decided;
	if (g->decided) {
		j->decision = *d;
		j->decision.outcome = keep(j, d->outcome);
		j->decision.rationale = keep(j, d->rationale);
		j->decision.rag = keep(j, d->rag);
		j->decision.feedback = keep(j, d->feedback);
		j->decision.agencies = keep(j, d->agencies);
		j->decision.nactions = d->nactions < MD_MAX_ACTIONS ? d->nactions
								     : MD_MAX_ACTIONS;
		for (int i = 0; i < j->decision.nactions; i++) {
			j->actions[i].what = keep(j, d->actions[i].what);
			j->actions[i].owner = keep(j, d->actions[i].owner);
			j->actions[i].due = keep(j, d->actions[i].due);
		}
		j->decision.actions = j->actions;
		j->decided_by = keep(j, g->decided_by);
	}
	return j;
}

/* A generated referral's assignment: here, below hub_bulk.c, since both
 * the second thread and the single-threaded load write them. */
int hub_bulk_log_assignment(struct hub *hub, long long id, const char *login,
			    long long at, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO assignment (referral_id, login, by_login, reason, at)"
		" VALUES (?1, ?2, ?2, 'claimed', ?3)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, login);
	db_bind_int64(st, 3, at);
	return hub_step_done(hub, st, "recording an assignment", err);
}

static int rag_rank(const char *rag)
{
	return !rag ? 0 : rag[0] == 'g' ? 1 : rag[0] == 'a' ? 2 : 3;
}

/* Check i's due time: its RAG's hours from its request (the RAG rated
 * last by then; unrated counts as green), brought forward by every rating
 * that raised the RAG while it was open, never put back by one that
 * lowered it (hub_rate's rule). */
static long long job_due(struct hub *hub, const struct split_job *j, int i,
			 long long requested)
{
	const struct check_input *c = &j->checks[i];
	int done = !strcmp(c->status, "complete") || !strcmp(c->status, "nothing-known");
	long long until = done ? c->at : (1LL << 62);
	const char *rag = j->rag;
	for (int k = 0; k < j->nratings && j->ratings[k].at <= requested; k++)
		rag = j->ratings[k].to;
	long long due = clock_due_at(&hub->cfg.work, requested,
				     config_check_hours(&hub->cfg, rag));
	for (int k = 0; k < j->nratings; k++) {
		const struct gen_rating *r = &j->ratings[k];
		if (r->at <= requested || r->at >= until ||
		    rag_rank(r->to) <= rag_rank(r->from))
			continue;
		long long sooner = clock_due_at(&hub->cfg.work, r->at,
						config_check_hours(&hub->cfg, r->to));
		if (sooner < due)
			due = sooner;
	}
	return due;
}

/* A generated check in one INSERT, with who asked for it and why (the
 * screening's columns that hub_check_upsert, the live path, leaves to
 * screening itself). */
static int job_check(struct hub *hub, const struct split_job *j, int i,
		     struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO agency_check (referral_id, agency, status, info,"
		" lawful_basis, consent, consent_reason, handling, requested_at,"
		" due_at, completed_at, updated_by, updated_at, requested_by,"
		" request_reason)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, 'shareable'), ?9,"
		"  ?10, CASE WHEN ?3 IN ('complete', 'nothing-known') THEN ?11 END,"
		"  ?12, ?11, ?13, ?14)";
	const struct check_input *c = &j->checks[i];
	long long at = c->at ? c->at : j->received;
	long long requested = j->request_at[i] ? j->request_at[i] : j->received;
	if (requested > at)
		requested = at;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, j->id);
	hub_bind_text(st, 2, c->agency);
	hub_bind_text(st, 3, c->status);
	hub_bind_text(st, 4, c->info);
	hub_bind_text(st, 5, c->basis);
	hub_bind_text(st, 6, c->consent);
	hub_bind_text(st, 7, c->consent_reason);
	hub_bind_text(st, 8, c->handling);
	db_bind_int64(st, 9, requested);
	db_bind_int64(st, 10, job_due(hub, j, i, requested));
	db_bind_int64(st, 11, at);
	hub_bind_text(st, 12, j->check_by[i]);
	hub_bind_text(st, 13, j->request_by[i]);
	hub_bind_text(st, 14, j->request_reason[i]);
	return hub_step_done(hub, st, "saving a generated check", err);
}

static int job_rating(struct hub *hub, const struct split_job *j, int i,
		      struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO rating (referral_id, at, by_login, from_rag, to_rag,"
		" reason) VALUES (?, ?, ?, ?, ?, ?)";
	const struct gen_rating *r = &j->ratings[i];
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, j->id);
	db_bind_int64(st, 2, r->at);
	hub_bind_text(st, 3, r->by);
	hub_bind_text(st, 4, r->from);
	hub_bind_text(st, 5, r->to);
	hub_bind_text(st, 6, r->reason);
	return hub_step_done(hub, st, "keeping a generated rating", err);
}

/* The rows written after the referral itself, by either load. */
static int job_insert(struct hub *aux, const struct split_job *j,
		      struct md_error *err)
{
	int status = hub_people_insert(aux, j->id, &j->in, err);
	if (!status && j->assigned_to)
		status = hub_bulk_log_assignment(aux, j->id, j->assigned_to,
						 j->received, err);
	for (int i = 0; !status && i < j->nchecks; i++)
		status = job_check(aux, j, i, err);
	if (!status && j->decided)
		status = hub_decision_insert(aux, j->id, &j->decision, j->decided_by,
					     j->decided_at, 0, err);
	for (int i = 0; !status && i < j->nratings; i++)
		status = job_rating(aux, j, i, err);
	return status;
}

int hub_bulk_rest(struct hub *hub, const struct gen_referral *g, long long id,
		  long long received, long long decided_at, struct md_error *err)
{
	struct split_job *j = job_new(g, id, received, decided_at);
	if (!j)
		return md_fail(err, EX_OSERR, "out of memory");
	int status = job_insert(hub, j, err);
	free(j);
	return status;
}

/* ---- the second thread --------------------------------------------------- */

static struct split_job *split_take(struct bulk_split *sp)
{
	pthread_mutex_lock(&sp->lock);
	while (sp->count == 0 && !sp->closing)
		pthread_cond_wait(&sp->changed, &sp->lock);
	struct split_job *j = NULL;
	if (sp->count > 0) {
		j = sp->queue[sp->head];
		sp->head = (sp->head + 1) % SPLIT_QUEUE;
		sp->count--;
		pthread_cond_broadcast(&sp->changed);
	}
	pthread_mutex_unlock(&sp->lock);
	return j;
}

static void split_failed(struct bulk_split *sp, int status,
			 const struct md_error *err)
{
	pthread_mutex_lock(&sp->lock);
	if (!sp->status) {
		sp->status = status;
		sp->err = *err;
	}
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
}

static void *split_main(void *arg)
{
	struct bulk_split *sp = arg;
	struct md_error err;
	long pending = 0;
	int status = hub_begin(sp->aux, &err);
	struct split_job *j;

	md_clear(&err);
	while ((j = split_take(sp))) {
		if (!status)
			status = job_insert(sp->aux, j, &err);
		free(j);
		if (!status && ++pending >= SPLIT_BATCH) {
			pending = 0;
			status = hub_end(sp->aux, 0, &err);
			if (!status)
				status = hub_begin(sp->aux, &err);
		}
		if (status) {
			split_failed(sp, status, &err);
			/* keep draining so the producer never waits forever */
		}
	}
	if (!status)
		status = hub_end(sp->aux, 0, &err);
	else
		hub_end(sp->aux, status, &err);
	if (status)
		split_failed(sp, status, &err);
	return NULL;
}

/* ---- the main thread's side ----------------------------------------------- */

/* The scratch file gets the moved tables exactly as the hub defines them
 * (indexes too, so the final copy can take them along), nothing else. */
static int split_schema(struct hub *hub, struct bulk_split *sp,
			struct md_error *err)
{
	static const char sql[] =
		"SELECT sql FROM sqlite_master WHERE tbl_name = ?"
		" AND type IN ('table', 'index') AND sql IS NOT NULL"
		" ORDER BY type = 'index'";
	for (size_t t = 0; t < NSPLIT; t++) {
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		hub_bind_text(st, 1, split_tables[t]);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			rc = sqlite3_exec(sp->aux->db,
					  (const char *)db_column_text(st, 0),
					  NULL, NULL, NULL);
			if (rc != SQLITE_OK) {
				hub_reset(st);
				return hub_sql_fail(sp->aux, rc, "preparing the "
						    "scratch file", err);
			}
		}
		hub_reset(st);
		if (rc != DB_DONE)
			return hub_sql_fail(hub, rc, "reading the schema", err);
	}
	return 0;
}

static void split_free(struct bulk_split *sp)
{
	if (!sp)
		return;
	hub_close(sp->aux);
	if (sp->path[0]) {
		char side[PATH_MAX + 16];
		unlink(sp->path);
		snprintf(side, sizeof side, "%s-journal", sp->path);
		unlink(side);
	}
	pthread_mutex_destroy(&sp->lock);
	pthread_cond_destroy(&sp->changed);
	free(sp);
}

int hub_bulk_split_start(struct hub *hub, struct bulk_split **out,
			 struct md_error *err)
{
	struct bulk_split *sp = calloc(1, sizeof *sp);
	*out = NULL;
	if (!sp)
		return md_fail(err, EX_OSERR, "out of memory");
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->changed, NULL);
	if (snprintf(sp->path, sizeof sp->path, "%s%s", hub->path,
		     HUB_BULK_SCRATCH) >= (int)sizeof sp->path) {
		sp->path[0] = '\0';
		split_free(sp);
		return md_fail(err, EX_USAGE, "%s: path too long", hub->path);
	}
	unlink(sp->path);    /* a leftover of a load that was killed */
	int status = hub_open_scratch(&sp->aux, sp->path, &hub->cfg, err);
	/* the shared insert code skips code checks while bulk loading */
	if (!status && !(sp->aux->bulk = calloc(1, 1)))
		status = md_fail(err, EX_OSERR, "out of memory");
	if (!status)
		status = split_schema(hub, sp, err);
	if (!status && pthread_create(&sp->thread, NULL, split_main, sp) != 0)
		status = md_fail(err, EX_OSERR, "cannot start the loader's "
				 "second thread");
	if (status) {
		split_free(sp);
		return status;
	}
	sp->started = 1;
	*out = sp;
	return 0;
}

int hub_bulk_split_put(struct bulk_split *sp, const struct gen_referral *g,
		       long long id, long long received, long long decided_at,
		       struct md_error *err)
{
	struct split_job *j = job_new(g, id, received, decided_at);
	if (!j)
		return md_fail(err, EX_OSERR, "out of memory");
	pthread_mutex_lock(&sp->lock);
	while (sp->count == SPLIT_QUEUE && !sp->status)
		pthread_cond_wait(&sp->changed, &sp->lock);
	int status = sp->status;
	if (status) {
		*err = sp->err;
	} else {
		sp->queue[(sp->head + sp->count) % SPLIT_QUEUE] = j;
		sp->count++;
		j = NULL;
		pthread_cond_broadcast(&sp->changed);
	}
	pthread_mutex_unlock(&sp->lock);
	free(j);
	return status;
}

/* Copy each table in one statement: the hub's copies are empty and, with
 * their triggers set aside for the copy, identical to the scratch file's.
 * Inside the caller's transaction. */
#define SPLIT_TRIGGERS 32
static int split_copy(struct hub *hub, struct md_error *err)
{
	static const char triggers_sql[] =
		"SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
		" AND tbl_name IN ('person', 'assignment', 'agency_check',"
		" 'decision', 'decision_agency', 'decision_action', 'rating')";
	char *name[SPLIT_TRIGGERS], *sql[SPLIT_TRIGGERS];
	int n = 0, rc = SQLITE_OK, step;
	struct db_stmt *st = hub_stmt(hub, triggers_sql, err);
	if (!st)
		return err->code;
	while ((step = db_step(st)) == DB_ROW && n < SPLIT_TRIGGERS) {
		name[n] = sqlite3_mprintf("%s", db_column_text(st, 0));
		sql[n] = sqlite3_mprintf("%s", db_column_text(st, 1));
		n++;
		if (!name[n - 1] || !sql[n - 1]) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc == SQLITE_OK && step == DB_ROW)
		rc = SQLITE_FULL;       /* more triggers than this code expects */
	else if (rc == SQLITE_OK && step != DB_DONE)
		rc = step;
	hub_reset(st);
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		char *drop = sqlite3_mprintf("DROP TRIGGER main.\"%w\"", name[i]);
		rc = drop ? sqlite3_exec(hub->db, drop, NULL, NULL, NULL) : SQLITE_NOMEM;
		sqlite3_free(drop);
	}
	for (size_t t = 0; rc == SQLITE_OK && t < NSPLIT; t++) {
		char *copy = sqlite3_mprintf("INSERT INTO main.\"%w\" SELECT * FROM"
					     " split.\"%w\"", split_tables[t],
					     split_tables[t]);
		rc = copy ? sqlite3_exec(hub->db, copy, NULL, NULL, NULL) : SQLITE_NOMEM;
		sqlite3_free(copy);
	}
	for (int i = 0; rc == SQLITE_OK && i < n; i++)
		rc = sqlite3_exec(hub->db, sql[i], NULL, NULL, NULL);
	for (int i = 0; i < n; i++) {
		sqlite3_free(name[i]);
		sqlite3_free(sql[i]);
	}
	return rc == SQLITE_OK ? 0 : hub_sql_fail(hub, rc, "gathering the loaded "
						   "tables", err);
}

int hub_bulk_split_finish(struct hub *hub, struct bulk_split *sp, int ok,
			  struct md_error *err)
{
	if (!sp)
		return 0;
	pthread_mutex_lock(&sp->lock);
	sp->closing = 1;
	pthread_cond_broadcast(&sp->changed);
	pthread_mutex_unlock(&sp->lock);
	if (sp->started)
		pthread_join(sp->thread, NULL);
	int status = 0;
	if (ok && sp->status) {
		status = sp->status;
		*err = sp->err;
	}
	/* the scratch connection is done: close it so the hub can attach */
	hub_close(sp->aux);
	sp->aux = NULL;
	if (ok && !status) {
		char *attach = sqlite3_mprintf("ATTACH %Q AS split", sp->path);
		int rc = attach ? sqlite3_exec(hub->db, attach, NULL, NULL, NULL)
				: SQLITE_NOMEM;
		sqlite3_free(attach);
		if (rc != SQLITE_OK)
			status = hub_sql_fail(hub, rc, "opening the loaded tables", err);
		if (!status)
			status = hub_begin(hub, err);
		if (!status)
			status = hub_end(hub, split_copy(hub, err), err);
		if (rc == SQLITE_OK)
			sqlite3_exec(hub->db, "DETACH split", NULL, NULL, NULL);
	}
	split_free(sp);
	return status;
}
