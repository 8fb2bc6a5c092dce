-- 0011_seal.sql - each change's audit row seals the state it left behind
-- (PostgreSQL twin of db/migrations/0011_seal.sql).
ALTER TABLE audit ADD COLUMN state text
	CHECK (state IS NULL OR length(state) = 64);
