#!/usr/bin/env bash
# ssh.sh - the deployment model for real: practitioners reach the hub host
# over SSH and run mashdesk under their own Unix login, which is their
# identity; a Unix group owns the hub.  Starts a private sshd on loopback,
# creates two Unix users, and drives the command line and two desks (in
# tmux) through real SSH logins.  Needs root and openssh-server; skipped
# otherwise.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
M=$(readlink -f "$M")
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
if [ "$(id -u)" -ne 0 ] || [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null ||
	! command -v useradd >/dev/null; then
	echo "1..0 # SKIP needs root, sshd and ssh"
	exit 0
fi

tag="mdt$$"
u1="${tag}a" u2="${tag}b" group="${tag}g"
tmp=$(mktemp -d /tmp/mashdesk-ssh-XXXXXX)
chmod 0755 "$tmp"
port=$((20000 + $$ % 20000))
sock="mashdesk-ssh-$$"
# Deadlines are for hangs, not speed (E2E_TIMEOUT, as in lib.sh).
timeout_s=${E2E_TIMEOUT:-30}
cleanup() {
	[ -n "$TMUX_BIN" ] && "$TMUX_BIN" -L "$sock" kill-server 2>/dev/null
	[ -f "$tmp/sshd.pid" ] && kill "$(cat "$tmp/sshd.pid")" 2>/dev/null
	# userdel refuses a user with processes left: the desks and their
	# sshd sessions end once their terminals are gone; wait for them, and
	# end what is left of this test's own two users after the deadline.
	for u in "$u1" "$u2"; do
		id -u "$u" >/dev/null 2>&1 || continue
		local end=$(( $(date +%s) + timeout_s ))
		while pgrep -u "$u" >/dev/null && [ "$(date +%s)" -lt "$end" ]; do
			sleep 0.1
		done
		pkill -KILL -u "$u" 2>/dev/null
	done
	userdel -r "$u1" 2>/dev/null; userdel -r "$u2" 2>/dev/null
	groupdel "$group" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
bail() { echo "Bail out! $*"; exit 1; }

# ---- two Unix users in the hub's group, and a private sshd -------------------
groupadd "$group" || bail "groupadd"
for u in "$u1" "$u2"; do
	useradd -m -d "$tmp/home-$u" -s /bin/bash -G "$group" "$u" || bail "useradd $u"
	usermod -p "*" "$u"   # no password, but not locked: key logins only
	install -d -m 0700 -o "$u" "$tmp/home-$u/.ssh"
done
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" || bail "host key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/clientkey" || bail "client key"
for u in "$u1" "$u2"; do
	install -m 0600 -o "$u" "$tmp/clientkey.pub" "$tmp/home-$u/.ssh/authorized_keys"
done
mkdir -p /run/sshd
cat >"$tmp/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile $tmp/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
StrictModes no
AllowUsers $u1 $u2
EOF
"$SSHD" -f "$tmp/sshd_config" -E "$tmp/sshd.log" || bail "sshd did not start: $(cat "$tmp/sshd.log")"
end=$(( $(date +%s) + timeout_s ))
until [ -f "$tmp/sshd.pid" ] || [ "$(date +%s)" -ge "$end" ]; do sleep 0.1; done
SSH=(ssh -q -i "$tmp/clientkey" -p "$port" -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5)
as() { local u=$1; shift; "${SSH[@]}" "$u@127.0.0.1" "$@"; }

[ "$(as "$u1" id -un)" = "$u1" ] && ok "an SSH login on loopback works" ||
	bail "cannot log in over ssh: $(tail -3 "$tmp/sshd.log")"

if ! as "$u1" test -x "$M"; then
	# the build lives somewhere other users cannot reach (a private home)
	echo "ok 2 # SKIP $M is not reachable by other users"
	echo "1..2"
	exit 0
fi

# ---- the hub: owned by the group, in a setgid directory -----------------------
install -d -m 2770 -g "$group" "$tmp/hub"
hub="$tmp/hub/hub.db"
"$M" --db "$hub" init --name "Loopback MASH" --group "$group" >/dev/null 2>&1 || bail "init"
"$M" --db "$hub" user add "$u1" --name "Alex Ferreira" --agency police --role practitioner || bail "user add"
"$M" --db "$hub" user add "$u2" --name "Blessing Okoro" --agency health --role practitioner || bail "user add"
H="$M --db $hub"

ref=$(as "$u1" "$H referral add --child 'Ada Quill' --dob 2016-04-12 --concern 'Seen alone at night.'")
[ "$ref" = R000001 ] && ok "a referral taken in over SSH prints its reference" || not_ok "referral add gave '$ref'"
[ "$(sqlite3 "$hub" "SELECT created_by FROM referral WHERE ref = 'R000001'")" = "$u1" ] &&
	ok "…recorded as the SSH login who took it in" || not_ok "created_by wrong"
as "$u2" "$H claim R000001" && ok "the second user claims it" || not_ok "claim failed"
[ "$(sqlite3 "$hub" "SELECT assigned_to FROM referral WHERE id = 1")" = "$u2" ] &&
	ok "…as their own login" || not_ok "assigned_to wrong"
out=$(as "$u1" "$H claim R000001" 2>&1); code=$?
[ "$code" = 75 ] && ok "the first user's claim is refused (75)" || not_ok "second claim gave $code"
case $out in *"$u2"*) ok "…naming who holds it";; *) not_ok "message: $out";; esac
out=$(as "$u1" "$H --as $u2 queue" 2>&1); code=$?
[ "$code" = 77 ] && ok "--as over SSH on a live hub is refused (77)" || not_ok "--as gave $code: $out"

# ---- two desks over SSH ------------------------------------------------------------
if [ -z "$TMUX_BIN" ]; then
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi
T=("$TMUX_BIN" -L "$sock")
desk_cmd() { printf '%s -t %s@127.0.0.1 TERM=xterm-256color %s --db %s' "${SSH[*]}" "$1" "$M" "$hub"; }
"${T[@]}" new-session -d -x 80 -y 24 -s one "$(desk_cmd "$u1")"
"${T[@]}" new-session -d -x 80 -y 24 -s two "$(desk_cmd "$u2")"
wait_for() { # SESSION TEXT: up to E2E_TIMEOUT s for TEXT on the screen
	local end=$(( $(date +%s) + timeout_s ))
	while :; do
		"${T[@]}" capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
}
wait_gone() { # SESSION TEXT: up to E2E_TIMEOUT s for TEXT to leave the screen
	local end=$(( $(date +%s) + timeout_s ))
	while :; do
		"${T[@]}" capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" || return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
}
ended() { # SESSION: up to E2E_TIMEOUT s for the session to end
	local end=$(( $(date +%s) + timeout_s ))
	while "${T[@]}" has-session -t "$1" 2>/dev/null; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
}
wait_for one "$u1" && ok "desk one over SSH shows its login in the status line" ||
	not_ok "desk one: $("${T[@]}" capture-pane -p -t one | head -3)"
wait_for two "$u2" && ok "desk two over SSH shows the other login" ||
	not_ok "desk two: $("${T[@]}" capture-pane -p -t two | head -3)"
# Police and health desks open on their own work list: f goes on round to All.
for d in one two; do
	wait_for "$d" "[Our checks: " && "${T[@]}" send-keys -t "$d" f f &&
		wait_for "$d" "Filter: [All]" && ok "desk $d opens on Our checks; f shows All" ||
		not_ok "desk $d: $("${T[@]}" capture-pane -p -t "$d" | sed -n 2p)"
done
wait_for one "Ada Quill" && ok "desk one lists the referral" || not_ok "no referral on desk one"
# while desks are open the WAL's side files exist: created by the users,
# they must still belong to the hub's group (the directory is setgid)
for f in hub.db-wal hub.db-shm; do
	[ "$(stat -c '%G' "$tmp/hub/$f" 2>/dev/null)" = "$group" ] &&
		ok "$f belongs to the hub's group" || not_ok "$f group: $(stat -c %G "$tmp/hub/$f" 2>&1)"
done
as "$u2" "$H referral add --child 'Bo Quill' --dob 2015-05-05 --concern 'Sibling.'" >/dev/null
wait_for one "Bo Quill" && ok "desk one shows another user's new referral without a key" ||
	not_ok "desk one did not refresh: $("${T[@]}" capture-pane -p -t one | sed -n 3,8p)"
# Both open the decision form of the same referral: the second is told who
# is deciding it, and stays on the read-only referral screen.
# Each key is sent once the screen shows the last one's effect.
open_decision() { # SESSION
	"${T[@]}" send-keys -t "$1" /
	wait_for "$1" "Type to search" || return 1
	"${T[@]}" send-keys -t "$1" -l "Ada"
	wait_for "$1" "Search: Ada" || return 1
	"${T[@]}" send-keys -t "$1" Enter
	wait_gone "$1" "Type to search" || return 1
	"${T[@]}" send-keys -t "$1" Enter
	wait_for "$1" "d Decide" || return 1      # the referral screen's key bar
	"${T[@]}" send-keys -t "$1" d
}
open_decision one
wait_for one "Joint decision on R000001" && ok "desk one opens the decision form" ||
	not_ok "desk one: $("${T[@]}" capture-pane -p -t one | head -5)"
open_decision two
wait_for two "Alex Ferreira ($u1) is editing the decision" &&
	ok "desk two is told who holds the decision form" ||
	not_ok "desk two: $("${T[@]}" capture-pane -p -t two | tail -4)"
"${T[@]}" capture-pane -p -t two | grep -q "Joint decision on" &&
	not_ok "desk two opened the form anyway" || ok "…and stays on the read-only referral"
"${T[@]}" send-keys -t one Escape
wait_gone one "Joint decision on" && ok "desk one closes the form" ||
	not_ok "desk one: $("${T[@]}" capture-pane -p -t one | head -3)"
"${T[@]}" send-keys -t one Escape q
"${T[@]}" send-keys -t two Escape q
ended one && ended two && ok "both desks quit and their SSH sessions end" ||
	not_ok "a desk is still open: $("${T[@]}" list-sessions 2>&1)"
echo "1..$n"
[ "$failed" -eq 0 ]
