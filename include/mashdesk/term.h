/* term.h - the terminal under the desk: curses set-up and restore, signals,
 * and the theme.
 *
 * The theme is a table indexed by meaning (htop's idea), not by colour, so
 * a screen says "this is a red RAG" and the theme decides how that looks:
 * with colour, or under the monochrome scheme (no colours, NO_COLOR set, or
 * [ui] theme = mono) with bold, underline and reverse alone.  Meaning is
 * never carried by colour alone anyway: screens always print the letter. */
#ifndef MASHDESK_TERM_H
#define MASHDESK_TERM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1      /* wget_wch and friends */
#endif
#include <curses.h>

#include "mashdesk/config.h"
#include "mashdesk/error.h"

enum theme_role {
	THEME_NORMAL,
	THEME_TITLE,            /* the status line at the top */
	THEME_KEYBAR,           /* the key bar at the bottom */
	THEME_KEY,              /* a key's name inside the key bar */
	THEME_HEADER,           /* column headings */
	THEME_SELECTED,         /* the selected row */
	THEME_RAG_RED,
	THEME_RAG_AMBER,
	THEME_RAG_GREEN,
	THEME_OVERDUE,          /* a deadline that has passed */
	THEME_TRAINING,         /* the TRAINING mark of a training hub */
	THEME_DIM,              /* secondary detail */
	THEME_ERROR,            /* a refused action's message */
	THEME_ALERT,            /* a mark to heed: restricted, alleged perpetrator, repeat */
	THEME_COUNT
};

/* Take over the terminal: stdin/stdout when both are terminals, else
 * /dev/tty.  Installs the signal handlers described in term.c.  Returns 0
 * or EX_UNAVAILABLE with err filled (no terminal, unknown TERM). */
int term_open(const struct config *cfg, struct md_error *err);

/* Give the terminal back as it was (idempotent). */
void term_close(void);

/* 1 when the locale cannot show UTF-8 (use "~" rather than "…"). */
int term_ascii_only(void);

/* 1 when bars and sparklines may use Unicode block characters: a UTF-8
 * locale and not a VT100-class terminal (TERM=vt100, vt220...). */
int term_unicode_blocks(void);

/* The signal (SIGTERM, SIGHUP, SIGINT) that asked the desk to stop, or 0. */
int term_stop_signal(void);

/* Call after a resize so the crash path knows where the last line is. */
void term_resized(void);

/* Set w's drawing attributes to a role.  term_style_on draws role on top
 * of a row drawn as base (e.g. a red RAG inside the selected row): when
 * both are reversed, the cell is drawn un-reversed so it still stands out
 * under monochrome. */
void term_style(WINDOW *w, enum theme_role role);
void term_style_on(WINDOW *w, enum theme_role role, enum theme_role base);

/* The attributes of a role, colour pair included (for wbkgdset). */
chtype term_attr(enum theme_role role);

#endif
