-- 0003_search.sql - finding referrals fast at a million rows (PostgreSQL
-- twin of db/migrations/0003_search.sql).
--
-- SQLite keeps the child's name, aliases and reference in an FTS5 table
-- (unicode61, diacritics removed, prefix indexes).  Here the same three
-- columns live in an ordinary table, keyed by the referral's id (FTS5's
-- rowid), with a generated tsvector over them and a GIN index: the words
-- are split at punctuation and spaces and folded by md_normalise (lower
-- case, accents off), and a prefix query ('ab:*') reads the GIN index as
-- FTS5's prefix index does.  The data layer fills it as it fills FTS5
-- (hub_search_catch_up); the triggers below keep edits in step, under the
-- same names as SQLite's.  A deliberate difference: db/pg/differences.

-- The words of a search column: ASCII punctuation is a word break (as in
-- FTS5's unicode61 tokeniser), then md_normalise folds what is left.
-- Its search_path is the schema's own: pg_restore fills the generated
-- column below with search_path empty, where md_normalise unqualified
-- would not be found (`mashdesk restore` of a pg_dump archive).
CREATE FUNCTION md_search_words(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
	SELECT coalesce(md_normalise(translate(s,
		'!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~',
		'                                ')), '')
$$;

CREATE TABLE referral_search (
	id         bigint PRIMARY KEY,          -- the referral's id
	ref        text,
	child_name text,
	aliases    text,
	document   tsvector GENERATED ALWAYS AS (to_tsvector('simple',
		md_search_words(ref) || ' ' || md_search_words(child_name)
		|| ' ' || md_search_words(aliases))) STORED
);
CREATE INDEX referral_search_document ON referral_search USING gin (document);

CREATE FUNCTION md_search_referral() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM referral_search WHERE id = OLD.id;
	ELSE
		UPDATE referral_search SET ref = NEW.ref, child_name = NEW.child_name
		WHERE id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;

-- Aliases in one column, in the order of the alias key (SQLite's
-- group_concat reads them in that order).
CREATE FUNCTION md_search_aliases() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	rid bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.referral_id
	              ELSE NEW.referral_id END;
BEGIN
	UPDATE referral_search
	SET aliases = coalesce((SELECT string_agg(alias, ' ' ORDER BY alias)
	                        FROM referral_alias WHERE referral_id = rid), '')
	WHERE id = rid;
	RETURN NULL;
END
$$;

CREATE TRIGGER referral_search_au AFTER UPDATE OF child_name, ref ON referral
	FOR EACH ROW EXECUTE FUNCTION md_search_referral();
CREATE TRIGGER referral_search_ad AFTER DELETE ON referral
	FOR EACH ROW EXECUTE FUNCTION md_search_referral();
CREATE TRIGGER referral_alias_search_ai AFTER INSERT ON referral_alias
	FOR EACH ROW EXECUTE FUNCTION md_search_aliases();
CREATE TRIGGER referral_alias_search_ad AFTER DELETE ON referral_alias
	FOR EACH ROW EXECUTE FUNCTION md_search_aliases();

-- Index what an older hub already holds.
INSERT INTO referral_search (id, ref, child_name, aliases)
SELECT r.id, r.ref, r.child_name,
       coalesce((SELECT string_agg(alias, ' ' ORDER BY alias) FROM referral_alias a
                 WHERE a.referral_id = r.id), '')
FROM referral r;

-- Everything still open, in the order the queue wants it.
CREATE INDEX referral_open ON referral(due_at) WHERE status NOT IN ('decided', 'closed');
