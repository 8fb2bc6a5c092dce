-- 0010_front_door.sql - the hub's front door: contacts, screening, ratings.
--
-- Everything taken in is a contact.  Screening decides what it becomes: a
-- referral, with the agencies asked for their checks, or closed at
-- screening with an outcome and a reason.  The table keeps its name (the
-- command line and a million rows already call it referral); the stage
-- column says which a row is.  Every record a hub holds from before this
-- migration is a referral.
CREATE TABLE screening_outcome (
	code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL UNIQUE
);
INSERT INTO screening_outcome (code, name, sort) VALUES
	('nfa',        'No further action',                       1),
	('advice',     'Advice, information or signposting',      2),
	('early-help', 'Early help',                              3),
	('allocated',  'Passed to the allocated social worker',   4);

ALTER TABLE referral ADD COLUMN stage TEXT NOT NULL DEFAULT 'referral'
	CHECK (stage IN ('contact', 'referral'));
-- Who screened it and when: progressed (a referral) or closed (a contact,
-- status 'closed', decided_at = screened_at, with the outcome and reason).
-- Records from before the front door were never screened: NULL.
ALTER TABLE referral ADD COLUMN screened_at INTEGER;
ALTER TABLE referral ADD COLUMN screened_by TEXT REFERENCES app_user(login);
ALTER TABLE referral ADD COLUMN screening_outcome TEXT
	REFERENCES screening_outcome(code)
	CHECK (screening_outcome IS NULL OR (stage = 'contact' AND status = 'closed'));
ALTER TABLE referral ADD COLUMN screening_reason TEXT;

-- Every RAG rating: who, when, from what, to what and why.  Ratings are kept
-- as made; they go only with their referral.
CREATE TABLE rating (
	id          INTEGER PRIMARY KEY,
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	at          INTEGER NOT NULL,
	by_login    TEXT NOT NULL REFERENCES app_user(login),
	from_rag    TEXT REFERENCES rag(code),          -- NULL: not rated before
	to_rag      TEXT NOT NULL REFERENCES rag(code),
	reason      TEXT NOT NULL CHECK (length(reason) >= 1)
);
CREATE INDEX rating_referral ON rating(referral_id);
CREATE TRIGGER rating_no_update BEFORE UPDATE ON rating BEGIN
	SELECT RAISE(ABORT, 'a rating is kept as it was made');
END;
CREATE TRIGGER change_rating_ai AFTER INSERT ON rating
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'referral');
END;

-- Who asked an agency for its check, and why (screening, or a request
-- later).  A check recorded without being asked has neither.
ALTER TABLE agency_check ADD COLUMN requested_by TEXT REFERENCES app_user(login);
ALTER TABLE agency_check ADD COLUMN request_reason TEXT;

-- An agency's own open checks, late first ("Our checks"), come from the
-- index agency_check_open of 0007_supervise.sql.

-- Aliases matched the way names are (text_normalise, registered on every
-- connection as md_normalise), for prior history while a contact is typed.
ALTER TABLE referral_alias ADD COLUMN alias_key TEXT;
UPDATE referral_alias SET alias_key = md_normalise(alias);
CREATE INDEX referral_alias_key ON referral_alias(alias_key);

-- The children-in-need return's source 5D, early help (5C came in 0006):
-- a contact passed on by the authority's own early help services.
UPDATE source SET sort = sort + 1 WHERE sort >= 17;
INSERT INTO source (code, name, sort, cin_code) VALUES
	('early-help', 'Early help', 17, '5D');
