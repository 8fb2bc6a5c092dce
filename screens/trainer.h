/* trainer.h - the trainer's screen (trainer.c): a practice scenario's
 * clock, who is at the exercise and what has arrived. */
#ifndef SCREENS_TRAINER_H
#define SCREENS_TRAINER_H

#include "mashdesk/screen.h"

/* Push the trainer's screen, or say on the message line why not
 * (trainers, on training hubs).  0 or EX_*.  The trainer key's opener in
 * the action table; the desk also opens it for a trainer of a hub with a
 * scenario loaded. */
int trainer_open(struct desk *d);

#endif
