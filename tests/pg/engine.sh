#!/bin/bash
# engine.sh - the PostgreSQL engine (src/hub_db_pg.c) against a real server.
#
# Starts a private server (tests/pg/lib.sh: loopback only, stopped and
# removed however the test ends), adds a role that must give a password
# (scram-sha-256 for it alone; everyone else keeps trust), and runs
# tests/pg/engine (tests/pg/engine.c) as the superuser "postgres" over TCP.
# The program prints the TAP lines itself: placeholders, binding and
# reading, rows, booleans and sums, changes, constraint and trigger
# refusals, lock_timeout as DB_BUSY, LISTEN/NOTIFY, unreachable server,
# wrong password, and a session the server ends.
# Skipped without libpq (the program is not built) or without the server.
# MASHDESK_PG_ENGINE names the program (default: next to $MASHDESK);
# PG_ENGINE_WRAPPER runs it under another program (valgrind ...).
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

prog=${MASHDESK_PG_ENGINE:-$(dirname "${MASHDESK:-.}")/tests/pg/engine}
[ -x "$prog" ] || skip_all "mashdesk built without libpq (no $prog)"
need_postgres
make_tmp

pg_start
# A role with a password, asked for it on loopback: the line goes first
# because the first matching line of pg_hba.conf decides.
hba=$PG_DIR/data/pg_hba.conf
pg_as_owner sh -c "{ echo 'host all md_pw 127.0.0.1/32 scram-sha-256'; cat '$hba'; } >'$hba.new' && mv '$hba.new' '$hba'"
pg_psql postgres -c "CREATE ROLE md_pw LOGIN PASSWORD 'rightpw'" \
	-c 'SELECT pg_reload_conf()' >/dev/null || {
	echo "Bail out! cannot make the password role"
	exit 1
}

url="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
auth_url="postgresql://md_pw:wrongpw@127.0.0.1:$PG_PORT/postgres"
# shellcheck disable=SC2086
${PG_ENGINE_WRAPPER:-} "$prog" "$url" "$auth_url"
