#!/bin/bash
# retention.sh - records that end, from the shell: `retention --dry-run`
# lists exactly the records the [retention] policy names (the hand-made
# hub of tests/data/retention.csv, as of a fixed date), `retention run`
# removes what is due now and says how many, a record being edited is kept
# with 75, `hold` and `hold --lift` with their refusals, `show` prints the
# hold and says when a removed reference went; every command's --help,
# exit codes (64 usage, 65 bad data, 75 someone else, 77 not permitted,
# 78 configuration) and one line on stderr for every failure, which
# changes nothing.  Then the desk (tmux, 80x24): the referral's header
# says "Legal hold" (an open referral: the queue lists those), and drops
# it when the hold is lifted from the shell.
# TAP output.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
export TZ=UTC HOME="$e2e_tmp/home" XDG_DATA_HOME="$e2e_tmp/data" \
	XDG_CONFIG_HOME="$e2e_tmp/config"
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"
hub=$e2e_tmp/hub.db
ini=$e2e_tmp/hub.ini
out=$e2e_tmp/out
err=$e2e_tmp/err
data=${MASHDESK_SRCDIR:-$here/../..}/tests/data/retention.csv
cat >"$ini" <<'EOF'
[retention]
contact_closed = 72
contact_closed_nfa = 24
contact_closed_allocated = 0
referral_no_further = 72
referral_assessed = age25
EOF
H=("$MASHDESK" --db "$hub" --config "$ini")
q() { sqlite3 "$hub" "$1"; }
# What a command could change, as one line: a failure leaves it as it was.
state() {
	q "SELECT (SELECT group_concat(ref) FROM referral) || '|' ||
		(SELECT count(*) FROM legal_hold) || '|' ||
		(SELECT count(*) FROM legal_hold WHERE lifted_at IS NULL) || '|' ||
		(SELECT count(*) FROM referral_removed)"
}

# run CODE DESC CMD...: exit CODE; a failure says one line on stderr
# ("mashdesk: CMD: ...") and changes nothing.
run() {
	local want=$1 desc=$2 was got lines
	shift 2
	was=$(state)
	"$@" >"$out" 2>"$err"
	got=$?
	lines=$(wc -l <"$err")
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc: exit $got, wanted $want"
		diag "stderr: $(head -c 300 "$err")"
	elif [ "$want" -ne 0 ] && [ "$want" -ne 75 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc: $lines lines on stderr, wanted one"
		diag "$(head -c 300 "$err")"
	elif [ "$want" -ne 0 ] && [ "$want" -ne 75 ] && [ "$(state)" != "$was" ]; then
		not_ok "$desc: a failed command changed the hub"
	else
		ok "$desc"
	fi
}
# expect DESC FILE REGEX
expect() {
	if grep -Eq -- "$3" "$e2e_tmp/$2"; then ok "$1"; else
		not_ok "$1"; diag "no /$3/ in $2:" "$(head -c 400 "$e2e_tmp/$2")"; fi
}
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got '$2'" "wanted '$3'"; fi
}

"${H[@]}" init --training --name "Retention MASH" >/dev/null 2>&1 &&
"${H[@]}" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
"${H[@]}" user add sid --name "Sid Marr" --agency police --role supervisor &&
"${H[@]}" user add sam --name "Sam Idris" --agency csc --role practitioner &&
"${H[@]}" user add tom --name "Tom Achebe" --role trainer &&
"${H[@]}" user add adm --name "Ada Morrow" --role admin &&
"${H[@]}" --as sue import "$data" >/dev/null
check "a training hub with the hand-made records" test $? -eq 0
SUE=("${H[@]}" --as sue) SID=("${H[@]}" --as sid) SAM=("${H[@]}" --as sam)
ADM=("${H[@]}" --as adm)

# ---- help ---------------------------------------------------------------------
for c in "retention" "retention run" "hold"; do
	# shellcheck disable=SC2086
	run 0 "$c --help" "$MASHDESK" $c --help
	expect "... shows its usage" out "^usage: mashdesk .*$c"
done
run 0 "mashdesk --help" "$MASHDESK" --help
expect "... lists retention" out '^  retention  '
expect "... retention run" out '^  retention run  '
expect "... and hold" out '^  hold  '

# ---- hold ---------------------------------------------------------------------
run 64 "hold without REF" "${SUE[@]}" hold --reason "Court order"
run 64 "hold without --reason" "${SUE[@]}" hold R000009
expect "... says --reason is required" err -- '--reason is required'
run 64 "hold with --reason ''" "${SUE[@]}" hold R000009 --reason ''
run 65 "hold an unknown reference" "${SUE[@]}" hold R000099 --reason x
expect "... names it" err 'mashdesk: hold: no referral R000099'
run 77 "a practitioner may not hold" "${SAM[@]}" hold R000009 --reason x
expect "... and is told who may" err 'only supervisors may put legal holds on referrals'
run 0 "sue puts R000009 on legal hold" "${SUE[@]}" hold R000009 \
	--reason "Family court order: keep the file"
run 65 "holding it again herself" "${SUE[@]}" hold R000009 --reason again
expect "... says it is hers already" err 'R000009 is on legal hold already \(yours, since'
run 75 "another supervisor holding it" "${SID[@]}" hold R000009 --reason mine
expect "... names who and when" err 'R000009 was put on legal hold by sue at [0-9-]+T'
run 65 "lifting a hold that is not there" "${SUE[@]}" hold R000008 --lift --reason x
expect "... says so" err 'R000008 is not on legal hold'
run 0 "show R000009" "${SUE[@]}" show R000009
expect "... prints the hold, its reason and who" out \
	'^hold	legal-hold	Family court order: keep the file; by sue; at '

# ---- retention --dry-run ----------------------------------------------------------
run 64 "retention without --dry-run" "${ADM[@]}" retention
expect "... says how to list and how to run" err 'retention run'
run 64 "retention --dry-run with an argument" "${ADM[@]}" retention --dry-run now
run 64 "retention --as-of a non-date" "${ADM[@]}" retention --dry-run --as-of soon
run 77 "a supervisor may not list it" "${SUE[@]}" retention --dry-run
expect "... told who may" err 'only admins may apply the retention policy'
run 77 "nor run it" "${SUE[@]}" retention run
run 0 "the dry run as of 2027-01-15" "${ADM[@]}" retention --dry-run --as-of 2027-01-15
same "... lists exactly the four records the policy names, oldest due first" \
	"$(cat "$out")" "$(printf '%s\n' \
	'ref	kind	rule	due_since' \
	'R000006	contact-closed/early-help	contact_closed = 72 months	2024-01-01' \
	'R000007	no-further/nfa	referral_no_further = 72 months	2025-01-15' \
	'R000001	contact-closed/advice	contact_closed = 72 months	2025-06-10' \
	'R000003	contact-closed/nfa	contact_closed_nfa = 24 months	2026-10-01')"
run 0 "the dry run as of 2035-06-01" "${ADM[@]}" retention --dry-run --as-of 2035-06-01
same "... adds those due by then, the age25 one on the 25th birthday" \
	"$(cut -f1 "$out" | tail -n +2 | tr '\n' ' ')" \
	"R000006 R000007 R000001 R000003 R000004 R000008 R000002 R000010 "
same "... never the held, the kept-for-ever or the open ones" \
	"$(grep -cE '^R0000(05|09|11|12|13|14)' "$out")" 0
same "a dry run changes nothing" "$(q "SELECT count(*) FROM referral")" 14
printf '[retention]\nreferral_assessed = age18\n' >"$e2e_tmp/bad.ini"
run 78 "a bad [retention] value" "$MASHDESK" --db "$hub" --config "$e2e_tmp/bad.ini" \
	--as adm retention --dry-run
expect "... names file, section and key" err 'bad.ini: \[retention\] referral_assessed: "age18"'

# ---- retention run ------------------------------------------------------------------
run 0 "the dry run now" "${ADM[@]}" retention --dry-run
due_now=$(tail -n +2 "$out" | cut -f1)
ndue=$(printf '%s\n' "$due_now" | grep -c .)
check "... lists the records due today ($ndue)" test "$ndue" -ge 4
first=$(printf '%s\n' "$due_now" | head -n 1)
# sam's desk is editing the first of them (a live lease).
q "INSERT INTO lease (kind, referral_id, owner, host, pid, token, taken_at,
	heartbeat_at, expires_at) SELECT 'details', id, 'sam', 'desk', 1,
	'0123456789abcdef0123456789abcdef', strftime('%s', 'now'),
	strftime('%s', 'now'), strftime('%s', 'now') + 600
	FROM referral WHERE ref = '$first'"
run 75 "a run while one of them is being edited" "${ADM[@]}" retention run
same "... one line on stderr" "$(wc -l <"$err")" 1
expect "... naming it and who, kept for the next run" err \
	"mashdesk: retention run: $first is being edited by sam: kept for the next run"
same "... and the others removed, said on stdout" "$(cat "$out")" \
	"removed $((ndue - 1)) records"
same "... the one being edited is still there" \
	"$(q "SELECT count(*) FROM referral WHERE ref = '$first'")" 1
q "DELETE FROM lease"
run 0 "the next run" "${ADM[@]}" retention run
same "... removes it" "$(cat "$out")" "removed 1 record"
run 0 "a run with nothing due" "${ADM[@]}" retention run
same "... says so" "$(cat "$out")" "removed 0 records"
run 0 "the dry run now" "${ADM[@]}" retention --dry-run
same "... lists nothing" "$(tail -n +2 "$out")" ""
for r in $due_now; do
	run 65 "show $r after the run" "${SUE[@]}" show "$r"
	expect "... says it was removed, when and under which rule" err \
		"no referral $r on hub Retention MASH: it was removed on [0-9-]+ under \[retention\] "
done
same "the held, open and not-yet-due records are all there" \
	"$(q "SELECT count(*) FROM referral WHERE ref IN ('R000005', 'R000009',
		'R000010', 'R000011', 'R000012', 'R000013', 'R000014')")" 7
same "the later referral of a removed one is no longer marked a repeat" \
	"$(q "SELECT repeat_of IS NULL FROM referral WHERE ref = 'R000014'")" 1
run 0 "audit verify passes after the run" "${ADM[@]}" audit verify
same "each removal left a tombstone in the audit log" \
	"$(q "SELECT count(*) FROM audit WHERE action = 'retention'")" "$ndue"
same "... naming no child" \
	"$(q "SELECT count(*) FROM audit WHERE action IN ('retention', 'repeat-cleared',
		'retention-run') AND (detail LIKE '%Xanthe%' OR detail LIKE '%Ashdown%'
		OR detail LIKE '%Dalby%' OR detail LIKE '%Gurney%')")" 0
run 0 "a new referral" "${SUE[@]}" referral add --child "Pia Rowe" \
	--dob 2016-03-03 --concern "A new worry"
same "... is numbered after them all" "$(cat "$out")" R000015

# ---- lifting a hold --------------------------------------------------------------------
run 0 "sid lifts the hold" "${SID[@]}" hold R000009 --lift --reason "Proceedings ended"
run 75 "sue lifting it too" "${SUE[@]}" hold R000009 --lift --reason "over"
expect "... names who lifted it" err "R000009's legal hold was lifted by sid at"
run 0 "the dry run now" "${ADM[@]}" retention --dry-run
same "... lists R000009: the policy applies to it again" \
	"$(tail -n +2 "$out" | cut -f1 | tr '\n' ' ')" "R000009 "
run 0 "show R000009" "${SUE[@]}" show R000009
same "... prints no hold" "$(grep -c '^hold' "$out")" 0

# ---- the desk --------------------------------------------------------------------------
if [ -z "${TMUX_BIN:-}" ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	ok "# SKIP the desk: tmux not installed"
	done_testing
fi
# The queue lists open referrals: R000012 is one (held for the desk).
"${SUE[@]}" hold R000012 --reason "New proceedings" >/dev/null 2>&1
tm_start 80 24 xterm-256color "${H[@]}" --as sue
check "the desk opens" tm_wait "Filter:"
tm_keys /
tm_wait "Type to search" >/dev/null
tm_type R000012
tm_wait "Search: R000012" >/dev/null
tm_keys Enter
tm_wait_gone "Type to search" >/dev/null
tm_keys Enter
check "the held referral's header says Legal hold, by whom" \
	tm_wait "Legal hold by sue"
"${SID[@]}" hold R000012 --lift --reason "Settled" >/dev/null 2>&1
check "lifted from the shell, the mark goes without a key pressed" \
	tm_wait_gone "Legal hold by sue"

# A closed record open at a desk when retention removes it: the desk lets
# it go, saying why, back on the referral it came from.
printf '%s\n' 'child,dob,concern,received,decided,outcome,stage' \
	'Tess Varga,2015-05-05,Closed at screening long ago.,2018-03-01T09:00:00,2018-03-01T10:00:00,nfa,contact' \
	'Tess Varga,2015-05-05,Referred again.,2026-01-05T09:00:00,,,referral' \
	>"$e2e_tmp/tess.csv"
"${SUE[@]}" import "$e2e_tmp/tess.csv" >/dev/null 2>&1
tm_keys Escape
tm_wait "Filter:" >/dev/null
tm_keys Escape
tm_wait_gone "Search: R0" >/dev/null
tm_keys /
tm_wait "Type to search" >/dev/null
tm_type R000017
tm_wait "Search: R000017" >/dev/null
tm_keys Enter
tm_wait_gone "Type to search" >/dev/null
tm_keys Enter
check "the later referral shows the earlier one in its prior history" \
	tm_wait "R000016"
i=0
while [ "$i" -lt 10 ] && ! tm_screen | grep -qF "> R000016"; do
	tm_keys Tab
	tm_settle
	i=$((i + 1))
done
tm_keys Enter
check "Enter opens the earlier, closed contact" \
	tm_wait "Decision: none, closed at screening"
"${ADM[@]}" retention run >/dev/null 2>&1
check "retention removes it: the desk says so" \
	tm_wait "Could not read R000016 again: no referral R000016 on hub"
check "... and goes back to the later referral" tm_wait "R000017  Tess Varga"
check "... whose prior history no longer has it" \
	tm_wait "No other referral of this child or household."
tm_keys q
done_testing
