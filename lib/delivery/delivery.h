// delivery.h: the way of one priced job to one printer, and the money it settles.
//
// Both doors of pullprint print through the `pullprint` wrapper backend (backend/), and the
// backend settles the job's reservation on what the real backend did. The record of that way,
// one row per job reference in the ledger file (share/ledger/003-deliveries.sql), is what makes
// a release idempotent and a crash recoverable:
//
//   held ──release()──▶ released ──begin()──▶ in-flight ──finish()──▶ printed   (captured)
//                          ▲                      │                 ├─▶ released (nothing sent,
//                          └──────────────────────┘                 │              retry later)
//                                                                   ├─▶ voided   (nothing sent,
//                                                                   │              job cancelled)
//                                                                   └─▶ review   (data flowed,
//                                                                                  then failed)
//
//  - held: only the CUPS door (a job printed straight to a CUPS queue whose device URI is
//    `pullprint:...`): the backend records the job it holds (exit status 3) until its owner
//    releases it at a terminal. pullprintd's own jobs are released without passing here.
//  - released: who released it, to which printer, at what price (the price for that printer).
//  - in-flight: written by the backend BEFORE the first byte goes to the real backend, with the
//    backend's pid and start time; a crash leaves it behind, and a later begin() on the same job
//    (a retry) or reconcile_deliveries() finds it.
//  - printed: the reservation is captured at `amount`, key "capture:<job_ref>": however often a
//    job is retried or re-released, it is charged once.
//  - voided: the reservation is voided, key "void:<job_ref>" (the key cancel and expiry of
//    pullprintd's held jobs use too: whichever runs first voids).
//  - review: data reached the real backend and it then failed: the pages may or may not have
//    come out. Nothing is charged or voided until an admin decides (resolve_review()).
//
// Contract for an implementation (Site::open in site/site.h picks it; SQLite is the default):
// every state change is a compare-and-set on the row (one write transaction): of two backends
// beginning the same job, one wins (kConflict for the other). The log never moves money itself;
// finish_delivery() and friends settle the ledger first (idempotent keys) and then the row, so
// no transaction spans the log and the ledger. The log lives in the ledger's database, created
// by the ledger's migrations.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/job-ref.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

enum class DeliveryState { kHeld, kReleased, kInFlight, kPrinted, kVoided, kReview };

// "held", "released", "in-flight", "printed", "voided", "review".
std::string_view delivery_state_name(DeliveryState state);
std::optional<DeliveryState> parse_delivery_state(std::string_view name);

struct Delivery {
  std::string job_ref;             // ledger job reference: "pullprintd/<uuid>", "cups/<uuid>"
  std::int64_t reservation_id = 0; // the job's open reservation
  std::string owner;               // who printed it
  std::string title;
  std::string printer;             // release printer (or CUPS queue) it goes to / went to
  std::string device_uri;          // the real device URI, credentials redacted
  std::int64_t amount = 0;         // what a successful print captures (price on `printer`)
  std::string currency;
  std::string released_by;         // who released it ("" while held); an operator or the owner
  DeliveryState state = DeliveryState::kHeld;
  int attempts = 0;                // how often begin() ran
  std::int64_t bytes_sent = 0;     // bytes the real backend read in the last attempt
  std::optional<std::int64_t> pid; // backend process of the attempt in flight
  std::int64_t pid_start = 0;      // its start time (clock ticks since boot, /proc/PID/stat)
  std::string cups_queue;          // CUPS door: the queue and job id the backend runs for
  std::optional<std::int64_t> cups_job_id;
  std::string message;             // what happened last, for the user and the admin
  std::string created_at;          // ISO 8601 UTC
  std::string updated_at;
};

// What the CUPS door's backend knows of a job it holds.
struct HeldDelivery {
  std::string job_ref;
  std::int64_t reservation_id = 0;
  std::string owner;
  std::string title;
  std::string printer;     // the CUPS queue ($PRINTER)
  std::string device_uri;  // redacted
  std::string cups_queue;
  std::int64_t cups_job_id = 0;
};

// What a released job is on paper, for the reports (lib/reports/; 013-reports.sql): printed
// pages (impressions, copies included), of them in colour, sheets, two-sided or not. Zero when
// nobody knows (a CUPS-door job, a row from before the reports).
struct JobFacts {
  std::int64_t pages = 0;
  std::int64_t color_pages = 0;
  std::int64_t sheets = 0;
  bool duplex = false;
};

// A release: the job goes to `printer` and costs `amount` there.
struct ReleaseOrder {
  std::string job_ref;
  std::int64_t reservation_id = 0;  // ignored when the job is already held here
  std::string owner;
  std::string title;
  std::string printer;
  std::string device_uri;           // redacted
  std::int64_t amount = 0;
  std::string currency;
  std::string released_by;
};

// How the real backend ended.
struct DeliveryOutcome {
  int exit_status = 0;          // the real backend's exit status (CUPS_BACKEND_*), or 128+signal
  std::int64_t bytes_sent = 0;  // bytes that may have reached the device (it read them from us)
  bool cancelled = false;       // the job was cancelled (SIGTERM from cupsd, or status CANCEL)
  std::string message;          // the real backend's last ERROR/INFO line, or why it failed
};

// The identity of a running process: pid and start time, so that a reused pid is not mistaken
// for the backend that wrote an in-flight record.
struct ProcessStamp {
  std::int64_t pid = 0;
  std::int64_t start = 0;
};

// This process's stamp.
ProcessStamp current_process_stamp();
// Whether the process that wrote `stamp` is still running.
bool process_alive(const ProcessStamp& stamp);

class DeliveryLog {
 public:
  // Opens the SQLite log in the ledger file at `ledger_path` (the ledger's migrations create
  // it; see LedgerMigrations in ledger/ledger.h).
  static Result<std::unique_ptr<DeliveryLog>> open(
      const std::string& ledger_path, LedgerMigrations migrations = LedgerMigrations::kRun);
  virtual ~DeliveryLog() = default;

  virtual Result<Delivery> get(std::string_view job_ref) = 0;
  // CUPS door: records a job the backend holds; idempotent (the existing row is returned, in
  // whatever state it is).
  virtual Result<Delivery> hold(const HeldDelivery& job) = 0;
  // Authorises printing: no row or held -> released. A job already released to the same
  // printer is returned as it is (a repeated release); kConflict for a job in flight, printed,
  // voided or under review, or released elsewhere.
  Result<Delivery> release(const ReleaseOrder& order) { return release(order, JobFacts{}); }
  // The same, with what the job is on paper there (for the reports; all zero = unknown: a held
  // row keeps what it has).
  virtual Result<Delivery> release(const ReleaseOrder& order, const JobFacts& facts) = 0;
  // Records the CUPS job that carries a released job (pullprintd submitted it to a local CUPS
  // queue whose backend is pullprint:...), before the document is sent: the backend trusts the
  // job's pullprint-job-ref option only for that queue and job id. kConflict unless released.
  virtual Status set_cups_job(std::string_view job_ref, std::string_view cups_queue,
                              std::int64_t cups_job_id) = 0;
  // Takes a released job back (pullprintd: the printer could not be reached, the user may pick
  // another): released -> held when the CUPS door holds it, else the row is removed.
  virtual Status withdraw(std::string_view job_ref) = 0;
  // released -> in-flight, before any byte is sent; an in-flight row whose process is gone (a
  // crashed or killed attempt being retried) is taken over. kConflict when another live
  // process has it in flight, or the job is held, printed, voided or under review.
  virtual Result<Delivery> begin(std::string_view job_ref, const ProcessStamp& stamp) = 0;
  // Records the end of an attempt (state and message; no money: see finish_delivery()).
  virtual Result<Delivery> set_state(std::string_view job_ref, DeliveryState from,
                                     DeliveryState to, std::int64_t bytes_sent,
                                     std::string_view message) = 0;
  // Rows in `state` (all rows when nullopt), oldest first; owner "" = everybody's.
  virtual Result<std::vector<Delivery>> list(std::optional<DeliveryState> state,
                                             std::string_view owner) = 0;
};

// Settles an attempt on its outcome: exit status 0 captures the reservation at the delivery's
// amount (then printed); nothing sent voids it when the job was cancelled (then voided) and
// otherwise leaves it open (back to released, retried or released again later); data sent and
// then a failure puts the job under review. Idempotent: the ledger keys make a repeated call
// (or one after a crash between the capture and the state change) settle nothing twice.
Result<Delivery> finish_delivery(Ledger& ledger, DeliveryLog& log, std::string_view job_ref,
                                 const DeliveryOutcome& outcome, std::string_view actor);

// An admin's decision on a job under review: capture it at its amount (the pages came out) or
// void it. Logged with `admin` as the actor.
Result<Delivery> resolve_review(Ledger& ledger, DeliveryLog& log, std::string_view job_ref,
                                bool capture, std::string_view admin);

// The one rule for an in-flight row whose process is gone (`who`: "process 1234", "the previous
// attempt"): the ledger decides. Its reservation already captured (a crash after the capture):
// printed; voided meanwhile (a cancel): voided; the row after it is returned. Still open: nothing
// is changed and nullopt is returned; the caller decides (reconcile_deliveries puts it under
// review, the backend sends it again). kConflict when another process moved the row first.
Result<std::optional<Delivery>> settle_dead_attempt(Ledger& ledger, DeliveryLog& log,
                                                    const Delivery& row, std::string_view who);

// Finishes what crashes left behind: in-flight rows whose process is gone are settled by
// settle_dead_attempt(), and the ones whose reservation is still open go under review (data may
// have reached the printer). Returns how many rows it changed.
Result<int> reconcile_deliveries(Ledger& ledger, DeliveryLog& log);

}  // namespace pp
