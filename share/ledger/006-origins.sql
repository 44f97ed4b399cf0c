-- 006-origins.sql: money kept by where it came from (allocated or self-paid).
--
-- A balance holds allocated money (given by the site: allocation entries) and self-paid money
-- (top-ups, card values, adjustments) apart. `accounts.allocated` caches the allocated part,
-- never below zero; the self-paid part is balance - allocated and may go below zero under a
-- credit limit. Each journal entry records in `allocated` the part of its `amount` that moved
-- allocated money (0 for reserve and void, which do not move the balance).
--
-- `chain_version` says how the entry is hashed: 1 for every entry written before this
-- migration (hashed exactly as before, their `allocated` is 0: money from before the split
-- counts as self-paid), 2 for new entries, whose hash also covers `allocated`.
-- Adding columns is not an UPDATE, so the append-only triggers do not fire.

ALTER TABLE accounts ADD COLUMN allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0);

ALTER TABLE journal ADD COLUMN allocated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE journal ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1
  CHECK (chain_version IN (1, 2));

