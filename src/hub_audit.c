/* hub_audit.c - the hash-chained audit log: appending and verifying (one
 * referral's entries are read by hub_audit_show.c).
 *
 * hash(row) = SHA-256 of the previous row's hash and this row's fields,
 * each followed by a unit separator, so no field can be shifted into
 * another; a row that seals a referral's state (hub_seal.c) has that state
 * as one more field, so rows written before states were sealed keep their
 * hashes.  The first row chains from sixty-four zeros.
 *
 * The chain is unkeyed: whoever can write the file can recompute it.  So
 * `audit head` gives the newest row's id and hash to be kept elsewhere (the
 * council's log server), and `audit verify --from ID:HASH` proves that row
 * still carries that hash and every row links: history before an anchor
 * cannot be rewritten unnoticed, even by root. */
#include "hub_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/sha256.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define VIEW_QUIET_SECONDS 600   /* one view per referral per desk per 10 min */

struct audit_row {
	long long id, at, referral_id;
	const char *login, *host, *tty, *action, *detail;
	const char *state;      /* NULL: this row seals no state */
};

static void audit_hash(const char *prev, const struct audit_row *r, char out[65])
{
	char num[3][24];
	struct sha256 s;
	const char *parts[] = { prev, num[0], num[1], r->login, r->host, r->tty,
				r->action, num[2], r->detail };
	snprintf(num[0], sizeof num[0], "%lld", r->id);
	snprintf(num[1], sizeof num[1], "%lld", r->at);
	snprintf(num[2], sizeof num[2], "%lld", r->referral_id);
	sha256_init(&s);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		sha256_update(&s, parts[i], strlen(parts[i]));
		sha256_update(&s, "\x1f", 1);
	}
	if (r->state) {
		sha256_update(&s, r->state, strlen(r->state));
		sha256_update(&s, "\x1f", 1);
	}
	sha256_hex(&s, out);
}

static void audit_where(char *host, size_t hlen, char *tty, size_t tlen)
{
	if (gethostname(host, hlen) != 0)
		snprintf(host, hlen, "unknown");
	host[hlen - 1] = '\0';
	const char *t = isatty(STDIN_FILENO) ? ttyname(STDIN_FILENO) : NULL;
	snprintf(tty, tlen, "%s", t ? t : "-");
}

/* Append inside the caller's open transaction (the change and its record
 * commit together, or neither does). */
static int audit_insert(struct hub *hub, const char *login, const char *action,
			long long referral_id, const char *detail,
			const char *state, struct md_error *err)
{
	static const char last_sql[] =
		"SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
	static const char insert_sql[] =
		"INSERT INTO audit (id, at, login, host, tty, action, referral_id,"
		" detail, hash, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char prev[65] = GENESIS, host[64], tty[64], hash[65];
	struct audit_row r = { .at = clock_now(), .referral_id = referral_id,
			       .login = login && *login ? login : "-",
			       .action = action, .detail = detail ? detail : "",
			       .state = state };
	struct db_stmt *st = hub_stmt(hub, last_sql, err);
	if (!st)
		return err->code;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r.id = db_column_int64(st, 0);
		hub_col_text(st, 1, prev, sizeof prev);
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading the audit log", err);
	r.id++;
	audit_where(host, sizeof host, tty, sizeof tty);
	r.host = host;
	r.tty = tty;
	audit_hash(prev, &r, hash);
	if (!(st = hub_stmt(hub, insert_sql, err)))
		return err->code;
	db_bind_int64(st, 1, r.id);
	db_bind_int64(st, 2, r.at);
	hub_bind_text(st, 3, r.login);
	hub_bind_text(st, 4, r.host);
	hub_bind_text(st, 5, r.tty);
	hub_bind_text(st, 6, r.action);
	hub_bind_opt_int(st, 7, referral_id, referral_id > 0);
	db_bind_text(st, 8, r.detail);
	hub_bind_text(st, 9, hash);
	hub_bind_text(st, 10, state);
	return hub_step_done(hub, st, "writing the audit log", err);
}

int hub_audit_append(struct hub *hub, const char *login, const char *action,
		     long long referral_id, const char *detail, struct md_error *err)
{
	return audit_insert(hub, login, action, referral_id, detail, NULL, err);
}

/* A change: about a referral, it seals the state the change left (every
 * change appends its row last, after its own writes). */
int hub_audit(struct hub *hub, const char *action, long long referral_id,
	      struct md_error *err, const char *fmt, ...)
{
	char detail[1024], state[65];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (referral_id > 0 && hub_seal_state(hub, referral_id, state, err))
		return err->code;
	return audit_insert(hub, hub->have_me ? hub->me.login : "-", action,
			    referral_id, detail, referral_id > 0 ? state : NULL,
			    err);
}

/* Outside any transaction: a view or a refusal is recorded on its own. */
void hub_audit_alone(struct hub *hub, const char *login, const char *action,
		     long long referral_id, const char *detail)
{
	struct md_error err;
	if (hub->in_tx || hub_begin(hub, &err) != 0)
		return;
	int status = hub_audit_append(hub, login, action, referral_id, detail, &err);
	hub_end(hub, status, &err);
}

void hub_audit_view(struct hub *hub, long long referral_id, const char *how)
{
	long long now = clock_now();
	if (referral_id == hub->last_view_id && now - hub->last_view_at < VIEW_QUIET_SECONDS)
		return;   /* the desk re-reading what it shows is not a new view */
	hub->last_view_id = referral_id;
	hub->last_view_at = now;
	hub_audit_alone(hub, hub->me.login, "view", referral_id, how);
}

/* ---- verify ------------------------------------------------------------------ */

/* Walk the chain from the first row; with anchor_id > 0, the row of that
 * id must also carry anchor_hash (and exist). */
static int audit_walk(struct hub *hub, long long anchor_id,
		      const char *anchor_hash, long long *rows,
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT id, at, login, host, tty, action, coalesce(referral_id, 0),"
		" detail, hash, state FROM audit ORDER BY id";
	char prev[65] = GENESIS, hash[65], stored[80];
	long long expect = 1;
	*rows = 0;
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	int rc, status = 0;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct audit_row r = {
			.id = db_column_int64(st, 0), .at = db_column_int64(st, 1),
			.login = (const char *)db_column_text(st, 2),
			.host = (const char *)db_column_text(st, 3),
			.tty = (const char *)db_column_text(st, 4),
			.action = (const char *)db_column_text(st, 5),
			.referral_id = db_column_int64(st, 6),
			.detail = (const char *)db_column_text(st, 7),
			.state = (const char *)db_column_text(st, 9),
		};
		hub_col_text(st, 8, stored, sizeof stored);
		if (!r.login || !r.host || !r.tty || !r.action || !r.detail)
			status = md_fail(err, EX_DATAERR, "audit row %lld: a field "
					 "is missing (edited)", r.id);
		else if (r.id != expect)
			status = md_fail(err, EX_DATAERR, "audit row %lld is missing "
					 "(deleted): the log jumps from %lld to %lld",
					 expect, expect - 1, r.id);
		if (status)
			break;
		audit_hash(prev, &r, hash);
		if (strcmp(hash, stored) != 0) {
			status = md_fail(err, EX_DATAERR, "audit row %lld does not "
					 "match its hash: it, or the row before "
					 "it, was edited", r.id);
			break;
		}
		if (r.id == anchor_id && strcmp(stored, anchor_hash) != 0) {
			status = md_fail(err, EX_DATAERR, "audit row %lld no longer "
					 "carries the anchored hash %.12s... (it has "
					 "%.12s...): the log up to row %lld was "
					 "rewritten after the anchor was taken",
					 r.id, anchor_hash, stored, r.id);
			break;
		}
		memcpy(prev, stored, sizeof prev);
		expect++;
		(*rows)++;
	}
	hub_reset(st);
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the audit log", err);
	if (status == 0 && anchor_id > *rows)
		status = md_fail(err, EX_DATAERR, "audit row %lld, the anchor, is "
				 "not in the log (it ends at row %lld): the log "
				 "was cut back after the anchor was taken",
				 anchor_id, *rows);
	return status;
}

int hub_audit_verify(struct hub *hub, long long *rows, struct md_error *err)
{
	return audit_walk(hub, 0, GENESIS, rows, err);
}

int hub_audit_verify_from(struct hub *hub, long long anchor_id,
			  const char *anchor_hash, long long *rows,
			  struct md_error *err)
{
	if (anchor_id == 0 && strcmp(anchor_hash, GENESIS) != 0)
		return md_fail(err, EX_DATAERR, "anchor 0 is the empty log, "
			       "whose hash is sixty-four zeros");
	return audit_walk(hub, anchor_id, anchor_hash, rows, err);
}

int hub_audit_head(struct hub *hub, long long *id, char hash[65],
		   struct md_error *err)
{
	static const char sql[] =
		"SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	*id = 0;
	snprintf(hash, 65, "%s", GENESIS);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		hub_col_text(st, 1, hash, 65);
	}
	hub_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return hub_sql_fail(hub, rc, "reading the audit log", err);
	return 0;
}

/* Reading the audit of a referral is itself recorded. */
int hub_audit_view_alone(struct hub *hub, long long referral_id)
{
	hub_audit_alone(hub, hub->me.login, "audit-view", referral_id,
			"read the audit of this referral");
	return 0;
}
