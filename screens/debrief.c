/* debrief.c - the scenario's debrief at the desk: each referral that
 * arrived, who worked it, the model answer against what they decided, the
 * minutes it took against the timescale and the score; then the totals per
 * trainee and the model rationales.  The same figures as `mashdesk
 * scenario debrief` (hub_debrief.c defines them). */
#include "debrief.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/hub_scenario.h"
#include "mashdesk/text.h"
#include "textlines.h"

struct debrief {
	struct textlines t;
	int rows;
};

static void add_row(struct textlines *t, const struct hub_debrief_row *r)
{
	char rag[80], out[80], mins[24];
	snprintf(rag, sizeof rag, "%s/%s", r->expected_rag, r->actual_rag);
	snprintf(out, sizeof out, "%s/%s", r->expected_outcome, r->actual_outcome);
	snprintf(mins, sizeof mins, r->minutes >= 0 ? "%lld" : "-", r->minutes);
	int right = r->decided && r->score == HUB_DEBRIEF_MAX;
	textlines_add(t, !r->decided ? THEME_DIM : right ? THEME_NORMAL
		      : THEME_ALERT, "%-10.10s %-8s %-13.13s %-24.24s %5s %-7s %d/%d",
		      r->trainee, r->ref, rag, out, mins,
		      r->within < 0 ? "-" : r->within ? "yes" : "no", r->score,
		      HUB_DEBRIEF_MAX);
}

/* A model rationale, wrapped to the 80-column minimum under its referral. */
static void add_wrapped_line(const char *start, size_t len, void *arg)
{
	textlines_add(arg, THEME_DIM, "  %.*s", (int)len, start);
}

static void add_rationale(struct textlines *t, const char *text)
{
	char inert[sizeof ((struct hub_debrief_row *)0)->rationale * 4];
	text_inert(inert, sizeof inert, text, 1);
	text_wrap(inert, DESK_MIN_COLS - 4, DESK_MIN_COLS - 4, add_wrapped_line, t);
}

static int debrief_load(struct debrief *db, struct desk *d, struct md_error *err)
{
	struct hub_debrief *h;
	int rc = hub_scenario_debrief(desk_hub(d), &h, err);
	if (rc)
		return rc;
	struct textlines *t = &db->t;
	textlines_clear(t);
	textlines_add(t, THEME_HEADER, "%-10s %-8s %-13s %-24s %5s %-7s %s",
		      "Trainee", "Ref", "RAG exp/act", "Outcome expected/actual",
		      "Mins", "In time", "Score");
	t->head = 1;
	for (int i = 0; i < h->nrows; i++)
		add_row(t, &h->rows[i]);
	if (h->nrows == 0)
		textlines_add(t, THEME_DIM, "Nothing has arrived yet.");
	textlines_add(t, THEME_NORMAL, "%s", "");
	textlines_add(t, THEME_HEADER, "%-10s %9s %7s %9s %13s %7s %s", "Totals",
		      "Referrals", "Decided", "RAG right", "Outcome right",
		      "In time", "Score");
	for (int i = 0; i < h->ntotals; i++) {
		const struct hub_debrief_total *x = &h->totals[i];
		textlines_add(t, THEME_NORMAL, "%-10.10s %9d %7d %9d %13d %7d %d/%d",
			      x->trainee, x->referrals, x->decided, x->rag_right,
			      x->outcome_right, x->within, x->score, x->max_score);
	}
	textlines_add(t, THEME_NORMAL, "%s", "");
	textlines_add(t, THEME_DIM, "Score: right outcome 2, right RAG 1, "
		      "decided in time 1.");
	textlines_add(t, THEME_NORMAL, "%s", "");
	textlines_add(t, THEME_HEADER, "Model answers");
	for (int i = 0; i < h->nrows; i++) {
		const struct hub_debrief_row *r = &h->rows[i];
		textlines_add(t, THEME_NORMAL, "%s %s: %s, level %d, %s, within %lldm",
			      r->ref, r->child, r->expected_rag, r->expected_level,
			      r->expected_outcome, r->within_minutes);
		add_rationale(t, r->rationale);
	}
	hub_debrief_free(h);
	return 0;
}

static int debrief_screen_open(struct screen *s, struct desk *d, void *arg,
			       struct md_error *err)
{
	(void)arg;
	struct debrief *db = calloc(1, sizeof *db);
	if (!db)
		return md_fail(err, EX_OSERR, "out of memory");
	int rc = debrief_load(db, d, err);
	if (rc) {
		textlines_free(&db->t);
		free(db);
		return rc;
	}
	s->priv = db;
	return 0;
}

static void debrief_close(struct screen *s, struct desk *d)
{
	struct debrief *db = s->priv;
	(void)d;
	textlines_free(&db->t);
	free(db);
}

static void debrief_draw(struct screen *s, struct desk *d, WINDOW *w, int rows,
			 int cols)
{
	struct debrief *db = s->priv;
	(void)d;
	db->rows = rows;
	textlines_draw(&db->t, w, rows, cols);
	s->cur_y = 0;
	s->cur_x = 0;
}

static int debrief_key(struct screen *s, struct desk *d, enum action a, int key)
{
	struct debrief *db = s->priv;
	(void)d;
	(void)key;
	return textlines_key(&db->t, a, db->rows);
}

/* Decisions made meanwhile at other desks show at once. */
static int debrief_tick(struct screen *s, struct desk *d, int force)
{
	struct debrief *db = s->priv;
	struct md_error err;
	if (!force)
		return 0;
	if (debrief_load(db, d, &err) != 0)
		desk_message(d, THEME_ERROR, "%s", err.msg);
	return DESK_REDRAW;
}

static int debrief_help_extra(int i, char *buf, size_t len)
{
	static const char *const lines[] = {
		"The debrief",
		"  One line per referral that arrived: who decided it (or holds it),",
		"  the model RAG and outcome against theirs, scenario minutes to the",
		"  decision against the timescale, and the score out of 4: right",
		"  outcome 2, right RAG 1, decided in time 1.  Then totals per",
		"  trainee and the model answers' rationales.",
	};
	if (i < 0 || i >= (int)(sizeof lines / sizeof lines[0]))
		return 0;
	snprintf(buf, len, "%s", lines[i]);
	return 1;
}

static const struct screen_ops debrief_screen_ops = {
	.name = "Debrief",
	.kind = SCREEN_DEBRIEF,
	.open = debrief_screen_open,
	.draw = debrief_draw,
	.key = debrief_key,
	.tick = debrief_tick,
	.help_extra = debrief_help_extra,
	.close = debrief_close,
};

int debrief_open(struct desk *d)
{
	return desk_push(d, &debrief_screen_ops, NULL);
}
