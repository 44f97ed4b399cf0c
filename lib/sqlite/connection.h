// connection.h: one SQLite connection shared by the ledger and the held-job store.
//
// Both keep their data in SQLite files that several processes write at once (pullprintd, the
// CUPS filter, the backend, the CLI). The rules for doing that safely live here, once: every
// write in its own BEGIN IMMEDIATE transaction (the single write lock is taken up front, so a
// read-check-write sequence never interleaves with another process and never has to be retried
// halfway), reads in one deferred transaction (a consistent snapshot), a busy timeout, a mutex
// so that one connection can serve several threads, and opening retried while another process
// is switching a new file to WAL.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <mutex>
#include <string>
#include <type_traits>

#include "util/status.h"

namespace pp::sqlite {

// How long a writer waits for another process's write lock before giving up with kIoError.
inline constexpr int kBusyTimeoutMs = 10'000;

inline bool is_ok(const Status& status) { return status.is_ok(); }
template <typename T>
bool is_ok(const Result<T>& result) {
  return result.ok();
}

class Connection {
 public:
  // Opens (creating) the database file; `name` ("ledger", "job store") prefixes error
  // messages; a constraint violation is reported as `on_constraint`. Throws SQLite::Exception.
  Connection(const std::string& path, std::string name, Code on_constraint);

  SQLite::Database& db() { return db_; }
  const std::string& path() const { return path_; }

  // Runs `setup` (pragmas, migrations) under the mutex, retrying it while SQLite answers
  // SQLITE_BUSY at once (a new file's switch to WAL needs an exclusive lock, and SQLite refuses
  // rather than deadlocks a lock upgrade), within the busy timeout.
  Status initialize(const std::function<Status(SQLite::Database&)>& setup);

  // Runs `body` inside BEGIN IMMEDIATE; commits only when it succeeds, so an error leaves the
  // database untouched. Exceptions become a Status.
  template <typename F>
  auto write(F&& body) -> std::invoke_result_t<F&> {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Transaction txn(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto result = body();
      if (is_ok(result)) txn.commit();
      return result;
    } catch (const std::exception& error) {
      return status_from_exception(error);
    }
  }

  // Runs `body` inside a deferred (read) transaction: one consistent snapshot, no write lock.
  template <typename F>
  auto read(F&& body) -> std::invoke_result_t<F&> {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Transaction txn(db_, SQLite::TransactionBehavior::DEFERRED);
      return body();  // nothing to commit; the destructor ends the snapshot
    } catch (const std::exception& error) {
      return status_from_exception(error);
    }
  }

  // Turns an exception from SQLiteCpp (or anything else) into a Status naming this database.
  Status status_from_exception(const std::exception& error) const;

 private:
  SQLite::Database db_;
  std::string path_;
  std::string name_;
  Code on_constraint_;
  std::mutex mutex_;
};

// The same conversion for code that has no Connection (yet): opening failures.
Status status_from_exception(const std::exception& error, const std::string& name,
                             Code on_constraint);

}  // namespace pp::sqlite
