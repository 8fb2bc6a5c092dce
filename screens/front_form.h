/* front_form.h - the front door's forms on the referral screen
 * (front_form.c): screening a contact (progress it with a RAG, a level of
 * need, the agencies to ask and why; or close it with an outcome and
 * why), rating it with a reason, and asking more agencies later.
 *
 * Each checks hub_may first and says why not on the message line; the
 * rules are the data layer's (hub_screen.h), shown at the field they
 * name when a save is refused.  Returns 0 when the form is open. */
#ifndef SCREENS_FRONT_FORM_H
#define SCREENS_FRONT_FORM_H

#include "mashdesk/screen.h"

struct forms;                   /* forms.h */

int screen_form_open(struct desk *d, const struct referral_detail *det);
int rate_form_open(struct desk *d, const struct referral_detail *det);
int request_form_open(struct desk *d, const struct referral_detail *det);

/* A form without a desk (the screen uses it; so do the tests); free with
 * front_form_delete.  NULL when out of memory or the codes cannot be
 * read, or (FRONT_REQUEST) every agency was asked already: err says
 * which. */
enum front_kind { FRONT_SCREEN, FRONT_RATE, FRONT_REQUEST };
struct forms *front_form_new(struct hub *hub, enum front_kind kind,
			     const struct referral_detail *det,
			     struct md_error *err);
void front_form_delete(struct forms *fm);

#endif
