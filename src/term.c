/* term.c - curses set-up and restore, signals, themes (see term.h).
 *
 * Signals.  SIGTERM, SIGHUP and SIGINT only set a flag (neomutt's way):
 * the desk loop wakes within its input timeout, leaves, and endwin()s on
 * the ordinary path.  Our handlers are installed before newterm(), so
 * ncurses sees they are not SIG_DFL and leaves them alone; it still
 * handles SIGWINCH (KEY_RESIZE) and SIGTSTP (Ctrl-Z) itself.
 *
 * Crashes.  SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT get a handler that
 * puts the terminal back and re-raises, so the user gets a core dump and a
 * usable shell rather than a frozen, echo-less screen.  endwin() is not
 * async-signal-safe (it uses stdio and the heap, which may be what just
 * broke), so the handler does endwin's essential work with calls that are:
 * tcsetattr() back to the modes saved before curses started, then one
 * write() of terminfo strings prepared at start (leave the alternate
 * screen, normal attributes, visible cursor, cursor to the last line). */
#include "mashdesk/term.h"

#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#define COLOR_DEFAULT (-1)

static SCREEN *term_screen;
static FILE *term_in, *term_out;   /* opened by us (/dev/tty), else NULL */
static int term_fd = -1;
static int term_use_colour;
static chtype theme_attrs[THEME_COUNT];

static volatile sig_atomic_t term_stop;
static volatile sig_atomic_t term_crashing;
static struct termios term_saved;
static int term_saved_ok;
static char term_reset_seq[256];        /* written by the crash handler */
static volatile size_t term_reset_len;

static const int stop_signals[] = { SIGTERM, SIGHUP, SIGINT };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define NSTOP (sizeof stop_signals / sizeof stop_signals[0])
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction old_stop[NSTOP], old_crash[NCRASH];

/* ---- signals ------------------------------------------------------------ */

static void term_on_stop(int sig)
{
	term_stop = sig;
}

static void term_on_crash(int sig)
{
	if (!term_crashing) {
		term_crashing = 1;
		if (term_saved_ok)
			tcsetattr(term_fd, TCSANOW, &term_saved);
		if (term_reset_len && write(term_fd, term_reset_seq,
					    term_reset_len) < 0)
			term_crashing = 2;      /* nothing more we can do */
	}
	/* SA_RESETHAND restored the default action; SA_NODEFER lets it
	 * happen now, with the original signal, core dump and all. */
	raise(sig);
}

static void term_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = term_on_stop;
	sa.sa_flags = 0;        /* no SA_RESTART: interrupt the key wait */
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, &old_stop[i]);
	sa.sa_handler = term_on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, &old_crash[i]);
}

static void term_signals_restore(void)
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old_stop[i], NULL);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &old_crash[i], NULL);
}

int term_stop_signal(void)
{
	return term_stop;
}

/* Append a terminfo string without its padding ("$<5>"): delays mean
 * nothing to the terminals we meet and cannot be honoured in a handler. */
static void reset_append(char *buf, size_t *n, size_t cap, const char *cap_s)
{
	if (cap_s == NULL || cap_s == (char *)-1)
		return;
	for (const char *p = cap_s; *p && *n + 1 < cap; p++) {
		if (p[0] == '$' && p[1] == '<') {
			const char *end = strchr(p, '>');
			if (end) {
				p = end;
				continue;
			}
		}
		buf[(*n)++] = *p;
	}
}

void term_resized(void)
{
	char buf[sizeof term_reset_seq];
	size_t n = 0;

	if (!term_screen)
		return;
	reset_append(buf, &n, sizeof buf, tigetstr("sgr0"));
	reset_append(buf, &n, sizeof buf, tigetstr("cnorm"));
	if (tigetstr("cup") && tigetstr("cup") != (char *)-1)
		reset_append(buf, &n, sizeof buf,
			     tiparm(tigetstr("cup"), LINES - 1, 0));
	reset_append(buf, &n, sizeof buf, tigetstr("rmkx"));
	reset_append(buf, &n, sizeof buf, tigetstr("rmcup"));
	reset_append(buf, &n, sizeof buf, "\r\n");
	/* The handler may read the buffer at any moment: hide it while it
	 * changes. */
	term_reset_len = 0;
	memcpy(term_reset_seq, buf, n);
	term_reset_len = n;
}

/* ---- themes ------------------------------------------------------------- */

struct theme_entry {
	short fg, bg;           /* colour scheme; -1 = terminal default */
	chtype colour_attr;
	chtype mono_attr;
};

/* Indexed by meaning.  Under monochrome, red and overdue are bold and
 * reversed, amber bold: the letter R/A/G is always printed as well. */
static const struct theme_entry theme_table[THEME_COUNT] = {
	[THEME_NORMAL]    = { COLOR_DEFAULT, COLOR_DEFAULT, A_NORMAL, A_NORMAL },
	[THEME_TITLE]     = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[THEME_KEYBAR]    = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[THEME_KEY]       = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[THEME_HEADER]    = { COLOR_CYAN, COLOR_DEFAULT, A_BOLD, A_BOLD | A_UNDERLINE },
	[THEME_SELECTED]  = { COLOR_DEFAULT, COLOR_DEFAULT, A_REVERSE, A_REVERSE },
	[THEME_RAG_RED]   = { COLOR_RED, COLOR_DEFAULT, A_BOLD, A_BOLD | A_REVERSE },
	[THEME_RAG_AMBER] = { COLOR_YELLOW, COLOR_DEFAULT, A_BOLD, A_BOLD },
	[THEME_RAG_GREEN] = { COLOR_GREEN, COLOR_DEFAULT, A_NORMAL, A_NORMAL },
	[THEME_OVERDUE]   = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[THEME_TRAINING]  = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD | A_REVERSE },
	[THEME_DIM]       = { COLOR_DEFAULT, COLOR_DEFAULT, A_DIM, A_DIM },
	[THEME_ERROR]     = { COLOR_RED, COLOR_DEFAULT, A_BOLD, A_BOLD },
	[THEME_ALERT]     = { COLOR_MAGENTA, COLOR_DEFAULT, A_BOLD, A_BOLD | A_UNDERLINE },
};

/* Colour only when the terminal has it and neither the user (NO_COLOR,
 * non-empty, as no-color.org says) nor the hub's [ui] theme = mono forbids
 * it.  An explicit theme = colour in the user's file overrides NO_COLOR,
 * which no-color.org allows for configuration. */
static int theme_wants_colour(const struct config *cfg)
{
	const char *theme = cfg ? cfg->theme : "auto";
	const char *no_colour = getenv("NO_COLOR");

	if (!has_colors())
		return 0;
	if (!strcasecmp(theme, "mono"))
		return 0;
	if (!strcasecmp(theme, "colour") || !strcasecmp(theme, "color"))
		return 1;
	return !(no_colour && *no_colour);
}

static void theme_setup(const struct config *cfg)
{
	short default_fg = COLOR_DEFAULT, default_bg = COLOR_DEFAULT;

	term_use_colour = theme_wants_colour(cfg);
	/* COLORS is known only once start_color has run. */
	if (term_use_colour && (start_color() == ERR || COLORS < 8))
		term_use_colour = 0;
	/* Keep the user's own background (a light or translucent terminal)
	 * wherever we do not paint a bar. */
	if (term_use_colour && use_default_colors() == ERR) {
		default_fg = COLOR_WHITE;
		default_bg = COLOR_BLACK;
	}
	for (int r = 0; r < THEME_COUNT; r++) {
		const struct theme_entry *t = &theme_table[r];
		short fg = t->fg == COLOR_DEFAULT ? default_fg : t->fg;
		short bg = t->bg == COLOR_DEFAULT ? default_bg : t->bg;

		if (!term_use_colour) {
			theme_attrs[r] = t->mono_attr;
			continue;
		}
		theme_attrs[r] = t->colour_attr;
		if (t->fg == COLOR_DEFAULT && t->bg == COLOR_DEFAULT)
			continue;       /* plain attributes need no pair */
		if (init_pair((short)r, fg, bg) != ERR)
			theme_attrs[r] |= COLOR_PAIR(r);
	}
}

chtype term_attr(enum theme_role role)
{
	return (role >= 0 && role < THEME_COUNT) ? theme_attrs[role] : A_NORMAL;
}

void term_style(WINDOW *w, enum theme_role role)
{
	chtype a = term_attr(role);

	wattr_set(w, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
}

void term_style_on(WINDOW *w, enum theme_role role, enum theme_role base)
{
	chtype a = term_attr(role), b = term_attr(base);
	chtype attrs = (a | b) & ~A_COLOR;
	short pair = (short)PAIR_NUMBER(a & A_COLOR ? a : b);

	if ((a & A_REVERSE) && (b & A_REVERSE))
		attrs &= ~A_REVERSE;
	wattr_set(w, attrs, pair, NULL);
}

/* ---- set-up and restore -------------------------------------------------- */

int term_ascii_only(void)
{
	const char *cs = nl_langinfo(CODESET);

	return !(cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8")));
}

/* Block elements (U+2580..U+259F) for charts need a UTF-8 locale and a
 * terminal that is not of the VT100 family: a real VT100/VT220 (and
 * terminals that emulate only it) has no such glyphs even when the locale
 * is UTF-8.  Called after term_open, so termname() is the terminal's. */
int term_unicode_blocks(void)
{
	const char *t = termname();

	if (term_ascii_only())
		return 0;
	return !(t && (!strncmp(t, "vt", 2) || !strcmp(t, "dumb") ||
		       !strcmp(t, "ansi")));
}

/* stdin/stdout when both are terminals; else /dev/tty (the desk may be
 * started with output piped, e.g. under `script` or a test harness). */
static int term_pick_streams(FILE **in, FILE **out, struct md_error *err)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		*in = stdin;
		*out = stdout;
		return 0;
	}
	term_out = fopen("/dev/tty", "w");
	term_in = term_out ? fopen("/dev/tty", "r") : NULL;
	if (!term_in) {
		if (term_out)
			fclose(term_out);
		term_out = NULL;
		return md_fail(err, EX_UNAVAILABLE, "the desk needs a terminal: "
			       "neither stdin/stdout nor /dev/tty is one (use "
			       "the commands, e.g. `mashdesk queue`, in scripts)");
	}
	*in = term_in;
	*out = term_out;
	return 0;
}

static void term_streams_close(void)
{
	if (term_in)
		fclose(term_in);
	if (term_out)
		fclose(term_out);
	term_in = term_out = NULL;
}

int term_open(const struct config *cfg, struct md_error *err)
{
	FILE *in = NULL, *out = NULL;
	const char *type = getenv("TERM");

	if (term_screen)
		return 0;
	if (!type || !*type)
		return md_fail(err, EX_UNAVAILABLE, "TERM is not set: the desk "
			       "needs to know the terminal type");
	if (term_pick_streams(&in, &out, err))
		return err->code;
	term_fd = fileno(out);
	term_saved_ok = tcgetattr(term_fd, &term_saved) == 0;
	term_stop = 0;
	term_signals_install();
	term_screen = newterm(NULL, out, in);
	if (!term_screen) {
		term_signals_restore();
		term_streams_close();
		return md_fail(err, EX_UNAVAILABLE, "unknown terminal type "
			       "\"%.64s\" (TERM): no terminfo entry", type);
	}
	set_term(term_screen);
	if (!tigetstr("cup") || tigetstr("cup") == (char *)-1) {
		/* e.g. TERM=dumb: a full-screen program cannot work there. */
		term_close();
		return md_fail(err, EX_UNAVAILABLE, "terminal type \"%.64s\" "
			       "cannot move the cursor: the desk needs a full-"
			       "screen terminal (use the commands instead)", type);
	}
	cbreak();
	noecho();
	nonl();                 /* Enter arrives as ^M, distinct from ^J */
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	/* vt100's description has no back-tab, yet terminals and tmux send
	 * ESC [ Z for Shift-Tab: read it as that key, not as Esc then [Z. */
	if (key_defined("\033[Z") == 0)
		define_key("\033[Z", KEY_BTAB);
	leaveok(stdscr, FALSE);
	set_escdelay(25);       /* Esc answers at once, yet arrow keys parse */
	curs_set(1);            /* the cursor marks the selection: keep it */
	theme_setup(cfg);
	term_resized();
	return 0;
}

void term_close(void)
{
	if (!term_screen)
		return;
	endwin();
	term_reset_len = 0;
	delscreen(term_screen);
	term_screen = NULL;
	term_signals_restore();
	term_streams_close();
	fflush(stdout);
}
