// ledger-open.cpp: opening the SQLite ledger: file creation, connection pragmas, migrations.
//
// Sharing between processes: pullprintd runs as the service user, the CUPS filter and backend
// as lp, the PAM module as whoever authenticates. The expected layout is a state directory
// owned by the service user, group lp, mode 2770 (setgid, so new files get group lp), and a
// umask of 0007 for the services, which gives ledger.sqlite (and SQLite's -wal/-shm files, which
// copy its mode) 0660. The library itself never chmods; it only asks for 0660 when it creates
// the file, which the umask then narrows.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "ledger/ledger-schema.h"
#include "ledger/ledger-sqlite.h"

namespace pp {

namespace ledger_detail {

namespace {

// SQLite would create the file 0644 at most; creating it ourselves first lets the umask decide
// whether group lp may write.
void create_group_writable(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0660);
  if (fd >= 0) ::close(fd);  // on failure SQLite reports the error with more detail
}

}  // namespace

SqliteLedger::SqliteLedger(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          kBusyTimeoutMs),
      path_(path) {}

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
  std::lock_guard lock(mutex_);
  // Processes opening a brand-new file together can get SQLITE_BUSY at once, without the busy
  // handler: switching a rollback-journal file to WAL needs an exclusive lock, and SQLite
  // refuses (rather than deadlock) a lock upgrade while another connection waits for one. So
  // the whole sequence is retried, within the same time budget as the busy timeout.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (int attempt = 1;; ++attempt) {
    try {
      return initialize_once();
    } catch (const SQLite::Exception& error) {
      bool busy = (error.getErrorCode() & 0xff) == SQLITE_BUSY;
      if (!busy || std::chrono::steady_clock::now() >= deadline) {
        return status_from_exception(error);
      }
    } catch (const std::exception& error) {
      return status_from_exception(error);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
  }
}

}  // namespace ledger_detail

// Opens (creating if needed) the SQLite ledger at `path`.
Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const std::string& path) {
  try {
    ledger_detail::create_group_writable(path);
    auto ledger = std::make_unique<ledger_detail::SqliteLedger>(path);
    if (Status status = ledger->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<Ledger>(std::move(ledger));
  } catch (const std::exception& error) {
    Status status = ledger_detail::status_from_exception(error);
    return Status(status.code(), "cannot open ledger " + path + ": " + status.message());
  }
}

}  // namespace pp
