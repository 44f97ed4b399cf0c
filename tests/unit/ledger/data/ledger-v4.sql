-- ledger-v4.sql: a ledger made by pullprint before money was kept by origin (schema 4, chain
-- version 1 entries), dumped with sqlite3 .dump; origin-test.cpp migrates and verifies it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
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
INSERT INTO accounts VALUES(1,'alice','personal','',900,0,0,0,1,'2026-12-05T00:19:21.957Z');
INSERT INTO accounts VALUES(2,'physics','shared','',300,0,0,0,1,'2026-12-05T00:19:22.027Z');
CREATE TABLE account_members (
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  user        TEXT    NOT NULL CHECK (length(user) > 0),
  PRIMARY KEY (account_id, user)
) STRICT, WITHOUT ROWID;
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
INSERT INTO journal VALUES(1,1,'top-up',1000,NULL,'t1','root','','2026-12-05T00:19:22.113Z',X'5cce063f460003b399a43a6dbf58c28f232d3dc572a2d5fa07492c92543ecf82');
INSERT INTO journal VALUES(2,1,'adjustment',-100,NULL,'a1','root','fix','2026-12-05T00:19:22.150Z',X'a218a602fdbdbfad87ac1b23d06b3da88c3726df7ce72d8a6c49dc5360e549eb');
INSERT INTO journal VALUES(3,2,'top-up',300,NULL,'t2','root','','2026-12-05T00:19:22.214Z',X'5f913f85b20ca2bf2a37e20dd23564d6f15af841c2bf0ffb9b1821ab9808d56f');
CREATE TABLE cards (
  id            INTEGER PRIMARY KEY,
  number        TEXT    NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),
  user          TEXT    NOT NULL CHECK (length(user) > 0),
  -- libsodium crypto_pwhash_str output (Argon2id, salted); NULL when the card has no PIN.
  -- The PIN itself is never stored.
  pin_hash      TEXT,
  state         TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'blocked')),
  failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until  INTEGER,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
) STRICT;
CREATE TABLE card_attempts (
  id       INTEGER PRIMARY KEY,
  card     TEXT    NOT NULL,
  time     INTEGER NOT NULL,
  outcome  TEXT    NOT NULL CHECK (outcome IN ('accepted', 'unknown-card', 'invalid-number',
                                               'blocked', 'locked', 'wrong-pin', 'no-pin')),
  user     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE deliveries (
  job_ref         TEXT    PRIMARY KEY CHECK (length(job_ref) BETWEEN 1 AND 512),
  reservation_id  INTEGER NOT NULL REFERENCES reservations(id),
  owner           TEXT    NOT NULL CHECK (length(owner) > 0),
  title           TEXT    NOT NULL DEFAULT '',
  printer         TEXT    NOT NULL DEFAULT '',
  -- The real device URI with any credentials removed: the ledger is no place for passwords.
  device_uri      TEXT    NOT NULL DEFAULT '',
  amount          INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
  currency        TEXT    NOT NULL DEFAULT '',
  released_by     TEXT    NOT NULL DEFAULT '',
  state           TEXT    NOT NULL CHECK (state IN ('held', 'released', 'in-flight', 'printed',
                                                    'voided', 'review')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  bytes_sent      INTEGER NOT NULL DEFAULT 0 CHECK (bytes_sent >= 0),
  pid             INTEGER CHECK (pid > 0),
  pid_start       INTEGER NOT NULL DEFAULT 0 CHECK (pid_start >= 0),
  cups_queue      TEXT    NOT NULL DEFAULT '',
  cups_job_id     INTEGER CHECK (cups_job_id > 0),
  message         TEXT    NOT NULL DEFAULT '',
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  -- Only an attempt in flight names its process: a stale pid elsewhere would mislead.
  CHECK ((state = 'in-flight') = (pid IS NOT NULL)),
  -- A held job has not been released by anybody yet; every later state has been.
  CHECK ((state = 'held') = (released_by = '')),
  -- Nothing is sent before the first attempt.
  CHECK (attempts > 0 OR (bytes_sent = 0 AND state IN ('held', 'released', 'voided'))),
  -- The CUPS door names the queue and the job together.
  CHECK ((cups_queue = '') = (cups_job_id IS NULL))
) STRICT;
CREATE TABLE splits (
  id          INTEGER PRIMARY KEY,
  job_ref     TEXT    NOT NULL UNIQUE CHECK (length(job_ref) BETWEEN 1 AND 512),
  owner       TEXT    NOT NULL CHECK (length(owner) > 0),
  title       TEXT    NOT NULL DEFAULT '',
  mode        TEXT    NOT NULL CHECK (mode IN ('ratio', 'copies', 'pages', 'method')),
  -- The request in canonical form (format_split_request).
  request     TEXT    NOT NULL,
  -- ratio: what a decline or an expiry does; the other modes just drop that part.
  on_decline  TEXT    NOT NULL CHECK (on_decline IN ('owner-covers', 'cancel')),
  -- ratio: the job's price, which the shares divide exactly; other modes: the sum of the parts.
  price       INTEGER NOT NULL CHECK (price >= 0),
  currency    TEXT    NOT NULL,
  state       TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'cancelled', 'closed')),
  deadline    TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL
) STRICT;
CREATE TABLE split_shares (
  id                INTEGER PRIMARY KEY,
  split_id          INTEGER NOT NULL REFERENCES splits(id),
  position          INTEGER NOT NULL CHECK (position >= 0),  -- order in the request
  payer             TEXT    NOT NULL CHECK (length(payer) > 0),
  cover_of          TEXT    NOT NULL DEFAULT '',
  part              TEXT    NOT NULL DEFAULT '',    -- what the payer gets, for people
  options           TEXT    NOT NULL DEFAULT '{}',  -- JSON: IPP job options of the sub-job
  impressions       INTEGER NOT NULL DEFAULT 0 CHECK (impressions >= 0),
  amount            INTEGER NOT NULL CHECK (amount >= 0),
  state             TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'approved', 'declined', 'expired',
                                             'discarded', 'printed')),
  reservation_id    INTEGER REFERENCES reservations(id),
  decided_at        TEXT,
  reminder_sent_at  TEXT,
  UNIQUE (split_id, payer, cover_of),
  -- Approved and printed shares hold money; a pending one never does.
  CHECK (state NOT IN ('approved', 'printed') OR reservation_id IS NOT NULL),
  CHECK (state <> 'pending' OR reservation_id IS NULL)
) STRICT;
CREATE INDEX account_members_by_user ON account_members(user);
CREATE INDEX reservations_open_by_account ON reservations(account_id) WHERE state = 'open';
CREATE INDEX journal_by_account ON journal(account_id, id);
CREATE INDEX journal_by_reservation ON journal(reservation_id) WHERE reservation_id IS NOT NULL;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
  SELECT RAISE(ABORT, 'the ledger journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
  SELECT RAISE(ABORT, 'the ledger journal is append-only');
END;
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
CREATE INDEX cards_by_user ON cards(user);
CREATE INDEX card_attempts_by_card ON card_attempts(card, time);
CREATE INDEX deliveries_by_state ON deliveries(state, created_at);
CREATE INDEX deliveries_by_reservation ON deliveries(reservation_id);
CREATE INDEX splits_open_by_deadline ON splits(deadline) WHERE state = 'open';
CREATE INDEX splits_by_owner ON splits(owner);
CREATE INDEX split_shares_by_payer ON split_shares(payer, state);
CREATE INDEX split_shares_by_split ON split_shares(split_id, position);
COMMIT;
PRAGMA user_version = 4;
