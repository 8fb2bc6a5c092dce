/* forms_edit.c - a form's hold on the hub while someone types: its edit
 * lease (so no one else edits the same panel or decision meanwhile, and a
 * save can be fenced), the lease's heartbeat, and the draft that keeps the
 * typed work safe across a dropped connection, a crash or SIGHUP.
 *
 * Drafts are written only when the text changed since the last draft, at
 * most every FORMS_DRAFT_MS, and once more when the form closes without
 * being saved or discarded (which is what happens when the desk is stopped
 * by a signal). */
#include "forms.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mashdesk/clock.h"

#define FORMS_DRAFT_MS 3000

static long long forms_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* ---- drafts as text: "name=value" lines --------------------------------- */

static void put_escaped(char **out, size_t *len, size_t *cap, const char *s)
{
	for (; s && *s; s++) {
		const char *rep = NULL;
		char one[2] = { *s, '\0' };
		if (*s == '\n')
			rep = "\\n";
		else if (*s == '\\')
			rep = "\\\\";
		else
			rep = one;
		size_t n = strlen(rep);
		if (*len + n + 2 > *cap) {
			size_t ncap = (*cap + n + 2) * 2;
			char *grown = realloc(*out, ncap);
			if (!grown)
				return;
			*out = grown;
			*cap = ncap;
		}
		memcpy(*out + *len, rep, n);
		*len += n;
		(*out)[*len] = '\0';
	}
}

/* The values as draft text ("name=value" lines, malloc'd) and back. */
static char *forms_draft_encode(const struct forms *fm)
{
	size_t len = 0, cap = 256;
	char *out = malloc(cap), num[16];
	if (!out)
		return NULL;
	out[0] = '\0';
	for (int i = 0; i < fm->nfields; i++) {
		const struct forms_field *f = &fm->fields[i];
		put_escaped(&out, &len, &cap, f->name);
		put_escaped(&out, &len, &cap, "=");
		if (forms_is_text(f)) {
			put_escaped(&out, &len, &cap, f->text);
		} else {
			snprintf(num, sizeof num, "#%d", f->choice);
			put_escaped(&out, &len, &cap, num);
		}
		if (len + 2 > cap) {
			char *grown = realloc(out, cap + 16);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
			cap += 16;
		}
		out[len++] = '\n';
		out[len] = '\0';
	}
	return out;
}

/* Undo put_escaped in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1] == 'n')
			*o++ = '\n', s++;
		else if (*s == '\\' && s[1] == '\\')
			*o++ = '\\', s++;
		else
			*o++ = *s;
	}
	*o = '\0';
}

static void apply_one(struct forms *fm, char *line)
{
	char *eq = strchr(line, '=');
	if (!eq)
		return;
	*eq = '\0';
	int i = forms_find(fm, line);
	if (i < 0)
		return;   /* a field this version of the form no longer has */
	struct forms_field *f = &fm->fields[i];
	char *value = eq + 1;
	unescape(value);
	if (forms_is_text(f)) {
		char *copy = strdup(value);
		if (!copy)
			return;
		free(f->text);
		f->text = copy;
		f->edited = 1;
	} else if (value[0] == '#') {
		int c = atoi(value + 1);
		int max = f->kind == FORMS_TICK ? 1 : f->options ? f->options->n - 1 : -1;
		if (c >= -1 && c <= max)
			f->choice = c;
		forms_show_value(f);
	}
}

static int forms_draft_apply(struct forms *fm, const char *body)
{
	char *copy = strdup(body ? body : "");
	if (!copy)
		return -1;
	/* Rows the draft had (or had not) are made first. */
	if (fm->ops->draft_shape)
		fm->ops->draft_shape(fm, body ? body : "");
	for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		apply_one(fm, line);
	free(copy);
	return 0;
}

/* ---- the lease and the draft ------------------------------------------- */

int forms_edit_begin(struct forms *fm, struct desk *d, enum hub_lease_kind kind,
		     const char *ref, struct md_error *err)
{
	struct hub *hub = desk_hub(d);
	struct forms_edit *e = &fm->edit;
	char *body = NULL;
	long long saved_at = 0;
	int rc = 0;
	/* A new contact exists nowhere yet: nothing to lease, only a draft. */
	if (kind == HUB_LEASE_CONTACT) {
		memset(&e->lease, 0, sizeof e->lease);
		e->lease.kind = kind;
	} else {
		rc = hub_lease_take(hub, kind, ref, &e->lease, err);
	}
	if (rc)
		return rc;   /* who holds it is in the message: read-only for now */
	e->held = 1;
	e->renewed_ms = e->drafted_ms = forms_now_ms();
	if (hub_draft_load(hub, kind, ref, &body, &saved_at, err) == 0 && body) {
		forms_draft_apply(fm, body);
		e->last_draft = body;
		clock_format_iso(saved_at, e->restored_from);
	}
	md_clear(err);
	return 0;
}

/* Keep the typed work as a draft when it changed since the last one. */
static void forms_edit_keep(struct forms *fm, struct desk *d)
{
	struct forms_edit *e = &fm->edit;
	struct md_error err;

	if (!e->held || e->saved || !forms_changed(fm))
		return;
	char *body = forms_draft_encode(fm);
	if (!body)
		return;
	if (e->last_draft && !strcmp(body, e->last_draft)) {
		free(body);
		return;
	}
	if (hub_draft_save(desk_hub(d), e->lease.kind, e->lease.ref, body, &err) == 0) {
		free(e->last_draft);
		e->last_draft = body;
	} else {
		free(body);
	}
}

/* Heartbeat and draft, from the desk's idle tick. */
void forms_edit_tick(struct forms *fm, struct desk *d)
{
	struct forms_edit *e = &fm->edit;
	struct md_error err;
	long long now = forms_now_ms();
	const struct config *cfg = desk_config(d);
	long long beat = 1000LL * (cfg ? cfg->heartbeat_seconds : 30);

	if (!e->held)
		return;
	if (e->lease.kind != HUB_LEASE_CONTACT && now - e->renewed_ms >= beat) {
		e->renewed_ms = now;
		int failed = hub_lease_renew(desk_hub(d), &e->lease, &err) != 0;
		if (failed && !hub_connected(desk_hub(d))) {
			/* The connection went (the status line says so): the
			 * lease is not lost for that; renew once it is back. */
			e->renewed_ms = now - beat + 1000;
		} else if (failed && !e->lost) {
			e->lost = 1;
			desk_message(d, THEME_ERROR, "%s Your text stays here; "
				     "saving will be refused.", err.msg);
		}
	}
	if (now - e->drafted_ms >= FORMS_DRAFT_MS) {
		e->drafted_ms = now;
		forms_edit_keep(fm, d);
	}
}

/* The form closes: saved (the data layer already ended the edit),
 * discarded (drop the draft), or neither (keep it: the desk is being
 * stopped, or the user left with unsaved work kept for later). */
void forms_edit_end(struct forms *fm, struct desk *d)
{
	struct forms_edit *e = &fm->edit;
	struct md_error err;

	if (e->held && !e->saved) {
		if (e->discarded)
			hub_draft_drop(desk_hub(d), e->lease.kind, e->lease.ref, &err);
		else
			forms_edit_keep(fm, d);
		if (!e->lost && e->lease.kind != HUB_LEASE_CONTACT)
			hub_lease_release(desk_hub(d), &e->lease, &err);
	}
	free(e->last_draft);
	memset(e, 0, sizeof *e);
}

/* Push a form whose edit has begun; on failure the edit ends (lease given
 * back) and the form is freed through the screen's own close. */
int forms_push(struct desk *d, const struct screen_ops *ops, struct forms *fm,
	       const char *what, struct md_error *err)
{
	struct forms *hand = fm;
	int rc = desk_push(d, ops, &hand);

	if (rc != 0) {
		struct screen s = { .ops = ops, .priv = fm };
		ops->close(&s, d);
		return md_fail(err, rc, "the %s form could not be opened", what);
	}
	if (fm->edit.restored_from[0])
		desk_message(d, THEME_NORMAL, "Restored your unsaved work from "
			     "%.16s. To drop it: Esc, then y.",
			     fm->edit.restored_from);
	return 0;
}
