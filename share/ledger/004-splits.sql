-- 004-splits.sql: jobs whose cost is split among several payers (lib/splits/splits.h).
--
-- One `splits` row per held job that is split, one `split_shares` row per payer. A share's
-- money lives in the ledger: reserved when its payer approves (key
-- "reserve:split:<job_ref>:<payer>"), captured when the part prints, voided when it is
-- discarded; `pullprint ledger check` (check_splits) proves the rows and the reservations agree.
-- Times are ISO 8601 UTC, as in the journal; the strings sort by time.

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

CREATE INDEX splits_open_by_deadline ON splits(deadline) WHERE state = 'open';
CREATE INDEX splits_by_owner ON splits(owner);

-- A payer's share. `cover_of` is '' for a payer's own share; in a ratio split under
-- owner-covers, the owner takes over a declined or expired share in a row of its own:
-- payer = the owner, cover_of = the payer who declined, same amount.
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

CREATE INDEX split_shares_by_payer ON split_shares(payer, state);
CREATE INDEX split_shares_by_split ON split_shares(split_id, position);
