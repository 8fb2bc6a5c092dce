/* feedback_form.h - the small form on the referral screen that records
 * feedback given to the referrer (feedback_form.c): its kind
 * (acknowledgement or outcome), how it was given and what was said.
 *
 * It checks hub_may first and says why not on the message line; the rules
 * are the data layer's (hub_feedback.h), shown at the field they name
 * when a save is refused (a text repeating a restricted entry lands at the
 * text).  Returns 0 when the form is open. */
#ifndef SCREENS_FEEDBACK_FORM_H
#define SCREENS_FEEDBACK_FORM_H

#include "mashdesk/screen.h"

struct forms;                   /* forms.h */

int feedback_form_open(struct desk *d, const struct referral_detail *det);

/* A form without a desk (the screen uses it; so may tests); free with
 * forms_delete.  NULL when out of memory or the codes cannot be read. */
struct forms *feedback_form_new(struct hub *hub,
				const struct referral_detail *det,
				struct md_error *err);

#endif
