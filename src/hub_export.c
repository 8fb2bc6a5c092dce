/* hub_export.c - referrals and their decisions out of the hub as CSV,
 * coded for the children-in-need return (see hub_export.h).
 *
 * Safety, in order:
 *  - only supervisors and admins (hub_permit: a refusal is audited);
 *  - agency entries whose handling code never leaves the hub
 *    (handling_code.leaves_hub = 0, "restricted") are left out in SQL, so
 *    no later change to the C can let one through;
 *  - the file is written in full to a temporary file beside it and only
 *    then linked (or, with --force, renamed) into place: a reader never
 *    sees half an export, and an existing file is never overwritten by
 *    accident (link fails if the name was taken meanwhile);
 *  - the export is audited once it is in place; if the audit cannot be
 *    written the file is removed again, so no export exists unrecorded.
 *    Exports to stdout are staged in a temporary file, audited, then
 *    copied out.
 * Every row carries the hub's mode (live or training), so that an import
 * of a live export into a training hub, or the reverse, can be refused.
 * The file is the user's: every step on it by name (the temporary file,
 * link or rename, removal) is taken with the user's own rights, never with
 * the hub group's a setgid mashdesk holds (privilege.h), so an export
 * cannot write into the hub's directory. */
#include "hub_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/csv.h"
#include "mashdesk/hub_export.h"
#include "mashdesk/hub_report.h"
#include "mashdesk/privilege.h"

static const char *const export_header[] = {
	"hub_mode", "hub", "ref", "received", "child", "dob", "dob_estimated",
	"gender", "source", "cin_source", "category", "cin_primary_need", "rag",
	"level", "status", "decided", "outcome", "checks",
};
#define EXPORT_COLS ((int)(sizeof export_header / sizeof export_header[0]))

static const char export_sql[] =
	"SELECT r.ref, r.received_at, r.child_name, r.dob, r.dob_estimated,"
	" r.gender, r.source, s.cin_code, r.category, c.cin_code, r.rag, r.level,"
	" r.status, r.decided_at, d.outcome,"
	" (SELECT group_concat(k.agency || '=' || k.status, ';') FROM"
	"   (SELECT k.agency, k.status FROM agency_check k"
	"    JOIN handling_code h ON h.code = k.handling AND h.leaves_hub = 1"
	"    JOIN agency a ON a.code = k.agency"
	"    WHERE k.referral_id = r.id ORDER BY a.sort) k)"
	" FROM referral r LEFT JOIN source s ON s.code = r.source"
	" LEFT JOIN category c ON c.code = r.category"
	" LEFT JOIN decision d ON d.referral_id = r.id"
	" WHERE r.stage = 'referral' AND r.received_at >= ?1 AND r.received_at < ?2"
	" ORDER BY r.received_at, r.id";

static const char *col(struct db_stmt *st, int i)
{
	const char *t = db_column_text(st, i);
	return t ? (const char *)t : "";
}

/* Every referral of the period as one record; *rows counts them. */
static int export_rows(struct hub *hub, const struct report_period *p,
		       FILE *out, long *rows, struct md_error *err)
{
	struct db_stmt *st = NULL;
	int rc = hub_prepare(hub, export_sql, &st, err);
	if (rc != 0)
		return rc;
	db_bind_int64(st, 1, p->from);
	db_bind_int64(st, 2, p->to);
	const char *mode = hub->training ? "training" : "live";
	int status = 0;
	if (csv_write_record(out, export_header, EXPORT_COLS))
		status = md_fail(err, EX_IOERR, "writing the export: %s",
				 strerror(errno));
	while (!status && (rc = db_step(st)) == DB_ROW) {
		char received[CLOCK_ISO_MAX], decided[CLOCK_ISO_MAX] = "";
		clock_format_iso(db_column_int64(st, 1), received);
		if (db_column_type(st, 13) != DB_NULL)
			clock_format_iso(db_column_int64(st, 13), decided);
		const char *f[EXPORT_COLS] = {
			mode, hub->name, col(st, 0), received, col(st, 2),
			col(st, 3), col(st, 4), col(st, 5), col(st, 6), col(st, 7),
			col(st, 8), col(st, 9), col(st, 10), col(st, 11),
			col(st, 12), decided, col(st, 14), col(st, 15),
		};
		if (csv_write_record(out, f, EXPORT_COLS))
			status = md_fail(err, EX_IOERR, "writing the export: %s",
					 strerror(errno));
		else
			(*rows)++;
	}
	if (!status && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "reading referrals to export", err);
	db_finalize(st);
	return status;
}

/* Flush and sync a staged file; EX_IOERR naming it. */
static int export_flush(FILE *f, const char *name, struct md_error *err)
{
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		return md_fail(err, EX_IOERR, "writing %s: %s", name,
			       strerror(errno));
	return 0;
}

static int export_audit(struct hub *hub, const struct report_period *p,
			long rows, const char *where, struct md_error *err)
{
	int status = hub_begin(hub, err);
	if (!status)
		status = hub_audit(hub, "export", 0, err, "exported %ld referral%s "
				   "received %s to %s from %s hub %s to %s", rows,
				   rows == 1 ? "" : "s", p->from_text, p->to_text,
				   hub->training ? "training" : "live", hub->name,
				   where);
	return hub_end(hub, status, err);
}

/* Put the finished temporary file at path: link (fails if the name was
 * taken meanwhile) unless force, where rename replaces it. */
static int export_publish(const char *tmp, const char *path, int force,
			  struct md_error *err)
{
	if (force) {
		if (rename(tmp, path) != 0)
			return md_fail(err, EX_CANTCREAT, "cannot write %s: %s",
				       path, strerror(errno));
		return 0;
	}
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno == EEXIST)
		return md_fail(err, EX_CANTCREAT, "%s already exists; refusing to "
			       "overwrite it (--force replaces it)", path);
	/* A filesystem without hard links: check, then rename. */
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return md_fail(err, EX_CANTCREAT, "%s already exists; refusing to "
			       "overwrite it (--force replaces it)", path);
	if (rename(tmp, path) != 0)
		return md_fail(err, EX_CANTCREAT, "cannot write %s: %s", path,
			       strerror(errno));
	return 0;
}

/* The temporary file beside path, with the user's rights. */
static int export_create(const char *path, char *tmp, size_t len, FILE **f,
			 struct md_error *err)
{
	if ((size_t)snprintf(tmp, len, "%s.XXXXXX", path) >= len)
		return md_fail(err, EX_CANTCREAT, "%s: name too long", path);
	int fd = mkstemp(tmp);   /* mode 0600: children's records */
	if (fd < 0)
		return md_fail(err, EX_CANTCREAT, "cannot create %s: %s", path,
			       strerror(errno));
	if (!(*f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	return 0;
}

static int export_to_file(struct hub *hub, const struct export_request *req,
			  long *rows, struct md_error *err)
{
	const char *path = req->path;
	struct stat sb;
	char tmp[PATH_MAX], abs[PATH_MAX];
	FILE *f = NULL;
	if (user_files_begin() != 0)
		return md_fail(err, EX_OSERR, "cannot act with your own rights: %s",
			       strerror(errno));
	int status = 0;
	if (lstat(path, &sb) == 0 && (!req->force || S_ISDIR(sb.st_mode)))
		status = md_fail(err, EX_CANTCREAT, "%s already exists; refusing "
				 "to overwrite it%s", path, S_ISDIR(sb.st_mode) ?
				 " (it is a directory)" : " (--force replaces it)");
	if (!status)
		status = export_create(path, tmp, sizeof tmp, &f, err);
	user_files_end();
	if (status)
		return status;
	status = export_rows(hub, req->period, f, rows, err);   /* the hub's */
	if (!status)
		status = export_flush(f, path, err);
	if (fclose(f) != 0 && !status)
		status = md_fail(err, EX_IOERR, "writing %s: %s", path,
				 strerror(errno));
	if (user_files_begin() != 0)
		status = status ? status : md_fail(err, EX_OSERR, "cannot act "
						   "with your own rights: %s",
						   strerror(errno));
	else {
		if (!status)
			status = export_publish(tmp, path, req->force, err);
		if (status)
			unlink(tmp);
		else if (!realpath(path, abs))
			snprintf(abs, sizeof abs, "%s", path);
		user_files_end();
	}
	if (status)
		return status;
	if ((status = export_audit(hub, req->period, *rows, abs, err)) &&
	    user_files_begin() == 0) {
		unlink(path);   /* no export without its audit entry */
		user_files_end();
	}
	return status;
}

static int export_to_stream(struct hub *hub, const struct export_request *req,
			    long *rows, struct md_error *err)
{
	FILE *f = tmpfile();
	if (!f)
		return md_fail(err, EX_CANTCREAT, "cannot create a temporary "
			       "file: %s", strerror(errno));
	int status = export_rows(hub, req->period, f, rows, err);
	if (!status && fflush(f) != 0)
		status = md_fail(err, EX_IOERR, "writing a temporary file: %s",
				 strerror(errno));
	if (!status)
		status = export_audit(hub, req->period, *rows, "standard output",
				      err);
	if (!status) {
		char buf[8192];
		size_t n;
		rewind(f);
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			if (fwrite(buf, 1, n, req->out) != n)
				break;
		if (ferror(f) || fflush(req->out) != 0 || ferror(req->out))
			status = md_fail(err, EX_IOERR, "writing the export to "
					 "standard output: %s", strerror(errno));
	}
	fclose(f);
	return status;
}

int hub_export(struct hub *hub, const struct export_request *req, long *rows,
	       struct md_error *err)
{
	*rows = 0;
	int status = hub_permit(hub, HUB_ACT_EXPORT, err);
	if (status)
		return status;
	if (!req->period->from_text[0] || !req->period->to_text[0])
		return md_fail(err, EX_USAGE, "--from and --to are both required: "
			       "an export names the period it covers");
	if (req->path)
		return export_to_file(hub, req, rows, err);
	if (!req->out)
		return md_fail(err, EX_SOFTWARE, "export: nowhere to write");
	return export_to_stream(hub, req, rows, err);
}
