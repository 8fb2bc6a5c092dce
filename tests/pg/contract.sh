#!/bin/bash
# contract.sh - the command-line contract on PostgreSQL as on SQLite: the
# commands of contract.txt run against a SQLite hub and a PostgreSQL hub
# (a private server, tests/pg/lib.sh), each line's exit code, output and
# message compared once times, durations and the hub's address are
# written alike.  A difference fails the line, showing both.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
need_postgres
make_tmp
pg_start
pg_psql postgres -c "CREATE DATABASE contract" >/dev/null ||
	{ echo "Bail out! cannot create the test database"; exit 1; }
lite=$e2e_tmp/hub.db
url="postgresql://postgres@127.0.0.1:$PG_PORT/contract"
printf 'child,dob,concern\nAda Quist,2016-03-03,Imported worry\n' >"$e2e_tmp/import.csv"
# The two-person rule, for the lines that name $C.
C=$e2e_tmp/two.ini
printf '[decision]\ntwo_person_rule = yes\n' >"$C"
# A bundle from another hub (SQLite), for the lines that name $B.
other=$e2e_tmp/other.db
B=$e2e_tmp/in.bundle
"$MASHDESK" --db "$other" init --training --name "Other MASH" >/dev/null &&
"$MASHDESK" --db "$other" user add ola --name "Ola Brandt" --agency csc --role supervisor &&
"$MASHDESK" --db "$other" --as ola referral add --child "Tova Lindgren" --dob 2014-09-09 \
	--concern "Moved here with her mother" --rag amber --received 2026-11-20T08:00:00Z >/dev/null &&
"$MASHDESK" --db "$other" --as ola transfer out R1 --to "Contract Hub" --reason "Family moved" \
	--output "$B" >/dev/null
check "another hub's bundle to take in" test $? -eq 0

# normalise: one engine's output as the other's would read (times and
# the hashes that seal them differ by the seconds between the two runs).
normalise() {
	sed -E -e "s#$url#HUB#g" -e "s#$lite#HUB#g" -e "s#$e2e_tmp/[a-z]+#TMP#g" \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?/TIME/g' \
		-e 's/[0-9a-f]{64}/HASH/g' \
		-e 's/\b(late )?[0-9]+[dhm]( [0-9]+[hm])?\b/DUR/g' \
		-e "s#postgresql://postgres@127.0.0.1:$PG_PORT/c_[a-z]+#HUB#g" \
		-e "s#$e2e_tmp/sqlite/[a-z]+\.db#HUB#g"
}

# run ENGINE DB LINE: runs one line, leaves code, out and err in $e2e_tmp/ENGINE.*.
run_line() {
	local engine=$1 db=$2 line=$3
	mkdir -p "$e2e_tmp/$engine"
	md() { "$MASHDESK" --db "$db" "$@"; }
	# A second hub of the same engine: a file beside, or a database.
	md2() {
		local name=$1 where
		shift
		if [ "$engine" = pg ]; then
			where="postgresql://postgres@127.0.0.1:$PG_PORT/c_$name"
		else
			where=$e2e_tmp/sqlite/$name.db
		fi
		"$MASHDESK" --db "$where" "$@"
	}
	T=$e2e_tmp/$engine
	eval "$line" >"$e2e_tmp/$engine.out" 2>"$e2e_tmp/$engine.err"
	echo $? >"$e2e_tmp/$engine.code"
	normalise <"$e2e_tmp/$engine.out" >"$e2e_tmp/$engine.nout"
	normalise <"$e2e_tmp/$engine.err" >"$e2e_tmp/$engine.nerr"
}

for db in "$lite" "$url"; do
	"$MASHDESK" --db "$db" init --training --name "Contract Hub" >/dev/null &&
	"$MASHDESK" --db "$db" user add pat --name "Pat Okafor" --agency police --role practitioner &&
	"$MASHDESK" --db "$db" user add sam --name "Sam Idris" --agency csc --role practitioner &&
	"$MASHDESK" --db "$db" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
	"$MASHDESK" --db "$db" user add tom --name "Tom Achebe" --role trainer &&
	"$MASHDESK" --db "$db" user add adm --name "Ada Morrow" --role admin
	check "a training hub with a user of every role ($db)" test $? -eq 0
done

n=0
while IFS= read -r raw; do
	case $raw in '#'* | '') continue ;; esac
	n=$((n + 1))
	want=${raw%% *}
	line=${raw#* }
	line=${line#"${line%%[! ]*}"}
	run_line sqlite "$lite" "$line"
	run_line pg "$url" "$line"
	lc=$(cat "$e2e_tmp/sqlite.code") pc=$(cat "$e2e_tmp/pg.code")
	if [ "$lc" != "$want" ] || [ "$pc" != "$want" ]; then
		not_ok "$n: $line: exit $want wanted; SQLite $lc, PostgreSQL $pc"
		diag "SQLite: $(head -c 300 "$e2e_tmp/sqlite.err")"
		diag "PostgreSQL: $(head -c 300 "$e2e_tmp/pg.err")"
	elif ! cmp -s "$e2e_tmp/sqlite.nout" "$e2e_tmp/pg.nout" ||
		! cmp -s "$e2e_tmp/sqlite.nerr" "$e2e_tmp/pg.nerr"; then
		not_ok "$n: $line: the engines differ"
		diag "$(diff "$e2e_tmp/sqlite.nout" "$e2e_tmp/pg.nout" | head -20)"
		diag "$(diff "$e2e_tmp/sqlite.nerr" "$e2e_tmp/pg.nerr" | head -6)"
	else
		ok "$n: $line (exit $want, alike)"
	fi
done <"$src/tests/pg/contract.txt"

done_testing
