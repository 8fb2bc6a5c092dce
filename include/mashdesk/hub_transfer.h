/* hub_transfer.h - a child's case moving to another hub when the family
 * moves (src/hub_transfer.c, db/migrations/0015_transfer.sql).
 *
 * Out: the referral and its parts are written to a bundle, a small SQLite
 * database file (one table per part, a `bundle` row naming the sending hub,
 * its mode, the referral, when, why, where to, and the SHA-256 of every
 * row), never the text of a restricted agency entry; the referral closes
 * at this hub as transferred.  In: a bundle is checked as hostile input
 * and becomes a new contact marked "transferred from HUB REF", with the
 * sending hub's history kept read-only beside it.  Both audited.
 *
 * Codes: EX_USAGE (a required option missing), EX_DATAERR (unknown
 * referral, already transferred, a bad or changed bundle, one addressed
 * to another hub), EX_NOINPUT (no such bundle file), EX_CANTCREAT (the
 * output exists or cannot be written; a bundle taken in before, naming
 * the referral it became), EX_NOPERM (not a supervisor; a bundle from a
 * training hub into a live one or the reverse), EX_TEMPFAIL (someone is
 * editing the referral). */
#ifndef MASHDESK_HUB_TRANSFER_H
#define MASHDESK_HUB_TRANSFER_H

#include "mashdesk/error.h"
#include "mashdesk/model.h"

struct hub;

/* The bundle format this program writes and reads. */
#define HUB_TRANSFER_FORMAT 2
/* A bundle file larger than this is refused unread. */
#define HUB_TRANSFER_MAX_BYTES (32L * 1024 * 1024)

struct transfer_out {
	const char *ref;        /* the referral to transfer */
	const char *to_hub;     /* the receiving hub's name */
	const char *reason;     /* why (the family moved to ...) */
	const char *path;       /* the bundle file: refused if it exists */
};

struct transfer_result {
	char ref[MD_REF_MAX];           /* out: the ref sent; in: the new one */
	char from_hub[128];             /* in: the sending hub */
	char from_ref[32];              /* in: its reference there */
	char hash[65];                  /* the bundle's SHA-256 */
};

/* Write the bundle (with the user's own rights) and close the referral as
 * transferred, in one transaction: on any failure nothing changes and no
 * file is left at path. */
int hub_transfer_out(struct hub *hub, const struct transfer_out *req,
		     struct transfer_result *res, struct md_error *err);

/* Take the bundle at path in as a new contact.  Nothing changes on any
 * refusal. */
int hub_transfer_in(struct hub *hub, const char *path,
		    struct transfer_result *res, struct md_error *err);

/* Check a bundle image without a hub (the unit tests; what `in` does
 * before anything else): 0, or EX_DATAERR saying what is wrong. */
int hub_transfer_check_image(const unsigned char *data, size_t n,
			     char hash[65], struct md_error *err);

#endif
