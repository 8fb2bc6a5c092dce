/* debrief.h - a practice scenario's debrief (debrief.c): each trainee's
 * decisions against the model answers, with scores. */
#ifndef SCREENS_DEBRIEF_H
#define SCREENS_DEBRIEF_H

#include "mashdesk/screen.h"

/* Push the debrief; 0 or EX_* (then shown as a message). */
int debrief_open(struct desk *d);

#endif
