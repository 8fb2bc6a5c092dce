#!/bin/bash
# backup.sh - backup and restore from the command line, while desks save.
#
# Eight writer processes (each its own practitioner) take in contacts
# through the real command line, logging each one the command acknowledged
# with its sequence number and the time it returned.  A backup starts,
# pauses after its first step (MASHDESK_TEST_BACKUP_PAUSE: the test's own
# hook, so the copy is certainly midway while every writer saves again),
# then finishes.  The copy must hold every save acknowledged before the
# backup began, and for each writer a run of its saves from the first with
# no gap (one snapshot, not a torn file); restored, `doctor` and `audit
# verify` pass on it.  A backup killed midway (SIGKILL, and SIGTERM) leaves
# nothing at FILE and the hub intact, and the next one clears the litter.
# An encrypted copy (age-keygen here) decrypts and restores; --keep keeps
# the newest N; doctor reports the newest copy's age.  Nothing here waits a
# fixed time: every wait is for something seen, with E2E_TIMEOUT as the
# deadline.  TAP output.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
M=$MASHDESK
hub=$e2e_tmp/hub.db
export XDG_CONFIG_HOME=$e2e_tmp/config XDG_DATA_HOME=$e2e_tmp/data
unset MASHDESK_DB MASHDESK_CONFIG MASHDESK_TEST_BACKUP_PAUSE
q() { sqlite3 -cmd '.timeout 5000' "$@"; }

"$M" --db "$hub" init --training --name "Riverside MASH" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }
agencies=(police csc health education probation housing police csc)
for i in 1 2 3 4 5 6 7 8; do
	"$M" --db "$hub" user add "w$i" --name "Writer $i" --agency "${agencies[$((i - 1))]}" \
		--role practitioner || { echo "Bail out! user add failed"; exit 1; }
done

# ---- a backup while eight writers save ---------------------------------------------
# writer N: contacts "Child wN SEQ" until the stop file appears; each one
# acknowledged is logged as "SEQ ACK_NS REF".
writer() {
	local n=$1 seq=0 ref
	while [ ! -e "$e2e_tmp/stop" ]; do
		seq=$((seq + 1))
		if ref=$("$M" --db "$hub" --as "w$n" referral add --child "Child w$n $seq" \
			--dob 2015-03-0$((seq % 9 + 1)) --concern "Worry $seq from writer $n" \
			2>>"$e2e_tmp/w$n.err"); then
			echo "$seq $(date +%s%N) $ref" >>"$e2e_tmp/w$n.log"
		else
			echo "$seq failed" >>"$e2e_tmp/w$n.failed"
		fi
	done
}
acked() { # acked N: saves writer N has acknowledged so far
	[ -f "$e2e_tmp/w$1.log" ] && wc -l <"$e2e_tmp/w$1.log" || echo 0
}
all_acked() { # all_acked MIN...: writer i has acknowledged at least MIN_i
	local i=1 m
	for m in "$@"; do
		[ "$(acked $i)" -ge "$m" ] || return 1
		i=$((i + 1))
	done
}
pids=()
for i in 1 2 3 4 5 6 7 8; do
	writer "$i" &
	pids+=($!)
done
check "every writer saves before the backup" e2e_until "$E2E_TIMEOUT" all_acked 2 2 2 2 2 2 2 2

copy=$e2e_tmp/copy.db
began=$(date +%s%N)
MASHDESK_TEST_BACKUP_PAUSE=$e2e_tmp/paused "$M" --db "$hub" backup "$copy" \
	>"$e2e_tmp/backup.out" 2>"$e2e_tmp/backup.err" &
bpid=$!
check "the backup pauses after its first step" e2e_until "$E2E_TIMEOUT" test -e "$e2e_tmp/paused"
# while it is paused midway, every writer saves three more times
want=()
for i in 1 2 3 4 5 6 7 8; do want+=($(( $(acked "$i") + 3 ))); done
check "every writer saves three times more while the copy is half made" \
	e2e_until "$E2E_TIMEOUT" all_acked "${want[@]}"
[ ! -e "$copy" ] && ok "nothing at FILE while the copy is being taken" ||
	not_ok "FILE exists before the backup finished"
rm -f "$e2e_tmp/paused"
wait "$bpid"
code=$?
[ "$code" = 0 ] && [ "$(cat "$e2e_tmp/backup.out")" = "$copy" ] &&
	ok "the backup finishes (0) and prints the copy's path" ||
	not_ok "backup exit $code: $(cat "$e2e_tmp/backup.err")"
touch "$e2e_tmp/stop"
wait "${pids[@]}"
if ls "$e2e_tmp"/w*.failed >/dev/null 2>&1; then
	not_ok "no writer's save failed while the backup ran"
	diag "$(cat "$e2e_tmp"/w*.err | sort | uniq -c | head -5)"
else
	ok "no writer's save failed while the backup ran"
fi

q "$copy" "SELECT child_name FROM referral" >"$e2e_tmp/in-copy"
missing=0 before=0 gaps=0
for i in 1 2 3 4 5 6 7 8; do
	while read -r seq ack ref; do
		[ "$ack" -lt "$began" ] || continue
		before=$((before + 1))
		grep -qx "Child w$i $seq" "$e2e_tmp/in-copy" || { missing=$((missing + 1)); diag "missing: w$i $seq $ref"; }
	done <"$e2e_tmp/w$i.log"
	# one snapshot: writer i's saves in the copy are 1..k, no gaps
	k=$(grep -c "^Child w$i " "$e2e_tmp/in-copy")
	top=$(sed -n "s/^Child w$i //p" "$e2e_tmp/in-copy" | sort -n | tail -1)
	[ "$k" = "${top:-0}" ] || { gaps=$((gaps + 1)); diag "w$i: $k saves in the copy, up to $top"; }
done
[ "$before" -ge 16 ] && [ "$missing" = 0 ] &&
	ok "every one of the $before saves acknowledged before the backup began is in the copy" ||
	not_ok "$missing of $before saves acknowledged before the backup are missing"
[ "$gaps" = 0 ] && ok "each writer's saves in the copy run from its first without a gap (one snapshot)" ||
	not_ok "$gaps writers have gaps in the copy"
after=$(q "$hub" "SELECT count(*) FROM referral")
incopy=$(wc -l <"$e2e_tmp/in-copy")
[ "$incopy" -lt "$after" ] && ok "saves made after it began are not in the copy ($incopy of $after)" ||
	not_ok "the copy has $incopy referrals, the hub $after"
[ "$(od -An -tu1 -j18 -N2 "$copy" | tr -s ' ')" = " 1 1" ] && [ ! -e "$copy-wal" ] &&
	ok "the copy is standalone: a rollback-journal file, no -wal beside it" ||
	not_ok "the copy's journal mark: $(od -An -tu1 -j18 -N2 "$copy")"
ls -A "$e2e_tmp" | grep -q partial && not_ok "a temporary file was left: $(ls -A "$e2e_tmp" | grep partial)" ||
	ok "no temporary file is left"
[ "$(stat -c %a "$copy")" = "$(stat -c %a "$hub")" ] && ok "the copy's mode is the hub's ($(stat -c %a "$copy"))" ||
	not_ok "modes: copy $(stat -c %a "$copy"), hub $(stat -c %a "$hub")"
n=$(q "$hub" "SELECT count(*) FROM audit WHERE action = 'backup' AND detail LIKE '%$copy%'")
[ "$n" = 1 ] && ok "the hub's audit log records the backup" || not_ok "backup audit rows: $n"

"$M" backup verify "$copy" >"$e2e_tmp/verify" 2>&1 &&
	grep -q "^referrals	$incopy$" "$e2e_tmp/verify" &&
	ok "backup verify: 0, with the copy's referrals" || not_ok "verify: $(cat "$e2e_tmp/verify")"
restored=$e2e_tmp/restored.db
"$M" restore "$copy" --to "$restored" >"$e2e_tmp/restore.out" 2>&1 &&
	[ "$(cat "$e2e_tmp/restore.out")" = "$restored" ] &&
	ok "restore --to a new path: 0" || not_ok "restore: $(cat "$e2e_tmp/restore.out")"
"$M" --db "$restored" doctor >"$e2e_tmp/doctor" 2>&1 &&
	ok "doctor calls the restored hub healthy" ||
	not_ok "doctor on the restored hub" "$(grep PROBLEM "$e2e_tmp/doctor")"
"$M" --db "$restored" audit verify && ok "audit verify passes on the restored hub" ||
	not_ok "audit verify on the restored hub"
[ "$(q "$restored" "SELECT count(*) FROM referral")" = "$incopy" ] &&
	[ "$(q "$restored" "SELECT count(*) FROM audit WHERE action = 'restore'")" = 1 ] &&
	ok "the restored hub holds the copy's referrals, and its restore in the audit log" ||
	not_ok "restored hub: $(q "$restored" "SELECT count(*) FROM referral") referrals"
r=$("$M" --db "$restored" --as w1 referral add --child "Ada Quill" --dob 2016-04-12 \
	--concern "After the restore" 2>&1) && ok "desks work on the restored hub ($r)" ||
	not_ok "referral add on the restored hub: $r"
"$M" restore "$copy" --to "$restored" 2>"$e2e_tmp/err"; code=$?
[ "$code" = 73 ] && [ "$(wc -l <"$e2e_tmp/err")" = 1 ] &&
	ok "restore over an existing hub is refused (73, one line)" || not_ok "restore over: $code $(cat "$e2e_tmp/err")"
"$M" restore "$copy" --to "$hub" 2>/dev/null; code=$?
[ "$code" = 73 ] && "$M" --db "$hub" audit verify >/dev/null &&
	ok "...the live one too, which stays intact" || not_ok "restore over the hub: $code"

# ---- a backup killed midway ----------------------------------------------------------
killed() { # SIGNAL FILE: start a backup to FILE, kill it paused midway
	rm -f "$e2e_tmp/paused"
	MASHDESK_TEST_BACKUP_PAUSE=$e2e_tmp/paused "$M" --db "$hub" backup "$2" >/dev/null 2>&1 &
	local pid=$!
	e2e_until "$E2E_TIMEOUT" test -e "$e2e_tmp/paused" || return 1
	kill "-$1" "$pid"
	{ wait "$pid"; } 2>/dev/null
	kpid=$pid
	rm -f "$e2e_tmp/paused"
}
k=$e2e_tmp/killed.db
if killed KILL "$k"; then
	[ ! -e "$k" ] && ok "SIGKILL midway: nothing at FILE" || not_ok "SIGKILL left $k"
	[ -e "$e2e_tmp/.killed.db.partial-$kpid" ] &&
		ok "...only a temporary file, named as one (.killed.db.partial-$kpid)" ||
		not_ok "no recognisable temporary file: $(ls -A "$e2e_tmp")"
	"$M" --db "$hub" audit verify >/dev/null && "$M" --db "$hub" doctor >"$e2e_tmp/doctor" 2>&1 &&
		ok "...and the hub intact (audit verify, doctor)" ||
		not_ok "the hub after a killed backup" "$(grep PROBLEM "$e2e_tmp/doctor")"
	"$M" --db "$hub" backup "$k" >/dev/null && [ -e "$k" ] &&
		[ ! -e "$e2e_tmp/.killed.db.partial-$kpid" ] &&
		ok "the next backup to FILE works and clears the dead run's temporary file" ||
		not_ok "after the kill: $(ls -A "$e2e_tmp" | grep killed)"
else
	not_ok "the backup to be killed never paused"
fi
k=$e2e_tmp/termed.db
if killed TERM "$k"; then
	[ ! -e "$k" ] && ! ls -A "$e2e_tmp" | grep -q "termed.db.partial" &&
		ok "SIGTERM midway: nothing at FILE, and its temporary file removed" ||
		not_ok "SIGTERM left: $(ls -A "$e2e_tmp" | grep termed)"
else
	not_ok "the backup to be stopped never paused"
fi

# ---- refusals -----------------------------------------------------------------------------
refused() { # CODE DESC ARGS...
	local want=$1 d=$2
	shift 2
	"$M" "$@" >/dev/null 2>"$e2e_tmp/err"
	local got=$?
	[ "$got" = "$want" ] && [ "$(wc -l <"$e2e_tmp/err")" = 1 ] &&
		ok "$d ($want, one line)" || not_ok "$d: exit $got: $(cat "$e2e_tmp/err")"
}
refused 77 "a practitioner may not back the hub up" --db "$hub" --as w1 backup "$e2e_tmp/w1.db"
refused 73 "backup over an existing file" --db "$hub" backup "$copy"
refused 64 "backup with both FILE and --dir" --db "$hub" backup "$e2e_tmp/x.db" --dir "$e2e_tmp"
refused 64 "backup with nowhere to go" --db "$hub" backup
refused 73 "backup into a missing directory" --db "$hub" backup "$e2e_tmp/none/x.db"
refused 65 "backup verify of a file that is not a copy" backup verify "$e2e_tmp/w1.log"
refused 65 "backup verify of the live hub (WAL, not standalone)" backup verify "$hub"
refused 66 "backup verify of a missing file" backup verify "$e2e_tmp/none.db"
refused 64 "restore without --to" restore "$copy"
[ ! -e "$e2e_tmp/w1.db" ] && [ ! -e "$e2e_tmp/x.db" ] && ok "refusals made no file" ||
	not_ok "a refused backup made a file"
"$M" --db "$hub" backup "$copy" --force >/dev/null &&
	ok "--force replaces an existing copy" || not_ok "--force"

# ---- encrypted with age -----------------------------------------------------------------------
if command -v age >/dev/null && command -v age-keygen >/dev/null; then
	age-keygen -o "$e2e_tmp/key.txt" 2>/dev/null
	pub=$(age-keygen -y "$e2e_tmp/key.txt")
	enc=$e2e_tmp/copy.db.age
	"$M" --db "$hub" backup --encrypt "$pub" "$enc" >/dev/null 2>"$e2e_tmp/err" &&
		[ "$(head -c 21 "$enc")" = "age-encryption.org/v1" ] &&
		ok "--encrypt: an age file" || not_ok "--encrypt: $(cat "$e2e_tmp/err")"
	ls -A "$e2e_tmp" | grep -q partial && not_ok "a plain copy was left beside it" ||
		ok "...and no plain copy left beside it"
	refused 64 "backup verify of an age file without --identity" backup verify "$enc"
	"$M" backup verify --identity "$e2e_tmp/key.txt" "$enc" >"$e2e_tmp/verify" 2>&1 &&
		grep -q "^encrypted	yes$" "$e2e_tmp/verify" &&
		ok "backup verify --identity: 0" || not_ok "verify --identity: $(cat "$e2e_tmp/verify")"
	age -d -i "$e2e_tmp/key.txt" -o "$e2e_tmp/plain.db" "$enc" &&
		[ "$(q "$e2e_tmp/plain.db" "SELECT count(*) FROM referral")" = "$(q "$hub" "SELECT count(*) FROM referral")" ] &&
		ok "age -d gives back the whole hub" || not_ok "age -d"
	"$M" restore "$enc" --identity "$e2e_tmp/key.txt" --to "$e2e_tmp/from-age.db" >/dev/null &&
		"$M" --db "$e2e_tmp/from-age.db" doctor >/dev/null 2>&1 &&
		ok "an encrypted copy restores (--identity), and doctor calls it healthy" ||
		not_ok "restore of the encrypted copy"
	refused 64 "restore of an age file without --identity" restore "$enc" --to "$e2e_tmp/no.db"
	age-keygen -o "$e2e_tmp/other.txt" 2>/dev/null
	refused 65 "restore with the wrong key" restore "$enc" --identity "$e2e_tmp/other.txt" --to "$e2e_tmp/no.db"
	[ ! -e "$e2e_tmp/no.db" ] && ok "...which restores nothing" || not_ok "a refused restore made a file"
	refused 65 "--encrypt to something that is not a recipient" --db "$hub" backup --encrypt nobody "$e2e_tmp/bad.db.age"
else
	not_ok "age is not installed (quickstart installs it)"
fi

# ---- a directory of copies, --keep and doctor ---------------------------------------------------
dir=$e2e_tmp/backups
mkdir -p "$dir"
touch "$dir/notes.txt"
for i in 1 2 3 4; do
	"$M" --db "$hub" backup --dir "$dir" --keep 3 >>"$e2e_tmp/made" || not_ok "backup --dir $i"
done
ls "$dir" | grep -c '^riverside-mash-[0-9]\{8\}T[0-9]\{6\}Z\(-[0-9]*\)\?\.db$' >"$e2e_tmp/n"
[ "$(cat "$e2e_tmp/n")" = 3 ] && [ -e "$dir/notes.txt" ] &&
	ok "--dir names copies by time; --keep 3 keeps three of four, and nothing else is touched" ||
	not_ok "in $dir: $(ls "$dir" | tr '\n' ' ')"
first=$(head -1 "$e2e_tmp/made")
[ ! -e "$first" ] && [ -e "$(tail -1 "$e2e_tmp/made")" ] &&
	ok "...the oldest is the one removed" || not_ok "kept: $(ls "$dir" | tr '\n' ' '); made: $(tr '\n' ' ' <"$e2e_tmp/made")"
mkdir -p "$XDG_CONFIG_HOME/mashdesk"
printf '[backup]\ndir = %s\nkeep = 2\nwarn_hours = 1\n' "$dir" >"$XDG_CONFIG_HOME/mashdesk/mashdesk.ini"
"$M" --db "$hub" backup >/dev/null && [ "$(ls "$dir" | grep -c '\.db$')" = 2 ] &&
	ok "with no FILE: [backup] dir, keeping [backup] keep" || not_ok "[backup] dir: $(ls "$dir" | tr '\n' ' ')"
"$M" --db "$hub" doctor >"$e2e_tmp/doctor" 2>&1
grep -q "^ok *backup *the newest copy, riverside-mash-.*minutes old (2 in $dir)" "$e2e_tmp/doctor" &&
	ok "doctor reports the newest copy's age" || not_ok "doctor: $(grep backup "$e2e_tmp/doctor")"
for f in "$dir"/*.db; do touch -d '3 hours ago' "$f"; done
"$M" --db "$hub" doctor >"$e2e_tmp/doctor" 2>&1; code=$?
grep -q "^warning *backup *the newest copy, .* is 3.0 hours old: more than \[backup\] warn_hours (1)" "$e2e_tmp/doctor" &&
	[ "$code" = 0 ] && ok "...and warns (not fails) when it is older than warn_hours" ||
	not_ok "doctor, old copies: $code $(grep backup "$e2e_tmp/doctor")"

done_testing
