/* scenario_internal.h - what scenario.c and scenario_fields.c share. */
#ifndef MASHDESK_SCENARIO_INTERNAL_H
#define MASHDESK_SCENARIO_INTERNAL_H

#include <stddef.h>

#include "mashdesk/scenario.h"

/* EX_DATAERR with "FILE:LINE: [section] key: " and the complaint. */
int scenario_fail(struct md_error *err, const char *path,
		  const struct scen_item *item, const char *key,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A value quoted back in a message: at most 60 bytes, and inert. */
const char *scenario_quote(char *buf, size_t len, const char *s);

#endif
