#!/bin/sh
# strategy.sh - strategy discussions from the shell and at the desk.
# The command line: a discussion without health is refused naming health
# (65, one line, nothing changed); with police, children's social care
# and health it is recorded, `show` prints it and the queue's
# strategy_due clears.  The desk, in a real (tmux) terminal at 80x24: the
# queue marks a referral with a discussion due, the referral screen's
# strategy form is filled and saved, the discussion is shown on the
# referral screen and the mark leaves the queue.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

check "training hub created" md init --training --name "Strategy Hub"
for u in "sam Sam Idris csc practitioner" "pat Pat Okafor police practitioner" \
	 "hana Hana Nowak health practitioner" "sue Sue Lindqvist csc supervisor"; do
	set -- $u
	md user add "$1" --name "$2 $3" --agency "$4" --role "$5" ||
		not_ok "user $1 added"
done
contact() {	# CHILD [RAG]: a contact taken in by sue
	md --as sue referral add --child "$1" --dob 2016-05-06 \
		--concern "Told a teacher about bruises" ${2:+--rag "$2"} \
		--referrer "Kestrelford Primary"
}
# state: what a refused command must leave as it was.
state() {
	sqlite3 "$db" "SELECT group_concat(x, '|') FROM (
		SELECT ref || version || coalesce(strategy_due_at, '-') AS x FROM referral
		UNION ALL SELECT count(*) FROM strategy
		UNION ALL SELECT count(*) FROM strategy_attendee
		UNION ALL SELECT count(*) FROM audit WHERE action NOT IN ('refused', 'view'))"
}
# strategy_due REF: the queue's strategy_due column for REF (by name).
strategy_due() {
	md --as sam queue --all | awk -F'\t' -v r="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == "strategy_due") c = i }
		$1 == r { print $c }'
}

# ---- the command line --------------------------------------------------------
check "strategy --help shows its usage" sh -c \
	"'$MASHDESK' strategy --help | grep -q '^usage: mashdesk .* strategy REF --held'"
red=$(contact "Rosa Redmayne" red)
check "a contact rated red at intake ($red)" test -n "$red"
due=$(strategy_due "$red")
check "the queue says a strategy discussion is due ($due)" \
	sh -c "echo '$due' | grep -Eq '^20[0-9-]+T[0-9:]+'"

was=$(state)
md --as sam strategy "$red" --held now --how call \
	--attended police:pat,csc:sam --summary "Two call-outs; bruising seen" \
	--decision s47-joint >"$e2e_tmp/out" 2>"$e2e_tmp/err"
rc=$?
check "without health: refused, 65 ($rc)" test "$rc" -eq 65
check "... one line naming health" sh -c "[ \$(wc -l <'$e2e_tmp/err') -eq 1 ] &&
	grep -q '^mashdesk: strategy: attended: health did not take part; say why with --missing-reason$' '$e2e_tmp/err'"
check "... nothing changed" test "$(state)" = "$was"

md --as sam strategy "$red" --held now --how video >/dev/null 2>"$e2e_tmp/err"
check "a missing option is a usage error (64)" test $? -eq 64
md --as sam strategy "$red" --held now --how call \
	--attended police:pat,csc:sam,health:hana --summary "Shared" \
	--decision no-s47 >/dev/null 2>"$e2e_tmp/err"
check "no-s47 without --instead: 65" test $? -eq 65
check "... saying so" grep -q "instead: required with no-s47" "$e2e_tmp/err"

md --as sam strategy "$red" --held now --how meeting \
	--attended "police:pat,csc:sam,health:hana,education:Ines Mora" \
	--summary "Two call-outs; bruising seen by the school nurse" \
	--decision s47-joint --action "Joint visit;pat;2030-01-10" \
	--action "Medical;Dr Lane;2030-01-11" >"$e2e_tmp/out" 2>"$e2e_tmp/err"
check "with police, csc and health: recorded" test $? -eq 0
md --as sue show "$red" >"$e2e_tmp/show"
check "show prints the discussion" grep -Eq "$(printf '^strategy\t[0-9TZ:-]+\thow meeting; decision s47-joint; attended police: pat, csc: sam, health: hana, education: Ines Mora; summary Two call-outs')" "$e2e_tmp/show"
check "... and its actions" grep -q "$(printf '^strategy_action\tMedical\towner Dr Lane; due 2030-01-11')" "$e2e_tmp/show"
check "... and nothing due" sh -c "! grep -q '^strategy_due' '$e2e_tmp/show'"
check "the queue's strategy_due clears" test -z "$(strategy_due "$red")"
check "doctor is content" sh -c "'$MASHDESK' --db '$db' doctor >/dev/null 2>&1"

# ---- the desk ---------------------------------------------------------------------
if ! command -v "${TMUX_BIN:-tmux}" >/dev/null 2>&1; then
	diag "tmux not installed: the desk part is skipped"
	done_testing
fi
desk=$(contact "Dora Deskworth" red)
check "a second contact rated red ($desk)" test -n "$desk"
# queue_row NAME: the queue's line for the child.
queue_row() {
	tm_screen | grep -F -- "$1" | head -n 1
}
# marked NAME: the child's queue line ends with a strategy mark (s or S).
marked() {
	queue_row "$1" | grep -Eq ' [sS]$'
}
unmarked() {
	queue_row "$1" | grep -q . && ! marked "$1"
}
# tabs N: press Tab N times, then let the form draw.
tabs() {
	i=0
	while [ "$i" -lt "$1" ]; do
		tm_keys Tab
		i=$((i + 1))
	done
	tm_settle
}
# scroll_to TEXT: j (a line at a time) until TEXT is on the screen.
scroll_to() {
	i=0
	while [ "$i" -lt 80 ]; do
		tm_screen | grep -qF -- "$1" && return 0
		tm_keys j
		tm_settle
		i=$((i + 1))
	done
	tm_wait "$1" 2
}

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as sam
check "the desk opens on the queue" tm_wait "Dora Deskworth"
check "the heading names the strategy column" sh -c \
	"'$TMUX_BIN' -L '$e2e_server' capture-pane -p -t 0 | grep -Eq 'Due +[*]S\$'"
check "the queue marks the referral: a discussion due (s)" \
	e2e_until "$E2E_TIMEOUT" marked "Dora Deskworth"
check "... a small s: not late yet" sh -c \
	"echo '$(queue_row "Dora Deskworth")' | grep -Eq ' s\$'"
check "... and not the one already held" unmarked "Rosa Redmayne"
check "... the rows still fit 80 columns" sh -c \
	"[ \$(printf '%s' '$(queue_row "Dora Deskworth")' | wc -m) -le 80 ]"

tm_keys /
tm_wait "Type to search" >/dev/null
tm_type "Dora"
tm_wait "Search: Dora" >/dev/null
tm_keys Enter
tm_wait_gone "Type to search" >/dev/null
tm_keys Enter
check "the referral opens" tm_wait "$desk  Dora Deskworth"
tm_keys t
check "t opens the strategy form" tm_wait "Strategy discussion on $desk: Dora Deskworth"
check "... held now, by call, to start with" tm_wait "How < Call >"
tabs 2
tm_type pat
tabs 1
tm_type sam
tm_settle
tm_keys C-x
check "a save without health is refused at its field" \
	tm_wait "! attended: health did not take part"
check "... the focus is on Health" sh -c \
	"'$TMUX_BIN' -L '$e2e_server' capture-pane -p -t 0 | grep -q '^> Health'"
check "... nothing recorded" test "$(sqlite3 "$db" 'SELECT count(*) FROM strategy')" = 1
tm_type hana
tabs 3
tm_keys Right
check "the decision is chosen" tm_wait "< s47 single-agency >"
tabs 3
tm_type "Health saw bruising; police know the family."
tabs 1
tm_type "Visit at home"
tabs 1
tm_type sam
tabs 1
tm_type 2030-01-10
tm_settle
tm_keys C-x
check "saved" tm_wait "$desk: strategy discussion recorded (s47 single-agency)."
check "... recorded with its three agencies and the action" test "$(sqlite3 "$db" \
	"SELECT count(*) FROM strategy s JOIN strategy_attendee a ON a.strategy_id = s.id
	 JOIN referral r ON r.id = s.referral_id WHERE r.ref = '$desk'
	 AND EXISTS (SELECT 1 FROM strategy_action x WHERE x.strategy_id = s.id
	 AND x.due_date = '2030-01-10')")" = 3
scroll_to "Strategy discussions"
check "the referral screen shows the discussion" scroll_to "call: s47-single"
check "... who attended" scroll_to "police: pat, csc: sam, health: hana"
tm_keys Escape
check "back on the queue" tm_wait "Filter:"
check "the mark is gone" e2e_until "$E2E_TIMEOUT" unmarked "Dora Deskworth"
tm_keys q
tm_wait "E2E-EXITED rc=0" >/dev/null
done_testing
