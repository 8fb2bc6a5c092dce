/* feedback_form.c - feedback to the referrer at the desk (see
 * feedback_form.h), on the same form toolkit as the front door's forms
 * (src/forms*.c).  It opens on the kind still owed: the acknowledgement
 * while its clock runs, else the outcome once there is one. */
#include "feedback_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/hub_feedback.h"
#include "pager.h"

#define FB_VX 12                /* where values start; labels to the left */
#define FB_TEXT_MAX 8           /* rows of the text, at most */

struct feedback_form {
	struct forms fm;        /* first: forms_delete frees the whole */
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	struct forms_options kind, method;
	int kind_f, method_f, text_f;
};

static const struct {
	const char *code, *text;
} fb_words[] = {
	{ "acknowledgement", "That the hub has their contact and what happens "
	  "next: due within [timescales] feedback_acknowledgement_hours of "
	  "receipt." },
	{ "outcome", "What the hub decided (or why the contact closed at "
	  "screening): due within feedback_outcome_hours of the decision." },
	{ "phone", "Told on the phone." },
	{ "email", "Sent by secure email." },
	{ "letter", "Sent as a letter (mashdesk feedback letter prints one)." },
	{ "portal", "Through the partners' portal." },
};

static void fb_words_add(struct forms_options *o)
{
	for (int i = 0; i < o->n; i++)
		for (size_t k = 0; k < sizeof fb_words / sizeof fb_words[0]; k++)
			if (!strcmp(o->v[i].code, fb_words[k].code))
				snprintf(o->v[i].explanation,
					 sizeof o->v[i].explanation, "%s",
					 fb_words[k].text);
}

static int fb_guide_fill(void *arg, struct pager_lines *pl,
			 struct md_error *err)
{
	(void)arg;
	int rc = pager_add(pl, 0, THEME_NORMAL,
		"Referrers are told twice: that the hub has their contact (the "
		"acknowledgement), and what it decided (the outcome), each "
		"within its timescale. Say what you told them, as you told it. "
		"What an agency shared under the restricted handling code stays "
		"in the hub: a text repeating a restricted entry (as a whole, or "
		"any line or sentence of it) is refused.");
	rc |= forms_guide_keys(pl);
	return rc ? md_fail(err, EX_OSERR, "out of memory") : 0;
}

static int fb_guide(struct forms *fm, struct desk *d)
{
	struct pager_source src = { "Feedback: guide", fb_guide_fill, fm };

	pager_open(d, &src);
	return DESK_HANDLED;
}

static void fb_layout(struct forms *fm, int rows, int cols)
{
	struct feedback_form *ff = (struct feedback_form *)fm;
	int vw = cols - FB_VX - 1, y = 2, h;

	forms_place(fm, ff->kind_f, y, FB_VX, 1,
		    forms_choice_width(&fm->fields[ff->kind_f], vw));
	forms_note(fm, ff->kind_f, y + 1, FB_VX, vw, 2, FORMS_NOTE_SHARED);
	y += 3;
	forms_place(fm, ff->method_f, y, FB_VX, 1,
		    forms_choice_width(&fm->fields[ff->method_f], vw));
	forms_note(fm, ff->method_f, y + 1, FB_VX, vw, 2, FORMS_NOTE_SHARED);
	y += 3;
	h = rows - y - 1;
	if (h > FB_TEXT_MAX)
		h = FB_TEXT_MAX;
	if (h < 1)
		h = 1;
	forms_place(fm, ff->text_f, y, FB_VX, h, vw);
	forms_note(fm, ff->text_f, y + h, FB_VX, vw, 1, 0);
}

static void fb_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct feedback_form *ff = (const struct feedback_form *)fm;
	char title[MD_NAME_MAX + 64];

	(void)rows;
	snprintf(title, sizeof title, "Feedback on %s: %s", ff->ref, ff->child);
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	term_style(w, THEME_DIM);
	desk_put(w, 1, 0, cols, "What the referrer was told, and how (^G).", 1);
	term_style(w, THEME_NORMAL);
}

static int fb_save(struct forms *fm, struct desk *d)
{
	struct feedback_form *ff = (struct feedback_form *)fm;
	const char *kind = forms_code(fm, ff->kind_f);
	const char *method = forms_code(fm, ff->method_f);
	struct md_error err;

	md_clear(&err);
	if (hub_feedback_record(desk_hub(d), ff->ref, kind, method,
				forms_text(fm, ff->text_f), &err) != 0)
		return forms_refuse(fm, d, err.msg);
	fm->edit.saved = 1;
	desk_message(d, THEME_NORMAL, "%s: the %s given by %s.", ff->ref, kind,
		     method);
	return DESK_CLOSE;
}

static const struct forms_ops fb_forms_ops = {
	.layout = fb_layout,
	.draw_extra = fb_draw_extra,
	.save = fb_save,
	.guide = fb_guide,
};

static const struct screen_ops fb_screen_ops = FORMS_SCREEN_OPS("Feedback");

struct forms *feedback_form_new(struct hub *hub,
				const struct referral_detail *det,
				struct md_error *err)
{
	struct feedback_form *ff = calloc(1, sizeof *ff);
	int rc;

	if (!ff) {
		md_fail(err, EX_OSERR, "out of memory opening the form");
		return NULL;
	}
	forms_init(&ff->fm, &fb_forms_ops);
	snprintf(ff->ref, sizeof ff->ref, "%s", det->row.ref);
	snprintf(ff->child, sizeof ff->child, "%s", det->row.child_name);
	rc = forms_options_load(hub, "feedback_kind", &ff->kind, err);
	if (!rc)
		rc = forms_options_load(hub, "feedback_method", &ff->method, err);
	if (rc) {
		forms_delete(&ff->fm);
		return NULL;
	}
	fb_words_add(&ff->kind);
	fb_words_add(&ff->method);
	/* the kind still owed; the outcome once decided and acknowledged */
	const char *owed = det->ack_due ? "acknowledgement"
		: det->outcome_due || det->row.decided_at ? "outcome"
		: "acknowledgement";
	int at = forms_option_find(&ff->kind, owed);
	ff->kind_f = forms_add_choice(&ff->fm, "kind", "Kind", &ff->kind,
				      at < 0 ? 0 : at, NULL);
	ff->method_f = forms_add_choice(&ff->fm, "method", "How", &ff->method,
					0, NULL);
	ff->text_f = forms_add_text(&ff->fm, FORMS_TEXT, "text", "Told", "");
	if (ff->kind_f < 0 || ff->method_f < 0 || ff->text_f < 0) {
		forms_delete(&ff->fm);
		md_fail(err, EX_OSERR, "out of memory opening the form");
		return NULL;
	}
	ff->fm.fields[ff->kind_f].hint = "Acknowledgement or outcome.";
	ff->fm.fields[ff->method_f].hint = "How they were told.";
	ff->fm.fields[ff->text_f].hint = "What they were told: kept and "
		"audited; never a restricted entry.";
	return &ff->fm;
}

int feedback_form_open(struct desk *d, const struct referral_detail *det)
{
	struct md_error err;
	struct forms *fm;

	md_clear(&err);
	if (!hub_may(desk_hub(d), HUB_ACT_FEEDBACK, &err)) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return EX_NOPERM;
	}
	md_clear(&err);
	if (!(fm = feedback_form_new(desk_hub(d), det, &err))) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code ? err.code : EX_SOFTWARE;
	}
	md_clear(&err);
	if (forms_push(d, &fb_screen_ops, fm, "feedback", &err) != 0) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code;
	}
	return 0;
}
