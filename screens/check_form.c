/* check_form.c - the acting user's own agency's check on a referral: its
 * status, what the agency shares, on what lawful basis, the consent
 * position and why, and how the information may be handled.
 *
 * The reviews behind the hub found that practitioners hold back for fear
 * of sharing wrongly, so the answer sits at the point of sharing: the
 * explanation of the basis or handling code being chosen is shown under
 * it as the choice changes, the consent field says when consent is not
 * needed, and the guide key opens the whole guide (every basis, consent,
 * the seven golden rules) without losing anything typed.
 *
 * What the data layer checks, the form checks first, so the message can
 * be shown at the field; whatever the data layer still refuses is shown
 * too, at the field it names. */
#include "check_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "mashdesk/hub_scenario.h"
#include "pager.h"

enum { CF_STATUS, CF_INFO, CF_BASIS, CF_CONSENT, CF_REASON, CF_HANDLING,
       CF_COUNT };

#define CF_VX 16                /* where values start: labels fit before */

struct check_form {
	struct forms fm;        /* first: the screen's priv points at it */
	char ref[MD_REF_MAX];
	char child[MD_NAME_MAX];
	char agency_name[64];
	char updated_by[MD_LOGIN_MAX];
	int recorded;
	int asked_only;         /* asked for (the front door) and not touched
				 * by the agency since: nothing recorded yet */
	struct forms_options status, basis, consent, handling;
};

/* ---- words at the point of sharing ------------------------------------------ */

/* The consent positions have no explanation in the hub's tables: these
 * say, at the field, when each is right. */
static const struct {
	const char *code, *text;
} consent_words[] = {
	{ "given", "The person agreed to this sharing. Consent is one lawful "
	  "basis among several, and often not the right one." },
	{ "refused", "Say below why it was refused. You may still share "
	  "without consent where the child would otherwise be at risk; a "
	  "manager may override a refusal, with a reason." },
	{ "not-sought", "Right where asking would put the child at risk, or "
	  "consent cannot be given or cannot reasonably be obtained (DPA 2018 "
	  "Sch 1 para 18). Say why below." },
};

static const char consent_rule[] =
	"Consent is not needed, and should not be sought, where seeking it "
	"would put the child at risk.";

static void check_consent_words(struct forms_options *o)
{
	for (int i = 0; i < o->n; i++)
		for (size_t k = 0; k < sizeof consent_words / sizeof consent_words[0]; k++)
			if (!strcmp(o->v[i].code, consent_words[k].code))
				snprintf(o->v[i].explanation,
					 sizeof o->v[i].explanation, "%s",
					 consent_words[k].text);
}

/* The seven golden rules of information sharing, in our own words. */
static const char *const golden_rules[] = {
	"  1. The law allows sharing to protect a child. Data protection law is "
	"there to make sure it is done properly, not to stop it.",
	"  2. Be open with the child and family about what you share, with whom "
	"and why - unless telling them would put the child at risk.",
	"  3. When unsure, ask a manager or your data protection lead; you can "
	"describe the case without naming anyone.",
	"  4. Share with agreement where it is safe to ask, and respect a "
	"refusal - but you may still share without it when there is a lawful "
	"basis and the child's safety needs it.",
	"  5. Let the safety and wellbeing of the child, and of anyone else "
	"affected, decide the question.",
	"  6. Share only what is needed for the purpose, only with those who "
	"need it, accurately, in good time and securely.",
	"  7. Record every decision, to share or not: what, with whom, why, and "
	"on what basis.",
};

static int guide_options(struct pager_lines *pl, const char *head,
			 const struct forms_options *o)
{
	char line[700];
	int rc = pager_add(pl, 0, THEME_NORMAL, "");

	rc |= pager_add(pl, 0, THEME_HEADER, head);
	for (int i = 0; rc == 0 && i < o->n; i++) {
		snprintf(line, sizeof line, "  %s: %s", o->v[i].name,
			 o->v[i].explanation[0] ? o->v[i].explanation : "");
		rc |= pager_add(pl, 4, THEME_NORMAL, line);
	}
	return rc;
}

static int check_guide_fill(void *arg, struct pager_lines *pl,
			    struct md_error *err)
{
	const struct check_form *cf = arg;
	int rc = pager_add(pl, 0, THEME_NORMAL, "Sharing information to keep "
			   "a child safe is lawful. What holds hubs back is "
			   "doubt about it, not the law: this is what the law "
			   "allows, and how to record it.");

	rc |= guide_options(pl, "Lawful bases: on what basis you share",
			    &cf->basis);
	rc |= pager_add(pl, 0, THEME_NORMAL, "");
	rc |= pager_add(pl, 0, THEME_HEADER, "Consent");
	rc |= pager_add(pl, 2, THEME_NORMAL, "  Consent is not needed, and "
			"should not be sought, where seeking it would put the "
			"child at risk - for example by warning someone who may "
			"harm them - or where it cannot be given or cannot "
			"reasonably be obtained. The Data Protection Act 2018, "
			"Schedule 1 paragraph 18, allows sharing to safeguard a "
			"child without it. Record the position as not sought and "
			"say why.");
	rc |= guide_options(pl, "Handling: who else may see it", &cf->handling);
	rc |= pager_add(pl, 0, THEME_NORMAL, "");
	rc |= pager_add(pl, 0, THEME_HEADER, "The seven golden rules, in plain "
			"words");
	for (size_t i = 0; rc == 0 && i < sizeof golden_rules / sizeof golden_rules[0]; i++)
		rc |= pager_add(pl, 5, THEME_NORMAL, golden_rules[i]);
	rc |= forms_guide_keys(pl);
	return rc ? md_fail(err, EX_OSERR, "out of memory building the guide") : 0;
}

static int check_guide(struct forms *fm, struct desk *d)
{
	struct pager_source src = { "Guide: sharing information to keep a "
				    "child safe", check_guide_fill, fm };

	pager_open(d, &src);
	return DESK_HANDLED;
}

/* ---- layout and drawing ---------------------------------------------------- */

static void check_layout(struct forms *fm, int rows, int cols)
{
	int vw = cols - CF_VX - 1, y = 1;
	int info_h = rows - 17;     /* what is left after the rest */

	if (info_h < 2)
		info_h = 2;
	forms_place(fm, CF_STATUS, y, CF_VX, 1,
		    forms_choice_width(&fm->fields[CF_STATUS], vw));
	y += 1;
	forms_place(fm, CF_INFO, y, CF_VX, info_h, vw);
	forms_note(fm, CF_INFO, y + info_h, CF_VX, vw, 1, 0);
	y += info_h + 1;
	forms_place(fm, CF_BASIS, y, CF_VX, 1,
		    forms_choice_width(&fm->fields[CF_BASIS], vw));
	forms_note(fm, CF_BASIS, y + 1, CF_VX, vw, 3, 0);
	y += 4;
	forms_place(fm, CF_CONSENT, y, CF_VX, 1,
		    forms_choice_width(&fm->fields[CF_CONSENT], vw));
	forms_note(fm, CF_CONSENT, y + 1, CF_VX, vw, 2, 0);
	y += 3;
	forms_place(fm, CF_REASON, y, CF_VX, 2, vw);
	forms_note(fm, CF_REASON, y + 2, CF_VX, vw, 1, 0);
	y += 3;
	forms_place(fm, CF_HANDLING, y, CF_VX, 1,
		    forms_choice_width(&fm->fields[CF_HANDLING], vw));
	forms_note(fm, CF_HANDLING, y + 1, CF_VX, vw, 2, 0);
}

static void check_draw_extra(struct forms *fm, WINDOW *w, int rows, int cols)
{
	const struct check_form *cf = (const struct check_form *)fm;
	char title[MD_NAME_MAX + 256];

	(void)rows;
	snprintf(title, sizeof title, "%s check on %s: %s  (%s%s%s)",
		 cf->agency_name, cf->ref, cf->child,
		 cf->asked_only ? "asked by " : cf->recorded ? "last saved by "
		 : "not recorded yet", cf->recorded ? cf->updated_by : "",
		 cf->asked_only ? ", not recorded yet" : "");
	term_style(w, THEME_HEADER);
	desk_put(w, 0, 0, cols, title, 1);
	term_style(w, THEME_NORMAL);
}

/* ---- saving ------------------------------------------------------------------ */

static int check_save(struct forms *fm, struct desk *d)
{
	const struct check_form *cf = (const struct check_form *)fm;
	struct check_input in;
	struct md_error err;

	memset(&in, 0, sizeof in);
	in.status = forms_code(fm, CF_STATUS);
	in.info = forms_text(fm, CF_INFO);
	in.basis = forms_code(fm, CF_BASIS);
	in.consent = forms_code(fm, CF_CONSENT);
	in.consent_reason = forms_text(fm, CF_REASON);
	in.handling = forms_code(fm, CF_HANDLING);
	md_clear(&err);
	in.lease_token = fm->edit.lease.token;       /* fenced: see forms_edit.c */
	in.expect_version = fm->edit.lease.version;
	if (hub_check_record(desk_hub(d), cf->ref, &in, &err) != 0)
		return forms_refuse(fm, d, err.msg);
	fm->edit.saved = 1;
	desk_message(d, THEME_NORMAL, "%s: %s check saved (%s).", cf->ref,
		     cf->agency_name,
		     cf->status.v[fm->fields[CF_STATUS].choice].name);
	return DESK_CLOSE;
}

static const struct forms_ops check_forms_ops = {
	.layout = check_layout,
	.draw_extra = check_draw_extra,
	.save = check_save,
	.guide = check_guide,
};

/* ---- opening ------------------------------------------------------------------ */

static const struct referral_check *check_mine(const struct referral_detail *det,
					       const char *agency)
{
	for (int i = 0; i < det->nchecks; i++)
		if (!strcmp(det->checks[i].agency, agency))
			return &det->checks[i];
	return NULL;
}

static int check_options(struct check_form *cf, struct hub *hub,
			 struct md_error *err)
{
	int rc = forms_options_load(hub, "check_status", &cf->status, err);

	if (!rc)
		rc = forms_options_load(hub, "lawful_basis", &cf->basis, err);
	if (!rc)
		rc = forms_options_load(hub, "consent_position", &cf->consent, err);
	if (!rc)
		rc = forms_options_load(hub, "handling_code", &cf->handling, err);
	if (!rc && !cf->status.n)
		rc = md_fail(err, EX_SOFTWARE, "the hub has no check statuses");
	check_consent_words(&cf->consent);
	return rc;
}

/* A choice that was recorded cannot be unmade (the data layer keeps it),
 * so "none" is offered only while nothing is recorded. */
static int check_pick(struct forms *fm, const char *name, const char *label,
		      const struct forms_options *o, const char *code,
		      const char *none)
{
	int i = forms_option_find(o, code && *code ? code : NULL);

	return forms_add_choice(fm, name, label, o, i, i < 0 ? none : NULL);
}

/* k: on a training hub, what the scenario says this agency's records show
 * (NULL otherwise): it fills a check not yet recorded, as searching the
 * agency's own systems would. */
static int check_fields(struct check_form *cf, const struct referral_check *c,
			const struct hub_scenario_knows *k)
{
	struct forms *fm = &cf->fm;
	int on = c && c->recorded, st = -1, ok = 1;
	int known = !on && k;

	st = forms_option_find(&cf->status, on ? c->status
			       : known ? k->status : "in-progress");
	ok &= forms_add_choice(fm, "status", "Status", &cf->status,
			       st < 0 ? 0 : st, NULL) == CF_STATUS;
	ok &= forms_add_text(fm, FORMS_TEXT, "info", "Information",
			     on ? c->info : known ? k->info : "") == CF_INFO;
	ok &= check_pick(fm, "basis", "Lawful basis", &cf->basis,
			 on ? c->basis : known ? k->basis : NULL,
			 "(none chosen)") == CF_BASIS;
	ok &= check_pick(fm, "consent", "Consent", &cf->consent,
			 on ? c->consent : NULL, "(not recorded)") == CF_CONSENT;
	ok &= forms_add_text(fm, FORMS_TEXT, "consent-reason", "Reason",
			     on ? c->consent_reason : "") == CF_REASON;
	ok &= check_pick(fm, "handling", "Handling", &cf->handling,
			 on ? c->handling : known && k->handling[0] ? k->handling
			 : "shareable", NULL) == CF_HANDLING;
	if (!ok)
		return -1;
	if (fm->fields[CF_HANDLING].choice < 0)
		fm->fields[CF_HANDLING].choice =
			fm->fields[CF_HANDLING].initial_choice = 0;
	fm->fields[CF_INFO].hint = known ? "Training: filled in from what "
		"your agency's records show in this scenario; share what is "
		"proportionate." : "What your agency knows that is "
		"proportionate to share. Enter starts a new line.";
	fm->fields[CF_BASIS].hint = "Say on what lawful basis you share (golden "
		"rule 7). The guide explains each basis.";
	fm->fields[CF_CONSENT].hint = consent_rule;
	fm->fields[CF_REASON].hint = "Why consent was given, refused or not "
		"sought.";
	return 0;
}

static int check_fill(struct check_form *cf, struct hub *hub,
		      const char *agency, const struct referral_detail *det,
		      struct md_error *err)
{
	const struct referral_check *c = check_mine(det, agency);
	int rc;

	snprintf(cf->ref, sizeof cf->ref, "%s", det->row.ref);
	snprintf(cf->child, sizeof cf->child, "%s", det->row.child_name);
	snprintf(cf->agency_name, sizeof cf->agency_name, "%s",
		 c && c->agency_name[0] ? c->agency_name : agency);
	cf->recorded = c && c->recorded;
	if (cf->recorded)
		snprintf(cf->updated_by, sizeof cf->updated_by, "%s",
			 c->updated_by);
	cf->asked_only = cf->recorded && c->requested_by[0] &&
			 c->updated_at == c->requested_at &&
			 !strcmp(c->updated_by, c->requested_by);
	forms_init(&cf->fm, &check_forms_ops);
	if ((rc = check_options(cf, hub, err)) != 0)
		return rc;
	struct hub_scenario_knows k;
	struct md_error none;
	int found = 0;
	if ((!cf->recorded || cf->asked_only) &&
	    hub_scenario_knows(hub, det->row.ref, &k, &found, &none) != 0)
		found = 0;
	/* Only asked for: the form starts as for a check not recorded. */
	if (check_fields(cf, cf->asked_only ? NULL : c, found ? &k : NULL) != 0)
		return md_fail(err, EX_OSERR, "out of memory opening the check "
			       "form");
	return 0;
}

struct forms *check_form_new(struct hub *hub, const char *agency,
			     const struct referral_detail *det,
			     struct md_error *err)
{
	struct check_form *cf = calloc(1, sizeof *cf);

	if (!cf) {
		md_fail(err, EX_OSERR, "out of memory opening the check form");
		return NULL;
	}
	if (check_fill(cf, hub, agency, det, err) != 0) {
		check_form_delete(&cf->fm);
		return NULL;
	}
	return &cf->fm;
}

void check_form_delete(struct forms *fm)
{
	forms_delete(fm);   /* fm is the first member of its check_form */
}

static const struct screen_ops check_screen_ops =
	FORMS_SCREEN_OPS("Agency check");

int check_form_open(struct desk *d, const char *ref, struct md_error *err)
{
	struct hub *hub = desk_hub(d);
	struct referral_detail *det = NULL;
	struct forms *fm;
	struct md_error why;
	int rc;

	md_clear(&why);
	if (!hub_may(hub, HUB_ACT_CHECK, &why))
		return md_fail(err, why.code ? why.code : EX_NOPERM, "%s", why.msg);
	if ((rc = hub_referral_get(hub, ref, &det, err)) != 0)
		return rc;
	if (det->decided) {
		rc = md_fail(err, EX_DATAERR, "%s is already decided; its agency "
			     "checks are closed", det->row.ref);
		hub_referral_free(det);
		return rc;
	}
	fm = check_form_new(hub, desk_info(d)->me.agency, det, err);
	hub_referral_free(det);
	if (!fm)
		return err->code ? err->code : EX_SOFTWARE;
	if ((rc = forms_edit_begin(fm, d, HUB_LEASE_CHECK, ref, err)) != 0) {
		check_form_delete(fm);   /* a colleague is editing it: read on */
		return rc;
	}
	return forms_push(d, &check_screen_ops, fm, "check", err);
}
