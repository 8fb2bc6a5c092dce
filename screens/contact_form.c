/* contact_form.c - a contact taken in at the desk, and a referral's details
 * corrected later, on one form.
 *
 * The fields follow a phone call: the child first (name, then date of
 * birth or the expected date of an unborn child, aliases, gender, address,
 * school, GP, NHS number, then what else is known), the household and
 * significant adults (rows added with one key and removed with another),
 * who is calling and from where, what happened, and consent.  It is longer
 * than any terminal, so it scrolls (forms_scroll): the view follows the
 * focus, while the title above it, the line of hints and problems below
 * it and the prior history panel at the bottom stay put.
 *
 * Prior history while typing.  Whenever the focus leaves a field, and when
 * the keyboard has been still for [ui] refresh_ms (the desk's idle tick),
 * the form asks hub_prior_history about what is typed -- if the name, date
 * of birth, aliases or address changed since it last asked -- and the
 * panel shows earlier contacts and referrals of the same child or
 * household, with what became of them and whether the child has an
 * allocated social worker now.  Typing itself never waits for it; the
 * lookup reads indexes only (well under a millisecond at a million
 * referrals: ./quickstart bench), writes nothing and audits nothing.
 *
 * The form checks nothing itself: a save goes to hub_contact_add or
 * hub_referral_update, and what they refuse is shown at the field the
 * message names ("person 2: name: required" at person 2's name). */
#include "contact_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/clock.h"
#include "mashdesk/hub_prior.h"
#include "mashdesk/hub_update.h"
#include "mashdesk/text.h"
#include "pager.h"

#define CF_VX 22                /* where values start: labels fit before */
#define CF_PERSON_X 12          /* a person's name, after "Person 16" */
#define CF_REL_X 40
#define CF_PDOB_X 64
#define CF_TICK_X 4             /* a person's second row: the ticks */

/* The child's fields, in the order of a phone call (and of Tab). */
enum { CF_CHILD, CF_DOB, CF_ESTIMATED, CF_ALIASES, CF_GENDER, CF_ADDRESS,
       CF_SCHOOL, CF_GP, CF_NHS, CF_UPN, CF_ETHNICITY, CF_LANGUAGE,
       CF_INTERPRETER, CF_DISABILITY, CF_PREVIOUS, CF_ALLOCATED,
       CF_FIRST_PERSON };

/* Each person's fields, after the child's. */
enum { P_NAME, P_REL, P_DOB, P_PR, P_AP, P_AWAY, P_FIELDS };

static const char *const person_parts[P_FIELDS] = {
	"name", "relationship", "dob", "parental_responsibility",
	"alleged_perpetrator", "lives_elsewhere",
};
static const char *const person_ticks[P_FIELDS] = {
	NULL, NULL, NULL, "Parental responsibility", "Alleged perpetrator",
	"Lives elsewhere",
};

/* Field names ("person2.name": what forms_problem_field makes of "person
 * 2: name: ...") and labels, made once. */
static char person_names[MD_MAX_PEOPLE][P_FIELDS][40];
static char person_labels[MD_MAX_PEOPLE][16];

static void person_names_make(void)
{
	if (person_labels[0][0])
		return;
	for (int r = 0; r < MD_MAX_PEOPLE; r++) {
		snprintf(person_labels[r], sizeof person_labels[r], "Person %d",
			 r + 1);
		for (int k = 0; k < P_FIELDS; k++)
			snprintf(person_names[r][k], sizeof person_names[r][k],
				 "person%d.%s", r + 1, person_parts[k]);
	}
}

/* The sections, for the title's "where am I". */
static const char *const section_names[] = {
	"The child", "Household", "Who referred", "What happened", "Consent",
};
#define NSECTIONS 5

struct contact_form {
	struct forms fm;        /* first: the screen's priv points at it */
	int edit;               /* 0: a new contact; 1: ref's details */
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	long long id;           /* the record edited: not its own history */
	int npeople;
	struct forms_options source, category, consent, aware;
	/* the layout, for draw_extra: section headings (virtual rows) and
	 * the rows that stay put */
	int heads[NSECTIONS];
	int people_cols;        /* the household's column headings */
	int note_y, panel_y;
	/* prior history: what was asked, and found */
	char asked[1200];
	int looked, ready;
	struct prior_match prior[PRIOR_MAX];
	int nprior;
	char allocated[MD_NAME_MAX];
	char prior_error[FORMS_MSG_MAX];
};

static struct contact_form *cf_of(struct forms *fm)
{
	return (struct contact_form *)fm;
}

static int person_field(int r, int part)
{
	return CF_FIRST_PERSON + P_FIELDS * r + part;
}

/* The person whose row field i is on, or -1. */
static int person_of(const struct contact_form *cf, int i)
{
	if (i < CF_FIRST_PERSON || i >= person_field(cf->npeople, 0))
		return -1;
	return (i - CF_FIRST_PERSON) / P_FIELDS;
}

/* ---- prior history ------------------------------------------------------------ */

static int prior_keep(const struct prior_match *m, void *arg)
{
	struct contact_form *cf = arg;

	if (cf->nprior < PRIOR_MAX)
		cf->prior[cf->nprior++] = *m;
	return 0;
}

/* Ask again if the name, date of birth, aliases or address changed since
 * the last time; 1 when what the panel shows changed. */
static int prior_refresh(struct contact_form *cf, struct hub *hub)
{
	struct forms *fm = &cf->fm;
	char key[sizeof cf->asked];
	struct md_error err;

	forms_sync(fm);
	snprintf(key, sizeof key, "%.300s\037%.20s\037%.400s\037%.400s",
		 forms_text(fm, CF_CHILD), forms_text(fm, CF_DOB),
		 forms_text(fm, CF_ALIASES), forms_text(fm, CF_ADDRESS));
	if (cf->looked && !strcmp(key, cf->asked))
		return 0;
	memcpy(cf->asked, key, sizeof key);
	cf->looked = 1;
	struct prior_query q = {
		forms_text(fm, CF_CHILD), forms_text(fm, CF_DOB),
		forms_text(fm, CF_ALIASES), forms_text(fm, CF_ADDRESS), cf->id,
	};
	/* What the panel says before anything could match (the data layer
	 * asks nothing until then). */
	cf->ready = (q.child_name[0] && clock_valid_date(q.dob)) ||
		    q.address[0];
	cf->nprior = 0;
	cf->prior_error[0] = '\0';
	md_clear(&err);
	if (hub_prior_history(hub, &q, prior_keep, cf, cf->allocated, &err) != 0) {
		snprintf(cf->prior_error, sizeof cf->prior_error, "%.300s",
			 err.msg);
		cf->nprior = 0;
	}
	return 1;
}

static void contact_left(struct forms *fm, struct desk *d, int from)
{
	(void)from;
	prior_refresh(cf_of(fm), desk_hub(d));
}

static int contact_tick(struct forms *fm, struct desk *d)
{
	return prior_refresh(cf_of(fm), desk_hub(d)) ? DESK_REDRAW : 0;
}

/* "decided: s47" (a referral), "screened out: advice" (a contact closed
 * at screening), "open contact: new, held by sam". */
static void prior_what(const struct prior_match *m, char *buf, size_t len)
{
	if (m->outcome[0] && !strcmp(m->stage, "contact"))
		snprintf(buf, len, "screened out: %s", m->outcome);
	else if (m->outcome[0])
		snprintf(buf, len, "decided: %s", m->outcome);
	else
		snprintf(buf, len, "open %s: %s%s%s", m->stage, m->status,
			 m->assigned_to[0] ? ", " : "", m->assigned_to);
}

static void prior_line(const struct prior_match *m, char *buf, size_t len)
{
	char day[CLOCK_ISO_MAX], what[160], inert[MD_NAME_MAX * 3];
	char name[MD_NAME_MAX * 3];

	clock_format_iso(m->received_at, day);
	prior_what(m, what, sizeof what);
	text_inert(inert, sizeof inert, m->child_name, 1);
	if (desk_ascii())
		desk_ascii_fold(inert);
	text_fit(name, sizeof name, inert, 18, 1, desk_ascii());
	snprintf(buf, len, "%-7s %.10s %-7s %.200s %.150s", m->ref, day,
		 m->same_child ? "child" : "address", name, what);
}

/* The panel's first line. */
static void prior_heading(const struct contact_form *cf, char *buf, size_t len)
{
	int child = 0;

	for (int i = 0; i < cf->nprior; i++)
		child += cf->prior[i].same_child;
	if (cf->prior_error[0])
		snprintf(buf, len, "Prior history could not be read: %s",
			 cf->prior_error);
	else if (!cf->ready)
		snprintf(buf, len, "Prior history: type the child's name and date "
			 "of birth, or an address.");
	else if (!cf->nprior)
		snprintf(buf, len, "Prior history: nothing earlier for this child "
			 "or address.");
	else
		snprintf(buf, len, "Prior history: %d earlier (%d of this child, "
			 "%d at the address)%s", cf->nprior, child,
			 cf->nprior - child, cf->nprior == PRIOR_MAX ?
			 ", the newest 20" : "");
}

static void draw_prior(struct contact_form *cf, WINDOW *w, int rows, int cols)
{
	char line[1000], guide[ACTION_KEY_NAME_MAX];
	int y = cf->panel_y, shown = 0, room;

	prior_heading(cf, line, sizeof line);
	term_style(w, THEME_HEADER);
	desk_put(w, y++, 0, cols, line, 1);
	if (cf->allocated[0] && y < rows) {
		snprintf(line, sizeof line, "ALLOCATED social worker: %s",
			 cf->allocated);
		term_style(w, THEME_ALERT);
		desk_put(w, y++, 0, cols, line, 1);
	}
	term_style(w, THEME_NORMAL);
	room = rows - y;
	for (int i = 0; i < cf->nprior && shown < room; i++, shown++) {
		if (shown == room - 1 && cf->nprior - i > 1) {
			action_keys_text(ACTION_GUIDE, 1, guide, sizeof guide);
			snprintf(line, sizeof line, "  ... and %d more: %s (the "
				 "guide) lists them all.", cf->nprior - i, guide);
			term_style(w, THEME_DIM);
			desk_put(w, y++, 0, cols, line, 1);
			term_style(w, THEME_NORMAL);
			break;
		}
		prior_line(&cf->prior[i], line, sizeof line);
		desk_put(w, y, 0, 2, "  ", 1);
		desk_put(w, y++, 2, cols - 2, line, 1);
	}
}

/* ---- layout ------------------------------------------------------------------- */

static int tick_w(const struct forms_field *f)
{
	return 4 + text_width(f->tick_label ? f->tick_label : "");
}

static int min_i(int a, int b)
{
	return a < b ? a : b;
}

/* Place the named field at (y, x) w wide (and h tall); returns its index. */
static int place(struct forms *fm, const char *name, int y, int x, int h,
		 int w)
{
	int i = forms_find(fm, name);
	forms_place(fm, i, y, x, h, w);
	return i;
}

static int layout_child(struct contact_form *cf, int y, int cols)
{
	struct forms *fm = &cf->fm;
	int vw = cols - CF_VX - 1;

	cf->heads[0] = y++;
	forms_place(fm, CF_CHILD, y++, CF_VX, 1, min_i(40, vw));
	forms_place(fm, CF_DOB, y, CF_VX, 1, 11);
	forms_place(fm, CF_ESTIMATED, y++, CF_VX + 13, 1,
		    tick_w(&fm->fields[CF_ESTIMATED]));
	forms_place(fm, CF_ALIASES, y++, CF_VX, 1, vw);
	forms_place(fm, CF_GENDER, y++, CF_VX, 1, 16);
	forms_place(fm, CF_ADDRESS, y++, CF_VX, 1, vw);
	forms_place(fm, CF_SCHOOL, y, CF_VX, 1, 24);
	forms_place(fm, CF_GP, y++, CF_VX + 31, 1, cols - CF_VX - 32);
	fm->fields[CF_GP].label_x = CF_VX + 26;
	forms_place(fm, CF_NHS, y, CF_VX, 1, 13);
	forms_place(fm, CF_UPN, y++, CF_VX + 22, 1, 16);
	fm->fields[CF_UPN].label_x = CF_VX + 16;
	forms_place(fm, CF_ETHNICITY, y++, CF_VX, 1, min_i(30, vw));
	forms_place(fm, CF_LANGUAGE, y, CF_VX, 1, 16);
	forms_place(fm, CF_INTERPRETER, y++, CF_VX + 18, 1,
		    tick_w(&fm->fields[CF_INTERPRETER]));
	forms_place(fm, CF_DISABILITY, y++, CF_VX, 1, vw);
	forms_place(fm, CF_PREVIOUS, y++, CF_VX, 1, vw);
	forms_place(fm, CF_ALLOCATED, y++, CF_VX, 1, min_i(40, vw));
	return y + 1;
}

static int layout_people(struct contact_form *cf, int y)
{
	struct forms *fm = &cf->fm;

	cf->heads[1] = y++;
	cf->people_cols = y++;  /* headings, or "no one yet" */
	for (int r = 0; r < cf->npeople; r++, y += 3) {
		int x = CF_TICK_X;
		forms_place(fm, person_field(r, P_NAME), y, CF_PERSON_X, 1,
			    CF_REL_X - CF_PERSON_X - 2);
		forms_place(fm, person_field(r, P_REL), y, CF_REL_X, 1,
			    CF_PDOB_X - CF_REL_X - 2);
		forms_place(fm, person_field(r, P_DOB), y, CF_PDOB_X, 1, 11);
		for (int k = P_PR; k <= P_AWAY; k++) {
			int i = person_field(r, k);
			forms_place(fm, i, y + 1, x, 1, tick_w(&fm->fields[i]));
			x += tick_w(&fm->fields[i]) + 2;
		}
	}
	return y + (cf->npeople ? 0 : 1);
}

static int layout_rest(struct contact_form *cf, int y, int cols)
{
	struct forms *fm = &cf->fm;
	int vw = cols - CF_VX - 1, i;

	cf->heads[2] = y++;
	place(fm, "referrer", y++, CF_VX, 1, min_i(40, vw));
	place(fm, "referrer_role", y, CF_VX, 1, 24);
	i = place(fm, "referrer_agency", y++, CF_VX + 35, 1, cols - CF_VX - 36);
	fm->fields[i].label_x = CF_VX + 26;
	place(fm, "referrer_contact", y++, CF_VX, 1, vw);
	i = forms_find(fm, "source");
	forms_place(fm, i, y++, CF_VX, 1, forms_choice_width(&fm->fields[i], vw));
	y++;
	cf->heads[3] = y++;
	place(fm, "concern", y, CF_VX, 4, vw);
	y += 4;
	i = forms_find(fm, "category");
	forms_place(fm, i, y++, CF_VX, 1, forms_choice_width(&fm->fields[i], vw));
	place(fm, "impact", y, CF_VX, 2, vw);
	y += 2;
	place(fm, "tried", y, CF_VX, 2, vw);
	y += 2;
	place(fm, "strengths", y, CF_VX, 2, vw);
	y += 3;
	cf->heads[4] = y++;
	i = forms_find(fm, "parents_aware");
	forms_place(fm, i, y++, CF_VX, 1, forms_choice_width(&fm->fields[i], vw));
	i = forms_find(fm, "consent");
	forms_place(fm, i, y++, CF_VX, 1, forms_choice_width(&fm->fields[i], vw));
	place(fm, "consent_reason", y, CF_VX, 2, vw);
	return y + 2;
}

/* The prior history panel takes a quarter of the body (at least its
 * heading and four matches); the view scrolls between the title and the
 * line of hints above the panel. */
static void contact_layout(struct forms *fm, int rows, int cols)
{
	struct contact_form *cf = cf_of(fm);
	int panel = rows / 4, view_h, vrows;

	if (panel < 5)
		panel = 5;
	if (panel > 2 + PRIOR_MAX)
		panel = 2 + PRIOR_MAX;
	view_h = rows - 2 - panel;
	cf->note_y = 1 + view_h;
	cf->panel_y = cf->note_y + 1;
	vrows = layout_child(cf, 0, cols);
	vrows = layout_people(cf, vrows);
	vrows = layout_rest(cf, vrows, cols);
	forms_scroll(fm, vrows, 1, view_h);
	for (int i = 0; i < fm->nfields; i++)
		forms_note(fm, i, cf->note_y, 1, cols - 2, 1,
			   FORMS_NOTE_SHARED | FORMS_NOTE_FIXED);
}

/* The section the focus is in. */
static int section_of(const struct contact_form *cf)
{
	int y = cf->fm.fields[cf->fm.current].y, s = 0;

	for (int k = 1; k < NSECTIONS; k++)
		if (y > cf->heads[k])
			s = k;
	return s;
}

static void contact_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	struct contact_form *cf = cf_of(fm);
	char title[MD_NAME_MAX + 64], where[64], add[ACTION_KEY_NAME_MAX];
	char rm[ACTION_KEY_NAME_MAX], line[200];
	int s = section_of(cf), y, ww;

	if (cf->edit)
		snprintf(title, sizeof title, "Details of %s: %s", cf->ref,
			 cf->child);
	else
		snprintf(title, sizeof title, "New contact");
	snprintf(where, sizeof where, "%s (%d of %d)%s%s", section_names[s],
		 s + 1, NSECTIONS, fm->top > 0 ? "  ^ more" : "",
		 fm->top + fm->view_h < fm->vrows ? "  v more" : "");
	ww = text_width(where);
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols - ww - 1, title, 1);
	term_style(w, THEME_DIM);
	desk_put(w, 0, cols - ww, ww, where, 1);
	term_style(w, THEME_HEADER);
	for (int k = 0; k < NSECTIONS; k++)
		if ((y = forms_view_row(fm, cf->heads[k])) >= 0)
			desk_put(w, y, 0, cols, section_names[k], 0);
	term_style(w, THEME_NORMAL);
	if ((y = forms_view_row(fm, cf->people_cols)) >= 0) {
		action_keys_text(ACTION_ADD_PERSON, 1, add, sizeof add);
		action_keys_text(ACTION_REMOVE_PERSON, 1, rm, sizeof rm);
		if (cf->npeople) {
			term_style(w, THEME_DIM);
			desk_put(w, y, CF_PERSON_X, CF_REL_X - CF_PERSON_X, "Name", 0);
			desk_put(w, y, CF_REL_X, CF_PDOB_X - CF_REL_X, "Relationship", 0);
			desk_put(w, y, CF_PDOB_X, cols - CF_PDOB_X, "Date of birth", 0);
		} else {
			snprintf(line, sizeof line, "No one added yet: %s adds a "
				 "household member or significant adult.", add);
			term_style(w, THEME_DIM);
			desk_put(w, y, 2, cols - 2, line, 0);
		}
		term_style(w, THEME_NORMAL);
	}
	if ((y = forms_view_row(fm, cf->heads[1])) >= 0) {
		action_keys_text(ACTION_ADD_PERSON, 1, add, sizeof add);
		action_keys_text(ACTION_REMOVE_PERSON, 1, rm, sizeof rm);
		snprintf(line, sizeof line, "(%s adds a person, %s removes one)",
			 add, rm);
		term_style(w, THEME_DIM);
		desk_put(w, y, 34, cols - 34, line, 0);
		term_style(w, THEME_NORMAL);
	}
	draw_prior(cf, w, rows, cols);
}

/* ---- household rows ----------------------------------------------------------- */

static void person_rename(struct contact_form *cf, int r)
{
	struct forms *fm = &cf->fm;

	for (int k = 0; k < P_FIELDS; k++) {
		struct forms_field *f = &fm->fields[person_field(r, k)];
		f->name = person_names[r][k];
		if (k == P_NAME)
			f->label = person_labels[r];
	}
}

/* The fields of person r (r = cf->npeople: a new last row), empty or
 * filled from p. */
static int person_add_fields(struct contact_form *cf, int r,
			     const struct referral_person *p)
{
	struct forms *fm = &cf->fm;
	static const char *const hints[P_FIELDS] = {
		"Their name as the caller gives it.",
		"How they are related to the child: mother, mother's partner, "
		"grandfather, neighbour...",
		"Their date of birth, YYYY-MM-DD, if known.",
		"Space ticks it: they hold parental responsibility for the child.",
		"Space ticks it: the person the concern is about.",
		"Space ticks it: a significant adult who does not live with the "
		"child.",
	};
	int ok = 1;

	ok &= forms_add_text(fm, FORMS_LINE, person_names[r][P_NAME],
			     person_labels[r], p ? p->name : "") >= 0;
	ok &= forms_add_text(fm, FORMS_LINE, person_names[r][P_REL], NULL,
			     p ? p->relationship : "") >= 0;
	ok &= forms_add_text(fm, FORMS_DATE, person_names[r][P_DOB], NULL,
			     p ? p->dob : "") >= 0;
	ok &= forms_add_tick(fm, person_names[r][P_PR], person_ticks[P_PR],
			     p && p->parental_responsibility) >= 0;
	ok &= forms_add_tick(fm, person_names[r][P_AP], person_ticks[P_AP],
			     p && p->alleged_perpetrator) >= 0;
	ok &= forms_add_tick(fm, person_names[r][P_AWAY], person_ticks[P_AWAY],
			     p && !p->household) >= 0;
	if (!ok)
		return -1;
	for (int k = 0; k < P_FIELDS; k++)
		fm->fields[person_field(r, k)].hint = hints[k];
	cf->npeople++;
	return 0;
}

int contact_form_people(const struct forms *fm)
{
	return ((const struct contact_form *)fm)->npeople;
}

int contact_form_add_person(struct forms *fm)
{
	struct contact_form *cf = cf_of(fm);
	int r = cf->npeople, before = fm->nfields;

	if (r >= MD_MAX_PEOPLE || fm->nfields + P_FIELDS > FORMS_MAX_FIELDS)
		return -1;
	forms_reshape_begin(fm, person_field(r, 0));
	if (person_add_fields(cf, r, NULL) != 0) {
		/* half made: out again */
		forms_remove(fm, person_field(r, 0), fm->nfields - before);
		forms_reshape_end(fm, fm->current);
		return -1;
	}
	forms_reshape_end(fm, person_field(r, P_NAME));
	return person_field(r, P_NAME);
}

void contact_form_remove_person(struct forms *fm, int r)
{
	struct contact_form *cf = cf_of(fm);
	int focus;

	if (r < 0 || r >= cf->npeople)
		return;
	forms_remove(fm, person_field(r, 0), P_FIELDS);
	cf->npeople--;
	for (int k = r; k < cf->npeople; k++)
		person_rename(cf, k);
	/* The focus: the next person, else the one before, else what
	 * follows the household. */
	focus = r < cf->npeople ? person_field(r, P_NAME) :
		r > 0 ? person_field(r - 1, P_NAME) : person_field(r, 0);
	forms_reshape_end(fm, focus);
}

static int contact_action(struct forms *fm, struct desk *d, enum action a)
{
	struct contact_form *cf = cf_of(fm);
	char key[ACTION_KEY_NAME_MAX];
	int r;

	switch (a) {
	case ACTION_ADD_PERSON:
		if (contact_form_add_person(fm) < 0) {
			desk_message(d, THEME_ERROR, "people: at most %d household "
				     "members and significant adults",
				     MD_MAX_PEOPLE);
			return DESK_REDRAW;
		}
		desk_message(d, THEME_NORMAL, "Person %d added: their name, how "
			     "they are related, their date of birth.",
			     cf->npeople);
		return DESK_REDRAW;
	case ACTION_REMOVE_PERSON:
		r = person_of(cf, fm->current);
		if (r < 0) {
			action_keys_text(ACTION_REMOVE_PERSON, 1, key, sizeof key);
			desk_message(d, THEME_ERROR, "Move to the person to remove "
				     "(their row in the household), then %s.", key);
			return DESK_REDRAW;
		}
		contact_form_remove_person(fm, r);
		desk_message(d, THEME_NORMAL, "Person %d removed.", r + 1);
		return DESK_REDRAW;
	default:
		return DESK_UNHANDLED;
	}
}

/* The key bar: in a person's row how to remove them, elsewhere how to add
 * one (the household's heading and help name both keys everywhere). */
static int contact_bar_extra(struct forms *fm, enum action *acts, int max)
{
	if (max < 1)
		return 0;
	acts[0] = person_of(cf_of(fm), fm->current) >= 0 ? ACTION_REMOVE_PERSON
							  : ACTION_ADD_PERSON;
	return 1;
}

/* A draft names persons 1..N: make exactly N rows before it is applied. */
static void contact_draft_shape(struct forms *fm, const char *body)
{
	struct contact_form *cf = cf_of(fm);
	int want = 0, before = cf->npeople, reshaped = fm->reshaped;

	for (const char *p = body; p && *p;) {
		int n = 0;
		if (sscanf(p, "person%d.", &n) == 1 && n > want)
			want = n;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (want > MD_MAX_PEOPLE)
		want = MD_MAX_PEOPLE;
	while (cf->npeople > want)
		contact_form_remove_person(fm, cf->npeople - 1);
	while (cf->npeople < want && contact_form_add_person(fm) >= 0)
		;
	/* Rows the draft has that the record has not are a change to keep. */
	fm->reshaped = reshaped || cf->npeople != before;
	fm->current = 0;
}

/* ---- saving -------------------------------------------------------------------- */

static int tick(const struct forms *fm, int i)
{
	return i >= 0 && i < fm->nfields && fm->fields[i].choice == 1;
}

void contact_form_input(struct forms *fm, struct referral_input *in,
			struct person_input *people)
{
	struct contact_form *cf = cf_of(fm);
	const char *aware = forms_code(fm, forms_find(fm, "parents_aware"));
#define TXT(name) forms_text(fm, forms_find(fm, name))

	memset(in, 0, sizeof *in);
	in->child_name = forms_text(fm, CF_CHILD);
	in->dob = forms_text(fm, CF_DOB);
	in->dob_estimated = tick(fm, CF_ESTIMATED);
	in->aliases = forms_text(fm, CF_ALIASES);
	in->gender = forms_text(fm, CF_GENDER);
	in->address = forms_text(fm, CF_ADDRESS);
	in->school = forms_text(fm, CF_SCHOOL);
	in->gp = forms_text(fm, CF_GP);
	in->nhs_number = forms_text(fm, CF_NHS);
	in->upn = forms_text(fm, CF_UPN);
	in->ethnicity = forms_text(fm, CF_ETHNICITY);
	in->language = forms_text(fm, CF_LANGUAGE);
	in->interpreter = tick(fm, CF_INTERPRETER);
	in->disability = forms_text(fm, CF_DISABILITY);
	in->previous_address = forms_text(fm, CF_PREVIOUS);
	in->allocated_worker = forms_text(fm, CF_ALLOCATED);
	in->referrer = TXT("referrer");
	in->referrer_role = TXT("referrer_role");
	in->referrer_agency = TXT("referrer_agency");
	in->referrer_contact = TXT("referrer_contact");
	in->source = forms_code(fm, forms_find(fm, "source"));
	in->concern = TXT("concern");
	in->category = forms_code(fm, forms_find(fm, "category"));
	in->impact = TXT("impact");
	in->tried = TXT("tried");
	in->strengths = TXT("strengths");
	in->parents_aware = !aware ? -1 : !strcmp(aware, "yes");
	in->consent = forms_code(fm, forms_find(fm, "consent"));
	in->consent_reason = TXT("consent_reason");
#undef TXT
	for (int r = 0; r < cf->npeople && r < MD_MAX_PEOPLE; r++) {
		people[r] = (struct person_input){
			.name = forms_text(fm, person_field(r, P_NAME)),
			.relationship = forms_text(fm, person_field(r, P_REL)),
			.dob = forms_text(fm, person_field(r, P_DOB)),
			.parental_responsibility = tick(fm, person_field(r, P_PR)),
			.alleged_perpetrator = tick(fm, person_field(r, P_AP)),
			.household = !tick(fm, person_field(r, P_AWAY)),
		};
	}
	in->people = people;
	in->npeople = cf->npeople;
}

/* A refusal at the field it names, else at the focus: the hint line is
 * where this form's problems show. */
static int contact_refuse(struct forms *fm, struct desk *d, const char *msg)
{
	int i = forms_problem_field(fm, msg);

	return forms_refuse_at(fm, d, i >= 0 ? i : fm->current, msg);
}

static int contact_save(struct forms *fm, struct desk *d)
{
	struct contact_form *cf = cf_of(fm);
	struct person_input people[MD_MAX_PEOPLE];
	struct referral_input in;
	struct md_error err;
	char ref[MD_REF_MAX];
	int n = 0;

	contact_form_input(fm, &in, people);
	md_clear(&err);
	if (!cf->edit) {
		if (hub_contact_add(desk_hub(d), &in, ref, &err) != 0)
			return contact_refuse(fm, d, err.msg);
		fm->edit.saved = 1;     /* its draft went with it */
		desk_message(d, THEME_NORMAL, "Taken in: %s (%s), a contact until "
			     "screened.", ref, in.child_name);
		return DESK_CLOSE;
	}
	if (hub_referral_update(desk_hub(d), cf->ref, &in, fm->edit.lease.token,
				fm->edit.lease.version, &n, &err) != 0)
		return contact_refuse(fm, d, err.msg);
	fm->edit.saved = 1;
	if (n)
		desk_message(d, THEME_NORMAL, "%s: details saved (%d change%s, "
			     "each in the audit).", cf->ref, n, n == 1 ? "" : "s");
	else
		desk_message(d, THEME_NORMAL, "%s: nothing changed.", cf->ref);
	return DESK_CLOSE;
}

/* ---- the guide ----------------------------------------------------------------- */

static int contact_guide_fill(void *arg, struct pager_lines *pl,
			      struct md_error *err)
{
	struct contact_form *cf = arg;
	char line[700], what[200], day[CLOCK_ISO_MAX];
	int rc = 0;

	prior_heading(cf, line, sizeof line);
	rc |= pager_add(pl, 0, THEME_HEADER, line);
	if (cf->allocated[0]) {
		snprintf(line, sizeof line, "The child has an allocated social "
			 "worker: %s. A new contact about a child whose case is "
			 "open may go to them (closed at screening as "
			 "\"allocated\").", cf->allocated);
		rc |= pager_add(pl, 2, THEME_ALERT, line);
	}
	for (int i = 0; rc == 0 && i < cf->nprior; i++) {
		const struct prior_match *m = &cf->prior[i];
		clock_format_iso(m->received_at, day);
		prior_what(m, what, sizeof what);
		snprintf(line, sizeof line, "  %s, %.10s: %s (%s) - %s%s%s", m->ref,
			 day, m->child_name, m->same_child ? "this child" :
			 "at this address", what, m->allocated_worker[0] ?
			 "; allocated worker " : "", m->allocated_worker);
		rc |= pager_add(pl, 4, THEME_NORMAL, line);
	}
	static const char *const words[] = {
		"",
		"#Taking a contact",
		"Everything taken in is a contact until it is screened: it is "
		"given a reference at once (tell the caller), and screening "
		"decides whether it becomes a referral.",
		"The fields follow a phone call: the child first, then the "
		"household, who is calling, what happened and consent.  Only the "
		"child's name, the date of birth and what happened are needed to "
		"save; everything else can be added later (E on the referral).",
		"For an unborn child, give the expected date of delivery and tick "
		"\"Expected date\".  Aliases: other names the child is known by, "
		"separated by semicolons.",
		"The prior history looks for the same name and date of birth, "
		"each alias, and the same address, as you move from field to "
		"field and whenever you pause: earlier contacts and referrals, "
		"what became of them, and an allocated social worker.",
		"",
		"#Consent",
		"Seek the parents' agreement to share unless doing so would "
		"increase the risk to the child.  Sharing without their knowledge "
		"is authorised by a first-line manager, with the reasons "
		"recorded: say why under Reason.",
	};
	for (size_t i = 0; rc == 0 && i < sizeof words / sizeof words[0]; i++)
		rc |= words[i][0] == '#'
			? pager_add(pl, 0, THEME_HEADER, words[i] + 1)
			: pager_add(pl, 0, THEME_NORMAL, words[i]);
	rc |= forms_guide_keys(pl);
	return rc ? md_fail(err, EX_OSERR, "out of memory building the guide") : 0;
}

static int contact_guide(struct forms *fm, struct desk *d)
{
	struct pager_source src = { "Guide: taking a contact", contact_guide_fill,
				    fm };

	pager_open(d, &src);
	return DESK_HANDLED;
}

static const struct forms_ops contact_forms_ops = {
	.layout = contact_layout,
	.draw_extra = contact_draw_extra,
	.save = contact_save,
	.guide = contact_guide,
	.action = contact_action,
	.left = contact_left,
	.tick = contact_tick,
	.draft_shape = contact_draft_shape,
	.bar_extra = contact_bar_extra,
};

/* ---- opening ------------------------------------------------------------------- */

static void aware_options(struct forms_options *o)
{
	o->n = 2;
	snprintf(o->v[0].code, sizeof o->v[0].code, "yes");
	snprintf(o->v[0].name, sizeof o->v[0].name, "Yes, they know");
	snprintf(o->v[1].code, sizeof o->v[1].code, "no");
	snprintf(o->v[1].name, sizeof o->v[1].name, "No, they do not know");
	o->v[0].explanation[0] = o->v[1].explanation[0] = '\0';
}

static int add_line(struct forms *fm, enum forms_kind kind, const char *name,
		    const char *label, const char *text, const char *hint)
{
	int i = forms_add_text(fm, kind, name, label, text);
	if (i >= 0)
		fm->fields[i].hint = hint;
	return i;
}

static int add_pick(struct forms *fm, const char *name, const char *label,
		    const struct forms_options *o, const char *code,
		    const char *none, const char *hint)
{
	int i = forms_add_choice(fm, name, label, o, forms_option_find(o, code),
				 none);
	if (i >= 0)
		fm->fields[i].hint = hint;
	return i;
}

#define D(field) (det ? det->field : "")

static int child_fields(struct contact_form *cf, const struct referral_detail *det)
{
	struct forms *fm = &cf->fm;
	int ok = 1;

	ok &= add_line(fm, FORMS_LINE, "child", "Child's name", det ?
		       det->row.child_name : "", "The child's full name as the "
		       "caller gives it.") == CF_CHILD;
	ok &= add_line(fm, FORMS_DATE, "dob", "Date of birth", det ? det->row.dob
		       : "", "YYYY-MM-DD; for an unborn child the expected date, "
		       "with the tick beside it.") == CF_DOB;
	ok &= forms_add_tick(fm, "dob_estimated", "Expected date (unborn)",
			     det && det->row.dob_estimated) == CF_ESTIMATED;
	ok &= add_line(fm, FORMS_LINE, "aliases", "Aliases", D(aliases),
		       "Other names the child is known by, separated by ';'.")
	      == CF_ALIASES;
	ok &= add_line(fm, FORMS_LINE, "gender", "Gender", D(gender),
		       "As the caller or the child says it.") == CF_GENDER;
	ok &= add_line(fm, FORMS_LINE, "address", "Address", D(address),
		       "Where the child lives now: the prior history looks for "
		       "the household by it.") == CF_ADDRESS;
	ok &= add_line(fm, FORMS_LINE, "school", "School", D(school),
		       "School, nursery or college.") == CF_SCHOOL;
	ok &= add_line(fm, FORMS_LINE, "gp", "GP", D(gp), "The child's GP or "
		       "practice.") == CF_GP;
	ok &= add_line(fm, FORMS_LINE, "nhs_number", "NHS number", D(nhs_number),
		       "Ten digits; spaces are fine.") == CF_NHS;
	ok &= add_line(fm, FORMS_LINE, "upn", "UPN", D(upn), "The unique pupil "
		       "number, if the school gives it.") == CF_UPN;
	ok &= add_line(fm, FORMS_LINE, "ethnicity", "Ethnicity", D(ethnicity),
		       "As the family describe it, if known.") == CF_ETHNICITY;
	ok &= add_line(fm, FORMS_LINE, "language", "First language",
		       D(language), "The child's or family's first language.")
	      == CF_LANGUAGE;
	ok &= forms_add_tick(fm, "interpreter", "Needs an interpreter",
			     det && det->interpreter) == CF_INTERPRETER;
	ok &= add_line(fm, FORMS_LINE, "disability", "Disability",
		       D(disability), "Any disability or additional need.")
	      == CF_DISABILITY;
	ok &= add_line(fm, FORMS_LINE, "previous_address", "Previous address",
		       D(previous_address), "Where the child lived before, if "
		       "they moved recently.") == CF_PREVIOUS;
	ok &= add_line(fm, FORMS_LINE, "allocated_worker", "Allocated worker",
		       D(allocated_worker), "A social worker who already holds "
		       "the child's case, if any.") == CF_ALLOCATED;
	fm->fields[CF_ESTIMATED].hint = "Space ticks it: the date is when an "
		"unborn child is expected.";
	fm->fields[CF_INTERPRETER].hint = "Space ticks it: the child or family "
		"need an interpreter.";
	return ok ? 0 : -1;
}

static int rest_fields(struct contact_form *cf, const struct referral_detail *det)
{
	struct forms *fm = &cf->fm;
	int ok = 1;
	const char *aware = !det || det->parents_aware < 0 ? NULL :
			    det->parents_aware ? "yes" : "no";

	ok &= add_line(fm, FORMS_LINE, "referrer", "Referrer's name",
		       D(referrer), "Who is calling (or wrote).") >= 0;
	ok &= add_line(fm, FORMS_LINE, "referrer_role", "Role",
		       D(referrer_role), "Their role: class teacher, health "
		       "visitor, neighbour...") >= 0;
	ok &= add_line(fm, FORMS_LINE, "referrer_agency", "Agency",
		       D(referrer_agency), "Where they work, if anywhere.") >= 0;
	ok &= add_line(fm, FORMS_LINE, "referrer_contact", "Phone or e-mail",
		       D(referrer_contact), "How to reach them: the outcome is "
		       "fed back to them.") >= 0;
	ok &= add_pick(fm, "source", "Source", &cf->source, det ? det->source
		       : NULL, "(not recorded)", "Source of referral, as the "
		       "children-in-need return codes it: a letter jumps.") >= 0;
	ok &= add_line(fm, FORMS_TEXT, "concern", "What happened", D(concern),
		       "What happened, in the caller's words where you can; "
		       "Enter starts a new line.") >= 0;
	ok &= add_pick(fm, "category", "Category", &cf->category, det ?
		       det->category : NULL, "(not chosen)", "The type of harm "
		       "or main worry: a letter jumps.") >= 0;
	ok &= add_line(fm, FORMS_TEXT, "impact", "Impact on the child",
		       D(impact), "What it means for the child.") >= 0;
	ok &= add_line(fm, FORMS_TEXT, "tried", "What has been tried",
		       D(tried), "What the caller or others have done so far.") >= 0;
	ok &= add_line(fm, FORMS_TEXT, "strengths", "What is going well",
		       D(strengths), "Strengths: who and what helps.") >= 0;
	ok &= add_pick(fm, "parents_aware", "Parents know", &cf->aware, aware,
		       "(not known)", "Do the parents know about this "
		       "contact?") >= 0;
	ok &= add_pick(fm, "consent", "Consent", &cf->consent, det ? det->consent
		       : NULL, "(not recorded)", "Seek agreement unless that would "
		       "increase the risk to the child; say why below.") >= 0;
	ok &= add_line(fm, FORMS_TEXT, "consent_reason", "Reason",
		       D(consent_reason), "Why consent was given, refused or not "
		       "sought.") >= 0;
	return ok ? 0 : -1;
}
#undef D

static int contact_fill(struct contact_form *cf, struct hub *hub,
			const struct referral_detail *det, struct md_error *err)
{
	int rc;

	person_names_make();
	forms_init(&cf->fm, &contact_forms_ops);
	cf->edit = det != NULL;
	if (det) {
		snprintf(cf->ref, sizeof cf->ref, "%s", det->row.ref);
		snprintf(cf->child, sizeof cf->child, "%s", det->row.child_name);
		cf->id = det->row.id;
	}
	aware_options(&cf->aware);
	if ((rc = forms_options_load(hub, "source", &cf->source, err)) != 0 ||
	    (rc = forms_options_load(hub, "category", &cf->category, err)) != 0 ||
	    (rc = forms_options_load(hub, "consent_position", &cf->consent,
				     err)) != 0)
		return rc;
	if (child_fields(cf, det) != 0)
		return md_fail(err, EX_OSERR, "out of memory opening the form");
	for (int r = 0; det && r < det->npeople && r < MD_MAX_PEOPLE; r++)
		if (person_add_fields(cf, r, &det->people[r]) != 0)
			return md_fail(err, EX_OSERR, "out of memory opening "
				       "the form");
	if (rest_fields(cf, det) != 0)
		return md_fail(err, EX_OSERR, "out of memory opening the form");
	return 0;
}

struct forms *contact_form_new(struct hub *hub, const struct referral_detail *det,
			       struct md_error *err)
{
	struct contact_form *cf = calloc(1, sizeof *cf);

	if (!cf) {
		md_fail(err, EX_OSERR, "out of memory opening the form");
		return NULL;
	}
	if (contact_fill(cf, hub, det, err) != 0) {
		contact_form_delete(&cf->fm);
		return NULL;
	}
	return &cf->fm;
}

void contact_form_delete(struct forms *fm)
{
	forms_delete(fm);   /* fm is the first member of its contact_form */
}

static const struct screen_ops contact_new_ops = FORMS_SCREEN_OPS("New contact");
static const struct screen_ops contact_edit_ops = FORMS_SCREEN_OPS("Details");

/* Open on the screen: the prior history of what a restored draft or the
 * record already says is shown at once. */
static int contact_push(struct desk *d, const struct screen_ops *ops,
			struct forms *fm, struct md_error *err)
{
	prior_refresh(cf_of(fm), desk_hub(d));
	return forms_push(d, ops, fm, "contact", err);
}

int contact_form_open_new(struct desk *d)
{
	struct hub *hub = desk_hub(d);
	struct md_error err, why;
	struct forms *fm;

	md_clear(&why);
	if (!hub_may(hub, HUB_ACT_REFERRAL_ADD, &why)) {
		desk_message(d, THEME_ERROR, "%s", why.msg);
		return why.code ? why.code : EX_NOPERM;
	}
	md_clear(&err);
	if (!(fm = contact_form_new(hub, NULL, &err)))
		goto refused;
	/* A new contact takes no lease; its draft, if any, comes back. */
	if (forms_edit_begin(fm, d, HUB_LEASE_CONTACT, "", &err) != 0) {
		contact_form_delete(fm);
		goto refused;
	}
	if (contact_push(d, &contact_new_ops, fm, &err) != 0)
		goto refused;   /* forms_push freed the form */
	return 0;
refused:
	desk_message(d, THEME_ERROR, "%s", err.msg);
	return err.code ? err.code : EX_SOFTWARE;
}

int contact_form_open_edit(struct desk *d, const char *ref, struct md_error *err)
{
	struct hub *hub = desk_hub(d);
	struct referral_detail *det = NULL;
	struct forms *fm;
	struct md_error why;
	int rc;

	md_clear(&why);
	if (!hub_may(hub, HUB_ACT_EDIT_DETAILS, &why))
		return md_fail(err, why.code ? why.code : EX_NOPERM, "%s", why.msg);
	if ((rc = hub_referral_get(hub, ref, &det, err)) != 0)
		return rc;
	fm = contact_form_new(hub, det, err);
	hub_referral_free(det);
	if (!fm)
		return err->code ? err->code : EX_SOFTWARE;
	/* The lease says who else is editing, or that the record is decided
	 * or closed (the data layer's rule). */
	if ((rc = forms_edit_begin(fm, d, HUB_LEASE_DETAILS, ref, err)) != 0) {
		contact_form_delete(fm);
		return rc;
	}
	return contact_push(d, &contact_edit_ops, fm, err);
}
