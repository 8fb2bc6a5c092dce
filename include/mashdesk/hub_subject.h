/* hub_subject.h - a subject access request (src/hub_subject.c): everything
 * the hub holds about one child, as one plain-text document for a person
 * to review before anything is disclosed.
 *
 * The child is found as the prior history finds them (hub_prior.c): the
 * normalised name with the date of birth, and the name as another
 * record's alias with the date of birth; every name and alias of each
 * record found is then searched too, until no new name turns up.  Never
 * the address: an address alone would bring in the other children of a
 * household (brothers, sisters, a lodger's child), whose records are not
 * the requester's to see.  Two children with the same name and date of
 * birth are one child by the hub's rule (the repeat-referral and prior
 * history rule): the document says so, and the reviewer confirms each
 * record is this child's.
 *
 * Read in one read transaction, so the document is the hub as it stood
 * at one moment; supervisors only (HUB_ACT_SUBJECT_ACCESS: a refusal is
 * audited); each run audited once (who, the name and date of birth
 * asked, how many records and their references, where the document
 * went; never the document). */
#ifndef MASHDESK_HUB_SUBJECT_H
#define MASHDESK_HUB_SUBJECT_H

#include <stdio.h>

#include "mashdesk/error.h"

struct hub;

/* The marks a reviewer looks for (grep for "[RESTRICTED" and "[THIRD
 * PARTY"): an agency's entry restricted to the hub; an agency's entry
 * shared only on its conditions; and third parties' information, each
 * naming what it is. */
#define SUBJECT_MARK_RESTRICTED "[RESTRICTED: review before disclosure]"
#define SUBJECT_MARK_CONDITIONAL "[CONDITIONAL: review before disclosure]"
#define SUBJECT_MARK_THIRD "[THIRD PARTY: "     /* + what + "]" */
#define SUBJECT_MARK_FREE "[THIRD PARTY?: free text, may name others]"

struct subject_request {
	const char *child_name;       /* as the requester gives it */
	const char *dob;              /* YYYY-MM-DD */
	const char *aliases;          /* other names the requester gives,
	                               * ';'-separated as in referral add;
	                               * NULL or "" none */
	const char *where;            /* where the document goes, for the
	                               * audit: a path or "standard output" */
};

/* Write the document to out and audit it.  *records = the records found
 * (0 is an answer: the document says the hub holds nothing).  A missing
 * name is EX_USAGE; a date of birth that is not a date EX_DATAERR
 * ("dob: ..."); not a supervisor EX_NOPERM.  When the audit cannot be
 * written the status says so and the caller must not give the document
 * out. */
int hub_subject_access(struct hub *hub, const struct subject_request *req,
		       FILE *out, int *records, struct md_error *err);

#endif
