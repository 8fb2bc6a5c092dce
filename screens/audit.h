/* audit.h - the audit trail of one referral in the pager (audit.c): who
 * saw and did what, and who was turned away. */
#ifndef SCREENS_AUDIT_H
#define SCREENS_AUDIT_H

#include "mashdesk/screen.h"

/* Push the trail of ref; the hub refuses readers who may not see it
 * (supervisors; trainers on a training hub).  0 or EX_* (then shown as a
 * message). */
int audit_open(struct desk *d, const char *ref);

#endif
