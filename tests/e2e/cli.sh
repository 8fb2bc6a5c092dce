#!/usr/bin/env bash
# cli.sh - the command-line contract of product.md, driven from the shell:
# every command's output and exit code, and that each failure prints exactly
# one line on stderr and changes nothing.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
tmp=$(mktemp -d /tmp/mashdesk-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"
me=$(id -un)

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# run CODE DESC CMD...: expect exit CODE; on failure exactly one stderr line.
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
# expect DESC FILE PATTERN: the file (out or err) matches the regex.
expect() {
	if grep -Eq -- "$3" "$tmp/$2"; then ok "$1"; else
		not_ok "$1" "no match for /$3/ in $2:" "$(head -c 400 "$tmp/$2")"; fi
}
count() { sqlite3 "$hub" "$1" 2>/dev/null || echo "?"; }

hub="$tmp/hub.db"
live="$tmp/live.db"
H=("$M" --db "$hub")

# ---- help and usage ----------------------------------------------------------
run 0 "--help succeeds" "$M" --help
expect "--help lists every command" out 'referral add.*' 
for c in desk init demo generate doctor "audit verify" "audit show" "user add" "user list" "referral add" import queue show claim assign check decide "consent override"; do
	# shellcheck disable=SC2086
	run 0 "$c --help succeeds" "$M" $c --help
done
expect "a command's help names its options" out 'usage: mashdesk'
run 64 "unknown command is a usage error" "$M" frobnicate
run 64 "unknown global option is a usage error" "$M" --frob
run 0 "--version" "$M" --version
expect "--version prints the version" out '^mashdesk [0-9]'

# ---- init ----------------------------------------------------------------------
run 0 "init creates a training hub" "${H[@]}" init --training --name "Riverside MASH"
[ -f "$hub" ] && ok "the hub file exists" || not_ok "the hub file exists"
mode=$(stat -c %a "$hub")
case "$mode" in 6?0|600) ok "hub file is not world-readable ($mode)";; *) not_ok "hub file mode $mode";; esac
before=$(sha256sum "$hub")
run 73 "init over an existing hub is refused" "${H[@]}" init
expect "…saying it exists" err 'already exists'
[ "$(sha256sum "$hub")" = "$before" ] && ok "…and the hub is unchanged" || not_ok "hub changed"
run 73 "init in a missing directory" "$M" --db "$tmp/no/such/dir/h.db" init
expect "…names the directory" err "$tmp/no/such/dir"
run 0 "init a live hub" "$M" --db "$live" init --name "Live MASH"

grp=$(id -gn)
mkdir -m 2770 "$tmp/shared"
run 0 "init --group gives the hub to a group" "$M" --db "$tmp/shared/h.db" init --group "$grp"
[ "$(stat -c '%a %G' "$tmp/shared/h.db")" = "660 $grp" ] && ok "…mode 0660, group $grp" ||
	not_ok "group hub is $(stat -c '%a %G' "$tmp/shared/h.db")"
run 65 "init --group with no such group" "$M" --db "$tmp/shared/h2.db" init --group no-such-group-here
[ ! -e "$tmp/shared/h2.db" ] && ok "…leaves no file behind" || not_ok "file left behind"

# ---- bad databases ---------------------------------------------------------------
run 66 "a missing hub file" "$M" --db "$tmp/missing.db" queue
printf 'this is not a database at all, just text\n%.0s' {1..200} >"$tmp/text.db"
run 65 "a file that is not a hub" "$M" --db "$tmp/text.db" queue
expect "…says so" err 'not a mashdesk hub'
head -c 8192 "$hub" >"$tmp/cut.db"; dd if=/dev/urandom of="$tmp/cut.db" bs=1 seek=4096 count=2048 conv=notrunc status=none
"$M" --db "$tmp/cut.db" --as "$me" queue >/dev/null 2>"$tmp/err"; code=$?
case $code in 65|74) ok "a corrupt hub gives 65 or 74 ($code)";; *) not_ok "corrupt hub gave $code";; esac
sqlite3 "$tmp/empty.db" "CREATE TABLE t(x);"
run 65 "an SQLite file that is not a hub" "$M" --db "$tmp/empty.db" queue
mkdir "$tmp/dir.db"
run 65 "a directory in place of the hub" "$M" --db "$tmp/dir.db" queue

# ---- configuration -------------------------------------------------------------------
printf '[hub]\nname = X\ncolour = blue\n' >"$tmp/bad.ini"
run 78 "an unknown config key" "${H[@]}" --config "$tmp/bad.ini" queue
expect "…names file, section and key" err "bad.ini.*\\[hub\\].*colour"
printf '[timescales]\ncheck_red_hours = soon\n' >"$tmp/bad2.ini"
run 78 "a bad config value" "${H[@]}" --config "$tmp/bad2.ini" queue
run 66 "a named config file that is missing" "${H[@]}" --config "$tmp/nope.ini" queue
printf '[hub]\nname = Configured Hub\n' >"$tmp/good.ini"
run 0 "a good config names new hubs" "$M" --db "$tmp/named.db" --config "$tmp/good.ini" init
[ "$(sqlite3 "$tmp/named.db" 'SELECT name FROM hub')" = "Configured Hub" ] &&
	ok "…with [hub] name" || not_ok "[hub] name not used"

# ---- users and identity ---------------------------------------------------------------
run 0 "the creator adds users" "${H[@]}" user add pat --name "Pat Okafor" --agency police --role practitioner
run 0 "…a supervisor" "${H[@]}" user add sue --name "Sue Lindqvist" --agency csc --role supervisor
run 0 "…a health practitioner" "${H[@]}" user add hana --name "Hana Nowak" --agency health --role practitioner
run 64 "user add without --role" "${H[@]}" user add x --name "X Y" --agency csc
run 65 "user add with an unknown agency" "${H[@]}" user add x --name "X Y" --agency fire --role practitioner
run 65 "user add of an existing login" "${H[@]}" user add pat --name "P" --agency police --role practitioner
run 77 "a practitioner cannot add users" "${H[@]}" --as pat user add y --name "Y" --agency csc --role practitioner
"${H[@]}" user list >"$tmp/out" 2>&1
expect "user list is tab-separated with a header" out $'^login\tname\tagency\trole\tactive$'
expect "…and lists the users" out $'^pat\tPat Okafor\tpolice\tpractitioner\t1$'
run 67 "an unknown --as user" "${H[@]}" --as ghost queue
expect "…gets the user add line" err 'user add ghost'
run 77 "--as on a live hub" "$M" --db "$live" --as pat queue
run 77 "an admin does not see referrals" "${H[@]}" queue

# ---- referrals ----------------------------------------------------------------------------
P=("${H[@]}" --as pat)
run 0 "referral add" "${P[@]}" referral add --child "Zoë Abara" --dob 2015-03-02 --concern "Bruising seen at school" --rag red --category physical --source school --referrer "Head teacher"
[ "$(cat "$tmp/out")" = "R000001" ] && ok "…prints the reference alone" || not_ok "printed '$(cat "$tmp/out")'"
run 0 "a second referral" "${P[@]}" referral add --child "Łukasz Nowak" --dob 2012-07-19 --concern "Missing from home" --rag amber --aliases "Luke;Lukas" --person "Marta Nowak;mother;1985-02-01;pr"
run 64 "referral add without --dob" "${P[@]}" referral add --child "A" --concern "x"
run 65 "referral add with an impossible date" "${P[@]}" referral add --child "A" --dob 2015-02-30 --concern "x"
expect "…names the field" err 'dob'
run 65 "referral add with level 7" "${P[@]}" referral add --child "A" --dob 2015-02-01 --concern "x" --level 7
run 65 "referral add with an unknown category" "${P[@]}" referral add --child "A" --dob 2015-02-01 --concern "x" --category sadness
[ "$(count 'SELECT count(*) FROM referral')" = 2 ] && ok "failed adds changed nothing" || not_ok "referral count"

"${P[@]}" queue >"$tmp/out" 2>"$tmp/err"
expect "queue on a pipe has a header row starting with ref" out $'^ref\treceived\tchild'
expect "…red first" out $'^R000001\t'
[ "$(sed -n 2p "$tmp/out" | cut -f1)" = R000001 ] && ok "…red is first" || not_ok "order"
expect "…ISO 8601 times" out $'\t20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}\t'
"${P[@]}" queue --search luke >"$tmp/out"
[ "$(tail -n +2 "$tmp/out" | cut -f1)" = R000002 ] && ok "queue --search finds an alias" || not_ok "search"
run 64 "queue with two filters" "${P[@]}" queue --mine --overdue
run 65 "queue --limit 0" "${P[@]}" queue --limit 0

# ---- claim, assign, check, decide ----------------------------------------------------------------
run 0 "claim" "${P[@]}" claim R000001
run 75 "claiming a claimed referral" "${H[@]}" --as hana claim R000001
expect "…names who holds it" err 'pat'
run 65 "claiming an unknown referral" "${P[@]}" claim R000099
"${P[@]}" queue --mine >"$tmp/out"
[ "$(tail -n +2 "$tmp/out" | cut -f1)" = R000001 ] && ok "queue --mine shows the claim" || not_ok "mine"
run 77 "a practitioner cannot assign" "${P[@]}" assign R000002 hana --reason "x"
run 64 "assign without --reason" "${H[@]}" --as sue assign R000002 hana
run 0 "a supervisor assigns" "${H[@]}" --as sue assign R000002 hana --reason "health lead"
run 0 "check records own agency" "${P[@]}" check R000001 --status complete --info "Two call-outs to the address" --basis public-task --handling restricted
run 65 "check sharing without a basis" "${H[@]}" --as hana check R000001 --status complete --info "Seen at A&E"
run 65 "check with an unknown status" "${P[@]}" check R000001 --status done
run 0 "decide" "${H[@]}" --as sue decide R000001 --outcome s47 --rationale "Significant harm likely" --level 4 --agencies police,csc,health --action "Strategy discussion;sue;2030-01-01"
run 75 "deciding twice" "${P[@]}" decide R000001 --outcome nfa --rationale "x"
run 65 "decide with an unknown outcome" "${P[@]}" decide R000002 --outcome jail --rationale "x"
run 64 "decide without a rationale" "${P[@]}" decide R000002 --outcome nfa
[ "$(count "SELECT status FROM referral WHERE id=1")" = decided ] && ok "the decision moved the referral on" || not_ok "status"
"${P[@]}" show R000001 >"$tmp/out"
expect "show lists the decision" out $'^decision\ts47\t'
expect "show marks restricted entries" out 'restricted: visible at the desk only'
if grep -q 'call-outs' "$tmp/out"; then not_ok "show leaks a restricted entry"; else ok "show never prints a restricted entry"; fi
run 65 "show of an unknown referral" "${P[@]}" show R000404

# ---- hostile text ------------------------------------------------------------------------------
run 0 "escape sequences in a name are stored" "${P[@]}" referral add --child $'Eve \e[2J\e]0;pwned\a Mallory' --dob 2014-01-01 --concern $'line one\nline two\ttab'
"${P[@]}" show R000003 >"$tmp/out"
if grep -q $'\e' "$tmp/out"; then not_ok "raw escape reached stdout"; else ok "no raw escape byte reaches stdout"; fi
expect "…tabs and newlines are escaped in tab-separated output" out $'concern\tline one\\\\nline two\\\\ttab'

# ---- import ---------------------------------------------------------------------------------------
printf 'dob,child,concern,rag,received\n2016-05-05,"Kofi, Mensah","Said ""no food"" at home",green,2026-01-05T09:00:00Z\n2013-09-09,Siobhán Kelly,"two\nlines",amber,\n' >"$tmp/good.csv"
run 0 "import a good file" "${P[@]}" import "$tmp/good.csv"
[ "$(count 'SELECT count(*) FROM referral')" = 5 ] && ok "…both rows" || not_ok "import count"
printf 'child,dob,concern\nA B,2015-01-01,x\nC D,2015-13-01,y\n' >"$tmp/bad.csv"
run 65 "import with a bad date" "${P[@]}" import "$tmp/bad.csv"
expect "…names the line and column" err 'bad.csv line 3.*dob'
[ "$(count 'SELECT count(*) FROM referral')" = 5 ] && ok "…and imports nothing" || not_ok "partial import"
run 66 "import of a missing file" "${P[@]}" import "$tmp/none.csv"
printf 'child,concern\nA,x\n' >"$tmp/nodob.csv"
run 65 "import without a required column" "${P[@]}" import "$tmp/nodob.csv"
expect "…names it" err "missing required column 'dob'"

# ---- demo and generate --------------------------------------------------------------------------------
run 0 "demo --no-desk builds the demo hub" "$M" demo --no-desk
demo="$XDG_DATA_HOME/mashdesk/demo.db"
[ "$(sqlite3 "$demo" 'SELECT count(*) FROM referral')" -ge 40 ] && ok "…with at least 40 referrals" || not_ok "demo size"
[ "$(sqlite3 "$demo" "SELECT mode FROM hub")" = training ] && ok "…as a training hub" || not_ok "demo mode"
[ "$(sqlite3 "$demo" "SELECT role FROM app_user WHERE login = '$me'")" = admin ] && ok "…whose admin is the invoking login" || not_ok "demo admin"
run 0 "the demo supervisor sees the queue" "$M" --db "$demo" --as demo-sup queue --overdue
grep -q $'\tred\t' "$tmp/out" && ok "…with an overdue red referral" || not_ok "no overdue red in demo"
run 77 "demo --reset refuses a live hub" "$M" --db "$live" demo --reset --no-desk
run 0 "generate 1000 referrals (seed 7)" "$M" --db "$tmp/g1.db" generate --referrals 1000 --seed 7
run 0 "generate the same again" "$M" --db "$tmp/g2.db" generate --referrals 1000 --seed 7
q() { sqlite3 "$1" "SELECT child_name, dob, rag, category, concern, received_at - (SELECT max(received_at) FROM referral) FROM referral ORDER BY id"; }
[ "$(q "$tmp/g1.db" | sha256sum)" = "$(q "$tmp/g2.db" | sha256sum)" ] && ok "same seed, same data" || not_ok "generate is not deterministic"
[ "$(sqlite3 "$tmp/g1.db" 'SELECT count(*) FROM referral')" = 1000 ] && ok "…1000 referrals" || not_ok "generate count"
run 77 "generate refuses a live hub" "$M" --db "$live" generate --referrals 10
run 65 "generate with a bad count" "$M" --db "$tmp/g3.db" generate --referrals lots
run 0 "generate into an existing hub adds to it" "$M" --db "$tmp/g1.db" generate --referrals 10 --seed 8
[ "$(sqlite3 "$tmp/g1.db" 'SELECT count(*) FROM referral')" = 1010 ] && ok "…1010 referrals" || not_ok "generate into existing"
run 73 "generate into a missing directory" "$M" --db "$tmp/none/g.db" generate --referrals 10
expect "…names the hub and the directory" err "cannot create $tmp/none/g.db: directory $tmp/none does not exist"
# A new hub is built aside and renamed into place: interrupted, it leaves nothing.
mkdir "$tmp/gi"
"$M" --db "$tmp/gi/big.db" generate --referrals 2000000 >/dev/null 2>&1 &
gpid=$!
end=$(( $(date +%s) + ${E2E_TIMEOUT:-30} ))
until ls -A "$tmp/gi" | grep -q partial || [ "$(date +%s)" -ge "$end" ]; do sleep 0.1; done
ls -A "$tmp/gi" | grep -q '^\.big\.db\.partial-' && ok "generate builds a new hub under a hidden name" || not_ok "no partial file: $(ls -A "$tmp/gi")"
kill -INT "$gpid"; wait "$gpid"
[ -z "$(ls -A "$tmp/gi")" ] && ok "…and an interrupted generate leaves no file behind" || not_ok "left: $(ls -A "$tmp/gi")"

# ---- audit ---------------------------------------------------------------------------------------------
run 0 "audit verify on an intact hub" "${H[@]}" audit verify
"${H[@]}" --as sue audit show R000001 >"$tmp/out" 2>&1
expect "audit show lists who did what, tab-separated" out $'^at\tlogin\thost\ttty\taction\tdetail$'
expect "…the decision among them" out $'\tsue\t.*\tdecide\tdecided: s47$'
expect "…and every view" out $'\tpat\t.*\tview\tshown on the command line$'
run 77 "audit show is for supervisors" "${P[@]}" audit show R000001
cp "$hub" "$tmp/tampered.db"
sqlite3 "$tmp/tampered.db" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nothing' WHERE id = 5"
run 65 "audit verify on an edited log" "$M" --db "$tmp/tampered.db" audit verify
expect "…names the first broken row" err 'audit row 5'

# ---- doctor ----------------------------------------------------------------------------------------
mkdir -m 0750 "$tmp/private"
"$M" --db "$tmp/private/h.db" init --training >/dev/null 2>&1
run 0 "doctor on a healthy hub" "$M" --db "$tmp/private/h.db" doctor
expect "…explains each line" out '^ok +locking +two processes'
expect "…including integrity" out '^ok +integrity +ok'
chmod 0666 "$tmp/private/h.db"
"$M" --db "$tmp/private/h.db" doctor >"$tmp/out" 2>&1; code=$?
[ "$code" = 77 ] && ok "doctor on a world-writable hub exits 77" || not_ok "doctor gave $code"
expect "…and says how to fix it" out 'PROBLEM +permissions .*chmod o-rwx'
run 77 "a hub open to everyone on the host is refused" "$M" --db "$tmp/private/h.db" user list
expect "…with the fix" err '(readable|writable) by everyone.*chmod o-rwx'
chmod 0640 "$tmp/private/h.db"
"$M" --db "$tmp/cut.db" doctor >"$tmp/out" 2>&1; code=$?
case $code in 65|74) ok "doctor on a damaged hub fails ($code)";; *) not_ok "doctor on damage gave $code";; esac
run 66 "doctor with no hub" "$M" --db "$tmp/private/none.db" doctor

# ---- integrity ----------------------------------------------------------------------------------
for f in "$hub" "$demo" "$tmp/g1.db"; do
	r=$(sqlite3 "$f" 'PRAGMA integrity_check; PRAGMA foreign_key_check;' | tr '\n' ' ')
	[ "$r" = "ok " ] && ok "integrity and foreign keys clean: $(basename "$f")" || not_ok "integrity $(basename "$f"): $r"
done

echo "1..$n"
[ "$failed" -eq 0 ]
