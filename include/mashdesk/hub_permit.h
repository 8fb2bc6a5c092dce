/* hub_permit.h - who may do what: the list of actions and, on the same
 * line, the roles allowed to do each (src/hub_permit.c).
 *
 * One X-macro makes both the enum of actions and the table of rules, so an
 * action cannot exist without its rule: a line missing a column does not
 * compile.  Roles are bits, one per code of the role lookup table
 * (db/migrations/0002_codes.sql); the acting user's role is turned into
 * its bit once, when hub_act_as loads them. */
#ifndef MASHDESK_HUB_PERMIT_H
#define MASHDESK_HUB_PERMIT_H

#include "mashdesk/error.h"

struct hub;

/* X(NAME, role code).  In this order a refusal lists them ("only
 * practitioners and supervisors may ..."). */
#define HUB_ROLES(X) \
	X(PRACTITIONER, "practitioner") \
	X(SUPERVISOR, "supervisor") \
	X(ADMIN, "admin") \
	X(TRAINER, "trainer")

enum hub_role {
#define HUB_ROLE_BIT_(name, code) HUB_ROLE_BIT_##name,
	HUB_ROLES(HUB_ROLE_BIT_)
#undef HUB_ROLE_BIT_
#define HUB_ROLE_(name, code) HUB_ROLE_##name = 1u << HUB_ROLE_BIT_##name,
	HUB_ROLES(HUB_ROLE_)
#undef HUB_ROLE_
};

/* Things the acting user may try, and who may:
 * X(NAME, what a refusal says they may not do,
 *   roles allowed on any hub, roles allowed besides on a training hub,
 *   agencies whose practitioners and supervisors may: space-separated
 *   codes, "" = any agency) */
#define HUB_ACTIONS(X) \
	/* see referrals: queue, show */ \
	X(VIEW, "see referrals", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, HUB_ROLE_TRAINER, "") \
	/* take in referrals: referral add, import */ \
	X(REFERRAL_ADD, "take in referrals", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, HUB_ROLE_TRAINER, "") \
	X(CLAIM, "claim referrals", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "") \
	X(ASSIGN, "assign referrals", HUB_ROLE_SUPERVISOR, 0, "") \
	/* record one's own agency's check */ \
	X(CHECK, "record agency checks", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "") \
	X(DECIDE, "record decisions", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "") \
	X(USER_ADD, "manage users", HUB_ROLE_ADMIN, HUB_ROLE_TRAINER, "") \
	/* fill a training hub: demo, generate */ \
	X(BULK, "fill a training hub with data", \
	  0, HUB_ROLE_ADMIN | HUB_ROLE_TRAINER, "") \
	/* read who saw and did what on a referral */ \
	X(AUDIT, "read a referral's audit", HUB_ROLE_SUPERVISOR, HUB_ROLE_TRAINER, "") \
	/* override a consent refusal, with a reason */ \
	X(OVERRIDE, "override a consent refusal", HUB_ROLE_SUPERVISOR, 0, "") \
	/* the hub's reports (hub_report.h) are aggregates: trainers too */ \
	X(REPORT, "run reports", \
	  HUB_ROLE_SUPERVISOR | HUB_ROLE_ADMIN, HUB_ROLE_TRAINER, "") \
	/* an export takes records out of the hub: not trainers */ \
	X(EXPORT, "export referrals", HUB_ROLE_SUPERVISOR | HUB_ROLE_ADMIN, 0, "") \
	/* a copy of the whole hub: operations, not casework (on a hub host \
	 * the copy goes only where no person can read it: [backup] dir) */ \
	X(BACKUP, "back the hub up", HUB_ROLE_ADMIN, HUB_ROLE_TRAINER, "") \
	/* the workload board and chase lists */ \
	X(BOARD, "see the workload board", HUB_ROLE_SUPERVISOR, HUB_ROLE_TRAINER, "") \
	/* sign a decision off, or send it back */ \
	X(SIGNOFF, "sign decisions off", HUB_ROLE_SUPERVISOR, 0, "") \
	/* record chasing an agency's late check */ \
	X(CHASE, "chase agencies' checks", HUB_ROLE_SUPERVISOR, 0, "") \
	/* load, run, reset and debrief a scenario */ \
	X(SCENARIO, "run training scenarios", \
	  0, HUB_ROLE_ADMIN | HUB_ROLE_TRAINER, "") \
	/* the front door: screen a contact (progress it to the hub's checks or \
	 * close it), rate it with a reason, ask agencies for their checks; \
	 * [permissions] screen_agencies may name other agencies than csc */ \
	X(SCREEN, "screen contacts", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "csc") \
	X(RATE, "rate referrals", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "csc") \
	X(REQUEST, "ask agencies for their checks", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "csc") \
	/* correct a referral's child, household, referrer and consent */ \
	X(EDIT_DETAILS, "edit a referral's details", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "") \
	/* record a strategy discussion (police, csc and health take part; \
	 * whoever of them records it); trainers only on a training hub */ \
	X(STRATEGY, "record strategy discussions", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, HUB_ROLE_TRAINER, "") \
	/* answer a subject access request: everything held about one child \
	 * in one document, restricted entries included (marked) for the \
	 * reviewer.  Supervisors only: admins do not see referrals, and, as \
	 * an export, it takes records out of the hub, so not trainers \
	 * either (a training hub's supervisors may practise it) */ \
	X(SUBJECT_ACCESS, "answer subject access requests", \
	  HUB_ROLE_SUPERVISOR, 0, "") \
	/* move a case to another hub and take one in (hub_transfer.h): \
	 * supervisors, as a case leaving the hub is like an export; on a \
	 * training hub trainers too, rehearsing it between training hubs \
	 * as they rehearse import */ \
	X(TRANSFER, "transfer referrals between hubs", \
	  HUB_ROLE_SUPERVISOR, HUB_ROLE_TRAINER, "") \
	/* put a legal hold on a referral, or lift it, with a reason \
	 * (hub_retention.h): retention never removes a held record */ \
	X(HOLD, "put legal holds on referrals", HUB_ROLE_SUPERVISOR, \
	  HUB_ROLE_TRAINER, "") \
	/* list and remove records past the hub's [retention] policy: \
	 * operations, as backups are (admins; trainers on a training hub) */ \
	X(RETENTION, "apply the retention policy", HUB_ROLE_ADMIN, \
	  HUB_ROLE_TRAINER, "") \
	/* record feedback to the referrer and print their letter */ \
	X(FEEDBACK, "give referrers feedback", \
	  HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR, 0, "")

enum hub_act {
#define HUB_ACT_(name, what, who, who_training, agencies) HUB_ACT_##name,
	HUB_ACTIONS(HUB_ACT_)
#undef HUB_ACT_
};

/* 1 when the acting user may do this (the desk greys out the rest);
 * otherwise 0 and, if why is non-NULL, the sentence a refusal would give. */
int hub_may(struct hub *hub, enum hub_act act, struct md_error *why);

#endif
