-- 001-initial.sql: the first ledger schema.
--
-- Money is INTEGER minor units everywhere; STRICT tables make SQLite refuse a REAL or TEXT
-- that slipped into an amount column instead of silently storing it.
-- The journal is the truth: account balances and reserved totals are caches that change in
-- the same transaction as the entry that explains them, and `pullprint ledger check` proves
-- they agree.

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
  type          TEXT    NOT NULL CHECK (type IN ('personal', 'shared')),
  display_name  TEXT    NOT NULL DEFAULT '',
  balance       INTEGER NOT NULL DEFAULT 0,
  reserved      INTEGER NOT NULL DEFAULT 0,
  credit_limit  INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  unlimited     INTEGER NOT NULL DEFAULT 0 CHECK (unlimited IN (0, 1)),
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at    TEXT    NOT NULL
) STRICT;

-- Who may charge a shared account (job-account-id).
CREATE TABLE account_members (
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  user        TEXT    NOT NULL CHECK (length(user) > 0),
  PRIMARY KEY (account_id, user)
) STRICT, WITHOUT ROWID;

CREATE INDEX account_members_by_user ON account_members(user);

-- A hold on an account for one job (or one payer's share of it).
CREATE TABLE reservations (
  id               INTEGER PRIMARY KEY,
  account_id       INTEGER NOT NULL REFERENCES accounts(id),
  amount           INTEGER NOT NULL CHECK (amount >= 0),
  captured_amount  INTEGER NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
  state            TEXT    NOT NULL DEFAULT 'open'
                           CHECK (state IN ('open', 'captured', 'voided')),
  job_ref          TEXT    NOT NULL DEFAULT '',
  idempotency_key  TEXT    NOT NULL UNIQUE,
  created_at       TEXT    NOT NULL,
  closed_at        TEXT
) STRICT;

-- reserve() sums the open holds of one account on every call.
CREATE INDEX reservations_open_by_account ON reservations(account_id) WHERE state = 'open';

-- The append-only money journal. `amount` is the effect on the balance (capture negative);
-- reserve and void entries record the held amount and do not change the balance.
-- `hash` chains every entry to the one before it (BLAKE2b-256 over the previous hash and this
-- row's fields), so an edited, removed or reordered row shows up in check().
-- ids are assigned by the writer (max + 1 under the write lock) so that the id is covered by
-- the hash.
CREATE TABLE journal (
  id               INTEGER PRIMARY KEY,
  account_id       INTEGER NOT NULL REFERENCES accounts(id),
  kind             TEXT    NOT NULL CHECK (kind IN ('top-up', 'reserve', 'capture', 'void',
                                                    'refund', 'adjustment', 'allocation')),
  amount           INTEGER NOT NULL,
  reservation_id   INTEGER REFERENCES reservations(id),
  idempotency_key  TEXT    NOT NULL UNIQUE CHECK (length(idempotency_key) > 0),
  actor            TEXT    NOT NULL DEFAULT '',
  note             TEXT    NOT NULL DEFAULT '',
  created_at       TEXT    NOT NULL,
  hash             BLOB    NOT NULL CHECK (length(hash) = 32),
  -- The sign of an amount follows from its kind.
  CHECK (kind NOT IN ('top-up', 'refund') OR amount > 0),
  CHECK (kind NOT IN ('reserve', 'void', 'allocation') OR amount >= 0),
  CHECK (kind <> 'capture' OR amount <= 0),
  -- Entries about a reservation name it; the others do not.
  CHECK ((kind IN ('reserve', 'capture', 'void', 'refund')) = (reservation_id IS NOT NULL))
) STRICT;

CREATE INDEX journal_by_account ON journal(account_id, id);
CREATE INDEX journal_by_reservation ON journal(reservation_id) WHERE reservation_id IS NOT NULL;

-- Append-only: corrections are new entries (adjustment, refund), never edits.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
  SELECT RAISE(ABORT, 'the ledger journal is append-only');
END;

CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
  SELECT RAISE(ABORT, 'the ledger journal is append-only');
END;

-- A reservation is closed once: its account, amount and key never change, and a captured or
-- voided reservation stays as it is.
CREATE TRIGGER reservations_fixed BEFORE UPDATE OF id, account_id, amount, idempotency_key,
                                                   created_at ON reservations
BEGIN
  SELECT RAISE(ABORT, 'a reservation''s account, amount and key are fixed');
END;

CREATE TRIGGER reservations_closed_once BEFORE UPDATE ON reservations WHEN OLD.state <> 'open'
BEGIN
  SELECT RAISE(ABORT, 'a captured or voided reservation cannot change');
END;

CREATE TRIGGER reservations_no_delete BEFORE DELETE ON reservations
BEGIN
  SELECT RAISE(ABORT, 'reservations are never deleted');
END;
