/* hub_strategy.c - strategy discussions (see hub_strategy.h): when one is
 * due (hub_strategy_threshold, called by the rating and decision writes
 * in their own transactions) and recording one (hub_strategy_record).
 *
 * Low in the data layer: hub_referral.c, hub_screen.c and hub_work.c call
 * down into this file, so it calls none of them (tests/arch.sh); it uses
 * only the connection, codes and references, permissions and the audit
 * log. */
#include "hub_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_strategy.h"
#include "mashdesk/text.h"

#define STRATEGY_TEXT_BYTES 100000

const char *const hub_strategy_required[3] = { "police", "csc", "health" };

/* ---- when one is due ----------------------------------------------------- */

int hub_strategy_threshold(struct hub *hub, long long id, long long at,
			   struct md_error *err)
{
	/* Set once: only while strategy_from is NULL.  A discussion held
	 * since the threshold (recorded before it was met) means none is
	 * due yet. */
	static const char sql[] =
		"UPDATE referral SET strategy_from = ?2,"
		" strategy_due_at = CASE WHEN EXISTS (SELECT 1 FROM strategy s"
		"  WHERE s.referral_id = ?1 AND s.held_at >= ?2) THEN NULL ELSE ?3 END"
		" WHERE id = ?1 AND strategy_from IS NULL"
		" AND (rag = 'red' OR EXISTS (SELECT 1 FROM decision d"
		"  WHERE d.referral_id = ?1"
		"  AND d.outcome IN ('s47', 'immediate-protection')))";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	db_bind_int64(st, 3, clock_due_at(&hub->cfg.work, at,
					       hub->cfg.strategy_hours));
	return hub_step_done(hub, st, "setting when a strategy discussion is due",
			     err);
}

/* ---- checking what is given ---------------------------------------------- */

static int one_of(const char *s, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (!strcmp(s, *allowed))
			return 1;
	return 0;
}

static int text_ok(const char *field, const char *text, struct md_error *err)
{
	size_t n = text ? strlen(text) : 0;
	if (n > STRATEGY_TEXT_BYTES || !text_valid_utf8(text ? text : "", n))
		return md_fail(err, EX_DATAERR, "%s: not valid UTF-8 text of at "
			       "most %d bytes", field, STRATEGY_TEXT_BYTES);
	return 0;
}

/* A name in words rather than a login: it has a space or a capital. */
static int is_name_in_words(const char *who)
{
	for (const unsigned char *p = (const unsigned char *)who; *p; p++)
		if (isspace(*p) || isupper(*p) || *p >= 0x80)
			return 1;
	return 0;
}

/* The agency of login who ("" when who is no user) into agency. */
static int user_agency(struct hub *hub, const char *who, char agency[MD_CODE_MAX],
		       struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(agency, '') FROM app_user WHERE login = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	agency[0] = '\0';
	hub_bind_text(st, 1, who);
	int rc = db_step(st);
	if (rc == DB_ROW)
		hub_col_text(st, 0, agency, MD_CODE_MAX);
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading a user", err);
}

/* Each attendee: a known agency, and a login of it or a name in words.
 * login[i] says which it is. */
static int check_attendees(struct hub *hub, const struct strategy_input *in,
			   int *login, struct md_error *err)
{
	if (in->nattendees <= 0 || !in->attendees)
		return md_fail(err, EX_USAGE, "attended: required; who took part, "
			       "as AGENCY:LOGIN (police:pat,csc:sam,health:hana)");
	if (in->nattendees > MD_MAX_ATTENDEES)
		return md_fail(err, EX_DATAERR, "attended: at most %d people",
			       MD_MAX_ATTENDEES);
	for (int i = 0; i < in->nattendees; i++) {
		const struct strategy_attendee_input *a = &in->attendees[i];
		char agency[MD_CODE_MAX];
		int status;
		if (!a->agency || !*a->agency || !a->who || !*a->who)
			return md_fail(err, EX_DATAERR, "attended: give each "
				       "person as AGENCY:LOGIN, or AGENCY:a name "
				       "in words");
		if ((status = hub_code_check(hub, "agency", a->agency, "attended",
					     err)))
			return status;
		if ((status = text_ok("attended", a->who, err)))
			return status;
		if (strlen(a->who) > MD_NAME_MAX - 1)
			return md_fail(err, EX_DATAERR, "attended: '%.20s...' is "
				       "longer than %d bytes", a->who,
				       MD_NAME_MAX - 1);
		if ((status = user_agency(hub, a->who, agency, err)))
			return status;
		login[i] = agency[0] != '\0';
		if (login[i] && strcmp(agency, a->agency))
			return md_fail(err, EX_DATAERR, "attended: %s is %s, not "
				       "%s", a->who, agency, a->agency);
		if (!login[i] && !is_name_in_words(a->who))
			return md_fail(err, EX_DATAERR, "attended: %s is not a "
				       "user of hub %s; for someone without a "
				       "login give their name in words (%s:Ada "
				       "Lane)", a->who, hub->name, a->agency);
	}
	/* police, csc and health must take part, or a reason says why not */
	char missing[64] = "";
	int nmissing = 0;
	for (int k = 0; k < 3; k++) {
		int there = 0;
		for (int i = 0; i < in->nattendees; i++)
			there |= !strcmp(in->attendees[i].agency,
					 hub_strategy_required[k]);
		if (there)
			continue;
		size_t used = strlen(missing);
		snprintf(missing + used, sizeof missing - used, "%s%s",
			 nmissing ? ", " : "", hub_strategy_required[k]);
		nmissing++;
	}
	if (nmissing && !(in->missing_reason && *in->missing_reason))
		return md_fail(err, EX_DATAERR, "attended: %s did not take part; "
			       "say why with --missing-reason", missing);
	return 0;
}

static int action_blank(const struct action_input *a)
{
	return !(a->what && *a->what) && !(a->owner && *a->owner) &&
	       !(a->due && *a->due);
}

static int check_actions(const struct strategy_input *in, struct md_error *err)
{
	if (in->nactions < 0 || in->nactions > MD_MAX_ACTIONS)
		return md_fail(err, EX_DATAERR, "actions: at most %d",
			       MD_MAX_ACTIONS);
	for (int i = 0; i < in->nactions; i++) {
		const struct action_input *a = &in->actions[i];
		char field[32];
		int status;
		if (action_blank(a))
			continue;
		if (!a->what || !*a->what)
			return md_fail(err, EX_DATAERR, "action %d: what: "
				       "required; say what is to be done", i + 1);
		if (!a->owner || !*a->owner)
			return md_fail(err, EX_DATAERR, "action %d: owner: "
				       "required; say who does it (a login, or "
				       "a team in words)", i + 1);
		if (!a->due || !clock_valid_date(a->due))
			return md_fail(err, EX_DATAERR, "action %d: due: '%s' is "
				       "not a real date (YYYY-MM-DD)", i + 1,
				       a->due ? a->due : "");
		snprintf(field, sizeof field, "action %d", i + 1);
		if ((status = text_ok(field, a->what, err)) ||
		    (status = text_ok(field, a->owner, err)))
			return status;
	}
	return 0;
}

/* Everything that needs no referral: *held is when it was held. */
static int check_input(struct hub *hub, const struct strategy_input *in,
		       long long now, long long *held, int *login,
		       struct md_error *err)
{
	static const char *const hows[] = { "meeting", "call", "video", NULL };
	static const char *const decisions[] = {
		"s47-single", "s47-joint", "no-s47", NULL
	};
	int status;
	if (!in->held || !*in->held)
		return md_fail(err, EX_USAGE, "held: required; when it was held "
			       "(YYYY-MM-DDTHH:MM, or now)");
	if (!strcmp(in->held, "now"))
		*held = now;
	else if (clock_parse_iso(in->held, held) != 0)
		return md_fail(err, EX_DATAERR, "held: '%s' is not a time "
			       "(YYYY-MM-DDTHH:MM, or now)", in->held);
	if (*held > now)
		return md_fail(err, EX_DATAERR, "held: %s is in the future; "
			       "record a discussion once it is held", in->held);
	if (!in->how || !*in->how)
		return md_fail(err, EX_USAGE, "how: required; meeting, call or "
			       "video");
	if (!one_of(in->how, hows))
		return md_fail(err, EX_DATAERR, "how: '%s' is not one of "
			       "meeting, call, video", in->how);
	if ((status = check_attendees(hub, in, login, err)))
		return status;
	if ((status = hub_note_check("summary", in->summary, STRATEGY_TEXT_BYTES,
				     "say what information was shared", err)))
		return status;
	if (!in->decision || !*in->decision)
		return md_fail(err, EX_USAGE, "decision: required; s47-single, "
			       "s47-joint or no-s47");
	if (!one_of(in->decision, decisions))
		return md_fail(err, EX_DATAERR, "decision: '%s' is not one of "
			       "s47-single, s47-joint, no-s47", in->decision);
	if (!strcmp(in->decision, "no-s47") &&
	    !(in->instead && *in->instead))
		return md_fail(err, EX_DATAERR, "instead: required with no-s47; "
			       "say what happens instead");
	if (strcmp(in->decision, "no-s47") && in->instead && *in->instead)
		return md_fail(err, EX_DATAERR, "instead: only with no-s47 (the "
			       "decision is %s)", in->decision);
	if ((status = text_ok("instead", in->instead, err)) ||
	    (status = text_ok("missing_reason", in->missing_reason, err)))
		return status;
	return check_actions(in, err);
}

/* ---- recording one ------------------------------------------------------- */

/* The referral's receipt, for the earliest a discussion can be held. */
static int received_at(struct hub *hub, long long id, long long *at,
		       struct md_error *err)
{
	static const char sql[] = "SELECT received_at FROM referral WHERE id = ?";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*at = db_column_int64(st, 0);
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading the referral",
						   err);
}

/* The same discussion (held at the same moment) recorded already: by the
 * acting user EX_DATAERR, by someone else EX_TEMPFAIL naming them. */
static int recorded_already(struct hub *hub, const char *ref, long long id,
			    long long held, struct md_error *err)
{
	static const char sql[] =
		"SELECT recorded_by, recorded_at FROM strategy"
		" WHERE referral_id = ? AND held_at = ? ORDER BY id LIMIT 1";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	char by[MD_LOGIN_MAX] = "", when[CLOCK_ISO_MAX] = "", at[CLOCK_ISO_MAX];
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, held);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		hub_col_text(st, 0, by, sizeof by);
		clock_format_iso(db_column_int64(st, 1), when);
	}
	hub_reset(st);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the strategy discussions", err);
	clock_format_iso(held, at);
	if (!strcmp(by, hub->me.login))
		return md_fail(err, EX_DATAERR, "held: the discussion on %s held "
			       "at %s is recorded already (by you at %s)", ref, at,
			       when);
	return md_fail(err, EX_TEMPFAIL, "the discussion on %s held at %s was "
		       "recorded by %s at %s", ref, at, by, when);
}

static int insert_strategy(struct hub *hub, long long id, long long held,
			   long long now, const struct strategy_input *in,
			   long long *sid, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO strategy (referral_id, held_at, how, summary, decision,"
		" instead, reconvene, missing_reason, recorded_by, recorded_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, held);
	hub_bind_text(st, 3, in->how);
	hub_bind_text(st, 4, in->summary);
	hub_bind_text(st, 5, in->decision);
	hub_bind_text(st, 6, in->instead && *in->instead ? in->instead : NULL);
	db_bind_int64(st, 7, in->reconvene != 0);
	hub_bind_text(st, 8, in->missing_reason && *in->missing_reason
		      ? in->missing_reason : NULL);
	hub_bind_text(st, 9, hub->me.login);
	db_bind_int64(st, 10, now);
	int rc = db_step(st);
	*sid = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	hub_reset(st);
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "recording the strategy "
					       "discussion", err);
}

static int insert_parts(struct hub *hub, long long sid,
			const struct strategy_input *in, const int *login,
			struct md_error *err)
{
	static const char who_sql[] =
		"INSERT INTO strategy_attendee (strategy_id, agency, login, name)"
		" VALUES (?, ?, ?, ?)";
	static const char action_sql[] =
		"INSERT INTO strategy_action (strategy_id, what, owner, due_date)"
		" VALUES (?, ?, ?, ?)";
	int status = 0;
	for (int i = 0; !status && i < in->nattendees; i++) {
		const struct strategy_attendee_input *a = &in->attendees[i];
		struct db_stmt *st = hub_stmt(hub, who_sql, err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, sid);
		hub_bind_text(st, 2, a->agency);
		hub_bind_text(st, 3, login[i] ? a->who : NULL);
		hub_bind_text(st, 4, login[i] ? NULL : a->who);
		status = hub_step_done(hub, st, "recording who took part", err);
	}
	for (int i = 0; !status && i < in->nactions; i++) {
		const struct action_input *a = &in->actions[i];
		if (action_blank(a))
			continue;
		struct db_stmt *st = hub_stmt(hub, action_sql, err);
		if (!st)
			return err->code;
		db_bind_int64(st, 1, sid);
		hub_bind_text(st, 2, a->what);
		hub_bind_text(st, 3, a->owner);
		hub_bind_text(st, 4, a->due);
		status = hub_step_done(hub, st, "recording an action", err);
	}
	return status;
}

/* What is due next, from the latest discussion (by when it was held):
 * nothing, or with reconvene strategy_hours after it was held. */
static int due_next(struct hub *hub, long long id, long long now,
		    long long *due, struct md_error *err)
{
	static const char read_sql[] =
		"SELECT held_at, reconvene FROM strategy WHERE referral_id = ?"
		" ORDER BY held_at DESC, id DESC LIMIT 1";
	static const char sql[] =
		"UPDATE referral SET strategy_due_at = ?2, version = version + 1,"
		" updated_at = ?3 WHERE id = ?1";
	long long held = 0;
	int reconvene = 0;
	struct db_stmt *st = hub_stmt(hub, read_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		held = db_column_int64(st, 0);
		reconvene = db_column_int(st, 1);
	}
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading the strategy discussions", err);
	*due = reconvene ? clock_due_at(&hub->cfg.work, held,
					hub->cfg.strategy_hours) : 0;
	if (!(st = hub_stmt(hub, sql, err)))
		return err->code;
	db_bind_int64(st, 1, id);
	hub_bind_opt_int(st, 2, *due, *due != 0);
	db_bind_int64(st, 3, now);
	return hub_step_done(hub, st, "setting the next strategy discussion", err);
}

int hub_strategy_record(struct hub *hub, const char *ref,
			const struct strategy_input *in, struct md_error *err)
{
	int login[MD_MAX_ATTENDEES] = { 0 };
	long long now = clock_now(), held = 0, id = 0, received = 0, sid = 0;
	long long due = 0;
	int status = hub_permit_ref(hub, HUB_ACT_STRATEGY, ref, err);
	if (!status)
		status = check_input(hub, in, now, &held, login, err);
	if (!status)
		status = hub_begin(hub, err);
	if (status)
		return status;
	status = hub_find_referral(hub, ref, &id, NULL, err);
	if (!status)
		status = received_at(hub, id, &received, err);
	if (!status && held < received) {
		char when[CLOCK_ISO_MAX];
		clock_format_iso(received, when);
		status = md_fail(err, EX_DATAERR, "held: %s is before %s was "
				 "received (%s)", in->held, ref, when);
	}
	if (!status)
		status = recorded_already(hub, ref, id, held, err);
	if (!status)
		status = insert_strategy(hub, id, held, now, in, &sid, err);
	if (!status)
		status = insert_parts(hub, sid, in, login, err);
	if (!status)
		status = due_next(hub, id, now, &due, err);
	if (!status) {
		char at[CLOCK_ISO_MAX], next[CLOCK_ISO_MAX] = "";
		clock_format_iso(held, at);
		if (due)
			clock_format_iso(due, next);
		status = hub_audit(hub, "strategy", id, err, "strategy discussion "
				   "held %s by %s: %s%s%s%s%s", at, in->how,
				   in->decision, due ? ", reconvenes by " : "",
				   next, in->missing_reason && *in->missing_reason
				   ? "; missing: " : "", in->missing_reason &&
				   *in->missing_reason ? in->missing_reason : "");
	}
	return hub_end(hub, status, err);
}
