#!/bin/sh
# intake.sh - the front door at the desk, in a real (tmux) terminal at
# 80x24: a phone call about a child referred before taken in with n on the
# queue -- the earlier referrals and the allocated social worker appear
# while the name and date of birth are typed, the household at the address
# when it is typed -- household rows added and removed, a resize mid-form
# keeping everything typed, a refusal shown at its field, the save's
# reference on the message line and the contact in the queue at once;
# the details edited from the referral screen (E) and seen there and in
# `mashdesk audit show`; the unsaved contact kept when the line drops
# (SIGHUP) and offered again; and the same call under TERM=vt100.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
md() {
	"$MASHDESK" --db "$db" "$@"
}

# ---- a training hub with a child referred before ---------------------------

check "training hub created" md init --training --name "Intake MASH"
check "csc practitioner added" \
	md user add cas --name "Cas Moreno" --agency csc --role practitioner
check "csc supervisor added" \
	md user add sue --name "Sue Lindqvist" --agency csc --role supervisor
cat >"$e2e_tmp/history.csv" <<'EOF'
child,dob,concern,address,received,decided,outcome
Ada Quintrell,2016-04-01,Bruises seen at school,"14 Canal Row, Riverside",2025-03-01T10:00,2025-03-02T10:00,s47
Ben Quintrell,2014-02-02,Left alone,"14 Canal Row, Riverside",2025-06-01T10:00,2025-06-02T10:00,early-help
Cal Other,2013-01-01,Unrelated,"9 Mill Lane",2025-07-01T10:00,2025-07-02T10:00,nfa
EOF
check "the earlier referrals imported" md --as cas import "$e2e_tmp/history.csv"
# The child's case is held by a social worker (recorded on the s47).
sqlite3 "$db" "UPDATE referral SET allocated_worker = 'Sam Reyes'
	WHERE child_name = 'Ada Quintrell'"
first=$(sqlite3 "$db" "SELECT ref FROM referral WHERE child_name = 'Ada Quintrell'")
check "the s47 referral is on record (${first:-none})" test -n "$first"

# ---- helpers ------------------------------------------------------------------

row_of() {	# TEXT: the screen row (from 0) of the first line holding TEXT
	tm_screen | grep -nF -- "$1" | head -1 | cut -d: -f1 |
		awk '{ print $1 - 1 }'
}
cursor_on() {	# TEXT: wait until the real cursor is on the row holding TEXT
	e2e_until "$E2E_TIMEOUT" cursor_is_on "$1" && return 0
	diag "cursor on row $(tm_cursor_row), \"$1\" on row $(row_of "$1")"
	return 1
}
cursor_is_on() {
	r=$(row_of "$1")
	[ -n "$r" ] && [ "$(tm_cursor_row)" = "$r" ]
}
stored() {	# REF SECTION TEXT: `show` has TEXT in that section
	md --as sue show "$1" 2>/dev/null | grep "^$2	" | grep -qF -- "$3"
}
audited() {	# REF TEXT: `audit show` has TEXT
	md --as sue audit show "$1" 2>/dev/null | grep -qF -- "$2"
}
refused() {	# CODE TEXT CMD...: CMD exits CODE, one line on stderr holding TEXT
	code=$1 text=$2
	shift 2
	"$@" >/dev/null 2>"$e2e_tmp/err"
	rc=$?
	[ $rc -eq "$code" ] && grep -qF -- "$text" "$e2e_tmp/err" &&
		[ "$(wc -l <"$e2e_tmp/err")" -eq 1 ] && return 0
	diag "exit $rc, said: $(cat "$e2e_tmp/err")"
	return 1
}
desk_pid() {	# the desk running in the pane (the pane's shell's child)
	pgrep -P "$(tm display -p -t 0 '#{pane_pid}')" | head -1
}

# ---- a phone call about Ada ---------------------------------------------------

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as cas
check "the queue shows" tm_wait "Filter: [All]"
check "the queue's key bar names n" tm_wait "Enter Open  n New  ? Help"
tm_keys n
check "n opens a new contact" tm_wait "New contact"
check "... on the child's name" cursor_on "> Child's name"
check "... with the prior history panel waiting" \
	tm_wait "Prior history: type the child's name and date of birth"
check "... and the key bar names save and adding a person" \
	tm_wait "^X Save  Esc Back"
check "... (^N)" tm_wait "^N Add person"

tm_type "Ada Quintrell"
tm_keys Tab
check "Tab moves on to the date of birth" cursor_on "> Date of birth"
tm_type "2016-04-01"
# No key now: the pause alone brings the lookup.
check "while typing: the earlier referral appears" \
	tm_wait "$first 2025-03-01 child"
check "... with its outcome" tm_wait "decided: s47"
check "... and the child's allocated social worker" \
	tm_wait "ALLOCATED social worker: Sam Reyes"
check "... counted" tm_wait "Prior history: 1 earlier (1 of this child"

tm_keys Tab Tab Tab Tab
check "Tab reaches the address" cursor_on "> Address"
tm_type "14 canal row, RIVERSIDE"
tm_keys Tab
check "leaving the address: the household's earlier referral appears" \
	tm_wait "address Ben Quintrell"
check "... counted" tm_wait "2 earlier (1 of this child, 1 at the address)"
check "... not another address's" tm_lacks "Cal Other"

tm_keys C-n
check "^N adds a person" tm_wait "Person 1 added"
check "... with the focus on their name" cursor_on "> Person 1"
check "... and the key bar says how to remove them" tm_wait "^K Remove person"
tm_type "Ann Quintrell"
tm_keys Tab
tm_type "mother"
tm_keys Tab Tab Space
check "a tick in the person's row" tm_wait "[x] Parental responsibility"
tm_keys C-n
check "^N adds another" tm_wait "Person 2 added"
tm_type "Rob Mistyped"
tm_keys Tab
tm_type "uncle"
check "... typed in" tm_wait "Rob Mistyped"
tm_keys C-k
check "^K removes the person with the focus" tm_wait "Person 2 removed."
check "... their row is gone" tm_lacks "Rob Mistyped"
check "... the other stays" tm_wait "Ann Quintrell"
tm_keys C-n
tm_type "Rob Quintrell"
tm_keys Tab
tm_type "father"
tm_keys Tab Tab Tab Space
check "the alleged perpetrator ticked" tm_wait "[x] Alleged perpetrator"

tm_resize 100 30
check "resized: the form is drawn again at 100x30" tm_drawn_at 100 30
check "... everything typed is kept" tm_wait "Rob Quintrell"
check "... the first person too" tm_wait "Ann Quintrell"
check "... and the tick" tm_wait "[x] Alleged perpetrator"
tm_resize 60 20
check "too small at 60x20" tm_wait "terminal too small"
tm_resize 80 24
check "back at 80x24" tm_drawn_at 80 24
check "... the household as typed" tm_wait "Rob Quintrell"
check "... and the prior history" tm_wait "address Ben Quintrell"

tm_keys C-x
check "saving without what happened: the message is at the field" \
	tm_wait "! concern: required"
check "... and the focus moved there" cursor_on "> What happened"
tm_type "Ada told her teacher she was hit at home last night."
tm_keys C-x
check "saved: the reference on the message line" tm_wait "Taken in: R"
ref=$(tm_screen | sed -n 's/.*Taken in: \(R[0-9]*\).*/\1/p' | head -1)
check "... a new reference (${ref:-none})" test -n "$ref" -a "$ref" != "$first"
check "the form closed onto the queue" tm_wait "Filter: [All]"
check "... which shows the new contact at once" tm_wait "$ref  "
check "stored: a contact" \
	sh -c "\"$MASHDESK\" --db '$db' --as cas queue | grep -q '^$ref	'"
check "stored: the address" stored "$ref" child "14 canal row, RIVERSIDE"
check "stored: what happened" stored "$ref" concern "hit at home last night"
check "stored: the mother, with parental responsibility" \
	stored "$ref" household "mother; parental responsibility"
check "stored: the father, alleged perpetrator" \
	stored "$ref" household "Rob Quintrell"
check "stored: not the removed row" \
	sh -c "! \"$MASHDESK\" --db '$db' --as sue show '$ref' | grep -q 'Rob Mistyped'"
check "audited: taken in at the desk" audited "$ref" "took in $ref at the desk"

# ---- the details edited from the referral screen --------------------------

tm_keys /
tm_type "$ref"
tm_keys Enter
tm_wait "$ref" >/dev/null
tm_keys Enter
check "the referral opens" tm_wait "d Decide"
tm_keys E
check "E opens its details" tm_wait "Details of $ref: Ada Quintrell"
check "... filled in as recorded" tm_wait "14 canal row, RIVERSIDE"
check "... the prior history without the record itself" \
	tm_wait "Prior history: 2 earlier"
check "... on the child's name" cursor_on "> Child's name"
check "while the form is open no one else edits the details (75)" \
	refused 75 "Cas Moreno (cas) is editing the details of $ref" \
	md --as sue referral edit "$ref" --school "Elsewhere"
tm_type " Hart"
tm_keys C-x
check "saved: how many changes" tm_wait "$ref: details saved (1 change"
check "the referral screen shows the new name" tm_wait "Ada Quintrell Hart"
check "the audit says who changed what from what to what" \
	audited "$ref" "edit-details	child: 'Ada Quintrell' -> 'Ada Quintrell Hart'"
check "... by whom" \
	sh -c "\"$MASHDESK\" --db '$db' --as sue audit show '$ref' | grep 'edit-details' | grep -q '	cas	'"
tm_keys Escape
tm_wait "Filter: [All]" >/dev/null
tm_keys q
check "q quits with status 0" tm_wait "E2E-EXITED rc=0"

# ---- the line drops mid-call: the contact is kept and offered again ---------

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as cas
tm_wait "Filter: [All]" >/dev/null
tm_keys n
tm_wait "New contact" >/dev/null
tm_type "Hugo Hangup"
tm_keys Tab
tm_type "2015-05-05"
check "typed before the line drops" tm_wait "2015-05-05"
kill -HUP "$(desk_pid)"
check "hangup: the desk stops, dying of SIGHUP" tm_wait "E2E-EXITED rc=129"
check "hangup: the terminal is restored" tm_wait "TTY-OK"
tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as cas
tm_wait "Filter: [All]" >/dev/null
tm_keys n
check "n again: the unsaved contact is restored" tm_wait "Restored your unsaved work"
check "... with the name" tm_wait "Hugo Hangup"
check "... and the date of birth" tm_wait "2015-05-05"
tm_keys Escape
check "Esc asks before throwing it away" tm_wait "Discard your changes? (y/n)"
tm_keys y
check "y discards it" tm_wait "Filter: [All]"
tm_keys n
tm_wait "New contact" >/dev/null
check "... and it is not offered again" tm_lacks "Hugo Hangup"
tm_keys Escape
tm_wait "Filter: [All]" >/dev/null
tm_keys q
tm_wait "E2E-EXITED rc=0" >/dev/null

# ---- the details from the shell ------------------------------------------------

out=$(md --as cas referral edit "$ref" --school "Hill School" --parents-aware no)
check "referral edit: prints how many fields changed (${out:-none})" test "$out" = 2
check "referral edit: stored" stored "$ref" child "Hill School"
check "referral edit: what was not given is kept" stored "$ref" child "14 canal row"
check "referral edit: audited field by field" \
	audited "$ref" "school: '' -> 'Hill School'"
check "referral edit: ... each" audited "$ref" "parents_aware: 'not known' -> 'no'"
out=$(md --as cas referral edit "$ref" --school "Hill School")
check "referral edit: nothing changed prints 0 (${out:-none})" test "$out" = 0
md --as cas referral edit "$ref" --person "Ann Quintrell;mother;pr" \
	--person "Tia Quintrell;sister;2012-01-01" >/dev/null
check "referral edit: --person replaces the household, audited person by person" \
	audited "$ref" "person 2: 'Rob Quintrell (father, alleged perpetrator)' -> 'Tia Quintrell (sister, born 2012-01-01)'"
check "referral edit: a bad date is refused at its field (65), one line" \
	refused 65 "dob: '2016-02-30'" md --as cas referral edit "$ref" --dob 2016-02-30
check "referral edit: ... and nothing changed" stored "$ref" child "2016-04-01"
check "referral edit: a decided referral is refused (65)" \
	refused 65 "is decided: its details can no longer be changed" \
	md --as cas referral edit "$first" --school "Too late"
check "referral edit: an admin may not (77), saying who may" \
	refused 77 "edit a referral's details" md referral edit "$ref" --gp "Dr Fenn"
check "referral edit: --help" md referral edit --help

# ---- the same call under TERM=vt100 ----------------------------------------------

tm_start 80 24 vt100 "$MASHDESK" --db "$db" --as cas
check "vt100: the queue shows" tm_wait "Filter: [All]"
tm_keys n
check "vt100: n opens a new contact" tm_wait "New contact"
tm_type "Ada Quintrell Hart"
tm_keys Tab
tm_type "2016-04-01"
tm_keys Tab
check "vt100: the contact just taken in is prior history now" \
	tm_wait "$ref 20"
tm_keys Tab
tm_type "Ada Quintrell"
tm_keys Tab
check "vt100: an alias finds the child's s47" tm_wait "$first 2025-03-01"
check "vt100: ... with the allocated worker" tm_wait "ALLOCATED"
tm_keys C-n
check "vt100: ^N adds a person" tm_wait "Person 1 added"
tm_keys C-k
check "vt100: ^K removes them" tm_wait "Person 1 removed."
tm_keys Escape
check "vt100: Esc asks first" tm_wait "Discard your changes? (y/n)"
tm_keys y
tm_wait "Filter: [All]" >/dev/null
tm_keys q
check "vt100: q quits with status 0" tm_wait "E2E-EXITED rc=0"
check "vt100: terminal modes restored" tm_wait "TTY-OK"

done_testing
