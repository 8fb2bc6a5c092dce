-- 0005_audit.sql - the permanent record of who saw and did what.
--
-- Every view of a referral, every change, every export and every refused
-- attempt is appended here by the data layer, in the same transaction as
-- the change it records.  Each row carries the SHA-256 of the previous
-- row's hash and its own fields, so editing or deleting any row breaks the
-- chain from there on: `mashdesk audit verify` finds the first broken row.
-- The triggers refuse ordinary edits; the chain catches the rest.
CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	login       TEXT NOT NULL,
	host        TEXT NOT NULL,
	tty         TEXT NOT NULL,
	action      TEXT NOT NULL,
	referral_id INTEGER,          -- NULL: not about one referral
	detail      TEXT NOT NULL,
	hash        TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX audit_referral ON audit(referral_id) WHERE referral_id IS NOT NULL;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
