/* hub_subject.c - a subject access request: everything the hub holds about
 * one child as one document for review before disclosure (hub_subject.h).
 *
 * Finding the child is the prior history's matching (hub_prior_child),
 * repeated for every name and alias the records found give the child,
 * until no new one turns up; never by address (hub_subject.h says why).
 * Each record is then read as the desk reads it (hub_referral_read,
 * restricted entries included: the reviewer must see them to decide), all
 * inside one read transaction, and written section by section from the
 * table `sections` below: a part of a record added to the hub later (a
 * strategy discussion, feedback to the referrer) is one function and one
 * line there.  The document is plain UTF-8 text, every stored text made
 * inert (text_inert) and wrapped at WIDTH columns. */
#include "hub_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_subject.h"
#include "mashdesk/text.h"

#define WIDTH 78                /* columns of the document */
#define NAMES_MAX 64            /* names and aliases searched, at most */
#define AUDIT_REFS 20           /* references named in the audit row */

/* ---- finding the child ------------------------------------------------------ */

struct subject_name {
	char name[MD_NAME_MAX];
	char key[MD_NAME_MAX * 2];
	char from[MD_REF_MAX];        /* "" = as asked */
};

struct subject_record {
	long long id, received_at;
	char ref[MD_REF_MAX];
};

struct subject_find {
	struct subject_name names[NAMES_MAX];
	int nnames;
	int names_cut;                /* more names than NAMES_MAX */
	struct subject_record *recs;
	int nrecs, cap;
	int oom;
};

/* Add a name unless its normalised key is known already. */
static void name_add(struct subject_find *f, const char *name,
		     const char *from)
{
	char key[MD_NAME_MAX * 2];
	text_normalise(key, sizeof key, name);
	if (!key[0])
		return;
	for (int i = 0; i < f->nnames; i++)
		if (strcmp(f->names[i].key, key) == 0)
			return;
	if (f->nnames == NAMES_MAX) {
		f->names_cut = 1;
		return;
	}
	struct subject_name *n = &f->names[f->nnames++];
	snprintf(n->name, sizeof n->name, "%s", name);
	snprintf(n->key, sizeof n->key, "%s", key);
	snprintf(n->from, sizeof n->from, "%s", from ? from : "");
}

/* hub_prior_child's callback: keep each referral once (the names and the
 * rest are read after the statement is done). */
static int record_add(long long id, void *arg)
{
	struct subject_find *f = arg;
	for (int i = 0; i < f->nrecs; i++)
		if (f->recs[i].id == id)
			return 0;
	if (f->nrecs == f->cap) {
		int cap = f->cap ? 2 * f->cap : 16;
		struct subject_record *more = realloc(f->recs, (size_t)cap * sizeof *more);
		if (!more) {
			f->oom = 1;
			return EX_OSERR;
		}
		f->recs = more;
		f->cap = cap;
	}
	f->recs[f->nrecs++] = (struct subject_record){ .id = id };
	return 0;
}

static const char record_sql[] =
	"SELECT ref, received_at, child_name FROM referral WHERE id = ?";
static const char aliases_sql[] =
	"SELECT alias FROM referral_alias WHERE referral_id = ? ORDER BY alias";

/* The reference and time of record i, and its names as names to search. */
static int record_names(struct hub *hub, struct subject_find *f, int i,
			struct md_error *err)
{
	struct subject_record *r = &f->recs[i];
	struct db_stmt *st = hub_stmt(hub, record_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, r->id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char name[MD_NAME_MAX];
		hub_col_text(st, 0, r->ref, sizeof r->ref);
		r->received_at = db_column_int64(st, 1);
		hub_col_text(st, 2, name, sizeof name);
		name_add(f, name, r->ref);
	}
	hub_reset(st);
	if (rc != DB_ROW)
		return hub_sql_fail(hub, rc, "reading a record of the child", err);
	if (!(st = hub_stmt(hub, aliases_sql, err)))
		return err->code;
	db_bind_int64(st, 1, r->id);
	while ((rc = db_step(st)) == DB_ROW)
		name_add(f, (const char *)db_column_text(st, 0), r->ref);
	hub_reset(st);
	return rc == DB_DONE ? 0
		: hub_sql_fail(hub, rc, "reading the child's aliases", err);
}

static int record_cmp(const void *a, const void *b)
{
	const struct subject_record *x = a, *y = b;
	if (x->received_at != y->received_at)
		return x->received_at < y->received_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every record of the child: search each name not searched yet (the one
 * asked, then those the records found give), oldest record first. */
static int subject_find(struct hub *hub, const struct subject_request *req,
			struct subject_find *f, struct md_error *err)
{
	int status = 0, done = 0;
	name_add(f, req->child_name, NULL);
	for (const char *p = req->aliases; p && *p;) {
		size_t len = strcspn(p, ";");
		char one[MD_NAME_MAX];
		snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one - 1 ? len
						: sizeof one - 1), p);
		name_add(f, one, NULL);
		p += len + (p[len] ? 1 : 0);
	}
	for (int n = 0; !status && n < f->nnames; n++) {
		status = hub_prior_child(hub, f->names[n].name, req->dob,
					 record_add, f, err);
		for (; !status && done < f->nrecs; done++)
			status = record_names(hub, f, done, err);
	}
	if (f->oom)
		return md_fail(err, EX_OSERR, "out of memory");
	if (!status && f->nrecs > 1)
		qsort(f->recs, (size_t)f->nrecs, sizeof *f->recs, record_cmp);
	return status;
}

/* ---- writing ------------------------------------------------------------------ */

struct subject_doc {
	FILE *f;
	struct hub *hub;
	int first, rest;              /* indents of the text being wrapped */
	int lines;                    /* its lines written so far */
	int written;                  /* entries the current section wrote */
	int oom;                      /* a text could not be written: the
	                               * document is not whole, and fails */
};

static void wrap_out(const char *start, size_t len, void *arg)
{
	struct subject_doc *doc = arg;
	fprintf(doc->f, "%*s%.*s\n", doc->lines++ ? doc->rest : doc->first, "",
		(int)len, start);
}

/* text, made inert, wrapped at WIDTH: its first line at indent, every
 * other (its own lines after a newline too) at indent + hang. */
static void put_text(struct subject_doc *doc, int indent, int hang,
		     const char *text)
{
	size_t n = strlen(text) * 4 + 1;   /* room for every stand-in */
	char *inert = malloc(n);
	if (!inert) {
		doc->oom = 1;
		return;
	}
	text_inert(inert, n, text, 0);
	doc->first = indent;
	doc->rest = indent + hang;
	doc->lines = 0;
	for (char *line = inert;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		int cols = WIDTH - (doc->lines ? doc->rest : doc->first);
		text_wrap(line, cols, WIDTH - doc->rest, wrap_out, doc);
		if (!nl)
			break;
		line = nl + 1;
	}
	free(inert);
}

/* "  Label: value" wrapped with its continuation lines hanging; nothing
 * when value is empty.  mark (or NULL) goes first, for the reviewer. */
static void field(struct subject_doc *doc, const char *mark,
		  const char *label, const char *value)
{
	if (!value || !*value)
		return;
	size_t n = strlen(value) + strlen(label) + (mark ? strlen(mark) : 0) + 8;
	char *line = malloc(n);
	if (!line) {
		doc->oom = 1;
		return;
	}
	snprintf(line, n, "%s%s%s: %s", mark ? mark : "", mark ? " " : "",
		 label, value);
	put_text(doc, 4, 4, line);
	free(line);
	doc->written++;
}

static void field_free(struct subject_doc *doc, const char *label,
		       const char *value)
{
	field(doc, SUBJECT_MARK_FREE, label, value);
}

static void when(long long t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (t <= 0 || !localtime_r(&tt, &tm))
		snprintf(buf, len, "%s", "");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static void field_time(struct subject_doc *doc, const char *label,
		       long long t)
{
	char buf[32];
	when(t, buf, sizeof buf);
	field(doc, NULL, label, buf);
}

/* 1 when a code's name only spells the code ("Nothing known" for
 * nothing-known): letters and digits alike, case aside. */
static int names_itself(const char *name, const char *code)
{
	for (;; name++, code++) {
		while (*name && !isalnum((unsigned char)*name))
			name++;
		while (*code && !isalnum((unsigned char)*code))
			code++;
		if (!*name || !*code)
			return !*name && !*code;
		if (tolower((unsigned char)*name) != tolower((unsigned char)*code))
			return 0;
	}
}

/* "Name (code)" of a lookup code, the name alone when it only spells the
 * code, the code alone when the table does not know it; "" for none. */
static const char *code_text(struct subject_doc *doc, const char *table,
			     const char *code, char *buf, size_t len)
{
	char name[128];
	struct md_error scratch;
	if (!code || !*code)
		return "";
	if (hub_code_name(doc->hub, table, code, name, sizeof name,
			  &scratch) != 0)
		snprintf(buf, len, "%s", code);
	else if (names_itself(name, code))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s (%s)", name, code);
	return buf;
}

static void field_code(struct subject_doc *doc, const char *mark,
		       const char *label, const char *table, const char *code)
{
	char buf[200];
	field(doc, mark, label, code_text(doc, table, code, buf, sizeof buf));
}

/* ---- the sections of one record --------------------------------------------- */

/* A section writes its entries for one record (inside the document's read
 * transaction: it may ask the hub more through its own statements) and
 * counts them in doc->written; none written = "None recorded." */
typedef int (*section_fn)(struct subject_doc *doc, long long id,
			  const struct referral_detail *d, struct md_error *err);

static int sec_record(struct subject_doc *doc, long long id,
		      const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	char level[8] = "";
	if (d->row.level)
		snprintf(level, sizeof level, "%d", d->row.level);
	field(doc, NULL, "Reference", d->row.ref);
	field(doc, NULL, "Stage", d->stage);
	field_code(doc, NULL, "Status", "referral_status", d->row.status);
	field_time(doc, "Received", d->row.received_at);
	field_time(doc, "Decision due", d->row.due_at);
	field_time(doc, "Decided", d->row.decided_at);
	field_code(doc, NULL, "RAG rating", "rag", d->row.rag);
	field(doc, NULL, "Level of need", level);
	field_code(doc, NULL, "Category", "category", d->category);
	field(doc, NULL, "Held by (hub worker)", d->row.assigned_to);
	field(doc, NULL, "Repeat of", d->repeat_of);
	return 0;
}

static int sec_child(struct subject_doc *doc, long long id,
		     const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	char dob[40];
	snprintf(dob, sizeof dob, "%s%s", d->row.dob,
		 d->row.dob_estimated ? " (estimated or expected)" : "");
	field(doc, NULL, "Name", d->row.child_name);
	field(doc, NULL, "Date of birth", dob);
	field(doc, NULL, "Also known as", d->aliases);
	field(doc, NULL, "Gender", d->gender);
	field(doc, NULL, "Ethnicity", d->ethnicity);
	field(doc, NULL, "Language", d->language);
	field(doc, NULL, "Interpreter needed", d->interpreter ? "yes" : "");
	field(doc, NULL, "Disability", d->disability);
	field(doc, NULL, "Address", d->address);
	field(doc, NULL, "Previous address", d->previous_address);
	field(doc, NULL, "School", d->school);
	field(doc, NULL, "GP", d->gp);
	field(doc, NULL, "NHS number", d->nhs_number);
	field(doc, NULL, "Unique pupil number", d->upn);
	field(doc, NULL, "Allocated social worker", d->allocated_worker);
	return 0;
}

static int sec_people(struct subject_doc *doc, long long id,
		      const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	for (int i = 0; i < d->npeople; i++) {
		const struct referral_person *p = &d->people[i];
		char text[MD_NAME_MAX * 2 + 160];
		snprintf(text, sizeof text, "%s (%s)%s%s%s%s%s%s", p->name,
			 p->relationship[0] ? p->relationship : "relationship "
			 "not recorded", p->dob[0] ? ", born " : "", p->dob,
			 p->parental_responsibility ? ", parental responsibility"
			 : "", p->alleged_perpetrator ? ", alleged perpetrator"
			 : "", p->household ? ", lives with the child" : "",
			 p->household ? "" : ", lives elsewhere");
		field(doc, SUBJECT_MARK_THIRD "household member]", "Person", text);
	}
	return 0;
}

static int sec_referrer(struct subject_doc *doc, long long id,
			const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	const char *m = SUBJECT_MARK_THIRD "referrer]";
	field(doc, m, "Referrer", d->referrer);
	field(doc, m, "Role", d->referrer_role);
	field(doc, m, "Agency", d->referrer_agency);
	field(doc, m, "Contact", d->referrer_contact);
	field_code(doc, NULL, "Source of referral", "source", d->source);
	return 0;
}

static int sec_concern(struct subject_doc *doc, long long id,
		       const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	field_free(doc, "What happened", d->concern);
	field_free(doc, "Impact on the child", d->impact);
	field_free(doc, "What has been tried", d->tried);
	field_free(doc, "Strengths", d->strengths);
	return 0;
}

static int sec_consent(struct subject_doc *doc, long long id,
		       const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	field(doc, NULL, "Parents aware", d->parents_aware < 0 ? "" :
	      d->parents_aware ? "yes" : "no");
	field_code(doc, NULL, "Consent", "consent_position", d->consent);
	field_free(doc, "Why", d->consent_reason);
	return 0;
}

static int sec_screening(struct subject_doc *doc, long long id,
			 const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	field_time(doc, "Screened", d->screened_at);
	field(doc, NULL, "Screened by", d->screened_by);
	field_code(doc, NULL, "Closed at screening", "screening_outcome",
		   d->screening_outcome);
	field_free(doc, "Reason", d->screening_reason);
	return 0;
}

static int sec_ratings(struct subject_doc *doc, long long id,
		       const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	for (int i = 0; i < d->nratings; i++) {
		const struct referral_rating *g = &d->ratings[i];
		char at[32], text[256];
		when(g->at, at, sizeof at);
		snprintf(text, sizeof text, "%s by %s: %s -> %s", at, g->by,
			 g->from[0] ? g->from : "not rated", g->to);
		field(doc, NULL, "Rating", text);
		field_free(doc, "Why", g->reason);
	}
	return 0;
}

/* Who asked each agency for its check, when and why. */
static int sec_requests(struct subject_doc *doc, long long id,
			const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	for (int i = 0; i < d->nchecks; i++) {
		const struct referral_check *c = &d->checks[i];
		if (!c->recorded || !c->requested_by[0])
			continue;
		char at[32], text[256];
		when(c->requested_at, at, sizeof at);
		snprintf(text, sizeof text, "%s asked by %s on %s", c->agency_name,
			 c->requested_by, at);
		field(doc, NULL, "Request", text);
		field_free(doc, "Why", c->request_reason);
	}
	return 0;
}

/* Each agency's entry is that agency's information, and may be about
 * others than the child: marked as a third party's, and restricted or
 * conditional handling marked above all. */
static int sec_checks(struct subject_doc *doc, long long id,
		      const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	for (int i = 0; i < d->nchecks; i++) {
		const struct referral_check *c = &d->checks[i];
		if (!c->recorded)
			continue;
		char head[256], third[128], status[200];
		snprintf(head, sizeof head, "%s, %s", c->agency_name,
			 code_text(doc, "check_status", c->status, status,
				   sizeof status));
		if (i > 0)
			fputc('\n', doc->f);
		/* Marks are never broken across lines: the third party's
		 * on a line of its own, the handling's on the entry's first
		 * line and again on its text's, where a reviewer redacting
		 * line by line meets it. */
		const char *handling = c->restricted ? SUBJECT_MARK_RESTRICTED
			: strcmp(c->handling, "conditional") == 0
			? SUBJECT_MARK_CONDITIONAL : NULL;
		snprintf(third, sizeof third, "%sagency's entry, %s]",
			 SUBJECT_MARK_THIRD, c->agency_name);
		put_text(doc, 4, 4, third);
		field(doc, handling, "Check", head);
		field_code(doc, NULL, "Handling", "handling_code", c->handling);
		field(doc, handling, "Information shared", c->info[0] ? c->info
		      : "(none)");
		field_code(doc, NULL, "Lawful basis", "lawful_basis", c->basis);
		field_code(doc, NULL, "Consent", "consent_position", c->consent);
		field_free(doc, "Consent reason", c->consent_reason);
		field(doc, NULL, "Consent refusal overridden by", c->override_by);
		field_free(doc, "Why overridden", c->override_reason);
		field(doc, NULL, "Recorded by", c->updated_by);
		field_time(doc, "Completed", c->completed_at);
	}
	return 0;
}

static int sec_decision(struct subject_doc *doc, long long id,
			const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	if (!d->decided)
		return 0;
	char level[8] = "";
	if (d->decision_level)
		snprintf(level, sizeof level, "%d", d->decision_level);
	field_code(doc, NULL, "Outcome", "outcome", d->outcome);
	field_free(doc, "Rationale", d->rationale);
	field_code(doc, NULL, "RAG rating", "rag", d->decision_rag);
	field(doc, NULL, "Level of need", level);
	field(doc, NULL, "Agencies taking part", d->decision_agencies);
	field_free(doc, "Feedback to the referrer", d->feedback);
	field(doc, NULL, "Decided by", d->decided_by);
	field_time(doc, "Decided", d->decided_at);
	field(doc, NULL, "Signed off by", d->signed_by);
	field_time(doc, "Signed off", d->signed_at);
	for (int i = 0; i < d->nactions; i++) {
		const struct referral_action *a = &d->actions[i];
		size_t n = strlen(a->what) + strlen(a->owner) + 64;
		char *text = malloc(n);
		if (!text)
			return md_fail(err, EX_OSERR, "out of memory");
		snprintf(text, n, "%s (%s%s%s)", a->what, a->owner,
			 a->due[0] ? ", by " : "", a->due);
		field_free(doc, "Action", text);
		free(text);
	}
	return 0;
}

/* Each strategy discussion: who took part (other people, marked), what
 * was shared (free text, may name others), the decision and its actions. */
static int sec_strategy(struct subject_doc *doc, long long id,
			const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	for (int i = 0; i < d->nstrategies; i++) {
		const struct referral_strategy *s = &d->strategies[i];
		char at[32], text[256];
		when(s->held_at, at, sizeof at);
		snprintf(text, sizeof text, "%s, by %s; recorded by %s", at, s->how,
			 s->recorded_by);
		field(doc, NULL, "Held", text);
		field(doc, SUBJECT_MARK_THIRD "those who took part]", "Took part",
		      s->attended);
		field_free(doc, "Not all took part", s->missing_reason);
		field_free(doc, "Shared", s->summary);
		field(doc, NULL, "Decision",
		      !strcmp(s->decision, "s47-single") ? "a section 47 enquiry "
		      "by children's social care" : !strcmp(s->decision, "s47-joint")
		      ? "a section 47 enquiry jointly with police"
		      : "no section 47 enquiry");
		field_free(doc, "Instead", s->instead);
		field(doc, NULL, "Reconvene", s->reconvene ? "yes" : "");
		for (int k = 0; k < s->nactions; k++) {
			const struct referral_action *a = &s->actions[k];
			size_t n = strlen(a->what) + strlen(a->owner) + 64;
			char *line = malloc(n);
			if (!line)
				return md_fail(err, EX_OSERR, "out of memory");
			snprintf(line, n, "%s (%s%s%s)", a->what, a->owner,
				 a->due[0] ? ", by " : "", a->due);
			field_free(doc, "Action", line);
			free(line);
		}
	}
	return 0;
}

/* What the referrer was told and when: the hub's own words (free text,
 * checked when given never to repeat a restricted entry). */
static int sec_feedback(struct subject_doc *doc, long long id,
			const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	for (int i = 0; i < d->ngiven; i++) {
		const struct referral_feedback *f = &d->given[i];
		char at[32], text[160];
		when(f->at, at, sizeof at);
		snprintf(text, sizeof text, "%s, %s by %s; by %s", at, f->kind,
			 f->method, f->by);
		field(doc, NULL, "Given", text);
		field_free(doc, "Told", f->text);
	}
	return 0;
}

static int sec_sendbacks(struct subject_doc *doc, long long id,
			 const struct referral_detail *d, struct md_error *err)
{
	(void)id;
	(void)err;
	for (int i = 0; i < d->nsendbacks; i++) {
		const struct referral_sendback *b = &d->sendbacks[i];
		char at[32], text[256];
		when(b->at, at, sizeof at);
		snprintf(text, sizeof text, "%s (decided by %s) sent back by %s "
			 "on %s", b->outcome, b->decided_by[0] ? b->decided_by
			 : "not known", b->by, at);
		field(doc, NULL, "Sent back", text);
		field_free(doc, "Comment", b->comment);
	}
	return 0;
}

/* Corrections made to the details since they were taken in (`referral
 * edit`, `E` at the desk): each audited field from what to what, so a
 * value the record no longer shows (a misspelt name, an old address) is
 * in the document too.  A household member's and the referrer's are
 * theirs; the other free texts may name others. */
static const char corrections_sql[] =
	"SELECT at, login, detail FROM audit"
	" WHERE referral_id = ? AND action = 'edit-details' ORDER BY id";

static const char *correction_mark(const char *detail)
{
	static const char *const child[] = {
		"child:", "dob:", "dob_estimated:", "aliases:", "gender:",
		"ethnicity:", "language:", "interpreter:", "disability:",
		"address:", "previous_address:", "school:", "gp:",
		"nhs_number:", "upn:", "allocated_worker:", "source:",
		"category:", "parents_aware:", "consent:",
	};
	if (strncmp(detail, "person ", 7) == 0)
		return SUBJECT_MARK_THIRD "household member]";
	if (strncmp(detail, "referrer", 8) == 0)
		return SUBJECT_MARK_THIRD "referrer]";
	for (size_t i = 0; i < sizeof child / sizeof child[0]; i++)
		if (strncmp(detail, child[i], strlen(child[i])) == 0)
			return NULL;
	return SUBJECT_MARK_FREE;
}

static int sec_corrections(struct subject_doc *doc, long long id,
			   const struct referral_detail *d, struct md_error *err)
{
	(void)d;
	struct db_stmt *st = hub_stmt(doc->hub, corrections_sql, err);
	if (!st)
		return err->code;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *detail = (const char *)db_column_text(st, 2);
		char at[32], login[MD_LOGIN_MAX];
		when(db_column_int64(st, 0), at, sizeof at);
		hub_col_text(st, 1, login, sizeof login);
		size_t n = strlen(detail ? detail : "") + sizeof at + sizeof login + 8;
		char *text = malloc(n);
		if (!text) {
			doc->oom = 1;
			break;
		}
		snprintf(text, n, "%s by %s: %s", at, login, detail ? detail : "");
		field(doc, correction_mark(detail ? detail : ""), "Corrected",
		      text);
		free(text);
	}
	hub_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
		: hub_sql_fail(doc->hub, rc, "reading the corrections", err);
}

/* The document's sections for each record, in order.  A part of a record
 * the hub comes to keep (strategy discussions, feedback) is one line here
 * and its function above. */
static const struct subject_section {
	const char *title;
	section_fn write;
} sections[] = {
	{ "The record", sec_record },
	{ "The child", sec_child },
	{ "Household and significant adults", sec_people },
	{ "Referrer", sec_referrer },
	{ "The concern", sec_concern },
	{ "Consent", sec_consent },
	{ "Screening", sec_screening },
	{ "RAG ratings", sec_ratings },
	{ "Requests for agencies' checks", sec_requests },
	{ "Agencies' checks", sec_checks },
	{ "Decision", sec_decision },
	{ "Strategy discussions", sec_strategy },
	{ "Feedback to the referrer", sec_feedback },
	{ "Decisions sent back", sec_sendbacks },
	{ "Corrections to the details", sec_corrections },
};

static void rule(FILE *f, char c)
{
	for (int i = 0; i < WIDTH; i++)
		fputc(c, f);
	fputc('\n', f);
}

static int write_record(struct subject_doc *doc, const struct subject_record *r,
			int i, int n, struct md_error *err)
{
	struct referral_detail *d;
	int status = hub_referral_read(doc->hub, r->id, HUB_READ_DESK, &d, err);
	if (status)
		return status;
	char at[32], title[160];
	when(d->row.received_at, at, sizeof at);
	snprintf(title, sizeof title, "Record %d of %d: %s, a %s received %s",
		 i + 1, n, d->row.ref, d->stage, at);
	fputc('\n', doc->f);
	rule(doc->f, '=');
	put_text(doc, 0, 2, title);
	rule(doc->f, '=');
	for (size_t s = 0; !status && s < sizeof sections / sizeof sections[0];
	     s++) {
		fprintf(doc->f, "\n  %s\n", sections[s].title);
		doc->written = 0;
		status = sections[s].write(doc, r->id, d, err);
		if (!status && !doc->written)
			fprintf(doc->f, "    None recorded.\n");
	}
	hub_referral_free(d);
	return status;
}

static void write_head(struct subject_doc *doc,
		       const struct subject_request *req,
		       const struct subject_find *f)
{
	struct hub *hub = doc->hub;
	char now[32], text[1024];
	when(clock_now(), now, sizeof now);
	snprintf(text, sizeof text, "SUBJECT ACCESS: what %s holds about %s, "
		 "born %s", hub->name, req->child_name, req->dob);
	put_text(doc, 0, 2, text);
	snprintf(text, sizeof text, "Produced %s by %s (%s, %s)%s", now,
		 hub->me.name, hub->me.login, hub->me.role, hub->training ?
		 " on a training hub: the records are fictional" : "");
	put_text(doc, 0, 2, text);
	put_text(doc, 0, 2, "FOR REVIEW BEFORE DISCLOSURE: not to be given to "
		 "the requester as it stands.");
	struct tm tm;
	time_t tt = (time_t)clock_now();
	char zone[16] = "";
	if (localtime_r(&tt, &tm))
		strftime(zone, sizeof zone, "%Z", &tm);
	snprintf(text, sizeof text, "Times are the hub's local time (%s).",
		 zone[0] ? zone : "unknown zone");
	put_text(doc, 0, 2, text);
	fprintf(doc->f, "\nFor the reviewer\n");
	put_text(doc, 2, 0, "Every record the hub holds of this child follows, "
		 "each in the same sections. Before anything is disclosed, "
		 "consider each marked entry:");
	put_text(doc, 4, 2, SUBJECT_MARK_RESTRICTED " an agency recorded this "
		 "entry as restricted to the hub: ask that agency before "
		 "disclosing any of it.");
	put_text(doc, 4, 2, SUBJECT_MARK_CONDITIONAL " an agency shared this "
		 "entry with the hub only on its stated conditions: check them "
		 "before disclosing any of it.");
	put_text(doc, 4, 2, SUBJECT_MARK_THIRD "...] information about or "
		 "from someone other than the child (a household member, the "
		 "referrer, another agency's entry): withhold or redact unless "
		 "they consent or it is reasonable to disclose without.");
	put_text(doc, 4, 2, SUBJECT_MARK_FREE " text written by staff or "
		 "agencies that may name or describe other people: read it "
		 "for them.");
	put_text(doc, 2, 0, "Names of the hub's own staff (who screened, "
		 "decided, recorded) are not marked.");

	fprintf(doc->f, "\nWhat was searched\n");
	snprintf(text, sizeof text, "Date of birth: %s", req->dob);
	put_text(doc, 2, 4, text);
	for (int i = 0; i < f->nnames; i++) {
		const struct subject_name *n = &f->names[i];
		if (n->from[0])
			snprintf(text, sizeof text, "Name: %s (a name or alias "
				 "of the child on %s)", n->name, n->from);
		else
			snprintf(text, sizeof text, "Name: %s (as asked)",
				 n->name);
		put_text(doc, 2, 4, text);
	}
	if (f->names_cut)
		put_text(doc, 2, 4, "More names than these turned up and were "
			 "not searched: search them by hand.");
	put_text(doc, 2, 4, "How: each name with the date of birth, as the "
		 "child's name or as an alias on a record, spelling and accents "
		 "aside; then each name and alias of every record found, until "
		 "no new one turned up. Never by address alone, which would "
		 "bring in other children of a household. Two children with "
		 "the same name and date of birth cannot be told apart here: "
		 "confirm that each record is this child's (address, school, "
		 "parents).");
	if (f->nrecs == 0) {
		snprintf(text, sizeof text, "Records found: none. %s holds no "
			 "contact or referral of a child of these names born "
			 "%s.", hub->name, req->dob);
		put_text(doc, 2, 4, text);
		return;
	}
	int used = snprintf(text, sizeof text, "Records found: %d (", f->nrecs);
	for (int i = 0; i < f->nrecs && used < (int)sizeof text - 32; i++)
		used += snprintf(text + used, sizeof text - (size_t)used, "%s%s",
				 i ? ", " : "", f->recs[i].ref);
	snprintf(text + used, sizeof text - (size_t)used, "%s), oldest first.",
		 used >= (int)sizeof text - 32 ? ", ..." : "");
	put_text(doc, 2, 4, text);
}

/* ---- the request ---------------------------------------------------------------- */

static int subject_audit(struct hub *hub, const struct subject_request *req,
			 const struct subject_find *f, struct md_error *err)
{
	char refs[AUDIT_REFS * (MD_REF_MAX + 2) + 32] = "";
	size_t used = 0;
	for (int i = 0; i < f->nrecs && i < AUDIT_REFS; i++)
		used += (size_t)snprintf(refs + used, sizeof refs - used, "%s%s",
					 i ? ", " : " (", f->recs[i].ref);
	if (f->nrecs)
		snprintf(refs + used, sizeof refs - used, "%s)",
			 f->nrecs > AUDIT_REFS ? ", ..." : "");
	char asked[MD_NAME_MAX * 4] = "";   /* the aliases asked, as given */
	if (req->aliases)
		snprintf(asked, sizeof asked, "%s", req->aliases);
	int status = hub_begin(hub, err);
	if (!status)
		status = hub_audit(hub, "subject-access", 0, err, "subject access "
				   "for '%s'%s%s%s born %s: %d record%s%s to %s",
				   req->child_name, asked[0] ? " (also '" : "",
				   asked, asked[0] ? "')" : "", req->dob, f->nrecs,
				   f->nrecs == 1 ? "" : "s", refs, req->where ?
				   req->where : "standard output");
	return hub_end(hub, status, err);
}

int hub_subject_access(struct hub *hub, const struct subject_request *req,
		       FILE *out, int *records, struct md_error *err)
{
	*records = 0;
	int status = hub_permit(hub, HUB_ACT_SUBJECT_ACCESS, err);
	if (status)
		return status;
	char key[MD_NAME_MAX * 2];
	text_normalise(key, sizeof key, req->child_name);
	if (!key[0])
		return md_fail(err, EX_USAGE, "child: required: the child's name "
			       "as the requester gives it");
	if (strlen(req->child_name) >= MD_NAME_MAX ||
	    !text_valid_utf8(req->child_name, strlen(req->child_name)))
		return md_fail(err, EX_DATAERR, "child: at most %d bytes of "
			       "UTF-8", MD_NAME_MAX - 8);
	if (req->aliases && (strlen(req->aliases) >= MD_NAME_MAX * 4 ||
			     !text_valid_utf8(req->aliases, strlen(req->aliases))))
		return md_fail(err, EX_DATAERR, "aliases: at most %d bytes of "
			       "UTF-8", MD_NAME_MAX * 4 - 8);
	if (!req->dob || !*req->dob)
		return md_fail(err, EX_USAGE, "dob: required (YYYY-MM-DD)");
	if (!clock_valid_date(req->dob))
		return md_fail(err, EX_DATAERR, "dob: '%s' is not a date "
			       "(YYYY-MM-DD)", req->dob);
	if ((status = hub_agencies(hub, err)))
		return status;
	struct subject_find *f = calloc(1, sizeof *f);
	if (!f)
		return md_fail(err, EX_OSERR, "out of memory");
	struct subject_doc doc = { .f = out, .hub = hub };
	/* One read transaction: every record as it stood at one moment. */
	int own = hub_read_begin(hub);
	status = subject_find(hub, req, f, err);
	if (!status)
		write_head(&doc, req, f);
	for (int i = 0; !status && i < f->nrecs; i++)
		status = write_record(&doc, &f->recs[i], i, f->nrecs, err);
	hub_read_end(hub, own);
	if (!status && doc.oom)
		status = md_fail(err, EX_OSERR, "out of memory");
	if (!status) {
		fprintf(out, "\nEnd of the document: %d record%s.\n", f->nrecs,
			f->nrecs == 1 ? "" : "s");
		if (fflush(out) != 0 || ferror(out))
			status = md_fail(err, EX_IOERR, "writing the document");
	}
	if (!status)
		status = subject_audit(hub, req, f, err);
	if (!status)
		*records = f->nrecs;
	free(f->recs);
	free(f);
	return status;
}
