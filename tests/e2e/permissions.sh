#!/bin/bash
# permissions.sh - the permission matrix from the command line: every role
# against every command that acts on the hub, on a training hub (where --as
# picks the role) and, for the acting Unix login, on a live hub.  A refusal
# is exit 77 with one line saying who may; anything else is "allowed" (the
# command may still fail for its own reasons, e.g. 65 for a consent
# override with no refusal to override).  tests/unit/test_permissions.c
# holds the same table for the data layer.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
hub=$e2e_tmp/training.db
live=$e2e_tmp/live.db
me=$(id -un)
M=$MASHDESK

"$M" --db "$hub" init --training --name "Permission Test Hub" >/dev/null 2>&1 &&
"$M" --db "$hub" user add pat --name "Pat Okafor" --agency police --role practitioner &&
"$M" --db "$hub" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
"$M" --db "$hub" user add sam --name "Sam Idris" --agency csc --role practitioner &&
"$M" --db "$hub" user add tom --name "Tom Achebe" --role trainer &&
"$M" --db "$hub" user add adm --name "Ada Morrow" --role admin
check "a training hub with a user of every role" test $? -eq 0
printf 'child,dob,concern\nIvo Marchetti,2016-03-03,Imported worry\n' >"$e2e_tmp/one.csv"

new_ref() {
	"$M" --db "$hub" --as sue referral add --child "Nell Ashdown" \
		--dob 2015-04-04 --concern "A worry" --rag amber 2>/dev/null
}

# try ROLE-LOGIN WANT DESC COMMAND...: WANT is "deny" (77) or "allow".
try() {
	local who=$1 want=$2 desc=$3
	shift 3
	"$@" >/dev/null 2>"$e2e_tmp/err"
	local got=$?
	if [ "$want" = deny ]; then
		if [ $got -eq 77 ] && [ "$(wc -l <"$e2e_tmp/err")" -eq 1 ] &&
			grep -q "may" "$e2e_tmp/err"; then
			ok "$who may not $desc (77, says who may)"
		else
			not_ok "$who may not $desc: exit $got: $(head -c 200 "$e2e_tmp/err")"
		fi
	elif [ $got -ne 77 ]; then
		ok "$who may $desc (exit $got)"
	else
		not_ok "$who may $desc, but was refused: $(head -c 200 "$e2e_tmp/err")"
	fi
}

# The matrix: one row per role, one column per command, as in the
# unit test: queue show add import claim assign check decide user-add
# generate audit override report export screen rate request backup
# strategy, subject-access, transfer, hold, retention, feedback.
row() {
	local login=$1
	shift
	local ref
	ref=$(new_ref)
	local H=("$M" --db "$hub" --as "$login")
	try "$login" "$1" "list the queue" "${H[@]}" queue
	try "$login" "$2" "show a referral" "${H[@]}" show "$ref"
	try "$login" "$3" "add a referral" "${H[@]}" referral add --child "Remy Fairweather" \
		--dob 2014-02-02 --concern "Worry"
	try "$login" "$4" "import referrals" "${H[@]}" import "$e2e_tmp/one.csv"
	try "$login" "$5" "claim a referral" "${H[@]}" claim "$ref"
	try "$login" "$6" "assign a referral" "${H[@]}" assign "$ref" pat --reason cover
	try "$login" "$7" "record a check" "${H[@]}" check "$ref" --status in-progress
	try "$login" "$8" "record a decision" "${H[@]}" decide "$(new_ref)" \
		--outcome advice --rationale "Signposted"
	try "$login" "$9" "add a user" "${H[@]}" user add "u-$login" --name "New Person" \
		--agency csc --role practitioner
	try "$login" "${10}" "generate data" "${H[@]}" generate --referrals 3
	try "$login" "${11}" "read an audit trail" "${H[@]}" audit show "$ref"
	try "$login" "${12}" "override a consent refusal" "${H[@]}" consent override \
		"$ref" police --reason "Risk"
	try "$login" "${13}" "run a report" "${H[@]}" report turnaround
	try "$login" "${14}" "export referrals" "${H[@]}" export --from 2020-01-01 \
		--to 2030-12-31 --output "$e2e_tmp/export-$login.csv"
	# The front door: screen (a fresh contact), rate and request (on
	# one screened by sue).  The backup last.
	local screened
	screened=$(new_ref)
	"$M" --db "$hub" --as sue screen "$screened" --rag amber --reason Triage \
		--request police >/dev/null 2>&1
	try "$login" "${15}" "screen a contact" "${H[@]}" screen "$(new_ref)" \
		--rag red --reason "Bruise" --request police,health
	try "$login" "${16}" "rate a referral" "${H[@]}" rate "$screened" --rag red \
		--reason "Disclosure"
	try "$login" "${17}" "ask an agency for its check" "${H[@]}" request \
		"$screened" health --reason "GP letter"
	try "$login" "${18}" "back the hub up" "${H[@]}" backup "$e2e_tmp/backup-$login.db"
	# A strategy discussion (health by name in words: no health user).
	try "$login" "${19}" "record a strategy discussion" "${H[@]}" strategy \
		"$ref" --held now --how call --summary "Shared" \
		--attended "police:pat,csc:sam,health:Hana Nowak" --decision s47-single
	try "$login" "${20}" "answer a subject access request" "${H[@]}" \
		subject-access --child "Nell Ashdown" --dob 2015-04-04
	# Last: transfer a fresh referral out to another hub.
	try "$login" "${21}" "transfer a referral out" "${H[@]}" transfer out \
		"$(new_ref)" --to "Elsewhere MASH" --reason "Moved away" \
		--output "$e2e_tmp/transfer-$login.bundle"
	try "$login" "${22}" "put a legal hold on a referral" "${H[@]}" hold "$ref" \
		--reason "Court order"
	try "$login" "${23}" "list what retention would remove" "${H[@]}" retention --dry-run
	try "$login" "${24}" "give the referrer feedback" "${H[@]}" feedback \
		"$(new_ref)" --kind acknowledgement --method phone --text "Received"
}
#       queue show  add   import claim assign check decide user  gen   audit override report export screen rate  request backup strategy subject transfer hold  retention feedback
row pat allow allow allow allow  allow deny   allow allow  deny  deny  deny  deny     deny   deny   deny   deny  deny  deny   allow  deny  deny  deny  deny  allow
row sam allow allow allow allow  allow deny   allow allow  deny  deny  deny  deny     deny   deny   allow  allow allow  deny   allow  deny  deny  deny  deny  allow
row sue allow allow allow allow  allow allow  allow allow  deny  deny  allow allow    allow  allow  allow  allow allow  deny   allow  allow  allow  allow  deny  allow
row tom allow allow allow allow  deny  deny   deny  deny   allow allow allow deny     allow  deny   deny   deny  deny  allow  allow  deny  allow  allow  allow  deny
row adm deny  deny  deny  deny   deny  deny   deny  deny   allow allow deny  deny     allow  allow  deny   deny  deny  allow  deny    deny  deny  deny  allow  deny

# On a live hub the Unix login is the user and --as is refused outright.
"$M" --db "$live" init --name "Live Permission Hub" >/dev/null 2>&1
check "a live hub whose admin is $me" test $? -eq 0
L=("$M" --db "$live")
try "$me (admin, live)" deny "list the queue" "${L[@]}" queue
try "$me (admin, live)" deny "add a referral" "${L[@]}" referral add --child "Remy Fairweather" \
	--dob 2014-02-02 --concern "Worry"
try "$me (admin, live)" deny "import referrals" "${L[@]}" import "$e2e_tmp/one.csv"
try "$me (admin, live)" deny "generate data on a live hub" "${L[@]}" generate --referrals 3
try "$me (admin, live)" allow "run a report" "${L[@]}" report outcomes
try "$me (admin, live)" deny "screen a contact" "${L[@]}" screen R000001 \
	--rag red --reason x --request police
try "$me (admin, live)" deny "rate a referral" "${L[@]}" rate R000001 \
	--rag red --reason x
try "$me (admin, live)" deny "ask an agency for its check" "${L[@]}" request \
	R000001 police
try "$me (admin, live)" deny "record a strategy discussion" "${L[@]}" strategy \
	R000001 --held now --how call --attended police:pat --summary x \
	--decision s47-single --missing-reason x
try "$me (admin, live)" allow "add a user" "${L[@]}" user add sam --name "Sam Idris" \
	--agency police --role practitioner
try "$me (admin, live)" allow "back the hub up" "${L[@]}" backup "$e2e_tmp/live-copy.db"
try "$me (admin, live)" deny "answer a subject access request" "${L[@]}" \
	subject-access --child "Remy Fairweather" --dob 2014-02-02
try "$me (admin, live)" allow "apply the retention policy" "${L[@]}" retention run
try "$me (admin, live)" deny "put a legal hold on a referral" "${L[@]}" hold R000001 \
	--reason x
"${L[@]}" --as sam queue >/dev/null 2>"$e2e_tmp/err"
[ $? -eq 77 ] && grep -q "only on training hubs" "$e2e_tmp/err" &&
	ok "--as is refused on a live hub (77, says where it works)" ||
	not_ok "--as on a live hub: $(cat "$e2e_tmp/err")"
[ "$(sqlite3 "$live" 'SELECT count(*) FROM referral')" = 0 ] &&
	ok "nothing refused reached the live hub" || not_ok "a refused command changed the live hub"
[ "$(sqlite3 "$hub" "SELECT count(*) FROM audit WHERE action = 'refused'")" -ge 20 ] &&
	ok "every refusal is in the audit log" || not_ok "refusals missing from the audit log"

done_testing
