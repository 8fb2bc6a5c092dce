# lib.sh - shared helpers for the end-to-end tests (sourced, POSIX sh).
#
# TAP output: call `ok`/`not_ok` (or `check`) for each test and `done_testing`
# at the end, which prints the plan ("1..N") and exits non-zero if any
# failed.  Terminal tests run the real binary inside a private tmux server
# (tmux -L mashdesk-$$), read the screen with capture-pane, and wait for
# text to appear with a deadline instead of sleeping a fixed time.  A trap
# kills the server and removes the temporary directory however the test
# ends.
#
# Environment (exported by `make check`): MASHDESK (the program),
# MASHDESK_SRCDIR (the source tree), TMUX_BIN (tmux, may be empty).

MASHDESK=${MASHDESK:-mashdesk}
TMUX_BIN=${TMUX_BIN-tmux}          # set but empty: configure found none
E2E_TIMEOUT=${E2E_TIMEOUT:-10}          # seconds to wait for text
e2e_n=0
e2e_failed=0
e2e_tmp=
e2e_server="mashdesk-$$"

# ---- TAP ------------------------------------------------------------------

ok() {
	e2e_n=$((e2e_n + 1))
	echo "ok $e2e_n - $*"
}

not_ok() {
	e2e_n=$((e2e_n + 1))
	e2e_failed=$((e2e_failed + 1))
	echo "not ok $e2e_n - $*"
}

# diag TEXT...: a comment line for whoever reads the log.
diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# check DESC COMMAND...: ok when the command succeeds.
check() {
	e2e_desc=$1
	shift
	if "$@"; then
		ok "$e2e_desc"
	else
		not_ok "$e2e_desc"
	fi
}

done_testing() {
	echo "1..$e2e_n"
	[ "$e2e_failed" -eq 0 ]
	exit $?
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

need_tmux() {
	if [ -z "$TMUX_BIN" ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
		skip_all "tmux not installed"
	fi
}

# need_mashdesk: stop at once (TAP "Bail out!") without the program.
need_mashdesk() {
	if ! command -v "$MASHDESK" >/dev/null 2>&1; then
		echo "Bail out! MASHDESK=$MASHDESK is not a program (run via make check)"
		exit 1
	fi
}

# ---- temporary files and cleanup ----------------------------------------

e2e_cleanup() {
	"$TMUX_BIN" -L "$e2e_server" kill-server >/dev/null 2>&1
	[ -n "$e2e_tmp" ] && rm -rf "$e2e_tmp"
}

# make_tmp: sets $e2e_tmp to a fresh directory removed at exit.
make_tmp() {
	e2e_tmp=$(mktemp -d "${TMPDIR:-/tmp}/mashdesk-e2e.XXXXXX") || exit 99
}

trap e2e_cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE      # e.g. the output piped into head

# ---- tmux -------------------------------------------------------------------

tm() {
	"$TMUX_BIN" -L "$e2e_server" -f /dev/null "$@"
}

# tm_start COLS ROWS TERM COMMAND...: a fresh session running COMMAND under
# that TERM in a UTF-8 locale.  When COMMAND ends the pane prints
# "E2E-EXITED rc=N", then "TTY-OK" or "TTY-RAW" (whether the terminal
# is back in canonical mode with echo), then waits at a shell prompt "E2E$ ".
tm_start() {
	cols=$1 rows=$2 term=$3
	shift 3
	tm kill-server >/dev/null 2>&1
	script=$e2e_tmp/pane.sh
	{
		echo 'export LC_ALL=C.UTF-8 NO_COLOR='
		printf 'export TERM=%s\n' "$term"
		for a in "$@"; do
			printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
		done
		echo
		echo 'echo "E2E-EXITED rc=$?"'
		echo 'if stty -a | grep -q -e " -icanon" -e " -echo "; then echo TTY-RAW; else echo TTY-OK; fi'
		echo 'PS1="E2E\$ " exec sh -i'
	} >"$script"
	# The session's own TERM is set for the pane by tmux; the script sets
	# the one under test just before the program starts.
	tm new-session -d -x "$cols" -y "$rows" "sh $script"
}

tm_keys() {
	tm send-keys -t 0 "$@"
}

# tm_type TEXT: type text literally (no key names).
tm_type() {
	tm send-keys -t 0 -l "$1"
}

tm_screen() {
	tm capture-pane -p -t 0
}

tm_resize() {
	tm resize-window -t 0 -x "$1" -y "$2"
}

# tm_wait TEXT [SECONDS]: wait until TEXT (fixed string) is on the screen.
tm_wait() {
	end=$(( $(date +%s) + ${2:-$E2E_TIMEOUT} ))
	while :; do
		tm_screen 2>/dev/null | grep -qF -- "$1" && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.1
	done
	diag "waited ${2:-$E2E_TIMEOUT}s for: $1" "screen was:"
	tm_screen 2>/dev/null | sed '/^$/d; s/^/# | /'
	return 1
}

# tm_wait_gone TEXT [SECONDS]: wait until TEXT is no longer on the screen.
tm_wait_gone() {
	end=$(( $(date +%s) + ${2:-$E2E_TIMEOUT} ))
	while :; do
		tm_screen 2>/dev/null | grep -qF -- "$1" || return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.1
	done
	diag "waited ${2:-$E2E_TIMEOUT}s for this to go: $1"
	return 1
}

# tm_lacks TEXT: TEXT is not on the screen now.
tm_lacks() {
	! tm_screen | grep -qF -- "$1"
}
