/* decision_form.c - the joint decision on a referral: its RAG rating and
 * level of need, the outcome and why, the agencies that took part, the
 * next actions (what, who, by when) and the feedback to the referrer.
 *
 * The decision is the hub's multi-agency act, so the agencies whose
 * checks are recorded start ticked, and nothing is saved until the
 * rationale says why.  A save that loses a race (someone decided first)
 * keeps the form and everything typed, and says who won. */
#include "decision_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_signoff.h"
#include "mashdesk/text.h"
#include "pager.h"

#define DF_VX 16                /* where values start */
#define DF_ROWS 4               /* next-action rows */
#define DF_OWNER_W 16
#define DF_DUE_W 11             /* a date and room for the cursor */

enum { DF_RAG, DF_LEVEL, DF_OUTCOME, DF_RATIONALE, DF_FIRST_TICK };

struct decision_form {
	struct forms fm;        /* first: the screen's priv points at it */
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	struct forms_options rag, level, outcome;
	char agency[MD_MAX_AGENCIES][MD_CODE_MAX];
	char agency_name[MD_MAX_AGENCIES][64];
	int nagencies;
	int first_action;       /* field index of action 1's "what" */
	int feedback;           /* field index */
	int head_y, owner_x, due_x;     /* the actions' column headings */
	char sent_back[400];    /* "sent back by sue: comment", or "" */
};

static const char *const action_names[DF_ROWS][3] = {
	{ "action1.what", "action1.owner", "action1.due" },
	{ "action2.what", "action2.owner", "action2.due" },
	{ "action3.what", "action3.owner", "action3.due" },
	{ "action4.what", "action4.owner", "action4.due" },
};
static const char *const action_labels[DF_ROWS] = {
	"Action 1", "Action 2", "Action 3", "Action 4"
};

/* ---- words ----------------------------------------------------------------- */

static const struct {
	const char *code, *text;
} decision_words[] = {
	{ "red", "A child may be suffering significant harm now: worked to "
	  "completion today, out of hours too." },
	{ "amber", "A child may be at risk of harm: a response today." },
	{ "green", "No sign of immediate risk: a response within the usual "
	  "timescales." },
	{ "nfa", "Nothing more is needed from the hub or from services." },
	{ "advice", "For the family or the referrer: advice, information or "
	  "where to turn; no service from the hub." },
	{ "early-help", "Support from universal and targeted services, with "
	  "the family's agreement." },
	{ "s17", "An assessment under section 17 of the Children Act 1989: a "
	  "child in need." },
	{ "s47", "The child may be suffering significant harm: the agencies "
	  "meet, and enquiries follow under section 47." },
	{ "immediate-protection", "Act now to make the child safe (police "
	  "protection or an emergency order)." },
};

static void decision_words_add(struct forms_options *o)
{
	for (int i = 0; i < o->n; i++)
		for (size_t k = 0; k < sizeof decision_words / sizeof decision_words[0]; k++)
			if (!strcmp(o->v[i].code, decision_words[k].code))
				snprintf(o->v[i].explanation,
					 sizeof o->v[i].explanation, "%s",
					 decision_words[k].text);
}

/* The levels of need (the hub's need_level table, not listed by the data
 * layer): short names in the field, the whole meaning under it. */
static void decision_levels(struct forms_options *o)
{
	static const char *const names[4][2] = {
		{ "1 No additional", "Level 1: no additional needs; "
		  "universal services meet them." },
		{ "2 Low, vulnerable", "Level 2: low or vulnerable; early help "
		  "meets the needs." },
		{ "3 Complex needs", "Level 3: complex needs; a child in need "
		  "(section 17)." },
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

static int decision_guide_fill(void *arg, struct pager_lines *pl,
			       struct md_error *err)
{
	const struct decision_form *df = arg;
	const struct forms_options *lists[] = { &df->outcome, &df->level, &df->rag };
	const char *heads[] = { "Outcomes", "Levels of need", "RAG rating" };
	char line[700];
	int rc = pager_add(pl, 0, THEME_NORMAL, "The joint decision is the "
			   "hub's act, not one agency's. Record it whole: why "
			   "(the rationale), who took part, what happens next, "
			   "who does it and by when, and what the referrer is "
			   "told (golden rule 7: record every decision and the "
			   "reasons for it).");

	for (int l = 0; rc == 0 && l < 3; l++) {
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

static int decision_guide(struct forms *fm, struct desk *d)
{
	struct pager_source src = { "Guide: the joint decision",
				    decision_guide_fill, fm };

	pager_open(d, &src);
	return DESK_HANDLED;
}

/* ---- layout and drawing ---------------------------------------------------- */

/* Flow the agencies' tick boxes from row y; returns the rows they take.
 * With place unset, only counts. */
static int decision_ticks(struct decision_form *df, int y, int cols, int place)
{
	struct forms *fm = &df->fm;
	int x = DF_VX, rows = 1, vw = cols - DF_VX - 1;

	for (int i = 0; i < df->nagencies; i++) {
		int w = 4 + text_width(df->agency_name[i]);
		if (w > vw)
			w = vw;
		if (x > DF_VX && x + w > cols - 1) {
			rows++;
			x = DF_VX;
		}
		if (place)
			forms_place(fm, DF_FIRST_TICK + i, y + rows - 1, x, 1, w);
		x += w + 2;
	}
	return rows;
}

static void decision_actions(struct decision_form *df, int y, int cols)
{
	struct forms *fm = &df->fm;
	int ww = cols - 1 - DF_VX - (DF_OWNER_W + 1) - (DF_DUE_W + 1);

	df->head_y = y++;
	df->owner_x = DF_VX + ww + 1;
	df->due_x = df->owner_x + DF_OWNER_W + 1;
	for (int r = 0; r < DF_ROWS; r++, y++) {
		int f = df->first_action + 3 * r;
		forms_place(fm, f, y, DF_VX, 1, ww);
		forms_place(fm, f + 1, y, df->owner_x, 1, DF_OWNER_W);
		forms_place(fm, f + 2, y, df->due_x, 1, DF_DUE_W);
	}
	for (int f = df->first_action; f < df->first_action + 3 * DF_ROWS; f++)
		forms_note(fm, f, y, DF_VX, cols - DF_VX - 1, 1, FORMS_NOTE_SHARED);
}

static void decision_layout(struct forms *fm, int rows, int cols)
{
	struct decision_form *df = (struct decision_form *)fm;
	int vw = cols - DF_VX - 1, ticks = decision_ticks(df, 0, cols, 0);
	int rw = forms_choice_width(&fm->fields[DF_RAG], 24);
	int lx = DF_VX + rw + 2, rh, fh = 2, y;

	/* Fixed rows: title, RAG, outcome, its note, rationale's note,
	 * headings, actions, their note, feedback's note, the last row. */
	rh = rows - (9 + DF_ROWS) - ticks - fh;
	if (rh < 2) {
		rh = 2;
		fh = rows - (9 + DF_ROWS) - ticks - rh;
		fh = fh < 1 ? 1 : fh;
	}
	forms_place(fm, DF_RAG, 1, DF_VX, 1, rw);
	forms_place(fm, DF_LEVEL, 1, lx + 16, 1,
		    forms_choice_width(&fm->fields[DF_LEVEL], cols - lx - 17));
	fm->fields[DF_LEVEL].label_x = lx;
	forms_place(fm, DF_OUTCOME, 2, DF_VX, 1,
		    forms_choice_width(&fm->fields[DF_OUTCOME], vw));
	for (int i = DF_RAG; i <= DF_OUTCOME; i++)
		forms_note(fm, i, 3, DF_VX, vw, 1, FORMS_NOTE_SHARED);
	y = 4;
	forms_place(fm, DF_RATIONALE, y, DF_VX, rh, vw);
	forms_note(fm, DF_RATIONALE, y + rh, DF_VX, vw, 1, 0);
	y += rh + 1;
	decision_ticks(df, y, cols, 1);
	y += ticks;
	decision_actions(df, y, cols);
	y += 1 + DF_ROWS + 1;
	forms_place(fm, df->feedback, y, DF_VX, fh, vw);
	forms_note(fm, df->feedback, y + fh, DF_VX, vw, 1, 0);
}

static void decision_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct decision_form *df = (const struct decision_form *)fm;
	char title[MD_NAME_MAX + 64];

	(void)rows;
	snprintf(title, sizeof title, "Joint decision on %s: %s", df->ref,
		 df->child);
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	/* A decision sent back: the comment stays in sight on the title line
	 * (it is on the referral screen in full). */
	if (df->sent_back[0]) {
		int tw = text_width(title) + 2;
		if (tw < cols - 10) {
			term_style(w, THEME_ALERT);
			desk_put(w, 0, tw, cols - tw, df->sent_back, 1);
		}
	}
	desk_put(w, df->head_y, 2, DF_VX - 3, "Next actions", 0);
	desk_put(w, df->head_y, DF_VX, df->owner_x - DF_VX - 1, "What", 0);
	desk_put(w, df->head_y, df->owner_x, DF_OWNER_W, "Owner", 0);
	desk_put(w, df->head_y, df->due_x, cols - df->due_x, "Due", 0);
	term_style(w, THEME_NORMAL);
}

/* ---- saving ------------------------------------------------------------------ */

static void decision_agencies(const struct decision_form *df, char *buf,
			      size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < df->nagencies && used < len; i++)
		if (df->fm.fields[DF_FIRST_TICK + i].choice)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "", df->agency[i]);
}

static int decision_save(struct forms *fm, struct desk *d)
{
	struct decision_form *df = (struct decision_form *)fm;
	struct action_input acts[DF_ROWS];
	struct decision_input in;
	struct md_error err;
	char agencies[MD_MAX_AGENCIES * MD_CODE_MAX];

	memset(&in, 0, sizeof in);
	in.outcome = forms_code(fm, DF_OUTCOME);
	in.rationale = forms_text(fm, DF_RATIONALE);
	if (fm->fields[DF_RAG].choice != fm->fields[DF_RAG].initial_choice)
		in.rag = forms_code(fm, DF_RAG);
	if (fm->fields[DF_LEVEL].choice != fm->fields[DF_LEVEL].initial_choice &&
	    forms_code(fm, DF_LEVEL))
		in.level = atoi(forms_code(fm, DF_LEVEL));
	in.feedback = forms_text(fm, df->feedback);
	decision_agencies(df, agencies, sizeof agencies);
	in.agencies = agencies;
	/* Every row as typed, blank ones too: the data layer skips a blank
	 * row, and its "action N" is then this form's Action N. */
	for (int r = 0; r < DF_ROWS; r++) {
		int f = df->first_action + 3 * r;
		acts[r] = (struct action_input){ forms_text(fm, f),
						 forms_text(fm, f + 1),
						 forms_text(fm, f + 2) };
	}
	in.actions = acts;
	in.nactions = DF_ROWS;
	md_clear(&err);
	in.lease_token = fm->edit.lease.token;       /* fenced: see forms_edit.c */
	in.expect_version = fm->edit.lease.version;
	if (hub_decide(desk_hub(d), df->ref, &in, &err) != 0)
		return forms_refuse(fm, d, err.msg);
	fm->edit.saved = 1;
	desk_message(d, THEME_NORMAL, "%s decided: %s.", df->ref,
		     df->outcome.v[fm->fields[DF_OUTCOME].choice].name);
	return DESK_CLOSE;
}

static const struct forms_ops decision_forms_ops = {
	.layout = decision_layout,
	.draw_extra = decision_draw_extra,
	.save = decision_save,
	.guide = decision_guide,
};

/* ---- opening ------------------------------------------------------------------ */

static int decision_action_fields(struct decision_form *df)
{
	static const char *const hints[3] = {
		"What is to be done.",
		"Who does it: a login, or a team in words (\"csc duty team\").",
		"When it is due, as YYYY-MM-DD.",
	};
	struct forms *fm = &df->fm;

	df->first_action = fm->nfields;
	for (int r = 0; r < DF_ROWS; r++)
		for (int k = 0; k < 3; k++) {
			int i = forms_add_text(fm, k == 2 ? FORMS_DATE : FORMS_LINE,
					       action_names[r][k],
					       k ? NULL : action_labels[r], "");
			if (i < 0)
				return -1;
			fm->fields[i].hint = hints[k];
		}
	df->feedback = forms_add_text(fm, FORMS_TEXT, "feedback", "Feedback", "");
	if (df->feedback < 0)
		return -1;
	fm->fields[df->feedback].hint = "What the referrer is told.";
	return 0;
}

static int decision_fields(struct decision_form *df,
			   const struct referral_detail *det)
{
	struct forms *fm = &df->fm;
	int rag = forms_option_find(&df->rag, det->row.rag[0] ? det->row.rag : NULL);
	int level = det->row.level >= 1 && det->row.level <= 4 ? det->row.level - 1 : -1;
	int ok = 1;

	ok &= forms_add_choice(fm, "rag", "RAG", &df->rag, rag,
			       rag < 0 ? "(not rated)" : NULL) == DF_RAG;
	ok &= forms_add_choice(fm, "level", "Level of need", &df->level, level,
			       level < 0 ? "(not assessed)" : NULL) == DF_LEVEL;
	ok &= forms_add_choice(fm, "outcome", "Outcome", &df->outcome, -1,
			       "(choose)") == DF_OUTCOME;
	ok &= forms_add_text(fm, FORMS_TEXT, "rationale", "Rationale", "") ==
	      DF_RATIONALE;
	for (int i = 0; ok && i < det->nchecks && i < MD_MAX_AGENCIES; i++) {
		snprintf(df->agency[i], sizeof df->agency[i], "%s",
			 det->checks[i].agency);
		snprintf(df->agency_name[i], sizeof df->agency_name[i], "%s",
			 det->checks[i].agency_name[0] ? det->checks[i].agency_name
						       : det->checks[i].agency);
		ok &= forms_add_tick(fm, "agencies", df->agency_name[i],
				     det->checks[i].recorded) == DF_FIRST_TICK + i;
		df->nagencies++;
	}
	if (!ok || decision_action_fields(df) != 0)
		return -1;
	fm->fields[DF_RAG].hint = "How urgent: red, amber or green.";
	fm->fields[DF_LEVEL].hint = "The level of need, 1 to 4: a digit picks it.";
	fm->fields[DF_OUTCOME].hint = "What happens next: the guide says what "
		"each outcome means.";
	fm->fields[DF_RATIONALE].hint = "Why: what the agencies found and how "
		"it led to the outcome. Enter starts a new line.";
	if (df->nagencies)
		fm->fields[DF_FIRST_TICK].label = "Agencies";
	return 0;
}

static int decision_fill(struct decision_form *df, struct hub *hub,
			 const struct referral_detail *det, struct md_error *err)
{
	int rc;

	snprintf(df->ref, sizeof df->ref, "%s", det->row.ref);
	snprintf(df->child, sizeof df->child, "%s", det->row.child_name);
	forms_init(&df->fm, &decision_forms_ops);
	decision_levels(&df->level);
	rc = forms_options_load(hub, "rag", &df->rag, err);
	if (!rc)
		rc = forms_options_load(hub, "outcome", &df->outcome, err);
	if (rc)
		return rc;
	decision_words_add(&df->rag);
	decision_words_add(&df->outcome);
	if (decision_fields(df, det) != 0)
		return md_fail(err, EX_OSERR, "out of memory opening the "
			       "decision form");
	return 0;
}

struct forms *decision_form_new(struct hub *hub,
				const struct referral_detail *det,
				struct md_error *err)
{
	struct decision_form *df = calloc(1, sizeof *df);

	if (!df) {
		md_fail(err, EX_OSERR, "out of memory opening the decision form");
		return NULL;
	}
	if (decision_fill(df, hub, det, err) != 0) {
		decision_form_delete(&df->fm);
		return NULL;
	}
	return &df->fm;
}

void decision_form_delete(struct forms *fm)
{
	forms_delete(fm);   /* fm is the first member of its decision_form */
}

static const struct screen_ops decision_screen_ops =
	FORMS_SCREEN_OPS("Joint decision");

int decision_form_open(struct desk *d, const char *ref, struct md_error *err)
{
	struct hub *hub = desk_hub(d);
	struct referral_detail *det = NULL;
	struct forms *fm;
	struct md_error why;
	int rc;

	md_clear(&why);
	if (!hub_may(hub, HUB_ACT_DECIDE, &why))
		return md_fail(err, why.code ? why.code : EX_NOPERM, "%s", why.msg);
	if ((rc = hub_referral_get(hub, ref, &det, err)) != 0)
		return rc;
	if (det->decided) {
		char when[CLOCK_ISO_MAX];
		clock_format_iso(det->decided_at, when);
		rc = md_fail(err, EX_TEMPFAIL, "%s was already decided by %s at %s",
			     det->row.ref, det->decided_by[0] ? det->decided_by :
			     "an earlier system", when);
		hub_referral_free(det);
		return rc;
	}
	fm = decision_form_new(hub, det, err);
	hub_referral_free(det);
	if (!fm)
		return err->code ? err->code : EX_SOFTWARE;
	if ((rc = forms_edit_begin(fm, d, HUB_LEASE_DECISION, ref, err)) != 0) {
		decision_form_delete(fm);   /* someone else is deciding: read on */
		return rc;
	}
	struct signoff_state so;
	struct decision_form *df = (struct decision_form *)fm;
	memset(&so, 0, sizeof so);
	if (hub_signoff_state(hub, ref, &so, &why) == 0 && so.sendbacks)
		snprintf(df->sent_back, sizeof df->sent_back, "Sent back by %.63s: %.300s",
			 so.sent_back_by, so.comment);
	rc = forms_push(d, &decision_screen_ops, fm, "decision", err);
	if (rc == 0 && so.sendbacks)
		desk_message(d, THEME_ALERT, "%.380s", df->sent_back);
	return rc;
}
