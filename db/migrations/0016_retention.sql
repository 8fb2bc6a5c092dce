-- 0016_retention.sql - records that end: legal holds, and what retention
-- leaves behind when it removes a record.
--
-- The hub's [retention] policy (mashdesk.ini(5)) says how long each kind of
-- closed record is kept; `mashdesk retention run` removes those past it
-- (src/hub_retention.c), one referral per short transaction, its rows going
-- with it by the ON DELETE CASCADE of every table that refers to it.  A
-- supervisor's legal hold keeps a record whatever the policy says.

-- Legal holds, kept as history: a hold is live until lifted (lifted_at
-- set), and a referral has at most one live hold.  Lifting keeps the row
-- with who lifted it, when and why, so the referral shows its holds.  The
-- rows go with their referral (a held one is never removed by retention;
-- a training hub's scenario reset may remove one).
CREATE TABLE legal_hold (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
	by_login    TEXT NOT NULL REFERENCES app_user(login),
	at          INTEGER NOT NULL,
	lifted_by   TEXT REFERENCES app_user(login),
	lifted_at   INTEGER,
	lift_reason TEXT CHECK (lift_reason IS NULL OR length(lift_reason) BETWEEN 1 AND 2000),
	CHECK ((lifted_at IS NULL) = (lifted_by IS NULL)),
	CHECK ((lifted_at IS NULL) = (lift_reason IS NULL))
);
CREATE INDEX legal_hold_referral ON legal_hold(referral_id);
CREATE UNIQUE INDEX legal_hold_live ON legal_hold(referral_id)
	WHERE lifted_at IS NULL;

CREATE TRIGGER change_hold_ai AFTER INSERT ON legal_hold
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;
CREATE TRIGGER change_hold_au AFTER UPDATE ON legal_hold
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;

-- What is left of a removed referral: its number and reference, when and
-- under which rule it went.  No personal data.  Referral numbers are
-- max(id) + 1 (src/hub_referral.c), so without this a new referral could
-- take the number, the reference and the audit history of a removed one;
-- numbering counts these rows too.  The audit log holds the same as a
-- tombstone row; `show` of a removed reference says when it went.
CREATE TABLE referral_removed (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,
	removed_at INTEGER NOT NULL,
	rule       TEXT NOT NULL
);

-- Later referrals that repeat one: removing a referral clears their link,
-- and the foreign key's own check looks them up, without this a scan of
-- every referral inside the removal's write transaction.
CREATE INDEX referral_repeat_of ON referral(repeat_of) WHERE repeat_of IS NOT NULL;
