/* generate.h - realistic fictional hub data, deterministic from a seed.
 *
 * The generator knows nothing of SQL: it hands users and referrals to a
 * sink (the data layer's bulk loader in production, a recorder in tests).
 * Every name, address and story is invented; nothing is about a real
 * child.  The same seed and `now` always give the same data. */
#ifndef MASHDESK_GENERATE_H
#define MASHDESK_GENERATE_H

#include "mashdesk/error.h"
#include "mashdesk/model.h"

/* One RAG rating: at intake, at screening, re-rated as checks come in,
 * or at the joint decision. */
struct gen_rating {
	long long at;
	const char *by;                      /* login */
	const char *from, *to;               /* from NULL: not rated before */
	const char *reason;
};
#define GEN_MAX_RATINGS 4

/* One generated contact with its life so far.  Everything taken in is a
 * contact; screening (screened_at) either closes it (screening_outcome
 * set: no checks, no decision) or progresses it to a referral, asking
 * the agencies whose checks carry a request (request_at, when the
 * agency's clock starts).  in.rag is the RAG in force when the checks
 * were asked (for a contact, the one given at intake, or NULL); the
 * ratings, oldest first, end at the current one. */
struct gen_referral {
	struct referral_input in;            /* in.people/npeople set */
	const char *assigned_to;             /* login or NULL */
	struct check_input checks[MD_MAX_AGENCIES];
	const char *check_by[MD_MAX_AGENCIES]; /* login who recorded each check
	                                        * (who asked, while only asked) */
	long long request_at[MD_MAX_AGENCIES]; /* 0: recorded without a request */
	const char *request_by[MD_MAX_AGENCIES];
	const char *request_reason[MD_MAX_AGENCIES];
	int nchecks;
	int decided;                         /* 1: `decision` below is set */
	struct decision_input decision;
	const char *decided_by;              /* login */
	long long screened_at;               /* 0: not screened (a contact) */
	const char *screened_by;             /* login */
	const char *screening_outcome;       /* closed at screening, or NULL */
	const char *screening_reason;
	struct gen_rating ratings[GEN_MAX_RATINGS];
	int nratings;
};

struct gen_sink {
	void *ctx;
	int (*user)(void *ctx, const struct user *u, struct md_error *err);
	int (*referral)(void *ctx, const struct gen_referral *g,
			struct md_error *err);
};

/* The demo hub: users of every agency and role (logins listed in
 * generate_demo_logins) and at least 40 referrals covering every RAG,
 * level, status, category and agency, some overdue, some repeats of the
 * same child or household, some with checks part done.  Times are set
 * relative to `now` so the demo always has live clocks. */
int generate_demo(const struct gen_sink *sink, long long now,
		  struct md_error *err);

/* The demo supervisor's login ("demo-sup"). */
extern const char *const GENERATE_DEMO_SUPERVISOR;

/* Every login generate_demo emits, in emission order, NULL-terminated
 * (for `demo --as LOGIN` and its help text). */
extern const char *const generate_demo_logins[];

/* n contacts spread over the `years` before now (30 for a million),
 * plus a staff of users; mostly history (about 40% closed at screening,
 * the rest referrals decided after their checks), the newest still open:
 * waiting to be screened, being screened, closed, or referrals with
 * checks under way or ready for decision.
 * Users come first (40: gen-AGENCY-sup and gen-AGENCY-01..05 for each
 * agency, gen-trainer-1/2, gen-admin-1/2), then referrals in rising
 * received_at order.  Every pointer handed to the sink lives only for that
 * call.  A decision is always in gen_referral.decision, never in
 * in.decided_at/in.outcome (those stay 0/NULL).  n < 0, years outside
 * 1-100 or a `now` less than `years` after 1970: EX_USAGE; no sink:
 * EX_SOFTWARE; a sink's non-zero return stops generation and is returned
 * (err filled by the sink, or by the generator if the sink left it empty).
 * The same for generate_demo. */
int generate_referrals(const struct gen_sink *sink, long n,
		       unsigned long seed, long long now, int years,
		       struct md_error *err);

#ifdef MASHDESK_GENERATE_INTERNAL
/* ---- private to src/generate.c and src/generate_words.c -----------------
 * The word and story tables live apart from the code that draws on them;
 * these declarations are the contract between the two files and are
 * seen by nothing else. */

struct gen_list {                 /* a table of strings */
	const char *const *s;
	unsigned n;
};

/* Text with markers filled in per child: @ given name, ~ she/he,
 * ^ her/his, * her/him, & She/He, ` Her/His.  A sentence is used only
 * for a child at least min_age years old. */
struct gen_tmpl {
	unsigned char min_age;
	const char *text;
};
struct gen_tmpls {
	const struct gen_tmpl *t;
	unsigned n;
};

#define GEN_NAMES 8               /* entries in each name table */

/* A heritage group: the names and first language a family is drawn from. */
struct gen_group {
	const char *ethnicity, *language;
	unsigned weight;              /* families per 100 */
	int family_first;             /* written surname-first, no space (CJK) */
	const char *girls[GEN_NAMES], *boys[GEN_NAMES], *surnames[GEN_NAMES];
	const char *women[GEN_NAMES], *men[GEN_NAMES];
};
extern const struct gen_group gen_groups[];
extern const unsigned gen_ngroups;

#define GEN_NCATEGORIES 10
struct gen_story {                /* one type of harm */
	const char *category;         /* category code */
	unsigned weight;              /* referrals per 100 */
	unsigned min_age;             /* exploitation: older children only */
	struct gen_tmpls open, more, impact;
};
extern const struct gen_story gen_stories[GEN_NCATEGORIES];
extern const struct gen_tmpls gen_unborn_open, gen_tried, gen_strengths;

enum gen_referrer_kind {
	GEN_REF_PERSON,               /* a named adult */
	GEN_REF_OFFICER,              /* "PC 1234 name" */
	GEN_REF_DOCTOR,               /* "Dr name" */
	GEN_REF_SCHOOL,               /* a named adult at the child's school */
	GEN_REF_SELF,                 /* the child */
	GEN_REF_ANONYMOUS,            /* no name given */
	GEN_REF_UNKNOWN               /* nothing recorded */
};
struct gen_source {
	const char *code;             /* source code */
	unsigned weight;              /* referrals per 1000 */
	enum gen_referrer_kind kind;
	const char *organisation;     /* referrer_agency, or NULL */
	struct gen_list roles;
};
extern const struct gen_source gen_sources[];
extern const unsigned gen_nsources;

#define GEN_NAGENCIES 6
extern const char *const gen_agencies[GEN_NAGENCIES]; /* hub order */
/* What each agency shares when its check is complete, by gen_agencies. */
extern const struct gen_list gen_check_complete[GEN_NAGENCIES];
extern const struct gen_list gen_check_nothing, gen_check_pending;

struct gen_action_words {
	const char *what;
	const char *owner;            /* words; NULL = the deciding team's login */
	unsigned due_days;
};
#define GEN_NOUTCOMES 6
struct gen_outcome_words {
	const char *code;             /* outcome code */
	struct gen_tmpls rationale;
	struct gen_list feedback;
	const struct gen_action_words *actions;
	unsigned nactions;
};
extern const struct gen_outcome_words gen_outcomes[GEN_NOUTCOMES];

/* The front door: why a contact was closed, per screening outcome (codes
 * in gen_close_codes); why the agencies were asked, per RAG (green,
 * amber, red); why one more was asked later; why a rating went up or
 * down. */
#define GEN_NCLOSE 4
extern const char *const gen_close_codes[GEN_NCLOSE];
extern const struct gen_list gen_close_reasons[GEN_NCLOSE];
extern const struct gen_list gen_screen_reasons[3];
extern const struct gen_list gen_request_later, gen_raise_reasons,
	gen_lower_reasons;

extern const struct gen_list gen_reason_given, gen_reason_refused,
	gen_reason_not_sought;
extern const struct gen_list gen_streets, gen_blocks, gen_localities,
	gen_nurseries, gen_primaries, gen_secondaries, gen_colleges, gen_gps,
	gen_disabilities, gen_teams;

/* ---- the demo hub, written out case by case ---- */
struct gen_demo_user {
	const char *login, *name, *agency, *role;
};
extern const struct gen_demo_user gen_demo_users[];
extern const unsigned gen_demo_nusers;

struct gen_demo_person {
	const char *name, *relationship;
	int age;                      /* years; 0 = date of birth not known */
	unsigned char pr, perpetrator, household;
};
struct gen_demo_family {
	const char *address, *previous_address, *gp;
	struct gen_demo_person people[4]; /* name NULL ends the list */
};
extern const struct gen_demo_family gen_demo_families[];

struct gen_demo_child {
	const char *name, *aliases;
	int age_days;                 /* < 0: unborn, expected in -age_days days */
	const char *gender, *ethnicity, *language, *disability;
	unsigned char interpreter;
	unsigned family;              /* index into gen_demo_families */
	const char *school;
};
extern const struct gen_demo_child gen_demo_children[];

/* Children born on a fixed date, whatever day the demo is made (the
 * intake demo names one); the others' birthdays follow age_days. */
struct gen_demo_birthday {
	unsigned child;               /* index into gen_demo_children */
	const char *dob;
};
extern const struct gen_demo_birthday gen_demo_birthdays[];
extern const unsigned gen_demo_nbirthdays;

struct gen_demo_check {           /* agency NULL ends the list */
	const char *agency, *status, *handling, *basis, *info;
};
struct gen_demo_action {          /* what NULL ends the list */
	const char *what, *owner;
	int due_days;                 /* after the decision */
};
struct gen_demo_decision {        /* outcome NULL: not decided */
	const char *outcome, *by, *rag;
	int level, after_hours;       /* decided this long after receipt */
	const char *agencies, *rationale, *feedback;
	struct gen_demo_action actions[4];
};
struct gen_demo_referral {
	unsigned child;               /* index into gen_demo_children */
	int hours_ago;                /* received this long before now */
	const char *category, *source, *rag;
	int level;
	const char *assigned, *allocated_worker;
	const char *referrer, *referrer_role, *referrer_agency, *referrer_contact;
	const char *concern, *impact, *tried, *strengths;
	int parents_aware;
	const char *consent, *consent_reason;
	int no_people;                /* household not yet known */
	struct gen_demo_check checks[7];
	struct gen_demo_decision decision;
	/* The front door.  A case decided, or open with checks, was screened
	 * and progressed (a referral) screen_minutes after receipt (0: a
	 * quarter of the way to its decision, or to now, at most 90
	 * minutes), rated `rag` and asking every agency in checks (unless
	 * asked_later says otherwise).  closed: a contact closed at screening
	 * with that outcome, screen_minutes (0: 60) after receipt.  Any
	 * other case is a contact waiting to be screened, its `rag` (if any)
	 * given at intake.  rerate: one rating since screening, hours before
	 * the decision (or now).  asked_later: one agency of checks asked
	 * later than screening, hours ago. */
	int screen_minutes;
	const char *closed, *screening_reason;
	struct { int hours_ago; const char *to, *by, *reason; } rerate;
	struct { const char *agency; int hours_ago; const char *reason; } asked_later;
};
extern const struct gen_demo_referral gen_demo_referrals[];
extern const unsigned gen_demo_nreferrals;
#endif

#endif
