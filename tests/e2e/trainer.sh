#!/bin/sh
# trainer.sh - a training exercise in real (tmux) terminals at 80x24: a
# trainer's desk and two trainees' desks on a hub loaded from a shipped
# scenario.  While `scenario run --speed 600` plays the clock, the
# trainees' queues fill by themselves and the trainer's screen shows the
# clock running, both trainees' desks open, and each arrival; a trainee's
# check form holds what their agency's records show; the debrief screen
# shows a decision made meanwhile; every desk quits cleanly.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_tmux
need_mashdesk
make_tmp
db=$e2e_tmp/hub.db
export MASHDESK_SCENARIO_DIR="${MASHDESK_SCENARIO_DIR:-${MASHDESK_SRCDIR:-$here/../..}/scenarios}"
md() {
	"$MASHDESK" --db "$db" "$@"
}
runner=
trap 'e2e_cleanup; [ -n "$runner" ] && kill -CONT "$runner" 2>/dev/null &&
	kill "$runner" 2>/dev/null' EXIT

check "load the quiet-morning scenario" md scenario load quiet-morning

# Window N's screen, and waiting for text on it.
tw_screen() {
	tm capture-pane -p -t ":$1" 2>/dev/null
}
tw_wait() {
	w=$1 text=$2
	end=$(( $(date +%s) + ${3:-$E2E_TIMEOUT} ))
	while :; do
		tw_screen "$w" | grep -qF -- "$text" && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.1
	done
	diag "window $w: waited for: $text" "screen was:"
	tw_screen "$w" | sed '/^$/d; s/^/# | /'
	return 1
}
# A desk in window N (N > 0) for LOGIN, exiting to a marker line.
tw_desk() {
	script=$e2e_tmp/desk-$2.sh
	{
		echo 'export LC_ALL=C.UTF-8 NO_COLOR= TERM=xterm-256color'
		printf "'%s' --db '%s' --as %s\n" "$MASHDESK" "$db" "$2"
		echo 'echo "E2E-EXITED rc=$?"'
		echo 'exec sleep 600'
	} >"$script"
	tm new-window -d -t ":$1" "sh $script"
}

tm_start 80 24 xterm-256color "$MASHDESK" --db "$db" --as trainer
tw_desk 1 csc1
tw_desk 2 police1

check "the trainer's desk opens on the trainer's screen" \
	tw_wait 0 "Scenario: A quiet morning"
check "the clock has not started" tw_wait 0 "not started"
check "the trainee desks open on their queues" tw_wait 1 "csc1 (csc, practitioner)"
# police1's desk opens on Our checks, its agency's own work list; the
# arrivals are contacts nobody has asked police about yet: f goes on round
# to All.
check "police1's desk opens on Our checks" tw_wait 2 "[Our checks: 0 late]"
tm send-keys -t :2 f f     # Feedback due, then All
check "f shows police1 every referral" tw_wait 2 "Filter: [All]"
check "both marked TRAINING" tw_wait 2 "TRAINING"
check "the trainer sees csc1's desk open" tw_wait 0 "csc1       Rosa Lindqvist       practitioner csc       desk open"
check "and police1's" tw_wait 0 "police1    Dev Malhotra         practitioner police    desk open"
check "edu1 has no desk open" tw_wait 0 "edu1       Niamh Doyle          practitioner education -"

md --as trainer scenario run --speed 600 >"$e2e_tmp/run.out" 2>"$e2e_tmp/run.err" &
runner=$!
# At x600 the whole run is over in 7 seconds, however slow the desks are
# to look.  So once the first referral is out, the runner is held still
# (SIGSTOP: the hub still counts it running, as its process is alive) while
# the screens are read, and let go again (SIGCONT) for the rest.
first_out() {
	grep -q "^0	R000001	" "$e2e_tmp/run.out"
}
check "the runner releases the first referral at once" e2e_until "$E2E_TIMEOUT" first_out
kill -STOP "$runner"
check "the trainer's screen shows the clock running" tw_wait 0 "RUNNING x600"
check "the first referral reaches a trainee's queue unasked" tw_wait 1 "Ellie Marsh"
check "and the other trainee's" tw_wait 2 "Ellie Marsh"
kill -CONT "$runner"
check "the last arrives at 70 scenario minutes" tw_wait 1 "Ayesha Rahman"
check "on the other queue too" tw_wait 2 "Ayesha Rahman"
wait "$runner"
rc=$?
runner=
check "the run ends by itself when all have arrived (rc=$rc)" test "$rc" = 0
check "the trainer's screen lists every arrival" tw_wait 0 "Arrived 5 of 5"
check "with its reference" tw_wait 0 "+1h10m   R000005  Ayesha Rahman"

# A trainee opens their agency's check: the scenario's police records.
tm send-keys -t :2 /
tm send-keys -t :2 -l Ayesha
tm send-keys -t :2 Enter
check "police1 finds the referral" tw_wait 2 "Search: Ayesha"
tm send-keys -t :2 Enter
check "and opens it" tw_wait 2 "Ayesha told her form tutor"
tm send-keys -t :2 e
check "the check form holds what police records show" \
	tw_wait 2 "One call in March 2026"
tm send-keys -t :2 C-x
check "saved" tw_wait 2 "check saved"

# Meanwhile csc1 decides at the command line; the trainer's debrief shows it.
check "csc1 decides R000001" md --as csc1 decide R000001 --outcome early-help \
	--rag green --level 2 --rationale "Family support."
check "the trainer's screen shows it decided" tw_wait 0 "R000001  Ellie Marsh              decided   "
tm send-keys -t :0 r
check "the debrief screen" tw_wait 0 "Outcome expected/actual"
check "scores csc1's decision" tw_wait 0 "csc1       R000001  green/green   early-help/early-help"
check "and totals csc1" tw_wait 0 "csc1               1       1         1             1       1 4/4"
check "police1's saved check is on the referral" \
	sh -c "'$MASHDESK' --db '$db' --as police1 show R000005 | grep -q 'One call in March'"

tm send-keys -t :0 Escape
check "Esc goes back to the trainer's screen" tw_wait 0 "Scenario: A quiet morning"
tm send-keys -t :0 Escape
check "and again to the queue, which names the trainer key" tw_wait 0 "t Trainer"
for w in 0 1 2; do
	tm send-keys -t ":$w" Escape Escape Escape q
done
check "the trainer's desk quits cleanly" tw_wait 0 "E2E-EXITED rc=0"
check "csc1's desk quits cleanly" tw_wait 1 "E2E-EXITED rc=0"
check "police1's desk quits cleanly" tw_wait 2 "E2E-EXITED rc=0"
check "closed desks are no longer counted as open" \
	sh -c "test \"\$(sqlite3 '$db' 'SELECT count(*) FROM presence')\" = 0"

done_testing
