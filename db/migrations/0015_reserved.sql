-- 0015_reserved.sql - PLACEHOLDER on the retention branch only: number 15 is
-- another helper's migration, merged first.  Drop this file when merging.
SELECT 1;
