-- 006-prepaid-cards.sql: prepaid cards sold at a desk (issue 13 §4; lib/cards/prepaid-cards.h).
--
-- A desk issues numbers with a value and no owner (`pullprint card issue`); a user activates
-- one, which attaches it to them as a release card (a `cards` row) and credits its value once
-- (a ledger top-up under the key "prepaid-card:<number>"). The prepaid row is kept for good:
-- it says who activated the card, when, and whether the credit is done, so that a crash between
-- the activation and the top-up is repaired by repeating the (idempotent) top-up.
-- Times are unix seconds (UTC), as in the cards' tables.

CREATE TABLE prepaid_cards (
  id            INTEGER PRIMARY KEY,
  number        TEXT    NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),
  -- Minor units of the site's currency; the ledger's bound on one amount.
  value         INTEGER NOT NULL CHECK (value > 0 AND value <= 1000000000000),
  issued_at     INTEGER NOT NULL,
  issued_by     TEXT    NOT NULL,
  -- NULL until activated: the card is "unissued" (sold or not, nobody owns it yet).
  activated_by  TEXT    CHECK (activated_by IS NULL OR length(activated_by) > 0),
  activated_at  INTEGER,
  -- Set once the value's top-up is in the ledger.
  credited_at   INTEGER,
  CHECK ((activated_by IS NULL) = (activated_at IS NULL)),
  CHECK (credited_at IS NULL OR activated_at IS NOT NULL)
) STRICT;

CREATE INDEX prepaid_cards_uncredited ON prepaid_cards(credited_at) WHERE credited_at IS NULL;

-- The card audit log gains the activation outcomes (and a terminal's refusal of a card that is
-- not activated yet). SQLite cannot change a CHECK in place: the table is copied, rows and ids
-- unchanged. Activation rows name the user who tried (the guess-rate limit counts them).
CREATE TABLE card_attempts_new (
  id       INTEGER PRIMARY KEY,
  card     TEXT    NOT NULL,
  time     INTEGER NOT NULL,
  outcome  TEXT    NOT NULL CHECK (outcome IN ('accepted', 'unknown-card', 'invalid-number',
                                               'blocked', 'locked', 'wrong-pin', 'no-pin',
                                               'unactivated', 'activated', 'activation-repeated',
                                               'activation-unknown', 'activation-taken',
                                               'activation-locked')),
  user     TEXT    NOT NULL DEFAULT ''
) STRICT;

INSERT INTO card_attempts_new (id, card, time, outcome, user)
  SELECT id, card, time, outcome, user FROM card_attempts;
DROP TABLE card_attempts;
ALTER TABLE card_attempts_new RENAME TO card_attempts;
CREATE INDEX card_attempts_by_card ON card_attempts(card, time);
CREATE INDEX card_attempts_by_user ON card_attempts(user, outcome, time);
