/* queue_layout.c - the queue's rows as cells (see queue_layout.h): pure,
 * no curses and no database, so names of every width are unit-tested
 * without a terminal.  The queue and the board's list of one person's
 * work both draw their rows from it. */
#include "queue_layout.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/screen.h"
#include "mashdesk/text.h"

#define QUEUE_NAME_MIN 12       /* the child's name never gets less */
#define QUEUE_NAME_80 17        /* what it gets at 80 columns */
#define QUEUE_NAME_MAX 40       /* wider terminals widen it up to this */

void queue_layout_make(struct queue_layout *l, int cols, int nagencies)
{
	/* Widths at 80 columns; the name takes what is left.  The strategy
	 * mark's column came out of the login's (9 before). */
	static const int base[QCOL_COUNT] = {
		[QCOL_REF] = 8, [QCOL_RECEIVED] = 5, [QCOL_NAME] = 0,
		[QCOL_AGE] = 3, [QCOL_RAG] = 1, [QCOL_LEVEL] = 1,
		[QCOL_STATUS] = 9, [QCOL_ASSIGNED] = 8, [QCOL_CHECKS] = 6,
		[QCOL_DUE] = 10, [QCOL_REPEAT] = 1, [QCOL_STRATEGY] = 1,
	};
	/* a space between columns, but none before the strategy mark */
	int used = QCOL_COUNT - 2, extra, x = 0;

	memset(l, 0, sizeof *l);
	l->cols = cols;
	memcpy(l->w, base, sizeof base);
	l->w[QCOL_CHECKS] = nagencies > 0 ? nagencies : 1;
	for (int i = 0; i < QCOL_COUNT; i++)
		used += l->w[i];
	l->w[QCOL_NAME] = cols - used;
	if (l->w[QCOL_NAME] < QUEUE_NAME_MIN) {
		/* Many agencies: their marks give way to the name. */
		int give = QUEUE_NAME_MIN - l->w[QCOL_NAME];
		if (give > l->w[QCOL_CHECKS] - 1)
			give = l->w[QCOL_CHECKS] - 1;
		l->w[QCOL_CHECKS] -= give;
		l->w[QCOL_NAME] += give;
	}
	/* A wider terminal: first a longer name, then the date with the
	 * time, then longer logins, then the name again. */
	extra = l->w[QCOL_NAME] - QUEUE_NAME_80;
	if (extra > 0) {
		int name = extra > QUEUE_NAME_MAX - QUEUE_NAME_80 ?
			   QUEUE_NAME_MAX - QUEUE_NAME_80 : extra;
		extra -= name;
		if (extra >= 7) {
			l->wide_dates = 1;
			l->w[QCOL_RECEIVED] += 7;
			l->w[QCOL_NAME] -= 7;
			extra -= 7;
		}
		int login = extra > 8 ? 8 : extra;
		l->w[QCOL_ASSIGNED] += login;
		l->w[QCOL_NAME] -= login;
	}
	if (l->w[QCOL_NAME] < 1)
		l->w[QCOL_NAME] = 1;
	for (int i = 0; i < QCOL_COUNT; i++) {
		if (i == QCOL_STRATEGY)
			x--;
		l->x[i] = x;
		x += l->w[i] + 1;
	}
}

/* Fit (inert) text into column i of c, padded to exactly its width. */
static void cell_set(const struct queue_layout *l, struct queue_cells *c,
		     enum queue_col i, const char *text, enum theme_role role,
		     int ascii)
{
	char inert[QUEUE_CELL_MAX];

	text_inert(inert, sizeof inert, text ? text : "", 1);
	if (ascii)
		desk_ascii_fold(inert);
	text_fit(c->text[i], sizeof c->text[i], inert, l->w[i], 1, ascii);
	c->role[i] = role;
}

static void cell_right(const struct queue_layout *l, struct queue_cells *c,
		       enum queue_col i, const char *text)
{
	int pad = l->w[i] - text_width(text);

	snprintf(c->text[i], sizeof c->text[i], "%*s%s", pad > 0 ? pad : 0, "",
		 text);
	c->role[i] = THEME_NORMAL;
}

static void format_received(long long at, long long now, int wide,
			    char *buf, size_t len)
{
	time_t t = (time_t)at, n = (time_t)now;
	struct tm tm, tn;

	if (!localtime_r(&t, &tm) || !localtime_r(&n, &tn) ||
	    !strftime(buf, len, wide ? "%d %b %H:%M" :
		      (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday) ?
		      "%H:%M" : tm.tm_year == tn.tm_year ? "%d/%m" : "%Y", &tm))
		snprintf(buf, len, "?");
}

static enum theme_role rag_role(const char *rag, const char **letter)
{
	if (!strcmp(rag, "red"))
		return *letter = "R", THEME_RAG_RED;
	if (!strcmp(rag, "amber"))
		return *letter = "A", THEME_RAG_AMBER;
	if (!strcmp(rag, "green"))
		return *letter = "G", THEME_RAG_GREEN;
	*letter = rag[0] ? "?" : "-";
	return THEME_NORMAL;
}

void queue_row_cells(const struct queue_layout *l, const struct queue_row *r,
		     long long now, int ascii, struct queue_cells *c)
{
	char buf[64];
	const char *letter;
	enum theme_role role;
	int age;

	cell_set(l, c, QCOL_REF, r->ref, THEME_NORMAL, ascii);
	format_received(r->received_at, now, l->wide_dates, buf, sizeof buf);
	cell_set(l, c, QCOL_RECEIVED, buf, THEME_NORMAL, ascii);
	cell_set(l, c, QCOL_NAME, r->child_name, THEME_NORMAL, ascii);
	age = clock_age_years(r->dob, now);
	if (age == -999)
		snprintf(buf, sizeof buf, "?");
	else if (age < 0)
		snprintf(buf, sizeof buf, "unb");   /* not yet born */
	else
		snprintf(buf, sizeof buf, "%d", age > 999 ? 999 : age);
	cell_right(l, c, QCOL_AGE, buf);
	role = rag_role(r->rag, &letter);
	cell_set(l, c, QCOL_RAG, letter, role, ascii);
	snprintf(buf, sizeof buf, "%c", r->level >= 1 && r->level <= 9 ?
		 '0' + r->level : '-');
	cell_set(l, c, QCOL_LEVEL, buf, THEME_NORMAL, ascii);
	cell_set(l, c, QCOL_STATUS, r->status, THEME_NORMAL, ascii);
	cell_set(l, c, QCOL_ASSIGNED, r->assigned_to[0] ? r->assigned_to : "-",
		 r->assigned_to[0] ? THEME_NORMAL : THEME_DIM, ascii);
	/* A late check is upper case (R, P) and drawn as overdue. */
	cell_set(l, c, QCOL_CHECKS, r->checks, strpbrk(r->checks, "RP") ?
		 THEME_OVERDUE : THEME_NORMAL, ascii);
	if (r->decided_at) {
		cell_set(l, c, QCOL_DUE, "decided", THEME_DIM, ascii);
	} else {
		clock_format_left(r->due_at, now, buf, sizeof buf);
		cell_set(l, c, QCOL_DUE, buf, r->overdue || r->due_at <= now ?
			 THEME_OVERDUE : THEME_NORMAL, ascii);
	}
	cell_set(l, c, QCOL_REPEAT, r->repeat ? "*" : "", THEME_NORMAL, ascii);
	/* A strategy discussion due: s, and S once late (as a late check's
	 * mark is upper case), drawn as overdue. */
	cell_set(l, c, QCOL_STRATEGY, !r->strategy_due ? "" : r->strategy_late
		 ? "S" : "s", r->strategy_late ? THEME_OVERDUE : THEME_ALERT, ascii);
}

int queue_initial_add(const struct hub_code *c, void *arg)
{
	struct queue_initials *ini = arg;

	if (ini->n < MD_MAX_AGENCIES) {
		char ch = c->code[0];
		ini->s[ini->n++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A'
					  : ch ? ch : '?');
		ini->s[ini->n] = '\0';
	}
	return 0;
}

void queue_header_cells(const struct queue_layout *l, const char *initials,
			struct queue_cells *c)
{
	static const char *const names[QCOL_COUNT] = {
		"Ref", "Recvd", "Child", "Age", "R", "L", "Status", "Assigned",
		"", "Due", "*", "S",
	};

	for (int i = 0; i < QCOL_COUNT; i++) {
		const char *h = names[i];
		if (i == QCOL_CHECKS)
			h = initials;
		else if (i == QCOL_RECEIVED && l->wide_dates)
			h = "Received";
		cell_set(l, c, (enum queue_col)i, h, THEME_HEADER, 1);
	}
}

void queue_cells_join(const struct queue_layout *l,
		      const struct queue_cells *c, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (int i = 0; i < QCOL_COUNT && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i && i != QCOL_STRATEGY ? " " : "",
					 c->text[i]);
	for (int w = text_width(buf); w < l->cols && used + 1 < len; w++)
		buf[used++] = ' ', buf[used] = '\0';
}
