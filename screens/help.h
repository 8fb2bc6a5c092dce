/* help.h - the help screen (help.c): the keys of the screen below it, as
 * bound now, and that screen's own notes.  The desk opens it on the help
 * key. */
#ifndef SCREENS_HELP_H
#define SCREENS_HELP_H

#include "mashdesk/screen.h"

/* Push the help of `below` (the top screen); 0 or EX_* (then shown). */
int help_open(struct desk *d, struct screen *below);

#endif
