/* hub_feedback.h - feedback to the referrer (src/hub_feedback.c): what
 * they were told, when and how, the two clocks that say when it is due,
 * the letter, and the share given on time.
 *
 * Two clocks.  The acknowledgement is due [timescales]
 * feedback_acknowledgement_hours after the contact was received; the
 * outcome [timescales] feedback_outcome_hours after the decision was made
 * (or the contact closed at screening); both counted as [clocks] says
 * (clock_due_at).  A clock stops at the first feedback of its kind; more
 * may be recorded (a letter after a call).  A decision sent back stops
 * the outcome's clock until it is made again.  Records from before
 * feedback was recorded, or imported already decided, have no clocks;
 * a bulk load's undecided records have their acknowledgement's, its
 * decided history none (db/migrations/0014_feedback.sql).
 *
 * What was shared under the restricted handling code never goes into
 * feedback: a text that repeats a restricted entry on the referral is
 * refused (EX_DATAERR "text: it repeats police's restricted entry, which
 * stays in the hub").  Repeating is text_repeats (text.h) with pieces of
 * FEEDBACK_MIN_REPEAT bytes or more: the entry as a whole, or any line
 * or sentence of it, found in the feedback once both are normalised
 * (case, accents, punctuation and spacing do not matter).  The letter
 * checks the recorded text again, against the entries as they are then.
 *
 * Who may: the FEEDBACK row of hub_permit.h (practitioners and
 * supervisors of any agency); the report: REPORT. */
#ifndef MASHDESK_HUB_FEEDBACK_H
#define MASHDESK_HUB_FEEDBACK_H

#include "mashdesk/hub.h"

#define FEEDBACK_TEXT_MAX 2000     /* bytes of one feedback's text */
#define FEEDBACK_MIN_REPEAT 12     /* bytes normalised: see above */

enum feedback_kind { FEEDBACK_ACK, FEEDBACK_OUTCOME, FEEDBACK_KINDS };
extern const char *const feedback_kind_names[FEEDBACK_KINDS];

/* Record feedback to the referrer of ref: kind (acknowledgement or
 * outcome), method (phone, email, letter or portal) and what they were
 * told.  The outcome only once decided or closed at screening.  One
 * BEGIN IMMEDIATE, audited. */
int hub_feedback_record(struct hub *hub, const char *ref, const char *kind,
			const char *method, const char *text,
			struct md_error *err);

/* When a clock of kind started at since is due: clock_due_at with the
 * kind's hours. */
long long hub_feedback_due(const struct hub *hub, enum feedback_kind kind,
			   long long since);

/* The earliest running clock of referral id: its due time (0 = none),
 * whether that has passed, and its kind's name ("" none). */
int hub_feedback_owed(struct hub *hub, long long id, long long now,
		      long long *due, int *late, char kind[16],
		      struct md_error *err);

/* The hub's running clocks by kind, and how many of them are late (the
 * board's counts): index range counts, whatever the hub's size. */
struct feedback_counts {
	long due[FEEDBACK_KINDS];
	long late[FEEDBACK_KINDS];
};
int hub_feedback_counts(struct hub *hub, struct feedback_counts *out,
			struct md_error *err);

/* The moment before which a clock of kind that started is late at now:
 * clock_due_at never goes backwards as its start moves on, so "due before
 * now" is "started before this" (found by bisection; exposed for tests). */
long long hub_feedback_late_before(const struct hub *hub,
				   enum feedback_kind kind, long long now);

/* ---- report feedback: the share given on time, by kind ------------------- */

/* Clocks that started in [from, to) (hub_report.h's period): given by
 * their due time, given after it, not given and past due, and still
 * running (not yet due: left out of the share).  share = on_time /
 * (on_time + late + overdue), -1 when that is 0. */
struct feedback_report_kind {
	long clocks, on_time, late, overdue, running;
	double share;
};
struct feedback_report {
	struct feedback_report_kind k[FEEDBACK_KINDS];
};
int hub_feedback_report(struct hub *hub, long long from, long long to,
			struct feedback_report *out, struct md_error *err);

/* ---- the letter ---------------------------------------------------------- */

/* The fields a letter may use: none can hold a restricted entry, and the
 * feedback text was checked (and is again here).  Texts are as stored;
 * "" when none. */
struct feedback_letter {
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	char referrer[MD_NAME_MAX];
	char received[32];        /* "YYYY-MM-DD HH:MM" local */
	char kind[16];
	char outcome[128];        /* the outcome's name, or "not yet decided" */
	char feedback[FEEDBACK_TEXT_MAX + 1];   /* the latest of the kind */
	char given[32];           /* when it was given, "" none */
	char hub[128];
	char date[16];            /* today, YYYY-MM-DD */
};

/* The letter's fields for ref; kind NULL: the outcome once decided (or
 * closed at screening), else the acknowledgement.  Audited as a letter
 * printed (it leaves the hub). */
int hub_feedback_letter(struct hub *hub, const char *ref, const char *kind,
			struct feedback_letter *out, struct md_error *err);

/* Fill template into out (malloc'd, *out = NULL on failure): {ref}
 * {child} {referrer} {received} {kind} {outcome} {feedback} {given}
 * {hub} {date}, and {{ for a literal {.  Any other {name}, or a '{' not
 * closed on its line, is EX_DATAERR naming it and its line ("template
 * line 4: unknown placeholder {concern}").  Pure. */
int feedback_letter_fill(const char *tmpl, const struct feedback_letter *l,
			 char **out, struct md_error *err);

#endif
