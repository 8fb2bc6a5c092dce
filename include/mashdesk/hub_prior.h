/* hub_prior.h - prior history while a contact is typed (src/hub_prior.c):
 * the earlier contacts and referrals of the same child or household, with
 * what became of them, and whether the child has an allocated social
 * worker now -- "join the dots" at the moment of intake.
 *
 * Read only and not audited: the desk asks as the caller types (when a
 * field is left, or after a pause), so a row per lookup would bury the
 * log; opening one of the matches is audited as any view is. */
#ifndef MASHDESK_HUB_PRIOR_H
#define MASHDESK_HUB_PRIOR_H

#include "mashdesk/error.h"
#include "mashdesk/model.h"

struct hub;

/* What is typed so far.  NULL or "" = not typed.  aliases is ';'-separated
 * as in struct referral_input.  exclude_id: the record being edited (its
 * own history is not prior history), 0 for a new contact. */
struct prior_query {
	const char *child_name, *dob, *aliases, *address;
	long long exclude_id;
};

#define PRIOR_MAX 20            /* matches given, newest first */

struct prior_match {
	char ref[MD_REF_MAX];
	long long received_at;
	char child_name[MD_NAME_MAX];
	char stage[16];               /* contact referral */
	char status[MD_CODE_MAX];
	char outcome[MD_CODE_MAX];    /* the decision's outcome, else the
	                               * screening outcome, else "" (open) */
	int same_child;               /* 1 the child (name or alias, with the
	                               * date of birth), 0 the household
	                               * (the address) */
	char allocated_worker[MD_NAME_MAX];   /* "" when none recorded */
	char assigned_to[MD_LOGIN_MAX];       /* who holds it in the hub */
};

/* Earlier records matching what is typed: the normalised name and date of
 * birth; each typed alias with the date of birth against names and
 * aliases; the typed name against other records' aliases with the date
 * of birth; the normalised address.  Newest first, at most PRIOR_MAX, each
 * through cb (non-zero from cb stops and is returned).  allocated_now gets
 * the allocated social worker recorded on the newest matching record of
 * the same child that has one ("" none).  Nothing is asked until the
 * name and a real date of birth, or an address, are typed: then 0 and no
 * rows.  Needs the permission to see referrals (HUB_ACT_VIEW). */
int hub_prior_history(struct hub *hub, const struct prior_query *q,
		      int (*cb)(const struct prior_match *m, void *arg),
		      void *arg, char allocated_now[MD_NAME_MAX],
		      struct md_error *err);

#endif
