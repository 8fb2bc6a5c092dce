#!/bin/bash
# units.sh - the data layer's unit tests on PostgreSQL: the Criterion
# binaries whose hubs come from tests/unit/fixture.h run again with
# $MASHDESK_TEST_PG naming a private server (tests/pg/lib.sh), so that
# every hub they make is a database there.  Each Criterion test becomes
# one TAP line here, "PostgreSQL: BINARY: TEST".
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

# Engine-neutral unit tests (they use the data layer's API only, and their
# hubs come from fixture_hub_path).
units="test_sync test_permissions test_intake test_contacts test_subject test_board
	test_strategy test_feedback test_screen"

need_mashdesk
need_postgres
build=$(dirname "$MASHDESK")
for u in $units; do
	[ -x "$build/tests/unit/$u" ] || skip_all "unit tests not built ($build/tests/unit/$u)"
done
make_tmp
pg_start
export MASHDESK_TEST_PG="postgresql://postgres@127.0.0.1:$PG_PORT/"

for u in $units; do
	CRITERION_OUTPUTS="tap:$e2e_tmp/$u.tap" CRITERION_NO_EARLY_EXIT=1 \
		"$build/tests/unit/$u" >"$e2e_tmp/$u.out" 2>&1
	code=$?
	n=0
	while IFS= read -r line; do
		case $line in
		"ok "*)
			n=$((n + 1))
			ok "PostgreSQL: $u: ${line#ok * - }" ;;
		"not ok "*)
			n=$((n + 1))
			not_ok "PostgreSQL: $u: ${line#not ok * - }" ;;
		"  "*) diag "$line" ;;
		esac
	done <"$e2e_tmp/$u.tap"
	if [ "$n" -eq 0 ] || [ $code -ne 0 ]; then
		not_ok "PostgreSQL: $u ran (exit $code, $n tests)"
		diag "$(tail -n 20 "$e2e_tmp/$u.out")"
	fi
done

done_testing
