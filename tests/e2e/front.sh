#!/usr/bin/env bash
# front.sh - the front door from the shell: screen (progress or close),
# request, rate and queue --checks, as product.md's contract says: each
# success, each exit code (64 usage, 65 bad data, 75 someone else did it,
# 77 not permitted), one clear line on stderr for every failure, and a
# hub left exactly as it was by it.  `show` gains its new sections after
# every line it printed before.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
tmp=$(mktemp -d /tmp/mashdesk-front-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

hub="$tmp/hub.db"
# What any command could change, as one line: a refused command must
# leave it as it was (refusals and views are audited, so not the file).
state() {
	sqlite3 "$hub" "SELECT group_concat(x, '|') FROM (
		SELECT ref || stage || status || coalesce(rag, '') || coalesce(level, '')
		  || due_at || version || coalesce(screened_by, '') AS x FROM referral
		UNION ALL SELECT referral_id || agency || status || due_at
		  || coalesce(requested_by, '') FROM agency_check
		UNION ALL SELECT count(*) FROM rating
		UNION ALL SELECT count(*) FROM audit WHERE action NOT IN ('refused', 'view'))"
}

# run CODE DESC CMD...: expect exit CODE; a failure says one line on
# stderr and changes nothing.
run() {
	local want=$1 desc=$2; shift 2
	local was
	was=$(state)
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc" "exit $got, wanted $want" "stderr: $(head -c 300 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc" "wanted one line on stderr, got $lines" "$(head -c 300 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$(state)" != "$was" ]; then
		not_ok "$desc" "a refused command changed the hub"
	else
		ok "$desc"
	fi
}
# expect DESC FILE PATTERN: the file (out or err) matches the regex.
expect() {
	if grep -Eq -- "$3" "$tmp/$2"; then ok "$1"; else
		not_ok "$1" "no match for /$3/ in $2:" "$(head -c 400 "$tmp/$2")"; fi
}
# same DESC GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2'" "wanted '$3'"; fi
}
q() { sqlite3 "$hub" "$1"; }

H=("$M" --db "$hub")
"${H[@]}" init --training --name "Front Door MASH" >/dev/null 2>&1 &&
"${H[@]}" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
"${H[@]}" user add sam --name "Sam Idris" --agency csc --role practitioner &&
"${H[@]}" user add pat --name "Pat Okafor" --agency police --role practitioner &&
"${H[@]}" user add hana --name "Hana Nowak" --agency health --role practitioner &&
"${H[@]}" user add tom --name "Tom Achebe" --role trainer
same "a training hub with csc, police, health and a trainer" "$?" 0
SUE=("${H[@]}" --as sue) SAM=("${H[@]}" --as sam) PAT=("${H[@]}" --as pat)
add() { "${SUE[@]}" referral add --child "$1" --dob 2016-02-02 --concern "A worry" "${@:2}"; }

# ---- help ------------------------------------------------------------------
for c in screen request rate; do
	run 0 "$c --help succeeds" "$M" "$c" --help
	expect "... and shows its usage" out "^usage: mashdesk .* $c "
done
run 0 "mashdesk --help lists them" "$M" --help
expect "... screen" out '^  screen  '
expect "... request" out '^  request  '
expect "... rate" out '^  rate  '

# ---- screen: progress ---------------------------------------------------------
r1=$(add "Ada Quill" --rag amber)
same "referral add takes in a contact" "$(q "SELECT stage FROM referral WHERE ref = '$r1'")" contact
run 64 "screen without REF" "${SAM[@]}" screen --rag red --reason x --request police
run 64 "screen with neither --rag nor --close" "${SAM[@]}" screen "$r1" --reason x
expect "... says what to give" err 'give --rag, --reason and --request'
run 64 "screen --rag without --request" "${SAM[@]}" screen "$r1" --rag red --reason x
expect "... names --request" err -- '--request is required'
run 64 "screen without --reason" "${SAM[@]}" screen "$r1" --rag red --request police
run 64 "screen --close with --rag" "${SAM[@]}" screen "$r1" --close nfa --rag red --reason x
run 65 "screen --rag crimson" "${SAM[@]}" screen "$r1" --rag crimson --reason x --request police
expect "... names the field and the codes" err "rag: unknown code 'crimson' \(one of: red amber green\)"
run 65 "screen --request with an unknown agency" "${SAM[@]}" screen "$r1" --rag red --reason x --request police,polce
expect "... names it" err "request: unknown code 'polce'"
run 65 "screen --level 7" "${SAM[@]}" screen "$r1" --rag red --reason x --request police --level 7
run 64 "screen --request ''" "${SAM[@]}" screen "$r1" --rag red --reason x --request ''
run 65 "screen an unknown reference" "${SAM[@]}" screen R999999 --rag red --reason x --request police
run 77 "a police practitioner may not screen" "${PAT[@]}" screen "$r1" --rag red --reason x --request police
expect "... and is told who may" err 'only practitioners and supervisors of Children.s social care may screen contacts; pat is a Police practitioner'
run 0 "screen progresses the contact" "${SAM[@]}" screen "$r1" --rag red --level 3 \
	--reason "Bruise seen by the school nurse" --request police,health --request education
same "... a referral now, checks under way, red, level 3" \
	"$(q "SELECT stage || ' ' || status || ' ' || rag || ' ' || level FROM referral WHERE ref = '$r1'")" \
	"referral checks red 3"
same "... only the three agencies asked, requested by sam, due in 2 hours" \
	"$(q "SELECT group_concat(agency) FROM (SELECT agency FROM agency_check
		WHERE status = 'requested' AND requested_by = 'sam'
		AND due_at - requested_at = 7200 ORDER BY agency)")" "education,health,police"
run 65 "screening it again yourself" "${SAM[@]}" screen "$r1" --close nfa --reason x
expect "... says you did, and when" err "was screened already, by you at .* \(progressed\)"
run 75 "screening it after someone else did" "${SUE[@]}" screen "$r1" --rag red --reason x --request police
expect "... names who and when" err "$r1 was screened by sam at [0-9-]+T[0-9:]+"

# ---- screen: close ----------------------------------------------------------
r2=$(add "Bo Quill")
run 65 "--close with an unknown outcome" "${SAM[@]}" screen "$r2" --close maybe --reason x
expect "... lists the outcomes" err "close: unknown code 'maybe' \(one of: nfa advice early-help allocated\)"
run 65 "--close allocated with no allocated worker" "${SAM[@]}" screen "$r2" --close allocated --reason x
expect "... says why not" err "none is recorded for this child"
run 0 "screen --close advice" "${SAM[@]}" screen "$r2" --close advice --reason "Leaflet about sleep"
same "... closed at screening, a contact still" \
	"$(q "SELECT stage || ' ' || status || ' ' || screening_outcome FROM referral WHERE ref = '$r2'")" \
	"contact closed advice"
run 75 "a decision on it names who closed it" "${SUE[@]}" decide "$r2" --outcome nfa --rationale x
expect "... and as what" err "closed at screening by sam at .* as advice"
run 65 "rating it" "${SUE[@]}" rate "$r2" --rag red --reason x
run 65 "asking an agency on it" "${SUE[@]}" request "$r2" police

# ---- request ------------------------------------------------------------------
r3=$(add "Cy Quill" --rag green)
run 65 "request on a contact" "${SUE[@]}" request "$r3" police
expect "... says to screen it first" err "is a contact: screen it first"
run 0 "screen it asking police" "${SUE[@]}" screen "$r3" --rag green --reason "Routine" --request police
run 64 "request without AGENCY" "${SUE[@]}" request "$r3"
run 65 "request an unknown agency" "${SUE[@]}" request "$r3" polce
expect "... names it" err "agency: unknown code 'polce'"
run 77 "a police practitioner may not ask agencies" "${PAT[@]}" request "$r3" health
run 0 "request health with a reason" "${SUE[@]}" request "$r3" health --reason "GP letter"
same "... health asked, due on the green timescale" \
	"$(q "SELECT requested_by || ' ' || request_reason || ' ' || (c.due_at - c.requested_at)
		FROM agency_check c JOIN referral r ON r.id = c.referral_id
		WHERE r.ref = '$r3' AND agency = 'health'")" "sue GP letter 86400"
run 65 "asking it again yourself" "${SUE[@]}" request "$r3" education,health
expect "... says when and by whom" err "agency: health was asked already \(at .* by sue\)"
run 75 "someone else asking it again" "${SAM[@]}" request "$r3" education,health
expect "... names them" err "agency: health was asked already, by sue at "
same "... and education was not asked either (all or none)" \
	"$(q "SELECT count(*) FROM agency_check c JOIN referral r ON r.id = c.referral_id
		WHERE r.ref = '$r3' AND agency = 'education'")" 0

# ---- rate -----------------------------------------------------------------------
run 64 "rate without --reason" "${SUE[@]}" rate "$r3" --rag red
run 64 "rate without --rag" "${SUE[@]}" rate "$r3" --reason x
run 65 "rate --rag pink" "${SUE[@]}" rate "$r3" --rag pink --reason x
run 65 "rate it what it is" "${SUE[@]}" rate "$r3" --rag green --reason "Still"
expect "... says so" err "rag: $r3 is already green"
run 77 "a health practitioner may not rate" "${H[@]}" --as hana rate "$r3" --rag red --reason x
before=$(q "SELECT c.due_at FROM agency_check c JOIN referral r ON r.id = c.referral_id
	WHERE r.ref = '$r3' AND agency = 'police'")
now=$(date +%s)
run 0 "raise it to red" "${SUE[@]}" rate "$r3" --rag red --reason "Disclosure at school"
after=$(q "SELECT c.due_at FROM agency_check c JOIN referral r ON r.id = c.referral_id
	WHERE r.ref = '$r3' AND agency = 'police'")
[ "$after" -lt "$before" ] && [ "$after" -ge $((now + 7200)) ] && [ "$after" -le $((now + 7260)) ] &&
	ok "... brings the open checks' due times forward to 2 hours from now" ||
	not_ok "raising moved the police check from $before to $after (now $now)"
run 0 "lower it to amber" "${SUE[@]}" rate "$r3" --rag amber --reason "Safe with grandmother"
same "... keeps them" "$(q "SELECT c.due_at FROM agency_check c JOIN referral r ON r.id = c.referral_id
	WHERE r.ref = '$r3' AND agency = 'police'")" "$after"

# ---- show ----------------------------------------------------------------------
run 0 "show the re-rated referral" "${SUE[@]}" show "$r3"
expect "... its stage" out $'^screening\tstage\treferral$'
expect "... who screened it" out $'^screening\tscreened_by\tsue$'
expect "... the ratings timeline, oldest first" out $'^rating\tgreen\tRoutine; was green; by sue; at '
expect "... with the raise" out $'^rating\tred\tDisclosure at school; was green; by sue; at '
expect "... and the lowering" out $'^rating\tamber\tSafe with grandmother; was red; by sue; at '
expect "... each request" out $'^request\thealth\tGP letter; by sue; at '
first_new=$(grep -nE $'^(screening|rating|request|strategy[a-z_]*|feedback)\t' "$tmp/out" | head -1 | cut -d: -f1)
last_old=$(grep -nvE $'^(screening|rating|request|strategy[a-z_]*|feedback)\t' "$tmp/out" | tail -1 | cut -d: -f1)
[ -n "$first_new" ] && [ "$last_old" -lt "$first_new" ] &&
	ok "... the new sections come after every line show printed before" ||
	not_ok "new lines among the old ones (first new $first_new, last old $last_old)"

# ---- queue --checks ----------------------------------------------------------------
sqlite3 "$hub" "UPDATE agency_check SET due_at = due_at - 86400
	WHERE agency = 'police' AND referral_id = (SELECT id FROM referral WHERE ref = '$r1')"
run 0 "queue --checks as police" "${PAT[@]}" queue --checks
expect "... the queue's columns, two more, strategy_due and the feedback columns" out $'^ref\treceived\tchild\tdob\tage\trag\tlevel\tstatus\tassigned_to\tchecks\tdue\tleft\toverdue\trepeat\tcheck_due\tcheck_late\tstrategy_due\tfeedback_due\tfeedback_kind\tfeedback_late$'
same "... police's two checks, the late one first" \
	"$(cut -f1,16 "$tmp/out" | tail -n +2 | tr '\t\n' ': ')" "$r1:1 $r3:0 "
run 0 "queue --checks as health" "${H[@]}" --as hana queue --checks
same "... health's own" "$(cut -f1 "$tmp/out" | tail -n +2 | sort | tr '\n' ' ')" "$r1 $r3 "
run 0 "plain queue keeps its columns" "${PAT[@]}" queue
expect "... no check columns" out $'^ref\treceived\tchild\tdob\tage\trag\tlevel\tstatus\tassigned_to\tchecks\tdue\tleft\toverdue\trepeat\tstrategy_due\tfeedback_due\tfeedback_kind\tfeedback_late$'
run 64 "queue --checks --mine" "${PAT[@]}" queue --checks --mine
run 64 "queue --checks for someone of no agency" "${H[@]}" --as tom queue --checks
expect "... says why" err "tom belongs to no agency"

echo "1..$n"
[ "$failed" -eq 0 ]
