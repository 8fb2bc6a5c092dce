#!/bin/sh
# saves.sh - a desk shows its own saves at once, on every screen of its
# stack.  PRAGMA data_version moves only for other connections' commits, so
# the data layer tells a desk about its own through the same change log
# (hub_poll_changes); the desk asks after every key.
#
# One supervisor's desk in tmux at 80x24 makes each kind of save -- claim,
# agency check, decision, sign-off, send-back, consent override,
# reassignment from the queue and from the board, chase note -- and the
# screen under the form (the referral, the queue with its filter and search,
# the board, the chase list) must show the new state right after the save.
# The desk polls the hub when idle only every 10 s here ([ui] refresh_ms),
# and every check waits at most 6 s after the last key: what shows came
# from the key, not from an idle poll.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
cfg=$e2e_tmp/saves.ini
printf '[ui]\nrefresh_ms = 10000\n[decision]\ntwo_person_rule = yes\n' >"$cfg"
md() {
	"$MASHDESK" --db "$db" --config "$cfg" "$@"
}
SOON=6          # seconds: well inside the 10 s idle poll

# ---- a training hub: two csc supervisors, a police and a csc practitioner --

check "training hub created" md init --training --name "Saves MASH"
for u in "sue Sue Lindqvist csc supervisor" "sam Sam Adeyemi csc supervisor" \
	 "pat Pat Okafor police practitioner" "dee Dee Marsh csc practitioner"; do
	set -- $u
	md user add "$1" --name "$2 $3" --agency "$4" --role "$5" ||
		not_ok "user $1 added"
done
add() {
	md --as dee referral add --child "$1" --dob 2015-03-02 \
		--concern "e2e own saves" --rag amber
}
claim=$(add "Ada Claimwell") && checked=$(add "Bea Checkley") &&
	decided=$(add "Cal Decidewell") && signed=$(add "Dee Signoffa") &&
	sent=$(add "Eli Sendback") && over=$(add "Fay Override") &&
	moved=$(add "Gus Reassign") && chased=$(add "Hal Chase") &&
	boarded=$(add "Ivy Boardman")
check "referrals added" test -n "$claim" -a -n "$checked" -a -n "$decided" \
	-a -n "$signed" -a -n "$sent" -a -n "$over" -a -n "$moved" \
	-a -n "$chased" -a -n "$boarded"
for r in "$checked" "$decided" "$signed" "$sent" "$over" "$moved" "$chased" \
	 "$boarded"; do
	md --as dee claim "$r" || not_ok "dee claims $r"
done
md --as sam decide "$signed" --outcome nfa --rationale "Nothing for us" &&
	md --as sam decide "$sent" --outcome nfa --rationale "Nothing for us" &&
	md --as pat check "$over" --status complete --info "One call-out" \
		--basis public-task --consent refused --consent-reason "Mother said no" &&
	md --as pat check "$chased" --status requested
check "history made from the shell" test $? -eq 0

# ---- helpers ------------------------------------------------------------------

# row REF: the queue's row of REF on the screen now (empty when not shown).
row() {
	tm_screen | grep "^$1 " | head -1
}

# row_has REF TEXT: wait (at most SOON) until REF's row holds TEXT.
row_has() {
	end=$(( $(date +%s) + SOON ))
	while :; do
		row "$1" | grep -qF -- "$2" && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.1
	done
	diag "row of $1 was: $(row "$1")" "expected it to hold: $2"
	return 1
}

# search TEXT: on the queue, search for TEXT and keep the search.
search() {
	tm_keys Escape
	sleep 0.2              # so Esc and / do not arrive as Alt-/
	tm_keys /
	tm_type "$1"
	tm_keys Enter
	tm_wait "Search: $1" >/dev/null
}

# open REF CHILD: search the queue for CHILD and open its referral.
open() {
	search "$2"
	tm_wait "$1" >/dev/null
	tm_keys Enter
	tm_wait " $1  $2" >/dev/null
}

back_to_queue() {
	tm_keys Escape
	tm_wait "Filter: [" "$SOON"
}

# ---- the desk -----------------------------------------------------------------------

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --config "$cfg" --as sue
check "the queue shows" tm_wait "Filter: [All]"

# claim: the queue's own key
search "Ada Claimwell"
tm_keys c
check "claim: the queue row names sue at once" row_has "$claim" " sue "

# an agency check: the referral screen, then the queue, show it
open "$checked" "Bea Checkley"
tm_keys e
tm_wait "Children's social care check on $checked" >/dev/null
tm_keys Right Right Tab
tm_type "Known to CSC in 2024, case closed."
tm_keys Tab Right Tab Right Tab
tm_type "Parents told and agreed"
tm_keys C-x
check "check: the referral screen's status moved on at once" \
	tm_wait "Status: Agency checks under way" "$SOON"
back_to_queue
check "check: the queue row's csc mark is n (nothing known)" \
	row_has "$checked" ".n...."
check "check: ... and its status moved on" row_has "$checked" "checks"

# a decision (two-person rule on): the queue shows it awaiting sign-off
open "$decided" "Cal Decidewell"
tm_keys d
tm_wait "Joint decision on $decided" >/dev/null
tm_keys Tab Tab Right Right Right Tab
tm_type "Needs an assessment under s17."
tm_keys C-x
check "decision: the referral screen shows it at once" \
	tm_wait "Status: Awaiting sign-off" "$SOON"
back_to_queue
check "decision: the queue row awaits sign-off" row_has "$decided" "signoff"

# sign-off: the referral leaves the open queue (and the current search)
open "$signed" "Dee Signoffa"
tm_keys S
check "sign-off: the referral screen says decided" tm_wait "Status: Decided" "$SOON"
back_to_queue
check "sign-off: the row left the queue searched for it" \
	tm_wait "Search: Dee Signoffa" "$SOON"
check "sign-off: ... gone" tm_wait_gone "$signed" "$SOON"

# send-back: the note form over the referral screen
open "$sent" "Eli Sendback"
tm_keys B
tm_wait "Send" >/dev/null
tm_type "Ask the school first"
tm_keys C-x
check "send-back: the referral screen shows it at once" \
	tm_wait "Status: Ready for joint decision" "$SOON"
back_to_queue
check "send-back: the queue row is back to decision" row_has "$sent" "decision"

# consent override: the police panel over the referral screen
open "$over" "Fay Override"
tm_keys Tab
tm_wait "Mother said no" >/dev/null
tm_keys O
tm_wait "Override" >/dev/null
tm_type "Risk of significant harm outweighs it"
tm_keys C-x
check "override: the police panel shows it at once" \
	tm_wait "Risk of significant harm outweighs it" "$SOON"
back_to_queue

# reassignment from the queue
search "Gus Reassign"
tm_keys a
tm_wait "Reassign $moved" >/dev/null
tm_type "sam"
tm_keys Tab
tm_type "Dee is on leave"
tm_keys C-x
check "reassign: the queue row names sam at once" row_has "$moved" " sam "

# reassignment from the board: the person's list, then the board's counts
tm_keys Escape
tm_wait "Search:      " >/dev/null 2>&1
tm_keys w
check "board: opens with dee's work" tm_wait "Dee Marsh (dee)"
board_row() {
	tm_screen | grep -F "Dee Marsh (dee)" | head -1
}
before=$(board_row)
# select TEXT: move down until the real cursor is on the row holding TEXT.
pick_row() {
	i=0
	while [ $i -lt 10 ]; do
		r=$(tm_screen | grep -nF -- "$1" | head -1 | cut -d: -f1)
		[ -n "$r" ] && [ "$(tm display -p -t 0 '#{cursor_y}')" = $((r - 1)) ] &&
			return 0
		tm_keys j
		i=$((i + 1))
		sleep 0.2
	done
	return 1
}
check "board: dee's row selected" pick_row "Dee Marsh (dee)"
tm_keys Enter
tm_wait "Dee Marsh (dee):" >/dev/null
tm_keys a
tm_wait "Reassign" >/dev/null
tm_type "sam"
tm_keys Tab
tm_type "Spreading the load"
tm_keys C-x
check "board: the person's list drops what went at once" \
	tm_wait "referral reassigned to sam" "$SOON"
tm_keys Escape
tm_wait "Workload board" >/dev/null
end=$(( $(date +%s) + SOON ))
while [ "$(board_row)" = "$before" ] && [ "$(date +%s)" -lt "$end" ]; do
	sleep 0.1
done
check "board: dee's counts changed at once" test "$(board_row)" != "$before"
tm_keys Escape
tm_wait "Filter: [" >/dev/null

# a chase note: the chase list shows it
tm_keys C
tm_wait "Chase list" >/dev/null
tm_keys C
tm_wait "Chase police for its check on $chased" >/dev/null
tm_type "Rang the duty desk"
tm_keys C-x
check "chase: the chase list shows who chased at once" \
	tm_wait "1x sue" "$SOON"
tm_keys Escape
tm_keys q
check "desk left cleanly" tm_wait "E2E-EXITED rc=0"

# what the desk showed is what the hub holds
q() {
	md --as sue queue --all | awk -F'\t' -v r="$1" '$1 == r { print $'"$2"' }'
}
check "hub: $claim held by sue" test "$(q "$claim" 9)" = sue
check "hub: $moved held by sam" test "$(q "$moved" 9)" = sam
check "hub: $decided awaits sign-off" test "$(q "$decided" 8)" = signoff
check "hub: $sent awaits a new decision" test "$(q "$sent" 8)" = decision

done_testing
