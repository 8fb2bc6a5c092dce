/* main.c - mashdesk's entry point: the process's privileges first
 * (privilege.h), then either the shell mode (invoked as mashdesk-shell, a
 * login shell or SSH forced command: shell.h) or the command line. */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mashdesk/cli.h"
#include "mashdesk/privilege.h"
#include "mashdesk/shell.h"

/* A word of a shell command naming this very program by a path. */
static int main_same_program(const char *path)
{
	char self[PATH_MAX], other[PATH_MAX];
	int same = 0;
	if (user_files_begin() != 0)
		return 0;
	if (realpath("/proc/self/exe", self) && realpath(path, other))
		same = strcmp(self, other) == 0;
	user_files_end();
	return same;
}

static int main_shell(int argc, char **argv)
{
	struct md_error err = { 0 };
	char **args;
	int n;
	if (shell_command(argc, argv, getenv("SSH_ORIGINAL_COMMAND"),
			  main_same_program, &args, &n, &err) != 0) {
		fprintf(stderr, "mashdesk-shell: %s\n", err.msg);
		return err.code;
	}
	int status = cli_main(n, args);
	shell_free(args);
	return status;
}

int main(int argc, char **argv)
{
	struct md_error err = { 0 };
	/* Before anything reads the environment or opens a file. */
	if (priv_start(&err) != 0) {
		fprintf(stderr, "mashdesk: %s\n", err.msg);
		return err.code;
	}
	/* Names are UTF-8; curses and wcwidth need the user's locale. */
	setlocale(LC_ALL, "");
	/* The hub is shared by a group and closed to everyone else.  SQLite
	 * creates the -wal and -shm files beside it and only then widens them
	 * to the hub's mode: with a umask of 022, another user's desk opening
	 * in that instant found the shared memory read-only and could never
	 * save (seen in tests/e2e/ssh.sh).  Create group-writable from the
	 * start, and nothing for others. */
	umask(007);
	if (argc > 0 && shell_invoked(argv[0]))
		return main_shell(argc, argv);
	return cli_main(argc, argv);
}
