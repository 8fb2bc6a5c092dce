-- 0004_sharing.sql - many desks on one hub: a change log so every desk sees
-- other users' commits, edit leases so two people never edit the same
-- panel or decision at once, and drafts so typed work survives a dropped
-- connection.

-- What changed, written by triggers so no write path can forget it.  Desks
-- poll PRAGMA data_version and, when it moves, read the rows after the last
-- id they saw.  The log keeps only recent rows (see the trim trigger): a
-- desk that fell further behind simply reloads.
-- While a bulk load fills a training hub (one transaction at a time, the
-- flag set and cleared inside it, so it is never committed as 1) the log is
-- not written: a desk that sees data_version move with nothing logged
-- reloads what it shows.
ALTER TABLE hub ADD COLUMN bulk_loading INTEGER NOT NULL DEFAULT 0
	CHECK (bulk_loading IN (0, 1));

CREATE TABLE change_log (
	id          INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	referral_id INTEGER,          -- NULL: not about one referral (users)
	what        TEXT NOT NULL CHECK (what IN ('referral', 'check', 'decision',
	                                          'assignment', 'user', 'lease'))
);

CREATE TRIGGER change_referral_ai AFTER INSERT ON referral
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.id, 'referral');
END;
CREATE TRIGGER change_referral_au AFTER UPDATE ON referral
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.id, 'referral');
END;
CREATE TRIGGER change_check_ai AFTER INSERT ON agency_check
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'check');
END;
CREATE TRIGGER change_check_au AFTER UPDATE ON agency_check
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'check');
END;
CREATE TRIGGER change_decision_ai AFTER INSERT ON decision
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'decision');
END;
CREATE TRIGGER change_assignment_ai AFTER INSERT ON assignment
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), new.referral_id, 'assignment');
END;
CREATE TRIGGER change_user_ai AFTER INSERT ON app_user
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), NULL, 'user');
END;
CREATE TRIGGER change_user_au AFTER UPDATE ON app_user
WHEN (SELECT bulk_loading FROM hub WHERE id = 1) = 0 BEGIN
	INSERT INTO change_log (at, referral_id, what)
	VALUES (CAST(strftime('%s', 'now') AS INTEGER), NULL, 'user');
END;
-- Every thousandth entry trims the log to its last ten thousand.
CREATE TRIGGER change_log_trim AFTER INSERT ON change_log
WHEN new.id % 1000 = 0 BEGIN
	DELETE FROM change_log WHERE id <= new.id - 10000;
END;

-- Who is editing what.  kind 'check' is one agency's panel of a referral,
-- kind 'decision' the referral's decision form (agency '').  A lease is
-- live until expires_at; the holder's desk renews it from its input loop.
-- A holder whose process is gone (same host, pid not running) or whose
-- lease expired is replaced by the next taker.  token fences every save.
CREATE TABLE lease (
	kind         TEXT NOT NULL CHECK (kind IN ('check', 'decision')),
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

-- Typed work not yet saved, one per user, form and referral.  The body is
-- the form's own serialisation; the data layer only keeps it safe.
CREATE TABLE draft (
	owner       TEXT NOT NULL REFERENCES app_user(login),
	kind        TEXT NOT NULL CHECK (kind IN ('check', 'decision')),
	referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	body        TEXT NOT NULL CHECK (length(body) <= 1000000),
	saved_at    INTEGER NOT NULL,
	PRIMARY KEY (owner, kind, referral_id)
) WITHOUT ROWID;
