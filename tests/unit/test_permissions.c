/* test_permissions.c - the permission matrix: every role, on a live and on
 * a training hub, against every action, for its own agency and another's.
 * The data layer decides; a refusal is EX_NOPERM (77) and says who may.
 * "Allowed" means not refused for permission: the action may still fail
 * for another reason (a referral already claimed), which is not this
 * test's business. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "mashdesk/hub.h"

#include "fixture.h"
#include "mashdesk/hub_backup.h"
#include "mashdesk/hub_board.h"
#include "mashdesk/hub_chase.h"
#include "mashdesk/hub_export.h"
#include "mashdesk/hub_feedback.h"
#include "mashdesk/hub_report.h"
#include "mashdesk/hub_retention.h"
#include "mashdesk/hub_scenario.h"
#include "mashdesk/hub_screen.h"
#include "mashdesk/hub_signoff.h"
#include "mashdesk/hub_strategy.h"
#include "mashdesk/hub_subject.h"
#include "mashdesk/hub_transfer.h"

enum act { VIEW, ADD, CLAIM, ASSIGN, CHECK_OWN, CHECK_OTHER, DECIDE, USER_ADD,
	   BULK, AUDIT, OVERRIDE, REPORT, EXPORT, BOARD, SIGNOFF, CHASE, SCENARIO,
	   SCREEN, RATE, REQUEST, EDIT_DETAILS, BACKUP, STRATEGY, SUBJECT, TRANSFER,
	   HOLD, RETENTION, FEEDBACK, NACTS };
static const char *const act_names[NACTS] = {
	"view", "add", "claim", "assign", "check own agency",
	"check another agency", "decide", "user add", "bulk load", "audit show",
	"consent override", "report", "export", "board", "signoff", "chase mark",
	"scenario reset", "screen", "rate", "request", "edit details", "backup",
	"strategy", "subject access", "transfer", "legal hold", "retention",
	"feedback",
};

struct role_case {
	char login[16];             /* a user of that role (an array, not a
				     * pointer: Criterion runs each case in a
				     * fresh process, where addresses differ) */
	int training;               /* on a training hub */
	int allowed[NACTS];
};

/* The expected table; the rules in hub_permit.h must agree with it.
 * After the scenario column, in order: the front door's four (screen,
 * rate and request for practitioners and supervisors of children's
 * social care -- pat is police: refused; sam is a csc practitioner --
 * and editing a referral's details for practitioners and supervisors of
 * any agency); backup (admins; trainers on a training hub); recording a
 * strategy discussion (practitioners and supervisors of any agency;
 * trainers on a training hub); subject access (supervisors only, on
 * either hub: admins see no referrals, and like an export it takes
 * records out, so not trainers); transfer, out and in (supervisors;
 * trainers on a training hub); legal holds (supervisors; trainers on a
 * training hub); retention (admins; trainers on a training hub); feedback
 * to the referrer (practitioners and supervisors of any agency). */
static struct role_case cases[] = {
	{ "pat", 0, { 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1 } },   /* practitioner */
	{ "sam", 0, { 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1 } },   /* csc practitioner */
	{ "sue", 0, { 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1 } },   /* supervisor */
	{ "tom", 0, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },   /* trainer, live */
	{ "admin", 0, { 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 } }, /* admin, live */
	{ "pat", 1, { 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1 } },
	{ "sam", 1, { 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1 } },
	{ "sue", 1, { 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1 } },
	{ "tom", 1, { 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0 } },   /* trainer, training */
	{ "admin", 1, { 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 } }, /* admin, training */
};

static char dir[64], path[128], ref[MD_REF_MAX];
static struct config cfg;

static struct hub *open_as(const char *login)
{
	struct md_error err;
	struct hub *hub;
	cr_assert_eq(hub_open(&hub, path, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(hub_act_as(hub, login, 0, &err), 0, "%s", err.msg);
	return hub;
}

static void make_hub(int training)
{
	struct md_error err;
	snprintf(dir, sizeof dir, "/tmp/mashdesk-perm-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	fixture_hub_path(path, sizeof path, dir);
	config_defaults(&cfg);
	struct hub_create_opts o = { .name = "Matrix", .training = training,
				     .admin_login = "admin" };
	cr_assert_eq(hub_create(path, &cfg, &o, &err), 0, "%s", err.msg);
	struct hub *admin = open_as("admin");
	const struct user users[] = {
		{ "pat", "Pat Okafor", "police", "practitioner", 1 },
		{ "sue", "Sue Lindqvist", "csc", "supervisor", 1 },
		{ "tom", "Tom Achebe", "", "trainer", 1 },
		{ "sam", "Sam Idris", "csc", "practitioner", 1 },
	};
	for (int i = 0; i < 4; i++)
		cr_assert_eq(hub_user_add(admin, &users[i], &err), 0, "%s", err.msg);
	hub_close(admin);
	struct hub *sue = open_as("sue");
	struct referral_input in = { .child_name = "Ada Quill", .dob = "2016-04-12",
				     .concern = "Seen alone.", .parents_aware = -1 };
	cr_assert_eq(hub_referral_add(sue, &in, ref, &err), 0, "%s", err.msg);
	hub_close(sue);
}

static int nop_row(const struct queue_row *r, void *arg) { (void)r; (void)arg; return 0; }
static int nop_board(const struct board_row *r, void *arg) { (void)r; (void)arg; return 0; }
static int nop_audit(const struct hub_audit_entry *e, void *arg) { (void)e; (void)arg; return 0; }
static int nop_user(void *ctx, const struct user *u, struct md_error *e) { (void)ctx; (void)u; (void)e; return 0; }

/* Try one action; returns its status. */
static int attempt(struct hub *hub, enum act a, int n, struct md_error *err)
{
	char r[MD_REF_MAX];
	struct queue_query q = { .open_only = 1, .limit = 1 };
	struct referral_input in = { .child_name = "Bo Quill", .dob = "2015-05-05",
				     .concern = "Sibling.", .parents_aware = -1 };
	struct check_input own = { .status = "in-progress" };
	struct check_input other = { .agency = "housing", .status = "in-progress" };
	struct decision_input d = { .outcome = "advice", .rationale = "Signposted." };
	struct user u = { "", "New Person", "csc", "practitioner", 1 };
	struct gen_sink sink;
	int status;

	switch (a) {
	case VIEW: return hub_queue(hub, &q, nop_row, NULL, err);
	case ADD: return hub_referral_add(hub, &in, r, err);
	case CLAIM: return hub_claim(hub, ref, err);
	case ASSIGN: return hub_assign(hub, ref, "pat", "cover", err);
	case CHECK_OWN: return hub_check_record(hub, ref, &own, err);
	case CHECK_OTHER: return hub_check_record(hub, ref, &other, err);
	case DECIDE: return hub_decide(hub, ref, &d, err);
	case USER_ADD:
		snprintf(u.login, sizeof u.login, "new%d", n);
		return hub_user_add(hub, &u, err);
	case BULK:
		status = hub_bulk_begin(hub, &sink, 0, err);
		if (status == 0) {
			(void)nop_user;
			status = hub_bulk_end(hub, 1, err);
		}
		return status;
	case AUDIT: return hub_audit_show(hub, ref, nop_audit, NULL, err);
	case OVERRIDE: return hub_consent_override(hub, ref, "police",
						   "Risk of serious harm.", err);
	case REPORT: {
		struct report_period p;
		struct report_turnaround t;
		status = hub_report_period(NULL, NULL, "--from", "--to", &p, err);
		return status ? status : hub_report_turnaround(hub, &p, &t, err);
	}
	case EXPORT: {
		struct report_period p;
		char out[160];
		long rows;
		snprintf(out, sizeof out, "%s/export%d.csv", dir, n);
		struct export_request req = { .period = &p, .path = out };
		status = hub_report_period("2000-01-01", "2099-12-31", "--from",
					   "--to", &p, err);
		return status ? status : hub_export(hub, &req, &rows, err);
	}
	/* allowed: not refused, though nothing awaits sign-off or chasing */
	case BOARD: return hub_board(hub, nop_board, NULL, err);
	case SIGNOFF: return hub_signoff(hub, ref, err);
	case CHASE: return hub_chase_mark(hub, ref, "csc", "Rang them.", err);
	case SCENARIO:
		/* no scenario is loaded: allowed means "not refused" (65) */
		return hub_scenario_reset(hub, &n, err);
	/* the front door: allowed may still be refused as screened already */
	case SCREEN: {
		const char *asked[] = { "police" };
		return hub_screen_progress(hub, ref, "amber", "Ask police.", 0,
					   asked, 1, err);
	}
	case RATE: return hub_rate(hub, ref, n % 2 ? "red" : "green",
				   "Changed.", err);
	case REQUEST: {
		const char *asked[] = { "health" };
		return hub_request(hub, ref, asked, 1, NULL, err);
	}
	/* hub_referral_update is the intake's; who may is hub_may's answer */
	case EDIT_DETAILS:
		return hub_may(hub, HUB_ACT_EDIT_DETAILS, err) ? 0 : EX_NOPERM;
	case BACKUP: {
		char out[160];
		snprintf(out, sizeof out, "%s/backup%d.db", dir, n);
		struct hub_backup_opts o = { .path = out, .pause_us = -1 };
		struct hub_backup_result res;
		return hub_backup(hub, &o, &res, err);
	}
	case STRATEGY: {
		/* no health user on this hub: health by name in words */
		const struct strategy_attendee_input who[] = {
			{ "police", "pat" }, { "csc", "sam" },
			{ "health", "Hana Nowak" },
		};
		struct strategy_input s = {
			.held = "now", .how = "call", .attendees = who,
			.nattendees = 3, .summary = "Shared.",
			.decision = "s47-single",
		};
		return hub_strategy_record(hub, ref, &s, err);
	}
	case SUBJECT: {
		FILE *f = tmpfile();
		int records;
		struct subject_request req = { .child_name = "Ada Quill",
					       .dob = "2016-04-12" };
		int got = f ? hub_subject_access(hub, &req, f, &records, err)
			: EX_OSERR;
		if (f)
			fclose(f);
		return got;
	}
	/* allowed: not refused for permission (the bundle is written, the
	 * referral closes: transfer goes after the decision) */
	case TRANSFER: {
		char out[160];
		struct transfer_result res;
		snprintf(out, sizeof out, "%s/transfer%d.bundle", dir, n);
		struct transfer_out req = { .ref = ref, .to_hub = "Elsewhere",
					    .reason = "Moved away.", .path = out };
		return hub_transfer_out(hub, &req, &res, err);
	}
	case HOLD: return hub_hold(hub, ref, "Court order.", err);
	case RETENTION: {
		long due;
		return hub_retention_due(hub, 0, NULL, NULL, &due, err);
	}
	case FEEDBACK:
		return hub_feedback_record(hub, ref, "acknowledgement",
					   "phone", "Received, thank you", err);
	default: return EX_SOFTWARE;
	}
}

ParameterizedTestParameters(permissions, matrix)
{
	return cr_make_param_array(struct role_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct role_case *c, permissions, matrix)
{
	make_hub(c->training);
	/* each action on a fresh hub state would be slow; the decision goes
	 * last so the earlier ones still find the referral open */
	static const enum act order[NACTS] = { VIEW, ADD, CLAIM, ASSIGN, CHECK_OWN,
		CHECK_OTHER, USER_ADD, BULK, AUDIT, OVERRIDE, REPORT, EXPORT, BOARD,
		SIGNOFF, CHASE, SCENARIO, SCREEN, RATE, REQUEST, EDIT_DETAILS, BACKUP,
		STRATEGY, SUBJECT, HOLD, RETENTION, FEEDBACK, DECIDE, TRANSFER };
	for (int i = 0; i < NACTS; i++) {
		enum act a = order[i];
		if (a >= NACTS)
			continue;
		struct md_error err = { 0 };
		struct hub *hub = open_as(c->login);
		int status = attempt(hub, a, i, &err);
		hub_close(hub);
		if (c->allowed[a])
			cr_expect_neq(status, EX_NOPERM, "%s on a %s hub: %s refused: %s",
				      c->login, c->training ? "training" : "live",
				      act_names[a], err.msg);
		else
			cr_expect_eq(status, EX_NOPERM, "%s on a %s hub: %s gave %d "
				     "(%s), wanted a refusal", c->login,
				     c->training ? "training" : "live",
				     act_names[a], status, err.msg);
		if (!c->allowed[a])
			cr_expect(strstr(err.msg, "may") || strstr(err.msg, "no agency"),
				  "a refusal says who may: %s", err.msg);
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}
