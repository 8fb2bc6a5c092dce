/* cli_report.c - `mashdesk report NAME` and `mashdesk export`.
 *
 * The figures come from the data layer (hub_report.h); this file only lays
 * them out: tab-separated with a header row when stdout is not a
 * terminal, an aligned table when it is. */
#include "cli_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mashdesk/hub_export.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_report.h"

#define TABLE_COLS 16
#define TABLE_ROWS 80
#define CELL_MAX 32

struct table {
	const char *head[TABLE_COLS];
	int ncols;
	char cell[TABLE_ROWS][TABLE_COLS][CELL_MAX];
	int nrows;
};

static void table_print(struct cli *c, const struct table *t)
{
	if (!c->out_tty) {
		for (int j = 0; j < t->ncols; j++)
			printf("%s%s", j ? "\t" : "", t->head[j]);
		putchar('\n');
		for (int i = 0; i < t->nrows; i++) {
			for (int j = 0; j < t->ncols; j++) {
				if (j)
					putchar('\t');
				cli_put(c, t->cell[i][j]);
			}
			putchar('\n');
		}
		return;
	}
	int w[TABLE_COLS];
	for (int j = 0; j < t->ncols; j++) {
		w[j] = (int)strlen(t->head[j]);
		for (int i = 0; i < t->nrows; i++)
			if ((int)strlen(t->cell[i][j]) > w[j])
				w[j] = (int)strlen(t->cell[i][j]);
	}
	/* The first column (a name) left, the figures right. */
	for (int j = 0; j < t->ncols; j++)
		printf(j ? "  %*s" : "%-*s", w[j], t->head[j]);
	putchar('\n');
	for (int i = 0; i < t->nrows; i++) {
		for (int j = 0; j < t->ncols; j++) {
			int pad = w[j] - (int)strlen(t->cell[i][j]);
			if (j)
				printf("  %*s", pad, "");
			cli_put(c, t->cell[i][j]);
			if (!j)
				printf("%*s", pad, "");
		}
		putchar('\n');
	}
}

static char *table_cell(struct table *t, int row, int col)
{
	return t->cell[row][col];
}

#define CELL(t, r, col, ...) \
	snprintf(table_cell((t), (r), (col)), CELL_MAX, __VA_ARGS__)

static void stats_cells(struct table *t, int row, int col,
			const struct report_stats *s)
{
	CELL(t, row, col, "%ld", s->count);
	report_fmt_hours(table_cell(t, row, col + 1), CELL_MAX, s->mean_h, s->count);
	report_fmt_hours(table_cell(t, row, col + 2), CELL_MAX, s->median_h, s->count);
	report_fmt_hours(table_cell(t, row, col + 3), CELL_MAX, s->p90_h, s->count);
}

/* ---- the four reports -------------------------------------------------------- */

static int report_turnaround(struct cli *c, struct hub *hub,
			     const struct report_period *p,
			     const struct report_period *p2, struct table *t)
{
	static const char *const head[] = {
		"group", "count", "mean_h", "median_h", "p90_h", "count2",
		"mean_h2", "median_h2", "p90_h2", "change_median_h",
		"change_median_pct",
	};
	struct report_turnaround a, b;
	if (hub_report_turnaround(hub, p, &a, &c->err) ||
	    (p2 && hub_report_turnaround(hub, p2, &b, &c->err)))
		return c->err.code;
	t->ncols = p2 ? 11 : 5;
	memcpy(t->head, head, sizeof head);
	for (int g = 0; g < REPORT_GROUPS; g++, t->nrows++) {
		CELL(t, g, 0, "%s", report_group_names[g]);
		stats_cells(t, g, 1, &a.g[g]);
		if (!p2)
			continue;
		stats_cells(t, g, 5, &b.g[g]);
		const struct report_stats *x = &a.g[g], *y = &b.g[g];
		if (!x->count || !y->count) {
			CELL(t, g, 9, "-");
			CELL(t, g, 10, "-");
			continue;
		}
		double d = x->median_h - y->median_h;
		char h[CELL_MAX - 2];
		report_fmt_hours(h, sizeof h, d, 1);
		CELL(t, g, 9, "%s%s", d > 0 && strcmp(h, "0.0") ? "+" : "", h);
		if (y->median_h > 0) {
			double pct = d / y->median_h * 100.0;
			report_fmt_hours(h, sizeof h, pct, 1);
			CELL(t, g, 10, "%s%s", pct > 0 && strcmp(h, "0.0") ? "+" : "", h);
		} else {
			CELL(t, g, 10, "-");
		}
	}
	return 0;
}

static int report_agencies(struct cli *c, struct hub *hub,
			   const struct report_period *p, struct table *t)
{
	static const char *const head[] = {
		"agency", "count", "mean_h", "median_h", "p90_h", "late",
		"late_pct", "open", "open_late",
	};
	struct report_agencies a;
	if (hub_report_agencies(hub, p, &a, &c->err))
		return c->err.code;
	t->ncols = 9;
	memcpy(t->head, head, sizeof head);
	for (int i = 0; i < a.n && i < TABLE_ROWS; i++, t->nrows++) {
		const struct report_agency *r = &a.a[i];
		CELL(t, i, 0, "%s", r->agency);
		stats_cells(t, i, 1, &r->s);
		CELL(t, i, 5, "%ld", r->late);
		report_fmt_pct(table_cell(t, i, 6), CELL_MAX, r->late, r->s.count);
		CELL(t, i, 7, "%ld", r->open);
		CELL(t, i, 8, "%ld", r->open_late);
	}
	return 0;
}

static int report_outcomes(struct cli *c, struct hub *hub,
			   const struct report_period *p, struct table *t)
{
	static const char *const head[] = { "by", "code", "count", "pct" };
	struct report_outcomes o;
	if (hub_report_outcomes(hub, p, &o, &c->err))
		return c->err.code;
	t->ncols = 4;
	memcpy(t->head, head, sizeof head);
	for (int i = 0; i < o.n && i < TABLE_ROWS; i++, t->nrows++) {
		CELL(t, i, 0, "%s", o.c[i].by);
		CELL(t, i, 1, "%s", o.c[i].code);
		CELL(t, i, 2, "%ld", o.c[i].count);
		report_fmt_pct(table_cell(t, i, 3), CELL_MAX, o.c[i].count, o.decided);
	}
	return 0;
}

static int report_repeats(struct cli *c, struct hub *hub,
			  const struct report_period *p, struct table *t)
{
	static const char *const head[] = {
		"group", "referrals", "repeats", "repeat_pct", "same_child",
		"same_household",
	};
	struct report_repeats r;
	if (hub_report_repeats(hub, p, &r, &c->err))
		return c->err.code;
	t->ncols = 6;
	memcpy(t->head, head, sizeof head);
	for (int g = 0; g < REPORT_GROUPS; g++, t->nrows++) {
		const struct report_repeat *x = &r.g[g];
		CELL(t, g, 0, "%s", report_group_names[g]);
		CELL(t, g, 1, "%ld", x->referrals);
		CELL(t, g, 2, "%ld", x->repeats);
		report_fmt_pct(table_cell(t, g, 3), CELL_MAX, x->repeats, x->referrals);
		CELL(t, g, 4, "%ld", x->same_child);
		CELL(t, g, 5, "%ld", x->same_household);
	}
	return 0;
}

/* Contacts taken in, what screening made of them, and re-referrals: one
 * row per figure; pct is the share of contacts, or for re-referrals of
 * referrals (the national definition's base). */
static void contacts_cells(struct table *t, int col,
			   const struct report_contacts *x)
{
	int row = 0;
#define FIGURE(name, n, of) \
	do { \
		CELL(t, row, 0, "%s", name); \
		CELL(t, row, col, "%ld", (long)(n)); \
		report_fmt_pct(table_cell(t, row, col + 1), CELL_MAX, (n), (of)); \
		row++; \
	} while (0)
	FIGURE("contacts", x->contacts, x->contacts);
	FIGURE("referrals", x->referrals, x->contacts);
	FIGURE("closed", x->closed, x->contacts);
	for (int i = 0; i < x->n && row < TABLE_ROWS - 2; i++) {
		char name[CELL_MAX];
		snprintf(name, sizeof name, "closed-%.20s", x->by_outcome[i].code);
		FIGURE(name, x->by_outcome[i].count, x->contacts);
	}
	FIGURE("open", x->open, x->contacts);
	FIGURE("re-referrals", x->rereferrals, x->referrals);
#undef FIGURE
	t->nrows = row;
}

static int report_contacts(struct cli *c, struct hub *hub,
			   const struct report_period *p,
			   const struct report_period *p2, struct table *t)
{
	static const char *const head[] = {
		"figure", "count", "pct", "count2", "pct2",
	};
	struct report_contacts a, b;
	if (hub_report_contacts(hub, p, &a, &c->err) ||
	    (p2 && hub_report_contacts(hub, p2, &b, &c->err)))
		return c->err.code;
	t->ncols = p2 ? 5 : 3;
	memcpy(t->head, head, sizeof head);
	contacts_cells(t, 1, &a);
	if (p2)
		contacts_cells(t, 3, &b);
	return 0;
}

/* The share of feedback to referrers given on time, by kind: one row
 * each, counts and the share of those owed (hub_feedback.h). */
static int report_feedback(struct cli *c, struct hub *hub,
			   const struct report_period *p, struct table *t)
{
	static const char *const head[] = {
		"kind", "clocks", "on_time", "late", "overdue", "running",
		"on_time_pct",
	};
	struct feedback_report r;
	if (hub_feedback_report(hub, p->from, p->to, &r, &c->err))
		return c->err.code;
	t->ncols = 7;
	memcpy(t->head, head, sizeof head);
	for (int k = 0; k < FEEDBACK_KINDS; k++) {
		const struct feedback_report_kind *x = &r.k[k];
		CELL(t, k, 0, "%s", feedback_kind_names[k]);
		CELL(t, k, 1, "%ld", x->clocks);
		CELL(t, k, 2, "%ld", x->on_time);
		CELL(t, k, 3, "%ld", x->late);
		CELL(t, k, 4, "%ld", x->overdue);
		CELL(t, k, 5, "%ld", x->running);
		report_fmt_pct(table_cell(t, k, 6), CELL_MAX, x->on_time,
			       x->on_time + x->late + x->overdue);
	}
	t->nrows = FEEDBACK_KINDS;
	return 0;
}

static const char *const report_names[] = {
	"turnaround", "agencies", "outcomes", "repeats", "contacts", "feedback",
};
#define NREPORTS (int)(sizeof report_names / sizeof report_names[0])

int cli_cmd_report(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *from = NULL, *to = NULL, *from2 = NULL,
		   *to2 = NULL;
	/* Our own loop: --compare takes two values, which getopt cannot. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cli_print_command_help(c->command);
			return 0;
		} else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
			if (i + 1 >= argc)
				return cli_usage(c, "%s: needs a date (YYYY-MM-DD)", a);
			*(a[2] == 'f' ? &from : &to) = argv[++i];
		} else if (!strncmp(a, "--from=", 7)) {
			from = a + 7;
		} else if (!strncmp(a, "--to=", 5)) {
			to = a + 5;
		} else if (!strcmp(a, "--compare")) {
			if (i + 2 >= argc)
				return cli_usage(c, "--compare: needs two dates, "
						 "FROM2 and TO2");
			from2 = argv[++i];
			to2 = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(c, "%s: unknown option", a);
		} else if (name) {
			return cli_usage(c, "unexpected argument '%s'", a);
		} else {
			name = a;
		}
	}
	int which = -1;
	for (int i = 0; name && i < NREPORTS; i++)
		if (!strcmp(name, report_names[i]))
			which = i;
	if (!name)
		return cli_usage(c, "NAME is missing (turnaround, agencies, "
				 "outcomes, repeats, contacts or feedback)");
	if (which < 0)
		return cli_usage(c, "'%s' is not a report (turnaround, agencies, "
				 "outcomes, repeats, contacts or feedback)", name);
	if (from2 && which != 0 && which != 4)
		return cli_usage(c, "--compare works with turnaround and contacts "
				 "only");
	struct report_period p, p2;
	if (hub_report_period(from, to, "--from", "--to", &p, &c->err) ||
	    (from2 && hub_report_period(from2, to2, "--compare FROM2",
					"--compare TO2", &p2, &c->err)))
		return cli_fail_err(c);
	if (from2 && (!from2[0] || !to2[0]))
		return cli_usage(c, "--compare: needs two dates, FROM2 and TO2");
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	struct table *t = calloc(1, sizeof *t);
	if (!t) {
		hub_close(hub);
		return cli_fail(c, EX_OSERR, "out of memory");
	}
	switch (which) {
	case 0: status = report_turnaround(c, hub, &p, from2 ? &p2 : NULL, t); break;
	case 1: status = report_agencies(c, hub, &p, t); break;
	case 2: status = report_outcomes(c, hub, &p, t); break;
	case 3: status = report_repeats(c, hub, &p, t); break;
	case 4: status = report_contacts(c, hub, &p, from2 ? &p2 : NULL, t); break;
	default: status = report_feedback(c, hub, &p, t); break;
	}
	if (status)
		status = cli_fail_err(c);
	else
		table_print(c, t);
	free(t);
	hub_close(hub);
	return status;
}

/* ---- export ------------------------------------------------------------------------ */

int cli_cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ 0, 0, 0, 0 }
	};
	const char *from = NULL, *to = NULL, *output = NULL;
	int force = 0, ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'o': output = optarg; break;
		case 'F': force = 1; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	if (!from || !to || !*from || !*to)
		return cli_usage(c, "--from and --to are both required");
	if (output && !*output)
		return cli_usage(c, "--output: needs a file name");
	/* Names and free text straight to a terminal could carry escape
	 * sequences: CSV goes to a file or a pipe only. */
	if (!output && c->out_tty)
		return cli_usage(c, "standard output is a terminal: give "
				 "--output FILE or pipe the CSV somewhere");
	struct report_period p;
	if (hub_report_period(from, to, "--from", "--to", &p, &c->err))
		return cli_fail_err(c);
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	struct export_request req = { .period = &p, .path = output,
				      .out = stdout, .force = force };
	long rows = 0;
	if (hub_export(hub, &req, &rows, &c->err))
		status = cli_fail_err(c);
	else if (output && c->out_tty)
		printf("exported %ld referral%s to %s\n", rows,
		       rows == 1 ? "" : "s", output);
	hub_close(hub);
	return status;
}
