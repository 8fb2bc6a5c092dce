/* referral.h - one referral on a screen of its own (referral.c): a header
 * that stays put, a panel per agency, the decision and the prior history. */
#ifndef SCREENS_REFERRAL_H
#define SCREENS_REFERRAL_H

#include "mashdesk/screen.h"

/* Open ref (the queue's Enter, Enter on a prior referral or on a row of
 * the board's lists).  0 or EX_* (then already shown as a message). */
int referral_open(struct desk *d, const char *ref);

#endif
