#!/usr/bin/env bash
# deploy.sh - the deployment model of README "Deployment", for real: the
# hub belongs to a group no person is in, mashdesk is installed setgid to
# it, and SSH gives practitioners the desk instead of a shell.
#
# As root: a test group owns a hub directory (2770) and hub (0660) made by
# `init`; a copy of mashdesk (tests/deploy/mashdesk: the program with its
# system configuration in the build tree) is installed setgid to that group
# in a prefix under /tmp; three practitioners reach it over a private sshd
# on loopback - p1 with mashdesk-shell as login shell, p2 with bash and
# `Match Group` + ForceCommand, p3 (a supervisor) with both, as the README
# recommends.  Then: nobody can open, read or copy the hub or its -wal and
# -shm; the desk opens over `ssh -t`, commands run over plain ssh, shells,
# sqlite3, scp, sftp and rsync are refused; two desks share the hub; the
# permission matrix of every option and variable that names a path; an
# audit anchor catches history rewritten by root; doctor finds what it
# should.  Needs root, sshd, ssh and sqlite3 (tmux for the desks); skipped
# otherwise, or when /tmp is mounted nosuid.  Cleans up users, groups,
# processes and files however it ends.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
D=${MASHDESK_DEPLOY:-$(dirname "$M")/tests/deploy/mashdesk}
ETC=${MASHDESK_DEPLOY_ETC:-$(dirname "$M")/tests/deploy/etc}
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
if [ "$(id -u)" -ne 0 ] || [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null ||
	! command -v useradd >/dev/null || ! command -v sqlite3 >/dev/null ||
	! command -v runuser >/dev/null; then
	echo "1..0 # SKIP needs root, sshd, ssh, sqlite3 and runuser"
	exit 0
fi
[ -x "$D" ] || { echo "Bail out! $D is not built (make check builds it)"; exit 1; }

tag="mdd$$"
p1="${tag}a" p2="${tag}b" p3="${tag}c" p4="${tag}d" hubgroup="${tag}h" staff="${tag}s"
tmp=$(mktemp -d /tmp/mashdesk-deploy-XXXXXX)
chmod 0755 "$tmp"
cd "$tmp" || exit 1
case $(findmnt -no OPTIONS -T "$tmp" 2>/dev/null) in
*nosuid*) rm -rf "$tmp"; echo "1..0 # SKIP /tmp is mounted nosuid"; exit 0 ;;
esac
port=$((20000 + ($$ + 7919) % 20000))
sock="mashdesk-deploy-$$"
cleanup() {
	[ -n "$TMUX_BIN" ] && "$TMUX_BIN" -L "$sock" kill-server 2>/dev/null
	[ -f "$tmp/sshd.pid" ] && kill "$(cat "$tmp/sshd.pid")" 2>/dev/null
	for u in "$p1" "$p2" "$p3" "$p4"; do
		pkill -KILL -u "$u" 2>/dev/null
	done
	sleep 0.2
	for u in "$p1" "$p2" "$p3" "$p4"; do
		userdel -r "$u" 2>/dev/null
	done
	groupdel "$hubgroup" 2>/dev/null
	groupdel "$staff" 2>/dev/null
	rm -rf "$tmp" "$ETC"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
bail() { echo "Bail out! $*"; exit 1; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit; }

# ---- the host: groups, the setgid program, the system configuration ------------
groupadd "$hubgroup" || bail "groupadd"
groupadd "$staff" || bail "groupadd"
prefix="$tmp/prefix"
bin="$prefix/bin/mashdesk"
shellbin="$prefix/bin/mashdesk-shell"
install -d -m 0755 "$prefix/bin"
install -m 2755 -g "$hubgroup" "$D" "$bin" || bail "install"
ln -s mashdesk "$shellbin"
srv="$tmp/srv"
install -d -m 0755 "$srv"
dir="$srv/mashdesk"           # named so, so that XDG_DATA_HOME=$srv points in
hub="$dir/hub.db"
install -d -m 0755 "$ETC/mashdesk"
printf '# deploy.sh\n[database]\npath = %s\n' "$hub" >"$ETC/mashdesk/mashdesk.ini"
chmod 0644 "$ETC/mashdesk/mashdesk.ini"

for u in "$p1" "$p2" "$p3" "$p4"; do
	useradd -m -d "$tmp/home-$u" -s "$shellbin" "$u" || bail "useradd $u"
	usermod -p "*" "$u"
	install -d -m 0700 -o "$u" "$tmp/home-$u/.ssh"
done
usermod -s /bin/bash -aG "$staff" "$p2"    # a shell, but a forced command
usermod -aG "$staff" "$p3"                 # both, as the README recommends

U() { # USER CMD...: run as USER with a plain environment, no tty
	local u=$1; shift
	runuser -u "$u" -- env -i HOME="$tmp/home-$u" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}

# ---- the hub, made by root as the README says -----------------------------------------
"$bin" init --name "Riverside MASH" --group "$hubgroup" >/dev/null || bail "init"
check "init makes the hub's directory the group's, mode 2770" \
	test "$(stat -c '%a %G' "$dir")" = "2770 $hubgroup"
check "...and the hub the group's, mode 0660" \
	test "$(stat -c '%a %G' "$hub")" = "660 $hubgroup"
"$bin" user add "$p1" --name "Ellis Marsh" --agency education --role practitioner || bail "user add"
"$bin" user add "$p2" --name "Hana Ilori" --agency health --role practitioner || bail "user add"
"$bin" user add "$p3" --name "Priya Vance" --agency police --role supervisor || bail "user add"
"$bin" user add "$p4" --name "Orla Brennan" --role admin || bail "user add"
secret="$dir/secret"
marker="SECRET-$tag"
printf '%s\n' "$marker" >"$secret"
chgrp "$hubgroup" "$secret"
chmod 0660 "$secret"

# ---- a practitioner cannot reach the files, whatever their login shell ----------------
ref=$(U "$p1" "$bin" referral add --child "Ada Quill" --dob 2016-04-12 \
	--concern "Seen alone at night." --rag amber) || bail "referral add: $ref"
"$bin" audit verify >/dev/null   # open once as root, so -wal and -shm exist
sqlite3 "$hub" "PRAGMA journal_mode" >/dev/null
for u in "$p1" "$p2"; do
	out=$(U "$u" sqlite3 "$hub" "UPDATE agency_check SET info = 'nothing of note' WHERE agency = 'police'" 2>&1)
	code=$?
	[ "$code" -ne 0 ] && ok "$u: sqlite3 on the hub fails ($code)" || not_ok "$u: sqlite3 worked"
	case $out in *"unable to open"* | *"ermission denied"*) ok "...unable to open: permission denied";;
	*) not_ok "...said: $out";; esac
	for f in "$hub" "$hub-wal" "$hub-shm" "$secret"; do
		U "$u" cat "$f" >/dev/null 2>&1 && not_ok "$u read $f" || ok "$u cannot read $(basename "$f")"
	done
	U "$u" cp "$hub" "$tmp/home-$u/copy.db" 2>/dev/null && not_ok "$u copied the hub" ||
		ok "$u cannot copy the hub"
	U "$u" ls "$dir" >/dev/null 2>&1 && not_ok "$u listed the hub's directory" ||
		ok "$u cannot list the hub's directory"
done
U "$p1" "$bin" queue >"$tmp/q" 2>&1 && grep -q "Ada Quill" "$tmp/q" &&
	ok "...but the setgid mashdesk reaches the hub for them" || not_ok "queue: $(cat "$tmp/q")"
"$bin" doctor >"$tmp/doc" 2>&1; code=$?
[ "$code" = 0 ] && ok "doctor: healthy" || not_ok "doctor exit $code" "$(grep PROBLEM "$tmp/doc")"
grep -q "^ok *group *nobody is in $hubgroup" "$tmp/doc" && ok "doctor: nobody is in the hub's group" ||
	not_ok "doctor: $(grep group "$tmp/doc")"

# ---- sshd: the README's block --------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" || bail "host key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/clientkey" || bail "client key"
for u in "$p1" "$p2" "$p3"; do
	install -m 0600 -o "$u" "$tmp/clientkey.pub" "$tmp/home-$u/.ssh/authorized_keys"
done
# ~/.ssh/rc would run with /bin/sh before any forced command
printf 'touch %s/rc-ran\n' "$tmp" >"$tmp/home-$p2/.ssh/rc"
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
AllowUsers $p1 $p2 $p3
Subsystem sftp /usr/lib/openssh/sftp-server
Match Group $staff
	ForceCommand $shellbin
	PermitUserRC no
	DisableForwarding yes
	PermitTunnel no
	PermitTTY yes
EOF
"$SSHD" -f "$tmp/sshd_config" -E "$tmp/sshd.log" || bail "sshd did not start: $(cat "$tmp/sshd.log")"
for _ in $(seq 1 50); do [ -f "$tmp/sshd.pid" ] && break; sleep 0.1; done
SSH=(ssh -q -i "$tmp/clientkey" -p "$port" -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5)
as() { local u=$1; shift; "${SSH[@]}" "$u@127.0.0.1" "$@"; }

out=$(as "$p1" mashdesk queue 2>&1) ||
	bail "cannot run mashdesk over ssh: $out $(tail -3 "$tmp/sshd.log")"
case $out in *"Ada Quill"*) ok "p1 (login shell) runs a mashdesk command over plain ssh";;
*) not_ok "p1 queue: $out";; esac
out=$(as "$p2" "mashdesk queue --limit 5" 2>&1)
case $out in *"Ada Quill"*) ok "p2 (bash, forced command) runs one too";;
*) not_ok "p2 queue: $out";; esac
out=$(as "$p3" mashdesk report turnaround 2>&1)
case $out in *amber*) ok "p3 (both) runs a supervisor's report over ssh";;
*) not_ok "p3 report: $out";; esac
as "$p3" "$bin export --from 2026-01-01 --to 2036-12-31" >"$tmp/export.csv" 2>&1 &&
	grep -q "^hub_mode," "$tmp/export.csv" && ok "...and an export to its own standard output, by the program's path" ||
	not_ok "export: $(head -2 "$tmp/export.csv")"
# subject access into the supervisor's own home: made with their rights
as "$p3" "mashdesk subject-access --child 'Ada Quill' --dob 2016-04-12 --output sa.txt" >/dev/null 2>&1 &&
	[ "$(stat -c '%U %a' "$tmp/home-$p3/sa.txt")" = "$p3 600" ] &&
	grep -q "^SUBJECT ACCESS: " "$tmp/home-$p3/sa.txt" &&
	ok "...and a subject access document into their home, theirs, mode 0600" ||
	not_ok "subject-access --output: $(stat -c '%U %a' "$tmp/home-$p3/sa.txt" 2>&1)"
[ "$(as "$p3" mashdesk audit verify 2>&1; echo "rc=$?")" = "rc=0" ] &&
	ok "p3 runs audit verify over ssh" || not_ok "audit verify over ssh"
[ ! -e "$tmp/rc-ran" ] && ok "p2's ~/.ssh/rc was not run (PermitUserRC no)" || not_ok "~/.ssh/rc ran"

# ---- anything else is refused, for each way of forcing the desk -----------------------
refuse() { # USER DESC COMMAND: refused with one line and 77
	local u=$1 d=$2; shift 2
	local err code
	err=$(as "$u" "$@" 2>&1 >/dev/null); code=$?
	if [ "$code" = 77 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
		case $err in *"not allowed here"*) true;; *) false;; esac; then
		ok "$u: $d refused (77, one line)"
	else
		not_ok "$u: $d gave $code" "$err"
	fi
}
for u in "$p1" "$p2" "$p3"; do
	refuse "$u" "a shell" sh
	refuse "$u" "an interactive bash" bash -i
	refuse "$u" "sqlite3 on the hub" sqlite3 "$hub" .dump
	refuse "$u" "scp -f of the hub (legacy scp)" scp -f "$hub"
	refuse "$u" "the sftp server by path" /usr/lib/openssh/sftp-server
	refuse "$u" "internal-sftp" internal-sftp
	refuse "$u" "rsync --server" rsync --server --sender -logDtpre.iLsfxC . "$hub"
	refuse "$u" "cat of the hub" cat "$hub"
done
out=$(as "$p2" "mashdesk queue; sh" 2>&1); code=$?
[ "$code" = 64 ] && ok "p2: a list (;) is refused (64): no shell reads the line" || not_ok "';' gave $code: $out"
for u in "$p1" "$p2"; do
	rm -f "$tmp/got.db"
	if command -v sftp >/dev/null; then
		echo "get $hub $tmp/got.db" | timeout 20 sftp -q -b - -i "$tmp/clientkey" -P "$port" \
			-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
			-o BatchMode=yes "$u@127.0.0.1" >/dev/null 2>&1
		[ "$?" != 0 ] && [ ! -e "$tmp/got.db" ] && ok "$u: sftp of the hub fails" ||
			not_ok "$u: sftp fetched the hub"
	fi
	for mode in "" -O; do
		timeout 20 scp $mode -q -i "$tmp/clientkey" -P "$port" -o StrictHostKeyChecking=no \
			-o UserKnownHostsFile=/dev/null -o BatchMode=yes \
			"$u@127.0.0.1:$hub" "$tmp/got.db" >/dev/null 2>&1
		[ "$?" != 0 ] && [ ! -e "$tmp/got.db" ] && ok "$u: scp ${mode:-(sftp)} of the hub fails" ||
			not_ok "$u: scp $mode fetched the hub"
	done
done

# ---- the permission matrix: every option and variable naming a path ---------------------
# Each row: as p1 (p3 where the command is a supervisor's), the setgid
# program is pointed at a file of the hub's group.  It must fail, the
# secret and the hub must be unchanged, the secret's text never shown, and
# nothing new may appear in the hub's directory.
install -d -m 2770 -g "$hubgroup" "$dir/mashdesk" "$dir/.config/mashdesk" "$dir/tmp" "$dir/terminfo"
for f in "$dir/mashdesk/mashdesk.ini" "$dir/.config/mashdesk/mashdesk.ini" "$dir/secret.ini"; do
	printf '[database]\npath = %s\n# %s\n' "$secret" "$marker" >"$f"
	chgrp "$hubgroup" "$f"; chmod 0660 "$f"
done
ln -s "$dir" "$tmp/home-$p1/hubdir"
ln -s "$secret" "$tmp/home-$p1/secret-link.db"
ln -s "$hub" "$tmp/home-$p1/hub-link.db"
chown -h "$p1" "$tmp/home-$p1/hubdir" "$tmp/home-$p1/secret-link.db" "$tmp/home-$p1/hub-link.db"
listing() { ls -A "$dir" | grep -v -e '-wal$' -e '-shm$' -e '-journal$'; }
state() { sha256sum "$secret" | cut -c1-64; sqlite3 "$hub" "SELECT count(*) FROM referral; SELECT group_concat(info) FROM agency_check"; listing; }
before=$(state)
tmpdir_time=$(stat -c %y "$dir/tmp")
row() { # USER DESC ENV... -- ARGS...: the row must fail and change nothing
	local u=$1 d=$2; shift 2
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	local out code
	out=$(U "$u" "${envs[@]}" "$bin" "$@" 2>&1); code=$?
	local after
	after=$(state)
	if [ "$code" = 0 ]; then
		not_ok "matrix: $d: exit 0" "$out"
	elif case $out in *"$marker"*) true;; *) false;; esac; then
		not_ok "matrix: $d: the secret's text was shown" "$out"
	elif [ "$after" != "$before" ]; then
		not_ok "matrix: $d: something changed" "$(diff <(echo "$before") <(echo "$after"))"
	else
		ok "matrix: $d ($code: $(printf '%s' "$out" | head -1 | cut -c1-90))"
	fi
	printf '%s\t%s\t%s\n' "$d" "$code" "$(printf '%s' "$out" | head -1)" >>"$tmp/matrix.tsv"
}
h1="$tmp/home-$p1"
row "$p1" "--db the secret" -- --db "$secret" queue
row "$p1" "--db the hub's -wal" -- --db "$hub-wal" queue
row "$p1" "--db the hub's -shm" -- --db "$hub-shm" queue
row "$p1" "--db a symlink to the secret" -- --db "$h1/secret-link.db" queue
row "$p1" "--db the secret through a linked directory" -- --db "$h1/hubdir/secret" queue
row "$p1" "--db the secret through .." -- --db "$dir/../mashdesk/secret" queue
row "$p1" "--db a symlink to the hub (not the hub's own name)" -- --db "$h1/hub-link.db" queue
row "$p1" "\$MASHDESK_DB the secret" MASHDESK_DB="$secret" -- queue
row "$p1" "--config the secret" -- --config "$secret" queue
row "$p1" "--config the hub" -- --config "$hub" queue
row "$p1" "\$MASHDESK_CONFIG a group-only ini naming the secret" MASHDESK_CONFIG="$dir/secret.ini" -- queue
row "$p1" "\$XDG_CONFIG_HOME the hub's directory" XDG_CONFIG_HOME="$dir" -- queue
row "$p1" "\$HOME the hub's directory" HOME="$dir" -- queue
row "$p1" "init a hub in the hub's directory" -- --db "$dir/new.db" init --training
row "$p1" "init over the secret" -- --db "$secret" init --training
row "$p1" "generate into the hub's directory" -- --db "$dir/gen.db" generate --referrals 1
row "$p1" "demo with \$XDG_DATA_HOME above the hub's directory" XDG_DATA_HOME="$srv" -- demo --no-desk
row "$p1" "scenario load into the hub's directory" -- --db "$dir/s.db" scenario load quiet-morning
row "$p1" "scenario load the secret as the file" -- --db "$h1/ex.db" scenario load "$secret"
row "$p1" "\$MASHDESK_SCENARIO_DIR the hub's directory" MASHDESK_SCENARIO_DIR="$dir" -- --db "$h1/ex2.db" scenario load secret
row "$p1" "import the secret" -- import "$secret"
row "$p1" "import the hub" -- import "$hub"
row "$p1" "import the -wal" -- import "$hub-wal"
row "$p3" "export --output over the secret" -- export --from 2026-01-01 --to 2036-12-31 --output "$secret" --force
row "$p3" "export --output over the hub" -- export --from 2026-01-01 --to 2036-12-31 --output "$hub" --force
row "$p3" "export --output a new file in the hub's directory" -- export --from 2026-01-01 --to 2036-12-31 --output "$dir/out.csv"
row "$p3" "subject-access --output over the secret" -- subject-access --child "Ivo Marchetti" --dob 2016-03-03 --output "$secret" --force
row "$p3" "subject-access --output a new file in the hub's directory" -- subject-access --child "Ivo Marchetti" --dob 2016-03-03 --output "$dir/sa.txt"
row "$p1" "--as on the live hub" -- --as "$p3" queue
# TMPDIR and SQLITE_TMPDIR: cut from the environment; nothing is made there
U "$p3" TMPDIR="$dir/tmp" SQLITE_TMPDIR="$dir/tmp" "$bin" export --from 2026-01-01 --to 2036-12-31 >/dev/null 2>&1
U "$p3" TMPDIR="$dir/tmp" SQLITE_TMPDIR="$dir/tmp" "$bin" report turnaround >/dev/null 2>&1
[ "$(stat -c %y "$dir/tmp")" = "$tmpdir_time" ] && [ -z "$(ls -A "$dir/tmp")" ] &&
	ok "matrix: TMPDIR and SQLITE_TMPDIR in the hub's directory: nothing made there" ||
	not_ok "matrix: TMPDIR: something was made in $dir/tmp"
printf 'TMPDIR, SQLITE_TMPDIR the hub dir\t0\tnothing made there\n' >>"$tmp/matrix.tsv"
# the hub itself, by its own name, works: that is what the group is for
U "$p1" "$bin" --db "$h1/hubdir/hub.db" queue >/dev/null 2>&1 &&
	ok "matrix: --db the hub through a linked directory is the hub (opened by the system's path)" ||
	not_ok "matrix: --db the hub through a linked directory"
U "$p1" "$bin" --db "$h1/practice.db" init --training >/dev/null 2>&1 &&
	[ "$(stat -c '%U %G' "$h1/practice.db")" = "$p1 $p1" ] &&
	ok "matrix: a practice hub in the user's home is theirs, made with their own rights" ||
	not_ok "matrix: practice hub: $(stat -c '%U %G' "$h1/practice.db" 2>&1)"
U "$p1" "$bin" demo --no-desk >/dev/null 2>&1 &&
	[ "$(stat -c '%U' "$h1/.local/share/mashdesk/demo.db")" = "$p1" ] &&
	ok "matrix: the demo hub goes in the user's home, made with their own rights" ||
	not_ok "matrix: demo in the home"
printf '[timescales]\ndecision_hours = 720\n' >"$h1/rules.ini"; chown "$p1" "$h1/rules.ini"
out=$(U "$p1" "$bin" --config "$h1/rules.ini" queue 2>&1); code=$?
[ "$code" = 78 ] && case $out in *"[timescales] decision_hours: belongs in the system configuration"*) true;; *) false;; esac &&
	ok "a user's own file may not set the hub's rules (78)" || not_ok "rules.ini gave $code: $out"
printf '[ui]\ntheme = mono\n' >"$h1/look.ini"; chown "$p1" "$h1/look.ini"
U "$p1" "$bin" --config "$h1/look.ini" queue >/dev/null 2>&1 &&
	ok "...but may set the desk's look" || not_ok "look.ini refused"
# a system configuration naming a hub the caller could plant files beside
printf '[database]\npath = ~/hub.db\n' >"$ETC/mashdesk/mashdesk.ini"
U "$p1" "$bin" --db "$h1/practice.db" user list >/dev/null 2>&1 &&
	ok "matrix: a practice hub still works with any system configuration" ||
	not_ok "practice hub refused"
out=$(U "$p1" "$bin" queue 2>&1); code=$?
[ "$code" = 78 ] && case $out in *"must be an absolute path in a directory only root"*) true;; *) false;; esac &&
	ok "matrix: a system [database] path in the caller's home keeps no group (78)" ||
	not_ok "~/hub.db as the system's hub gave $code: $out"
printf '~/hub.db in the system configuration\t%s\t%s\n' "$code" "$out" >>"$tmp/matrix.tsv"
printf '# deploy.sh\n[database]\npath = %s\n' "$hub" >"$ETC/mashdesk/mashdesk.ini"
diag_matrix() { sed 's/^/# /' "$tmp/matrix.tsv"; }
diag_matrix

# ---- backups: copies of the live hub go only to [backup] dir -----------------------------
# An admin (p4) may back the hub up, through the setgid program; the copy
# lands in [backup] dir with the hub group's rights, where they cannot read
# it; anywhere else is refused, since a copy in a person's hands is the
# whole hub in their hands.  Restore runs with the caller's own rights.
backups="$tmp/backups"
install -d -m 2770 -g "$hubgroup" "$backups"
printf '# deploy.sh\n[database]\npath = %s\n[backup]\ndir = %s\n' "$hub" "$backups" >"$ETC/mashdesk/mashdesk.ini"
h4="$tmp/home-$p4"
loose="/tmp/mashdesk-deploy-$tag-x.db"
out=$(U "$p4" "$bin" backup "$loose" 2>&1); code=$?
[ "$code" = 77 ] && [ ! -e "$loose" ] &&
	case $out in *"not in [backup] dir"*"whole hub in their hands"*) true;; *) false;; esac &&
	ok "backup: an admin's backup $loose is refused (77, saying why) and makes nothing" ||
	not_ok "backup to /tmp gave $code" "$out"
out=$(U "$p4" "$bin" backup --dir "$h4" 2>&1); code=$?
[ "$code" = 77 ] && [ -z "$(ls "$h4" | grep '\.db')" ] &&
	ok "backup: --dir their own home is refused (77)" || not_ok "backup --dir home gave $code" "$out"
out=$(U "$p4" "$bin" backup "$backups/../escape.db" 2>&1); code=$?
[ "$code" = 77 ] && [ ! -e "$tmp/escape.db" ] &&
	ok "backup: [backup] dir/../ is not [backup] dir (77)" || not_ok "backup via .. gave $code" "$out"
out=$(U "$p1" "$bin" backup 2>&1); code=$?
[ "$code" = 77 ] && case $out in *"only admins may back the hub up"*) true;; *) false;; esac &&
	ok "backup: a practitioner may not (77)" || not_ok "practitioner backup gave $code" "$out"
copy=$(U "$p4" "$bin" backup 2>&1); code=$?
case $copy in "$backups"/*.db) true;; *) false;; esac && [ "$code" = 0 ] &&
	ok "backup: the admin's copy lands in [backup] dir ($(basename "$copy"))" || not_ok "backup gave $code" "$copy"
[ "$(stat -c '%a %G' "$copy" 2>&1)" = "660 $hubgroup" ] &&
	ok "backup: ...with the hub group's rights, mode 0660" || not_ok "copy: $(stat -c '%a %G' "$copy" 2>&1)"
U "$p4" cat "$copy" >/dev/null 2>&1 && not_ok "p4 read the copy" ||
	ok "backup: ...which the admin who made it cannot read"
U "$p4" "$bin" backup "$backups/named.db" >/dev/null 2>&1 && [ -e "$backups/named.db" ] &&
	ok "backup: a FILE inside [backup] dir is allowed" || not_ok "backup to a FILE in [backup] dir"
U "$p4" "$bin" backup verify "$copy" >"$tmp/verify" 2>&1 &&
	grep -q "^referrals" "$tmp/verify" && ok "backup verify of a copy in [backup] dir: 0" ||
	not_ok "backup verify: $(cat "$tmp/verify")"
out=$(U "$p4" "$bin" restore "$copy" --to "$h4/mine.db" 2>&1); code=$?
[ "$code" = 77 ] && [ ! -e "$h4/mine.db" ] &&
	ok "restore runs with the caller's own rights: the admin cannot restore the copy into their home (77)" ||
	not_ok "restore as p4 gave $code" "$out"
"$bin" restore "$copy" --to "$tmp/restored.db" >/dev/null &&
	"$bin" --db "$tmp/restored.db" audit verify >/dev/null &&
	ok "root restores it, and the restored hub's audit chain is intact" || not_ok "root's restore"
"$bin" doctor >"$tmp/doc" 2>&1
grep -q "^ok *backup *the newest copy, .* old (1 in $backups)" "$tmp/doc" &&
	ok "doctor: the newest copy in [backup] dir" || not_ok "doctor: $(grep backup "$tmp/doc")"
printf '# deploy.sh\n[database]\npath = %s\n[backup]\ndir = %s\n' "$hub" "$h4" >"$ETC/mashdesk/mashdesk.ini"
out=$(U "$p4" "$bin" backup 2>&1); code=$?
[ "$code" = 78 ] && [ -z "$(ls "$h4" | grep '\.db')" ] &&
	ok "backup: a [backup] dir the caller can write keeps no copy of the hub (78)" ||
	not_ok "[backup] dir in a home gave $code" "$out"
printf '# deploy.sh\n[database]\npath = %s\n' "$hub" >"$ETC/mashdesk/mashdesk.ini"
out=$(U "$p4" "$bin" backup "$h4/x.db" 2>&1); code=$?
[ "$code" = 77 ] && [ ! -e "$h4/x.db" ] && case $out in *"sets none"*) true;; *) false;; esac &&
	ok "backup: with no [backup] dir, no copy anywhere (77)" || not_ok "no [backup] dir gave $code" "$out"

printf '# deploy.sh: the desks open on the whole queue (a police or health desk would open on Our checks)\n[database]\npath = %s\n[ui]\nfirst_filter = all\n' "$hub" >"$ETC/mashdesk/mashdesk.ini"

# ---- desks over ssh -t, two practitioners on one hub at once ---------------------------
if [ -z "$TMUX_BIN" ]; then
	echo "# tmux not installed: the desks are not driven"
else
	T=("$TMUX_BIN" -L "$sock" -f /dev/null)
	desk() { printf '%s -t %s@127.0.0.1' "${SSH[*]}" "$1"; }
	"${T[@]}" new-session -d -x 80 -y 24 -s one "$(desk "$p1")"
	"${T[@]}" new-session -d -x 80 -y 24 -s two "$(desk "$p2")"
	"${T[@]}" new-session -d -x 80 -y 24 -s three "$(desk "$p3")"
	wait_for() { # SESSION TEXT
		for _ in $(seq 1 100); do
			"${T[@]}" capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
			sleep 0.1
		done
		return 1
	}
	for s in one:"$p1" two:"$p2" three:"$p3"; do
		wait_for "${s%%:*}" "${s#*:}" && ok "ssh -t ${s#*:} opens the desk" ||
			not_ok "desk ${s#*:}: $("${T[@]}" capture-pane -p -t "${s%%:*}" | head -5)"
	done
	wait_for one "Ada Quill" && ok "desk one lists the referral" || not_ok "no referral on desk one"
	for f in hub.db-wal hub.db-shm; do
		[ "$(stat -c '%a %G' "$dir/$f" 2>/dev/null)" = "660 $hubgroup" ] &&
			ok "$f: the hub's group, 0660, with desks open" ||
			not_ok "$f: $(stat -c '%a %G' "$dir/$f" 2>&1)"
	done
	as "$p3" mashdesk referral add --child "'Bo Quill'" --dob 2015-05-05 --concern "Sibling." >/dev/null
	wait_for one "Bo Quill" && wait_for two "Bo Quill" &&
		ok "both practitioners' desks show a third user's new referral" ||
		not_ok "desks did not refresh"
	pid=$(pgrep -u "$p1" mashdesk | head -1)
	if [ -n "$pid" ]; then
		U "$p1" ls "/proc/$pid/fd" >/dev/null 2>&1 && not_ok "$p1 can read their desk's open files" ||
			ok "$p1 cannot reach their own setgid desk's open files (/proc/PID/fd)"
		grep -q "^Max core file size *0 *0" "/proc/$pid/limits" &&
			ok "the desk dumps no core (RLIMIT_CORE 0)" || not_ok "core limit: $(grep core "/proc/$pid/limits")"
	else
		not_ok "no desk process of $p1 found"
	fi
	# TERMINFO into the hub's directory: not read by the setgid desk
	if command -v tic >/dev/null && command -v infocmp >/dev/null; then
		infocmp xterm 2>/dev/null | sed '1,/^xterm|/s/^xterm|[^,]*,/mdtest|deploy test,/' >"$tmp/mdtest.src"
		tic -o "$dir/terminfo" "$tmp/mdtest.src" 2>/dev/null
		chgrp -R "$hubgroup" "$dir/terminfo"; chmod -R g+rX,o-rwx "$dir/terminfo"
		"${T[@]}" new-session -d -x 80 -y 24 -s ti \
			"runuser -u $p1 -- env -i HOME=$h1 TERM=mdtest TERMINFO=$dir/terminfo TERMINFO_DIRS=$dir/terminfo $bin; sleep 30"
		wait_for ti 'unknown terminal type "mdtest"' &&
			ok "matrix: TERMINFO and TERMINFO_DIRS in the hub's directory are not read" ||
			not_ok "TERMINFO: $("${T[@]}" capture-pane -p -t ti | head -3)"
		printf 'TERMINFO, TERMINFO_DIRS the hub dir\t69\tunknown terminal type\n' >>"$tmp/matrix.tsv"
	fi
	"${T[@]}" send-keys -t one q
	"${T[@]}" send-keys -t two q
	"${T[@]}" send-keys -t three q
	sleep 0.5
fi

# ---- the install hook ------------------------------------------------------------------
build=$(dirname "$M")
if command -v make >/dev/null && [ -f "$build/Makefile" ]; then
	hookgroup=$hubgroup
	(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$build" install-exec DESTDIR="$tmp/dest" \
		HUB_GROUP="$hookgroup" >"$tmp/install.log" 2>&1)
	inst=$(find "$tmp/dest" -path '*/bin/mashdesk' | head -1)
	[ -n "$inst" ] && [ "$(stat -c '%a %G' "$inst")" = "2755 $hookgroup" ] &&
		[ "$(readlink "$(dirname "$inst")/mashdesk-shell")" = mashdesk ] &&
		ok "make install: mashdesk setgid to the hub's group, and the mashdesk-shell link" ||
		not_ok "make install: $(stat -c '%a %G' "$inst" 2>&1)" "$(cat "$tmp/install.log")"
fi

# ---- history rewritten by root is caught by an anchor kept elsewhere ---------------------
anchor=$(as "$p3" mashdesk audit head 2>&1)
case $anchor in [0-9]*:[0-9a-f]*) ok "audit head over ssh: $anchor";; *) not_ok "audit head: $anchor";; esac
as "$p3" mashdesk audit verify --from "$anchor" && ok "audit verify --from the fresh anchor: 0" ||
	not_ok "verify --from a fresh anchor failed"
as "$p3" mashdesk claim "$ref" >/dev/null   # a row after the anchor
# As root: rewrite row 2 and recompute every hash after it, by the formula.
sqlite3 "$hub" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'added nobody' WHERE id = 2"
prev=$(sqlite3 "$hub" "SELECT hash FROM audit WHERE id = 1")
last=$(sqlite3 "$hub" "SELECT max(id) FROM audit")
for i in $(seq 2 "$last"); do
	pre=$(sqlite3 "$hub" "SELECT id||char(31)||at||char(31)||login||char(31)||host||char(31)||tty||char(31)||action||char(31)||coalesce(referral_id,0)||char(31)||detail||char(31)||coalesce(state||char(31),'') FROM audit WHERE id = $i")
	prev=$(printf '%s\037%s' "$prev" "$pre" | sha256sum | cut -c1-64)
	sqlite3 "$hub" "UPDATE audit SET hash = '$prev' WHERE id = $i"
done
"$bin" audit verify && ok "root's recomputed chain passes audit verify alone" ||
	not_ok "the recomputation did not match the formula"
out=$("$bin" audit verify --from "$anchor" 2>&1); code=$?
[ "$code" = 65 ] && case $out in *"audit row ${anchor%%:*} no longer carries the anchored hash"*) true;; *) false;; esac &&
	ok "audit verify --from the anchor: 65, naming the anchored row" || not_ok "verify --from gave $code: $out"
# and a panel rewritten with sqlite3 is found by doctor
sqlite3 "$hub" "UPDATE referral SET concern = 'nothing of note' WHERE ref = '$ref'"
"$bin" doctor >"$tmp/doc" 2>&1; code=$?
[ "$code" = 65 ] && grep -q "changes .*changed outside mashdesk.*$ref" "$tmp/doc" &&
	ok "doctor: the referral changed outside mashdesk (65)" || not_ok "doctor gave $code" "$(grep PROBLEM "$tmp/doc")"
# a person in the hub's group is reported
usermod -aG "$hubgroup" "$p1"
"$bin" doctor >"$tmp/doc" 2>&1
grep -q "PROBLEM *group .*$p1" "$tmp/doc" && ok "doctor names a login in the hub's group" ||
	not_ok "doctor: $(grep group "$tmp/doc")"
gpasswd -d "$p1" "$hubgroup" >/dev/null

finish
