-- 009-history.sql: the index behind a user's account history (Ledger::history_page).
--
-- The account page and the CSV download read an account's money entries newest first, a page
-- at a time, by keyset ("entries of account A with id < N"). Reserve and void entries move no
-- money and are left out of a statement; without this index a page of a user with many held,
-- cancelled or expired jobs would step over all of their reserve/void entries. A partial index
-- of exactly the entries a statement shows makes every page cost its own rows, whatever the size
-- of the journal. The query's WHERE repeats this index's condition word for word (SQLite uses a
-- partial index only when the query implies its condition). IF NOT EXISTS: the only change to a
-- table an older migration made, so a file taken back to an older user_version by hand (as the
-- migration tests do) migrates again.
CREATE INDEX IF NOT EXISTS journal_money_by_account ON journal(account_id, id)
  WHERE kind NOT IN ('reserve', 'void');
