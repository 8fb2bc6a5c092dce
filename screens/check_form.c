/* check_form.c - placeholder until the check form lands. */
#include "forms.h"

int check_form_open(struct desk *d, const char *ref, struct md_error *err)
{
	(void)d;
	return md_fail(err, EX_UNAVAILABLE, "editing %s's check is not built yet", ref);
}
