// holding.h: taking a job into the held store (analysed, priced, reserved), cancelling it,
// expiring it. The rules pullprintd applies to every job it receives live here, not in the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/document.h"
#include "config/config.h"
#include "job-store/job-store.h"
#include "ledger/job-ref.h"
#include "ledger/ledger.h"
#include "site/site.h"
#include "util/scoped-temp-dir.h"
#include "util/status.h"

namespace pp {

// Actor recorded on the ledger entries pullprintd makes on its own.
inline constexpr const char* kHoldActor = "pullprintd";

struct HoldRequest {
  std::string document_path;               // the received document (PDF, JPEG, PWG raster, PS)
  std::string owner;                       // authenticated or trusted requesting-user-name
  std::optional<std::string> account_id;   // job-account-id, when sent
  std::map<std::string, std::string> options;  // copies, sides, number-up, page-ranges, media...
  std::string title;                       // job-name
  std::string origin;                      // e.g. "ipp/PullPrint/17"
  std::string uuid;                        // job-uuid; generated when empty
};

// How long a held job waits for its release (config job-lifetime, seconds; default 24 h).
Result<std::int64_t> job_lifetime(const Config& config);

// Analyses the document in a child process (the pullprint-cost program named by the config key
// `analyzer`, under the child-* limits: a hostile document cannot take the server down), prices
// it for the default printer, reserves the price on the payer (in the site's ledger) and stores
// the job as held (in the site's job store).
// PostScript is held as the PDF Ghostscript makes of it (printable_document below).
// Failures leave nothing behind (no reservation, no spool file) and say why:
// kMalformedDocument / kUnsupportedFormat / kLimitExceeded for the document,
// kInsufficientFunds ("account alice has EUR 0.20 available, the job costs EUR 0.84"),
// kPermissionDenied for a job-account-id the owner may not charge (members by name or through
// an "@GROUP" entry, asked of the site's people store) and for an owner who may not submit at all
// (rights/rights.h check_submission: allowed-users, a disabled user or account).
Result<HeldJob> hold_job(Site& site, const Config& config, const HoldRequest& request);

// hold_job() storing the job in `store` instead of the site's job store (the site's ledger still
// reserves): the seam through which a test makes the store fail after the reservation.
Result<HeldJob> hold_job_into(Site& site, JobStore& store, const Config& config,
                              const HoldRequest& request);

// The document as it is held, priced and released: PostScript converted to PDF by Ghostscript
// (a bounded child process, the child-* limits; the PDF lives in `temp`), any other document as
// received. A PostScript program that fails or hits a limit gives kMalformedDocument /
// kLimitExceeded with Ghostscript's own error.
struct PrintableDocument {
  std::string path;
  std::optional<ScopedTempDir> temp;  // holds the converted PDF, when there is one
};
Result<PrintableDocument> printable_document(const std::string& received, const Config& config);

// Cancels a held job: voids its reservation and deletes its document. Only the owner or an admin
// (is_admin) may; others get kPermissionDenied (and learn nothing about the job).
Status cancel_held_job(Site& site, std::int64_t job_id, std::string_view user, bool is_admin);

// Called with each job expire_held_jobs() expired (its state moved to expired), e.g. to tell its
// owner (lib/notify's notify_job_expired).
using ExpiredJobCallback = std::function<void(const HeldJob& job)>;

// Expires held jobs whose time is up (void + delete); returns how many. now_iso: ISO 8601 UTC.
// `on_expired` runs for each job this call expired, after its money and document are settled.
Result<int> expire_held_jobs(Site& site, std::string_view now_iso,
                             const ExpiredJobCallback& on_expired = {});

// "Waiting for release: 12 pages (2 colour), EUR 0.84": what the owner sees in
// job-state-message, the CLI and the web page.
std::string held_job_message(const HeldJob& job);

// A held job's job-state-message in any state: held_job_message while it waits (and, after it,
// why the last release did not print it), else what became of it ("Printed on Lab_A: EUR
// 0.61", or "cancelled: 3 pages, EUR 0.30" when nothing was recorded).
std::string held_job_state_message(const HeldJob& job);

// Runs the analyser child on a document and returns its analysis: `analyzer --analysis-only
// --json FILE` (config key `analyzer`, default /usr/lib/cups/filter/pullprint-cost) with the
// config's analysis keys passed on as --set, under child-cpu-seconds / child-memory and with
// child-timeout as the wall-clock budget of the whole analysis. The child's error code comes
// back as the Status code (kMalformedDocument, kUnsupportedFormat, kLimitExceeded, ...).
Result<DocumentInfo> analyze_document_isolated(const std::string& path, const Config& config);

// The analysis as JSON in the analyser's report form ({"format", "pages", "pages_detail": [{page,
// color, media, width_pt, height_pt, method}]}): what the store keeps to price a held job on any
// printer at release.
std::string document_to_json(const DocumentInfo& document);
// Reads that form back (also the analyser child's --analysis-only --json output); kInternal
// when it is malformed or its page count is inconsistent.
Result<DocumentInfo> document_from_json(const std::string& text);

// A new job uuid: "urn:uuid:" + 128 random bits in RFC 4122 version 4 form.
std::string new_job_uuid();

// Finishes what a crash may have left half done: cancelled or expired jobs whose reservation is
// still open or whose document still exists are voided and deleted, open "pullprintd/<uuid>"
// reservations older than orphan_reservation_age with no stored job (a crash between reserving and
// storing in hold_job) are voided, and so are those a charge to another account reserved but its
// job never took (charge-held-job.h: a crash before the commit point), spool files that no job
// names (a crash inside JobStore::add) are removed once an hour old. Safe at any time: pullprintd
// calls it at start and with its expiry timer. Returns how many jobs and orphaned reservations it
// finished.
//
// Why this is enough: cancel and expiry first move the job out of `held` (compare-and-set: the
// commit point; from then on nobody can release it), then void the reservation (idempotent key
// "void:pullprintd/<uuid>"), then delete the document (idempotent). Each step can be repeated,
// so re-running cancel_held_job or this function after a crash at any point finishes the job.
Result<int> reconcile_held_jobs(
    Site& site, std::chrono::seconds orphan_reservation_age = std::chrono::minutes(10));

}  // namespace pp
