// connection.cpp: Connection, the shared SQLite connection rules.
#include "sqlite/connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace pp::sqlite {

Status status_from_exception(const std::exception& error, const std::string& name,
                             Code on_constraint) {
  const auto* sqlite_error = dynamic_cast<const SQLite::Exception*>(&error);
  if (!sqlite_error) return Status(Code::kInternal, name + ": " + error.what());
  int code = sqlite_error->getErrorCode() & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return Status(Code::kIoError, name + " database is busy: another process kept it locked (" +
                                      error.what() + ")");
  }
  if (code == SQLITE_CONSTRAINT)
    return Status(on_constraint, name + " constraint violated: " + error.what());
  return Status(Code::kIoError, name + " database: " + error.what());
}

Connection::Connection(const std::string& path, std::string name, Code on_constraint)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          kBusyTimeoutMs),
      path_(path),
      name_(std::move(name)),
      on_constraint_(on_constraint) {}

Status Connection::status_from_exception(const std::exception& error) const {
  Status status = sqlite::status_from_exception(error, name_, on_constraint_);
  const auto* sqlite_error = dynamic_cast<const SQLite::Exception*>(&error);
  const int code = sqlite_error ? sqlite_error->getErrorCode() & 0xff : SQLITE_OK;
  if (code != SQLITE_CANTOPEN && code != SQLITE_IOERR && code != SQLITE_READONLY) return status;
  // "unable to open database file" alone does not say which file (the database, its -wal or
  // its -shm) nor why: name the path, SQLite's extended code and the system's errno.
  const int system_errno = sqlite3_system_errno(db_.getHandle());
  return Status(status.code(), status.message() + " (" + path_ + ", extended code " +
                                   std::to_string(sqlite_error->getExtendedErrorCode()) +
                                   (system_errno ? std::string(", ") + std::strerror(system_errno) : "") + ")");
}

namespace {

// How long a -wal or -shm file may be someone else's while another process creates it.
constexpr int kCreatingWalFileMs = 1'000;

// A -wal or -shm file that another process running as root (the CLI, the backend) is creating
// is, for a moment, root's with the umask's mode: SQLite creates it, then gives it the database
// file's mode and owner. A process of another user (the filter as lp) that opens it in that
// moment gets "unable to open database file" (EACCES); a moment later it can.
bool wal_file_being_created(const SQLite::Exception& error, sqlite3* db) {
  return (error.getErrorCode() & 0xff) == SQLITE_CANTOPEN && sqlite3_system_errno(db) == EACCES;
}

}  // namespace

Status Connection::initialize(const std::function<Status(SQLite::Database&)>& setup) {
  std::lock_guard lock(mutex_);
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(kBusyTimeoutMs);
  const auto creating_deadline = start + std::chrono::milliseconds(kCreatingWalFileMs);
  for (int attempt = 1;; ++attempt) {
    try {
      return setup(db_);
    } catch (const SQLite::Exception& error) {
      const auto now = std::chrono::steady_clock::now();
      const bool busy = (error.getErrorCode() & 0xff) == SQLITE_BUSY && now < deadline;
      const bool creating =
          wal_file_being_created(error, db_.getHandle()) && now < creating_deadline;
      if (!busy && !creating) return status_from_exception(error);
    } catch (const std::exception& error) {
      return status_from_exception(error);
    }
    // A short, growing pause: the other process holds the lock for one schema step only.
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
  }
}

}  // namespace pp::sqlite
