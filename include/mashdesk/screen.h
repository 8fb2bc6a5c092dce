/* screen.h - the contract between the desk and its screens.
 *
 * A screen is a struct screen_ops (tig's view_ops, htop's handler flags):
 * the desk (src/desk.c) keeps a stack of screens, draws the top one into
 * the body window between the status line and the key bar, and hands it
 * each key already translated to an action through the one action table.
 * A screen answers with DESK_* flags saying what should happen next.
 *
 * Each screen lives in a file of its own under screens/, with a header
 * beside it declaring how it is opened; this header is all a screen needs
 * of the desk.  A screen that an action opens from wherever that action
 * works (the board, the reports...) is named in the action table's last
 * column (actions.h) and needs no key handler anywhere else. */
#ifndef MASHDESK_SCREEN_H
#define MASHDESK_SCREEN_H

#include <stddef.h>

#include "mashdesk/actions.h"
#include "mashdesk/config.h"
#include "mashdesk/error.h"
#include "mashdesk/hub.h"
#include "mashdesk/term.h"

/* Below this the desk shows "terminal too small" instead of any screen. */
#define DESK_MIN_COLS 80
#define DESK_MIN_ROWS 24

/* What a key handler tells the loop (bits). */
#define DESK_UNHANDLED 0x00     /* not mine: the desk's own meaning applies */
#define DESK_HANDLED   0x01
#define DESK_REDRAW    0x02     /* the body changed */
#define DESK_CLOSE     0x04     /* pop this screen */
#define DESK_QUIT      0x08     /* leave the desk */

struct desk;
struct screen;

struct screen_ops {
	const char *name;
	unsigned kind;          /* SCREEN_* bit: which actions apply */
	/* Set up s->priv from arg; 0 or an EX_* code with err filled. */
	int (*open)(struct screen *s, struct desk *d, void *arg,
		    struct md_error *err);
	/* Draw the whole body (rows x cols) and set s->cur_y/cur_x. */
	void (*draw)(struct screen *s, struct desk *d, WINDOW *w, int rows,
		     int cols);
	/* One key: its action on this kind of screen (maybe ACTION_NONE) and
	 * the key itself, for screens that take text. */
	int (*key)(struct screen *s, struct desk *d, enum action a, int key);
	/* The body is now rows x cols (NULL: draw copes). */
	void (*resize)(struct screen *s, struct desk *d, int rows, int cols);
	/* The input timeout passed with no key.  force = read the hub again:
	 * the user asked for it, or another desk committed a change (the desk
	 * polls the hub once per idle and forces the top screen, and any
	 * screen uncovered later, to catch up).  Returns DESK_* flags. */
	int (*tick)(struct screen *s, struct desk *d, int force);
	/* A key bar of its own for a mode (e.g. typing a search); returns 0
	 * to use the one generated from the action table.  NULL = never. */
	int (*keybar)(struct screen *s, char *buf, size_t len);
	/* Asked as the generated key bar is drawn (after the body), for each
	 * action the table names in this kind's bar: 1 to show it, 0 to leave
	 * it out for now, e.g. editing a decided referral or a key the user's
	 * role may not use.  The key still works (and says why not).  NULL =
	 * show everything the table names. */
	int (*bar_shows)(struct screen *s, struct desk *d, enum action a);
	/* Help lines particular to this screen after the key list (legend of
	 * marks...): line i into buf, 1 while there is one.  NULL = none. */
	int (*help_extra)(int i, char *buf, size_t len);
	void (*close)(struct screen *s, struct desk *d);
};

struct screen {
	const struct screen_ops *ops;
	void *priv;
	int cur_y, cur_x;       /* real cursor in the body; -1 = top left */
	long long seen;         /* the desk's change generation last shown */
};

/* ---- services of the desk to its screens (src/desk.c) ------------------ */

struct hub *desk_hub(struct desk *d);
const struct hub_info *desk_info(struct desk *d);
const struct config *desk_config(struct desk *d);
/* The time deadlines are drawn against: the wall clock at the start of its
 * minute.  Every "time left" on the screen then turns over with the status
 * line's clock, when the desk redraws anyway, and a key pressed between two
 * minutes sends only what the key changed. */
long long desk_now(struct desk *d);

/* Push a screen on top; 0 or EX_* (then shown as a message). */
int desk_push(struct desk *d, const struct screen_ops *ops, void *arg);

/* Show one line above the key bar until the next key. */
void desk_message(struct desk *d, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Draw untrusted text at (y, x) in exactly `cols` columns (padded when
 * pad), made inert and fitted: controls, escapes, bidi overrides can never
 * reach the terminal.  Returns the columns drawn. */
int desk_put(WINDOW *w, int y, int x, int cols, const char *s, int pad);

/* 1 when the locale is not UTF-8: then text_fit's ellipsis is "~" and
 * desk_ascii_fold turns each non-ASCII character of (inert) text into
 * '?' in place, so columns still line up on an ASCII-only terminal. */
int desk_ascii(void);
void desk_ascii_fold(char *s);

#endif
