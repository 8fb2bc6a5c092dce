#!/bin/bash
# failover.sh - high availability shown: a hub on a pg_auto_failover
# formation on loopback (a monitor and two PostgreSQL nodes, synchronous
# replication), eight command-line writers saving referrals in a loop and
# two desks open (one with a half-typed contact), then kill -9 of the
# primary's whole node -- its pg_autoctl keeper, the postmaster and every
# backend at once, as when its host dies.  The monitor promotes the
# standby; libpq finds the new primary from the two-host address
# (target_session_attrs=read-write).  Asserted: every save that was
# acknowledged (exit 0, a reference printed) is in the hub, none twice,
# the audit chain verifies; the desks say they lost the hub and then that
# they reconnected, the typed contact is still in its form and saves.
# The write gap -- from the last acknowledged save before the kill to the
# first save begun after it that was acknowledged -- is printed
# ("# write gap: N.N s", and in an ok line so `make check` shows it).
#
# Everything lives in one temporary directory under /tmp owned by
# PG_TEST_USER (PostgreSQL and pg_autoctl refuse root), on free loopback
# ports, without SSL and with trust authentication (a throwaway test
# formation).  The EXIT trap kills every process group the test started
# and removes the directory however the test ends; the last check is that
# nothing of it is left running.  Without pg_autoctl the test is skipped.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
need_postgres
pg_slow_test
need_tmux
command -v pg_autoctl >/dev/null 2>&1 ||
	skip_all "pg_autoctl not installed (Debian: pg-auto-failover-cli, postgresql-15-auto-failover)"
[ -e "$PG_BIN/../lib/pgautofailover.so" ] ||
	[ -e "$("$PG_BIN/pg_config" --pkglibdir 2>/dev/null)/pgautofailover.so" ] ||
	skip_all "the pgautofailover extension is not installed for $PG_BIN (postgresql-15-auto-failover)"

# Generous deadlines: they catch hangs, not slowness (a busy 2-core box).
E2E_TIMEOUT=${E2E_TIMEOUT:-30}
FAILOVER_TIMEOUT=${FAILOVER_TIMEOUT:-90}

make_tmp
D=$(mktemp -d /tmp/mashdesk-ha.XXXXXX) || exit 99
chmod 755 "$D"
[ "$(id -u)" = 0 ] && { chown "$PG_TEST_USER" "$D" || exit 99; }

groups=()       # process groups started here (pg_autoctl run, one each)
writers=()      # the writer loops' pids

ha_cleanup() {
	local g p
	touch "$e2e_tmp/stop" 2>/dev/null
	for p in "${writers[@]}"; do kill "$p" 2>/dev/null; done
	# The desks first: a desk still connected would hold a backend.
	"$TMUX_BIN" -L "$e2e_server" kill-server >/dev/null 2>&1
	# The formation is thrown away: SIGKILL to each node's process group
	# (pg_autoctl, its postgres, every backend) ends it at once, and any
	# postmaster named in a data directory (one outliving its group) too.
	for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
	for p in "$D"/*/postmaster.pid; do
		[ -f "$p" ] || continue
		p=$(head -n 1 "$p")
		# (only while that pid is still a postgres of this directory)
		[ -n "$p" ] && tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" |
			grep -qF -- "$D" || continue
		pkill -KILL -P "$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	for _ in $(seq 1 50); do
		p=
		for g in "${groups[@]}"; do
			kill -0 -- "-$g" 2>/dev/null && p=1
		done
		[ -z "$p" ] && break
		sleep 0.1
	done
	# A postmaster killed outright leaves its small System V segment
	# behind (its id is on line 7 of postmaster.pid): remove ours, once
	# nothing is attached to them.
	for p in "$D"/*/postmaster.pid; do
		[ -f "$p" ] || continue
		p=$(sed -n 7p "$p" | awk '{ print $2 }')
		[ -n "$p" ] && ipcs -m 2>/dev/null |
				awk -v id="$p" -v u="$PG_TEST_USER" '$2 == id && $3 == u && $6 == 0 { f = 1 }
				END { exit !f }' &&
			ipcrm -m "$p" 2>/dev/null
	done
	for p in "${writers[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$D"
	e2e_cleanup
}
trap ha_cleanup EXIT

# as_owner CMD...: as the formation's owner, in a clean environment that
# keeps pg_autoctl's state in $D (not a home directory) and its unix
# sockets in $D too.
as_owner() {
	pg_as_owner env -i PATH="$PG_BIN:/usr/bin:/bin" LANG=C.UTF-8 \
		HOME="$D" XDG_CONFIG_HOME="$D/config" XDG_DATA_HOME="$D/share" \
		XDG_RUNTIME_DIR="$D/run" PG_REGRESS_SOCK_DIR="$D" PGHOST="$D" "$@"
}
# run_node DIR: `pg_autoctl run` for DIR in the background, in its own
# process group (its postgres and backends join it), so that one kill
# takes the whole node down as a dying host would.
run_node() {
	local dir=$1
	setsid env -i PATH="$PG_BIN:/usr/bin:/bin" LANG=C.UTF-8 \
		HOME="$D" XDG_CONFIG_HOME="$D/config" XDG_DATA_HOME="$D/share" \
		XDG_RUNTIME_DIR="$D/run" PG_REGRESS_SOCK_DIR="$D" PGHOST="$D" \
		$( [ "$(id -u)" = 0 ] && echo "$(command -v runuser)" -u "$PG_TEST_USER" -- ) \
		pg_autoctl run --pgdata "$dir" >"$dir.run.log" 2>&1 &
	groups+=($!)
	disown $!	# its end (killed, on purpose) is not the shell's news
}
state() {	# the monitor's table of nodes
	as_owner pg_autoctl show state --pgdata "$D/monitor" 2>/dev/null
}
# node_in STATE: the name of the node whose reported state is STATE.
node_in() {
	state | awk -F'|' -v s="$1" '{ gsub(/ /, "", $1); gsub(/ /, "", $6) }
		$6 == s { print $1; exit }'
}
have_node_in() { [ -n "$(node_in "$1")" ]; }
bail() {
	echo "Bail out! $*"
	for f in "$D"/*.log; do
		[ -f "$f" ] && { echo "# --- $f"; tail -n 8 "$f" | sed 's/^/# /'; }
	done
	exit 1
}
# small DIR: a test server's memory kept small (pg_autoctl sizes it for
# the whole machine), loopback only, and fsync off: what is tested is a
# node's processes dying, not the machine (the kernel keeps what was
# written), and a busy disk then does not slow the formation's setup.
# synchronous_commit stays on: a commit waits for the standby.
small() {
	printf "listen_addresses = '127.0.0.1'\nshared_buffers = '32MB'\n%s\n%s\n%s\n%s\n" \
		"effective_cache_size = '128MB'" "maintenance_work_mem = '16MB'" \
		"work_mem = '4MB'" "fsync = off" >>"$1/postgresql.auto.conf"
}

t_start=$(date +%s)

# ---- the formation: a monitor and two nodes -----------------------------
mport=$(pg_free_port) && p1=$(pg_free_port) && p2=$(pg_free_port) ||
	bail "no free port"
[ "$mport" != "$p1" ] && [ "$p1" != "$p2" ] && [ "$mport" != "$p2" ] ||
	bail "the same port twice"

# The monitor's cluster is made here (initdb) so that it listens on
# loopback only and small: postgresql.auto.conf is read after the
# configuration pg_autoctl writes, so these win.
as_owner initdb -D "$D/monitor" --auth=trust -E UTF8 --locale=C \
	>"$D/initdb.log" 2>&1 || bail "initdb for the monitor failed"
small "$D/monitor"
# Failover tuned for the test (the defaults gave ~55 s; see README, "High
# availability with pg_auto_failover").  These are the monitor's settings:
#  - health_check_period 1 s (default 5 s): how often the monitor connects
#    to each node to see whether it is alive;
#  - health_check_timeout 1 s (default 5 s): how long one such connection
#    may take before it counts as failed;
#  - health_check_max_retries 1, health_check_retry_delay 0.5 s (defaults
#    2 and 2 s): a failed check is tried once more, half a second later;
#  - node_considered_unhealthy_timeout 2 s (default 20 s): the node is
#    failed once its checks fail AND its keeper has not reported for this
#    long (keepers report every second);
#  - primary_demote_timeout 5 s (default 30 s): how long the monitor waits
#    for an old primary to confirm it stepped down before it lets the
#    standby take writes.  It must stay longer than the keepers'
#    timeout.network_partition_timeout (set to 3 s below: a primary that
#    can reach neither monitor nor standby for that long demotes itself),
#    so that two primaries never take writes at once.
cat >>"$D/monitor/postgresql.auto.conf" <<'EOF'
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 2000
pgautofailover.primary_demote_timeout = 5000
EOF
as_owner pg_autoctl create monitor --pgdata "$D/monitor" --pgport "$mport" \
	--hostname 127.0.0.1 --auth trust --no-ssl >"$D/monitor.create.log" 2>&1 ||
	bail "pg_autoctl create monitor failed"
run_node "$D/monitor"
monitor="postgres://autoctl_node@127.0.0.1:$mport/pg_auto_failover?sslmode=disable"
e2e_until "$E2E_TIMEOUT" as_owner psql -X -q -d "$monitor" -c 'SELECT 1' \
	>/dev/null 2>&1 || bail "the monitor did not come up"

# node NAME PORT: create a data node; the first becomes the primary, the
# second a standby cloned from it (pg_basebackup, which copies
# postgresql.auto.conf: it is small and on loopback as well).
node() {
	local name=$1 port=$2
	as_owner pg_autoctl create postgres --pgdata "$D/$name" --pgport "$port" \
		--hostname 127.0.0.1 --listen 127.0.0.1 --name "$name" \
		--monitor "$monitor" --auth trust --no-ssl --dbname hub \
		>"$D/$name.create.log" 2>&1 || return 1
	# The keeper's side of the split-brain guard (see above): demote a
	# primary cut off from monitor and standby after 3 s (default 20 s).
	as_owner pg_autoctl config set --pgdata "$D/$name" \
		timeout.network_partition_timeout 3 >/dev/null 2>&1 || return 1
	run_node "$D/$name"
}
as_owner initdb -D "$D/node1" --auth=trust -E UTF8 --locale=C \
	>>"$D/initdb.log" 2>&1 || bail "initdb for node1 failed"
small "$D/node1"
node node1 "$p1" || bail "pg_autoctl create postgres (node1) failed"
# Alone, it is "single" (a primary without a standby).
e2e_until "$FAILOVER_TIMEOUT" have_node_in single ||
	bail "node1 did not come up: $(state | tr '\n' ' ')"
node node2 "$p2" || bail "pg_autoctl create postgres (node2) failed"
# Both nodes up and the standby synchronous: the primary is "primary"
# (not "wait_primary") only once the standby has caught up, and from then
# a commit returns only when the standby has it too.
e2e_until "$FAILOVER_TIMEOUT" have_node_in secondary &&
	e2e_until "$FAILOVER_TIMEOUT" have_node_in primary ||
	bail "the formation did not reach primary + secondary: $(state | tr '\n' ' ')"
ok "a monitor and two nodes on loopback: primary and synchronous standby ($(( $(date +%s) - t_start )) s)"

# The address as pg_autoctl gives it, with the hub's login user added.
uri=$(as_owner pg_autoctl show uri --pgdata "$D/monitor" --formation default 2>/dev/null)
case $uri in
*"127.0.0.1:$p1"*"127.0.0.1:$p2"*"target_session_attrs=read-write"*)
	ok "pg_autoctl show uri names both nodes, read-write" ;;
*)	not_ok "pg_autoctl show uri: $uri" ;;
esac
URL="postgresql://$PG_TEST_USER@127.0.0.1:$p1,127.0.0.1:$p2/hub?target_session_attrs=read-write&connect_timeout=5"
[ "$(id -u)" = 0 ] || URL="postgresql://$(id -un)@127.0.0.1:$p1,127.0.0.1:$p2/hub?target_session_attrs=read-write&connect_timeout=5"
md() { "$MASHDESK" --db "$URL" "$@"; }
q() { psql -X -q -At -d "$URL" -c "$1"; }

md init --training --name "Failover Hub" >/dev/null ||
	bail "mashdesk init on the formation failed"
for u in "cas Cas Moreno csc practitioner" "sue Sue Lindqvist csc supervisor" \
	 "w1 Wynn Abara csc practitioner" "w2 Wren Bellamy csc practitioner" \
	 "w3 Wade Corrin csc practitioner" "w4 Willa Dunmore police practitioner" \
	 "w5 Wes Ellery police practitioner" "w6 Winnie Farrow health practitioner" \
	 "w7 Wyatt Gale health practitioner" "w8 Wilma Hurst education practitioner"; do
	set -- $u
	md user add "$1" --name "$2 $3" --agency "$4" --role "$5" >/dev/null ||
		bail "user add $1"
done
ok "a training hub and ten users on the formation"

# ---- two desks --------------------------------------------------------------
# Two sessions on this test's tmux server, 80x24; each pane says how the
# desk ended and then waits, so a desk that dies is seen, not a vanished
# session.
desk_start() {	# NAME LOGIN
	{
		echo 'export LC_ALL=C.UTF-8 NO_COLOR= TERM=xterm-256color'
		printf "'%s' --db '%s' --as '%s'\n" "$MASHDESK" "$URL" "$2"
		echo 'echo "E2E-EXITED rc=$?"'
		echo 'exec sleep 86400'
	} >"$e2e_tmp/desk-$1.sh"
	tm new-session -d -s "$1" -x 80 -y 24 "sh $e2e_tmp/desk-$1.sh"
}
dscreen() { tm capture-pane -p -t "$1" 2>/dev/null; }
dkeys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }
dtype() { tm send-keys -t "$1" -l "$2"; }
dwait() {	# NAME TEXT [SECONDS]
	local end=$(( $(date +%s) + ${3:-$E2E_TIMEOUT} ))
	while :; do
		dscreen "$1" | grep -qF -- "$2" && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.1
	done
	diag "desk $1: waited ${3:-$E2E_TIMEOUT}s for: $2" "screen was:"
	dscreen "$1" | sed '/^$/d; s/^/| /; s/^/# /'
	return 1
}

desk_start one cas
desk_start two sue
check "desk one (cas) shows the queue" dwait one "Filter: [All]"
check "desk two (sue) shows the queue" dwait two "Filter: [All]"
dkeys one n
check "desk one opens a new contact" dwait one "New contact"
dtype one "Nell Fairweather"
dkeys one Tab
dtype one "2015-09-14"
# Saving without what happened is refused at that field (nothing
# written) and puts the cursor there: type half of it and leave the form
# open over the failover.
dkeys one C-x
check "desk one: a refusal at What happened" dwait one "! concern: required"
dtype one "Nell said she was left"
check "... the contact half typed" dwait one "Nell said she was left"

# ---- eight writers ------------------------------------------------------------
# Each writer saves referrals in a loop as its own login and records every
# attempt in its own file: "START END EXIT REF-OR-MESSAGE".  Exit 0 with a
# reference printed is an acknowledged save.
writer() {	# N
	local n=$1 i=0 t0 t1 rc out
	while [ ! -e "$e2e_tmp/stop" ]; do
		i=$((i + 1))
		t0=$(date +%s.%N)
		out=$("$MASHDESK" --db "$URL" --as "w$n" referral add \
			--child "Storm Child$n Tally$i" --dob 2014-06-0$n \
			--concern "Failover storm save $n.$i" 2>&1)
		rc=$?
		t1=$(date +%s.%N)
		printf '%s %s %s %s\n' "$t0" "$t1" "$rc" "$(printf '%s' "$out" | head -n 1)"
	done >"$e2e_tmp/writer$n.log"
}
for n in 1 2 3 4 5 6 7 8; do
	writer "$n" &
	writers+=($!)
done
acks() {	# FILE [SINCE]: acknowledged saves in FILE that began at or after SINCE
	awk -v s="${2:-0}" '$3 == 0 && $4 ~ /^R[0-9]+$/ && $1 >= s' "$1" 2>/dev/null | wc -l
}
each_acked() {	# COUNT [SINCE]: every writer has COUNT acknowledged saves begun since SINCE
	local n
	for n in 1 2 3 4 5 6 7 8; do
		[ "$(acks "$e2e_tmp/writer$n.log" "${2:-0}")" -ge "$1" ] || return 1
	done
}
check "eight writers saving (two acknowledged saves each)" \
	e2e_until "$FAILOVER_TIMEOUT" each_acked 2

# ---- kill -9 the primary --------------------------------------------------------
primary=$(node_in primary)
standby=$(node_in secondary)
check "the monitor names the primary (${primary:-none}) and the standby (${standby:-none})" \
	test -n "$primary" -a -n "$standby"
pm=$(head -n 1 "$D/$primary/postmaster.pid" 2>/dev/null)
pgid=$(ps -o pgid= -p "$pm" 2>/dev/null | tr -d ' ')
# Watchers read both desks' screens from now on, five times a second, and
# note when each first says it lost the hub and when it reconnected: the
# status line's messages may pass while the test looks elsewhere.
desk_watch() {	# NAME
	while [ ! -e "$e2e_tmp/stop-watch" ]; do
		dscreen "$1" >"$e2e_tmp/watch-$1.screen"
		grep -qF "connection to the hub lost" "$e2e_tmp/watch-$1.screen" &&
			[ ! -s "$e2e_tmp/$1.lost" ] && date +%s.%N >"$e2e_tmp/$1.lost"
		grep -qF "reconnected to the hub" "$e2e_tmp/watch-$1.screen" &&
			[ ! -s "$e2e_tmp/$1.back" ] && date +%s.%N >"$e2e_tmp/$1.back"
		sleep 0.2
	done
}
desk_watch one &
writers+=($!)
desk_watch two &
writers+=($!)
seen() {	# FILE: a watcher noted it
	[ -s "$1" ]
}
since_kill() {	# FILE: seconds from the kill to the time in FILE
	awk -v a="$t_kill" -v b="$(cat "$1" 2>/dev/null)" \
		'BEGIN { if (b) printf "%.1f s", b - a; else print "never" }'
}

# The node's whole process group: its pg_autoctl (so that nothing
# restarts postgres), the postmaster and every backend, in one signal.
t_kill=$(date +%s.%N)
if [ -n "$pgid" ] && kill -KILL -- "-$pgid"; then
	ok "kill -9 of $primary's keeper, postmaster (pid $pm) and backends"
else
	not_ok "could not kill $primary (postmaster ${pm:-?}, group ${pgid:-?})"
fi
promoted() {	# the standby reports itself the primary (writes allowed)
	state | awk -F'|' -v n="$standby" '{ gsub(/ /, "", $1); gsub(/ /, "", $6) }
		$1 == n && ($6 == "wait_primary" || $6 == "primary") { f = 1 } END { exit !f }'
}
# A watcher notes when the monitor has promoted the standby, while the
# test looks at the desks.
( e2e_until "$FAILOVER_TIMEOUT" promoted && date +%s.%N >"$e2e_tmp/promoted" ) &
watcher=$!
writers+=($watcher)
# The outage lasts seconds: long enough for each desk to say so (the
# watchers above note it however briefly it shows).
check "desk one: connection to the hub lost" \
	e2e_until "$E2E_TIMEOUT" seen "$e2e_tmp/one.lost"
check "desk two: connection to the hub lost" \
	e2e_until "$E2E_TIMEOUT" seen "$e2e_tmp/two.lost"
wait "$watcher"
t_promoted=$(cat "$e2e_tmp/promoted" 2>/dev/null)
check "the monitor promotes $standby" test -n "$t_promoted"
check "every writer's saves are acknowledged again (two each, begun after the kill)" \
	e2e_until "$FAILOVER_TIMEOUT" each_acked 2 "$t_kill"

# ---- the desks come back by themselves -----------------------------------
# By themselves: no key has been sent to either desk since the kill.
check "desk one: reconnected to the hub by itself" \
	e2e_until "$E2E_TIMEOUT" seen "$e2e_tmp/one.back"
check "desk two: reconnected to the hub by itself" \
	e2e_until "$E2E_TIMEOUT" seen "$e2e_tmp/two.back"
touch "$e2e_tmp/stop-watch"
diag "desk one: lost the hub after $(since_kill "$e2e_tmp/one.lost"), reconnected after $(since_kill "$e2e_tmp/one.back")" \
	"desk two: lost the hub after $(since_kill "$e2e_tmp/two.lost"), reconnected after $(since_kill "$e2e_tmp/two.back")"
# The form has scrolled to What happened (80x24): the name and date of
# birth typed are checked in the hub once saved.
check "desk one: the typed contact is still in its form" \
	dwait one "Nell said she was left"

# ---- stop the storm, then count ------------------------------------------------
touch "$e2e_tmp/stop"
for p in "${writers[@]}"; do wait "$p" 2>/dev/null; done
writers=()
cat "$e2e_tmp"/writer*.log >"$e2e_tmp/all.log"
awk '$3 == 0 && $4 ~ /^R[0-9]+$/ { print $4 }' "$e2e_tmp/all.log" | sort >"$e2e_tmp/acked"
nack=$(wc -l <"$e2e_tmp/acked")
nfail=$(awk '$3 != 0' "$e2e_tmp/all.log" | wc -l)
diag "attempts: $(wc -l <"$e2e_tmp/all.log"), acknowledged: $nack, refused or failed: $nfail" \
	"exit codes: $(awk '{ print $3 }' "$e2e_tmp/all.log" | sort -n | uniq -c | awk '{ printf "%s x%s  ", $2, $1 }')"
awk '$3 != 0' "$e2e_tmp/all.log" | cut -d' ' -f4- | cut -c1-150 | sort | uniq -c |
	sort -rn | head -n 4 | sed 's/^/# failed: /'
check "no reference was acknowledged twice" test -z "$(uniq -d "$e2e_tmp/acked")"
q "SELECT ref FROM referral" | sort >"$e2e_tmp/stored" ||
	not_ok "could not read the hub through the address"
missing=$(comm -23 "$e2e_tmp/acked" "$e2e_tmp/stored" | wc -l)
check "all $nack acknowledged saves are in the hub (missing: $missing)" \
	test "$nack" -gt 0 -a "$missing" -eq 0
check "no reference stored twice" test -z "$(uniq -d "$e2e_tmp/stored")"
# Each acknowledged save is the writer's own: its concern as sent.
# Each writer's last acknowledged save, read back through mashdesk.
bad=
for n in 1 2 3 4 5 6 7 8; do
	ref=$(awk '$3 == 0 && $4 ~ /^R[0-9]+$/ { r = $4 } END { print r }' "$e2e_tmp/writer$n.log")
	md --as sue show "$ref" 2>/dev/null | grep -q "Failover storm save $n\." || bad="$bad ${ref:-w$n}"
done
check "each writer's last acknowledged save reads back through mashdesk show" test -z "$bad"
check "mashdesk audit verify passes after the failover" md audit verify

# ---- the write gap --------------------------------------------------------------
# last: the last acknowledged save that ended before the kill; first: the
# first acknowledged save that began after it (so it committed on the new
# primary); the gap is the time between the two.
gap=$(awk -v k="$t_kill" '$3 == 0 && $4 ~ /^R[0-9]+$/ {
		if ($2 < k && $2 > last) last = $2
		if ($1 >= k && (first == "" || $2 < first)) first = $2
	} END { if (last && first) printf "%.1f", first - last }' "$e2e_tmp/all.log")
diag "write gap: ${gap:-unmeasured} s" \
	"kill -9 to promotion seen by the monitor: $(awk -v a="$t_kill" -v b="${t_promoted:-0}" 'BEGIN { printf "%.1f", b - a }') s"
echo "# write gap: ${gap:-unmeasured} s"
# Defaults gave ~55 s; the settings above give about 10 s here.  The bound
# is for a failover that did not happen in time, not for speed.
if [ -n "$gap" ] && awk -v g="$gap" 'BEGIN { exit !(g < 45) }'; then
	ok "write gap after kill -9 of the primary: $gap s (tuned pg_auto_failover; defaults ~55 s)"
else
	not_ok "write gap after kill -9 of the primary: ${gap:-unmeasured} s"
fi

# ---- the desk's typed contact saves on the new primary -------------------------
dtype one " alone overnight."
dkeys one C-x
check "desk one: the contact saves after the failover" dwait one "Taken in: R"
dref=$(dscreen one | sed -n 's/.*Taken in: \(R[0-9]*\).*/\1/p' | head -n 1)
stored_child() {	# REF: `show` has the child and date of birth typed before the failover
	[ -n "$1" ] && md --as sue show "$1" >"$e2e_tmp/dshow" 2>&1 &&
		grep -qF "Nell Fairweather" "$e2e_tmp/dshow" &&
		grep -qF "2015-09-14" "$e2e_tmp/dshow" &&
		grep -qF "left alone overnight" "$e2e_tmp/dshow"
}
check "... and it is in the hub as typed before and after (${dref:-none})" \
	stored_child "$dref"
# Desk two, reconnected, finds it (the queue is full of the storm's).
dkeys two /
dwait two "Type to search" >/dev/null
dtype two "Fairweather"
check "desk two finds it after the failover" dwait two "Nell Fairweather"

# ---- nothing left running -------------------------------------------------------
dkeys one Escape q
dkeys two q
ha_cleanup
trap - EXIT
left=$(pgrep -f -- "$D" 2>/dev/null | tr '\n' ' ')
check "nothing left running (${left:-none}) and the directory removed" \
	test -z "$left" -a ! -e "$D"
diag "the whole test took $(( $(date +%s) - t_start )) s"
done_testing
