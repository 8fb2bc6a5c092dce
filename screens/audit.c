/* audit.c - the audit trail of one referral at the desk: who saw it, who
 * changed what, and who was turned away, oldest first, in the read-only
 * pager.  The hub decides who may read it (supervisors; trainers on a
 * training hub) and records the reading itself, as `audit show` does. */
#include "audit.h"

#include <stdio.h>

#include "mashdesk/clock.h"
#include "pager.h"

struct audit_args {
	struct hub *hub;
	const char *ref;
	struct pager_lines *pl;
	int rows, failed;
};

static int audit_line(const struct hub_audit_entry *e, void *arg)
{
	struct audit_args *a = arg;
	char when[CLOCK_ISO_MAX], line[1400];
	clock_format_iso(e->at, when);
	/* The terminal and host say where a view happened; the detail wraps
	 * under the action so long reasons stay readable. */
	int n = snprintf(line, sizeof line, "%-20.20s %-12.12s %-16.16s ",
			 when, e->login, e->action);
	snprintf(line + n, sizeof line - (size_t)n, "%s (%s, %s)", e->detail,
		 e->host[0] ? e->host : "?", e->tty[0] ? e->tty : "no terminal");
	a->rows++;
	if (pager_add(a->pl, n, THEME_NORMAL, line))
		a->failed = 1;
	return a->failed;
}

static int audit_fill(void *arg, struct pager_lines *pl, struct md_error *err)
{
	struct audit_args *a = arg;
	a->pl = pl;
	pager_add(pl, 0, THEME_HEADER, "When (UTC)           Who          What");
	int status = hub_audit_show(a->hub, a->ref, audit_line, a, err);
	if (!status && a->failed)
		status = md_fail(err, EX_OSERR, "out of memory building the audit");
	if (!status && a->rows == 0)
		pager_add(pl, 0, THEME_DIM, "Nothing recorded.");
	return status;
}

int audit_open(struct desk *d, const char *ref)
{
	char title[64];
	struct audit_args args = { desk_hub(d), ref, NULL, 0, 0 };
	struct pager_source src = { title, audit_fill, &args };

	snprintf(title, sizeof title, "Audit of %s: who saw and did what", ref);
	return pager_open(d, &src);
}
