/* privilege.h - running setgid to the hub's group, safely (src/privilege.c).
 *
 * mashdesk is installed setgid to a group no person is in (./configure
 * --with-hub-group, default "mashdesk"), which owns the live hub's
 * directory and files.  Started that way by anyone but root, the caller is
 * untrusted, and the group is a capability held for one purpose: opening
 * the hub the system configuration names.
 *
 *   start      priv_start(): core dumps off, the environment cut down to an
 *              allow-list, fds 0-2 open; the group is set aside (effective
 *              gid = real gid, the hub's gid kept only as the saved gid).
 *   the hub    priv_keep_group(): the system's hub was asked for, so the
 *              group is in effect from here to the end (SQLite opens the
 *              -wal, -shm and journal files when it needs them).
 *   any other  priv_drop_group(): real, effective and saved gid all become
 *              the caller's own, for good: a practice hub in the user's
 *              home runs with exactly the user's rights.
 *   user files Every file a user names (a configuration file, an import
 *              CSV, a scenario file, an export) is opened with the user's
 *              own rights: user_file_open() and user_file_fopen(), or, for
 *              code that must work on a path itself (iniparser, an export's
 *              temporary file, link and rename), user_files_begin() ...
 *              user_files_end() around it.
 *
 * Run without setgid (a build tree, a training host), or by root, all of
 * this does nothing: priv_untrusted() is 0 and the files are opened as
 * they always were. */
#ifndef MASHDESK_PRIVILEGE_H
#define MASHDESK_PRIVILEGE_H

#include <stdio.h>
#include <sys/types.h>

#include "mashdesk/error.h"

/* First thing in main(), before the locale or anything else reads the
 * environment.  0, or EX_OSERR when the group cannot be set aside (then
 * the program must stop). */
int priv_start(struct md_error *err);

/* 1 when started setgid by someone other than root. */
int priv_untrusted(void);

/* 1 while the hub's group is in effect for an untrusted caller. */
int priv_hub_rights(void);

/* Put the hub's group in effect for the rest of the process. */
int priv_keep_group(struct md_error *err);

/* Give the hub's group up for good. */
int priv_drop_group(struct md_error *err);

/* Around code that works on a user's file by name: the effective group is
 * the caller's own until the matching end.  Nests.  begin returns 0, or -1
 * with errno set when the group could not be set aside (do not go on). */
int user_files_begin(void);
void user_files_end(void);

/* open(2) and fopen(3) of a file the user named, with the user's rights.
 * O_CLOEXEC is added. */
int user_file_open(const char *path, int flags, mode_t mode);
FILE *user_file_fopen(const char *path, const char *mode);

/* The environment allow-list: 1 when "NAME=VALUE" may stay in an
 * untrusted caller's environment (exposed for the unit tests). */
int priv_env_keep(const char *entry);

#endif
