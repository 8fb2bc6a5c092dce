/* queue_layout.h - the queue's row layout (queue_layout.c), pure and
 * unit-tested: the columns for a width, one referral's cells fitted to
 * them, and the headings.  The queue screen and the board's list of one
 * person's work draw their rows from it. */
#ifndef SCREENS_QUEUE_LAYOUT_H
#define SCREENS_QUEUE_LAYOUT_H

#include <stddef.h>

#include "mashdesk/hub.h"
#include "mashdesk/term.h"

enum queue_col {
	QCOL_REF, QCOL_RECEIVED, QCOL_NAME, QCOL_AGE, QCOL_RAG, QCOL_LEVEL,
	QCOL_STATUS, QCOL_ASSIGNED, QCOL_CHECKS, QCOL_DUE, QCOL_REPEAT,
	QCOL_STRATEGY,          /* glued to the repeat mark: "*s" */
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

/* One row's cells, each fitted exactly to its column; ascii folds
 * non-ASCII text to '?' (desk_ascii). */
void queue_row_cells(const struct queue_layout *l, const struct queue_row *r,
		     long long now, int ascii, struct queue_cells *c);

/* The agencies' initials heading the check marks ("PCHEPH"), filled one
 * agency at a time: give queue_initial_add to hub_list_codes("agency"). */
struct queue_initials {
	char s[MD_MAX_AGENCIES + 1];
	int n;
};
int queue_initial_add(const struct hub_code *c, void *arg);

/* The column headings ("Ref", "Child"... and the agencies' initials). */
void queue_header_cells(const struct queue_layout *l, const char *initials,
			struct queue_cells *c);

/* The cells joined into one line of exactly l->cols columns. */
void queue_cells_join(const struct queue_layout *l,
		      const struct queue_cells *c, char *buf, size_t len);

#endif
