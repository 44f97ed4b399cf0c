// people-sqlite.h: the SQLite PeopleStore on the ledger file (private to lib/people; the
// directory sync writes through it too).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include "people/people.h"
#include "sqlite/connection.h"

namespace pp::people_detail {

class SqlitePeopleStore final : public PeopleStore {
 public:
  SqlitePeopleStore(const std::string& path, PeopleClock clock);

  Status initialize();

  Result<std::optional<Person>> find_person(std::string_view login) override;
  Result<std::vector<Person>> list_people() override;
  Status create_group(std::string_view name, std::string_view description) override;
  Status delete_group(std::string_view name) override;
  Status add_member(std::string_view group, std::string_view user) override;
  Status remove_member(std::string_view group, std::string_view user) override;
  Result<Group> get_group(std::string_view name) override;
  Result<std::vector<Group>> list_groups() override;
  Result<std::vector<Membership>> members_of(std::string_view group) override;
  Result<std::vector<Membership>> groups_of(std::string_view user) override;
  Result<bool> is_member(std::string_view user, std::string_view group) override;

 private:
  // The id of a group that local calls may change: kNotFound, or kPermissionDenied for a
  // directory's group. Inside a transaction.
  Result<std::int64_t> local_group_id(std::string_view name);

  sqlite::Connection connection_;
  SQLite::Database& db_;
  PeopleClock clock_;
};

// SELECT lists matching person_from_row() and group_from_row().
inline constexpr const char* kPersonColumns =
    "login, display_name, email, department, source, source_id, state, state_since, created_at, "
    "updated_at";
inline constexpr const char* kGroupColumns =
    "name, description, source, created_at, "
    "(SELECT count(*) FROM group_members m WHERE m.group_id = groups.id)";

// Reads a row selected with kPersonColumns / kGroupColumns.
Person person_from_row(SQLite::Statement& row);
Group group_from_row(SQLite::Statement& row);

}  // namespace pp::people_detail
