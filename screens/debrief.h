/* debrief.h - a practice scenario's debrief (debrief.c): each trainee's
 * decisions against the model answers, with scores. */
#ifndef SCREENS_DEBRIEF_H
#define SCREENS_DEBRIEF_H

#include "mashdesk/screen.h"

/* Push the debrief; 0 or EX_* (then shown as a message).  The debrief
 * key's opener in the action table (on the trainer's screen). */
int debrief_open(struct desk *d);

#endif
