// job-store.h: pullprint's store of held jobs: the documents waiting for release, and their facts.
//
// pullprintd keeps held jobs here rather than as pending-held jobs inside PAPPL (see
// pappl-server/README.md for why: PAPPL 1.3.1 processes one job at a time per printer, crashes
// on Release-Job without a document, lets anyone release anyone's job, and refuses streamed raster
// while new jobs are held). A job is one row of STATE_DIR/jobs.sqlite plus one document file in
// STATE_DIR/spool/ (directory 0700, files 0600: spool files are private).
//
// The store knows nothing about money; lib/holding (hold_job, cancel_held_job, expire_held_jobs)
// ties a stored job to its ledger reservation.
//
// Contract for an implementation (Site::open in site/site.h picks it; SQLite is the default):
//  - transition() is a compare-and-set and THE commit point of every workflow (release, cancel,
//    expiry): of two processes moving the same job out of a state, exactly one succeeds, the
//    other gets kConflict. Everything else around it (ledger calls, document deletion) is
//    idempotent and repeated by the reconcile functions, so the store needs no transaction
//    spanning the ledger.
//  - add() is idempotent on the uuid and leaves nothing behind on failure; the document lives
//    beside the rows (a spool directory, 0700, files 0600): an implementation whose rows live
//    elsewhere (PostgreSQL) keeps the documents on a file system every server can read.
//  - Several processes and threads use the store at once, each with its own JobStore.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"
#include "util/utc-time.h"  // iso_utc(), the form expired() compares with

namespace pp {

enum class HeldJobState {
  kHeld,       // waiting for its owner to release it
  kReleasing,  // handed to a printer, not yet confirmed
  kPrinted,    // printed; reservation captured
  kCancelled,  // cancelled by its owner or an admin; reservation voided, document deleted
  kExpired,    // not released in time; reservation voided, document deleted
  kFailed,     // could not be printed; needs review
};

// "held", "releasing", ... (stable names for JSON, the CLI and the database).
std::string_view held_job_state_name(HeldJobState state);
// The state named `name` ("held", ...), std::nullopt for an unknown name.
std::optional<HeldJobState> parse_held_job_state(std::string_view name);

struct HeldJob {
  std::int64_t id = 0;
  std::string uuid;           // urn:uuid:... ; also the ledger job reference "pullprintd/<uuid>"
  std::string owner;          // user who submitted it
  std::string payer;          // account charged (owner or job-account-id)
  std::string title;          // job-name
  std::string format;         // MIME type of the stored document
  std::string document_path;  // STATE_DIR/spool/<uuid>.<ext>; "" once deleted
  std::string options_json;   // job options the price was computed with (copies, sides, ...)
  int pages = 0;
  int color_pages = 0;
  std::int64_t impressions = 0;
  std::int64_t price_minor = 0;  // estimate for the default printer, reserved on the payer
  std::string currency;
  std::optional<std::int64_t> reservation_id;
  std::string origin;  // where it came in, e.g. "ipp/PullPrint/17"
  HeldJobState state = HeldJobState::kHeld;
  std::string created_at;   // ISO 8601 UTC
  std::string expires_at;   // ISO 8601 UTC
  std::string pages_json;   // per-page analysis (colour, media), to price it on any printer
  std::string printer;      // release printer it went to ("" while never released)
  std::string released_by;  // who released it (the owner, or an operator)
  std::optional<std::int64_t> final_price_minor;  // price captured on `printer`
  std::string message;  // what happened at the last release ("" when nothing did)
};

// What a release changed on a held job (JobStore::record_release).
struct ReleaseNote {
  std::string printer;
  std::string released_by;
  std::optional<std::int64_t> final_price_minor;
  std::string message;
};

// What hold_job() knows of a new job before it is stored.
struct NewHeldJob {
  std::string uuid;
  std::string owner;
  std::string payer;
  std::string title;
  std::string format;
  std::string options_json;
  int pages = 0;
  int color_pages = 0;
  std::int64_t impressions = 0;
  std::int64_t price_minor = 0;
  std::string currency;
  std::optional<std::int64_t> reservation_id;
  std::string origin;
  std::string pages_json;                     // per-page analysis (see HeldJob::pages_json)
  std::int64_t lifetime_seconds = 24 * 3600;  // until expiry
};

class JobStore {
 public:
  // Opens (creating if needed) the store in state_dir: jobs.sqlite and spool/.
  static Result<std::unique_ptr<JobStore>> open(const std::string& state_dir);
  virtual ~JobStore() = default;

  // Copies the document into the spool (private file) and records the job, atomically from the
  // caller's view: on failure nothing is left behind. Idempotent on uuid: the job already stored
  // under job.uuid is returned (kConflict when it belongs to another owner). The uuid must be
  // "urn:uuid:" + 8-4-4-4-12 hex digits (kInvalidArgument otherwise): the spool file is named
  // from it, never from a title or file name a client sent.
  virtual Result<HeldJob> add(const NewHeldJob& job, const std::string& document_path) = 0;
  virtual Result<HeldJob> get(std::int64_t id) = 0;
  virtual Result<HeldJob> get_by_uuid(std::string_view uuid) = 0;
  // Jobs of one owner ("" = everybody's), newest first, optionally only in one state.
  virtual Result<std::vector<HeldJob>> list(std::string_view owner,
                                            std::optional<HeldJobState> state) = 0;
  // Moves a job from `from` to `to`; kConflict when it is not in `from` (someone else won).
  virtual Status transition(std::int64_t id, HeldJobState from, HeldJobState to) = 0;
  // Records where a job was released, by whom, its final price and message; the state is
  // changed separately (transition), so that the compare-and-set stays the one commit point.
  virtual Status record_release(std::int64_t id, const ReleaseNote& note) = 0;
  // Charges a held job to another account: payer and reservation change together, a
  // compare-and-set on (state held, reservation `from_reservation_id`). kConflict when the job
  // is no longer held or already holds another reservation (someone else won).
  virtual Status change_payer(std::int64_t id, std::int64_t from_reservation_id,
                              std::string_view payer, std::int64_t reservation_id) = 0;
  // Moves a held job's expiry to `expires_at` (ISO 8601 UTC) when that is later; never earlier.
  // kConflict for a job that is not held (a split job waits for its payers' approvals).
  virtual Status extend_expiry(std::int64_t id, std::string_view expires_at) = 0;
  // Deletes the job's document file (after cancel, expiry or printing); idempotent.
  virtual Status delete_document(std::int64_t id) = 0;
  // Held jobs whose expires_at is before `now_iso` (ISO 8601 UTC).
  virtual Result<std::vector<HeldJob>> expired(std::string_view now_iso) = 0;
  // Deletes spool files that no job refers to and that are at least min_age_seconds old: what a
  // crash in the middle of add() leaves behind (the age spares an add() still running in another
  // process). Returns how many were removed.
  virtual Result<int> remove_orphan_documents(std::int64_t min_age_seconds) = 0;
};

}  // namespace pp
