-- 0014_feedback.sql - feedback to the referrer: what they were told, when
-- and how, and the two clocks that say when it is due.
--
-- Every record the hub takes in has an acknowledgement clock from its
-- receipt, and an outcome clock from its decision (a contact closed at
-- screening: from then, which is its decided_at).  How long each runs is
-- configuration ([timescales] feedback_acknowledgement_hours and
-- feedback_outcome_hours, counted by [clocks]), so only a clock's START is
-- stored: feedback_pending holds one row per clock still running, kept by
-- the triggers below whichever path wrote the referral, and the due time
-- is clock_due_at(since, hours) in C.  clock_due_at never goes backwards
-- as its start moves on, so "due before T" is "since before S" for an S
-- found in C, and the index below answers the queue filter and the
-- board's counts without reading a referral that owes nothing.
--
-- Records from before this migration and records taken in already decided
-- (imported history) have no clocks: nobody can still give their feedback
-- on time.  A bulk load (demo, generate) starts, in C, the acknowledgement
-- clocks of the records it leaves undecided (hub_bulk.c), and none for
-- its decided history.

CREATE TABLE feedback_kind (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL UNIQUE
);
INSERT INTO feedback_kind (code, name, sort) VALUES
	('acknowledgement', 'Acknowledgement', 1),
	('outcome',         'Outcome',         2);

CREATE TABLE feedback_method (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL UNIQUE
);
INSERT INTO feedback_method (code, name, sort) VALUES
	('phone',  'Phone',  1),
	('email',  'Email',  2),
	('letter', 'Letter', 3),
	('portal', 'Portal', 4);

-- What the referrer was told.  Kept as given: a correction is another row.
CREATE TABLE feedback (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL REFERENCES feedback_kind(code),
	method      TEXT NOT NULL REFERENCES feedback_method(code),
	text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
	at          INTEGER NOT NULL,
	by_login    TEXT NOT NULL REFERENCES app_user(login)
);
CREATE INDEX feedback_referral ON feedback(referral_id, kind, at);
CREATE TRIGGER feedback_no_update BEFORE UPDATE ON feedback BEGIN
	SELECT RAISE(ABORT, 'feedback is kept as it was given');
END;

-- The clocks still running: one per referral and kind.
CREATE TABLE feedback_pending (
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL REFERENCES feedback_kind(code),
	since       INTEGER NOT NULL,
	PRIMARY KEY (referral_id, kind)
) WITHOUT ROWID;
CREATE INDEX feedback_pending_since ON feedback_pending(kind, since);

CREATE TRIGGER feedback_clock_received AFTER INSERT ON referral
WHEN new.decided_at IS NULL AND (SELECT bulk_loading FROM hub WHERE id = 1) = 0
BEGIN
	INSERT INTO feedback_pending (referral_id, kind, since)
	VALUES (new.id, 'acknowledgement', new.received_at);
END;
-- Decided (or closed at screening): the outcome is owed, unless it was
-- given already (a decision sent back and made again).
CREATE TRIGGER feedback_clock_decided AFTER UPDATE OF decided_at ON referral
WHEN new.decided_at IS NOT NULL AND new.decided_at IS NOT old.decided_at
 AND (SELECT bulk_loading FROM hub WHERE id = 1) = 0
 AND NOT EXISTS (SELECT 1 FROM feedback WHERE referral_id = new.id
                 AND kind = 'outcome')
BEGIN
	INSERT OR REPLACE INTO feedback_pending (referral_id, kind, since)
	VALUES (new.id, 'outcome', new.decided_at);
END;
-- A decision sent back is no longer one to tell the referrer about.
CREATE TRIGGER feedback_clock_undecided AFTER UPDATE OF decided_at ON referral
WHEN new.decided_at IS NULL AND old.decided_at IS NOT NULL BEGIN
	DELETE FROM feedback_pending WHERE referral_id = new.id AND kind = 'outcome';
END;
CREATE TRIGGER feedback_given AFTER INSERT ON feedback BEGIN
	DELETE FROM feedback_pending
	WHERE referral_id = new.referral_id AND kind = new.kind;
END;
CREATE TRIGGER change_feedback_ai AFTER INSERT ON feedback
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;
