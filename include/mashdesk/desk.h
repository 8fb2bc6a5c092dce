/* desk.h - the full-screen desk (curses front end).
 *
 * desk_run takes over the terminal until the user quits, restoring it on
 * every way out (quit, SIGTERM, SIGHUP, a crash).  The hub is opened and
 * its user set by the caller; the desk only calls the data layer. */
#ifndef MASHDESK_DESK_H
#define MASHDESK_DESK_H

#include "mashdesk/config.h"
#include "mashdesk/error.h"
#include "mashdesk/hub.h"

/* Returns 0 when the user quit, else an EX_* code with err filled (no
 * terminal, terminal unusable...). */
int desk_run(struct hub *hub, const struct config *cfg, struct md_error *err);

/* The signal (SIGTERM, SIGHUP, SIGINT) that ended the last desk_run, or 0.
 * desk_run still returns 0 then, after restoring the terminal; a caller
 * that wants the conventional exit status can close the hub and re-raise
 * it (signal(sig, SIG_DFL); raise(sig)). */
int desk_stop_signal(void);

/* The [keys] validator handed to config_load (see config.h): knows every
 * action name and key spelling. */
int desk_check_key(const char *action, const char *spec, char *why,
		   size_t whylen);

#endif
