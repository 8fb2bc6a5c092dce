/* hub.h - the data layer: the only code that speaks SQL.
 *
 * A struct hub is one connection to one hub database, acting for one user.
 * Every write is a short BEGIN IMMEDIATE transaction; every statement is
 * prepared with bound parameters and reset after use; no transaction is
 * ever left open between calls, so a caller may wait for a key freely.
 * Who may do what is decided here, not in the front ends.
 *
 * Return values are 0 or a <sysexits.h> code with err filled (see
 * error.h).  Codes used: EX_USAGE (bad call), EX_DATAERR (bad value,
 * unknown referral), EX_NOUSER, EX_CANTCREAT, EX_IOERR, EX_TEMPFAIL
 * (someone else holds it / conflict), EX_NOPERM, EX_SOFTWARE. */
#ifndef MASHDESK_HUB_H
#define MASHDESK_HUB_H

#include <stdio.h>
#include "mashdesk/config.h"
#include "mashdesk/error.h"
#include "mashdesk/generate.h"
#include "mashdesk/hub_permit.h"
#include "mashdesk/model.h"

struct hub;

/* ---- opening ---------------------------------------------------------- */

struct hub_create_opts {
	const char *name;       /* hub name; NULL = cfg->hub_name */
	int training;           /* 1 = training hub */
	const char *admin_login;/* becomes the hub's admin */
	const char *admin_name; /* NULL = the login */
	const char *group;      /* Unix group to own the file (mode 0660), or NULL */
	int hub_dir;            /* with group: the directory is the live hub's
	                         * own (the system configuration's); create it
	                         * if missing, and make it the group's, 2770 */
};

/* Create a new hub database at path (refuses an existing file: EX_CANTCREAT;
 * a missing or unwritable directory: EX_CANTCREAT naming it). */
int hub_create(const char *path, const struct config *cfg,
	       const struct hub_create_opts *opts, struct md_error *err);

/* Once per process, before anything else touches SQLite: switches off
 * SQLite's global memory statistics, which cost a mutex per allocation. */
void hub_library_init(void);

/* 1 for a postgresql:// or postgres:// address (a PostgreSQL hub). */
int hub_is_url(const char *where);

/* The hub's address as messages show it: a path as it is, a password in
 * a postgresql:// address as ***. */
void hub_address(char *out, size_t len, const char *where);

/* Open an existing hub and bring its schema up to date.  Not found:
 * EX_NOINPUT; not a hub, corrupt, or a schema newer than this program:
 * EX_DATAERR.  A refused file is left exactly as it was. */
int hub_open(struct hub **out, const char *path, const struct config *cfg,
	     struct md_error *err);
void hub_close(struct hub *hub);

/* Act as this user from now on.  `chosen` is 1 when the login came from
 * --as rather than the Unix login: refused with EX_NOPERM on a live hub.
 * An unknown login is EX_NOUSER with the `mashdesk user add` line to run;
 * a deactivated user EX_NOUSER too. */
int hub_act_as(struct hub *hub, const char *login, int chosen,
	       struct md_error *err);

struct hub_info {
	char name[128];
	int training;
	int schema_version;
	struct user me;          /* the acting user (login "" before hub_act_as) */
};
void hub_get_info(const struct hub *hub, struct hub_info *out);

/* How often this connection had to wait for another writer (benchmarks). */
long long hub_busy_waits(const struct hub *hub);

/* The connection to a PostgreSQL hub, for the desk's status line.  The
 * data layer reconnects by itself (same address, so a multi-host one finds
 * the new primary) at the next point where nothing is in flight; meanwhile
 * a save is refused with EX_TEMPFAIL and saves nothing.  Returns 1 once
 * after the connection was lost ("connection to the hub lost;
 * reconnecting…") and once after it came back ("reconnected to the hub
 * after N s"), with the sentence in msg; else 0.  Always 0 on SQLite. */
int hub_connection_news(struct hub *hub, char *msg, size_t len);

/* 1 unless the connection to a PostgreSQL hub is known to be lost. */
int hub_connected(const struct hub *hub);

/* Reconnects so far, and the time spent without a connection (ms,
 * including a loss not yet over). */
void hub_connection_stats(const struct hub *hub, long long *reconnects,
			  long long *down_ms);

/* Schema version this program builds (the last embedded migration). */
int hub_schema_latest(void);

/* ---- who may do what: hub_permit.h (the actions, the table, hub_may) ---- */

/* ---- codes ------------------------------------------------------------ */

struct hub_code {
	char code[MD_CODE_MAX];
	char name[128];
	/* What the code means and when it applies (lawful bases and handling
	 * codes: the desk shows it at the point of sharing); "" otherwise. */
	char explanation[400];
};
/* table: "agency" "category" "source" "outcome" "lawful_basis"
 * "handling_code" "referral_status" "check_status" "consent_position" "rag"
 * "role" "screening_outcome".  Calls cb for each code in display order. */
int hub_list_codes(struct hub *hub, const char *table,
		   int (*cb)(const struct hub_code *c, void *arg), void *arg,
		   struct md_error *err);
/* One code's display name ("csc" -> "Children's social care") into name;
 * EX_DATAERR when the table has no such code. */
int hub_code_name(struct hub *hub, const char *table, const char *code,
		  char *name, size_t len, struct md_error *err);

/* ---- users ------------------------------------------------------------ */

int hub_user_add(struct hub *hub, const struct user *u, struct md_error *err);
int hub_user_list(struct hub *hub, int (*cb)(const struct user *u, void *arg),
		  void *arg, struct md_error *err);

/* ---- referrals -------------------------------------------------------- */

int hub_referral_add(struct hub *hub, const struct referral_input *in,
		     char ref[MD_REF_MAX], struct md_error *err);

/* Import CSV (see csv.h); all rows or none.  *count = rows imported. */
int hub_import_csv(struct hub *hub, FILE *in, const char *name, long *count,
		   struct md_error *err);

/* HUB_FILTER_CHECKS, "Our checks": open referrals and contacts on which
 * the acting user's agency has a check requested or in progress, late
 * first, then by that check's due time (a user of no agency has none). */
/* HUB_FILTER_FEEDBACK, "Feedback due": every record, open or not, whose
 * referrer is still owed an acknowledgement or the outcome
 * (hub_feedback.h), in the order the clocks started (late first). */
enum hub_filter { HUB_FILTER_ALL, HUB_FILTER_MINE, HUB_FILTER_UNASSIGNED,
		  HUB_FILTER_OVERDUE, HUB_FILTER_CHECKS, HUB_FILTER_FEEDBACK };

struct queue_row {
	long long id;
	char ref[MD_REF_MAX];
	long long received_at;
	long long due_at;           /* decision deadline */
	long long decided_at;       /* 0 = not decided */
	char child_name[MD_NAME_MAX];
	char dob[12];
	int dob_estimated;
	char rag[MD_CODE_MAX];      /* "" = not rated */
	int level;                  /* 0 = not assessed */
	char status[MD_CODE_MAX];
	char assigned_to[MD_LOGIN_MAX];
	/* One mark per agency in display order (hub_list_codes "agency"):
	 * '.' no check, 'r' requested, 'p' in progress, 'c' complete,
	 * 'n' nothing known; 'R' and 'P' are requested and in progress
	 * past the check's due time (late: chase them).  NUL-terminated. */
	char checks[MD_MAX_AGENCIES + 1];
	int repeat;                 /* an earlier referral of this child or household */
	int overdue;                /* open and past due_at */
	/* HUB_FILTER_CHECKS only (0 otherwise): the acting user's agency's
	 * check on it, its due time and whether that has passed. */
	long long check_due;
	int check_late;
	/* A strategy discussion due (hub_strategy.h): when, 0 = none, and
	 * whether that has passed. */
	long long strategy_due;
	int strategy_late;
	/* Feedback to the referrer still owed (hub_feedback.h): the
	 * earliest due of its running clocks, 0 = none running; whether
	 * that has passed; and its kind ("acknowledgement" or "outcome"). */
	long long feedback_due;
	int feedback_late;
	char feedback_kind[16];
};

struct queue_query {
	enum hub_filter filter;
	const char *search;         /* child name, alias or reference; NULL = none */
	int open_only;              /* 1 = leave out decided/closed referrals */
	long offset;
	int limit;                  /* rows wanted */
};

/* Most urgent first: overdue, then RAG (red, amber, green, unrated), then
 * due time.  Paged: costs the same on page 1 of a million rows as of ten. */
int hub_queue(struct hub *hub, const struct queue_query *q,
	      int (*cb)(const struct queue_row *r, void *arg), void *arg,
	      struct md_error *err);

/* How many of the acting user's agency's checks on open referrals and
 * contacts are past their due time (0 for a user of no agency): "Our
 * checks: 3 late". */
int hub_checks_late(struct hub *hub, long *n, struct md_error *err);

/* ---- one referral ----------------------------------------------------------- */

/* One referral is read in one place (hub_detail.c) into struct
 * referral_detail, for the desk (hub_referral_get) and for `show`
 * (hub_referral_show, which lays the same struct out as text). */

struct referral_person {
	char name[MD_NAME_MAX];
	char relationship[MD_NAME_MAX];
	char dob[12];                 /* "" = not known */
	int parental_responsibility, alleged_perpetrator, household;
};

/* One agency's panel.  Every agency has one, recorded or not. */
struct referral_check {
	char agency[MD_CODE_MAX];
	char agency_name[64];
	int recorded;                 /* 0 = no check yet: the fields below are empty */
	char status[MD_CODE_MAX];
	const char *info;             /* "" when nothing shared */
	char basis[MD_CODE_MAX];
	char consent[MD_CODE_MAX];
	const char *consent_reason;
	char override_by[MD_LOGIN_MAX];  /* "" unless a refusal was overridden */
	const char *override_reason;
	char handling[MD_CODE_MAX];
	int restricted;               /* handling never leaves the hub: mark it */
	char updated_by[MD_LOGIN_MAX];
	long long requested_at, due_at, completed_at, updated_at;
	int overdue;                  /* not done and past due_at */
	long long version;
	/* Who asked the agency for it and why (screening or a request
	 * later, hub_screen.h); "" when the agency recorded it unasked. */
	char requested_by[MD_LOGIN_MAX];
	const char *request_reason;
};

struct referral_action {
	const char *what, *owner;
	char due[12];
};

/* An earlier or later referral of the same child or household. */
struct referral_link {
	char ref[MD_REF_MAX];
	long long received_at;
	char child_name[MD_NAME_MAX];
	char outcome[MD_CODE_MAX];    /* outcome code (or screening outcome of a
	                               * contact closed at screening), or the
	                               * status if open */
	int same_child;               /* 1 same child, 0 same address */
};

/* A decision sent back under the two-person rule (hub_signoff.h). */
struct referral_sendback {
	char outcome[MD_CODE_MAX];    /* the decision that was sent back */
	char decided_by[MD_LOGIN_MAX];   /* "" when not known */
	char by[MD_LOGIN_MAX];        /* the supervisor who sent it back */
	long long at;
	const char *comment;
};

/* One RAG rating: who, when, from what ("" = not rated before), to
 * what and why (the timeline, oldest first). */
/* Feedback given to the referrer (hub_feedback.h), oldest first. */
struct referral_feedback {
	long long at;
	char by[MD_LOGIN_MAX];
	char kind[16], method[MD_CODE_MAX];
	const char *text;
};

struct referral_rating {
	long long at;
	char by[MD_LOGIN_MAX];
	char from[MD_CODE_MAX], to[MD_CODE_MAX];
	const char *reason;
};

/* One strategy discussion (hub_strategy.h), in the order held. */
struct referral_strategy {
	long long held_at, recorded_at;
	char how[16];                 /* meeting | call | video */
	char decision[16];            /* s47-single | s47-joint | no-s47 */
	char recorded_by[MD_LOGIN_MAX];
	const char *summary;          /* the information shared */
	const char *instead;          /* with no-s47; else "" */
	const char *missing_reason;   /* "" when all required took part */
	const char *attended;         /* "police: pat, csc: sam, health: Ada Lane" */
	int reconvene;
	struct referral_action actions[MD_MAX_ACTIONS];
	int nactions;
};

#define MD_MAX_HISTORY 20

struct referral_detail {
	struct queue_row row;         /* ref, times, name, RAG, status, ... */
	long long version;
	char repeat_of[MD_REF_MAX];
	/* free text (never NULL; "" when not given) */
	const char *aliases, *gender, *ethnicity, *language, *disability;
	const char *address, *previous_address, *school, *gp, *nhs_number, *upn;
	const char *allocated_worker, *referrer, *referrer_role;
	const char *referrer_agency, *referrer_contact;
	const char *concern, *impact, *tried, *strengths, *consent_reason;
	char category[MD_CODE_MAX], source[MD_CODE_MAX], consent[MD_CODE_MAX];
	int parents_aware;            /* -1 unknown */
	int interpreter;
	struct referral_person people[MD_MAX_PEOPLE];
	int npeople;
	struct referral_check checks[MD_MAX_AGENCIES];
	int nchecks;
	int decided;
	char outcome[MD_CODE_MAX];
	const char *rationale, *feedback;
	char decided_by[MD_LOGIN_MAX];   /* "" when imported */
	long long decided_at;
	char decision_rag[MD_CODE_MAX];  /* "" = the decision set none */
	int decision_level;              /* 0 = the decision set none */
	char signed_by[MD_LOGIN_MAX];    /* "" until signed off */
	long long signed_at;
	/* "csc, health": room for every agency */
	char decision_agencies[MD_MAX_AGENCIES * (MD_CODE_MAX + 2)];
	struct referral_action actions[MD_MAX_ACTIONS];
	int nactions;
	struct referral_sendback *sendbacks;   /* oldest first */
	int nsendbacks;
	struct referral_link history[MD_MAX_HISTORY];
	int nhistory;
	/* The front door (hub_screen.h): a contact until screened; when and
	 * by whom it was screened (0 and "" never: from before the front
	 * door, or not yet), and, closed at screening, the outcome. */
	char stage[16];               /* "contact" or "referral" */
	long long screened_at;
	char screened_by[MD_LOGIN_MAX];
	char screening_outcome[MD_CODE_MAX];   /* "" unless closed */
	const char *screening_reason;
	struct referral_rating *ratings;       /* oldest first */
	int nratings;
	/* Strategy discussions: when the threshold was met (0 = never),
	 * what is due next is row.strategy_due, and each discussion. */
	long long strategy_from;
	struct referral_strategy *strategies;  /* in the order held */
	int nstrategies;
	/* Transfers between hubs (hub_transfer.h): where it went ("" if
	 * nowhere), when and why; where it came from ("" if it did not),
	 * and the sending hub's history kept beside it ("" if none). */
	char transferred_to[128];
	const char *transfer_reason;
	long long transferred_at;
	char transferred_from_hub[128];
	char transferred_from_ref[32];
	const char *transfer_history;
	/* A live legal hold (hub_retention.h): retention keeps the record
	 * while it lasts.  held 0: none (the rest "" and 0). */
	int held;
	char held_by[MD_LOGIN_MAX];
	long long held_at;
	const char *hold_reason;
	/* Feedback to the referrer: what was given, and each clock still
	 * running as its due time (0 = none: given, not owed yet, or from
	 * before the clocks). */
	struct referral_feedback *given;       /* oldest first */
	int ngiven;
	long long ack_due, outcome_due;
	struct referral_text *owned;  /* the texts above: hub_referral_free */
};

/* Everything the desk shows of one referral: a panel per agency, the
 * restricted entries included (marked), since the desk is inside the hub.
 * Audited as a view.  Free with hub_referral_free. */
int hub_referral_get(struct hub *hub, const char *ref,
		     struct referral_detail **out, struct md_error *err);
void hub_referral_free(struct referral_detail *d);

/* Everything the acting user may see of one referral, written as
 * (section, field, value) lines through cb: `show`, and the desk's
 * read-only details.  The text of a restricted entry is never among them
 * (a marker says it is visible at the desk only).  Each call is audited
 * as a view of its own. */
int hub_referral_show(struct hub *hub, const char *ref,
		      int (*cb)(const char *section, const char *field,
				const char *value, void *arg),
		      void *arg, struct md_error *err);

int hub_claim(struct hub *hub, const char *ref, struct md_error *err);
int hub_assign(struct hub *hub, const char *ref, const char *login,
	       const char *reason, struct md_error *err);
int hub_check_record(struct hub *hub, const char *ref,
		     const struct check_input *in, struct md_error *err);
int hub_decide(struct hub *hub, const char *ref,
	       const struct decision_input *in, struct md_error *err);

/* A supervisor overrides an agency's recorded consent refusal, saying why
 * (the information may then be shared without consent).  EX_DATAERR when
 * that check records no refusal, or it was overridden already. */
int hub_consent_override(struct hub *hub, const char *ref, const char *agency,
			 const char *reason, struct md_error *err);

/* ---- many desks on one hub ------------------------------------------------ */

struct hub_change {
	long long referral_id;        /* 0 = not about one referral */
	char what[16];                /* referral check decision assignment user lease */
};

/* From the desk's input loop: has anything changed since the last call,
 * by another connection or by this one?  Cheap (PRAGMA data_version, which
 * moves only for other connections' commits, and a flag hub_end sets on
 * our own) when nothing did.  When something did, cb gets each logged
 * change; *reload is set when the log cannot say what changed (the desk
 * fell far behind, or a bulk load ran): then reload everything shown.
 * Our own commits that logged nothing (an audited view, a draft) are not
 * news: *changed stays 0. */
int hub_poll_changes(struct hub *hub, int *changed, int *reload,
		     int (*cb)(const struct hub_change *c, void *arg), void *arg,
		     struct md_error *err);

/* CHECK: one agency's panel; DECISION: the decision form; DETAILS: the
 * referral's details (hub_update.h).  CONTACT is no lease: a new contact
 * being typed, which exists nowhere yet, so only its draft is kept (one
 * per user; ref is ignored) and nothing can conflict with it. */
enum hub_lease_kind { HUB_LEASE_CHECK, HUB_LEASE_DECISION, HUB_LEASE_DETAILS,
		      HUB_LEASE_CONTACT };

struct hub_lease {
	enum hub_lease_kind kind;
	char ref[MD_REF_MAX];
	char agency[MD_CODE_MAX];     /* the acting user's, for a check */
	char token[33];               /* ours, when taken */
	long long expires_at;
	long long version;            /* the record's version when taken */
	/* the holder, when someone else has it */
	char owner[MD_LOGIN_MAX];
	char owner_name[MD_NAME_MAX];
	char host[64];
	long pid;
	long long taken_at;
};

/* Take the edit lease on the acting user's agency panel (CHECK) or the
 * decision form (DECISION) of ref, for [locking] lease_seconds.  A live
 * lease held by anyone else: EX_TEMPFAIL, with the holder filled in and a
 * message naming them; an expired one, or one whose process is gone from
 * this host, is taken over.  lease->version is what saves are fenced on. */
int hub_lease_take(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   struct hub_lease *lease, struct md_error *err);
/* Extend a held lease (call every heartbeat_seconds); EX_TEMPFAIL when it
 * was lost to someone else. */
int hub_lease_renew(struct hub *hub, struct hub_lease *lease,
		    struct md_error *err);
/* Give it up (saved, or the form closed). */
int hub_lease_release(struct hub *hub, struct hub_lease *lease,
		      struct md_error *err);

/* Typed work kept between sessions: one draft per user, form and referral.
 * The body is the form's own text; load gives a malloc'd copy (NULL when
 * there is none) that the caller frees. */
int hub_draft_save(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   const char *body, struct md_error *err);
int hub_draft_load(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   char **body, long long *saved_at, struct md_error *err);
int hub_draft_drop(struct hub *hub, enum hub_lease_kind kind, const char *ref,
		   struct md_error *err);

/* ---- the audit log ---------------------------------------------------------- */

struct hub_audit_entry {
	long long at;
	char login[MD_LOGIN_MAX];
	char host[64];
	char tty[64];
	char action[32];
	char detail[1024];
};

/* Walk the hash chain: 0 when intact (*rows = entries checked), else
 * EX_DATAERR naming the first row that was edited or deleted. */
int hub_audit_verify(struct hub *hub, long long *rows, struct md_error *err);
/* The same, and the row anchor_id (an anchor from hub_audit_head kept
 * elsewhere) must still carry anchor_hash: EX_DATAERR naming the row when
 * it does not or is gone.  Anchor 0 is the empty log (hash of 64 zeros). */
int hub_audit_verify_from(struct hub *hub, long long anchor_id,
			  const char *anchor_hash, long long *rows,
			  struct md_error *err);
/* The newest row's id and hash (0 and 64 zeros for an empty log). */
int hub_audit_head(struct hub *hub, long long *id, char hash[65],
		   struct md_error *err);
/* Who saw and did what on one referral, oldest first (supervisors). */
int hub_audit_show(struct hub *hub, const char *ref,
		   int (*cb)(const struct hub_audit_entry *e, void *arg), void *arg,
		   struct md_error *err);

/* ---- health --------------------------------------------------------------- */

enum hub_finding { HUB_FINDING_OK, HUB_FINDING_WARNING, HUB_FINDING_PROBLEM };
typedef void (*hub_doctor_cb)(enum hub_finding level, const char *topic,
			      const char *text, void *arg);

/* Examine the hub at path: the file, its filesystem and permissions (the
 * -wal and -shm too), the journal mode and WAL size, a two-process lock
 * test, integrity and foreign keys, stale leases, the audit chain and its
 * triggers; for a live hub shared with a group, the logins in that group,
 * how this process reached the hub (privilege.h) and every referral's
 * state against the one its last audited change sealed.  Each finding goes to cb; returns 0 when
 * there is no problem, else the sysexits code of the first problem. */
int hub_doctor(const char *path, const struct config *cfg, hub_doctor_cb cb,
	       void *arg);

/* ---- bulk loading (demo, generate) ------------------------------------ */

/* A sink for generate.h that writes into this hub in batches of 20,000
 * referrals, one transaction each.  Only for an admin or trainer of a
 * training hub.  hub_bulk_end(ok=1) commits the last batch; ok=0 rolls it
 * back (earlier batches stay: generated data is complete per referral).
 *
 * HUB_BULK_FRESH: the hub was just created by this process under a name
 * nobody else opens, and will be deleted if the load fails.  It is then
 * written without journal or syncs, its secondary indexes built once at
 * the end; a failed fresh load leaves the file unusable, by design. */
#define HUB_BULK_FRESH 1
int hub_bulk_begin(struct hub *hub, struct gen_sink *sink, int flags,
		   struct md_error *err);
int hub_bulk_end(struct hub *hub, int ok, struct md_error *err);

#endif
