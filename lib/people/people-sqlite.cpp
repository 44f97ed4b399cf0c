// people-sqlite.cpp: the SQLite people store: reading people and groups, and local groups.
#include "people/people-sqlite.h"

#include "sqlite/rows.h"

namespace pp::people_detail {

namespace {

// A login from a command line or the network, before it is stored as a member.
Status validate_login(std::string_view user) {
  if (user.empty() || user.size() > 256)
    return Status(Code::kInvalidArgument, "a user name has 1 to 256 characters");
  for (char c : user) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ',' || c == ' ' || c == '@')
      return Status(Code::kInvalidArgument,
                    "a user name has no control characters, spaces, commas or '@'");
  }
  return Status::ok();
}

Membership membership_from_row(SQLite::Statement& row) {
  Membership membership;
  sqlite::read_columns(row, membership.group, membership.user, membership.since);
  return membership;
}

// Runs a SELECT of memberships with `value` bound.
std::vector<Membership> memberships(SQLite::Database& db, const char* sql, std::string_view value) {
  SQLite::Statement query(db, sql);
  sqlite::bind_values(query, std::string(value));
  std::vector<Membership> found;
  while (query.executeStep()) found.push_back(membership_from_row(query));
  return found;
}

}  // namespace

Person person_from_row(SQLite::Statement& row) {
  Person person;
  std::string state;
  sqlite::read_columns(row, person.login, person.display_name, person.email, person.department,
                       person.source, person.source_id, state, person.state_since,
                       person.created_at, person.updated_at);
  person.state = parse_person_state(state).value_or(PersonState::kActive);
  return person;
}

Group group_from_row(SQLite::Statement& row) {
  Group group;
  sqlite::read_columns(row, group.name, group.description, group.source, group.created_at,
                       group.members);
  return group;
}

// A constraint firing means a bug: every write checks its input first.
SqlitePeopleStore::SqlitePeopleStore(const std::string& path, PeopleClock clock)
    : connection_(path, "people store", Code::kInternal),
      db_(connection_.db()),
      clock_(std::move(clock)) {}

Status SqlitePeopleStore::initialize() {
  return connection_.initialize([this](SQLite::Database& db) {
    db.exec("PRAGMA foreign_keys = ON");
    if (db.execAndGet("PRAGMA user_version").getInt() < 5)
      return Status(Code::kInternal, connection_.path() + ": ledger has no people tables");
    return Status::ok();
  });
}

Result<std::optional<Person>> SqlitePeopleStore::find_person(std::string_view login) {
  return connection_.read([&]() -> Result<std::optional<Person>> {
    return sqlite::query_one(
        db_, std::string("SELECT ") + kPersonColumns + " FROM people WHERE login = ?",
        person_from_row, std::string(login));
  });
}

Result<std::vector<Person>> SqlitePeopleStore::list_people() {
  return connection_.read([&]() -> Result<std::vector<Person>> {
    SQLite::Statement query(
        db_, std::string("SELECT ") + kPersonColumns + " FROM people ORDER BY login");
    std::vector<Person> people;
    while (query.executeStep()) people.push_back(person_from_row(query));
    return people;
  });
}

Status SqlitePeopleStore::create_group(std::string_view name, std::string_view description) {
  if (Status status = validate_group_name(name); !status.is_ok()) return status;
  return connection_.write([&]() -> Status {
    SQLite::Statement exists(db_, "SELECT source FROM groups WHERE name = ?");
    sqlite::bind_values(exists, std::string(name));
    if (exists.executeStep()) {
      const std::string source = exists.getColumn(0).getString();
      return Status(Code::kAlreadyExists,
                    "group " + std::string(name) + " exists" +
                        (source.empty() ? "" : " (from directory " + source + ")"));
    }
    SQLite::Statement insert(db_,
                             "INSERT INTO groups (name, description, created_at) VALUES (?, ?, ?)");
    sqlite::bind_values(insert, std::string(name), std::string(description), clock_());
    insert.exec();
    return Status::ok();
  });
}

Result<std::int64_t> SqlitePeopleStore::local_group_id(std::string_view name) {
  SQLite::Statement query(db_, "SELECT id, source FROM groups WHERE name = ?");
  sqlite::bind_values(query, std::string(name));
  if (!query.executeStep()) return Status(Code::kNotFound, "no group " + std::string(name));
  const std::string source = query.getColumn(1).getString();
  if (!source.empty()) {
    return Status(Code::kPermissionDenied, "group " + std::string(name) + " comes from directory " +
                                               source + "; change it there");
  }
  return query.getColumn(0).getInt64();
}

Status SqlitePeopleStore::delete_group(std::string_view name) {
  return connection_.write([&]() -> Status {
    Result<std::int64_t> id = local_group_id(name);
    if (!id) return id.status();
    SQLite::Statement remove(db_, "DELETE FROM groups WHERE id = ?");
    sqlite::bind_values(remove, *id);
    remove.exec();  // ON DELETE CASCADE removes the memberships
    return Status::ok();
  });
}

Status SqlitePeopleStore::add_member(std::string_view group, std::string_view user) {
  if (Status status = validate_login(user); !status.is_ok()) return status;
  return connection_.write([&]() -> Status {
    Result<std::int64_t> id = local_group_id(group);
    if (!id) return id.status();
    // OR IGNORE: a member added again keeps the time they first joined.
    SQLite::Statement insert(
        db_, "INSERT OR IGNORE INTO group_members (group_id, user, since) VALUES (?, ?, ?)");
    sqlite::bind_values(insert, *id, std::string(user), clock_());
    insert.exec();
    return Status::ok();
  });
}

Status SqlitePeopleStore::remove_member(std::string_view group, std::string_view user) {
  return connection_.write([&]() -> Status {
    Result<std::int64_t> id = local_group_id(group);
    if (!id) return id.status();
    SQLite::Statement remove(db_, "DELETE FROM group_members WHERE group_id = ? AND user = ?");
    sqlite::bind_values(remove, *id, std::string(user));
    if (remove.exec() == 0) {
      return Status(Code::kNotFound, std::string(user) + " is not in group " + std::string(group));
    }
    return Status::ok();
  });
}

Result<Group> SqlitePeopleStore::get_group(std::string_view name) {
  return connection_.read([&]() -> Result<Group> {
    std::optional<Group> group = sqlite::query_one(
        db_, std::string("SELECT ") + kGroupColumns + " FROM groups WHERE name = ?", group_from_row,
        std::string(name));
    if (!group) return Status(Code::kNotFound, "no group " + std::string(name));
    return *group;
  });
}

Result<std::vector<Group>> SqlitePeopleStore::list_groups() {
  return connection_.read([&]() -> Result<std::vector<Group>> {
    SQLite::Statement query(db_,
                            std::string("SELECT ") + kGroupColumns + " FROM groups ORDER BY name");
    std::vector<Group> groups;
    while (query.executeStep()) groups.push_back(group_from_row(query));
    return groups;
  });
}

Result<std::vector<Membership>> SqlitePeopleStore::members_of(std::string_view group) {
  return connection_.read([&]() -> Result<std::vector<Membership>> {
    if (!sqlite::query_one(
            db_, "SELECT 1 FROM groups WHERE name = ?", [](SQLite::Statement&) { return true; },
            std::string(group))) {
      return Status(Code::kNotFound, "no group " + std::string(group));
    }
    return memberships(db_,
                       "SELECT g.name, m.user, m.since FROM group_members m "
                       "JOIN groups g ON g.id = m.group_id WHERE g.name = ? ORDER BY m.user",
                       group);
  });
}

Result<std::vector<Membership>> SqlitePeopleStore::groups_of(std::string_view user) {
  return connection_.read([&]() -> Result<std::vector<Membership>> {
    return memberships(db_,
                       "SELECT g.name, m.user, m.since FROM group_members m "
                       "JOIN groups g ON g.id = m.group_id WHERE m.user = ? ORDER BY g.name",
                       user);
  });
}

Result<bool> SqlitePeopleStore::is_member(std::string_view user, std::string_view group) {
  return connection_.read([&]() -> Result<bool> {
    return sqlite::query_one(
               db_,
               "SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id "
               "WHERE g.name = ? AND m.user = ?",
               [](SQLite::Statement&) { return true; }, std::string(group), std::string(user))
        .has_value();
  });
}

}  // namespace pp::people_detail

namespace pp {

Result<std::unique_ptr<PeopleStore>> open_sqlite_people_store(const std::string& path,
                                                              PeopleClock clock,
                                                              LedgerMigrations migrations) {
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(path);  // runs the migrations
    if (!ledger) return ledger.status();
  }
  try {
    auto store = std::make_unique<people_detail::SqlitePeopleStore>(path, std::move(clock));
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<PeopleStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "people store", Code::kInternal);
  }
}

}  // namespace pp
