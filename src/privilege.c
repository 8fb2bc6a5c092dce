/* privilege.c - running setgid to the hub's group, safely (privilege.h).
 *
 * The ids, by phase, for an untrusted caller (real gid R, hub gid H):
 *
 *   exec (setgid)        real R, effective H, saved H
 *   priv_start()         real R, effective R, saved H   (set aside)
 *   priv_keep_group()    real R, effective H, saved H   (the system's hub)
 *     user_files_begin()   real R, effective R, saved H (a user's file)
 *     user_files_end()     real R, effective H, saved H
 *   priv_drop_group()    real R, effective R, saved R   (for good)
 *
 * The kernel marks a setgid process undumpable (no core, no ptrace by the
 * caller, /proc/PID/fd closed to them); we say so again with prctl, since
 * changing ids could otherwise make it dumpable, and set RLIMIT_CORE to 0
 * as well.  glibc's secure mode already ignores LD_*, TMPDIR, LOCPATH and
 * friends, and ncurses ignores TERMINFO, TERMINFO_DIRS and ~/.terminfo
 * while the effective gid differs from the real one (tried: a setgid
 * setupterm() does not find an entry TERMINFO points to, the same program
 * without setgid does); the environment is cut down to an allow-list
 * anyway, so that neither SQLite (SQLITE_TMPDIR) nor any library reads
 * something we did not think of. */
#if !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* clearenv(), getresgid(), setresgid() */
#endif
#include "mashdesk/privilege.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

enum priv_state {
	PRIV_PLAIN,     /* not setgid, or root: nothing to do */
	PRIV_ASIDE,     /* untrusted; the group held only as saved gid */
	PRIV_KEPT,      /* untrusted; the group in effect for the hub */
	PRIV_DROPPED,   /* untrusted; the group given up for good */
};

static enum priv_state priv_state = PRIV_PLAIN;
static gid_t priv_real = (gid_t)-1, priv_hub = (gid_t)-1;
static int priv_depth;         /* user_files_begin nesting */

/* ---- the environment ------------------------------------------------------ */

/* Kept as they are: the terminal, the locale, colour, the home directory
 * and the variables mashdesk itself reads (every path they name is opened
 * with the caller's own rights).  SSH_ORIGINAL_COMMAND is what sshd hands
 * a forced command (mashdesk-shell parses it like any other command). */
static const char *const priv_env_names[] = {
	"TERM", "NO_COLOR", "HOME", "TZ", "COLUMNS", "LINES", "ESCDELAY",
	"NCURSES_NO_UTF8_ACS", "LANG", "LANGUAGE", "MASHDESK_DB",
	"MASHDESK_CONFIG", "MASHDESK_SCENARIO_DIR", "XDG_CONFIG_HOME",
	"XDG_DATA_HOME", "SSH_ORIGINAL_COMMAND",
};

static int priv_env_named(const char *entry, const char *name)
{
	size_t n = strlen(name);
	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/* Values that name a file through the locale or time zone machinery are
 * left out: a locale or zone name has no leading slash and no "..". */
static int priv_env_plain_name(const char *value)
{
	if (value[0] == ':')
		value++;
	return value[0] != '/' && strstr(value, "..") == NULL;
}

int priv_env_keep(const char *entry)
{
	const char *eq = strchr(entry, '=');
	if (!eq || eq == entry)
		return 0;
	const char *value = eq + 1;
	if (strncmp(entry, "LC_", 3) == 0)
		return priv_env_plain_name(value);
	for (size_t i = 0; i < sizeof priv_env_names / sizeof priv_env_names[0]; i++) {
		if (!priv_env_named(entry, priv_env_names[i]))
			continue;
		if (!strcmp(priv_env_names[i], "TERM"))
			return strlen(value) < 64 && value[strspn(value,
				"abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")] == '\0';
		if (!strcmp(priv_env_names[i], "TZ") ||
		    !strcmp(priv_env_names[i], "LANG") ||
		    !strcmp(priv_env_names[i], "LANGUAGE"))
			return priv_env_plain_name(value);
		return 1;
	}
	return 0;
}

static int priv_env_sanitise(void)
{
	extern char **environ;
	size_t n = 0;
	for (char **e = environ; e && *e; e++)
		n++;
	char **keep = calloc(n + 1, sizeof *keep);
	if (!keep)
		return -1;
	size_t k = 0;
	for (char **e = environ; e && *e; e++)
		if (priv_env_keep(*e) && (keep[k] = strdup(*e)) != NULL)
			k++;
	clearenv();
	/* A fixed search path: mashdesk runs no program, but a library
	 * might, and none should find the caller's. */
	setenv("PATH", "/usr/bin:/bin", 1);
	for (size_t i = 0; i < k; i++)
		putenv(keep[i]);   /* the strings stay: putenv keeps them */
	free(keep);
	return 0;
}

/* ---- start ------------------------------------------------------------------ */

/* A setgid program started with stdin, stdout or stderr closed would give
 * the hub a descriptor 0-2, and the next message would be written into it. */
static void priv_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			_exit(EX_OSERR);
}

int priv_start(struct md_error *err)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	priv_std_fds();
	if (getresuid(&ruid, &euid, &suid) != 0 ||
	    getresgid(&rgid, &egid, &sgid) != 0)
		return md_fail(err, EX_OSERR, "cannot read the process's ids: %s",
			       strerror(errno));
	/* Never meant to be setuid: if someone made it so, be the caller. */
	if ((euid != ruid || suid != ruid) && setresuid(ruid, ruid, ruid) != 0)
		return md_fail(err, EX_OSERR, "cannot give up a setuid identity: "
			       "%s", strerror(errno));
	if (egid == rgid || ruid == 0) {
		priv_state = PRIV_PLAIN;
		return 0;
	}
	struct rlimit none = { 0, 0 };
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	priv_real = rgid;
	priv_hub = egid;
	if (priv_env_sanitise() != 0)
		return md_fail(err, EX_OSERR, "out of memory");
	if (setresgid(rgid, rgid, egid) != 0)
		return md_fail(err, EX_OSERR, "cannot set the hub's group aside: "
			       "%s", strerror(errno));
	priv_state = PRIV_ASIDE;
	return 0;
}

/* LeakSanitizer stops the world with ptrace, which a setgid process
 * forbids (it is undumpable): its check would die at exit.  In a sanitizer
 * build it is off for an untrusted caller only; the same code runs
 * leak-checked without setgid in the rest of the suite. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define PRIV_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(PRIV_LSAN)
#define PRIV_LSAN 1
#endif
#ifdef PRIV_LSAN
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return priv_state != PRIV_PLAIN;
}
#endif

int priv_untrusted(void)
{
	return priv_state != PRIV_PLAIN;
}

int priv_hub_rights(void)
{
	return priv_state == PRIV_KEPT;
}

int priv_keep_group(struct md_error *err)
{
	if (priv_state == PRIV_PLAIN || priv_state == PRIV_KEPT)
		return 0;
	if (priv_state == PRIV_DROPPED)
		return md_fail(err, EX_SOFTWARE, "the hub's group was already "
			       "given up");
	if (setresgid(-1, priv_hub, -1) != 0)
		return md_fail(err, EX_OSERR, "cannot take up the hub's group: %s",
			       strerror(errno));
	priv_state = PRIV_KEPT;
	return 0;
}

int priv_drop_group(struct md_error *err)
{
	if (priv_state == PRIV_PLAIN || priv_state == PRIV_DROPPED)
		return 0;
	gid_t r, e, s;
	if (setresgid(priv_real, priv_real, priv_real) != 0 ||
	    getresgid(&r, &e, &s) != 0 || r != priv_real || e != priv_real ||
	    s != priv_real)
		return md_fail(err, EX_OSERR, "cannot give up the hub's group: %s",
			       strerror(errno));
	priv_state = PRIV_DROPPED;
	return 0;
}

/* ---- a user's files ------------------------------------------------------------ */

int user_files_begin(void)
{
	if (priv_state != PRIV_KEPT)
		return 0;
	if (priv_depth++ > 0)
		return 0;
	if (setresgid(-1, priv_real, -1) != 0 || getegid() != priv_real) {
		int e = errno ? errno : EPERM;
		priv_depth = 0;
		errno = e;
		return -1;
	}
	return 0;
}

void user_files_end(void)
{
	if (priv_state != PRIV_KEPT || priv_depth == 0)
		return;
	if (--priv_depth == 0 && setresgid(-1, priv_hub, -1) != 0) {
		/* Cannot take the group up again: the hub is closed to us,
		 * which fails safe (the next write says permission denied). */
		(void)!setresgid(priv_real, priv_real, priv_real);
		priv_state = PRIV_DROPPED;
	}
}

int user_file_open(const char *path, int flags, mode_t mode)
{
	if (user_files_begin() != 0)
		return -1;
	int fd = open(path, flags | O_CLOEXEC, mode);
	int e = errno;
	user_files_end();
	errno = e;
	return fd;
}

FILE *user_file_fopen(const char *path, const char *mode)
{
	int flags;
	if (mode[0] == 'r')
		flags = strchr(mode, '+') ? O_RDWR : O_RDONLY;
	else if (mode[0] == 'w')
		flags = (strchr(mode, '+') ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
	else if (mode[0] == 'a')
		flags = (strchr(mode, '+') ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
	else {
		errno = EINVAL;
		return NULL;
	}
	int fd = user_file_open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}
