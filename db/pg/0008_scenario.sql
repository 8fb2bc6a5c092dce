-- 0008_scenario.sql - practice scenarios on a training hub (PostgreSQL
-- twin of db/migrations/0008_scenario.sql).
CREATE TABLE scenario (
	id          bigint  PRIMARY KEY CHECK (id = 1),
	name        text    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description text    NOT NULL DEFAULT '',
	source      text    NOT NULL,
	trainer     text    REFERENCES app_user(login),
	duration    bigint  NOT NULL CHECK (duration >= 0),
	loaded_at   bigint  NOT NULL,
	elapsed     bigint  NOT NULL DEFAULT 0 CHECK (elapsed >= 0),
	started_at  bigint,
	speed       double precision NOT NULL DEFAULT 1 CHECK (speed >= 0),
	runner_host text,
	runner_pid  bigint,
	CHECK ((started_at IS NULL) = (runner_pid IS NULL))
);

CREATE FUNCTION md_scenario_training_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT mode FROM hub WHERE id = 1) IS DISTINCT FROM 'training' THEN
		RAISE EXCEPTION 'a scenario can be loaded only into a training hub'
			USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER scenario_training_only BEFORE INSERT ON scenario
	FOR EACH ROW EXECUTE FUNCTION md_scenario_training_only();

CREATE TABLE scenario_referral (
	key         text    PRIMARY KEY,
	seq         bigint  NOT NULL UNIQUE,
	history     bigint  NOT NULL CHECK (history IN (0, 1)),
	offset_s    bigint  NOT NULL CHECK (offset_s >= 0),
	line        bigint  NOT NULL DEFAULT 0,
	referral_id bigint  UNIQUE REFERENCES referral(id) ON DELETE SET NULL,
	released_at bigint
);
CREATE INDEX scenario_referral_pending ON scenario_referral(offset_s)
	WHERE referral_id IS NULL;

CREATE TABLE scenario_field (
	scenario_key text NOT NULL REFERENCES scenario_referral(key) ON DELETE CASCADE,
	seq          bigint NOT NULL,
	field        text NOT NULL,
	value        text NOT NULL,
	PRIMARY KEY (scenario_key, field)
);

CREATE TABLE scenario_knows (
	scenario_key text NOT NULL REFERENCES scenario_referral(key) ON DELETE CASCADE,
	agency       text NOT NULL REFERENCES agency(code),
	status       text NOT NULL DEFAULT 'complete'
	             CHECK (status IN ('complete', 'nothing-known')),
	info         text,
	basis        text REFERENCES lawful_basis(code),
	handling     text REFERENCES handling_code(code),
	PRIMARY KEY (scenario_key, agency)
);

CREATE TABLE scenario_expect (
	scenario_key text PRIMARY KEY REFERENCES scenario_referral(key) ON DELETE CASCADE,
	rag          text NOT NULL REFERENCES rag(code),
	level        bigint REFERENCES need_level(level),
	outcome      text NOT NULL REFERENCES outcome(code),
	rationale    text NOT NULL CHECK (length(rationale) >= 1),
	within_s     bigint CHECK (within_s IS NULL OR within_s > 0)
);

CREATE TABLE presence (
	login   text    NOT NULL REFERENCES app_user(login) ON DELETE CASCADE,
	host    text    NOT NULL,
	pid     bigint  NOT NULL,
	tty     text    NOT NULL DEFAULT '',
	since   bigint  NOT NULL,
	seen_at bigint  NOT NULL,
	PRIMARY KEY (host, pid)
);
