/* strategy_form.c - a strategy discussion, on the same form toolkit as the
 * front door's forms (src/forms*.c; see front_form.c):
 *
 *   Held / How        when ("now", or YYYY-MM-DDTHH:MM) and how it was held
 *   Police, Social care, Health
 *                     who took part for each: a login, or a name in words;
 *                     several separated by commas
 *   Others            anyone else, as AGENCY:WHO, comma-separated
 *   Missing why       why a required agency did not take part
 *   Decision          s47-single, s47-joint or no-s47; Reconvene ticked
 *                     when another discussion is to follow
 *   Instead           with no-s47: what happens instead
 *   Shared            the information shared
 *   Actions           what, owner, due (YYYY-MM-DD), three rows
 *
 * The form only gathers values: saving hands them to the data layer
 * (hub_strategy_record), which decides who may, checks everything and
 * records it; a refusal is shown at the field its message names (a
 * missing agency at that agency's field) and nothing typed is lost. */
#include "strategy_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/hub_strategy.h"
#include "mashdesk/text.h"
#include "pager.h"

#define SF_VX 14                /* where values start; labels to the left */
#define SF_ROWS 3               /* action rows */
#define SF_OWNER_W 16
#define SF_DUE_W 10
#define SF_WHO_MAX 1024         /* one attendee field's text, split */

/* The attendee fields, in order: the three that must take part, then
 * the others. */
enum { SF_POLICE, SF_CSC, SF_HEALTH, SF_OTHERS, SF_WHO };

struct strategy_form {
	struct forms fm;        /* first: forms_delete frees the whole */
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	struct forms_options how, decision;
	int held_f, how_f, who_f[SF_WHO], missing_f, decision_f, reconvene_f;
	int instead_f, summary_f, first_action;
	int head_y, owner_x, due_x;     /* the actions' headings */
	/* the attendees as split for a save */
	char split[SF_WHO][SF_WHO_MAX];
	struct strategy_attendee_input who[MD_MAX_ATTENDEES];
};

static const char *const who_names[SF_WHO] = {
	"attended", "attended.csc", "attended.health", "attended.others",
};
static const char *const who_labels[SF_WHO] = {
	"Police", "Social care", "Health", "Others",
};
static const char *const who_agency[SF_WHO - 1] = { "police", "csc", "health" };

static const char *const action_names[SF_ROWS][3] = {
	{ "action1.what", "action1.owner", "action1.due" },
	{ "action2.what", "action2.owner", "action2.due" },
	{ "action3.what", "action3.owner", "action3.due" },
};
static const char *const action_labels[SF_ROWS] = {
	"Action 1", "Action 2", "Action 3",
};

/* ---- the choices and the guide ------------------------------------------------ */

static void options_set(struct forms_options *o, const char *const (*v)[3],
			int n)
{
	o->n = n;
	for (int i = 0; i < n; i++) {
		snprintf(o->v[i].code, sizeof o->v[i].code, "%s", v[i][0]);
		snprintf(o->v[i].name, sizeof o->v[i].name, "%s", v[i][1]);
		snprintf(o->v[i].explanation, sizeof o->v[i].explanation, "%s",
			 v[i][2]);
	}
}

static void strategy_options(struct strategy_form *sf)
{
	static const char *const how[][3] = {
		{ "meeting", "Meeting", "Held in person." },
		{ "call", "Call", "Held by telephone (a conference call)." },
		{ "video", "Video", "Held by video call." },
	};
	static const char *const decision[][3] = {
		{ "s47-single", "s47 single-agency", "A section 47 enquiry by "
		  "children's social care alone." },
		{ "s47-joint", "s47 joint with police", "A section 47 enquiry by "
		  "children's social care jointly with police." },
		{ "no-s47", "No s47 enquiry", "No section 47 enquiry: say what "
		  "happens instead (e.g. a child in need assessment)." },
	};
	options_set(&sf->how, how, 3);
	options_set(&sf->decision, decision, 3);
}

static int strategy_guide_fill(void *arg, struct pager_lines *pl,
			       struct md_error *err)
{
	const struct strategy_form *sf = arg;
	char line[700];
	int rc = pager_add(pl, 0, THEME_NORMAL,
		"A strategy discussion is held where a child may be suffering "
		"significant harm: once a referral is rated red, or decided s47 "
		"or immediate protection, one is due within [timescales] "
		"strategy_hours (by default three working days under working "
		"hours). Police, children's social care and health must take "
		"part; if one did not, say why under Missing why, or the save is "
		"refused naming it. Give each person as a login of the hub or, "
		"for someone without one, their name in words; several for one "
		"agency separated by commas; anyone else under Others as "
		"AGENCY:WHO (education:Ines Mora). Held is \"now\" or a time like "
		"2026-11-03T09:30, not in the future. Ticking Reconvene makes "
		"the next discussion due within strategy_hours of this one.");

	rc |= pager_add(pl, 0, THEME_NORMAL, "");
	rc |= pager_add(pl, 0, THEME_HEADER, "Decision");
	for (int i = 0; rc == 0 && i < sf->decision.n; i++) {
		snprintf(line, sizeof line, "  %s: %s", sf->decision.v[i].name,
			 sf->decision.v[i].explanation);
		rc |= pager_add(pl, 4, THEME_NORMAL, line);
	}
	rc |= forms_guide_keys(pl);
	return rc ? md_fail(err, EX_OSERR, "out of memory building the guide") : 0;
}

static int strategy_guide(struct forms *fm, struct desk *d)
{
	struct strategy_form *sf = (struct strategy_form *)fm;
	struct pager_source src = { "Guide: strategy discussion",
				    strategy_guide_fill, sf };

	pager_open(d, &src);
	return DESK_HANDLED;
}

/* ---- layout and drawing ---------------------------------------------------------- */

/* A second field on row y from column lx: its label there, its value
 * after the label. */
static void place_right(struct forms *fm, int i, int y, int lx, int w)
{
	int vx = lx + text_width(fm->fields[i].label) + 3;

	forms_place(fm, i, y, vx, 1, w - (vx - lx));
	fm->fields[i].label_x = lx;
}

static void strategy_layout(struct forms *fm, int rows, int cols)
{
	struct strategy_form *sf = (struct strategy_form *)fm;
	int vw = cols - SF_VX - 1, mid = SF_VX + (cols - SF_VX) / 2;
	int half = mid - SF_VX - 2, right = cols - 1 - mid, y, sh;
	int ww = vw - (SF_OWNER_W + 1) - (SF_DUE_W + 1);

	/* Fixed rows: title, held, its note, two of attendees, their note,
	 * missing, decision, its note, instead, summary's note, headings,
	 * the actions, their note. */
	sh = rows - (13 + SF_ROWS);
	if (sh < 1)
		sh = 1;
	forms_place(fm, sf->held_f, 1, SF_VX, 1, 20);
	place_right(fm, sf->how_f, 1, SF_VX + 22,
		    6 + forms_choice_width(&fm->fields[sf->how_f], 20));
	forms_note(fm, sf->held_f, 2, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	forms_note(fm, sf->how_f, 2, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	forms_place(fm, sf->who_f[SF_POLICE], 3, SF_VX, 1, half);
	place_right(fm, sf->who_f[SF_CSC], 3, mid, right);
	forms_place(fm, sf->who_f[SF_HEALTH], 4, SF_VX, 1, half);
	place_right(fm, sf->who_f[SF_OTHERS], 4, mid, right);
	/* the right-hand values line up */
	fm->fields[sf->who_f[SF_OTHERS]].x = fm->fields[sf->who_f[SF_CSC]].x;
	fm->fields[sf->who_f[SF_OTHERS]].w = fm->fields[sf->who_f[SF_CSC]].w;
	for (int k = 0; k < SF_WHO; k++)
		forms_note(fm, sf->who_f[k], 5, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	forms_place(fm, sf->missing_f, 6, SF_VX, 1, vw);
	forms_note(fm, sf->missing_f, 8, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	forms_place(fm, sf->decision_f, 7, SF_VX, 1,
		    forms_choice_width(&fm->fields[sf->decision_f], half));
	forms_place(fm, sf->reconvene_f, 7, mid, 1, 4 + text_width("Reconvene"));
	forms_note(fm, sf->decision_f, 8, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	forms_note(fm, sf->reconvene_f, 8, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	forms_place(fm, sf->instead_f, 9, SF_VX, 1, vw);
	forms_note(fm, sf->instead_f, 8, SF_VX, vw, 1, FORMS_NOTE_SHARED);
	y = 10;
	forms_place(fm, sf->summary_f, y, SF_VX, sh, vw);
	forms_note(fm, sf->summary_f, y + sh, SF_VX, vw, 1, 0);
	y += sh + 1;
	sf->head_y = y++;
	sf->owner_x = SF_VX + ww + 1;
	sf->due_x = sf->owner_x + SF_OWNER_W + 1;
	for (int r = 0; r < SF_ROWS; r++, y++) {
		int f = sf->first_action + 3 * r;
		forms_place(fm, f, y, SF_VX, 1, ww);
		forms_place(fm, f + 1, y, sf->owner_x, 1, SF_OWNER_W);
		forms_place(fm, f + 2, y, sf->due_x, 1, SF_DUE_W);
	}
	for (int f = sf->first_action; f < sf->first_action + 3 * SF_ROWS; f++)
		forms_note(fm, f, y, SF_VX, vw, 1, FORMS_NOTE_SHARED);
}

static void strategy_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct strategy_form *sf = (const struct strategy_form *)fm;
	char title[MD_NAME_MAX + 64];

	(void)rows;
	snprintf(title, sizeof title, "Strategy discussion on %s: %s", sf->ref,
		 sf->child);
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	desk_put(w, sf->head_y, 2, SF_VX - 3, "Actions", 0);
	desk_put(w, sf->head_y, SF_VX, sf->owner_x - SF_VX - 1, "What", 0);
	desk_put(w, sf->head_y, sf->owner_x, SF_OWNER_W, "Owner", 0);
	desk_put(w, sf->head_y, sf->due_x, cols - sf->due_x, "Due", 0);
	term_style(w, THEME_NORMAL);
}

/* ---- saving ------------------------------------------------------------------------ */

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

/* Every attendee typed, split: "pat, Ada Lane" under Police is two; under
 * Others each is AGENCY:WHO (without the colon, the agency is left empty
 * and the data layer says how to write it). */
static int strategy_attendees(struct strategy_form *sf)
{
	int n = 0;

	for (int k = 0; k < SF_WHO; k++) {
		char *save = NULL;
		snprintf(sf->split[k], sizeof sf->split[k], "%s",
			 forms_text(&sf->fm, sf->who_f[k]));
		for (char *p = strtok_r(sf->split[k], ",", &save);
		     p && n < MD_MAX_ATTENDEES; p = strtok_r(NULL, ",", &save)) {
			char *colon = k == SF_OTHERS ? strchr(p, ':') : NULL;
			p = trim(p);
			if (!*p)
				continue;
			if (colon) {
				*colon = '\0';
				sf->who[n++] = (struct strategy_attendee_input){
					trim(p), trim(colon + 1) };
			} else {
				sf->who[n++] = (struct strategy_attendee_input){
					k == SF_OTHERS ? "" : who_agency[k], p };
			}
		}
	}
	return n;
}

/* The attendee field an "attended: ..." refusal is about: the agency it
 * names first, or the field holding the person it names. */
static int strategy_who_field(struct strategy_form *sf, const char *msg)
{
	const char *about = msg + strlen("attended: ");
	size_t len = strcspn(about, " ,;");

	for (int k = 0; k < SF_WHO - 1; k++)
		if (strlen(who_agency[k]) == len &&
		    !strncmp(about, who_agency[k], len))
			return sf->who_f[k];
	for (int k = 0; k < SF_WHO && len; k++) {
		const char *t = forms_text(&sf->fm, sf->who_f[k]);
		if (t && strstr(t, about) && !strncmp(strstr(t, about), about, len))
			return sf->who_f[k];
	}
	return sf->who_f[SF_POLICE];
}

static int strategy_save(struct forms *fm, struct desk *d)
{
	struct strategy_form *sf = (struct strategy_form *)fm;
	struct action_input acts[SF_ROWS];
	struct strategy_input in;
	struct md_error err;

	memset(&in, 0, sizeof in);
	in.held = forms_text(fm, sf->held_f);
	in.how = forms_code(fm, sf->how_f);
	in.nattendees = strategy_attendees(sf);
	in.attendees = sf->who;
	in.missing_reason = forms_text(fm, sf->missing_f);
	in.decision = forms_code(fm, sf->decision_f);
	in.reconvene = fm->fields[sf->reconvene_f].choice == 1;
	in.instead = forms_text(fm, sf->instead_f);
	in.summary = forms_text(fm, sf->summary_f);
	/* every row as typed: the data layer skips blank ones, and its
	 * "action N" is this form's Action N */
	for (int r = 0; r < SF_ROWS; r++) {
		int f = sf->first_action + 3 * r;
		acts[r] = (struct action_input){ forms_text(fm, f),
						 forms_text(fm, f + 1),
						 forms_text(fm, f + 2) };
	}
	in.actions = acts;
	in.nactions = SF_ROWS;
	md_clear(&err);
	if (hub_strategy_record(desk_hub(d), sf->ref, &in, &err) != 0) {
		if (!strncmp(err.msg, "attended: ", 10))
			return forms_refuse_at(fm, d, strategy_who_field(sf, err.msg),
					       err.msg);
		return forms_refuse(fm, d, err.msg);
	}
	fm->edit.saved = 1;
	desk_message(d, THEME_NORMAL, "%s: strategy discussion recorded (%s).",
		     sf->ref, sf->decision.v[fm->fields[sf->decision_f].choice].name);
	return DESK_CLOSE;
}

static const struct forms_ops strategy_forms_ops = {
	.layout = strategy_layout,
	.draw_extra = strategy_draw_extra,
	.save = strategy_save,
	.guide = strategy_guide,
};

static const struct screen_ops strategy_screen_ops =
	FORMS_SCREEN_OPS("Strategy discussion");

/* ---- building ------------------------------------------------------------------------ */

static int line_field(struct forms *fm, const char *name, const char *label,
		      const char *text, const char *hint)
{
	int i = forms_add_text(fm, FORMS_LINE, name, label, text);

	if (i >= 0)
		fm->fields[i].hint = hint;
	return i;
}

static int strategy_fields(struct strategy_form *sf)
{
	static const char *const who_hints[SF_WHO] = {
		"Who took part for police: a login, or a name in words.",
		"Who took part for children's social care.",
		"Who took part for health: a login, or a name in words.",
		"Anyone else, as AGENCY:WHO (education:Ines Mora), commas between.",
	};
	static const char *const action_hints[3] = {
		"What is to be done.",
		"Who does it: a login, or a team in words.",
		"When it is due, as YYYY-MM-DD.",
	};
	struct forms *fm = &sf->fm;

	sf->held_f = line_field(fm, "held", "Held", "now", "When it was held: "
				"now, or YYYY-MM-DDTHH:MM (not in the future).");
	sf->how_f = forms_add_choice(fm, "how", "How", &sf->how, 1, NULL);
	if (sf->held_f < 0 || sf->how_f < 0)
		return -1;
	fm->fields[sf->how_f].hint = "Meeting, call or video.";
	for (int k = 0; k < SF_WHO; k++)
		if ((sf->who_f[k] = line_field(fm, who_names[k], who_labels[k], "",
					       who_hints[k])) < 0)
			return -1;
	sf->missing_f = line_field(fm, "missing_reason", "Missing why", "",
				   "Only if police, social care or health did "
				   "not take part: why not.");
	sf->decision_f = forms_add_choice(fm, "decision", "Decision",
					  &sf->decision, -1, "(choose)");
	sf->reconvene_f = forms_add_tick(fm, "reconvene", "Reconvene", 0);
	sf->instead_f = line_field(fm, "instead", "Instead", "", "With no s47 "
				   "enquiry: what happens instead.");
	sf->summary_f = forms_add_text(fm, FORMS_TEXT, "summary", "Shared", "");
	if (sf->missing_f < 0 || sf->decision_f < 0 || sf->reconvene_f < 0 ||
	    sf->instead_f < 0 || sf->summary_f < 0)
		return -1;
	fm->fields[sf->decision_f].hint = "Whether a section 47 enquiry starts.";
	fm->fields[sf->reconvene_f].hint = "Space ticks it: another discussion "
		"is then due within strategy_hours.";
	fm->fields[sf->summary_f].hint = "The information each agency shared.";
	sf->first_action = fm->nfields;
	for (int r = 0; r < SF_ROWS; r++)
		for (int k = 0; k < 3; k++) {
			int i = forms_add_text(fm, k == 2 ? FORMS_DATE : FORMS_LINE,
					       action_names[r][k],
					       k ? NULL : action_labels[r], "");
			if (i < 0)
				return -1;
			fm->fields[i].hint = action_hints[k];
		}
	return 0;
}

struct forms *strategy_form_new(const struct referral_detail *det,
				struct md_error *err)
{
	struct strategy_form *sf = calloc(1, sizeof *sf);

	if (!sf) {
		md_fail(err, EX_OSERR, "out of memory opening the form");
		return NULL;
	}
	forms_init(&sf->fm, &strategy_forms_ops);
	snprintf(sf->ref, sizeof sf->ref, "%s", det->row.ref);
	snprintf(sf->child, sizeof sf->child, "%s", det->row.child_name);
	strategy_options(sf);
	if (strategy_fields(sf) != 0) {
		forms_delete(&sf->fm);
		md_fail(err, EX_OSERR, "out of memory opening the form");
		return NULL;
	}
	return &sf->fm;
}

void strategy_form_delete(struct forms *fm)
{
	forms_delete(fm);       /* fm is the first member of its strategy_form */
}

int strategy_form_open(struct desk *d, const struct referral_detail *det)
{
	struct md_error err;
	struct forms *fm;

	md_clear(&err);
	if (!hub_may(desk_hub(d), HUB_ACT_STRATEGY, &err)) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return EX_NOPERM;
	}
	md_clear(&err);
	if (!(fm = strategy_form_new(det, &err))) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code ? err.code : EX_SOFTWARE;
	}
	md_clear(&err);
	if (forms_push(d, &strategy_screen_ops, fm, "strategy discussion",
		       &err) != 0) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code;
	}
	return 0;
}
