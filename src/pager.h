/* pager.h - read-only text in pages, a widget of the desk's toolkit: the
 * help screen (screens/help.c), the audit trail (screens/audit.c) and the
 * forms' guides are pagers.
 *
 * A pager is opened from a source: a title and a function that fills it
 * with logical lines through pager_add.  The lines are wrapped to the
 * body's width as they are drawn, so a resize re-flows them. */
#ifndef MASHDESK_PAGER_H
#define MASHDESK_PAGER_H

#include "mashdesk/screen.h"

/* The lines a pager shows (private to pager.c). */
struct pager_lines;

/* The pager's argument: a title and a way to fill it with lines. */
struct pager_source {
	const char *title;
	/* Add the text through pager_add; 0 or EX_* with err filled. */
	int (*fill)(void *arg, struct pager_lines *pl, struct md_error *err);
	void *arg;
};

/* Append one logical line (newlines split it; it is wrapped to the
 * screen width at draw time, continuation lines indented by indent).
 * 0, or -1 when out of memory. */
int pager_add(struct pager_lines *pl, int indent, enum theme_role role,
	      const char *text);

/* Push a pager (SCREEN_PAGER) filled from src; 0 or EX_* (then shown as a
 * message). */
int pager_open(struct desk *d, struct pager_source *src);

/* A pager screen of another name and kind (the help screen): its open
 * takes a struct pager_source * as arg, like pager_open. */
#define PAGER_SCREEN_OPS(title, screen_kind) { \
	.name = (title), .kind = (screen_kind), .open = pager_screen_open, \
	.draw = pager_screen_draw, .key = pager_screen_key, \
	.close = pager_screen_close, \
}
int pager_screen_open(struct screen *s, struct desk *d, void *arg,
		      struct md_error *err);
void pager_screen_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols);
int pager_screen_key(struct screen *s, struct desk *d, enum action a, int key);
void pager_screen_close(struct screen *s, struct desk *d);

#endif
