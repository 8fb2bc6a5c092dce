/* hub_report.h - the hub's figures (turnaround, agencies, outcomes,
 * repeats, contacts).  Part of the data layer: the figures are computed in SQL
 * (src/hub_report.c); the front ends only format them.  The export of the
 * same period is hub_export.h.
 *
 * Every report covers the records whose receipt falls in a period of
 * local civil dates, both ends inclusive (see hub_report_period).  The
 * definitions of every figure are in mashdesk(1), REPORTS; in short:
 *   median  the middle value, or the mean of the two middle values when
 *           the count is even;
 *   p90     nearest rank: the ceil(0.9 n)-th smallest value;
 *   hours   elapsed (wall-clock) time, shown rounded half up to 0.1.
 * Supervisors and admins (and trainers on a training hub) may run reports;
 * supervisors and admins may export.  A refusal is EX_NOPERM and audited.
 * Running a report is not audited (aggregate counts only, no child's
 * record is shown); every export is. */
#ifndef MASHDESK_HUB_REPORT_H
#define MASHDESK_HUB_REPORT_H

#include <stdio.h>

#include "mashdesk/error.h"
#include "mashdesk/model.h"

struct hub;

/* [from, to) in unix seconds: from the local midnight starting the first
 * day to the local midnight ending the last. */
struct report_period {
	long long from, to;
	char from_text[11], to_text[11];   /* "YYYY-MM-DD", "" = open end */
};

/* Dates as YYYY-MM-DD (NULL or "" = no bound: all time that way).  A bad
 * date or from after to is EX_USAGE naming the option (opt_from/opt_to,
 * e.g. "--from"). */
int hub_report_period(const char *from, const char *to, const char *opt_from,
		      const char *opt_to, struct report_period *p,
		      struct md_error *err);

/* Count, mean, median and 90th percentile of durations, in hours.  With
 * count 0 the other figures mean nothing (printed as '-'). */
struct report_stats {
	long count;
	double mean_h, median_h, p90_h;
};

/* ---- turnaround: receipt to decision --------------------------------------- */

#define REPORT_GROUPS 8   /* all red amber green level-1 .. level-4 */
extern const char *const report_group_names[REPORT_GROUPS];

struct report_turnaround {
	struct report_stats g[REPORT_GROUPS];   /* in report_group_names order */
};

/* Referrals received in p with a recorded decision (decided_at set, also
 * while awaiting sign-off); undecided ones are left out.  RAG and level
 * are the referral's own (as the decision left them). */
int hub_report_turnaround(struct hub *hub, const struct report_period *p,
			  struct report_turnaround *out, struct md_error *err);

/* ---- agencies: check response times ----------------------------------------- */

struct report_agency {
	char agency[MD_CODE_MAX];
	char name[64];
	struct report_stats s;        /* completed checks: requested to completed */
	long late;                    /* completed after the check's due time */
	long open;                    /* not yet done */
	long open_late;               /* not yet done and past the due time now */
};

struct report_agencies {
	struct report_agency a[MD_MAX_AGENCIES];   /* agency display order */
	int n;
};

int hub_report_agencies(struct hub *hub, const struct report_period *p,
			struct report_agencies *out, struct md_error *err);

/* ---- outcomes: decisions by outcome and by category ---------------------------- */

#define REPORT_MAX_CODES 64

struct report_count {
	char by[16];                  /* "outcome" or "category" */
	char code[MD_CODE_MAX];       /* "none": no category recorded */
	char name[128];
	long count;
};

struct report_outcomes {
	long decided;                 /* decisions on referrals received in p */
	struct report_count c[REPORT_MAX_CODES];
	int n;
};

int hub_report_outcomes(struct hub *hub, const struct report_period *p,
			struct report_outcomes *out, struct md_error *err);

/* ---- repeats: the repeat-referral rate ------------------------------------------ */

/* A referral is a repeat when an earlier referral of the same child (same
 * normalised name and date of birth) or the same household (same
 * normalised address) - the desk's repeat mark - was received in the
 * twelve months before it. */
struct report_repeat {
	long referrals, repeats;
	long same_child;              /* repeats with an earlier one of the child */
	long same_household;          /* the rest: only the household matched */
};

struct report_repeats {
	struct report_repeat g[REPORT_GROUPS];
};

int hub_report_repeats(struct hub *hub, const struct report_period *p,
		       struct report_repeats *out, struct md_error *err);

/* ---- contacts: the front door ---------------------------------------------------- */

/* Everything received is taken in as a contact; screening progresses it
 * to a referral or closes it with a screening outcome.  Over the records
 * received in the period (see mashdesk(1), REPORTS):
 *   contacts     all of them (records from before the front door were
 *                referrals, and count as contacts that became referrals);
 *   referrals    progressed (stage referral): the conversion rate is
 *                referrals / contacts;
 *   closed       closed at screening, with by_outcome per outcome code;
 *   open         neither yet: waiting to be screened;
 *   rereferrals  referrals whose child (normalised name and date of birth)
 *                had an earlier referral received within the 365 days
 *                before (national: 22% of referrals in England, 2024).
 * contacts = referrals + closed + open. */
#define REPORT_MAX_SCREENING 16

struct report_contacts {
	long contacts, referrals, closed, open, rereferrals;
	struct report_count by_outcome[REPORT_MAX_SCREENING];   /* by "closed" */
	int n;
};

int hub_report_contacts(struct hub *hub, const struct report_period *p,
			struct report_contacts *out, struct md_error *err);

/* ---- weekly series for sparklines ------------------------------------------------ */

#define REPORT_MAX_WEEKS 104

struct report_week {
	long long start;              /* the week's first second */
	long contacts;                /* taken in that week (referrals too) */
	long referrals;               /* received that week, progressed */
	long decided;                 /* of those, decided */
	double median_h;              /* their median turnaround (decided > 0) */
};

/* nweeks 7-day weeks ending at p->to (p->to must be bounded), oldest
 * first. */
int hub_report_weekly(struct hub *hub, const struct report_period *p,
		      struct report_week *weeks, int nweeks,
		      struct md_error *err);

/* ---- permission --------------------------------------------------------------- */

/* 1 when the acting user may run reports (the desk hides the action). */
int hub_report_may(struct hub *hub);

/* ---- formatting helpers (pure) ------------------------------------------------ */

/* Hours rounded half up to one decimal ("12.5"), or "-" when count is 0. */
void report_fmt_hours(char *buf, size_t len, double h, long count);
/* part / whole as a percentage with one decimal, "-" when whole is 0. */
void report_fmt_pct(char *buf, size_t len, long part, long whole);

#endif
