/* board.h - the workload board (board.c, supervisors): who holds what,
 * what is overdue, and late agency checks. */
#ifndef SCREENS_BOARD_H
#define SCREENS_BOARD_H

#include "mashdesk/screen.h"

/* Push the board, or say on the message line why not (supervisors only).
 * 0 or EX_*.  The board key's opener in the action table. */
int board_open(struct desk *d);

#endif
