/* test_sync.c - many desks on one hub: seeing each other's commits, edit
 * leases that fence saves and clear themselves, drafts that survive.
 *
 * Two connections in one process stand for two desks: SQLite's
 * data_version and the leases behave the same across processes, and the
 * tests that need a dead holder fork a real one. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub.h"

#include "fixture.h"

static char dir[64], path[128];
static struct config cfg;
static struct md_error err;
static char ref[MD_REF_MAX];

static struct hub *as(const char *login)
{
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

/* A hub with two police practitioners, a health one and a supervisor,
 * and one referral. */
static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mashdesk-sync-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Sync", .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = as("admin");
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "pia", "Pia Lund", "police", "practitioner", 1 },
		{ "hana", "Hana Nowak", "health", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
	};
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);
	struct hub *pat = as("pat");
	struct referral_input in = { .child_name = "Ada Quill", .dob = "2016-04-12",
				     .concern = "Seen alone at night.", .rag = "red",
				     .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(pat, &in, ref, &err), 0, "%s", err.msg);
	hub_close(pat);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

TestSuite(sync, .init = setup, .fini = teardown);

/* ---- seeing other desks' commits ------------------------------------------- */

struct seen {
	int n;
	long long referral;
	char what[64];
};

static int seen_cb(const struct hub_change *c, void *arg)
{
	struct seen *s = arg;
	s->n++;
	s->referral = c->referral_id;
	size_t n = strlen(s->what);
	if (n + strlen(c->what) + 2 < sizeof s->what)
		snprintf(s->what + n, sizeof s->what - n, "%s ", c->what);
	return 0;
}

/* Poll until something changed or five seconds pass: SQLite's
 * data_version moves at the other's commit; PostgreSQL's notification
 * reaches the listener a moment after it (a desk polls again on its next
 * refresh).  Never a timing assertion: the wait only bounds a failure. */
static void poll_until_changed(struct hub *h, int *changed, int *reload,
			       struct seen *s)
{
	for (int i = 0; i < 100; i++) {
		cr_assert_eq(hub_poll_changes(h, changed, reload, seen_cb, s, &err), 0);
		if (*changed)
			return;
		usleep(50 * 1000);
	}
}

Test(sync, a_desk_sees_another_desks_commit_and_its_own)
{
	struct hub *a = as("pat"), *b = as("hana");
	struct seen s = { 0 };
	int changed, reload;
	cr_assert_eq(hub_poll_changes(a, &changed, &reload, seen_cb, &s, &err), 0);
	cr_assert_eq(changed, 0, "nothing new yet");
	cr_assert_eq(hub_claim(b, ref, &err), 0, "%s", err.msg);
	poll_until_changed(a, &changed, &reload, &s);
	cr_assert_eq(changed, 1);
	cr_assert_eq(reload, 0);
	cr_assert_eq(s.referral, 1);
	cr_assert(strstr(s.what, "referral") && strstr(s.what, "assignment"), "%s", s.what);
	memset(&s, 0, sizeof s);
	cr_assert_eq(hub_poll_changes(a, &changed, &reload, seen_cb, &s, &err), 0);
	cr_assert_eq(changed, 0, "each change is reported once");
	/* b's own commit is news to b too, once, through the same log (its
	 * screens must show its own saves), though data_version did not move */
	cr_assert_eq(hub_poll_changes(b, &changed, &reload, seen_cb, &s, &err), 0);
	cr_assert_eq(changed, 1);
	cr_assert_eq(reload, 0);
	cr_assert_eq(s.referral, 1);
	cr_assert(strstr(s.what, "referral") && strstr(s.what, "assignment"), "%s", s.what);
	cr_assert_eq(hub_poll_changes(b, &changed, &reload, seen_cb, &s, &err), 0);
	cr_assert_eq(changed, 0, "each change is reported once");
	hub_close(a);
	hub_close(b);
}

Test(sync, an_own_commit_that_logs_nothing_is_not_news)
{
	struct hub *a = as("pat");
	struct seen s = { 0 };
	int changed, reload;
	struct referral_detail *det = NULL;
	cr_assert_eq(hub_poll_changes(a, &changed, &reload, seen_cb, &s, &err), 0);
	/* reading a referral audits the view: a commit, but no change */
	cr_assert_eq(hub_referral_get(a, ref, &det, &err), 0, "%s", err.msg);
	hub_referral_free(det);
	cr_assert_eq(hub_poll_changes(a, &changed, &reload, seen_cb, &s, &err), 0);
	cr_assert_eq(changed, 0);
	cr_assert_eq(reload, 0);
	cr_assert_eq(s.n, 0);
	hub_close(a);
}

Test(sync, a_desk_that_fell_far_behind_is_told_to_reload)
{
	struct hub *a = as("pat"), *b = as("pat");
	struct seen s = { 0 };
	int changed, reload;
	/* 10,000 entries are kept; make the log move on past a's position */
	for (int i = 0; i < 4000; i++) {
		struct check_input c = { .status = i % 2 ? "requested" : "in-progress" };
		cr_assert_eq(hub_check_record(b, ref, &c, &err), 0, "%s", err.msg);
	}
	poll_until_changed(a, &changed, &reload, &s);
	cr_assert_eq(changed, 1);
	cr_assert_eq(reload, 1);
	hub_close(a);
	hub_close(b);
}

/* ---- leases ------------------------------------------------------------------- */

Test(sync, the_second_editor_is_told_who_holds_the_lease)
{
	struct hub *pat = as("pat"), *pia = as("pia"), *hana = as("hana");
	struct hub_lease l1, l2, l3;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_CHECK, ref, &l1, &err), 0, "%s", err.msg);
	cr_assert_eq(strlen(l1.token), 32);
	cr_assert_eq(hub_lease_take(pia, HUB_LEASE_CHECK, ref, &l2, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "Pat Okafor (pat)"), "%s", err.msg);
	cr_assert_str_eq(l2.owner, "pat");
	cr_assert_eq(l2.pid, (long)getpid());
	/* another agency's panel is another lease */
	cr_assert_eq(hub_lease_take(hana, HUB_LEASE_CHECK, ref, &l3, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_lease_release(pat, &l1, &err), 0);
	cr_assert_eq(hub_lease_take(pia, HUB_LEASE_CHECK, ref, &l2, &err), 0, "%s", err.msg);
	hub_close(pat);
	hub_close(pia);
	hub_close(hana);
}

Test(sync, an_expired_lease_is_taken_over_and_the_old_token_is_fenced)
{
	cfg.lease_seconds = 1;
	cfg.heartbeat_seconds = 1;
	struct hub *pat = as("pat"), *pia = as("pia");
	struct hub_lease l1, l2;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_CHECK, ref, &l1, &err), 0);
	sleep(2);
	cr_assert_eq(hub_lease_take(pia, HUB_LEASE_CHECK, ref, &l2, &err), 0,
		     "expired: %s", err.msg);
	cr_assert_eq(hub_lease_renew(pat, &l1, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "pia"), "%s", err.msg);
	struct check_input c = { .status = "complete", .info = "Stale text.",
				 .basis = "public-task", .lease_token = l1.token,
				 .expect_version = l1.version };
	cr_assert_eq(hub_check_record(pat, ref, &c, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "kept"), "the typed text is kept: %s", err.msg);
	struct hub_lease held = l2;
	cr_assert_eq(hub_lease_renew(pia, &held, &err), 0, "%s", err.msg);
	hub_close(pat);
	hub_close(pia);
}

Test(sync, a_dead_holder_on_this_host_loses_its_lease_at_once)
{
	pid_t kid = fork();
	if (kid == 0) {
		struct hub *pat = as("pat");
		struct hub_lease l;
		int rc = hub_lease_take(pat, HUB_LEASE_DECISION, ref, &l, &err);
		_exit(rc);   /* dies holding the lease */
	}
	int st;
	waitpid(kid, &st, 0);
	cr_assert_eq(WEXITSTATUS(st), 0);
	struct hub *sue = as("sue");
	struct hub_lease l;
	cr_assert_eq(hub_lease_take(sue, HUB_LEASE_DECISION, ref, &l, &err), 0,
		     "the holder is gone: %s", err.msg);
	hub_close(sue);
}

Test(sync, a_stale_save_is_refused_and_a_fresh_one_ends_the_edit)
{
	struct hub *pat = as("pat"), *pia = as("pia");
	struct hub_lease l;
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_CHECK, ref, &l, &err), 0);
	/* someone saved this panel from the command line before the lease */
	cr_assert_eq(hub_lease_release(pat, &l, &err), 0);
	cr_assert_eq(hub_lease_take(pat, HUB_LEASE_CHECK, ref, &l, &err), 0);
	long long opened = l.version;
	struct check_input cli = { .status = "in-progress" };
	cr_assert_eq(hub_check_record(pia, ref, &cli, &err), EX_TEMPFAIL,
		     "the command line waits for the holder");
	cr_assert(strstr(err.msg, "pat"), "%s", err.msg);
	cr_assert_eq(hub_draft_save(pat, HUB_LEASE_CHECK, ref, "status=complete", &err), 0);
	struct check_input form = { .status = "complete", .info = "Known to us.",
				    .basis = "public-task", .lease_token = l.token,
				    .expect_version = opened };
	cr_assert_eq(hub_check_record(pat, ref, &form, &err), 0, "%s", err.msg);
	/* the save ended the edit: lease and draft are gone */
	char *body = (char *)"x";
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_CHECK, ref, &body, NULL, &err), 0);
	cr_assert_null(body);
	struct hub_lease l2;
	cr_assert_eq(hub_lease_take(pia, HUB_LEASE_CHECK, ref, &l2, &err), 0, "%s", err.msg);
	/* a form opened before someone else's save cannot overwrite it */
	struct check_input stale = { .status = "nothing-known", .lease_token = l2.token,
				     .expect_version = opened };
	cr_assert_eq(hub_check_record(pia, ref, &stale, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "changed since you opened it"), "%s", err.msg);
	hub_close(pat);
	hub_close(pia);
}

Test(sync, a_decision_form_is_fenced_on_the_referral)
{
	struct hub *sue = as("sue"), *pat = as("pat");
	struct hub_lease l;
	cr_assert_eq(hub_lease_take(sue, HUB_LEASE_DECISION, ref, &l, &err), 0);
	struct decision_input cli = { .outcome = "nfa", .rationale = "x" };
	cr_assert_eq(hub_decide(pat, ref, &cli, &err), EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "Sue Lindqvist"), "%s", err.msg);
	struct decision_input d = { .outcome = "s47", .rationale = "Harm likely.",
				    .lease_token = l.token, .expect_version = l.version };
	cr_assert_eq(hub_decide(sue, ref, &d, &err), 0, "%s", err.msg);
	hub_close(sue);
	hub_close(pat);
}

/* ---- drafts --------------------------------------------------------------------- */

Test(sync, drafts_are_per_user_and_survive_reopening)
{
	struct hub *pat = as("pat");
	const char *body = "rationale=Two lines\\nof text\nlevel=3";
	cr_assert_eq(hub_draft_save(pat, HUB_LEASE_DECISION, ref, body, &err), 0);
	hub_close(pat);
	pat = as("pat");
	char *got = NULL;
	long long at = 0;
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_DECISION, ref, &got, &at, &err), 0);
	cr_assert_str_eq(got, body);
	cr_assert(at > 0 && at <= clock_now());
	free(got);
	struct hub *pia = as("pia");
	cr_assert_eq(hub_draft_load(pia, HUB_LEASE_DECISION, ref, &got, NULL, &err), 0);
	cr_assert_null(got, "another user's draft is not yours");
	cr_assert_eq(hub_draft_drop(pat, HUB_LEASE_DECISION, ref, &err), 0);
	cr_assert_eq(hub_draft_load(pat, HUB_LEASE_DECISION, ref, &got, NULL, &err), 0);
	cr_assert_null(got);
	hub_close(pat);
	hub_close(pia);
}
