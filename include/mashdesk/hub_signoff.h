/* hub_signoff.h - the two-person rule: a decision that waits for a second
 * supervisor.
 *
 * With [decision] two_person_rule = yes, hub_decide() leaves the referral
 * in status 'signoff' with its decision recorded (decided_by, decided_at).
 * It takes effect (status 'decided') only when a supervisor other than
 * the decider signs it off; a supervisor may instead send it back with a
 * comment, which removes the decision (kept in the send-back record) and
 * returns the referral to status 'decision' for a new one.  Both are
 * refused with EX_NOPERM to anyone else, and audited. */
#ifndef MASHDESK_HUB_SIGNOFF_H
#define MASHDESK_HUB_SIGNOFF_H

#include "mashdesk/hub.h"

struct signoff_state {
	char status[MD_CODE_MAX];       /* the referral's status */
	int decided;                    /* a decision is recorded */
	char outcome[MD_CODE_MAX];
	char decided_by[MD_LOGIN_MAX];  /* "" = an earlier system (import) */
	long long decided_at;
	char signed_by[MD_LOGIN_MAX];   /* "" = not signed off */
	long long signed_at;
	/* The latest send-back (sendbacks = how many there were). */
	int sendbacks;
	char sent_back_by[MD_LOGIN_MAX];
	long long sent_back_at;
	char sent_back_outcome[MD_CODE_MAX];
	char comment[1024];             /* cut to fit; "" when none */
};

/* Where one referral's decision stands (anyone who may see referrals). */
int hub_signoff_state(struct hub *hub, const char *ref,
		      struct signoff_state *out, struct md_error *err);

/* Sign off the decision awaiting sign-off on ref: supervisors other than
 * its decider (EX_NOPERM); not awaiting sign-off: EX_DATAERR. */
int hub_signoff(struct hub *hub, const char *ref, struct md_error *err);

/* Send it back with a comment (required: EX_USAGE): supervisors. */
int hub_sendback(struct hub *hub, const char *ref, const char *comment,
		 struct md_error *err);

/* 1 when the acting user could sign ref off now (the desk's hint). */
int hub_may_signoff(struct hub *hub, const struct signoff_state *s);

#endif
