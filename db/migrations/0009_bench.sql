-- 0009_bench.sql - one-letter searches from an index, not a merge.
--
-- Search as you type asks the hub on the first letter.  Without a prefix
-- index for one character, FTS5 had to merge the doclists of every word
-- starting with that letter (hundreds of thousands of rows at a million
-- referrals: about 18 ms and several MB of memory per key, kept by the
-- desk's heap); with '1' among the prefixes it reads one doclist and the
-- queue's rowid bound skips to the open referrals (under 1 ms).  FTS5
-- cannot change its options in place, so the index is rebuilt from its
-- own content (some seconds at a million referrals, once) and the
-- triggers of 0003_search.sql are put back unchanged.

DROP TRIGGER referral_search_au;
DROP TRIGGER referral_search_ad;
DROP TRIGGER referral_alias_search_ai;
DROP TRIGGER referral_alias_search_ad;

ALTER TABLE referral_search RENAME TO referral_search_old;
CREATE VIRTUAL TABLE referral_search USING fts5(
	ref, child_name, aliases,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
INSERT INTO referral_search (rowid, ref, child_name, aliases)
SELECT rowid, ref, child_name, aliases FROM referral_search_old;
DROP TABLE referral_search_old;

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
