/* forms.h - the desk's editing forms, built on ncurses' form library:
 * an agency's own check (screens/check_form.c) and the joint decision
 * (screens/decision_form.c), with the shared helpers in src/forms.c. */
#ifndef MASHDESK_FORMS_H
#define MASHDESK_FORMS_H

#include "desk_internal.h"

/* Open the acting user's own agency's check on ref for editing.  0, or an
 * EX_* code with err filled (not permitted, decided...). */
int check_form_open(struct desk *d, const char *ref, struct md_error *err);

/* Open the joint decision form on ref. */
int decision_form_open(struct desk *d, const char *ref, struct md_error *err);

#endif
