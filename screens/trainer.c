/* trainer.c - the trainer's screen: the scenario's name and clock, who is
 * at the exercise as which role, and what has arrived.  Trainers and
 * admins of a training hub only (the data layer refuses anyone else).
 *
 * "At the exercise" is honest about what it knows: a desk counts as open
 * while it has a presence row whose process still runs (or, from another
 * host, that it renewed within three heartbeats); "last" is the user's
 * latest action in the audit log, which also covers trainees working from
 * the command line.  The clock moves, so the screen re-reads the hub once
 * a second while a run plays, and whenever another desk commits.  The
 * debrief key (r) opens the debrief, through the action table. */
#include "trainer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"
#include "mashdesk/hub_scenario.h"
#include "textlines.h"

struct trainer {
	struct textlines t;
	int rows;
	time_t loaded;
	int running;
};

static void clock_text(long long secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = 0;
	snprintf(buf, len, "%lld:%02lld:%02lld", secs / 3600, secs / 60 % 60,
		 secs % 60);
}

static int add_person(const struct hub_scenario_person *p, void *arg)
{
	struct textlines *t = arg;
	char last[16] = "-", role[80];
	if (p->last_action) {
		time_t at = (time_t)p->last_action;
		struct tm tm;
		localtime_r(&at, &tm);
		strftime(last, sizeof last, "%H:%M", &tm);
	}
	snprintf(role, sizeof role, "%s%s%s", p->role, p->agency[0] ? " " : "",
		 p->agency);
	textlines_add(t, p->desks ? THEME_NORMAL : THEME_DIM,
		      "  %-10.10s %-20.20s %-22.22s %-9s %s", p->login, p->name,
		      role, p->desks ? "desk open" : "-", last);
	return 0;
}

static int add_arrival(const struct hub_scenario_arrival *a, void *arg)
{
	struct textlines *t = arg;
	char at[32];
	scenario_format_offset(a->offset, at, sizeof at);
	if (a->released)
		textlines_add(t, THEME_NORMAL, "  +%-7s %-8s %-24.24s %-9s %s", at,
			      a->ref, a->child, a->status,
			      a->assigned_to[0] ? a->assigned_to : "-");
	else
		textlines_add(t, THEME_DIM, "  +%-7s %-8s %-24.24s to come", at,
			      "-", a->child);
	return 0;
}

static int trainer_load(struct trainer *tr, struct desk *d, struct md_error *err)
{
	struct hub *hub = desk_hub(d);
	struct hub_scenario_state st;
	struct textlines *t = &tr->t;
	int rc = hub_scenario_state(hub, &st, err);
	if (rc)
		return rc;
	if (!st.loaded)
		return md_fail(err, EX_DATAERR, "this hub runs no scenario: load "
			       "one with `mashdesk scenario load FILE`");
	textlines_clear(t);
	char now[32], dur[32], next[96] = "all arrived", run[48];
	clock_text(st.now, now, sizeof now);
	clock_text(st.duration, dur, sizeof dur);
	if (st.next_offset >= 0) {
		char off[32];
		scenario_format_offset(st.next_offset, off, sizeof off);
		if (st.running && st.speed > 0) {
			char in[32];
			clock_text((long long)((double)(st.next_offset - st.now) /
					       st.speed), in, sizeof in);
			snprintf(next, sizeof next, "next +%s (in %s)", off, in);
		} else {
			snprintf(next, sizeof next, "next +%s", off);
		}
	}
	if (st.running)
		snprintf(run, sizeof run, "RUNNING x%g", st.speed);
	else
		snprintf(run, sizeof run, "%s", st.now ? "stopped" : "not started");
	textlines_add(t, THEME_HEADER, "Scenario: %s", st.name);
	textlines_add(t, st.running ? THEME_ALERT : THEME_NORMAL,
		      "Clock %s of %s  %s  Arrived %d of %d  %s", now, dur, run,
		      st.released, st.total, next);
	textlines_add(t, THEME_NORMAL, "%s", "");
	t->head = 3;
	textlines_add(t, THEME_HEADER, "  %-10s %-20s %-22s %-9s %s", "Login",
		      "People", "Role", "Desk", "Last");
	if ((rc = hub_scenario_people(hub, add_person, t, err)))
		return rc;
	textlines_add(t, THEME_NORMAL, "%s", "");
	textlines_add(t, THEME_HEADER, "  %-8s %-8s %-24s %-9s %s", "Arrives",
		      "Ref", "Child", "Status", "Held by");
	if ((rc = hub_scenario_arrivals(hub, add_arrival, t, err)))
		return rc;
	if (st.history)
		textlines_add(t, THEME_DIM, "  (and %d earlier referrals already "
			      "on the hub as history)", st.history);
	tr->loaded = time(NULL);
	tr->running = st.running;
	return 0;
}

static int trainer_screen_open(struct screen *s, struct desk *d, void *arg,
			       struct md_error *err)
{
	(void)arg;
	struct trainer *tr = calloc(1, sizeof *tr);
	if (!tr)
		return md_fail(err, EX_OSERR, "out of memory");
	int rc = trainer_load(tr, d, err);
	if (rc) {
		textlines_free(&tr->t);
		free(tr);
		return rc;
	}
	s->priv = tr;
	return 0;
}

static void trainer_close(struct screen *s, struct desk *d)
{
	struct trainer *tr = s->priv;
	(void)d;
	textlines_free(&tr->t);
	free(tr);
}

static void trainer_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
			 int cols)
{
	struct trainer *tr = s->priv;
	(void)d;
	tr->rows = rows;
	textlines_draw(&tr->t, w, rows, cols);
	s->cur_y = 1;
	s->cur_x = 0;
}

static int trainer_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct trainer *tr = s->priv;
	(void)d;
	(void)key;
	return textlines_key(&tr->t, a, tr->rows);
}

/* Once a second while the clock runs (it is on screen), else when another
 * desk committed or every ten seconds (desks open and close unlogged). */
static int trainer_tick(struct screen *s, struct desk *d, int force)
{
	struct trainer *tr = s->priv;
	struct md_error err;
	time_t now = time(NULL);
	if (!force && now - tr->loaded < (tr->running ? 1 : 10))
		return 0;
	if (trainer_load(tr, d, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
	return DESK_REDRAW;
}

static int trainer_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		"The trainer's screen",
		"  Clock: scenario time since the exercise began, of its duration;",
		"  `mashdesk scenario run --speed X` plays it X times faster.",
		"  People: every user of the hub. \"desk open\": a desk of theirs is",
		"  open now; Last: the time of their latest recorded action.",
		"  Arrivals: each referral of the scenario, its reference once it",
		"  has arrived, where it stands and who holds it.",
	};
	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops trainer_screen_ops = {
	.name = "Trainer",
	.kind = SCREEN_TRAINER,
	.open = trainer_screen_open,
	.draw = trainer_draw,
	.key = trainer_key,
	.tick = trainer_tick,
	.help_extra = trainer_help_extra,
	.close = trainer_close,
};

int trainer_open(struct desk *d)
{
	struct md_error why;

	md_clear(&why);
	if (!hub_may(desk_hub(d), HUB_ACT_SCENARIO, &why)) {
		desk_message(d, THEME_ERROR, "%s", why.msg);
		return why.code ? why.code : EX_NOPERM;
	}
	return desk_push(d, &trainer_screen_ops, NULL);
}
