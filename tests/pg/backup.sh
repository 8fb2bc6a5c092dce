#!/bin/bash
# backup.sh - backup, backup verify and restore on a PostgreSQL hub: a
# pg_dump custom archive.  A private server (tests/pg/lib.sh), a hub with
# a few referrals; `backup FILE` (the snapshot's audit chain reported),
# `backup --dir` (named and pruned as SQLite copies are), `backup verify`
# (pg_restore --list); `restore --to` a new empty database: the restored
# hub opens, `audit verify` passes, `queue` shows the same referrals, the
# restore is in its audit log.  Refusals: a database that is not empty,
# a SQLite copy to a database, a dump to a file, a damaged dump, an
# existing FILE; each exit code with one line on stderr and nothing
# changed.  A password in the address is never printed.  TAP output.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
need_postgres
command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 ||
	skip_all "pg_dump and pg_restore not installed"
make_tmp
export TZ=UTC HOME="$e2e_tmp/home" LC_ALL=C
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"
pg_start
# The hub's role has a password (scram over TCP for it alone), so the
# address carries one as a real deployment's may.
pg_psql postgres -c "CREATE ROLE mashhub LOGIN PASSWORD 'Pw-0f-hub'" \
	-c "CREATE DATABASE hub OWNER mashhub" \
	-c "CREATE DATABASE back OWNER mashhub" \
	-c "CREATE DATABASE busy OWNER mashhub" >/dev/null ||
	{ echo "Bail out! cannot create the test role and databases"; exit 1; }
hba=$(pg_psql postgres -Atc "SHOW hba_file")
{ echo "host all mashhub 127.0.0.1/32 scram-sha-256"; cat "$hba"; } >"$e2e_tmp/hba" &&
	pg_as_owner cp "$e2e_tmp/hba" "$hba" 2>/dev/null || cat "$e2e_tmp/hba" >"$hba"
pg_psql postgres -c "SELECT pg_reload_conf()" >/dev/null
url="postgresql://mashhub:Pw-0f-hub@127.0.0.1:$PG_PORT/hub"
back="postgresql://mashhub:Pw-0f-hub@127.0.0.1:$PG_PORT/back"
out=$e2e_tmp/out
err=$e2e_tmp/err
M=("$MASHDESK")

# run CODE DESC CMD...: exit CODE; on failure exactly one line on stderr;
# never the password anywhere.
run() {
	local want=$1 desc=$2
	shift 2
	"$@" >"$out" 2>"$err"
	local got=$?
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc"
		diag "exit $got, wanted $want: $(head -c 300 "$err")"
	elif [ "$want" -ne 0 ] && [ "$(wc -l <"$err")" -ne 1 ]; then
		not_ok "$desc"
		diag "wanted one line on stderr: $(head -c 300 "$err")"
	elif grep -q 'Pw-0f-hub' "$out" "$err"; then
		not_ok "$desc"
		diag "the password was printed"
	else
		ok "$desc"
	fi
}

md() { "$MASHDESK" --db "$url" "$@"; }
run 0 "a training hub on PostgreSQL" md init --training --name "Backup MASH"
md user add sam --name "Sam Idris" --agency csc --role practitioner >/dev/null
md --as sam referral add --child "Ada Quist" --dob 2016-03-03 \
	--concern "Bruise seen at school" --rag red >/dev/null
md --as sam referral add --child "Nunu Test" --dob 2018-01-01 \
	--concern "Neglect at home" >/dev/null
md --as sam referral add --child "Ivo Marchetti" --dob 2012-06-06 \
	--concern "Found alone late at night" >/dev/null
md --as sam claim R1 >/dev/null
md --as sam queue --all >"$e2e_tmp/queue.before"
check "three referrals in the hub" test "$(grep -c '^R' "$e2e_tmp/queue.before")" -eq 3
check "... queue's column 12 is the time left" \
	test "$(head -1 "$e2e_tmp/queue.before" | cut -f12)" = left

# ---- backup to a file ------------------------------------------------------------
run 0 "backup FILE on PostgreSQL" md backup "$e2e_tmp/hub.dump"
check "... prints the file" test "$(cat "$out")" = "$e2e_tmp/hub.dump"
check "... a pg_dump custom archive" test "$(head -c 5 "$e2e_tmp/hub.dump")" = PGDMP
check "... not readable by others" \
	test "$(stat -c %a "$e2e_tmp/hub.dump" | cut -c3)" = 0
check "... no temporary file left" \
	bash -c "! ls -A '$e2e_tmp' | grep -q partial"
check "... recorded in the hub's audit log" \
	test "$(pg_psql hub -Atc "SELECT count(*) FROM audit WHERE action = 'backup'
		AND detail = 'dumped the hub to $e2e_tmp/hub.dump with pg_dump (checked)'")" = 1
run 73 "backup to an existing FILE is refused" md backup "$e2e_tmp/hub.dump"
run 0 "backup with the password as a parameter of the address" \
	"$MASHDESK" --db "postgresql://mashhub@127.0.0.1:$PG_PORT/hub?connect_timeout=10&password=Pw-0f-hub" \
	backup "$e2e_tmp/param.dump"
run 77 "backup with a wrong password: 77, one line" \
	"$MASHDESK" --db "postgresql://mashhub:Pw-wrong@127.0.0.1:$PG_PORT/hub" \
	backup "$e2e_tmp/wrong.dump"
check "... and no file" test ! -e "$e2e_tmp/wrong.dump"

# ---- verify ---------------------------------------------------------------------------
run 0 "backup verify on the dump" md backup verify "$e2e_tmp/hub.dump"
check "... the format and database" \
	bash -c "grep -q '^format	pg_dump custom archive$' '$out' && grep -q '^database	hub$' '$out'"
check "... checked with pg_restore --list" grep -q '^checked	pg_restore --list' "$out"
head -c 3000 "$e2e_tmp/hub.dump" >"$e2e_tmp/cut.dump"
run 65 "backup verify on a cut dump: damaged" md backup verify "$e2e_tmp/cut.dump"
check "... says so" grep -q "cut.dump: damaged, or not a whole pg_dump archive" "$err"

# ---- backup --dir --keep ------------------------------------------------------------------
mkdir "$e2e_tmp/copies"
for i in 1 2 3; do
	md backup --dir "$e2e_tmp/copies" --keep 2 >/dev/null 2>"$err" || break
done
check "backup --dir --keep 2: named by time, two kept" \
	test "$(ls "$e2e_tmp/copies" | grep -Ec '^backup-mash-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.db$')" -eq 2

# ---- restore ---------------------------------------------------------------------------------
run 0 "restore --to an empty database" md restore "$e2e_tmp/hub.dump" --to "$back"
check "... prints the address without its password" \
	test "$(cat "$out")" = "postgresql://mashhub:***@127.0.0.1:$PG_PORT/back"
run 0 "the restored hub: audit verify passes" "$MASHDESK" --db "$back" audit verify
"$MASHDESK" --db "$back" --as sam queue --all >"$e2e_tmp/queue.after" 2>"$err"
# All but "left" (time left, which moves on with the clock).
check "the restored hub: queue shows the same referrals" \
	cmp -s <(cut -f1-11,13- "$e2e_tmp/queue.before") \
	       <(cut -f1-11,13- "$e2e_tmp/queue.after")
check "the restore is in the restored hub's audit log" \
	test "$(pg_psql back -Atc "SELECT count(*) FROM audit WHERE action = 'restore'")" = 1
run 0 "the restored hub: doctor has no problem" "$MASHDESK" --db "$back" doctor

# ---- encrypted with age ------------------------------------------------------------------------
if command -v age >/dev/null 2>&1 && command -v age-keygen >/dev/null 2>&1; then
	age-keygen -o "$e2e_tmp/key" 2>/dev/null
	pg_psql postgres -c "CREATE DATABASE aged OWNER mashhub" >/dev/null
	run 0 "backup --encrypt" md backup --encrypt "$(age-keygen -y "$e2e_tmp/key")" "$e2e_tmp/hub.age"
	run 0 "backup verify --identity on the encrypted dump" \
		md backup verify --identity "$e2e_tmp/key" "$e2e_tmp/hub.age"
	check "... decrypted and checked" \
		bash -c "grep -q '^encrypted	yes$' '$out' && grep -q '^format	pg_dump custom archive$' '$out'"
	run 0 "restore --identity of the encrypted dump" md restore --identity "$e2e_tmp/key" \
		"$e2e_tmp/hub.age" --to "postgresql://mashhub:Pw-0f-hub@127.0.0.1:$PG_PORT/aged"
	check "... its referrals there" \
		test "$(pg_psql aged -Atc "SELECT count(*) FROM referral")" = 3
	check "... no decrypted file left" bash -c "! ls -A '$e2e_tmp' | grep -q partial"
fi

# ---- refusals ------------------------------------------------------------------------------------
pg_psql busy -c "CREATE TABLE keep_me (x int)" >/dev/null
n0=$(pg_psql busy -Atc "SELECT count(*) FROM pg_class WHERE relname = 'keep_me'")
run 73 "restore into a database that is not empty: refused" \
	md restore "$e2e_tmp/hub.dump" --to "postgresql://mashhub:Pw-0f-hub@127.0.0.1:$PG_PORT/busy"
check "... says so" grep -q "is not an empty database" "$err"
check "... nothing changed there" \
	test "$(pg_psql busy -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = "$n0"
run 73 "restore into the restored hub again: refused" md restore "$e2e_tmp/hub.dump" --to "$back"
run 65 "a dump restored to a file: refused" md restore "$e2e_tmp/hub.dump" --to "$e2e_tmp/new.db"
check "... says where it goes" grep -q "restores to an empty database" "$err"
check "... no file made" test ! -e "$e2e_tmp/new.db"
"$MASHDESK" --db "$e2e_tmp/lite.db" init --training --name "Lite MASH" >/dev/null 2>&1
"$MASHDESK" --db "$e2e_tmp/lite.db" backup "$e2e_tmp/lite.copy" >/dev/null 2>&1
run 65 "a SQLite copy restored to a database: refused" \
	md restore "$e2e_tmp/lite.copy" --to "postgresql://mashhub:Pw-0f-hub@127.0.0.1:$PG_PORT/busy"
run 64 "--group with a database: a usage error" \
	md restore "$e2e_tmp/hub.dump" --to "$back" --group users

done_testing
