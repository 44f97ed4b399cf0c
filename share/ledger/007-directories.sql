-- 007-directories.sql: what the directory sync (lib/directory) keeps besides people and groups.
--
-- directory_cards: which cards a [directory NAME] brought, so that a card gone from that
-- directory is blocked (and only those: a card added by hand is never touched by a sync), and
-- whether the sync blocked it (a card that comes back is made active again; one blocked by hand
-- stays blocked). A separate table rather than a column of `cards`, so that the cards' own
-- table and its migrations stay the card store's.
CREATE TABLE directory_cards (
  number           TEXT    PRIMARY KEY CHECK (length(number) BETWEEN 1 AND 64),
  directory        TEXT    NOT NULL CHECK (length(directory) > 0),
  blocked_by_sync  INTEGER NOT NULL DEFAULT 0 CHECK (blocked_by_sync IN (0, 1))
) STRICT, WITHOUT ROWID;

-- Each directory's last sync, as `pullprint directory status` shows it. Times are unix seconds.
-- outcome: 'ok', 'conflicts' (applied, some entries left out: last_error says which), or
-- 'failed' (nothing applied: last_error says why). The counts are those of the last sync that
-- applied (users, groups and cards read; writes made).
CREATE TABLE directory_syncs (
  directory        TEXT    PRIMARY KEY CHECK (length(directory) > 0),
  last_attempt_at  INTEGER NOT NULL,
  last_success_at  INTEGER,
  outcome          TEXT    NOT NULL CHECK (outcome IN ('ok', 'conflicts', 'failed')),
  users            INTEGER NOT NULL DEFAULT 0,
  groups           INTEGER NOT NULL DEFAULT 0,
  cards            INTEGER NOT NULL DEFAULT 0,
  changes          INTEGER NOT NULL DEFAULT 0,
  conflicts        INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT    NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
