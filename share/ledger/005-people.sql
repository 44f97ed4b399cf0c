-- 005-people.sql: a site's people and groups, from its directories and from local definitions.
--
-- People and groups live in the ledger file beside the accounts they pay from, so one backup
-- and one set of permissions cover them, and a directory sync that renames a user can rename
-- their account in the same file. Times are unix seconds (UTC): allocation periods and the
-- leavers' grace period compare them, and tests inject a clock.
--
-- Nothing here is money: rows may be updated (a new e-mail address, a disabled leaver), but a
-- person is never deleted while the ledger has history for them; a leaver is archived.

CREATE TABLE people (
  id            INTEGER PRIMARY KEY,
  login         TEXT    NOT NULL UNIQUE CHECK (length(login) > 0),
  display_name  TEXT    NOT NULL DEFAULT '',
  email         TEXT    NOT NULL DEFAULT '',
  department    TEXT    NOT NULL DEFAULT '',
  -- '' for a person defined here; else the [directory NAME] they come from, and that
  -- directory's immutable identifier for them (entryUUID, objectGUID): a renamed user is found
  -- by it and keeps their account.
  source        TEXT    NOT NULL DEFAULT '',
  source_id     TEXT,
  state         TEXT    NOT NULL DEFAULT 'active'
                        CHECK (state IN ('active', 'disabled', 'archived')),
  state_since   INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK ((source = '') = (source_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX people_by_source_id ON people(source, source_id) WHERE source_id IS NOT NULL;

-- Groups: local ones (`pullprint group add`) and those a directory sync brings.
CREATE TABLE groups (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
  description  TEXT    NOT NULL DEFAULT '',
  source       TEXT    NOT NULL DEFAULT '',
  source_id    TEXT,
  created_at   INTEGER NOT NULL,
  CHECK ((source = '') = (source_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX groups_by_source_id ON groups(source, source_id) WHERE source_id IS NOT NULL;

-- Who is in a group, by login (users who print before any directory knows them are members of
-- local groups too). A directory group's rows are its effective members: nested groups are
-- followed by the sync. `since` is when the user joined: an allocation gives a user who joins
-- mid-period their share then.
CREATE TABLE group_members (
  group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user      TEXT    NOT NULL CHECK (length(user) > 0),
  since     INTEGER NOT NULL,
  PRIMARY KEY (group_id, user)
) STRICT, WITHOUT ROWID;

CREATE INDEX group_members_by_user ON group_members(user);
