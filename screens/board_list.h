/* board_list.h - one person's open referrals, or the unassigned pile
 * (board_list.c), opened from the board: mark, and reassign the marked. */
#ifndef SCREENS_BOARD_LIST_H
#define SCREENS_BOARD_LIST_H

#include "mashdesk/screen.h"

/* Push login's work ("" = the unassigned pile), headed with name; with
 * overdue_marked, every overdue one starts marked.  0 or EX_* (shown). */
int board_list_open(struct desk *d, const char *login, const char *name,
		    int overdue_marked);

#endif
