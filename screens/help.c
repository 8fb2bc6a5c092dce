/* help.c - the help screen: the keys of the screen below it, generated
 * from the action table with the keys as bound after [keys] overrides,
 * then that screen's own lines (its help_extra), in the pager. */
#include "help.h"

#include <stdio.h>

#include "pager.h"

static int help_fill(void *arg, struct pager_lines *pl, struct md_error *err)
{
	const struct screen *below = arg;
	char line[512];
	int rc = 0;

	rc |= pager_add(pl, 0, THEME_NORMAL, "Keys on this screen (change them "
			"in the [keys] section of mashdesk.ini, by the name in "
			"brackets):");
	rc |= pager_add(pl, 0, THEME_NORMAL, "");
	for (int i = 0; rc == 0 && action_help_line(below->ops->kind, i, line,
						   sizeof line); i++)
		rc |= pager_add(pl, 19, THEME_NORMAL, line);
	if (below->ops->help_extra) {
		rc |= pager_add(pl, 0, THEME_NORMAL, "");
		for (int i = 0; rc == 0 && below->ops->help_extra(i, line,
								  sizeof line); i++)
			rc |= pager_add(pl, line[0] == ' ' ? 4 : 0,
					line[0] == ' ' || !line[0] ?
					THEME_NORMAL : THEME_HEADER, line);
	}
	return rc ? md_fail(err, EX_OSERR, "out of memory building the help") : 0;
}

static const struct screen_ops help_screen_ops =
	PAGER_SCREEN_OPS("Help", SCREEN_HELP);

int help_open(struct desk *d, struct screen *below)
{
	char title[96];
	struct pager_source src = { title, help_fill, below };

	snprintf(title, sizeof title, "Help: %s", below->ops->name);
	return desk_push(d, &help_screen_ops, &src);
}
