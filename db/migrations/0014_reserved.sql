-- 0014_reserved.sql - PLACEHOLDER on the retention branch only: number 14 is
-- another helper's migration, merged first.  Drop this file when merging.
SELECT 1;
