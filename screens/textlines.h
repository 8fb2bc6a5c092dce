/* textlines.h - a scrolling list of text lines, each drawn in one theme
 * role: what the trainer and debrief screens show.  The lines are rebuilt
 * from the hub on each refresh; the screen keeps its scroll position. */
#ifndef MASHDESK_TEXTLINES_H
#define MASHDESK_TEXTLINES_H

#include "mashdesk/screen.h"

#define TEXTLINE_MAX 512

struct textline {
	enum theme_role role;
	char text[TEXTLINE_MAX];
};

struct textlines {
	struct textline *v;
	int n, cap;
	int top;          /* first line shown below the fixed head */
	int head;         /* lines at the top that never scroll */
};

void textlines_clear(struct textlines *t);
void textlines_free(struct textlines *t);
/* Append one line (UTF-8, made inert when drawn). */
void textlines_add(struct textlines *t, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void textlines_draw(struct textlines *t, WINDOW *w, int rows, int cols);
/* Movement actions; DESK_UNHANDLED for the rest. */
int textlines_key(struct textlines *t, enum action a, int rows);

#endif
