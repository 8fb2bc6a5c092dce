/* fixture.h - where a unit test's hub lives: a file in the test's own
 * temporary directory, or, when $MASHDESK_TEST_PG names a PostgreSQL
 * cluster as an address ending in '/' (tests/pg/units.sh sets it), a new
 * database there that hub_create makes, so that the same test runs on
 * either engine.  Criterion runs each test in a process of its own: the
 * pid keeps two tests' databases apart. */
#ifndef MASHDESK_TEST_FIXTURE_H
#define MASHDESK_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void fixture_hub_path(char *path, size_t len, const char *dir)
{
	static int n;
	const char *pg = getenv("MASHDESK_TEST_PG");
	if (pg && *pg)
		snprintf(path, len, "%st_%ld_%d", pg, (long)getpid(), ++n);
	else
		snprintf(path, len, "%s/hub.db", dir);
}

/* The shell command that runs sql on the hub at path and prints the
 * result, one value a line: sqlite3 on a file, psql on a database.  sql
 * is the test's own text, double quotes and backslashes not allowed. */
static inline void fixture_sql_command(char *cmd, size_t len, const char *path,
				       const char *sql)
{
	if (strncmp(path, "postgresql://", 13) == 0)
		snprintf(cmd, len, "psql -X -q -At -v ON_ERROR_STOP=1 '%s' -c \"%s\"",
			 path, sql);
	else
		snprintf(cmd, len, "sqlite3 '%s' \"%s\"", path, sql);
}

#endif
