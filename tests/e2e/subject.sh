#!/usr/bin/env bash
# subject.sh - `mashdesk subject-access` from the shell, as product.md's
# contract says: --help, the document on standard output or in a new
# --output file (mode 0600, an existing one refused and left as it was
# unless --force), each exit code (64 usage, 65 bad data, 73 cannot
# create, 77 not permitted) with one line on stderr and nothing changed,
# "nothing held" as an answer (0), and one audit row per run.  The child
# is found under an alias.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
tmp=$(mktemp -d /tmp/mashdesk-subject-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

hub="$tmp/hub.db"
# What a failed run could change: the records and the audit rows other
# than refusals (a refusal is recorded, as every refusal is).
state() {
	sqlite3 "$hub" "SELECT group_concat(x, '|') FROM (
		SELECT ref || status || version AS x FROM referral
		UNION ALL SELECT count(*) FROM audit WHERE action <> 'refused')"
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
		not_ok "$desc" "a failed command changed the hub"
	else
		ok "$desc"
	fi
}
# expect DESC FILE PATTERN: the file (out or err, or a path) matches.
expect() {
	local f=$2
	case $f in /*) ;; *) f="$tmp/$f";; esac
	if grep -Eq -- "$3" "$f"; then ok "$1"; else
		not_ok "$1" "no match for /$3/ in $2:" "$(head -c 400 "$f")"; fi
}
absent() {
	if grep -Eq -- "$3" "$tmp/$2"; then not_ok "$1" "/$3/ found in $2"; else ok "$1"; fi
}
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2'" "wanted '$3'"; fi
}
q() { sqlite3 "$hub" "$1"; }

H=("$M" --db "$hub")
"${H[@]}" init --training --name "Subject MASH" >/dev/null 2>&1 &&
"${H[@]}" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
"${H[@]}" user add sam --name "Sam Idris" --agency csc --role practitioner &&
"${H[@]}" user add pat --name "Pat Okafor" --agency police --role practitioner
same "a training hub with a supervisor and two practitioners" "$?" 0
SUE=("${H[@]}" --as sue) SAM=("${H[@]}" --as sam) PAT=("${H[@]}" --as pat)
SA=(subject-access --child "Tia Quill" --dob 2016-04-01)

# Referral A as Tia Quill, B as Tia Marsh known also as Tia Quill, the
# same date of birth; another Tia Quill born another day; a brother at
# A's address.
a=$("${SAM[@]}" referral add --child "Tia Quill" --dob 2016-04-01 \
	--concern "Bruise seen at school" --address "1 Elm Row" \
	--referrer "Ms Ada Teacher" --person "Kim Quill;mother;1990-03-04;pr")
b=$("${SAM[@]}" referral add --child "Tia Marsh" --dob 2016-04-01 \
	--aliases "Tia Quill" --concern "Missing school" --address "2 Oak Row")
c=$("${SAM[@]}" referral add --child "Tia Quill" --dob 2015-01-01 --concern "Another child")
d=$("${SAM[@]}" referral add --child "Kim Quill" --dob 2016-04-01 \
	--concern "A brother" --address "1 Elm Row")
"${SAM[@]}" screen "$a" --rag red --reason "Bruise" --request police >/dev/null &&
"${PAT[@]}" check "$a" --status complete --info "Two call-outs to the flat" \
	--basis public-task --handling restricted
same "four records, one with a restricted police check" "$?" 0

"${SAM[@]}" referral edit "$b" --school "Elm Primary" --person "Ola Marsh;aunt" >/dev/null
same "a correction to B's details (school, household)" "$?" 0

# ---- help -----------------------------------------------------------------
run 0 "subject-access --help succeeds" "$M" subject-access --help
expect "... and shows its usage" out '^usage: mashdesk .*subject-access --child NAME --dob YYYY-MM-DD'
expect "... and what it does" out 'never by address'
run 0 "mashdesk --help lists it" "$M" --help
expect "... subject-access" out '^  subject-access  '

# ---- usage and bad data ---------------------------------------------------------
run 64 "without --child" "${SUE[@]}" subject-access --dob 2016-04-01
expect "... names --child" err '^mashdesk: subject-access: .*--child is required'
run 64 "without --dob" "${SUE[@]}" subject-access --child "Tia Quill"
expect "... names --dob" err -- '--dob is required'
run 64 "an unexpected argument" "${SUE[@]}" "${SA[@]}" extra
run 64 "--force without --output" "${SUE[@]}" "${SA[@]}" --force
run 64 "an unknown option" "${SUE[@]}" "${SA[@]}" --adress x
run 65 "a date of birth that is no date" "${SUE[@]}" subject-access --child "Tia Quill" --dob 2016-02-30
expect "... says so" err "dob: '2016-02-30' is not a date"
run 65 "a date of birth in another form" "${SUE[@]}" subject-access --child "Tia Quill" --dob 01/04/2016
run 77 "a practitioner may not" "${SAM[@]}" "${SA[@]}"
expect "... and is told who may" err 'only supervisors may answer subject access requests; sam is a practitioner'
same "... no document on standard output" "$(wc -c <"$tmp/out")" 0

# ---- the document -----------------------------------------------------------------
run 0 "a supervisor's subject access to standard output" "${SUE[@]}" "${SA[@]}"
expect "... titled for the child, the hub and review" out '^SUBJECT ACCESS: what Subject MASH holds about Tia Quill, born 2016-04-01$'
expect "... by whom" out '^Produced [0-9-]+ [0-9:]+ by Sue Lindqvist \(sue, supervisor\)'
expect "... for review before disclosure" out '^FOR REVIEW BEFORE DISCLOSURE'
expect "... finds the record under her name" out "^Record 1 of 2: $a, a referral received"
expect "... and the one under another name with her name as an alias" out "^Record 2 of 2: $b, a contact received"
expect "... which it says it searched" out "^  Name: Tia Marsh \(a name or alias of the child on $b\)$"
expect "... and how many it found" out "^  Records found: 2 \($a, $b\), oldest first\.$"
absent "... not the other Tia Quill, born another day" out "$c"
absent "... nor the brother at her address" out "$d|Kim Quill \(a name"
expect "... the restricted entry marked" out '^    \[RESTRICTED: review before disclosure\] Information shared: Two call-outs'
expect "... the household member marked" out '^    \[THIRD PARTY: household member\] Person: Kim Quill \(mother\)'
expect "... the referrer marked" out '^    \[THIRD PARTY: referrer\] Referrer: Ms Ada Teacher$'
expect "... the police entry marked as another agency's" out "^    \[THIRD PARTY: agency's entry, Police\]$"
expect "... the corrections to the details, from what to what" out "^    Corrected: [0-9-]+ [0-9:]+ by sam: school: '' -> 'Elm Primary'$"
expect "... a household member's marked" out "^    \[THIRD PARTY: household member\] Corrected: [0-9-]+ [0-9:]+ by sam: person"
long=$(awk 'length > 78' "$tmp/out" | head -1)
same "... no line wider than 78 columns" "$long" ""
same "... audited once, naming the request, not the document" \
	"$(q "SELECT login || '|' || detail FROM audit WHERE action = 'subject-access'")" \
	"sue|subject access for 'Tia Quill' born 2016-04-01: 2 records ($a, $b) to standard output"

e=$("${SAM[@]}" referral add --child "Tia Okoro" --dob 2016-04-01 --concern "Linked by nothing")
run 0 "--aliases: the names the requester gives are searched too" "${SUE[@]}" "${SA[@]}" \
	--aliases "Tia Okoro"
expect "... finding the record under that name" out "^  Records found: 3 \($a, $b, $e\), oldest first\.$"
expect "... listed as asked" out '^  Name: Tia Okoro \(as asked\)$'

run 0 "a child the hub holds nothing about is an answer too (0)" "${SUE[@]}" \
	subject-access --child "Ola Brandt" --dob 2016-04-01
expect "... saying so" out '^  Records found: none\. Subject MASH holds no contact or referral'

# ---- --output ---------------------------------------------------------------------
out="$tmp/tia.txt"
run 0 "--output a new file" "${SUE[@]}" "${SA[@]}" --output "$out"
expect "... holds the document" "$out" "^Record 2 of 2: $b"
same "... readable by its maker only" "$(stat -c %a "$out")" 600
same "... and no staging file is left beside it" "$(ls "$tmp" | grep -c partial)" 0
same "... audited with the file's path" \
	"$(q "SELECT detail FROM audit WHERE action = 'subject-access' ORDER BY id DESC LIMIT 1")" \
	"subject access for 'Tia Quill' born 2016-04-01: 2 records ($a, $b) to $out"
printf 'a letter already here\n' >"$tmp/letter.txt"
sum=$(sha256sum <"$tmp/letter.txt")
run 73 "--output an existing file is refused" "${SUE[@]}" "${SA[@]}" --output "$tmp/letter.txt"
expect "... saying how to replace it" err "letter.txt already exists; refusing to overwrite it \(--force replaces it\)"
same "... and the file is as it was" "$(sha256sum <"$tmp/letter.txt")" "$sum"
run 73 "--output a directory is refused" "${SUE[@]}" "${SA[@]}" --output "$tmp" --force
run 73 "--output in a directory that is not there" "${SUE[@]}" "${SA[@]}" --output "$tmp/none/x.txt"
same "... leaving nothing behind" "$(ls "$tmp" | grep -c partial)" 0
run 77 "--output as a practitioner: refused, no file made" "${SAM[@]}" "${SA[@]}" --output "$tmp/sam.txt"
same "... none" "$(ls "$tmp/sam.txt" 2>/dev/null)" ""
run 0 "--output an existing file with --force replaces it" "${SUE[@]}" "${SA[@]}" --output "$tmp/letter.txt" --force
expect "... with the document" "$tmp/letter.txt" '^SUBJECT ACCESS: '
same "... one audit row per run, five runs" \
	"$(q "SELECT count(*) FROM audit WHERE action = 'subject-access'")" 5

echo "1..$n"
[ "$failed" -eq 0 ]
