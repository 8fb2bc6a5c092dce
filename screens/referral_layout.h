/* referral_layout.h - the referral screen's pure layout
 * (referral_layout.c, referral_sections.c), unit-tested without a
 * terminal.
 *
 * The screen is taller than any terminal, so it is laid out as a list of
 * lines and scrolled.  Each line is a few spans, each exactly its width,
 * inert and fitted, with the theme role it is drawn in: the screen only
 * copies them out, and the tests read them without a terminal.  The
 * builders behind it are private to the layout (rlay.h). */
#ifndef SCREENS_REFERRAL_LAYOUT_H
#define SCREENS_REFERRAL_LAYOUT_H

#include <stddef.h>

#include "mashdesk/hub.h"
#include "mashdesk/term.h"

struct signoff_state;           /* mashdesk/hub_signoff.h */

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
	/* Where the decision stands under the two-person rule (hub_signoff.h),
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
