/* decision_form.c - placeholder until the decision form lands. */
#include "forms.h"

int decision_form_open(struct desk *d, const char *ref, struct md_error *err)
{
	(void)d;
	return md_fail(err, EX_UNAVAILABLE, "the decision form for %s is not built yet", ref);
}
