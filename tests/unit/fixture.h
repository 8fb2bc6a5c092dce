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

/* 1 when the tests' hubs are PostgreSQL databases ($MASHDESK_TEST_PG). */
static inline int fixture_on_pg(void)
{
	const char *pg = getenv("MASHDESK_TEST_PG");
	return pg && *pg;
}

static inline int fixture_is_pg(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0;
}

/* sql run on the hub at path by psql (PostgreSQL hubs; a SQLite test
 * keeps its own C): 0 when it ran. */
static inline int fixture_pg_exec(const char *path, const char *sql)
{
	char cmd[4096];
	fixture_sql_command(cmd, sizeof cmd, path, sql);
	return system(cmd) == 0 ? 0 : -1;
}

/* The first column of sql's first row as an integer: -1 with no row, -2
 * when it is NULL (psql prints nothing for it). */
static inline long long fixture_pg_int(const char *path, const char *sql)
{
	char cmd[4096], out[64] = "";
	fixture_sql_command(cmd, sizeof cmd, path, sql);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	int got = fgets(out, sizeof out, p) != NULL;
	pclose(p);
	if (!got)
		return -1;
	return out[0] == '\n' || out[0] == '\0' ? -2 : strtoll(out, NULL, 10);
}

/* The first column of sql's first row as text into buf ("" for none). */
static inline void fixture_pg_text(const char *path, const char *sql,
				   char *buf, size_t len)
{
	char cmd[4096];
	fixture_sql_command(cmd, sizeof cmd, path, sql);
	buf[0] = '\0';
	FILE *p = popen(cmd, "r");
	if (!p)
		return;
	if (fgets(buf, (int)len, p))
		buf[strcspn(buf, "\n")] = '\0';
	pclose(p);
}

#endif
