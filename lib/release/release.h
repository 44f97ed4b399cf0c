// release.h: releasing a held job to a printer: who may, at what price, and what its state
// becomes when the printer took it, refused it, or failed half way.
//
// A release has two steps, so that pullprintd can answer the terminal at once and send in the
// background (one delivery worker per printer):
//   claim_release()   checks the user, prices the job for the printer (the final price is the
//                     price of the printer it goes to), moves it held -> releasing (the commit
//                     point: two terminals releasing the same job, one wins) and writes the
//                     release order into the delivery log;
//   deliver_release() runs the `pullprint` wrapper backend for the printer's device URI with the
//                     document on its stdin; the backend writes the IN-FLIGHT record, runs the
//                     real backend and captures / leaves held / marks for review (see
//                     delivery/delivery.h); this reads the outcome back into the job.
// recover_releases() finishes, at start-up, releases a crash interrupted.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/program-paths.h"
#include "delivery/delivery.h"
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "printers/printers.h"
#include "site/site.h"
#include "splits/splits.h"
#include "util/status.h"

namespace pp {

// Who asks for a release.
struct Releaser {
  std::string user;
  bool may_release_others = false;  // an operator or an admin: logged as released_by
};

// A job (or one payer's part of a split job) claimed for a printer, ready for
// deliver_release().
struct ClaimedRelease {
  HeldJob job;  // as stored, state releasing
  ReleasePrinter printer;
  std::int64_t price_minor = 0;  // the job's price on this printer, captured when it prints
  std::string currency;
  std::string hint;  // "this job costs EUR 0.40 on Lab_Mono instead of ..." or ""
  // A ratio split job (split-jobs.h): its approved shares are captured when it printed (the
  // backend captures a zero carrier reservation).
  bool ratio_split = false;
  // A part of a copies/pages/method split: the payer's share. It prints under its own delivery
  // reference (Share::part_ref), with the share's options and reservation; nullopt for a job.
  std::optional<Share> part;
  // What the backend reads: the job's document, or the part's own extract (pages mode).
  std::string document_path;
  // A colour job printed grey (rights.h: no colour right, color-fallback = mono): priced grey
  // and sent with print-color-mode=monochrome; grey_note says so for the user.
  bool grey = false;
  std::string grey_note;

  // The delivery log's reference: the job's "pullprintd/<uuid>" or the part's.
  std::string delivery_ref() const;
  // The options it prints with: the job's, or the part's (print-color-mode=monochrome when grey).
  std::map<std::string, std::string> print_options() const;
};

// Claims held job `job_id` for `printer`: one claim for a job, or one per part for a
// copies/pages/method split (split-jobs.h: the owner claims every approved part not printed
// yet, a payer their own). kNotFound when there is no such job or (for users who may not
// release others' jobs) it is neither theirs nor one they pay a part of: others learn nothing
// about it; kConflict when it is not held (already printing, printed, cancelled...), nothing of
// it is ready (waiting for approvals), or the printer is disabled; kPermissionDenied when the
// user's rights on the printer refuse it (rights/rights.h: allowed-users, max-pages, colour),
// with the reason and a printer the user may use. A colour job of a user without colour rights
// on a printer with color-fallback = mono is claimed grey (ClaimedRelease::grey).
Result<std::vector<ClaimedRelease>> claim_release(Site& site, const Config& config,
                                                  const ReleasePrinter& printer,
                                                  std::int64_t job_id, const Releaser& releaser);

// The held jobs `user` may release now, oldest first (what a terminal lists).
// Then others' held split jobs in which `user` has an approved part to release themselves.
Result<std::vector<HeldJob>> releasable_jobs(Site& site, std::string_view user);

// The job options a held job was priced with (copies, sides, number-up, ...).
std::map<std::string, std::string> held_job_options(const HeldJob& job);
// What `job` is on paper (pages, colour pages, sheets, two-sided), printed grey or not: written
// on its delivery row at the release for the reports (delivery.h's JobFacts).
JobFacts held_job_facts(const HeldJob& job, bool grey);

// "this job costs EUR 0.40 on Lab_Mono instead of EUR 1.20 on Lab_Colour" when another enabled
// printer is cheaper for the job than `printer`, else "".
std::string cheaper_printer_hint(const HeldJob& job, const ReleasePrinter& printer,
                                 const Config& config);

// The job's price on `printer` (from the stored page analysis and job options).
Result<Price> price_on_printer(const HeldJob& job, const ReleasePrinter& printer,
                               const Config& config);

// The printer rules of a release (release-printer.cpp), so that every door decides alike:

// Before anything is claimed: the printer's check when it can print now, else kConflict with
// the refusal for the user ("Printer Lab_Off is not available (...). Your jobs stay held and
// nothing was charged; try another printer."): a printer that cannot print keeps every job held.
Result<PrinterCheck> check_release_printer(const ReleasePrinter& printer);

// Right before a claimed job is sent: a check made at `checked_at` that is stale
// (printer_check_is_stale) is made again; kConflict with the message for the job's owner ("Not
// printed: Lab_A is not available (...). The job is still held and nothing was charged.") when
// the printer cannot print now. The caller then gives the job back (withdraw_release).
Status recheck_before_send(const ClaimedRelease& claim,
                           std::chrono::steady_clock::time_point checked_at);

// Gives back at once (withdraw_release) the split parts with an option of their payer's that
// the printer says it cannot do (a two-sided part on a simplex printer would fail there after
// its data went out) and removes them from `claims`; returns why, one reason per part given
// back ("Lab_A cannot print bob's part (sides=two-sided-long-edge); release it at another
// printer"). A whole job keeps its submitter's options unchecked, as a CUPS queue would send
// them.
std::vector<std::string> give_back_unsupported(Site& site, const ReleasePrinter& printer,
                                               const PrinterState& state,
                                               std::vector<ClaimedRelease>& claims);

// How deliver_release() runs the wrapper backend.
struct BackendSettings {
  std::string program{kBackendProgram.installed};  // config key `backend`
  std::string config_path;    // PULLPRINT_CONFIG for the backend (pullprintd's effective one)
  int timeout_seconds = 900;  // config key `release-timeout`: then the backend is killed
};
// Reads `backend` and `release-timeout` from the config (config_path is set by the caller).
Result<BackendSettings> backend_settings_from_config(const Config& config);

// Sends a claimed job through the wrapper backend and records the outcome on the job: printed
// (captured at the printer's price, document deleted), held again (nothing reached the printer:
// nothing charged, the message says why and the user may pick another printer), failed (data
// reached the printer and it then failed: under review, nothing charged until an admin decides).
// Returns the job as it is afterwards.
Result<HeldJob> deliver_release(Site& site, const BackendSettings& backend,
                                const ClaimedRelease& claim);

// Takes a claimed job (or part) back without sending it (the printer was found unavailable
// between the claim and the send), with `message` for its owner: the job is held again once
// none of its parts is on its way any more.
Status withdraw_release(Site& site, const ClaimedRelease& claim, std::string_view message);

// The CUPS door: a job printed straight to a CUPS queue whose device URI is `pullprint:...`
// is priced and reserved by the pullprint-cost filter and held by the backend (a `held`
// delivery); its owner releases it at a terminal of the release printer whose cups-queue is
// that queue, and cupsd runs the backend again, which prints and captures.

// The jobs the backend holds in `cups_queue`, oldest first; owner "" = everybody's.
Result<std::vector<Delivery>> held_cups_jobs(DeliveryLog& log, std::string_view owner,
                                             std::string_view cups_queue);

// Authorises the CUPS-door job `job_ref` at `printer` (whose cups-queue must be the job's
// queue) at the price the filter reserved for that queue. kNotFound for a job that is not
// held there or (for users who may not release others' jobs) not theirs; kPermissionDenied when
// the printer's allowed-users (rights/rights.h) leave out the user the job prints for, naming a
// printer they may use; a split job (split-cups.h) only once its split is settled
// (check_ratio_split_ready's kConflict before). The caller then asks cupsd to release the CUPS
// job (resume_cups_job in printers/printers.h).
Result<Delivery> release_cups_job(Site& site, const Config& config, std::string_view job_ref,
                                  const ReleasePrinter& printer, const Releaser& releaser);

// Closes one CUPS-door job the backend holds without printing it: held -> released (by
// `closed_by`, at 0) -> voided with `message`, its reservation voided (key "void:<job_ref>",
// `reason` in the journal; already voided is fine). The backend refuses it from then on.
Status void_held_cups_job(Site& site, const Delivery& job, std::string_view closed_by,
                          const std::string& reason, const std::string& message);

// Closes the CUPS-door jobs whose CUPS job is gone while the backend held them (cancelled with
// `cancel`/`lprm`, aborted, or purged by cupsd): their reservation is voided (key
// "void:<job_ref>") and their delivery closed as voided. `still_active` says whether a CUPS job
// may still print (cups_job_active in printers/printers.h; errors skip the job until the next
// sweep). Returns how many it closed.
Result<int> sweep_gone_cups_jobs(Site& site,
                                 const std::function<Result<bool>(std::int64_t)>& still_active);

// At start-up, before any delivery worker runs: jobs left in `releasing` by a crash are settled
// from the delivery log (printed -> printed, in flight by a dead backend -> review unless
// already captured, never begun -> held again). Returns how many jobs it changed.
// Parts of split jobs likewise, part by part (split_parts_settle in split-jobs.h).
Result<int> recover_releases(Site& site);

}  // namespace pp
