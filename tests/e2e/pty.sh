#!/bin/sh
# pty.sh - the benchmark's pseudo-terminal driver (tests/bench/pty) can be
# trusted: it sees the real desk paint the queue's first row, counts a
# whole screen's bytes for it, sees a keystroke's smaller redraw, and fails
# (saying so) when what it waits for never comes.  Timings are printed for
# the log, never asserted.  The driver is given this suite's deadline
# (-T E2E_TIMEOUT, for hangs) and quiet (-q E2E_QUIET_MS: a frame still
# going out on a busy machine is not taken for the end of it), and the
# seconds at which the rows' times left turn over (-t, as tm_measure in
# lib.sh), which it keeps out of the move's window with the minute's.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
pty=$(dirname "$(command -v "$MASHDESK")")/tests/bench/pty
[ -x "$pty" ] || skip_all "tests/bench/pty not built"
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}
XDG_CONFIG_HOME=$e2e_tmp/config
export XDG_CONFIG_HOME

check "demo training hub created" md demo --no-desk
first=$(md --as demo-sup queue --limit 1 | awk -F'\t' 'NR == 2 { print $1 }')
check "the queue has a first row (${first:-none})" test -n "$first"

E2E_HUB=$db
turnovers=$(e2e_turnovers | sort -nu | paste -sd, -)
"$pty" -S -T "$E2E_TIMEOUT" -q "$E2E_QUIET_MS" -t "$turnovers" \
	-m "${first:-R}" -- "$MASHDESK" --db "$db" --as demo-sup \
	>"$e2e_tmp/out" 2>"$e2e_tmp/err"
rc=$?
[ -s "$e2e_tmp/err" ] && diag "the driver said:" "$(cat "$e2e_tmp/err")"
check "the driver saw the first row painted and the desk quit (rc $rc)" \
	test "$rc" -eq 0
get() {
	awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$e2e_tmp/out"
}
paint=$(get paint_bytes)
move=$(get move_bytes)
check "the first paint is a whole screen (${paint:-?} bytes)" \
	test "${paint:-0}" -gt 1000
check "a move redraws something, far less than a screen (${move:-?} bytes)" \
	test "${move:-0}" -gt 0 -a "${move:-0}" -lt "$((${paint:-0} / 4))"
diag "first paint $(get paint_ms) ms, move $(get move_ms) ms (not asserted)"

"$pty" -S -T 1 -m "NOT ON ANY SCREEN" -- "$MASHDESK" --db "$db" \
	--as demo-sup >/dev/null 2>"$e2e_tmp/err"
rc=$?
check "a marker never drawn fails the run (rc $rc)" test "$rc" -ne 0
check "and says what it waited for" grep -q "no 'NOT ON ANY SCREEN'" "$e2e_tmp/err"

done_testing
