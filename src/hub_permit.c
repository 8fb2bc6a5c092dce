/* hub_permit.c - who may do what, decided once: the rules are the table of
 * actions in hub_permit.h; the desk greys out what hub_may says would be
 * refused, and a refusal is recorded in the audit log. */
#include "hub_internal.h"

#include <stdio.h>
#include <string.h>

/* The rules, made from the same lines as enum hub_act, in its order. */
static const struct hub_rule {
	const char *what;
	unsigned who;            /* roles allowed on any hub */
	unsigned who_training;   /* roles allowed besides on a training hub */
	const char *agencies;    /* of these agencies only ("" = any) */
} rules[] = {
#define HUB_RULE_(name, what, who, who_training, agencies) \
	[HUB_ACT_##name] = { what, who, who_training, agencies },
	HUB_ACTIONS(HUB_RULE_)
#undef HUB_RULE_
};

/* HUB_ROLE_PRACTITIONER | HUB_ROLE_SUPERVISOR ->
 * "practitioners and supervisors". */
static void hub_roles_phrase(char *out, size_t len, unsigned roles)
{
	static const struct { const char *code; unsigned bit; } names[] = {
#define HUB_ROLE_NAME_(name, code) { code, HUB_ROLE_##name },
		HUB_ROLES(HUB_ROLE_NAME_)
#undef HUB_ROLE_NAME_
	};
	out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(roles & names[i].bit))
			continue;
		size_t n = strlen(out);
		snprintf(out + n, len - n, "%s%ss", n ? " and " : "", names[i].code);
	}
}

/* The agencies an action is limited to: the rule's, unless the hub's
 * configuration names others ([permissions] screen_agencies for the front
 * door's actions). */
static const char *hub_rule_agencies(struct hub *hub, enum hub_act act)
{
	if ((act == HUB_ACT_SCREEN || act == HUB_ACT_RATE ||
	     act == HUB_ACT_REQUEST) && hub->cfg.screen_agencies[0])
		return hub->cfg.screen_agencies;
	return rules[act].agencies;
}

/* 1 when code is one of the space-separated codes in list. */
static int hub_code_listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; n && (p = strstr(p, code)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* "csc police" -> "children's social care and police" (the agencies'
 * names; a code the hub does not know is shown as itself). */
static void hub_agencies_phrase(struct hub *hub, char *out, size_t len,
				const char *list)
{
	char copy[128], name[128];
	snprintf(copy, sizeof copy, "%s", list);
	out[0] = '\0';
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(out);
		struct md_error scratch;
		if (hub_code_name(hub, "agency", w, name, sizeof name,
				  &scratch) != 0)
			snprintf(name, sizeof name, "%s", w);
		snprintf(out + n, len - n, "%s%s", n ? " and " : "", name);
	}
}

/* The sentence of a refusal: who may, and what the user (or hub) is. */
static int hub_refusal(struct hub *hub, enum hub_act act,
		       const struct hub_rule *r, struct md_error *err)
{
	const char *a = strchr("aeiou", hub->me.role[0]) ? "an" : "a";
	if (act == HUB_ACT_BULK)
		return md_fail(err, EX_NOPERM, "only an admin or trainer of a "
			       "training hub may %s; %s is %s", r->what,
			       hub->name, hub->training ? "a training hub"
							: "a live hub");
	if (act == HUB_ACT_SCENARIO && !hub->training)
		return md_fail(err, EX_NOPERM, "only trainers and admins of a "
			       "training hub may %s; %s is a live hub, and "
			       "nothing is copied between live and training "
			       "hubs", r->what, hub->name);
	if (act == HUB_ACT_SCENARIO)
		return md_fail(err, EX_NOPERM, "only trainers and admins may %s; "
			       "%s is %s %s", r->what, hub->me.login, a,
			       hub->me.role);
	char who[96];
	hub_roles_phrase(who, sizeof who, r->who);
	const char *agencies = hub_rule_agencies(hub, act);
	if (*agencies && (hub->roles & r->who)) {
		char of[256], mine[128];
		hub_agencies_phrase(hub, of, sizeof of, agencies);
		hub_agencies_phrase(hub, mine, sizeof mine, hub->me.agency);
		return md_fail(err, EX_NOPERM, "only %s of %s may %s; %s is %s "
			       "%s %s", who, of, r->what, hub->me.login,
			       strchr("aeiou", mine[0]) ? "an" : "a",
			       *mine ? mine : "agency-less", hub->me.role);
	}
	return md_fail(err, EX_NOPERM, "only %s may %s; %s is %s %s", who,
		       r->what, hub->me.login, a, hub->me.role);
}

int hub_permit_check(struct hub *hub, enum hub_act act, struct md_error *err)
{
	if (!hub->have_me)
		return md_fail(err, EX_NOUSER, "no acting user");
	if ((size_t)act >= sizeof rules / sizeof rules[0])
		return md_fail(err, EX_SOFTWARE, "no permission rule for action %d",
			       (int)act);
	const struct hub_rule *r = &rules[act];
	const char *agencies = hub_rule_agencies(hub, act);
	if ((hub->roles & r->who) &&
	    (!*agencies || hub_code_listed(agencies, hub->me.agency)))
		return 0;
	if (hub->training && (hub->roles & r->who_training))
		return 0;
	return hub_refusal(hub, act, r, err);
}

/* An attempt refused is recorded: who tried what, and why not. */
int hub_permit(struct hub *hub, enum hub_act act, struct md_error *err)
{
	int status = hub_permit_check(hub, act, err);
	if (status == EX_NOPERM)
		hub_audit_alone(hub, hub->me.login, "refused", 0, err->msg);
	return status;
}

/* The same, for an action on one referral: the refusal is recorded
 * against it, so `audit show REF` lists who tried and was turned away. */
int hub_permit_ref(struct hub *hub, enum hub_act act, const char *ref,
		   struct md_error *err)
{
	int status = hub_permit_check(hub, act, err);
	if (status == EX_NOPERM)
		hub_refused_on(hub, ref, err->msg);
	return status;
}

void hub_refused_on(struct hub *hub, const char *ref, const char *why)
{
	struct md_error scratch;
	long long id = 0;
	if (hub_find_referral(hub, ref, &id, NULL, &scratch) != 0)
		id = 0;
	hub_audit_alone(hub, hub->me.login, "refused", id, why);
}

/* A user of no agency has no check of their own to record. */
int hub_may(struct hub *hub, enum hub_act act, struct md_error *why)
{
	struct md_error scratch;
	if (act == HUB_ACT_CHECK && hub->have_me && !hub->me.agency[0])
		return md_fail(why ? why : &scratch, EX_NOPERM, "%s belongs to "
			       "no agency", hub->me.login) == 0;
	return hub_permit_check(hub, act, why ? why : &scratch) == 0;
}
