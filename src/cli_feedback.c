/* cli_feedback.c - feedback to the referrer: `feedback` records what they
 * were told, `feedback letter` prints their letter from the hub's
 * template.  The rules are the data layer's (hub_feedback.h); here are
 * the options, the template file and the output. */
#include "cli_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mashdesk/hub_feedback.h"
#include "mashdesk/privilege.h"
#include "mashdesk/text.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/mashdesk"
#endif

#define TEMPLATE_MAX (64 * 1024)

struct feedback_args {
	const char *ref, *kind, *method, *text, *output;
};

/* ---- feedback ------------------------------------------------------------ */

int cli_cmd_feedback(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "method", required_argument, NULL, 'm' },
		{ "text", required_argument, NULL, 't' },
		{ 0, 0, 0, 0 }
	};
	struct feedback_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'k': a.kind = optarg; break;
		case 'm': a.method = optarg; break;
		case 't': a.text = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (!a.kind || !a.method || !a.text)
		return cli_usage(c, "--%s is required", !a.kind ? "kind" :
				 !a.method ? "method" : "text");
	a.ref = argv[optind];
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	if (hub_feedback_record(hub, a.ref, a.kind, a.method, a.text, &c->err))
		status = cli_fail_err(c);
	else if (c->out_tty)
		printf("%s: %s given by %s\n", a.ref, a.kind, a.method);
	hub_close(hub);
	return status;
}

/* ---- feedback letter ------------------------------------------------------ */

/* The template: [feedback] letter_template, else $MASHDESK_LETTER (a
 * program not run setgid: the tests), else the installed letter.txt (or,
 * run from a build tree not installed, the source tree's).
 * Read with the user's rights.  *text is malloc'd. */
static int read_template(struct cli *c, char **text)
{
	const char *env = priv_untrusted() ? NULL : getenv("MASHDESK_LETTER");
	char shipped[PATH_MAX];
	cli_data_path("letter.txt", "etc/letter.txt", shipped, sizeof shipped);
	const char *path = c->cfg.letter_template[0] ? c->cfg.letter_template
		: env && *env ? env : shipped;
	*text = NULL;
	int fd = user_file_open(path, O_RDONLY, 0);
	if (fd < 0)
		return cli_fail(c, EX_NOINPUT, "cannot read the letter template "
				"%s: %s", path, strerror(errno));
	char *buf = malloc(TEMPLATE_MAX + 1);
	size_t n = 0;
	ssize_t got = 0;
	while (buf && n < TEMPLATE_MAX &&
	       (got = read(fd, buf + n, TEMPLATE_MAX - n)) > 0)
		n += (size_t)got;
	int more = buf && n == TEMPLATE_MAX && read(fd, &(char){ 0 }, 1) > 0;
	close(fd);
	if (!buf)
		return cli_fail(c, EX_OSERR, "out of memory");
	if (got < 0 || more || !text_valid_utf8(buf, n) || memchr(buf, '\0', n)) {
		free(buf);
		return cli_fail(c, EX_DATAERR, "the letter template %s is %s", path,
				got < 0 ? "unreadable" : more ? "over 64 KiB"
				: "not UTF-8 text");
	}
	buf[n] = '\0';
	*text = buf;
	return 0;
}

int cli_cmd_feedback_letter(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ 0, 0, 0, 0 }
	};
	struct feedback_args a = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'k': a.kind = optarg; break;
		case 'o': a.output = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	if (a.output && !*a.output)
		return cli_usage(c, "--output: needs a file name");
	a.ref = argv[optind];

	char *tmpl = NULL, *letter = NULL;
	int status = read_template(c, &tmpl);
	if (status)
		return status;
	/* Check the template's placeholders before anything is written. */
	struct feedback_letter *l = calloc(1, sizeof *l);
	if (!l) {
		free(tmpl);
		return cli_fail(c, EX_OSERR, "out of memory");
	}
	if (feedback_letter_fill(tmpl, l, &letter, &c->err)) {
		free(tmpl);
		free(l);
		return cli_fail_err(c);
	}
	free(letter);
	letter = NULL;

	/* The output next (a new file, never over another), so that a letter
	 * that cannot be written is not audited as printed. */
	int fd = -1;
	if (a.output) {
		fd = user_file_open(a.output, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			status = cli_fail(c, EX_CANTCREAT, "cannot create %s: %s",
					  a.output, errno == EEXIST ? "it exists "
					  "already" : strerror(errno));
			free(tmpl);
			free(l);
			return status;
		}
	}
	struct hub *hub = NULL;
	status = cli_open_hub(c, &hub);
	if (!status && (hub_feedback_letter(hub, a.ref, a.kind, l, &c->err) ||
			feedback_letter_fill(tmpl, l, &letter, &c->err)))
		status = cli_fail_err(c);
	if (hub)
		hub_close(hub);
	if (!status && fd >= 0) {
		size_t n = strlen(letter), off = 0;
		while (off < n) {
			ssize_t w = write(fd, letter + off, n - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		int closed = close(fd);
		fd = -1;
		if (off < n || closed != 0) {
			status = cli_fail(c, EX_IOERR, "cannot write %s: %s",
					  a.output, strerror(errno));
			if (user_files_begin() == 0) {  /* cut short: none */
				unlink(a.output);
				user_files_end();
			}
		}
	} else if (!status) {
		/* on a terminal, names and texts are made inert */
		if (c->out_tty) {
			size_t cap = 4 * strlen(letter) + 1;
			char *inert = malloc(cap);
			if (inert) {
				text_inert(inert, cap, letter, 0);
				fputs(inert, stdout);
			}
			free(inert);
		} else {
			fputs(letter, stdout);
		}
	}
	if (fd >= 0) {          /* failed before writing: leave nothing */
		close(fd);
		if (user_files_begin() == 0) {
			unlink(a.output);
			user_files_end();
		}
	}
	free(letter);
	free(tmpl);
	free(l);
	return status;
}
