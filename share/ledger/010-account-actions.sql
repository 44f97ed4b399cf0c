-- 010-account-actions.sql: what a user does on their own account from the web (issue 14):
-- registering their own release card at a terminal, and asking for a refund of a printed job.
-- (Transfers between users need no table: they are two journal entries under the keys of
-- lib/ledger/transfer-key.h.) Card times are unix seconds (UTC) as in the cards' tables.

-- A card registration (lib/cards/card-registration.h): a terminal saw an unknown card and
-- showed a short code; the user who types that code on the web gets the card. One row per
-- start, kept as a log: `state` moves once from 'pending' to 'confirmed', 'replaced' (the card
-- was tapped again and got a new code), 'expired' or 'refused' (the card was someone's by then).
CREATE TABLE card_registrations (
  id            INTEGER PRIMARY KEY,
  card          TEXT    NOT NULL CHECK (length(card) BETWEEN 1 AND 64),
  code          TEXT    NOT NULL CHECK (length(code) > 0),
  started_at    INTEGER NOT NULL,
  started_by    TEXT    NOT NULL DEFAULT '',
  expires_at    INTEGER NOT NULL,
  state         TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'confirmed', 'replaced', 'expired',
                                         'refused')),
  confirmed_by  TEXT,
  decided_at    INTEGER,
  CHECK ((state = 'confirmed') = (confirmed_by IS NOT NULL))
) STRICT;

-- One pending registration per card, and a pending code names one card.
CREATE UNIQUE INDEX card_registrations_pending_card ON card_registrations(card)
  WHERE state = 'pending';
CREATE UNIQUE INDEX card_registrations_pending_code ON card_registrations(code)
  WHERE state = 'pending';
-- The start limit counts a card's recent starts; confirming looks a used code up.
CREATE INDEX card_registrations_by_card ON card_registrations(card, started_at);
CREATE INDEX card_registrations_by_code ON card_registrations(code, id);

-- Every confirmation attempt on the web, by user: failed ones ('wrong-code', 'expired-code')
-- count towards the per-user limit (card-max-failures within card-lock-seconds).
CREATE TABLE card_registration_attempts (
  id       INTEGER PRIMARY KEY,
  user     TEXT    NOT NULL CHECK (length(user) > 0),
  time     INTEGER NOT NULL,
  outcome  TEXT    NOT NULL CHECK (outcome IN ('registered', 'wrong-code', 'expired-code',
                                               'card-taken', 'locked')),
  card     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX card_registration_attempts_by_user ON card_registration_attempts(user, time);

-- A user's request for a refund of one of their printed jobs (lib/refunds/refunds.h). The
-- desk decides it: `state` moves once from 'open' to 'granted' (the captured amount refunded
-- under the job's refund key) or 'denied'. Times are ISO 8601 UTC, as the held jobs' and the
-- journal's.
CREATE TABLE refund_requests (
  id              INTEGER PRIMARY KEY,
  job_id          INTEGER NOT NULL,          -- the held-job store's id
  job_ref         TEXT    NOT NULL CHECK (length(job_ref) > 0),  -- "pullprintd/<uuid>"
  title           TEXT    NOT NULL DEFAULT '',
  user            TEXT    NOT NULL CHECK (length(user) > 0),     -- who asks (the job's owner)
  account         TEXT    NOT NULL CHECK (length(account) > 0),  -- who paid
  reservation_id  INTEGER NOT NULL REFERENCES reservations(id),
  amount          INTEGER NOT NULL CHECK (amount > 0),            -- the captured amount
  reason          TEXT    NOT NULL CHECK (reason IN ('jam', 'blank-page', 'wrong-output',
                                                     'other')),
  text            TEXT    NOT NULL DEFAULT '',
  state           TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'granted', 'denied')),
  created_at      TEXT    NOT NULL,
  decided_at      TEXT,
  decided_by      TEXT,
  decision_note   TEXT    NOT NULL DEFAULT '',
  CHECK ((state = 'open') = (decided_by IS NULL))
) STRICT;

-- One open request per job, and a job refunded once is not asked for again.
CREATE UNIQUE INDEX refund_requests_open_job ON refund_requests(job_ref) WHERE state = 'open';
CREATE UNIQUE INDEX refund_requests_granted_job ON refund_requests(job_ref)
  WHERE state = 'granted';
CREATE INDEX refund_requests_by_user ON refund_requests(user, id);
CREATE INDEX refund_requests_by_state ON refund_requests(state, id);
