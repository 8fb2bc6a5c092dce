-- 0001_schema.sql - the hub's records.
--
-- Integrity lives here as well as in C: every code is a foreign key into a
-- lookup table, every required field is NOT NULL, every range is a CHECK.
-- Times are unix seconds (UTC) in INTEGER columns: cheap to compare and
-- index at a million referrals; the front ends print ISO 8601.

-- The hub itself: exactly one row.
CREATE TABLE hub (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	mode        TEXT    NOT NULL CHECK (mode IN ('live', 'training')),
	created_at  INTEGER NOT NULL
);

-- ---- lookup tables (rows in 0002_codes.sql) ------------------------------
CREATE TABLE agency (
	code   TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND length(code) <= 31),
	name   TEXT NOT NULL,
	sort   INTEGER NOT NULL UNIQUE,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE TABLE role (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL
);
CREATE TABLE rag (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL UNIQUE
);
CREATE TABLE need_level (
	level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
	name  TEXT NOT NULL
);
-- Type of harm; cin_code is the children-in-need return's primary need.
CREATE TABLE category (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL,
	cin_code TEXT NOT NULL
);
-- Source of referral, with the children-in-need return's code.
CREATE TABLE source (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL,
	cin_code TEXT NOT NULL
);
CREATE TABLE outcome (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL
);
CREATE TABLE lawful_basis (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL,
	explanation TEXT NOT NULL
);
CREATE TABLE handling_code (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL,
	explanation TEXT NOT NULL,
	leaves_hub INTEGER NOT NULL CHECK (leaves_hub IN (0, 1))
);
CREATE TABLE consent_position (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL
);
CREATE TABLE check_status (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL,
	done INTEGER NOT NULL CHECK (done IN (0, 1))
);
CREATE TABLE referral_status (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL,
	open INTEGER NOT NULL CHECK (open IN (0, 1))
);

-- ---- people who use the desk ---------------------------------------------
CREATE TABLE app_user (
	login      TEXT PRIMARY KEY
	           CHECK (length(login) BETWEEN 1 AND 63
	                  AND login NOT GLOB '*[^A-Za-z0-9._-]*'),
	name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	agency     TEXT REFERENCES agency(code),
	role       TEXT NOT NULL REFERENCES role(code),
	active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	-- Practitioners and supervisors work for an agency; an admin or a
	-- trainer may stand outside them.
	CHECK (agency IS NOT NULL OR role IN ('admin', 'trainer'))
);

-- ---- referrals -------------------------------------------------------------
CREATE TABLE referral (
	id               INTEGER PRIMARY KEY,
	ref              TEXT NOT NULL UNIQUE,
	-- the child
	child_name       TEXT NOT NULL CHECK (length(child_name) BETWEEN 1 AND 200),
	name_key         TEXT NOT NULL,          -- normalised, for matching
	dob              TEXT NOT NULL CHECK (date(dob) IS dob),
	dob_estimated    INTEGER NOT NULL DEFAULT 0 CHECK (dob_estimated IN (0, 1)),
	gender           TEXT,
	ethnicity        TEXT,
	language         TEXT,
	interpreter      INTEGER NOT NULL DEFAULT 0 CHECK (interpreter IN (0, 1)),
	disability       TEXT,
	address          TEXT,
	address_key      TEXT,                   -- normalised, for matching
	previous_address TEXT,
	school           TEXT,
	gp               TEXT,
	nhs_number       TEXT CHECK (nhs_number IS NULL OR nhs_number GLOB
	                 '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
	upn              TEXT,
	allocated_worker TEXT,
	-- who referred
	referrer         TEXT,
	referrer_role    TEXT,
	referrer_agency  TEXT,
	referrer_contact TEXT,
	source           TEXT REFERENCES source(code),
	-- the worry
	concern          TEXT NOT NULL CHECK (length(concern) >= 1),
	impact           TEXT,
	tried            TEXT,
	strengths        TEXT,
	category         TEXT REFERENCES category(code),
	-- consent
	parents_aware    INTEGER CHECK (parents_aware IN (0, 1)),
	consent          TEXT REFERENCES consent_position(code),
	consent_reason   TEXT,
	-- the hub's view and progress
	rag              TEXT REFERENCES rag(code),
	level            INTEGER REFERENCES need_level(level),
	status           TEXT NOT NULL DEFAULT 'new' REFERENCES referral_status(code),
	assigned_to      TEXT REFERENCES app_user(login),
	repeat_of        INTEGER REFERENCES referral(id),
	received_at      INTEGER NOT NULL,
	due_at           INTEGER NOT NULL CHECK (due_at >= received_at),
	decided_at       INTEGER CHECK (decided_at IS NULL OR decided_at >= received_at),
	created_by       TEXT REFERENCES app_user(login),
	version          INTEGER NOT NULL DEFAULT 1,
	updated_at       INTEGER NOT NULL,
	CHECK ((decided_at IS NULL) = (status NOT IN ('decided', 'closed', 'signoff')))
);
CREATE INDEX referral_match_child ON referral(name_key, dob);
CREATE INDEX referral_match_address ON referral(address_key) WHERE address_key IS NOT NULL;
CREATE INDEX referral_assigned ON referral(assigned_to, status);
CREATE INDEX referral_received ON referral(received_at);

CREATE TABLE referral_alias (
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	alias       TEXT NOT NULL CHECK (length(alias) BETWEEN 1 AND 200),
	PRIMARY KEY (referral_id, alias)
) WITHOUT ROWID;

-- Household members and significant adults, the alleged perpetrator included.
CREATE TABLE person (
	id                      INTEGER PRIMARY KEY,
	referral_id             INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	name                    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	relationship            TEXT NOT NULL,
	dob                     TEXT CHECK (dob IS NULL OR date(dob) IS dob),
	parental_responsibility INTEGER NOT NULL DEFAULT 0 CHECK (parental_responsibility IN (0, 1)),
	alleged_perpetrator     INTEGER NOT NULL DEFAULT 0 CHECK (alleged_perpetrator IN (0, 1)),
	household               INTEGER NOT NULL DEFAULT 1 CHECK (household IN (0, 1))
);
CREATE INDEX person_referral ON person(referral_id);

-- Each agency's check on a referral: what it knows, and the record of the
-- decision to share it (golden rule 7).
CREATE TABLE agency_check (
	referral_id     INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	agency          TEXT NOT NULL REFERENCES agency(code),
	status          TEXT NOT NULL REFERENCES check_status(code),
	info            TEXT,
	lawful_basis    TEXT REFERENCES lawful_basis(code),
	consent         TEXT REFERENCES consent_position(code),
	consent_reason  TEXT,
	override_by     TEXT REFERENCES app_user(login),
	override_reason TEXT,
	handling        TEXT NOT NULL DEFAULT 'shareable' REFERENCES handling_code(code),
	requested_at    INTEGER NOT NULL,
	due_at          INTEGER NOT NULL,
	completed_at    INTEGER,
	updated_by      TEXT NOT NULL REFERENCES app_user(login),
	updated_at      INTEGER NOT NULL,
	version         INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (referral_id, agency),
	-- shared information always carries its lawful basis
	CHECK (info IS NULL OR status NOT IN ('complete') OR lawful_basis IS NOT NULL),
	CHECK ((completed_at IS NULL) = (status IN ('requested', 'in-progress'))),
	CHECK (consent IS NOT 'refused' OR consent_reason IS NOT NULL),
	CHECK ((override_by IS NULL) = (override_reason IS NULL))
) WITHOUT ROWID;

-- The joint decision.
CREATE TABLE decision (
	referral_id INTEGER PRIMARY KEY REFERENCES referral(id) ON DELETE CASCADE,
	outcome     TEXT NOT NULL REFERENCES outcome(code),
	rationale   TEXT NOT NULL CHECK (length(rationale) >= 1),
	rag         TEXT REFERENCES rag(code),
	level       INTEGER REFERENCES need_level(level),
	feedback    TEXT,
	decided_by  TEXT REFERENCES app_user(login),
	decided_at  INTEGER NOT NULL
);
CREATE INDEX decision_outcome ON decision(outcome, decided_at);

CREATE TABLE decision_agency (
	referral_id INTEGER NOT NULL REFERENCES decision(referral_id) ON DELETE CASCADE,
	agency      TEXT NOT NULL REFERENCES agency(code),
	PRIMARY KEY (referral_id, agency)
) WITHOUT ROWID;

CREATE TABLE decision_action (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES decision(referral_id) ON DELETE CASCADE,
	what        TEXT NOT NULL CHECK (length(what) >= 1),
	owner       TEXT NOT NULL CHECK (length(owner) >= 1),
	due_date    TEXT NOT NULL CHECK (date(due_date) IS due_date),
	done_at     INTEGER
);
CREATE INDEX decision_action_referral ON decision_action(referral_id);

-- Assignments over time (who held a referral, who moved it, and why).
CREATE TABLE assignment (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	login       TEXT NOT NULL REFERENCES app_user(login),
	by_login    TEXT NOT NULL REFERENCES app_user(login),
	reason      TEXT,
	at          INTEGER NOT NULL
);
CREATE INDEX assignment_referral ON assignment(referral_id);
