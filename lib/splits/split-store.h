// split-store.h: split jobs and their payers' shares, in the ledger file, and the rules by
// which shares move and money follows them.
//
// Share states:
//
//   pending ──approve()──▶ approved ──capture_share()──▶ printed
//      │                      └──────void_share()/cancel_split()──▶ discarded
//      ├──decline()──▶ declined
//      ├──expire_due()──▶ expired           (deadline passed; catches up after a restart)
//      └──void_share()/cancel_split()──▶ discarded
//
// Money, all through the Ledger with idempotency keys (a repeated or resumed step is a replay):
//   approve  reserves the share on the payer's account   "reserve:split:<job_ref>:<payer>"
//   capture  captures it at the share's amount            "capture:split:<job_ref>:<payer>"
//   void     releases it                                  "void:split:<job_ref>:<payer>"
// The reservations' own job_ref is "split:<job_ref>:<payer>" (never "pullprintd/...": those are
// the held jobs' own reservations, which reconcile_held_jobs() looks after).
//
// ratio mode, when a payer declines or expires:
//  - owner-covers (default): the owner takes the share over in a cover share (payer = owner,
//    cover_of = that payer, same amount), reserved at once with the keys above where <payer> is
//    "<owner>:cover-of:<payer>". If the owner cannot afford it, the split is cancelled instead.
//  - cancel: the split is cancelled: every other share is discarded (approved ones voided);
//    the caller cancels the job.
// A ratio job prints once, when no share is pending any more (releasable()).
// copies / pages / method: a declined, expired or discarded part is never printed and its
// sub-job options are deleted with the state change (the row keeps who, what it cost and when);
// every approved part may print on its own.
//
// A split is `open` while a share is pending or approved, then `closed`; `cancelled` by
// cancel_split() or the ratio cancel rule. Once a split is no longer open, nothing of the job
// prints any more: the caller deletes its data (and ends the held job).
//
// Authorisation is enforced here: only a share's payer approves or declines it (anyone else:
// kPermissionDenied), a payer lists only their own requests, only the owner (or an admin) sees
// a split's progress or cancels it. The caller passes the authenticated identity.
//
// Contract for an implementation (Site::open in site/site.h picks it; SQLite is the default):
// the split store keeps its rows in the ledger's database and moves money only through the
// Ledger it was opened with, never by writing ledger tables itself. The ledger call (reserve,
// capture, void, idempotent on the keys above) comes first, then the share's state change in a
// write transaction of the split store's own; a crash between the two is repaired by repeating
// the call (the ledger replays, the state change happens) or by check_splits()/the timers. So
// no transaction spans both stores, and an implementation must not rely on one. Each decision
// on a share (approve, decline, expire, capture, void) is a compare-and-set on its state:
// exactly one of two concurrent callers wins.
//
// The caller refuses to split a job that is no longer held (released, printed, cancelled):
// create_split() does not know the held-job store. Once the split exists, the shares replace
// the job's own reservation, which the caller voids ("void:pullprintd/<uuid>"); and the held
// job must outlive the split's deadline (split_held_job keeps it a job-lifetime beyond).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/job-ref.h"
#include "ledger/ledger.h"
#include "splits/money-split.h"
#include "splits/split-request.h"
#include "util/status.h"

namespace pp {

using SplitClock = std::chrono::system_clock::time_point;

enum class ShareState { kPending, kApproved, kDeclined, kExpired, kDiscarded, kPrinted };
enum class SplitState { kOpen, kCancelled, kClosed };

// "pending", "approved", "declined", "expired", "discarded", "printed".
std::string_view share_state_name(ShareState state);
std::optional<ShareState> parse_share_state(std::string_view name);
// "open", "cancelled", "closed".
std::string_view split_state_name(SplitState state);
std::optional<SplitState> parse_split_state(std::string_view name);

struct Share {
  std::int64_t id = 0;            // what `pullprint approve ID` names
  std::int64_t split_id = 0;
  std::string job_ref;            // the split job's ("pullprintd/<uuid>")
  std::string owner;              // who asks
  std::string title;              // the job's title
  SplitMode mode = SplitMode::kRatio;
  std::string payer;
  std::string cover_of;           // "" or, for an owner's cover share, the payer covered
  std::string description;        // what the payer gets: "50%", "2 copies", "pages 1-4"
  std::map<std::string, std::string> options;  // the sub-job's IPP options
  std::int64_t impressions = 0;
  std::int64_t amount = 0;        // minor units
  std::string currency;
  ShareState state = ShareState::kPending;
  std::optional<std::int64_t> reservation_id;
  std::string deadline;           // ISO 8601 UTC, the split's
  std::string decided_at;         // "" until approved/declined/expired/discarded/printed
  std::string reminder_sent_at;   // "" until mark_reminded()

  bool is_cover() const { return !cover_of.empty(); }
  // The <payer> part of the share's idempotency keys: payer, or "<owner>:cover-of:<payer>".
  std::string key_name() const;
  // The reference of this share's part: JobRef::split_part of job_ref and key_name().
  JobRef part_ref() const;
};

struct Split {
  std::int64_t id = 0;
  std::string job_ref;
  std::string owner;
  std::string title;
  SplitMode mode = SplitMode::kRatio;
  std::string request;            // canonical request text
  OnDecline on_decline = OnDecline::kOwnerCovers;
  std::int64_t price = 0;         // ratio: the job's price; others: sum of the parts
  std::string currency;
  SplitState state = SplitState::kOpen;
  std::string deadline;           // ISO 8601 UTC
  std::string created_at;
  std::string updated_at;
  std::vector<Share> shares;      // the payers in request order, then cover shares

  // "2 of 3 approved, 1 pending": the owner's one-line view (job-state-message, CLI).
  std::string progress() const;
};

// What a payer is asked, for the notification, the reminder and `pullprint approvals`:
// "share 7: alice asks bob to pay EUR 0.30 for 30% of \"Handouts\" (pullprintd/...), pending
// until 2027-01-17T08:00:00Z". A cover share says whose share the owner took over.
std::string describe_share(const Share& share);

// Decides whether a user may be a payer (has an account, or may get one). Returns ok or the
// refusal, e.g. kNotFound "bob has no pullprint account".
using PayerCheck = std::function<Status(std::string_view payer)>;

// The default check: the payer has an enabled account in `ledger`.
PayerCheck payer_has_account(Ledger& ledger);

struct NewSplit {
  std::string job_ref;            // "pullprintd/<uuid>"
  std::string owner;              // the job's owner, authenticated
  std::string title;
  SplitRequest request;           // parsed (parse_split_request)
  SplitQuote quote;               // price_split(request, ...): one part per payer, same order
  OnDecline site_on_decline = OnDecline::kOwnerCovers;          // request.on_decline wins
  std::chrono::seconds site_deadline = std::chrono::hours(48);  // default and longest deadline
};

// What expire_due() did to one split: shares expired, or (expired empty) the split was
// cancelled while finishing an interrupted decline.
struct ExpiredSplit {
  Split split;                            // after the expiry; kCancelled: cancel the job
  std::vector<std::int64_t> expired;      // ids of the shares that expired just now
};

class SplitStore {
 public:
  virtual ~SplitStore() = default;

  // Records the split of a held job; every share pending. kInvalidArgument for a quote that
  // does not match the request, a deadline beyond the site's, a bad owner name; the PayerCheck's
  // refusal for a payer; kAlreadyExists when the job is split already (the same request again
  // returns the existing split).
  virtual Result<Split> create_split(const NewSplit& split, const PayerCheck& check,
                                     SplitClock now) = 0;

  // The split of a job; kNotFound when it has none. No authorisation: for the server itself.
  virtual Result<Split> get_split(std::string_view job_ref) = 0;
  // One share; kNotFound when unknown.
  virtual Result<Share> get_share(std::int64_t share_id) = 0;

  // The payer approves: reserves the amount on their account. kPermissionDenied unless `user`
  // is the payer; kInsufficientFunds (message says what is available and what is asked) leaves
  // the share pending; kConflict once it is decided otherwise or the deadline passed.
  // Approving an approved share again returns it unchanged.
  virtual Result<Share> approve(std::int64_t share_id, std::string_view user, SplitClock now) = 0;
  // The payer declines; the ratio rule applies. Returns the split after it (state kCancelled:
  // the caller cancels the job). Declining twice returns the split unchanged; declining an
  // approved share is kConflict.
  virtual Result<Split> decline(std::int64_t share_id, std::string_view user, SplitClock now) = 0;
  // Expires every pending share whose deadline is before `now`, applies the ratio rule, and
  // finishes what an interrupted decline/expiry left (a cover not reserved yet). Run it on a
  // timer and at start-up.
  virtual Result<std::vector<ExpiredSplit>> expire_due(SplitClock now) = 0;

  // The part printed: captures the share's reservation at its amount. Only approved (or, a
  // replay, printed) shares; ratio: only when nothing in the split is pending. kConflict else.
  virtual Result<Share> capture_share(std::int64_t share_id, std::string_view actor,
                                      SplitClock now) = 0;
  // The part is discarded: pending or approved -> discarded (its reservation voided).
  // Declined, expired and discarded shares stay as they are; printed ones are kConflict.
  virtual Result<Share> void_share(std::int64_t share_id, std::string_view actor,
                                   SplitClock now) = 0;
  // The owner (or an admin) gives up the split, e.g. when the job is cancelled: every pending or
  // approved share discarded. kPermissionDenied for anybody else.
  virtual Result<Split> cancel_split(std::string_view job_ref, std::string_view user,
                                     bool is_admin, SplitClock now) = 0;

  // A payer's own pending requests (open splits, deadline not passed), soonest deadline first.
  virtual Result<std::vector<Share>> pending_for(std::string_view payer, SplitClock now) = 0;
  // A payer's own shares in any state, newest split first.
  virtual Result<std::vector<Share>> shares_of(std::string_view payer) = 0;
  // The split with every payer's state, for its owner or an admin (kPermissionDenied else).
  virtual Result<Split> progress(std::string_view job_ref, std::string_view user,
                                 bool is_admin) = 0;
  // What `user` may release now: the owner every approved share (ratio: all approved and cover
  // shares, only once nothing is pending: the job prints once), a payer in copies/pages/method
  // mode their own approved share. Empty when nothing is ready; kPermissionDenied for a user
  // who is neither owner nor payer.
  virtual Result<std::vector<Share>> releasable(std::string_view job_ref,
                                                std::string_view user) = 0;

  // Pending shares whose deadline is within `lead` of `now` (and not passed) and that were not
  // reminded yet; mark_reminded() records the reminder.
  virtual Result<std::vector<Share>> reminders_due(SplitClock now, std::chrono::seconds lead) = 0;
  virtual Status mark_reminded(std::int64_t share_id, SplitClock now) = 0;

  // Every split (or those in one state), oldest first: for check_splits() and admin views.
  virtual Result<std::vector<Split>> list_splits(std::optional<SplitState> state) = 0;
};

// Opens the split store in the ledger file at `ledger_path` (migrating it if needed); money moves
// through `ledger` (normally opened on the same file), which must outlive the store.
// (see LedgerMigrations in ledger/ledger.h).
Result<std::unique_ptr<SplitStore>> open_sqlite_split_store(
    const std::string& ledger_path, Ledger& ledger,
    LedgerMigrations migrations = LedgerMigrations::kRun);

}  // namespace pp
