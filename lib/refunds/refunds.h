// refunds.h: a user asks for a refund of one of their printed jobs (a jam, a blank page, wrong
// output), and the desk decides: granted gives the job's captured amount back to the account
// that paid, once; denied changes no money.
//
// Why a request and not a refund: the user cannot prove the jam, the desk can look at the
// printer. The request records what the job cost when it was asked for, so the desk sees the
// amount it grants.
//
// Rules (request_refund): the job is the asker's own (its owner), printed (the held-job store's
// state), with a captured charge above 0 (a split job's parts are charged to their payers and
// are not refunded this way: the desk uses `pullprint refund` on the ledger); one open request
// per job; a job refunded once is not asked for again; "other" needs words.
// grant_refund: Ledger::refund of the captured amount under refund_request_key (one key per
// job, ledger/refund-key.h), then the request's compare-and-set open -> granted. A crash between
// the two leaves the request open; granting again repeats the refund, which the ledger applies
// once. The store lives in the ledger file (share/ledger/010-account-actions.sql).
//
// Contract for an implementation of RefundStore: add() refuses a second open (or granted)
// request for the same job, enforced by the store (a unique index); decide() is a compare-and-set
// from open, of two deciders one wins.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

enum class RefundReason { kJam, kBlankPage, kWrongOutput, kOther };
enum class RefundState { kOpen, kGranted, kDenied };

// "jam", "blank-page", "wrong-output", "other" (stored, in forms and on the command line).
std::string_view refund_reason_name(RefundReason reason);
std::optional<RefundReason> parse_refund_reason(std::string_view name);
// For people: "paper jam", "blank page", "wrong output", "other".
std::string_view refund_reason_text(RefundReason reason);
// "open", "granted", "denied".
std::string_view refund_state_name(RefundState state);
std::optional<RefundState> parse_refund_state(std::string_view name);

// Longest text a request carries (bytes).
inline constexpr std::size_t kMaxRefundText = 500;

struct RefundRequest {
  std::int64_t id = 0;
  std::int64_t job_id = 0;  // the held-job store's id
  std::string job_ref;      // "pullprintd/<uuid>"
  std::string title;
  std::string user;     // who asked (the job's owner)
  std::string account;  // who paid
  std::int64_t reservation_id = 0;
  std::int64_t amount = 0;  // the captured amount, minor units
  RefundReason reason = RefundReason::kOther;
  std::string text;
  RefundState state = RefundState::kOpen;
  std::string created_at;  // ISO 8601 UTC
  std::optional<std::string> decided_at;
  std::optional<std::string> decided_by;
  std::string decision_note;
};

// A request as request_refund() files it.
struct NewRefundRequest {
  std::int64_t job_id = 0;
  std::string job_ref;
  std::string title;
  std::string user;
  std::string account;
  std::int64_t reservation_id = 0;
  std::int64_t amount = 0;
  RefundReason reason = RefundReason::kOther;
  std::string text;
};

class RefundStore {
 public:
  virtual ~RefundStore() = default;
  // Files a request; kAlreadyExists when the job has an open or granted request.
  virtual Result<RefundRequest> add(const NewRefundRequest& request) = 0;
  // One request; kNotFound when unknown.
  virtual Result<RefundRequest> get(std::int64_t id) = 0;
  // Requests newest first: of `user` (or everybody's), in `state` (or any), at most `limit`.
  virtual Result<std::vector<RefundRequest>> list(const std::optional<std::string>& user,
                                                  std::optional<RefundState> state, int limit) = 0;
  // Moves an open request to `to` (granted or denied) with who and why; kConflict when it is not
  // open any more (decided by someone else).
  virtual Result<RefundRequest> decide(std::int64_t id, RefundState to, std::string_view by,
                                       std::string_view note) = 0;
};

// Opens the refund requests in the ledger file at `path` (running the ledger's migrations with
// kRun, see LedgerMigrations in ledger/ledger.h).
Result<std::unique_ptr<RefundStore>> open_sqlite_refund_store(
    const std::string& path, LedgerMigrations migrations = LedgerMigrations::kRun);

// Opens the refund requests of the site of `config` (its ledger file; SQLite).
Result<std::unique_ptr<RefundStore>> open_refund_store(const Config& config);

// Files `user`'s request for job `job_id` (the rules above). Refusals: kNotFound (no such job),
// kPermissionDenied (not the user's job), kConflict (not printed, nothing charged),
// kAlreadyExists (an open or granted request), kInvalidArgument (text: "other" without words, too
// long, control characters).
Result<RefundRequest> request_refund(JobStore& jobs, Ledger& ledger, RefundStore& refunds,
                                     std::string_view user, std::int64_t job_id,
                                     RefundReason reason, std::string_view text);

// Grants request `id`: refunds its amount once (ledger first), then marks it granted by
// `actor`. kConflict when it is not open.
Result<RefundRequest> grant_refund(Ledger& ledger, RefundStore& refunds, std::int64_t id,
                                   std::string_view actor, std::string_view note);

// The desk refunds job `job_id` itself (no request; the console's account page): a printed job
// whose captured charge was paid by `account`, its whole captured amount, under the job's
// refund_request_key, so a job is refunded at most once whether the desk or a request's grant
// gives it back. Refusals: kNotFound (no such job), kPermissionDenied (not charged to
// `account`), kConflict (not printed, nothing charged). A repeat returns the first refund.
Result<JournalEntry> refund_printed_job(JobStore& jobs, Ledger& ledger, std::int64_t job_id,
                                        std::string_view account, std::string_view actor,
                                        std::string_view note);
// Denies request `id` (no money moves). kConflict when it is not open.
Result<RefundRequest> deny_refund(RefundStore& refunds, std::int64_t id, std::string_view actor,
                                  std::string_view note);

}  // namespace pp
