-- 008-origins.sql: money kept by where it came from (allocated or self-paid).
--
-- A balance holds allocated money (given by the site: allocations) and self-paid money
-- (top-ups, card values, adjustments) apart; the rules are in lib/ledger/ledger.h. The journal
-- and accounts tables stay as they were: the allocated parts live in tables of their own, so a
-- ledger from before keeps every row (and every hash) unchanged, and its money counts as
-- self-paid.
--
-- journal_allocated: the part of one entry's amount that moved allocated money, for the entries
-- where it is not 0. Such an entry is hashed with chain version 2, which covers this part; all
-- others (every entry from before, and every entry that moves only self-paid money) are hashed
-- as before (version 1). Removing or adding a row therefore breaks the entry's hash. Append-only
-- like the journal.
CREATE TABLE journal_allocated (
  entry_id   INTEGER PRIMARY KEY REFERENCES journal(id),
  allocated  INTEGER NOT NULL CHECK (allocated <> 0)
) STRICT;

CREATE TRIGGER journal_allocated_no_update BEFORE UPDATE ON journal_allocated
BEGIN
  SELECT RAISE(ABORT, 'the ledger journal is append-only');
END;

CREATE TRIGGER journal_allocated_no_delete BEFORE DELETE ON journal_allocated
BEGIN
  SELECT RAISE(ABORT, 'the ledger journal is append-only');
END;

-- The allocated part of an account's balance (a cache, like accounts.balance, changed in the
-- same transaction as the entry; no row means 0). Never below zero; the self-paid part is
-- balance - allocated. `pullprint ledger check` proves it equals the journal.
CREATE TABLE account_allocated (
  account_id  INTEGER PRIMARY KEY REFERENCES accounts(id),
  allocated   INTEGER NOT NULL CHECK (allocated >= 0)
) STRICT, WITHOUT ROWID;
