-- 0006_scenario.sql - practice scenarios on a training hub.
--
-- `mashdesk scenario load` stores the whole exercise in the hub, so that
-- `scenario run` (the clock), `scenario reset` and `scenario debrief` need
-- nothing but the hub: the referrals still to arrive with their offsets
-- and fields, what each agency's records show, the model answers, and the
-- clock's state.  A live hub can never hold a scenario (trigger below):
-- nothing copies data between live and training hubs.

-- The exercise: at most one per hub.  The clock: scenario time now is
-- elapsed + (now - started_at) * speed while a run is under way
-- (started_at set), else elapsed.  runner_* say which process plays it.
CREATE TABLE scenario (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description TEXT    NOT NULL DEFAULT '',
	source      TEXT    NOT NULL,              -- the file it was loaded from
	trainer     TEXT    REFERENCES app_user(login),
	duration    INTEGER NOT NULL CHECK (duration >= 0),
	loaded_at   INTEGER NOT NULL,
	elapsed     INTEGER NOT NULL DEFAULT 0 CHECK (elapsed >= 0),
	started_at  INTEGER,
	speed       REAL    NOT NULL DEFAULT 1 CHECK (speed >= 0),
	runner_host TEXT,
	runner_pid  INTEGER,
	CHECK ((started_at IS NULL) = (runner_pid IS NULL))
);

CREATE TRIGGER scenario_training_only BEFORE INSERT ON scenario
WHEN (SELECT mode FROM hub WHERE id = 1) IS NOT 'training' BEGIN
	SELECT RAISE(ABORT, 'a scenario can be loaded only into a training hub');
END;

-- Each [referral:ID] (offset = arrives, >= 0) and [history:ID] (history = 1,
-- already on the hub from the load).  referral_id is the hub's referral once
-- it arrived.
CREATE TABLE scenario_referral (
	key         TEXT    PRIMARY KEY,
	seq         INTEGER NOT NULL UNIQUE,        -- file order
	history     INTEGER NOT NULL CHECK (history IN (0, 1)),
	offset_s    INTEGER NOT NULL CHECK (offset_s >= 0),
	line        INTEGER NOT NULL DEFAULT 0,
	referral_id INTEGER UNIQUE REFERENCES referral(id) ON DELETE SET NULL,
	released_at INTEGER
);
CREATE INDEX scenario_referral_pending ON scenario_referral(offset_s)
	WHERE referral_id IS NULL;

-- The referral's fields as the file gave them (key = value), turned into a
-- referral when it arrives by the same code that checked them at load.
CREATE TABLE scenario_field (
	scenario_key TEXT NOT NULL REFERENCES scenario_referral(key) ON DELETE CASCADE,
	seq          INTEGER NOT NULL,
	field        TEXT NOT NULL,
	value        TEXT NOT NULL,
	PRIMARY KEY (scenario_key, field)
) WITHOUT ROWID;

-- What an agency's own records show about a referral: offered to that
-- agency's trainee when they record their check.
CREATE TABLE scenario_knows (
	scenario_key TEXT NOT NULL REFERENCES scenario_referral(key) ON DELETE CASCADE,
	agency       TEXT NOT NULL REFERENCES agency(code),
	status       TEXT NOT NULL DEFAULT 'complete'
	             CHECK (status IN ('complete', 'nothing-known')),
	info         TEXT,
	basis        TEXT REFERENCES lawful_basis(code),
	handling     TEXT REFERENCES handling_code(code),
	PRIMARY KEY (scenario_key, agency)
) WITHOUT ROWID;

-- The model answer.  within_s: the timescale a decision is measured
-- against (NULL: the hub's check timescale for the expected RAG).
CREATE TABLE scenario_expect (
	scenario_key TEXT PRIMARY KEY REFERENCES scenario_referral(key) ON DELETE CASCADE,
	rag          TEXT NOT NULL REFERENCES rag(code),
	level        INTEGER REFERENCES need_level(level),
	outcome      TEXT NOT NULL REFERENCES outcome(code),
	rationale    TEXT NOT NULL CHECK (length(rationale) >= 1),
	within_s     INTEGER CHECK (within_s IS NULL OR within_s > 0)
) WITHOUT ROWID;

-- Desks open on a training hub, for the trainer's screen: one row per desk
-- process, renewed by its idle tick and removed when it closes.  A row
-- whose process is gone or that was not renewed lately is not shown.
CREATE TABLE presence (
	login   TEXT    NOT NULL REFERENCES app_user(login) ON DELETE CASCADE,
	host    TEXT    NOT NULL,
	pid     INTEGER NOT NULL,
	tty     TEXT    NOT NULL DEFAULT '',
	since   INTEGER NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (host, pid)
) WITHOUT ROWID;
