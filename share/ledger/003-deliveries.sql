-- 003-deliveries.sql: the way of each priced job to a printer (lib/delivery/delivery.h).
--
-- One row per job reference. The row is what makes a release idempotent and a crash
-- recoverable: the backend writes 'in-flight' (with its pid and start time) before the first
-- byte goes to the real backend, and the money is settled on the reservation with the keys
-- "capture:<job_ref>" / "void:<job_ref>", so a retried or re-released job is charged once.
-- Times are ISO 8601 UTC, as in the journal.

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

-- `pullprint deliveries --state review`, reconciliation of in-flight rows.
CREATE INDEX deliveries_by_state ON deliveries(state, created_at);
CREATE INDEX deliveries_by_reservation ON deliveries(reservation_id);
