/* check_form.h - the acting user's own agency's check on a referral
 * (check_form.c): status, what is shared, the lawful basis, consent and
 * handling, with the sharing guide a key away. */
#ifndef SCREENS_CHECK_FORM_H
#define SCREENS_CHECK_FORM_H

#include "mashdesk/screen.h"

struct forms;                   /* forms.h */

/* Open the user's own agency's check on ref for editing.  0, or an EX_*
 * code with err filled (not permitted, decided, someone else editing). */
int check_form_open(struct desk *d, const char *ref, struct md_error *err);

/* The form without a desk (the screen uses it; so do the tests): built
 * for a referral as hub_referral_get read it, with the hub's code tables.
 * NULL with err filled on failure.  Free with check_form_delete. */
struct forms *check_form_new(struct hub *hub, const char *agency,
			     const struct referral_detail *det,
			     struct md_error *err);
void check_form_delete(struct forms *fm);

#endif
