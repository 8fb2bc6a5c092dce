/* textlines.c - see textlines.h. */
#include "textlines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textlines_clear(struct textlines *t)
{
	t->n = 0;
	t->head = 0;
}

void textlines_free(struct textlines *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}

void textlines_add(struct textlines *t, enum theme_role role, const char *fmt, ...)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 32;
		void *p = realloc(t->v, sizeof *t->v * (size_t)cap);
		if (!p)
			return;   /* the line is missing; the screen still works */
		t->v = p;
		t->cap = cap;
	}
	struct textline *l = &t->v[t->n++];
	va_list ap;
	l->role = role;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
}

static void textlines_clamp(struct textlines *t, int rows)
{
	int room = rows - t->head, last = t->n - t->head - room;
	if (t->top > last)
		t->top = last;
	if (t->top < 0)
		t->top = 0;
}

void textlines_draw(struct textlines *t, WINDOW *w, int rows, int cols)
{
	textlines_clamp(t, rows);
	werase(w);
	for (int y = 0; y < rows; y++) {
		int i = y < t->head ? y : t->head + t->top + (y - t->head);
		if (i >= t->n || (y >= t->head && i < t->head))
			continue;
		term_style(w, t->v[i].role);
		desk_put(w, y, 0, cols, t->v[i].text, 1);
	}
	term_style(w, THEME_NORMAL);
}

int textlines_key(struct textlines *t, enum action a, int rows)
{
	int page = rows - t->head > 1 ? rows - t->head - 1 : 1;
	switch (a) {
	case ACTION_UP:        t->top--; break;
	case ACTION_DOWN:      t->top++; break;
	case ACTION_PAGE_UP:   t->top -= page; break;
	case ACTION_PAGE_DOWN: t->top += page; break;
	case ACTION_TOP:       t->top = 0; break;
	case ACTION_BOTTOM:    t->top = t->n; break;
	default:               return DESK_UNHANDLED;
	}
	textlines_clamp(t, rows);
	return DESK_REDRAW;
}
