/* shell.h - mashdesk as a login shell and an SSH forced command
 * (src/shell.c), like git-shell: a practitioner's login gets the desk,
 * or runs one mashdesk command, and nothing else.
 *
 * Invoked as mashdesk-shell (a link installed beside mashdesk):
 *
 *   -mashdesk-shell               an interactive login: the desk
 *   mashdesk-shell                (e.g. sshd's ForceCommand under another
 *                                 login shell): $SSH_ORIGINAL_COMMAND, else
 *                                 the desk
 *   mashdesk-shell -c "COMMAND"   COMMAND; when COMMAND is mashdesk-shell
 *                                 itself (sshd runs a forced command
 *                                 through the login shell), as above
 *
 * COMMAND is split into words without a shell: blanks separate words,
 * '...' quotes anything, "..." quotes with \" and \\, a backslash quotes
 * the next character; nothing is expanded or globbed.  What a shell would
 * give a meaning to (; & | < > ( ) ` $, a leading ~ or #) is refused
 * rather than passed on literally.  The first word must be mashdesk (or
 * this program's own path); anything else - sh, sqlite3, scp, sftp-server,
 * internal-sftp, rsync, any other program - is refused. */
#ifndef MASHDESK_SHELL_H
#define MASHDESK_SHELL_H

#include "mashdesk/error.h"

/* 1 when argv[0] names the shell mode ("mashdesk-shell", "-mashdesk-shell",
 * or a path ending in /mashdesk-shell). */
int shell_invoked(const char *argv0);

/* Split line into words as described above.  On success *words is a
 * NULL-terminated array (free with shell_free) and *n its length; else
 * EX_USAGE with the reason in err. */
int shell_split(const char *line, char ***words, int *n, struct md_error *err);
void shell_free(char **words);

/* Whether path (a word with a '/') is this very program; supplied by the
 * caller (main.c compares real paths), so this module stays pure. */
typedef int (*shell_same_program_fn)(const char *path);

/* What the shell mode runs: from the process's argc/argv and the value of
 * $SSH_ORIGINAL_COMMAND (NULL if unset), the argument vector for
 * cli_main() ({"mashdesk", NULL} for the desk).  0 with *out set (free
 * with shell_free), else EX_USAGE or EX_NOPERM with one sentence. */
int shell_command(int argc, char **argv, const char *original,
		  shell_same_program_fn same, char ***out, int *outc,
		  struct md_error *err);

#endif
