/* hub_internal.h - what the data layer's files share with each other and
 * nobody else.  The connection and its discipline (statements, binding,
 * transactions, error mapping) are hub_db.h's; here is what the modules
 * above it offer each other, each under the file that defines it. */
#ifndef MASHDESK_HUB_INTERNAL_H
#define MASHDESK_HUB_INTERNAL_H

#include "hub_db.h"
#include "mashdesk/hub.h"

/* ---- the audit log (hub_audit.c) ------------------------------------------ */

/* hub_audit appends inside the caller's open transaction; hub_audit_alone
 * in a transaction of its own (views, refusals); hub_audit_view records a
 * view once per quiet period. */
int hub_audit_append(struct hub *hub, const char *login, const char *action,
		     long long referral_id, const char *detail, struct md_error *err);
int hub_audit(struct hub *hub, const char *action, long long referral_id,
	      struct md_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void hub_audit_alone(struct hub *hub, const char *login, const char *action,
		     long long referral_id, const char *detail);
void hub_audit_view(struct hub *hub, long long referral_id, const char *how);
int hub_audit_view_alone(struct hub *hub, long long referral_id);

/* The sealed state of referral id: SHA-256 (hex) of its rows, the empty
 * text's for a referral that is not there (hub_seal.c). */
int hub_seal_state(struct hub *hub, long long referral_id, char out[65],
		   struct md_error *err);

/* ---- codes, references and notes (hub_codes.c) ------------------------------ */

/* 0 when code is in the lookup table; else EX_DATAERR naming field and the
 * codes allowed.  table is one of the fixed lookup table names. */
int hub_code_check(struct hub *hub, const char *table, const char *code,
		   const char *field, struct md_error *err);

/* Find a referral by reference (case-insensitive, "R12" = "R000012").
 * Unknown: EX_DATAERR.  Fills id and, if non-NULL, status. */
int hub_find_referral(struct hub *hub, const char *ref, long long *id,
		      char status[MD_CODE_MAX], struct md_error *err);

/* A required free text kept with an action (a reason, a note, a comment):
 * missing is EX_USAGE saying "FIELD: required; WHY"; longer than max bytes
 * or not UTF-8 is EX_DATAERR. */
int hub_note_check(const char *field, const char *text, size_t max,
		   const char *why, struct md_error *err);

/* ---- who may do what (hub_permit.c; the table is hub_permit.h's) ------------ */

/* hub_permit() records a refusal in the audit log; hub_permit_check()
 * only answers. */
int hub_permit(struct hub *hub, enum hub_act act, struct md_error *err);
int hub_permit_check(struct hub *hub, enum hub_act act, struct md_error *err);
/* hub_permit for an action on the referral ref (audited against it). */
int hub_permit_ref(struct hub *hub, enum hub_act act, const char *ref,
		   struct md_error *err);
/* Record a refused attempt on the referral ref (0 if there is none). */
void hub_refused_on(struct hub *hub, const char *ref, const char *why);

/* ---- the child's records (hub_prior.c) ------------------------------------ */

/* Every record of the child named name (its normalised name, or the same
 * as one of a record's aliases) with date of birth dob, by the prior
 * history's own statement with no limit and without the address: each
 * referral id once, newest first, through cb (non-zero stops and is
 * returned).  No permission check, no audit: the caller's (subject
 * access).  A dob that is not a real date matches nothing. */
int hub_prior_child(struct hub *hub, const char *name, const char *dob,
		    int (*cb)(long long id, void *arg), void *arg,
		    struct md_error *err);

/* ---- transfers (hub_transfer.c) ---------------------------------------------- */

/* Where referral id went (to: "" if nowhere) or came from (from_hub: ""
 * if it was not transferred in), and the history it came with; reason
 * and history are malloc'd (NULL when none). */
int hub_transfer_detail(struct hub *hub, long long id, char *to, size_t to_len,
			char **reason, long long *at, char *from_hub,
			size_t from_len, char *from_ref, size_t ref_len,
			char **history, struct md_error *err);

/* ---- the rest of the layer ------------------------------------------------------ */

/* Load (once) the agency codes in display order (hub_queue.c). */
int hub_agencies(struct hub *hub, struct md_error *err);

/* Validate a referral before insert: every message starts with the field
 * name as the CSV column and command-line option spell it. */
int hub_referral_validate(struct hub *hub, const struct referral_input *in,
			  struct md_error *err);
/* Where a loaded referral already stands (bulk loading only).  It is
 * inserted in its final state in one statement rather than walked through
 * claim, checks and decision, each of which would rewrite the row. */
struct referral_fate {
	const char *status;        /* a referral_status code */
	const char *assigned_to;   /* login or NULL */
	long long decided_at;      /* 0 = still open */
	const char *rag;           /* NULL = in->rag */
	int level;                 /* 0 = in->level */
	struct repeat_memo *memo;  /* a fresh bulk load's repeat links (in
	                            * received order), or NULL: ask the hub */
	int people_later;          /* 1 = the caller inserts in->people itself
	                            * (hub_people_insert, the bulk loader's
	                            * second thread) */
	/* The front door (0010_front_door.sql): "contact" or "referral"
	 * (NULL: a contact, or a referral when decided), and for a screened
	 * record when, by whom and, closed at screening, with what. */
	const char *stage;
	long long screened_at;     /* 0 = not screened */
	const char *screened_by;
	const char *screening_outcome;     /* closed at screening, or NULL */
	const char *screening_reason;
};

/* Insert inside an open transaction, created by the acting user.  fate is
 * NULL for a referral just received (or decided history from import). */
int hub_referral_insert(struct hub *hub, const struct referral_input *in,
			const struct referral_fate *fate, long long now,
			long long *id, char ref[MD_REF_MAX], struct md_error *err);

/* Repeat links from memory for a fresh bulk load (hub_bulk_repeat.c):
 * the latest earlier referral id of the same child or address (0 none),
 * remembering id as the latest.  -1 when out of memory. */
struct repeat_memo;
struct repeat_memo *repeat_memo_new(void);
void repeat_memo_free(struct repeat_memo *m);
int repeat_memo_link(struct repeat_memo *m, const char *name_key,
		     const char *dob, const char *address_key, long long id,
		     long long *prior);

/* The NHS number as stored (its 10 digits, spaces dropped; "" when none),
 * or EX_DATAERR "nhs_number: ..." (hub_referral.c). */
int hub_nhs_check(const char *s, char out[11], struct md_error *err);
/* The ';'-separated aliases of referral id, each trimmed, with its
 * matching key, inside an open transaction (hub_referral.c). */
int hub_aliases_insert(struct hub *hub, long long id, const char *aliases,
		       struct md_error *err);

/* The household members and significant adults of referral id, inside an
 * open transaction (hub_referral_insert does it unless people_later). */
int hub_people_insert(struct hub *hub, long long id,
		      const struct referral_input *in, struct md_error *err);

/* The bulk loader's second thread (hub_bulk_split.c), for a fresh hub
 * only: it fills person, assignment, agency_check, decision,
 * decision_agency and decision_action in a scratch file named the hub's
 * path plus HUB_BULK_SCRATCH, copied into the hub by _finish (ok=1) or
 * thrown away (ok=0).  The scratch file is removed either way. */
#define HUB_BULK_SCRATCH "-bulk"
struct bulk_split;
int hub_bulk_split_start(struct hub *hub, struct bulk_split **out,
			 struct md_error *err);
int hub_bulk_split_put(struct bulk_split *sp, const struct gen_referral *g,
		       long long id, long long received, long long decided_at,
		       struct md_error *err);
int hub_bulk_split_finish(struct hub *hub, struct bulk_split *sp, int ok,
			  struct md_error *err);
/* Everything of a generated referral after its row, aliases and search
 * entry (the household, assignment, checks with their requests, decision
 * and ratings): the single-threaded load's way, the rows the second
 * thread writes. */
int hub_bulk_rest(struct hub *hub, const struct gen_referral *g, long long id,
		  long long received, long long decided_at, struct md_error *err);
/* A generated referral's assignment (bulk loading only; both threads). */
int hub_bulk_log_assignment(struct hub *hub, long long id, const char *login,
			    long long at, struct md_error *err);

/* Keep one RAG rating (from NULL = not rated before) made by the acting
 * user at `at`, inside an open transaction. */
int hub_rating_insert(struct hub *hub, long long id, const char *from,
		      const char *to, const char *reason, long long at,
		      struct md_error *err);

/* When a strategy discussion is due (hub_strategy.c): inside the open
 * transaction of a rating or decision made at `at`, if referral id now
 * meets the threshold (rated red, or decided s47 or
 * immediate-protection) and never met it before, keep `at` as
 * strategy_from and the discussion due [timescales] strategy_hours after
 * it.  Set once: a later call changes nothing. */
int hub_strategy_threshold(struct hub *hub, long long id, long long at,
			   struct md_error *err);

/* Add referrals first..last to the search index, in one statement (see
 * db/migrations/0003_search.sql for why this is not a trigger). */
int hub_search_index(struct hub *hub, long long first, long long last,
		     struct md_error *err);

/* Record a decision inside an open transaction; move_on also marks the
 * referral decided (not needed when it was inserted decided). */
int hub_decision_insert(struct hub *hub, long long id,
			const struct decision_input *in, const char *by,
			long long at, int move_on, struct md_error *err);
/* Record a check at `at` inside an open transaction.  A new check's clock
 * starts at `requested` (0 = at): loaded history gives the referral's
 * receipt, so its response time is real; a first save at the desk starts
 * the clock when it is made. */
int hub_check_upsert(struct hub *hub, long long id, const char *agency,
		     const struct check_input *in, const char *by,
		     long long requested, long long at, const char *rag,
		     struct md_error *err);
/* Re-derive a referral's status from its checks (new/screening -> checks ->
 * decision), inside an open transaction. */
int hub_status_refresh(struct hub *hub, long long id, struct md_error *err);

/* Assigning (hub_work.c): the permission and reason check, then one
 * assignment inside an open transaction (audited with the reason). */
int hub_assign_allowed(struct hub *hub, const char *reason,
		       struct md_error *err);
int hub_assign_tx(struct hub *hub, const char *ref, const char *login,
		  const char *reason, long long now, struct md_error *err);

/* Two-person rule (hub_signoff.c): inside hub_decide's transaction, leave
 * the decided referral in status 'signoff'. */
int hub_signoff_hold(struct hub *hub, long long id, struct md_error *err);

/* Inside a save's transaction (hub_sync.c): refuse while someone else
 * holds a live lease; with a token, it must still be ours and the record
 * unchanged since expect_version. */
int hub_lease_fence(struct hub *hub, enum hub_lease_kind kind, long long id,
		    const char *agency, const char *token, long long expect_version,
		    struct md_error *err);
/* A referral's details may be edited (and their lease taken) only while
 * it is open: EX_DATAERR naming ref when status says decided, awaiting
 * sign-off or closed (hub_sync.c). */
int hub_details_editable(const char *ref, const char *status,
			 struct md_error *err);
/* Inside the transaction that takes a contact in: the acting user's draft
 * of a new contact goes with it (hub_sync.c). */
int hub_contact_draft_drop_tx(struct hub *hub, struct md_error *err);
/* After a fenced save: the edit is over, its lease and draft go. */
int hub_lease_finish(struct hub *hub, enum hub_lease_kind kind, long long id,
		     const char *agency, const char *token, struct md_error *err);

/* One referral in full (hub_detail.c), in one read transaction; free
 * with hub_referral_free.  HUB_READ_DESK: a panel per active agency,
 * restricted entries included (marked).  HUB_READ_SHOW: the checks
 * recorded, a restricted entry's text left out ("", still marked), for
 * output that leaves the hub.  Neither checks permission nor audits. */
enum hub_read { HUB_READ_DESK, HUB_READ_SHOW };
int hub_referral_read(struct hub *hub, long long id, enum hub_read how,
		      struct referral_detail **out, struct md_error *err);

/* The queue's columns, shared by the queue and the referral detail (a
 * check's status carries a trailing '!' when it is late: see checks in
 * struct queue_row):
 * hub_read_queue_row reads them from columns 0..15 of a statement
 * (15: when a strategy discussion is due, 0 = none). */
#define HUB_QUEUE_COLUMNS \
	"r.id, r.ref, r.received_at, r.due_at, coalesce(r.decided_at, 0)," \
	" r.child_name, r.dob, r.dob_estimated, coalesce(r.rag, '')," \
	" coalesce(r.level, 0), r.status, coalesce(r.assigned_to, '')," \
	" (SELECT group_concat(c.agency || '=' || c.status ||" \
	"   CASE WHEN c.completed_at IS NULL AND c.due_at < ?1 THEN '!' ELSE '' END)" \
	"   FROM agency_check c WHERE c.referral_id = r.id)," \
	" r.repeat_of IS NOT NULL," \
	" r.status NOT IN ('decided', 'closed') AND r.due_at < ?1 AS overdue," \
	" coalesce(r.strategy_due_at, 0)"
void hub_read_queue_row(struct hub *hub, struct db_stmt *st, struct queue_row *r);

/* Apply embedded migrations up to the latest (hub_migrate.c). */
int hub_migrate(struct hub *hub, struct md_error *err);

extern const char *const hub_migrations[];
extern const int hub_migration_count;
/* The same migrations for PostgreSQL (db/pg), as many. */
extern const char *const hub_pg_migrations[];
extern const int hub_pg_migration_count;

#endif
