/* forms.c - what the desk's forms share: the values, which outlive the
 * ncurses FORM built to show them, and that FORM (the view).
 *
 * Why a model beside the FORM: the form library fixes a field's size when
 * it is made, so a resize means new fields.  The values live here; the
 * FORM is read back (forms_sync) and rebuilt at the new size.
 *
 * Why the FORM has a window of its own: the desk erases and redraws the
 * body every frame, but the form library draws a field only when it
 * changes.  Posted on a private window, the fields stay drawn, and each
 * frame copies that window into the body before the labels and notes go
 * on top (through desk_put, so nothing from the database reaches the
 * terminal un-neutralised).
 *
 * Double-width and zero-width characters are refused at the keyboard: the
 * form library (ncurses 6.4) splits them into cells it cannot read back,
 * so they would be lost.
 *
 * This file holds the values and the view; forms_screen.c the keys and
 * the frame; forms_text.c the pure buffer helpers. */
#include "forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/clock.h"
#include "mashdesk/text.h"

#define FORMS_LINE_MAX 2000     /* characters in a one-line field */

static void forms_focus(struct forms *fm, int i);

/* ---- values ------------------------------------------------------------------ */

void forms_init(struct forms *fm, const struct forms_ops *ops)
{
	memset(fm, 0, sizeof *fm);
	fm->ops = ops;
	fm->problem = -1;
	fm->insert_at = -1;
}

/* A new field's slot: at the end, or at insert_at (the later ones move
 * down).  Its index, or -1 when the form is full. */
static int forms_new(struct forms *fm, enum forms_kind kind, const char *name,
		     const char *label)
{
	struct forms_field *f;
	int i = fm->nfields;

	if (fm->nfields >= FORMS_MAX_FIELDS)
		return -1;
	if (fm->insert_at >= 0 && fm->insert_at < fm->nfields) {
		i = fm->insert_at++;
		memmove(&fm->fields[i + 1], &fm->fields[i],
			(size_t)(fm->nfields - i) * sizeof fm->fields[0]);
	}
	fm->nfields++;
	f = &fm->fields[i];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->name = name;
	f->label = label;
	f->choice = f->initial_choice = -1;
	return i;
}

/* Take slot i out again (its values freed). */
static void forms_drop(struct forms *fm, int i)
{
	free(fm->fields[i].text);
	free(fm->fields[i].initial);
	memmove(&fm->fields[i], &fm->fields[i + 1],
		(size_t)(fm->nfields - i - 1) * sizeof fm->fields[0]);
	fm->nfields--;
	if (fm->insert_at > i)
		fm->insert_at--;
}

int forms_add_text(struct forms *fm, enum forms_kind kind, const char *name,
		   const char *label, const char *text)
{
	int i = forms_new(fm, kind, name, label);
	struct forms_field *f = i >= 0 ? &fm->fields[i] : NULL;
	size_t len = strlen(text ? text : "") * 3 + 1;

	if (!f)
		return -1;
	/* What comes from the database is made inert once, here: the form
	 * library would draw control characters as they are.  (A control
	 * character in recorded text is saved back as its visible stand-in.) */
	f->text = malloc(len);
	if (f->text)
		text_inert(f->text, len, text ? text : "", kind != FORMS_TEXT);
	f->initial = f->text ? strdup(f->text) : NULL;
	if (!f->text || !f->initial) {
		forms_drop(fm, i);
		return -1;
	}
	return i;
}

int forms_add_choice(struct forms *fm, const char *name, const char *label,
		     const struct forms_options *options, int choice,
		     const char *none_label)
{
	int i = forms_new(fm, FORMS_CHOICE, name, label);

	if (i < 0)
		return -1;
	fm->fields[i].options = options;
	fm->fields[i].none_label = none_label;
	fm->fields[i].choice = fm->fields[i].initial_choice = choice;
	return i;
}

int forms_add_tick(struct forms *fm, const char *name, const char *words,
		   int ticked)
{
	int i = forms_new(fm, FORMS_TICK, name, NULL);

	if (i < 0)
		return -1;
	fm->fields[i].tick_label = words;
	fm->fields[i].choice = fm->fields[i].initial_choice = ticked ? 1 : 0;
	return i;
}

int forms_find(const struct forms *fm, const char *name)
{
	for (int i = 0; name && i < fm->nfields; i++)
		if (!strcmp(fm->fields[i].name, name))
			return i;
	return -1;
}

const char *forms_text(const struct forms *fm, int i)
{
	if (i < 0 || i >= fm->nfields || !fm->fields[i].text)
		return "";
	return fm->fields[i].text;
}

const char *forms_code(const struct forms *fm, int i)
{
	const struct forms_field *f;

	if (i < 0 || i >= fm->nfields)
		return NULL;
	f = &fm->fields[i];
	if (!f->options || f->choice < 0 || f->choice >= f->options->n)
		return NULL;
	return f->options->v[f->choice].code;
}

int forms_is_text(const struct forms_field *f)
{
	return f->kind == FORMS_LINE || f->kind == FORMS_TEXT ||
	       f->kind == FORMS_DATE;
}

void forms_sync(struct forms *fm)
{
	if (!fm->form)
		return;
	/* REQ_VALIDATION copies the field being edited into its buffer; a
	 * bad date fails it, but its buffer is copied all the same. */
	form_driver_w(fm->form, KEY_CODE_YES, REQ_VALIDATION);
	for (int i = 0; i < fm->nfields; i++) {
		struct forms_field *f = &fm->fields[i];
		const char *buf;
		char *text;
		int rows, cols, max;

		/* Untouched text stays exactly as it came. */
		if (!forms_is_text(f) || !f->edited || !f->field)
			continue;
		buf = field_buffer(f->field, 0);
		if (!buf)
			continue;
		if (f->kind == FORMS_TEXT) {
			dynamic_field_info(f->field, &rows, &cols, &max);
			text = forms_rows_to_text(buf, cols);
		} else if ((text = malloc(strlen(buf) + 1)) != NULL) {
			forms_trim(text, strlen(buf) + 1, buf,
				   f->kind == FORMS_DATE);
		}
		if (text) {
			free(f->text);
			f->text = text;
		}
	}
}

int forms_changed(struct forms *fm)
{
	forms_sync(fm);
	if (fm->reshaped)
		return 1;
	for (int i = 0; i < fm->nfields; i++) {
		const struct forms_field *f = &fm->fields[i];
		if (forms_is_text(f) ? f->edited && strcmp(f->text, f->initial)
			       : f->choice != f->initial_choice)
			return 1;
	}
	return 0;
}

void forms_problem(struct forms *fm, int i, const char *msg)
{
	fm->problem = i >= 0 && i < fm->nfields ? i : -1;
	snprintf(fm->message, sizeof fm->message, "%s", msg ? msg : "");
	if (fm->problem >= 0)
		forms_focus(fm, fm->problem);
}

int forms_problem_field(const struct forms *fm, const char *msg)
{
	char word[32], part[32], name[80];
	int n;

	for (int i = 0; msg && i < fm->nfields; i++) {
		size_t len = strlen(fm->fields[i].name);
		if (!strncmp(msg, fm->fields[i].name, len) && msg[len] == ':')
			return i;
	}
	if (!msg || sscanf(msg, "%31[a-z] %d: %31[a-z-]:", word, &n, part) != 3)
		return -1;
	snprintf(name, sizeof name, "%s%d.%s", word, n, part);
	return forms_find(fm, name);
}

int forms_refuse_at(struct forms *fm, struct desk *d, int i, const char *msg)
{
	forms_problem(fm, i, msg);
	desk_message(d, THEME_ERROR, "Not saved: %s", msg);
	return DESK_REDRAW;
}

int forms_refuse(struct forms *fm, struct desk *d, const char *msg)
{
	return forms_refuse_at(fm, d, forms_problem_field(fm, msg), msg);
}

static int options_add(const struct hub_code *c, void *arg)
{
	struct forms_options *o = arg;

	if (o->n < FORMS_MAX_OPTIONS) {
		struct forms_option *v = &o->v[o->n++];
		snprintf(v->code, sizeof v->code, "%s", c->code);
		snprintf(v->name, sizeof v->name, "%s", c->name);
		snprintf(v->explanation, sizeof v->explanation, "%s",
			 c->explanation);
	}
	return 0;
}

int forms_options_load(struct hub *hub, const char *table,
		       struct forms_options *o, struct md_error *err)
{
	o->n = 0;
	return hub_list_codes(hub, table, options_add, o, err);
}

int forms_option_find(const struct forms_options *o, const char *code)
{
	for (int i = 0; code && i < o->n; i++)
		if (!strcmp(o->v[i].code, code))
			return i;
	return -1;
}

/* ---- the view: an ncurses FORM for one body size -------------------------- */

/* A due date may be left empty; if given it must be a real date.  The form
 * library asks when the field is left, and keeps the focus there if not. */
static bool date_field_ok(FIELD *f, const void *arg)
{
	char v[64];

	(void)arg;
	forms_trim(v, sizeof v, field_buffer(f, 0), 1);
	return !v[0] || clock_valid_date(v);
}

static bool date_char_ok(int c, const void *arg)
{
	(void)arg;
	return (c >= '0' && c <= '9') || c == '-';
}

static FIELDTYPE *date_type(void)
{
	static FIELDTYPE *type;

	if (!type)
		type = new_fieldtype(date_field_ok, date_char_ok);
	return type;
}

/* What a choice or tick shows in its field. */
void forms_show_value(struct forms_field *f)
{
	char raw[300], inert[900], fit[900], shown[1000];
	const char *name = f->none_label ? f->none_label : "(choose)";

	if (f->kind == FORMS_TICK) {
		snprintf(raw, sizeof raw, "%s %s", f->choice ? "[x]" : "[ ]",
			 f->tick_label ? f->tick_label : "");
	} else {
		if (f->options && f->choice >= 0 && f->choice < f->options->n)
			name = f->options->v[f->choice].name;
		snprintf(raw, sizeof raw, "%s", name);
	}
	/* Names come from the hub's tables: inert like all drawn text. */
	text_inert(inert, sizeof inert, raw, 1);
	if (desk_ascii())
		desk_ascii_fold(inert);
	if (f->kind == FORMS_TICK) {
		text_fit(shown, sizeof shown, inert, f->w, 0, desk_ascii());
	} else {
		text_fit(fit, sizeof fit, inert, f->w > 4 ? f->w - 4 : 1, 0,
			 desk_ascii());
		snprintf(shown, sizeof shown, "< %s >", fit);
	}
	if (f->field)
		set_field_buffer(f->field, 0, shown);
}

static FIELD *forms_field_make(struct forms_field *f)
{
	FIELD *fl = new_field(f->h, f->w, f->y, f->x, 0, 0);
	char *rows;

	if (!fl)
		return NULL;
	field_opts_off(fl, O_BLANK | O_AUTOSKIP);
	f->field = fl;
	if (!forms_is_text(f)) {
		field_opts_off(fl, O_EDIT);
		forms_show_value(f);
		return fl;
	}
	/* Underlined, so a field's extent shows without colour. */
	set_field_fore(fl, A_UNDERLINE);
	set_field_back(fl, A_UNDERLINE);
	if (f->kind == FORMS_DATE) {
		set_field_type(fl, date_type());
		set_field_buffer(fl, 0, f->text);
	} else if (f->kind == FORMS_LINE) {
		field_opts_off(fl, O_STATIC);   /* scrolls sideways */
		set_max_field(fl, FORMS_LINE_MAX);
		set_field_buffer(fl, 0, f->text);
	} else {
		field_opts_off(fl, O_STATIC);   /* grows downwards, scrolls */
		set_max_field(fl, 0);
		rows = forms_text_to_rows(f->text, f->w, NULL);
		set_field_buffer(fl, 0, rows ? rows : "");
		free(rows);
	}
	return fl;
}

void forms_dialog_free(struct forms *fm)
{
	if (fm->panel)
		del_panel(fm->panel);
	if (fm->dialog)
		delwin(fm->dialog);
	fm->panel = NULL;
	fm->dialog = NULL;
}

static void forms_view_free(struct forms *fm)
{
	forms_dialog_free(fm);
	if (fm->form) {
		unpost_form(fm->form);
		free_form(fm->form);
		fm->form = NULL;
	}
	for (int i = 0; i < fm->nfields; i++) {
		if (fm->fields[i].field)
			free_field(fm->fields[i].field);
		fm->fields[i].field = NULL;
		fm->fieldv[i] = NULL;
	}
	if (fm->win)
		delwin(fm->win);
	fm->win = NULL;
	fm->rows = fm->cols = 0;
}

/* Free the view and every value. */
static void forms_free(struct forms *fm)
{
	forms_view_free(fm);
	for (int i = 0; i < fm->nfields; i++) {
		free(fm->fields[i].text);
		free(fm->fields[i].initial);
		fm->fields[i].text = fm->fields[i].initial = NULL;
	}
	fm->nfields = 0;
}

/* The focused choice or tick is shown reversed: its place is clear
 * without colour, and the cursor sits on it too. */
void forms_mark_current(struct forms *fm)
{
	for (int i = 0; i < fm->nfields; i++) {
		struct forms_field *f = &fm->fields[i];
		if (f->field && !forms_is_text(f)) {
			chtype a = i == fm->current ? A_REVERSE : A_NORMAL;
			set_field_fore(f->field, a);
			set_field_back(f->field, a);
		}
	}
}

static int forms_build(struct forms *fm, int rows, int cols)
{
	int n = fm->nfields;
	char why[128];

	fm->vrows = 0;
	fm->view_y = 0;
	fm->view_h = rows;
	fm->ops->layout(fm, rows, cols);
	if (forms_layout_check(fm, rows, cols, why, sizeof why) != 0)
		return -1;      /* a bug, caught by the unit tests */
	/* A form that scrolls is drawn on a pad, which only copywin reads:
	 * taller than the screen, and left alone by a resize. */
	fm->win = fm->vrows ? newpad(fm->vrows, cols) : newwin(rows, cols, 0, 0);
	if (!fm->win)
		return -1;
	for (int i = 0; i < n; i++)
		if (!(fm->fieldv[i] = forms_field_make(&fm->fields[i])))
			return -1;
	fm->fieldv[n] = NULL;
	if (!(fm->form = new_form(fm->fieldv)))
		return -1;
	set_form_win(fm->form, fm->win);
	set_form_sub(fm->form, fm->win);
	if (fm->current < 0 || fm->current >= n)
		fm->current = 0;
	set_current_field(fm->form, fm->fieldv[fm->current]);
	if (post_form(fm->form) != E_OK)
		return -1;
	if (forms_is_text(&fm->fields[fm->current]))
		form_driver_w(fm->form, KEY_CODE_YES, REQ_END_FIELD);
	forms_mark_current(fm);
	fm->rows = rows;
	fm->cols = cols;
	return 0;
}

/* Read the view back into the values and build it again at this size. */
void forms_rebuild(struct forms *fm, int rows, int cols)
{
	forms_sync(fm);
	forms_view_free(fm);
	if (fm->nfields && forms_build(fm, rows, cols) != 0)
		forms_view_free(fm);    /* draw says so; the values are safe */
}

static void forms_focus(struct forms *fm, int i)
{
	if (i < 0 || i >= fm->nfields)
		return;
	if (fm->form && fm->fields[i].field &&
	    set_current_field(fm->form, fm->fields[i].field) != E_OK)
		return;                 /* the field being left is invalid */
	fm->current = i;
	forms_mark_current(fm);
}

void forms_screen_resize(struct screen *s, struct desk *d, int rows, int cols)
{
	(void)d;
	forms_rebuild(s->priv, rows, cols);
}

/* ---- scrolling and reshaping --------------------------------------------------- */

void forms_scroll(struct forms *fm, int vrows, int view_y, int view_h)
{
	fm->vrows = vrows > 0 ? vrows : 0;
	fm->view_y = view_y;
	fm->view_h = view_h > 0 ? view_h : 1;
}

int forms_view_row(const struct forms *fm, int vy)
{
	if (!fm->vrows)
		return vy;
	if (vy < fm->top || vy >= fm->top + fm->view_h || vy >= fm->vrows)
		return -1;
	return fm->view_y + vy - fm->top;
}

void forms_reshape_begin(struct forms *fm, int at)
{
	forms_sync(fm);
	forms_view_free(fm);
	fm->insert_at = at;
	fm->problem = -1;       /* its index may move: the message goes */
	fm->message[0] = '\0';
}

void forms_remove(struct forms *fm, int first, int n)
{
	forms_sync(fm);
	forms_view_free(fm);
	for (int k = 0; k < n && first >= 0 && first < fm->nfields; k++)
		forms_drop(fm, first);
	fm->problem = -1;
	fm->message[0] = '\0';
}

void forms_reshape_end(struct forms *fm, int focus)
{
	fm->insert_at = -1;
	fm->reshaped = 1;
	fm->current = focus >= 0 && focus < fm->nfields ? focus :
		      fm->nfields > 0 ? fm->nfields - 1 : 0;
}

/* ---- layout helpers --------------------------------------------------------- */

void forms_place(struct forms *fm, int i, int y, int x, int h, int w)
{
	struct forms_field *f;

	if (i < 0 || i >= fm->nfields)
		return;
	f = &fm->fields[i];
	f->y = y;
	f->x = x;
	f->h = h > 0 ? h : 1;
	f->w = w > 0 ? w : 1;
	f->label_x = 0;
	f->note_h = 0;
}

void forms_note(struct forms *fm, int i, int y, int x, int w, int h,
		int flags)
{
	struct forms_field *f;

	if (i < 0 || i >= fm->nfields)
		return;
	f = &fm->fields[i];
	f->note_y = y;
	f->note_x = x;
	f->note_w = w;
	f->note_h = h;
	f->note_flags = flags;
}

int forms_choice_width(const struct forms_field *f, int max)
{
	int w = text_width(f->none_label ? f->none_label : "(choose)");

	for (int i = 0; f->options && i < f->options->n; i++)
		if (text_width(f->options->v[i].name) > w)
			w = text_width(f->options->v[i].name);
	w += 4;                         /* "< " and " >" */
	return w < max ? w : max;
}

static int rect_overlap(int y1, int x1, int h1, int w1, int y2, int x2,
			int h2, int w2)
{
	return y1 < y2 + h2 && y2 < y1 + h1 && x1 < x2 + w2 && x2 < x1 + w1;
}

int forms_layout_check(const struct forms *fm, int rows, int cols,
		       char *why, size_t len)
{
	int vrows = fm->vrows ? fm->vrows : rows;

	if (fm->vrows && (fm->view_y < 0 || fm->view_h < 1 ||
			  fm->view_y + fm->view_h > rows)) {
		snprintf(why, len, "the scrolled view does not fit in %dx%d",
			 cols, rows);
		return -1;
	}
	for (int i = 0; i < fm->nfields; i++) {
		const struct forms_field *f = &fm->fields[i];
		int nrows = f->note_flags & FORMS_NOTE_FIXED ? rows : vrows;
		if (f->y < 0 || f->x < 0 || f->h < 1 || f->w < 1 ||
		    f->y + f->h > vrows || f->x + f->w > cols ||
		    (fm->vrows && f->h > fm->view_h) ||
		    (f->note_h > 0 && (f->note_y < 0 || f->note_x < 0 ||
				       f->note_y + f->note_h > nrows ||
				       f->note_x + f->note_w > cols))) {
			snprintf(why, len, "%s does not fit in %dx%d", f->name,
				 cols, rows);
			return -1;
		}
		if (f->label && f->label_x + 2 >= f->x) {
			snprintf(why, len, "%s has no room for its label", f->name);
			return -1;
		}
		for (int j = 0; j < i; j++) {
			const struct forms_field *g = &fm->fields[j];
			if (rect_overlap(f->y, f->x, f->h, f->w, g->y, g->x,
					 g->h, g->w)) {
				snprintf(why, len, "%s overlaps %s", f->name,
					 g->name);
				return -1;
			}
		}
	}
	return 0;
}

void forms_delete(struct forms *fm)
{
	if (!fm)
		return;
	forms_free(fm);
	free(fm);
}
