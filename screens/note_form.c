/* note_form.c - the supervisors' small forms, on the same form toolkit as
 * the agency check and decision forms: reassign (to whom, and why), send
 * a decision back (a comment), record a chase (a note) and override an
 * agency's consent refusal (why it must be shared all the same).
 *
 * The form only gathers text: saving hands it to the data layer, which
 * decides who may and records it in the audit log; a refusal is shown on
 * the form and nothing is lost. */
#include "note_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/hub_board.h"
#include "mashdesk/hub_chase.h"
#include "mashdesk/hub_signoff.h"
#include "pager.h"

#define NF_VX 14                /* values start here; labels to the left */
#define NF_MAX_REFS 256

enum note_kind { NOTE_REASSIGN, NOTE_SENDBACK, NOTE_CHASE, NOTE_OVERRIDE };

struct note_form {
	struct forms fm;        /* first: forms_delete frees the whole */
	enum note_kind kind;
	char title[160];
	int to, text;           /* field indexes (to = -1 when none) */
	char refs[NF_MAX_REFS][MD_REF_MAX];
	int nrefs;
	char agency[MD_CODE_MAX];
	int *saved;             /* the opener's flag, set on saving */
};

static void note_layout(struct forms *fm, int rows, int cols)
{
	struct note_form *nf = (struct note_form *)fm;
	int vw = cols - NF_VX - 1, y = 2;

	if (nf->to >= 0) {
		forms_place(fm, nf->to, y, NF_VX, 1, vw < 32 ? vw : 32);
		forms_note(fm, nf->to, y + 1, NF_VX, vw, 1, 0);
		y += 3;
	}
	int h = rows - y - 2;
	if (nf->kind == NOTE_CHASE || h < 1)
		h = 1;
	if (h > 8)
		h = 8;
	forms_place(fm, nf->text, y, NF_VX, h, vw);
	forms_note(fm, nf->text, y + h, NF_VX, vw, 1, 0);
}

static void note_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct note_form *nf = (const struct note_form *)fm;

	(void)rows;
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, nf->title, 1);
	term_style(w, THEME_NORMAL);
}

static int note_save(struct forms *fm, struct desk *d)
{
	struct note_form *nf = (struct note_form *)fm;
	struct hub *hub = desk_hub(d);
	struct md_error err;
	const char *text = forms_text(fm, nf->text);
	const char *refs[NF_MAX_REFS];
	int rc;

	md_clear(&err);
	switch (nf->kind) {
	case NOTE_REASSIGN:
		for (int i = 0; i < nf->nrefs; i++)
			refs[i] = nf->refs[i];
		rc = hub_reassign(hub, refs, nf->nrefs, forms_text(fm, nf->to),
				  text, &err);
		break;
	case NOTE_SENDBACK:
		rc = hub_sendback(hub, nf->refs[0], text, &err);
		break;
	case NOTE_OVERRIDE:
		rc = hub_consent_override(hub, nf->refs[0], nf->agency, text, &err);
		break;
	default:
		rc = hub_chase_mark(hub, nf->refs[0], nf->agency, text, &err);
		break;
	}
	if (rc != 0) {
		/* "pat is not a user...": the problem is the login typed. */
		const char *to = nf->to >= 0 ? forms_text(fm, nf->to) : "";
		if (*to && (rc == EX_NOUSER || !strncmp(err.msg, to, strlen(to))))
			return forms_refuse_at(fm, d, nf->to, err.msg);
		return forms_refuse(fm, d, err.msg);
	}
	fm->edit.saved = 1;
	if (nf->saved)
		*nf->saved = 1;
	if (nf->kind == NOTE_REASSIGN)
		desk_message(d, THEME_NORMAL, "%d referral%s reassigned to %s.",
			     nf->nrefs, nf->nrefs == 1 ? "" : "s",
			     forms_text(fm, nf->to));
	else if (nf->kind == NOTE_SENDBACK)
		desk_message(d, THEME_NORMAL, "%s sent back for a new decision.",
			     nf->refs[0]);
	else if (nf->kind == NOTE_OVERRIDE)
		desk_message(d, THEME_NORMAL, "%s's consent refusal on %s "
			     "overridden.", nf->agency, nf->refs[0]);
	else
		desk_message(d, THEME_NORMAL, "Chase of %s on %s recorded.",
			     nf->agency, nf->refs[0]);
	return DESK_CLOSE;
}

static int note_guide_fill(void *arg, struct pager_lines *pl,
			   struct md_error *err)
{
	const struct note_form *nf = arg;
	static const char *const about[] = {
		("Reassigning moves each referral to the login you give, all of "
		"them or none. The reason is kept with every assignment and in "
		"the audit log (mashdesk audit show REF)."),
		("Sending a decision back removes it, keeps what it was, and returns "
		"the referral for a new decision. The comment is shown on the "
		"referral and on its decision form."),
		("A chase is kept with the check and shown on the chase list: how "
		"often it was chased, by whom, when, and the last note."),
		("Consent should be sought unless that would put the child at "
		"risk; a refusal may be overridden where sharing is necessary "
		"to protect a child from significant harm. The refusal and its "
		"reason stay on the check beside your name and this reason, "
		"and the override is in the audit log."),
	};
	int rc = pager_add(pl, 0, THEME_NORMAL, about[nf->kind]);

	rc |= forms_guide_keys(pl);
	return rc ? md_fail(err, EX_OSERR, "out of memory building the guide") : 0;
}

static int note_guide(struct forms *fm, struct desk *d)
{
	struct pager_source src = { "Guide", note_guide_fill, fm };

	pager_open(d, &src);
	return DESK_HANDLED;
}

static const struct forms_ops note_forms_ops = {
	.layout = note_layout,
	.draw_extra = note_draw_extra,
	.save = note_save,
	.guide = note_guide,
};

static const struct screen_ops note_screen_ops =
	FORMS_SCREEN_OPS("Supervisor's note");

static struct note_form *note_new(enum note_kind kind)
{
	struct note_form *nf = calloc(1, sizeof *nf);

	if (!nf)
		return NULL;
	forms_init(&nf->fm, &note_forms_ops);
	nf->kind = kind;
	nf->to = -1;
	return nf;
}

static int note_push(struct desk *d, struct note_form *nf, const char *what)
{
	struct md_error err;

	md_clear(&err);
	if (nf->text < 0 || (nf->kind == NOTE_REASSIGN && nf->to < 0)) {
		forms_delete(&nf->fm);
		desk_message(d, THEME_ERROR, "Out of memory opening the form.");
		return EX_OSERR;
	}
	if (forms_push(d, &note_screen_ops, &nf->fm, what, &err) != 0) {
		desk_message(d, THEME_ERROR, "%s", err.msg);
		return err.code;
	}
	return 0;
}

int note_reassign_open(struct desk *d, const char *const *refs, int n,
		       int *saved)
{
	struct md_error why;
	struct note_form *nf;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_ASSIGN, &why)) {
		desk_message(d, THEME_ERROR, "%s", why.msg);
		return EX_NOPERM;
	}
	if (n <= 0) {
		desk_message(d, THEME_ERROR, "Nothing to reassign here.");
		return EX_USAGE;
	}
	if (n > NF_MAX_REFS) {
		desk_message(d, THEME_ERROR, "At most %d referrals at once.",
			     NF_MAX_REFS);
		return EX_USAGE;
	}
	if (!(nf = note_new(NOTE_REASSIGN))) {
		desk_message(d, THEME_ERROR, "Out of memory.");
		return EX_OSERR;
	}
	for (int i = 0; i < n; i++)
		snprintf(nf->refs[i], MD_REF_MAX, "%s", refs[i]);
	nf->nrefs = n;
	nf->saved = saved;
	if (n == 1)
		snprintf(nf->title, sizeof nf->title, "Reassign %s", refs[0]);
	else
		snprintf(nf->title, sizeof nf->title, "Reassign %d marked "
			 "referrals (%s ... %s)", n, refs[0], refs[n - 1]);
	nf->to = forms_add_text(&nf->fm, FORMS_LINE, "to", "To (login)", "");
	if (nf->to >= 0)
		nf->fm.fields[nf->to].hint = "The practitioner or supervisor who "
					     "takes them: their login (see the board).";
	nf->text = forms_add_text(&nf->fm, FORMS_TEXT, "reason", "Reason", "");
	if (nf->text >= 0)
		nf->fm.fields[nf->text].hint = "Why: kept with each assignment "
					       "and in the audit log.";
	return note_push(d, nf, "reassign");
}

int note_sendback_open(struct desk *d, const char *ref)
{
	struct md_error why;
	struct note_form *nf;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_SIGNOFF, &why)) {
		desk_message(d, THEME_ERROR, "%s", why.msg);
		return EX_NOPERM;
	}
	if (!(nf = note_new(NOTE_SENDBACK))) {
		desk_message(d, THEME_ERROR, "Out of memory.");
		return EX_OSERR;
	}
	snprintf(nf->refs[0], MD_REF_MAX, "%s", ref);
	nf->nrefs = 1;
	snprintf(nf->title, sizeof nf->title, "Send the decision on %s back", ref);
	nf->text = forms_add_text(&nf->fm, FORMS_TEXT, "comment", "Comment", "");
	if (nf->text >= 0)
		nf->fm.fields[nf->text].hint = "Why it goes back: shown on the "
					       "referral and its decision form.";
	return note_push(d, nf, "send-back");
}

int note_chase_open(struct desk *d, const char *ref, const char *agency)
{
	struct md_error why;
	struct note_form *nf;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_CHASE, &why)) {
		desk_message(d, THEME_ERROR, "%s", why.msg);
		return EX_NOPERM;
	}
	if (!(nf = note_new(NOTE_CHASE))) {
		desk_message(d, THEME_ERROR, "Out of memory.");
		return EX_OSERR;
	}
	snprintf(nf->refs[0], MD_REF_MAX, "%s", ref);
	nf->nrefs = 1;
	snprintf(nf->agency, sizeof nf->agency, "%s", agency);
	snprintf(nf->title, sizeof nf->title, "Chase %s for its check on %s",
		 agency, ref);
	nf->text = forms_add_text(&nf->fm, FORMS_LINE, "note", "Note", "");
	if (nf->text >= 0)
		nf->fm.fields[nf->text].hint = "How and whom you chased, e.g. "
					       "\"rang the duty desk\".";
	return note_push(d, nf, "chase");
}

int note_override_open(struct desk *d, const char *ref, const char *agency,
		       const char *agency_name)
{
	struct md_error why;
	struct note_form *nf;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_OVERRIDE, &why)) {
		desk_message(d, THEME_ERROR, "%s", why.msg);
		return EX_NOPERM;
	}
	if (!(nf = note_new(NOTE_OVERRIDE))) {
		desk_message(d, THEME_ERROR, "Out of memory.");
		return EX_OSERR;
	}
	snprintf(nf->refs[0], MD_REF_MAX, "%s", ref);
	nf->nrefs = 1;
	snprintf(nf->agency, sizeof nf->agency, "%s", agency);
	snprintf(nf->title, sizeof nf->title, "Override %.60s's consent refusal "
		 "on %s", agency_name, ref);
	nf->text = forms_add_text(&nf->fm, FORMS_TEXT, "reason", "Reason", "");
	if (nf->text >= 0)
		nf->fm.fields[nf->text].hint = "Why the information must be shared "
					       "without consent: kept and audited.";
	return note_push(d, nf, "consent override");
}
