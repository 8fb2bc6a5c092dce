/* hub_strategy.h - strategy discussions (src/hub_strategy.c).
 *
 * Where a child may be suffering significant harm, police, children's
 * social care and health hold a strategy discussion and decide whether a
 * section 47 enquiry starts: by children's social care alone
 * (s47-single), jointly with police (s47-joint), or not (no-s47, saying
 * what happens instead).
 *
 * When one is due.  The threshold is met when a referral is rated red (at
 * intake, at screening or by a re-rating) or decided s47 or
 * immediate-protection, whichever comes first; the moment is kept
 * (strategy_from, set once and never moved) and a discussion is due
 * [timescales] strategy_hours after it, counted as [clocks] says
 * (clock_due_at: with working_hours = yes the default 24 is three working
 * days, bank holidays skipped).  The data layer sets it in the same
 * transaction as the rating or decision that meets it.  It stays due
 * until a discussion is recorded; the latest discussion (by when it was
 * held) decides what is due next: nothing, or with reconvene another
 * within strategy_hours of when it was held.  Late = past due.
 *
 * The record.  Police, csc and health must take part: a record without
 * one of them is refused naming it ("attended: health did not take part;
 * say why with --missing-reason") unless a reason is given.  Others may
 * take part.  Each attendee is AGENCY and who: a login of the hub (of
 * that agency), or, for someone without one, a name in words (a text
 * with a space or a capital letter, "Dr Ada Lane"); anything else that
 * is not a login is refused, so a mistyped login is never kept as a
 * name.  Messages begin with the field they are about, as the command
 * line spells it: held, how, attended, summary, decision, instead,
 * action N, missing_reason.
 *
 * Who may: the STRATEGY row of hub_permit.h (practitioners and
 * supervisors of any agency; trainers on a training hub). */
#ifndef MASHDESK_HUB_STRATEGY_H
#define MASHDESK_HUB_STRATEGY_H

#include "mashdesk/hub.h"

#define MD_MAX_ATTENDEES 24

struct strategy_attendee_input {
	const char *agency;           /* an agency code */
	const char *who;              /* a login, or a name in words */
};

struct strategy_input {
	const char *held;             /* when: "now" or a time (clock_parse_iso) */
	const char *how;              /* meeting | call | video */
	const struct strategy_attendee_input *attendees;
	int nattendees;
	const char *summary;          /* the information shared (required) */
	const char *decision;         /* s47-single | s47-joint | no-s47 */
	const char *instead;          /* with no-s47: what happens instead */
	const struct action_input *actions;   /* blank rows are skipped */
	int nactions;
	int reconvene;                /* 1: another discussion is due */
	const char *missing_reason;   /* why a required agency took no part */
};

/* Record a strategy discussion on ref, audited.  EX_USAGE for a missing
 * field, EX_DATAERR for a bad one or a required agency missing without
 * a reason, EX_TEMPFAIL when someone else recorded the discussion held
 * at the same time meanwhile (named), EX_NOPERM when not allowed. */
int hub_strategy_record(struct hub *hub, const char *ref,
			const struct strategy_input *in, struct md_error *err);

/* The agencies that must take part, in the order a refusal names them. */
extern const char *const hub_strategy_required[3];

#endif
