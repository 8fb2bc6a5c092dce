/* csv.h - an RFC 4180 reader for imports, and a writer for exports.
 *
 * Reads UTF-8 CSV from a stream, one record at a time: quoted fields with
 * commas, doubled quotes and line breaks; CRLF or LF line ends; a leading
 * UTF-8 byte-order mark is skipped.  Invalid UTF-8, a stray quote, an
 * unterminated quoted field or a field over CSV_MAX_FIELD bytes is an error
 * naming the line.  No fixed record count: memory grows with the widest
 * record only. */
#ifndef MASHDESK_CSV_H
#define MASHDESK_CSV_H

#include <stdio.h>
#include "mashdesk/error.h"

#define CSV_MAX_FIELD (1024 * 1024)   /* bytes in one field */
#define CSV_MAX_FIELDS 256            /* fields in one record */

struct csv_reader;

/* name is used in messages ("FILE.csv line 7: ..."). */
struct csv_reader *csv_open(FILE *in, const char *name);
void csv_close(struct csv_reader *r);

/* Read the next record.  Returns 1 with *fields and *nfields set (valid until
 * the next call), 0 at end of input, or an EX_* code (EX_DATAERR for bad
 * data, EX_IOERR for a read error) with err filled.  A completely empty
 * line is skipped.  *line is the physical line the record starts on. */
int csv_next(struct csv_reader *r, char ***fields, int *nfields, long *line,
	     struct md_error *err);

/* Write one record of n fields (NULL = empty) as RFC 4180 CSV with a CRLF
 * line end, quoting only the fields that need it.  0, or -1 on a write
 * error (errno set by stdio). */
int csv_write_record(FILE *out, const char *const *fields, int n);

#endif
