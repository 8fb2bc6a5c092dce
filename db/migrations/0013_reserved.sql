-- 0013_reserved.sql - PLACEHOLDER on the retention branch only: number 13 is
-- another helper's migration, merged first.  Drop this file when merging.
SELECT 1;
