-- 002-cards.sql: release cards (badges) and their PINs, and the log of every card login.
--
-- Cards live in the ledger file so that one state file, one backup and one set of permissions
-- cover money and identity; the PAM module and the admin CLI already open it.
-- Times are unix seconds (UTC): the lockout arithmetic compares them, and tests inject a clock.

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

CREATE INDEX cards_by_user ON cards(user);

-- Audit log: one row per authentication attempt, also for unknown cards. `card` is the number
-- as presented (validated first, so never arbitrary bytes); no foreign key, so the log outlives
-- a removed card.
CREATE TABLE card_attempts (
  id       INTEGER PRIMARY KEY,
  card     TEXT    NOT NULL,
  time     INTEGER NOT NULL,
  outcome  TEXT    NOT NULL CHECK (outcome IN ('accepted', 'unknown-card', 'invalid-number',
                                               'blocked', 'locked', 'wrong-pin', 'no-pin')),
  user     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX card_attempts_by_card ON card_attempts(card, time);
