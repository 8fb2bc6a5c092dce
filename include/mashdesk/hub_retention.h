/* hub_retention.h - records that end (src/hub_retention.c): the hub's
 * retention policy applied, and legal holds that stop it.
 *
 * The policy is [retention] in the system configuration (config.h,
 * mashdesk.ini(5)): for each kind of closed record, how long it is kept
 * after it closed -- a number of months, or until the child's 25th
 * birthday (age25) -- or for ever (0 or empty, the built-in default: the
 * policy is the hub's to set).  The kinds:
 *   contact-closed  a contact closed at screening (its screening outcome:
 *                   nfa, advice, early-help, allocated; each may have its
 *                   own period, contact_closed_OUTCOME)
 *   no-further      a referral decided nfa, advice or early-help
 *   assessed        a referral decided s17, s47 or immediate-protection
 * The clock runs from the record's closing: decided_at (for a contact
 * closed at screening, when it was screened).  With age25 a record is due
 * on the child's 25th birthday (date of birth + 25 years, UTC midnight),
 * or when it closed if that was later.  An open record (anything not
 * decided or closed, a decision awaiting sign-off included) is never due,
 * nor one under a live legal hold, nor a closed record no rule names.
 *
 * Removing a record (hub_retention_run) is one short BEGIN IMMEDIATE
 * transaction per referral, so desks keep working: its own rows go by the
 * ON DELETE CASCADE of every table that refers to a referral (so a table
 * added later needs nothing here, as long as it cascades); what has no
 * foreign key is handled by hand: its change-log rows (one left saying it
 * changed, so open desks let it go), later referrals' repeat links to it
 * (cleared, each audited on that referral), the search index (its FTS5
 * row by the trigger of 0003_search.sql; the index's segments are then
 * merged so its words are gone from the shadow tables too).  It leaves a
 * row in referral_removed (number, reference, when, rule: numbers are
 * never reused) and a tombstone in the audit chain ("retention", the
 * reference, the rule; no personal data), which seals the empty state.
 * Freed pages are overwritten (PRAGMA secure_delete) on that connection.
 *
 * Who may: RETENTION (admins; trainers on a training hub) lists and
 * removes; HOLD (supervisors; trainers on a training hub) holds and
 * lifts. */
#ifndef MASHDESK_HUB_RETENTION_H
#define MASHDESK_HUB_RETENTION_H

#include "mashdesk/hub.h"

#define RETENTION_RULE_MAX 96

/* A record due to go. */
struct retention_due {
	long long id;
	char ref[MD_REF_MAX];
	char kind[16];                  /* contact-closed no-further assessed */
	char outcome[MD_CODE_MAX];      /* its screening outcome or decision */
	char rule[RETENTION_RULE_MAX];  /* "contact_closed_advice = 72 months",
					 * "referral_assessed = age25" */
	long long closed_at;            /* when the clock started */
	long long due_at;               /* when it became due */
};

/* Each record due at `now` (normally clock_now()), oldest due first,
 * through cb (a non-zero return stops the walk and is returned).  *count
 * is how many were given.  Reads only; RETENTION. */
int hub_retention_due(struct hub *hub, long long now,
		      int (*cb)(const struct retention_due *d, void *arg),
		      void *arg, long *count, struct md_error *err);

/* What a run did. */
struct retention_result {
	long removed;
	long in_use;                    /* due, but being edited: kept */
	char in_use_ref[MD_REF_MAX];    /* the first of them */
	char in_use_by[MD_LOGIN_MAX];   /* ... and who holds its lease */
};

/* Remove every record due at `now`, one transaction each, telling cb
 * (may be NULL) of each one removed.  A record someone holds a live edit
 * lease on is kept for the next run (counted in in_use; the run goes on).
 * A record that stopped being due meanwhile (held, reopened) is skipped.
 * Returns 0 also when some were in use; the caller says so. */
int hub_retention_run(struct hub *hub, long long now,
		      int (*cb)(const struct retention_due *d, void *arg),
		      void *arg, struct retention_result *res,
		      struct md_error *err);

/* Put the referral ref on legal hold, saying why (audited).  Held
 * already: EX_DATAERR if by the acting user, EX_TEMPFAIL naming who and
 * when if by someone else. */
int hub_hold(struct hub *hub, const char *ref, const char *reason,
	     struct md_error *err);
/* Lift ref's legal hold, saying why (audited; the hold stays in its
 * history).  Not held: EX_DATAERR (EX_TEMPFAIL naming who, if someone
 * else lifted it in the last hour). */
int hub_hold_lift(struct hub *hub, const char *ref, const char *reason,
		  struct md_error *err);

#endif
