/* hub_screen.h - the hub's front door (src/hub_screen.c): screening a
 * contact, asking agencies for their checks, and rating with a reason.
 *
 * Everything taken in is a contact.  Screening decides what it becomes:
 *   progressed  a referral, with a RAG rating, perhaps a level of need,
 *               and the agencies asked for their checks: only those
 *               checks open, each clock starting at the request with its
 *               RAG's timescale ([timescales] check_RAG_hours);
 *   closed      with an outcome (nfa, advice, early-help, allocated: the
 *               screening_outcome table) and a reason; "allocated" only
 *               when the child has an allocated social worker.
 * More agencies can be asked later (hub_request), and the rating changed
 * at any open stage with a reason (hub_rate).  Every rating is kept: who,
 * when, from, to and why.
 *
 * The raise/lower rule.  Raising the rating (green -> amber -> red; not
 * rated counts below green) brings each open check's due time forward to
 * no later than its new timescale from now, and the decision's to no
 * later than [timescales] decision_RAG_hours from now: min(due, now +
 * hours), counted as [clocks] says.  Lowering it keeps every due time as
 * it was.  A due time is never made later.  Screening's rating follows
 * the same rule.
 *
 * Who may: the SCREEN, RATE and REQUEST rows of hub_permit.h
 * (practitioners and supervisors of children's social care, or of the
 * agencies [permissions] screen_agencies names).
 *
 * Each is one BEGIN IMMEDIATE transaction whose UPDATE carries its own
 * precondition, audited in the same transaction.  Done already: by the
 * acting user, EX_DATAERR; by someone else (a race, or a stale screen),
 * EX_TEMPFAIL naming who and when ("R000123 was screened by sam at
 * ...").  Messages begin with the field they are about, as the command
 * line spells it: rag, reason, level, request, close, agency. */
#ifndef MASHDESK_HUB_SCREEN_H
#define MASHDESK_HUB_SCREEN_H

#include "mashdesk/hub.h"

/* Progress the contact ref to the hub's checks: rag (required), why
 * (required), level 1-4 (0 = keep), the agencies to ask (at least one,
 * active agency codes; repeats are asked once).  An agency that recorded
 * a check on the contact already keeps it, marked as asked now. */
int hub_screen_progress(struct hub *hub, const char *ref, const char *rag,
			const char *reason, int level,
			const char *const *agencies, int n,
			struct md_error *err);

/* Close the contact ref at screening with an outcome and why. */
int hub_screen_close(struct hub *hub, const char *ref, const char *outcome,
		     const char *reason, struct md_error *err);

/* Ask more agencies for their checks on the referral ref (a contact is
 * screened first); reason may be NULL.  All or none: an agency asked
 * already refuses the whole request. */
int hub_request(struct hub *hub, const char *ref, const char *const *agencies,
		int n, const char *reason, struct md_error *err);

/* Rate the open contact or referral ref rag, saying why.  Rating it what
 * it is already is refused.  hub_rate_seen is for a caller that showed
 * the rating `seen` ("" = not rated): if someone rated it since, the
 * rating is refused (EX_TEMPFAIL naming them) rather than made over
 * theirs unseen.  hub_rate does not ask. */
int hub_rate(struct hub *hub, const char *ref, const char *rag,
	     const char *reason, struct md_error *err);
int hub_rate_seen(struct hub *hub, const char *ref, const char *seen,
		  const char *rag, const char *reason, struct md_error *err);

#endif
