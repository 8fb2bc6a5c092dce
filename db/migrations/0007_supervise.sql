-- 0006_supervise.sql - supervisors' work: who signed a decision off (the
-- two-person rule), decisions sent back for another look, and agencies
-- chased for late checks.

-- Who decided is decision.decided_by/decided_at; who signed it off, when
-- the two-person rule is on, is here.  A referral waits in status
-- 'signoff' until then (0001's CHECK keeps its decided_at set meanwhile).
ALTER TABLE decision ADD COLUMN signed_by TEXT REFERENCES app_user(login);
ALTER TABLE decision ADD COLUMN signed_at INTEGER
	CHECK ((signed_at IS NULL) = (signed_by IS NULL));

-- A decision sent back instead of signed off: the decision row goes (the
-- referral returns to status 'decision' for a new one), and what it was,
-- who sent it back and why are kept here and shown at the desk.
CREATE TABLE sendback (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	by_login    TEXT NOT NULL REFERENCES app_user(login),
	at          INTEGER NOT NULL,
	comment     TEXT NOT NULL CHECK (length(comment) BETWEEN 1 AND 100000),
	decided_by  TEXT REFERENCES app_user(login),
	decided_at  INTEGER NOT NULL,
	outcome     TEXT NOT NULL REFERENCES outcome(code)
);
CREATE INDEX sendback_referral ON sendback(referral_id, at);

-- A supervisor chasing an agency for its late (or pending) check.
CREATE TABLE chase (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	agency      TEXT NOT NULL REFERENCES agency(code),
	by_login    TEXT NOT NULL REFERENCES app_user(login),
	at          INTEGER NOT NULL,
	note        TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 2000)
);
CREATE INDEX chase_check ON chase(referral_id, agency, at);

-- The chase list and the board read checks still open, by agency.
CREATE INDEX agency_check_open ON agency_check(agency, due_at)
	WHERE completed_at IS NULL;

-- Other desks see a chase or a send-back as a change to the referral.
CREATE TRIGGER change_chase_ai AFTER INSERT ON chase
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'check');
END;
CREATE TRIGGER change_decision_au AFTER UPDATE ON decision
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'decision');
END;
