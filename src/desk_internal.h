/* desk_internal.h - what the desk's screens share with its main loop.
 *
 * A screen is a struct screen_ops (tig's view_ops, htop's handler flags):
 * the desk keeps a stack of screens, draws the top one into the body
 * window between the status line and the key bar, and hands it each key
 * already translated to an action through the one action table.  A screen
 * answers with DESK_* flags saying what should happen next. */
#ifndef MASHDESK_DESK_INTERNAL_H
#define MASHDESK_DESK_INTERNAL_H

#include <stddef.h>

#include "mashdesk/actions.h"
#include "mashdesk/desk.h"
#include "mashdesk/hub.h"
#include "mashdesk/term.h"

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
struct signoff_state;

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

/* ---- services of the desk to its screens (desk.c) ---------------------- */

struct hub *desk_hub(struct desk *d);
const struct hub_info *desk_info(struct desk *d);
const struct config *desk_config(struct desk *d);

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

/* ---- the screens ------------------------------------------------------- */

extern const struct screen_ops queue_screen_ops;   /* screens/queue.c */
extern const struct screen_ops help_screen_ops;    /* screens/help.c */
extern const struct screen_ops pager_screen_ops;   /* screens/help.c */
extern const struct screen_ops referral_screen_ops; /* screens/referral.c */
extern const struct screen_ops reports_screen_ops;  /* screens/reports.c */
extern const struct screen_ops trainer_screen_ops; /* screens/trainer.c */
extern const struct screen_ops debrief_screen_ops; /* screens/debrief.c */

/* Open one referral on its own screen (the queue's Enter, and Enter on a
 * prior referral).  0 or EX_* (then already shown as a message). */
int referral_open(struct desk *d, const char *ref);

/* The audit trail of one referral in the pager (screens/audit.c); the hub
 * refuses readers who may not see it (then shown as a message). */
int audit_open(struct desk *d, const char *ref);

/* The pager's argument: a title and a way to fill it with lines. */
struct pager_lines;
struct pager_source {
	const char *title;
	/* Add the text through pager_add; 0 or EX_* with err filled. */
	int (*fill)(void *arg, struct pager_lines *pl, struct md_error *err);
	void *arg;
};
/* Append one logical line (newlines split it; it is wrapped to the
 * screen width at draw time, continuation lines indented by indent). */
int pager_add(struct pager_lines *pl, int indent, enum theme_role role,
	      const char *text);

/* ---- the queue's pure layout (screens/queue.c), unit-tested ------------ */

enum queue_col {
	QCOL_REF, QCOL_RECEIVED, QCOL_NAME, QCOL_AGE, QCOL_RAG, QCOL_LEVEL,
	QCOL_STATUS, QCOL_ASSIGNED, QCOL_CHECKS, QCOL_DUE, QCOL_REPEAT,
	QCOL_COUNT
};

struct queue_layout {
	int cols;                       /* the width it was made for */
	int x[QCOL_COUNT], w[QCOL_COUNT];
	int wide_dates;                 /* received shown with its date and time */
};

#define QUEUE_CELL_MAX 256

struct queue_cells {
	char text[QCOL_COUNT][QUEUE_CELL_MAX];  /* fitted to the column */
	enum theme_role role[QCOL_COUNT];
};

/* Columns for a body `cols` wide with nagencies check marks. */
void queue_layout_make(struct queue_layout *l, int cols, int nagencies);

/* One row's cells, each fitted exactly to its column. */
void queue_row_cells(const struct queue_layout *l, const struct queue_row *r,
		     long long now, int ascii, struct queue_cells *c);

/* The column headings ("Ref", "Child"... and the agencies' initials). */
void queue_header_cells(const struct queue_layout *l, const char *initials,
			struct queue_cells *c);

/* The cells joined into one line of exactly l->cols columns. */
void queue_cells_join(const struct queue_layout *l,
		      const struct queue_cells *c, char *buf, size_t len);

/* ---- the referral screen's pure layout (screens/referral_layout.c) ----
 *
 * The screen is taller than any terminal, so it is laid out as a list of
 * lines and scrolled.  Each line is a few spans, each exactly its width,
 * inert and fitted, with the theme role it is drawn in: the screen only
 * copies them out, and the tests read them without a terminal. */

#define REFERRAL_SPANS_MAX 16
#define REFERRAL_STOPS_MAX (MD_MAX_AGENCIES + MD_MAX_HISTORY)
/* From this width the sections and the agency panels go two abreast. */
#define REFERRAL_TWO_COLUMNS 140

struct referral_span {
	int x, w;                       /* columns in the body */
	enum theme_role role;           /* drawn as role ... */
	enum theme_role base;           /* ... on a line drawn as base */
	size_t off;                     /* its text, in the layout's buf */
};

struct referral_line {
	struct referral_span span[REFERRAL_SPANS_MAX];  /* left to right */
	int nspan;
};

/* Where Tab stops: each agency panel, then each prior referral. */
struct referral_stop {
	int first, last;                /* its lines, after the header */
	int x;                          /* its left edge, for the cursor */
	int check;                      /* index into checks[], or -1 */
	int history;                    /* index into history[], or -1 */
};

struct referral_layout {
	int cols, ascii;
	struct referral_line *lines;    /* the header's lines first */
	int n, cap;
	int nhead;                      /* lines that stay at the top */
	struct referral_stop stops[REFERRAL_STOPS_MAX];
	int nstops;
	char *buf;                      /* every span's text */
	size_t used, size;
	int failed;                     /* out of memory: lines are missing */
};

/* What the layout needs besides the referral itself. */
struct referral_view {
	int cols;
	long long now;
	int ascii;                      /* fold non-ASCII to '?' (desk_ascii) */
	const char *my_agency;          /* the user's own agency, "" for none */
	int can_edit;                   /* e would open the user's own check */
	const char *edit_key;           /* the key bound to edit, for hints */
	int focus;                      /* the stop with the focus, -1 none */
	/* Where the decision stands under the two-person rule (signoff.h),
	 * or NULL: sign-off and send-back lines in the decision section. */
	const struct signoff_state *signoff;
	/* A code's display name, or NULL to show the code itself. */
	const char *(*code_name)(void *arg, const char *table,
				 const char *code);
	void *code_arg;
};

/* Lay d out for v into l (zeroed or freed before).  0, or -1 when out of
 * memory (l->failed; what was laid out stays usable). */
int referral_layout_build(struct referral_layout *l,
			  const struct referral_detail *d,
			  const struct referral_view *v);
void referral_layout_free(struct referral_layout *l);

/* 1 when both would draw exactly the same. */
int referral_layout_same(const struct referral_layout *a,
			 const struct referral_layout *b);

const char *referral_span_text(const struct referral_layout *l,
			       const struct referral_span *s);

/* Line i (0 = first header line) as plain text, spans at their columns. */
void referral_line_text(const struct referral_layout *l, int i, char *buf,
			size_t len);

#endif
