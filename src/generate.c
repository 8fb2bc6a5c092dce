/* generate.c - fictional hub data: the demo hub and bulk history.
 *
 * Two generators share one output shape (struct gen_referral) and a few
 * helpers.  generate_demo replays hand-written cases from generate_words.c
 * with times set relative to `now`.  generate_referrals invents any number
 * of referrals from a seed; it must manage a million in a few seconds, so
 * it never allocates per referral: every string is appended to one
 * reusable text buffer that is reset before each referral, and every
 * household is re-derived from a 64-bit seed instead of being stored.
 *
 * Dates are computed in UTC from unix seconds with our own calendar
 * arithmetic, never localtime(), so the output depends on nothing but the
 * arguments (no time zone, no locale). */
#define MASHDESK_GENERATE_INTERNAL
#include "mashdesk/generate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const GENERATE_DEMO_SUPERVISOR = "demo-sup";

#define GEN_HOUR 3600LL
#define GEN_DAY 86400LL
#define GEN_YEAR_DAYS 365
#define GEN_TEXT 8192          /* bytes of strings per referral; ~2 KB used */
#define GEN_RING 4096          /* recent children a new referral may repeat */
#define GEN_STAFF 5            /* generated practitioners per agency */
#define GEN_MAX_YEARS 100      /* keeps the time span inside 32 bits */
#define GEN_MAX_TABLE 32       /* heritage groups or sources at most */

/* ---- random numbers -------------------------------------------------- */

struct gen_rng {
	uint64_t s;
};

/* splitmix64: one add and three xor-shift-multiply rounds.  Fast, good
 * enough for test data, and every seed (0 included) is a good seed. */
static uint64_t gen_next(struct gen_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) for n >= 1, by multiply-shift rather than a
 * division: the bias (n / 2^32) is far below anything a test could see. */
static unsigned gen_below(struct gen_rng *r, unsigned n)
{
	return (unsigned)(((gen_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int gen_pct(struct gen_rng *r, unsigned pct)
{
	return gen_below(r, 100) < pct;
}

/* A seed for one thing derived from another (a child from its family). */
static uint64_t gen_hash(uint64_t a, uint64_t b)
{
	struct gen_rng r = { a ^ (b * 0xd6e8feb86659fd93ULL) };
	return gen_next(&r);
}

/* Index into weights[] (which sum to total), chosen in proportion. */
static unsigned gen_weighted(struct gen_rng *r, const unsigned *weights,
			     unsigned n, unsigned total)
{
	unsigned x = gen_below(r, total);
	for (unsigned i = 0; i + 1 < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

/* ---- calendar ---------------------------------------------------------- */

static long long gen_day_of(long long t)
{
	return t >= 0 ? t / GEN_DAY : -((-t + GEN_DAY - 1) / GEN_DAY);
}

/* Day number (days since 1970-01-01) to a proleptic Gregorian date.  The
 * year is counted from 1 March so that the leap day falls last; 400-year
 * cycles (146097 days) make it exact for any date. */
static void gen_civil(long long days, int *y, int *m, int *d)
{
	long long z = days + 719468;          /* days since 0000-03-01 */
	long long cycle = (z >= 0 ? z : z - 146096) / 146097;
	long long doc = z - cycle * 146097;   /* day of cycle, 0..146096 */
	long long yoc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365;
	long long doy = doc - (365 * yoc + yoc / 4 - yoc / 100);
	long long mp = (5 * doy + 2) / 153;   /* month from March, 0..11 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoc + cycle * 400 + (*m <= 2));
}

/* ---- the text buffer ------------------------------------------------------ */

/* Strings for one referral, appended end to end.  A string is begun with
 * gen_open, built with gen_put*, and finished with gen_close, which
 * returns it.  Overflow truncates (never past the buffer); one byte is
 * always kept for the terminating NUL. */
struct gen_text {
	size_t len, mark;
	char buf[GEN_TEXT];
};

static void gen_open(struct gen_text *t)
{
	t->mark = t->len;
}

static void gen_putn(struct gen_text *t, const char *s, size_t n)
{
	size_t room = GEN_TEXT - 1 - t->len;
	if (n > room)
		n = room;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

static void gen_put(struct gen_text *t, const char *s)
{
	gen_putn(t, s, strlen(s));
}

/* v as exactly `width` digits, zero-padded (width <= 20). */
static void gen_num(struct gen_text *t, unsigned long long v, int width)
{
	char digits[20];
	for (int i = width - 1; i >= 0; i--, v /= 10)
		digits[i] = (char)('0' + v % 10);
	gen_putn(t, digits, (size_t)width);
}

/* v in as many digits as it needs. */
static void gen_uint(struct gen_text *t, unsigned v)
{
	int width = 1;
	for (unsigned x = v; x >= 10; x /= 10)
		width++;
	gen_num(t, v, width);
}

static const char *gen_close(struct gen_text *t)
{
	const char *s = t->buf + t->mark;
	t->buf[t->len] = '\0';
	if (t->len < GEN_TEXT - 1)
		t->len++;
	return s;
}

static void gen_put_date(struct gen_text *t, long long day)
{
	int y, m, d;
	gen_civil(day, &y, &m, &d);
	gen_num(t, (unsigned long long)y, 4);
	gen_putn(t, "-", 1);
	gen_num(t, (unsigned long long)m, 2);
	gen_putn(t, "-", 1);
	gen_num(t, (unsigned long long)d, 2);
}

static const char *gen_date(struct gen_text *t, long long day)
{
	gen_open(t);
	gen_put_date(t, day);
	return gen_close(t);
}

/* Appends "given surname", or "surnamegiven" for names written
 * family-first. */
static void gen_put_name(struct gen_text *t, const struct gen_group *g,
			 const char *given, const char *surname)
{
	if (g->family_first) {
		gen_put(t, surname);
		gen_put(t, given);
	} else {
		gen_put(t, given);
		gen_putn(t, " ", 1);
		gen_put(t, surname);
	}
}

static const char *gen_name(struct gen_text *t, const struct gen_group *g,
			    const char *given, const char *surname)
{
	gen_open(t);
	gen_put_name(t, g, given, surname);
	return gen_close(t);
}

/* ---- stories ------------------------------------------------------------------ */

struct gen_subject {
	const char *given;
	int male;
};

/* Appends tmpl with its markers replaced (see struct gen_tmpl). */
static void gen_fill(struct gen_text *t, const char *tmpl,
		     const struct gen_subject *who)
{
	static const char marks[] = "~^*&`";
	static const char *const words[2][5] = {
		{ "she", "her", "her", "She", "Her" },
		{ "he", "his", "him", "He", "His" },
	};
	for (;;) {
		size_t n = strcspn(tmpl, "@~^*&`");
		gen_putn(t, tmpl, n);
		tmpl += n;
		if (!*tmpl)
			return;
		if (*tmpl == '@')
			gen_put(t, who->given);
		else
			gen_put(t, words[who->male][strchr(marks, *tmpl) - marks]);
		tmpl++;
	}
}

/* A random template suitable for a child of `age` years (the lists always
 * hold one for age 0, except where the category is never drawn that young). */
static const char *gen_pick_tmpl(struct gen_rng *r, const struct gen_tmpls *l,
				 int age)
{
	unsigned start = gen_below(r, l->n);
	for (unsigned k = 0; k < l->n; k++) {
		const struct gen_tmpl *t = &l->t[(start + k) % l->n];
		if (t->min_age <= age)
			return t->text;
	}
	return NULL;
}

static const char *gen_pick(struct gen_rng *r, const struct gen_list *l)
{
	return l->n ? l->s[gen_below(r, l->n)] : NULL;
}

/* One sentence or paragraph from templates, or NULL when none fits. */
static const char *gen_story(struct gen_text *t, struct gen_rng *r,
			     const struct gen_tmpls *l, int age,
			     const struct gen_subject *who)
{
	const char *tmpl = gen_pick_tmpl(r, l, age);
	if (!tmpl)
		return NULL;
	gen_open(t);
	gen_fill(t, tmpl, who);
	return gen_close(t);
}

/* ---- identifiers ------------------------------------------------------------ */

/* A 10-digit NHS number in the 999 range (never issued to patients) with a
 * valid modulus-11 check digit, so validators accept it. */
static const char *gen_nhs(struct gen_text *t, uint64_t h)
{
	char d[10] = { 9, 9, 9 };
	for (;;) {
		unsigned sum = 0;
		for (int i = 3; i < 9; i++, h /= 10)
			d[i] = (char)(h % 10);
		for (int i = 0; i < 9; i++)
			sum += (unsigned)d[i] * (unsigned)(10 - i);
		unsigned check = 11 - sum % 11;
		if (check != 10) {            /* 10 has no check digit: redraw */
			d[9] = (char)(check == 11 ? 0 : check);
			break;
		}
		h = gen_hash(h, 10);
	}
	gen_open(t);
	for (int i = 0; i < 10; i++)
		gen_putn(t, &"0123456789"[(int)d[i]], 1);
	return gen_close(t);
}

/* A unique pupil number in the national shape: check letter, local
 * authority 999 (no real authority has it), school, year of entry, serial.
 * The check letter weights characters 2-13 by 2-13, modulo 23, so the
 * number looks right to anyone who validates it. */
static const char *gen_upn(struct gen_text *t, uint64_t h, int year)
{
	static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	/* 999 | school 2000-9999 | year of entry | serial, as 12 digits */
	unsigned long long v = 999000000000ULL + (2000 + h % 8000) * 100000ULL +
			       (unsigned long long)(year % 100) * 1000 + (h >> 16) % 1000;
	char body[12];
	for (int i = 11; i >= 0; i--, v /= 10)
		body[i] = (char)('0' + v % 10);
	unsigned sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (unsigned)(body[i] - '0') * (unsigned)(i + 2);
	gen_open(t);
	gen_putn(t, &letters[sum % 23], 1);
	gen_putn(t, body, 12);
	return gen_close(t);
}

/* ---- the output record ------------------------------------------------------ */

struct gen_out {
	struct gen_text text;
	struct person_input people[MD_MAX_PEOPLE];
	struct action_input actions[MD_MAX_ACTIONS];
	struct gen_referral g;
};

static void gen_out_reset(struct gen_out *o)
{
	o->text.len = 0;
	memset(&o->g, 0, sizeof o->g);
	o->g.in.people = o->people;
	o->g.in.parents_aware = -1;
	o->g.decision.actions = o->actions;
}

/* Hands one referral to the sink; a sink that fails without saying why
 * still gets a sentence in err. */
static int gen_send(const struct gen_sink *sink, const struct gen_referral *g,
		    long index, struct md_error *err)
{
	int rc = sink->referral(sink->ctx, g, err);
	if (rc && err && !err->code)
		md_fail(err, rc, "generate: could not store referral %ld (%s)",
			index + 1, g->in.child_name);
	return rc;
}

static int gen_send_user(const struct gen_sink *sink, const struct user *u,
			 struct md_error *err)
{
	int rc = sink->user(sink->ctx, u, err);
	if (rc && err && !err->code)
		md_fail(err, rc, "generate: could not store user %s", u->login);
	return rc;
}

static int gen_check_sink(const struct gen_sink *sink, struct md_error *err)
{
	if (!sink || !sink->user || !sink->referral)
		return md_fail(err, EX_SOFTWARE, "generate: no sink to write to");
	return 0;
}

static void gen_user(struct user *u, const char *login, const char *name,
		     const char *agency, const char *role)
{
	memset(u, 0, sizeof *u);
	snprintf(u->login, sizeof u->login, "%s", login);
	snprintf(u->name, sizeof u->name, "%s", name);
	snprintf(u->agency, sizeof u->agency, "%s", agency);
	snprintf(u->role, sizeof u->role, "%s", role);
	u->active = 1;
}

/* ---- ratings ---------------------------------------------------------------------- */

static const char *const gen_rags[] = { NULL, "green", "amber", "red" };

static int gen_rag_rank(const char *rag)
{
	return !rag ? 0 : rag[0] == 'g' ? 1 : rag[0] == 'a' ? 2 : 3;
}

/* The RAG now: the last rating's, else the one at intake (or none). */
static const char *gen_rag_now(const struct gen_referral *g)
{
	return g->nratings ? g->ratings[g->nratings - 1].to : g->in.rag;
}

/* Keep a rating to `to` (none when it would not change the RAG). */
static void gen_rating(struct gen_referral *g, long long at, const char *by,
		       const char *to, const char *reason)
{
	const char *from = g->nratings ? g->ratings[g->nratings - 1].to : NULL;
	if (g->nratings == GEN_MAX_RATINGS || !to || (from && !strcmp(from, to)))
		return;
	struct gen_rating *r = &g->ratings[g->nratings++];
	r->at = at;
	r->by = by;
	r->from = from;
	r->to = to;
	r->reason = reason;
}

/* ---- the demo hub -------------------------------------------------------------- */

/* The demo practitioner who records an agency's check: the agency's first
 * practitioner, or its second for every other referral when it has two. */
static const char *gen_demo_checker(const char *agency, unsigned which)
{
	const char *found[2] = { NULL, NULL };
	unsigned n = 0;
	for (unsigned i = 0; i < gen_demo_nusers && n < 2; i++) {
		const struct gen_demo_user *u = &gen_demo_users[i];
		if (!strcmp(u->agency, agency) && !strcmp(u->role, "practitioner"))
			found[n++] = u->login;
	}
	return n ? found[which % n] : GENERATE_DEMO_SUPERVISOR;
}

static void gen_demo_child(struct gen_out *o, const struct gen_demo_referral *d,
			   long long today)
{
	const struct gen_demo_child *c = &gen_demo_children[d->child];
	const struct gen_demo_family *f = &gen_demo_families[c->family];
	struct referral_input *in = &o->g.in;
	int age = c->age_days / GEN_YEAR_DAYS;
	in->child_name = c->name;
	in->aliases = c->aliases;
	in->dob_estimated = c->age_days < 0;
	in->dob = NULL;
	for (unsigned i = 0; i < gen_demo_nbirthdays; i++)
		if (gen_demo_birthdays[i].child == d->child)
			in->dob = gen_demo_birthdays[i].dob;
	if (!in->dob)
		in->dob = gen_date(&o->text, today - c->age_days);
	in->gender = c->gender;
	in->ethnicity = c->ethnicity;
	in->language = c->language;
	in->disability = c->disability;
	in->interpreter = c->interpreter;
	in->address = f->address;
	in->previous_address = f->previous_address;
	in->school = c->school;
	in->gp = f->gp;
	if (c->age_days >= 0)
		in->nhs_number = gen_nhs(&o->text, gen_hash(0x6d617368, d->child));
	if (c->age_days >= 5 * GEN_YEAR_DAYS && age < 16) {
		int y, m, day;
		gen_civil(today - c->age_days + 4 * GEN_YEAR_DAYS, &y, &m, &day);
		in->upn = gen_upn(&o->text, gen_hash(0x75706e, d->child), y);
	}
	if (d->no_people)
		return;
	for (unsigned i = 0; i < 4 && f->people[i].name; i++) {
		const struct gen_demo_person *p = &f->people[i];
		struct person_input *pi = &o->people[in->npeople++];
		pi->name = p->name;
		pi->relationship = p->relationship;
		/* A spread of birthdays, the same on every run for a given now. */
		pi->dob = p->age ? gen_date(&o->text, today - p->age * GEN_YEAR_DAYS
					    - (p->age * 37 + (int)i * 53) % 300) : NULL;
		pi->parental_responsibility = p->pr;
		pi->alleged_perpetrator = p->perpetrator;
		pi->household = p->household;
	}
}

static void gen_demo_decision(struct gen_out *o, const struct gen_demo_decision *d,
			      long long at)
{
	struct decision_input *dec = &o->g.decision;
	o->g.decided = 1;
	o->g.decided_by = d->by;
	dec->outcome = d->outcome;
	dec->rationale = d->rationale;
	dec->rag = d->rag;
	dec->level = d->level;
	dec->feedback = d->feedback;
	dec->agencies = d->agencies;
	dec->at = at;
	for (int i = 0; i < 4 && d->actions[i].what; i++) {
		struct action_input *a = &o->actions[dec->nactions++];
		a->what = d->actions[i].what;
		a->owner = d->actions[i].owner;
		a->due = gen_date(&o->text, gen_day_of(at) + d->actions[i].due_days);
	}
}

/* The checks, asked at screening (or later, as a check may say) and
 * recorded evenly between then and the decision (or now); a check only
 * asked is the screener's record, made when asked. */
static void gen_demo_checks(struct gen_out *o, const struct gen_demo_referral *d,
			    unsigned idx, long long end, long long now,
			    const char *screener, const char *why)
{
	struct gen_referral *g = &o->g;
	int n = 0;
	while (n < 6 && d->checks[n].agency)
		n++;
	for (int i = 0; i < n; i++) {
		const struct gen_demo_check *c = &d->checks[i];
		struct check_input *ci = &g->checks[g->nchecks];
		int later = d->asked_later.agency &&
			    !strcmp(d->asked_later.agency, c->agency);
		long long asked = later ? now - d->asked_later.hours_ago * GEN_HOUR
					: g->screened_at;
		ci->agency = c->agency;
		ci->status = c->status;
		ci->info = c->info;
		ci->basis = c->basis;
		ci->handling = c->handling;
		ci->consent = d->consent;
		ci->consent_reason = d->consent_reason;
		ci->at = asked + (end - asked) * (i + 1) / (n + 1);
		g->check_by[g->nchecks] = gen_demo_checker(c->agency, idx);
		g->request_at[g->nchecks] = asked;
		g->request_by[g->nchecks] = screener;
		g->request_reason[g->nchecks] = later ? d->asked_later.reason : why;
		if (!strcmp(c->status, "requested")) {
			ci->at = asked;
			g->check_by[g->nchecks] = screener;
		}
		g->nchecks++;
	}
}

/* How long before now case idx was received.  Minutes past the hour vary
 * by case so the queue does not look machine-made; 5-54 minutes keeps
 * every open case inside its band (overdue ones 26-60 hours old). */
static long long gen_demo_age(unsigned idx)
{
	return gen_demo_referrals[idx].hours_ago * GEN_HOUR + (5 + idx * 23 % 50) * 60;
}

/* Screening: progressed (decided, or checks under way), closed, or not
 * yet: a contact whose RAG, if any, was given at intake. */
static void gen_demo_front_door(struct gen_out *o, const struct gen_demo_referral *d,
				long long end)
{
	struct gen_referral *g = &o->g;
	struct referral_input *in = &g->in;
	const char *by = d->assigned ? d->assigned : GENERATE_DEMO_SUPERVISOR;
	long long span = end - in->received_at;
	if (d->closed) {
		g->screened_at = in->received_at + (d->screen_minutes ? d->screen_minutes
						    : 60) * 60LL;
		g->screened_by = by;
		g->screening_outcome = d->closed;
		g->screening_reason = d->screening_reason;
		g->assigned_to = by;
	} else if (d->decision.outcome || d->checks[0].agency) {
		long long after = d->screen_minutes ? d->screen_minutes * 60LL
				  : span / 4 < 90 * 60 ? span / 4 : 90 * 60;
		g->screened_at = in->received_at + after;
		g->screened_by = by;
		g->screening_reason = d->screening_reason ? d->screening_reason :
			gen_screen_reasons[gen_rag_rank(d->rag ? d->rag : "green") - 1].s[0];
		gen_rating(g, g->screened_at, by, d->rag ? d->rag : "green",
			   g->screening_reason);
		if (!d->rag)
			in->rag = "green";
		if (d->rerate.to)
			gen_rating(g, end - d->rerate.hours_ago * GEN_HOUR, d->rerate.by,
				   d->rerate.to, d->rerate.reason);
		return;
	}
	/* still a contact (or closed as one): rated at intake, or not yet */
	in->level = 0;
	if (d->rag)
		gen_rating(g, in->received_at, by, d->rag, "rated at intake");
}

static void gen_demo_build(struct gen_out *o, unsigned idx, long long now)
{
	const struct gen_demo_referral *d = &gen_demo_referrals[idx];
	struct referral_input *in = &o->g.in;
	gen_out_reset(o);
	gen_demo_child(o, d, gen_day_of(now));
	in->received_at = now - gen_demo_age(idx);
	in->referrer = d->referrer;
	in->referrer_role = d->referrer_role;
	in->referrer_agency = d->referrer_agency;
	in->referrer_contact = d->referrer_contact;
	in->allocated_worker = d->allocated_worker;
	in->concern = d->concern;
	in->impact = d->impact;
	in->tried = d->tried;
	in->strengths = d->strengths;
	in->category = d->category;
	in->source = d->source;
	in->parents_aware = d->parents_aware;
	in->consent = d->consent;
	in->consent_reason = d->consent_reason;
	in->rag = d->rag;
	in->level = d->level;
	o->g.assigned_to = d->assigned;
	long long end = now - 60;
	if (d->decision.outcome) {
		long long at = in->received_at + d->decision.after_hours * GEN_HOUR + 900;
		end = at < now - 60 ? at : now - 60;
	}
	gen_demo_front_door(o, d, end);
	if (d->decision.outcome) {
		gen_demo_decision(o, &d->decision, end);
		if (d->decision.rag)
			gen_rating(&o->g, end, d->decision.by, d->decision.rag,
				   "Re-rated at the joint decision.");
	}
	if (o->g.screened_at && !o->g.screening_outcome)
		gen_demo_checks(o, d, idx, end, now, o->g.screened_by,
				o->g.screening_reason);
}

static int gen_demo_users_send(const struct gen_sink *sink, struct md_error *err)
{
	struct user u;
	for (unsigned i = 0; i < gen_demo_nusers; i++) {
		const struct gen_demo_user *du = &gen_demo_users[i];
		gen_user(&u, du->login, du->name, du->agency, du->role);
		int rc = gen_send_user(sink, &u, err);
		if (rc)
			return rc;
	}
	return 0;
}

int generate_demo(const struct gen_sink *sink, long long now,
		  struct md_error *err)
{
	enum { MAX_DEMO = 128 };
	unsigned order[MAX_DEMO], n = gen_demo_nreferrals;
	md_clear(err);
	int rc = gen_check_sink(sink, err);
	if (rc)
		return rc;
	if (n > MAX_DEMO)
		return md_fail(err, EX_SOFTWARE, "generate: too many demo cases");
	/* Oldest first, so that a repeat referral finds the earlier one. */
	for (unsigned i = 0; i < n; i++) {
		unsigned j = i;
		for (; j > 0 && gen_demo_age(order[j - 1]) < gen_demo_age(i); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	struct gen_out *o = malloc(sizeof *o);
	if (!o)
		return md_fail(err, EX_OSERR, "generate: out of memory");
	rc = gen_demo_users_send(sink, err);
	for (unsigned i = 0; !rc && i < n; i++) {
		gen_demo_build(o, order[i], now);
		rc = gen_send(sink, &o->g, (long)i, err);
	}
	free(o);
	return rc;
}

/* ==== bulk history ========================================================== */

/* A child the generator may refer again.  Everything else about the child
 * (name, birthday, sex, address, family) is re-derived from these. */
struct gen_kid {
	uint64_t family;           /* the household's seed */
	long long mother_born;     /* day number: anchors the family in time */
	unsigned no;               /* which child of the household, 0-7 */
};

struct gen_state {
	struct gen_rng rng;
	long long now;
	struct gen_kid ring[GEN_RING];
	unsigned nring, ring_next;
	/* [agency][0] the supervisor, [agency][1..GEN_STAFF] practitioners */
	char staff[GEN_NAGENCIES][GEN_STAFF + 1][MD_LOGIN_MAX];
	unsigned group_w[GEN_MAX_TABLE], group_total;
	unsigned cat_w[GEN_NCATEGORIES], cat_total, cat_domestic, cat_unborn[4];
	unsigned source_w[GEN_MAX_TABLE], source_total;
	int source_min_age[GEN_MAX_TABLE], source_max_age[GEN_MAX_TABLE];
	unsigned src_police, src_hospital, src_midwife;
	struct gen_out out;
};

/* What a household seed stands for; derived afresh on every use. */
struct gen_family {
	const struct gen_group *grp, *partner_grp;
	unsigned surname, mother, father, partner, partner_surname, gran;
	unsigned given_base, locality, gp, school;
	int together, has_partner, english;
	uint64_t address, previous;    /* seeds of the two addresses */
};

/* A child, derived from a gen_kid. */
struct gen_child {
	long long born;                /* day number */
	int male, age;                 /* age in whole years at the referral */
	unsigned no;
	uint64_t h;
};

static unsigned gen_group_pick(struct gen_state *st, struct gen_rng *r)
{
	return gen_weighted(r, st->group_w, gen_ngroups, st->group_total);
}

static void gen_family(struct gen_state *st, struct gen_family *f, uint64_t seed)
{
	struct gen_rng r = { seed };
	f->grp = &gen_groups[gen_group_pick(st, &r)];
	f->partner_grp = gen_pct(&r, 70) ? f->grp : &gen_groups[gen_group_pick(st, &r)];
	f->surname = gen_below(&r, GEN_NAMES);
	f->mother = gen_below(&r, GEN_NAMES);
	f->father = gen_below(&r, GEN_NAMES);
	f->partner = gen_below(&r, GEN_NAMES);
	f->partner_surname = gen_below(&r, GEN_NAMES);
	f->gran = gen_below(&r, GEN_NAMES);
	f->given_base = gen_below(&r, GEN_NAMES);
	f->locality = gen_below(&r, gen_localities.n);
	f->gp = gen_below(&r, gen_gps.n);
	f->school = gen_below(&r, 64);
	f->together = gen_pct(&r, 55);
	f->has_partner = !f->together && gen_pct(&r, 45);
	f->english = !strcmp(f->grp->language, "English") || gen_pct(&r, 45);
	f->address = gen_next(&r);
	f->previous = gen_pct(&r, 30) ? gen_next(&r) : 0;
}

/* Child `no` of a family: its own seed fixes sex, name and birthday. */
static void gen_child(const struct gen_kid *k, long long day, struct gen_child *c)
{
	c->h = gen_hash(k->family, k->no + 1);
	c->no = k->no;
	c->male = (int)(c->h & 1);
	/* mothers are 17 to 41 at each birth */
	c->born = k->mother_born + 17 * GEN_YEAR_DAYS +
		  (long long)((c->h >> 8) % (24 * GEN_YEAR_DAYS));
	c->age = (int)((day - c->born) / GEN_YEAR_DAYS);
}

/* "14 Linnet Grove, Hatchwell, Kestrelford ZZ3 4QT" or a flat in a block.
 * The "ZZ" area marks the postcode as fictional; each district of the
 * invented town has its own number. */
static const char *gen_address(struct gen_text *t, uint64_t seed, unsigned locality)
{
	static const char pc[] = "ABDEFGHJLNPQRSTUWXYZ";
	struct gen_rng r = { seed };
	gen_open(t);
	if (gen_pct(&r, 30)) {
		gen_put(t, "Flat ");
		gen_uint(t, 1 + gen_below(&r, 40));
		gen_put(t, ", ");
		gen_put(t, gen_pick(&r, &gen_blocks));
		gen_put(t, ", ");
	} else {
		gen_uint(t, 1 + gen_below(&r, 120));
		gen_put(t, " ");
	}
	gen_put(t, gen_pick(&r, &gen_streets));
	gen_put(t, ", ");
	if (locality) {
		gen_put(t, gen_localities.s[locality]);
		gen_put(t, ", ");
	}
	gen_put(t, "Kestrelford ZZ");
	gen_num(t, locality + 1, 1);
	gen_putn(t, " ", 1);
	gen_num(t, gen_below(&r, 10), 1);
	gen_putn(t, &pc[gen_below(&r, 20)], 1);
	gen_putn(t, &pc[gen_below(&r, 20)], 1);
	return gen_close(t);
}

/* The school a child of `age` would attend, if any. */
static const char *gen_school(const struct gen_family *f, int age, uint64_t h)
{
	if (age < 2)
		return NULL;
	if (age < 4)
		return h % 2 ? gen_nurseries.s[f->school % gen_nurseries.n] : NULL;
	if (age < 11)
		return gen_primaries.s[f->school % gen_primaries.n];
	if (age < 16)
		return gen_secondaries.s[f->school % gen_secondaries.n];
	return h % 10 < 7 ? gen_colleges.s[f->school % gen_colleges.n] : NULL;
}

/* The child's part of the referral: who, where, which school and surgery. */
static const char *gen_fill_child(struct gen_out *o, const struct gen_family *f,
				  const struct gen_child *c)
{
	struct referral_input *in = &o->g.in;
	const struct gen_group *g = f->grp;
	/* Brothers (or sisters) never share a name: the child's number picks it. */
	const char *given = (c->male ? g->boys : g->girls)
		[(f->given_base + c->no) % GEN_NAMES];
	in->child_name = gen_name(&o->text, g, given, g->surnames[f->surname]);
	if ((c->h >> 20) % 100 < 8 && !g->family_first)
		in->aliases = gen_name(&o->text, g, given,
				       g->surnames[(f->surname + 3) % GEN_NAMES]);
	in->dob = gen_date(&o->text, c->born);
	in->gender = c->male ? "male" : "female";
	in->ethnicity = g->ethnicity;
	in->language = f->english ? "English" : g->language;
	in->interpreter = !f->english && (c->h >> 28) % 4 == 0;
	if ((c->h >> 32) % 100 < 6)
		in->disability = gen_disabilities.s[(c->h >> 36) % gen_disabilities.n];
	in->address = gen_address(&o->text, f->address, f->locality);
	if (f->previous)
		in->previous_address = gen_address(&o->text, f->previous,
						   (f->locality + 1) % gen_localities.n);
	in->school = gen_school(f, c->age, c->h >> 48);
	in->gp = gen_gps.s[f->gp];
	in->nhs_number = gen_nhs(&o->text, c->h >> 3);
	if (c->age >= 5 && c->age < 16) {
		int y, m, d;
		gen_civil(c->born + 4 * GEN_YEAR_DAYS, &y, &m, &d);
		in->upn = gen_upn(&o->text, c->h >> 11, y);
	}
	return given;
}

static void gen_remember(struct gen_state *st, const struct gen_kid *k)
{
	st->ring[st->ring_next] = *k;
	st->ring_next = (st->ring_next + 1) % GEN_RING;
	if (st->nring < GEN_RING)
		st->nring++;
}

/* Who the referral is about: the same child again (30%), a brother or
 * sister of a recent child (6%), or a new household.  Returns 1 when the
 * new household's child is not yet born (about 1%); *known says the child
 * was referred before. */
static int gen_choose_kid(struct gen_state *st, long long day, struct gen_kid *k,
			  struct gen_child *c, int *known)
{
	struct gen_rng *r = &st->rng;
	unsigned roll = gen_below(r, 100);
	*known = 0;
	if (st->nring && roll < 36) {
		*k = st->ring[gen_below(r, st->nring)];
		if (roll >= 30)
			k->no = (k->no + 1 + gen_below(r, 3)) % GEN_NAMES;
		gen_child(k, day, c);
		if (c->born <= day && c->age < 18) {
			if (roll >= 30)
				gen_remember(st, k);
			*known = roll < 30;
			return 0;
		}
	}
	k->family = gen_next(r);
	k->no = gen_below(r, 3);
	if (gen_pct(r, 1)) {
		k->mother_born = day - 18 * GEN_YEAR_DAYS - gen_below(r, 22 * GEN_YEAR_DAYS);
		c->h = gen_hash(k->family, 99);
		c->born = day + 30 + gen_below(r, 180);
		c->age = -1;
		c->male = 0;
		c->no = k->no;
		return 1;
	}
	/* Invert gen_child: pick the age first, then place the mother. */
	long long born = day - gen_below(r, 18 * GEN_YEAR_DAYS);
	uint64_t h = gen_hash(k->family, k->no + 1);
	k->mother_born = born - 17 * GEN_YEAR_DAYS -
			 (long long)((h >> 8) % (24 * GEN_YEAR_DAYS));
	gen_child(k, day, c);
	gen_remember(st, k);
	return 0;
}

static void gen_fill_unborn(struct gen_out *o, const struct gen_family *f,
			    const struct gen_child *c)
{
	struct referral_input *in = &o->g.in;
	gen_open(&o->text);
	gen_put(&o->text, "Unborn baby ");
	gen_put(&o->text, f->grp->surnames[f->surname]);
	in->child_name = gen_close(&o->text);
	in->dob = gen_date(&o->text, c->born);
	in->dob_estimated = 1;
	in->gender = "not yet known";
	in->address = gen_address(&o->text, f->address, f->locality);
	in->gp = gen_gps.s[f->gp];
}

static unsigned gen_category(struct gen_state *st, int age)
{
	for (int tries = 0; tries < 4; tries++) {
		unsigned i = gen_weighted(&st->rng, st->cat_w, GEN_NCATEGORIES,
					  st->cat_total);
		if ((unsigned)age >= gen_stories[i].min_age)
			return i;
	}
	return 0;
}

/* Whether a source fits a child's age: health visitors see the under-5s,
 * schools the school-aged, and only older children refer themselves. */
static int gen_source_fits(const struct gen_state *st, unsigned i, int age)
{
	return age >= st->source_min_age[i] && age <= st->source_max_age[i];
}

static const struct gen_source *gen_source(struct gen_state *st, unsigned cat,
					   int age)
{
	struct gen_rng *r = &st->rng;
	if (age < 0)                 /* unborn: the midwife or the hospital */
		return &gen_sources[gen_pct(r, 70) ? st->src_midwife : st->src_hospital];
	if (cat == st->cat_domestic && gen_pct(r, 55))
		return &gen_sources[st->src_police];
	for (int tries = 0; tries < 8; tries++) {
		unsigned i = gen_weighted(r, st->source_w, gen_nsources,
					  st->source_total);
		if (gen_source_fits(st, i, age))
			return &gen_sources[i];
	}
	return &gen_sources[st->src_police];
}

/* Appends a random adult's name from any heritage group. */
static void gen_put_adult(struct gen_state *st, struct gen_text *t, int female)
{
	const struct gen_group *g = &gen_groups[gen_group_pick(st, &st->rng)];
	const char *given = (female ? g->women : g->men)[gen_below(&st->rng, GEN_NAMES)];
	gen_put_name(t, g, given, g->surnames[gen_below(&st->rng, GEN_NAMES)]);
}

static const char *gen_phone(struct gen_state *st, struct gen_text *t, int mobile)
{
	gen_open(t);
	gen_put(t, mobile ? "07700 900" : "01632 960");
	gen_num(t, gen_below(&st->rng, 1000), 3);
	return gen_close(t);
}

static void gen_referrer(struct gen_state *st, const struct gen_source *s)
{
	struct gen_out *o = &st->out;
	struct referral_input *in = &o->g.in;
	in->source = s->code;
	in->referrer_role = gen_pick(&st->rng, &s->roles);
	in->referrer_agency = s->organisation;
	switch (s->kind) {
	case GEN_REF_UNKNOWN:
		return;
	case GEN_REF_ANONYMOUS:
		in->referrer = "Anonymous";
		return;
	case GEN_REF_SELF:
		in->referrer = in->child_name;
		in->referrer_contact = gen_phone(st, &o->text, 1);
		return;
	case GEN_REF_OFFICER:
	case GEN_REF_DOCTOR:
	case GEN_REF_SCHOOL:
	case GEN_REF_PERSON:
		gen_open(&o->text);
		if (s->kind == GEN_REF_OFFICER) {
			gen_put(&o->text, gen_pct(&st->rng, 70) ? "PC " : "DC ");
			gen_num(&o->text, 1000 + gen_below(&st->rng, 9000), 4);
			gen_putn(&o->text, " ", 1);
		} else if (s->kind == GEN_REF_DOCTOR) {
			gen_put(&o->text, "Dr ");
			in->referrer_agency = in->gp;
		} else if (s->kind == GEN_REF_SCHOOL && in->school) {
			in->referrer_agency = in->school;
		}
		gen_put_adult(st, &o->text, gen_pct(&st->rng, 65));
		in->referrer = gen_close(&o->text);
		break;
	}
	in->referrer_contact = gen_phone(st, &o->text, s->kind == GEN_REF_PERSON &&
					 !s->organisation);
}

/* What happened, its impact, what has been tried and what is going well. */
static void gen_concern(struct gen_state *st, unsigned cat, int age,
			const struct gen_subject *who)
{
	struct gen_rng *r = &st->rng;
	struct gen_text *t = &st->out.text;
	struct referral_input *in = &st->out.g.in;
	const struct gen_story *s = &gen_stories[cat];
	const char *open = gen_pick_tmpl(r, &s->open, age);
	gen_open(t);
	gen_fill(t, open ? open : "Concerns were raised about @'s care.", who);
	const char *more = gen_pick_tmpl(r, &s->more, age);
	if (more) {
		gen_putn(t, " ", 1);
		gen_fill(t, more, who);
	}
	in->concern = gen_close(t);
	if (gen_pct(r, 70))
		in->impact = gen_story(t, r, &s->impact, age, who);
	if (gen_pct(r, 55))
		in->tried = gen_story(t, r, &gen_tried, age, who);
	if (gen_pct(r, 65))
		in->strengths = gen_story(t, r, &gen_strengths, age, who);
}

/* RAG about 15% red, 45% amber, 40% green overall, with exploitation and
 * sexual abuse more often red; the level of need follows the rating. */
static void gen_rate(struct gen_state *st, unsigned cat)
{
	struct gen_rng *r = &st->rng;
	struct referral_input *in = &st->out.g.in;
	const char *code = gen_stories[cat].category;
	unsigned red = !strcmp(code, "sexual") || !strcmp(code, "cse") ||
		       !strcmp(code, "cce") ? 35 : 13;
	unsigned x = gen_below(r, 100);
	if (x < red) {
		in->rag = "red";
		in->level = gen_pct(r, 80) ? 4 : 3;
	} else if (x < red + 45) {
		in->rag = "amber";
		x = gen_below(r, 100);
		in->level = x < 65 ? 3 : x < 90 ? 2 : 4;
	} else {
		in->rag = "green";
		in->level = gen_pct(r, 55) ? 2 : 1;
	}
}

static void gen_consent(struct gen_state *st, const struct gen_source *s,
			int age)
{
	struct gen_rng *r = &st->rng;
	struct referral_input *in = &st->out.g.in;
	if (s->kind == GEN_REF_ANONYMOUS || s->kind == GEN_REF_UNKNOWN)
		return;                   /* nobody to ask yet */
	unsigned not_sought = !strcmp(in->rag, "red") ? 70 : 30;
	unsigned x = gen_below(r, 100);
	if (x < not_sought) {
		in->consent = "not-sought";
		in->consent_reason = gen_pick(r, &gen_reason_not_sought);
		in->parents_aware = gen_pct(r, 70) ? 0 : -1;
	} else if (x < not_sought + 10) {
		in->consent = "refused";
		in->consent_reason = gen_pick(r, &gen_reason_refused);
		in->parents_aware = 1;
	} else {
		in->consent = "given";
		/* every position keeps its reason (the sharing record); the
		 * second reason is the young person's own consent */
		in->consent_reason = gen_pct(r, 60) && age >= 12 ?
			gen_pick(r, &gen_reason_given) : gen_reason_given.s[0];
		in->parents_aware = 1;
	}
}

static void gen_person(struct gen_out *o, const char *name, const char *rel,
		       const long long *born, int pr, int hh)
{
	struct person_input *p = &o->people[o->g.in.npeople++];
	p->name = name;
	p->relationship = rel;
	p->dob = born ? gen_date(&o->text, *born) : NULL;
	p->parental_responsibility = pr;
	p->alleged_perpetrator = 0;
	p->household = hh;
}

/* Up to three adults: mother, then her partner (if she has one) and the
 * father, then a grandmother.  In domestic abuse cases the partner, or
 * else the father, is named as the alleged perpetrator.  One in ten
 * families' dates of birth are not known to the referrer. */
static void gen_people(struct gen_state *st, const struct gen_family *f,
		       long long mother_born, int abuse)
{
	static const unsigned counts[] = { 15, 30, 35, 20 };
	struct gen_out *o = &st->out;
	struct gen_rng *r = &st->rng;
	const struct gen_group *g = f->grp, *pg = f->partner_grp;
	int n = (int)gen_weighted(r, counts, 4, 100), man = -1;
	int known = gen_pct(r, 90);
	long long born[4] = {
		mother_born, mother_born + 400 - gen_below(r, 6 * GEN_YEAR_DAYS),
		mother_born - gen_below(r, 7 * GEN_YEAR_DAYS),
		mother_born - 20 * GEN_YEAR_DAYS - gen_below(r, 8 * GEN_YEAR_DAYS),
	};
	if (abuse && n < 2)
		n = 2;
	if (n >= 1)
		gen_person(o, gen_name(&o->text, g, g->women[f->mother],
				       g->surnames[f->surname]),
			   "mother", known ? &born[0] : NULL, 1, 1);
	if (n >= 2 && f->has_partner) {
		man = o->g.in.npeople;
		gen_person(o, gen_name(&o->text, pg, pg->men[f->partner],
				       pg->surnames[f->partner_surname]),
			   "mother's partner", known ? &born[1] : NULL, 0, 1);
	}
	if (o->g.in.npeople < n) {
		if (man < 0)
			man = o->g.in.npeople;
		gen_person(o, gen_name(&o->text, g, g->men[f->father],
				       g->surnames[f->surname]),
			   "father", known ? &born[2] : NULL, gen_pct(r, 85),
			   f->together);
	}
	if (o->g.in.npeople < n)
		gen_person(o, gen_name(&o->text, g, g->women[f->gran],
				       g->surnames[f->surname]),
			   "maternal grandmother", known ? &born[3] : NULL, 0, 0);
	if (abuse && man >= 0)
		o->people[man].alleged_perpetrator = 1;
}

static const char *gen_basis(struct gen_state *st)
{
	struct gen_rng *r = &st->rng;
	const struct referral_input *in = &st->out.g.in;
	if (in->consent && in->consent[0] == 'g' && gen_pct(r, 35))
		return "consent";
	if (in->rag && in->rag[0] == 'r' && gen_pct(r, 10))
		return "vital-interests";
	unsigned x = gen_below(r, 100);
	return x < 60 ? "public-task" : x < 85 ? "safeguarding" :
	       x < 97 ? "legal-obligation" : "legitimate-interests";
}

/* Police intelligence is often shared with conditions or kept in the hub;
 * health detail is sometimes restricted; the rest is mostly shareable. */
static const char *gen_handling(struct gen_rng *r, unsigned agency)
{
	static const char *const codes[] = { "shareable", "conditional", "restricted" };
	static const unsigned weights[][3] = {
		{ 50, 30, 20 }, { 92, 8, 0 }, { 80, 5, 15 },
	};
	unsigned row = agency == 0 ? 0 : agency == 2 ? 2 : 1;
	return codes[gen_weighted(r, weights[row], 3, 100)];
}

static void gen_check(struct gen_state *st, unsigned a, const char *status,
		      long long at)
{
	struct gen_rng *r = &st->rng;
	struct gen_referral *g = &st->out.g;
	struct check_input *c = &g->checks[g->nchecks];
	memset(c, 0, sizeof *c);
	c->agency = gen_agencies[a];
	c->status = status;
	c->at = at;
	if (status[0] == 'c')
		c->info = gen_pick(r, &gen_check_complete[a]);
	else if (status[0] == 'n' && gen_pct(r, 60))
		c->info = gen_pick(r, &gen_check_nothing);
	else if (status[0] == 'i' && gen_pct(r, 50))
		c->info = gen_pick(r, &gen_check_pending);
	if (status[0] != 'r') {       /* once begun, the record of sharing */
		c->basis = gen_basis(st);
		c->handling = c->info && status[0] != 'n' ? gen_handling(r, a)
							  : "shareable";
		c->consent = g->in.consent;
		c->consent_reason = g->in.consent_reason;
	}
	g->check_by[g->nchecks++] = st->staff[a][1 + gen_below(r, GEN_STAFF)];
}

/* Checks by the agencies in `mask` (bit i = gen_agencies[i]), asked at
 * `asked` by `by` (for `why`) and recorded one after another between then
 * and `end`; all finished when `done`.  A check only asked is the asker's
 * record, made when asked. */
static void gen_checks(struct gen_state *st, unsigned mask, int done,
		       long long asked, long long end, const char *by,
		       const char *why)
{
	static const char *const open[] = {
		"requested", "in-progress", "complete", "nothing-known",
	};
	static const unsigned open_w[] = { 25, 25, 30, 20 };
	struct gen_referral *g = &st->out.g;
	int n = 0, k = 0;
	for (unsigned m = mask; m; m &= m - 1)
		n++;
	for (unsigned a = 0; a < GEN_NAGENCIES; a++) {
		if (!(mask & 1u << a))
			continue;
		long long at = asked + (end - asked) * ++k / (n + 1);
		const char *status = done ? (gen_pct(&st->rng, 55) ? "complete"
					     : "nothing-known")
				   : open[gen_weighted(&st->rng, open_w, 4, 100)];
		int i = g->nchecks;
		gen_check(st, a, status, at);
		g->request_at[i] = asked;
		g->request_by[i] = by;
		g->request_reason[i] = why;
		if (status[0] == 'r') {
			g->checks[i].at = asked;
			g->check_by[i] = by;
		}
	}
}

/* The agencies asked at screening: two to five, children's social care
 * always, the others as the case needs (bit i = gen_agencies[i]). */
static unsigned gen_asked(struct gen_state *st, int age)
{
	struct gen_rng *r = &st->rng;
	unsigned mask = 2u | (gen_pct(r, 90) ? 1u : 0) | (gen_pct(r, 80) ? 4u : 0) |
			(age >= 2 && gen_pct(r, 85) ? 8u : 0) |
			(gen_pct(r, 20) ? 16u : 0) | (gen_pct(r, 25) ? 32u : 0);
	if (mask == 2u)
		mask |= 1u;                  /* at least police besides */
	if (mask == 63u)
		mask &= ~32u;                /* at most five: housing waits */
	return mask;
}

/* The decision: outcome by level of need (sometimes re-rated), rationale,
 * who took part, one to three actions, feedback to the referrer. */
static void gen_decide(struct gen_state *st, const struct gen_subject *who,
		       long long at, unsigned mask, const char *worker,
		       const char *rag)
{
	static const unsigned by_level[4][GEN_NOUTCOMES] = {
		{ 60, 40, 0, 0, 0, 0 }, { 5, 35, 60, 0, 0, 0 },
		{ 0, 0, 20, 70, 10, 0 }, { 0, 0, 0, 12, 80, 8 },
	};
	static const char *const rag_for[] = { "green", "green", "amber", "red" };
	struct gen_rng *r = &st->rng;
	struct gen_out *o = &st->out;
	struct decision_input *d = &o->g.decision;
	int level = o->g.in.level;
	if (gen_pct(r, 12)) {
		level += gen_pct(r, 50) ? 1 : -1;
		level = level < 1 ? 1 : level > 4 ? 4 : level;
		if (level != o->g.in.level) {
			d->level = level;
			if (strcmp(rag_for[level - 1], rag))
				d->rag = rag_for[level - 1];
		}
	}
	const struct gen_outcome_words *w =
		&gen_outcomes[gen_weighted(r, by_level[level - 1], GEN_NOUTCOMES, 100)];
	d->outcome = w->code;
	d->rationale = gen_story(&o->text, r, &w->rationale, 99, who);
	d->feedback = gen_pick(r, &w->feedback);
	gen_open(&o->text);
	for (unsigned a = 0, first = 1; a < GEN_NAGENCIES; a++)
		if (mask & 1u << a) {
			if (!first)
				gen_putn(&o->text, ",", 1);
			gen_put(&o->text, gen_agencies[a]);
			first = 0;
		}
	d->agencies = gen_close(&o->text);
	unsigned n = 1 + gen_below(r, w->nactions < 3 ? w->nactions : 3);
	unsigned start = gen_below(r, w->nactions);
	for (unsigned i = 0; i < n; i++) {
		const struct gen_action_words *aw = &w->actions[(start + i) % w->nactions];
		struct action_input *a = &o->actions[d->nactions++];
		a->what = aw->what;
		a->owner = aw->owner ? aw->owner : worker;
		a->due = gen_date(&o->text, gen_day_of(at) + aw->due_days);
	}
	d->at = at;
	o->g.decided = 1;
	o->g.decided_by = gen_pct(r, 55) ? st->staff[1][0] : worker;
}

/* How long the decision took: red within hours, green within days; never
 * later than a minute ago. */
static long long gen_delay(struct gen_state *st, long long waited)
{
	static const long long lo[] = { 1 * GEN_HOUR, 3 * GEN_HOUR, 6 * GEN_HOUR };
	static const long long hi[] = { 8 * GEN_HOUR, 30 * GEN_HOUR, 60 * GEN_HOUR };
	const char *rag = st->out.g.in.rag;
	int i = rag[0] == 'r' ? 0 : rag[0] == 'a' ? 1 : 2;
	long long delay = lo[i] + gen_below(&st->rng, (unsigned)(hi[i] - lo[i]));
	if (delay > waited - 60)
		delay = (waited - 60) / 2 + 1;
	return delay;
}

/* ---- the front door ---------------------------------------------------------------- */

/* How long screening took: red within the hour or two, green within a
 * day or so; never later than a minute ago. */
static long long gen_screen_delay(struct gen_state *st, long long waited)
{
	static const long long lo[] = { 10 * 60, 30 * 60, 60 * 60 };
	static const long long hi[] = { 2 * GEN_HOUR, 10 * GEN_HOUR, 30 * GEN_HOUR };
	const char *rag = st->out.g.in.rag;
	int i = rag[0] == 'r' ? 0 : rag[0] == 'a' ? 1 : 2;
	long long delay = lo[i] + gen_below(&st->rng, (unsigned)(hi[i] - lo[i]));
	if (delay > waited - 60)
		delay = (waited - 60) / 2 + 1;
	return delay;
}

/* Closed at screening at `at`: passed to the allocated social worker
 * (only a child known before has one: most of the reds closed, some
 * ambers), else no further action, advice or early help by what
 * screening found (the hidden RAG): about a third each overall. */
static void gen_close_contact(struct gen_state *st, long long at,
			      const char *by, int known)
{
	static const unsigned allocated[3] = { 10, 30, 80 };
	static const unsigned by_rag[3][GEN_NCLOSE - 1] = {
		{ 45, 35, 20 }, { 20, 35, 45 }, { 10, 20, 70 },
	};
	struct gen_rng *r = &st->rng;
	struct gen_out *o = &st->out;
	struct gen_referral *g = &o->g;
	int rank = gen_rag_rank(g->in.rag);
	unsigned i = known && gen_pct(r, allocated[rank - 1]) ? 3 :
		     gen_weighted(r, by_rag[rank - 1], GEN_NCLOSE - 1, 100);
	g->screened_at = at;
	g->screened_by = by;
	g->screening_outcome = gen_close_codes[i];
	g->screening_reason = gen_pick(r, &gen_close_reasons[i]);
	if (i == 3) {
		gen_open(&o->text);
		gen_put_adult(st, &o->text, gen_pct(r, 70));
		gen_put(&o->text, ", ");
		gen_put(&o->text, gen_pick(r, &gen_teams));
		g->in.allocated_worker = gen_close(&o->text);
	}
}

/* Progressed at `screened` by `by`: rated, two to five agencies asked
 * (sometimes one more later), the checks recorded up to `end`, all done
 * when `done`; sometimes re-rated as the checks come in. */
static void gen_refer(struct gen_state *st, int age, long long screened,
		      long long end, int done, const char *by, const char *worker)
{
	struct gen_rng *r = &st->rng;
	struct gen_referral *g = &st->out.g;
	const char *rag = g->in.rag;
	const char *why = gen_pick(r, &gen_screen_reasons[gen_rag_rank(rag) - 1]);
	g->screened_at = screened;
	g->screened_by = by;
	g->screening_reason = why;
	gen_rating(g, screened, by, rag, why);
	unsigned mask = gen_asked(st, age);
	gen_checks(st, mask, done, screened, end, by, why);
	if (end - screened > 4 * 60 && gen_pct(r, 10) && mask != 63u) {
		unsigned a = gen_below(r, GEN_NAGENCIES);
		while (mask & 1u << a)
			a = (a + 1) % GEN_NAGENCIES;
		long long later = screened + (end - screened) / 4;
		gen_checks(st, 1u << a, done, later, end, worker,
			   gen_pick(r, &gen_request_later));
	}
	if (end - screened > 4 * 60 && gen_pct(r, 10)) {
		int rank = gen_rag_rank(rag), up = rank == 1 || (rank < 3 && gen_pct(r, 60));
		gen_rating(g, screened + (end - screened) / 2, worker,
			   gen_rags[rank + (up ? 1 : -1)],
			   gen_pick(r, up ? &gen_raise_reasons : &gen_lower_reasons));
	}
}

/* Where the contact has got to.  Everything older than three days is
 * finished: about 40% closed at screening (most greens, a third of the
 * ambers, a few reds), the rest referrals decided after their checks.
 * Younger ones are finished or open in every state: waiting to be
 * screened (half of them not rated), being screened, closed, referrals
 * with checks under way, or ready to decide.  Some contacts arrive with a
 * RAG given at intake. */
static void gen_progress(struct gen_state *st, const struct gen_subject *who,
			 int age, long long received, int known)
{
	enum { NEW, SCREENING, CLOSED, CHECKS, DECISION, DECIDED };
	static const unsigned shape_w[] = { 20, 15, 10, 40, 15 };
	struct gen_rng *r = &st->rng;
	struct gen_referral *g = &st->out.g;
	long long waited = st->now - received;
	const char *worker = st->staff[1][1 + gen_below(r, GEN_STAFF)];
	const char *screener = gen_pct(r, 85) ? worker : st->staff[1][0];
	const char *rag = g->in.rag;            /* what screening will find */
	if (gen_pct(r, 30)) {
		int rank = gen_rag_rank(rag);
		if (gen_pct(r, 30))
			rank = rank == 1 ? 2 : rank == 3 ? 2 : gen_pct(r, 50) ? 1 : 3;
		gen_rating(g, received, st->staff[1][1 + gen_below(r, GEN_STAFF)],
			   gen_rags[rank], "rated at intake");
	}
	unsigned close = rag[0] == 'r' ? 5 : rag[0] == 'a' ? 35 : 60, shape;
	if (waited > 72 * GEN_HOUR || (waited > 24 * GEN_HOUR && gen_pct(r, 60)) ||
	    (waited > 4 * GEN_HOUR && gen_pct(r, 25)))
		shape = gen_pct(r, close) ? CLOSED : DECIDED;
	else
		shape = gen_weighted(r, shape_w, 5, 100);
	if (shape == CLOSED && waited < 3 * 60)
		shape = SCREENING;              /* too new to have been closed */
	if (shape <= CLOSED) {                  /* still a contact */
		if (shape >= SCREENING)
			g->assigned_to = gen_pct(r, 90) ? worker : st->staff[1][0];
		if (shape == CLOSED)
			gen_close_contact(st, received + gen_screen_delay(st, waited),
					  g->assigned_to, known);
		g->in.rag = g->nratings ? g->ratings[0].to : NULL;
		g->in.level = 0;
		return;
	}
	g->assigned_to = worker;
	long long end = st->now > received ? st->now : received, at = 0;
	if (shape == DECIDED)
		end = at = received + gen_delay(st, waited);
	long long span = end - received;
	long long screened = received + (span > 600 ? 300 + (span - 600) *
					 (10 + gen_below(r, 26)) / 100 : span / 3);
	gen_refer(st, age, screened, end, shape != CHECKS, screener, worker);
	if (shape == DECIDED) {
		unsigned mask = 0;
		for (int i = 0; i < g->nchecks; i++)
			for (unsigned a = 0; a < GEN_NAGENCIES; a++)
				if (!strcmp(g->checks[i].agency, gen_agencies[a]))
					mask |= 1u << a;
		gen_decide(st, who, at, mask, worker, gen_rag_now(g));
		if (g->decision.rag)
			gen_rating(g, at, g->decided_by, g->decision.rag,
				   "Re-rated at the joint decision.");
	}
}

static void gen_make(struct gen_state *st, long long received)
{
	struct gen_out *o = &st->out;
	struct referral_input *in = &o->g.in;
	struct gen_kid k;
	struct gen_child c;
	struct gen_family f;
	gen_out_reset(o);
	int known;
	int unborn = gen_choose_kid(st, gen_day_of(received), &k, &c, &known);
	gen_family(st, &f, k.family);
	struct gen_subject who = { NULL, c.male };
	unsigned cat;
	if (unborn) {
		unsigned t = gen_below(&st->rng, gen_unborn_open.n);
		gen_fill_unborn(o, &f, &c);
		cat = st->cat_unborn[t % 4];
		in->concern = gen_unborn_open.t[t].text;
		gen_open(&o->text);
		gen_put(&o->text, "Baby ");
		gen_put(&o->text, f.grp->surnames[f.surname]);
		who.given = gen_close(&o->text);
	} else {
		who.given = gen_fill_child(o, &f, &c);
		cat = gen_category(st, c.age);
		gen_concern(st, cat, c.age, &who);
	}
	in->category = gen_stories[cat].category;
	in->received_at = received;
	const struct gen_source *s = gen_source(st, cat, c.age);
	gen_referrer(st, s);
	gen_rate(st, cat);
	gen_consent(st, s, c.age);
	gen_people(st, &f, k.mother_born, cat == st->cat_domestic);
	gen_progress(st, &who, c.age, received, known);
}

/* ---- set-up and the two entry points ------------------------------------------ */

static unsigned gen_source_index(const char *code)
{
	for (unsigned i = 0; i < gen_nsources; i++)
		if (!strcmp(gen_sources[i].code, code))
			return i;
	return 0;
}

static unsigned gen_category_index(const char *code)
{
	for (unsigned i = 0; i < GEN_NCATEGORIES; i++)
		if (!strcmp(gen_stories[i].category, code))
			return i;
	return 0;
}

static void gen_init(struct gen_state *st, unsigned long seed, long long now)
{
	static const char *const unborn[4] = {
		"substance-misuse", "domestic-abuse", "parental-mental-health", "neglect",
	};
	st->rng.s = (uint64_t)seed;
	st->now = now;
	for (unsigned i = 0; i < gen_ngroups; i++)
		st->group_total += st->group_w[i] = gen_groups[i].weight;
	for (unsigned i = 0; i < GEN_NCATEGORIES; i++)
		st->cat_total += st->cat_w[i] = gen_stories[i].weight;
	for (unsigned i = 0; i < gen_nsources; i++) {
		st->source_total += st->source_w[i] = gen_sources[i].weight;
		st->source_min_age[i] = 0;
		st->source_max_age[i] = 99;
	}
	st->source_min_age[gen_source_index("self")] = 10;
	st->source_min_age[gen_source_index("school")] = 4;
	st->source_min_age[gen_source_index("school-nurse")] = 4;
	st->source_min_age[gen_source_index("education")] = 2;
	st->source_max_age[gen_source_index("health-visitor")] = 4;
	st->src_police = gen_source_index("police");
	st->src_hospital = gen_source_index("hospital");
	st->src_midwife = gen_source_index("health-other");
	st->cat_domestic = gen_category_index("domestic-abuse");
	for (int i = 0; i < 4; i++)
		st->cat_unborn[i] = gen_category_index(unborn[i]);
}

/* Forty staff: per agency a supervisor (gen-AGENCY-sup) and five
 * practitioners (gen-AGENCY-01..05); two trainers and two admins
 * (gen-trainer-1/2, gen-admin-1/2) with no agency. */
static int gen_staff(struct gen_state *st, const struct gen_sink *sink,
		     struct md_error *err)
{
	static const char *const extra[][2] = {
		{ "gen-trainer-1", "trainer" }, { "gen-trainer-2", "trainer" },
		{ "gen-admin-1", "admin" }, { "gen-admin-2", "admin" },
	};
	struct gen_text *t = &st->out.text;
	struct user u;
	int rc = 0;
	for (unsigned a = 0; !rc && a < GEN_NAGENCIES; a++)
		for (unsigned j = 0; !rc && j <= GEN_STAFF; j++) {
			char *login = st->staff[a][j];
			if (j == 0)
				snprintf(login, MD_LOGIN_MAX, "gen-%s-sup", gen_agencies[a]);
			else
				snprintf(login, MD_LOGIN_MAX, "gen-%s-%02u", gen_agencies[a], j);
			t->len = 0;
			gen_open(t);
			gen_put_adult(st, t, gen_pct(&st->rng, 60));
			gen_user(&u, login, gen_close(t), gen_agencies[a],
				 j ? "practitioner" : "supervisor");
			rc = gen_send_user(sink, &u, err);
		}
	for (unsigned i = 0; !rc && i < sizeof extra / sizeof extra[0]; i++) {
		t->len = 0;
		gen_open(t);
		gen_put_adult(st, t, gen_pct(&st->rng, 50));
		gen_user(&u, extra[i][0], gen_close(t), "", extra[i][1]);
		rc = gen_send_user(sink, &u, err);
	}
	return rc;
}

int generate_referrals(const struct gen_sink *sink, long n,
		       unsigned long seed, long long now, int years,
		       struct md_error *err)
{
	md_clear(err);
	int rc = gen_check_sink(sink, err);
	if (rc)
		return rc;
	if (n < 0)
		return md_fail(err, EX_USAGE, "generate: cannot make %ld referrals", n);
	if (years < 1 || years > GEN_MAX_YEARS)
		return md_fail(err, EX_USAGE, "generate: years must be 1 to %d, not %d",
			       GEN_MAX_YEARS, years);
	long long span = (long long)years * 31556952LL;   /* mean calendar year */
	if (now <= span)
		return md_fail(err, EX_USAGE, "generate: 'now' (%lld) is earlier "
			       "than %d years after 1970", now, years);
	if (gen_ngroups > GEN_MAX_TABLE || gen_nsources > GEN_MAX_TABLE)
		return md_fail(err, EX_SOFTWARE, "generate: word tables too large");
	struct gen_state *st = calloc(1, sizeof *st);
	if (!st)
		return md_fail(err, EX_OSERR, "generate: out of memory");
	gen_init(st, seed, now);
	rc = gen_staff(st, sink, err);
	/* Slot i starts at start + i*span/n (kept exact by carrying the
	 * remainder) and the referral falls at random inside its slot, so
	 * times rise strictly (when n <= span) and stay inside the window. */
	long long q = n ? span / n : 0, rem = n ? span % n : 0, carry = 0;
	long long slot = now - span;
	for (long i = 0; !rc && i < n; i++) {
		long long received = slot + (q > 1 ? (long long)(gen_next(&st->rng) %
							      (uint64_t)q) : 0);
		gen_make(st, received);
		rc = gen_send(sink, &st->out.g, i, err);
		slot += q;
		carry += rem;
		if (carry >= n) {
			carry -= n;
			slot++;
		}
	}
	free(st);
	return rc;
}
