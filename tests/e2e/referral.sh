#!/bin/sh
# referral.sh - the referral screen in a real (tmux) terminal at 80x24,
# under TERM=xterm-256color and TERM=vt100: Enter on the queue opens it;
# the header, the concern, the household (alleged perpetrator marked), all
# six agency panels (Tab moves between them, the real cursor follows), the
# RESTRICTED mark, the prior history (Enter opens the earlier referral);
# e on another agency's panel is refused as read only; another user's
# check appears by itself; Esc goes back; too small and back again.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

# ---- a training hub with one repeat referral we know everything about -----

check "training hub created" md init --training --name "Referral Test Hub"
check "police practitioner added" md user add pc-ash --name "Ash Corrigan" \
	--agency police --role practitioner
check "csc supervisor added" md user add sup-bea --name "Bea Lindqvist" \
	--agency csc --role supervisor

ref1=$(md --as sup-bea referral add --child "Ottilie Brackenbury" \
	--dob 2017-09-12 --concern "Earlier worry: missed school" --rag green \
	--address "9 Heron Row, Eastwick" 2>"$e2e_tmp/add1.err")
check "earlier referral added (${ref1:-none})" test -n "$ref1"
check "earlier referral decided" md --as sup-bea decide "$ref1" \
	--outcome nfa --rationale "Attendance back to normal"
ref2=$(md --as sup-bea referral add --child "Ottilie Brackenbury" \
	--dob 2017-09-12 --rag red --level 3 --address "9 Heron Row, Eastwick" \
	--concern "Seen alone in the park after dark; bruise on the arm." \
	--referrer "Parkkeeper Wren" \
	--person 'Marguerite Brackenbury;mother;1985-01-01;pr' \
	--person "Desmond Quayle;mother's partner;1982-03-04;perpetrator" \
	2>"$e2e_tmp/add2.err")
check "repeat referral added (${ref2:-none})" test -n "$ref2"
check "the data layer links it to the earlier one" \
	sh -c "'$MASHDESK' --db '$db' --as sup-bea show '$ref2' | grep -q '$ref1'"
check "police check recorded, restricted" md --as pc-ash check "$ref2" \
	--status complete --info "Two call-outs to the address this year" \
	--basis public-task --consent not-sought \
	--consent-reason "Would put the child at risk" --handling restricted

# Any foreground or background colour (SGR 30-37, 40-47) on the screen?
has_colour() {
	tm capture-pane -p -e -t 0 |
		grep -q "$(printf '\033')\[\([0-9]*;\)*[34][0-7]\(;[0-9]*\)*m"
}

no_colour() {
	tm_settle
	! has_colour
}

# row_of TEXT: the screen row (from 0) of the first line holding TEXT.
row_of() {
	tm_screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1 |
		awk '{ print $1 - 1 }'
}

# cursor_on TEXT: wait until the terminal's cursor is on the row showing
# TEXT (read again each time: the screen may still be drawing).
cursor_on() {
	e2e_until "$E2E_TIMEOUT" cursor_is_on "$1" && return 0
	diag "cursor on row $(tm_cursor_row), \"$1\" on row $(row_of "$1")"
	return 1
}
cursor_is_on() {
	r=$(row_of "$1")
	[ -n "$r" ] && [ "$(tm_cursor_row)" = "$r" ]
}

# bar_lacks TEXT: the key bar (the last line) does not name TEXT, once
# the screen has settled (the last frame's bar may still be showing).
bar_lacks() {
	tm_settle
	! tm_screen | sed '/^$/d' | tail -n 1 | grep -qF -- "$1"
}

# ---- the screen, once per terminal type -------------------------------------

referral_session() {	# TERM
	t=$1
	tm_start 80 24 "$t" "$MASHDESK" --db "$db" --as pc-ash
	# A police desk opens on its own work list; f goes on round to All.
	check "$t: the police desk opens on Our checks" tm_wait "[Our checks: "
	tm_keys f f     # Feedback due, then All
	check "$t: the queue shows" tm_wait "Filter: [All]"

	# To the referral by searching its reference, then Enter.
	tm_keys /
	tm_type "$ref2"
	tm_keys Enter
	tm_wait "$ref2" >/dev/null
	tm_keys Enter
	check "$t: Enter opens the referral screen" tm_wait "REPEAT of $ref1"
	check "$t: header names the child and age" \
		tm_wait "Ottilie Brackenbury  age "
	check "$t: header shows RAG as letter and word" tm_wait "RAG: R Red"
	check "$t: header shows the decision clock" tm_wait " left  RAG:"
	check "$t: header shows the address" tm_wait "Address: 9 Heron Row"
	check "$t: the concern shows" tm_wait "Seen alone in the park"
	check "$t: the household shows" \
		tm_wait "Marguerite Brackenbury, mother, born 1985-01-01, parental"
	check "$t: key bar names the referral's keys" \
		tm_wait "d Decide  e Edit  Esc Back  Tab Next"

	# The rest scrolls under the header.
	tm_keys Space
	check "$t: Space scrolls on to the referrer" tm_wait "Parkkeeper Wren"
	check "$t: the alleged perpetrator is marked" \
		tm_wait "Desmond Quayle, mother's partner, born 1982-03-04  ALLEGED PERPETRATOR"
	check "$t: ... past the concern" tm_wait_gone "Seen alone in the park"
	check "$t: the header stays while scrolling" tm_wait "RAG: R Red"
	tm_keys k
	check "$t: k scrolls back one line" tm_wait "lines 15-"
	tm_keys g

	# Tab from the top: the first agency panel, then each in turn.
	tm_keys Tab
	check "$t: Tab focuses the police panel, marked yours" \
		tm_wait "> Police - yours"
	check "$t: the real cursor is on the focused panel" cursor_on "> Police"
	check "$t: the restricted entry is marked" tm_wait "RESTRICTED: hub only"
	check "$t: what police shared shows" \
		tm_wait "Two call-outs to the address this year"
	check "$t: the lawful basis shows by name" tm_wait "Public task"
	for agency in "Children's social care" Health Education Probation Housing; do
		tm_keys Tab
		check "$t: Tab moves to the $agency panel" \
			tm_wait "> $agency - read only"
	done
	check "$t: the cursor follows the focus" cursor_on "> Housing"

	# Back to CSC: not ours, so e says read only.  vt100's terminfo lacks
	# back-tab, but the desk reads ESC [ Z as Shift-Tab there too; ^P is
	# prev-panel's other key, for terminals that cannot send it at all.
	tm_keys BTab BTab C-p C-p
	check "$t: Shift-Tab and ^P move back" tm_wait "> Children's social care"
	tm_keys e
	check "$t: e on another agency's panel says read only" \
		tm_wait "Read only: the Children's social care panel. Edit your own (Police)"

	# Someone else's check appears without a key being pressed.
	md --as sup-bea check "$ref2" --status in-progress \
		--info "Known to CSC in 2019" 2>/dev/null
	check "$t: another agency's new check appears by itself" \
		tm_wait "Known to CSC in 2019"
	md --as sup-bea check "$ref2" --status requested --info "" 2>/dev/null
	check "$t: a recorded text is not emptied silently (65)" test $? -eq 65
	md --as sup-bea check "$ref2" --status requested
	# Tab moves from what is on the screen: wait for this change to show
	# too (back to requested, the text kept), so it cannot move the
	# panels under the Tabs below.
	check "$t: ... and its change back too" tm_wait_gone "In progress"

	# After the last panel, the prior history; Enter opens it.
	for i in 1 2 3 4 5; do tm_keys Tab; done
	check "$t: Tab after the last panel focuses the prior referral" \
		tm_wait "> $ref1  "
	check "$t: ... listed as the same child, with its outcome" \
		tm_wait "No further action - same child"
	tm_keys Enter
	check "$t: Enter opens the earlier referral" tm_wait "Decision: made"
	check "$t: ... whose key bar leaves out editing (decided)" bar_lacks "e Edit"
	tm_keys Escape
	check "$t: Esc comes back to the repeat referral" tm_wait "REPEAT of $ref1"
	check "$t: ... where editing is offered" tm_wait "e Edit"

	# Too small, then big enough again, on this screen.
	tm_resize 60 20
	check "$t: too-small notice at 60x20" \
		tm_wait "terminal too small (need 80x24, have 60x20)"
	tm_resize 80 24
	check "$t: notice gone at 80x24" tm_wait_gone "terminal too small"
	check "$t: the referral is back at 80x24" tm_wait "REPEAT of $ref1"

	if [ "$t" = vt100 ]; then
		check "$t: no colour sent to a monochrome terminal" no_colour
	else
		check "$t: colour where the terminal has it" has_colour
	fi

	# A practitioner may not read the audit trail: not offered, refused.
	check "$t: the key bar leaves out the audit for a practitioner" bar_lacks "A Audit"
	tm_keys A
	check "$t: A is refused, saying who may" tm_wait "only supervisors"

	tm_keys Escape
	check "$t: Esc returns to the queue" tm_wait "Filter: [All]"
	tm_keys q
	check "$t: q quits with status 0" tm_wait "E2E-EXITED rc=0"
	check "$t: terminal modes restored" tm_wait "TTY-OK"
}

referral_session xterm-256color
referral_session vt100

# ---- the audit trail at the desk (a supervisor) ----------------------------
md --as sup-bea consent override "$ref2" police \
	--reason "Supervisor: risk of harm outweighs" 2>/dev/null
check "a supervisor overrides police's consent position" test $? -eq 65
md --as pc-ash check "$ref2" --status complete --consent refused \
	--consent-reason "Mother declined" 2>/dev/null
check "police record a consent refusal" test $? -eq 0
tm_start 100 30 xterm-256color "$MASHDESK" --db "$db" --as sup-bea
check "supervisor: the queue shows" tm_wait "Filter: [All]"
tm_keys /
tm_type "Ottilie"
tm_keys Enter Enter
check "supervisor: the referral opens" tm_wait "REPEAT of"
tm_keys Tab
check "supervisor: the police panel shows the refusal" tm_wait "Mother declined"
check "supervisor: the key bar offers the override" tm_wait "O Override"
tm_keys O
check "supervisor: O opens the override form" tm_wait "Override Police's consent refusal"
tm_keys C-x
check "supervisor: a reason is required" tm_wait "reason: required"
tm_type "Risk of serious harm outweighs the refusal"
tm_keys C-x
check "supervisor: saved, back on the referral" tm_wait "consent refusal on $ref2 overridden"
check "supervisor: the police panel shows the override" \
	tm_wait "refusal overridden by sup-bea"
check "supervisor: ... and the key bar no longer offers it" bar_lacks "O Override"
check "supervisor: the key bar offers the audit" tm_wait "A Audit"
tm_keys A
check "supervisor: A opens the audit trail" tm_wait "Audit of $ref2"
check "supervisor: ... with the override and its reason" \
	tm_wait "consent-override"
check "supervisor: ... the practitioner's views" tm_wait "pc-ash       view"
check "supervisor: ... and the refused attempt" tm_wait "refused"
tm_keys Escape
check "supervisor: Esc returns to the referral" tm_wait "REPEAT of"
tm_keys Escape
tm_keys q
check "supervisor: q quits" tm_wait "E2E-EXITED rc=0"

done_testing
