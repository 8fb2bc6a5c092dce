/* hub_board.h - the supervisors' workload board: who holds what, what is
 * overdue, and moving work between people.
 *
 * Seeing the board is for supervisors (and trainers on a training hub);
 * reassigning is for supervisors, always with a reason that is kept with
 * each assignment and in the audit log. */
#ifndef MASHDESK_HUB_BOARD_H
#define MASHDESK_HUB_BOARD_H

#include "mashdesk/hub.h"

struct board_row {
	char agency[MD_CODE_MAX];     /* "" for the unassigned pile */
	char login[MD_LOGIN_MAX];     /* "" for the unassigned pile */
	char name[MD_NAME_MAX];       /* "Unassigned" for the pile */
	char role[MD_CODE_MAX];
	int active;
	int open;                     /* open referrals held */
	int overdue;                  /* of those, past their decision time */
	int late_checks;              /* agency checks past due on them */
	long long oldest_due;         /* earliest decision due; 0 = none */
	/* strategy discussions due on what they hold (hub_strategy.h),
	 * decided referrals too: not yet late, and late */
	int strategy_due;
	int strategy_late;
};

/* The unassigned pile first, then each practitioner and supervisor
 * grouped by agency (in the agencies' order), by name within it.  A
 * deactivated user is listed only while still holding open work. */
int hub_board(struct hub *hub, int (*cb)(const struct board_row *r, void *arg),
	      void *arg, struct md_error *err);

/* The open referrals login holds ("" or NULL: the unassigned pile), most
 * urgent first (overdue, RAG, due time); overdue_only leaves the rest out. */
int hub_board_held(struct hub *hub, const char *login, int overdue_only,
		   int (*cb)(const struct queue_row *r, void *arg), void *arg,
		   struct md_error *err);

/* Assign every referral in refs to login with reason, in one transaction:
 * all or none (the first that cannot be moved is named).  Supervisors
 * only (EX_NOPERM); reason required (EX_USAGE). */
int hub_reassign(struct hub *hub, const char *const *refs, int n,
		 const char *login, const char *reason, struct md_error *err);

#endif
