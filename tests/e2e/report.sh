#!/bin/sh
# report.sh - `mashdesk report` and `mashdesk export` from the shell (output
# format, exit codes, one line on stderr for each failure), and the reports
# screen in tmux: bars of block characters under xterm-256color, ASCII bars
# under TERM=vt100, and a practitioner turned away.
#
# The dataset is tests/data/report.csv; its figures are computed by hand in
# tests/unit/test_report.c.  `report contacts` runs on a second hub holding
# tests/data/contacts.csv, computed by hand in tests/unit/test_contacts.c.
# Local time is UTC throughout.
here=$(cd "$(dirname "$0")" && pwd)
. "${MASHDESK_SRCDIR:-$here/../..}/tests/e2e/lib.sh"

need_mashdesk
make_tmp
TZ=UTC
export TZ
unset MASHDESK_DB MASHDESK_CONFIG
db=$e2e_tmp/hub.db
data=${MASHDESK_SRCDIR:-$here/../..}/tests/data/report.csv
db2=$e2e_tmp/contacts.db
contacts=${MASHDESK_SRCDIR:-$here/../..}/tests/data/contacts.csv
md() {
	"$MASHDESK" --db "$db" "$@"
}
md2() {
	"$MASHDESK" --db "$db2" "$@"
}

# run CODE DESC CMD...: expect exit CODE; a failure says exactly one line.
run() {
	want=$1 desc=$2
	shift 2
	"$@" >"$e2e_tmp/out" 2>"$e2e_tmp/err"
	got=$?
	lines=$(wc -l <"$e2e_tmp/err")
	if [ "$got" -ne "$want" ]; then
		not_ok "$desc"
		diag "exit $got, wanted $want" "$(head -c 300 "$e2e_tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		not_ok "$desc"
		diag "wanted one line on stderr, got $lines" "$(cat "$e2e_tmp/err")"
	else
		ok "$desc"
	fi
}

# same DESC: stdout equals $e2e_tmp/want.
same() {
	if cmp -s "$e2e_tmp/out" "$e2e_tmp/want"; then
		ok "$1"
	else
		not_ok "$1"
		diff "$e2e_tmp/want" "$e2e_tmp/out" | sed 's/^/# /'
	fi
}

# ---- a hub with the fixed dataset ----------------------------------------------

run 0 "init a training hub" md init --training --name "Report MASH"
run 0 "add a supervisor" md user add sue --name "Sue Lindqvist" --agency csc \
	--role supervisor
run 0 "add a practitioner" md user add pat --name "Pat Okafor" --agency police \
	--role practitioner
run 0 "add a trainer" md user add tia --name "Tia Moreau" --role trainer
run 0 "import the dataset" md --as sue import "$data"

# ---- report: tab-separated output, exactly the hand-computed figures ------------

run 0 "report turnaround, March" md --as sue report turnaround \
	--from 2026-03-01 --to 2026-03-31
printf 'group\tcount\tmean_h\tmedian_h\tp90_h
all\t11\t13.5\t8.0\t30.0
red\t3\t2.5\t2.0\t4.0
amber\t4\t18.5\t18.0\t30.0
green\t3\t21.3\t10.0\t48.0
level-1\t1\t6.0\t6.0\t6.0
level-2\t4\t22.3\t19.0\t48.0
level-3\t3\t12.5\t12.0\t24.0
level-4\t2\t3.0\t3.0\t4.0
' >"$e2e_tmp/want"
same "turnaround: header row and every group as computed by hand"

run 0 "report turnaround --compare" md --as sue report turnaround \
	--from 2026-03-01 --to 2026-03-31 --compare 2026-01-01 2026-01-31
printf 'group\tcount\tmean_h\tmedian_h\tp90_h\tcount2\tmean_h2\tmedian_h2\tp90_h2\tchange_median_h\tchange_median_pct
all\t11\t13.5\t8.0\t30.0\t4\t30.5\t28.0\t60.0\t-20.0\t-71.4
red\t3\t2.5\t2.0\t4.0\t2\t7.0\t7.0\t8.0\t-5.0\t-71.4
amber\t4\t18.5\t18.0\t30.0\t1\t48.0\t48.0\t48.0\t-30.0\t-62.5
green\t3\t21.3\t10.0\t48.0\t1\t60.0\t60.0\t60.0\t-50.0\t-83.3
level-1\t1\t6.0\t6.0\t6.0\t0\t-\t-\t-\t-\t-
level-2\t4\t22.3\t19.0\t48.0\t1\t60.0\t60.0\t60.0\t-41.0\t-68.3
level-3\t3\t12.5\t12.0\t24.0\t2\t28.0\t28.0\t48.0\t-16.0\t-57.1
level-4\t2\t3.0\t3.0\t4.0\t1\t6.0\t6.0\t6.0\t-3.0\t-50.0
' >"$e2e_tmp/want"
same "turnaround --compare: the second period and the change beside the first"

run 0 "report repeats, March" md --as sue report repeats --from=2026-03-01 \
	--to=2026-03-31
printf 'group\treferrals\trepeats\trepeat_pct\tsame_child\tsame_household
all\t12\t4\t33.3\t3\t1
red\t3\t1\t33.3\t1\t0
amber\t5\t2\t40.0\t1\t1
green\t3\t1\t33.3\t1\t0
level-1\t1\t0\t0.0\t0\t0
level-2\t4\t1\t25.0\t0\t1
level-3\t4\t1\t25.0\t1\t0
level-4\t2\t1\t50.0\t1\t0
' >"$e2e_tmp/want"
same "repeats: the repeat-referral rate as computed by hand"

run 0 "report outcomes, March" md --as sue report outcomes --from 2026-03-01 \
	--to 2026-03-31
check "outcomes: header row" sh -c "head -1 '$e2e_tmp/out' | grep -qx 'by	code	count	pct'"
check "outcomes: neglect 4 of 11 decisions" grep -qx 'category	neglect	4	36.4' "$e2e_tmp/out"
check "outcomes: s47 2 of 11" grep -qx 'outcome	s47	2	18.2' "$e2e_tmp/out"

run 0 "report agencies (all time)" md --as sue report agencies
check "agencies: header row" sh -c "head -1 '$e2e_tmp/out' | grep -qx 'agency	count	mean_h	median_h	p90_h	late	late_pct	open	open_late'"
check "agencies: no checks yet, so '-' figures" grep -qx 'police	0	-	-	-	0	-	0	0' "$e2e_tmp/out"

# ---- report contacts: the front door ---------------------------------------------

run 0 "report contacts, March (report.csv)" md --as sue report contacts \
	--from 2026-03-01 --to 2026-03-31
printf 'figure\tcount\tpct
contacts\t15\t100.0
referrals\t12\t80.0
closed\t2\t13.3
closed-nfa\t1\t6.7
closed-advice\t1\t6.7
closed-early-help\t0\t0.0
closed-allocated\t0\t0.0
open\t1\t6.7
re-referrals\t3\t25.0
' >"$e2e_tmp/want"
same "contacts: M1-M12 are referrals, C1-C3 contacts; the re-referrals are the repeats' same child"

run 0 "a hub with the contacts dataset" md2 init --training --name "Front Door MASH"
run 0 "... its supervisor" md2 user add sue --name "Sue Lindqvist" --agency csc \
	--role supervisor
run 0 "... and a practitioner" md2 user add pat --name "Pat Okafor" --agency police \
	--role practitioner
run 0 "import contacts.csv (its stage column)" md2 --as sue import "$contacts"
run 0 "report contacts, April, --compare March" md2 --as sue report contacts \
	--from 2026-04-01 --to 2026-04-30 --compare 2026-03-01 2026-03-31
printf 'figure\tcount\tpct\tcount2\tpct2
contacts\t19\t100.0\t4\t100.0
referrals\t11\t57.9\t2\t50.0
closed\t6\t31.6\t2\t50.0
closed-nfa\t1\t5.3\t1\t25.0
closed-advice\t3\t15.8\t0\t0.0
closed-early-help\t1\t5.3\t1\t25.0
closed-allocated\t1\t5.3\t0\t0.0
open\t2\t10.5\t0\t0.0
re-referrals\t5\t45.5\t0\t0.0
' >"$e2e_tmp/want"
same "contacts --compare: every figure as computed by hand, both periods"
run 0 "report contacts, all time" md2 --as sue report contacts
check "all time: 18 of 29 contacts became referrals" grep -qx 'referrals	18	62.1' "$e2e_tmp/out"
check "all time: 5 re-referrals of 18 referrals" grep -qx 're-referrals	5	27.8' "$e2e_tmp/out"
run 77 "a practitioner may not run report contacts" md2 --as pat report contacts
run 0 "export April from the contacts hub" md2 --as sue export --from 2026-04-01 --to 2026-04-30
check "export: the 11 referrals and a header, no contact" test "$(wc -l <"$e2e_tmp/out")" -eq 12
check "export: the open contact A8 (R000017) is not in the return" sh -c "! grep -q R000017 '$e2e_tmp/out'"
check "export: the closed contact A6 (R000015) is not in the return" sh -c "! grep -q R000015 '$e2e_tmp/out'"
check "export: the open referral A7 (R000016) is" grep -q "^training,Front Door MASH,R000016," "$e2e_tmp/out"

# ---- report: usage errors and refusals -------------------------------------------

run 0 "report --help" md report --help
check "report --help names the reports" grep -q "turnaround" "$e2e_tmp/out"
run 64 "an unknown report is a usage error" md --as sue report backlog
check "... naming the reports there are" grep -q "turnaround, agencies, outcomes, repeats, contacts or feedback" "$e2e_tmp/err"
run 64 "a report name is required" md --as sue report
run 64 "a bad --from date" md --as sue report turnaround --from 2026-02-30
check "... names --from" grep -q -- "--from: '2026-02-30' is not a date" "$e2e_tmp/err"
run 64 "a bad --to date" md --as sue report turnaround --to 31/03/2026
run 64 "--from after --to" md --as sue report turnaround --from 2026-04-01 --to 2026-03-01
run 64 "--compare needs two dates" md --as sue report turnaround --compare 2026-01-01
run 64 "--compare is for turnaround and contacts" md --as sue report repeats --compare 2026-01-01 2026-01-31
run 64 "an unknown option" md --as sue report turnaround --frob
run 77 "a practitioner may not run reports" md --as pat report turnaround
check "... and is told who may" grep -q "only supervisors and admins may run reports" "$e2e_tmp/err"
run 0 "a trainer may run reports on a training hub" md --as tia report repeats

# ---- export ------------------------------------------------------------------------

out=$e2e_tmp/march.csv
run 0 "export March to a file" md --as sue export --from 2026-03-01 --to 2026-03-31 --output "$out"
check "export: a header row and 12 referrals" test "$(wc -l <"$out")" -eq 13
check "export: the header names hub_mode and the CIN codes" \
	sh -c "head -1 '$out' | tr -d '\r' | grep -qx 'hub_mode,hub,ref,received,child,dob,dob_estimated,gender,source,cin_source,category,cin_primary_need,rag,level,status,decided,outcome,checks'"
check "export: every row says training" sh -c "tail -n +2 '$out' | cut -d, -f1 | sort -u | grep -qx training"
check "export: M4 is coded 5C (another authority)" grep -q '^training,Report MASH,R000010,.*,la-external,5C,neglect,N1,' "$out"
check "export: the file is not readable by others" sh -c "test \$(stat -c %a '$out') = 600"
run 73 "export refuses to overwrite the file" md --as sue export --from 2026-03-01 --to 2026-03-31 --output "$out"
check "... saying --force replaces it" grep -q "already exists; refusing to overwrite it (--force replaces it)" "$e2e_tmp/err"
run 0 "export --force replaces it" md --as sue export --from 2026-03-01 --to 2026-03-31 --output "$out" --force
run 0 "export to a pipe" md --as sue export --from 2026-03-01 --to 2026-03-01
check "export to a pipe: the header and M1" test "$(wc -l <"$e2e_tmp/out")" -eq 2
run 64 "export needs --to" md --as sue export --from 2026-03-01 --output "$e2e_tmp/x.csv"
run 77 "a practitioner may not export" md --as pat export --from 2026-03-01 --to 2026-03-31 --output "$e2e_tmp/pat.csv"
check "... and no file is written" test ! -e "$e2e_tmp/pat.csv"
run 77 "nor may a trainer" md --as tia export --from 2026-03-01 --to 2026-03-31 --output "$e2e_tmp/tia.csv"
if command -v sqlite3 >/dev/null 2>&1; then
	check "three exports audited" test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'export'")" -eq 3
	check "the refused exports audited" test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'refused' AND detail LIKE '%export referrals%'")" -eq 2
fi
run 0 "the audit chain is intact after exports" md --as sue audit verify

# ---- the desk: the reports screen ----------------------------------------------------

[ -n "$TMUX_BIN" ] && command -v "$TMUX_BIN" >/dev/null 2>&1 || {
	diag "tmux not installed: desk checks skipped"
	done_testing
}

tm_start 80 24 xterm-256color env TZ=UTC "$MASHDESK" --db "$db" --as sue report turnaround
check "on a terminal: an aligned table" tm_wait "group    count  mean_h  median_h  p90_h"
check "... every group aligned (all time)" tm_wait "level-2      5    29.8      30.0   60.0"

tm_start 80 24 xterm-256color env TZ=UTC "$MASHDESK" --db "$db2" --as sue report contacts --from 2026-04-01 --to 2026-04-30
check "on a terminal: report contacts aligned" tm_wait "figure             count    pct"
check "... every figure right-aligned" tm_wait "re-referrals           5   45.5"

tm_start 80 24 xterm-256color env TZ=UTC "$MASHDESK" --db "$db" --as sue
check "xterm: the queue names R Reports" tm_wait "R Reports"
tm_keys R
check "xterm: the reports screen opens on turnaround" tm_wait "[Turnaround]"
check "xterm: turnaround bars in block characters" tm_wait "level-2      5    30.0    29.8    60.0  ████"
check "xterm: the sparklines are labelled" tm_wait "Referrals received"
check "xterm: the key bar names the period and Tab" tm_wait "p Period"
tm_keys Tab
check "xterm: Tab moves to the agencies" tm_wait "[Agencies]"
tm_keys Tab
check "xterm: then the outcomes" tm_wait "[Outcomes]"
check "xterm: outcomes with their shares" tm_wait "neglect"
tm_keys BTab BTab BTab
check "xterm: Shift-Tab back round to the feedback" tm_wait "[Feedback]"
check "xterm: feedback to referrers by kind" tm_wait "Acknowledgements ("
tm_keys BTab
check "xterm: Shift-Tab back to the contacts" tm_wait "[Contacts]"
check "xterm: contacts received, all time" tm_wait "Contacts received up to"
check "xterm: contacts taken in, with a bar" tm_wait "Contacts taken in               22  100.0  █"
check "xterm: the conversion rate" tm_wait "Referrals (conversion rate)     19   86.4  █"
check "xterm: closed at screening by outcome" tm_wait "  advice                         1    4.5  █"
check "xterm: the contact still waiting" tm_wait "Still open (not screened)        1    4.5"
check "xterm: re-referrals as a share of referrals" tm_wait "Re-referrals in 12 months        3   15.8  █"
check "xterm: the national figure beside it" tm_wait "England 2024: 22% of referrals were re-referrals."
tm_keys BTab
check "xterm: Shift-Tab back to the repeats" tm_wait "[Repeats]"
check "xterm: repeats drawn as bars" tm_wait "amber        6     2   33.3     1     1  █"
tm_keys p
check "xterm: p changes the period" tm_wait "(last 4 weeks)"
tm_keys '?'
check "xterm: help explains the figures" tm_wait "The figures"
tm_keys Escape Escape
check "xterm: Esc goes back to the queue" tm_wait "Enter Open"
tm_keys q
check "xterm: q quits" tm_wait "E2E-EXITED rc=0"

tm_start 80 24 vt100 env TZ=UTC NCURSES_NO_UTF8_ACS=1 "$MASHDESK" --db "$db" --as sue
check "vt100: the queue shows" tm_wait "R Reports"
tm_keys R
check "vt100: the reports screen opens" tm_wait "[Turnaround]"
check "vt100: ASCII bars" tm_wait "level-2      5    30.0    29.8    60.0  ####"
check "vt100: no block characters" tm_lacks "█"
tm_keys BTab BTab
check "vt100: Shift-Tab goes round by the feedback to the contacts" tm_wait "[Contacts]"
check "vt100: contacts in ASCII bars" tm_wait "Referrals (conversion rate)     19   86.4  ###"
tm_keys Escape q
check "vt100: q quits" tm_wait "E2E-EXITED rc=0"

tm_start 80 24 xterm-256color env TZ=UTC "$MASHDESK" --db "$db" --as pat
check "practitioner: the queue shows" tm_wait "Enter Open"
check "practitioner: no R Reports in the key bar" tm_lacks "R Reports"
tm_keys R
check "practitioner: R is refused, saying who may" tm_wait "only supervisors and admins may run reports"
tm_keys q
check "practitioner: q quits" tm_wait "E2E-EXITED rc=0"

done_testing
