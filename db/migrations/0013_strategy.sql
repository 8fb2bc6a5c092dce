-- 0013_strategy.sql - strategy discussions: where a child may be suffering
-- significant harm (a referral rated red, or decided s47 or
-- immediate-protection), police, children's social care and health
-- discuss it within [timescales] strategy_hours and decide on a section
-- 47 enquiry.  Several per referral (a discussion may reconvene).
--
-- When one is due is kept on the referral: strategy_from is the moment the
-- threshold was first met (set once, in the transaction of the rating or
-- decision that meets it, never later); strategy_due_at is when the next
-- discussion is due, NULL when none is (none held since the threshold and
-- none reconvening).  Referrals already on a hub get neither: a hub that
-- upgrades has held its discussions elsewhere until now, and marking
-- every red referral it ever had as late would bury the live ones.  From
-- the upgrade on, a referral rated red or decided s47/immediate-protection
-- starts the clock.
ALTER TABLE referral ADD COLUMN strategy_from INTEGER;
ALTER TABLE referral ADD COLUMN strategy_due_at INTEGER;
CREATE INDEX referral_strategy_due ON referral(strategy_due_at)
	WHERE strategy_due_at IS NOT NULL;

CREATE TABLE strategy (
	id             INTEGER PRIMARY KEY,
	referral_id    INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	held_at        INTEGER NOT NULL,
	how            TEXT NOT NULL CHECK (how IN ('meeting', 'call', 'video')),
	summary        TEXT NOT NULL CHECK (length(summary) >= 1),  -- shared
	decision       TEXT NOT NULL
	               CHECK (decision IN ('s47-single', 's47-joint', 'no-s47')),
	instead        TEXT,            -- with no-s47: what happens instead
	reconvene      INTEGER NOT NULL DEFAULT 0 CHECK (reconvene IN (0, 1)),
	missing_reason TEXT,            -- why a required agency took no part
	recorded_by    TEXT NOT NULL REFERENCES app_user(login),
	recorded_at    INTEGER NOT NULL,
	CHECK (decision <> 'no-s47' OR length(instead) >= 1)
);
CREATE INDEX strategy_referral ON strategy(referral_id, held_at);

-- Who took part, by agency: a login of the hub, or a name in words for
-- someone without one.
CREATE TABLE strategy_attendee (
	id          INTEGER PRIMARY KEY,
	strategy_id INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
	agency      TEXT NOT NULL REFERENCES agency(code),
	login       TEXT REFERENCES app_user(login),
	name        TEXT,
	CHECK ((login IS NULL) <> (name IS NULL))
);
CREATE INDEX strategy_attendee_strategy ON strategy_attendee(strategy_id);

CREATE TABLE strategy_action (
	id          INTEGER PRIMARY KEY,
	strategy_id INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
	what        TEXT NOT NULL CHECK (length(what) >= 1),
	owner       TEXT NOT NULL CHECK (length(owner) >= 1),
	due_date    TEXT NOT NULL
);
CREATE INDEX strategy_action_strategy ON strategy_action(strategy_id);

-- Desks refresh: a discussion recorded (its attendees and actions go in
-- the same transaction); the referral's own columns are covered by
-- change_referral_au.
CREATE TRIGGER change_strategy_ai AFTER INSERT ON strategy
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;
CREATE TRIGGER change_strategy_au AFTER UPDATE ON strategy
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;
CREATE TRIGGER change_strategy_ad AFTER DELETE ON strategy
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), old.referral_id, 'referral');
END;
