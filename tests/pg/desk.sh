#!/bin/bash
# desk.sh - the desk on PostgreSQL, in tmux at 80x24, against a private
# server (tests/pg/lib.sh): another user's new referral shows by itself on
# an open queue (LISTEN/NOTIFY); the desk's own claim shows at once; a
# form's typed text is kept as a draft; two
# desks on one agency check: the second is told who is editing; desk A's
# session ended on the server: it reconnects by itself; and the server
# restarted under a desk with a form open and text typed in it: the
# status line says the connection was lost, then that it came back; a save
# meanwhile is refused saying nothing was saved, the form and its text
# stay; the save after the reconnect is in the database (psql).
# Skipped without the PostgreSQL server binaries (or tmux).  Every wait is
# for text on a screen, with a generous deadline: nothing here is timed.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_tmux
need_mashdesk
need_postgres
pg_slow_test
make_tmp
pg_start
pg_psql postgres -c "CREATE DATABASE desk" >/dev/null ||
	{ echo "Bail out! cannot create the test database"; exit 1; }
url="postgresql://postgres@127.0.0.1:$PG_PORT/desk"
md() {
	"$MASHDESK" --db "$url" "$@"
}
q() {	# SQL: one value from the hub's database
	pg_psql desk -At -c "$1"
}

check "training hub created on PostgreSQL" \
	md init --training --name "Desk PG MASH"
for u in "sue Sue Lindqvist csc supervisor" "sam Sam Adeyemi csc supervisor" \
	 "dee Dee Marsh csc practitioner"; do
	set -- $u
	md user add "$1" --name "$2 $3" --agency "$4" --role "$5" >/dev/null ||
		not_ok "user $1 added"
done
add() {	# CHILD: a new referral, its reference on stdout
	md --as dee referral add --child "$1" --dob 2015-03-02 \
		--concern "pg desk test" --rag amber
}
held=$(add "Ada Heldfast") && claimed=$(add "Cal Claimwell")
check "referrals added" test -n "$held" -a -n "$claimed"
md --as dee claim "$held" >/dev/null || not_ok "dee claims $held"

# ---- helpers -----------------------------------------------------------------

# Desk B: a tmux server of its own (tm's targets name desk A's pane only),
# killed at exit with desk A's.
tmb() {
	"$TMUX_BIN" -L "$e2e_server-b" -f /dev/null "$@"
}
trap 'tmb kill-server >/dev/null 2>&1; pg_exit' EXIT
tmb_start() {
	{
		echo 'export LC_ALL=C.UTF-8 NO_COLOR= TERM=xterm-256color'
		printf "'%s' " "$@"
		echo
		echo 'echo "E2E-EXITED rc=$?"'
		echo 'PS1="E2E\$ " exec sh -i'
	} >"$e2e_tmp/paneb.sh"
	tmb new-session -d -x 80 -y 24 "sh $e2e_tmp/paneb.sh"
}
tmb_has() {
	tmb capture-pane -p -t 0 2>/dev/null | grep -qF -- "$1"
}
tmb_wait() {	# TEXT: wait until desk B shows TEXT
	e2e_until "$E2E_TIMEOUT" tmb_has "$1" && return 0
	diag "desk B: waited ${E2E_TIMEOUT}s for: $1" "screen was:"
	tmb capture-pane -p -t 0 2>/dev/null | sed '/^$/d; s/^/# | /'
	return 1
}

# row_has REF TEXT: desk A's queue row of REF holds TEXT (waits).
row_is() {
	tm_screen | grep "^$1 " | head -1 | grep -qF -- "$2"
}
row_has() {
	e2e_until "$E2E_TIMEOUT" row_is "$1" "$2" && return 0
	diag "row of $1 was: $(tm_screen | grep "^$1 " | head -1)" \
		"expected it to hold: $2"
	return 1
}

# search_a TEXT: on desk A's queue, search for TEXT.
search_a() {
	if ! tm_screen | grep -qF "Search:  "; then
		tm_keys Escape
		tm_wait "Search:  " >/dev/null
	fi
	tm_keys /
	tm_type "$1"
	tm_keys Enter
	tm_wait "Search: $1" >/dev/null
}

server_stop() {
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop \
		>/dev/null 2>&1
}
server_start() {	# the same port and options as pg_start's
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-w -t 60 -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
		start >/dev/null 2>&1
}

# ---- (a) live refresh: another user's referral shows by itself ----------------

tm_start 80 24 xterm-256color "$MASHDESK" --db "$url" --as sue
check "desk A: the queue shows" tm_wait "Filter: [All]"
check "desk A: the referrals are listed" tm_wait "$held"
new=$(add "Bo Brightwater")
check "a referral added from the command line ($new)" test -n "$new"
check "live: it shows on desk A's open queue by itself" tm_wait "$new"
check "live: ... with its child" tm_wait "Bo Brightwater"

# ---- (b) the desk's own save shows after the save -------------------------------

search_a "Cal Claimwell"
tm_wait "$claimed" >/dev/null
tm_keys c
check "own save: the claim shows on the queue row" row_has "$claimed" " sue "
check "own save: ... and is in the database" \
	test "$(q "SELECT assigned_to FROM referral WHERE ref = '$claimed'")" = sue

# ---- (c) two desks, one agency check: the second is told who edits -----------

search_a "Ada Heldfast"
tm_wait "$held" >/dev/null
tm_keys Enter
tm_wait "e Edit" >/dev/null
tm_keys e
check "desk A: the csc check form opens" \
	tm_wait "Children's social care check on $held"
tm_keys Right Right Tab
tm_type "Typed before the restart"
check "desk A: text typed into the form" tm_wait "Typed before the restart"
draft_has() {
	q "SELECT body FROM draft WHERE owner = 'sue'" | grep -qF -- "$1"
}
check "drafts: the typed text is kept as a draft on PostgreSQL" \
	e2e_until "$E2E_TIMEOUT" draft_has "Typed before the restart"

tmb_start "$MASHDESK" --db "$url" --as sam
check "desk B: the queue shows" tmb_wait "Filter: [All]"
tmb send-keys -t 0 /
tmb send-keys -t 0 -l "Ada Heldfast"
tmb send-keys -t 0 Enter
tmb_wait "Search: Ada Heldfast" >/dev/null
tmb send-keys -t 0 Enter
tmb_wait "e Edit" >/dev/null
tmb send-keys -t 0 e
check "lease: desk B is told who is editing the check" \
	tmb_wait "Sue Lindqvist (sue) is editing"
md --as sam check "$held" --status nothing-known >/dev/null 2>"$e2e_tmp/err"
rc=$?
check "lease: the command line is refused too (75)" test "$rc" -eq 75
check "lease: ... naming sue" grep -qF "(sue) is editing" "$e2e_tmp/err"
tmb send-keys -t 0 Escape
tmb_wait "Filter: [" >/dev/null
tmb send-keys -t 0 q
check "desk B quits with status 0" tmb_wait "E2E-EXITED rc=0"
tmb kill-server

# ---- (d) desk A's session is ended on the server (as a failover would) --------

q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'desk' AND pid <> pg_backend_pid()" >/dev/null
check "killed session: desk A reconnects by itself and says so" \
	tm_wait "reconnected to the hub after"
check "killed session: the typed text is still there" \
	tm_wait "Typed before the restart"

# ---- (e) the server restarts under desk A's open form ----------------------------

server_stop
check "restart: the server is down" \
	sh -c "! '$MASHDESK' --db '$url' --as sue queue >/dev/null 2>&1"
check "restart: desk A's status line says the connection was lost" \
	tm_wait "connection to the hub lost; reconnecting"
check "restart: the typed text is still there" tm_wait "Typed before the restart"
tm_keys Tab Right Tab Right Tab
tm_type "Parents told and agreed"
tm_keys C-x
check "restart: a save while down is refused, saying nothing was saved" \
	tm_wait "nothing was saved"
check "restart: ... the form stays open" \
	tm_wait "Children's social care check on $held"
check "restart: ... with the typed text" tm_wait "Typed before the restart"
check "restart: the desk is still running" tm_lacks "E2E-EXITED"
server_start || { echo "Bail out! the server did not start again"; exit 1; }
check "restart: desk A says it reconnected" \
	tm_wait "reconnected to the hub after"
check "restart: the typed text survived the outage" \
	tm_wait "Typed before the restart"
tm_keys C-x
check "restart: saving after the reconnect works" \
	tm_wait "Status: Agency checks under way"
check "restart: the check is in the database" \
	test "$(q "SELECT c.info FROM agency_check c JOIN referral r ON r.id = c.referral_id WHERE r.ref = '$held' AND c.agency = 'csc'")" = "Typed before the restart"
check "restart: ... with the consent reason typed during the outage" \
	test "$(q "SELECT c.consent_reason FROM agency_check c JOIN referral r ON r.id = c.referral_id WHERE r.ref = '$held' AND c.agency = 'csc'")" = "Parents told and agreed"

# Live refresh still works on the new connection (it listens again).
tm_keys Escape
tm_wait "Filter: [" >/dev/null
tm_keys Escape          # the search goes
tm_wait "Search:  " >/dev/null
again=$(add "Eve Afterwards")
check "after the restart: another referral ($again) shows by itself" \
	tm_wait "$again"
tm_keys q
check "desk A quits with status 0" tm_wait "E2E-EXITED rc=0"

done_testing
