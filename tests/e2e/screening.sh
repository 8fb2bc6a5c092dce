#!/bin/sh
# screening.sh - the front door at the desk, in a real (tmux) terminal at
# 80x24 under TERM=xterm-256color and TERM=vt100: a csc practitioner
# screens a contact to red asking police, health and education (a save
# with none ticked is refused at the field, nothing kept), and every
# screen shows what was saved: the header's line of checks, the key bar,
# the Screening section; re-rates it with a reason and sees the timeline;
# closes another contact as advice.  Then a police and a health
# practitioner each open their desk on "Our checks" and find their checks
# first, late ones before the rest, with how many are late.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

check "training hub created" md init --training --name "Front Door Hub"
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

# A referral whose police check is late: first on the police desk.
late=$(contact "Lena Latewell" amber)
md --as sue screen "$late" --rag amber --reason "Known to police" \
	--request police,health >/dev/null 2>&1
sqlite3 "$db" "UPDATE agency_check SET due_at = due_at - 2 * 86400
	WHERE agency = 'police' AND referral_id = (SELECT id FROM referral
	WHERE ref = '$late')"
check "a referral with a late police check ($late)" test -n "$late"

# row_of TEXT: the screen row (from 0) of the first line holding TEXT.
row_of() {
	tm_screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1 |
		awk '{ print $1 - 1 }'
}
# row_matches REGEX: some line of the screen matches (grep -E).
row_matches() {
	e2e_until "$E2E_TIMEOUT" sh -c "'$TMUX_BIN' -L '$e2e_server' capture-pane -p \
		-t 0 | grep -Eq -- '$1'" && return 0
	diag "no line matches /$1/" "screen was:"
	tm_screen | sed '/^$/d; s/^/# | /'
	return 1
}
# bar_lacks TEXT: the key bar (the last line) does not name TEXT, once the
# screen has settled.
bar_lacks() {
	tm_settle
	! tm_screen | sed '/^$/d' | tail -n 1 | grep -qF -- "$1"
}
bar_has() {
	tm_wait "$1" >/dev/null && tm_screen | sed '/^$/d' | tail -n 1 |
		grep -qF -- "$1"
}
# open REF: from the queue, search for it and open it (Esc first clears
# the search kept from the last time).
open_ref() {
	tm_keys Escape
	tm_wait_gone "Search: R0" >/dev/null
	tm_keys /
	tm_wait "Type to search" >/dev/null
	tm_type "$1"
	tm_wait "Search: $1" >/dev/null
	tm_keys Enter
	tm_wait_gone "Type to search" >/dev/null
	tm_keys Enter
}
# tabs N: press Tab N times, each once the form has drawn the last.
tabs() {
	i=0
	while [ "$i" -lt "$1" ]; do
		tm_keys Tab
		i=$((i + 1))
	done
	tm_settle
}
# page_to TEXT: Space until TEXT is on the screen (at most 12 pages).
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
# scroll_to TEXT: j (a line at a time) until TEXT is on the screen, at
# most 80 lines: what is just above it stays in sight.
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

screening_session() {	# TERM
	t=$1
	red=$(contact "Ada Frontdoor-$t" amber)
	advice=$(contact "Bo Closewell-$t")
	check "$t: two contacts taken in ($red, $advice)" test -n "$red" -a -n "$advice"
	tm_start 80 24 "$t" "$MASHDESK" --db "$db" --as sam
	check "$t: a csc desk opens on All" tm_wait "Filter: [All]"

	# ---- screen a contact to red, asking three agencies -------------------
	open_ref "$red"
	check "$t: the contact's header says no agency is asked yet" \
		tm_wait "Checks: none asked yet: the contact is not screened"
	check "$t: the key bar offers to screen it" bar_has "s Screen"
	tm_keys s
	check "$t: s opens the screening form" tm_wait "Screen $red: Ada Frontdoor-$t"
	check "$t: it starts on progressing the contact" \
		tm_wait "< Progress to the hub's checks >"
	check "$t: the rating at intake is the form's" tm_wait "< Amber: act today >"
	check "$t: every agency can be ticked" \
		tm_wait "[ ] Police  [ ] Children's social care  [ ] Health"
	tm_keys Tab r
	check "$t: a letter picks Red" tm_wait "< Red: act now >"
	tabs 2
	tm_keys Space
	check "$t: Space ticks Police" tm_wait "[x] Police"
	tabs 2
	tm_keys Space
	tabs 1
	tm_keys Space
	check "$t: and Health and Education" tm_wait "[x] Education"
	tabs 3
	tm_type "Bruises seen by the class teacher; mother not told."
	tm_keys C-x
	check "$t: saved: the contact is progressed" \
		tm_wait "progressed to the hub's checks: red, 3 agencies asked"
	check "$t: the form closed onto the referral, its RAG red" tm_wait "RAG: R Red"
	check "$t: the header lists the three asked, each with its time left" \
		row_matches "^ Checks: Police [0-9]+h( [0-9]+m)?  Health [0-9]+h( [0-9]+m)?  Educ\. [0-9]+h( [0-9]+m)? *$"
	check "$t: the status moved on" tm_wait "Status: Agency checks under way"
	check "$t: the key bar no longer offers to screen it" bar_lacks "s Screen"
	check "$t: ... but to rate it and ask more agencies" bar_has "r Rate  a Ask"

	# ---- re-rate it, with a reason -------------------------------------------
	tm_keys r
	check "$t: r opens the rating form" tm_wait "Rate $red: Ada Frontdoor-$t (now Red)"
	tm_keys a
	check "$t: a letter picks Amber" tm_wait "< Amber: act today >"
	tm_keys C-x
	check "$t: a rating without a reason is refused at the field" \
		tm_wait "Not saved: reason: required"
	check "$t: ... the form stays" tm_wait "Rate $red"
	check "$t: ... with the focus on the reason" tm_wait "> Reason"
	tm_type "Explained by the GP: a fall at the park."
	tm_keys C-x
	check "$t: the rating is saved" tm_wait "$red rated amber."
	check "$t: the header says amber" tm_wait "RAG: A Amber"
	page_to "RAG ratings"
	scroll_to "Amber, was Red by sam"
	check "$t: the timeline shows the screening's rating" \
		tm_wait "Red, was Amber by sam: Bruises seen by the class teacher;"
	check "$t: ... and the new one with its reason" \
		tm_wait "Amber, was Red by sam: Explained by the GP: a fall at the"
	tm_keys g
	check "$t: the data layer kept both" sh -c "'$MASHDESK' --db '$db' --as sam \
		show '$red' | grep -c '^rating' | grep -qx 3"
	tm_keys Escape
	check "$t: Esc back to the queue" tm_wait "Filter: [All]"

	# ---- close another as advice ------------------------------------------------
	open_ref "$advice"
	check "$t: the second contact opens" tm_wait "Bo Closewell-$t"
	tm_keys s
	check "$t: s opens its screening form" tm_wait "Screen $advice: Bo Closewell-$t"
	tm_keys a
	check "$t: a letter picks advice" \
		tm_wait "< Advice, information or signposting >"
	check "$t: the outcome says what it does" tm_wait "Closed at screening: advice"
	tabs 9
	tm_type "Leaflet on sleep routines; school nurse to follow up."
	tm_keys C-x
	check "$t: saved: closed at screening" \
		tm_wait "$advice closed at screening: Advice, information or signposting."
	check "$t: the header says there is no decision to make" \
		tm_wait "Decision: none, closed at screening"
	check "$t: ... nor a decision" bar_lacks "d Decide"
	check "$t: the key bar offers none of screen, rate or ask" \
		sh -c "! '$TMUX_BIN' -L '$e2e_server' capture-pane -p -t 0 | tail -n 1 |
			grep -Eq 's Screen|r Rate|a Ask'"
	tm_keys r
	check "$t: r says the rating stands" tm_wait "closed at screening by sam at"
	tm_keys Escape Escape q
	check "$t: the desk quits cleanly" tm_wait "E2E-EXITED rc=0"
}

screening_session xterm-256color
screening_session vt100

# ---- each agency's own work list ----------------------------------------------

# first_row: the reference on the queue's first row (the screen's fourth
# line: under the status line, the filter line and the headings).
first_row() {
	tm_screen | sed -n 4p | awk '{ print $1 }'
}
for t in xterm-256color vt100; do
	tm_start 80 24 "$t" "$MASHDESK" --db "$db" --as pat
	check "$t: a police desk opens on Our checks, saying one is late" \
		tm_wait "[Our checks: 1 late]"
	check "$t: its due column is the check's" tm_wait "Check due"
	tm_settle
	check "$t: the late check first" test "$(first_row)" = "$late"
	check "$t: it says LATE in words" row_matches "^$late .* late [0-9]"
	check "$t: then the one asked at the desk" \
		sh -c "'$TMUX_BIN' -L '$e2e_server' capture-pane -p -t 0 | sed -n 5,6p |
			grep -c 'Ada Frontdoor' | grep -qx 2"
	check "$t: not the contact closed as advice" tm_lacks "Bo Closewell"
	tm_keys f f     # Feedback due, then All
	check "$t: f goes round to All" tm_wait "Filter: [All]"
	tm_keys q
	check "$t: the police desk quits" tm_wait "E2E-EXITED rc=0"
done

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as hana
check "a health desk opens on Our checks, none late" tm_wait "[Our checks: 0 late]"
tm_settle
# the red ones asked at the desk are due within 2 hours, the amber
# referral's health check within 6: earliest due first
check "its checks by due time: the two red ones first" \
	sh -c "'$TMUX_BIN' -L '$e2e_server' capture-pane -p -t 0 | sed -n 4,5p |
		grep -c 'Ada Frontdoor' | grep -qx 2"
check "then the amber one" test "$(tm_screen | sed -n 6p | awk '{ print $1 }')" = "$late"
tm_keys q
check "the health desk quits" tm_wait "E2E-EXITED rc=0"

# [ui] first_filter overrides the agency's default.
printf '[ui]\nfirst_filter = overdue\n' >"$e2e_tmp/look.ini"
tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --config "$e2e_tmp/look.ini" --as pat
check "[ui] first_filter = overdue opens a police desk on Overdue" tm_wait "[Overdue]"
tm_keys q
tm_wait "E2E-EXITED rc=0" >/dev/null

done_testing
