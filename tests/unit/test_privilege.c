/* test_privilege.c - the setgid program's pure parts: the environment
 * allow-list (privilege.c) and the shell mode's reading of a command
 * (shell.c).  The ids themselves are tested for real, setgid, by
 * tests/e2e/deploy.sh. */
#include <criterion/criterion.h>
#include <string.h>

#include "mashdesk/privilege.h"
#include "mashdesk/shell.h"

/* ---- the environment ------------------------------------------------------ */

Test(privilege, keeps_the_terminal_locale_and_mashdesk_variables)
{
	const char *keep[] = {
		"TERM=xterm-256color", "LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8",
		"LC_CTYPE=C.UTF-8", "NO_COLOR=1", "HOME=/home/jdoe",
		"TZ=Europe/London", "MASHDESK_DB=/home/jdoe/practice.db",
		"MASHDESK_CONFIG=/home/jdoe/m.ini", "XDG_CONFIG_HOME=/home/jdoe/.c",
		"XDG_DATA_HOME=/home/jdoe/.d", "MASHDESK_SCENARIO_DIR=/s",
		"SSH_ORIGINAL_COMMAND=mashdesk queue", "COLUMNS=80", "LINES=24",
		"ESCDELAY=25", "NCURSES_NO_UTF8_ACS=1",
	};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		cr_expect(priv_env_keep(keep[i]), "%s should be kept", keep[i]);
}

Test(privilege, drops_what_names_files_for_libraries)
{
	const char *drop[] = {
		"SQLITE_TMPDIR=/srv/mash", "TMPDIR=/srv/mash",
		"TERMINFO=/srv/mash/ti", "TERMINFO_DIRS=/srv/mash/ti",
		"TERMCAP=/srv/mash/hub.db", "LD_PRELOAD=/tmp/x.so",
		"LD_LIBRARY_PATH=/tmp", "LOCPATH=/srv/mash", "NLSPATH=/srv/mash/%N",
		"GCONV_PATH=/tmp", "PATH=/tmp/bin", "IFS=x", "BASH_ENV=/tmp/x",
		"HOSTALIASES=/srv/mash/hub.db", "MALLOC_TRACE=/srv/mash/x",
		"USER=root", "LOGNAME=root", "TZ=/srv/mash/hub.db",
		"TZ=:/srv/mash/hub.db", "TZ=../../srv/mash/hub.db",
		"LANG=/srv/mash/loc", "LC_ALL=../../srv/mash",
		"TERM=../../srv/mash/hub.db", "TERM=x/y", "=x", "NOEQUALS",
		"TERMX=xterm", "HOMEDIR=/x",
	};
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		cr_expect(!priv_env_keep(drop[i]), "%s should be dropped", drop[i]);
}

Test(privilege, not_setgid_nothing_changes)
{
	/* The test runs without setgid: no group to keep or drop, and a
	 * user's file is opened as it always was. */
	struct md_error err;
	cr_assert_eq(priv_start(&err), 0);
	cr_expect_eq(priv_untrusted(), 0);
	cr_expect_eq(priv_hub_rights(), 0);
	cr_expect_eq(priv_keep_group(&err), 0);
	cr_expect_eq(priv_drop_group(&err), 0);
	cr_expect_eq(user_files_begin(), 0);
	user_files_end();
	FILE *f = user_file_fopen("/dev/null", "r");
	cr_assert_not_null(f);
	fclose(f);
	cr_expect_null(user_file_fopen("/nonexistent/x", "r"));
}

/* ---- splitting a command ---------------------------------------------------- */

static char **split_ok(const char *line, int want)
{
	char **w = NULL;
	int n = -1;
	struct md_error err = { 0 };
	int rc = shell_split(line, &w, &n, &err);
	cr_assert_eq(rc, 0, "split \"%s\": %d %s", line, rc, err.msg);
	cr_assert_eq(n, want, "split \"%s\": %d words, wanted %d", line, n, want);
	cr_assert_null(w[n]);
	return w;
}

static void split_bad(const char *line, int code, const char *says)
{
	char **w = NULL;
	int n = 0;
	struct md_error err = { 0 };
	int rc = shell_split(line, &w, &n, &err);
	cr_expect_eq(rc, code, "split \"%s\" gave %d (%s)", line, rc, err.msg);
	cr_expect_not_null(strstr(err.msg, says), "\"%s\": message \"%s\" lacks "
			   "\"%s\"", line, err.msg, says);
	cr_expect_null(w);
}

Test(shell, words_quotes_and_backslashes)
{
	char **w = split_ok("  mashdesk  report\tturnaround ", 3);
	cr_expect_str_eq(w[0], "mashdesk");
	cr_expect_str_eq(w[1], "report");
	cr_expect_str_eq(w[2], "turnaround");
	shell_free(w);
	w = split_ok("mashdesk referral add --child 'Zoë O'\\''Brien' "
		     "--concern \"said \\\"no\\\" twice; a \\\\ b\" x\\ y '' \"\"", 10);
	cr_expect_str_eq(w[4], "Zoë O'Brien");
	cr_expect_str_eq(w[6], "said \"no\" twice; a \\ b");
	cr_expect_str_eq(w[7], "x y");
	cr_expect_str_eq(w[8], "");
	cr_expect_str_eq(w[9], "");
	shell_free(w);
	/* nothing is expanded or globbed: these are plain characters here */
	w = split_ok("mashdesk show R* a~b 'x$y' c#d [ab] \"*\"", 8);
	cr_expect_str_eq(w[2], "R*");
	cr_expect_str_eq(w[3], "a~b");
	cr_expect_str_eq(w[4], "x$y");
	cr_expect_str_eq(w[5], "c#d");
	shell_free(w);
	w = split_ok("", 0);
	shell_free(w);
	w = split_ok("   \t ", 0);
	shell_free(w);
}

Test(shell, what_a_shell_would_act_on_is_refused)
{
	split_bad("mashdesk queue; sh", EX_USAGE, "no shell");
	split_bad("mashdesk queue | head", EX_USAGE, "pipe");
	split_bad("mashdesk queue > /srv/mash/hub.db", EX_USAGE, "redirection");
	split_bad("mashdesk queue < x", EX_USAGE, "redirection");
	split_bad("mashdesk queue & sh", EX_USAGE, "no shell");
	split_bad("mashdesk queue && sh", EX_USAGE, "no shell");
	split_bad("(sh)", EX_USAGE, "no shell");
	split_bad("mashdesk show $(sh)", EX_USAGE, "command substitution");
	split_bad("mashdesk show `sh`", EX_USAGE, "command substitution");
	split_bad("mashdesk --db $HOME/x.db", EX_USAGE, "variables");
	split_bad("mashdesk --db \"$HOME/x.db\"", EX_USAGE, "variables");
	split_bad("mashdesk --db ~/x.db", EX_USAGE, "~");
	split_bad("mashdesk # comment", EX_USAGE, "comments");
	split_bad("mashdesk 'open", EX_USAGE, "not closed");
	split_bad("mashdesk \"open", EX_USAGE, "not closed");
	split_bad("mashdesk \\", EX_USAGE, "nothing to quote");
}

/* ---- what the shell mode runs ------------------------------------------------- */

static int same_stub(const char *path)
{
	return strcmp(path, "/usr/bin/mashdesk") == 0 ||
	       strcmp(path, "/usr/bin/mashdesk-shell") == 0;
}

static void runs(int argc, char **argv, const char *original,
		 const char *want)
{
	char **out = NULL, got[512] = "";
	int n = 0;
	struct md_error err = { 0 };
	int rc = shell_command(argc, argv, original, same_stub, &out, &n, &err);
	cr_assert_eq(rc, 0, "%s: %d %s", want, rc, err.msg);
	for (int i = 0; i < n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, out[i]);
	}
	cr_assert_null(out[n]);
	cr_expect_str_eq(got, want);
	shell_free(out);
}

static void refused(int argc, char **argv, const char *original, int code,
		    const char *says)
{
	char **out = NULL;
	int n = 0;
	struct md_error err = { 0 };
	int rc = shell_command(argc, argv, original, same_stub, &out, &n, &err);
	cr_expect_eq(rc, code, "gave %d (%s)", rc, err.msg);
	cr_expect_not_null(strstr(err.msg, says), "message \"%s\" lacks \"%s\"",
			   err.msg, says);
	cr_expect_null(out);
}

Test(shell, login_shell_and_forced_command)
{
	char *login[] = { "-mashdesk-shell", NULL };
	char *bare[] = { "/usr/bin/mashdesk-shell", NULL };
	runs(1, login, NULL, "mashdesk");                 /* ssh -t hub: the desk */
	runs(1, bare, NULL, "mashdesk");
	runs(1, bare, "", "mashdesk");
	/* ForceCommand under another login shell: the client's command */
	runs(1, bare, "mashdesk report turnaround", "mashdesk report turnaround");
	char *c1[] = { "mashdesk-shell", "-c", "mashdesk report turnaround", NULL };
	runs(3, c1, NULL, "mashdesk report turnaround");
	char *c2[] = { "mashdesk-shell", "-c", "/usr/bin/mashdesk --db x.db queue", NULL };
	runs(3, c2, NULL, "mashdesk --db x.db queue");
	/* ForceCommand run through mashdesk-shell as the login shell */
	char *f[] = { "mashdesk-shell", "-c", "/usr/bin/mashdesk-shell", NULL };
	runs(3, f, "mashdesk queue --limit 3", "mashdesk queue --limit 3");
	runs(3, f, NULL, "mashdesk");
	char *f2[] = { "mashdesk-shell", "-c", "mashdesk-shell", NULL };
	runs(3, f2, "mashdesk show R000001", "mashdesk show R000001");
	char *d[] = { "mashdesk-shell", "-c", "mashdesk", NULL };
	runs(3, d, "sh", "mashdesk");   /* the -c command wins */
}

Test(shell, anything_else_is_refused)
{
	const char *others[] = {
		"sh", "bash -i", "/bin/sh -c id", "sqlite3 /srv/mash/hub.db .dump",
		"scp -f /srv/mash/hub.db", "scp -t /tmp",
		"/usr/lib/openssh/sftp-server", "internal-sftp",
		"rsync --server --sender -logDtpre.iLsfxC . /srv/mash/hub.db",
		"/tmp/mashdesk queue", "./mashdesk queue", "cat /srv/mash/hub.db",
		"MASHDESK_DB=/srv/mash/hub.db mashdesk queue", "env mashdesk",
		"mashdesk-shell -c sh", "/usr/bin/mashdesk-shell sh",
	};
	char *bare[] = { "/usr/bin/mashdesk-shell", NULL };
	char *f[] = { "mashdesk-shell", "-c", "/usr/bin/mashdesk-shell", NULL };
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		char *c[] = { "mashdesk-shell", "-c", (char *)others[i], NULL };
		refused(3, c, NULL, EX_NOPERM, "runs only mashdesk");
		refused(1, bare, others[i], EX_NOPERM, "runs only mashdesk");
		refused(3, f, others[i], EX_NOPERM, "runs only mashdesk");
	}
	char *opt[] = { "mashdesk-shell", "-i", NULL };
	refused(2, opt, NULL, EX_USAGE, "-c COMMAND");
	char *extra[] = { "mashdesk-shell", "-c", "mashdesk", "x", NULL };
	refused(4, extra, NULL, EX_USAGE, "-c COMMAND");
	/* the forced command's own line is not read twice */
	char *f2[] = { "mashdesk-shell", "-c", "mashdesk-shell", NULL };
	refused(3, f2, "mashdesk-shell", EX_NOPERM, "runs only mashdesk");
}

Test(shell, invoked_by_name)
{
	cr_expect(shell_invoked("-mashdesk-shell"));
	cr_expect(shell_invoked("mashdesk-shell"));
	cr_expect(shell_invoked("/usr/bin/mashdesk-shell"));
	cr_expect(!shell_invoked("mashdesk"));
	cr_expect(!shell_invoked("/usr/bin/mashdesk"));
	cr_expect(!shell_invoked("-mashdesk"));
	cr_expect(!shell_invoked("mashdesk-shellx"));
	cr_expect(!shell_invoked(NULL));
}
