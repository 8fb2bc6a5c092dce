/* main.c - mashdesk's entry point: everything else is in cli.c. */
#include <locale.h>
#include <sys/stat.h>

#include "mashdesk/cli.h"

int main(int argc, char **argv)
{
	/* Names are UTF-8; curses and wcwidth need the user's locale. */
	setlocale(LC_ALL, "");
	/* The hub is shared by a group and closed to everyone else.  SQLite
	 * creates the -wal and -shm files beside it and only then widens them
	 * to the hub's mode: with a umask of 022, another user's desk opening
	 * in that instant found the shared memory read-only and could never
	 * save (seen in tests/e2e/ssh.sh).  Create group-writable from the
	 * start, and nothing for others. */
	umask(007);
	return cli_main(argc, argv);
}
