/* cli_subject.c - `mashdesk subject-access`: everything the hub holds about
 * one child, as a document for review before disclosure (the finding, the
 * marks and the audit are the data layer's: hub_subject.h).
 *
 * The document goes out only once it is whole and audited: to standard
 * output from an anonymous temporary file; to --output FILE through a
 * staging file beside it, created with the user's own rights
 * (user_file_open, privilege.h) and mode 0600, then linked into place (or
 * with --force renamed over it), as `export --output` does.  An existing
 * FILE is refused (73) before the hub is opened; on any failure the
 * staging file goes and FILE is as it was. */
#include "cli_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/hub_subject.h"
#include "mashdesk/privilege.h"

struct subject_out {
	const char *path;             /* NULL = standard output */
	int force;
	char tmp[PATH_MAX];           /* the staging file, while it exists */
	char where[PATH_MAX];         /* the path for the audit */
	FILE *f;
};

/* 73 when path is taken (a directory always; a file unless force). */
static int output_free(struct cli *c, const struct subject_out *o)
{
	struct stat sb;
	if (user_files_begin() != 0)
		return cli_fail(c, EX_OSERR, "cannot act with your own rights: %s",
				strerror(errno));
	int taken = lstat(o->path, &sb) == 0;
	user_files_end();
	if (taken && (!o->force || S_ISDIR(sb.st_mode)))
		return cli_fail(c, EX_CANTCREAT, "%s already exists; refusing to "
				"overwrite it%s", o->path, S_ISDIR(sb.st_mode) ?
				" (it is a directory)" : " (--force replaces it)");
	return 0;
}

/* The staging file beside path, with the user's rights, mode 0600. */
static int output_stage(struct cli *c, struct subject_out *o)
{
	if ((size_t)snprintf(o->tmp, sizeof o->tmp, "%s.partial-%ld", o->path,
			     (long)getpid()) >= sizeof o->tmp)
		return cli_fail(c, EX_CANTCREAT, "%s: name too long", o->path);
	int fd = user_file_open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		int e = errno;
		o->tmp[0] = '\0';
		return cli_fail(c, EX_CANTCREAT, "cannot create %s: %s", o->path,
				strerror(e));
	}
	if (!(o->f = fdopen(fd, "w"))) {
		close(fd);
		return cli_fail(c, EX_OSERR, "out of memory");
	}
	if (user_files_begin() == 0) {
		char dir[PATH_MAX];
		/* The audit names the file by its full path. */
		if (realpath(o->tmp, dir)) {
			char *cut = strrchr(dir, '/');
			const char *base = strrchr(o->path, '/');
			if (cut)
				*cut = '\0';
			if ((size_t)snprintf(o->where, sizeof o->where, "%s/%s",
					     dir, base ? base + 1 : o->path)
			    >= sizeof o->where)
				o->where[0] = '\0';
		}
		user_files_end();
	}
	if (!o->where[0])
		snprintf(o->where, sizeof o->where, "%s", o->path);
	return 0;
}

/* Remove the staging file (a failure: FILE stays as it was). */
static void output_discard(struct subject_out *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0] && user_files_begin() == 0) {
		unlink(o->tmp);
		user_files_end();
	}
	o->tmp[0] = '\0';
}

/* The whole document into place: link (fails if the name was taken
 * meanwhile) unless force, where rename replaces what is there. */
static int output_publish(struct cli *c, struct subject_out *o)
{
	int status = 0;
	if (fsync(fileno(o->f)) != 0 || fclose(o->f) != 0)
		status = cli_fail(c, EX_IOERR, "writing %s: %s", o->path,
				  strerror(errno));
	o->f = NULL;
	if (status)
		return status;
	if (user_files_begin() != 0)
		return cli_fail(c, EX_OSERR, "cannot act with your own rights: %s",
				strerror(errno));
	if (o->force ? rename(o->tmp, o->path) == 0
	    : link(o->tmp, o->path) == 0 && unlink(o->tmp) == 0) {
		o->tmp[0] = '\0';
	} else if (errno == EEXIST) {
		status = cli_fail(c, EX_CANTCREAT, "%s already exists; refusing "
				  "to overwrite it (--force replaces it)", o->path);
	} else {
		/* A filesystem without hard links: check, then rename. */
		struct stat sb;
		if (lstat(o->path, &sb) == 0)
			status = cli_fail(c, EX_CANTCREAT, "%s already exists; "
					  "refusing to overwrite it (--force "
					  "replaces it)", o->path);
		else if (rename(o->tmp, o->path) != 0)
			status = cli_fail(c, EX_CANTCREAT, "cannot write %s: %s",
					  o->path, strerror(errno));
		else
			o->tmp[0] = '\0';
	}
	user_files_end();
	return status;
}

/* The audited document from the anonymous temporary file to stdout. */
static int output_copy(struct cli *c, FILE *f)
{
	char buf[8192];
	size_t n;
	rewind(f);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	if (ferror(f) || fflush(stdout) != 0 || ferror(stdout))
		return cli_fail(c, EX_IOERR, "writing the document to standard "
				"output: %s", strerror(errno));
	return 0;
}

int cli_cmd_subject_access(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "child", required_argument, NULL, 'c' },
		{ "dob", required_argument, NULL, 'd' },
		{ "aliases", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ 0, 0, 0, 0 }
	};
	struct subject_request req = { 0 };
	struct subject_out o = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'c': req.child_name = optarg; break;
		case 'd': req.dob = optarg; break;
		case 'a': req.aliases = optarg; break;
		case 'o': o.path = optarg; break;
		case 'F': o.force = 1; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	if (!req.child_name || !*req.child_name)
		return cli_usage(c, "--child is required: the child's name as "
				 "the requester gives it");
	if (!req.dob || !*req.dob)
		return cli_usage(c, "--dob is required (YYYY-MM-DD)");
	if (o.path && !*o.path)
		return cli_usage(c, "--output: needs a file name");
	if (o.force && !o.path)
		return cli_usage(c, "--force goes with --output");
	int status = o.path ? output_free(c, &o) : 0;
	if (status)
		return status;
	struct hub *hub;
	if ((status = cli_open_hub(c, &hub)))
		return status;
	if (o.path) {
		status = output_stage(c, &o);
		req.where = o.where;
	} else if (!(o.f = tmpfile())) {
		status = cli_fail(c, EX_CANTCREAT, "cannot create a temporary "
				  "file: %s", strerror(errno));
	}
	int records = 0;
	if (!status && hub_subject_access(hub, &req, o.f, &records, &c->err))
		status = cli_fail_err(c);
	if (!status && o.path)
		status = output_publish(c, &o);
	else if (!status)
		status = output_copy(c, o.f);
	if (o.path) {
		output_discard(&o);
	} else if (o.f) {
		fclose(o.f);
	}
	if (!status && o.path && c->out_tty)
		printf("%d record%s written to %s for review before "
		       "disclosure\n", records, records == 1 ? "" : "s", o.path);
	hub_close(hub);
	return status;
}
