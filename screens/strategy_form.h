/* strategy_form.h - the strategy discussion form on the referral screen
 * (strategy_form.c): when and how it was held, who took part for police,
 * children's social care and health (and any others), why a required
 * agency did not, what was shared, the section 47 decision (and what
 * happens instead of one), whether to reconvene, and actions.
 *
 * It checks hub_may first and says why not on the message line; the rules
 * are the data layer's (hub_strategy.h), shown at the field they name
 * when a save is refused.  Returns 0 when the form is open. */
#ifndef SCREENS_STRATEGY_FORM_H
#define SCREENS_STRATEGY_FORM_H

#include "mashdesk/screen.h"

struct forms;                   /* forms.h */

int strategy_form_open(struct desk *d, const struct referral_detail *det);

/* The form without a desk (the screen uses it; so may tests); free with
 * strategy_form_delete.  NULL when out of memory: err says so. */
struct forms *strategy_form_new(const struct referral_detail *det,
				struct md_error *err);
void strategy_form_delete(struct forms *fm);

#endif
