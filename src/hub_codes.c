/* hub_codes.c - checking what is given to the hub: lookup codes (the only
 * table names ever put into SQL text), referral references, and the
 * reason, note or comment kept with an action. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

#include "mashdesk/text.h"

/* ---- codes -------------------------------------------------------------- */

/* Lookup tables by name: the only table names ever put into SQL text, and
 * they come from this fixed list, never from input. */
static const struct {
	const char *table;
	const char *list_sql;
	const char *exists_sql;
	const char *name_sql;
} code_tables[] = {
#define CODE_TABLE(t) { #t, "SELECT code, name, '' FROM " #t " ORDER BY sort", \
	"SELECT 1 FROM " #t " WHERE code = ?", \
	"SELECT name FROM " #t " WHERE code = ?" }
#define EXPLAINED_TABLE(t) { #t, "SELECT code, name, explanation FROM " #t \
	" ORDER BY sort", "SELECT 1 FROM " #t " WHERE code = ?", \
	"SELECT name FROM " #t " WHERE code = ?" }
	CODE_TABLE(agency), CODE_TABLE(category), CODE_TABLE(source),
	CODE_TABLE(outcome), EXPLAINED_TABLE(lawful_basis),
	EXPLAINED_TABLE(handling_code), CODE_TABLE(referral_status),
	CODE_TABLE(check_status), CODE_TABLE(consent_position),
	CODE_TABLE(rag), CODE_TABLE(role), CODE_TABLE(screening_outcome),
	CODE_TABLE(feedback_kind), CODE_TABLE(feedback_method),
#undef CODE_TABLE
#undef EXPLAINED_TABLE
};

static int code_table_index(const char *table)
{
	for (size_t i = 0; i < sizeof code_tables / sizeof code_tables[0]; i++)
		if (strcmp(code_tables[i].table, table) == 0)
			return (int)i;
	return -1;
}

int hub_code_name(struct hub *hub, const char *table, const char *code,
		  char *name, size_t len, struct md_error *err)
{
	int t = code_table_index(table);
	if (t < 0)
		return md_fail(err, EX_SOFTWARE, "no code table %s", table);
	struct db_stmt *st = hub_stmt(hub, code_tables[t].name_sql, err);
	if (!st)
		return err->code;
	hub_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW)
		hub_col_text(st, 0, name, len);
	hub_reset(st);
	if (rc == DB_DONE)
		return md_fail(err, EX_DATAERR, "%s: unknown code '%s'", table,
			       code ? code : "");
	return rc == DB_ROW ? 0 : hub_sql_fail(hub, rc, "reading a code", err);
}

int hub_list_codes(struct hub *hub, const char *table,
		   int (*cb)(const struct hub_code *c, void *arg), void *arg,
		   struct md_error *err)
{
	int t = code_table_index(table);
	if (t < 0)
		return md_fail(err, EX_SOFTWARE, "no code table %s", table);
	struct db_stmt *st = hub_stmt(hub, code_tables[t].list_sql, err);
	if (!st)
		return err->code;
	int rc, status = 0;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		struct hub_code c;
		hub_col_text(st, 0, c.code, sizeof c.code);
		hub_col_text(st, 1, c.name, sizeof c.name);
		hub_col_text(st, 2, c.explanation, sizeof c.explanation);
		status = cb(&c, arg);
	}
	if (status == 0 && rc != DB_DONE)
		status = hub_sql_fail(hub, rc, "listing codes", err);
	hub_reset(st);
	return status;
}

struct code_join {
	char text[512];
};

static int code_join_cb(const struct hub_code *c, void *arg)
{
	struct code_join *j = arg;
	size_t n = strlen(j->text);
	snprintf(j->text + n, sizeof j->text - n, "%s%s", n ? " " : "", c->code);
	return 0;
}

int hub_code_check(struct hub *hub, const char *table, const char *code,
		   const char *field, struct md_error *err)
{
	int t = code_table_index(table);
	if (t < 0)
		return md_fail(err, EX_SOFTWARE, "no code table %s", table);
	struct db_stmt *st = hub_stmt(hub, code_tables[t].exists_sql, err);
	if (!st)
		return err->code;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	hub_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return hub_sql_fail(hub, rc, "checking a code", err);
	struct code_join j = { "" };
	hub_list_codes(hub, table, code_join_cb, &j, NULL);
	return md_fail(err, EX_DATAERR, "%s: unknown code '%s' (one of: %s)",
		       field, code, j.text);
}

/* ---- finding referrals ---------------------------------------------------- */

/* "r12", "R000012" and "12" all name referral 12. */
static int hub_parse_ref(const char *ref, long long *id)
{
	const char *p = ref;
	if (*p == 'R' || *p == 'r')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	long long v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > 100000000000LL)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* No such referral: removed under retention (0016_retention.sql) says
 * when and why; otherwise there never was one. */
static int not_found(struct hub *hub, const char *ref, long long want,
		     struct md_error *err)
{
	static const char sql[] =
		"SELECT md_date(removed_at), rule FROM referral_removed"
		" WHERE id = ?";
	char on[16] = "", rule[128] = "";
	struct md_error ignored;
	struct db_stmt *st = hub_stmt(hub, sql, &ignored);
	if (st) {
		db_bind_int64(st, 1, want);
		if (db_step(st) == DB_ROW) {
			hub_col_text(st, 0, on, sizeof on);
			hub_col_text(st, 1, rule, sizeof rule);
		}
		hub_reset(st);
	}
	if (on[0])
		return md_fail(err, EX_DATAERR, "no referral %s on hub %s: it "
			       "was removed on %s under [retention] %s", ref,
			       hub->name, on, rule);
	return md_fail(err, EX_DATAERR, "no referral %s on hub %s", ref,
		       hub->name);
}

int hub_find_referral(struct hub *hub, const char *ref, long long *id,
		      char status[MD_CODE_MAX], struct md_error *err)
{
	static const char sql[] = "SELECT status FROM referral WHERE id = ?";
	long long want;
	if (!ref || hub_parse_ref(ref, &want) != 0)
		return md_fail(err, EX_DATAERR, "'%s' is not a referral "
			       "reference (like R000012)", ref ? ref : "");
	struct db_stmt *st = hub_stmt(hub, sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, want);
	int rc = db_step(st);
	if (rc == DB_ROW && status)
		hub_col_text(st, 0, status, MD_CODE_MAX);
	hub_reset(st);
	if (rc == DB_DONE)
		return not_found(hub, ref, want, err);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "finding a referral", err);
	*id = want;
	return 0;
}

/* ---- notes ------------------------------------------------------------------ */

int hub_note_check(const char *field, const char *text, size_t max,
		   const char *why, struct md_error *err)
{
	if (!text || !*text)
		return md_fail(err, EX_USAGE, "%s: required; %s", field, why);
	size_t n = strlen(text);
	if (n > max || !text_valid_utf8(text, n))
		return md_fail(err, EX_DATAERR, "%s: not valid UTF-8 text of at "
			       "most %zu bytes", field, max);
	return 0;
}

