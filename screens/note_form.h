/* note_form.h - the supervisors' small forms (note_form.c): reassign
 * referrals to someone else with a reason, send a decision back with a
 * comment, record a chase with a note, override an agency's consent
 * refusal with a reason.
 *
 * Each checks hub_may first and says why not on the message line; returns
 * 0 when the form is open.  A list under the form sees the save through
 * the desk (hub_poll_changes tells it of this desk's own commits). */
#ifndef SCREENS_NOTE_FORM_H
#define SCREENS_NOTE_FORM_H

#include "mashdesk/screen.h"

/* The reassign form also sets *saved (unless NULL) when it saves, so the
 * queue can drop its marks. */
int note_reassign_open(struct desk *d, const char *const *refs, int n,
		       int *saved);
int note_sendback_open(struct desk *d, const char *ref);
int note_chase_open(struct desk *d, const char *ref, const char *agency);
int note_override_open(struct desk *d, const char *ref, const char *agency,
		       const char *agency_name);

#endif
