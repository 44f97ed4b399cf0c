// delivery-settle.cpp: the money side of a delivery: capture, void or review after an attempt.
//
// The order of steps is what makes a crash harmless: the ledger is settled first (under the
// job's capture or void key, so a repeat replays instead of charging again), then the row's
// state follows. A crash between the two leaves an in-flight row whose reservation is already
// closed; reconcile_deliveries() (or the next finish or begin) completes it from the ledger.
#include "delivery/delivery.h"

namespace pp {

namespace {

bool settled(DeliveryState state) {
  return state == DeliveryState::kPrinted || state == DeliveryState::kVoided ||
         state == DeliveryState::kReview;
}

std::string with_detail(std::string text, std::string_view detail) {
  if (!detail.empty()) text += ": " + std::string(detail);
  return text;
}

// Captures the job at its amount and marks it printed; `from` is the state it leaves. A
// reservation that can no longer be captured (voided meanwhile by a cancel) is a case for an
// admin: the pages did come out.
Result<Delivery> settle_printed(Ledger& ledger, DeliveryLog& log, const Delivery& d,
                                DeliveryState from, std::int64_t bytes, std::string message,
                                std::string_view actor) {
  Result<JournalEntry> captured = ledger.capture(
      d.reservation_id, d.amount, JobRef::from_stored(d.job_ref).capture_key(), actor);
  if (!captured) {
    if (captured.status().code() != Code::kConflict) return captured.status();
    return log.set_state(d.job_ref, from, DeliveryState::kReview, bytes,
                         "printed, but the charge failed: " + captured.status().message());
  }
  return log.set_state(d.job_ref, from, DeliveryState::kPrinted, bytes, message);
}

Result<Delivery> settle_voided(Ledger& ledger, DeliveryLog& log, const Delivery& d,
                               DeliveryState from, std::int64_t bytes, std::string message,
                               std::string_view actor) {
  Result<JournalEntry> voided = ledger.void_reservation(
      d.reservation_id, JobRef::from_stored(d.job_ref).void_key(), actor, message);
  if (!voided) {
    if (voided.status().code() != Code::kConflict) return voided.status();
    // Already voided under another key (an expiry) is the same outcome; captured is not.
    Result<Reservation> reservation = ledger.get_reservation(d.reservation_id);
    if (!reservation) return reservation.status();
    if (reservation->state != ReservationState::kVoided)
      return log.set_state(d.job_ref, from, DeliveryState::kReview, bytes,
                           "cancelled, but the charge could not be voided: " +
                               voided.status().message());
  }
  return log.set_state(d.job_ref, from, DeliveryState::kVoided, bytes, message);
}

}  // namespace

Result<Delivery> finish_delivery(Ledger& ledger, DeliveryLog& log, std::string_view job_ref,
                                 const DeliveryOutcome& outcome, std::string_view actor) {
  Result<Delivery> current = log.get(job_ref);
  if (!current) return current;
  if (settled(current->state)) return current;  // finished before: nothing twice
  if (current->state != DeliveryState::kInFlight)
    return Status(Code::kConflict, "job " + std::string(job_ref) + " is " +
                                       std::string(delivery_state_name(current->state)) +
                                       ", not in flight");
  const Delivery& d = *current;
  std::int64_t bytes = std::max<std::int64_t>(outcome.bytes_sent, 0);
  if (outcome.exit_status == 0) {
    return settle_printed(ledger, log, d, DeliveryState::kInFlight, bytes,
                          with_detail("printed on " + d.printer, outcome.message), actor);
  }
  if (bytes == 0) {
    if (outcome.cancelled) {
      return settle_voided(ledger, log, d, DeliveryState::kInFlight, 0,
                           with_detail("cancelled before any data was sent", outcome.message),
                           actor);
    }
    // Nothing reached the device: the reservation stays open for a retry or another printer.
    return log.set_state(d.job_ref, DeliveryState::kInFlight, DeliveryState::kReleased, 0,
                         with_detail("nothing was sent (backend status " +
                                         std::to_string(outcome.exit_status) + ")",
                                     outcome.message));
  }
  return log.set_state(
      d.job_ref, DeliveryState::kInFlight, DeliveryState::kReview, bytes,
      with_detail(std::to_string(bytes) + " bytes were sent, then the backend " +
                      (outcome.cancelled ? std::string("was cancelled")
                                         : "failed with status " +
                                               std::to_string(outcome.exit_status)),
                  outcome.message));
}

Result<Delivery> resolve_review(Ledger& ledger, DeliveryLog& log, std::string_view job_ref,
                                bool capture, std::string_view admin) {
  Result<Delivery> current = log.get(job_ref);
  if (!current) return current;
  DeliveryState wanted = capture ? DeliveryState::kPrinted : DeliveryState::kVoided;
  if (current->state == wanted) return current;  // decided before
  if (current->state != DeliveryState::kReview)
    return Status(Code::kConflict, "job " + std::string(job_ref) + " is " +
                                       std::string(delivery_state_name(current->state)) +
                                       ", not under review");
  std::string decision = std::string(capture ? "charged" : "voided") + " by " +
                         std::string(admin) + " after review";
  if (capture) {
    Result<JournalEntry> captured =
        ledger.capture(current->reservation_id, current->amount,
                       JobRef::from_stored(job_ref).capture_key(), admin);
    if (!captured) return captured.status();  // stays under review
    return log.set_state(job_ref, DeliveryState::kReview, DeliveryState::kPrinted,
                         current->bytes_sent, decision);
  }
  Result<JournalEntry> voided = ledger.void_reservation(
      current->reservation_id, JobRef::from_stored(job_ref).void_key(), admin, decision);
  if (!voided) {
    Result<Reservation> reservation = ledger.get_reservation(current->reservation_id);
    if (!reservation || reservation->state != ReservationState::kVoided) return voided.status();
  }
  return log.set_state(job_ref, DeliveryState::kReview, DeliveryState::kVoided,
                       current->bytes_sent, decision);
}

Result<std::optional<Delivery>> settle_dead_attempt(Ledger& ledger, DeliveryLog& log,
                                                    const Delivery& row, std::string_view who) {
  Result<Reservation> reservation = ledger.get_reservation(row.reservation_id);
  if (!reservation) return reservation.status();
  const std::string ended = std::string(who) + " ended after the ";
  Result<Delivery> done = Status(Code::kInternal, "unreachable");
  if (reservation->state == ReservationState::kCaptured) {
    done = log.set_state(row.job_ref, DeliveryState::kInFlight, DeliveryState::kPrinted,
                         row.bytes_sent, "printed (" + ended + "charge)");
  } else if (reservation->state == ReservationState::kVoided) {
    done = log.set_state(row.job_ref, DeliveryState::kInFlight, DeliveryState::kVoided,
                         row.bytes_sent, "voided (" + ended + "void)");
  } else {
    return std::optional<Delivery>();  // still open: the caller's decision
  }
  if (!done) return done.status();
  return std::optional<Delivery>(std::move(*done));
}

Result<int> reconcile_deliveries(Ledger& ledger, DeliveryLog& log) {
  Result<std::vector<Delivery>> in_flight = log.list(DeliveryState::kInFlight, "");
  if (!in_flight) return in_flight.status();
  int changed = 0;
  for (const Delivery& d : *in_flight) {
    if (process_alive({d.pid.value_or(0), d.pid_start})) continue;
    const std::string who = "process " + std::to_string(d.pid.value_or(0));
    Result<std::optional<Delivery>> settled = settle_dead_attempt(ledger, log, d, who);
    Status done = settled.status();
    if (settled && !*settled) {
      Result<Delivery> review =
          log.set_state(d.job_ref, DeliveryState::kInFlight, DeliveryState::kReview, d.bytes_sent,
                        who + " ended while sending: the pages may have been printed");
      done = review.status();
    }
    if (done.is_ok()) {
      ++changed;
    } else if (done.code() != Code::kConflict) {  // another process got there first
      return done;
    }
  }
  return changed;
}

}  // namespace pp
