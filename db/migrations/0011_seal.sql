-- 0011_seal.sql - each change's audit row seals the state it left behind.
--
-- A change to a referral (its own row, household, aliases, agency checks,
-- decision and actions) is audited in the same transaction as the change;
-- from this version its audit row also carries `state`, the SHA-256 of
-- those rows as the change left them (src/hub_seal.c), and the hash chain
-- covers it.  `mashdesk doctor` recomputes each referral's state and
-- compares it with the one its latest audited change sealed: a row
-- changed outside mashdesk (sqlite3 on the file) no longer matches.  Rows
-- sealed before this version carry NULL and are not compared.
ALTER TABLE audit ADD COLUMN state TEXT
	CHECK (state IS NULL OR length(state) = 64);
