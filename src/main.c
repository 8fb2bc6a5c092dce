/* main.c - mashdesk's entry point: everything else is in cli.c. */
#include <locale.h>

#include "mashdesk/cli.h"

int main(int argc, char **argv)
{
	/* Names are UTF-8; curses and wcwidth need the user's locale. */
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
