// ledger-open.cpp: opening the SQLite ledger: file creation, connection pragmas, migrations.
//
// Sharing between processes: pullprintd runs as the service user, the CUPS filter and backend
// as lp, the PAM module as whoever authenticates, the admin CLI often as root. The expected
// layout is a state directory owned by the service user, group lp, mode 2770 (setgid: new files
// get group lp), and services running with umask 0007. SQLite gives its -wal and -shm files the
// mode (and, when running as root, the owner) of the database file, so only the creation of
// ledger.sqlite itself needs care; see create_database_file().
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "ledger/ledger-schema.h"
#include "ledger/ledger-sqlite.h"
#include "util/unique-fd.h"

namespace pp {

namespace ledger_detail {

namespace {

// Creates the database file if it does not exist yet, shaped by its directory: without this,
// SQLite would create it 0644 at most, and `pullprint account create` run by root before the
// first job would leave a root-owned file that the CUPS filter (user lp) cannot open. So a file
// that we have just created (never an existing one):
//  - is asked for 0660, which the umask narrows as usual;
//  - gets group read+write back when the directory itself is group-writable (the admin's sign
//    that the group, lp, shares the state);
//  - when we are root, gets the directory's owner and group, as SQLite does for its -wal and
//    -shm files.
void create_database_file(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  const UniqueFd file(
      ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0660));
  if (!file.valid()) return;  // exists already, or SQLite will report the error with more detail
  std::string dir = std::filesystem::path(path).parent_path().string();
  struct stat dir_info {};
  struct stat file_info {};
  if (::stat(dir.empty() ? "." : dir.c_str(), &dir_info) == 0 &&
      ::fstat(file.get(), &file_info) == 0) {
    if ((dir_info.st_mode & S_IWGRP) && !(file_info.st_mode & S_IWGRP)) {
      if (::fchmod(file.get(), (file_info.st_mode & 0777) | S_IRGRP | S_IWGRP) != 0) {
        // Best effort: the opener that cannot write will report it.
      }
    }
    if (::geteuid() == 0 && ::fchown(file.get(), dir_info.st_uid, dir_info.st_gid) != 0) {
      // Best effort, as above.
    }
  }
}

}  // namespace

// A constraint firing means a bug or tampering: our own checks run before every write.
SqliteLedger::SqliteLedger(const std::string& path)
    : connection_(path, "ledger", Code::kInternal), path_(path) {}

Status SqliteLedger::initialize_once() {
  // WAL: readers never block the writer and vice versa, which matters when the CUPS filter,
  // the backend and pullprintd all touch the ledger during one job.
  std::string mode = db_.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal" && path_ != ":memory:") {
    return Status(Code::kIoError, path_ + ": cannot use WAL mode (journal_mode is " + mode +
                                      "); is it on a network file system?");
  }
  // FULL, not NORMAL: in WAL mode NORMAL is safe against corruption but may lose the last
  // commits on power loss, and a lost top-up at the cashier's desk or a lost capture is lost
  // money. The price is one fsync of the WAL per commit, small next to a print job.
  db_.exec("PRAGMA synchronous = FULL");
  db_.exec("PRAGMA foreign_keys = ON");
  return migrate(db_, path_);
}

Status SqliteLedger::initialize() {
  return connection_.initialize([this](SQLite::Database&) { return initialize_once(); });
}

}  // namespace ledger_detail

// Opens (creating if needed) the SQLite ledger at `path`.
Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const std::string& path) {
  try {
    ledger_detail::create_database_file(path);
    auto ledger = std::make_unique<ledger_detail::SqliteLedger>(path);
    if (Status status = ledger->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<Ledger>(std::move(ledger));
  } catch (const std::exception& error) {
    Status status = sqlite::status_from_exception(error, "ledger", Code::kInternal);
    return Status(status.code(), "cannot open ledger " + path + ": " + status.message());
  }
}

}  // namespace pp
