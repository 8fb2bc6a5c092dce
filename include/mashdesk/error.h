/* error.h - the one error convention of the core.
 *
 * Every fallible core function returns 0 or a <sysexits.h> code and, when
 * it fails, fills a struct md_error with one human sentence saying what was
 * wrong and where.  Only main.c/cli.c print it; only screens show it. */
#ifndef MASHDESK_ERROR_H
#define MASHDESK_ERROR_H

#include <stddef.h>
#include <sysexits.h>

struct md_error {
	int code;            /* 0 or an EX_* code from <sysexits.h> */
	char msg[768];       /* one line, no trailing newline */
};

/* Record a failure and return its code, so callers can write
 * `return md_fail(err, EX_DATAERR, "...", ...);`.  err may be NULL. */
int md_fail(struct md_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Forget any earlier failure. */
void md_clear(struct md_error *err);

#endif
