/* fuzz_csv.c - libFuzzer target for the CSV reader.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *       src/csv.c src/error.c src/text.c tests/fuzz/fuzz_csv.c -o fuzz_csv
 *   ./fuzz_csv -max_total_time=60
 *
 * Beyond "no crash, no leak" it checks what importers rely on, and aborts
 * (a finding) when a promise is broken: every record has 1 to
 * CSV_MAX_FIELDS fields of valid UTF-8 within CSV_MAX_FIELD bytes, records
 * start on increasing lines, and an error is one line naming the file. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* fmemopen */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/csv.h"
#include "mashdesk/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(char **fields, int n, long line, long prev)
{
	if (n < 1 || n > CSV_MAX_FIELDS || line <= prev || fields[n])
		abort();
	for (int i = 0; i < n; i++) {
		size_t len = strlen(fields[i]);

		if (len > CSV_MAX_FIELD || !text_valid_utf8(fields[i], len))
			abort();
	}
}

static void check_error(int rc, const struct md_error *err)
{
	if ((rc != EX_DATAERR && rc != EX_IOERR) || err->code != rc)
		abort();
	if (strncmp(err->msg, "fuzz.csv line ", 14) != 0 ||
	    strchr(err->msg, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Mode "r" never writes, so libFuzzer's input stays untouched. */
	FILE *f = fmemopen((void *)data, size, "r");
	struct csv_reader *r;
	struct md_error err;
	char **fields;
	int n, rc;
	long line, prev = 0;

	if (!f)
		return 0;
	r = csv_open(f, "fuzz.csv");
	if (!r) {
		fclose(f);
		return 0;
	}
	md_clear(&err);
	while ((rc = csv_next(r, &fields, &n, &line, &err)) == 1) {
		check_record(fields, n, line, prev);
		prev = line;
	}
	if (rc != 0)
		check_error(rc, &err);
	csv_close(r);
	fclose(f);
	return 0;
}
