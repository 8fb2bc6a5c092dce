/* shell.c - mashdesk as a login shell and an SSH forced command (see
 * shell.h).  Pure: no printing, no files; main.c prints and runs. */
#include "mashdesk/shell.h"

#include <stdlib.h>
#include <string.h>

#define SHELL_NAME "mashdesk-shell"
#define PROGRAM_NAME "mashdesk"

static const char *shell_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int shell_invoked(const char *argv0)
{
	if (!argv0)
		return 0;
	const char *base = shell_base(argv0);
	if (base == argv0 && base[0] == '-')
		base++;   /* a login shell: "-mashdesk-shell" */
	return strcmp(base, SHELL_NAME) == 0;
}

/* ---- splitting ------------------------------------------------------------- */

struct words {
	char **v;
	int n, cap;
	char *cur;          /* the word being built */
	size_t len, size;
	int in_word;
};

static int words_putc(struct words *w, char c)
{
	if (w->len + 2 > w->size) {
		size_t size = w->size ? w->size * 2 : 64;
		char *p = realloc(w->cur, size);
		if (!p)
			return -1;
		w->cur = p;
		w->size = size;
	}
	w->cur[w->len++] = c;
	w->cur[w->len] = '\0';
	w->in_word = 1;
	return 0;
}

static int words_end(struct words *w)
{
	if (!w->in_word)
		return 0;
	if (w->n + 2 > w->cap) {
		int cap = w->cap ? w->cap * 2 : 8;
		char **p = realloc(w->v, sizeof *p * (size_t)cap);
		if (!p)
			return -1;
		w->v = p;
		w->cap = cap;
	}
	w->v[w->n] = w->cur ? w->cur : strdup("");
	if (!w->v[w->n])
		return -1;
	w->v[++w->n] = NULL;
	w->cur = NULL;
	w->len = w->size = 0;
	w->in_word = 0;
	return 0;
}

void shell_free(char **words)
{
	for (char **p = words; p && *p; p++)
		free(*p);
	free(words);
}

static int shell_refuse_char(char c, struct md_error *err)
{
	if (c == '$' || c == '`')
		return md_fail(err, EX_USAGE, "'%c': no variables or command "
			       "substitution here (there is no shell); quote "
			       "it with '...' if you mean the character", c);
	if (c == '~')
		return md_fail(err, EX_USAGE, "'~': no ~ expansion here (there is "
			       "no shell); write the full path");
	if (c == '#')
		return md_fail(err, EX_USAGE, "'#': no comments here (there is no "
			       "shell); quote it with '...' if you mean the "
			       "character");
	return md_fail(err, EX_USAGE, "'%c': pipes, redirections, lists and "
		       "subshells are not run here (there is no shell): run one "
		       "mashdesk command, and pipe its output on your own side "
		       "(ssh HUB mashdesk queue | less)", c);
}

int shell_split(const char *line, char ***out, int *n, struct md_error *err)
{
	struct words w = { 0 };
	int status = 0;
	const char *p = line;
	*out = NULL;
	*n = 0;
	while (status == 0 && *p) {
		char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n') {
			if (words_end(&w))
				status = md_fail(err, EX_OSERR, "out of memory");
		} else if (c == '\'') {
			w.in_word = 1;
			while (status == 0 && *p && *p != '\'')
				if (words_putc(&w, *p++))
					status = md_fail(err, EX_OSERR, "out of memory");
			if (status == 0 && *p != '\'')
				status = md_fail(err, EX_USAGE, "a ' is not closed");
			else if (status == 0)
				p++;
		} else if (c == '"') {
			w.in_word = 1;
			while (status == 0 && *p && *p != '"') {
				char d = *p++;
				if (d == '$' || d == '`') {
					status = shell_refuse_char(d, err);
					break;
				}
				if (d == '\\' && *p == '\n') {
					p++;    /* a continued line */
					continue;
				}
				if (d == '\\' && (*p == '"' || *p == '\\' ||
						   *p == '$' || *p == '`'))
					d = *p++;
				if (words_putc(&w, d))
					status = md_fail(err, EX_OSERR, "out of memory");
			}
			if (status == 0 && *p != '"')
				status = md_fail(err, EX_USAGE, "a \" is not closed");
			else if (status == 0)
				p++;
		} else if (c == '\\') {
			if (*p == '\n') {
				p++;    /* a continued line */
			} else if (*p == '\0') {
				status = md_fail(err, EX_USAGE, "a \\ ends the command "
						 "with nothing to quote");
			} else if (words_putc(&w, *p++)) {
				status = md_fail(err, EX_OSERR, "out of memory");
			}
		} else if (strchr(";&|<>()`$", c) || ((c == '~' || c == '#') &&
							!w.in_word)) {
			status = shell_refuse_char(c, err);
		} else if (words_putc(&w, c)) {
			status = md_fail(err, EX_OSERR, "out of memory");
		}
	}
	if (status == 0 && words_end(&w))
		status = md_fail(err, EX_OSERR, "out of memory");
	if (status == 0 && !w.v && !(w.v = calloc(1, sizeof *w.v)))
		status = md_fail(err, EX_OSERR, "out of memory");
	free(w.cur);
	if (status) {
		shell_free(w.v);
		return status;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}

/* ---- what to run ---------------------------------------------------------------- */

/* word is NAME itself, or this program under a path ending in /NAME. */
static int shell_is(const char *word, const char *name,
		    shell_same_program_fn same)
{
	if (!strchr(word, '/'))
		return strcmp(word, name) == 0;
	return strcmp(shell_base(word), name) == 0 && same && same(word);
}

static int shell_vector(char **words, int from, int n, char ***out, int *outc,
			struct md_error *err)
{
	char **v = calloc((size_t)(n - from) + 2, sizeof *v);
	if (!v)
		return md_fail(err, EX_OSERR, "out of memory");
	v[0] = strdup(PROGRAM_NAME);
	int ok = v[0] != NULL;
	for (int i = from; ok && i < n; i++)
		ok = (v[i - from + 1] = strdup(words[i])) != NULL;
	if (!ok) {
		shell_free(v);
		return md_fail(err, EX_OSERR, "out of memory");
	}
	*out = v;
	*outc = n - from + 1;
	return 0;
}

/* One command line: the desk when empty, a mashdesk command, or (once,
 * when forced) this program again meaning "what the SSH client asked". */
static int shell_line(const char *line, const char *original, int forced_ok,
		      shell_same_program_fn same, char ***out, int *outc,
		      struct md_error *err)
{
	char **words;
	int n, status = shell_split(line, &words, &n, err);
	if (status)
		return status;
	if (n == 0)
		status = shell_vector(words, 0, 0, out, outc, err);
	else if (shell_is(words[0], PROGRAM_NAME, same))
		status = shell_vector(words, 1, n, out, outc, err);
	else if (forced_ok && n == 1 && shell_is(words[0], SHELL_NAME, same))
		status = shell_line(original ? original : "", NULL, 0, same, out,
				    outc, err);
	else
		status = md_fail(err, EX_NOPERM, "'%.80s' is not allowed here: "
				 "this login runs only mashdesk (try: mashdesk "
				 "--help; with no command, the desk opens)",
				 words[0]);
	shell_free(words);
	return status;
}

int shell_command(int argc, char **argv, const char *original,
		  shell_same_program_fn same, char ***out, int *outc,
		  struct md_error *err)
{
	*out = NULL;
	*outc = 0;
	if (argc <= 1)
		return shell_line(original ? original : "", NULL, 0, same, out,
				  outc, err);
	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		return shell_line(argv[2], original, 1, same, out, outc, err);
	return md_fail(err, EX_USAGE, "usage: mashdesk-shell [-c COMMAND]: this "
		       "login runs only mashdesk");
}
