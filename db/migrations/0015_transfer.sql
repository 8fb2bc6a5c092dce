-- 0015_transfer.sql - a child's case moving between hubs when the family
-- moves (`mashdesk transfer out` / `transfer in`, src/hub_transfer.c).
--
-- At the sending hub the referral closes as transferred: status 'closed'
-- and the three transferred_* columns (where to, why, when).  At the
-- receiving hub the bundle becomes a new contact whose transferred_from_*
-- columns name the sending hub and its reference; what the sending hub
-- knew arrives beside it as text, kept as it came (transfer_history).
-- All five columns are NULL for every referral that never moved, so its
-- sealed state (src/hub_seal.c) is what it was before this migration.
ALTER TABLE referral ADD COLUMN transferred_to TEXT
	CHECK (transferred_to IS NULL OR length(transferred_to) BETWEEN 1 AND 100);
ALTER TABLE referral ADD COLUMN transfer_reason TEXT;
ALTER TABLE referral ADD COLUMN transferred_at INTEGER;
ALTER TABLE referral ADD COLUMN transferred_from_hub TEXT
	CHECK (transferred_from_hub IS NULL
	       OR length(transferred_from_hub) BETWEEN 1 AND 100);
ALTER TABLE referral ADD COLUMN transferred_from_ref TEXT;

-- Every bundle taken in, keyed by its SHA-256, so the same bundle is
-- never taken in twice; (from_hub, from_ref) is unique too, since a
-- referral can be transferred out of its hub only once.
CREATE TABLE transfer_in (
	hash        TEXT PRIMARY KEY CHECK (length(hash) = 64),
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	from_hub    TEXT NOT NULL,
	from_ref    TEXT NOT NULL,
	at          INTEGER NOT NULL,
	by_login    TEXT NOT NULL REFERENCES app_user(login),
	UNIQUE (from_hub, from_ref)
);
CREATE INDEX transfer_in_referral ON transfer_in(referral_id);

-- The sending hub's record of the case as it arrived: a readable
-- rendering of every table of the bundle (its referral, household,
-- aliases, checks with restricted ones withheld, decision, actions,
-- ratings, ...), one line per row.  Read-only: kept as it came.
CREATE TABLE transfer_history (
	referral_id INTEGER PRIMARY KEY REFERENCES referral(id) ON DELETE CASCADE,
	from_hub    TEXT NOT NULL,
	from_ref    TEXT NOT NULL,
	body        TEXT NOT NULL CHECK (length(body) <= 4000000)
);
CREATE TRIGGER transfer_history_no_update BEFORE UPDATE ON transfer_history BEGIN
	SELECT RAISE(ABORT, 'a transferred history is kept as it came');
END;
CREATE TRIGGER change_transfer_history_ai AFTER INSERT ON transfer_history
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;
