/* actions.h - the one table of everything a key can do at the desk.
 *
 * Every action is declared once, in ACTION_LIST below (tig's request.h
 * idea): its name as written in the INI [keys] section, its default keys,
 * the short label the key bar shows, the sentence the help screen shows,
 * the screens it works on, the screens whose key bar names it, and the
 * screen it opens, if any.  The enum, the bindings, the key bar, the help
 * screen and the desk's openers are all generated from that list, so they
 * cannot drift apart.
 *
 * Keys are ints: a Unicode code point for a character (controls included:
 * Ctrl-K is 0x0B, Enter 0x0D, Esc 0x1B), or ACTION_KEY_FN(code) for a
 * curses function key (KEY_UP...).  Nothing here calls curses, so the
 * parser, the formatter and the generated texts are unit-tested without a
 * terminal. */
#ifndef MASHDESK_ACTIONS_H
#define MASHDESK_ACTIONS_H

#include <stddef.h>

/* Kinds of screen: one line each, X(ID, what it is).  Each kind is a bit
 * (SCREEN_QUEUE...), so one action can work on several; SCREEN_ALL and
 * SCREEN_LISTS follow from the list, so a new kind is one line here. */
#define SCREEN_KIND_LIST(X) \
	X(QUEUE, "the referral queue") \
	X(REFERRAL, "one referral, a panel per agency") \
	X(FORM, "a form: agency check, joint decision, a supervisor's note") \
	X(PAGER, "read-only text: an audit trail, a form's guide") \
	X(HELP, "the help screen") \
	X(BOARD, "supervisors' lists: board, held work, chase") \
	X(REPORT, "the reports: figures, bars, sparklines") \
	X(TRAINER, "the trainer's scenario screen") \
	X(DEBRIEF, "the scenario's debrief")

enum screen_kind_index {
#define SCREEN_KIND_INDEX(id, about) SCREEN_INDEX_##id,
	SCREEN_KIND_LIST(SCREEN_KIND_INDEX)
#undef SCREEN_KIND_INDEX
	SCREEN_KINDS                    /* how many there are */
};

enum screen_kind {
#define SCREEN_KIND_BIT(id, about) SCREEN_##id = 1 << SCREEN_INDEX_##id,
	SCREEN_KIND_LIST(SCREEN_KIND_BIT)
#undef SCREEN_KIND_BIT
};

#define SCREEN_NONE     0x00u
#define SCREEN_ALL      ((1u << SCREEN_KINDS) - 1u)
/* The screens that scroll a list of lines: every kind but a form (where
 * Space, Home, End and letters edit). */
#define SCREEN_LISTS    (SCREEN_ALL & ~(unsigned)SCREEN_FORM)

/* X(ID, name, default keys, bar label, help text, works on, named in bar on,
 *   opens)
 *
 * opens: OPENS(fn) when the action opens a screen from wherever it works,
 * fn being that screen's `int fn(struct desk *d)` (declared in the
 * screen's header; it checks permission itself and says why not on the
 * message line); NO_SCREEN otherwise.  Only src/desk.c expands this
 * column: it declares and tables the openers and calls one when the top
 * screen leaves its action unhandled, so a key that opens a screen needs
 * no case in any screen's key handler.  Everything else here ignores it,
 * so the table stays free of curses and of the screens. */
#define ACTION_LIST(X) \
	X(QUIT, "quit", "q", "Quit", \
	  "Leave the desk.", \
	  SCREEN_QUEUE, SCREEN_QUEUE, \
	  NO_SCREEN) \
	X(SEARCH, "search", "/", "Search", \
	  "Search by child name, alias or reference as you type; Enter keeps " \
	  "the search, Esc clears it.", \
	  SCREEN_QUEUE, SCREEN_QUEUE, \
	  NO_SCREEN) \
	X(FILTER, "filter", "f", "Filter", \
	  "Show all referrals, then mine, then unassigned, then overdue, then " \
	  "Our checks (your agency's checks still to do, late first); on " \
	  "the chase list, one agency after another.", \
	  SCREEN_QUEUE | SCREEN_BOARD, SCREEN_QUEUE | SCREEN_BOARD, \
	  NO_SCREEN) \
	X(CLAIM, "claim", "c", "Claim", \
	  "Take the selected (or open) unassigned referral as your own.", \
	  SCREEN_QUEUE | SCREEN_REFERRAL, SCREEN_QUEUE | SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(OPEN, "open", "Enter", "Open", \
	  "Open the selected referral or prior referral, or confirm; on the " \
	  "board, open the selected person's work.", \
	  SCREEN_QUEUE | SCREEN_REFERRAL | SCREEN_BOARD, \
	  SCREEN_QUEUE | SCREEN_REFERRAL | SCREEN_BOARD, \
	  NO_SCREEN) \
	X(TRAINER, "trainer", "t", "Trainer", \
	  "Open the trainer's screen: the scenario's clock, who is at the " \
	  "exercise and what has arrived (trainers, on training hubs).", \
	  SCREEN_QUEUE, SCREEN_QUEUE, \
	  OPENS(trainer_open)) \
	X(BOARD, "board", "w", "Board", \
	  "Open the workload board (supervisors): who holds what, what is " \
	  "overdue, and late agency checks.", \
	  SCREEN_QUEUE, SCREEN_QUEUE, \
	  OPENS(board_open)) \
	X(MARK, "mark", "Space, m", "Mark", \
	  "Mark or unmark the selected referral, to reassign several at once " \
	  "(supervisors).", \
	  SCREEN_QUEUE | SCREEN_BOARD, SCREEN_BOARD, \
	  NO_SCREEN) \
	X(MARK_OVERDUE, "mark-overdue", "o", "Overdue", \
	  "Mark every overdue referral in the list; on the board, open the " \
	  "selected person's overdue work with all of it marked.", \
	  SCREEN_QUEUE | SCREEN_BOARD, SCREEN_BOARD, \
	  NO_SCREEN) \
	X(REASSIGN, "reassign", "a", "Reassign", \
	  "Reassign the marked referrals (or the selected one) to another " \
	  "practitioner, with a reason (supervisors).", \
	  SCREEN_QUEUE | SCREEN_BOARD, SCREEN_BOARD, \
	  NO_SCREEN) \
	X(CHASE, "chase", "C", "Chase", \
	  "Open the chase list of agency checks still open, late first; on " \
	  "it, record that you chased the agency, with a note.", \
	  SCREEN_QUEUE | SCREEN_BOARD, SCREEN_BOARD, \
	  OPENS(chase_open)) \
	X(REPORTS, "reports", "R", "Reports", \
	  "Open the hub's reports: turnaround, agency checks, outcomes and " \
	  "repeat referrals, drawn as bars and sparklines (supervisors and " \
	  "admins).", \
	  SCREEN_QUEUE, SCREEN_QUEUE, \
	  OPENS(reports_open)) \
	X(PERIOD, "period", "p", "Period", \
	  "Change the reports' period: all time, then the last 4, 13 and 52 " \
	  "weeks.", \
	  SCREEN_REPORT, SCREEN_REPORT, \
	  NO_SCREEN) \
	X(DECIDE, "decide", "d", "Decide", \
	  "Open the joint decision form.", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(EDIT, "edit", "e", "Edit", \
	  "Edit your own agency's panel.", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(AUDIT, "audit", "A", "Audit", \
	  "Show who saw and did what on this referral, and who was turned " \
	  "away (supervisors; trainers on a training hub).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(SAVE, "save", "^X", "Save", \
	  "Save the form.", \
	  SCREEN_FORM, SCREEN_FORM, \
	  NO_SCREEN) \
	X(GUIDE, "guide", "^G", "Guide", \
	  "Show the guide for this form (lawful bases, consent and the " \
	  "golden rules of sharing; outcomes and levels of need) and its keys.", \
	  SCREEN_FORM, SCREEN_FORM, \
	  NO_SCREEN) \
	X(BACK, "back", "Esc", "Back", \
	  "Go back or cancel; on the queue, clear the search.", \
	  SCREEN_ALL, SCREEN_ALL & ~SCREEN_QUEUE, \
	  NO_SCREEN) \
	X(NEXT_PANEL, "next-panel", "Tab", "Next", \
	  "Move to the next panel or field; on the reports, the next report.", \
	  SCREEN_REFERRAL | SCREEN_FORM | SCREEN_REPORT, \
	  SCREEN_REFERRAL | SCREEN_FORM | SCREEN_REPORT, \
	  NO_SCREEN) \
	X(PREV_PANEL, "prev-panel", "BTab, ^P", "Prev", \
	  "Move to the previous panel or field; on the reports, the previous " \
	  "report.", \
	  SCREEN_REFERRAL | SCREEN_FORM | SCREEN_REPORT, SCREEN_NONE, \
	  NO_SCREEN) \
	X(OVERRIDE, "override", "O", "Override", \
	  "Override the consent refusal recorded on the agency panel with " \
	  "the focus, saying why (supervisors).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(SIGNOFF, "signoff", "S", "Sign off", \
	  "Sign off the decision awaiting sign-off (supervisors other than " \
	  "its decider).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(SENDBACK, "sendback", "B", "Send back", \
	  "Send the decision awaiting sign-off back for a new one, with a " \
	  "comment (supervisors).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(SCREEN, "screen", "s", "Screen", \
	  "Screen this contact: progress it to the hub's checks (RAG, level, " \
	  "the agencies to ask, why) or close it (an outcome and why).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(RATE, "rate", "r", "Rate", \
	  "Change the RAG rating, saying why; raising it brings the due times " \
	  "forward, lowering keeps them.", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(REQUEST, "request", "a", "Ask", \
	  "Ask more agencies for their checks on this referral, saying why.", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(FEEDBACK, "feedback", "F", "Feedback", \
	  "Record feedback given to the referrer: the acknowledgement or the " \
	  "outcome, how and what was said (never a restricted entry).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(EDIT_DETAILS, "edit-details", "E", "Details", \
	  "Edit the referral's details: the child, household, referrer, " \
	  "concern and consent (not once it is decided or closed).", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN) \
	X(UP, "up", "k, Up", "Up", \
	  "Move up one line.", \
	  SCREEN_LISTS | SCREEN_FORM, SCREEN_NONE, \
	  NO_SCREEN) \
	X(DOWN, "down", "j, Down", "Down", \
	  "Move down one line.", \
	  SCREEN_LISTS | SCREEN_FORM, SCREEN_NONE, \
	  NO_SCREEN) \
	X(PAGE_DOWN, "page-down", "PgDn, Space", "Page", \
	  "Move down one page.", \
	  SCREEN_LISTS, SCREEN_REFERRAL | SCREEN_PAGER | SCREEN_HELP | \
	  SCREEN_TRAINER | SCREEN_DEBRIEF, \
	  NO_SCREEN) \
	X(PAGE_UP, "page-up", "PgUp, b", "Page up", \
	  "Move up one page.", \
	  SCREEN_LISTS, SCREEN_NONE, \
	  NO_SCREEN) \
	X(TOP, "top", "Home, g", "Top", \
	  "Go to the first line.", \
	  SCREEN_LISTS, SCREEN_NONE, \
	  NO_SCREEN) \
	X(BOTTOM, "bottom", "End, G", "Bottom", \
	  "Go to the last line.", \
	  SCREEN_LISTS, SCREEN_NONE, \
	  NO_SCREEN) \
	X(REFRESH, "refresh", "^L", "Redraw", \
	  "Read the hub again and redraw the whole screen.", \
	  SCREEN_ALL, SCREEN_NONE, \
	  NO_SCREEN) \
	X(HELP, "help", "?", "Help", \
	  "Show the keys of this screen (again to close).", \
	  SCREEN_ALL, SCREEN_ALL, \
	  NO_SCREEN) \
	X(DEBRIEF, "debrief", "r", "Debrief", \
	  "Show the debrief: each trainee's decisions against the model " \
	  "answers, with scores.", \
	  SCREEN_TRAINER, SCREEN_TRAINER, \
	  OPENS(debrief_open)) \
	X(NEW_CONTACT, "new-contact", "n", "New", \
	  "Take in a new contact: the child, household, referrer, what " \
	  "happened and consent, with the prior history shown as you type.", \
	  SCREEN_QUEUE, SCREEN_QUEUE, \
	  OPENS(contact_form_open_new)) \
	X(ADD_PERSON, "add-person", "^N", "Add person", \
	  "On the contact form: add a household member or significant adult.", \
	  SCREEN_FORM, SCREEN_FORM, \
	  NO_SCREEN) \
	X(REMOVE_PERSON, "remove-person", "^K", "Remove person", \
	  "On the contact form: remove the household member or significant " \
	  "adult whose row has the focus.", \
	  SCREEN_FORM, SCREEN_FORM, \
	  NO_SCREEN) \
	X(STRATEGY, "strategy", "t", "Strategy", \
	  "Record a strategy discussion: when and how it was held, who took " \
	  "part for police, social care and health (and others), what was " \
	  "shared, the section 47 decision, actions, and whether to reconvene.", \
	  SCREEN_REFERRAL, SCREEN_REFERRAL, \
	  NO_SCREEN)

enum action {
	ACTION_NONE = 0,
#define ACTION_ENUM(id, name, keys, label, help, on, bar, opens) ACTION_##id,
	ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_COUNT
};

/* Function keys live above every Unicode code point. */
#define ACTION_KEY_FN_BIT 0x200000
#define ACTION_KEY_FN(code) (ACTION_KEY_FN_BIT | (code))
#define ACTION_KEY_IS_FN(key) (((key) & ACTION_KEY_FN_BIT) != 0)

#define ACTION_KEY_ENTER 0x0D
#define ACTION_KEY_ESC   0x1B
#define ACTION_KEY_TAB   0x09

#define ACTION_MAX_KEYS 4       /* keys per action */
#define ACTION_KEY_NAME_MAX 16  /* "Backspace", "^K", "PgDn", a UTF-8 char */
#define ACTION_KEYS_TEXT_MAX (ACTION_MAX_KEYS * (ACTION_KEY_NAME_MAX + 2))

/* ---- the table ------------------------------------------------------- */

const char *action_name(enum action a);
const char *action_label(enum action a);
const char *action_help(enum action a);
/* SCREEN_* bits the action works on. */
unsigned action_screens(enum action a);
/* ACTION_NONE when no action has that name. */
enum action action_from_name(const char *name);

/* ---- key specs ----------------------------------------------------------- */

/* Fold the spellings of one key together: KEY_ENTER and ^M are Enter,
 * ^H, DEL and KEY_BACKSPACE are Backspace. */
int action_key_normalise(int key);

/* Parse one key ("c", "^K", "Enter", "PgDn", "F5", "é") into *key.
 * Returns 0, or -1 with a reason in why (unknown key, flow control...). */
int action_key_parse(const char *spec, int *key, char *why, size_t whylen);

/* A printable character key as UTF-8 in out (NUL-terminated), for text
 * typed into a search or field.  Returns its length, or 0 when the key is
 * a control or function key. */
size_t action_key_char(int key, char out[5]);

/* The canonical spelling of a key (what action_key_parse reads back). */
void action_key_format(int key, char *buf, size_t len);

/* ---- bindings ------------------------------------------------------------- */

/* Bind every action to its default keys. */
void action_bind_defaults(void);

/* Replace one action's keys (INI [keys] override).  A key taken this way
 * is removed from any other action that works on the same screens, so one
 * key never means two things.  Returns 0 or -1 with why. */
int action_bind(const char *name, const char *list, char *why, size_t whylen);

/* The action this key means on this kind of screen, or ACTION_NONE. */
enum action action_for_key(int key, unsigned screen);

/* The action's keys as bound now, "k, Up" (or "" when unbound).  With
 * first_only, just one key for the key bar: the first that is not a
 * function key when there is one, because thin terminals may lack them. */
void action_keys_text(enum action a, int first_only, char *buf, size_t len);

/* ---- generated texts ------------------------------------------------------ */

/* The key bar of a screen kind, fitted to cols columns, e.g.
 * "q Quit  / Search  f Filter ...  ? Help": the actions the table names in
 * that kind's bar, less those shows(a, arg) leaves out (shows NULL: none),
 * which is how a screen keeps out what the hub would refuse now.  Help is
 * always kept, so the way to find every other key is never cut off.  When
 * spans is not NULL it receives, for each item, the byte offset and length
 * of its key part, so the caller can set the keys bold; returns the number
 * of items. */
struct action_span {
	size_t off, len;
};
int action_keybar(unsigned screen, int cols, char *buf, size_t len,
		  struct action_span *spans, int maxspans,
		  int (*shows)(enum action a, void *arg), void *arg);

/* Line i of the help for a screen kind ("  k, Up        Up: Move up one
 * line."): returns 1 while there is such a line, 0 after the last. */
int action_help_line(unsigned screen, int i, char *buf, size_t len);

#endif
