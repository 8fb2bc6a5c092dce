/* backup_file.h - the files of backups, apart from what is in them
 * (src/backup_file.c): the names of copies in a backup directory, keeping
 * the newest N, temporary names and cleaning up after a killed run, and
 * running `age` to encrypt or decrypt a copy.  No SQL: the copy itself is
 * the data layer's (hub_backup.h).
 *
 * A copy in a directory is named HUB-YYYYMMDDTHHMMSSZ.db (UTC), or
 * HUB-YYYYMMDDTHHMMSSZ-K.db for the K-th taken in the same second, with
 * .age after it when encrypted; HUB is the hub's name in lower case,
 * letters and digits kept and every other run of characters one '-'
 * ("Riverside MASH" -> riverside-mash).  Names sort by when they were
 * taken.
 *
 * A copy being written is a hidden file beside its final name,
 * .NAME.partial-PID (and SQLite's -journal beside that): nobody mistakes
 * it for a copy, and once PID is gone it is litter that the next backup
 * into the same directory removes. */
#ifndef MASHDESK_BACKUP_FILE_H
#define MASHDESK_BACKUP_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "mashdesk/error.h"

#define BACKUP_STAMP_LEN 16          /* YYYYMMDDTHHMMSSZ */
#define BACKUP_PARTIAL ".partial-"

/* The hub's name as it starts a copy's name ("hub" if nothing is left). */
void backup_slug(char *out, size_t len, const char *hub_name);

/* slug-STAMP[-seq].db[.age] for time t (unix seconds); seq 1 has no
 * suffix.  0, or -1 when it does not fit. */
int backup_copy_name(char *out, size_t len, const char *slug, long long t,
		     int seq, int encrypted);

/* 1 when name is a copy's name (of slug, or of any hub when slug is NULL);
 * then stamp (BACKUP_STAMP_LEN + 1 bytes) and *seq say when it was taken. */
int backup_copy_parse(const char *name, const char *slug, char *stamp,
		      int *seq, int *encrypted);

/* Remove all but the newest keep copies of slug in dir (keep >= 1; never
 * another hub's copies, nor any other file).  *removed counts them.
 * EX_IOERR naming the file that could not be removed. */
int backup_prune(const char *dir, const char *slug, int keep, int *removed,
		 struct md_error *err);

/* The newest copy in dir by modification time (any hub's): its name and
 * mtime, and how many copies there are.  *count 0 when there is none;
 * EX_NOINPUT when dir cannot be read (said). */
int backup_newest(const char *dir, char *name, size_t len, long long *mtime,
		  int *count, struct md_error *err);

/* The temporary name of final, for process pid: .BASE.partial-PID in the
 * same directory.  0, or -1 when it does not fit. */
int backup_partial_name(char *out, size_t len, const char *final, long pid);

/* Remove the temporary files in dir whose process is gone: those of base
 * (a final name's last part) only, or every one when base is NULL; SQLite's
 * journal beside each too.  Returns how many were removed. */
int backup_clean_stale(const char *dir, const char *base);

/* 1 when the file at fd (read from its start, then rewound) is an age
 * file, binary or armoured; 0 when not; -1 on a read error (errno). */
int backup_fd_is_age(int fd);

/* Run age with these arguments (argv[0] is "age", found on PATH), reading
 * in_fd and writing out_fd, without a shell.  The child gives up a setgid
 * group for good before it runs age, so a key file or recipient file age
 * opens is opened with the caller's own rights.  0, or: EX_UNAVAILABLE when
 * age is not installed, fail_code with age's own first line of complaint
 * otherwise (what says "age: ..." on stderr). */
int backup_run_age(char *const argv[], int in_fd, int out_fd, int fail_code,
		   struct md_error *err);

/* fsync the directory holding path (after a rename or link into it). */
int backup_sync_dir(const char *path);

#endif
