-- 0014: a placeholder so the transfer branch builds alone (db/embed.sh wants
-- contiguous numbers).  DROP THIS FILE when merging: the real 0014 comes
-- from the strategy/feedback branches.
SELECT 1;
