/* decision_form.h - the joint decision on a referral (decision_form.c):
 * RAG and level, outcome and why, the agencies, next actions and feedback. */
#ifndef SCREENS_DECISION_FORM_H
#define SCREENS_DECISION_FORM_H

#include "mashdesk/screen.h"

struct forms;                   /* forms.h */

/* Open the decision form on ref.  0, or an EX_* code with err filled. */
int decision_form_open(struct desk *d, const char *ref, struct md_error *err);

/* The form without a desk (the screen uses it; so do the tests), as
 * check_form_new.  Free with decision_form_delete. */
struct forms *decision_form_new(struct hub *hub,
				const struct referral_detail *det,
				struct md_error *err);
void decision_form_delete(struct forms *fm);

#endif
