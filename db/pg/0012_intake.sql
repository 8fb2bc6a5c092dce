-- 0012_intake.sql - details edited under a lease of their own, and a new
-- contact's typed work (PostgreSQL twin of db/migrations/0012_intake.sql).
--
-- SQLite cannot alter a CHECK, so it rebuilds lease and draft with the
-- kind 'details' added; PostgreSQL replaces the constraint in place (rows,
-- triggers and keys stay as they were).
ALTER TABLE lease DROP CONSTRAINT lease_kind_check,
	ADD CONSTRAINT lease_kind_check
	CHECK (kind IN ('check', 'decision', 'details'));
ALTER TABLE draft DROP CONSTRAINT draft_kind_check,
	ADD CONSTRAINT draft_kind_check
	CHECK (kind IN ('check', 'decision', 'details'));

CREATE TABLE contact_draft (
	owner    text PRIMARY KEY REFERENCES app_user(login),
	body     text NOT NULL CHECK (length(body) <= 1000000),
	saved_at bigint NOT NULL
);
