/* queue.h - the referral queue (queue.c), the desk's first screen. */
#ifndef SCREENS_QUEUE_H
#define SCREENS_QUEUE_H

#include "mashdesk/screen.h"

/* Push the queue; 0 or EX_* (then shown as a message). */
int queue_open(struct desk *d);

#endif
