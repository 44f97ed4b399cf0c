-- 006-placeholder-wt-directory.sql: a placeholder so that the directory branch's 007 migration
-- follows a 006 (migrations are numbered 1, 2, ... without gaps). Another part of issue 13
-- owns 006: the merge deletes this file in favour of that one.
SELECT 1;
