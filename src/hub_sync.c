/* hub_sync.c - many desks on one hub: noticing other users' commits, edit
 * leases that clear themselves when their holder is gone, and drafts that
 * keep typed work across a dropped connection. */
#include "hub_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "mashdesk/clock.h"

/* ---- other users' changes ----------------------------------------------- */

static int pragma_int(struct hub *hub, const char *sql, long long *out,
		      struct md_error *err)
{
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc = db_step(st);
	*out = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "polling for changes", err);
}

int hub_poll_changes(struct hub *hub, int *changed, int *reload,
		     int (*cb)(const struct hub_change *c, void *arg), void *arg,
		     struct md_error *err)
{
	static const char first_sql[] = "SELECT coalesce(min(id), 0) FROM change_log";
	static const char log_sql[] =
		"SELECT id, coalesce(referral_id, 0), what FROM change_log"
		" WHERE id > ? ORDER BY id LIMIT 5000";
	long long version, first;
	int own = hub->own_commit;
	*changed = *reload = 0;
	hub->own_commit = 0;
	int status = hub_data_version(hub, &version, err);
	if (status || (version == hub->data_version && !own))
		return status;
	int initial = hub->data_version == 0;
	int others = !initial && version != hub->data_version;
	hub->data_version = version;
	if ((status = pragma_int(hub, first_sql, &first, err)))
		return status;
	/* Entries we never saw were trimmed away: we cannot say what changed. */
	if (!initial && first > hub->last_change + 1)
		*reload = 1;
	struct db_stmt *st = hub_stmt(hub, log_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, hub->last_change);
	int rc, logged = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct hub_change c;
		hub->last_change = db_column_int64(st, 0);
		c.referral_id = db_column_int64(st, 1);
		hub_col_text(st, 2, c.what, sizeof c.what);
		logged++;
		if (!initial && cb && status == 0)
			status = cb(&c, arg);
	}
	hub_reset(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the change log", err);
	if (initial)
		return status;
	*changed = others || logged > 0 || *reload;
	/* Another's commit with nothing logged was a bulk load; 5000 rows at
	 * once is more than one screen's worth of news: reload either way. */
	if ((others && logged == 0) || logged == 5000)
		*reload = 1;
	return status;
}

/* ---- leases --------------------------------------------------------------- */

static const char *lease_kind_name(enum hub_lease_kind kind)
{
	return kind == HUB_LEASE_CHECK ? "check" :
	       kind == HUB_LEASE_DETAILS ? "details" : "decision";
}

/* What the lease guards, as a refusal names it. */
static const char *lease_what(enum hub_lease_kind kind)
{
	return kind == HUB_LEASE_CHECK ? "this agency's check" :
	       kind == HUB_LEASE_DETAILS ? "the details" : "the decision";
}

/* The permission a lease of this kind needs. */
static enum hub_act lease_act(enum hub_lease_kind kind)
{
	return kind == HUB_LEASE_CHECK ? HUB_ACT_CHECK :
	       kind == HUB_LEASE_DETAILS ? HUB_ACT_EDIT_DETAILS : HUB_ACT_DECIDE;
}

int hub_details_editable(const char *ref, const char *status,
			 struct md_error *err)
{
	if (!strcmp(status, "decided") || !strcmp(status, "signoff"))
		return md_fail(err, EX_DATAERR, "%s is decided: its details can "
			       "no longer be changed", ref);
	if (!strcmp(status, "closed"))
		return md_fail(err, EX_DATAERR, "%s is closed: its details can "
			       "no longer be changed", ref);
	return 0;
}

static void lease_token(char token[33])
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		/* No entropy source: a token unique to this process and moment
		 * still fences saves, which is its job. */
		long long t = clock_now();
		memcpy(raw, &t, sizeof t);
		long p = (long)getpid();
		memcpy(raw + 8, &p, sizeof p < 8 ? sizeof p : 8);
	}
	for (int i = 0; i < 16; i++)
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
}

static void lease_host(char *host, size_t len)
{
	if (gethostname(host, len) != 0)
		snprintf(host, len, "unknown");
	host[len - 1] = '\0';
}

/* The holder's process is certainly gone: same host, and no such pid. */
static int lease_holder_dead(const char *host, long pid)
{
	char here[64];
	lease_host(here, sizeof here);
	if (strcmp(here, host) != 0 || pid <= 0)
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Read the current lease on (kind, id, agency) into l's holder fields. */
static int lease_read(struct hub *hub, const char *kind, long long id,
		      const char *agency, struct hub_lease *l, int *found,
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT l.owner, coalesce(u.name, l.owner), l.host, l.pid, l.token,"
		" l.taken_at, l.expires_at FROM lease l"
		" LEFT JOIN app_user u ON u.login = l.owner"
		" WHERE l.kind = ? AND l.referral_id = ? AND l.agency = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, kind);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, agency);
	int rc = db_step(st);
	*found = rc == DB_ROW;
	if (*found) {
		hub_col_text(st, 0, l->owner, sizeof l->owner);
		hub_col_text(st, 1, l->owner_name, sizeof l->owner_name);
		hub_col_text(st, 2, l->host, sizeof l->host);
		l->pid = (long)db_column_int64(st, 3);
		char token[40];
		hub_col_text(st, 4, token, sizeof token);
		l->taken_at = db_column_int64(st, 5);
		l->expires_at = db_column_int64(st, 6);
		/* Only a match with our own token counts as ours. */
		if (strcmp(token, l->token) != 0)
			l->token[0] = '\0';
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading an edit lease", err);
}

/* The record a lease guards: the agency's check version, or the
 * referral's version for a decision. */
static int lease_record_version(struct hub *hub, enum hub_lease_kind kind,
				long long id, const char *agency, long long *v,
				struct md_error *err)
{
	static const char check_sql[] =
		"SELECT coalesce((SELECT version FROM agency_check"
		" WHERE referral_id = ?1 AND agency = ?2), 0)";
	static const char ref_sql[] = "SELECT version FROM referral WHERE id = ?1";
	struct db_stmt *st = hub_stmt(hub, kind == HUB_LEASE_CHECK ? check_sql
				    : ref_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	if (kind == HUB_LEASE_CHECK)
		db_bind_text(st, 2, agency);
	int rc = db_step(st);
	*v = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading a version", err);
}

static int lease_refuse(const struct hub_lease *l,
			struct md_error *err)
{
	char since[CLOCK_ISO_MAX];
	clock_format_iso(l->taken_at, since);
	return md_fail(err, EX_TEMPFAIL, "%s (%s) is editing %s of %s on %s "
		       "since %s; you can read it until they finish", l->owner_name,
		       l->owner, lease_what(l->kind), l->ref, l->host, since);
}

static int lease_write(struct hub *hub, struct hub_lease *l, long long id,
		       long long now, struct md_error *err)
{
	/* A lease taken over is removed and taken anew, so that the change
	 * log's insert trigger tells the other desks who holds it now (an
	 * upsert would fire no insert trigger). */
	static const char clear_sql[] =
		"DELETE FROM lease WHERE kind = ? AND referral_id = ? AND agency = ?";
	static const char sql[] =
		"INSERT INTO lease (kind, referral_id, agency, owner, host,"
		" pid, token, taken_at, heartbeat_at, expires_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = hub_stmt(hub, clear_sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, lease_kind_name(l->kind));
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, l->agency);
	int status = hub_step_done(hub, st, "taking the edit lease", err);
	if (status)
		return status;
	if (!(st = hub_stmt(hub, sql, err)))
		return err->code;
	lease_host(l->host, sizeof l->host);
	l->pid = (long)getpid();
	l->taken_at = now;
	l->expires_at = now + hub->cfg.lease_seconds;
	lease_token(l->token);
	hub_bind_text(st, 1, lease_kind_name(l->kind));
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, l->agency);
	hub_bind_text(st, 4, hub->me.login);
	hub_bind_text(st, 5, l->host);
	db_bind_int64(st, 6, l->pid);
	hub_bind_text(st, 7, l->token);
	db_bind_int64(st, 8, now);
	db_bind_int64(st, 9, now);
	db_bind_int64(st, 10, l->expires_at);
	snprintf(l->owner, sizeof l->owner, "%s", hub->me.login);
	snprintf(l->owner_name, sizeof l->owner_name, "%s", hub->me.name);
	return hub_step_done(hub, st, "taking the edit lease", err);
}

int hub_lease_take(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   struct hub_lease *l, struct md_error *err)
{
	long long id, now = clock_now();
	char rstatus[MD_CODE_MAX];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	snprintf(l->ref, sizeof l->ref, "%s", ref);
	if (kind == HUB_LEASE_CHECK)
		snprintf(l->agency, sizeof l->agency, "%s", hub->me.agency);
	if (kind == HUB_LEASE_CONTACT)
		return md_fail(err, EX_USAGE, "a new contact takes no edit lease");
	int status = hub_permit_ref(hub, lease_act(kind), ref, err);
	if (!status && kind == HUB_LEASE_CHECK && !l->agency[0])
		status = md_fail(err, EX_NOPERM, "%s belongs to no agency",
				 hub->me.login);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	int found = 0;
	status = hub_find_referral(hub, ref, &id, rstatus, err);
	if (!status)
		snprintf(l->ref, sizeof l->ref, "R%06lld", id);
	if (!status && kind == HUB_LEASE_DETAILS)
		status = hub_details_editable(l->ref, rstatus, err);
	if (!status)
		status = lease_read(hub, lease_kind_name(kind), id, l->agency, l,
				    &found, err);
	if (!status && found && l->expires_at > now &&
	    !lease_holder_dead(l->host, l->pid))
		return hub_end(hub, lease_refuse(l, err), err);
	if (!status)
		status = lease_record_version(hub, kind, id, l->agency, &l->version, err);
	if (!status)
		status = lease_write(hub, l, id, now, err);
	return hub_end(hub, status, err);
}

/* A write transaction about one referral: begins, finds ref and prepares
 * sql.  NULL with *status set (and the transaction ended) on failure;
 * otherwise the caller binds, steps and ends with hub_end. */
static struct db_stmt *begin_on(struct hub *hub, const char *ref, const char *sql,
			      long long *id, int *status, struct md_error *err)
{
	struct db_stmt *st = NULL;
	*status = hub_begin(hub, err);
	if (*status)
		return NULL;
	*status = hub_find_referral(hub, ref, id, NULL, err);
	if (!*status && !(st = hub_stmt(hub, sql, err)))
		*status = err->code;
	if (*status) {
		hub_end(hub, *status, err);
		return NULL;
	}
	return st;
}

int hub_lease_renew(struct hub *hub, struct hub_lease *l, struct md_error *err)
{
	static const char sql[] =
		"UPDATE lease SET heartbeat_at = ?1, expires_at = ?2"
		" WHERE kind = ?3 AND referral_id = ?4 AND agency = ?5 AND token = ?6";
	long long id, now = clock_now();
	int status;
	struct db_stmt *st = begin_on(hub, l->ref, sql, &id, &status, err);
	if (st) {
		db_bind_int64(st, 1, now);
		db_bind_int64(st, 2, now + hub->cfg.lease_seconds);
		hub_bind_text(st, 3, lease_kind_name(l->kind));
		db_bind_int64(st, 4, id);
		db_bind_text(st, 5, l->agency);
		hub_bind_text(st, 6, l->token);
		status = hub_step_done(hub, st, "renewing the edit lease", err);
	}
	if (!status && hub_changes(hub) == 0) {
		struct hub_lease now_held = *l;
		int found = 0;
		now_held.token[0] = '\0';
		status = lease_read(hub, lease_kind_name(l->kind), id, l->agency,
				    &now_held, &found, err);
		if (!status)
			status = found ? lease_refuse(&now_held, err)
				: md_fail(err, EX_TEMPFAIL, "your edit lease on %s "
					  "lapsed", l->ref);
	}
	if (!status)
		l->expires_at = now + hub->cfg.lease_seconds;
	return hub_end(hub, status, err);
}

int hub_lease_release(struct hub *hub, struct hub_lease *l, struct md_error *err)
{
	static const char sql[] =
		"DELETE FROM lease WHERE kind = ? AND agency = ? AND token = ?"
		" AND referral_id = ?";
	long long id;
	int status;
	struct db_stmt *st = begin_on(hub, l->ref, sql, &id, &status, err);
	if (st) {
		hub_bind_text(st, 1, lease_kind_name(l->kind));
		db_bind_text(st, 2, l->agency);
		hub_bind_text(st, 3, l->token);
		db_bind_int64(st, 4, id);
		status = hub_step_done(hub, st, "releasing the edit lease", err);
	}
	if (!status)
		l->token[0] = '\0';
	return hub_end(hub, status, err);
}

/* Inside a save's transaction: is this save still entitled to write?
 * token NULL (the command line): refused only while someone else holds a
 * live lease.  With a token: it must still be ours, and the record must
 * not have changed since the form opened (expect_version). */
int hub_lease_fence(struct hub *hub, enum hub_lease_kind kind, long long id,
		    const char *agency, const char *token, long long expect_version,
		    struct md_error *err)
{
	struct hub_lease l = { .kind = kind };
	int found = 0;
	snprintf(l.ref, sizeof l.ref, "R%06lld", id);
	snprintf(l.agency, sizeof l.agency, "%s", agency);
	snprintf(l.token, sizeof l.token, "%s", token ? token : "");
	int status = lease_read(hub, lease_kind_name(kind), id, agency, &l,
				&found, err);
	if (status)
		return status;
	long long now = clock_now();
	int ours = found && token && l.token[0];
	if (token && found && !ours)
		return md_fail(err, EX_TEMPFAIL, "your edit lease on %s passed to "
			       "%s; your text is kept: reopen to save it", l.ref,
			       l.owner);
	if (found && !ours && l.expires_at > now && !lease_holder_dead(l.host, l.pid))
		return lease_refuse(&l, err);
	/* A form (it has a token) saves over exactly the version it showed;
	 * version 0 is "no check recorded yet", which counts too. */
	if (token) {
		long long v;
		if ((status = lease_record_version(hub, kind, id, agency, &v, err)))
			return status;
		if (v != expect_version)
			return md_fail(err, EX_TEMPFAIL, "%s changed since you "
				       "opened it (someone else saved); your "
				       "text is kept: review the new version, "
				       "then save again", l.ref);
	}
	return 0;
}

int hub_lease_finish(struct hub *hub, enum hub_lease_kind kind, long long id,
		     const char *agency, const char *token, struct md_error *err)
{
	static const char lease_sql[] =
		"DELETE FROM lease WHERE kind = ? AND referral_id = ? AND agency = ?"
		" AND token = ?";
	static const char draft_sql[] =
		"DELETE FROM draft WHERE kind = ? AND referral_id = ? AND owner = ?";
	if (!token)
		return 0;
	struct db_stmt *st = hub_stmt(hub, lease_sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, lease_kind_name(kind));
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, agency);
	hub_bind_text(st, 4, token);
	int status = hub_step_done(hub, st, "ending the edit", err);
	if (!status && !(st = hub_stmt(hub, draft_sql, err)))
		status = err->code;
	if (!status) {
		hub_bind_text(st, 1, lease_kind_name(kind));
		db_bind_int64(st, 2, id);
		hub_bind_text(st, 3, hub->me.login);
		status = hub_step_done(hub, st, "discarding the saved draft", err);
	}
	return status;
}

/* ---- drafts -------------------------------------------------------------- */

/* A new contact's draft (HUB_LEASE_CONTACT): one per user, no referral. */
static int contact_draft_save(struct hub *hub, const char *body,
			      struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO contact_draft (owner, body, saved_at) VALUES (?, ?, ?)"
		" ON CONFLICT (owner) DO UPDATE SET body = excluded.body,"
		" saved_at = excluded.saved_at";
	int status = hub_begin(hub, err);
	if (status)
		return status;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return hub_end(hub, err->code, err);
	hub_bind_text(st, 1, hub->me.login);
	db_bind_text(st, 2, body);
	db_bind_int64(st, 3, clock_now());
	status = hub_step_done(hub, st, "keeping your draft", err);
	return hub_end(hub, status, err);
}

static int contact_draft_load(struct hub *hub, char **body,
			      long long *saved_at, struct md_error *err)
{
	static const char sql[] =
		"SELECT body, saved_at FROM contact_draft WHERE owner = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, hub->me.login);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *t = db_column_text(st, 0);
		*body = strdup(t ? (const char *)t : "");
		if (saved_at)
			*saved_at = db_column_int64(st, 1);
	}
	hub_reset(st);
	if (rc == DB_ROW && !*body)
		return md_fail(err, EX_OSERR, "out of memory");
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading your draft", err);
}

int hub_contact_draft_drop_tx(struct hub *hub, struct md_error *err)
{
	static const char sql[] = "DELETE FROM contact_draft WHERE owner = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, hub->me.login);
	return hub_step_done(hub, st, "discarding your draft", err);
}

int hub_draft_save(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   const char *body, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO draft (owner, kind, referral_id, body, saved_at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT (owner, kind, referral_id)"
		" DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at";
	long long id;
	if (!body || strlen(body) > 1000000)
		return md_fail(err, EX_DATAERR, "draft: too long to keep");
	if (kind == HUB_LEASE_CONTACT)
		return contact_draft_save(hub, body, err);
	int status;
	struct db_stmt *st = begin_on(hub, ref, sql, &id, &status, err);
	if (st) {
		hub_bind_text(st, 1, hub->me.login);
		hub_bind_text(st, 2, lease_kind_name(kind));
		db_bind_int64(st, 3, id);
		db_bind_text(st, 4, body);
		db_bind_int64(st, 5, clock_now());
		status = hub_step_done(hub, st, "keeping your draft", err);
	}
	return hub_end(hub, status, err);
}

int hub_draft_load(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   char **body, long long *saved_at, struct md_error *err)
{
	static const char sql[] =
		"SELECT body, saved_at FROM draft WHERE owner = ? AND kind = ?"
		" AND referral_id = ?";
	long long id;
	*body = NULL;
	if (kind == HUB_LEASE_CONTACT)
		return contact_draft_load(hub, body, saved_at, err);
	int status = hub_find_referral(hub, ref, &id, NULL, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (status)
		return status;
	hub_bind_text(st, 1, hub->me.login);
	hub_bind_text(st, 2, lease_kind_name(kind));
	db_bind_int64(st, 3, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *t = db_column_text(st, 0);
		*body = strdup(t ? (const char *)t : "");
		if (saved_at)
			*saved_at = db_column_int64(st, 1);
	}
	hub_reset(st);
	if (rc == DB_ROW && !*body)
		return md_fail(err, EX_OSERR, "out of memory");
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading your draft", err);
}

int hub_draft_drop(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   struct md_error *err)
{
	static const char sql[] =
		"DELETE FROM draft WHERE owner = ? AND kind = ? AND referral_id = ?";
	long long id;
	int status;
	if (kind == HUB_LEASE_CONTACT) {
		if ((status = hub_begin(hub, err)) == 0)
			status = hub_contact_draft_drop_tx(hub, err);
		return hub_end(hub, status, err);
	}
	struct db_stmt *st = begin_on(hub, ref, sql, &id, &status, err);
	if (st) {
		hub_bind_text(st, 1, hub->me.login);
		hub_bind_text(st, 2, lease_kind_name(kind));
		db_bind_int64(st, 3, id);
		status = hub_step_done(hub, st, "discarding your draft", err);
	}
	return hub_end(hub, status, err);
}
