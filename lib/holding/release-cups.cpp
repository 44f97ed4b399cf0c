// release-cups.cpp: releasing jobs the wrapper backend holds for a plain CUPS queue.
#include "holding/release.h"

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

Result<Delivery> release_cups_job(Ledger& ledger, DeliveryLog& log, std::string_view job_ref,
                                  const ReleasePrinter& printer, const Releaser& releaser) {
  const Status not_here(Code::kNotFound, "no job " + std::string(job_ref) + " held in " +
                                             printer.cups_queue);
  Result<Delivery> held = log.get(job_ref);
  if (!held) return held.status().code() == Code::kNotFound ? not_here : held.status();
  if (held->state != DeliveryState::kHeld || printer.cups_queue.empty() ||
      held->cups_queue != printer.cups_queue ||
      (held->owner != releaser.user && !releaser.may_release_others))
    return not_here;
  Result<Reservation> reservation = ledger.get_reservation(held->reservation_id);
  if (!reservation) return reservation.status();
  if (reservation->state != ReservationState::kOpen)
    return Status(Code::kConflict, "the reservation of job " + std::string(job_ref) +
                                       " is no longer open");
  // The delivery keeps the queue's name as its printer: the job prints only there, whatever
  // the release printer (a [printer NAME] with cups-queue = QUEUE) is called.
  ReleaseOrder order{held->job_ref, held->reservation_id, held->owner, held->title,
                     held->printer, held->device_uri, reservation->amount, held->currency,
                     releaser.user};
  return log.release(order);
}

}  // namespace pp
