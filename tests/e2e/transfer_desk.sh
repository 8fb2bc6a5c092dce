#!/bin/sh
# transfer_desk.sh - a transferred case at the desk, in a real (tmux)
# terminal at 80x24: at the sending hub the referral's header says
# "Transferred to HUB on DATE" and the Transfer section why; at the
# receiving hub the new contact's header says "Transferred from HUB REF"
# and the sending hub's history is a section to scroll to, without the
# restricted entry's text.  The layout's details: tests/unit/test_layout.c.  (The commands' contract: transfer.sh.)
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
riverside=$e2e_tmp/riverside.db
hilltop=$e2e_tmp/hilltop.db
for h in "$riverside:Riverside MASH" "$hilltop:Hilltop MASH"; do
	db=${h%%:*}
	"$MASHDESK" --db "$db" init --training --name "${h#*:}" >/dev/null 2>&1 &&
	"$MASHDESK" --db "$db" user add sue --name "Sue Lindqvist" --agency csc --role supervisor &&
	"$MASHDESK" --db "$db" user add pat --name "Pat Okafor" --agency police --role practitioner ||
		not_ok "hub $db set up"
done
r=$("$MASHDESK" --db "$riverside" --as sue referral add --child "Ada Quill" --dob 2016-04-12 \
	--concern "Seen alone at the bus stop at night" --rag amber 2>/dev/null)
"$MASHDESK" --db "$riverside" --as pat check "$r" --status complete --basis public-task \
	--info "Kestrel informant account" --handling restricted >/dev/null 2>&1
"$MASHDESK" --db "$riverside" --as sue transfer out "$r" --to "Hilltop MASH" \
	--reason "Family moved to Hilltop" --output "$e2e_tmp/ada.bundle" >/dev/null &&
"$MASHDESK" --db "$hilltop" --as sue transfer in "$e2e_tmp/ada.bundle" >/dev/null
check "R000001 transferred out of Riverside and into Hilltop" test $? -eq 0

# open REF: from the queue (on All), search for it and open it.
open_ref() {
	tm_keys /
	tm_wait "Type to search" >/dev/null
	tm_type "$1"
	tm_wait "Search: $1" >/dev/null
	tm_keys Enter
	tm_wait_gone "Type to search" >/dev/null
	tm_keys Enter
}
# scroll_to TEXT: j until TEXT is on the screen (at most 80 lines).
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

tm_start 80 24 xterm-256color "$MASHDESK" --db "$hilltop" --as sue
check "Hilltop's desk opens" tm_wait "R000001"
open_ref R000001
check "the arrival's header says where it came from" \
	tm_wait "Transferred from Riverside MASH R000001"
check "... the history is further down" scroll_to "Sending hub's history"
check "... the sending hub's account, as it arrived" \
	scroll_to "Transferred from Riverside MASH (training) as R000001"
check "... its checks, the restricted one withheld" scroll_to "withheld: yes"
tm_screen | grep -q Kestrel && not_ok "the restricted entry's text is shown" ||
	ok "... never the restricted entry's text"
check "the header stays put while the rest scrolls" \
	tm_wait "Transferred from Riverside MASH R000001"
tm_keys Escape Escape q
check "the desk ends cleanly" tm_wait "E2E-EXITED rc=0"

# The closed referral is off Riverside's queue: a new one about the same
# child lists it in its prior history, where Enter opens it.
"$MASHDESK" --db "$riverside" --as sue referral add --child "Ada Quill" \
	--dob 2016-04-12 --concern "Seen at the old address" >/dev/null
tm_start 80 24 xterm-256color "$MASHDESK" --db "$riverside" --as sue
check "Riverside's desk opens" tm_wait "Filter:"
open_ref R000002
check "the new referral lists the transferred one" scroll_to "R000001"
tm_keys BTab
tm_settle
tm_keys Enter
check "the sent referral's header says where it went" \
	tm_wait "Transferred to Hilltop MASH on "
check "... and the Transfer section why" scroll_to "Family moved to Hilltop"
tm_keys Escape Escape q
check "the desk ends cleanly" tm_wait "E2E-EXITED rc=0"

done_testing
