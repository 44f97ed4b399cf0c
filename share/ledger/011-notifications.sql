-- 011-notifications.sql: what lib/notify keeps (issue 14, notifications).
--
-- notifications: every notification, recorded once, keyed by what it is about (kind + subject:
-- a job's uuid for its expiry warning, its expiry and its receipt; "alice#3" for alice's third
-- fall below low-balance-warning; a share for an approval), so that a timer run, a second
-- process or a crash never records (so never sends) the same one twice. A sender claims a row
-- (attempts + 1, claimed_until = now + a lease) before running notify-command; a failed command
-- leaves it pending for the timer to retry until `attempts` reaches notify-attempts, then it
-- is 'failed'. Times are unix seconds.
CREATE TABLE notifications (
  id             INTEGER PRIMARY KEY,
  kind           TEXT    NOT NULL CHECK (kind IN ('low-balance', 'expiry-warning', 'expired',
                                                  'receipt', 'approval')),
  subject        TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 512),
  recipient      TEXT    NOT NULL CHECK (length(recipient) > 0),
  address        TEXT    NOT NULL,
  title          TEXT    NOT NULL,
  body           TEXT    NOT NULL,
  state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  claimed_until  INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT    NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  sent_at        INTEGER,
  UNIQUE (kind, subject)
) STRICT;
CREATE INDEX notifications_pending ON notifications (claimed_until) WHERE state = 'pending';
CREATE INDEX notifications_recipient ON notifications (recipient, id);

-- Per-user choices: receipts (a notice for each printed job) are opt-in. A user without a row
-- has the defaults (no receipts).
CREATE TABLE notify_preferences (
  login       TEXT    PRIMARY KEY CHECK (length(login) > 0),
  receipts    INTEGER NOT NULL DEFAULT 0 CHECK (receipts IN (0, 1)),
  updated_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Low balance, once per crossing: `below` is set when an account's available money falls below
-- low-balance-warning (and `crossings` counted: the notification's subject is account#crossings)
-- and cleared when it is back at or above it, so the next fall is told again.
CREATE TABLE low_balance_state (
  account     TEXT    PRIMARY KEY CHECK (length(account) > 0),
  below       INTEGER NOT NULL CHECK (below IN (0, 1)),
  crossings   INTEGER NOT NULL DEFAULT 0 CHECK (crossings >= 0),
  changed_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
