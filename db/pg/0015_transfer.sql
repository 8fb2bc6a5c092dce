-- 0015_transfer.sql - a child's case moving between hubs (PostgreSQL twin
-- of db/migrations/0015_transfer.sql).
ALTER TABLE referral ADD COLUMN transferred_to text
	CHECK (transferred_to IS NULL OR length(transferred_to) BETWEEN 1 AND 100);
ALTER TABLE referral ADD COLUMN transfer_reason text;
ALTER TABLE referral ADD COLUMN transferred_at bigint;
ALTER TABLE referral ADD COLUMN transferred_from_hub text
	CHECK (transferred_from_hub IS NULL
	       OR length(transferred_from_hub) BETWEEN 1 AND 100);
ALTER TABLE referral ADD COLUMN transferred_from_ref text;

CREATE TABLE transfer_in (
	hash        text PRIMARY KEY CHECK (length(hash) = 64),
	referral_id bigint NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
	from_hub    text NOT NULL,
	from_ref    text NOT NULL,
	at          bigint NOT NULL,
	by_login    text NOT NULL REFERENCES app_user(login),
	UNIQUE (from_hub, from_ref)
);
CREATE INDEX transfer_in_referral ON transfer_in(referral_id);

CREATE TABLE transfer_history (
	referral_id bigint PRIMARY KEY REFERENCES referral(id) ON DELETE CASCADE,
	from_hub    text NOT NULL,
	from_ref    text NOT NULL,
	body        text NOT NULL CHECK (length(body) <= 4000000)
);
CREATE TRIGGER transfer_history_no_update BEFORE UPDATE ON transfer_history
	FOR EACH ROW EXECUTE FUNCTION md_refuse('a transferred history is kept as it came');
CREATE TRIGGER change_transfer_history_ai AFTER INSERT ON transfer_history
	FOR EACH ROW EXECUTE FUNCTION md_change_log('referral', 'referral_id');
