/* config.h - the hub's INI configuration, read with iniparser.
 *
 * Where the file comes from (first that exists wins): --config,
 * $MASHDESK_CONFIG, $XDG_CONFIG_HOME/mashdesk/mashdesk.ini (or
 * ~/.config/...), $(sysconfdir)/mashdesk/mashdesk.ini, else built-in
 * defaults.  An explicitly named file (--config, $MASHDESK_CONFIG) that does
 * not exist is an error; the implicit locations are simply skipped.
 *
 * Every section and key is known: an unknown one, a syntax error or a bad
 * value fails with EX_CONFIG and a message naming file, section and key. */
#ifndef MASHDESK_CONFIG_H
#define MASHDESK_CONFIG_H

#include <limits.h>
#include "mashdesk/clock.h"
#include "mashdesk/error.h"

#define CONFIG_MAX_KEYS 64

/* [retention] values besides a number of months (1..MAX_MONTHS). */
#define CONFIG_RETAIN_FOREVER 0        /* "0", or "" for the kinds' keys */
#define CONFIG_RETAIN_AGE25 (-1)       /* "age25" */
#define CONFIG_RETAIN_UNSET (-2)       /* "" for contact_closed_OUTCOME */
#define CONFIG_RETAIN_MAX_MONTHS 1200  /* a hundred years */

struct config_key {
	char action[32];   /* action name, e.g. "claim" */
	char keys[64];     /* key spec as written, e.g. "c" or "^K, x" */
};

struct config {
	char source[PATH_MAX];      /* file that was read; "" = built-in defaults */

	/* [hub] */
	char hub_name[128];         /* name = ; default "MASH" */

	/* [database] */
	char db_path[PATH_MAX];     /* path = ; "" = not set (leading ~/ expanded) */
	char db_url[PATH_MAX];      /* url = postgresql://... ; "" = not set */
	int busy_timeout_ms;        /* busy_timeout_ms = ; default 5000, 100..600000 */

	/* [locking] */
	int lease_seconds;          /* default 300, 30..86400 */
	int heartbeat_seconds;      /* default 30, 1..3600, and < lease_seconds */

	/* [timescales] hours, 1..720 */
	int decision_hours;         /* default 24 */
	int check_red_hours;        /* default 2 */
	int check_amber_hours;      /* default 6 */
	int check_green_hours;      /* default 24 */
	/* The decision's hours by RAG (the deadline a rating brings forward,
	 * and a contact rated at intake); 0 = not set: decision_hours. */
	int decision_red_hours;     /* "" or 1..720, default "" */
	int decision_amber_hours;
	int decision_green_hours;
	/* A strategy discussion is due within these hours of the threshold
	 * (a red rating, or a decision s47 or immediate-protection) and of a
	 * discussion that reconvenes; 1..720, default 24 */
	int strategy_hours;
	/* Feedback to the referrer (hub_feedback.h): the acknowledgement's
	 * hours from receipt, the outcome's from the decision (or closing at
	 * screening); default 24 each, 1..720 */
	int feedback_acknowledgement_hours;
	int feedback_outcome_hours;

	/* [clocks] how the timescales' hours are counted (clock.h) */
	struct clock_work work;     /* working_hours = yes|no (default no) and
				     * the three keys below, parsed */
	char working_day[16];       /* working_day = ; default "09:00-17:00" */
	char working_days[64];      /* working_days = ; default "Mon-Fri" */
	char bank_holidays[1024];   /* bank_holidays = ; default "" (none) */

	/* [decision] */
	int two_person_rule;        /* yes|no, default no: a supervisor other
				     * than the decider signs each decision off */

	/* [permissions] */
	char screen_agencies[128];  /* agencies whose practitioners and
				     * supervisors screen, rate and ask for
				     * checks; "" = the built-in rule (csc) */

	/* [backup] (hub_backup.h) */
	char backup_dir[PATH_MAX];  /* dir = ; where copies go ("" = not set);
				     * on a hub host the only place they may */
	int backup_keep;            /* keep = ; the newest N copies, 0 = all */
	int backup_warn_hours;      /* warn_hours = ; doctor warns when the
				     * newest copy is older; default 26 */

	/* [retention] (hub_retention.h): how long closed records are kept,
	 * each CONFIG_RETAIN_FOREVER (0, the default: the hub sets its own
	 * policy), a number of months from the record's closing, or
	 * CONFIG_RETAIN_AGE25 (until the child's 25th birthday). */
	int retain_contact;             /* contact_closed = ; contacts closed
					 * at screening */
	int retain_contact_nfa;         /* contact_closed_OUTCOME = ; one
					 * outcome's own period, or */
	int retain_contact_advice;      /* CONFIG_RETAIN_UNSET (""):
					 * contact_closed's */
	int retain_contact_early_help;
	int retain_contact_allocated;
	int retain_no_further;          /* referral_no_further = ; referrals
					 * decided nfa, advice or early-help */
	int retain_assessed;            /* referral_assessed = ; decided s17,
					 * s47 or immediate-protection */
	/* [feedback] */
	char letter_template[PATH_MAX];   /* letter_template = ; "" = the
					   * installed letter.txt */

	/* [ui] */
	char theme[16];             /* auto | colour | color | mono ; default auto */
	int refresh_ms;             /* default 500, 50..10000 */
	/* The queue filter a desk opens on (a look key: it changes only what
	 * the desk shows): auto | all | mine | unassigned | overdue | checks;
	 * auto = "checks" (Our checks) for a user of an agency other than
	 * csc, "all" otherwise. */
	char first_filter[16];

	/* [keys] action = key[, key...] */
	struct config_key keys[CONFIG_MAX_KEYS];
	int nkeys;
};

/* Validates one [keys] entry; returns 0 when good, else writes why into
 * `why` (e.g. "unknown action" or "Ctrl-S is flow control").  Supplied by
 * the caller (main.c passes the desk's action table), so the core needs no
 * knowledge of the UI. */
typedef int (*config_key_check_fn)(const char *action, const char *spec,
				   char *why, size_t whylen);

/* Fill cfg with the built-in defaults. */
void config_defaults(struct config *cfg);

/* Find and load the configuration as described above.  explicit_path is
 * --config or NULL.  sysconfdir is the build's $(sysconfdir).  check may be
 * NULL (then [keys] entries are accepted as written).  On failure cfg holds
 * defaults and the return is EX_CONFIG (or EX_NOINPUT for a file that cannot
 * be read: a named file that is missing, or any file found that cannot be
 * opened or is a directory; EX_OSERR if memory runs out), with a message
 * naming file, section and key. */
int config_load(struct config *cfg, const char *explicit_path,
		const char *sysconfdir, config_key_check_fn check,
		struct md_error *err);

/* The same for an untrusted caller of a setgid mashdesk (privilege.h):
 * $(sysconfdir)/mashdesk/mashdesk.ini, if there, sets anything (where the
 * live hub is and its rules); then the user's own file (--config, else
 * $MASHDESK_CONFIG, else $XDG_CONFIG_HOME/mashdesk/mashdesk.ini), if any,
 * is read over it and may set only [ui] and [keys]: any other key is
 * EX_CONFIG naming file, section and key and saying it belongs in the
 * system configuration.  Every file is read with the user's own rights. */
int config_load_split(struct config *cfg, const char *explicit_path,
		      const char *sysconfdir, config_key_check_fn check,
		      struct md_error *err);

/* Load exactly this file (used by config_load and by tests). */
int config_load_file(struct config *cfg, const char *path,
		     config_key_check_fn check, struct md_error *err);

/* Hours allowed for an agency check at this RAG ("red"/"amber"/"green");
 * an unknown or NULL rag gets the green timescale. */
int config_check_hours(const struct config *cfg, const char *rag);

/* Hours allowed for the decision at this RAG: [timescales]
 * decision_RAG_hours when set, else decision_hours (also for an unknown
 * or NULL rag). */
int config_decision_hours(const struct config *cfg, const char *rag);

#endif
