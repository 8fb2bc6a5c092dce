#!/bin/sh
# forms.sh - the agency check and joint decision forms in a real (tmux)
# terminal, at 80x24, under TERM=xterm-256color and TERM=vt100: messages
# at the field they are about (with the focus moved there), the sharing
# guide one key away, UTF-8 typed in, resizing (larger, too small, back)
# with every typed character kept, the discard question, and what was
# saved read back with `mashdesk show` and `mashdesk queue`.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

# ---- a training hub: you are its admin; pat (police) and sam (csc) ------

check "training hub created" md init --training --name "Forms MASH"
check "police practitioner added" \
	md user add pat --name "Pat Okafor" --agency police --role practitioner
check "csc supervisor added" \
	md user add sam --name "Sam Reyes" --agency csc --role supervisor
add() {	# CHILD
	md --as pat referral add --child "$1" --dob 2016-04-01 \
		--concern "Disclosure at school" --rag amber 2>"$e2e_tmp/add.err"
}
ref_cx=$(add "Ada Quintrell") && ref_cv=$(add "Bea Vollmar") &&
	ref_dx=$(add "Cal Pemberton") && ref_dv=$(add "Dee Abernathy") &&
	ref_race=$(add "Eli Racewood")
	ref_hup=$(add "Hugo Hangup")
check "referrals added (${ref_cx:-none} ${ref_dx:-none} ${ref_race:-none})" \
	test -n "$ref_cx" -a -n "$ref_cv" -a -n "$ref_dx" -a -n "$ref_dv" \
	-a -n "$ref_race"

# ---- helpers ------------------------------------------------------------

# row_of TEXT: the screen row (from 0) of the first line holding TEXT.
row_of() {
	tm_screen | grep -nF -- "$1" | head -1 | cut -d: -f1 |
		awk '{ print $1 - 1 }'
}

# cursor_on TEXT: wait until the real cursor is on the row holding TEXT.
cursor_on() {
	e2e_until "$E2E_TIMEOUT" cursor_is_on "$1" && return 0
	diag "cursor on row $(tm_cursor_row), \"$1\" on row $(row_of "$1")"
	return 1
}
cursor_is_on() {
	r=$(row_of "$1")
	[ -n "$r" ] && [ "$(tm_cursor_row)" = "$r" ]
}

# below ANCHOR TEXT N: TEXT is on a row 1..N rows below ANCHOR's.
below() {
	tm_wait "$2" >/dev/null || return 1
	a=$(row_of "$1") b=$(row_of "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] &&
		[ "$b" -le $((a + $3)) ] && return 0
	diag "\"$2\" on row ${b:-none}, \"$1\" on row ${a:-none}"
	return 1
}

# to_queue: Esc back to the queue from wherever the desk is (never a form
# with changes: Esc there asks first).  One Esc at a time, each sent only
# once the last one's screen has gone, so none is left over to land on
# the queue.
to_queue() {
	for i in 1 2 3 4; do
		tm_screen | grep -qF "Filter: [" && return 0
		below_status >"$e2e_tmp/was"
		tm_keys Escape
		e2e_until "$E2E_TIMEOUT" screen_moved_on "$e2e_tmp/was" || break
	done
	tm_wait "Filter: ["
}
below_status() {	# the screen without its first row (the clock ticks there)
	tm_screen | sed 1d
}
screen_moved_on() {	# FILE: the screen below the status line differs from FILE
	below_status | cmp -s - "$1" && return 1
	return 0
}

# open_form KEY CHILD TITLE: find CHILD's referral with the queue's search,
# open it (Enter) and press KEY on the referral screen.
open_form() {
	to_queue
	# On the queue: Esc clears an earlier search.  Wait for it to be gone
	# before typing /, so the two are never read together.
	if ! tm_screen | grep -qF "Search:  "; then
		tm_keys Escape
		tm_wait "Search:  " >/dev/null
	fi
	tm_keys /
	tm_type "$2"
	tm_keys Enter
	tm_wait "$2" >/dev/null
	tm_keys Enter
	tm_wait "d Decide" >/dev/null      # the referral screen's key bar
	tm_keys "$1"
	tm_wait "$3"
}

stored() {	# LOGIN REF SECTION TEXT: `show` has TEXT in that section
	md --as "$1" show "$2" 2>/dev/null | grep "^$3	" | grep -qF -- "$4"
}

# ---- the agency check ----------------------------------------------------

check_session() {	# TERM REF CHILD
	t=$1 ref=$2 child=$3
	tm_start 80 24 "$t" "$MASHDESK" --db "$db" --as pat
	# A police desk opens on its own work list; f goes on round to All.
	tm_wait "[Our checks: " >/dev/null
	tm_keys f f     # Feedback due, then All
	check "$t: the queue shows" tm_wait "Filter: [All]"

	open_form e "$child" "Police check on $ref"
	check "$t: e opens the police check on $ref" \
		tm_wait "Police check on $ref: $child"
	check "$t: the key bar names the save key and Esc" \
		tm_wait "^X Save  Esc Back"
	check "$t: the key bar names the guide" tm_wait "^G Guide"
	check "$t: the cursor is in the first field" cursor_on "> Status"

	tm_keys Escape
	check "$t: Esc with nothing changed just closes" \
		tm_wait_gone "Police check on $ref"
	check "$t: ... back to the referral" tm_wait "e Edit"
	check "$t: ... without asking" tm_lacks "Discard your changes"
	open_form e "$child" "Police check on $ref"

	tm_keys Right
	check "$t: Right changes the status" tm_wait "< Complete >"
	tm_keys Tab
	tm_type "Known to police: Zoë's brother Łukasz, one call-out"
	check "$t: UTF-8 typed into the information" \
		tm_wait "Zoë's brother Łukasz, one call-out"
	check "$t: the cursor is in the information field" \
		cursor_on "Zoë's brother Łukasz"
	tm_keys C-x
	check "$t: saving without a basis: the message is at the basis" \
		below "Lawful basis" "! basis: required when sharing" 1
	check "$t: ... and the focus moved there" cursor_on "> Lawful basis"
	check "$t: ... and nothing was saved" \
		sh -c "! \"$MASHDESK\" --db '$db' --as pat show '$ref' | grep -q '^check'"

	tm_keys Right
	check "$t: Right picks a basis" tm_wait "< Public task (UK GDPR 6(1)(e)) >"
	check "$t: its explanation is shown beside it" \
		below "Lawful basis" "carry out its public" 2
	check "$t: the message went with the change" tm_lacks "! basis: required"

	tm_keys C-g
	check "$t: ^G opens the sharing guide" tm_wait "Guide: sharing information"
	check "$t: the guide explains each basis" tm_wait "Legitimate interests"
	tm_keys Space
	check "$t: the guide says when consent is not needed" \
		tm_wait "Schedule 1 paragraph 18"
	check "$t: ... nor to be sought where it would put the child at risk" \
		tm_wait "should not be sought, where seeking it would put"
	tm_keys Space
	check "$t: the guide gives the golden rules" tm_wait "7. Record every decision"
	tm_keys Escape
	check "$t: Esc returns to the form, typed text intact" \
		tm_wait "Zoë's brother Łukasz, one call-out"

	tm_keys Tab Right Right
	check "$t: consent refused" tm_wait "< Consent refused >"
	tm_keys C-x
	check "$t: refused without a reason: the message is at the reason" \
		below "Reason" "! consent-reason: required with a" 2
	check "$t: ... and the focus moved there" cursor_on "> Reason"
	tm_type "Mother declined; asking put no one at risk"
	tm_keys C-x
	check "$t: ^X saves and says so" tm_wait "$ref: Police check saved (Complete)"
	check "$t: ... and the form closes" tm_wait_gone "Police check on $ref"
	check "$t: the check is stored (show)" stored pat "$ref" check "complete"
	check "$t: ... with what was typed, UTF-8 intact" \
		stored pat "$ref" check "Zoë's brother Łukasz, one call-out"
	check "$t: ... on its basis" stored pat "$ref" check "basis public-task"
	check "$t: ... with the consent position and why" \
		stored pat "$ref" check "consent refused; Mother declined"

	# Opened again, the form holds what was saved.
	open_form e "$child" "Police check on $ref"
	check "$t: reopened, the check is filled in" \
		tm_wait "< Public task (UK GDPR 6(1)(e)) >"
	check "$t: ... the information too" tm_wait "Zoë's brother Łukasz"
	tm_keys Escape
	to_queue >/dev/null
	tm_keys q
	check "$t: q quits with status 0" tm_wait "E2E-EXITED rc=0"
	check "$t: terminal modes restored" tm_wait "TTY-OK"
}

# ---- the joint decision --------------------------------------------------

decision_session() {	# TERM REF CHILD
	t=$1 ref=$2 child=$3
	tm_start 80 24 "$t" "$MASHDESK" --db "$db" --as sam
	check "$t: the queue shows (sam)" tm_wait "Filter: [All]"

	open_form d "$child" "Joint decision on $ref"
	check "$t: d opens the joint decision on $ref" \
		tm_wait "Joint decision on $ref: $child"
	check "$t: the agencies that checked are ticked" tm_wait "[x] Police"
	check "$t: ... the others not" tm_wait "[ ] Health"

	tm_keys Tab Tab e
	check "$t: a letter picks the outcome" tm_wait "< Early help >"
	tm_keys C-x
	check "$t: saving without a rationale: the message is at it" \
		below "Rationale" "! rationale: required; say why" 6
	check "$t: ... and the focus moved there" cursor_on "> Rationale"

	tm_type "Line one: police and school agree on the plan"
	tm_keys Enter
	tm_type "Line two: Zoë seen by the nurse with Łukasz"
	check "$t: a two-line rationale typed" \
		tm_wait "Line two: Zoë seen by the nurse with Łukasz"
	check "$t: ... on two rows" below "Line one: police" "Line two: Zoë" 1
	check "$t: the message went with the typing" tm_lacks "! rationale: required"

	tm_resize 100 30
	check "$t: the form is drawn again at 100x30" tm_drawn_at 100 30
	check "$t: at 100x30 the first line is kept" \
		tm_wait "Line one: police and school agree on the plan"
	check "$t: ... and the second" \
		tm_wait "Line two: Zoë seen by the nurse with Łukasz"
	check "$t: ... the form fills the width" tm_wait "[ ] Probation"
	tm_resize 60 20
	check "$t: too small at 60x20" tm_wait "terminal too small"
	tm_resize 80 24
	check "$t: back at 80x24 the form returns" tm_wait "Joint decision on $ref"
	check "$t: ... drawn whole at 80x24" tm_drawn_at 80 24
	check "$t: ... with the first line" \
		tm_wait "Line one: police and school agree on the plan"
	check "$t: ... and the second, on its own row" \
		below "Line one: police" "Line two: Zoë seen by the nurse with Łukasz" 1
	check "$t: ... and the cursor where the typing stopped" \
		cursor_on "Line two: Zoë seen by the nurse with Łukasz"

	tm_keys Escape
	check "$t: Esc with typed work asks first" \
		tm_wait "Discard your changes? (y/n)"
	check "$t: the key bar gives the answers" tm_wait "y Discard changes"
	tm_keys n
	check "$t: n keeps the form" tm_wait_gone "Discard your changes"
	check "$t: ... and the typed text" \
		tm_wait "Line two: Zoë seen by the nurse with Łukasz"

	# From the rationale past the six agencies to action 1.
	tm_keys Tab Tab Tab Tab Tab Tab Tab
	check "$t: Tab reaches action 1" cursor_on "> Action 1"
	tm_type "Nurse to visit at school"
	tm_keys Tab
	tm_type "school nurse"
	tm_keys Tab
	tm_type "2026-02-30"
	tm_keys C-x
	check "$t: a date that does not exist: the message is at the actions" \
		below "Action 4" "! action 1: due: '2026-02-30' is not a real" 1
	check "$t: ... the focus on action 1's row" cursor_on "> Action 1"
	check "$t: ... and nothing was decided" \
		sh -c "\"$MASHDESK\" --db '$db' --as sam queue | cut -f1 | grep -qx '$ref'"
	tm_keys BSpace BSpace
	tm_type "28"
	tm_keys C-x
	check "$t: saved: R... decided: <outcome>" tm_wait "$ref decided: Early help."
	check "$t: the form closed" tm_wait_gone "Joint decision on $ref"
	check "$t: the decision is stored (show)" \
		stored sam "$ref" decision "early-help"
	check "$t: ... with both lines of the rationale" \
		stored sam "$ref" decision \
		'Line one: police and school agree on the plan\nLine two: Zoë seen by the nurse with Łukasz'
	check "$t: ... and who took part" stored sam "$ref" decision "with police"
	check "$t: the action is stored" \
		stored sam "$ref" action "Nurse to visit at school"
	check "$t: ... with its owner and due date" \
		stored sam "$ref" action "owner school nurse; due 2026-02-28"
	check "$t: the referral left the queue" \
		sh -c "! \"$MASHDESK\" --db '$db' --as sam queue | cut -f1 | grep -qx '$ref'"

	to_queue >/dev/null
	tm_keys q
	check "$t: q quits with status 0 (sam)" tm_wait "E2E-EXITED rc=0"
}

# Each check first, so the decision forms start with police ticked.
check_session xterm-256color "$ref_cx" "Ada Quintrell"
md --as pat check "$ref_dx" --status nothing-known >/dev/null 2>&1
md --as pat check "$ref_dv" --status nothing-known >/dev/null 2>&1
md --as pat check "$ref_race" --status nothing-known >/dev/null 2>&1
decision_session xterm-256color "$ref_dx" "Cal Pemberton"
check_session vt100 "$ref_cv" "Bea Vollmar"
decision_session vt100 "$ref_dv" "Dee Abernathy"

# ---- two people on one decision: the lease, the fence and the draft -------

refused() {	# CODE TEXT CMD...: CMD exits CODE and says TEXT on stderr
	code=$1 text=$2
	shift 2
	"$@" >/dev/null 2>"$e2e_tmp/err"
	[ $? -eq "$code" ] && grep -qF -- "$text" "$e2e_tmp/err"
}
draft_kept() {	# LOGIN TEXT: a draft of LOGIN's holds TEXT (waits E2E_TIMEOUT)
	e2e_until "$E2E_TIMEOUT" draft_has "$1" "$2" && return 0
	diag "no draft of $1's holds: $2"
	return 1
}
draft_has() {
	sqlite3 "$db" "SELECT body FROM draft WHERE owner = '$1'" 2>/dev/null |
		grep -qF -- "$2"
}

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as sam
tm_wait "Filter: [All]" >/dev/null
open_form d "Eli Racewood" "Joint decision on $ref_race"
tm_keys Tab Tab e Tab
tm_type "Typed while someone else decides"
tm_type "日本"
check "double-width characters are refused with a reason" \
	tm_wait "! Only characters one column wide"
check "lease: the command line waits while sam's form holds the decision" \
	refused 75 "Sam Reyes (sam) is editing the decision" \
	md --as pat decide "$ref_race" --outcome nfa --rationale "Done elsewhere"
check "lease: the form keeps a draft as sam types" \
	draft_kept sam "Typed while someone else decides"
# New information arrives while sam writes: the form's view is now stale.
md --as pat check "$ref_race" --status complete --info "A call-out last night" \
	--basis public-task >/dev/null 2>&1
tm_keys C-x
check "fence: a save over a changed referral is refused" \
	tm_wait "changed since you opened it"
check "fence: the form stays open" tm_wait "Joint decision on $ref_race"
check "fence: ... with the typed text" tm_wait "Typed while someone else decides"
check "fence: nothing was decided" \
	sh -c "! \"$MASHDESK\" --db '$db' --as sam show '$ref_race' | grep -q '^decision'"

# The desk dies with the form open: the lease clears itself and the draft
# comes back when sam opens the form again.
pkill -KILL -f -- "--db $db --as sam\$"   # this test's desk, no other
check "killed: the desk is gone" tm_wait "E2E-EXITED rc=137"
tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as sam
tm_wait "Filter: [All]" >/dev/null
open_form d "Eli Racewood" "Joint decision on $ref_race"
check "killed: the dead desk's lease is taken over at once" \
	tm_wait "Joint decision on $ref_race"
check "killed: the draft is restored" tm_wait "Restored your unsaved work"
check "killed: ... with the typed text" tm_wait "Typed while someone else decides"
tm_keys Escape
check "Esc asks before throwing the text away" \
	tm_wait "Discard your changes? (y/n)"
tm_keys y
check "y discards and closes" tm_wait_gone "Joint decision on $ref_race"
check "...and the draft is gone" \
	sh -c "[ \"\$(sqlite3 '$db' \"SELECT count(*) FROM draft WHERE owner = 'sam'\")\" = 0 ]"
check "...and the lease is given back" \
	md --as pat decide "$ref_race" --outcome nfa --rationale "Done elsewhere"
check "pat's decision stands" stored sam "$ref_race" decision "nfa"
to_queue >/dev/null
tm_keys q
check "q quits with status 0" tm_wait "E2E-EXITED rc=0"

# The line drops (SIGHUP) a moment after typing: the work is kept at once.
tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as sam
tm_wait "Filter: [All]" >/dev/null
open_form d "Hugo Hangup" "Joint decision on $ref_hup"
tm_keys Tab Tab e Tab
tm_type "Typed just before the line dropped"
tm_wait "Typed just before the line dropped" >/dev/null
pkill -HUP -f -- "--db $db --as sam\$"
check "hangup: the desk stops, dying of SIGHUP" tm_wait "E2E-EXITED rc=129"
check "hangup: the terminal is restored" tm_wait "TTY-OK"
check "hangup: the typed work is kept as a draft" \
	draft_kept sam "Typed just before the line dropped"

done_testing
