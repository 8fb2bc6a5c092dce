/* hub_scenario.c - practice scenarios: loading one into a training hub,
 * what the trainer's screen shows, and what an agency's records hold for
 * its trainee.  The clock is hub_scenario_clock.c, the debrief
 * hub_debrief.c.
 *
 * The scenario's definition lives in the hub (0006_scenario.sql) so that
 * every command needs only the hub.  Released referrals are ordinary
 * referrals, inserted by the same code as `referral add`: desks see them
 * arrive through the change log like any other. */
#include "hub_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub_scenario_internal.h"
#include "mashdesk/clock.h"

int hub_scenario_permit(struct hub *hub, struct md_error *err)
{
	return hub_permit(hub, HUB_ACT_SCENARIO, err);
}

/* ---- loading --------------------------------------------------------------- */

static int code_known(void *arg, const char *table, const char *code,
		      char *allowed, unsigned len)
{
	struct hub *hub = arg;
	struct md_error e;
	if (hub_code_check(hub, table, code, "", &e) == 0)
		return 1;
	/* hub_code_check's message ends "(one of: a b c)": keep the list */
	const char *p = strstr(e.msg, "(one of: ");
	snprintf(allowed, len, "%s", p ? p + 9 : "");
	size_t n = strlen(allowed);
	if (n && allowed[n - 1] == ')')
		allowed[n - 1] = '\0';
	return 0;
}

/* The file's referral as the hub would take it: the same validation as
 * `referral add`, whose messages start with the field's name. */
static int validate_referral(struct hub *hub, const struct scenario *s,
			     const struct scen_item *it, struct md_error *err)
{
	struct referral_input in;
	struct person_input people[MD_MAX_PEOPLE];
	int status = scenario_referral_input(s->path, it, &in, people, err);
	if (status)
		return status;
	struct md_error e;
	if (hub_referral_validate(hub, &in, &e) == 0)
		return 0;
	char where[600];
	scenario_where(where, sizeof where, s->path, it, NULL);
	size_t n = strlen(where);
	if (n >= 2)
		where[n - 2] = '\0';   /* "...]: " -> "...]" + " key: why" */
	return md_fail(err, EX_DATAERR, "%s %s", where, e.msg);
}

static int insert_user(struct hub *hub, const struct scenario *s,
		       const struct scen_item *u, long long now,
		       struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO app_user (login, name, agency, role, created_at)"
		" VALUES (?, ?, ?, ?, ?)";
	if (!strcmp(u->id, hub->me.login)) {
		char where[600];
		scenario_where(where, sizeof where, s->path, u, NULL);
		return md_fail(err, EX_DATAERR, "%s%s is the login loading the "
			       "scenario, already the hub's admin: give the "
			       "exercise's users their own logins", where, u->id);
	}
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, u->id);
	hub_bind_text(st, 2, scenario_get(u, "name"));
	hub_bind_text(st, 3, scenario_get(u, "agency"));
	hub_bind_text(st, 4, scenario_get(u, "role"));
	db_bind_int64(st, 5, now);
	return hub_step_done(hub, st, "adding the scenario's users", err);
}

static int insert_scenario_row(struct hub *hub, const struct scenario *s,
			       long long now, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO scenario (id, name, description, source, trainer,"
		" duration, loaded_at) VALUES (1, ?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, s->name);
	db_bind_text(st, 2, s->description);
	hub_bind_text(st, 3, s->path);
	hub_bind_text(st, 4, s->trainer);
	db_bind_int64(st, 5, s->duration);
	db_bind_int64(st, 6, now);
	return hub_step_done(hub, st, "saving the scenario", err);
}

static int insert_item_row(struct hub *hub, const struct scen_item *it, int seq,
			   int history, long long referral_id, long long at,
			   struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO scenario_referral (key, seq, history, offset_s, line,"
		" referral_id, released_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	static const char field_sql[] =
		"INSERT INTO scenario_field (scenario_key, seq, field, value)"
		" VALUES (?, ?, ?, ?)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, it->id);
	db_bind_int64(st, 2, seq);
	db_bind_int64(st, 3, history);
	db_bind_int64(st, 4, it->offset);
	db_bind_int64(st, 5, it->line);
	hub_bind_opt_int(st, 6, referral_id, referral_id > 0);
	hub_bind_opt_int(st, 7, at, referral_id > 0);
	int status = hub_step_done(hub, st, "saving the scenario's referrals", err);
	for (int i = 0; !status && !history && i < it->nfields; i++) {
		if (!scenario_is_referral_key(it->fields[i].key))
			continue;
		if (!(st = hub_stmt(hub, field_sql, err)))
			return err->code;
		hub_bind_text(st, 1, it->id);
		db_bind_int64(st, 2, i);
		hub_bind_text(st, 3, it->fields[i].key);
		db_bind_text(st, 4, it->fields[i].value);
		status = hub_step_done(hub, st, "saving a referral's fields", err);
	}
	return status;
}

/* A [history:ID]: on the hub from the start, received `ago` before the
 * load and decided `decided` after it arrived (default a day, or sooner). */
static int insert_history(struct hub *hub, const struct scenario *s,
			  const struct scen_item *it, int seq, long long now,
			  struct md_error *err)
{
	struct referral_input in;
	struct person_input people[MD_MAX_PEOPLE];
	int status = scenario_referral_input(s->path, it, &in, people, err);
	if (status)
		return status;
	const char *dec = scenario_get(it, "decided");
	long long after = dec ? scenario_parse_offset(dec) : 86400;
	if (after > it->offset)
		after = it->offset;
	in.received_at = now - it->offset;
	struct referral_fate fate = { .status = "decided",
				      .decided_at = in.received_at + after };
	long long id;
	char ref[MD_REF_MAX];
	status = hub_referral_insert(hub, &in, &fate, now, &id, ref, err);
	const char *why = scenario_get(it, "rationale");
	struct decision_input d = {
		.outcome = scenario_get(it, "outcome"),
		.rationale = why && *why ? why : "Decided before the exercise.",
		.rag = in.rag, .level = in.level,
	};
	if (!status)
		status = hub_decision_insert(hub, id, &d, NULL, fate.decided_at, 0,
					     err);
	if (!status)
		status = hub_search_index(hub, id, id, err);
	if (!status)
		status = insert_item_row(hub, it, seq, 1, id, in.received_at, err);
	return status;
}

static int insert_knows(struct hub *hub, const struct scen_item *k,
			struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO scenario_knows (scenario_key, agency, status, info,"
		" basis, handling) VALUES (?, ?, coalesce(?, 'complete'), ?, ?, ?)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, k->id);
	hub_bind_text(st, 2, k->agency);
	hub_bind_text(st, 3, scenario_get(k, "status"));
	hub_bind_text(st, 4, scenario_get(k, "info"));
	hub_bind_text(st, 5, scenario_get(k, "basis"));
	hub_bind_text(st, 6, scenario_get(k, "handling"));
	return hub_step_done(hub, st, "saving what an agency knows", err);
}

static int insert_expect(struct hub *hub, const struct scen_item *e,
			 struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO scenario_expect (scenario_key, rag, level, outcome,"
		" rationale, within_s) VALUES (?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	const char *lv = scenario_get(e, "level"), *w = scenario_get(e, "within");
	hub_bind_text(st, 1, e->id);
	hub_bind_text(st, 2, scenario_get(e, "rag"));
	hub_bind_opt_int(st, 3, lv ? lv[0] - '0' : 0, lv != NULL);
	hub_bind_text(st, 4, scenario_get(e, "outcome"));
	hub_bind_text(st, 5, scenario_get(e, "rationale"));
	hub_bind_opt_int(st, 6, w ? scenario_parse_offset(w) : 0, w != NULL);
	return hub_step_done(hub, st, "saving a model answer", err);
}

static int load_rows(struct hub *hub, const struct scenario *s, long long now,
		     struct md_error *err)
{
	int status = insert_scenario_row(hub, s, now, err), seq = 0;
	/* history first, oldest first, so reference numbers run in time order */
	int nh = s->nitems[SCEN_HISTORY], order[256];
	if (nh > 256)
		return md_fail(err, EX_DATAERR, "%s: at most 256 [history:ID] "
			       "sections", s->path);
	for (int i = 0; i < nh; i++) {
		int j = i;
		for (; j > 0 && s->items[SCEN_HISTORY][order[j - 1]].offset <
				s->items[SCEN_HISTORY][i].offset; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (int i = 0; !status && i < nh; i++)
		status = insert_history(hub, s, &s->items[SCEN_HISTORY][order[i]],
					++seq, now, err);
	for (int i = 0; !status && i < s->nitems[SCEN_REFERRAL]; i++)
		status = insert_item_row(hub, &s->items[SCEN_REFERRAL][i], ++seq,
					 0, 0, 0, err);
	for (int i = 0; !status && i < s->nitems[SCEN_KNOWS]; i++)
		status = insert_knows(hub, &s->items[SCEN_KNOWS][i], err);
	for (int i = 0; !status && i < s->nitems[SCEN_EXPECT]; i++)
		status = insert_expect(hub, &s->items[SCEN_EXPECT][i], err);
	return status;
}

int hub_scenario_load(struct hub *hub, const struct scenario *s,
		      struct md_error *err)
{
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	if (!status)
		status = scenario_check_codes(s, code_known, hub, err);
	for (int k = SCEN_REFERRAL; !status && k <= SCEN_HISTORY; k++)
		for (int i = 0; !status && i < s->nitems[k]; i++)
			status = validate_referral(hub, s, &s->items[k][i], err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	long long now = clock_now();
	for (int i = 0; !status && i < s->nitems[SCEN_USER]; i++)
		status = insert_user(hub, s, &s->items[SCEN_USER][i], now, err);
	if (!status)
		status = load_rows(hub, s, now, err);
	if (!status)
		status = hub_audit(hub, "scenario-load", 0, err, "loaded scenario "
				   "%s from %s", s->name, s->path);
	return hub_end(hub, status, err);
}

/* ---- what the trainer sees ------------------------------------------------- */

int hub_scenario_arrivals(struct hub *hub,
			  int (*cb)(const struct hub_scenario_arrival *a, void *arg),
			  void *arg, struct md_error *err)
{
	static const char sql[] =
		"SELECT s.key, s.offset_s, s.released_at IS NOT NULL,"
		" coalesce(r.ref, ''),"
		" coalesce(r.child_name, (SELECT value FROM scenario_field f"
		"   WHERE f.scenario_key = s.key AND f.field = 'child'), ''),"
		" coalesce(r.status, ''), coalesce(r.assigned_to, '')"
		" FROM scenario_referral s LEFT JOIN referral r ON r.id = s.referral_id"
		" WHERE s.history = 0 ORDER BY s.offset_s, s.seq";
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (status)
		return status;
	int rc;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct hub_scenario_arrival a;
		hub_col_text(st, 0, a.key, sizeof a.key);
		a.offset = db_column_int64(st, 1);
		a.released = db_column_int(st, 2);
		hub_col_text(st, 3, a.ref, sizeof a.ref);
		hub_col_text(st, 4, a.child, sizeof a.child);
		hub_col_text(st, 5, a.status, sizeof a.status);
		hub_col_text(st, 6, a.assigned_to, sizeof a.assigned_to);
		status = cb(&a, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "listing the scenario", err);
	hub_reset(st);
	return status;
}

/* A desk counts as open while its process lives (same host) and it beat
 * within three heartbeats (another host, where we cannot look). */
int hub_scenario_people(struct hub *hub,
			int (*cb)(const struct hub_scenario_person *p, void *arg),
			void *arg, struct md_error *err)
{
	static const char sql[] =
		"SELECT u.login, u.name, u.role, coalesce(u.agency, ''),"
		" (SELECT max(at) FROM audit a WHERE a.login = u.login"
		"   AND a.action <> 'refused')"
		" FROM app_user u WHERE u.active = 1 ORDER BY u.role = 'trainer' DESC,"
		" u.role = 'admin', u.agency, u.login";
	static const char desk_sql[] =
		"SELECT host, pid, tty, seen_at FROM presence WHERE login = ?";
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (status)
		return status;
	struct hub_scenario_person *people = NULL;
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		void *p = realloc(people, sizeof *people * (size_t)(n + 1));
		if (!p) {
			status = md_fail(err, EX_OSERR, "out of memory");
			break;
		}
		people = p;
		struct hub_scenario_person *q = &people[n++];
		memset(q, 0, sizeof *q);
		hub_col_text(st, 0, q->login, sizeof q->login);
		hub_col_text(st, 1, q->name, sizeof q->name);
		hub_col_text(st, 2, q->role, sizeof q->role);
		hub_col_text(st, 3, q->agency, sizeof q->agency);
		q->last_action = db_column_int64(st, 4);
	}
	hub_reset(st);
	if (!status && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "listing who is here", err);
	long long now = clock_now();
	char here[64];
	hub_scenario_host(here, sizeof here);
	for (int i = 0; !status && i < n; i++) {
		if (!(st = hub_stmt(hub, desk_sql, err))) {
			status = err->code;
			break;
		}
		hub_bind_text(st, 1, people[i].login);
		while (db_step(st) == DB_ROW) {
			char host[64];
			hub_col_text(st, 0, host, sizeof host);
			long pid = (long)db_column_int64(st, 1);
			long long seen = db_column_int64(st, 3);
			int live = !strcmp(host, here) ? hub_scenario_alive(host, pid)
				 : now - seen <= 3LL * hub->cfg.heartbeat_seconds;
			if (!live)
				continue;
			people[i].desks++;
			hub_col_text(st, 2, people[i].tty, sizeof people[i].tty);
		}
		hub_reset(st);
	}
	for (int i = 0; !status && i < n; i++)
		status = cb(&people[i], arg);
	free(people);
	return status;
}

int hub_presence_beat(struct hub *hub, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO presence (login, host, pid, tty, since, seen_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (host, pid) DO UPDATE"
		" SET login = excluded.login, seen_at = excluded.seen_at";
	if (!hub->training || !hub->have_me)
		return 0;
	char host[64];
	hub_scenario_host(host, sizeof host);
	const char *tty = isatty(STDIN_FILENO) ? ttyname(STDIN_FILENO) : NULL;
	int status = hub_begin(hub, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, hub->me.login);
		hub_bind_text(st, 2, host);
		db_bind_int64(st, 3, (long long)getpid());
		db_bind_text(st, 4, tty ? tty : "");
		db_bind_int64(st, 5, clock_now());
		status = hub_step_done(hub, st, "saying this desk is open", err);
	}
	return hub_end(hub, status, err);
}

void hub_presence_leave(struct hub *hub)
{
	static const char sql[] = "DELETE FROM presence WHERE host = ? AND pid = ?";
	struct md_error err;
	if (!hub->training || hub_begin(hub, &err))
		return;
	char host[64];
	hub_scenario_host(host, sizeof host);
	struct db_stmt *st = hub_stmt(hub, sql, &err);
	int status = st ? 0 : err.code;
	if (!status) {
		hub_bind_text(st, 1, host);
		db_bind_int64(st, 2, (long long)getpid());
		status = hub_step_done(hub, st, "closing the desk", &err);
	}
	hub_end(hub, status, &err);
}

/* ---- what an agency's records show ---------------------------------------- */

int hub_scenario_knows(struct hub *hub, const char *ref,
		       struct hub_scenario_knows *out, int *found,
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT k.status, coalesce(k.info, ''), coalesce(k.basis, ''),"
		" coalesce(k.handling, '') FROM scenario_referral s"
		" JOIN scenario_knows k ON k.scenario_key = s.key"
		" WHERE s.referral_id = ? AND k.agency = ?";
	long long id;
	*found = 0;
	memset(out, 0, sizeof *out);
	if (!hub->training)
		return 0;
	int status = hub_permit_check(hub, HUB_ACT_CHECK, err);
	if (!status && !hub->me.agency[0])
		status = md_fail(err, EX_NOPERM, "%s belongs to no agency, so has "
				 "no agency records", hub->me.login);
	if (!status)
		status = hub_find_referral(hub, ref, &id, NULL, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (status)
		return status;
	db_bind_int64(st, 1, id);
	hub_bind_text(st, 2, hub->me.agency);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*found = 1;
		hub_col_text(st, 0, out->status, sizeof out->status);
		hub_col_text(st, 1, out->info, sizeof out->info);
		hub_col_text(st, 2, out->basis, sizeof out->basis);
		hub_col_text(st, 3, out->handling, sizeof out->handling);
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading your agency's records", err);
	return 0;
}
