/* fuzz_config.c - libFuzzer target for the configuration loader.
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *       -Iinclude src/config.c src/error.c src/text.c \
 *       tests/fuzz/fuzz_config.c -liniparser -o fuzz_config
 *   mkdir -p corpus && cp etc/mashdesk.ini corpus/ && ./fuzz_config corpus
 *
 * iniparser 4.1 can only read a named file, so each input is written to a
 * fresh mkstemp() file in /tmp and removed again.  Beyond "no crash, no
 * leak" (the sanitizers' part), every outcome is checked against the
 * contract in config.h, and a breach aborts. */
#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700       /* mkstemp */
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mashdesk/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Refuses a flow-control key, as the desk's own check does, so that the
 * refusal path is fuzzed as well as the acceptance path. */
static int fuzz_check(const char *action, const char *spec, char *why,
		      size_t whylen)
{
	(void)action;
	if (strstr(spec, "^S") || strstr(spec, "^Q")) {
		strncpy(why, "flow control", whylen - 1);
		why[whylen - 1] = '\0';
		return 1;
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

static void fuzz_check_success(const struct config *cfg,
			       const struct md_error *err, const char *path)
{
	if (err->code != 0 || err->msg[0] != '\0' ||
	    strcmp(cfg->source, path) != 0)
		abort();
	if (cfg->hub_name[0] == '\0' || strlen(cfg->hub_name) > 100)
		abort();
	if (cfg->heartbeat_seconds >= cfg->lease_seconds ||
	    cfg->lease_seconds < 30 || cfg->lease_seconds > 86400 ||
	    cfg->heartbeat_seconds < 1 || cfg->busy_timeout_ms < 100 ||
	    cfg->refresh_ms < 50 || cfg->refresh_ms > 10000)
		abort();
	if (config_check_hours(cfg, "red") < 1 ||
	    config_check_hours(cfg, NULL) > 720)
		abort();
	if (cfg->nkeys < 0 || cfg->nkeys > CONFIG_MAX_KEYS)
		abort();
}

/* A failure leaves exactly the defaults and one line of message. */
static void fuzz_check_failure(int rc, const struct config *cfg,
			       const struct md_error *err)
{
	struct config def;

	if (rc != EX_CONFIG && rc != EX_OSERR)
		abort();
	if (err->code != rc || err->msg[0] == '\0' || strchr(err->msg, '\n'))
		abort();
	config_defaults(&def);
	if (memcmp(&def, cfg, sizeof def) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_config-XXXXXX";
	struct config cfg;
	struct md_error err;
	int fd = mkstemp(path);
	int rc;

	if (fd < 0 || fuzz_write(path, fd, data, size) != 0)
		return 0;
	/* Odd sizes run without a check function, even ones with. */
	rc = config_load_file(&cfg, path, size % 2 ? NULL : fuzz_check, &err);
	unlink(path);
	if (rc == 0)
		fuzz_check_success(&cfg, &err, path);
	else
		fuzz_check_failure(rc, &cfg, &err);
	return 0;
}
