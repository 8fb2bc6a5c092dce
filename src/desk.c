/* desk.c - the desk's main loop: a stack of screens between a status line
 * and a key bar.
 *
 * Frame discipline.  Each window is drawn only when something in it
 * changed (the dirty bits), every window goes out with wnoutrefresh, and
 * one doupdate() per frame sends the terminal only the cells that differ
 * from what it shows: redrawing a body from scratch into the window costs
 * nothing on the wire when the rows are the same.  The screen is cleared
 * (clearok) only when the user asks for it with the refresh key.
 *
 * Layout, top to bottom: status line (hub, user, TRAINING, clock; or,
 * in their place, the connection's news: "connection to the hub lost;
 * reconnecting…" for as long as it lasts, then "reconnected to the hub
 * after N s" for DESK_CONN_SHOW_S), body
 * (the top screen), message line, key bar.  Below 80x24 nothing of that is
 * drawn; a notice says how big the terminal must be.
 *
 * The real cursor ends on the selected row (leaveok FALSE on the body,
 * which is refreshed last), so screen readers and braille displays follow
 * the selection.
 *
 * Screens.  The desk knows two screens by name: the queue, which it opens
 * first, and help, which the help key opens over any screen.  Every other
 * screen is opened either by another screen (Enter on a referral) or by an
 * action, through the opener the action table names (OPENS in actions.h):
 * the desk calls it when the top screen leaves that action unhandled. */
#include "mashdesk/desk.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "help.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_scenario.h"
#include "mashdesk/screen.h"
#include "mashdesk/text.h"
#include "queue.h"

#define DESK_STACK_MAX 8
#define RESIZE_SETTLE_MS 40     /* a window manager sends resizes in bursts */
#define DESK_CONN_SHOW_S 20     /* how long "reconnected ..." stays up */

#define DIRTY_STATUS 0x01
#define DIRTY_BODY   0x02
#define DIRTY_MSG    0x04
#define DIRTY_BAR    0x08
#define DIRTY_ALL    0x0F

struct desk {
	struct hub *hub;
	const struct config *cfg;
	struct hub_info info;
	WINDOW *status, *body, *msg, *bar;
	int rows, cols, too_small;
	struct screen stack[DESK_STACK_MAX];
	int depth;
	char message[512];
	enum theme_role message_role;
	int dirty;
	int clock_minute;
	int quit;
	long long generation;   /* bumped when another desk commits */
	time_t presence_at;     /* last said this desk is open (training) */
	char conn_note[128];    /* the connection's news, "" for none */
	int conn_down;          /* conn_note says it is lost */
	time_t conn_until;      /* when "reconnected ..." goes */
};

static void desk_catch_up(struct desk *d, int idle);
static void desk_poll_hub(struct desk *d);
static void desk_connection(struct desk *d);
static void desk_presence(struct desk *d, int now_too);

/* ---- the screens actions open (ACTION_LIST's last column) ---------------- */

/* Declare every opener... */
#define OPENS(fn) int fn(struct desk *d);
#define NO_SCREEN
#define ACTION_OPENER_DECL(id, name, keys, label, help, on, bar, opens) opens
ACTION_LIST(ACTION_OPENER_DECL)
#undef ACTION_OPENER_DECL
#undef NO_SCREEN
#undef OPENS

/* ... and table them by action. */
#define OPENS(fn) fn
#define NO_SCREEN NULL
static int (*const desk_openers[ACTION_COUNT])(struct desk *d) = {
#define ACTION_OPENER(id, name, keys, label, help, on, bar, opens) \
	[ACTION_##id] = opens,
	ACTION_LIST(ACTION_OPENER)
#undef ACTION_OPENER
};
#undef NO_SCREEN
#undef OPENS

/* ---- services to screens -------------------------------------------------- */

struct hub *desk_hub(struct desk *d) { return d->hub; }
const struct hub_info *desk_info(struct desk *d) { return &d->info; }
const struct config *desk_config(struct desk *d) { return d->cfg; }

long long desk_now(struct desk *d)
{
	long long now = clock_now();

	(void)d;
	return now - now % 60;
}

int desk_ascii(void)
{
	return term_ascii_only();
}

void desk_message(struct desk *d, enum theme_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->message, sizeof d->message, fmt, ap);
	va_end(ap);
	d->message_role = role;
	d->dirty |= DIRTY_MSG;
}

void desk_ascii_fold(char *s)
{
	char *o = s;

	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p < 0x80) {
			*o++ = (char)*p++;
			continue;
		}
		/* One '?' per character; combining marks vanish with it. */
		int combining = p[0] == 0xCC || (p[0] == 0xCD && p[1] < 0xB0);
		if (!combining)
			*o++ = '?';
		for (p++; (*p & 0xC0) == 0x80; p++)
			;
	}
	*o = '\0';
}

int desk_put(WINDOW *w, int y, int x, int cols, const char *s, int pad)
{
	char inert[1024], fit[1024];
	int used;

	if (cols <= 0)
		return 0;
	text_inert(inert, sizeof inert, s ? s : "", 1);
	if (desk_ascii())
		desk_ascii_fold(inert);
	used = text_fit(fit, sizeof fit, inert, cols, pad, desk_ascii());
	mvwaddstr(w, y, x, fit);
	return used;
}

int desk_push(struct desk *d, const struct screen_ops *ops, void *arg)
{
	struct md_error err;
	struct screen *s;

	if (d->depth >= DESK_STACK_MAX) {
		desk_message(d, THEME_ERROR, "Too many screens open: press Esc "
			     "to go back first.");
		return EX_SOFTWARE;
	}
	s = &d->stack[d->depth];
	memset(s, 0, sizeof *s);
	s->ops = ops;
	s->cur_y = s->cur_x = -1;
	s->seen = d->generation;   /* it reads the hub as it opens */
	md_clear(&err);
	if (ops->open && ops->open(s, d, arg, &err) != 0) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code ? err.code : EX_SOFTWARE;
	}
	d->depth++;
	if (d->body && ops->resize)
		ops->resize(s, d, getmaxy(d->body), getmaxx(d->body));
	d->dirty |= DIRTY_ALL;
	return 0;
}

static void desk_pop(struct desk *d)
{
	struct screen *s;

	if (d->depth == 0)
		return;
	s = &d->stack[--d->depth];
	if (s->ops->close)
		s->ops->close(s, d);
	d->dirty |= DIRTY_ALL;
	if (d->depth == 0)
		d->quit = 1;
	else if (!d->quit && !term_stop_signal())
		desk_catch_up(d, 1);   /* the uncovered screen may be behind */
}

static struct screen *desk_top(struct desk *d)
{
	return d->depth ? &d->stack[d->depth - 1] : NULL;
}

/* ---- layout ------------------------------------------------------------- */

static void desk_windows_free(struct desk *d)
{
	WINDOW **ws[] = { &d->status, &d->body, &d->msg, &d->bar };

	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
		if (*ws[i]) {
			delwin(*ws[i]);
			*ws[i] = NULL;
		}
}

static WINDOW *desk_input(struct desk *d)
{
	/* Read keys from a window that is never left touched: wgetch on a
	 * touched window would refresh it over the frame just sent. */
	return d->too_small ? stdscr : d->body;
}

static void desk_layout(struct desk *d)
{
	desk_windows_free(d);
	d->rows = LINES;
	d->cols = COLS;
	d->too_small = d->rows < DESK_MIN_ROWS || d->cols < DESK_MIN_COLS;
	d->dirty = DIRTY_ALL;
	term_resized();
	if (!d->too_small) {
		d->status = newwin(1, d->cols, 0, 0);
		d->body = newwin(d->rows - 3, d->cols, 1, 0);
		d->msg = newwin(1, d->cols, d->rows - 2, 0);
		d->bar = newwin(1, d->cols, d->rows - 1, 0);
		if (!d->status || !d->body || !d->msg || !d->bar) {
			desk_windows_free(d);
			d->too_small = 1;       /* out of memory: say so below */
		}
	}
	WINDOW *in = desk_input(d);
	keypad(in, TRUE);
	leaveok(in, FALSE);
	wtimeout(in, d->cfg ? d->cfg->refresh_ms : 500);
	if (d->too_small)
		return;
	leaveok(d->status, TRUE);
	leaveok(d->msg, TRUE);
	leaveok(d->bar, TRUE);
	for (int i = 0; i < d->depth; i++)
		if (d->stack[i].ops->resize)
			d->stack[i].ops->resize(&d->stack[i], d, d->rows - 3,
						d->cols);
}

/* KEY_RESIZE comes in bursts while a window is dragged: swallow the rest
 * of the burst, then lay out once.  A real key met on the way is put back. */
static void desk_resize(struct desk *d)
{
	WINDOW *in = desk_input(d);
	wint_t wch;
	int rc;

	wtimeout(in, RESIZE_SETTLE_MS);
	while ((rc = wget_wch(in, &wch)) != ERR) {
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE)
			continue;
		if (rc == KEY_CODE_YES)
			ungetch((int)wch);
		else
			unget_wch((wchar_t)wch);
		break;
	}
	desk_layout(d);
}

/* ---- drawing -------------------------------------------------------------- */

static int desk_clock(char hhmm[6])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm)) {
		memcpy(hhmm, "--:--", 6);
		return -1;
	}
	if (strftime(hhmm, 6, "%H:%M", &tm) != 5)
		memcpy(hhmm, "--:--", 6);
	return tm.tm_hour * 60 + tm.tm_min;
}

/* The connection's news in the status line, in place of the hub and the
 * user (the clock stays): it must fit at 80 columns with TRAINING. */
static void desk_draw_connection(struct desk *d, const char hhmm[6])
{
	char note[sizeof d->conn_note + 8], right[16];
	int cols = d->cols, x = 1;
	char *dots = strstr(d->conn_note, "\u2026");

	snprintf(note, sizeof note, "%s", d->conn_note);
	if (dots && desk_ascii())       /* "..." rather than a folded "?" */
		snprintf(note + (dots - d->conn_note), sizeof note -
			 (size_t)(dots - d->conn_note), "...%s",
			 dots + strlen("\u2026"));
	snprintf(right, sizeof right, "%s ", hhmm);
	int rw = text_width(right);
	if (d->info.training) {
		term_style_on(d->status, THEME_TRAINING, THEME_TITLE);
		x += desk_put(d->status, 0, x, 10, " TRAINING ", 0) + 1;
	}
	term_style_on(d->status, d->conn_down ? THEME_ERROR : THEME_TITLE,
		      THEME_TITLE);
	desk_put(d->status, 0, x, cols - rw - x - 1, note, 0);
	term_style(d->status, THEME_TITLE);
	desk_put(d->status, 0, cols - rw, rw, right, 1);
}

static void desk_draw_status(struct desk *d)
{
	const struct user *me = &d->info.me;
	char right[320], hhmm[6];
	int cols = d->cols, rw, x;

	d->clock_minute = desk_clock(hhmm);
	wbkgdset(d->status, ' ' | term_attr(THEME_TITLE));
	werase(d->status);
	term_style(d->status, THEME_TITLE);
	if (d->conn_note[0]) {
		desk_draw_connection(d, hhmm);
		return;
	}
	snprintf(right, sizeof right, "%s (%s%s%s)  %s ", me->login, me->agency,
		 me->agency[0] ? ", " : "", me->role, hhmm);
	rw = text_width(right);
	if (rw > cols / 2)
		rw = cols / 2;
	x = desk_put(d->status, 0, 0, 1, " ", 0);
	x += desk_put(d->status, 0, x, cols - rw - x - 12, d->info.name, 0);
	if (d->info.training) {
		/* Loud on purpose: nobody should mistake practice for live. */
		term_style_on(d->status, THEME_TRAINING, THEME_TITLE);
		x += desk_put(d->status, 0, x + 1, 10, " TRAINING ", 0) + 1;
		term_style(d->status, THEME_TITLE);
	}
	desk_put(d->status, 0, cols - rw, rw, right, 1);
}

static void desk_draw_message(struct desk *d)
{
	werase(d->msg);
	if (!d->message[0])
		return;
	term_style(d->msg, d->message_role);
	desk_put(d->msg, 0, 0, d->cols - 1, d->message, 0);
	term_style(d->msg, THEME_NORMAL);
}

/* The generated key bar asks the top screen what it shows now. */
struct bar_ask {
	struct screen *top;
	struct desk *d;
};

static int desk_bar_shows(enum action a, void *arg)
{
	struct bar_ask *ask = arg;

	return ask->top->ops->bar_shows(ask->top, ask->d, a);
}

static void desk_draw_bar(struct desk *d, struct screen *top)
{
	char buf[512];
	struct action_span spans[ACTION_COUNT];
	int n = 0;

	wbkgdset(d->bar, ' ' | term_attr(THEME_KEYBAR));
	werase(d->bar);
	term_style(d->bar, THEME_KEYBAR);
	if (!top->ops->keybar || !top->ops->keybar(top, buf, sizeof buf)) {
		struct bar_ask ask = { top, d };
		n = action_keybar(top->ops->kind, d->cols - 2, buf, sizeof buf,
				  spans, ACTION_COUNT, top->ops->bar_shows ?
				  desk_bar_shows : NULL, &ask);
	}
	desk_put(d->bar, 0, 1, d->cols - 2, buf, 0);
	/* Key names in bold over the plain text, so the eye finds them. */
	term_style(d->bar, THEME_KEY);
	for (int i = 0; i < n; i++) {
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)spans[i].len,
			 buf + spans[i].off);
		size_t off = spans[i].off;
		char save = buf[off];
		buf[off] = '\0';
		int x = 1 + text_width(buf);
		buf[off] = save;
		mvwaddstr(d->bar, 0, x, key);
	}
	term_style(d->bar, THEME_NORMAL);
}

static void desk_draw_too_small(struct desk *d)
{
	char line[128];
	int y = d->rows / 2 - 1;

	werase(stdscr);
	snprintf(line, sizeof line, "terminal too small (need %dx%d, have %dx%d)",
		 DESK_MIN_COLS, DESK_MIN_ROWS, d->cols, d->rows);
	term_style(stdscr, THEME_ERROR);
	desk_put(stdscr, y < 0 ? 0 : y, 0, d->cols, line, 0);
	term_style(stdscr, THEME_NORMAL);
	if (y + 1 < d->rows) {
		char quit[ACTION_KEY_NAME_MAX];
		action_keys_text(ACTION_QUIT, 1, quit, sizeof quit);
		snprintf(line, sizeof line, quit[0] ? "Make the window bigger, "
			 "or press %s to quit." : "Make the window bigger.%s", quit);
		desk_put(stdscr, y + 1, 0, d->cols, line, 0);
	}
	wmove(stdscr, y < 0 ? 0 : y, 0);
	wnoutrefresh(stdscr);
}

static void desk_frame(struct desk *d)
{
	struct screen *top = desk_top(d);

	if (!d->dirty || !top)
		return;
	if (d->too_small) {
		desk_draw_too_small(d);
	} else {
		if (d->dirty & DIRTY_BODY) {
			werase(d->body);
			top->cur_y = top->cur_x = -1;
			top->ops->draw(top, d, d->body, getmaxy(d->body),
				       d->cols);
			term_style(d->body, THEME_NORMAL);
		}
		if (d->dirty & DIRTY_STATUS)
			desk_draw_status(d);
		if (d->dirty & DIRTY_MSG)
			desk_draw_message(d);
		if (d->dirty & DIRTY_BAR)
			desk_draw_bar(d, top);
		wnoutrefresh(d->status);
		wnoutrefresh(d->msg);
		wnoutrefresh(d->bar);
		wmove(d->body, top->cur_y < 0 ? 0 : top->cur_y,
		      top->cur_x < 0 ? 0 : top->cur_x);
		wnoutrefresh(d->body);     /* last: its cursor is the one shown */
	}
	doupdate();
	d->dirty = 0;
}

/* ---- keys ------------------------------------------------------------- */

static void desk_apply(struct desk *d, int flags)
{
	if (flags & (DESK_REDRAW | DESK_HANDLED))
		d->dirty |= DIRTY_BODY | DIRTY_BAR;
	if (flags & DESK_CLOSE)
		desk_pop(d);
	if (flags & DESK_QUIT)
		d->quit = 1;
}

/* What an action means when the screen leaves it to the desk: its own
 * few, or the screen the action table says it opens. */
static int desk_default(struct desk *d, struct screen *top, enum action a)
{
	switch (a) {
	case ACTION_QUIT:
		return DESK_QUIT;
	case ACTION_BACK:
		return d->depth > 1 ? DESK_CLOSE : DESK_HANDLED;
	case ACTION_HELP:
		if (top->ops->kind == SCREEN_HELP)
			return DESK_CLOSE;
		help_open(d, top);
		return DESK_HANDLED;
	case ACTION_REFRESH:
		clearok(curscr, TRUE);  /* the user asked: repaint everything */
		d->dirty |= DIRTY_ALL;
		return top->ops->tick ? top->ops->tick(top, d, 1) | DESK_REDRAW
				      : DESK_REDRAW;
	default:
		if ((int)a <= 0 || a >= ACTION_COUNT || !desk_openers[a])
			return DESK_UNHANDLED;
		desk_openers[a](d);     /* it says why not itself */
		return DESK_HANDLED;
	}
}

static void desk_key(struct desk *d, int key)
{
	struct screen *top = desk_top(d);
	enum action a;
	int flags;

	if (d->message[0]) {
		d->message[0] = '\0';
		d->dirty |= DIRTY_MSG;
	}
	if (d->too_small) {
		/* Only leaving and repainting make sense with nothing shown. */
		a = action_for_key(key, SCREEN_QUEUE);
		if (a == ACTION_QUIT)
			d->quit = 1;
		else if (a == ACTION_REFRESH)
			desk_layout(d);
		return;
	}
	a = action_for_key(key, top->ops->kind);
	flags = top->ops->key ? top->ops->key(top, d, a, key) : DESK_UNHANDLED;
	if (flags == DESK_UNHANDLED && a != ACTION_NONE)
		flags = desk_default(d, top, a);
	/* A save made by this key is news like another desk's: learn of it
	 * before a form closes, so the screen it uncovers re-reads the hub. */
	desk_poll_hub(d);
	desk_apply(d, flags);
	desk_catch_up(d, 0);
}

/* Has anything been committed since we last looked, by another desk or by
 * this one?  One cheap PRAGMA data_version (and hub_end's own-commit flag)
 * per key and per idle tick; a failure here is not worth a message (the
 * next action will report any real trouble). */
static void desk_poll_hub(struct desk *d)
{
	struct md_error err;
	int changed = 0, reload = 0;

	if (hub_poll_changes(d->hub, &changed, &reload, NULL, NULL, &err) == 0 &&
	    changed)
		d->generation++;
	desk_connection(d);
}

/* The data layer reconnects by itself; the desk says so, and keeps
 * everything open (a form's text stays; a save meanwhile is refused and
 * says nothing was saved).  The news comes once each way. */
static void desk_connection(struct desk *d)
{
	char note[sizeof d->conn_note];

	if (hub_connection_news(d->hub, note, sizeof note)) {
		snprintf(d->conn_note, sizeof d->conn_note, "%s", note);
		d->conn_down = !hub_connected(d->hub);
		d->conn_until = time(NULL) + DESK_CONN_SHOW_S;
		d->dirty |= DIRTY_STATUS;
	} else if (d->conn_note[0] && !d->conn_down &&
		   time(NULL) >= d->conn_until) {
		d->conn_note[0] = '\0';
		d->dirty |= DIRTY_STATUS;
	}
}

/* Let the top screen catch up with changes it has not shown yet.  On an
 * idle tick it is ticked anyway (clocks, heartbeats, drafts); after a key,
 * only when there is news. */
static void desk_catch_up(struct desk *d, int idle)
{
	struct screen *top = desk_top(d);

	if (!top || !top->ops->tick || d->too_small)
		return;
	int force = top->seen < d->generation;
	if (!force && !idle)
		return;
	top->seen = d->generation;
	desk_apply(d, top->ops->tick(top, d, force));
}

/* No key within refresh_ms: keep the clock, the screen and the hub's news
 * current, so another user's change shows within a second, unasked. */
static void desk_idle(struct desk *d)
{
	char hhmm[6];

	if (desk_clock(hhmm) != d->clock_minute)
		d->dirty |= DIRTY_STATUS | DIRTY_BODY;  /* deadlines count down */
	desk_presence(d, 0);
	desk_poll_hub(d);
	desk_catch_up(d, 1);
}

/* ---- entry -------------------------------------------------------------- */

/* On a training hub the trainer's screen shows whose desks are open: say
 * so on opening and every [locking] heartbeat_seconds (hub_scenario.h). */
static void desk_presence(struct desk *d, int now_too)
{
	struct md_error err;
	time_t now = time(NULL);

	if (!d->info.training)
		return;
	if (!now_too && now - d->presence_at <
	    (d->cfg ? d->cfg->heartbeat_seconds : 30))
		return;
	d->presence_at = now;
	hub_presence_beat(d->hub, &err);   /* best effort: only a display */
}

static int desk_bind_keys(const struct config *cfg, struct md_error *err)
{
	char why[256];

	action_bind_defaults();
	for (int i = 0; cfg && i < cfg->nkeys; i++)
		if (action_bind(cfg->keys[i].action, cfg->keys[i].keys, why,
				sizeof why) != 0)
			return md_fail(err, EX_CONFIG, "%s: [keys] %s: %s",
				       cfg->source[0] ? cfg->source : "config",
				       cfg->keys[i].action, why);
	return 0;
}

static void desk_loop(struct desk *d)
{
	wint_t wch;
	int rc;

	while (!d->quit && !term_stop_signal()) {
		desk_frame(d);
		rc = wget_wch(desk_input(d), &wch);
		if (rc == ERR)
			desk_idle(d);
		else if (rc == KEY_CODE_YES && wch == KEY_RESIZE)
			desk_resize(d);
		else
			desk_key(d, rc == KEY_CODE_YES ? ACTION_KEY_FN((int)wch)
						     : (int)wch);
	}
}

int desk_stop_signal(void)
{
	return term_stop_signal();
}

int desk_run(struct hub *hub, const struct config *cfg, struct md_error *err)
{
	struct desk d;
	int rc;

	memset(&d, 0, sizeof d);
	d.hub = hub;
	d.cfg = cfg;
	d.clock_minute = -1;
	md_clear(err);
	if ((rc = desk_bind_keys(cfg, err)) != 0)
		return rc;
	hub_get_info(hub, &d.info);
	if ((rc = term_open(cfg, err)) != 0)
		return rc;
	desk_layout(&d);
	desk_presence(&d, 1);
	if (queue_open(&d) != 0) {
		md_fail(err, EX_UNAVAILABLE, "%s", d.message);
		rc = err->code;
	} else {
		/* a trainer of a hub running a scenario starts on its screen */
		struct hub_scenario_state st;
		struct md_error none;
		if (!strcmp(d.info.me.role, "trainer") &&
		    hub_may(hub, HUB_ACT_SCENARIO, NULL) &&
		    hub_scenario_state(hub, &st, &none) == 0 && st.loaded)
			desk_openers[ACTION_TRAINER](&d);
		desk_loop(&d);
	}
	while (d.depth)
		desk_pop(&d);
	if (d.info.training)
		hub_presence_leave(hub);
	desk_windows_free(&d);
	term_close();
	return rc;
}
