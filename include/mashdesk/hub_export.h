/* hub_export.h - the children-in-need export (src/hub_export.c): the
 * referrals of a period (hub_report.h) as CSV.  Supervisors and admins may
 * export; a refusal is EX_NOPERM and audited, and so is every export. */
#ifndef MASHDESK_HUB_EXPORT_H
#define MASHDESK_HUB_EXPORT_H

#include <stdio.h>

#include "mashdesk/error.h"
#include "mashdesk/hub_report.h"

struct hub;

struct export_request {
	const struct report_period *period;   /* both ends required */
	const char *path;             /* output file; NULL = write to `out` */
	FILE *out;                    /* stdout, when path is NULL */
	int force;                    /* replace an existing file */
};

/* Write CSV (RFC 4180, CRLF, header row) of the referrals received in the
 * period and their decisions, coded with the children-in-need return's
 * source-of-referral and primary-need codes, with the hub's mode in every
 * row.  Agency entries restricted to the hub are never included.  A file
 * is written to a temporary file beside it and renamed into place; an
 * existing file is refused (EX_CANTCREAT) unless force.  Each export is
 * audited (who, period, rows, where); *rows = referrals written. */
int hub_export(struct hub *hub, const struct export_request *req, long *rows,
	       struct md_error *err);

#endif
