-- 0006_reports.sql - the children-in-need return's codes, completed, and
-- the repeat-referral indexes with the receipt time (PostgreSQL twin of
-- db/migrations/0006_reports.sql).
UPDATE source SET sort = sort + 1 WHERE sort >= 16;
INSERT INTO source (code, name, sort, cin_code) VALUES
	('la-external',
	 'Local authority: external (another authority''s children''s services)',
	 16, '5C');

DROP INDEX referral_match_child;
CREATE INDEX referral_match_child ON referral(name_key, dob, received_at);
DROP INDEX referral_match_address;
CREATE INDEX referral_match_address ON referral(address_key, received_at)
	WHERE address_key IS NOT NULL;
