#!/usr/bin/env bash
# transfer.sh - transfer out and transfer in from the shell, between two
# hubs, as product.md's contract says: --help, each success and what it
# prints, each exit code (64 usage, 65 a bad or changed bundle, 66 no
# file, 73 the output exists or the bundle was taken in before, 77 not
# permitted or training into live), one line on stderr for every failure,
# and both hubs left exactly as they were by it.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
tmp=$(mktemp -d /tmp/mashdesk-transfer-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

a="$tmp/riverside.db" b="$tmp/hilltop.db" live="$tmp/live.db"
# What any command could change at a hub, as one line (refusals and
# views are audited, so not the file).
state() {
	sqlite3 "$1" "SELECT group_concat(x, '|') FROM (
		SELECT ref || stage || status || coalesce(transferred_to, '')
		  || coalesce(transferred_from_ref, '') || version AS x FROM referral
		UNION ALL SELECT count(*) FROM transfer_in
		UNION ALL SELECT count(*) FROM transfer_history
		UNION ALL SELECT count(*) FROM audit WHERE action NOT IN ('refused', 'view'))"
}
both() { echo "$(state "$a")/$(state "$b")/$(state "$live")"; }

# run CODE DESC CMD...: expect exit CODE; a failure says one line on
# stderr and changes nothing at either hub.
run() {
	local want=$1 desc=$2; shift 2
	local was
	was=$(both)
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc" "exit $got, wanted $want" "stderr: $(head -c 300 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc" "wanted one line on stderr, got $lines" "$(head -c 300 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$(both)" != "$was" ]; then
		not_ok "$desc" "a refused command changed a hub"
	else
		ok "$desc"
	fi
}
expect() {
	if grep -Eq -- "$3" "$tmp/$2"; then ok "$1"; else
		not_ok "$1" "no match for /$3/ in $2:" "$(head -c 400 "$tmp/$2")"; fi
}
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2'" "wanted '$3'"; fi
}

for h in "$a:Riverside MASH:--training" "$b:Hilltop MASH:--training" "$live:Hilltop MASH:"; do
	IFS=: read -r path name mode <<<"$h"
	"$M" --db "$path" init $mode --name "$name" >/dev/null 2>&1
	if [ -n "$mode" ]; then
		"$M" --db "$path" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
		"$M" --db "$path" user add pat --name "Pat Okafor" --agency police --role practitioner
	fi
done
# On the live hub the Unix login is the user: a supervisor there (set up
# directly, as no command changes a role).
sqlite3 "$live" "UPDATE app_user SET role = 'supervisor', agency = 'csc' WHERE login = '$(id -un)'"
A=("$M" --db "$a" --as sue)
B=("$M" --db "$b" --as sue)
r=$("${A[@]}" referral add --child "Ada Quill" --dob 2016-04-12 --concern "Seen alone at night" \
	--rag amber --aliases "Addy Quill" --person "Mo Quill;mother;1990-02-03;pr" 2>/dev/null)
"$M" --db "$a" --as pat check "$r" --status complete --info "Kestrel informant account" \
	--basis public-task --handling restricted >/dev/null 2>&1
[ "$r" = R000001 ] && ok "Riverside has a referral with a restricted police entry" ||
	not_ok "setting up Riverside" "$r"

# ---- --help and usage --------------------------------------------------------------
run 0 "transfer out --help" "$M" transfer out --help
expect "... names every option" out "--to HUBNAME.*--reason TEXT.*--output FILE"
run 0 "transfer in --help" "$M" transfer in --help
expect "... says what a refusal means" out "taken in before is 73"
run 64 "transfer out without --to" "${A[@]}" transfer out "$r" --reason x --output "$tmp/x"
run 64 "transfer out without --output" "${A[@]}" transfer out "$r" --to "Hilltop MASH" --reason x
run 64 "transfer out without REF" "${A[@]}" transfer out --to "Hilltop MASH" --reason x --output "$tmp/x"
run 64 "transfer in without FILE" "${B[@]}" transfer in
run 64 "transfer in with two files" "${B[@]}" transfer in "$tmp/x" "$tmp/y"
run 64 "transfer alone" "${B[@]}" transfer

# ---- out ---------------------------------------------------------------------------
run 77 "a practitioner may not transfer" "$M" --db "$a" --as pat transfer out "$r" \
	--to "Hilltop MASH" --reason "Moved" --output "$tmp/ada.bundle"
expect "... says who may" err "only supervisors"
run 65 "an unknown referral" "${A[@]}" transfer out R000099 --to "Hilltop MASH" \
	--reason "Moved" --output "$tmp/ada.bundle"
run 65 "to this hub itself" "${A[@]}" transfer out "$r" --to "riverside mash" \
	--reason "Moved" --output "$tmp/ada.bundle"
touch "$tmp/taken"
run 73 "the output exists" "${A[@]}" transfer out "$r" --to "Hilltop MASH" \
	--reason "Moved" --output "$tmp/taken"
run 73 "the output's directory does not" "${A[@]}" transfer out "$r" --to "Hilltop MASH" \
	--reason "Moved" --output "$tmp/no/ada.bundle"
same "... no bundle was left anywhere" "$(ls "$tmp" | grep -c bundle)" 0
run 0 "transfer out" "${A[@]}" transfer out "$r" --to "Hilltop MASH" \
	--reason "Family moved to Hilltop" --output "$tmp/ada.bundle"
expect "... prints ref, hub, file and SHA-256" out \
	"^R000001	Hilltop MASH	$tmp/ada.bundle	[0-9a-f]{64}$"
hash=$(cut -f4 "$tmp/out")
grep -q Kestrel "$tmp/ada.bundle" && not_ok "the restricted entry is in the file" ||
	ok "the restricted entry's text is not in the file"
run 0 "show at Riverside" "${A[@]}" show "$r"
expect "... closed" out $'^referral\tstatus\tclosed$'
expect "... transferred to Hilltop" out $'^transfer\tto\tHilltop MASH; at [0-9T:Z+-]+; Family moved to Hilltop$'
run 65 "transferred twice" "${A[@]}" transfer out "$r" --to "Hilltop MASH" \
	--reason "Again" --output "$tmp/again.bundle"
expect "... says where it went" err "transferred to Hilltop MASH"

# ---- in ----------------------------------------------------------------------------
run 77 "a practitioner may not take one in" "$M" --db "$b" --as pat transfer in "$tmp/ada.bundle"
run 66 "no such file" "${B[@]}" transfer in "$tmp/nothing.bundle"
head -c 20000 "$tmp/ada.bundle" >"$tmp/cut.bundle"
run 65 "a truncated bundle" "${B[@]}" transfer in "$tmp/cut.bundle"
cp "$tmp/ada.bundle" "$tmp/flip.bundle"
printf 'B' | dd of="$tmp/flip.bundle" bs=1 seek=9000 conv=notrunc 2>/dev/null
run 65 "a bundle with one byte changed" "${B[@]}" transfer in "$tmp/flip.bundle"
expect "... says it changed" err "changed or damaged|not a transfer bundle|damaged"
cp "$tmp/ada.bundle" "$tmp/edit.bundle"
sqlite3 "$tmp/edit.bundle" "UPDATE child SET concern = 'Nothing of note'"
run 65 "a bundle edited with sqlite3" "${B[@]}" transfer in "$tmp/edit.bundle"
run 65 "a hub is not a bundle" "${B[@]}" transfer in "$a"
expect "... says so" err "not a transfer bundle"
echo "child,dob" >"$tmp/text.bundle"
run 65 "a text file is not a bundle" "${B[@]}" transfer in "$tmp/text.bundle"
run 77 "training into live" "$M" --db "$live" transfer in "$tmp/ada.bundle"
expect "... like import" err "transferred from a training hub, but this is a live hub; nothing is copied between live and training hubs"
run 0 "transfer in" "${B[@]}" transfer in "$tmp/ada.bundle"
same "... prints the new ref, hub, its ref there and the hash" "$(cat "$tmp/out")" \
	"R000001	Riverside MASH	R000001	$hash"
run 73 "the same bundle again" "${B[@]}" transfer in "$tmp/ada.bundle"
expect "... names the referral it became" err "taken in already.*it became R000001"
run 0 "show at Hilltop" "${B[@]}" show R000001
expect "... a contact" out $'^screening\tstage\tcontact$'
expect "... transferred from Riverside" out $'^transfer\tfrom\tRiverside MASH R000001$'
expect "... with the sending hub's history" out $'^transferred history\t[0-9]+\tTransferred from Riverside MASH \\(training\\) as R000001'
expect "... the withheld check marked" out "agency: police; status: complete; withheld: yes"
grep -q Kestrel "$tmp/out" && not_ok "the restricted entry arrived" ||
	ok "... never the restricted entry"
run 0 "audit verify at Riverside" "$M" --db "$a" audit verify
run 0 "audit verify at Hilltop" "$M" --db "$b" audit verify
same "both ends audited" "$(sqlite3 "$a" "SELECT count(*) FROM audit WHERE action = 'transfer-out'")/$(sqlite3 "$b" "SELECT count(*) FROM audit WHERE action = 'transfer-in'")" "1/1"

echo "1..$n"
[ "$failed" -eq 0 ]
