/* contact_form.h - the contact form (contact_form.c): a new contact taken
 * in at the desk, in the order of a phone call (the child, the household,
 * who is calling, what happened, consent), with the prior history of the
 * child and household shown as it is typed; and the same form editing the
 * details of a referral already taken in. */
#ifndef SCREENS_CONTACT_FORM_H
#define SCREENS_CONTACT_FORM_H

#include "mashdesk/screen.h"

struct forms;                   /* forms.h */

/* n on the queue (the action table's opener): a new contact.  Says why
 * not on the message line; 0 when the form is open. */
int contact_form_open_new(struct desk *d);

/* The details of ref, under an edit lease (HUB_LEASE_DETAILS).  0, or an
 * EX_* code with err filled (someone else is editing them, the referral
 * is decided or closed, not permitted). */
int contact_form_open_edit(struct desk *d, const char *ref,
			   struct md_error *err);

/* The form without a desk (the screen uses it; so do the tests): det NULL
 * for a new contact, else the referral whose details it edits.  Free with
 * contact_form_delete. */
struct forms *contact_form_new(struct hub *hub,
			       const struct referral_detail *det,
			       struct md_error *err);
void contact_form_delete(struct forms *fm);

/* Household rows: add one at the end (its first field's index, or -1 when
 * there is no room), remove person i (from 0), how many there are. */
int contact_form_add_person(struct forms *fm);
void contact_form_remove_person(struct forms *fm, int i);
int contact_form_people(const struct forms *fm);

/* The values as the data layer takes them; people has room for
 * MD_MAX_PEOPLE.  The pointers are the form's own (valid until it
 * changes). */
void contact_form_input(struct forms *fm, struct referral_input *in,
			struct person_input *people);

#endif
