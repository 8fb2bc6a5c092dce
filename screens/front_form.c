/* front_form.c - the front door's forms, on the same form toolkit as the
 * agency check and decision forms (src/forms*.c):
 *
 *   screen   what screening decides: progress the contact to the hub's
 *            checks (its RAG, level of need, the agencies to ask, ticked,
 *            and why) or close it (an outcome and why), one choice at the
 *            top deciding which;
 *   rate     a new RAG rating and why;
 *   request  more agencies to ask (those not asked yet, ticked) and why.
 *
 * The forms only gather values: saving hands them to the data layer
 * (hub_screen.h), which decides who may, checks everything and records
 * it; a refusal is shown at the field its message names and nothing typed
 * is lost.  The rating form saves with the rating it showed
 * (hub_rate_seen), so a rating someone made meanwhile is never silently
 * overwritten. */
#include "front_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/hub_screen.h"
#include "mashdesk/text.h"
#include "pager.h"

#define FF_VX 16                /* where values start; labels to the left */
#define FF_TEXT_MAX 8           /* rows of the reason, at most */
#define FF_PROGRESS "progress"  /* the screening choice that is no outcome */

struct front_form {
	struct forms fm;        /* first: forms_delete frees the whole */
	enum front_kind kind;
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	char seen_rag[MD_CODE_MAX];     /* the rating shown when it opened */
	struct forms_options how, rag, level;
	char agency[MD_MAX_AGENCIES][MD_CODE_MAX];
	char agency_name[MD_MAX_AGENCIES][64];
	int nagencies;
	/* field indexes, -1 when the form has none */
	int how_f, rag_f, level_f, first_tick, reason_f;
};

/* ---- words ------------------------------------------------------------------ */

static const struct {
	const char *code, *text;
} front_words[] = {
	{ FF_PROGRESS, "A referral from now on: the agencies ticked are asked "
	  "for their checks, each due by the RAG's timescale." },
	{ "nfa", "Closed at screening: nothing more is needed from the hub or "
	  "from services." },
	{ "advice", "Closed at screening: advice, information or signposting "
	  "for the family or the referrer." },
	{ "early-help", "Closed at screening: passed to early help, with the "
	  "family's agreement." },
	{ "allocated", "Closed at screening: passed to the social worker who "
	  "already holds the child's case (only when there is one)." },
	{ "red", "A child may be suffering significant harm now: checks due "
	  "within hours, worked out of hours too." },
	{ "amber", "A child may be at risk of harm: checks and a decision today." },
	{ "green", "No sign of immediate risk: the usual timescales." },
};

static void front_words_add(struct forms_options *o)
{
	for (int i = 0; i < o->n; i++)
		for (size_t k = 0; k < sizeof front_words / sizeof front_words[0]; k++)
			if (!strcmp(o->v[i].code, front_words[k].code))
				snprintf(o->v[i].explanation,
					 sizeof o->v[i].explanation, "%s",
					 front_words[k].text);
}

/* The levels of need: short names in the field, the meaning under it. */
static void front_levels(struct forms_options *o)
{
	static const char *const names[4][2] = {
		{ "1 No additional", "Level 1: no additional needs." },
		{ "2 Low, vulnerable", "Level 2: low or vulnerable; early help." },
		{ "3 Complex needs", "Level 3: complex needs; a child in need." },
		{ "4 Acute", "Level 4: acute; child protection." },
	};

	o->n = 4;
	for (int i = 0; i < 4; i++) {
		snprintf(o->v[i].code, sizeof o->v[i].code, "%d", i + 1);
		snprintf(o->v[i].name, sizeof o->v[i].name, "%s", names[i][0]);
		snprintf(o->v[i].explanation, sizeof o->v[i].explanation, "%s",
			 names[i][1]);
	}
}

static const char *const front_guides[] = {
	/* FRONT_SCREEN */
	"Screening decides what a contact becomes. Progress it to the hub's "
	"checks: rate it (RAG), give its level of need if you can, tick the "
	"agencies to ask and say why; each agency's check starts its clock "
	"now, due by the RAG's timescale ([timescales] check_red_hours and "
	"the others). Or close it: no further action, advice or signposting, "
	"early help, or passed to the child's allocated social worker, and "
	"say why. Closed, the RAG, level and agencies above are not used. "
	"Not every agency is asked about every child: ask those whose "
	"records may matter.",
	/* FRONT_RATE */
	"Every rating is kept with who made it, when and why, and shown as a "
	"timeline on the referral. Raising the rating (green to amber to "
	"red) brings the decision's due time and every open check's forward "
	"to the new RAG's timescales from now, never later than they were. "
	"Lowering it keeps every due time as it was.",
	/* FRONT_REQUEST */
	"The agencies ticked are asked for their checks now, each due by the "
	"referral's RAG timescale from now; the reason is kept with each "
	"check. All are asked or none: one asked meanwhile by someone else "
	"refuses the save, naming them.",
};

static int front_guide_fill(void *arg, struct pager_lines *pl,
			    struct md_error *err)
{
	const struct front_form *ff = arg;
	const struct forms_options *lists[] = { &ff->how, &ff->rag };
	const char *heads[] = { "Screening", "RAG rating" };
	char line[700];
	int rc = pager_add(pl, 0, THEME_NORMAL, front_guides[ff->kind]);

	for (int l = 0; rc == 0 && l < 2; l++) {
		if (!lists[l]->n)
			continue;
		rc |= pager_add(pl, 0, THEME_NORMAL, "");
		rc |= pager_add(pl, 0, THEME_HEADER, heads[l]);
		for (int i = 0; rc == 0 && i < lists[l]->n; i++) {
			snprintf(line, sizeof line, "  %s: %s", lists[l]->v[i].name,
				 lists[l]->v[i].explanation);
			rc |= pager_add(pl, 4, THEME_NORMAL, line);
		}
	}
	rc |= forms_guide_keys(pl);
	return rc ? md_fail(err, EX_OSERR, "out of memory building the guide") : 0;
}

static int front_guide(struct forms *fm, struct desk *d)
{
	static const char *const titles[] = {
		"Guide: screening", "Guide: RAG rating", "Guide: asking agencies",
	};
	struct front_form *ff = (struct front_form *)fm;
	struct pager_source src = { titles[ff->kind], front_guide_fill, ff };

	pager_open(d, &src);
	return DESK_HANDLED;
}

/* ---- layout and drawing ------------------------------------------------------ */

/* Flow the agencies' tick boxes from row y; returns the rows they take.
 * With place unset, only counts. */
static int front_ticks(struct front_form *ff, int y, int cols, int place)
{
	int x = FF_VX, rows = 1, vw = cols - FF_VX - 1;

	for (int i = 0; i < ff->nagencies; i++) {
		int w = 4 + text_width(ff->agency_name[i]);
		if (w > vw)
			w = vw;
		if (x > FF_VX && x + w > cols - 1) {
			rows++;
			x = FF_VX;
		}
		if (place)
			forms_place(&ff->fm, ff->first_tick + i, y + rows - 1, x, 1, w);
		x += w + 2;
	}
	return ff->nagencies ? rows : 0;
}

/* The ticks' shared note goes on the row after them: the tick with the
 * focus says what ticking does. */
static void front_ticks_note(struct front_form *ff, int y, int cols)
{
	for (int i = 0; i < ff->nagencies; i++)
		forms_note(&ff->fm, ff->first_tick + i, y, FF_VX, cols - FF_VX - 1,
			   1, FORMS_NOTE_SHARED);
}

/* The reason from row y down, its note on the row after it. */
static void front_reason(struct front_form *ff, int y, int rows, int cols)
{
	int h = rows - y - 1;

	if (h > FF_TEXT_MAX)
		h = FF_TEXT_MAX;
	if (h < 1)
		h = 1;
	forms_place(&ff->fm, ff->reason_f, y, FF_VX, h, cols - FF_VX - 1);
	forms_note(&ff->fm, ff->reason_f, y + h, FF_VX, cols - FF_VX - 1, 1, 0);
}

static void front_layout(struct forms *fm, int rows, int cols)
{
	struct front_form *ff = (struct front_form *)fm;
	int vw = cols - FF_VX - 1, y = 2, ticks;

	if (ff->how_f >= 0) {
		forms_place(fm, ff->how_f, y, FF_VX, 1,
			    forms_choice_width(&fm->fields[ff->how_f], vw));
		forms_note(fm, ff->how_f, y + 1, FF_VX, vw, 2, FORMS_NOTE_SHARED);
		y += 3;
	}
	if (ff->rag_f >= 0) {
		int rw = forms_choice_width(&fm->fields[ff->rag_f], 24);
		forms_place(fm, ff->rag_f, y, FF_VX, 1, rw);
		forms_note(fm, ff->rag_f, y + 1, FF_VX, vw, 2, FORMS_NOTE_SHARED);
		if (ff->level_f >= 0) {
			int lx = FF_VX + rw + 2;
			forms_place(fm, ff->level_f, y, lx + 16, 1,
				    forms_choice_width(&fm->fields[ff->level_f],
						       cols - lx - 17));
			fm->fields[ff->level_f].label_x = lx;
			forms_note(fm, ff->level_f, y + 1, FF_VX, vw, 2,
				   FORMS_NOTE_SHARED);
		}
		y += 3;
	}
	ticks = front_ticks(ff, y, cols, 1);
	if (ticks) {
		front_ticks_note(ff, y + ticks, cols);
		y += ticks + 1;
	}
	front_reason(ff, y, rows, cols);
}

static void front_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct front_form *ff = (const struct front_form *)fm;
	static const char *const what[] = { "Screen", "Rate", "Ask agencies on" };
	static const char *const hint[] = {
		"Progress it to the hub's checks, or close it: ^G explains each.",
		"Raising brings due times forward; lowering keeps them (^G).",
		"Each agency ticked is asked for its check now (^G).",
	};
	char title[MD_NAME_MAX + 96];

	(void)rows;
	if (ff->kind == FRONT_RATE) {
		char now[MD_CODE_MAX];
		snprintf(now, sizeof now, "%s", ff->seen_rag[0] ? ff->seen_rag
			 : "not rated");
		now[0] = (char)(now[0] >= 'a' && now[0] <= 'z' ? now[0] - 32 : now[0]);
		snprintf(title, sizeof title, "Rate %s: %s (now %s)", ff->ref,
			 ff->child, now);
	} else {
		snprintf(title, sizeof title, "%s %s: %s", what[ff->kind], ff->ref,
			 ff->child);
	}
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	term_style(w, THEME_DIM);
	desk_put(w, 1, 0, cols, hint[ff->kind], 1);
	term_style(w, THEME_NORMAL);
}

/* ---- saving ------------------------------------------------------------------ */

/* The codes of the agencies ticked, into v (at most MD_MAX_AGENCIES). */
static int front_ticked(const struct front_form *ff, const char **v)
{
	int n = 0;

	for (int i = 0; i < ff->nagencies; i++)
		if (ff->fm.fields[ff->first_tick + i].choice)
			v[n++] = ff->agency[i];
	return n;
}

static int front_save(struct forms *fm, struct desk *d)
{
	struct front_form *ff = (struct front_form *)fm;
	struct hub *hub = desk_hub(d);
	const char *agencies[MD_MAX_AGENCIES];
	const char *reason = forms_text(fm, ff->reason_f);
	const char *how = ff->how_f >= 0 ? forms_code(fm, ff->how_f) : NULL;
	const char *rag = ff->rag_f >= 0 ? forms_code(fm, ff->rag_f) : NULL;
	const char *level = ff->level_f >= 0 ? forms_code(fm, ff->level_f) : NULL;
	int n = front_ticked(ff, agencies), rc;
	struct md_error err;

	md_clear(&err);
	if (ff->kind == FRONT_RATE)
		rc = hub_rate_seen(hub, ff->ref, ff->seen_rag, rag, reason, &err);
	else if (ff->kind == FRONT_REQUEST)
		rc = hub_request(hub, ff->ref, agencies, n, reason, &err);
	else if (how && strcmp(how, FF_PROGRESS))
		rc = hub_screen_close(hub, ff->ref, how, reason, &err);
	else
		rc = hub_screen_progress(hub, ff->ref, rag, reason,
					 level ? atoi(level) : 0, agencies, n, &err);
	if (rc != 0)
		return forms_refuse(fm, d, err.msg);
	fm->edit.saved = 1;
	if (ff->kind == FRONT_RATE)
		desk_message(d, THEME_NORMAL, "%s rated %s.", ff->ref, rag);
	else if (ff->kind == FRONT_REQUEST)
		desk_message(d, THEME_NORMAL, "%s: asked %d agenc%s for %s check%s.",
			     ff->ref, n, n == 1 ? "y" : "ies", n == 1 ? "its" : "their",
			     n == 1 ? "" : "s");
	else if (how && strcmp(how, FF_PROGRESS))
		desk_message(d, THEME_NORMAL, "%s closed at screening: %s.", ff->ref,
			     ff->how.v[fm->fields[ff->how_f].choice].name);
	else
		desk_message(d, THEME_NORMAL, "%s progressed to the hub's checks: "
			     "%s, %d agenc%s asked.", ff->ref, rag, n,
			     n == 1 ? "y" : "ies");
	return DESK_CLOSE;
}

static const struct forms_ops front_forms_ops = {
	.layout = front_layout,
	.draw_extra = front_draw_extra,
	.save = front_save,
	.guide = front_guide,
};

static const struct screen_ops front_screen_ops[] = {
	FORMS_SCREEN_OPS("Screening"),
	FORMS_SCREEN_OPS("RAG rating"),
	FORMS_SCREEN_OPS("Ask agencies"),
};

/* ---- building ------------------------------------------------------------------ */

static struct front_form *front_new(enum front_kind kind,
				    const struct referral_detail *det)
{
	struct front_form *ff = calloc(1, sizeof *ff);

	if (!ff)
		return NULL;
	forms_init(&ff->fm, &front_forms_ops);
	ff->kind = kind;
	ff->how_f = ff->rag_f = ff->level_f = ff->first_tick = ff->reason_f = -1;
	snprintf(ff->ref, sizeof ff->ref, "%s", det->row.ref);
	snprintf(ff->child, sizeof ff->child, "%s", det->row.child_name);
	snprintf(ff->seen_rag, sizeof ff->seen_rag, "%s", det->row.rag);
	return ff;
}

/* A RAG choice starting at the record's rating ("(not rated)" when none). */
static int front_rag_field(struct front_form *ff, struct hub *hub,
			   const struct referral_detail *det, struct md_error *err)
{
	int rc = forms_options_load(hub, "rag", &ff->rag, err), at;

	if (rc)
		return rc;
	front_words_add(&ff->rag);
	at = forms_option_find(&ff->rag, det->row.rag[0] ? det->row.rag : NULL);
	ff->rag_f = forms_add_choice(&ff->fm, "rag", "RAG", &ff->rag, at,
				     at < 0 ? "(not rated)" : NULL);
	if (ff->rag_f < 0)
		return md_fail(err, EX_OSERR, "out of memory opening the form");
	ff->fm.fields[ff->rag_f].hint = "How urgent: a letter picks it (r, a, g).";
	return 0;
}

/* A tick per agency (only those not asked yet, with only_unasked);
 * none ticked. */
static int front_tick_fields(struct front_form *ff, const char *name,
			     const char *label, const char *hint,
			     const struct referral_detail *det, int only_unasked)
{
	for (int i = 0; i < det->nchecks && ff->nagencies < MD_MAX_AGENCIES; i++) {
		const struct referral_check *c = &det->checks[i];
		int k = ff->nagencies, f;
		if (only_unasked && c->requested_by[0])
			continue;
		snprintf(ff->agency[k], sizeof ff->agency[k], "%s", c->agency);
		snprintf(ff->agency_name[k], sizeof ff->agency_name[k], "%s",
			 c->agency_name[0] ? c->agency_name : c->agency);
		f = forms_add_tick(&ff->fm, name, ff->agency_name[k], 0);
		if (f < 0)
			return -1;
		if (k == 0) {
			ff->first_tick = f;
			ff->fm.fields[f].label = label;
		}
		ff->fm.fields[f].hint = hint;
		ff->nagencies++;
	}
	return 0;
}

static int front_reason_field(struct front_form *ff, const char *hint)
{
	ff->reason_f = forms_add_text(&ff->fm, FORMS_TEXT, "reason", "Reason", "");
	if (ff->reason_f < 0)
		return -1;
	ff->fm.fields[ff->reason_f].hint = hint;
	return 0;
}

static int screen_fill(struct front_form *ff, struct hub *hub,
		       const struct referral_detail *det, struct md_error *err)
{
	struct forms_options closes;
	int rc = forms_options_load(hub, "screening_outcome", &closes, err);
	int level;

	if (rc)
		return rc;
	snprintf(ff->how.v[0].code, sizeof ff->how.v[0].code, FF_PROGRESS);
	snprintf(ff->how.v[0].name, sizeof ff->how.v[0].name,
		 "Progress to the hub's checks");
	ff->how.n = 1;
	for (int i = 0; i < closes.n && ff->how.n < FORMS_MAX_OPTIONS; i++)
		ff->how.v[ff->how.n++] = closes.v[i];
	front_words_add(&ff->how);
	ff->how_f = forms_add_choice(&ff->fm, "close", "Screening", &ff->how, 0,
				     NULL);
	if (ff->how_f < 0)
		return md_fail(err, EX_OSERR, "out of memory opening the form");
	ff->fm.fields[ff->how_f].hint = "Progress it, or close it with an outcome.";
	if ((rc = front_rag_field(ff, hub, det, err)))
		return rc;
	front_levels(&ff->level);
	level = det->row.level >= 1 && det->row.level <= 4 ? det->row.level - 1 : -1;
	ff->level_f = forms_add_choice(&ff->fm, "level", "Level of need",
				       &ff->level, level, "(not assessed)");
	if (ff->level_f < 0 ||
	    front_tick_fields(ff, "request", "Ask", "Space ticks an agency to "
			      "ask; its check's clock starts now.", det, 0) ||
	    front_reason_field(ff, "Why it goes on, or why it closes: kept "
			       "and audited."))
		return md_fail(err, EX_OSERR, "out of memory opening the form");
	ff->fm.fields[ff->level_f].hint = "The level of need, 1 to 4, if you "
		"can say yet.";
	return 0;
}

static int rate_fill(struct front_form *ff, struct hub *hub,
		     const struct referral_detail *det, struct md_error *err)
{
	int rc = front_rag_field(ff, hub, det, err);

	if (!rc && front_reason_field(ff, "Why it changes: kept in the ratings "
				      "timeline and audited.") != 0)
		rc = md_fail(err, EX_OSERR, "out of memory opening the form");
	return rc;
}

static int request_fill(struct front_form *ff, const struct referral_detail *det,
			struct md_error *err)
{
	if (front_tick_fields(ff, "agency", "Ask", "Space ticks an agency to "
			      "ask; its check's clock starts now.", det, 1) != 0 ||
	    front_reason_field(ff, "Why these agencies (optional): kept with "
			       "each check.") != 0)
		return md_fail(err, EX_OSERR, "out of memory opening the form");
	if (ff->nagencies == 0)
		return md_fail(err, EX_DATAERR, "every agency has been asked on "
			       "%s already", det->row.ref);
	return 0;
}

struct forms *front_form_new(struct hub *hub, enum front_kind kind,
			     const struct referral_detail *det,
			     struct md_error *err)
{
	struct front_form *ff = front_new(kind, det);
	int rc;

	if (!ff) {
		md_fail(err, EX_OSERR, "out of memory opening the form");
		return NULL;
	}
	rc = kind == FRONT_SCREEN ? screen_fill(ff, hub, det, err)
	     : kind == FRONT_RATE ? rate_fill(ff, hub, det, err)
	     : request_fill(ff, det, err);
	if (rc != 0) {
		forms_delete(&ff->fm);
		return NULL;
	}
	return &ff->fm;
}

void front_form_delete(struct forms *fm)
{
	forms_delete(fm);       /* fm is the first member of its front_form */
}

/* Open the form of this kind, if the hub lets the acting user. */
static int front_open(struct desk *d, enum front_kind kind, enum hub_act act,
		      const struct referral_detail *det)
{
	static const char *const what[] = { "screening", "rating", "request" };
	struct md_error err;
	struct forms *fm;

	md_clear(&err);
	if (!hub_may(desk_hub(d), act, &err)) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return EX_NOPERM;
	}
	md_clear(&err);
	if (!(fm = front_form_new(desk_hub(d), kind, det, &err))) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code ? err.code : EX_SOFTWARE;
	}
	md_clear(&err);
	if (forms_push(d, &front_screen_ops[kind], fm, what[kind], &err) != 0) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code;
	}
	return 0;
}

int screen_form_open(struct desk *d, const struct referral_detail *det)
{
	return front_open(d, FRONT_SCREEN, HUB_ACT_SCREEN, det);
}

int rate_form_open(struct desk *d, const struct referral_detail *det)
{
	return front_open(d, FRONT_RATE, HUB_ACT_RATE, det);
}

int request_form_open(struct desk *d, const struct referral_detail *det)
{
	return front_open(d, FRONT_REQUEST, HUB_ACT_REQUEST, det);
}
