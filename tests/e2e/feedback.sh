#!/usr/bin/env bash
# feedback.sh - feedback to the referrer: `feedback` and `feedback letter`
# from the shell as product.md's contract says (each refusal's exit code,
# one line on stderr, the hub left as it was), the two clocks appearing
# and clearing in `queue` output and `show`, a restricted police entry that
# can go neither into feedback nor into a letter, the letter's template
# (an unknown placeholder named with its line), `report feedback`, and at
# the desk at 80x24: the Feedback due filter, the form on F (open, a
# refusal at its field, fill, save) and the feedback shown on the
# referral.  TAP output.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
export HOME="$e2e_tmp/home" XDG_DATA_HOME="$e2e_tmp/data" XDG_CONFIG_HOME="$e2e_tmp/config"
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"
: "${MASHDESK_LETTER:=${MASHDESK_SRCDIR:-$here/../..}/etc/letter.txt}"
export MASHDESK_LETTER
hub=$e2e_tmp/hub.db
out=$e2e_tmp/out err=$e2e_tmp/err
md() { "$MASHDESK" --db "$hub" "$@"; }
q() { sqlite3 "$hub" "$1"; }

# What a refused command could change, as one line.
state() {
	q "SELECT group_concat(x, '|') FROM (
		SELECT referral_id || kind || method || text AS x FROM feedback
		UNION ALL SELECT referral_id || kind || since FROM feedback_pending
		UNION ALL SELECT count(*) FROM audit WHERE action NOT IN ('refused', 'view'))"
}
# run CODE DESC CMD...: expect exit CODE; a failure says one line on
# stderr and changes nothing.
run() {
	local want=$1 desc=$2 was got lines
	shift 2
	was=$(state)
	"$@" >"$out" 2>"$err"
	got=$?
	lines=$(wc -l <"$err")
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc"; diag "exit $got, wanted $want" "$(head -c 300 "$err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc"; diag "wanted one line on stderr, got $lines" "$(cat "$err")"
	elif [ "$want" -ne 0 ] && [ "$(state)" != "$was" ]; then
		not_ok "$desc"; diag "a refused command changed the hub"
	else
		ok "$desc"
	fi
}
expect() {	# DESC FILE REGEX
	if grep -Eq -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"; diag "no /$3/ in:" "$(head -c 600 "$2")"; fi
}
lacks() {	# DESC FILE FIXED-TEXT
	if grep -qiF -- "$3" "$2"; then not_ok "$1"; diag "found: $3"; else ok "$1"; fi
}

check "a training hub" md init --training --name "Riverside MASH"
for u in "sue Sue Lindqvist csc supervisor" "sam Sam Idris csc practitioner" \
	 "pat Pat Okafor police practitioner" "tom Tom Achebe - trainer"; do
	set -- $u
	if [ "$4" = - ]; then
		md user add "$1" --name "$2 $3" --role "$5"
	else
		md user add "$1" --name "$2 $3" --agency "$4" --role "$5"
	fi || not_ok "user $1 added"
done
contact() {	# CHILD: a contact taken in by sue, its referrer named
	md --as sue referral add --child "$1" --dob 2016-05-06 \
		--concern "Told a teacher about bruises" --referrer "Ms Wren Halloway"
}
# feedback_cols REF: "due kind late" of REF's row in `queue --all --decided`
feedback_cols() {
	md --as sue queue --all --decided | awk -F'\t' -v r="$1" \
		'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		 $1 == r { print ($c["feedback_due"] != "") " " $c["feedback_kind"] " " $c["feedback_late"] }'
}

# ---- help -----------------------------------------------------------------
run 0 "feedback --help" md feedback --help
expect "... shows its usage" "$out" "^usage: mashdesk .*feedback REF --kind"
run 0 "feedback letter --help" md feedback letter --help
expect "... shows its usage" "$out" "^usage: mashdesk .*feedback letter REF"
run 0 "mashdesk --help lists feedback" md --help
expect "... feedback" "$out" "^  feedback  "

# ---- the clocks appear --------------------------------------------------------
r1=$(contact "Ada Quill")
same_cols=$(feedback_cols "$r1")
if [ "$same_cols" = "1 acknowledgement 0" ]; then ok "a new contact owes its acknowledgement"
else not_ok "a new contact owes its acknowledgement"; diag "got '$same_cols'"; fi
run 0 "queue --feedback lists it" md --as sue queue --feedback
expect "... with the feedback columns last" "$out" $'\tfeedback_due\tfeedback_kind\tfeedback_late$'
expect "... and the contact" "$out" "^$r1"$'\t'
run 0 "show prints the clock" md --as sue show "$r1"
expect "... acknowledgement due, not late" "$out" $'^feedback\tacknowledgement_due\t[0-9-]+T[0-9:]+Z$'

# a second contact received two days ago: late
r2=$(contact "Bo Quill")
q "UPDATE referral SET received_at = received_at - 2 * 86400 WHERE ref = '$r2';
   UPDATE feedback_pending SET since = since - 2 * 86400
   WHERE referral_id = (SELECT id FROM referral WHERE ref = '$r2')"
same_cols=$(feedback_cols "$r2")
if [ "$same_cols" = "1 acknowledgement 1" ]; then ok "received two days ago: late"
else not_ok "received two days ago: late"; diag "got '$same_cols'"; fi
run 0 "queue --feedback" md --as sue queue --feedback
if [ "$(cut -f1 "$out" | tail -n +2 | tr '\n' ' ')" = "$r2 $r1 " ]; then
	ok "... the late one first"
else not_ok "... the late one first"; diag "$(cat "$out")"; fi
run 0 "show says late" md --as sue show "$r2"
expect "... late" "$out" $'^feedback\tacknowledgement_due\t.*; late$'

# ---- refusals ----------------------------------------------------------------------
run 64 "feedback without REF" md --as sue feedback --kind acknowledgement --method phone --text x
run 64 "feedback without --text" md --as sue feedback "$r1" --kind acknowledgement --method phone
expect "... names it" "$err" -- "--text is required"
run 64 "feedback with two REFs" md --as sue feedback "$r1" "$r2" --kind acknowledgement --method phone --text x
run 65 "an unknown kind" md --as sue feedback "$r1" --kind thanks --method phone --text x
expect "... lists the kinds" "$err" "kind: unknown code 'thanks' \(one of: acknowledgement outcome\)"
run 65 "an unknown method" md --as sue feedback "$r1" --kind acknowledgement --method pigeon --text x
expect "... lists the methods" "$err" "method: unknown code 'pigeon' \(one of: phone email letter portal\)"
run 65 "an unknown referral" md --as sue feedback R999999 --kind acknowledgement --method phone --text x
run 65 "the outcome before a decision" md --as sue feedback "$r1" --kind outcome --method phone --text x
expect "... says why" "$err" "neither decided nor closed at screening"
run 65 "a text of over 2000 bytes" md --as sue feedback "$r1" --kind acknowledgement \
	--method phone --text "$(head -c 2001 /dev/zero | tr '\0' a)"
run 77 "a trainer may not" md --as tom feedback "$r1" --kind acknowledgement --method phone --text x
expect "... and is told who may" "$err" "only practitioners and supervisors may give referrers feedback"

# ---- the clocks clear ----------------------------------------------------------------
run 0 "a police practitioner acknowledges" md --as pat feedback "$r1" \
	--kind acknowledgement --method email --text "We have your contact about Ada and are looking at it today."
same_cols=$(feedback_cols "$r1")
if [ "$same_cols" = "0  0" ]; then ok "... the clock clears from the queue"
else not_ok "... the clock clears from the queue"; diag "got '$same_cols'"; fi
run 0 "show" md --as sue show "$r1"
expect "... prints the feedback" "$out" $'^feedback\tacknowledgement\tWe have your contact about Ada and are looking at it today\.; by email; by pat; at '
lacks "... and no clock" "$out" "acknowledgement_due"
run 0 "closing at screening" md --as sam screen "$r1" --close advice --reason "Leaflet about sleep"
same_cols=$(feedback_cols "$r1")
if [ "$same_cols" = "1 outcome 0" ]; then ok "... starts the outcome's clock"
else not_ok "... starts the outcome's clock"; diag "got '$same_cols'"; fi
run 0 "the outcome given" md --as sue feedback "$r1" --kind outcome --method letter \
	--text "The hub sent the family advice about sleep."
same_cols=$(feedback_cols "$r1")
if [ "$same_cols" = "0  0" ]; then ok "... clears it"
else not_ok "... clears it"; diag "got '$same_cols'"; fi
check "audit verify: the chain holds" md audit verify
run 0 "doctor: the seals hold with feedback in them" md doctor

# ---- restricted entries --------------------------------------------------------------
r3=$(contact "Cy Quill")
md --as sam screen "$r3" --rag amber --reason "Bruises" --request police >/dev/null
md --as pat check "$r3" --status complete --basis public-task --handling restricted \
	--info "Stepfather arrested in May for assault; the case is still open." >/dev/null
check "police records a restricted entry" test "$(q "SELECT handling FROM agency_check
	WHERE referral_id = (SELECT id FROM referral WHERE ref = '$r3')")" = restricted
run 65 "feedback repeating it" md --as sue feedback "$r3" --kind acknowledgement \
	--method phone --text "Thanks. Note: stepfather ARRESTED in May for assault!"
expect "... is refused naming police" "$err" "text: it repeats police's restricted entry, which stays in the hub"
run 65 "... a sentence of it in other words' company" md --as sue feedback "$r3" \
	--kind acknowledgement --method phone --text "We know the case is still open, sorry."
run 0 "feedback not repeating it" md --as sue feedback "$r3" --kind acknowledgement \
	--method phone --text "Thank you: the hub has your contact and is checking with partners."
# the entry made after feedback that repeats it: the letter refuses too
q "INSERT INTO feedback (referral_id, kind, method, text, at, by_login)
   SELECT id, 'acknowledgement', 'phone', 'Stepfather arrested in May for assault.',
   CAST(strftime('%s', 'now') AS INTEGER) + 60, 'sue' FROM referral WHERE ref = '$r3'"
run 65 "a letter whose recorded feedback repeats a restricted entry" \
	md --as sue feedback letter "$r3" --kind acknowledgement
expect "... is refused naming police" "$err" "feedback: it repeats police's restricted entry"
q "DELETE FROM feedback WHERE text LIKE 'Stepfather%'"

# ---- the letter -------------------------------------------------------------------------
run 0 "feedback letter" md --as sue feedback letter "$r3"
expect "... addressed to the referrer" "$out" "^Dear Ms Wren Halloway,$"
expect "... with the reference and child" "$out" "^Our reference: $r3$"
expect "... the hub's name" "$out" "^Riverside MASH$"
expect "... the feedback given" "$out" "^Thank you: the hub has your contact and is checking with partners\.$"
expect "... not decided yet" "$out" "Where things stand: not yet decided\."
lacks "... and nothing of the restricted entry" "$out" "arrested"
lacks "... nor of the concern" "$out" "bruises"
run 0 "the letter of the outcome of $r1" md --as sue feedback letter "$r1"
expect "... says the outcome" "$out" "Where things stand: Advice, information or signposting\."
run 0 "--output FILE" md --as sue feedback letter "$r3" --output "$e2e_tmp/letter.txt"
expect "... writes the letter there" "$e2e_tmp/letter.txt" "^Dear Ms Wren Halloway,$"
run 73 "--output over an existing file" md --as sue feedback letter "$r3" --output "$e2e_tmp/letter.txt"
printf 'Dear {referrer},\n\nAbout {concern} and {child}.\n' >"$e2e_tmp/bad.txt"
MASHDESK_LETTER=$e2e_tmp/bad.txt run 65 "a template with an unknown placeholder" \
	md --as sue feedback letter "$r3" --output "$e2e_tmp/never.txt"
expect "... named with its line" "$err" "template line 3: unknown placeholder \{concern\}"
check "... and no file left" test ! -e "$e2e_tmp/never.txt"
MASHDESK_LETTER=$e2e_tmp/none.txt run 66 "a missing template" md --as sue feedback letter "$r3"
printf '[feedback]\nletter_template = %s\n' "$e2e_tmp/mine.txt" >"$e2e_tmp/mash.ini"
printf 'Ref {ref} for {referrer} on {date}; {{braces}\n' >"$e2e_tmp/mine.txt"
run 0 "[feedback] letter_template names another" md --config "$e2e_tmp/mash.ini" --as sue feedback letter "$r3"
expect "... which is used" "$out" "^Ref $r3 for Ms Wren Halloway on [0-9]{4}-[0-9]{2}-[0-9]{2}; \{braces\}$"
run 77 "a trainer may not print a letter" md --as tom feedback letter "$r3"
check "letters are audited" test "$(q "SELECT count(*) FROM audit WHERE action = 'letter'")" -ge 3

# ---- report feedback ----------------------------------------------------------------------
run 0 "report feedback" md --as sue report feedback
expect "... a header" "$out" $'^kind\tclocks\ton_time\tlate\toverdue\trunning\ton_time_pct$'
# acknowledgements: r1 on time, r3 on time, r2 overdue; outcome: r1 on time
expect "... acknowledgements: 2 of 3 on time" "$out" $'^acknowledgement\t3\t2\t0\t1\t0\t66\\.7$'
expect "... outcomes: 1 of 1" "$out" $'^outcome\t1\t1\t0\t0\t0\t100\\.0$'
run 77 "a practitioner may not run it" md --as sam report feedback

# ---- a bulk load -------------------------------------------------------------------------
gen=$e2e_tmp/gen.db
"$MASHDESK" --db "$gen" generate --referrals 200 --years 1 >/dev/null 2>&1
check "generate: every undecided record owes its acknowledgement, from receipt" \
	test "$(sqlite3 "$gen" "SELECT count(*) FROM referral r WHERE decided_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM feedback_pending p WHERE p.referral_id = r.id
		AND p.kind = 'acknowledgement' AND p.since = r.received_at)")" = 0
check "... of which there are some" \
	test "$(sqlite3 "$gen" "SELECT count(*) FROM feedback_pending")" -gt 0
check "... the decided history owes nothing" \
	test "$(sqlite3 "$gen" "SELECT count(*) FROM feedback_pending p JOIN referral r
		ON r.id = p.referral_id WHERE r.decided_at IS NOT NULL")" = 0

# ---- the desk at 80x24 ------------------------------------------------------------------
if [ -z "$TMUX_BIN" ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	diag "tmux not installed: the desk part skipped"
	done_testing
fi
# page_to TEXT: Space (a page at a time) until TEXT is on the screen.
page_to() {
	i=0
	while [ "$i" -lt 12 ]; do
		tm_screen | grep -qF -- "$1" && return 0
		tm_keys Space
		tm_settle
		i=$((i + 1))
	done
	tm_wait "$1" 2
}
# the late contact screened, and police's restricted entry on it
md --as sam screen "$r2" --rag amber --reason "Bruises" --request police >/dev/null
md --as pat check "$r2" --status complete --basis public-task --handling restricted \
	--info "Uncle under investigation for neglect of another child." >/dev/null
tm_start 80 24 xterm-256color "$MASHDESK" --db "$hub" --as sam
check "the desk opens" tm_wait "Filter: [All]"
tm_keys f f f f f
check "f reaches Feedback due, with how many are late" tm_wait "[Feedback due: 1 late]"
check "... listing the late one" tm_wait "$r2"
check "... headed by when the feedback is due" tm_wait "Feedback"
tm_keys Enter
check "Enter opens it" tm_wait "$r2  Bo Quill"
page_to "Feedback to the referrer"
check "the referral shows the acknowledgement owed, late" tm_wait "Acknowledge"
tm_keys g
tm_keys F
check "F opens the feedback form" tm_wait "Feedback on $r2: Bo Quill"
check "... on the acknowledgement" tm_wait "Acknowledgement"
tm_keys Tab Tab
tm_type "Uncle under investigation for neglect of another child"
tm_keys C-x
check "a text repeating the restricted entry is refused at the field" \
	tm_wait "Not saved: text: it repeats police's restricted entry"
check "... the form stays" tm_wait "Feedback on $r2"
check "nothing was kept" test "$(q "SELECT count(*) FROM feedback
	WHERE referral_id = (SELECT id FROM referral WHERE ref = '$r2')")" = 0
for _ in $(seq 1 60); do tm_keys BSpace; done
tm_type "Thank you: we have your contact about Bo."
tm_keys C-x
check "a good text is saved" tm_wait "$r2: the acknowledgement given by phone."
check "the hub has it" test "$(q "SELECT count(*) FROM feedback WHERE text =
	'Thank you: we have your contact about Bo.'")" = 1
page_to "acknowledgement by phone"
check "the referral shows it" tm_wait "acknowledgement by phone, sam: Thank you: we"
tm_keys Escape
check "back on the queue, nothing more is due" tm_wait "No feedback is due."
tm_keys q
tm_wait "E2E-EXITED rc=0" >/dev/null || not_ok "the desk quit"
done_testing
