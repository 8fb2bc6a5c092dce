/* chase.h - the chase list (chase.c, supervisors): agency checks still
 * open, late first, and a record of each chase. */
#ifndef SCREENS_CHASE_H
#define SCREENS_CHASE_H

#include "mashdesk/screen.h"

/* Push the chase list of every agency, or say on the message line why not
 * (supervisors only).  0 or EX_*.  The chase key's opener in the action
 * table (from the queue and a person's work). */
int chase_open(struct desk *d);

/* The same, showing one agency's checks first (NULL = every agency). */
int chase_open_agency(struct desk *d, const char *agency);

#endif
