/* forms.h - the desk's form toolkit, on ncurses' form library, under
 * every editing form (screens/check_form.c, screens/decision_form.c,
 * screens/note_form.c, screens/contact_form.c): src/forms.c (values and
 * view, scrolling, rows added and removed),
 * src/forms_screen.c (keys, frame, the discard question),
 * src/forms_edit.c (the edit lease and drafts) and src/forms_text.c
 * (pure buffer helpers).
 *
 * A form screen keeps its values in struct forms_field (the model); the
 * ncurses FORM is only a view of them, built for one body size.  On a
 * resize the view is read back into the model and built again at the new
 * size, so nothing typed is ever lost.  The FORM is posted on a window of
 * its own that no one else erases, and each frame copies it into the
 * desk's body: the desk keeps its one-doupdate-per-frame discipline and the
 * form library keeps its incremental drawing. */
#ifndef MASHDESK_FORMS_H
#define MASHDESK_FORMS_H

#include <form.h>
#include <panel.h>

#include "mashdesk/screen.h"

struct pager_lines;             /* pager.h */

#define FORMS_MAX_FIELDS 160
#define FORMS_MAX_OPTIONS 32
#define FORMS_MSG_MAX 320

enum forms_kind {
	FORMS_CHOICE,   /* one of a list: Left/Right or Space change it */
	FORMS_TICK,     /* on or off: Space ticks it */
	FORMS_LINE,     /* one line of text, scrolls sideways */
	FORMS_TEXT,     /* several lines: Enter starts a new line */
	FORMS_DATE      /* YYYY-MM-DD, checked when the field is left */
};

struct forms_option {
	char code[MD_CODE_MAX];
	char name[128];
	char explanation[400];  /* "" = none */
};

struct forms_options {
	struct forms_option v[FORMS_MAX_OPTIONS];
	int n;
};

/* Note areas: where a field's explanation, hint or problem is written. */
#define FORMS_NOTE_SHARED 0x01  /* shared with other fields: shown only
				 * while the field has the focus */
#define FORMS_NOTE_FIXED  0x02  /* in the body's rows, not the scrolled
				 * form's: stays put while the form scrolls */

struct forms_field {
	enum forms_kind kind;
	const char *name;       /* how messages name it: "basis", "action2.due" */
	const char *label;      /* drawn left of it (NULL = none) */
	const char *hint;       /* the note when there is nothing else to say */
	/* the value: what survives every rebuild */
	char *text;             /* text kinds (never NULL once added) */
	char *initial;          /* the text as opened, to tell changes */
	int choice, initial_choice;     /* option index or -1; tick: 0 or 1 */
	const struct forms_options *options;
	const char *tick_label; /* a tick's own words: "Police" */
	const char *none_label; /* a choice that may be left unmade shows
				 * this then; NULL = one must be chosen */
	int edited;             /* typed into since the form opened */
	/* geometry in the body, set by the screen's layout */
	int y, x, h, w;
	int label_x;            /* the label runs from here to x - 2 */
	int note_y, note_x, note_w, note_h, note_flags;
	FIELD *field;
};

struct forms;

/* The form's hold on the hub while it is open (src/forms_edit.c). */
struct forms_edit {
	struct hub_lease lease;
	int held;               /* the lease is ours */
	int lost;               /* ...was, until someone took it over */
	int saved, discarded;   /* how the form ended */
	long long renewed_ms, drafted_ms;
	char *last_draft;       /* the body last kept, to skip unchanged ones */
	char restored_from[32]; /* when a restored draft was kept; "" = none */
};
struct forms_ops {
	/* Set every field's geometry for a body rows x cols (>= 80x21). */
	void (*layout)(struct forms *fm, int rows, int cols);
	/* Draw what is not a field (title, headings) into the body. */
	void (*draw_extra)(struct forms *fm, WINDOW *w, int rows, int cols);
	/* Ctrl-X: values are synced; returns DESK_* flags. */
	int (*save)(struct forms *fm, struct desk *d);
	/* The guide key: push the guide; DESK_* flags. */
	int (*guide)(struct forms *fm, struct desk *d);
	/* Optional, for forms that need more (NULL = none): */
	/* An action the toolkit leaves alone (adding a row...): DESK_* flags,
	 * DESK_UNHANDLED when it is not the form's either. */
	int (*action)(struct forms *fm, struct desk *d, enum action a);
	/* The focus has left field `from` (after the key that moved it). */
	void (*left)(struct forms *fm, struct desk *d, int from);
	/* The idle tick (no key for [ui] refresh_ms): DESK_* flags. */
	int (*tick)(struct forms *fm, struct desk *d);
	/* A draft is about to be restored into the values: make the fields
	 * it names (rows added or removed) before they are filled. */
	void (*draft_shape)(struct forms *fm, const char *body);
	/* The form's own actions the key bar names now, after Tab's: up to
	 * max into acts; returns how many. */
	int (*bar_extra)(struct forms *fm, enum action *acts, int max);
};

struct forms {
	const struct forms_ops *ops;
	struct forms_field fields[FORMS_MAX_FIELDS];
	int nfields;
	int current;            /* the field with the focus */
	int problem;            /* the field showing a problem, or -1 */
	char message[FORMS_MSG_MAX];
	int asking;             /* "Discard your changes?" is up */
	int reshaped;           /* fields were added or removed */
	int insert_at;          /* where fields are added: -1 at the end */
	/* Scrolling (forms_scroll): the fields lie in vrows virtual rows,
	 * shown view_h at a time from body row view_y, from virtual row top
	 * down.  vrows 0: no scrolling, the fields' rows are the body's. */
	int vrows, view_y, view_h, top;
	/* the view (rebuilt at each size) */
	FORM *form;
	FIELD *fieldv[FORMS_MAX_FIELDS + 1];
	WINDOW *win;
	int rows, cols;
	WINDOW *dialog;
	PANEL *panel;
	struct forms_edit edit;
};

/* Take the edit lease on ref (EX_TEMPFAIL naming the holder when someone
 * else edits it) and restore this user's draft into the values. */
int forms_edit_begin(struct forms *fm, struct desk *d, enum hub_lease_kind kind,
		     const char *ref, struct md_error *err);
/* From the idle tick: renew the lease, keep a draft of changed work. */
void forms_edit_tick(struct forms *fm, struct desk *d);
/* The form closes: keep or drop the draft, give the lease back. */
void forms_edit_end(struct forms *fm, struct desk *d);
/* Push the form's screen (the screen then owns fm); on failure the edit
 * ends and fm is freed.  Tells the user when a draft was restored. */
int forms_push(struct desk *d, const struct screen_ops *ops, struct forms *fm,
	       const char *what, struct md_error *err);
/* Free a form whose struct forms is the first member of its own state
 * (check_form_new, decision_form_new, the note forms). */
void forms_delete(struct forms *fm);
/* The screen_ops parts every form screen shares besides those below. */
int forms_screen_open(struct screen *s, struct desk *d, void *arg,
		      struct md_error *err);
void forms_screen_close(struct screen *s, struct desk *d);
/* The screen_ops tick every form shares. */
int forms_screen_tick(struct screen *s, struct desk *d, int force);

/* Start an empty form. */
void forms_init(struct forms *fm, const struct forms_ops *ops);

/* Add a field; returns its index, or -1 when full.  Text kinds start as
 * text (made inert: it may come from anyone), a choice with `choice`
 * selected from options (-1 none), a tick ticked when choice is 1. */
int forms_add_text(struct forms *fm, enum forms_kind kind, const char *name,
		   const char *label, const char *text);
int forms_add_choice(struct forms *fm, const char *name, const char *label,
		     const struct forms_options *options, int choice,
		     const char *none_label);
int forms_add_tick(struct forms *fm, const char *name, const char *words,
		   int ticked);

/* The field of that name, or -1. */
int forms_find(const struct forms *fm, const char *name);

/* Read what is typed into the values (trailing padding trimmed). */
void forms_sync(struct forms *fm);
/* A text field's value ("" when empty); a choice's code (NULL = none). */
const char *forms_text(const struct forms *fm, int i);
const char *forms_code(const struct forms *fm, int i);
/* 1 when any value differs from what the form opened with. */
int forms_changed(struct forms *fm);

/* Show msg at field i and move the focus there (i = -1: no field). */
void forms_problem(struct forms *fm, int i, const char *msg);
/* The field a data-layer message names: "basis: required ..." names the
 * field "basis"; a numbered part, "action 2: owner: required ...", the
 * field "action2.owner".  -1 when it names none of this form's. */
int forms_problem_field(const struct forms *fm, const char *msg);
/* A save refused: msg (the data layer's own words, which say what and
 * where) at the field it names and on the message line.  The forms check
 * nothing themselves: every rule lives in the data layer, once.  Returns
 * the key handler's flags. */
int forms_refuse(struct forms *fm, struct desk *d, const char *msg);
/* The same at field i, for a message that names no field of the form. */
int forms_refuse_at(struct forms *fm, struct desk *d, int i, const char *msg);

/* Load a lookup table's codes (hub_list_codes) as options. */
int forms_options_load(struct hub *hub, const char *table,
		       struct forms_options *o, struct md_error *err);
/* The index of code in o, or -1. */
int forms_option_find(const struct forms_options *o, const char *code);

/* The screen_ops parts every form shares (s->priv is the struct forms,
 * first member of the screen's own state). */
void forms_screen_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols);
int forms_screen_key(struct screen *s, struct desk *d, enum action a, int key);
void forms_screen_resize(struct screen *s, struct desk *d, int rows, int cols);
int forms_screen_keybar(struct screen *s, char *buf, size_t len);
int forms_help_extra(int i, char *buf, size_t len);

/* Add the form keys to a guide (the pager's lines). */
int forms_guide_keys(struct pager_lines *pl);

/* A form longer than the body scrolls: called from the layout, it puts
 * the fields in vrows virtual rows (their y, and their notes' unless
 * FORMS_NOTE_FIXED, count in those), shown view_h rows at a time from
 * body row view_y.  The rows above and below the view are the layout's
 * own (a title, a panel that stays put).  The view follows the focus. */
void forms_scroll(struct forms *fm, int vrows, int view_y, int view_h);
/* The body row where virtual row vy shows now, or -1 when scrolled out
 * (draw_extra draws headings in the scrolled part through it). */
int forms_view_row(const struct forms *fm, int vy);

/* Fields added and removed while the form is open (a row of a list):
 * forms_reshape_begin reads the view back and frees it, and fields added
 * until forms_reshape_end go in at index at (-1: at the end), moving the
 * later ones down; forms_remove takes n fields out from first.
 * forms_reshape_end gives field `focus` the focus; the next draw builds
 * the view again, nothing typed lost.  The form counts as changed. */
void forms_reshape_begin(struct forms *fm, int at);
void forms_remove(struct forms *fm, int first, int n);
void forms_reshape_end(struct forms *fm, int focus);

/* Layout: field i at (y, x), h x w, its label from column 0; its note
 * area (explanation, hint or problem) h rows of w from (y, x). */
void forms_place(struct forms *fm, int i, int y, int x, int h, int w);
void forms_note(struct forms *fm, int i, int y, int x, int w, int h,
		int flags);
/* Columns a choice needs to show its longest option, at most max. */
int forms_choice_width(const struct forms_field *f, int max);
/* 0 when every field and note lies inside rows x cols (a scrolling
 * form's fields and notes inside its virtual rows, its fixed notes and
 * view inside the body) and no two fields overlap; otherwise -1 and why.
 * The view refuses a layout that fails. */
int forms_layout_check(const struct forms *fm, int rows, int cols,
		       char *why, size_t len);

/* Between forms.c and forms_screen.c. */
int forms_is_text(const struct forms_field *f);
void forms_show_value(struct forms_field *f);   /* a choice's field text */
void forms_mark_current(struct forms *fm);
void forms_rebuild(struct forms *fm, int rows, int cols);
void forms_dialog_free(struct forms *fm);

/* ---- pure helpers (unit-tested without a terminal) --------------------- */

/* The form library keeps a multi-line field as rows of `width` cells with
 * no line ends.  forms_rows_to_text reads such a buffer as the text the
 * user saw: one line per row (trailing spaces trimmed, trailing empty rows
 * dropped), except that a full row runs on into the next (a word split
 * there).  Malloc'd; NULL when out of memory. */
char *forms_rows_to_text(const char *buf, int width);

/* The inverse: text laid out as rows of exactly `width` cells, long lines
 * wrapped at spaces (a word longer than a row split across rows).  Text
 * whose lines fit reads back unchanged; a wrapped line reads back with a
 * line end at each wrap.  *nrows gets the row count (at least 1).
 * Malloc'd. */
char *forms_text_to_rows(const char *text, int width, int *nrows);

/* Copy s without trailing (and with lead, leading) spaces. */
void forms_trim(char *dst, size_t len, const char *s, int lead);

/* The screen every form is: only its name differs. */
#define FORMS_SCREEN_OPS(title) { \
	.name = (title), .kind = SCREEN_FORM, .open = forms_screen_open, \
	.draw = forms_screen_draw, .key = forms_screen_key, \
	.resize = forms_screen_resize, .keybar = forms_screen_keybar, \
	.help_extra = forms_help_extra, .tick = forms_screen_tick, \
	.close = forms_screen_close, \
}

#endif
