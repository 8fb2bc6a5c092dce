/* scenario.h - practice scenario files (mashdesk-scenario(5)).
 *
 * A scenario is an INI file read with iniparser: the exercise ([scenario]),
 * its users ([user:LOGIN]), the referrals that arrive while it runs
 * ([referral:ID], each with an arrival offset), earlier referrals already
 * on the hub when it starts ([history:ID]), what each agency's records show
 * ([knows:ID:AGENCY]) and the model answer ([expect:ID]).
 *
 * This module is pure: it reads and checks the file's shape (sections,
 * keys, offsets, dates, references between sections) and turns a referral
 * section into a struct referral_input.  Codes (agencies, categories...)
 * live in the hub's lookup tables, so scenario_check_codes() asks the
 * caller whether each one exists.  Every message names the file, the
 * section and the key. */
#ifndef MASHDESK_SCENARIO_H
#define MASHDESK_SCENARIO_H

#include "mashdesk/error.h"
#include "mashdesk/model.h"

#define SCEN_ID_MAX 64          /* a referral ID or login, incl. NUL */
#define SCEN_MAX_SECONDS (400LL * 86400)  /* offsets up to 400 days */

struct scen_field {
	char *key;              /* lower case, as iniparser keeps it */
	char *value;
};

/* One section of the file. */
struct scen_item {
	char section[160];      /* "referral:r1", as iniparser lower-cases it */
	char id[SCEN_ID_MAX];   /* the referral ID or login */
	char agency[MD_CODE_MAX];   /* [knows:ID:AGENCY] only */
	int line;               /* where the section starts in the file */
	long long offset;       /* referral: arrives; history: ago (seconds) */
	struct scen_field *fields;
	int nfields;
};

enum scen_kind { SCEN_USER, SCEN_REFERRAL, SCEN_HISTORY, SCEN_KNOWS,
		 SCEN_EXPECT, SCEN_NKINDS };

struct scenario {
	char path[4096];        /* as given: what messages name */
	char *name;             /* [scenario] name */
	char *description;      /* "" when not given */
	char trainer[SCEN_ID_MAX];  /* [scenario] trainer, "" when not given */
	long long duration;     /* seconds; default the last arrival */
	struct scen_item *items[SCEN_NKINDS];
	int nitems[SCEN_NKINDS];
};

/* Read and check path.  0, or EX_NOINPUT (cannot read) / EX_DATAERR
 * naming file, section and key; *out is NULL on failure. */
int scenario_load(const char *path, struct scenario **out, struct md_error *err);
void scenario_free(struct scenario *s);

/* The value of key in item, or NULL. */
const char *scenario_get(const struct scen_item *item, const char *key);

/* The item of kind with this id (and agency for knows), or NULL. */
const struct scen_item *scenario_find(const struct scenario *s,
				      enum scen_kind kind, const char *id);

/* "+15m", "1h30m", "0", "2d": seconds.  -1 for anything else (a sign
 * other than a leading +, a number without its unit, words). */
long long scenario_parse_offset(const char *s);
/* The other way: "1h30m", "0m". */
void scenario_format_offset(long long secs, char *buf, unsigned len);

/* Ask the caller whether each code the file uses exists: known(arg,
 * table, code) returns 1 when it does, and may write the allowed codes
 * into allowed.  table is a lookup table name as hub_list_codes takes. */
typedef int (*scenario_code_fn)(void *arg, const char *table,
				const char *code, char *allowed,
				unsigned allowed_len);
int scenario_check_codes(const struct scenario *s, scenario_code_fn known,
			 void *arg, struct md_error *err);

/* The referral (or history) section's fields as a referral_input (all
 * pointers borrowed from item; people into people[MD_MAX_PEOPLE]).
 * EX_DATAERR naming file, section and key for a field it cannot read. */
int scenario_referral_input(const char *path, const struct scen_item *item,
			    struct referral_input *in,
			    struct person_input people[MD_MAX_PEOPLE],
			    struct md_error *err);

/* Whether key is a referral field (the keys scenario_referral_input reads). */
int scenario_is_referral_key(const char *key);

/* "FILE: [section] key: " prefix used by every message, for callers that
 * add their own complaint (the data layer's validation). */
void scenario_where(char *buf, unsigned len, const char *path,
		    const struct scen_item *item, const char *key);

#endif
