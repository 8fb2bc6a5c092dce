/* hub_chase.h - per-agency chase lists: agency checks still open on open
 * referrals, late ones first, and a record of each time a supervisor
 * chased the agency for one.
 *
 * A check appears here once it has been recorded as requested or in
 * progress (that starts its clock, see clock_due_at); it leaves the list
 * when the agency completes it or the referral is decided.  Reading the
 * list is for supervisors (and trainers on a training hub); recording a
 * chase is for supervisors, audited. */
#ifndef MASHDESK_HUB_CHASE_H
#define MASHDESK_HUB_CHASE_H

#include "mashdesk/hub.h"

struct chase_row {
	char ref[MD_REF_MAX];
	char child_name[MD_NAME_MAX];
	char rag[MD_CODE_MAX];          /* "" = not rated */
	char agency[MD_CODE_MAX];
	char status[MD_CODE_MAX];       /* requested | in-progress */
	long long requested_at, due_at;
	int late;                       /* past due_at now */
	int chases;                     /* times chased */
	char chased_by[MD_LOGIN_MAX];   /* the latest chase; "" = never */
	long long chased_at;
	char note[256];
};

/* Open checks of agency (NULL or "": every agency), late first, then by
 * due time; late_only leaves the pending ones out. */
int hub_chase_list(struct hub *hub, const char *agency, int late_only,
		   int (*cb)(const struct chase_row *r, void *arg), void *arg,
		   struct md_error *err);

/* Record that the acting supervisor chased agency for its check on ref,
 * with a note (1 to 2000 bytes).  The check must be open: EX_DATAERR. */
int hub_chase_mark(struct hub *hub, const char *ref, const char *agency,
		   const char *note, struct md_error *err);

#endif
