-- 009-placeholder.sql: an empty migration holding number 9, which issue 14 assigned to the
-- account-history part (branch wt-account). The migration runner wants the numbers 1, 2, ...
-- without gaps, and 010 is the account actions'. When the merge brings a real 009, this file
-- goes; without one it stays (it changes nothing).
SELECT 1;
