/* hub_import.c - referrals from CSV, all rows or none.
 *
 * The header row names the columns in any order.  Every row is validated
 * exactly as `referral add` validates, inside one BEGIN IMMEDIATE
 * transaction: the first bad row rolls everything back and the message names
 * its line and column. */
#include "hub_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mashdesk/clock.h"
#include "mashdesk/csv.h"

enum col_kind { COL_TEXT, COL_LEVEL, COL_TIME_RECEIVED, COL_TIME_DECIDED,
		COL_HUB_MODE };

static const struct import_col {
	const char *name;
	enum col_kind kind;
	size_t off;          /* COL_TEXT: offset of the const char * field */
	int required;
} import_cols[] = {
#define TXT(n, f) { n, COL_TEXT, offsetof(struct referral_input, f), 0 }
	{ "child", COL_TEXT, offsetof(struct referral_input, child_name), 1 },
	{ "dob", COL_TEXT, offsetof(struct referral_input, dob), 1 },
	{ "concern", COL_TEXT, offsetof(struct referral_input, concern), 1 },
	TXT("rag", rag), TXT("category", category), TXT("source", source),
	TXT("referrer", referrer), TXT("aliases", aliases),
	TXT("address", address), TXT("school", school), TXT("gp", gp),
	TXT("nhs_number", nhs_number), TXT("outcome", outcome),
	TXT("gender", gender), TXT("ethnicity", ethnicity),
	TXT("language", language), TXT("disability", disability),
	TXT("previous_address", previous_address), TXT("upn", upn),
	TXT("referrer_role", referrer_role),
	TXT("referrer_agency", referrer_agency),
	TXT("referrer_contact", referrer_contact), TXT("impact", impact),
	TXT("tried", tried), TXT("strengths", strengths),
	TXT("consent", consent), TXT("consent_reason", consent_reason),
	TXT("stage", stage),
	{ "level", COL_LEVEL, 0, 0 },
	{ "received", COL_TIME_RECEIVED, 0, 0 },
	{ "decided", COL_TIME_DECIDED, 0, 0 },
	/* `export` writes the hub's mode on every row: an import must come
	 * from a hub of the same kind (training and live never mix) */
	{ "hub_mode", COL_HUB_MODE, 0, 0 },
#undef TXT
};
#define NCOLS ((int)(sizeof import_cols / sizeof import_cols[0]))

struct import_map {
	int col_of_field[CSV_MAX_FIELDS];   /* CSV field -> import_cols index */
	int nfields;
};

/* A row exported from a hub of the other kind: refused, whole file. */
static int mode_refused(const char *from, int training, struct md_error *err)
{
	const char *mine = training ? "training" : "live";
	return md_fail(err, EX_NOPERM, "hub_mode: exported from a %.20s hub, but "
		       "this is a %s hub; nothing is copied between live and "
		       "training hubs", from, mine);
}

static int mode_check(const char *v, int training, struct md_error *err)
{
	return strcmp(v, training ? "training" : "live")
		? mode_refused(v, training, err) : 0;
}

/* An export of the other kind of hub carries columns import does not take;
 * say what matters (where it came from) rather than the first of them. */
static int unknown_column(struct csv_reader *r, const char *name, long line,
			  int f, const char *field, int mode_field,
			  int training, struct md_error *err)
{
	char **row, column[64];
	int n;
	long row_line;
	/* the reader reuses its buffers: keep the column's name first */
	snprintf(column, sizeof column, "%s", field);
	if (mode_field >= 0 && csv_next(r, &row, &n, &row_line, err) == 1 &&
	    mode_field < n && mode_check(row[mode_field], training, err)) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		return md_fail(err, EX_NOPERM, "%s line %ld: %s", name, row_line, why);
	}
	return md_fail(err, EX_DATAERR, "%s line %ld, column %d: unknown column "
		       "'%s'", name, line, f + 1, column);
}

static int read_header(struct csv_reader *r, const char *name, int training,
		       struct import_map *map, struct md_error *err)
{
	char **fields;
	int n, seen[NCOLS] = { 0 };
	long line;
	int rc = csv_next(r, &fields, &n, &line, err);
	if (rc == 0)
		return md_fail(err, EX_DATAERR, "%s: empty file (the first row "
			       "must name the columns: child, dob, concern, ...)",
			       name);
	if (rc != 1)
		return rc;
	map->nfields = n;
	int mode_field = -1;
	for (int f = 0; f < n; f++)
		if (!strcasecmp(fields[f], "hub_mode"))
			mode_field = f;
	for (int f = 0; f < n; f++) {
		int c;
		for (c = 0; c < NCOLS; c++)
			if (!strcasecmp(fields[f], import_cols[c].name))
				break;
		if (c == NCOLS)
			return unknown_column(r, name, line, f, fields[f],
					      mode_field, training, err);
		if (seen[c]++)
			return md_fail(err, EX_DATAERR, "%s line %ld, column %d: "
				       "column '%s' named twice", name, line,
				       f + 1, import_cols[c].name);
		map->col_of_field[f] = c;
	}
	for (int c = 0; c < NCOLS; c++)
		if (import_cols[c].required && !seen[c])
			return md_fail(err, EX_DATAERR, "%s line %ld: missing "
				       "required column '%s'", name, line,
				       import_cols[c].name);
	return 0;
}

/* Parse one field into the input; messages start with the column name. */
static int set_field(const struct import_col *col, const char *v,
		     int training, struct referral_input *in,
		     struct md_error *err)
{
	long long t;
	switch (col->kind) {
	case COL_TEXT:
		*(const char **)((char *)in + col->off) = *v ? v : NULL;
		return 0;
	case COL_LEVEL:
		if (!*v)
			return 0;
		if (v[0] < '1' || v[0] > '4' || v[1])
			return md_fail(err, EX_DATAERR, "level: '%.40s' is not a "
				       "level of need (1-4)", v);
		in->level = v[0] - '0';
		return 0;
	case COL_TIME_RECEIVED:
	case COL_TIME_DECIDED:
		if (!*v)
			return 0;
		if (clock_parse_iso(v, &t) != 0)
			return md_fail(err, EX_DATAERR, "%s: '%.40s' is not an "
				       "ISO 8601 time (YYYY-MM-DDTHH:MM:SS)",
				       col->name, v);
		if (col->kind == COL_TIME_RECEIVED)
			in->received_at = t;
		else
			in->decided_at = t;
		return 0;
	case COL_HUB_MODE:
		return mode_check(v, training, err);
	}
	return 0;
}

static int import_row(struct hub *hub, const struct import_map *map,
		      char **fields, int n, long long now, long long *id,
		      struct md_error *err)
{
	struct referral_input in = { .parents_aware = -1 };
	if (n != map->nfields)
		return md_fail(err, EX_DATAERR, "%d fields, but the header names "
			       "%d", n, map->nfields);
	for (int f = 0; f < n; f++) {
		int status = set_field(&import_cols[map->col_of_field[f]],
				       fields[f], hub->training, &in, err);
		if (status)
			return status;
	}
	int status = hub_referral_validate(hub, &in, err);
	char ref[MD_REF_MAX];
	if (!status)
		status = hub_referral_insert(hub, &in, NULL, now, id, ref, err);
	return status;
}

int hub_import_csv(struct hub *hub, FILE *in, const char *name, long *count,
		   struct md_error *err)
{
	*count = 0;
	int status = hub_permit(hub, HUB_ACT_REFERRAL_ADD, err);
	if (status)
		return status;
	struct csv_reader *r = csv_open(in, name);
	if (!r)
		return md_fail(err, EX_OSERR, "out of memory");
	struct import_map map = { .nfields = 0 };
	status = read_header(r, name, hub->training, &map, err);
	if (!status)
		status = hub_begin(hub, err);
	long long now = clock_now(), first = 0, id = 0;
	long rows = 0, line = 0;
	char **fields;
	int n, rc = 0;
	while (!status && (rc = csv_next(r, &fields, &n, &line, err)) == 1) {
		status = import_row(hub, &map, fields, n, now, &id, err);
		if (!status)
			status = hub_audit(hub, "import", id, err, "imported from "
					   "%s line %ld", name, line);
		if (!first)
			first = id;
		if (status) {
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err->msg);
			md_fail(err, status, "%s line %ld: %s", name, line, why);
		}
		rows++;
	}
	if (!status && rc != 0)
		status = rc;   /* the reader's own message names the line */
	if (!status && first)
		status = hub_search_index(hub, first, id, err);
	status = hub_end(hub, status, err);
	csv_close(r);
	if (status == EX_NOPERM)
		hub_audit_alone(hub, hub->me.login, "refused", 0, err->msg);
	if (!status)
		*count = rows;
	return status;
}
