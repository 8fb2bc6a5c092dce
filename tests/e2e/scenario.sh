#!/usr/bin/env bash
# scenario.sh - practice scenarios from the command line: load a shipped
# scenario, play it at --speed 0, let scripted trainees claim, check and
# decide with --as, and compare `scenario debrief` with the exact rows the
# model answers give.  Also: who may do it, a live hub refused, a bad file
# refused naming file, section and key, reset, and a run stopped by
# SIGINT and resumed.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
tmp=$(mktemp -d /tmp/mashdesk-scen-XXXXXX)
runner=
trap '[ -n "$runner" ] && kill "$runner" 2>/dev/null; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export MASHDESK_SCENARIO_DIR=${MASHDESK_SCENARIO_DIR:-${MASHDESK_SRCDIR:-.}/scenarios}
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
run() {
	local want=$1 desc=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc" "exit $got, wanted $want" "stderr: $(head -c 300 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc" "wanted one line on stderr, got $lines" "$(head -c 300 "$tmp/err")"
	else
		ok "$desc"
	fi
}
expect() {
	if grep -Eq -- "$3" "$tmp/$2"; then ok "$1"; else
		not_ok "$1" "no match for /$3/ in $2:" "$(head -c 400 "$tmp/$2")"; fi
}
same() {   # same DESC FILE: $tmp/out equals FILE exactly
	if diff -u "$2" "$tmp/out" >"$tmp/diff"; then ok "$1"; else
		not_ok "$1" "$(cat "$tmp/diff")"; fi
}

hub="$tmp/hub.db"
H=("$M" --db "$hub")

# ---- loading ------------------------------------------------------------------
run 0 "scenario load a shipped scenario by its short name" "${H[@]}" scenario load domestic-abuse
run 0 "the trainer sees it loaded" "${H[@]}" --as trainer scenario status
expect "status names the scenario" out '^scenario	Red amid routine$'
expect "nothing has arrived yet" out '^arrived	0$'
run 0 "the users are there" "${H[@]}" --as trainer user list
expect "with their roles" out '^csc1	Rosa Lindqvist	csc	practitioner	'
run 73 "load over an existing hub needs --force" "${H[@]}" scenario load domestic-abuse
expect "and says so" err 'already exists; --force'
run 77 "a practitioner may not replace the exercise" "${H[@]}" --as csc1 scenario load --force domestic-abuse
run 0 "the trainer may, with --force" "${H[@]}" --as trainer scenario load --force domestic-abuse

live="$tmp/live.db"
run 0 "a live hub" "$M" --db "$live" init --name "Live MASH"
run 77 "scenario load refuses a live hub" "$M" --db "$live" scenario load --force domestic-abuse
expect "saying nothing crosses between live and training" err 'is a live hub.*nothing is copied between live and training'
run 0 "the live hub is intact" "$M" --db "$live" audit verify
if [ "$(sqlite3 "$live" "SELECT count(*) FROM scenario")" = 0 ] &&
   [ "$(sqlite3 "$live" "SELECT count(*) FROM audit WHERE action = 'refused' AND detail LIKE '%live hub%'")" -ge 1 ]; then
	ok "no scenario in the live hub, and the refused attempt is audited"
else
	not_ok "no scenario in the live hub, and the refused attempt is audited"
fi

bad="$tmp/bad.ini"
sed 's/^category = domestic-abuse$/category = feud/' "$MASHDESK_SCENARIO_DIR/domestic-abuse.ini" >"$bad"
run 65 "a bad scenario file is refused" "$M" --db "$tmp/bad.db" scenario load "$bad"
expect "naming file, section and key" err "$bad:[0-9]+: \[referral:d3\] category: unknown code 'feud'"
[ -e "$tmp/bad.db" ] && not_ok "nothing is left behind" || ok "nothing is left behind"
sed 's/^arrives = +20m$/arrives = soon/' "$MASHDESK_SCENARIO_DIR/domestic-abuse.ini" >"$bad"
run 65 "a bad offset is refused" "$M" --db "$tmp/bad.db" scenario load "$bad"
expect "naming the key" err "\[referral:d3\] arrives: 'soon' is not an offset"
run 66 "a missing file" "$M" --db "$tmp/bad.db" scenario load "$tmp/none.ini"

# ---- who may run it -------------------------------------------------------------
run 77 "a practitioner may not run the clock" "${H[@]}" --as police1 scenario run --speed 0
expect "and is told who may" err 'only trainers and admins may run training scenarios'
run 77 "nor read the debrief" "${H[@]}" --as sup1 scenario debrief
run 64 "a bad speed" "${H[@]}" --as trainer scenario run --speed fast

# ---- the exercise at speed 0 --------------------------------------------------------
run 0 "scenario run --speed 0 releases everything at once" "${H[@]}" --as trainer scenario run --speed 0
cat >"$tmp/want" <<'T'
offset	ref	key	child
0	R000001	d1	Oscar Pell
300	R000002	d2	Sienna Moyo
1200	R000003	d3	Leo Hart
1800	R000004	d4	Kai Fernandes
3000	R000005	d5	Ruby Shaw
T
same "each arrival is printed" "$tmp/want"
run 0 "the queue holds them" "${H[@]}" --as police1 queue
[ "$(grep -c '^R00000' "$tmp/out")" = 5 ] && ok "five referrals in the queue" || not_ok "five referrals in the queue"

# the red case, worked by three agencies and decided by the social worker
run 0 "police claim the red case" "${H[@]}" --as police1 claim R000003
run 0 "police search their records" "${H[@]}" --as police1 scenario records R000003
expect "and find the DASH risk" out '^info	DASH risk assessment high'
info=$(awk -F'\t' '$1 == "info" { print $2 }' "$tmp/out")
run 0 "police record their check" "${H[@]}" --as police1 check R000003 --status complete --info "$info" --basis public-task --handling conditional
run 0 "health record theirs" "${H[@]}" --as health1 check R000003 --status complete --info "Disclosure to midwife in 2024." --basis safeguarding --handling restricted
run 0 "social care decide: s47, red" "${H[@]}" --as csc1 decide R000003 --outcome s47 --rag red --level 4 --rationale "Strangulation, children present, perpetrator on bail."
run 0 "social care decide the nursery's worry" "${H[@]}" --as csc1 decide R000001 --outcome advice --rag green --rationale "Universal help."
run 0 "health claim the damp flat" "${H[@]}" --as health1 claim R000002
run 0 "and decide it, under-calling the outcome" "${H[@]}" --as health1 decide R000002 --outcome nfa --rag green --rationale "Housing matter."
run 0 "police claim the grieving teenager and leave it" "${H[@]}" --as police1 claim R000004
run 77 "a trainee may not search another agency's records" "${H[@]}" --as trainer scenario records R000003

run 0 "scenario debrief" "${H[@]}" --as trainer scenario debrief
cat >"$tmp/want" <<'T'
trainee	ref	expected_rag	actual_rag	expected_outcome	actual_outcome	minutes_to_decision	within_timescale	score
csc1	R000001	green	green	advice	advice	0	yes	4
csc1	R000003	red	red	s47	s47	0	yes	4
health1	R000002	green	green	early-help	nfa	0	yes	2
police1	R000004	green	-	early-help	-	-	-	0
-	R000005	amber	-	early-help	-	-	-	0

trainee	referrals	decided	rag_right	outcome_right	within_timescale	score	max_score
csc1	2	2	2	2	2	8	8
health1	1	1	1	0	1	2	4
police1	1	0	0	0	0	0	4
T
same "the debrief gives exactly the expected rows and totals" "$tmp/want"

# ---- starting again -----------------------------------------------------------------
run 77 "a practitioner may not reset" "${H[@]}" --as csc1 scenario reset
run 0 "scenario reset" "${H[@]}" --as trainer scenario reset
run 0 "the queue is empty again" "${H[@]}" --as police1 queue
[ "$(grep -c '^R00000' "$tmp/out")" = 0 ] && ok "no referrals left" || not_ok "no referrals left" "$(cat "$tmp/out")"
run 0 "status after reset" "${H[@]}" --as trainer scenario status
expect "the clock is back at the start" out '^clock	0m$'
run 0 "the debrief is empty" "${H[@]}" --as trainer scenario debrief
[ "$(grep -c '^R\|	R0' "$tmp/out")" = 0 ] && ok "no rows after reset" || not_ok "no rows after reset"
run 0 "the audit chain is intact" "${H[@]}" audit verify

# ---- history, and a run stopped by SIGINT and resumed ----------------------------------
rn="$tmp/rn.db"
run 0 "load the repeat-neglect scenario" "$M" --db "$rn" scenario load repeat-neglect
run 0 "its history is on the hub before the exercise" "$M" --db "$rn" --as csc1 queue --decided
[ "$(grep -c 'Brennan' "$tmp/out")" = 3 ] && ok "three earlier referrals of the Brennan children" || not_ok "three earlier referrals" "$(cat "$tmp/out")"
"$M" --db "$rn" --as trainer scenario run --speed 1 >"$tmp/run.out" 2>"$tmp/run.err" &
runner=$!
# The first arrival is at once, the next ten real minutes later: wait for
# the first (however long a busy machine takes), then stop the run.
end=$(( $(date +%s) + ${E2E_TIMEOUT:-30} ))
until grep -q 'R000004' "$tmp/run.out" || [ "$(date +%s)" -ge "$end" ]; do sleep 0.1; done
kill -INT "$runner"
wait "$runner"
rc=$?
runner=
[ "$rc" = 0 ] && ok "SIGINT stops the run cleanly" || not_ok "SIGINT stops the run cleanly" "exit $rc" "$(cat "$tmp/run.err")"
grep -q 'R000004	n1' "$tmp/run.out" && ! grep -q 'R000005' "$tmp/run.out" &&
	ok "only the first referral had arrived" || not_ok "only the first referral had arrived" "$(cat "$tmp/run.out")"
run 0 "status after the stop" "$M" --db "$rn" --as trainer scenario status
expect "the clock is stopped" out '^running	no$'
run 0 "the next run resumes" "$M" --db "$rn" --as trainer scenario run --speed 0
[ "$(grep -c '^[0-9]' "$tmp/out")" = 2 ] && ok "releasing only the two still to come" || not_ok "releasing only the two still to come" "$(cat "$tmp/out")"
run 0 "the repeat referral links to its history" "$M" --db "$rn" --as csc1 show R000005
expect "shown as a repeat" out 'R000003'

echo "1..$n"
[ "$failed" -eq 0 ]
