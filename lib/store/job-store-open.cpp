// job-store-open.cpp: opening the held-job store: directories, database file, pragmas.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "store/job-store-sqlite.h"
#include "store/spool-file.h"

namespace pp {

namespace store_detail {

namespace {

// jobs.sqlite holds job titles and user names: it is created 0600 (SQLite would use 0644), and
// SQLite gives its -wal and -shm files the same mode.
void create_private_database_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) ::close(fd);  // exists already, or SQLite reports the error in detail
}

}  // namespace

Status status_from_exception(const std::exception& error) {
  if (const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error)) {
    int primary = sqlite->getErrorCode() & 0xff;
    if (primary == SQLITE_CONSTRAINT)
      return Status(Code::kConflict, std::string("job store constraint: ") + sqlite->what());
    return Status(Code::kIoError, std::string("job store: ") + sqlite->what());
  }
  return Status(Code::kInternal, std::string("job store: ") + error.what());
}

SqliteJobStore::SqliteJobStore(const std::string& database_path, std::string spool_dir)
    : db_(database_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          kBusyTimeoutMs),
      path_(database_path),
      spool_dir_(std::move(spool_dir)) {}

Status SqliteJobStore::initialize_once() {
  // WAL: the web pages and the CLI read while the server writes.
  std::string mode = db_.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal")
    return Status(Code::kIoError, path_ + ": cannot use WAL mode (journal_mode is " + mode + ")");
  // FULL like the ledger: a job acknowledged to the client must survive a power cut.
  db_.exec("PRAGMA synchronous = FULL");
  return migrate_job_store(db_, path_);
}

Status SqliteJobStore::initialize() {
  std::lock_guard lock(mutex_);
  // As in the ledger: processes creating the same new file together may get SQLITE_BUSY at
  // once (switching to WAL needs an exclusive lock); retry within the busy-timeout budget.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (int attempt = 1;; ++attempt) {
    try {
      return initialize_once();
    } catch (const SQLite::Exception& error) {
      bool busy = (error.getErrorCode() & 0xff) == SQLITE_BUSY;
      if (!busy || std::chrono::steady_clock::now() >= deadline)
        return status_from_exception(error);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
  }
}

}  // namespace store_detail

Result<std::unique_ptr<JobStore>> JobStore::open(const std::string& state_dir) {
  if (state_dir.empty()) return Status(Code::kInvalidArgument, "job store: empty state-dir");
  std::string spool = state_dir + "/spool";
  if (Status made = store_detail::ensure_private_dir(spool); !made.is_ok()) return made;
  std::string database = state_dir + "/jobs.sqlite";
  try {
    store_detail::create_private_database_file(database);
    auto store = std::make_unique<store_detail::SqliteJobStore>(database, spool);
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<JobStore>(std::move(store));
  } catch (const std::exception& error) {
    Status status = store_detail::status_from_exception(error);
    return Status(status.code(), "cannot open job store " + database + ": " + status.message());
  }
}

}  // namespace pp
