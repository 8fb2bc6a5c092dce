/* hub_scenario_clock.c - a scenario's clock: starting, stopping and
 * resuming it, releasing referrals as they fall due, and starting the
 * exercise again (hub_scenario.h).  Released referrals are inserted by the
 * same code as `referral add`, so every desk sees them arrive through the
 * change log like any other. */
#include "hub_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub_scenario_internal.h"
#include "mashdesk/clock.h"

/* ---- the clock ------------------------------------------------------------- */

void hub_scenario_host(char *host, size_t len)
{
	if (gethostname(host, len) != 0)
		snprintf(host, len, "unknown");
	host[len - 1] = '\0';
}

/* A runner is live unless it is certainly gone: this host, no such pid. */
int hub_scenario_alive(const char *host, long pid)
{
	char here[64];
	hub_scenario_host(here, sizeof here);
	if (pid <= 0)
		return 0;
	if (strcmp(here, host) != 0)
		return 1;
	return !(kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

int hub_scenario_state(struct hub *hub, struct hub_scenario_state *out,
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT name, description, source, coalesce(trainer, ''), duration,"
		" elapsed, coalesce(started_at, 0), speed, coalesce(runner_host, ''),"
		" coalesce(runner_pid, 0),"
		" (SELECT count(*) FROM scenario_referral WHERE history = 0),"
		" (SELECT count(*) FROM scenario_referral WHERE history = 0"
		"   AND released_at IS NOT NULL),"
		" (SELECT count(*) FROM scenario_referral WHERE history = 1),"
		" (SELECT coalesce(min(offset_s), -1) FROM scenario_referral"
		"   WHERE history = 0 AND released_at IS NULL)"
		" FROM scenario WHERE id = 1";
	memset(out, 0, sizeof *out);
	out->next_offset = -1;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->loaded = 1;
		hub_col_text(st, 0, out->name, sizeof out->name);
		hub_col_text(st, 1, out->description, sizeof out->description);
		hub_col_text(st, 2, out->source, sizeof out->source);
		hub_col_text(st, 3, out->trainer, sizeof out->trainer);
		out->duration = db_column_int64(st, 4);
		long long elapsed = db_column_int64(st, 5);
		long long started = db_column_int64(st, 6);
		out->speed = db_column_double(st, 7);
		hub_col_text(st, 8, out->runner_host, sizeof out->runner_host);
		out->runner_pid = (long)db_column_int64(st, 9);
		out->total = db_column_int(st, 10);
		out->released = db_column_int(st, 11);
		out->history = db_column_int(st, 12);
		out->next_offset = db_column_int64(st, 13);
		out->running = started && hub_scenario_alive(out->runner_host,
						       out->runner_pid);
		out->now = elapsed;
		if (out->running) {
			long long wall = clock_now() - started;
			out->now += (long long)((double)(wall > 0 ? wall : 0) * out->speed);
		}
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading the scenario", err);
	return 0;
}

static int need_scenario(struct hub *hub, struct hub_scenario_state *stt,
			 struct md_error *err)
{
	int status = hub_scenario_state(hub, stt, err);
	if (!status && !stt->loaded)
		status = md_fail(err, EX_DATAERR, "%s holds no scenario (load one "
				 "with `mashdesk scenario load FILE`)", hub->path);
	return status;
}

int hub_scenario_start(struct hub *hub, double speed, struct md_error *err)
{
	static const char sql[] =
		"UPDATE scenario SET elapsed = ?1, started_at = ?2, speed = ?3,"
		" runner_host = ?4, runner_pid = ?5 WHERE id = 1";
	struct hub_scenario_state stt;
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = need_scenario(hub, &stt, err);
	if (!status && stt.running && !(stt.runner_pid == (long)getpid()))
		status = md_fail(err, EX_TEMPFAIL, "the scenario's clock is "
				 "already running (process %ld on %s); stop it "
				 "first", stt.runner_pid, stt.runner_host);
	if (!status && !stt.running && stt.runner_pid) {
		/* its runner died: resume from the last referral it released */
		static const char last_sql[] =
			"SELECT coalesce(max(offset_s), 0) FROM scenario_referral"
			" WHERE history = 0 AND released_at IS NOT NULL";
		struct db_stmt *q = hub_stmt(hub, last_sql, err);
		if (!q)
			status = err->code;
		else {
			if (db_step(q) == DB_ROW)
				stt.now = db_column_int64(q, 0);
			hub_reset(q);
		}
	}
	char host[64];
	hub_scenario_host(host, sizeof host);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, stt.now);
		db_bind_int64(st, 2, clock_now());
		db_bind_double(st, 3, speed);
		hub_bind_text(st, 4, host);
		db_bind_int64(st, 5, (long long)getpid());
		status = hub_step_done(hub, st, "starting the clock", err);
	}
	if (!status)
		status = hub_audit(hub, "scenario-run", 0, err, "clock started at "
				   "%llds, speed %g", stt.now, speed);
	return hub_end(hub, status, err);
}

int hub_scenario_stop(struct hub *hub, struct md_error *err)
{
	static const char sql[] =
		"UPDATE scenario SET elapsed = ?1, started_at = NULL,"
		" runner_host = NULL, runner_pid = NULL WHERE id = 1";
	struct hub_scenario_state stt;
	int status = hub_begin(hub, err);
	if (status)
		return status;
	status = need_scenario(hub, &stt, err);
	/* at speed 0 everything has arrived: the clock stands at the end */
	long long at = stt.speed == 0 && stt.next_offset < 0 ? stt.duration : stt.now;
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, at);
		status = hub_step_done(hub, st, "stopping the clock", err);
	}
	if (!status)
		status = hub_audit(hub, "scenario-stop", 0, err, "clock stopped at "
				   "%llds", at);
	return hub_end(hub, status, err);
}

/* Read a pending referral's stored fields back into the scenario's own
 * structure and from there into a referral_input: the same code path
 * that checked them when the file was loaded. */
static int release_one(struct hub *hub, const char *key, long long now,
		       struct hub_scenario_release *r, struct md_error *err)
{
	static const char sql[] =
		"SELECT field, value FROM scenario_field WHERE scenario_key = ?"
		" ORDER BY seq";
	static const char mark_sql[] =
		"UPDATE scenario_referral SET referral_id = ?, released_at = ?"
		" WHERE key = ?";
	struct scen_item it = { 0 };
	snprintf(it.section, sizeof it.section, "referral:%s", key);
	snprintf(it.id, sizeof it.id, "%s", key);
	struct scen_field fields[64];
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, key);
	int rc, status = 0;
	while ((rc = db_step(st)) == DB_ROW && it.nfields < 64) {
		const char *f = (const char *)db_column_text(st, 0);
		const char *v = (const char *)db_column_text(st, 1);
		fields[it.nfields].key = strdup(f ? f : "");
		fields[it.nfields].value = strdup(v ? v : "");
		it.nfields++;
	}
	hub_reset(st);
	it.fields = fields;
	for (int i = 0; i < it.nfields; i++)
		if (!fields[i].key || !fields[i].value)
			status = md_fail(err, EX_OSERR, "out of memory");
	struct referral_input in;
	struct person_input people[MD_MAX_PEOPLE];
	long long id = 0;
	if (!status)
		status = scenario_referral_input("the hub's scenario", &it, &in,
						 people, err);
	if (!status)
		status = hub_referral_insert(hub, &in, NULL, now, &id, r->ref, err);
	if (!status) {
		snprintf(r->key, sizeof r->key, "%s", key);
		snprintf(r->child, sizeof r->child, "%s", in.child_name);
		status = hub_search_index(hub, id, id, err);
	}
	for (int i = 0; i < it.nfields; i++) {
		free(fields[i].key);
		free(fields[i].value);
	}
	if (!status && !(st = hub_stmt(hub, mark_sql, err)))
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, now);
		hub_bind_text(st, 3, key);
		status = hub_step_done(hub, st, "marking a referral arrived", err);
	}
	if (!status)
		status = hub_audit(hub, "scenario-release", id, err, "scenario "
				   "referral %s arrived as %s", key, r->ref);
	return status;
}

int hub_scenario_release_due(struct hub *hub, int all,
			     void (*cb)(const struct hub_scenario_release *r,
					void *arg),
			     void *arg, int *pending, long long *next,
			     struct md_error *err)
{
	static const char sql[] =
		"SELECT key, offset_s FROM scenario_referral WHERE history = 0"
		" AND released_at IS NULL AND offset_s <= ? ORDER BY offset_s, seq"
		" LIMIT 1";
	struct hub_scenario_state stt;
	struct hub_scenario_release out[32];
	int n = 0;
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = need_scenario(hub, &stt, err);
	long long now = clock_now();
	/* at most 32 per transaction: the next call takes the rest */
	while (!status && n < 32) {
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st) {
			status = err->code;
			break;
		}
		db_bind_int64(st, 1, all ? SCEN_MAX_SECONDS + 1 : stt.now);
		int rc = db_step(st);
		char key[SCEN_ID_MAX] = "";
		long long off = 0;
		if (rc == DB_ROW) {
			hub_col_text(st, 0, key, sizeof key);
			off = db_column_int64(st, 1);
		}
		hub_reset(st);
		if (rc == DB_DONE)
			break;
		if (rc != DB_ROW) {
			status = hub_sql_fail(hub, rc, "reading the scenario", err);
			break;
		}
		status = release_one(hub, key, now, &out[n], err);
		out[n].offset = off;
		n += !status;
	}
	status = hub_end(hub, status, err);
	if (status)
		return status;
	for (int i = 0; cb && i < n; i++)
		cb(&out[i], arg);
	if ((status = hub_scenario_state(hub, &stt, err)))
		return status;
	*pending = stt.total - stt.released;
	*next = stt.next_offset;
	return 0;
}

/* ---- starting again -------------------------------------------------------- */

int hub_scenario_reset(struct hub *hub, int *removed, struct md_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM referral WHERE id NOT IN (SELECT referral_id FROM"
		" scenario_referral WHERE history = 1 AND referral_id IS NOT NULL)",
		"UPDATE scenario_referral SET referral_id = NULL, released_at = NULL"
		" WHERE history = 0",
		"UPDATE scenario SET elapsed = 0, started_at = NULL, speed = 1,"
		" runner_host = NULL, runner_pid = NULL WHERE id = 1",
	};
	struct hub_scenario_state stt;
	*removed = 0;
	int status = hub_permit(hub, HUB_ACT_SCENARIO, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = need_scenario(hub, &stt, err);
	if (!status && stt.running)
		status = md_fail(err, EX_TEMPFAIL, "the scenario's clock is "
				 "running (process %ld on %s); stop it before "
				 "starting again", stt.runner_pid, stt.runner_host);
	for (int i = 0; !status && i < 3; i++) {
		struct db_stmt *st = hub_stmt(hub, sql[i], err);
		if (!st)
			status = err->code;
		else
			status = hub_step_done(hub, st, "starting the scenario again",
					       err);
		if (!status && i == 0)
			*removed = hub_changes(hub);
	}
	if (!status)
		status = hub_audit(hub, "scenario-reset", 0, err, "scenario reset: "
				   "%d referrals and the work on them removed",
				   *removed);
	return hub_end(hub, status, err);
}
