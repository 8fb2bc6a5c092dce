-- 0003_search.sql - finding referrals fast at a million rows.
--
-- Full-text search over the child's name, aliases and the reference
-- (SQLite FTS5 with prefix indexes, so search-as-you-type stays fast), and
-- a partial index on the open referrals, which is all the queue sorts.
--
-- New referrals are indexed by the data layer (hub_search_catch_up), once
-- per transaction for all the rows it added: an insert trigger would make
-- FTS5 write a segment per statement, which made bulk loads ten times
-- slower.  Changes to names, references and aliases are kept in step by
-- the triggers below, so no later edit can forget the index.

CREATE VIRTUAL TABLE referral_search USING fts5(
	ref, child_name, aliases,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);

CREATE TRIGGER referral_search_au AFTER UPDATE OF child_name, ref ON referral BEGIN
	UPDATE referral_search SET ref = new.ref, child_name = new.child_name
	WHERE rowid = new.id;
END;
CREATE TRIGGER referral_search_ad AFTER DELETE ON referral BEGIN
	DELETE FROM referral_search WHERE rowid = old.id;
END;
CREATE TRIGGER referral_alias_search_ai AFTER INSERT ON referral_alias BEGIN
	UPDATE referral_search
	SET aliases = (SELECT group_concat(alias, ' ') FROM referral_alias
	               WHERE referral_id = new.referral_id)
	WHERE rowid = new.referral_id;
END;
CREATE TRIGGER referral_alias_search_ad AFTER DELETE ON referral_alias BEGIN
	UPDATE referral_search
	SET aliases = coalesce((SELECT group_concat(alias, ' ') FROM referral_alias
	                        WHERE referral_id = old.referral_id), '')
	WHERE rowid = old.referral_id;
END;

-- Index what an older hub already holds.
INSERT INTO referral_search (rowid, ref, child_name, aliases)
SELECT r.id, r.ref, r.child_name,
       coalesce((SELECT group_concat(alias, ' ') FROM referral_alias a
                 WHERE a.referral_id = r.id), '')
FROM referral r;

-- Everything still open, in the order the queue wants it.
CREATE INDEX referral_open ON referral(due_at) WHERE status NOT IN ('decided', 'closed');
