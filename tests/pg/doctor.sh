#!/bin/bash
# doctor.sh - `mashdesk doctor` on a PostgreSQL hub: the server's checks in
# place of the file's.  A private primary (tests/pg/lib.sh) holding a live
# hub owned by a role of its own:
#   - as the superuser postgres: the "connected as a superuser" warning;
#   - as the hub's role: no such warning, the writers' advisory lock taken
#     from a second connection, foreign keys the server's, no file checks;
#   - no standby: the single-server warning (exit 0, warnings only);
#   - a streaming standby (pg_basebackup -R): without pg_monitor the role
#     cannot see it (warning, saying the GRANT); with it, the standby, its
#     state and lag listed, ok;
#   - synchronous_standby_names naming a standby that is not there: a
#     PROBLEM, exit 69 and one line on stderr; naming ours: sync, ok;
#   - doctor pointed at the standby: a PROBLEM (it cannot take saves);
#   - the audit log's trigger switched off: a PROBLEM (exit 65).
# TAP output.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
need_postgres
make_tmp
export TZ=UTC HOME="$e2e_tmp/home" LC_ALL=C
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"
pg_start
pg_psql postgres -c "CREATE ROLE mashhub LOGIN" \
	-c "CREATE DATABASE hub OWNER mashhub" >/dev/null ||
	{ echo "Bail out! cannot create the test role and database"; exit 1; }
su=postgresql://postgres@127.0.0.1:$PG_PORT/hub
me=postgresql://mashhub@127.0.0.1:$PG_PORT/hub
out=$e2e_tmp/out
err=$e2e_tmp/err

# doctor URL: its report in $out, stderr in $err, exit code in $code.
doctor() {
	"$MASHDESK" --db "$1" doctor >"$out" 2>"$err"
	code=$?
}

# has LEVEL TOPIC TEXT: the report has that finding (TEXT a fixed string).
has() {
	grep -E "^$1 +$2 " "$out" | grep -qF -- "$3"
}

# A live hub: its first admin is this login, made a supervisor here (as
# tests/e2e/transfer.sh does) to take in a referral.
if "$MASHDESK" --db "$me" init --name "Doctor MASH" >/dev/null 2>"$err" &&
   pg_psql hub -c "UPDATE app_user SET role = 'supervisor', agency = 'csc'
	WHERE login = '$(id -un)'" >/dev/null &&
   "$MASHDESK" --db "$me" referral add --child "Ada Quist" \
	--dob 2016-03-03 --concern "Bruise seen at school" >/dev/null 2>>"$err"; then
	ok "a live hub on PostgreSQL, owned by its own role"
else
	not_ok "a live hub on PostgreSQL, owned by its own role"
	diag "$(head -c 400 "$err")"
fi

# ---- as the superuser, no standby -------------------------------------------
doctor "$su"
check "as postgres: exit 0 (warnings only)" test "$code" -eq 0
check "as postgres: the superuser warning" \
	has warning role "connected as postgres, a superuser; give the hub its own role"
check "no standby: the single-server warning" \
	has warning replication "no standby: a failure of this server stops the hub; see README, High availability"
check "the server's version, and that it is the primary" \
	has ok server "PostgreSQL $(pg_psql hub -Atc 'SHOW server_version'), the primary"

# ---- as the hub's own role ------------------------------------------------------
doctor "$me"
check "as the hub's role: exit 0" test "$code" -eq 0
check "as the hub's role: not a superuser" \
	has ok role "connected as mashhub, not a superuser"
check "the writers' advisory lock keeps a second connection out, then lets it in" \
	has ok locking "the second is kept out while the first saves"
check "foreign keys: the server's" has ok "foreign keys" "enforced by the server"
check "the audit chain and the seals checked as on SQLite" \
	has ok audit "the chain intact"
check "... and the seals" has ok changes "1 referral as its last audited change left it"
check "no SQLite checks (journal, wal, filesystem, permissions)" \
	bash -c "! grep -Eq '^[a-zA-Z]+ +(journal|wal|filesystem|permissions|directory) ' '$out'"
check "nothing on stderr when all is well" test ! -s "$err"

# ---- a streaming standby --------------------------------------------------------
pg_start_standby standby1
# Wait (bounded) until the primary streams to it.
for _ in $(seq 1 300); do
	[ "$(pg_psql postgres -Atc "SELECT count(*) FROM pg_stat_replication
		WHERE application_name = 'standby1' AND state = 'streaming'")" = 1 ] && break
	sleep 0.1
done
doctor "$me"
check "a standby the role may not see: the GRANT it needs" \
	has warning replication "1 standby connection, but role mashhub may not see their state or lag; fix: GRANT pg_monitor TO mashhub"
pg_psql postgres -c "GRANT pg_monitor TO mashhub" >/dev/null
doctor "$me"
check "with pg_monitor: exit 0" test "$code" -eq 0
check "the standby listed: name, address, state, sync state and lag" \
	grep -Eq '^ok +standby +standby1 at 127\.0\.0\.1: streaming, async, replay lag [0-9]+\.[0-9] s, [0-9]+ bytes behind$' "$out"
check "replication ok: 1 standby" has ok replication "1 standby, 0 synchronous"
check "no single-server warning with a standby" \
	bash -c "! grep -q 'no standby' '$out'"

# ---- synchronous replication ------------------------------------------------------
pg_psql postgres -c "ALTER SYSTEM SET synchronous_standby_names = 'elsewhere'" \
	-c "SELECT pg_reload_conf()" >/dev/null
doctor "$me"
check "synchronous_standby_names set, no synchronous standby: exit 69" test "$code" -eq 69
check "... a PROBLEM saying so" \
	has PROBLEM replication "synchronous_standby_names is 'elsewhere' but no standby is synchronous (1 connected)"
check "... and one line on stderr" \
	test "$(cat "$err")" = "mashdesk: doctor: 1 problem found, the first in replication (see above)"
pg_psql postgres -c "ALTER SYSTEM SET synchronous_standby_names = 'standby1'" \
	-c "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 1 300); do
	[ "$(pg_psql postgres -Atc "SELECT sync_state FROM pg_stat_replication
		WHERE application_name = 'standby1'")" = sync ] && break
	sleep 0.1
done
doctor "$me"
check "the standby synchronous: exit 0" test "$code" -eq 0
check "... listed as sync" grep -Eq '^ok +standby +standby1 at 127\.0\.0\.1: streaming, sync, ' "$out"
check "... replication ok: 1 synchronous" has ok replication "1 standby, 1 synchronous"

# ---- pointed at the standby ---------------------------------------------------------
doctor "postgresql://mashhub@127.0.0.1:$PG_STANDBY_PORT/hub"
check "doctor on the standby: exit 69" test "$code" -eq 69
check "... it cannot take saves" \
	has PROBLEM server "a standby in recovery: it cannot take saves"

# ---- the audit log's trigger switched off --------------------------------------------
pg_psql hub -c "ALTER TABLE audit DISABLE TRIGGER audit_no_update" >/dev/null
doctor "$me"
check "the audit log's trigger switched off: exit 65" test "$code" -eq 65
check "... a PROBLEM saying so" \
	has PROBLEM audit "append-only triggers are gone or switched off"
pg_psql hub -c "ALTER TABLE audit ENABLE TRIGGER audit_no_update" >/dev/null

# ---- a password never shown --------------------------------------------------------------
doctor "postgresql://mashhub:s3cr3t-pw@127.0.0.1:$PG_PORT/hub"
check "a password in the address is never printed" \
	bash -c "! grep -q s3cr3t-pw '$out' '$err' && grep -q 'mashhub:\*\*\*@' '$out'"

done_testing
