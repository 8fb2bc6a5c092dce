/* forms_screen.c - the screen_ops parts every form shares: keys, the
 * frame, the discard question (a panel), the key bar and the help lines.
 *
 * Keys.  In a text field a printable key is text, whatever it is bound
 * to elsewhere, so ? j k can be typed; the form's own actions (save, back,
 * guide, next and previous field) are control keys by default and work in
 * every field.  Up and Down move between lines inside a multi-line field
 * and leave it from its first and last line; between fields they move by
 * position, so Down goes from one action row to the one below it. */
#include "forms.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mashdesk/text.h"
#include "pager.h"

/* ---- keys ------------------------------------------------------------------ */

/* Leave the field by a form-library request; a bad date stays put and
 * says why. */
static int forms_move(struct forms *fm, int req)
{
	int rc = form_driver_w(fm->form, KEY_CODE_YES, (wchar_t)req);

	if (rc == E_INVALID_FIELD) {
		const struct forms_field *f = &fm->fields[fm->current];
		char msg[FORMS_MSG_MAX];
		forms_sync(fm);
		snprintf(msg, sizeof msg, "\"%.20s\" is not a real date (YYYY-MM-DD, "
			 "or leave it empty).", f->text);
		forms_problem(fm, fm->current, msg);
		return DESK_REDRAW;
	}
	for (int i = 0; i < fm->nfields; i++)
		if (fm->fields[i].field == current_field(fm->form))
			fm->current = i;
	forms_mark_current(fm);
	return DESK_REDRAW;
}

/* The field with the problem changed: its message has done its job. */
static void forms_problem_solved(struct forms *fm)
{
	if (fm->problem >= 0 && fm->problem == fm->current) {
		fm->problem = -1;
		fm->message[0] = '\0';
	}
}

/* Change the text of the current field. */
static int forms_edit(struct forms *fm, int type, wchar_t c)
{
	struct forms_field *f = &fm->fields[fm->current];

	if (form_driver_w(fm->form, type, c) == E_OK) {
		f->edited = 1;
		forms_problem_solved(fm);
	}
	return DESK_REDRAW;
}

/* Move the cursor inside the current field (the text is unchanged). */
static int forms_cursor(struct forms *fm, int req)
{
	form_driver_w(fm->form, KEY_CODE_YES, (wchar_t)req);
	return DESK_REDRAW;
}

/* Rows of the field holding text (at least one). */
static int forms_used_rows(struct forms *fm, struct forms_field *f)
{
	int rows, cols, max, used = 1, cell = 0;
	const char *buf;

	form_driver_w(fm->form, KEY_CODE_YES, REQ_VALIDATION);
	if (dynamic_field_info(f->field, &rows, &cols, &max) != E_OK ||
	    cols < 1 || !(buf = field_buffer(f->field, 0)))
		return 1;
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;       /* inside a character */
		if (*p != ' ')
			used = cell / cols + 1;
		cell++;
	}
	return used;
}

/* Up and Down move between the lines of a multi-line field, and leave it
 * from its first and last line. */
static int forms_text_updown(struct forms *fm, int down)
{
	struct forms_field *f = &fm->fields[fm->current];

	if (f->kind == FORMS_TEXT) {
		int row = fm->form->currow;
		if (down ? row + 1 < forms_used_rows(fm, f) : row > 0) {
			return forms_cursor(fm, down ? REQ_DOWN_CHAR
						     : REQ_UP_CHAR);
		}
	}
	return forms_move(fm, down ? REQ_DOWN_FIELD : REQ_UP_FIELD);
}

static int forms_text_key(struct forms *fm, enum action a, int key)
{
	const struct forms_field *f = &fm->fields[fm->current];
	char u[5];

	if (action_key_char(key, u) > 0) {
		if (wcwidth((wchar_t)key) != 1) {
			forms_problem(fm, fm->current, "Only characters one "
				      "column wide can be typed here.");
			return DESK_REDRAW;
		}
		return forms_edit(fm, OK, (wchar_t)key);
	}
	switch (key) {
	case ACTION_KEY_ENTER:
		return f->kind == FORMS_TEXT ? forms_edit(fm, KEY_CODE_YES, REQ_NEW_LINE)
					     : forms_move(fm, REQ_NEXT_FIELD);
	case ACTION_KEY_FN(KEY_BACKSPACE):
		return forms_edit(fm, KEY_CODE_YES, REQ_DEL_PREV);
	case ACTION_KEY_FN(KEY_DC):
		return forms_edit(fm, KEY_CODE_YES, REQ_DEL_CHAR);
	case ACTION_KEY_FN(KEY_LEFT):
		return forms_cursor(fm, REQ_PREV_CHAR);
	case ACTION_KEY_FN(KEY_RIGHT):
		return forms_cursor(fm, REQ_NEXT_CHAR);
	case ACTION_KEY_FN(KEY_HOME):
	case 0x01:                      /* ^A */
		return forms_cursor(fm, REQ_BEG_LINE);
	case ACTION_KEY_FN(KEY_END):
	case 0x05:                      /* ^E */
		return forms_cursor(fm, REQ_END_LINE);
	default:
		break;
	}
	if (a == ACTION_UP || a == ACTION_DOWN)
		return forms_text_updown(fm, a == ACTION_DOWN);
	return a == ACTION_NONE ? DESK_HANDLED : DESK_UNHANDLED;
}

/* Step a choice by dir (+1/-1), through "none" when it may be unmade. */
static int forms_cycle(struct forms *fm, int dir)
{
	struct forms_field *f = &fm->fields[fm->current];
	int lo = f->none_label ? -1 : 0, n = f->options ? f->options->n : 0;

	if (f->kind == FORMS_TICK) {
		f->choice = !f->choice;
	} else if (n > 0) {
		f->choice += dir;
		if (f->choice >= n)
			f->choice = lo;
		if (f->choice < lo)
			f->choice = n - 1;
	}
	forms_problem_solved(fm);
	forms_show_value(f);
	return DESK_REDRAW;
}

/* A letter picks the next choice whose name starts with it. */
static int forms_choice_letter(struct forms *fm, int key)
{
	struct forms_field *f = &fm->fields[fm->current];
	int n = f->options ? f->options->n : 0;

	if (key > 0x7F || f->kind != FORMS_CHOICE)
		return DESK_HANDLED;
	for (int k = 1; k <= n; k++) {
		int i = ((f->choice < 0 ? -1 : f->choice) + k) % n;
		int c = (unsigned char)f->options->v[i].name[0];
		if ((c | 0x20) == (key | 0x20)) {
			f->choice = i;
			forms_cycle(fm, 0);
			break;
		}
	}
	return DESK_REDRAW;
}

static int forms_choice_key(struct forms *fm, enum action a, int key)
{
	int tick = fm->fields[fm->current].kind == FORMS_TICK;

	switch (key) {
	case ACTION_KEY_FN(KEY_LEFT):
		return tick ? forms_move(fm, REQ_LEFT_FIELD) : forms_cycle(fm, -1);
	case ACTION_KEY_FN(KEY_RIGHT):
		return tick ? forms_move(fm, REQ_RIGHT_FIELD) : forms_cycle(fm, 1);
	case ' ':
		return forms_cycle(fm, 1);
	case ACTION_KEY_ENTER:
		return forms_move(fm, REQ_NEXT_FIELD);
	default:
		break;
	}
	if (a == ACTION_UP || a == ACTION_DOWN)
		return forms_move(fm, a == ACTION_UP ? REQ_UP_FIELD : REQ_DOWN_FIELD);
	if (a != ACTION_NONE)
		return DESK_UNHANDLED;  /* help, redraw: the desk's */
	if (tick && (key == 'x' || key == 'X'))
		return forms_cycle(fm, 1);
	return forms_choice_letter(fm, key);
}

/* "Discard your changes? (y/n)" is up: only the answer counts. */
static int forms_dialog_key(struct forms *fm, enum action a, int key)
{
	if (key == 'y' || key == 'Y') {
		forms_dialog_free(fm);
		fm->asking = 0;
		fm->edit.discarded = 1;   /* the draft goes too */
		return DESK_CLOSE;
	}
	if (key == 'n' || key == 'N' || a == ACTION_BACK) {
		forms_dialog_free(fm);
		fm->asking = 0;
		return DESK_REDRAW;
	}
	return a == ACTION_REFRESH ? DESK_UNHANDLED : DESK_HANDLED;
}

static int forms_key(struct forms *fm, struct desk *d, enum action a, int key)
{
	const struct forms_field *f = &fm->fields[fm->current];
	char u[5];
	int flags;

	/* Typed into a text field, a printable key is text, whatever it is
	 * bound to elsewhere (? and j and k among them). */
	if (forms_is_text(f) && action_key_char(key, u) > 0)
		return forms_text_key(fm, a, key);
	switch (a) {
	case ACTION_SAVE:
		forms_sync(fm);
		return fm->ops->save(fm, d) | DESK_REDRAW;
	case ACTION_BACK:
		if (!forms_changed(fm))
			return DESK_CLOSE;
		fm->asking = 1;
		return DESK_REDRAW;
	case ACTION_GUIDE:
		return fm->ops->guide ? fm->ops->guide(fm, d) : DESK_HANDLED;
	case ACTION_NEXT_PANEL:
		return forms_move(fm, REQ_NEXT_FIELD);
	case ACTION_PREV_PANEL:
		return forms_move(fm, REQ_PREV_FIELD);
	case ACTION_REFRESH:
	case ACTION_HELP:
		return DESK_UNHANDLED;
	default:
		/* The form's own actions (a row added...) before the field's. */
		if (a != ACTION_NONE && fm->ops->action &&
		    (flags = fm->ops->action(fm, d, a)) != DESK_UNHANDLED)
			return flags;
		break;
	}
	return forms_is_text(f) ? forms_text_key(fm, a, key)
			  : forms_choice_key(fm, a, key);
}

int forms_screen_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct forms *fm = s->priv;
	int from, flags;

	key = action_key_normalise(key);
	if (fm->asking)
		return forms_dialog_key(fm, a, key);
	if (!fm->form)                  /* could not be built: only leave */
		return a == ACTION_BACK ? DESK_CLOSE : DESK_UNHANDLED;
	from = fm->current;
	flags = forms_key(fm, d, a, key);
	/* The field left, for a form that acts on it (a lookup). */
	if (fm->ops->left && fm->current != from && !(flags & DESK_CLOSE) &&
	    from < fm->nfields)
		fm->ops->left(fm, d, from);
	return flags;
}

/* ---- the frame ----------------------------------------------------------------- */

#define NOTE_LINES 8

struct note_lines {
	const char *start[NOTE_LINES];
	int n;
};

static void note_line(const char *start, size_t len, void *arg)
{
	struct note_lines *nl = arg;

	(void)len;
	if (nl->n < NOTE_LINES)
		nl->start[nl->n] = start;
	nl->n++;
}

/* Text wrapped into a note area of height rows; the last row takes the
 * rest, cut with an ellipsis when it does not fit. */
static void forms_draw_note(WINDOW *w, int y, int x, int width, int height,
			    const char *text, enum theme_role role)
{
	char inert[FORMS_MSG_MAX * 4], line[FORMS_MSG_MAX * 4];
	struct note_lines nl = { { NULL }, 0 };

	if (width < 1 || height < 1)
		return;
	text_inert(inert, sizeof inert, text ? text : "", 1);
	if (desk_ascii())
		desk_ascii_fold(inert);
	text_wrap(inert, width, width, note_line, &nl);
	term_style(w, role);
	for (int i = 0; i < height; i++) {
		const char *end = inert + strlen(inert);
		if (i >= nl.n || i >= NOTE_LINES) {
			desk_put(w, y + i, x, width, "", 1);
			continue;
		}
		if (i + 1 < height && i + 1 < nl.n && i + 1 < NOTE_LINES)
			end = nl.start[i + 1];
		snprintf(line, sizeof line, "%.*s", (int)(end - nl.start[i]),
			 nl.start[i]);
		/* the space a line was wrapped at is not part of it: kept,
		 * a full line would be cut short with an ellipsis */
		for (size_t n = strlen(line); n > 0 && line[n - 1] == ' '; n--)
			line[n - 1] = '\0';
		desk_put(w, y + i, x, width, line, 1);
	}
	term_style(w, THEME_NORMAL);
}

static void forms_draw_labels(struct forms *fm, WINDOW *w)
{
	const struct forms_field *c = &fm->fields[fm->current];

	for (int i = 0; i < fm->nfields; i++) {
		const struct forms_field *f = &fm->fields[i];
		/* A field without a label of its own (an action's owner)
		 * marks the label of its row. */
		int cur = i == fm->current || (!c->label && f->y == c->y);
		int y = forms_view_row(fm, f->y);

		if (!f->label || y < 0)
			continue;
		/* ">" marks the focus where bold cannot be seen. */
		term_style(w, cur ? THEME_HEADER : THEME_NORMAL);
		desk_put(w, y, f->label_x, 2, cur ? ">" : " ", 1);
		desk_put(w, y, f->label_x + 2, f->x - f->label_x - 3, f->label, 0);
	}
	term_style(w, THEME_NORMAL);
}

/* A note's rows as shown: a fixed note's are the body's; another's
 * scroll with the form, cut to what is in view.  0 when none shows. */
static int forms_note_rows(const struct forms *fm, const struct forms_field *f,
			   int *y, int *h)
{
	int first = -1, n = 0;

	if (f->note_flags & FORMS_NOTE_FIXED || !fm->vrows) {
		*y = f->note_y;
		*h = f->note_h;
		return *h > 0;
	}
	for (int r = 0; r < f->note_h; r++) {
		int b = forms_view_row(fm, f->note_y + r);
		if (b < 0)
			continue;
		if (first < 0)
			first = b;
		n++;
	}
	*y = first;
	*h = n;
	return n > 0;
}

/* What a field's note says when it has no problem. */
static const char *forms_note_text(const struct forms_field *f)
{
	if (f->kind == FORMS_CHOICE && f->options && f->choice >= 0 &&
	    f->choice < f->options->n && f->options->v[f->choice].explanation[0])
		return f->options->v[f->choice].explanation;
	return f->hint;
}

static void forms_draw_notes(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct forms_field *p = fm->problem >= 0 ?
				      &fm->fields[fm->problem] : NULL;
	char msg[FORMS_MSG_MAX + 4];

	/* Notes of their own first, then the focused field's shared one,
	 * then the problem over whatever shares its place. */
	int ny, nh;

	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < fm->nfields; i++) {
			const struct forms_field *f = &fm->fields[i];
			int shared = (f->note_flags & FORMS_NOTE_SHARED) != 0;
			if (f->note_h <= 0 || shared != pass ||
			    (shared && i != fm->current) ||
			    !forms_note_rows(fm, f, &ny, &nh))
				continue;
			forms_draw_note(w, ny, f->note_x, f->note_w, nh,
					forms_note_text(f), THEME_DIM);
		}
	if (!fm->message[0])
		return;
	snprintf(msg, sizeof msg, "! %s", fm->message);
	if (p && p->note_h > 0 && forms_note_rows(fm, p, &ny, &nh))
		forms_draw_note(w, ny, p->note_x, p->note_w, nh, msg, THEME_ERROR);
	else
		forms_draw_note(w, rows - 1, 1, cols - 2, 1, msg, THEME_ERROR);
}

/* Scroll so that the focused field, the cursor in it and a row either
 * side are in view (the cursor first, when a tall field cannot all be). */
static void forms_follow(struct forms *fm, int cy)
{
	const struct forms_field *f = &fm->fields[fm->current];
	int max = fm->vrows - fm->view_h, top = fm->top;
	int lo = f->y - 1, hi = f->y + f->h;   /* a row of context each side */

	if (!fm->vrows)
		return;
	if (hi - lo + 1 > fm->view_h) {
		lo = cy;
		hi = cy;
	}
	if (lo < top)
		top = lo;
	if (hi >= top + fm->view_h)
		top = hi - fm->view_h + 1;
	if (cy < top)
		top = cy;
	if (cy >= top + fm->view_h)
		top = cy - fm->view_h + 1;
	fm->top = top > max ? max : top < 0 ? 0 : top;
}

/* The discard question, on a panel over the form.  The body is sent to
 * the virtual screen here and then marked untouched, so the desk's own
 * refresh of the body (which comes after) leaves the panel on top and
 * only places the cursor.  stdscr, the panel library's bottom layer, is
 * not the desk's drawing surface: untouched, it is not sent either. */
static void forms_dialog_draw(struct forms *fm, struct screen *s, WINDOW *w,
			      int rows, int cols)
{
	static const char q[] = "Discard your changes? (y/n)";
	static const char sub[] = "y throws away what you typed; n goes back to it.";
	int dw = text_width(sub) + 4, dh = 5;
	int y = (rows - dh) / 2, x = (cols - dw) / 2;

	if (!fm->dialog) {
		fm->dialog = newwin(dh, dw, getbegy(w) + y, getbegx(w) + x);
		if (fm->dialog && !(fm->panel = new_panel(fm->dialog)))
			forms_dialog_free(fm);
		if (!fm->dialog) {
			desk_put(w, rows - 1, 1, cols - 2, q, 1);
			return;
		}
	}
	wbkgdset(fm->dialog, ' ' | term_attr(THEME_NORMAL));
	werase(fm->dialog);
	term_style(fm->dialog, THEME_HEADER);
	box(fm->dialog, 0, 0);
	desk_put(fm->dialog, 1, 2, dw - 4, q, 1);
	term_style(fm->dialog, THEME_NORMAL);
	desk_put(fm->dialog, 3, 2, dw - 4, sub, 1);
	wnoutrefresh(w);
	untouchwin(stdscr);
	update_panels();
	untouchwin(w);
	s->cur_y = y + 1;
	s->cur_x = x + 2 + text_width(q);
}

void forms_screen_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
		       int cols)
{
	struct forms *fm = s->priv;
	int cy, cx;

	(void)d;
	if (!fm->form || fm->rows != rows || fm->cols != cols)
		forms_rebuild(fm, rows, cols);
	if (!fm->form) {
		desk_put(w, 1, 1, cols - 2, "The form cannot be drawn (out of "
			 "memory). What you typed is kept; Esc leaves.", 0);
		return;
	}
	pos_form_cursor(fm->form);
	getyx(fm->win, cy, cx);
	if (fm->vrows) {
		int shown;
		forms_follow(fm, cy);
		shown = fm->vrows - fm->top < fm->view_h ? fm->vrows - fm->top
							 : fm->view_h;
		copywin(fm->win, w, fm->top, 0, fm->view_y, 0,
			fm->view_y + shown - 1, cols - 1, FALSE);
		cy = forms_view_row(fm, cy);
	} else {
		copywin(fm->win, w, 0, 0, 0, 0, rows - 1, cols - 1, FALSE);
	}
	forms_draw_labels(fm, w);
	forms_draw_notes(fm, w, rows, cols);
	if (fm->ops->draw_extra)
		fm->ops->draw_extra(fm, w, rows, cols);
	s->cur_y = cy;
	s->cur_x = cx;
	if (fm->asking)
		forms_dialog_draw(fm, s, w, rows, cols);
}

/* ---- key bar and help ----------------------------------------------------- */

int forms_screen_keybar(struct screen *s, char *buf, size_t len)
{
	const struct forms *fm = s->priv;
	enum action acts[8 + ACTION_COUNT] = { ACTION_SAVE, ACTION_BACK,
					       ACTION_NEXT_PANEL };
	enum forms_kind kind = fm->form ? fm->fields[fm->current].kind
					: FORMS_LINE;
	size_t used = 0, n = 3;

	if (fm->asking) {
		snprintf(buf, len, "y Discard changes  n Keep editing");
		return 1;
	}
	/* The form's own actions come after Tab's: adding a row... */
	if (fm->ops->bar_extra)
		n += (size_t)fm->ops->bar_extra((struct forms *)fm, acts + n,
						ACTION_COUNT);
	acts[n++] = ACTION_GUIDE;
	acts[n++] = ACTION_HELP;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		char key[ACTION_KEY_NAME_MAX];
		const char *how = NULL;
		/* ? is text in a text field: the bar does not offer it there. */
		if (acts[i] == ACTION_HELP && forms_is_text(&fm->fields[fm->current]))
			continue;
		action_keys_text(acts[i], 1, key, sizeof key);
		if (key[0])
			used += (size_t)snprintf(buf + used, len - used, "%s%s %s",
						 used ? "  " : "", key,
						 action_label(acts[i]));
		if (acts[i] == ACTION_NEXT_PANEL)
			how = kind == FORMS_TEXT ? "Enter New line" :
			      kind == FORMS_CHOICE ? "Left/Right Change" :
			      kind == FORMS_TICK ? "Space Tick" : "Enter Next";
		if (how && used < len)
			used += (size_t)snprintf(buf + used, len - used, "  %s", how);
		/* A form with keys of its own may fill the bar: Help, which
		 * every screen has, gives way before what is particular. */
		if (i + 2 == n && acts[n - 1] == ACTION_HELP && fm->ops->bar_extra &&
		    text_width(buf) + 8 > COLS - 2)
			break;
	}
	return 1;
}

int forms_help_extra(int i, char *buf, size_t len)
{
	char save[ACTION_KEY_NAME_MAX], guide[ACTION_KEY_NAME_MAX];

	action_keys_text(ACTION_SAVE, 1, save, sizeof save);
	action_keys_text(ACTION_GUIDE, 1, guide, sizeof guide);
	switch (i) {
	case 0:
		snprintf(buf, len, "Filling in a form");
		return 1;
	case 1:
		snprintf(buf, len, "  Tab and Shift-Tab go to the next and previous "
			 "field, and so do Up and Down, except inside text of "
			 "several lines, where they move between its lines.");
		return 1;
	case 2:
		snprintf(buf, len, "  In text, type as usual: Enter starts a new "
			 "line where there is room for several; Backspace, Del, "
			 "Left, Right, Home (^A) and End (^E) edit.");
		return 1;
	case 3:
		snprintf(buf, len, "  A choice shows as < ... >: Left and Right, or "
			 "Space, change it; a letter jumps to the choice that "
			 "starts with it.  A tick box, [x] or [ ]: Space ticks it.");
		return 1;
	case 4:
		snprintf(buf, len, "  %s saves.  Esc leaves; if you changed "
			 "anything it asks first, and n takes you back to your "
			 "work.", save[0] ? save : "(unbound)");
		return 1;
	case 5:
		snprintf(buf, len, "  In a text field every printable key is text, "
			 "? too; %s (the guide) works in every field.",
			 guide[0] ? guide : "(unbound)");
		return 1;
	case 6:
		snprintf(buf, len, "  Resizing keeps everything typed; while the "
			 "window is too small the form waits, unchanged.");
		return 1;
	case 7:
		snprintf(buf, len, "  A form longer than the screen scrolls with "
			 "the focus; its title says which part you are in, and "
			 "\"^ more\" and \"v more\" that there is more above "
			 "or below.");
		return 1;
	default:
		return 0;
	}
}

int forms_guide_keys(struct pager_lines *pl)
{
	char line[512];
	int rc = pager_add(pl, 0, THEME_NORMAL, "");

	rc |= pager_add(pl, 0, THEME_HEADER, "Keys on this form");
	for (int i = 0; rc == 0 && action_help_line(SCREEN_FORM, i, line,
						   sizeof line); i++)
		rc |= pager_add(pl, 19, THEME_NORMAL, line);
	for (int i = 1; rc == 0 && forms_help_extra(i, line, sizeof line); i++)
		rc |= pager_add(pl, 4, THEME_NORMAL, line);
	return rc;
}

int forms_screen_tick(struct screen *s, struct desk *d, int force)
{
	struct forms *fm = s->priv;

	(void)force;
	forms_edit_tick(fm, d);
	return fm->ops->tick ? fm->ops->tick(fm, d) : 0;
}

/* The screen takes the form handed to desk_push (arg: struct forms **). */
int forms_screen_open(struct screen *s, struct desk *d, void *arg,
		      struct md_error *err)
{
	struct forms **fm = arg;

	(void)d;
	(void)err;
	s->priv = *fm;
	*fm = NULL;
	return 0;
}

/* The edit ends (draft kept or dropped, lease given back), then the form. */
void forms_screen_close(struct screen *s, struct desk *d)
{
	forms_edit_end(s->priv, d);
	forms_delete(s->priv);
	s->priv = NULL;
}
