/* reports.h - the hub's figures at the desk (reports.c): turnaround,
 * agency checks, outcomes and repeats, as bars and sparklines. */
#ifndef SCREENS_REPORTS_H
#define SCREENS_REPORTS_H

#include "mashdesk/screen.h"

/* Push the reports; the data layer refuses those who may not read them
 * (and audits the refusal), shown as a message.  0 or EX_*.  The reports
 * key's opener in the action table. */
int reports_open(struct desk *d);

#endif
