/* cli_internal.h - what the command-line files share. */
#ifndef MASHDESK_CLI_INTERNAL_H
#define MASHDESK_CLI_INTERNAL_H

#include <getopt.h>
#include <stdio.h>

#include "mashdesk/config.h"
#include "mashdesk/error.h"
#include "mashdesk/hub.h"

struct cli {
	const char *db_opt;       /* --db */
	const char *config_opt;   /* --config */
	const char *as_login;     /* --as */
	struct config cfg;
	char db_path[PATH_MAX];   /* resolved: --db, $MASHDESK_DB, config, default */
	int db_is_default;        /* 1 when db_path is the XDG default */
	const char *cmd;          /* "referral add", for messages */
	const struct cli_command *command;
	struct md_error err;
	int out_tty;              /* stdout is a terminal */
};

struct cli_command {
	const char *name;         /* "user add" */
	const char *args;         /* "LOGIN --name NAME ..." */
	const char *summary;      /* one line for `mashdesk --help` */
	const char *help;         /* option lines for `mashdesk CMD --help` */
	int (*run)(struct cli *c, int argc, char **argv);
};

/* Print "mashdesk: CMD: message" on stderr and return code. */
int cli_fail(struct cli *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Report err (filled by the core) the same way; returns err->code. */
int cli_fail_err(struct cli *c);

/* getopt_long over a command's options, adding --help.  Returns the option
 * character, -1 at the end, or -2 after printing help (exit 0) / -3 after a
 * usage error (exit 64). */
int cli_getopt(struct cli *c, int argc, char **argv,
	       const struct option *longopts);
#define CLI_HELP_SHOWN (-2)
#define CLI_USAGE_ERROR (-3)
/* `mashdesk CMD --help` (for commands that parse their own options). */
void cli_print_command_help(const struct cli_command *cmd);
int cli_usage(struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* COMMAND FIRST SECOND --OPTION TEXT, the shape of assign, chase mark and
 * consent override ("REF and LOGIN" names the operands in a complaint):
 * 0 with all three set, CLI_HELP_SHOWN after --help, else EX_USAGE (said). */
int cli_pair_and_text(struct cli *c, int argc, char **argv,
		      const char *option, const char *operands,
		      const char **first, const char **second, const char **text);

/* Open the hub at c->db_path and act as the Unix login (or --as). */
int cli_open_hub(struct cli *c, struct hub **hub);
/* The Unix login running this process. */
int cli_unix_login(struct cli *c, char *buf, size_t len);

/* A value on stdout: made inert on a terminal; on a pipe, tab, newline,
 * backslash and other control characters escaped (\t \n \\ \xHH) so every
 * record stays one line of tab-separated fields. */
void cli_put(struct cli *c, const char *s);
/* A value padded or cut to cols terminal columns (terminal output). */
void cli_put_col(struct cli *c, const char *s, int cols);

/* --person 'NAME;RELATIONSHIP[;YYYY-MM-DD][;pr][;perpetrator][;elsewhere]'
 * split in place into p (cli_referral.c); EX_DATAERR (said) when bad. */
int cli_parse_person(struct cli *c, char *spec, struct person_input *p);

/* Strict whole number in [min, max]; else EX_DATAERR naming the option. */
int cli_int(struct cli *c, const char *opt, const char *s, long min, long max,
	    long *out);

/* cli_deploy.c: for an untrusted caller of a setgid mashdesk, keep the
 * hub's group for the system's hub (c->db_path then spelled as the system
 * configuration spells it) and give it up for anything else; refuse to
 * create a hub in the live hub's directory.  0 or the exit status (said). */
int cli_privilege(struct cli *c);
/* 1 for a postgresql:// or postgres:// address (a PostgreSQL hub). */
int cli_is_pg_address(const char *s);
/* For `init` of the hub the system configuration names: the group
 * mashdesk is installed setgid to unless --group gave one, and its
 * directory made the group's (*hub_dir).  0 or the exit status (said). */
int cli_live_hub_group(struct cli *c, const char **group, int *hub_dir);
/* For a caller holding the live hub's group (privilege.h): path (a copy's
 * name, or with is_dir a directory of copies) must be in the system
 * configuration's [backup] dir, which must be root's and the group's
 * alone.  0 (also when no group is held) or the exit status (said). */
int cli_backup_place(struct cli *c, const char *path, int is_dir);
/* 1 when path names a file in a [backup] dir as cli_backup_place wants. */
int cli_backup_dir_holds(struct cli *c, const char *path);
/* The demo hub's path unless --db names one (cli_hub.c). */
int cli_demo_path(struct cli *c);
/* "ID:HASH" as `audit head` prints it; else EX_USAGE (said). */
int cli_parse_anchor(struct cli *c, const char *text, long long *id,
		     char hash[65]);

/* The commands, defined in cli_hub.c and cli_referral.c. */
int cli_cmd_desk(struct cli *c, int argc, char **argv);
int cli_cmd_init(struct cli *c, int argc, char **argv);
int cli_cmd_demo(struct cli *c, int argc, char **argv);
int cli_cmd_generate(struct cli *c, int argc, char **argv);
int cli_cmd_doctor(struct cli *c, int argc, char **argv);
int cli_cmd_audit_verify(struct cli *c, int argc, char **argv);
int cli_cmd_audit_show(struct cli *c, int argc, char **argv);
int cli_cmd_audit_head(struct cli *c, int argc, char **argv);
int cli_cmd_user_add(struct cli *c, int argc, char **argv);
int cli_cmd_user_list(struct cli *c, int argc, char **argv);
int cli_cmd_referral_add(struct cli *c, int argc, char **argv);
int cli_cmd_referral_edit(struct cli *c, int argc, char **argv);   /* cli_details.c */
int cli_cmd_import(struct cli *c, int argc, char **argv);
int cli_cmd_queue(struct cli *c, int argc, char **argv);
int cli_cmd_show(struct cli *c, int argc, char **argv);
int cli_cmd_claim(struct cli *c, int argc, char **argv);
int cli_cmd_assign(struct cli *c, int argc, char **argv);
int cli_cmd_consent_override(struct cli *c, int argc, char **argv);
int cli_cmd_check(struct cli *c, int argc, char **argv);
int cli_cmd_decide(struct cli *c, int argc, char **argv);
/* cli_report.c */
int cli_cmd_report(struct cli *c, int argc, char **argv);
int cli_cmd_export(struct cli *c, int argc, char **argv);
/* cli_supervise.c */
int cli_cmd_board(struct cli *c, int argc, char **argv);
int cli_cmd_chase(struct cli *c, int argc, char **argv);
int cli_cmd_chase_mark(struct cli *c, int argc, char **argv);
int cli_cmd_signoff(struct cli *c, int argc, char **argv);
int cli_cmd_sendback(struct cli *c, int argc, char **argv);
/* A file shipped with mashdesk, `rel` under $(pkgdatadir) ("letter.txt",
 * "scenarios"), into out: the installed one; for a program run from its
 * build tree and not installed (never one run setgid), the copy in the
 * source tree (`in_tree` under it) when none is installed. */
void cli_data_path(const char *rel, const char *in_tree, char *out, size_t len);
/* cli_front.c */
int cli_cmd_screen(struct cli *c, int argc, char **argv);
int cli_cmd_request(struct cli *c, int argc, char **argv);
int cli_cmd_rate(struct cli *c, int argc, char **argv);
int cli_cmd_strategy(struct cli *c, int argc, char **argv);   /* cli_strategy.c */
/* cli_subject.c */
int cli_cmd_subject_access(struct cli *c, int argc, char **argv);
/* cli_feedback.c */
int cli_cmd_feedback(struct cli *c, int argc, char **argv);
int cli_cmd_feedback_letter(struct cli *c, int argc, char **argv);
/* cli_backup.c */
int cli_cmd_backup(struct cli *c, int argc, char **argv);
int cli_cmd_backup_verify(struct cli *c, int argc, char **argv);
int cli_cmd_transfer_out(struct cli *c, int argc, char **argv);
int cli_cmd_transfer_in(struct cli *c, int argc, char **argv);
int cli_cmd_restore(struct cli *c, int argc, char **argv);
/* cli_retention.c */
int cli_cmd_retention(struct cli *c, int argc, char **argv);
int cli_cmd_retention_run(struct cli *c, int argc, char **argv);
int cli_cmd_hold(struct cli *c, int argc, char **argv);
/* cli_scenario.c */
int cli_cmd_scenario_load(struct cli *c, int argc, char **argv);
int cli_cmd_scenario_run(struct cli *c, int argc, char **argv);
int cli_cmd_scenario_reset(struct cli *c, int argc, char **argv);
int cli_cmd_scenario_status(struct cli *c, int argc, char **argv);
int cli_cmd_scenario_debrief(struct cli *c, int argc, char **argv);
int cli_cmd_scenario_records(struct cli *c, int argc, char **argv);

#endif
