// notify-store.h: the ledger file's record of notifications, per-user receipt choices and the
// low-balance state (share/ledger/011-notifications.sql).
//
// Why a store: a notification must be sent once, whoever notices first (pullprintd's timer, the
// CLI's `pullprint notify run`, the backend after a print) and whatever crashes in between.
// The record, keyed by kind + subject, is that "once": recording is the commit point, and only
// the process that claims a recorded row runs notify-command for it.
//
// Contract for an implementation (SQLite here, on the ledger file):
//  - record() is an insert that does nothing when (kind, subject) exists (a unique index, not a
//    read before the write); it tells whether this call recorded it.
//  - claim() is a compare-and-set: of two claimers of one pending row one wins; a claim lasts
//    until its lease ends (a sender that died loses it then).
//  - cross_low_balance() reads and writes the account's state in one transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

// What a notification is about; the stored names are those of notice_kind_name().
// kPrinterAlert and kReport go to the admins (report-mail-to), not to a user (012-console.sql).
enum class NoticeKind {
  kLowBalance,
  kExpiryWarning,
  kExpired,
  kReceipt,
  kApproval,
  kPrinterAlert,
  kReport
};

// "low-balance", "expiry-warning", "expired", "receipt", "approval", "printer-alert", "report".
std::string_view notice_kind_name(NoticeKind kind);
// The kind named `name`; nullopt for an unknown name.
std::optional<NoticeKind> parse_notice_kind(std::string_view name);

enum class NoticeState { kPending, kSent, kFailed };
// "pending", "sent", "failed".
std::string_view notice_state_name(NoticeState state);

// A notification to record: what it is about (kind + subject, unique), who gets it, what it says.
struct NewNotice {
  NoticeKind kind = NoticeKind::kReceipt;
  std::string subject;    // e.g. the job's uuid, "alice#3"
  std::string recipient;  // the user's login
  std::string address;    // where notify-command sends it (notification_address)
  std::string title;      // the mail's Subject
  std::string body;
};

// A recorded notification.
struct Notice {
  std::int64_t id = 0;
  NoticeKind kind = NoticeKind::kReceipt;
  std::string subject;
  std::string recipient;
  std::string address;
  std::string title;
  std::string body;
  NoticeState state = NoticeState::kPending;
  int attempts = 0;
  std::int64_t claimed_until = 0;  // unix seconds
  std::string last_error;
  std::int64_t created_at = 0;  // unix seconds
  std::optional<std::int64_t> sent_at;
};

class NotifyStore {
 public:
  virtual ~NotifyStore() = default;

  // Records `notice` at `now` (unix seconds) unless its kind + subject is recorded already.
  // Returns the new row, or nullopt when it existed (someone recorded it before: not again).
  virtual Result<std::optional<Notice>> record(const NewNotice& notice, std::int64_t now) = 0;

  // Claims pending notice `id` for sending: when it is pending, has had fewer than
  // `max_attempts` attempts and no live claim, counts an attempt and holds it until
  // now + lease_seconds. Returns the claimed row, or nullopt when it is not to be sent now.
  virtual Result<std::optional<Notice>> claim(std::int64_t id, std::int64_t now,
                                              std::int64_t lease_seconds, int max_attempts) = 0;

  // Ends a claim: sent, or failed with `error` (pending again for a retry until its attempts
  // reach `max_attempts`, then failed for good).
  virtual Status finish(std::int64_t id, bool sent, std::string_view error, std::int64_t now,
                        int max_attempts) = 0;

  // Pending notices that may be claimed at `now` (oldest first, at most `limit`).
  virtual Result<std::vector<Notice>> due(std::int64_t now, int max_attempts, int limit) = 0;

  // A user's notices, newest first (at most `limit`).
  virtual Result<std::vector<Notice>> list(std::string_view recipient, int limit) = 0;

  // Whether `login` asked for receipts (false when they never chose).
  virtual Result<bool> receipts_wanted(std::string_view login) = 0;
  // Stores `login`'s choice.
  virtual Status set_receipts(std::string_view login, bool wanted, std::int64_t now) = 0;

  // The account's low-balance state follows `below` (its available money is under the
  // threshold now). Returns the crossing's subject ("alice#3") when this call moved it from
  // above to below (a new crossing, to be told once), else nullopt.
  virtual Result<std::optional<std::string>> cross_low_balance(std::string_view account, bool below,
                                                               std::int64_t now) = 0;
};

// Opens the notification store of a config's site (its ledger file), running the ledger file's
// migrations when needed. The doors use this; it picks the implementation beside Site::open.
Result<std::unique_ptr<NotifyStore>> open_notify_store(const Config& config);

// Opens the SQLite notification store on the ledger file at `path` (see LedgerMigrations).
Result<std::unique_ptr<NotifyStore>> open_sqlite_notify_store(
    const std::string& path, LedgerMigrations migrations = LedgerMigrations::kRun);

}  // namespace pp
