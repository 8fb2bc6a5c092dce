-- 0013_reserved.sql - a placeholder holding number 0013 for the strategy
-- discussions' migration, so that 0014_feedback.sql builds on its own
-- branch (db/embed.sh wants the numbers contiguous).  Drop this file and
-- its line in Makefile.am when the real 0013 is merged.
SELECT 1;
