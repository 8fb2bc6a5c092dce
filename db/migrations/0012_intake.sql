-- 0012_intake.sql - the front door at the desk: a referral's details edited
-- under a lease of their own, and a new contact's typed work kept before
-- the contact exists.
--
-- Editing a referral's details (child, household, referrer, concern,
-- consent) takes an edit lease like an agency panel or the decision, so
-- two people never correct the same record at once and a stale save is
-- fenced; its unsaved work is a draft like theirs.  The lease and draft
-- tables name their kinds in a CHECK, which SQLite cannot alter: both are
-- rebuilt with the kind 'details' added, their rows and triggers as they
-- were.
CREATE TABLE lease_0012 (
	kind         TEXT NOT NULL CHECK (kind IN ('check', 'decision', 'details')),
	referral_id  INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	agency       TEXT NOT NULL DEFAULT '',
	owner        TEXT NOT NULL REFERENCES app_user(login),
	host         TEXT NOT NULL,
	pid          INTEGER NOT NULL,
	token        TEXT NOT NULL CHECK (length(token) = 32),
	taken_at     INTEGER NOT NULL,
	heartbeat_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL CHECK (expires_at > taken_at),
	PRIMARY KEY (kind, referral_id, agency)
) WITHOUT ROWID;
INSERT INTO lease_0012 SELECT kind, referral_id, agency, owner, host, pid,
	token, taken_at, heartbeat_at, expires_at FROM lease;
DROP TABLE lease;
ALTER TABLE lease_0012 RENAME TO lease;

CREATE TRIGGER change_lease_ai AFTER INSERT ON lease
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'lease');
END;
CREATE TRIGGER change_lease_ad AFTER DELETE ON lease
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), old.referral_id, 'lease');
END;

CREATE TABLE draft_0012 (
	owner       TEXT NOT NULL REFERENCES app_user(login),
	kind        TEXT NOT NULL CHECK (kind IN ('check', 'decision', 'details')),
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	body        TEXT NOT NULL CHECK (length(body) <= 1000000),
	saved_at    INTEGER NOT NULL,
	PRIMARY KEY (owner, kind, referral_id)
) WITHOUT ROWID;
INSERT INTO draft_0012 SELECT owner, kind, referral_id, body, saved_at FROM draft;
DROP TABLE draft;
ALTER TABLE draft_0012 RENAME TO draft;

-- A new contact being typed has no referral yet: its draft is kept per
-- user (one at a time), and goes in the same transaction that takes the
-- contact in, so a desk that dies after saving never offers it again.
CREATE TABLE contact_draft (
	owner    TEXT PRIMARY KEY REFERENCES app_user(login),
	body     TEXT NOT NULL CHECK (length(body) <= 1000000),
	saved_at INTEGER NOT NULL
) WITHOUT ROWID;
