/* hub_update.h - a referral's details from the desk's contact form
 * (src/hub_update.c): taking a new contact in, and correcting the child,
 * household, referrer, concern and consent of one already taken in.
 *
 * Both validate exactly as `referral add` does (one rule, in the data
 * layer: every message starts with the field it is about, so the form
 * shows it there), and each is one BEGIN IMMEDIATE transaction audited in
 * the same transaction. */
#ifndef MASHDESK_HUB_UPDATE_H
#define MASHDESK_HUB_UPDATE_H

#include "mashdesk/error.h"
#include "mashdesk/model.h"

struct hub;

/* As hub_referral_add (a contact, stage 'contact'), and the acting user's
 * draft of a new contact goes in the same transaction: a desk that dies
 * after the commit never offers the saved contact again to be saved
 * twice. */
int hub_contact_add(struct hub *hub, const struct referral_input *in,
		    char ref[MD_REF_MAX], struct md_error *err);

/* Replace the details of ref with in: the child (name, aliases, date of
 * birth and whether it is an expected date, gender, ethnicity, language,
 * interpreter, disability, address, previous address, school, GP, NHS
 * number, UPN, allocated worker), the household (the person rows
 * replaced by in->people), the referrer (name, role, agency, contact,
 * source), the concern (concern, impact, tried, strengths, category) and
 * consent (parents aware, consent, reason).  in's rag, level, received_at,
 * decided_at and outcome are not details and are ignored.
 *
 * Needs HUB_ACT_EDIT_DETAILS; refused (EX_DATAERR) on a decided, closed or
 * signed-off record.  Fenced like the decision form: with a token, the
 * HUB_LEASE_DETAILS lease must still be ours and the referral's version
 * still expect_version (EX_TEMPFAIL otherwise; the caller keeps its
 * text); without one (NULL), refused only while someone else holds a live
 * lease.  The matching keys, aliases and search index follow the new
 * values.  One audit row per changed field, saying from what to what
 * ("child: 'Ada Smith' -> 'Ada Smyth'"; a long text only that it
 * changed); nothing changed is EX_DATAERR "nothing to save".  *changed
 * (may be NULL) gets the number of fields changed. */
int hub_referral_update(struct hub *hub, const char *ref,
			const struct referral_input *in, const char *token,
			long long expect_version, int *changed,
			struct md_error *err);

/* The details of ref as they stand, for an edit from the command line:
 * needs HUB_ACT_EDIT_DETAILS; the read is audited as a view.  Free with
 * hub_referral_free. */
int hub_details_get(struct hub *hub, const char *ref,
		    struct referral_detail **out, struct md_error *err);
/* in as the details of d stand (people: room for MD_MAX_PEOPLE); the
 * pointers are d's own.  Given back to hub_referral_update unchanged, it
 * changes nothing. */
void hub_details_input(const struct referral_detail *d,
		       struct referral_input *in, struct person_input *people);

#endif
