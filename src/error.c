/* error.c - filling struct md_error. */
#include "mashdesk/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int md_fail(struct md_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		/* One line: a message that smuggles a newline in stays one line. */
		for (char *p = err->msg; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		err->code = code;
	}
	return code;
}

void md_clear(struct md_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
