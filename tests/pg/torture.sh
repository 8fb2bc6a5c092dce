#!/bin/bash
# torture.sh - tests/e2e/torture.sh on PostgreSQL: eight processes working
# one hub through the command line while a killer SIGKILLs them mid-save;
# every save reported done is there, none half done, no busy error ever
# reached a user.  The hub is a database on a private server.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
need_postgres
pg_slow_test
pg_start
# The torture's own TAP, its exit status this test's.
TORTURE_HUB="postgresql://postgres@127.0.0.1:$PG_PORT/torture" \
	bash "$src/tests/e2e/torture.sh"
