/* hub_feedback.c - feedback to the referrer (see hub_feedback.h).
 *
 * The clocks' starts are kept by triggers in feedback_pending
 * (0014_feedback.sql); their due times are computed here, since the hours
 * are configuration and working hours are counted in C (clock.c).  Calls
 * hub_db.c, the audit log, codes and permissions only. */
#include "hub_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/text.h"

const char *const feedback_kind_names[FEEDBACK_KINDS] = {
	"acknowledgement", "outcome"
};

static enum feedback_kind kind_of(const char *name)
{
	return name && !strcmp(name, "outcome") ? FEEDBACK_OUTCOME : FEEDBACK_ACK;
}

long long hub_feedback_due(const struct hub *hub, enum feedback_kind kind,
			   long long since)
{
	int hours = kind == FEEDBACK_OUTCOME ? hub->cfg.feedback_outcome_hours
		: hub->cfg.feedback_acknowledgement_hours;
	return clock_due_at(&hub->cfg.work, since, hours > 0 ? hours : 24);
}

long long hub_feedback_late_before(const struct hub *hub,
				   enum feedback_kind kind, long long now)
{
	/* due(lo) < now <= due(hi); 720 working hours with every holiday
	 * fit well inside 800 days */
	long long lo = now - 800LL * 86400, hi = now;
	if (hub_feedback_due(hub, kind, lo) >= now)
		return lo;
	while (hi - lo > 1) {
		long long mid = lo + (hi - lo) / 2;
		if (hub_feedback_due(hub, kind, mid) < now)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* ---- the restricted entries -------------------------------------------------- */

/* EX_DATAERR naming the agency when text repeats one of referral id's
 * restricted entries (handling whose code never leaves the hub). */
static int restricted_check(struct hub *hub, long long id, const char *text,
			    const char *field, struct md_error *err)
{
	static const char sql[] =
		"SELECT c.agency, c.info FROM agency_check c"
		" WHERE c.referral_id = ? AND c.info IS NOT NULL AND c.info <> ''"
		" AND c.handling IN (SELECT code FROM handling_code WHERE leaves_hub = 0)"
		" ORDER BY c.agency";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc, status = 0;
	while (!status && (rc = db_step(st)) == DB_ROW) {
		int r = text_repeats(text, (const char *)db_column_text(st, 1),
				     FEEDBACK_MIN_REPEAT);
		if (r < 0)
			status = md_fail(err, EX_OSERR, "out of memory");
		else if (r > 0)
			status = md_fail(err, EX_DATAERR, "%s: it repeats %s's "
					 "restricted entry, which stays in the hub",
					 field, (const char *)db_column_text(st, 0));
	}
	if (!status && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the restricted entries", err);
	hub_reset(st);
	return status;
}

/* ---- recording ----------------------------------------------------------------- */

int hub_feedback_record(struct hub *hub, const char *ref, const char *kind,
			const char *method, const char *text,
			struct md_error *err)
{
	/* The outcome only once there is one: decided (or awaiting sign-off)
	 * or closed at screening, both of which set decided_at. */
	static const char sql[] =
		"INSERT INTO feedback (referral_id, kind, method, text, at, by_login)"
		" SELECT id, ?2, ?3, ?4, ?5, ?6 FROM referral"
		" WHERE id = ?1 AND (?2 <> 'outcome' OR decided_at IS NOT NULL)";
	long long id = 0, now = clock_now();
	int status = hub_permit_ref(hub, HUB_ACT_FEEDBACK, ref, err);
	if (!status && (!kind || !*kind))
		status = md_fail(err, EX_USAGE, "kind: required; acknowledgement "
				 "or outcome");
	if (!status)
		status = hub_code_check(hub, "feedback_kind", kind, "kind", err);
	if (!status && (!method || !*method))
		status = md_fail(err, EX_USAGE, "method: required; phone, email, "
				 "letter or portal");
	if (!status)
		status = hub_code_check(hub, "feedback_method", method, "method", err);
	if (!status)
		status = hub_note_check("text", text, FEEDBACK_TEXT_MAX,
					"say what the referrer was told", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = restricted_check(hub, id, text, "text", err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, kind);
		hub_bind_text(st, 3, method);
		hub_bind_text(st, 4, text);
		db_bind_int64(st, 5, now);
		hub_bind_text(st, 6, hub->me.login);
		status = hub_step_done(hub, st, "recording feedback", err);
		if (!status && hub_changes(hub) == 0)
			status = md_fail(err, EX_DATAERR, "kind: %s has no outcome "
					 "to tell yet: it is neither decided nor "
					 "closed at screening", ref);
	}
	if (!status)
		status = hub_audit(hub, "feedback", id, err, "gave the referrer "
				   "the %s by %s: %s", kind, method, text);
	return hub_end(hub, status, err);
}

/* ---- clocks -------------------------------------------------------------------- */

int hub_feedback_owed(struct hub *hub, long long id, long long now,
		      long long *due, int *late, char kind[16],
		      struct md_error *err)
{
	static const char sql[] =
		"SELECT kind, since FROM feedback_pending WHERE referral_id = ?";
	*due = 0;
	*late = 0;
	kind[0] = '\0';
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char k[16];
		hub_col_text(st, 0, k, sizeof k);
		long long d = hub_feedback_due(hub, kind_of(k),
					       db_column_int64(st, 1));
		if (!*due || d < *due) {
			*due = d;
			snprintf(kind, 16, "%s", k);
		}
	}
	hub_reset(st);
	*late = *due && *due < now;
	return rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the feedback clocks", err);
}

int hub_feedback_counts(struct hub *hub, struct feedback_counts *out,
			struct md_error *err)
{
	static const char sql[] =
		"SELECT count(*), count(CASE WHEN since < ?2 THEN 1 END)"
		" FROM feedback_pending WHERE kind = ?1";
	memset(out, 0, sizeof *out);
	int status = hub_permit_check(hub, HUB_ACT_VIEW, err);
	if (status)
		return status;
	long long now = clock_now();
	for (int k = 0; k < FEEDBACK_KINDS; k++) {
		struct db_stmt *st = hub_stmt(hub, sql, err);
		if (!st)
			return err->code;
		hub_bind_text(st, 1, feedback_kind_names[k]);
		db_bind_int64(st, 2, hub_feedback_late_before(hub, k, now));
		int rc = db_step(st);
		if (rc == DB_ROW) {
			out->due[k] = (long)db_column_int64(st, 0);
			out->late[k] = (long)db_column_int64(st, 1);
		}
		hub_reset(st);
		if (rc != DB_ROW)
			return hub_sql_fail(hub, rc, "counting feedback due", err);
	}
	return 0;
}

/* ---- the report -------------------------------------------------------------------- */

/* Every clock that started in [?1, ?2): a running one (its pending row)
 * or a stopped one (the first feedback of its kind).  A record with
 * neither never had a clock. */
static const char report_sql[] =
	"SELECT 'acknowledgement', r.received_at,"
	" (SELECT min(f.at) FROM feedback f WHERE f.referral_id = r.id"
	"  AND f.kind = 'acknowledgement')"
	" FROM referral r WHERE r.received_at >= ?1 AND r.received_at < ?2"
	" AND (EXISTS (SELECT 1 FROM feedback_pending p WHERE p.referral_id = r.id"
	"   AND p.kind = 'acknowledgement')"
	"  OR EXISTS (SELECT 1 FROM feedback f WHERE f.referral_id = r.id"
	"   AND f.kind = 'acknowledgement'))"
	" UNION ALL"
	" SELECT 'outcome', r.decided_at,"
	" (SELECT min(f.at) FROM feedback f WHERE f.referral_id = r.id"
	"  AND f.kind = 'outcome')"
	" FROM referral r WHERE r.decided_at >= ?1 AND r.decided_at < ?2"
	" AND (EXISTS (SELECT 1 FROM feedback_pending p WHERE p.referral_id = r.id"
	"   AND p.kind = 'outcome')"
	"  OR EXISTS (SELECT 1 FROM feedback f WHERE f.referral_id = r.id"
	"   AND f.kind = 'outcome'))";

int hub_feedback_report(struct hub *hub, long long from, long long to,
			struct feedback_report *out, struct md_error *err)
{
	memset(out, 0, sizeof *out);
	int status = hub_permit(hub, HUB_ACT_REPORT, err);
	if (status)
		return status;
	struct db_stmt *st;
	if ((status = hub_prepare(hub, report_sql, &st, err)))
		return status;
	long long now = clock_now();
	db_bind_int64(st, 1, from);
	db_bind_int64(st, 2, to);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		enum feedback_kind k = kind_of((const char *)db_column_text(st, 0));
		struct feedback_report_kind *x = &out->k[k];
		long long due = hub_feedback_due(hub, k, db_column_int64(st, 1));
		int given = db_column_type(st, 2) != DB_NULL;
		long long at = db_column_int64(st, 2);
		x->clocks++;
		if (given && at <= due)
			x->on_time++;
		else if (given)
			x->late++;
		else if (due < now)
			x->overdue++;
		else
			x->running++;
	}
	if (rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading the feedback report", err);
	db_finalize(st);
	for (int k = 0; k < FEEDBACK_KINDS; k++) {
		struct feedback_report_kind *x = &out->k[k];
		long owed = x->on_time + x->late + x->overdue;
		x->share = owed ? (double)x->on_time / (double)owed : -1;
	}
	return status;
}

/* ---- the letter ------------------------------------------------------------------- */

static void local_minutes(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	buf[0] = '\0';
	if (t && localtime_r(&tt, &tm))
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

int hub_feedback_letter(struct hub *hub, const char *ref, const char *kind,
			struct feedback_letter *out, struct md_error *err)
{
	static const char sql[] =
		"SELECT r.ref, r.child_name, coalesce(r.referrer, ''), r.received_at,"
		" r.decided_at IS NOT NULL,"
		" coalesce((SELECT o.name FROM decision d JOIN outcome o"
		"   ON o.code = d.outcome WHERE d.referral_id = r.id),"
		"  (SELECT s.name FROM screening_outcome s"
		"   WHERE s.code = r.screening_outcome), 'not yet decided')"
		" FROM referral r WHERE r.id = ?";
	static const char given_sql[] =
		"SELECT text, at FROM feedback WHERE referral_id = ? AND kind = ?"
		" ORDER BY at DESC, id DESC LIMIT 1";
	long long id = 0;
	memset(out, 0, sizeof *out);
	int status = hub_permit_ref(hub, HUB_ACT_FEEDBACK, ref, err);
	if (!status && kind)
		status = hub_code_check(hub, "feedback_kind", kind, "kind", err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	struct db_stmt *st = status ? NULL : hub_stmt(hub, sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		int rc = db_step(st);
		if (rc == DB_ROW) {
			hub_col_text(st, 0, out->ref, sizeof out->ref);
			hub_col_text(st, 1, out->child, sizeof out->child);
			hub_col_text(st, 2, out->referrer, sizeof out->referrer);
			local_minutes(db_column_int64(st, 3), out->received,
				      sizeof out->received);
			snprintf(out->kind, sizeof out->kind, "%s", kind ? kind
				 : feedback_kind_names[db_column_int(st, 4)
				 ? FEEDBACK_OUTCOME : FEEDBACK_ACK]);
			hub_col_text(st, 5, out->outcome, sizeof out->outcome);
		} else {
			status = hub_sql_fail(hub, rc, "reading the referral", err);
		}
		hub_reset(st);
	}
	st = status ? NULL : hub_stmt(hub, given_sql, err);
	if (!status && !st)
		status = err->code;
	if (!status) {
		db_bind_int64(st, 1, id);
		hub_bind_text(st, 2, out->kind);
		int rc = db_step(st);
		if (rc == DB_ROW) {
			hub_col_text(st, 0, out->feedback, sizeof out->feedback);
			local_minutes(db_column_int64(st, 1), out->given,
				      sizeof out->given);
		} else if (rc != DB_DONE) {
			status = hub_sql_fail(hub, rc, "reading the feedback", err);
		}
		hub_reset(st);
	}
	/* An entry restricted since the feedback was given stays in too. */
	if (!status)
		status = restricted_check(hub, id, out->feedback, "feedback", err);
	if (!status) {
		time_t now = (time_t)clock_now();
		struct tm tm;
		snprintf(out->hub, sizeof out->hub, "%s", hub->name);
		if (localtime_r(&now, &tm))
			strftime(out->date, sizeof out->date, "%Y-%m-%d", &tm);
		status = hub_audit(hub, "letter", id, err, "printed the referrer's "
				   "%s letter", out->kind);
	}
	if (status)
		memset(out, 0, sizeof *out);
	return hub_end(hub, status, err);
}

/* ---- filling the template (pure) ----------------------------------------------------- */

struct grow {
	char *s;
	size_t n, cap;
	int oom;
};

static void put(struct grow *g, const char *s, size_t n)
{
	if (g->oom)
		return;
	if (g->n + n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 1024;
		while (cap < g->n + n + 1)
			cap *= 2;
		char *more = realloc(g->s, cap);
		if (!more) {
			g->oom = 1;
			return;
		}
		g->s = more;
		g->cap = cap;
	}
	memcpy(g->s + g->n, s, n);
	g->n += n;
	g->s[g->n] = '\0';
}

static const char *placeholder(const struct feedback_letter *l,
			       const char *name, size_t n)
{
	static const struct { const char *name; size_t off; } fields[] = {
#define F(x) { #x, offsetof(struct feedback_letter, x) }
		F(ref), F(child), F(referrer), F(received), F(kind), F(outcome),
		F(feedback), F(given), F(hub), F(date),
#undef F
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i].name) == n && !memcmp(fields[i].name, name, n))
			return (const char *)l + fields[i].off;
	return NULL;
}

int feedback_letter_fill(const char *tmpl, const struct feedback_letter *l,
			 char **out, struct md_error *err)
{
	struct grow g = { 0 };
	int line = 1;
	*out = NULL;
	for (const char *p = tmpl; *p;) {
		size_t n = strcspn(p, "{\n");
		put(&g, p, n);
		p += n;
		if (*p == '\n') {
			put(&g, p++, 1);
			line++;
			continue;
		}
		if (!*p)
			break;
		if (p[1] == '{') {
			put(&g, "{", 1);
			p += 2;
			continue;
		}
		size_t k = strcspn(p + 1, "}\n");
		if (p[1 + k] != '}') {
			free(g.s);
			return md_fail(err, EX_DATAERR, "template line %d: a '{' "
				       "not closed on its line (write {{ for a "
				       "'{')", line);
		}
		const char *v = placeholder(l, p + 1, k);
		if (!v) {
			free(g.s);
			return md_fail(err, EX_DATAERR, "template line %d: unknown "
				       "placeholder {%.*s}", line,
				       (int)(k > 60 ? 60 : k), p + 1);
		}
		put(&g, v, strlen(v));
		p += k + 2;
	}
	put(&g, "", 0);
	if (g.oom) {
		free(g.s);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	*out = g.s;
	return 0;
}
