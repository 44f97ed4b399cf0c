// release-cups.cpp: releasing jobs the wrapper backend holds for a plain CUPS queue.
#include "release/release.h"
#include "rights/rights.h"
#include "split-jobs/split-jobs.h"

namespace pp {

Result<std::vector<Delivery>> held_cups_jobs(DeliveryLog& log, std::string_view owner,
                                             std::string_view cups_queue) {
  Result<std::vector<Delivery>> held = log.list(DeliveryState::kHeld, owner);
  if (!held) return held;
  std::vector<Delivery> jobs;
  for (Delivery& delivery : *held)
    if (!delivery.cups_queue.empty() && delivery.cups_queue == cups_queue && delivery.cups_job_id)
      jobs.push_back(std::move(delivery));
  return jobs;
}

Result<Delivery> release_cups_job(Site& site, const Config& config, std::string_view job_ref,
                                  const ReleasePrinter& printer, const Releaser& releaser) {
  Ledger& ledger = site.ledger();
  DeliveryLog& log = site.deliveries();
  const Status not_here(Code::kNotFound,
                        "no job " + std::string(job_ref) + " held in " + printer.cups_queue);
  Result<Delivery> held = log.get(job_ref);
  if (!held) return held.status().code() == Code::kNotFound ? not_here : held.status();
  if (held->state != DeliveryState::kHeld || printer.cups_queue.empty() ||
      held->cups_queue != printer.cups_queue ||
      (held->owner != releaser.user && !releaser.may_release_others))
    return not_here;
  // The printer's allowed-users (rights.h); the filter checked the job's pages and colour for
  // this queue's printer when it took the job.
  Result<SiteRights> rights = rights_from_config(config);
  if (!rights) return rights.status();
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  const std::string& prints_for =
      held->owner != releaser.user && releaser.may_release_others ? held->owner : releaser.user;
  if (Status allowed =
          check_printer_access(*rights, site.people(), *printers, printer.name, prints_for);
      !allowed.is_ok())
    return allowed;
  // A split job (split-cups.h) prints once its split is settled: nothing pending, not cancelled.
  if (Result<Split> split = site.splits().get_split(held->job_ref); split) {
    if (Status ready = check_ratio_split_ready(*split, "job " + held->job_ref); !ready.is_ok())
      return ready;
  } else if (split.status().code() != Code::kNotFound) {
    return split.status();
  }
  Result<Reservation> reservation = ledger.get_reservation(held->reservation_id);
  if (!reservation) return reservation.status();
  if (reservation->state != ReservationState::kOpen)
    return Status(Code::kConflict,
                  "the reservation of job " + std::string(job_ref) + " is no longer open");
  // The delivery keeps the queue's name as its printer: the job prints only there, whatever
  // the release printer (a [printer NAME] with cups-queue = QUEUE) is called.
  ReleaseOrder order{held->job_ref,       held->reservation_id, held->owner,
                     held->title,         held->printer,        held->device_uri,
                     reservation->amount, held->currency,       releaser.user};
  return log.release(order);
}

Status void_held_cups_job(Site& site, const Delivery& job, std::string_view closed_by,
                          const std::string& reason, const std::string& message) {
  Ledger& ledger = site.ledger();
  DeliveryLog& log = site.deliveries();
  // held -> released (by nobody who prints it) -> voided: the delivery log's states.
  ReleaseOrder order{job.job_ref, job.reservation_id, job.owner,
                     job.title,   job.printer,        job.device_uri,
                     0,           job.currency,       std::string(closed_by)};
  if (Result<Delivery> released = log.release(order); !released) return released.status();
  Result<JournalEntry> voided = ledger.void_reservation(
      job.reservation_id, JobRef::from_stored(job.job_ref).void_key(), "pullprintd", reason);
  if (!voided && voided.status().code() != Code::kConflict) return voided.status();
  Result<Delivery> done =
      log.set_state(job.job_ref, DeliveryState::kReleased, DeliveryState::kVoided, 0, message);
  return done.status();
}

Result<int> sweep_gone_cups_jobs(Site& site,
                                 const std::function<Result<bool>(std::int64_t)>& still_active) {
  DeliveryLog& log = site.deliveries();
  Result<std::vector<Delivery>> held = log.list(DeliveryState::kHeld, "");
  if (!held) return held.status();
  int closed = 0;
  for (const Delivery& job : *held) {
    if (!job.cups_job_id) continue;
    Result<bool> active = still_active(*job.cups_job_id);
    if (!active || *active) continue;
    if (Status done = void_held_cups_job(
            site, job, "cupsd",
            "CUPS job " + std::to_string(*job.cups_job_id) + " ended while held for release",
            "the CUPS job ended while held; nothing charged");
        !done.is_ok())
      return done;
    ++closed;
  }
  return closed;
}

}  // namespace pp
