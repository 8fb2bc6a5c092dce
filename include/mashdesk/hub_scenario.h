/* hub_scenario.h - practice scenarios in a training hub (the data layer's
 * part; the file format is scenario.h, the commands cli_scenario.c).
 *
 * Only trainers and admins of a training hub may load, run, reset and
 * debrief (HUB_ACT_SCENARIO: EX_NOPERM otherwise, and always on a live
 * hub).  Trainees see released referrals as ordinary referrals. */
#ifndef MASHDESK_HUB_SCENARIO_H
#define MASHDESK_HUB_SCENARIO_H

#include "mashdesk/hub.h"
#include "mashdesk/scenario.h"

/* May the acting user run scenarios here?  0, or EX_NOPERM saying who
 * may, the refused attempt recorded in the audit log. */
int hub_scenario_permit(struct hub *hub, struct md_error *err);

/* Store s in this (fresh, training) hub: its users, the referrals to come,
 * its history (inserted now as earlier, decided referrals), what each
 * agency knows and the model answers.  One transaction: all or nothing.
 * Every refusal of the file names file, section and key (EX_DATAERR). */
int hub_scenario_load(struct hub *hub, const struct scenario *s,
		      struct md_error *err);

struct hub_scenario_state {
	int loaded;                   /* 0: this hub holds no scenario */
	char name[128];
	char description[1024];
	char source[512];
	char trainer[MD_LOGIN_MAX];
	long long duration;           /* scenario seconds */
	long long now;                /* the scenario clock: seconds since start */
	int running;                  /* a live `scenario run` plays it */
	double speed;                 /* of the current or last run */
	char runner_host[64];
	long runner_pid;
	int total;                    /* referrals in the exercise (not history) */
	int released;                 /* of them, arrived */
	int history;
	long long next_offset;        /* next arrival, -1 when all arrived */
};
int hub_scenario_state(struct hub *hub, struct hub_scenario_state *st,
		       struct md_error *err);

/* Take the clock and start (or resume) it at speed (0: everything arrives
 * at once).  EX_TEMPFAIL naming the host and pid when a live run holds it;
 * a run whose process died is taken over. */
int hub_scenario_start(struct hub *hub, double speed, struct md_error *err);

struct hub_scenario_release {
	char key[SCEN_ID_MAX];
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	long long offset;
};
/* Release every referral due by the scenario clock (all when all=1), one
 * transaction; cb is called for each after the commit.  *pending = those
 * still to come, *next = the next one's offset (-1 none). */
int hub_scenario_release_due(struct hub *hub, int all,
			     void (*cb)(const struct hub_scenario_release *r,
					void *arg),
			     void *arg, int *pending, long long *next,
			     struct md_error *err);
/* Stop the clock where it is (the run ends, or was interrupted). */
int hub_scenario_stop(struct hub *hub, struct md_error *err);

/* Back to the loaded state: every referral that is not the scenario's
 * history goes (released or added by trainees, with all work on them),
 * and the clock returns to zero.  EX_TEMPFAIL while a run is live. */
int hub_scenario_reset(struct hub *hub, int *removed, struct md_error *err);

/* One referral of the exercise, for the trainer's screen. */
struct hub_scenario_arrival {
	char key[SCEN_ID_MAX];
	long long offset;
	int released;
	char ref[MD_REF_MAX];         /* "" until released */
	char child[MD_NAME_MAX];
	char status[MD_CODE_MAX];     /* "" until released */
	char assigned_to[MD_LOGIN_MAX];
};
int hub_scenario_arrivals(struct hub *hub,
			  int (*cb)(const struct hub_scenario_arrival *a, void *arg),
			  void *arg, struct md_error *err);

/* Who is at the exercise: every user, with whether a desk of theirs is
 * open now (presence, see hub_presence_beat) and their last recorded
 * action (the audit log). */
struct hub_scenario_person {
	char login[MD_LOGIN_MAX];
	char name[MD_NAME_MAX];
	char role[MD_CODE_MAX];
	char agency[MD_CODE_MAX];
	int desks;                    /* desks open now */
	char tty[64];                 /* of one of them */
	long long last_action;        /* 0 = none */
};
int hub_scenario_people(struct hub *hub,
			int (*cb)(const struct hub_scenario_person *p, void *arg),
			void *arg, struct md_error *err);

/* A desk on a training hub says it is open (call on opening and every
 * [locking] heartbeat_seconds) and that it closed.  No-ops on live hubs. */
int hub_presence_beat(struct hub *hub, struct md_error *err);
void hub_presence_leave(struct hub *hub);

/* The debrief: one row per referral that arrived, ordered by trainee. */
struct hub_debrief_row {
	char trainee[MD_LOGIN_MAX];   /* who decided it, else who holds it, else "-" */
	char ref[MD_REF_MAX];
	char key[SCEN_ID_MAX];
	char child[MD_NAME_MAX];
	char expected_rag[MD_CODE_MAX], actual_rag[MD_CODE_MAX];     /* "-" none */
	char expected_outcome[MD_CODE_MAX], actual_outcome[MD_CODE_MAX];
	int expected_level, actual_level;                          /* 0 none */
	int decided;
	long long minutes;            /* scenario minutes to decision (-1 none) */
	long long within_minutes;     /* the timescale measured against */
	int within;                   /* 1 yes, 0 no, -1 not decided */
	int score;                    /* 0..HUB_DEBRIEF_MAX */
	char rationale[512];          /* the model rationale */
};
struct hub_debrief_total {
	char trainee[MD_LOGIN_MAX];
	int referrals, decided, rag_right, outcome_right, within, score, max_score;
};
/* Score: right outcome 2, right RAG 1, decided within the timescale 1. */
#define HUB_DEBRIEF_MAX 4
struct hub_debrief {
	struct hub_debrief_row *rows;
	int nrows;
	struct hub_debrief_total *totals;   /* per trainee, "-" left out */
	int ntotals;
};
int hub_scenario_debrief(struct hub *hub, struct hub_debrief **out,
			 struct md_error *err);
void hub_debrief_free(struct hub_debrief *d);

/* What the acting user's agency's records show about ref (the scenario's
 * [knows] for that agency).  *found = 0 when nothing is set down (or the
 * hub runs no scenario).  info is "" for nothing-known. */
struct hub_scenario_knows {
	char status[MD_CODE_MAX];
	char info[4096];
	char basis[MD_CODE_MAX];
	char handling[MD_CODE_MAX];
};
int hub_scenario_knows(struct hub *hub, const char *ref,
		       struct hub_scenario_knows *out, int *found,
		       struct md_error *err);

#endif
