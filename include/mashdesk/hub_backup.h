/* hub_backup.h - copies of a hub taken while desks work, checking a copy,
 * and making a working hub from one (src/hub_backup.c).
 *
 * A backup reads the hub through a connection of its own with SQLite's
 * online backup API, a few pages at a time, inside one read transaction:
 * in WAL mode a reader never holds up a writer, so desks keep saving at
 * their usual speed, and the copy is the hub exactly as it stood when the
 * backup began (later saves are not in it, earlier ones all are).  On a
 * network filesystem's rollback journal a reader does hold writers up, so
 * there the lock is let go between steps and the copy starts over if
 * someone saved meanwhile (EX_TEMPFAIL after too many restarts).
 *
 * The copy is written under a temporary name beside its final one
 * (backup_file.h), never with a mode wider than the hub's (its group too
 * where the process may give it), made a standalone file (journal mode
 * DELETE: no -wal or -shm needed), checked as hub_copy_check does, synced,
 * optionally encrypted with age (the plain copy removed), and only then
 * linked into place.  Killed at any point, it leaves nothing at the final
 * name; the next backup into that directory removes the litter.  The backup
 * is recorded in the hub's audit log; if that cannot be written, the copy
 * is removed again, so no copy exists unrecorded. */
/* On PostgreSQL: pg_dump --format=custom in a snapshot the connection
 * exports (what the backup reports is what the dump holds), through the
 * same temporary name, check (pg_restore --list), encryption, naming and
 * audit entry; `restore --to postgresql://...` runs pg_restore in one
 * transaction into an empty database only.  pgBackRest, not this, gives
 * point-in-time recovery (README, PostgreSQL). */
#ifndef MASHDESK_HUB_BACKUP_H
#define MASHDESK_HUB_BACKUP_H

#include <limits.h>

#include "mashdesk/config.h"
#include "mashdesk/error.h"

struct hub;

/* What a check of a copy found. */
struct hub_copy_info {
	char name[128];              /* the hub's name */
	int training;                /* 1 = a training hub */
	int schema;                  /* its schema version */
	long long referrals;         /* contacts and referrals in it */
	long long audit_rows;        /* the audit chain's length, all intact */
	long long audit_id;          /* its newest row, as `audit head` */
	char audit_hash[65];
	long long created_at;        /* when the newest audit row was written */
	int encrypted;               /* the file was an age file */
	long long bytes;             /* the (decrypted) copy's size */
	/* A PostgreSQL hub's copy: a pg_dump custom archive, checked with
	 * pg_restore --list (the fields above are then what the hub held
	 * when it was dumped, for a backup or restore; empty for a check). */
	int pg_dump;
	char database[128];          /* the database it was dumped from */
	char dumped_at[64];          /* when, as pg_dump wrote it */
};

struct hub_backup_opts {
	const char *address;         /* the hub's address as given (with a
	                              * postgresql:// one's password, for
	                              * pg_dump; never shown) */
	const char *path;            /* the copy's name; or NULL with dir */
	const char *dir;             /* a directory: named by time (backup_file.h) */
	int keep;                    /* with dir: keep the newest N (0 = all) */
	int replace;                 /* path may replace an existing file */
	const char *recipient;       /* age recipient (public key) or NULL */
	int pages_per_step;          /* 0 = HUB_BACKUP_PAGES */
	int pause_us;                /* between steps; -1 = HUB_BACKUP_PAUSE_US */
	int lazy;                    /* benchmark only: leave the copy's pages
	                              * to the kernel (no fdatasync per step) */
	const char *test_pause;      /* tests only: after the first step, make
	                              * this file and wait while it exists */
};

#define HUB_BACKUP_PAGES 256         /* 1 MB of 4 kB pages per step */
#define HUB_BACKUP_PAUSE_US 1000     /* between steps (see hub_backup.c) */
#define HUB_BACKUP_RESTARTS 20       /* rollback journal: give up after */

struct hub_backup_result {
	char path[PATH_MAX];         /* where the copy is */
	long long pages, steps;
	int restarts;                /* rollback journal only */
	double copy_seconds, check_seconds;
	int pruned;                  /* old copies removed (keep) */
	struct hub_copy_info info;
};

/* Take a copy of the hub (admins; trainers too on a training hub: the
 * BACKUP rule).  EX_CANTCREAT when path exists and !replace, or its
 * directory is missing; EX_DATAERR when the copy fails its check (it is
 * removed); EX_TEMPFAIL when a rollback-journal hub kept changing. */
int hub_backup(struct hub *hub, const struct hub_backup_opts *o,
	       struct hub_backup_result *r, struct md_error *err);

/* Check a copy without changing it: a standalone mashdesk hub (not a WAL
 * file), PRAGMA integrity_check, foreign keys, the audit chain (as `audit
 * verify`), the hub row.  An age file needs identity (a key file), with
 * which it is decrypted to a temporary file beside it, checked, and
 * removed; without one: EX_USAGE saying so.  EX_NOINPUT when missing,
 * EX_DATAERR naming what is wrong. */
int hub_copy_check(const char *path, const struct config *cfg,
		   const char *identity, struct hub_copy_info *info,
		   struct md_error *err);

struct hub_restore_opts {
	const char *identity;        /* for an age file */
	const char *login;           /* who restores (for the audit log) */
	const char *group;           /* Unix group for the new hub, or NULL */
};

/* Make a working hub at `to` from the copy: refuses an existing file at
 * `to` (EX_CANTCREAT); checks the copy as hub_copy_check does; writes it
 * under a temporary name beside `to` (mode 0660 less the umask, the
 * group's when given), brings its schema up to date, records the restore
 * in its audit log, and links it into place. */
int hub_restore(const char *copy, const char *to, const struct config *cfg,
		const struct hub_restore_opts *o, struct hub_copy_info *info,
		struct md_error *err);

#endif
