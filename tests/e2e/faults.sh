#!/usr/bin/env bash
# faults.sh - saves that fail underneath: a full disk and a filesystem
# turned read-only.  Each gives one clear line and a sysexits code, and the
# hub is intact afterwards with nothing half written.  Needs root (mount);
# skipped otherwise.  TAP output.
set -u

M=${MASHDESK:-./mashdesk}
if [ "$(id -u)" -ne 0 ] || ! command -v mount >/dev/null; then
	echo "1..0 # SKIP needs root to mount a small tmpfs"
	exit 0
fi
tmp=$(mktemp -d /tmp/mashdesk-faults-XXXXXX)
mnt="$tmp/mnt"
mkdir "$mnt"
if ! mount -t tmpfs -o size=3m tmpfs "$mnt" 2>/dev/null; then
	rmdir "$mnt"; rm -rf "$tmp"
	echo "1..0 # SKIP cannot mount a tmpfs here"
	exit 0
fi
cleanup() { umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export HOME="$tmp"
unset MASHDESK_DB MASHDESK_CONFIG

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
hub="$mnt/hub.db"
H=("$M" --db "$hub")

"${H[@]}" init --training >/dev/null && "${H[@]}" user add pat --name "Pat Okafor" \
	--agency police --role practitioner || { echo "Bail out! setup failed"; exit 1; }
P=("${H[@]}" --as pat)
"${P[@]}" referral add --child "Ada Quill" --dob 2016-04-12 --concern "Seen alone." >/dev/null

# ---- disk full --------------------------------------------------------------------
dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null   # until the disk is full
big=$(head -c 60000 /dev/zero | tr '\0' 'x')
"${P[@]}" referral add --child "Bea Quill" --dob 2015-02-02 --concern "$big" \
	>"$tmp/out" 2>"$tmp/err"
code=$?
case $code in 73|74) ok "a save on a full disk fails with $code";; *) not_ok "full disk gave $code" "$(cat "$tmp/err")";; esac
[ "$(wc -l <"$tmp/err")" = 1 ] && ok "…with one line" || not_ok "stderr had $(wc -l <"$tmp/err") lines"
grep -qi 'full' "$tmp/err" && ok "…saying the disk is full" || not_ok "message: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] && ok "…and prints no reference" || not_ok "printed $(cat "$tmp/out")"
rm -f "$mnt/filler"
[ "$(sqlite3 "$hub" 'PRAGMA integrity_check')" = ok ] && ok "the hub is intact afterwards" || not_ok "integrity"
[ "$(sqlite3 "$hub" 'SELECT count(*) FROM referral')" = 1 ] && ok "…with nothing half saved" || not_ok "referral count"
"${P[@]}" referral add --child "Bea Quill" --dob 2015-02-02 --concern "Now it fits." >"$tmp/out" 2>&1 &&
	ok "saving works again once there is room" || not_ok "save after freeing space: $(cat "$tmp/out")"

# ---- read-only filesystem ------------------------------------------------------------
sqlite3 "$hub" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
mount -o remount,ro "$mnt"
"${P[@]}" claim R000001 >"$tmp/out" 2>"$tmp/err"
code=$?
case $code in 74|77) ok "a save on a read-only filesystem fails with $code";; *) not_ok "read-only gave $code" "$(cat "$tmp/err")";; esac
[ "$(wc -l <"$tmp/err")" = 1 ] && ok "…with one line" || not_ok "stderr: $(cat "$tmp/err")"
grep -Eqi 'read-only|readonly|cannot write|permission' "$tmp/err" && ok "…that says why" ||
	not_ok "message: $(cat "$tmp/err")"
mount -o remount,rw "$mnt"
[ "$(sqlite3 "$hub" 'PRAGMA integrity_check')" = ok ] && ok "the hub is intact afterwards" || not_ok "integrity"
[ -z "$(sqlite3 "$hub" "SELECT assigned_to FROM referral WHERE id = 1")" ] &&
	ok "…and the refused claim left no trace" || not_ok "claim half done"

# ---- an I/O error under a save ------------------------------------------------
# A small shim, built here, makes every page-sized write fail with EIO:
# opening needs none (the WAL index is mapped), so the failure strikes at
# the save's commit, when SQLite appends its pages to the WAL.
cat >"$tmp/eio.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	if (fd > 2 && n >= 4096) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, n, off);
}
C
if ${CC:-cc} -shared -fPIC -o "$tmp/eio.so" "$tmp/eio.c" -ldl 2>/dev/null; then
	before=$(sqlite3 "$hub" "SELECT count(*) FROM referral")
	LD_PRELOAD="$tmp/eio.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"${P[@]}" referral add --child "Cy Quill" --dob 2014-04-04 --concern "x" \
		>"$tmp/out" 2>"$tmp/err"
	code=$?
	[ "$code" = 74 ] && ok "an I/O error under a save gives 74" || not_ok "I/O error gave $code" "$(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/err")" = 1 ] && grep -qi 'I/O error while saving' "$tmp/err" &&
		ok "…with one line saying the save failed" ||
		not_ok "message: $(cat "$tmp/err")"
	[ "$(sqlite3 "$hub" 'PRAGMA integrity_check')" = ok ] && ok "the hub is intact afterwards" || not_ok "integrity"
	[ "$(sqlite3 "$hub" "SELECT count(*) FROM referral")" = "$before" ] &&
		ok "…and the failed save left nothing behind" || not_ok "referral count changed"
else
	echo "ok $((n + 1)) # SKIP no C compiler for the I/O error shim"
	n=$((n + 1))
fi

echo "1..$n"
[ "$failed" -eq 0 ]
