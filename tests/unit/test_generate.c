/* test_generate.c - the demo hub and the bulk generator, seen through a
 * recording sink: what arrives, in what order, and whether it covers the
 * hub's codes and the shapes of work the desk must show. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/generate.h"

#define NOW 1763820000LL          /* 2025-11-22 14:00:00 UTC */
#define HOUR 3600LL
#define MAX_USERS 64
#define MAX_KEPT 256              /* referrals kept in full (the demo) */

static const char *const AGENCIES[] = {
	"police", "csc", "health", "education", "probation", "housing",
};
static const char *const ROLES[] = { "practitioner", "supervisor", "trainer", "admin" };
static const char *const RAGS[] = { "red", "amber", "green" };
static const char *const CATEGORIES[] = {
	"neglect", "physical", "sexual", "emotional", "domestic-abuse", "cse", "cce",
	"parental-mental-health", "substance-misuse", "other",
};
static const char *const SOURCES[] = {
	"family", "acquaintance", "self", "individual-other", "school", "education",
	"gp", "health-visitor", "school-nurse", "primary-health", "hospital",
	"health-other", "housing", "la-social-care", "la-other", "police", "legal",
	"other", "anonymous", "unknown",
};
static const char *const OUTCOMES[] = {
	"nfa", "advice", "early-help", "s17", "s47", "immediate-protection",
};
static const char *const STATUSES[] = {
	"requested", "in-progress", "complete", "nothing-known",
};
static const char *const BASES[] = {
	"public-task", "legal-obligation", "vital-interests", "legitimate-interests",
	"consent", "safeguarding",
};
static const char *const CONSENTS[] = { "given", "refused", "not-sought" };
static const char *const CLOSES[] = { "nfa", "advice", "early-help", "allocated" };
static const char *const HANDLING[] = { "shareable", "conditional", "restricted" };
#define N(a) (int)(sizeof a / sizeof a[0])

/* Contacts waiting to be screened (new), being screened, closed at
 * screening; referrals with checks under way, ready to decide, decided. */
enum shape { S_NEW, S_SCREENING, S_CHECKS, S_DECISION, S_DECIDED, S_CLOSED, S_COUNT };

/* One referral as the recorder keeps it (the sink's pointers die with the
 * call, so everything is copied). */
struct kept {
	char name[256], dob[16], address[512], rag[16], category[32], source[32];
	char outcome[32];
	int level, dob_estimated, shape, npeople, has_alias, perpetrator;
	int restricted_police, conditional_police, not_sought_reason, nactions;
	long long received, decided_at, screened_at;
	/* open checks of police, health and education: how many, and the
	 * earliest due time by the default timescales (red 2h, amber 6h,
	 * green 24h from the request) */
	int open_checks[3];
	long long first_due[3];
	char allocated[256], closed[32];
	int nratings;
};

struct rec {
	long long now;
	int years;
	/* users */
	int nusers;
	char login[MAX_USERS][MD_LOGIN_MAX], role[MAX_USERS][MD_CODE_MAX];
	char agency[MAX_USERS][MD_CODE_MAX];
	/* referrals */
	long nrefs;
	struct kept kept[MAX_KEPT];
	uint64_t hash;
	long long last_received;
	/* coverage */
	int rag_seen[4], level_seen[5], cat_seen[N(CATEGORIES)], src_seen[N(SOURCES)];
	int outcome_seen[N(OUTCOMES)], check_seen[N(AGENCIES)][N(STATUSES)];
	long shape_seen[S_COUNT], rag_count[4];
	/* the front door: referrals' RAG at screening, closures by outcome,
	 * agencies asked per referral, requests made later, ratings */
	long referral_rag[4], closed_by[N(CLOSES)], asked[8], later_requests;
	long intake_rated, rerated, decision_rated, screened;
	/* first problem found, with the count of all problems */
	int problems;
	char problem[512];
	/* failure injection */
	long fail_after_refs;         /* -1 never */
	int fail_on_users, fail_code;
};

static void rec_init(struct rec *r, long long now, int years)
{
	memset(r, 0, sizeof *r);
	r->now = now;
	r->years = years;
	r->fail_after_refs = -1;
	r->hash = 1469598103934665603ULL;
	r->last_received = -1;
}

static void problem(struct rec *r, const char *what, const char *detail)
{
	if (r->problems++ == 0)
		snprintf(r->problem, sizeof r->problem, "referral %ld: %s (%s)",
			 r->nrefs + 1, what, detail ? detail : "NULL");
}

static int code_index(const char *const *codes, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(codes[i], s))
			return i;
	return -1;
}

static void hash_bytes(struct rec *r, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		r->hash = (r->hash ^ b[i]) * 1099511628211ULL;
}

static void hash_str(struct rec *r, const char *s)
{
	hash_bytes(r, s ? s : "\x01", s ? strlen(s) + 1 : 1);
}

static void hash_int(struct rec *r, long long v)
{
	hash_bytes(r, &v, sizeof v);
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 :
				   c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : 9;
		if (n == 9)
			return 0;
		unsigned cp = n == 0 ? c : c & (0x3f >> n);
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += n + 1;
	}
	return 1;
}

static int date_ok(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
		return 0;
	return y > 1900 && y < 2200;
}

static void utc_date(long long t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static int known_login(const struct rec *r, const char *login)
{
	for (int i = 0; login && i < r->nusers; i++)
		if (!strcmp(r->login[i], login))
			return 1;
	return 0;
}

static int rec_user(void *ctx, const struct user *u, struct md_error *err)
{
	struct rec *r = ctx;
	if (r->fail_on_users)
		return md_fail(err, r->fail_code, "recorder refuses users");
	if (r->nusers == MAX_USERS) {
		problem(r, "too many users", u->login);
		return 0;
	}
	if (code_index(ROLES, N(ROLES), u->role) < 0)
		problem(r, "bad role", u->role);
	if (u->agency[0] && code_index(AGENCIES, N(AGENCIES), u->agency) < 0)
		problem(r, "bad agency", u->agency);
	if (!u->agency[0] && strcmp(u->role, "trainer") && strcmp(u->role, "admin"))
		problem(r, "agency missing for", u->login);
	if (known_login(r, u->login))
		problem(r, "login twice", u->login);
	if (!utf8_ok(u->name) || !u->name[0] || !u->active)
		problem(r, "bad user", u->login);
	snprintf(r->login[r->nusers], MD_LOGIN_MAX, "%s", u->login);
	snprintf(r->role[r->nusers], MD_CODE_MAX, "%s", u->role);
	snprintf(r->agency[r->nusers], MD_CODE_MAX, "%s", u->agency);
	r->nusers++;
	hash_str(r, u->login);
	hash_str(r, u->name);
	return 0;
}

static void check_text(struct rec *r, const char *what, const char *s, size_t max)
{
	if (s && (!utf8_ok(s) || strlen(s) > max))
		problem(r, what, s);
}

static void check_child(struct rec *r, const struct referral_input *in)
{
	const char *texts[] = {
		in->aliases, in->gender, in->ethnicity, in->language, in->disability,
		in->address, in->previous_address, in->school, in->gp, in->upn,
		in->allocated_worker, in->referrer, in->referrer_role,
		in->referrer_agency, in->referrer_contact, in->impact, in->tried,
		in->strengths, in->consent_reason,
	};
	if (!in->child_name || !*in->child_name)
		problem(r, "no child name", NULL);
	check_text(r, "child name", in->child_name, 200);
	if (!in->concern || !*in->concern)
		problem(r, "no concern", in->child_name);
	check_text(r, "concern", in->concern, 4000);
	for (int i = 0; i < N(texts); i++)
		check_text(r, "text field", texts[i], 1000);
	if (!date_ok(in->dob))
		problem(r, "bad dob", in->dob);
	if (in->nhs_number && (strlen(in->nhs_number) != 10 ||
			       strspn(in->nhs_number, "0123456789") != 10))
		problem(r, "bad NHS number", in->nhs_number);
	if (in->npeople < 0 || in->npeople > MD_MAX_PEOPLE)
		problem(r, "bad people count", in->child_name);
	for (int i = 0; i < in->npeople; i++) {
		const struct person_input *p = &in->people[i];
		check_text(r, "person name", p->name, 200);
		if (!p->name || !p->relationship)
			problem(r, "person without name or relationship", in->child_name);
		if (p->dob && !date_ok(p->dob))
			problem(r, "bad person dob", p->dob);
	}
}

static void check_codes(struct rec *r, const struct referral_input *in)
{
	if (in->rag && code_index(RAGS, N(RAGS), in->rag) < 0)
		problem(r, "bad rag", in->rag);
	if (in->level < 0 || in->level > 4)
		problem(r, "bad level", in->child_name);
	if (in->category && code_index(CATEGORIES, N(CATEGORIES), in->category) < 0)
		problem(r, "bad category", in->category);
	if (in->source && code_index(SOURCES, N(SOURCES), in->source) < 0)
		problem(r, "bad source", in->source);
	if (in->consent && code_index(CONSENTS, N(CONSENTS), in->consent) < 0)
		problem(r, "bad consent", in->consent);
	if (in->consent && !strcmp(in->consent, "refused") && !in->consent_reason)
		problem(r, "refusal without a reason", in->child_name);
	if (in->parents_aware < -1 || in->parents_aware > 1)
		problem(r, "bad parents_aware", in->child_name);
	if (in->decided_at || in->outcome)
		problem(r, "history fields set (the decision goes in gen_referral)",
			in->child_name);
}

static int login_agency_is(const struct rec *r, const char *login,
			   const char *agency)
{
	for (int u = 0; login && u < r->nusers; u++)
		if (!strcmp(r->login[u], login))
			return !strcmp(r->agency[u], agency);
	return 0;
}

/* Checks: valid codes, a known login of the same agency (or, for a check
 * only asked, children's social care who asked), a time between receipt
 * and now (or the decision), after its request.  Returns the shape's
 * "all six done". */
static int check_checks(struct rec *r, const struct gen_referral *g)
{
	int done[N(AGENCIES)] = { 0 }, seen[N(AGENCIES)] = { 0 }, all = 1;
	long long end = g->decided ? g->decision.at : r->now;
	for (int i = 0; i < g->nchecks; i++) {
		const struct check_input *c = &g->checks[i];
		int a = code_index(AGENCIES, N(AGENCIES), c->agency);
		int s = code_index(STATUSES, N(STATUSES), c->status);
		if (a < 0 || s < 0) {
			problem(r, "bad check agency or status", c->agency);
			continue;
		}
		if (seen[a]++)
			problem(r, "agency checked twice", c->agency);
		r->check_seen[a][s] = 1;
		done[a] = s >= 2;
		if ((c->basis && code_index(BASES, N(BASES), c->basis) < 0) ||
		    (c->handling && code_index(HANDLING, N(HANDLING), c->handling) < 0) ||
		    (c->consent && code_index(CONSENTS, N(CONSENTS), c->consent) < 0))
			problem(r, "bad basis, handling or consent code", c->agency);
		if (s == 2 && c->info && !c->basis)
			problem(r, "shared without a lawful basis", c->agency);
		if (!known_login(r, g->check_by[i]))
			problem(r, "check by a login not yet emitted", g->check_by[i]);
		if (!login_agency_is(r, g->check_by[i], s == 0 && g->request_at[i] ?
				     "csc" : c->agency))
			problem(r, "check recorded by another agency", g->check_by[i]);
		if (c->at < g->in.received_at || c->at > end)
			problem(r, "check time outside the referral's life", c->agency);
		if (g->request_at[i]) {
			if (g->request_at[i] < g->screened_at || g->request_at[i] > c->at)
				problem(r, "check asked before screening or done "
					"before it was asked", c->agency);
			if (!login_agency_is(r, g->request_by[i], "csc") ||
			    !g->request_reason[i] || !*g->request_reason[i])
				problem(r, "a request without a csc asker or a reason",
					c->agency);
		} else if (g->screened_at) {
			problem(r, "a screened referral's check was not asked", c->agency);
		}
	}
	for (int a = 0; a < N(AGENCIES); a++)
		all &= done[a];
	return all;
}

static void check_decision(struct rec *r, const struct gen_referral *g)
{
	const struct decision_input *d = &g->decision;
	int o = code_index(OUTCOMES, N(OUTCOMES), d->outcome);
	if (o < 0)
		problem(r, "bad outcome", d->outcome);
	else
		r->outcome_seen[o] = 1;
	if (!d->rationale || !*d->rationale || !d->feedback || !d->agencies)
		problem(r, "decision without rationale, feedback or agencies",
			g->in.child_name);
	if (d->rag && code_index(RAGS, N(RAGS), d->rag) < 0)
		problem(r, "bad decision rag", d->rag);
	if (d->level < 0 || d->level > 4)
		problem(r, "bad decision level", g->in.child_name);
	if (d->at <= g->in.received_at || d->at > r->now)
		problem(r, "decided_at not after receipt, or in the future",
			g->in.child_name);
	if (d->nactions < 1 || d->nactions > 3)
		problem(r, "not 1-3 actions", g->in.child_name);
	for (int i = 0; i < d->nactions; i++)
		if (!d->actions[i].what || !d->actions[i].owner ||
		    !date_ok(d->actions[i].due))
			problem(r, "incomplete action", d->actions[i].what);
	for (const char *p = d->agencies; p && *p;) {
		char code[32];
		size_t n = strcspn(p, ",");
		snprintf(code, sizeof code, "%.*s", (int)n, p);
		if (code_index(AGENCIES, N(AGENCIES), code) < 0)
			problem(r, "bad agency taking part", code);
		p += n + (p[n] == ',');
	}
	if (!known_login(r, g->decided_by))
		problem(r, "decided by a login not yet emitted", g->decided_by);
}

static int shape_of(const struct gen_referral *g, int all_done)
{
	if (g->screening_outcome)
		return S_CLOSED;
	if (g->decided)
		return S_DECIDED;
	if (g->screened_at) {
		int done = 0;
		for (int i = 0; i < g->nchecks; i++)
			done += code_index(STATUSES, N(STATUSES), g->checks[i].status) >= 2;
		return done == g->nchecks ? S_DECISION : S_CHECKS;
	}
	if (g->nchecks == 0)
		return g->assigned_to ? S_SCREENING : S_NEW;
	return all_done ? S_DECISION : S_CHECKS;
}

static int rag_rank(const char *rag)
{
	return !rag ? 0 : rag[0] == 'g' ? 1 : rag[0] == 'a' ? 2 : 3;
}

/* The front door: screened or not, closed or progressed, the agencies
 * asked, and every rating in order, each with its reason. */
static void check_front_door(struct rec *r, const struct gen_referral *g)
{
	long long end = g->decided ? g->decision.at : r->now;
	if (g->screened_at) {
		r->screened++;
		if (g->screened_at < g->in.received_at || g->screened_at > end)
			problem(r, "screened outside the contact's life", g->in.child_name);
		if (!login_agency_is(r, g->screened_by, "csc") ||
		    !g->screening_reason || !*g->screening_reason)
			problem(r, "screened without a csc screener or a reason",
				g->in.child_name);
	} else if (g->decided || g->screening_outcome) {
		problem(r, "decided or closed without screening", g->in.child_name);
	}
	if (g->screening_outcome) {
		int c = code_index(CLOSES, N(CLOSES), g->screening_outcome);
		if (c < 0)
			problem(r, "bad screening outcome", g->screening_outcome);
		else
			r->closed_by[c]++;
		if (g->nchecks || g->decided || !g->assigned_to)
			problem(r, "closed at screening with checks or a decision, "
				"or unclaimed", g->in.child_name);
		if (c == 3 && (!g->in.allocated_worker || !*g->in.allocated_worker))
			problem(r, "passed to an allocated worker nobody named",
				g->in.child_name);
		if (g->in.level)
			problem(r, "a contact with a level of need", g->in.child_name);
	} else if (g->screened_at) {
		unsigned asked = 0, later = 0;
		for (int i = 0; i < g->nchecks; i++) {
			asked += g->request_at[i] == g->screened_at;
			later += g->request_at[i] > g->screened_at;
		}
		r->asked[asked < 8 ? asked : 7]++;
		r->later_requests += later > 0;
		if (!g->in.rag)
			problem(r, "a referral screened without a RAG", g->in.child_name);
		r->referral_rag[g->in.rag ? rag_rank(g->in.rag) - 1 : 3]++;
	} else if (g->in.level) {
		problem(r, "a contact with a level of need", g->in.child_name);
	}
	for (int i = 0; i < g->nratings; i++) {
		const struct gen_rating *x = &g->ratings[i];
		const char *from = i ? g->ratings[i - 1].to : NULL;
		if (rag_rank(x->to) == 0 || (from ? !x->from || strcmp(from, x->from)
					     : x->from != NULL) ||
		    (x->from && !strcmp(x->from, x->to)))
			problem(r, "ratings out of step", g->in.child_name);
		if (!x->reason || !*x->reason || !known_login(r, x->by) ||
		    x->at < g->in.received_at || x->at > end ||
		    (i && x->at < g->ratings[i - 1].at))
			problem(r, "a rating without reason, rater or time in order",
				g->in.child_name);
		if (!strcmp(x->reason, "rated at intake"))
			r->intake_rated++;
		else if (g->decided && x->at == g->decision.at)
			r->decision_rated++;
		else if (x->at > g->screened_at)
			r->rerated++;
	}
	/* the RAG the referral shows is the last one rated */
	const char *now = g->decided && g->decision.rag ? g->decision.rag :
			  g->nratings ? g->ratings[g->nratings - 1].to : g->in.rag;
	if (g->nratings && strcmp(now, g->ratings[g->nratings - 1].to))
		problem(r, "the RAG is not the last rating's", g->in.child_name);
}

static void keep(struct rec *r, const struct gen_referral *g, int shape)
{
	const struct referral_input *in = &g->in;
	struct kept *k = &r->kept[r->nrefs];
	snprintf(k->name, sizeof k->name, "%s", in->child_name);
	snprintf(k->dob, sizeof k->dob, "%s", in->dob ? in->dob : "");
	snprintf(k->address, sizeof k->address, "%s", in->address ? in->address : "");
	snprintf(k->rag, sizeof k->rag, "%s", in->rag ? in->rag : "");
	snprintf(k->category, sizeof k->category, "%s", in->category ? in->category : "");
	snprintf(k->source, sizeof k->source, "%s", in->source ? in->source : "");
	snprintf(k->outcome, sizeof k->outcome, "%s",
		 g->decided ? g->decision.outcome : "");
	k->level = in->level;
	k->dob_estimated = in->dob_estimated;
	k->shape = shape;
	k->npeople = in->npeople;
	k->has_alias = in->aliases && *in->aliases;
	k->received = in->received_at;
	k->decided_at = g->decided ? g->decision.at : 0;
	k->screened_at = g->screened_at;
	k->nratings = g->nratings;
	snprintf(k->closed, sizeof k->closed, "%s",
		 g->screening_outcome ? g->screening_outcome : "");
	snprintf(k->allocated, sizeof k->allocated, "%s",
		 in->allocated_worker ? in->allocated_worker : "");
	static const char *const watched[] = { "police", "health", "education" };
	for (int w = 0; w < 3; w++)
		k->first_due[w] = 1LL << 62;
	for (int i = 0; !g->decided && i < g->nchecks; i++) {
		const struct check_input *c = &g->checks[i];
		if (strcmp(c->status, "requested") && strcmp(c->status, "in-progress"))
			continue;
		for (int w = 0; w < 3; w++) {
			if (strcmp(c->agency, watched[w]))
				continue;
			long long hours = rag_rank(in->rag) == 3 ? 2 :
					  rag_rank(in->rag) == 2 ? 6 : 24;
			long long from = g->request_at[i] ? g->request_at[i] : in->received_at;
			long long due = from + hours * HOUR;
			k->open_checks[w]++;
			if (due < k->first_due[w])
				k->first_due[w] = due;
		}
	}
	k->nactions = g->decided ? g->decision.nactions : 0;
	k->not_sought_reason = in->consent && !strcmp(in->consent, "not-sought") &&
			       in->consent_reason && *in->consent_reason;
	for (int i = 0; i < in->npeople; i++)
		k->perpetrator |= in->people[i].alleged_perpetrator;
	for (int i = 0; i < g->nchecks; i++)
		if (!strcmp(g->checks[i].agency, "police") && g->checks[i].handling) {
			k->restricted_police |= !strcmp(g->checks[i].handling, "restricted");
			k->conditional_police |= !strcmp(g->checks[i].handling, "conditional");
		}
}

static void hash_referral(struct rec *r, const struct gen_referral *g)
{
	const struct referral_input *in = &g->in;
	const char *s[] = {
		in->child_name, in->aliases, in->dob, in->gender, in->ethnicity,
		in->language, in->disability, in->address, in->previous_address,
		in->school, in->gp, in->nhs_number, in->upn, in->referrer,
		in->referrer_role, in->referrer_agency, in->referrer_contact,
		in->concern, in->impact, in->tried, in->strengths, in->category,
		in->source, in->consent, in->consent_reason, in->rag, g->assigned_to,
		g->decided ? g->decision.outcome : NULL,
		g->decided ? g->decision.rationale : NULL, g->decided_by,
	};
	for (int i = 0; i < N(s); i++)
		hash_str(r, s[i]);
	hash_int(r, in->received_at);
	hash_int(r, in->level);
	hash_int(r, g->decided ? g->decision.at : 0);
	for (int i = 0; i < in->npeople; i++) {
		hash_str(r, in->people[i].name);
		hash_str(r, in->people[i].dob);
	}
	for (int i = 0; i < g->nchecks; i++) {
		hash_str(r, g->checks[i].agency);
		hash_str(r, g->checks[i].status);
		hash_str(r, g->checks[i].info);
		hash_str(r, g->check_by[i]);
		hash_int(r, g->checks[i].at);
		hash_int(r, g->request_at[i]);
		hash_str(r, g->request_by[i]);
		hash_str(r, g->request_reason[i]);
	}
	hash_int(r, g->screened_at);
	hash_str(r, g->screened_by);
	hash_str(r, g->screening_outcome);
	hash_str(r, g->screening_reason);
	for (int i = 0; i < g->nratings; i++) {
		hash_int(r, g->ratings[i].at);
		hash_str(r, g->ratings[i].by);
		hash_str(r, g->ratings[i].to);
		hash_str(r, g->ratings[i].reason);
	}
}

static int rec_referral(void *ctx, const struct gen_referral *g,
			struct md_error *err)
{
	struct rec *r = ctx;
	const struct referral_input *in = &g->in;
	if (r->fail_after_refs >= 0 && r->nrefs >= r->fail_after_refs)
		return md_fail(err, r->fail_code, "recorder is full");
	check_child(r, in);
	check_codes(r, in);
	if (g->assigned_to && !known_login(r, g->assigned_to))
		problem(r, "assigned to a login not yet emitted", g->assigned_to);
	if (in->received_at <= 0 || in->received_at > r->now)
		problem(r, "received in the future", in->child_name);
	int shape = shape_of(g, check_checks(r, g));
	if (g->decided)
		check_decision(r, g);
	check_front_door(r, g);
	r->shape_seen[shape]++;
	r->rag_seen[in->rag ? code_index(RAGS, N(RAGS), in->rag) : 3] = 1;
	r->rag_count[in->rag ? code_index(RAGS, N(RAGS), in->rag) : 3]++;
	if (in->level >= 0 && in->level <= 4)
		r->level_seen[in->level] = 1;
	if (code_index(CATEGORIES, N(CATEGORIES), in->category) >= 0)
		r->cat_seen[code_index(CATEGORIES, N(CATEGORIES), in->category)] = 1;
	if (code_index(SOURCES, N(SOURCES), in->source) >= 0)
		r->src_seen[code_index(SOURCES, N(SOURCES), in->source)] = 1;
	hash_referral(r, g);
	if (r->nrefs < MAX_KEPT)
		keep(r, g, shape);
	r->nrefs++;
	return 0;
}

static struct gen_sink sink_of(struct rec *r)
{
	struct gen_sink s = { r, rec_user, rec_referral };
	return s;
}

static struct rec *run_demo(long long now)
{
	struct rec *r = malloc(sizeof *r);
	cr_assert_not_null(r);
	rec_init(r, now, 0);
	struct gen_sink s = sink_of(r);
	struct md_error err = { 0 };
	cr_assert_eq(generate_demo(&s, now, &err), 0, "%s", err.msg);
	cr_expect_eq(r->problems, 0, "%d problems, first: %s", r->problems, r->problem);
	return r;
}

static struct rec *run_gen(long n, unsigned long seed, int years)
{
	struct rec *r = malloc(sizeof *r);
	cr_assert_not_null(r);
	rec_init(r, NOW, years);
	struct gen_sink s = sink_of(r);
	struct md_error err = { 0 };
	cr_assert_eq(generate_referrals(&s, n, seed, NOW, years, &err), 0, "%s", err.msg);
	cr_expect_eq(r->problems, 0, "%d problems, first: %s", r->problems, r->problem);
	return r;
}

/* ---- the demo hub ---------------------------------------------------------- */

Test(demo, emits_valid_referrals_and_enough_of_them)
{
	struct rec *r = run_demo(NOW);
	cr_expect_geq(r->nrefs, 40);
	cr_expect_leq(r->nrefs, MAX_KEPT);
	free(r);
}

Test(demo, has_the_demo_supervisor_and_every_role_and_agency)
{
	struct rec *r = run_demo(NOW);
	cr_expect_str_eq(GENERATE_DEMO_SUPERVISOR, "demo-sup");
	int sup = -1, supervisors = 0, roles[N(ROLES)] = { 0 }, pract[N(AGENCIES)] = { 0 };
	for (int i = 0; i < r->nusers; i++) {
		if (!strcmp(r->login[i], GENERATE_DEMO_SUPERVISOR))
			sup = i;
		supervisors += !strcmp(r->role[i], "supervisor");
		roles[code_index(ROLES, N(ROLES), r->role[i])]++;
		if (!strcmp(r->role[i], "practitioner"))
			pract[code_index(AGENCIES, N(AGENCIES), r->agency[i])]++;
	}
	cr_assert_geq(sup, 0, "demo-sup not emitted");
	cr_expect_str_eq(r->role[sup], "supervisor");
	cr_expect_str_eq(r->agency[sup], "csc");
	cr_expect_geq(supervisors, 2);
	for (int i = 0; i < N(ROLES); i++)
		cr_expect_gt(roles[i], 0, "no %s", ROLES[i]);
	for (int a = 0; a < N(AGENCIES); a++)
		cr_expect(pract[a] >= 1 && pract[a] <= 2, "%s has %d practitioners",
			  AGENCIES[a], pract[a]);
	free(r);
}

Test(demo, lists_exactly_the_logins_it_emits)
{
	struct rec *r = run_demo(NOW);
	int n = 0;
	for (; generate_demo_logins[n]; n++) {
		cr_assert_lt(n, r->nusers, "more listed logins than users");
		cr_expect_str_eq(generate_demo_logins[n], r->login[n]);
	}
	cr_expect_eq(n, r->nusers);
	free(r);
}

Test(demo, covers_every_rag_level_category_source_and_outcome)
{
	struct rec *r = run_demo(NOW);
	for (int i = 0; i < 4; i++)
		cr_expect(r->rag_seen[i], "RAG %s not covered", i < 3 ? RAGS[i] : "(unrated)");
	for (int i = 0; i <= 4; i++)
		cr_expect(r->level_seen[i], "level %d not covered", i);
	for (int i = 0; i < N(CATEGORIES); i++)
		cr_expect(r->cat_seen[i], "category %s not covered", CATEGORIES[i]);
	for (int i = 0; i < N(SOURCES); i++)
		cr_expect(r->src_seen[i], "source %s not covered", SOURCES[i]);
	for (int i = 0; i < N(OUTCOMES); i++)
		cr_expect(r->outcome_seen[i], "outcome %s not covered", OUTCOMES[i]);
	free(r);
}

Test(demo, every_agency_checks_with_every_status)
{
	struct rec *r = run_demo(NOW);
	for (int a = 0; a < N(AGENCIES); a++)
		for (int s = 0; s < N(STATUSES); s++)
			cr_expect(r->check_seen[a][s], "no %s check that is %s",
				  AGENCIES[a], STATUSES[s]);
	free(r);
}

Test(demo, covers_every_status_shape)
{
	static const char *const names[] = { "new", "screening", "checks", "decision",
					     "decided", "closed at screening" };
	struct rec *r = run_demo(NOW);
	for (int s = 0; s < S_COUNT; s++)
		cr_expect_geq(r->shape_seen[s], 2, "only %ld referrals in state %s",
			      r->shape_seen[s], names[s]);
	free(r);
}

/* The front door at the demo desk: contacts waiting to be screened, some
 * closed at screening with every kind of outcome, ratings kept. */
Test(demo, has_contacts_waiting_and_closed_at_screening)
{
	struct rec *r = run_demo(NOW);
	cr_expect_geq(r->shape_seen[S_NEW], 3, "contacts nobody has picked up");
	cr_expect_geq(r->shape_seen[S_SCREENING], 2, "contacts being screened");
	cr_expect_geq(r->shape_seen[S_CLOSED], 4);
	int outcomes[N(CLOSES)] = { 0 }, allocated_named = 0;
	for (long i = 0; i < r->nrefs; i++) {
		const struct kept *k = &r->kept[i];
		int c = code_index(CLOSES, N(CLOSES), k->closed);
		if (c >= 0)
			outcomes[c]++;
		if (c == 3)
			allocated_named += k->allocated[0] != '\0';
		if (k->shape == S_NEW || k->shape == S_SCREENING)
			cr_expect_leq(NOW - k->received, 60 * HOUR, "%s waiting", k->name);
	}
	for (int c = 0; c < N(CLOSES); c++)
		cr_expect_geq(outcomes[c], 1, "none closed as %s", CLOSES[c]);
	cr_expect_eq(allocated_named, outcomes[3], "an allocated worker is named");
	cr_expect_geq(r->intake_rated, 3);
	cr_expect_geq(r->rerated, 1);
	cr_expect_geq(r->decision_rated, 1);
	free(r);
}

/* The intake demo: a phone call about Tolulope Adeyemi, born 2019-05-21,
 * finds her earlier referrals by name and date of birth, on any day the
 * demo is made. */
Test(demo, a_child_referred_before_has_a_fixed_birthday)
{
	long long days[] = { NOW, NOW + 400 * 24 * HOUR };
	for (int d = 0; d < 2; d++) {
		struct rec *r = run_demo(days[d]);
		int referrals = 0;
		for (long i = 0; i < r->nrefs; i++) {
			const struct kept *k = &r->kept[i];
			if (strcmp(k->name, "Tolulope Adeyemi"))
				continue;
			cr_expect_str_eq(k->dob, "2019-05-21");
			referrals += k->screened_at && !k->closed[0];
		}
		cr_expect_geq(referrals, 2, "her earlier referrals");
		free(r);
	}
}

/* A police, health or education practitioner's "Our checks" is not empty,
 * and the police checks are due more than two hours ahead (by the default
 * timescales), so a red check asked now comes first on the list. */
Test(demo, partner_agencies_have_open_checks)
{
	static const char *const names[] = { "police", "health", "education" };
	struct rec *r = run_demo(NOW);
	int open[3] = { 0 };
	long long first[3] = { 1LL << 62, 1LL << 62, 1LL << 62 };
	for (long i = 0; i < r->nrefs; i++)
		for (int w = 0; w < 3; w++) {
			open[w] += r->kept[i].open_checks[w];
			if (r->kept[i].first_due[w] < first[w])
				first[w] = r->kept[i].first_due[w];
		}
	for (int w = 0; w < 3; w++)
		cr_expect_geq(open[w], 2, "%s has %d open checks", names[w], open[w]);
	cr_expect_gt(first[0], NOW + 2 * HOUR, "a police check due within 2 hours");
	cr_expect_lt(first[1], NOW, "a late health check, for 'Our checks: N late'");
	free(r);
}

Test(demo, has_overdue_work_including_a_red_one)
{
	struct rec *r = run_demo(NOW);
	int overdue = 0, overdue_red = 0;
	for (long i = 0; i < r->nrefs; i++) {
		const struct kept *k = &r->kept[i];
		if (k->shape == S_DECIDED || k->shape == S_CLOSED)
			continue;
		long long age = NOW - k->received;
		cr_expect_leq(age, 60 * HOUR, "%s open for more than 60 hours", k->name);
		if (age > 24 * HOUR) {
			cr_expect_geq(age, 26 * HOUR, "%s is only just overdue", k->name);
			overdue++;
			overdue_red += !strcmp(k->rag, "red");
		}
	}
	cr_expect_geq(overdue, 3);
	cr_expect_geq(overdue_red, 1);
	free(r);
}

Test(demo, has_repeat_referrals_and_siblings)
{
	struct rec *r = run_demo(NOW);
	int repeats = 0, siblings = 0, weeks_apart = 0;
	for (long i = 0; i < r->nrefs; i++)
		for (long j = i + 1; j < r->nrefs; j++) {
			const struct kept *a = &r->kept[i], *b = &r->kept[j];
			int same_child = !strcmp(a->name, b->name) && !strcmp(a->dob, b->dob);
			repeats += same_child;
			if (same_child && llabs(a->received - b->received) > 14 * 24 * HOUR)
				weeks_apart++;
			siblings += !same_child && a->address[0] &&
				    !strcmp(a->address, b->address) && strcmp(a->name, b->name);
		}
	cr_expect_geq(repeats, 3);
	cr_expect_geq(weeks_apart, 2, "repeats should come weeks or months later");
	cr_expect_geq(siblings, 2);
	free(r);
}

Test(demo, is_sent_oldest_first)
{
	struct rec *r = run_demo(NOW);
	for (long i = 1; i < r->nrefs; i++)
		cr_expect_geq(r->kept[i].received, r->kept[i - 1].received,
			      "%s sent before an older referral", r->kept[i].name);
	free(r);
}

Test(demo, has_an_unborn_child_due_in_the_future)
{
	struct rec *r = run_demo(NOW);
	char today[16];
	utc_date(NOW, today);
	int unborn = 0;
	for (long i = 0; i < r->nrefs; i++) {
		const struct kept *k = &r->kept[i];
		if (k->dob_estimated) {
			unborn++;
			cr_expect_gt(strcmp(k->dob, today), 0, "expected date %s not after %s",
				     k->dob, today);
		} else {
			cr_expect_leq(strcmp(k->dob, today), 0, "%s born in the future", k->name);
		}
	}
	cr_expect_geq(unborn, 1);
	free(r);
}

Test(demo, records_people_consent_sharing_and_decisions_in_full)
{
	struct rec *r = run_demo(NOW);
	int aliases = 0, not_sought = 0, restricted = 0, conditional = 0;
	for (long i = 0; i < r->nrefs; i++) {
		const struct kept *k = &r->kept[i];
		aliases += k->has_alias;
		not_sought += k->not_sought_reason;
		restricted += k->restricted_police;
		conditional += k->conditional_police;
		if (!strcmp(k->category, "domestic-abuse"))
			cr_expect(k->perpetrator, "%s: no alleged perpetrator named", k->name);
		if (k->shape == S_DECIDED)
			cr_expect(k->nactions >= 1 && k->nactions <= 3,
				  "%s: %d actions", k->name, k->nactions);
	}
	cr_expect_geq(aliases, 3);
	cr_expect_geq(not_sought, 3);
	cr_expect_geq(restricted, 1);
	cr_expect_geq(conditional, 1);
	free(r);
}

Test(demo, names_are_diverse_utf8)
{
	struct rec *r = run_demo(NOW);
	int accented = 0, cjk = 0;
	for (long i = 0; i < r->nrefs; i++) {
		const unsigned char *p = (const unsigned char *)r->kept[i].name;
		int wide = 0, high = 0;
		for (; *p; p++) {
			high |= *p >= 0x80;
			wide |= *p >= 0xe4 && *p <= 0xe9;   /* lead bytes of CJK ideographs */
		}
		accented += high && !wide;
		cjk += wide;
	}
	cr_expect_geq(accented, 4);
	cr_expect_geq(cjk, 1);
	free(r);
}

Test(demo, depends_only_on_now)
{
	struct rec *a = run_demo(NOW), *b = run_demo(NOW), *c = run_demo(NOW + 86400);
	cr_expect_eq(a->hash, b->hash);
	cr_expect_neq(a->hash, c->hash);
	free(a);
	free(b);
	free(c);
}

Test(demo, stops_at_a_sink_error_and_returns_it)
{
	struct rec *r = malloc(sizeof *r);
	rec_init(r, NOW, 0);
	r->fail_after_refs = 5;
	r->fail_code = EX_IOERR;
	struct gen_sink s = sink_of(r);
	struct md_error err = { 0 };
	cr_expect_eq(generate_demo(&s, NOW, &err), EX_IOERR);
	cr_expect_eq(err.code, EX_IOERR);
	cr_expect_str_eq(err.msg, "recorder is full");
	cr_expect_eq(r->nrefs, 5);
	free(r);
}

/* ---- bulk history ---------------------------------------------------------------- */

Test(generate, emits_a_staff_of_forty_first)
{
	struct rec *r = run_gen(10, 1, 1);
	int sup[N(AGENCIES)] = { 0 }, pract[N(AGENCIES)] = { 0 }, trainer = 0, admin = 0;
	cr_expect_eq(r->nusers, 40);
	for (int i = 0; i < r->nusers; i++) {
		cr_expect_eq(strncmp(r->login[i], "gen-", 4), 0, "%s", r->login[i]);
		int a = code_index(AGENCIES, N(AGENCIES), r->agency[i]);
		if (!strcmp(r->role[i], "supervisor"))
			sup[a]++;
		else if (!strcmp(r->role[i], "practitioner"))
			pract[a]++;
		trainer += !strcmp(r->role[i], "trainer");
		admin += !strcmp(r->role[i], "admin");
	}
	for (int a = 0; a < N(AGENCIES); a++)
		cr_expect(sup[a] == 1 && pract[a] >= 3, "%s: %d sup, %d practitioners",
			  AGENCIES[a], sup[a], pract[a]);
	cr_expect_geq(trainer, 1);
	cr_expect_geq(admin, 1);
	free(r);
}

Test(generate, same_seed_same_data_other_seed_other_data)
{
	struct rec *a = run_gen(5000, 7, 2), *b = run_gen(5000, 7, 2),
		   *c = run_gen(5000, 8, 2);
	cr_expect_eq(a->nrefs, 5000);
	cr_expect_eq(a->hash, b->hash);
	cr_expect_neq(a->hash, c->hash);
	free(a);
	free(b);
	free(c);
}

Test(generate, zero_referrals_emits_none)
{
	struct rec *r = run_gen(0, 3, 30);
	cr_expect_eq(r->nrefs, 0);
	cr_expect_eq(r->nusers, 40);
	free(r);
}

/* Received times rise and stay within the years before now; decisions
 * follow receipt; everything older than three days is decided. */
static int times_ok(struct rec *r, const struct gen_referral *g)
{
	long long t = g->in.received_at;
	if (t <= r->last_received || t < r->now - r->years * 366LL * 24 * HOUR ||
	    t >= r->now)
		return 0;
	r->last_received = t;
	if (r->now - t > 3 * 24 * HOUR && !g->decided && !g->screening_outcome)
		return 0;
	return !g->decided || (g->decision.at > t && g->decision.at <= r->now &&
			       g->decision.at - t < 4 * 24 * HOUR);
}

static int rec_timed(void *ctx, const struct gen_referral *g, struct md_error *err)
{
	struct rec *r = ctx;
	if (!times_ok(r, g))
		problem(r, "time out of order or window", g->in.child_name);
	return rec_referral(ctx, g, err);
}

Test(generate, times_rise_within_the_window)
{
	static const struct { long n; int years; } runs[] = {
		{ 1, 1 }, { 7, 1 }, { 20000, 3 }, { 3000, 30 },
	};
	for (int i = 0; i < N(runs); i++) {
		struct rec *r = malloc(sizeof *r);
		rec_init(r, NOW, runs[i].years);
		struct gen_sink s = { r, rec_user, rec_timed };
		struct md_error err = { 0 };
		cr_assert_eq(generate_referrals(&s, runs[i].n, 11, NOW, runs[i].years,
						&err), 0, "%s", err.msg);
		cr_expect_eq(r->nrefs, runs[i].n);
		cr_expect_eq(r->problems, 0, "n=%ld: %s", runs[i].n, r->problem);
		free(r);
	}
}

Test(generate, has_a_realistic_mix)
{
	struct rec *r = run_gen(40000, 5, 1);
	/* Screening closes most greens, so referrals lean red and amber. */
	long refs = r->referral_rag[0] + r->referral_rag[1] + r->referral_rag[2];
	double green = (double)r->referral_rag[0] / (double)refs;
	double amber = (double)r->referral_rag[1] / (double)refs;
	double red = (double)r->referral_rag[2] / (double)refs;
	cr_expect_eq(r->referral_rag[3], 0, "referrals are rated at screening");
	cr_expect(red > 0.18 && red < 0.30, "red %.3f", red);
	cr_expect(amber > 0.42 && amber < 0.56, "amber %.3f", amber);
	cr_expect(green > 0.20 && green < 0.34, "green %.3f", green);
	for (int i = 0; i < N(CATEGORIES); i++)
		cr_expect(r->cat_seen[i], "category %s never drawn", CATEGORIES[i]);
	for (int i = 0; i < N(SOURCES); i++)
		cr_expect(r->src_seen[i], "source %s never drawn", SOURCES[i]);
	for (int i = 0; i < N(OUTCOMES); i++)
		cr_expect(r->outcome_seen[i], "outcome %s never drawn", OUTCOMES[i]);
	for (int a = 0; a < N(AGENCIES); a++)
		for (int s = 0; s < N(STATUSES); s++)
			cr_expect(r->check_seen[a][s], "no %s check %s", AGENCIES[a],
				  STATUSES[s]);
	cr_expect_gt(r->shape_seen[S_DECIDED] + r->shape_seen[S_CLOSED], r->nrefs * 9 / 10);
	free(r);
}

/* About 40% of contacts are closed at screening, by every outcome in
 * realistic shares; the rest become referrals with two to five agencies
 * asked (a few more asked later), rated with reasons, some re-rated. */
Test(generate, the_front_door_in_realistic_shares)
{
	struct rec *r = run_gen(40000, 5, 1);
	long closed = r->shape_seen[S_CLOSED];
	long finished = closed + r->shape_seen[S_DECIDED];
	double share = (double)closed / (double)finished;
	cr_expect(share > 0.35 && share < 0.45, "closed at screening %.3f", share);
	double nfa = (double)r->closed_by[0] / (double)closed;
	double advice = (double)r->closed_by[1] / (double)closed;
	double early = (double)r->closed_by[2] / (double)closed;
	double allocated = (double)r->closed_by[3] / (double)closed;
	cr_expect(nfa > 0.22 && nfa < 0.40, "nfa %.3f", nfa);
	cr_expect(advice > 0.25 && advice < 0.42, "advice %.3f", advice);
	cr_expect(early > 0.20 && early < 0.40, "early help %.3f", early);
	cr_expect(allocated > 0.02 && allocated < 0.12, "allocated %.3f", allocated);
	long referrals = r->screened - closed;
	for (int n = 2; n <= 5; n++)
		cr_expect_gt(r->asked[n], referrals / 50, "%d agencies asked: %ld", n,
			     r->asked[n]);
	cr_expect_eq(r->asked[0] + r->asked[1] + r->asked[6] + r->asked[7], 0);
	cr_expect(r->later_requests > referrals / 40 && r->later_requests < referrals / 5,
		  "asked later: %ld of %ld", r->later_requests, referrals);
	cr_expect(r->rerated > referrals / 40 && r->rerated < referrals / 5,
		  "re-rated: %ld of %ld", r->rerated, referrals);
	cr_expect_gt(r->decision_rated, referrals / 40);
	double intake = (double)r->intake_rated / (double)r->nrefs;
	cr_expect(intake > 0.25 && intake < 0.35, "rated at intake %.3f", intake);
	free(r);
}

Test(generate, newest_referrals_are_open_in_every_state)
{
	/* 20000 a year is about 55 a day: well over 100 in the last three days */
	struct rec *r = run_gen(20000, 9, 1);
	static const char *const names[] = { "new", "screening", "checks", "decision" };
	for (int s = 0; s < S_DECIDED; s++)
		cr_expect_gt(r->shape_seen[s], 0, "no open referral in state %s", names[s]);
	cr_expect_gt(r->shape_seen[S_CLOSED], 0, "none closed at screening");
	cr_expect(r->rag_seen[3], "no unrated referral");
	free(r);
}

/* Follows children and households across referrals: repeats (the same
 * name and date of birth again), siblings (a new name at a known address),
 * unborn children, and ages. */
struct follow {
	struct rec rec;
	struct slot { uint64_t key, value; } *child, *home, *named;
	size_t cap;
	long repeats, siblings, unborn, clashes, bad_ages;
};

static uint64_t key_of(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = a ? a : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *p = b ? b : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h | 1;
}

/* The slot for key in an open-addressing table (key 0 = empty). */
static struct slot *slot_for(struct slot *t, size_t cap, uint64_t key)
{
	size_t i = key % cap;
	while (t[i].key && t[i].key != key)
		i = (i + 1) % cap;
	return &t[i];
}

static void follow_child(struct follow *f, const struct referral_input *in)
{
	char received[16];
	utc_date(in->received_at, received);
	if (in->dob_estimated) {
		f->unborn++;
		f->bad_ages += strcmp(in->dob, received) <= 0;
		return;
	}
	/* born by the day of the referral, and not yet 18 */
	char limit[32];
	snprintf(limit, sizeof limit, "%04d%.6s", atoi(received) - 18, received + 4);
	f->bad_ages += strcmp(in->dob, received) > 0 || strcmp(in->dob, limit) <= 0;
	struct slot *c = slot_for(f->child, f->cap, key_of(in->child_name, in->dob));
	f->repeats += c->key != 0;
	c->key = key_of(in->child_name, in->dob);
	if (!in->address)
		return;
	/* one household never has two children of the same name */
	struct slot *n = slot_for(f->named, f->cap, key_of(in->address, in->child_name));
	if (n->key && n->value != c->key)
		f->clashes++;
	n->key = key_of(in->address, in->child_name);
	n->value = c->key;
	struct slot *h = slot_for(f->home, f->cap, key_of(in->address, NULL));
	if (h->key && h->value != key_of(in->child_name, NULL))
		f->siblings++;
	if (!h->key) {
		h->key = key_of(in->address, NULL);
		h->value = key_of(in->child_name, NULL);
	}
}

static int rec_follow(void *ctx, const struct gen_referral *g, struct md_error *err)
{
	struct follow *f = ctx;
	follow_child(f, &g->in);
	return rec_referral(&f->rec, g, err);
}

static int rec_follow_user(void *ctx, const struct user *u, struct md_error *err)
{
	return rec_user(&((struct follow *)ctx)->rec, u, err);
}

Test(generate, follows_children_and_households_over_time)
{
	enum { COUNT = 30000 };
	struct follow *f = calloc(1, sizeof *f);
	rec_init(&f->rec, NOW, 5);
	f->cap = 1 << 17;
	f->child = calloc(f->cap, sizeof *f->child);
	f->home = calloc(f->cap, sizeof *f->home);
	f->named = calloc(f->cap, sizeof *f->named);
	struct gen_sink s = { f, rec_follow_user, rec_follow };
	struct md_error err = { 0 };
	cr_assert_eq(generate_referrals(&s, COUNT, 21, NOW, 5, &err), 0, "%s", err.msg);
	double share = (double)f->repeats / COUNT;
	cr_expect(share > 0.22 && share < 0.40, "repeats %.3f", share);
	cr_expect_gt(f->siblings, COUNT / 50, "only %ld sibling referrals", f->siblings);
	cr_expect_gt(f->unborn, COUNT / 300, "only %ld unborn children", f->unborn);
	cr_expect_eq(f->clashes, 0, "%ld households with two children of one name",
		     f->clashes);
	cr_expect_eq(f->bad_ages, 0, "%ld children unborn, 18 or over, or due "
		     "in the past", f->bad_ages);
	cr_expect_eq(f->rec.problems, 0, "%s", f->rec.problem);
	free(f->child);
	free(f->home);
	free(f->named);
	free(f);
}

Test(generate, stops_at_a_sink_error_and_returns_it)
{
	struct rec *r = malloc(sizeof *r);
	rec_init(r, NOW, 1);
	r->fail_after_refs = 10;
	r->fail_code = EX_CANTCREAT;
	struct gen_sink s = sink_of(r);
	struct md_error err = { 0 };
	cr_expect_eq(generate_referrals(&s, 1000, 1, NOW, 1, &err), EX_CANTCREAT);
	cr_expect_eq(err.code, EX_CANTCREAT);
	cr_expect_eq(r->nrefs, 10);

	rec_init(r, NOW, 1);
	r->fail_on_users = 1;
	r->fail_code = EX_IOERR;
	cr_expect_eq(generate_referrals(&s, 1000, 1, NOW, 1, &err), EX_IOERR);
	cr_expect_eq(r->nrefs, 0);
	free(r);
}

/* A sink that fails without filling err still yields a message. */
static int silent_fail(void *ctx, const struct gen_referral *g, struct md_error *err)
{
	(void)ctx;
	(void)g;
	(void)err;
	return EX_TEMPFAIL;
}

Test(generate, a_silent_sink_failure_still_has_a_message)
{
	struct rec *r = malloc(sizeof *r);
	rec_init(r, NOW, 1);
	struct gen_sink s = { r, rec_user, silent_fail };
	struct md_error err = { 0 };
	cr_expect_eq(generate_referrals(&s, 5, 1, NOW, 1, &err), EX_TEMPFAIL);
	cr_expect_eq(err.code, EX_TEMPFAIL);
	cr_expect_neq(err.msg[0], '\0');
	free(r);
}

Test(generate, refuses_bad_arguments)
{
	struct rec *r = malloc(sizeof *r);
	rec_init(r, NOW, 1);
	struct gen_sink s = sink_of(r), none = { NULL, NULL, NULL };
	struct md_error err = { 0 };
	cr_expect_eq(generate_referrals(&s, -1, 1, NOW, 1, &err), EX_USAGE);
	cr_expect_eq(generate_referrals(&s, 10, 1, NOW, 0, &err), EX_USAGE);
	cr_expect_eq(generate_referrals(&s, 10, 1, NOW, 1000, &err), EX_USAGE);
	cr_expect_eq(generate_referrals(&s, 10, 1, 1000, 1, &err), EX_USAGE);
	cr_expect_eq(generate_referrals(&none, 10, 1, NOW, 1, &err), EX_SOFTWARE);
	cr_expect_eq(generate_referrals(NULL, 10, 1, NOW, 1, &err), EX_SOFTWARE);
	cr_expect_eq(generate_demo(&none, NOW, &err), EX_SOFTWARE);
	cr_expect_eq(r->nusers, 0);
	cr_expect_eq(r->nrefs, 0);
	free(r);
}
