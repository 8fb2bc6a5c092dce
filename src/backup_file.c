/* backup_file.c - the files of backups: names, keeping the newest N,
 * temporary files, and running age (backup_file.h). */
#if !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* setresgid() */
#endif
#include "mashdesk/backup_file.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- names ------------------------------------------------------------- */

void backup_slug(char *out, size_t len, const char *hub_name)
{
	size_t n = 0;
	int dash = 0;
	if (len == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)(hub_name ? hub_name : "");
	     *p && n + 2 < len && n < 60; p++) {
		if (isalnum(*p) && *p < 0x80) {
			if (dash && n > 0)
				out[n++] = '-';
			dash = 0;
			out[n++] = (char)tolower(*p);
		} else {
			dash = 1;
		}
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, len, "hub");
}

int backup_copy_name(char *out, size_t len, const char *slug, long long t,
		     int seq, int encrypted)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char stamp[BACKUP_STAMP_LEN + 1], suffix[16] = "";
	if (!gmtime_r(&tt, &tm) ||
	    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) != BACKUP_STAMP_LEN)
		return -1;
	if (seq > 1)
		snprintf(suffix, sizeof suffix, "-%d", seq);
	int w = snprintf(out, len, "%s-%s%s.db%s", slug, stamp, suffix,
			 encrypted ? ".age" : "");
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

/* STAMP at s: 8 digits, T, 6 digits, Z. */
static int backup_is_stamp(const char *s)
{
	for (int i = 0; i < BACKUP_STAMP_LEN; i++) {
		if (i == 8 ? s[i] != 'T' : i == 15 ? s[i] != 'Z' : !isdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int backup_copy_parse(const char *name, const char *slug, char *stamp,
		      int *seq, int *encrypted)
{
	size_t n = strlen(name);
	int age = n > 7 && strcmp(name + n - 7, ".db.age") == 0;
	if (!age && !(n > 3 && strcmp(name + n - 3, ".db") == 0))
		return 0;
	size_t body = n - (age ? 7 : 3);      /* up to ".db" */
	/* Back from the end: [-K] then the stamp, then '-' and the slug. */
	size_t end = body;
	int k = 1;
	size_t d = end;
	while (d > 0 && isdigit((unsigned char)name[d - 1]))
		d--;
	if (d < end && d > 0 && name[d - 1] == '-' && end - d <= 6 &&
	    name[d] != '0' && d >= BACKUP_STAMP_LEN + 1 && name[d - 2] == 'Z') {
		k = atoi(name + d);
		end = d - 1;
	}
	if (end < BACKUP_STAMP_LEN + 2 || name[end - BACKUP_STAMP_LEN - 1] != '-' ||
	    !backup_is_stamp(name + end - BACKUP_STAMP_LEN))
		return 0;
	size_t slug_len = end - BACKUP_STAMP_LEN - 1;
	if (name[0] == '.' || slug_len == 0)
		return 0;
	if (slug && (strlen(slug) != slug_len || strncmp(name, slug, slug_len) != 0))
		return 0;
	if (stamp)
		memcpy(stamp, name + end - BACKUP_STAMP_LEN, BACKUP_STAMP_LEN + 1),
		stamp[BACKUP_STAMP_LEN] = '\0';
	if (seq)
		*seq = k;
	if (encrypted)
		*encrypted = age;
	return 1;
}

/* ---- a directory of copies --------------------------------------------- */

struct copy_entry {
	char name[NAME_MAX + 1];
	char stamp[BACKUP_STAMP_LEN + 1];
	int seq;
};

static int copy_newer_first(const void *a, const void *b)
{
	const struct copy_entry *x = a, *y = b;
	int c = strcmp(y->stamp, x->stamp);
	return c ? c : (y->seq > x->seq) - (y->seq < x->seq);
}

int backup_prune(const char *dir, const char *slug, int keep, int *removed,
		 struct md_error *err)
{
	*removed = 0;
	if (keep < 1)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return md_fail(err, EX_IOERR, "cannot read %s to keep the newest "
			       "%d copies: %s", dir, keep, strerror(errno));
	struct copy_entry *list = NULL;
	size_t n = 0, cap = 0;
	int status = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		struct copy_entry c;
		if (!backup_copy_parse(e->d_name, slug, c.stamp, &c.seq, NULL))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct copy_entry *nl = realloc(list, ncap * sizeof *nl);
			if (!nl) {
				status = md_fail(err, EX_OSERR, "out of memory");
				break;
			}
			list = nl;
			cap = ncap;
		}
		snprintf(c.name, sizeof c.name, "%s", e->d_name);
		list[n++] = c;
	}
	closedir(d);
	if (status == 0 && n > (size_t)keep) {
		qsort(list, n, sizeof *list, copy_newer_first);
		for (size_t i = (size_t)keep; i < n && status == 0; i++) {
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/%s", dir, list[i].name);
			if (unlink(path) == 0 || errno == ENOENT)
				(*removed)++;
			else
				status = md_fail(err, EX_IOERR, "cannot remove the old "
						 "copy %s: %s", path, strerror(errno));
		}
	}
	free(list);
	return status;
}

int backup_newest(const char *dir, char *name, size_t len, long long *mtime,
		  int *count, struct md_error *err)
{
	*count = 0;
	*mtime = 0;
	if (len)
		name[0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return md_fail(err, EX_NOINPUT, "cannot read %s: %s", dir,
			       strerror(errno));
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		struct stat sb;
		if (!backup_copy_parse(e->d_name, NULL, NULL, NULL, NULL) ||
		    fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		(*count)++;
		if ((long long)sb.st_mtime >= *mtime) {
			*mtime = (long long)sb.st_mtime;
			snprintf(name, len, "%s", e->d_name);
		}
	}
	closedir(d);
	return 0;
}

/* ---- temporary files --------------------------------------------------- */

int backup_partial_name(char *out, size_t len, const char *final, long pid)
{
	const char *slash = strrchr(final, '/');
	int dirlen = slash ? (int)(slash - final + 1) : 0;
	int w = snprintf(out, len, "%.*s.%s%s%ld", dirlen, final, final + dirlen,
			 BACKUP_PARTIAL, pid);
	return w < 0 || (size_t)w >= len || !final[dirlen] ? -1 : 0;
}

/* ".BASE.partial-PID" or with "-journal" after it: the pid, else 0. */
static long backup_partial_pid(const char *name, const char *base)
{
	if (name[0] != '.')
		return 0;
	const char *mark = strstr(name, BACKUP_PARTIAL);
	if (!mark || mark == name + 1)
		return 0;
	if (base && ((size_t)(mark - name - 1) != strlen(base) ||
		     strncmp(name + 1, base, strlen(base)) != 0))
		return 0;
	const char *p = mark + strlen(BACKUP_PARTIAL);
	char *end;
	long pid = strtol(p, &end, 10);
	if (end == p || pid <= 0)
		return 0;
	if (strncmp(end, "-age", 4) == 0)    /* the encrypted one */
		end += 4;
	if (*end && strcmp(end, "-journal") != 0 && strcmp(end, "-wal") != 0 &&
	    strcmp(end, "-shm") != 0)
		return 0;
	return pid;
}

int backup_clean_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	int removed = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		long pid = backup_partial_pid(e->d_name, base);
		if (pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;   /* still running (or not ours to ask) */
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int backup_sync_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		slash[slash == dir] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* ---- age ------------------------------------------------------------------ */

int backup_fd_is_age(int fd)
{
	static const char bin[] = "age-encryption.org/v1\n";
	static const char armour[] = "-----BEGIN AGE ENCRYPTED FILE-----";
	char head[64];
	ssize_t n = pread(fd, head, sizeof head, 0);
	if (n < 0)
		return -1;
	return ((size_t)n >= sizeof bin - 1 && memcmp(head, bin, sizeof bin - 1) == 0) ||
	       ((size_t)n >= sizeof armour - 1 &&
		memcmp(head, armour, sizeof armour - 1) == 0);
}

/* The first line age wrote on stderr that says what was wrong. */
static void backup_age_complaint(char *buf, size_t len, int fd)
{
	char all[2048];
	size_t used = 0;
	ssize_t n;
	while (used < sizeof all - 1 &&
	       (n = read(fd, all + used, sizeof all - 1 - used)) > 0)
		used += (size_t)n;
	all[used] = '\0';
	char *line = all, *pick = NULL;
	for (char *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!pick && *line)
			pick = line;
		if (strncmp(line, "age: error: ", 12) == 0) {
			pick = line + 12;
			break;
		}
	}
	if (!pick)
		pick = "no reason given";
	size_t k = strlen(pick);
	if (k >= len)
		k = len - 1;
	memcpy(buf, pick, k);
	buf[k] = '\0';
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

int backup_run_age(char *const argv[], int in_fd, int out_fd, int fail_code,
		   struct md_error *err)
{
	int errpipe[2], execpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) != 0 || pipe2(execpipe, O_CLOEXEC) != 0)
		return md_fail(err, EX_OSERR, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(errpipe[0]); close(errpipe[1]);
		close(execpipe[0]); close(execpipe[1]);
		return md_fail(err, EX_OSERR, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* The caller's own group for good: age opens the key file. */
		gid_t g = getgid();
		int e = 0;
		if (setresgid(g, g, g) != 0 || dup2(in_fd, 0) < 0 ||
		    dup2(out_fd, 1) < 0 || dup2(errpipe[1], 2) < 0)
			e = errno ? errno : EPERM;
		if (!e) {
			execvp(argv[0], argv);
			e = errno;
		}
		(void)!write(execpipe[1], &e, sizeof e);
		_exit(127);
	}
	close(errpipe[1]);
	close(execpipe[1]);
	char why[400];
	backup_age_complaint(why, sizeof why, errpipe[0]);
	close(errpipe[0]);
	int exec_errno = 0;
	ssize_t got = read(execpipe[0], &exec_errno, sizeof exec_errno);
	close(execpipe[0]);
	int wst = 0;
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	if (got == (ssize_t)sizeof exec_errno && exec_errno == ENOENT)
		return md_fail(err, EX_UNAVAILABLE, "age is not installed (it "
			       "encrypts and decrypts copies: apt-get install age)");
	if (got == (ssize_t)sizeof exec_errno)
		return md_fail(err, EX_OSERR, "cannot run age: %s",
			       strerror(exec_errno));
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0)
		return 0;
	return md_fail(err, fail_code, "age: %s", why);
}
