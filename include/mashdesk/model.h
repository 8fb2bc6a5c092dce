/* model.h - plain structs for the hub's records, shared by the core and
 * both front ends.  Inputs carry borrowed pointers (NULL = not given);
 * outputs that the data layer fills use fixed buffers sized to the schema's
 * CHECK limits, so a caller never frees them. */
#ifndef MASHDESK_MODEL_H
#define MASHDESK_MODEL_H

#define MD_LOGIN_MAX   64     /* bytes incl. NUL */
#define MD_NAME_MAX    208    /* a person's name: 200 bytes + NUL, rounded */
#define MD_CODE_MAX    32     /* any lookup code */
#define MD_REF_MAX     16     /* "R0000001" */
#define MD_MAX_AGENCIES 16
#define MD_MAX_PEOPLE  16
#define MD_MAX_ACTIONS 16

struct user {
	char login[MD_LOGIN_MAX];
	char name[MD_NAME_MAX];
	char agency[MD_CODE_MAX];     /* "" for an admin or trainer without one */
	char role[MD_CODE_MAX];       /* practitioner supervisor trainer admin */
	int active;
};

/* A household member or significant adult. */
struct person_input {
	const char *name;
	const char *relationship;     /* "mother", "mother's partner", ... */
	const char *dob;              /* YYYY-MM-DD or NULL */
	int parental_responsibility;  /* 0/1 */
	int alleged_perpetrator;      /* 0/1 */
	int household;                /* 1 lives with the child, 0 significant adult elsewhere */
};

struct referral_input {
	const char *child_name;
	const char *aliases;          /* ';'-separated, or NULL */
	const char *dob;              /* YYYY-MM-DD; expected date if dob_estimated */
	int dob_estimated;            /* 1 = unborn child, expected date of delivery */
	const char *gender, *ethnicity, *language, *disability;
	int interpreter;              /* 0/1 */
	const char *address, *previous_address, *school, *gp, *nhs_number, *upn;
	const char *allocated_worker; /* an existing allocated social worker */
	const char *referrer, *referrer_role, *referrer_agency, *referrer_contact;
	const char *concern;          /* what happened (required) */
	const char *impact, *tried, *strengths;
	const char *category;         /* type of harm code, or NULL */
	const char *source;           /* source-of-referral code, or NULL */
	int parents_aware;            /* -1 unknown, 0, 1 */
	const char *consent;          /* given refused not-sought, or NULL */
	const char *consent_reason;
	const char *rag;              /* red amber green, or NULL (not yet rated) */
	int level;                    /* 1..4, 0 = not yet assessed */
	long long received_at;        /* unix seconds; 0 = now */
	/* History migrated from another system: a referral already decided. */
	long long decided_at;         /* 0 = not decided */
	const char *outcome;          /* outcome code when decided_at is set */
	/* What the record is (import's stage column): "contact" or
	 * "referral"; NULL = a contact, or a referral when decided.  A
	 * decided contact was closed at screening: outcome is then a
	 * screening outcome (nfa advice early-help allocated). */
	const char *stage;
	const struct person_input *people;
	int npeople;
};

struct check_input {
	const char *agency;           /* NULL = the acting user's own agency */
	const char *status;           /* requested in-progress complete nothing-known */
	/* Texts: NULL keeps what is recorded; "" asks to empty it, which is
	 * refused once something is recorded (write what stands instead). */
	const char *info;             /* what the agency shares */
	const char *basis;            /* lawful basis code */
	const char *consent;          /* given refused not-sought */
	const char *consent_reason;
	const char *handling;         /* shareable conditional restricted */
	long long at;                 /* 0 = now (generators may back-date) */
	/* Fencing for the desk's forms (NULL from the command line): the edit
	 * lease's token, and the check's version when the form opened
	 * (hub_lease.version; 0 when no check was recorded yet). */
	const char *lease_token;
	long long expect_version;
};

struct action_input {
	const char *what;
	const char *owner;            /* a login, or an agency/role in words */
	const char *due;              /* YYYY-MM-DD */
};

struct decision_input {
	const char *outcome;          /* outcome code (required) */
	const char *rationale;        /* required */
	const char *rag;              /* NULL = keep the referral's */
	int level;                    /* 0 = keep the referral's */
	const char *feedback;         /* feedback to the referrer */
	const char *agencies;         /* agencies taking part, ','-separated */
	const struct action_input *actions;
	int nactions;
	long long at;                 /* 0 = now */
	/* Fencing for the desk's form (NULL from the command line): the lease
	 * token and the referral's version when the form opened. */
	const char *lease_token;
	long long expect_version;
};

#endif
