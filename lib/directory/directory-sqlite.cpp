// directory-sqlite.cpp: the SQLite DirectoryStore on the ledger file (the contract is in
// directory-store.h): the state read and the plan written under one BEGIN IMMEDIATE.
#include <algorithm>

#include "directory/directory-store.h"
#include "site/site.h"
#include "sqlite/connection.h"
#include "sqlite/rows.h"
#include "util/utc-time.h"

namespace pp {

namespace {

// The people store's SELECT list (people-sqlite.h), repeated: that header is private to
// lib/people.
constexpr const char* kPeopleSelect =
    "SELECT login, display_name, email, department, source, coalesce(source_id, ''), state, "
    "state_since, created_at, updated_at FROM people";

// A temporary login during a rename's first step; no real login starts with a control
// character (they are refused on the way in).
std::string parked(const std::string& login) {
  return "\x01rename\x01" + login;
}

class SqliteDirectoryStore final : public DirectoryStore {
 public:
  explicit SqliteDirectoryStore(const std::string& path)
      : connection_(path, "ledger (directory sync)", Code::kInternal), db_(connection_.db()) {}

  Status initialize() {
    return connection_.initialize([this](SQLite::Database& db) {
      db.exec("PRAGMA foreign_keys = ON");
      if (db.execAndGet("PRAGMA user_version").getInt() < 7)
        return Status(Code::kInternal, connection_.path() + ": ledger has no directory tables");
      return Status::ok();
    });
  }

  Result<DirectoryState> load_state(std::string_view directory) override {
    return connection_.read([&]() -> Result<DirectoryState> { return read_state(directory); });
  }

  Result<DirectoryPlan> apply(std::string_view directory,
                              const DirectoryPlanner& planner) override {
    return connection_.write([&]() -> Result<DirectoryPlan> {
      DirectoryState state = read_state(directory);
      DirectoryPlan plan = planner(state);
      write_plan(plan);
      record(plan);
      return plan;
    });
  }

  Status record_failure(std::string_view directory, std::int64_t at,
                        std::string_view error) override {
    return connection_.write([&]() -> Status {
      SQLite::Statement upsert(
          db_,
          "INSERT INTO directory_syncs (directory, last_attempt_at, outcome, last_error)"
          " VALUES (?, ?, 'failed', ?) ON CONFLICT (directory) DO UPDATE SET"
          " last_attempt_at = excluded.last_attempt_at, outcome = 'failed',"
          " last_error = excluded.last_error");
      sqlite::bind_values(upsert, std::string(directory), at, std::string(error));
      upsert.exec();
      return Status::ok();
    });
  }

  Result<std::vector<DirectorySyncRecord>> list_syncs() override {
    return connection_.read([&]() -> Result<std::vector<DirectorySyncRecord>> {
      SQLite::Statement query(db_,
                              "SELECT directory, last_attempt_at, last_success_at, outcome, users,"
                              " groups, cards, changes, conflicts, last_error"
                              " FROM directory_syncs ORDER BY directory");
      std::vector<DirectorySyncRecord> records;
      while (query.executeStep()) {
        DirectorySyncRecord record;
        sqlite::read_columns(query, record.directory, record.last_attempt_at,
                             record.last_success_at, record.outcome, record.users, record.groups,
                             record.cards, record.changes, record.conflicts, record.last_error);
        records.push_back(std::move(record));
      }
      return records;
    });
  }

 private:
  DirectoryState read_state(std::string_view directory) {
    DirectoryState state;
    SQLite::Statement people(db_, kPeopleSelect);
    while (people.executeStep()) {
      Person person;
      std::string person_state;
      sqlite::read_columns(people, person.login, person.display_name, person.email,
                           person.department, person.source, person.source_id, person_state,
                           person.state_since, person.created_at, person.updated_at);
      person.state = parse_person_state(person_state).value_or(PersonState::kActive);
      state.people.push_back(std::move(person));
    }
    SQLite::Statement accounts(db_, "SELECT name, type, enabled, display_name FROM accounts");
    while (accounts.executeStep()) {
      StoredAccount account;
      std::string type;
      sqlite::read_columns(accounts, account.name, type, account.enabled, account.display_name);
      account.personal = type == "personal";
      state.accounts.push_back(std::move(account));
    }
    SQLite::Statement groups(
        db_, "SELECT name, description, source, coalesce(source_id, '') FROM groups");
    while (groups.executeStep()) {
      StoredGroup group;
      sqlite::read_columns(groups, group.name, group.description, group.source, group.source_id);
      state.groups.push_back(std::move(group));
    }
    SQLite::Statement members(db_,
                              "SELECT g.name, m.user, m.since FROM group_members m"
                              " JOIN groups g ON g.id = m.group_id WHERE g.source = ?");
    sqlite::bind_values(members, std::string(directory));
    while (members.executeStep()) {
      Membership membership;
      sqlite::read_columns(members, membership.group, membership.user, membership.since);
      state.memberships.push_back(std::move(membership));
    }
    SQLite::Statement cards(db_,
                            "SELECT c.number, c.user, c.state = 'blocked',"
                            " coalesce(d.directory, ''), coalesce(d.blocked_by_sync, 0)"
                            " FROM cards c LEFT JOIN directory_cards d ON d.number = c.number");
    while (cards.executeStep()) {
      StoredCard card;
      sqlite::read_columns(cards, card.number, card.user, card.blocked, card.directory,
                           card.blocked_by_sync);
      state.cards.push_back(std::move(card));
    }
    return state;
  }

  // Moves a login in every table that names a user by login.
  void move_login(const std::string& from, const std::string& to) {
    for (const char* sql : {"UPDATE people SET login = ?2 WHERE login = ?1",
                            "UPDATE accounts SET name = ?2 WHERE name = ?1 AND type = 'personal'",
                            "UPDATE group_members SET user = ?2 WHERE user = ?1",
                            "UPDATE account_members SET user = ?2 WHERE user = ?1",
                            "UPDATE cards SET user = ?2 WHERE user = ?1"}) {
      SQLite::Statement update(db_, sql);
      sqlite::bind_values(update, from, to);
      update.exec();
    }
  }

  void write_plan(const DirectoryPlan& plan) {
    for (const GroupWrite& write : plan.groups) {
      if (write.kind != GroupWriteKind::kDelete) continue;
      SQLite::Statement remove(db_, "DELETE FROM groups WHERE name = ? AND source = ?");
      sqlite::bind_values(remove, write.old_name, plan.directory);
      remove.exec();
    }
    for (const LoginRename& rename : plan.renames) move_login(rename.from, parked(rename.from));
    for (const LoginRename& rename : plan.renames) move_login(parked(rename.from), rename.to);

    SQLite::Statement create_person(
        db_,
        "INSERT INTO people (login, display_name, email, department, source, source_id, state,"
        " state_since, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)");
    SQLite::Statement adopt_person(
        db_,
        "UPDATE people SET display_name = ?, email = ?, department = ?, source = ?,"
        " source_id = ?, state = 'active', state_since = ?, updated_at = ?"
        " WHERE login = ? AND source = ''");
    SQLite::Statement update_person(
        db_,
        "UPDATE people SET login = ?, display_name = ?, email = ?, department = ?, state = ?,"
        " state_since = ?, updated_at = ? WHERE source = ? AND source_id = ?");
    for (const PersonWrite& write : plan.people) {
      const Person& p = write.person;
      SQLite::Statement* statement = nullptr;
      if (write.kind == PersonWriteKind::kCreate) {
        statement = &create_person;
        sqlite::bind_values(create_person, p.login, p.display_name, p.email, p.department, p.source,
                            p.source_id, plan.now, plan.now, plan.now);
      } else if (write.kind == PersonWriteKind::kAdopt) {
        statement = &adopt_person;
        sqlite::bind_values(adopt_person, p.display_name, p.email, p.department, p.source,
                            p.source_id, plan.now, plan.now, p.login);
      } else {
        statement = &update_person;
        sqlite::bind_values(update_person, p.login, p.display_name, p.email, p.department,
                            std::string(person_state_name(p.state)), p.state_since, plan.now,
                            p.source, p.source_id);
      }
      if (statement->exec() != 1)
        throw std::runtime_error("directory sync: person " + p.login + " was not written");
      statement->reset();
      statement->clearBindings();
    }

    std::string created_at = now_utc();
    for (const AccountWrite& write : plan.accounts) {
      if (write.kind == AccountWriteKind::kCreate) {
        SQLite::Statement insert(db_,
                                 "INSERT INTO accounts (name, type, display_name, created_at)"
                                 " VALUES (?, 'personal', ?, ?)");
        sqlite::bind_values(insert, write.name, write.display_name, created_at);
        insert.exec();
        continue;
      }
      SQLite::Statement update(
          db_, write.kind == AccountWriteKind::kDisplayName
                   ? "UPDATE accounts SET display_name = ?2 WHERE name = ?1 AND type = 'personal'"
                   : "UPDATE accounts SET enabled = ?2 WHERE name = ?1 AND type = 'personal'");
      if (write.kind == AccountWriteKind::kDisplayName)
        sqlite::bind_values(update, write.name, write.display_name);
      else
        sqlite::bind_values(update, write.name, write.kind == AccountWriteKind::kEnable ? 1 : 0);
      if (update.exec() != 1)
        throw std::runtime_error("directory sync: account " + write.name + " was not changed");
    }

    for (const GroupWrite& write : plan.groups) {
      if (write.kind == GroupWriteKind::kCreate) {
        SQLite::Statement insert(db_,
                                 "INSERT INTO groups (name, description, source, source_id,"
                                 " created_at) VALUES (?, ?, ?, ?, ?)");
        sqlite::bind_values(insert, write.group.name, write.group.description, plan.directory,
                            write.group.source_id, plan.now);
        insert.exec();
      } else if (write.kind == GroupWriteKind::kUpdate) {
        SQLite::Statement update(db_,
                                 "UPDATE groups SET name = ?, description = ?"
                                 " WHERE source = ? AND source_id = ?");
        sqlite::bind_values(update, write.group.name, write.group.description, plan.directory,
                            write.group.source_id);
        update.exec();
      }
    }

    SQLite::Statement add_member(db_,
                                 "INSERT INTO group_members (group_id, user, since)"
                                 " SELECT id, ?, ? FROM groups WHERE name = ? AND source = ?");
    SQLite::Statement remove_member(
        db_,
        "DELETE FROM group_members WHERE user = ?"
        " AND group_id = (SELECT id FROM groups WHERE name = ? AND source = ?)");
    for (const MemberWrite& write : plan.members) {
      SQLite::Statement& statement = write.add ? add_member : remove_member;
      if (write.add)
        sqlite::bind_values(add_member, write.user, plan.now, write.group, plan.directory);
      else
        sqlite::bind_values(remove_member, write.user, write.group, plan.directory);
      if (statement.exec() != 1)
        throw std::runtime_error("directory sync: member " + write.user + " of " + write.group +
                                 " was not written");
      statement.reset();
      statement.clearBindings();
    }

    for (const CardWrite& write : plan.cards) {
      if (write.kind == CardWriteKind::kAdd) {
        SQLite::Statement insert(db_,
                                 "INSERT INTO cards (number, user, created_at) VALUES (?, ?, ?)");
        sqlite::bind_values(insert, write.number, write.user, plan.now);
        insert.exec();
      } else if (write.kind == CardWriteKind::kAssign) {
        SQLite::Statement update(db_,
                                 "UPDATE cards SET user = ?, state = 'active' WHERE number = ?");
        sqlite::bind_values(update, write.user, write.number);
        update.exec();
      } else {
        SQLite::Statement update(db_, "UPDATE cards SET state = 'blocked' WHERE number = ?");
        sqlite::bind_values(update, write.number);
        update.exec();
      }
      SQLite::Statement mark(db_,
                             "INSERT INTO directory_cards (number, directory, blocked_by_sync)"
                             " VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET"
                             " directory = excluded.directory,"
                             " blocked_by_sync = excluded.blocked_by_sync");
      sqlite::bind_values(mark, write.number, plan.directory,
                          write.kind == CardWriteKind::kBlock ? 1 : 0);
      mark.exec();
    }
  }

  void record(const DirectoryPlan& plan) {
    std::string error;
    if (!plan.conflicts.empty()) {
      error = std::to_string(plan.conflicts.size()) + " conflict(s): " + plan.conflicts.front();
      if (plan.conflicts.size() > 1) error += "; ...";
    }
    SQLite::Statement upsert(
        db_,
        "INSERT INTO directory_syncs (directory, last_attempt_at, last_success_at, outcome, users,"
        " groups, cards, changes, conflicts, last_error) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7,"
        " ?8, ?9) ON CONFLICT (directory) DO UPDATE SET last_attempt_at = ?2,"
        " last_success_at = ?2, outcome = ?3, users = ?4, groups = ?5, cards = ?6, changes = ?7,"
        " conflicts = ?8, last_error = ?9");
    sqlite::bind_values(upsert, plan.directory, plan.now,
                        std::string(plan.conflicts.empty() ? "ok" : "conflicts"), plan.users_read,
                        plan.groups_read, plan.cards_read,
                        static_cast<std::int64_t>(plan.change_count()),
                        static_cast<std::int64_t>(plan.conflicts.size()), error);
    upsert.exec();
  }

  sqlite::Connection connection_;
  SQLite::Database& db_;
};

}  // namespace

Result<std::unique_ptr<DirectoryStore>> open_sqlite_directory_store(const std::string& path,
                                                                    LedgerMigrations migrations) {
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(path);  // runs the migrations
    if (!ledger) return ledger.status();
  }
  try {
    auto store = std::make_unique<SqliteDirectoryStore>(path);
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<DirectoryStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "ledger (directory sync)", Code::kInternal);
  }
}

Result<std::unique_ptr<DirectoryStore>> open_directory_store(const Config& config) {
  return open_sqlite_directory_store(Site::ledger_path_of(config), LedgerMigrations::kRun);
}

}  // namespace pp
