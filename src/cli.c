/* cli.c - the command line: global options, the one table of commands,
 * help, and the output conventions every command shares.
 *
 *   mashdesk [-d|--db PATH] [-c|--config FILE] [-u|--as LOGIN] [COMMAND [ARGS]]
 *
 * Exit codes are <sysexits.h>; every failure prints one line on stderr. */
#include "cli_internal.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/cli.h"
#include "mashdesk/desk.h"
#include "mashdesk/privilege.h"
#include "mashdesk/text.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/mashdesk"
#endif
#ifndef SOURCE_DATADIR
#define SOURCE_DATADIR ""
#endif
#ifndef HUB_GROUP
#define HUB_GROUP "mashdesk"
#endif

static const struct cli_command commands[] = {
	{ "desk", "", "open the full-screen desk (the default)", "", cli_cmd_desk },
	{ "init", "[--training] [--name HUBNAME] [--group GROUP]",
	  "create a new hub database; you become its admin",
	  "  --training       a training hub (fictional data, --as allowed)\n"
	  "  --name HUBNAME   the hub's name (default: [hub] name, or MASH)\n"
	  "  --group GROUP    this Unix group owns the file (mode 0660); keep\n"
	  "                   its directory setgid.  The hub the system\n"
	  "                   configuration names gets the group mashdesk is\n"
	  "                   installed setgid to (" HUB_GROUP "), its directory\n"
	  "                   made too (2770): root's job\n",
	  cli_cmd_init },
	{ "demo", "[--reset] [--no-desk]",
	  "open (creating if needed) a demo training hub full of fictional referrals",
	  "  --reset          throw the demo hub away and build it afresh\n"
	  "  --no-desk        create the hub but do not open the desk\n"
	  "  Default path: $XDG_DATA_HOME/mashdesk/demo.db; --as picks the demo\n"
	  "  user (default demo-sup, a supervisor).\n",
	  cli_cmd_demo },
	{ "generate", "--referrals N [--seed S] [--years Y]",
	  "fill a training hub with N generated referrals (creates it if missing)",
	  "  --referrals N    how many referrals (1..10000000)\n"
	  "  --seed S         the random seed (same seed, same data; default 1)\n"
	  "  --years Y        spread over the last Y years (default 30)\n",
	  cli_cmd_generate },
	{ "doctor", "", "check the hub's health and say how to fix what is wrong",
	  "  Reports the filesystem, permissions, journal mode, WAL size, a\n"
	  "  two-process lock test, integrity, foreign keys, stale leases and\n"
	  "  the newest copy in [backup] dir.\n"
	  "  Exit status 0 when healthy, else the code of the first problem.\n",
	  cli_cmd_doctor },
	{ "audit verify", "[--from ID:HASH]", "check the audit log's hash chain",
	  "  Exit 0 when every row is intact; 65 naming the first row that was\n"
	  "  edited or deleted.\n"
	  "  --from ID:HASH   an anchor `audit head` printed earlier and kept\n"
	  "                   elsewhere: row ID must still carry HASH, so history\n"
	  "                   up to it cannot have been rewritten (65 if it was)\n",
	  cli_cmd_audit_verify },
	{ "audit head", "", "the newest audit row's id and hash, as ID:HASH",
	  "  One line, ID:HASH, to keep outside the hub (send it to a log\n"
	  "  server daily) and give back to `audit verify --from`.\n",
	  cli_cmd_audit_head },
	{ "audit show", "REF", "who saw and did what on a referral (supervisors)",
	  "  Tab-separated when stdout is not a terminal:\n"
	  "  at login host tty action detail\n", cli_cmd_audit_show },
	{ "user add", "LOGIN --name NAME --agency CODE --role ROLE [--inactive]",
	  "add a user (admins)",
	  "  --name NAME      full name\n"
	  "  --agency CODE    police csc health education probation housing\n"
	  "                   (optional for admins and trainers)\n"
	  "  --role ROLE      practitioner supervisor trainer admin\n"
	  "  --inactive       add the user deactivated\n",
	  cli_cmd_user_add },
	{ "user list", "", "list users: login name agency role active", "",
	  cli_cmd_user_list },
	{ "referral add", "--child NAME --dob YYYY-MM-DD --concern TEXT [OPTIONS]",
	  "take in a referral; prints its reference",
	  "  --child NAME         the child's name\n"
	  "  --dob YYYY-MM-DD     date of birth (or expected date with --expected)\n"
	  "  --concern TEXT       what happened\n"
	  "  --category CODE      type of harm: neglect physical sexual emotional\n"
	  "                       domestic-abuse cse cce parental-mental-health\n"
	  "                       substance-misuse other\n"
	  "  --source CODE        source of referral (school, gp, police, family, ...)\n"
	  "  --rag red|amber|green\n"
	  "  --level 1-4          level of need\n"
	  "  --referrer TEXT      who referred\n"
	  "  --aliases A;B        other names the child is known by\n"
	  "  --address TEXT  --school TEXT  --gp TEXT  --nhs-number NNNNNNNNNN\n"
	  "  --received TIME      ISO 8601 (default now)\n"
	  "  --expected           --dob is an unborn child's expected date\n"
	  "  --consent given|refused|not-sought  --consent-reason TEXT\n"
	  "  --person 'NAME;RELATIONSHIP[;YYYY-MM-DD][;pr][;perpetrator][;elsewhere]'\n"
	  "                       a household member or significant adult (repeatable)\n",
	  cli_cmd_referral_add },
	{ "referral edit", "REF [OPTIONS]",
	  "correct a referral's details; prints how many fields changed",
	  "  Options not given keep what is recorded; an empty value clears one.\n"
	  "  --child NAME  --dob YYYY-MM-DD  --expected | --not-expected\n"
	  "  --aliases A;B  --gender TEXT  --ethnicity TEXT  --language TEXT\n"
	  "  --interpreter yes|no  --disability TEXT  --address TEXT\n"
	  "  --previous-address TEXT  --school TEXT  --gp TEXT\n"
	  "  --nhs-number NNNNNNNNNN  --upn TEXT  --allocated-worker NAME\n"
	  "  --referrer TEXT  --referrer-role TEXT  --referrer-agency TEXT\n"
	  "  --referrer-contact TEXT  --source CODE\n"
	  "  --concern TEXT  --impact TEXT  --tried TEXT  --strengths TEXT\n"
	  "  --category CODE\n"
	  "  --parents-aware yes|no|unknown  --consent given|refused|not-sought\n"
	  "  --consent-reason TEXT\n"
	  "  --person 'NAME;RELATIONSHIP[;YYYY-MM-DD][;pr][;perpetrator][;elsewhere]'\n"
	  "                       the household as it is (repeatable; replaces it)\n"
	  "  --no-people          nobody in the household\n"
	  "  Refused (65) once the referral is decided or closed, and (75) while\n"
	  "  someone edits its details at a desk.  Each change is audited.\n",
	  cli_cmd_referral_edit },
	{ "import", "FILE.csv",
	  "add referrals from CSV, all rows or none",
	  "  Header row names the columns, in any order.  Required: child, dob,\n"
	  "  concern.  Optional: rag level category source referrer received\n"
	  "  aliases address school gp nhs_number decided outcome (and more, see\n"
	  "  mashdesk(1)).\n",
	  cli_cmd_import },
	{ "queue", "[--mine|--unassigned|--overdue|--all|--checks|--feedback] [--limit N] [--search TEXT] [--decided]",
	  "list referrals, most urgent first",
	  "  --mine --unassigned --overdue --all   which referrals (default --all)\n"
	  "  --checks         your agency's checks still to do, late first, then\n"
	  "                   by their due time; two more columns at the end:\n"
	  "                   check_due check_late\n"
	  "  --feedback       referrals and contacts, open or not, whose referrer\n"
	  "                   is still owed feedback, in the order it falls due\n"
	  "  Every row ends with feedback_due feedback_kind feedback_late: the\n"
	  "  earliest feedback still owed to the referrer (empty: none).\n"
	  "  --limit N        at most N rows\n"
	  "  --search TEXT    by child name, alias or reference\n"
	  "  --decided        include decided referrals (newest first)\n"
	  "  Tab-separated with a header row when stdout is not a terminal.\n",
	  cli_cmd_queue },
	{ "show", "REF", "everything you may see of one referral", "", cli_cmd_show },
	{ "claim", "REF", "take an unassigned referral", "", cli_cmd_claim },
	{ "assign", "REF LOGIN --reason TEXT", "assign a referral (supervisors)",
	  "  --reason TEXT    why (kept with the assignment)\n", cli_cmd_assign },
	{ "check", "REF --status STATUS [OPTIONS]",
	  "record your own agency's check on a referral",
	  "  --status requested|in-progress|complete|nothing-known\n"
	  "  --info TEXT      what your agency shares\n"
	  "  --basis CODE     lawful basis: public-task legal-obligation\n"
	  "                   vital-interests legitimate-interests consent safeguarding\n"
	  "  --consent given|refused|not-sought  --consent-reason TEXT\n"
	  "  --handling shareable|conditional|restricted (default shareable)\n",
	  cli_cmd_check },
	{ "decide", "REF --outcome CODE --rationale TEXT [OPTIONS]",
	  "record the joint decision",
	  "  --outcome CODE   nfa advice early-help s17 s47 immediate-protection\n"
	  "  --rationale TEXT why\n"
	  "  --rag red|amber|green  --level 1-4\n"
	  "  --agencies LIST  agencies taking part, comma-separated\n"
	  "  --feedback TEXT  what the referrer is told\n"
	  "  --action 'WHAT;OWNER;YYYY-MM-DD'   a next action (repeatable)\n",
	  cli_cmd_decide },
	{ "screen", "REF --rag RAG --reason TEXT [--level 1-4] --request AGENCY[,AGENCY...] | REF --close OUTCOME --reason TEXT",
	  "screen a contact: progress it to the hub's checks, or close it",
	  "  Progress it (a referral from then on), asking agencies for checks:\n"
	  "  --rag red|amber|green   its RAG rating\n"
	  "  --level 1-4      its level of need (optional)\n"
	  "  --request LIST   the agencies to ask, comma-separated (police,health);\n"
	  "                   each check's clock starts now, by the RAG's timescale\n"
	  "  Or close it at screening:\n"
	  "  --close nfa|advice|early-help|allocated   (allocated: passed to the\n"
	  "                   child's allocated social worker, when there is one)\n"
	  "  --reason TEXT    why (required either way; kept and audited)\n"
	  "  Screened already: 65 if by you, 75 naming who if by someone else.\n"
	  "  Children's social care (or [permissions] screen_agencies).\n",
	  cli_cmd_screen },
	{ "request", "REF AGENCY[,AGENCY...] [--reason TEXT]",
	  "ask more agencies for their checks on a referral",
	  "  AGENCY           police csc health education probation housing,\n"
	  "                   comma-separated; all are asked or none\n"
	  "  --reason TEXT    why (kept with each check)\n"
	  "  A contact is screened first.  An agency asked already: 65 if by\n"
	  "  you, 75 naming who if by someone else.\n",
	  cli_cmd_request },
	{ "rate", "REF --rag red|amber|green --reason TEXT",
	  "change the RAG rating of an open contact or referral, saying why",
	  "  --rag red|amber|green   the new rating\n"
	  "  --reason TEXT    why (kept in the ratings timeline and audited)\n"
	  "  Raising it brings the decision's and the open checks' due times\n"
	  "  forward to the new RAG's timescales from now (never later);\n"
	  "  lowering it keeps them.  See mashdesk(1).\n",
	  cli_cmd_rate },
	{ "strategy", "REF --held TIME --how meeting|call|video --attended AGENCY:LOGIN[,AGENCY:LOGIN...] --summary TEXT --decision s47-single|s47-joint|no-s47 [OPTIONS]",
	  "record a strategy discussion on a referral",
	  "  --held TIME      when it was held: YYYY-MM-DDTHH:MM (local time) or\n"
	  "                   now; not in the future, not before the referral\n"
	  "  --how meeting|call|video\n"
	  "  --attended LIST  who took part, AGENCY:LOGIN comma-separated\n"
	  "                   (police:pat,csc:sam,health:hana); someone without a\n"
	  "                   login by name in words (health:Ada Lane); repeatable.\n"
	  "                   police, csc and health must take part, or:\n"
	  "  --missing-reason TEXT   why a required agency did not\n"
	  "  --summary TEXT   the information shared\n"
	  "  --decision s47-single|s47-joint|no-s47   a section 47 enquiry by\n"
	  "                   children's social care alone, jointly with police,\n"
	  "                   or none\n"
	  "  --instead TEXT   with no-s47 (required): what happens instead\n"
	  "  --action 'WHAT;OWNER;YYYY-MM-DD'   an action (repeatable)\n"
	  "  --reconvene      another discussion is due within [timescales]\n"
	  "                   strategy_hours of this one\n"
	  "  A required agency missing: 65 naming it.  See mashdesk(1).\n",
	  cli_cmd_strategy },
	{ "feedback letter", "REF [--kind acknowledgement|outcome] [--output FILE]",
	  "print the referrer's letter from the hub's template",
	  "  --kind KIND      acknowledgement or outcome (default: the outcome\n"
	  "                   once decided or closed at screening)\n"
	  "  --output FILE    write it to a new FILE (never over one) instead\n"
	  "  The template is [feedback] letter_template (default the installed\n"
	  "  letter.txt); its placeholders are in mashdesk.ini(5).  An unknown\n"
	  "  placeholder is 65 naming it and its line.  Audited.\n",
	  cli_cmd_feedback_letter },
	{ "feedback", "REF --kind acknowledgement|outcome --method METHOD --text TEXT",
	  "record feedback given to the referrer",
	  "  --kind acknowledgement|outcome   what they were told: that the\n"
	  "                   contact arrived, or the outcome (once decided or\n"
	  "                   closed at screening)\n"
	  "  --method phone|email|letter|portal\n"
	  "  --text TEXT      what they were told (at most 2000 bytes); a text\n"
	  "                   repeating an agency's restricted entry is refused\n"
	  "  Stops that kind's clock ([timescales] feedback_*_hours).\n",
	  cli_cmd_feedback },
	{ "consent override", "REF AGENCY --reason TEXT",
	  "override an agency's recorded consent refusal (supervisors)",
	  "  --reason TEXT    why the information must be shared without\n"
	  "                   consent (kept with the check and audited)\n",
	  cli_cmd_consent_override },
	{ "report", "NAME [--from DATE] [--to DATE] [--compare FROM2 TO2]",
	  "the hub's figures: turnaround, agencies, outcomes, repeats, contacts, feedback",
	  "  NAME             turnaround  receipt to decision by RAG and level\n"
	  "                   agencies    each agency's check response times\n"
	  "                   outcomes    decisions by outcome and by category\n"
	  "                   repeats     the repeat-referral rate (12 months)\n"
	  "                   contacts    contacts, referrals, the conversion rate,\n"
	  "                               closed at screening, re-referrals\n"
	  "                   feedback    feedback to referrers given on time,\n"
	  "                               by kind (clocks started in the period)\n"
	  "  --from DATE      referrals received on or after DATE (YYYY-MM-DD)\n"
	  "  --to DATE        ... and on or before DATE (default: all time)\n"
	  "  --compare FROM2 TO2  turnaround, contacts: a second period beside\n"
	  "                   the first\n"
	  "  Hours with one decimal; median and 90th percentile (nearest rank)\n"
	  "  as defined in mashdesk(1).  Tab-separated with a header row when\n"
	  "  stdout is not a terminal.  Supervisors and admins.\n",
	  cli_cmd_report },
	{ "export", "--from DATE --to DATE [--output FILE] [--force]",
	  "CSV of referrals and decisions with children-in-need codes",
	  "  --from DATE --to DATE  referrals received in this period (inclusive;\n"
	  "                   contacts closed at screening or not yet screened\n"
	  "                   are not in the return)\n"
	  "  --output FILE    write here (default: standard output, not a terminal)\n"
	  "  --force          replace an existing FILE\n"
	  "  Restricted agency entries are never included; every export is\n"
	  "  audited.  Supervisors and admins.\n",
	  cli_cmd_export },
	{ "subject-access", "--child NAME --dob YYYY-MM-DD [--aliases A;B] [--output FILE] [--force]",
	  "everything held about a child, for review before disclosure",
	  "  --child NAME     the child's name as the requester gives it\n"
	  "  --dob DATE       the child's date of birth (YYYY-MM-DD)\n"
	  "  --aliases A;B    other names the requester gives, ';'-separated\n"
	  "  --output FILE    write here (default: standard output); refused\n"
	  "                   if FILE exists (73)\n"
	  "  --force          replace an existing FILE\n"
	  "  Finds every contact and referral of the child by name and date of\n"
	  "  birth, as a name or an alias (never by address), and writes each\n"
	  "  record's sections as plain text, marking restricted entries and\n"
	  "  third parties' information for the reviewer.  Nothing found is an\n"
	  "  answer: exit 0, the document says the hub holds nothing.  Audited.\n"
	  "  Supervisors.\n",
	  cli_cmd_subject_access },
	{ "backup verify", "FILE [--identity KEYFILE]",
	  "check a backup copy: a whole, intact hub",
	  "  FILE             a copy `mashdesk backup` made (an age file needs\n"
	  "                   --identity)\n"
	  "  --identity KEYFILE  the age private key, to decrypt an encrypted\n"
	  "                   copy beside itself for the check (then removed);\n"
	  "                   on a host that holds the key, never the hub host\n"
	  "  Checks integrity, foreign keys, the audit chain and the hub record,\n"
	  "  changing nothing; prints what it found (tab-separated when stdout\n"
	  "  is not a terminal).  65 naming what is wrong.  A PostgreSQL hub's\n"
	  "  dump: pg_restore --list (a whole archive with the hub's tables).\n",
	  cli_cmd_backup_verify },
	{ "backup", "[FILE | --dir DIR] [--keep N] [--encrypt RECIPIENT] [--force]",
	  "a checked copy of the hub, taken while desks work (admins)",
	  "  FILE             write the copy here (refused if it exists)\n"
	  "  --dir DIR        ... or into DIR, named HUB-YYYYMMDDTHHMMSSZ.db\n"
	  "                   (UTC); with neither, [backup] dir\n"
	  "  --keep N         then keep the newest N copies of this hub in the\n"
	  "                   directory (default [backup] keep; 0 = all)\n"
	  "  --encrypt RECIPIENT  encrypt the copy with age to this public key\n"
	  "                   (the plain copy never stays; the private key\n"
	  "                   belongs off the hub host)\n"
	  "  --force          replace an existing FILE\n"
	  "  The copy is the hub as it stood when the backup began, checked\n"
	  "  (integrity, foreign keys, audit chain) before it is put in place;\n"
	  "  an interrupted backup leaves nothing there.  Prints the copy's\n"
	  "  path.  On a hub host copies go only to [backup] dir (77 elsewhere).\n"
	  "  On PostgreSQL: pg_dump --format=custom, checked with pg_restore\n"
	  "  --list (69 without the PostgreSQL client programs).\n",
	  cli_cmd_backup },
	{ "restore", "FILE --to PATH [--identity KEYFILE] [--group GROUP]",
	  "make a working hub at a new PATH from a backup copy",
	  "  FILE             the copy (checked first, as backup verify does)\n"
	  "  --to PATH        the new hub: refused if anything is there (73);\n"
	  "                   for a PostgreSQL hub's dump, an empty database's\n"
	  "                   postgresql:// address (pg_restore)\n"
	  "  --identity KEYFILE  the age private key for an encrypted copy\n"
	  "  --group GROUP    this Unix group owns the new hub (mode 0660); the\n"
	  "                   path the system configuration names gets the hub's\n"
	  "                   group, as with init\n"
	  "  Runs with your own rights; the restore is recorded in the new hub's\n"
	  "  audit log.  Prints PATH.\n",
	  cli_cmd_restore },
	{ "transfer out", "REF --to HUBNAME --reason TEXT --output FILE",
	  "send a referral to another hub as a bundle file; it closes here",
	  "  --to HUBNAME     the receiving hub's name, as its [hub] name says\n"
	  "  --reason TEXT    why the case moves (kept with it and audited)\n"
	  "  --output FILE    the bundle to write (refused if it exists: 73)\n"
	  "  The bundle carries the child, household, aliases, checks,\n"
	  "  decision, actions, ratings, strategy discussions and feedback,\n"
	  "  never a restricted entry's text, with this hub's name and mode,\n"
	  "  the time and a SHA-256 of it all.\n"
	  "  The referral closes here as transferred, in the same step;\n"
	  "  on any failure nothing changes and no FILE is left.  Prints\n"
	  "  ref, hub, FILE and the SHA-256.  Supervisors (and trainers on a\n"
	  "  training hub).\n",
	  cli_cmd_transfer_out },
	{ "transfer in", "FILE",
	  "take in a referral another hub transferred: a new contact",
	  "  FILE             a bundle `transfer out` wrote, addressed to this hub\n"
	  "  Checked whole before anything changes: a damaged, changed or\n"
	  "  foreign file is 65; one taken in before is 73 naming the referral\n"
	  "  it became; from a training hub into a live one, or the reverse,\n"
	  "  77.  The new contact is marked transferred from HUB REF, its\n"
	  "  clocks start now, and the sending hub's history is kept beside\n"
	  "  it (`show`).  Prints the new ref, the sending hub, its ref there\n"
	  "  and the SHA-256.  Supervisors (and trainers on a training hub).\n",
	  cli_cmd_transfer_in },
	{ "retention run", "",
	  "remove the records the hub's [retention] policy says are due (admins)",
	  "  Removes each record `retention --dry-run` lists, one short\n"
	  "  transaction each while desks work, leaving a tombstone in the\n"
	  "  audit log (reference, rule, dates: no personal data).  Search,\n"
	  "  prior history, reports and exports then behave as if it never was.\n"
	  "  Prints how many were removed.  A record someone is editing is\n"
	  "  kept for the next run: 75 naming it (the rest are removed).\n",
	  cli_cmd_retention_run },
	{ "retention", "--dry-run [--as-of DATE]",
	  "list the records due to go under the hub's [retention] policy, and why",
	  "  --dry-run        required: list, change nothing\n"
	  "  --as-of DATE     as it will stand at DATE (YYYY-MM-DD or a time;\n"
	  "                   default now)\n"
	  "  One line per record, oldest due first: reference, kind/outcome\n"
	  "  (contact-closed, no-further, assessed), the rule that applies\n"
	  "  and the date it became due (UTC).  Held and open records are\n"
	  "  never listed.  Tab-separated with a header row when stdout is not\n"
	  "  a terminal.  Admins (trainers on a training hub).\n",
	  cli_cmd_retention },
	{ "hold", "REF --reason TEXT [--lift]",
	  "put a referral on legal hold, or lift its hold (supervisors)",
	  "  --reason TEXT    why (kept with the hold and audited)\n"
	  "  --lift           lift the hold instead (the hold stays in its\n"
	  "                   history); retention then applies again\n"
	  "  A held referral is never removed by `retention run`.  Held\n"
	  "  already: 65 if by you, 75 naming who if by someone else.\n",
	  cli_cmd_hold },
	{ "signoff", "REF", "sign off a decision awaiting sign-off (supervisors "
	  "other than its decider)",
	  "  With [decision] two_person_rule = yes a decision waits in status\n"
	  "  signoff until another supervisor signs it off.\n", cli_cmd_signoff },
	{ "sendback", "REF --comment TEXT",
	  "send a decision awaiting sign-off back for a new one (supervisors)",
	  "  --comment TEXT   why (shown on the referral and its decision form)\n",
	  cli_cmd_sendback },
	{ "board", "", "the workload board: who holds what, and what is overdue",
	  "  One row for the unassigned pile, then one per practitioner and\n"
	  "  supervisor by agency: open, overdue, oldest due, late agency checks.\n"
	  "  Tab-separated with a header row when stdout is not a terminal.\n"
	  "  Supervisors (and trainers on a training hub).\n", cli_cmd_board },
	{ "chase mark", "REF AGENCY --note TEXT",
	  "record that you chased AGENCY for its check on REF (supervisors)",
	  "  --note TEXT      how and whom you chased (shown on the chase list)\n",
	  cli_cmd_chase_mark },
	{ "chase", "[AGENCY] [--late]",
	  "agency checks still open (late first), to chase",
	  "  AGENCY           one agency's checks (default: every agency)\n"
	  "  --late           only those past their due time\n"
	  "  Tab-separated with a header row when stdout is not a terminal.\n",
	  cli_cmd_chase },
	{ "scenario load", "FILE|NAME [--force] [--name HUBNAME]",
	  "make a fresh training hub at --db from a practice scenario (trainers)",
	  "  FILE             a scenario file (mashdesk-scenario(5)), or the short\n"
	  "                   name of a shipped one (quiet-morning, domestic-abuse,\n"
	  "                   repeat-neglect) from $MASHDESK_SCENARIO_DIR or\n"
	  "                   " PKGDATADIR "/scenarios\n"
	  "  --force          replace an existing training hub (never a live one)\n"
	  "  --name HUBNAME   the hub's name (default: the scenario's name)\n"
	  "  You become the new hub's admin; the scenario's users can then act\n"
	  "  with --as.  A bad file: 65 naming file, section and key.\n",
	  cli_cmd_scenario_load },
	{ "scenario run", "[--speed X]",
	  "play the scenario's clock: referrals arrive at their offsets (trainers)",
	  "  --speed X        X times faster than real time (default 1); 0 lets\n"
	  "                   every referral arrive at once and exits\n"
	  "  Prints each arrival (tab-separated when stdout is not a terminal:\n"
	  "  offset ref key child); stops when all have arrived, or on Ctrl-C or\n"
	  "  SIGTERM, after which `scenario run` resumes where it stopped.\n",
	  cli_cmd_scenario_run },
	{ "scenario reset", "",
	  "start the exercise again: arrived referrals and all work go (trainers)",
	  "", cli_cmd_scenario_reset },
	{ "scenario status", "",
	  "the scenario's name, clock and arrivals (trainers)",
	  "  Lines of `field value` (tab-separated when not a terminal).\n",
	  cli_cmd_scenario_status },
	{ "scenario debrief", "",
	  "each trainee's decisions against the model answers (trainers)",
	  "  Tab-separated when stdout is not a terminal:\n"
	  "  trainee ref expected_rag actual_rag expected_outcome actual_outcome\n"
	  "  minutes_to_decision within_timescale score\n"
	  "  then a blank line and totals per trainee:\n"
	  "  trainee referrals decided rag_right outcome_right within_timescale\n"
	  "  score max_score\n"
	  "  Score per referral: right outcome 2, right RAG 1, decided within the\n"
	  "  timescale 1 (see mashdesk-scenario(5)).\n",
	  cli_cmd_scenario_debrief },
	{ "scenario records", "REF",
	  "what your agency's records show about a scenario referral (trainees)",
	  "  The scenario's [knows] for your agency: status, info, basis and\n"
	  "  handling, to record with `mashdesk check`.\n",
	  cli_cmd_scenario_records },
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

/* ---- messages ----------------------------------------------------------- */

void cli_data_path(const char *rel, const char *in_tree, char *out, size_t len)
{
	struct stat sb;
	char there[PATH_MAX];
	snprintf(out, len, "%s/%s", PKGDATADIR, rel);
	if (stat(out, &sb) == 0 || priv_untrusted() || !*SOURCE_DATADIR)
		return;
	snprintf(there, sizeof there, "%s/%s", SOURCE_DATADIR, in_tree);
	if (stat(there, &sb) == 0)
		snprintf(out, len, "%s", there);
}

int cli_fail(struct cli *c, int code, const char *fmt, ...)
{
	char msg[1024], safe[1100];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message may quote user input: never let it drive the terminal. */
	text_inert(safe, sizeof safe, msg, 1);
	if (c && c->cmd)
		fprintf(stderr, "mashdesk: %s: %s\n", c->cmd, safe);
	else
		fprintf(stderr, "mashdesk: %s\n", safe);
	return code;
}

int cli_fail_err(struct cli *c)
{
	int code = c->err.code ? c->err.code : EX_SOFTWARE;
	return cli_fail(c, code, "%s", c->err.msg[0] ? c->err.msg
						     : "internal error");
}

int cli_usage(struct cli *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->command)
		return cli_fail(c, EX_USAGE, "%s (usage: mashdesk %s %s)", msg,
				c->command->name, c->command->args);
	return cli_fail(c, EX_USAGE, "%s (see mashdesk --help)", msg);
}

void cli_print_command_help(const struct cli_command *cmd)
{
	printf("usage: mashdesk [--db PATH] [--config FILE] [--as LOGIN] %s%s%s\n\n"
	       "%s.\n", cmd->name, *cmd->args ? " " : "", cmd->args, cmd->summary);
	if (*cmd->help)
		printf("\n%s", cmd->help);
	printf("\nSee mashdesk(1) for exit codes and more.\n");
}

int cli_getopt(struct cli *c, int argc, char **argv,
	       const struct option *longopts)
{
	struct option all[40];
	int n = 0;
	for (; longopts && longopts[n].name && n < 38; n++)
		all[n] = longopts[n];
	all[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	all[n] = (struct option){ 0, 0, 0, 0 };
	opterr = 0;
	int ch = getopt_long(argc, argv, "h", all, NULL);
	if (ch == 'h') {
		cli_print_command_help(c->command);
		return CLI_HELP_SHOWN;
	}
	if (ch == '?') {
		if (optopt)
			cli_usage(c, "option -%c: unknown or missing its value", optopt);
		else
			cli_usage(c, "%s: unknown option or missing value",
				  argv[optind - 1]);
		return CLI_USAGE_ERROR;
	}
	if (ch == ':') {
		cli_usage(c, "%s: needs a value", argv[optind - 1]);
		return CLI_USAGE_ERROR;
	}
	return ch;
}

int cli_pair_and_text(struct cli *c, int argc, char **argv,
		      const char *option, const char *operands,
		      const char **first, const char **second, const char **text)
{
	const struct option opts[] = {
		{ option, required_argument, NULL, 't' }, { 0, 0, 0, 0 }
	};
	int ch;
	*text = NULL;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		if (ch != 't')
			return ch == CLI_HELP_SHOWN ? CLI_HELP_SHOWN : EX_USAGE;
		*text = optarg;
	}
	if (argc - optind < 2)
		return cli_usage(c, "%s are needed", operands);
	if (argc - optind > 2)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 2]);
	if (!*text)
		return cli_usage(c, "--%s is required", option);
	*first = argv[optind];
	*second = argv[optind + 1];
	return 0;
}

int cli_int(struct cli *c, const char *opt, const char *s, long min, long max,
	    long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return cli_fail(c, EX_DATAERR, "%s: '%s' is not a whole number "
				"from %ld to %ld", opt, s, min, max);
	*out = v;
	return 0;
}

/* ---- output ------------------------------------------------------------- */

void cli_put(struct cli *c, const char *s)
{
	if (!s)
		s = "";
	if (c->out_tty) {
		char safe[4096];
		text_inert(safe, sizeof safe, s, 1);
		fputs(safe, stdout);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\x%02x", *p);
			else
				putchar(*p);
		}
	}
}

void cli_put_col(struct cli *c, const char *s, int cols)
{
	char safe[4096], fit[4096];
	(void)c;
	text_inert(safe, sizeof safe, s ? s : "", 1);
	text_fit(fit, sizeof fit, safe, cols, 1, 0);
	fputs(fit, stdout);
}

/* ---- identity and the hub ------------------------------------------------- */

/* The real uid, never $USER or $LOGNAME: the caller sets those. */
int cli_unix_login(struct cli *c, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(getuid());
	if (!pw || !pw->pw_name || !*pw->pw_name)
		return cli_fail(c, EX_NOUSER, "cannot tell who you are: uid %ld "
				"has no login name", (long)getuid());
	snprintf(buf, len, "%s", pw->pw_name);
	return 0;
}

int cli_open_hub(struct cli *c, struct hub **hub)
{
	char login[MD_LOGIN_MAX];
	int status = hub_open(hub, c->db_path, &c->cfg, &c->err);
	if (status)
		return cli_fail_err(c);
	if (c->as_login)
		snprintf(login, sizeof login, "%s", c->as_login);
	else if ((status = cli_unix_login(c, login, sizeof login)))
		goto fail;
	status = hub_act_as(*hub, login, c->as_login != NULL, &c->err);
	if (status == 0)
		return 0;
	status = cli_fail_err(c);
fail:
	hub_close(*hub);
	*hub = NULL;
	return status;
}

/* --db, else $MASHDESK_DB, else [database] url or path, else the XDG
 * default. */
static int cli_resolve_db(struct cli *c)
{
	const char *p = c->db_opt;
	if (!p || !*p)
		p = getenv("MASHDESK_DB");
	if (!p || !*p)
		p = c->cfg.db_url[0] ? c->cfg.db_url
		  : c->cfg.db_path[0] ? c->cfg.db_path : NULL;
	if (p) {
		snprintf(c->db_path, sizeof c->db_path, "%s", p);
		return 0;
	}
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(c->db_path, sizeof c->db_path, "%s/mashdesk/hub.db", xdg);
	else if (home && *home)
		snprintf(c->db_path, sizeof c->db_path,
			 "%s/.local/share/mashdesk/hub.db", home);
	else
		return cli_fail(c, EX_USAGE, "no hub database named: use --db "
				"PATH, $MASHDESK_DB or [database] path or url");
	c->db_is_default = 1;
	return 0;
}

/* ---- dispatch ------------------------------------------------------------ */

static void cli_print_help(void)
{
	printf("usage: mashdesk [-d|--db PATH] [-c|--config FILE] [-u|--as LOGIN] "
	       "[COMMAND [ARGS]]\n\n"
	       "The desk of a Multi-Agency Safeguarding Hub.  With no command, "
	       "opens the desk.\n\nCommands:\n");
	for (int i = 0; i < NCOMMANDS; i++)
		printf("  %-17s %s\n", commands[i].name, commands[i].summary);
	printf("\nGlobal options:\n"
	       "  -d, --db PATH      the hub database (else $MASHDESK_DB, [database] "
	       "path,\n"
	       "                     or $XDG_DATA_HOME/mashdesk/hub.db)\n"
	       "  -c, --config FILE  configuration (else $MASHDESK_CONFIG, "
	       "$XDG_CONFIG_HOME/mashdesk/mashdesk.ini, %s/mashdesk/mashdesk.ini)\n"
	       "  -u, --as LOGIN     act as this user (training hubs only)\n"
	       "  -h, --help         this help; `mashdesk COMMAND --help` for one "
	       "command\n"
	       "  -V, --version      print the version\n\n"
	       "Exit codes: 0 ok, 64 usage, 65 bad data, 66 no input, 67 unknown "
	       "user, 69 unavailable,\n70 internal, 73 cannot create, 74 I/O, 75 "
	       "try again (conflict or lock), 77 not permitted,\n78 configuration.  "
	       "See mashdesk(1).\n", SYSCONFDIR);
}

/* Longest command name matching the words at argv: "user add" before "user". */
static const struct cli_command *cli_find(int argc, char **argv, int *used)
{
	for (int i = 0; i < NCOMMANDS; i++) {
		const char *sp = strchr(commands[i].name, ' ');
		if (!sp && !strcmp(argv[0], commands[i].name)) {
			*used = 1;
			return &commands[i];
		}
		if (sp && argc >= 2 &&
		    !strncmp(argv[0], commands[i].name, (size_t)(sp - commands[i].name)) &&
		    argv[0][sp - commands[i].name] == '\0' && !strcmp(argv[1], sp + 1)) {
			*used = 2;
			return &commands[i];
		}
	}
	return NULL;
}

static int cli_globals(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "as", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 }
	};
	int ch;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+d:c:u:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c->db_opt = optarg; break;
		case 'c': c->config_opt = optarg; break;
		case 'u': c->as_login = optarg; break;
		case 'h': cli_print_help(); return -1;
		case 'V': printf("mashdesk %s\n", PACKAGE_VERSION); return -1;
		default:
			return cli_fail(c, EX_USAGE, "%s: unknown option or missing "
					"value (see mashdesk --help)",
					argv[optind - 1]);
		}
	}
	return 0;
}

int cli_main(int argc, char **argv)
{
	struct cli c = { 0 };
	hub_library_init();
	c.out_tty = isatty(STDOUT_FILENO);
	int status = cli_globals(&c, argc, argv);
	if (status)
		return status < 0 ? 0 : status;
	argc -= optind;
	argv += optind;
	const struct cli_command *cmd = &commands[0];
	int used = 0;
	/* "user", "audit" and "scenario" take a second word */
	int two = argc > 1 && (!strcmp(argv[0], "user") ||
			       !strcmp(argv[0], "audit") ||
			       !strcmp(argv[0], "scenario"));
	if (argc > 0 && !(cmd = cli_find(argc, argv, &used)))
		return cli_fail(&c, EX_USAGE, "'%s%s%s' is not a command (see "
				"mashdesk --help)", argv[0], two ? " " : "",
				two ? argv[1] : "");
	c.command = cmd;
	c.cmd = cmd->name;
	/* Run setgid by someone else, where the live hub is and its rules
	 * come from the system's file alone (privilege.h). */
	status = priv_untrusted()
		? config_load_split(&c.cfg, c.config_opt, SYSCONFDIR,
				    desk_check_key, &c.err)
		: config_load(&c.cfg, c.config_opt, SYSCONFDIR, desk_check_key,
			      &c.err);
	if (status)
		return cli_fail_err(&c);
	if ((status = cli_resolve_db(&c)))
		return status;
	if (cmd->run == cli_cmd_demo && (status = cli_demo_path(&c)))
		return status;   /* the hub it opens decides the group */
	if ((status = cli_privilege(&c)))
		return status;
	/* Each command parses its own options from its own argv[0]. */
	argc -= used > 0 ? used - 1 : 0;
	argv += used > 0 ? used - 1 : 0;
	if (used == 0) {
		static char *desk_argv[] = { "desk", NULL };
		argc = 1;
		argv = desk_argv;
	}
	optind = 0;   /* GNU getopt: start afresh for the command */
	return cmd->run(&c, argc, argv);
}
