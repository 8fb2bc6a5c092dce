/* supervise.h - what the supervisors' screens (board.c, board_list.c,
 * chase.c, note_form.c) share with each other and with the queue and
 * referral screens. */
#ifndef MASHDESK_SUPERVISE_H
#define MASHDESK_SUPERVISE_H

#include "desk_internal.h"

/* The small forms (note_form.c).  Each checks hub_may first and says why
 * not on the message line; returns 0 when the form is open.  A list under
 * the form sees the save through the desk (hub_poll_changes tells it of
 * this desk's own commits); the reassign form also sets *saved (unless
 * NULL) so the queue can drop its marks. */
int supervise_reassign_open(struct desk *d, const char *const *refs, int n,
			    int *saved);
int supervise_sendback_open(struct desk *d, const char *ref);
int supervise_chase_open(struct desk *d, const char *ref, const char *agency);
int supervise_override_open(struct desk *d, const char *ref, const char *agency,
			    const char *agency_name);

/* The board's three screens share a kind (SCREEN_BOARD): each says, as
 * it draws, which of the shared keys its key bar names (1 = shown). */
void supervise_keybar(int filter, int mark, int overdue, int reassign);

/* Open the board (board.c), one person's work ("" = the unassigned pile,
 * overdue_marked = mark everything overdue; board_list.c), the chase list
 * (agency NULL = every agency; chase.c).  0 or EX_* (already shown). */
int board_open(struct desk *d);
int board_list_open(struct desk *d, const char *login, const char *name,
		    int overdue_marked);
int chase_open(struct desk *d, const char *agency);

#endif
