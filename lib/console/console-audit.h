// console-audit.h: the console's audit log: every change made on the desk's and the admins'
// console, with who made it and in what role (issue 15: "every change is logged with who made
// it").
//
// Why a table and not only log lines: the dashboard shows the recent events, an admin reads an
// operator's day on the audit page, and several servers of one site share it (it lives in the
// ledger file: share/ledger/012-console.sql). Money changes are also in the journal (its
// `actor`); the audit names the console action that made them and holds the changes that move
// no money (a cancelled job, a blocked card, a sync started).
//
// A door writes the record after the change succeeded (record_console_change): a failed change
// changes nothing and is only logged as a line.
//
// Contract for an implementation: append-only (no update, no delete); ids increase with time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "console/console-access.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

struct AuditRecord {
  std::int64_t id = 0;
  std::string at;       // ISO 8601 UTC
  std::string actor;    // who: a login
  std::string role;     // ConsoleAccess::role_label() ("operator", "admin of physics")
  std::string action;   // console_action_name() of the action ("topup")
  std::string subject;  // what it was done to ("account alice", "job 12", "printer Lab_A")
  std::string detail;   // what was done ("EUR 5.00, receipt R-1001")
};

// Which records list() returns: newest first, the filters that are not empty.
struct AuditFilter {
  std::string actor;
  std::string action;
  std::string subject;         // exact
  std::int64_t before_id = 0;  // only ids below this (0: from the newest); the next page
  int limit = 50;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends a record at the current time; its id.
  [[nodiscard]] virtual Result<std::int64_t> add(const AuditRecord& record) = 0;
  // The records `filter` selects, newest first.
  [[nodiscard]] virtual Result<std::vector<AuditRecord>> list(const AuditFilter& filter) = 0;
};

// The audit log of the ledger file at `path` (migrations run first unless kAlreadyRun).
Result<std::unique_ptr<AuditLog>> open_sqlite_audit_log(
    const std::string& path, LedgerMigrations migrations = LedgerMigrations::kRun);
// The audit log of a config's site (beside Site::open, as the refund store).
Result<std::unique_ptr<AuditLog>> open_audit_log(const Config& config);

// Records a change `who` made: their login and role, the action's word, the subject, the
// detail.
[[nodiscard]] Status record_console_change(AuditLog& log, const ConsoleAccess& who,
                                           ConsoleAction action, std::string_view subject,
                                           std::string_view detail);

}  // namespace pp
