# lib.sh - a private PostgreSQL server for one test (sourced, bash).
#
# Source it after tests/e2e/lib.sh (TAP helpers, skip_all).  pg_start
# makes a temporary directory, initdb's a cluster in it and starts the
# server on 127.0.0.1 on a free port, its unix socket in that directory;
# the EXIT trap stops the server (immediate shutdown) and removes the
# directory however the test ends.  No system service, nothing left
# running.  PostgreSQL refuses to run as root: as root the cluster is
# owned by, and the server runs as, PG_TEST_USER (default nobody).
#
# After pg_start: PG_HOST (the socket directory), PG_PORT, PG_BIN, and
# pg_psql DB ARGS... runs psql as the cluster's superuser "postgres"
# (trust authentication, local only), stopping at the first error.
#
# Without the server binaries the whole test is skipped (TAP 1..0 # SKIP);
# PG_BINDIR names the directory holding them (default: pg_config --bindir,
# else the newest /usr/lib/postgresql/*/bin).
# any other failure to start is a failure, never a skip.

PG_TEST_USER=${PG_TEST_USER:-nobody}
PG_BIN=
PG_DIR=
PG_HOST=
PG_PORT=
pg_started=

# pg_find_bin: sets PG_BIN to the directory holding initdb, pg_ctl and
# postgres (pg_config --bindir, else the newest /usr/lib/postgresql/*/bin).
# PG_BINDIR, when set, is the only place looked at (another version; or
# an empty directory, to see the skip).
pg_find_bin() {
	local d cands=()
	if [ -n "${PG_BINDIR:-}" ]; then
		cands=("$PG_BINDIR")
	elif command -v pg_config >/dev/null 2>&1; then
		cands+=("$(pg_config --bindir 2>/dev/null)")
	fi
	if [ -z "${PG_BINDIR:-}" ]; then
		for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
			cands+=("$d")
		done
	fi
	for d in "${cands[@]}"; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			PG_BIN=$d
			return 0
		fi
	done
	return 1
}

# need_postgres: skip the whole test unless the server binaries and psql
# are installed.
need_postgres() {
	pg_find_bin || skip_all "PostgreSQL server binaries not installed (initdb, pg_ctl, postgres)"
	command -v psql >/dev/null 2>&1 || [ -x "$PG_BIN/psql" ] ||
		skip_all "psql not installed"
}

# pg_slow_test: skip the whole test when MASHDESK_PG_TESTS=quick.  The
# tests that take minutes of formations, torture or desks in tmux (failover,
# torture, desk) run once in CI, in the plain build; its sanitizer build
# and distcheck set quick and run the rest (.ci/run).
pg_slow_test() {
	[ "${MASHDESK_PG_TESTS:-all}" != quick ] ||
		skip_all "a slow PostgreSQL test; MASHDESK_PG_TESTS=quick skips it"
}

# pg_as_owner CMD...: run CMD as the cluster's owner.
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$PG_TEST_USER" -- "$@"
	else
		"$@"
	fi
}

pg_psql() {
	local db=$1 psql=psql
	shift
	[ -x "$PG_BIN/psql" ] && psql=$PG_BIN/psql
	PGOPTIONS='-c client_min_messages=warning' \
	"$psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" \
		-U postgres -d "$db" "$@"
}

# pg_free_port: prints a port nobody listens on now (the server's own
# bind decides in the end: pg_start retries on another port).
pg_free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

pg_cleanup() {
	# A server may be up even when pg_start gave up waiting for it.
	if [ -n "$PG_DIR" ] && { [ -n "$pg_started" ] ||
	                         [ -e "$PG_DIR/data/postmaster.pid" ]; }; then
		pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate \
			-w -t 30 stop >/dev/null 2>&1
		pg_started=
	fi
	if [ -n "$PG_DIR" ]; then
		rm -rf "$PG_DIR"
		PG_DIR=
	fi
}

# Both cleanups, whichever libraries are loaded.
pg_exit() {
	pg_cleanup
	if declare -F e2e_cleanup >/dev/null; then
		e2e_cleanup
	fi
}
trap pg_exit EXIT

# pg_start: initdb and start the server; diagnostics and exit 1 on failure.
pg_start() {
	local log
	# Under /tmp as root: the server's user must reach it, and a unix
	# socket's path is short (about 100 bytes at most).
	if [ "$(id -u)" = 0 ]; then
		PG_DIR=$(mktemp -d /tmp/mashdesk-pg.XXXXXX) || exit 99
	else
		PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mashdesk-pg.XXXXXX") || exit 99
	fi
	chmod 755 "$PG_DIR"
	if [ "$(id -u)" = 0 ]; then
		chown "$PG_TEST_USER" "$PG_DIR" || exit 99
	fi
	PG_HOST=$PG_DIR
	log=$PG_DIR/server.log
	# C locale: byte order as SQLite compares, the same on every machine.
	if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
		--auth=trust -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1; then
		echo "Bail out! initdb failed: $(tail -n 3 "$PG_DIR/initdb.log" | tr '\n' ' ')"
		exit 1
	fi
	for _ in 1 2 3 4 5; do
		PG_PORT=$(pg_free_port) || break
		# fsync off: a test cluster, thrown away; keeps it fast on a busy disk.
		if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$log" -w -t 60 \
			-o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
			start >/dev/null 2>&1; then
			pg_started=1
			return 0
		fi
		# Lost the race for the port (or a real failure: shown after 5).
	done
	echo "Bail out! the test PostgreSQL did not start: $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ')"
	exit 1
}

# pg_running DIR: whether any process still names the cluster's directory
# (the server runs as "postgres -D DIR/data ...").
pg_running() {
	pgrep -f -- "$1" >/dev/null 2>&1
}

# pg_start_standby NAME: a streaming standby of pg_start's server, copied
# with pg_basebackup -R (which writes its primary_conninfo) into
# $PG_DIR/NAME and started on another free port, owned by and running as
# the same user, its cluster_name NAME (so pg_stat_replication names it
# NAME).  Sets PG_STANDBY_PORT.  The EXIT trap stops it before the primary.
pg_standbys=()
PG_STANDBY_PORT=

pg_stop_standbys() {
	local d
	for d in "${pg_standbys[@]}"; do
		[ -e "$d/postmaster.pid" ] &&
			pg_as_owner "$PG_BIN/pg_ctl" -D "$d" -m immediate -w -t 30 \
				stop >/dev/null 2>&1
	done
	pg_standbys=()
}

pg_start_standby() {
	local name=$1 dir=$PG_DIR/$1 log=$PG_DIR/$1.log
	trap 'pg_stop_standbys; pg_exit' EXIT
	if ! pg_as_owner "$PG_BIN/pg_basebackup" -D "$dir" -R -X stream \
		-h 127.0.0.1 -p "$PG_PORT" -U postgres >"$PG_DIR/$name.copy.log" 2>&1; then
		echo "Bail out! pg_basebackup failed: $(tail -n 3 "$PG_DIR/$name.copy.log" | tr '\n' ' ')"
		exit 1
	fi
	pg_standbys+=("$dir")
	for _ in 1 2 3 4 5; do
		PG_STANDBY_PORT=$(pg_free_port) || break
		if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$log" -w -t 60 \
			-o "-k $PG_DIR -p $PG_STANDBY_PORT -c listen_addresses=127.0.0.1 -c cluster_name=$name -c fsync=off" \
			start >/dev/null 2>&1; then
			return 0
		fi
	done
	echo "Bail out! the test standby $name did not start: $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ')"
	exit 1
}
