#!/bin/sh
# board.sh - supervisors' work in a real (tmux) terminal and on the command
# line: a supervisor opens the workload board, finds one practitioner's
# overdue work, marks all of it and reassigns it with a reason in a handful
# of keys; the queue and `audit show` then show the new holder and the
# reason.  A practitioner is told the board is for supervisors.  A late
# agency check is flagged on the queue and chased from the chase list.
# The two-person rule's commands give their exit codes.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

# ---- a small training hub ----------------------------------------------------

check "training hub created" md init --training --name "Board MASH"
me=$(id -un)
for u in "sue Sue Lindqvist supervisor" "sam Sam Adeyemi supervisor" \
	 "pat Pat Okafor practitioner" "priya Priya Shah practitioner"; do
	set -- $u
	md user add "$1" --name "$2 $3" --agency csc --role "$4" ||
		not_ok "user $1 added"
done
# Two days old: their decisions (24 hours) are overdue.
old=$(date -d '-2 days' +%Y-%m-%dT%H:%M 2>/dev/null || date -v-2d +%Y-%m-%dT%H:%M)
add() {
	md --as pat referral add --child "$1" --dob 2015-03-02 \
		--concern "e2e board referral" ${2:+--received "$2"}
}
late1=$(add "Orla Lightfoot" "$old") && late2=$(add "Piran Marlowe" "$old") &&
	fresh=$(add "Quilla Northcote") && pile=$(add "Rufus Oakhampton" "$old")
check "referrals added ($late1 $late2 $fresh $pile)" \
	test -n "$late1" -a -n "$late2" -a -n "$fresh" -a -n "$pile"
for r in "$late1" "$late2" "$fresh"; do
	md --as pat claim "$r" || not_ok "pat claims $r"
done

# ---- the command line ------------------------------------------------------------

md --as sue board >"$e2e_tmp/board.tsv"
check "board: header row" grep -qx "$(printf 'agency\tlogin\tname\topen\toverdue\toldest_due\tlate_checks\tstrategy_due\tstrategy_late')" "$e2e_tmp/board.tsv"
check "board: the unassigned pile first, one overdue" \
	awk -F'\t' 'NR == 2 && $2 == "-" && $4 == 1 && $5 == 1 { f = 1 } END { exit !f }' "$e2e_tmp/board.tsv"
check "board: pat holds 3, 2 overdue" \
	awk -F'\t' '$2 == "pat" && $1 == "csc" && $4 == 3 && $5 == 2 { f = 1 } END { exit !f }' "$e2e_tmp/board.tsv"
md --as pat board >/dev/null 2>"$e2e_tmp/err"
check "board: refused to a practitioner (77)" test $? -eq 77
check "board: the refusal says who may" grep -q "only supervisors" "$e2e_tmp/err"
md --as pat assign "$fresh" priya --reason "x" 2>/dev/null
check "assign: refused to a practitioner (77)" test $? -eq 77
md --as sue assign "$fresh" priya 2>/dev/null
check "assign: --reason is required (64)" test $? -eq 64

# ---- the desk: find pat's overdue work and move it --------------------------------

if [ -n "$TMUX_BIN" ] && command -v "$TMUX_BIN" >/dev/null 2>&1; then
	tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as pat
	check "practitioner: the queue shows" tm_wait "Filter: [All]"
	check "practitioner: no board in the key bar" tm_lacks "w Board"
	tm_keys w
	check "practitioner: the board is for supervisors only" \
		tm_wait "supervisors only"
	tm_keys q

	tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as sue
	check "supervisor: the queue names the board key" tm_wait "w Board"
	tm_keys w
	check "board: opens" tm_wait "Workload board"
	check "board: pat's row" tm_wait "Pat Okafor (pat)"
	# The pile, then csc by name: Pat is the second row.
	tm_keys j o
	check "board: o opens pat's work with the overdue marked" \
		tm_wait "Pat Okafor (pat): 3 open, 2 overdue, 2 marked"
	check "board: a marked row shows +" tm_wait "+ $late1"
	tm_keys a
	check "reassign form opens for the two" tm_wait "Reassign 2 marked referrals"
	tm_type "priya"
	tm_keys Tab
	tm_type "Pat is on leave until Monday"
	tm_keys C-x
	check "reassign: saved" tm_wait "2 referrals reassigned to priya"
	check "reassign: pat's list now holds one" \
		tm_wait "Pat Okafor (pat): 1 open, 0 overdue, 0 marked"
	tm_keys Escape
	check "board: read again (priya holds 2)" tm_wait "Priya Shah (priya)"
	tm_keys Escape
	tm_keys q
	check "desk left cleanly" tm_wait "E2E-EXITED rc=0"
else
	diag "tmux not installed: the desk part is skipped; reassigning by command"
	md --as sue assign "$late1" priya --reason "Pat is on leave until Monday" &&
		md --as sue assign "$late2" priya --reason "Pat is on leave until Monday"
fi

holder() {
	md --as sue queue --all | awk -F'\t' -v r="$1" '$1 == r { print $9 }'
}
check "queue: $late1 is held by priya" test "$(holder "$late1")" = priya
check "queue: $late2 is held by priya" test "$(holder "$late2")" = priya
check "queue: $fresh stays with pat" test "$(holder "$fresh")" = pat
md --as sue audit show "$late1" >"$e2e_tmp/audit"
check "audit show: the reassignment with its reason" \
	grep -q "assigned to priya (was pat): Pat is on leave until Monday" "$e2e_tmp/audit"

# ---- a late agency check: flagged and chased ---------------------------------------

md --as priya check "$late1" --status requested
# Make the check a day late (there is no clock to wind on).
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$db" "UPDATE agency_check SET due_at = due_at - 172800"
	md --as sue queue --all | awk -F'\t' -v r="$late1" '$1 == r { print $10 }' >"$e2e_tmp/marks"
	check "queue: the late csc check is an upper-case R" grep -qx '.R....' "$e2e_tmp/marks"
	md --as sue board | awk -F'\t' '$2 == "priya" { print $7 }' >"$e2e_tmp/late"
	check "board: priya's late check counted" grep -qx 1 "$e2e_tmp/late"
	md --as sue chase csc --late | cut -f1,2,8 >"$e2e_tmp/chase"
	check "chase csc --late lists it" grep -qx "$(printf '%s\tcsc\t1' "$late1")" "$e2e_tmp/chase"
	md --as pat chase mark "$late1" csc --note "rang" 2>/dev/null
	check "chase mark: refused to a practitioner (77)" test $? -eq 77
	check "chase mark: a supervisor records a chase" \
		md --as sue chase mark "$late1" csc --note "Rang the duty desk"
	md --as sue chase csc | awk -F'\t' -v r="$late1" '$1 == r { print $9 "|" $10 "|" $12 }' >"$e2e_tmp/chased"
	check "chase: shows who chased and the note" \
		grep -qx "1|sue|Rang the duty desk" "$e2e_tmp/chased"
else
	diag "sqlite3 not installed: the late-check part is skipped"
fi

# ---- working hours: the due time skips a weekend and bank holidays ---------------

wh=$e2e_tmp/hours.ini
printf '[timescales]\ndecision_hours = 8\n[clocks]\nworking_hours = yes\nworking_day = 09:00-17:00\nworking_days = Mon-Fri\nbank_holidays = 2025-12-25, 2025-12-26\n' >"$wh"
xmas=$(TZ=UTC0 "$MASHDESK" --db "$db" --config "$wh" --as pat referral add \
	--child "Sorrel Tamworth" --dob 2014-01-09 --concern "e2e clocks" \
	--received 2025-12-24T15:00)
due=$(TZ=UTC0 md --as sue queue --all --search "$xmas" | awk -F'\t' -v r="$xmas" '$1 == r { print $11 }')
check "working hours: Wed 24 Dec 15:00 + 8 h is Mon 29 Dec 15:00 ($due)" \
	test "$due" = "2025-12-29T15:00:00+00:00"
printf '[clocks]\nworking_days = Mon-Fry\n' >"$e2e_tmp/bad.ini"
md --config "$e2e_tmp/bad.ini" --as sue board >/dev/null 2>"$e2e_tmp/err"
check "a bad working_days is a configuration error (78)" test $? -eq 78
check "the error names file, section and key" \
	grep -q "bad.ini: \[clocks\] working_days" "$e2e_tmp/err"

# ---- the two-person rule on the command line -------------------------------------

cfg=$e2e_tmp/two.ini
printf '[decision]\ntwo_person_rule = yes\n' >"$cfg"
mdc() {
	"$MASHDESK" --db "$db" --config "$cfg" "$@"
}
check "decide with the rule on" mdc --as priya decide "$late2" --outcome nfa \
	--rationale "No role for children's services"
st() {
	md --as sue queue --all | awk -F'\t' -v r="$1" '$1 == r { print $8 }'
}
check "the referral awaits sign-off" test "$(st "$late2")" = signoff
mdc --as priya signoff "$late2" 2>/dev/null
check "signoff: refused to a practitioner (77)" test $? -eq 77
mdc --as sue sendback "$late2" 2>/dev/null
check "sendback: --comment is required (64)" test $? -eq 64
check "sendback with a comment" mdc --as sue sendback "$late2" --comment "Ask the school"
check "back for a new decision" test "$(st "$late2")" = decision
check "decided again (by sue)" mdc --as sue decide "$late2" --outcome advice \
	--rationale "Advice to the school"
mdc --as sue signoff "$late2" 2>"$e2e_tmp/err"
check "signoff: the decider may not sign their own (77)" test $? -eq 77
check "signoff: says who may" grep -q "other than its decider" "$e2e_tmp/err"
check "signoff by another supervisor" mdc --as sam signoff "$late2"
check "the decision took effect" test "$(md --as sue queue --all --decided | awk -F'\t' -v r="$late2" '$1 == r { print $8 }')" = decided
mdc --as sam signoff "$late2" 2>/dev/null
check "signoff: twice is bad data (65)" test $? -eq 65
md --as sue audit show "$late2" | cut -f5 >"$e2e_tmp/acts"
check "audit: decide, sendback, decide, refused, signoff" \
	test "$(grep -E '^(decide|sendback|refused|signoff)$' "$e2e_tmp/acts" | tr '\n' ' ')" = "decide sendback decide refused signoff "

done_testing
