/* fuzz_scenario.c - libFuzzer target for the scenario loader.
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *       -Iinclude src/scenario.c src/scenario_fields.c src/clock.c src/error.c src/text.c \
 *       tests/fuzz/fuzz_scenario.c -liniparser -o fuzz_scenario
 *   mkdir -p corpus && cp scenarios/quiet-morning.ini corpus/
 *   ./fuzz_scenario corpus
 *
 * Each input is written to a fresh mkstemp() file (iniparser 4.1 reads
 * only named files).  Beyond "no crash, no leak, no hang" (the
 * sanitizers' part) every outcome is checked against scenario.h's
 * contract, and a breach aborts: a refusal is EX_DATAERR (or EX_OSERR)
 * with one line naming the file; an accepted scenario has a name, users,
 * referrals each with a model answer, and every referral section turns
 * into a referral_input with the fields the hub requires. */
#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700       /* mkstemp */
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mashdesk/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The codes of a fresh hub's lookup tables, enough to exercise both the
 * acceptance and the refusal of codes. */
static int fuzz_code(void *arg, const char *table, const char *code,
		     char *allowed, unsigned len)
{
	static const char *const known[] = {
		"police", "csc", "health", "education", "practitioner",
		"supervisor", "trainer", "admin", "red", "amber", "green",
		"neglect", "physical", "school", "gp", "nfa", "advice", "s17",
		"s47", "public-task", "safeguarding", "shareable", "restricted",
		"given", "refused", "not-sought", NULL
	};
	(void)arg;
	(void)table;
	for (int i = 0; known[i]; i++)
		if (!strcmp(known[i], code))
			return 1;
	if (len > 0) {
		strncpy(allowed, "police csc", len - 1);
		allowed[len - 1] = '\0';
	}
	return 0;
}

static int fuzz_write(const char *path, int fd, const uint8_t *data, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, data, size);

		if (n <= 0) {
			close(fd);
			unlink(path);
			return -1;
		}
		data += n;
		size -= (size_t)n;
	}
	if (close(fd) != 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

static void fuzz_check_refusal(int rc, const struct md_error *err,
			       const char *path)
{
	if (rc != EX_DATAERR && rc != EX_OSERR && rc != EX_NOINPUT)
		abort();
	if (err->code != rc || !err->msg[0] || strchr(err->msg, '\n'))
		abort();
	if (rc == EX_DATAERR && strncmp(err->msg, path, strlen(path)) != 0)
		abort();
}

static void fuzz_check_scenario(const struct scenario *s, const char *path)
{
	struct md_error err = { 0 };
	struct referral_input in;
	struct person_input people[MD_MAX_PEOPLE];

	if (!s->name || !*s->name || !s->description)
		abort();
	if (s->nitems[SCEN_USER] < 1 || s->nitems[SCEN_REFERRAL] < 1)
		abort();
	for (int i = 0; i < s->nitems[SCEN_REFERRAL]; i++) {
		const struct scen_item *r = &s->items[SCEN_REFERRAL][i];
		if (r->offset < 0 || r->offset > SCEN_MAX_SECONDS)
			abort();
		if (!scenario_find(s, SCEN_EXPECT, r->id))
			abort();
		if (scenario_referral_input(path, r, &in, people, &err) != 0)
			abort();
		if (!in.child_name || !in.dob || !in.concern)
			abort();
	}
	for (int k = SCEN_KNOWS; k <= SCEN_EXPECT; k++)
		for (int i = 0; i < s->nitems[k]; i++)
			if (!scenario_find(s, SCEN_REFERRAL, s->items[k][i].id))
				abort();
	int rc = scenario_check_codes(s, fuzz_code, NULL, &err);
	if (rc != 0)
		fuzz_check_refusal(rc, &err, path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_scenario-XXXXXX";
	struct scenario *s = NULL;
	struct md_error err = { 0 };
	int fd = mkstemp(path);

	if (fd < 0 || fuzz_write(path, fd, data, size) != 0)
		return 0;
	int rc = scenario_load(path, &s, &err);
	if (rc == 0) {
		if (!s)
			abort();
		fuzz_check_scenario(s, path);
		scenario_free(s);
	} else {
		if (s)
			abort();
		fuzz_check_refusal(rc, &err, path);
	}
	unlink(path);
	return 0;
}
