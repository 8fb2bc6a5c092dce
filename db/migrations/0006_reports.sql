-- 0006_reports.sql - the children-in-need return's codes, completed.
--
-- The census's source-of-referral list has three local-authority codes:
-- 5A social care (e.g. adult social care), 5B other internal services and
-- 5C external (e.g. another authority's children's social care).  0002 had
-- only the first two, so a referral passed on by a neighbouring authority
-- could not be coded for the return.  The other source codes (1A..1D,
-- 2A, 2B, 3A..3F, 4, 6..10) and the primary-need codes (N1..N9) in 0002
-- are the census's own and stay as they are.
UPDATE source SET sort = sort + 1 WHERE sort >= 16;
INSERT INTO source (code, name, sort, cin_code) VALUES
	('la-external',
	 'Local authority: external (another authority''s children''s services)',
	 16, '5C');

-- Repeat referrals ("join the dots"): the receipt time joins the matching
-- keys in their indexes, so finding an earlier referral of the same child
-- or household within a time window (the repeats report, and the repeat
-- mark at receipt) reads the index alone, not each candidate's row: on
-- 100,000 generated referrals its lookups took a third of the time.
DROP INDEX referral_match_child;
CREATE INDEX referral_match_child ON referral(name_key, dob, received_at);
DROP INDEX referral_match_address;
CREATE INDEX referral_match_address ON referral(address_key, received_at)
	WHERE address_key IS NOT NULL;
