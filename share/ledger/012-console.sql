-- 012-console.sql: the desk's and the admins' console (issue 15).
--
-- console_audit: every change made on the console, with who made it, in what role, and on what.
-- Money changes are in the journal too (its `actor`); this table also holds the changes that
-- move no money (a job cancelled for a user, a card blocked, a sync started), and it is what the
-- dashboard's "recent events" and the audit page list. Append-only, like the journal.
CREATE TABLE console_audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT    NOT NULL,
  actor       TEXT    NOT NULL CHECK (length(actor) > 0),
  role        TEXT    NOT NULL CHECK (length(role) > 0),
  action      TEXT    NOT NULL CHECK (length(action) > 0),
  subject     TEXT    NOT NULL DEFAULT '',
  detail      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX console_audit_by_actor ON console_audit (actor, id);
CREATE INDEX console_audit_by_subject ON console_audit (subject, id);

CREATE TRIGGER console_audit_no_update BEFORE UPDATE ON console_audit
BEGIN
  SELECT RAISE(ABORT, 'the console audit is append-only');
END;
CREATE TRIGGER console_audit_no_delete BEFORE DELETE ON console_audit
BEGIN
  SELECT RAISE(ABORT, 'the console audit is append-only');
END;

-- Two more kinds of notification, for the admins: a printer's error or low supply
-- ('printer-alert', subject "PRINTER:ALERT:DAY"), and the monthly report ('report', subject
-- "YYYY-MM"). SQLite cannot change a CHECK, so the table is made again with its rows.
CREATE TABLE notifications_new (
  id             INTEGER PRIMARY KEY,
  kind           TEXT    NOT NULL CHECK (kind IN ('low-balance', 'expiry-warning', 'expired',
                                                  'receipt', 'approval', 'printer-alert',
                                                  'report')),
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
INSERT INTO notifications_new SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_pending ON notifications (claimed_until) WHERE state = 'pending';
CREATE INDEX notifications_recipient ON notifications (recipient, id);
