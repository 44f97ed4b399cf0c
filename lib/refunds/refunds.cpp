// refunds.cpp: asking for a refund of a printed job and deciding it (the rules are in
// refunds.h).
#include "refunds/refunds.h"

#include <array>

#include "ledger/job-ref.h"
#include "ledger/refund-key.h"

namespace pp {

namespace {

struct ReasonName {
  RefundReason reason;
  std::string_view name;
  std::string_view text;
};
constexpr std::array<ReasonName, 4> kReasons{{
    {RefundReason::kJam, "jam", "paper jam"},
    {RefundReason::kBlankPage, "blank-page", "blank page"},
    {RefundReason::kWrongOutput, "wrong-output", "wrong output"},
    {RefundReason::kOther, "other", "other"},
}};

Status check_text(std::string_view text, RefundReason reason) {
  if (text.size() > kMaxRefundText)
    return Status(Code::kInvalidArgument, "a refund request's text has at most " +
                                              std::to_string(kMaxRefundText) + " bytes");
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
      return Status(Code::kInvalidArgument, "a refund request's text has control characters");
  }
  if (reason == RefundReason::kOther && text.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status(Code::kInvalidArgument, "say what went wrong (reason: other)");
  return Status::ok();
}

// The charge of a held job: its captured reservation.
Result<Reservation> captured_charge(Ledger& ledger, const HeldJob& job) {
  std::optional<Reservation> reservation;
  if (job.reservation_id) {
    Result<Reservation> found = ledger.get_reservation(*job.reservation_id);
    if (!found) return found.status();
    reservation = *found;
  } else {
    Result<std::optional<Reservation>> found =
        ledger.find_reservation_by_key(JobRef::held(job.uuid).reserve_key());
    if (!found) return found.status();
    reservation = *found;
  }
  if (!reservation || reservation->state != ReservationState::kCaptured ||
      reservation->captured_amount <= 0) {
    return Status(Code::kConflict, "nothing was charged for job " + std::to_string(job.id) +
                                       " to its owner (a split job's parts are refunded by "
                                       "the desk)");
  }
  return *reservation;
}

}  // namespace

std::string_view refund_reason_name(RefundReason reason) {
  for (const ReasonName& entry : kReasons)
    if (entry.reason == reason) return entry.name;
  return "other";
}

std::optional<RefundReason> parse_refund_reason(std::string_view name) {
  for (const ReasonName& entry : kReasons)
    if (entry.name == name) return entry.reason;
  return std::nullopt;
}

std::string_view refund_reason_text(RefundReason reason) {
  for (const ReasonName& entry : kReasons)
    if (entry.reason == reason) return entry.text;
  return "other";
}

std::string_view refund_state_name(RefundState state) {
  switch (state) {
    case RefundState::kOpen:
      return "open";
    case RefundState::kGranted:
      return "granted";
    case RefundState::kDenied:
      return "denied";
  }
  return "open";
}

std::optional<RefundState> parse_refund_state(std::string_view name) {
  if (name == "open") return RefundState::kOpen;
  if (name == "granted") return RefundState::kGranted;
  if (name == "denied") return RefundState::kDenied;
  return std::nullopt;
}

Result<RefundRequest> request_refund(JobStore& jobs, Ledger& ledger, RefundStore& refunds,
                                     std::string_view user, std::int64_t job_id,
                                     RefundReason reason, std::string_view text) {
  if (Status status = check_text(text, reason); !status.is_ok()) return status;
  Result<HeldJob> job = jobs.get(job_id);
  if (!job) {
    if (job.status().code() == Code::kNotFound)
      return Status(Code::kNotFound, "no job " + std::to_string(job_id));
    return job.status();
  }
  if (job->owner != user)
    return Status(Code::kPermissionDenied, "job " + std::to_string(job_id) + " is not yours");
  if (job->state != HeldJobState::kPrinted)
    return Status(Code::kConflict, "job " + std::to_string(job_id) + " was not printed (it is " +
                                       std::string(held_job_state_name(job->state)) + ")");
  Result<Reservation> charge = captured_charge(ledger, *job);
  if (!charge) return charge.status();
  NewRefundRequest request;
  request.job_id = job->id;
  request.job_ref = JobRef::held(job->uuid).str();
  request.title = job->title;
  request.user = std::string(user);
  request.account = charge->account;
  request.reservation_id = charge->id;
  request.amount = charge->captured_amount;
  request.reason = reason;
  request.text = std::string(text);
  return refunds.add(request);
}

Result<RefundRequest> grant_refund(Ledger& ledger, RefundStore& refunds, std::int64_t id,
                                   std::string_view actor, std::string_view note) {
  Result<RefundRequest> request = refunds.get(id);
  if (!request) return request.status();
  if (request->state != RefundState::kOpen)
    return Status(Code::kConflict, "refund request " + std::to_string(id) + " is " +
                                       std::string(refund_state_name(request->state)));
  // The ledger first: the key is the job's, so a repeated grant (after a crash) refunds once.
  Result<JournalEntry> refunded =
      ledger.refund(request->reservation_id, request->amount,
                    refund_request_key(JobRef::from_stored(request->job_ref)), actor,
                    "refund request " + std::to_string(id) + " (" +
                        std::string(refund_reason_text(request->reason)) + ")");
  if (!refunded) return refunded.status();
  return refunds.decide(id, RefundState::kGranted, actor, note);
}

Result<JournalEntry> refund_printed_job(JobStore& jobs, Ledger& ledger, std::int64_t job_id,
                                        std::string_view account, std::string_view actor,
                                        std::string_view note) {
  Result<HeldJob> job = jobs.get(job_id);
  if (!job) {
    if (job.status().code() == Code::kNotFound)
      return Status(Code::kNotFound, "no job " + std::to_string(job_id));
    return job.status();
  }
  if (job->state != HeldJobState::kPrinted)
    return Status(Code::kConflict, "job " + std::to_string(job_id) + " was not printed (it is " +
                                       std::string(held_job_state_name(job->state)) + ")");
  Result<Reservation> charge = captured_charge(ledger, *job);
  if (!charge) return charge.status();
  if (charge->account != account)
    return Status(Code::kPermissionDenied,
                  "job " + std::to_string(job_id) + " was not charged to " + std::string(account));
  return ledger.refund(charge->id, charge->captured_amount,
                       refund_request_key(JobRef::held(job->uuid)), actor,
                       note.empty() ? "refunded at the desk" : note);
}

Result<RefundRequest> deny_refund(RefundStore& refunds, std::int64_t id, std::string_view actor,
                                  std::string_view note) {
  return refunds.decide(id, RefundState::kDenied, actor, note);
}

}  // namespace pp
