/* rlay.h - private to the referral screen's layout: the line store and
 * the builders shared by referral_layout.c (store, wrapping, header) and
 * referral_sections.c (the sections, panels and history).  Everything the
 * screen itself uses is in referral_layout.h. */
#ifndef SCREENS_RLAY_H
#define SCREENS_RLAY_H

#include "referral_layout.h"

#define RLAY_LABEL_X 2          /* field labels start here ... */
#define RLAY_LABEL_W 15         /* ... and take this many columns */
#define RLAY_TEXT_MAX 2048      /* one span's text, in bytes */

/* One build: where the lines go, what for, and from what. */
struct rlay {
	struct referral_layout *l;
	const struct referral_view *v;
	const struct referral_detail *d;
};

/* ---- the store (referral_layout.c) ----------------------------------- */

/* A new empty line: its index, or -1 when out of memory. */
int rlay_line(struct referral_layout *l);
/* Put (inert) text at column x of line i, fitted and padded to w columns,
 * drawn as role on base.  Returns the column after it. */
int rlay_span(struct referral_layout *l, int i, int x, int w,
	      const char *text, enum theme_role role, enum theme_role base);
/* Untrusted one-line text, inert and (ASCII terminal) folded, into buf. */
const char *rlay_short(const struct referral_layout *l, const char *s,
		       char *buf, size_t len);
/* Copy the lines of t into l from line first on, columns shifted by x. */
void rlay_merge(struct referral_layout *l, const struct referral_layout *t,
		int first, int x);

/* ---- building blocks (referral_layout.c) ------------------------------- */

/* A code's display name (the code itself when there is none). */
const char *rlay_code(const struct rlay *b, const char *table,
		      const char *code);
/* "22 Nov 2025 14:05" (with_time) or "22 Nov 2025", local; "-" for 0. */
void rlay_when(long long t, int with_time, char *buf, size_t len);

/* "  Label          value, wrapped under itself"; "not given" when empty. */
void rlay_field(struct rlay *b, const char *label, const char *value,
		enum theme_role role);
/* The same, left out when value is empty. */
void rlay_field_opt(struct rlay *b, const char *label, const char *value);
/* Untrusted text wrapped at x, later lines hanging 2 further in, then an
 * optional mark to heed (THEME_ALERT) on its last line when it fits. */
void rlay_para(struct rlay *b, int x, const char *text, const char *mark);
/* The same as one selectable entry: highlighted across the column when
 * focused.  Sets *first and *last to its lines. */
void rlay_entry(struct rlay *b, int x, const char *text, int focused,
		int *first, int *last);
/* A section's title (a blank line above it) and an optional dim hint. */
void rlay_heading(struct rlay *b, const char *title, const char *hint);
/* A line of its own with one (untrusted) text at x in role. */
void rlay_note(struct rlay *b, int x, const char *text, enum theme_role role);

/* ---- sections (referral_sections.c) ------------------------------------ */

/* The child, the concern, the household, the referrer, consent: from
 * REFERRAL_TWO_COLUMNS on, the child and concern beside the people. */
void rlay_add_about(struct rlay *b);
void rlay_add_panels(struct rlay *b);       /* one per agency */
void rlay_add_decision(struct rlay *b);
void rlay_add_history(struct rlay *b);
/* Transfers between hubs: where it went and why; the sending hub's
 * history of a case transferred in (nothing for any other). */
void rlay_add_transfer(struct rlay *b);

/* ---- the front door (referral_front.c) ---------------------------------- */

/* The header's line of every asked agency's check and where it stands. */
void rlay_add_checks_line(struct rlay *b);
/* The Screening section (stage, who screened it, how and why) and the
 * RAG ratings timeline. */
void rlay_add_front(struct rlay *b);

#endif
