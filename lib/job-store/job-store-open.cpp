// job-store-open.cpp: opening the held-job store: directories, database file, pragmas.
#include <fcntl.h>
#include <unistd.h>

#include "job-store/job-store-sqlite.h"
#include "job-store/spool-file.h"
#include "util/unique-fd.h"

namespace pp {

namespace store_detail {

namespace {

// jobs.sqlite holds job titles and user names: it is created 0600 (SQLite would use 0644), and
// SQLite gives its -wal and -shm files the same mode.
void create_private_database_file(const std::string& path) {
  // Closed at once; when it exists already, or cannot be made, SQLite reports the error in detail.
  const UniqueFd created(
      ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
}

}  // namespace

SqliteJobStore::SqliteJobStore(const std::string& database_path, std::string spool_dir)
    : connection_(database_path, "job store", Code::kConflict),
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
  return connection_.initialize([this](SQLite::Database&) { return initialize_once(); });
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
    Status status = sqlite::status_from_exception(error, "job store", Code::kConflict);
    return Status(status.code(), "cannot open job store " + database + ": " + status.message());
  }
}

}  // namespace pp
