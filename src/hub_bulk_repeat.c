/* hub_bulk_repeat.c - "join the dots" for a fresh bulk load, in memory.
 *
 * At receipt a referral is linked to the latest earlier referral of the
 * same child (normalised name and date of birth) or the same household
 * (normalised address): two index seeks per referral, a tenth of a million-
 * referral load.  A fresh load arrives in received order, so "latest
 * earlier" is simply the last id seen with the same key, which a hash
 * table in memory answers without touching the file.  tests/unit/
 * test_bulk.c checks that the links equal those the SQL lookup makes. */
#include "hub_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct memo_slot {
	uint64_t hash;          /* 0 = empty */
	char *key;
	long long id;           /* the latest referral with this key */
};

struct repeat_memo {
	struct memo_slot *slot;
	size_t cap, used;       /* cap is a power of two */
};

struct repeat_memo *repeat_memo_new(void)
{
	struct repeat_memo *m = calloc(1, sizeof *m);
	if (m && !(m->slot = calloc(m->cap = 1u << 16, sizeof *m->slot))) {
		free(m);
		m = NULL;
	}
	return m;
}

void repeat_memo_free(struct repeat_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
	free(m);
}

/* FNV-1a, never 0 (0 marks an empty slot). */
static uint64_t memo_hash(const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h ? h : 1;
}

static struct memo_slot *memo_find(struct memo_slot *slot, size_t cap,
				   uint64_t hash, const char *key)
{
	size_t i = (size_t)hash & (cap - 1);
	while (slot[i].hash && (slot[i].hash != hash || strcmp(slot[i].key, key)))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static int memo_grow(struct repeat_memo *m)
{
	size_t cap = m->cap * 2;
	struct memo_slot *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].hash)
			*memo_find(slot, cap, m->slot[i].hash, m->slot[i].key) =
				m->slot[i];
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

/* The previous id under key (0 if none); id is remembered as the latest. */
static int memo_swap(struct repeat_memo *m, const char *key, long long id,
		     long long *prev)
{
	if (2 * (m->used + 1) > m->cap && memo_grow(m))
		return -1;
	uint64_t hash = memo_hash(key);
	struct memo_slot *s = memo_find(m->slot, m->cap, hash, key);
	if (!s->hash) {
		if (!(s->key = strdup(key)))
			return -1;
		s->hash = hash;
		s->id = 0;
		m->used++;
	}
	*prev = s->id;
	s->id = id;
	return 0;
}

int repeat_memo_link(struct repeat_memo *m, const char *name_key,
		     const char *dob, const char *address_key, long long id,
		     long long *prior)
{
	/* As the SQL lookup: no date of birth, no child match; no address,
	 * no household match.  The two kinds of key cannot collide. */
	char key[1600];         /* name key 400 + date, or address key 1024 */
	long long child = 0, home = 0;
	*prior = 0;
	if (dob && *dob) {
		snprintf(key, sizeof key, "c%s\x1f%s", name_key, dob);
		if (memo_swap(m, key, id, &child))
			return -1;
	}
	if (address_key && *address_key) {
		snprintf(key, sizeof key, "a%s", address_key);
		if (memo_swap(m, key, id, &home))
			return -1;
	}
	*prior = child > home ? child : home;
	return 0;
}
