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
# Nothing here may depend on how fast the machine is: tests must pass as
# well under `tests/stress` (every core busy) as on a quiet machine.  So
# waits are for something seen (text on the screen, the cursor on a row,
# output gone quiet), never a fixed sleep; deadlines are for hangs and are
# generous; and a byte count is taken only over a window in which nothing
# but the key could have drawn (tm_measure).
#
# Environment (exported by `make check`): MASHDESK (the program),
# MASHDESK_SRCDIR (the source tree), TMUX_BIN (tmux, may be empty).
# E2E_TIMEOUT (seconds, default 30) bounds every wait; E2E_QUIET_MS
# (default 500) is how long output must stop before it counts as quiet.

MASHDESK=${MASHDESK:-mashdesk}
TMUX_BIN=${TMUX_BIN-tmux}          # set but empty: configure found none
E2E_TIMEOUT=${E2E_TIMEOUT:-30}     # seconds: a deadline for hangs, not speed
E2E_QUIET_MS=${E2E_QUIET_MS:-500}  # no output for this long: quiet
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

# tm_settle: wait until the screen has not changed for E2E_QUIET_MS, so
# that what is read is a whole frame, not one still going out.
tm_settle() {
	tm_screen >"$e2e_tmp/settle.was" 2>/dev/null
	e2e_s_since=$(e2e_ms)
	e2e_s_end=$(( $(date +%s) + E2E_TIMEOUT ))
	while :; do
		sleep 0.1
		tm_screen >"$e2e_tmp/settle.now" 2>/dev/null
		if ! cmp -s "$e2e_tmp/settle.was" "$e2e_tmp/settle.now"; then
			mv "$e2e_tmp/settle.now" "$e2e_tmp/settle.was"
			e2e_s_since=$(e2e_ms)
		elif [ $(( $(e2e_ms) - e2e_s_since )) -ge "$E2E_QUIET_MS" ]; then
			return 0
		fi
		if [ "$(date +%s)" -ge "$e2e_s_end" ]; then
			diag "the screen did not stay still for ${E2E_QUIET_MS} ms in ${E2E_TIMEOUT}s"
			return 1
		fi
	done
}

# tm_lacks TEXT: TEXT is not on the screen, once it has settled (a check
# for absence read mid-frame would pass for the wrong reason, or fail on
# what the last frame left behind).
tm_lacks() {
	tm_settle
	! tm_screen | grep -qF -- "$1"
}

# e2e_ms: milliseconds since the epoch (GNU date).
e2e_ms() {
	date +%s%3N
}

# e2e_until SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds
# (0) or SECONDS have passed (1).
e2e_until() {
	e2e_u_end=$(( $(date +%s) + $1 ))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -ge "$e2e_u_end" ] && return 1
		sleep 0.1
	done
}

# tm_cursor_row: the row (from 0) of the terminal's cursor.
tm_cursor_row() {
	tm display -p -t 0 '#{cursor_y}'
}

# tm_wait_cursor_row N: wait until the terminal's cursor is on row N.
tm_wait_cursor_row() {
	e2e_until "$E2E_TIMEOUT" e2e_cursor_is "$1" && return 0
	diag "waited ${E2E_TIMEOUT}s for the cursor on row $1; it is on row $(tm_cursor_row)"
	return 1
}
e2e_cursor_is() {
	[ "$(tm_cursor_row)" = "$1" ]
}

# tm_drawn_at COLS ROWS: wait until the desk has drawn a whole frame at
# COLS x ROWS: its status line reaches the last columns and its key bar is
# on the last row.  After tm_resize, tmux keeps the old screen's text until
# the program redraws, so text checked before this may be the old frame's.
tm_drawn_at() {
	e2e_until "$E2E_TIMEOUT" e2e_drawn_at "$1" "$2" && return 0
	diag "waited ${E2E_TIMEOUT}s for a frame drawn at $1x$2" "screen was:"
	tm_screen 2>/dev/null | sed '/^$/d; s/^/# | /'
	return 1
}
e2e_drawn_at() {
	tm_screen >"$e2e_tmp/drawn" || return 1
	e2e_w=$(head -n 1 "$e2e_tmp/drawn" | sed 's/ *$//' | wc -m)
	[ "$e2e_w" -ge $(($1 - 2)) ] && [ "$e2e_w" -le $(($1 + 1)) ] &&
		[ -n "$(sed -n "$2p" "$e2e_tmp/drawn" | tr -d ' ')" ]
}

# ---- measuring what one key sends ------------------------------------------
# A byte count says something about a key only when nothing else drew in
# its window.  Besides the key, the desk draws by itself when the minute
# turns (the status line's clock and every row's time left) and when the
# hub changes; and a key that redraws the body brings every cell up to
# date, so a row's "time left" that ticked over since the last redraw (at
# the second of the minute its due time falls on) goes out with the key.
# tm_measure therefore opens its window only inside a still stretch of the
# minute: at least 2 seconds after the last second at which anything shown
# turns over (0, and the due seconds of the hub's open referrals and
# checks, from $E2E_HUB when set) and well before the next, once the desk
# shows this minute's clock.  It then repaints the whole screen (^L, the
# refresh key: every cell as of now, and the count of a whole screen),
# waits for quiet, sends the key, waits for the key's visible effect, then
# for quiet again, and only then closes the window.

# e2e_size FILE: its size in bytes.
e2e_size() {
	wc -c <"$1" | tr -d ' '
}

# tm_quiet FILE: wait until FILE (pane output copied by pipe-pane) has not
# grown for E2E_QUIET_MS.
tm_quiet() {
	e2e_q_size=$(e2e_size "$1") e2e_q_since=$(e2e_ms)
	e2e_q_end=$(( $(date +%s) + E2E_TIMEOUT ))
	while :; do
		sleep 0.05
		e2e_q_now=$(e2e_size "$1")
		if [ "$e2e_q_now" != "$e2e_q_size" ]; then
			e2e_q_size=$e2e_q_now e2e_q_since=$(e2e_ms)
		elif [ $(( $(e2e_ms) - e2e_q_since )) -ge "$E2E_QUIET_MS" ]; then
			return 0
		fi
		if [ "$(date +%s)" -ge "$e2e_q_end" ]; then
			diag "output did not stop for ${E2E_QUIET_MS} ms in ${E2E_TIMEOUT}s"
			return 1
		fi
	done
}

# e2e_turnovers: the seconds of the minute at which something the desk
# shows turns over by itself: 0 (the clock), and with $E2E_HUB the due
# seconds of open referrals (time left) and of agency checks (late marks).
e2e_turnovers() {
	echo 0
	[ -n "${E2E_HUB:-}" ] || return 0
	sqlite3 "$E2E_HUB" "SELECT due_at % 60 FROM referral
		WHERE status NOT IN ('decided', 'closed')
		UNION SELECT due_at % 60 FROM agency_check" 2>/dev/null
}

# e2e_still SECONDS TURNOVERS...: true when now is at least 2 seconds past
# the last turnover and SECONDS or more before the next; sets e2e_left to
# the seconds left before the next.
e2e_still() {
	e2e_need=$1
	shift
	e2e_now=$(date +%S)
	e2e_now=${e2e_now#0}
	e2e_left=60 e2e_since=60
	for e2e_t in "$@"; do
		e2e_d=$(( (e2e_t - e2e_now + 60) % 60 ))     # to the next at e2e_t
		[ "$e2e_d" -eq 0 ] && e2e_d=60
		[ "$e2e_d" -lt "$e2e_left" ] && e2e_left=$e2e_d
		e2e_d=$(( (e2e_now - e2e_t + 60) % 60 ))     # since the last at e2e_t
		[ "$e2e_d" -lt "$e2e_since" ] && e2e_since=$e2e_d
	done
	[ "$e2e_since" -ge 2 ] && [ "$e2e_left" -ge "$e2e_need" ]
}

# tm_still [SECONDS]: wait (up to a minute and a bit) until e2e_still holds
# for SECONDS (default 10) and the desk's status line shows this minute
# (the minute's own redraw has gone out).
tm_still() {
	e2e_until $((70 + E2E_TIMEOUT)) e2e_still_now "${1:-10}" && return 0
	diag "no still stretch of ${1:-10}s in the minute (turnovers at:" \
		"$(e2e_turnovers | sort -nu | tr '\n' ' '))" "screen was:"
	tm_screen 2>/dev/null | sed '/^$/d; s/^/# | /'
	return 1
}
e2e_still_now() {
	# shellcheck disable=SC2046
	e2e_still "$1" $(e2e_turnovers) &&
		tm_screen | head -n 1 | grep -qF -- "$(date +%H:%M)"
}

# tm_measure KEY [CHECK...]: the bytes the desk sends the terminal because
# of KEY, in $e2e_bytes, and those of a whole screen (^L) just before, in
# $e2e_whole (both empty when they could not be measured: then it returns
# 1, saying why).  CHECK is a command that succeeds once the key's effect
# is seen (e.g. tm_wait_cursor_row 4); without one, the wait is for any
# output at all.  The stretch must last 10 seconds; should it end inside
# the window all the same, the key took that long to draw (a hang, not a
# slow machine) and the count is refused.
tm_measure() {
	e2e_m_key=$1
	shift
	e2e_m_out=$e2e_tmp/measure.out
	e2e_bytes= e2e_whole=
	tm pipe-pane -t 0
	: >"$e2e_m_out"
	tm pipe-pane -t 0 -o "cat >>'$e2e_m_out'"
	e2e_m_ready=
	for _ in 1 2 3; do
		tm_still 10 && tm_quiet "$e2e_m_out" || break
		# still inside the stretch once quiet: open the window
		# shellcheck disable=SC2046
		e2e_still 10 $(e2e_turnovers) && { e2e_m_ready=1; break; }
	done
	if [ -n "$e2e_m_ready" ]; then
		e2e_m_end=$(( $(date +%s) + e2e_left ))    # the next turnover
		e2e_m_c0=$(e2e_size "$e2e_m_out")
		tm_keys C-l
		if e2e_until "$E2E_TIMEOUT" e2e_grew "$e2e_m_out" "$e2e_m_c0" &&
			tm_quiet "$e2e_m_out"; then
			e2e_m_from=$(e2e_size "$e2e_m_out")
			tm_keys "$e2e_m_key"
			if [ $# -gt 0 ]; then
				"$@"
			else
				e2e_until "$E2E_TIMEOUT" e2e_grew "$e2e_m_out" "$e2e_m_from" ||
					{ diag "nothing was drawn for $e2e_m_key"; false; }
			fi && tm_quiet "$e2e_m_out" &&
			if [ "$(date +%s)" -lt "$e2e_m_end" ]; then
				e2e_whole=$((e2e_m_from - e2e_m_c0))
				e2e_bytes=$(( $(e2e_size "$e2e_m_out") - e2e_m_from ))
			else
				diag "measuring $e2e_m_key outlasted the still stretch"
			fi
		else
			diag "^L drew nothing"
		fi
	fi
	tm pipe-pane -t 0
	[ -n "$e2e_bytes" ]
}
e2e_grew() {	# FILE SIZE: FILE is bigger than SIZE
	[ "$(e2e_size "$1")" -gt "$2" ]
}
