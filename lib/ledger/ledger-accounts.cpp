// ledger-accounts.cpp: creating, reading and configuring accounts, and shared-account members.
#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"
#include "sqlite/rows.h"

namespace pp::ledger_detail {

namespace {

Status check_credit_limit(std::int64_t credit_limit) {
  if (credit_limit >= 0) return Status::ok();
  return Status(Code::kInvalidArgument,
                "credit limit must not be negative: " + std::to_string(credit_limit));
}

// The idempotency key of the starting allocation of a personal account.
std::string initial_key(std::string_view user) {
  return "initial:" + std::string(user);
}

}  // namespace

// Creates an account; kAlreadyExists when the name is taken.
Result<Account> SqliteLedger::create_account(const NewAccount& spec) {
  if (Status status = check_name("account name", spec.name); !status.is_ok()) return status;
  if (Status status = check_credit_limit(spec.credit_limit); !status.is_ok()) return status;
  return write([&]() -> Result<Account> {
    if (load_account(spec.name).ok()) {
      return Status(Code::kAlreadyExists, "account '" + spec.name + "' already exists");
    }
    SQLite::Statement insert(db_,
                             "INSERT INTO accounts (name, type, display_name, credit_limit,"
                             "                      unlimited, created_at)"
                             " VALUES (?, ?, ?, ?, ?, ?)");
    sqlite::bind_values(insert, spec.name, std::string(account_type_name(spec.type)),
                        spec.display_name, spec.credit_limit, spec.unlimited ? 1 : 0, now_utc());
    insert.exec();
    return load_account(spec.name);
  });
}

// Returns one account; kNotFound naming it when unknown.
Result<Account> SqliteLedger::get_account(std::string_view name) {
  return read([&] { return load_account(name); });
}

// All accounts, ordered by name.
Result<std::vector<Account>> SqliteLedger::list_accounts() {
  return read([&]() -> Result<std::vector<Account>> {
    SQLite::Statement query(db_, std::string(kAccountColumns) + " ORDER BY name");
    std::vector<Account> accounts;
    while (query.executeStep()) accounts.push_back(account_from_row(query));
    return accounts;
  });
}

// The personal account of `user`, created with an "initial:<user>" allocation on first use.
// The existence check, insert and allocation share one BEGIN IMMEDIATE transaction, so two
// processes racing on a user's first job create one account and one allocation.
Result<Account> SqliteLedger::ensure_personal_account(std::string_view user,
                                                      std::int64_t initial_balance) {
  if (Status status = check_name("user", user); !status.is_ok()) return status;
  if (initial_balance < 0) {
    return Status(Code::kInvalidArgument,
                  "initial balance must not be negative: " + std::to_string(initial_balance));
  }
  // Every job calls this; the common case needs no write lock.
  Result<Account> existing = get_account(user);
  if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing;
  if (!existing.ok()) {
    existing = write([&]() -> Result<Account> {
      SQLite::Statement insert(db_,
                               "INSERT OR IGNORE INTO accounts (name, type, created_at)"
                               " VALUES (?, 'personal', ?)");
      insert.bind(1, std::string(user));
      insert.bind(2, now_utc());
      bool created = insert.exec() == 1;
      Result<Account> account = load_account(user);
      if (created && initial_balance > 0 && account.ok() && !load_entry_by_key(initial_key(user))) {
        append(account->id, EntryKind::kAllocation, initial_balance, std::nullopt,
               initial_key(user), "pullprint", "initial balance", initial_balance);
        account = load_account(user);
      }
      return account;
    });
  }
  if (existing.ok() && existing->type != AccountType::kPersonal) {
    return Status(Code::kConflict, "account '" + std::string(user) +
                                       "' is a shared account, not the personal account of a user");
  }
  return existing;
}

// Sets how far below zero the account may go, or lifts the limit altogether.
Status SqliteLedger::set_credit_limit(std::string_view account, std::int64_t credit_limit,
                                      bool unlimited) {
  if (Status status = check_credit_limit(credit_limit); !status.is_ok()) return status;
  return write([&]() -> Status {
    SQLite::Statement update(db_,
                             "UPDATE accounts SET credit_limit = ?, unlimited = ? WHERE name = ?");
    sqlite::bind_values(update, credit_limit, unlimited ? 1 : 0, std::string(account));
    return update.exec() == 1 ? Status::ok() : unknown_account(account);
  });
}

// Enables or disables charging the account.
Status SqliteLedger::set_enabled(std::string_view account, bool enabled) {
  return write([&]() -> Status {
    SQLite::Statement update(db_, "UPDATE accounts SET enabled = ? WHERE name = ?");
    update.bind(1, enabled ? 1 : 0);
    update.bind(2, std::string(account));
    return update.exec() == 1 ? Status::ok() : unknown_account(account);
  });
}

// Lets `user` charge `account`; adding an existing member is not an error.
Status SqliteLedger::add_member(std::string_view account, std::string_view user) {
  if (Status status = check_name("user", user); !status.is_ok()) return status;
  return write([&]() -> Status {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    SQLite::Statement insert(db_,
                             "INSERT OR IGNORE INTO account_members (account_id, user)"
                             " VALUES (?, ?)");
    insert.bind(1, found->id);
    insert.bind(2, std::string(user));
    insert.exec();
    return Status::ok();
  });
}

// Takes `user` off the account's members; kNotFound when they were not one.
Status SqliteLedger::remove_member(std::string_view account, std::string_view user) {
  return write([&]() -> Status {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    SQLite::Statement remove(db_, "DELETE FROM account_members WHERE account_id = ? AND user = ?");
    remove.bind(1, found->id);
    remove.bind(2, std::string(user));
    if (remove.exec() == 1) return Status::ok();
    return Status(Code::kNotFound, "'" + std::string(user) + "' is not a member of account '" +
                                       std::string(account) + "'");
  });
}

// Whether `user` may charge `account`: its owner (personal account named after the user) or a
// member. Says nothing about funds or whether the account is enabled.
Result<bool> SqliteLedger::may_charge(std::string_view user, std::string_view account) {
  return read([&]() -> Result<bool> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    if (found->type == AccountType::kPersonal && found->name == user) return true;
    SQLite::Statement query(db_, "SELECT 1 FROM account_members WHERE account_id = ? AND user = ?");
    query.bind(1, found->id);
    query.bind(2, std::string(user));
    return query.executeStep();
  });
}

// The members of an account, sorted.
Result<std::vector<std::string>> SqliteLedger::members(std::string_view account) {
  return read([&]() -> Result<std::vector<std::string>> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    SQLite::Statement query(db_,
                            "SELECT user FROM account_members WHERE account_id = ? ORDER BY user");
    query.bind(1, found->id);
    std::vector<std::string> users;
    while (query.executeStep()) users.push_back(query.getColumn(0).getString());
    return users;
  });
}

}  // namespace pp::ledger_detail
