-- 0001_schema.sql - the hub's records (PostgreSQL twin of
-- db/migrations/0001_schema.sql; how the dialects are mapped: README.md
-- in this directory).
--
-- Integrity lives here as well as in C: every code is a foreign key into a
-- lookup table, every required field is NOT NULL, every range is a CHECK.
-- Times are unix seconds (UTC) in bigint columns, as on SQLite.

-- ---- functions the schema and the data layer rely on ----------------------

-- md_now(): the unix time in whole seconds, as SQLite's
-- CAST(strftime('%s', 'now') AS INTEGER) (truncated, not rounded).  It is
-- the transaction's start (now()), where SQLite takes the statement's.
CREATE FUNCTION md_now() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT floor(extract(epoch FROM now()))::bigint $$;

-- Date arithmetic the data layer's queries use on both engines (SQLite's
-- strftime modifiers have no PostgreSQL twin; src/hub_db.c registers the
-- same functions on every SQLite connection, in C):
-- md_add_months(t, n): the unix time n calendar months after t (UTC), a
-- day past the month's end running on into the next month, as SQLite's
-- '+N months' does (31 January + 1 month = 3 March, or 2 in a leap year).
CREATE FUNCTION md_add_months(t bigint, n bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
	SELECT floor(extract(epoch FROM
		make_timestamp(floor(mon / 12)::int, (mon - floor(mon / 12) * 12)::int + 1,
			       1, 0, 0, 0)
		+ (extract(day FROM ts)::int - 1) * interval '1 day'
		+ (ts - date_trunc('day', ts))))::bigint
	FROM (SELECT ts, extract(year FROM ts) * 12 + extract(month FROM ts) - 1 + n AS mon
	      FROM (SELECT to_timestamp(t) AT TIME ZONE 'UTC' AS ts) a) b
$$;

-- md_date(t): the UTC date of unix time t, YYYY-MM-DD.
CREATE FUNCTION md_date(t bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD') $$;

-- SQLite's built-ins that the queries use, given to PostgreSQL under the
-- same names and meanings, so that one text of each query serves both:
-- quote(x) (the audit seal's column format: NULL, digits, or text in
-- single quotes with quotes doubled), max(a, b) and min(a, b) of two
-- values (NULL when either is), group_concat(x[, separator]) (',' by
-- default), sum() of a condition.
CREATE FUNCTION quote(v anyelement) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT CASE WHEN v IS NULL THEN 'NULL'
	WHEN pg_typeof(v) IN ('bigint'::regtype, 'integer'::regtype,
			      'smallint'::regtype) THEN v::text
	ELSE '''' || replace(v::text, '''', '''''') || '''' END
$$;
CREATE FUNCTION max(a bigint, b bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END $$;
CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END $$;
CREATE FUNCTION md_concat_step(acc text, v text, sep text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v
		  ELSE acc || sep || v END $$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = md_concat_step, STYPE = text);
CREATE FUNCTION md_concat_step(acc text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT md_concat_step(acc, v, ',') $$;
CREATE AGGREGATE group_concat(text) (SFUNC = md_concat_step, STYPE = text);
-- sum(condition): how many rows it holds for, as SQLite, whose conditions
-- are the integers 1 and 0 (NULL over no rows, or only NULLs).
CREATE FUNCTION md_sum_step(acc bigint, v boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN v IS NULL THEN acc ELSE coalesce(acc, 0) + v::int END $$;
CREATE AGGREGATE sum(boolean) (SFUNC = md_sum_step, STYPE = bigint);

-- md_is_date(text): whether the text is a real calendar date written
-- YYYY-MM-DD, for SQLite's `date(x) IS x`.  It is the data layer's own
-- rule (clock_valid_date, src/clock.c: year 0001 on, the day within its
-- month), stricter than SQLite's CHECK, whose date() lets 2015-02-29,
-- 2015-04-31 and year 0000 through unchanged; the C code refuses those
-- before SQL on either engine.  No exception handler (it would cost a
-- subtransaction per row): the day is compared with the month's length.
CREATE FUNCTION md_is_date(s text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
	SELECT CASE
	WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
	     AND substr(s, 1, 4) <> '0000'
	THEN substr(s, 9, 2)::int <= extract(day FROM
		make_date(substr(s, 1, 4)::int, substr(s, 6, 2)::int, 1)
		+ interval '1 month' - interval '1 day')
	ELSE false END
$$;

-- md_epoch(d): the unix time of date d's UTC midnight (d YYYY-MM-DD; NULL
-- for anything else), as SQLite's strftime('%s', d).
CREATE FUNCTION md_epoch(d text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT CASE WHEN md_is_date(d) THEN extract(epoch FROM d::date::timestamp)::bigint END $$;

-- md_normalise(text): text_normalise of src/text.c in SQL, the function
-- the C code registers on every SQLite connection (src/hub_db.c), so a
-- migration or a query keys names the same way (name_key, alias_key).
-- Built here from the same tables as the C code: A-Z lower-cased; Latin-1,
-- Latin Extended-A, the Vietnamese letters, ơ ư ș ț folded to their base
-- letter (æ ae, þ th, ß ss, ĳ ij, œ oe); ASCII punctuation and controls,
-- the Latin-1 signs, combining marks, U+2000-U+206F, U+FEFF and U+FFFD
-- dropped; every space (tab to CR, no-break, the U+2000 widths, line and
-- paragraph separators, U+202F, U+205F, U+3000) a word break; runs of
-- breaks collapsed and none leading or trailing; any other character
-- (another script) kept as written, not lower-cased.  The one difference:
-- the C function stops at its 1023-byte buffer, this one does not.
DO $md$
DECLARE
	latin1_base text := 'aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y';
	latin_a_base text := 'aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk'
		|| 'llllllllllnnnnnnnnnoooooo**rrrrrrsssssssstttttt'
		|| 'uuuuuuuuuuuuwwyyyzzzzzzs';
	viet_base text := 'aaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy';
	src text := '';      -- characters translated ...
	dst text := '';      -- ... to these
	gone text := '';     -- characters dropped (after src in translate)
	b text;
	cp int;
BEGIN
	FOR cp IN 65..90 LOOP                            -- A-Z
		src := src || chr(cp);
		dst := dst || chr(cp + 32);
	END LOOP;
	FOR cp IN 9..13 LOOP                             -- tab .. CR: a break
		src := src || chr(cp);
		dst := dst || ' ';
	END LOOP;
	FOREACH cp IN ARRAY ARRAY[160, 8192, 8193, 8194, 8195, 8196, 8197,
	                          8198, 8199, 8200, 8201, 8202, 8232, 8233,
	                          8239, 8287, 12288] LOOP
		src := src || chr(cp);                   -- other spaces
		dst := dst || ' ';
	END LOOP;
	FOR cp IN 192..255 LOOP                          -- Latin-1 letters
		b := substr(latin1_base, cp - 191, 1);
		IF b <> '*' THEN
			src := src || chr(cp);
			dst := dst || b;
		END IF;
	END LOOP;
	FOR cp IN 256..383 LOOP                          -- Latin Extended-A
		b := substr(latin_a_base, cp - 255, 1);
		IF b <> '*' THEN
			src := src || chr(cp);
			dst := dst || b;
		END IF;
	END LOOP;
	FOR cp IN 7840..7929 LOOP                        -- U+1EA0-U+1EF9
		src := src || chr(cp);
		dst := dst || substr(viet_base, (cp - 7840) / 2 + 1, 1);
	END LOOP;
	src := src || chr(416) || chr(417) || chr(431) || chr(432)
		|| chr(536) || chr(537) || chr(538) || chr(539);
	dst := dst || 'oouusstt';
	-- Dropped: ASCII other than letters, digits and spaces ...
	FOR cp IN 1..127 LOOP
		IF NOT (cp BETWEEN 48 AND 57 OR cp BETWEEN 65 AND 90
		        OR cp BETWEEN 97 AND 122 OR cp BETWEEN 9 AND 13
		        OR cp = 32) THEN
			gone := gone || chr(cp);
		END IF;
	END LOOP;
	-- ... C1 and the Latin-1 signs, x and the division sign ...
	FOR cp IN 128..191 LOOP
		IF cp <> 160 THEN
			gone := gone || chr(cp);
		END IF;
	END LOOP;
	gone := gone || chr(215) || chr(247);
	-- ... combining marks, general punctuation, BOM, replacement char.
	FOR cp IN 768..879 LOOP
		gone := gone || chr(cp);
	END LOOP;
	FOR cp IN 8192..8303 LOOP
		IF NOT (cp BETWEEN 8192 AND 8202 OR cp IN (8232, 8233, 8239, 8287)) THEN
			gone := gone || chr(cp);
		END IF;
	END LOOP;
	gone := gone || chr(65279) || chr(65533);

	EXECUTE format($f$
		CREATE FUNCTION md_normalise(s text) RETURNS text
		LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
		AS $body$
			SELECT btrim(regexp_replace(translate(
				replace(replace(replace(replace(replace(
				replace(replace(replace(replace(s,
					chr(198), 'ae'), chr(230), 'ae'),
					chr(222), 'th'), chr(254), 'th'),
					chr(223), 'ss'),
					chr(306), 'ij'), chr(307), 'ij'),
					chr(338), 'oe'), chr(339), 'oe'),
				%L, %L), ' {2,}', ' ', 'g'), ' ')
		$body$$f$, src || gone, dst);
END
$md$;

-- ---- the hub itself: exactly one row ---------------------------------------
CREATE TABLE hub (
	id          bigint  PRIMARY KEY CHECK (id = 1),
	name        text    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	mode        text    NOT NULL CHECK (mode IN ('live', 'training')),
	created_at  bigint  NOT NULL
);

-- ---- lookup tables (rows in 0002_codes.sql) ------------------------------
CREATE TABLE agency (
	code   text PRIMARY KEY CHECK (code ~ '^[a-z]' AND length(code) <= 31),
	name   text NOT NULL,
	sort   bigint NOT NULL UNIQUE,
	active bigint NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE TABLE role (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL
);
CREATE TABLE rag (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL UNIQUE
);
CREATE TABLE need_level (
	level bigint PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
	name  text NOT NULL
);
CREATE TABLE category (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL,
	cin_code text NOT NULL
);
CREATE TABLE source (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL,
	cin_code text NOT NULL
);
CREATE TABLE outcome (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL
);
CREATE TABLE lawful_basis (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL,
	explanation text NOT NULL
);
CREATE TABLE handling_code (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL,
	explanation text NOT NULL,
	leaves_hub bigint NOT NULL CHECK (leaves_hub IN (0, 1))
);
CREATE TABLE consent_position (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL
);
CREATE TABLE check_status (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL,
	done bigint NOT NULL CHECK (done IN (0, 1))
);
CREATE TABLE referral_status (
	code text PRIMARY KEY, name text NOT NULL, sort bigint NOT NULL,
	open bigint NOT NULL CHECK (open IN (0, 1))
);

-- ---- people who use the desk ---------------------------------------------
CREATE TABLE app_user (
	login      text PRIMARY KEY
	           CHECK (length(login) BETWEEN 1 AND 63
	                  AND login !~ '[^A-Za-z0-9._-]'),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	agency     text REFERENCES agency(code),
	role       text NOT NULL REFERENCES role(code),
	active     bigint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at bigint NOT NULL,
	CHECK (agency IS NOT NULL OR role IN ('admin', 'trainer'))
);

-- ---- referrals -------------------------------------------------------------
CREATE TABLE referral (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	ref              text NOT NULL UNIQUE,
	child_name       text NOT NULL CHECK (length(child_name) BETWEEN 1 AND 200),
	name_key         text NOT NULL,
	dob              text NOT NULL CHECK (md_is_date(dob)),
	dob_estimated    bigint NOT NULL DEFAULT 0 CHECK (dob_estimated IN (0, 1)),
	gender           text,
	ethnicity        text,
	language         text,
	interpreter      bigint NOT NULL DEFAULT 0 CHECK (interpreter IN (0, 1)),
	disability       text,
	address          text,
	address_key      text,
	previous_address text,
	school           text,
	gp               text,
	nhs_number       text CHECK (nhs_number IS NULL OR nhs_number ~ '^[0-9]{10}$'),
	upn              text,
	allocated_worker text,
	referrer         text,
	referrer_role    text,
	referrer_agency  text,
	referrer_contact text,
	source           text REFERENCES source(code),
	concern          text NOT NULL CHECK (length(concern) >= 1),
	impact           text,
	tried            text,
	strengths        text,
	category         text REFERENCES category(code),
	parents_aware    bigint CHECK (parents_aware IN (0, 1)),
	consent          text REFERENCES consent_position(code),
	consent_reason   text,
	rag              text REFERENCES rag(code),
	level            bigint REFERENCES need_level(level),
	status           text NOT NULL DEFAULT 'new' REFERENCES referral_status(code),
	assigned_to      text REFERENCES app_user(login),
	repeat_of        bigint REFERENCES referral(id),
	received_at      bigint NOT NULL,
	due_at           bigint NOT NULL CHECK (due_at >= received_at),
	decided_at       bigint CHECK (decided_at IS NULL OR decided_at >= received_at),
	created_by       text REFERENCES app_user(login),
	version          bigint NOT NULL DEFAULT 1,
	updated_at       bigint NOT NULL,
	CHECK ((decided_at IS NULL) = (status NOT IN ('decided', 'closed', 'signoff')))
);
CREATE INDEX referral_match_child ON referral(name_key, dob);
CREATE INDEX referral_match_address ON referral(address_key) WHERE address_key IS NOT NULL;
CREATE INDEX referral_assigned ON referral(assigned_to, status);
CREATE INDEX referral_received ON referral(received_at);

CREATE TABLE referral_alias (
	referral_id bigint NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	alias       text NOT NULL CHECK (length(alias) BETWEEN 1 AND 200),
	PRIMARY KEY (referral_id, alias)
);

CREATE TABLE person (
	id                      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	referral_id             bigint NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	relationship            text NOT NULL,
	dob                     text CHECK (dob IS NULL OR md_is_date(dob)),
	parental_responsibility bigint NOT NULL DEFAULT 0 CHECK (parental_responsibility IN (0, 1)),
	alleged_perpetrator     bigint NOT NULL DEFAULT 0 CHECK (alleged_perpetrator IN (0, 1)),
	household               bigint NOT NULL DEFAULT 1 CHECK (household IN (0, 1))
);
CREATE INDEX person_referral ON person(referral_id);

CREATE TABLE agency_check (
	referral_id     bigint NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	agency          text NOT NULL REFERENCES agency(code),
	status          text NOT NULL REFERENCES check_status(code),
	info            text,
	lawful_basis    text REFERENCES lawful_basis(code),
	consent         text REFERENCES consent_position(code),
	consent_reason  text,
	override_by     text REFERENCES app_user(login),
	override_reason text,
	handling        text NOT NULL DEFAULT 'shareable' REFERENCES handling_code(code),
	requested_at    bigint NOT NULL,
	due_at          bigint NOT NULL,
	completed_at    bigint,
	updated_by      text NOT NULL REFERENCES app_user(login),
	updated_at      bigint NOT NULL,
	version         bigint NOT NULL DEFAULT 1,
	PRIMARY KEY (referral_id, agency),
	CHECK (info IS NULL OR status NOT IN ('complete') OR lawful_basis IS NOT NULL),
	CHECK ((completed_at IS NULL) = (status IN ('requested', 'in-progress'))),
	CHECK (consent IS DISTINCT FROM 'refused' OR consent_reason IS NOT NULL),
	CHECK ((override_by IS NULL) = (override_reason IS NULL))
);

CREATE TABLE decision (
	referral_id bigint PRIMARY KEY REFERENCES referral(id) ON DELETE CASCADE,
	outcome     text NOT NULL REFERENCES outcome(code),
	rationale   text NOT NULL CHECK (length(rationale) >= 1),
	rag         text REFERENCES rag(code),
	level       bigint REFERENCES need_level(level),
	feedback    text,
	decided_by  text REFERENCES app_user(login),
	decided_at  bigint NOT NULL
);
CREATE INDEX decision_outcome ON decision(outcome, decided_at);

CREATE TABLE decision_agency (
	referral_id bigint NOT NULL REFERENCES decision(referral_id) ON DELETE CASCADE,
	agency      text NOT NULL REFERENCES agency(code),
	PRIMARY KEY (referral_id, agency)
);

CREATE TABLE decision_action (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	referral_id bigint NOT NULL REFERENCES decision(referral_id) ON DELETE CASCADE,
	what        text NOT NULL CHECK (length(what) >= 1),
	owner       text NOT NULL CHECK (length(owner) >= 1),
	due_date    text NOT NULL CHECK (md_is_date(due_date)),
	done_at     bigint
);
CREATE INDEX decision_action_referral ON decision_action(referral_id);

CREATE TABLE assignment (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	referral_id bigint NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	login       text NOT NULL REFERENCES app_user(login),
	by_login    text NOT NULL REFERENCES app_user(login),
	reason      text,
	at          bigint NOT NULL
);
CREATE INDEX assignment_referral ON assignment(referral_id);
