#!/bin/sh
# desk.sh - the real desk in a real (tmux) terminal, at 80x24, under
# TERM=xterm-256color and TERM=vt100: the queue shows, search narrows,
# filters cycle, claim works (and reaches the database), help opens, the
# too-small notice comes and goes with resizing, q quits and gives the
# terminal back.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

# ---- a demo hub with a few referrals we know by name ----------------------

check "demo training hub created" md demo --no-desk
add() {
	md --as demo-sup referral add --child "$1" --dob 2016-05-04 \
		--concern "e2e test referral" --rag red 2>"$e2e_tmp/add.err"
}
ref_x=$(add "Zebedee Quintrell") && ref_v=$(add "Xanthe Vollmar") &&
	ref_taken=$(add "Yolanda Pemberton") && ref_zoe=$(add "Zoë Łukasz-Nguyễn") &&
	ref_live=$(add "Quentin Abernathy")
check "referrals added (${ref_x:-none} ${ref_v:-none})" \
	test -n "$ref_x" -a -n "$ref_v" -a -n "$ref_taken" -a -n "$ref_zoe"

# Someone else (another demo practitioner) holds one already.
other=$(md --as demo-sup user list 2>/dev/null |
	awk -F'\t' '$1 != "demo-sup" && $1 != "login" && $4 == "practitioner" \
		&& $5 != "0" { print $1; exit }')
check "another practitioner claims $ref_taken" \
	md --as "${other:-nobody}" claim "$ref_taken"

# Any foreground or background colour (SGR 30-37, 40-47) on the screen?
has_colour() {
	tm capture-pane -p -e -t 0 |
		grep -q "$(printf '\033')\[\([0-9]*;\)*[34][0-7]\(;[0-9]*\)*m"
}

no_colour() {
	tm_settle
	! has_colour
}

mine_has() {
	md --as demo-sup queue --mine 2>/dev/null | cut -f1 | grep -qx "$1"
}

# ---- the desk, once per terminal type -----------------------------------------

desk_session() {	# TERM NAME-TO-CLAIM REF-TO-CLAIM
	t=$1 name=$2 ref=$3
	tm_start 80 24 "$t" "$MASHDESK" --db "$db" --as demo-sup

	check "$t: the queue shows" tm_wait "Filter: [All]"
	check "$t: status line names the user and says TRAINING" \
		tm_wait "TRAINING"
	check "$t: user in the status line" tm_wait "demo-sup"
	check "$t: column headings" tm_wait "Ref      Recvd Child"
	check "$t: key bar from the action table" \
		tm_wait "q Quit  / Search  f Filter  c Claim  Enter Open  w Board  R Reports  ? Help"

	# The real cursor follows the selection (screen readers need it):
	# status line, filter line and headings above the first row.
	tm_keys g
	check "$t: cursor on the first row" tm_wait_cursor_row 3

	# A move sends only what changed: far less than a whole screen, which
	# is what ^L (clear and repaint) costs on this terminal.  Each count
	# covers only its key (tm_measure: the clock's minute, a row's time
	# left turning over, a refresh or the end of an earlier frame cannot
	# fall in the window).  How many bytes and how fast is for the
	# benchmark (./quickstart bench).
	E2E_HUB=$db
	tm_measure j tm_wait_cursor_row 4
	move=$e2e_bytes whole=$e2e_whole
	check "$t: ^L repaints the whole screen (${whole:-?} bytes)" \
		test "${whole:-0}" -gt 1000
	check "$t: cursor follows the selection down" test -n "$move"
	check "$t: moving the selection sends only what changed (${move:-?} bytes; a whole screen is ${whole:-?})" \
		test -n "$move" -a "${move:-0}" -gt 0 -a "${move:-0}" -lt "$((${whole:-0} / 4))"
	tm_keys k
	tm_wait_cursor_row 3 >/dev/null

	# Search narrows as you type.
	tm_keys /
	tm_type "${name%% *}"
	check "$t: search narrows to one referral" tm_wait "$ref"
	check "$t: others are gone" tm_wait_gone "$ref_taken"
	tm_keys Enter

	# Claim the selected (only) row.
	tm_keys c
	check "$t: claim reports success" tm_wait "Claimed $ref"
	check "$t: claim reached the database (queue --mine)" mine_has "$ref"

	# Someone else's: the hub's refusal is shown, not hidden.  (Esc clears
	# the kept search; / only once it has, so the two are never one read.)
	tm_keys Escape
	tm_wait "Search:  " >/dev/null
	tm_keys /
	tm_type "Yolanda"
	tm_keys Enter
	tm_wait "$ref_taken" >/dev/null
	tm_keys c
	check "$t: claiming someone else's is refused with the reason" \
		tm_wait "already claimed by ${other:-?}"
	tm_keys Escape
	check "$t: Esc clears the search" tm_wait "Search:  "

	# UTF-8 names arrive whole.
	tm_keys /
	tm_type "Zoë"
	check "$t: a UTF-8 name is found and shown" tm_wait "Zoë Łukasz-Nguyễn"
	tm_keys Escape

	# Someone else's change shows without a key being pressed.
	if [ "$t" = xterm-256color ]; then
		tm_keys /
		tm_type "Quentin"
		tm_keys Enter
		tm_wait "$ref_live" >/dev/null
		md --as "${other:-nobody}" claim "$ref_live"
		check "$t: another user's claim appears by itself" tm_wait "screening"
		tm_keys Escape
	fi

	# Filters cycle.
	tm_keys f
	check "$t: f shows mine" tm_wait "[Mine]"
	check "$t: mine lists the claimed referral" tm_wait "$ref"
	tm_keys f
	check "$t: f shows unassigned" tm_wait "[Unassigned]"
	tm_keys f
	check "$t: f shows overdue" tm_wait "[Overdue]"
	tm_keys f
	check "$t: f shows our (csc's) checks" tm_wait "[Our checks: "
	tm_keys f
	check "$t: f shows feedback due" tm_wait "[Feedback due: "
	tm_keys f
	check "$t: f comes back to all" tm_wait "[All]"

	# Help, generated from the action table.
	tm_keys '?'
	check "$t: ? opens help for the queue" tm_wait "Help: Queue"
	check "$t: help lists claim by its key" tm_wait "[claim]"
	tm_keys Escape
	check "$t: Esc closes help" tm_wait "Filter: [All]"

	# Enter opens the referral screen (tests/e2e/referral.sh has more).
	tm_keys g Enter
	check "$t: Enter opens a referral" tm_wait "Decision:"
	tm_keys Escape
	check "$t: Esc returns to the queue" tm_wait "Filter: [All]"

	# Too small, then big enough again.
	tm_resize 60 20
	check "$t: too-small notice at 60x20" \
		tm_wait "terminal too small (need 80x24, have 60x20)"
	tm_resize 80 24
	check "$t: notice gone at 80x24" tm_wait_gone "terminal too small"
	check "$t: queue back at 80x24" tm_wait "Filter: [All]"

	if [ "$t" = vt100 ]; then
		# vt100 has no colour: nothing may depend on it.
		check "$t: no colour sent to a monochrome terminal" no_colour
	else
		check "$t: colour where the terminal has it" has_colour
	fi

	# q quits and the terminal is usable again.
	tm_keys q
	check "$t: q quits with status 0" tm_wait "E2E-EXITED rc=0"
	check "$t: terminal modes restored" tm_wait "TTY-OK"
	tm_type 'echo back-$((40+2))'
	tm_keys Enter
	check "$t: the shell prompt is back and echoes" tm_wait "back-42"
}

desk_session xterm-256color "Zebedee Quintrell" "$ref_x"
desk_session vt100 "Xanthe Vollmar" "$ref_v"

# ---- hostile text reaches the terminal inert ------------------------------
# A child's name carrying an OSC title sequence, colour and clear-screen
# codes, and a concern with more of the same: the desk must draw them as
# visible placeholders, never send them.  Under NO_COLOR the desk sends no
# colour of its own, so any colour on the screen came from the data.
esc=$(printf '\033') bel=$(printf '\007')
hostile="Mallory${esc}]2;PWNED${bel}${esc}[5;45mHostage${esc}[2J"
ref_h=$(md --as demo-sup referral add --child "$hostile" --dob 2015-02-02 \
	--concern "Said ${esc}]0;PWNED${esc}\\ and ${esc}[31mred${esc}[0m at school" --rag amber)
check "a referral whose name holds escape sequences is taken in" test -n "$ref_h"
tm_start 100 30 xterm-256color env NO_COLOR=1 "$MASHDESK" --db "$db" --as demo-sup
tm select-pane -t 0 -T "before-e2e"
check "hostile: the queue shows" tm_wait "Filter: [All]"
tm_keys /
tm_type "Mallory"
# (the row itself, its escapes drawn as visible ^[ placeholders: the
# search line shows "Mallory" as soon as it is typed)
check "hostile: the name is found and drawn" tm_wait "Mallory^[]2;PWNE"
tm_settle
check "hostile: the title sequence did not change the terminal's title" \
	test "$(tm display -p -t 0 '#{pane_title}')" = "before-e2e"
check "hostile: no colour reached the terminal" no_colour
tm_keys Enter Enter     # the first ends the search, the second opens
check "hostile: the referral opens with its concern" tm_wait "at school"
tm_settle
check "hostile: still the same title" \
	test "$(tm display -p -t 0 '#{pane_title}')" = "before-e2e"
check "hostile: still no colour" no_colour
check "hostile: the clear-screen code did not clear the header" tm_wait "$ref_h"
tm_keys Escape
check "hostile: back on the queue" tm_wait "Filter: [All]"
tm_keys q
check "hostile: q quits" tm_wait "E2E-EXITED rc=0"

# [keys] in the configuration: refused when it names flow control ...
printf '[keys]\nclaim = ^S\n' >"$e2e_tmp/bad.ini"
md --config "$e2e_tmp/bad.ini" --as demo-sup queue >/dev/null 2>"$e2e_tmp/bad.err"
check "[keys] claim = ^S is refused with exit 78" test $? -eq 78
check "... saying why" grep -q "flow control" "$e2e_tmp/bad.err"

# ... and, when good, followed by the key bar and the help.
printf '[keys]\nclaim = x, ^K\nhelp = h\n' >"$e2e_tmp/keys.ini"

# NO_COLOR (non-empty) turns colour off on a colour terminal.
tm_start 80 24 xterm-256color env NO_COLOR=1 "$MASHDESK" --db "$db" \
	--config "$e2e_tmp/keys.ini" --as demo-sup
check "NO_COLOR: the queue shows" tm_wait "Filter: [All]"
check "[keys]: the key bar names the new keys" tm_wait "x Claim"
check "[keys]: help is on h" tm_wait "h Help"
tm_keys h
check "[keys]: help lists the keys as bound" tm_wait "x, ^K"
tm_keys Escape
check "NO_COLOR: no colour sent" no_colour
check "NO_COLOR: RAG still shown as letters" tm_wait " R "
tm_keys q
check "NO_COLOR: q quits" tm_wait "E2E-EXITED rc=0"

done_testing
