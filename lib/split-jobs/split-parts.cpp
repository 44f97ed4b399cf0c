// split-parts.cpp: the parts of copies/pages/method splits on their way to a printer (see
// split-parts.h).
#include "split-jobs/split-parts.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "holding/holding.h"
#include "pricing/pricing.h"
#include "split-jobs/split-jobs.h"
#include "util/child-process.h"

namespace pp {
namespace {

constexpr int kExtractTimeoutSeconds = 120;
constexpr std::uint64_t kExtractMemoryBytes = 1024ull * 1024 * 1024;

SplitClock now() {
  return std::chrono::system_clock::now();
}

// "bob's part (2 copies)".
std::string part_name(const Share& share) {
  return share.payer + "'s part (" + share.description + ")";
}

// Whether a delivery row means the part is on its way (claimed, not settled).
bool on_its_way(const Result<Delivery>& delivery) {
  return delivery && (delivery->state == DeliveryState::kReleased ||
                      delivery->state == DeliveryState::kInFlight);
}

// The payer's pages of a PDF as a file of their own, next to the job's document, made by the
// qpdf program in a child process with limits (the document came from the network; pullprintd
// never parses it in its own process). Returns its path.
Result<std::string> extract_pages(const HeldJob& job, const Share& share) {
  auto ranges = share.options.find("page-ranges");
  if (ranges == share.options.end())
    return Status(Code::kInternal, part_name(share) + " has no page-ranges");
  const std::string path = job.document_path + ".part-" + std::to_string(share.id);
  ChildProcessOptions command;
  command.argv = {
      "qpdf", "--warning-exit-0", "--empty", "--pages", job.document_path, ranges->second, "--",
      path};
  command.display_name = "qpdf (pages of " + part_name(share) + ")";
  command.timeout_seconds = kExtractTimeoutSeconds;
  command.memory_bytes = kExtractMemoryBytes;
  Result<ChildProcess> child = ChildProcess::start(command);
  Status done = child ? child->wait() : child.status();
  if (!done.is_ok()) {
    ::unlink(path.c_str());
    return done;
  }
  ::chmod(path.c_str(), 0600);  // spool files are private
  return path;
}

// The document a part prints: its pages (pages mode, PDF), else the job's document.
Result<std::string> part_document(const HeldJob& job, const Share& share) {
  if (share.mode != SplitMode::kPages || job.format != "application/pdf") return job.document_path;
  return extract_pages(job, share);
}

void remove_part_document(const ClaimedRelease& claim) {
  if (claim.document_path != claim.job.document_path) ::unlink(claim.document_path.c_str());
}

// The owner's summary of the parts: "bob printed EUR 0.20, carol pending".
std::string parts_summary(const Split& split) {
  std::string text;
  for (const Share& share : split.shares) {
    if (!text.empty()) text += ", ";
    text += share.payer + " " + std::string(share_state_name(share.state));
    if (share.state == ShareState::kPrinted)
      text += " " + format_money(share.amount, share.currency);
  }
  return text;
}

// One part's claim: its document (the extract of its pages, or the job's) and its release order
// in the delivery log; on failure nothing of it is left.
Result<ClaimedRelease> claim_part(DeliveryLog& log, const ReleasePrinter& printer,
                                  const HeldJob& job, const Share& share,
                                  const Releaser& releaser) {
  Result<std::string> document = part_document(job, share);
  if (!document) return document.status();
  ClaimedRelease claim{job,   printer, share.amount, share.currency, "",
                       false, share,   *document,    false,          ""};
  claim.job.state = HeldJobState::kReleasing;
  claim.job.printer = printer.name;
  claim.job.released_by = releaser.user;
  ReleaseOrder order{claim.delivery_ref(),
                     share.reservation_id.value_or(0),
                     job.owner,
                     job.title + " (" + part_name(share) + ")",
                     printer.name,
                     redacted_device_uri(printer.device_uri),
                     share.amount,
                     share.currency,
                     releaser.user};
  if (Result<Delivery> released = log.release(order); !released) {
    remove_part_document(claim);
    return released.status();
  }
  return claim;
}

}  // namespace

Result<std::vector<ClaimedRelease>> claim_split_parts(Site& site, const ReleasePrinter& printer,
                                                      const HeldJob& job, const Split& split,
                                                      const Releaser& releaser) {
  const std::string name = "job " + std::to_string(job.id);
  const bool for_owner = job.owner == releaser.user || releaser.may_release_others;
  Result<std::vector<Share>> ready =
      site.splits().releasable(split.job_ref, for_owner ? split.owner : releaser.user);
  if (!ready && ready.status().code() == Code::kPermissionDenied)
    return Status(Code::kNotFound, "no held job " + std::to_string(job.id));
  if (!ready) return ready.status();
  std::vector<Share> parts;
  for (const Share& share : *ready) {
    Result<Delivery> delivery = site.deliveries().get(share.part_ref().str());
    if (!delivery && delivery.status().code() != Code::kNotFound) return delivery.status();
    if (!delivery) parts.push_back(share);  // a part under review waits for the admin
  }
  if (parts.empty())
    return Status(Code::kConflict,
                  "nothing of " + name + " is ready to print (" + split.progress() + ")");
  if (Status claimed =
          site.jobs().transition(job.id, HeldJobState::kHeld, HeldJobState::kReleasing);
      !claimed.is_ok())
    return claimed;
  std::vector<ClaimedRelease> claims;
  std::string payers;
  for (const Share& share : parts) {
    Result<ClaimedRelease> claim = claim_part(site.deliveries(), printer, job, share, releaser);
    if (!claim) {
      // All or nothing: the parts claimed so far go back, and so does the job. The claim's
      // failure is the answer; a give-back that fails too leaves a part released or the job
      // releasing, which recover_releases() gives back at the next start.
      for (const ClaimedRelease& taken : claims) {
        (void)site.deliveries().withdraw(taken.delivery_ref());
        remove_part_document(taken);
      }
      (void)site.jobs().transition(job.id, HeldJobState::kReleasing, HeldJobState::kHeld);
      return claim.status();
    }
    payers += (payers.empty() ? "" : ", ") + share.payer;
    claims.push_back(std::move(*claim));
  }
  ReleaseNote note{printer.name, releaser.user, std::nullopt,
                   "Parts of " + payers + " released to " + printer.name + " by " + releaser.user};
  if (Status noted = site.jobs().record_release(job.id, note); !noted.is_ok()) return noted;
  return claims;
}

Status finish_parts_job(Site& site, const HeldJob& job, HeldJobState from,
                        const std::string& message) {
  JobStore& store = site.jobs();
  DeliveryLog& log = site.deliveries();
  SplitStore& splits = site.splits();
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) return split.status();
  for (const Share& share : split->shares) {
    if (on_its_way(log.get(share.part_ref().str()))) return Status::ok();
  }
  HeldJobState to = HeldJobState::kHeld;
  std::int64_t printed = 0;
  bool any_printed = false;
  for (const Share& share : split->shares) {
    if (share.state != ShareState::kPrinted) continue;
    printed += share.amount;
    any_printed = true;
  }
  if (split->state != SplitState::kOpen)
    to = any_printed ? HeldJobState::kPrinted : HeldJobState::kCancelled;
  ReleaseNote note{job.printer, job.released_by, std::nullopt,
                   message + (message.empty() ? "" : "; ") + "parts: " + parts_summary(*split)};
  if (to != HeldJobState::kHeld) note.final_price_minor = printed;
  if (Status noted = store.record_release(job.id, note); !noted.is_ok()) return noted;
  if (from != to) {
    if (Status moved = store.transition(job.id, from, to); !moved.is_ok()) return moved;
  }
  if (to == HeldJobState::kHeld) return Status::ok();
  return store.delete_document(job.id);
}

Status withdraw_split_part(Site& site, const ClaimedRelease& claim, std::string_view message) {
  if (Status withdrawn = site.deliveries().withdraw(claim.delivery_ref()); !withdrawn.is_ok())
    return withdrawn;
  remove_part_document(claim);
  return finish_parts_job(site, claim.job, HeldJobState::kReleasing, std::string(message));
}

Result<HeldJob> settle_split_part(Site& site, const ClaimedRelease& claim, const Status& sent) {
  DeliveryLog& log = site.deliveries();
  const Share& share = *claim.part;
  const std::string ref = claim.delivery_ref();
  Result<Delivery> delivery = log.get(ref);
  if (delivery && delivery->state == DeliveryState::kInFlight) {
    // The backend died (killed, timed out) with the part in flight.
    if (Result<int> fixed = reconcile_deliveries(site.ledger(), log); !fixed) return fixed.status();
    delivery = log.get(ref);
  }
  const std::string where = claim.printer.name;
  std::string message;
  if (!delivery || delivery->state == DeliveryState::kReleased) {
    const std::string reason = delivery && !delivery->message.empty() ? delivery->message
                               : !sent.is_ok()                        ? sent.message()
                                               : "the printer did not take the job";
    if (Status withdrawn = log.withdraw(ref); !withdrawn.is_ok()) return withdrawn;
    message = "Not printed: " + where + " did not receive " + part_name(share) + " (" + reason +
              "); nothing was charged, release it again";
  } else if (delivery->state == DeliveryState::kPrinted) {
    Result<Share> captured = site.splits().capture_share(share.id, kHoldActor, now());
    if (!captured) return captured.status();
    message = "Printed " + part_name(share) + " on " + where + ": " +
              format_money(share.amount, share.currency);
  } else if (delivery->state == DeliveryState::kVoided) {
    Result<Share> voided = site.splits().void_share(share.id, kHoldActor, now());
    if (!voided) return voided.status();
    message = "Cancelled " + part_name(share) + " while printing on " + where +
              "; nothing was charged for it";
  } else {  // review
    message = "Printing " + part_name(share) + " on " + where + " failed after it was sent (" +
              delivery->message + "); an admin will check whether it printed";
  }
  remove_part_document(claim);
  if (Status finished = finish_parts_job(site, claim.job, HeldJobState::kReleasing, message);
      !finished.is_ok())
    return finished;
  return site.jobs().get(claim.job.id);
}

Status recover_split_parts(Site& site, const HeldJob& job, const Split& split) {
  for (const Share& share : split.shares) {
    const std::string ref = share.part_ref().str();
    Result<Delivery> delivery = site.deliveries().get(ref);
    if (!delivery) continue;
    if (delivery->state == DeliveryState::kReleased) {
      if (Status back = site.deliveries().withdraw(ref); !back.is_ok()) return back;
      ::unlink((job.document_path + ".part-" + std::to_string(share.id)).c_str());
    } else if (delivery->state == DeliveryState::kPrinted && share.state == ShareState::kApproved) {
      if (Result<Share> captured = site.splits().capture_share(share.id, kHoldActor, now());
          !captured)
        return captured.status();
    } else if (delivery->state == DeliveryState::kVoided && share.state == ShareState::kApproved) {
      if (Result<Share> voided = site.splits().void_share(share.id, kHoldActor, now()); !voided)
        return voided.status();
    }
  }
  return finish_parts_job(site, job, HeldJobState::kReleasing,
                          "The release was interrupted; parts not sent stay held");
}

Result<std::vector<HeldJob>> jobs_with_parts_of(Site& site, std::string_view payer) {
  JobStore& store = site.jobs();
  SplitStore& splits = site.splits();
  Result<std::vector<Share>> shares = splits.shares_of(payer);
  if (!shares) return shares.status();
  std::vector<HeldJob> jobs;
  for (const Share& share : *shares) {
    std::optional<std::string> uuid = JobRef::from_stored(share.job_ref).held_uuid();
    if (share.mode == SplitMode::kRatio || share.owner == payer || share.is_cover() ||
        share.state != ShareState::kApproved || !uuid)
      continue;
    Result<HeldJob> job = store.get_by_uuid(*uuid);
    if (job && (job->state == HeldJobState::kHeld || job->state == HeldJobState::kReleasing))
      jobs.push_back(*job);
  }
  return jobs;
}

std::string payer_part_message(SplitStore& splits, const HeldJob& job, std::string_view user) {
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) return "";
  for (const Share& share : split->shares) {
    if (share.payer != user || share.is_cover()) continue;
    const std::string amount = format_money(share.amount, share.currency);
    if (share.state == ShareState::kPrinted)
      return "Printed your part (" + share.description + "): " + amount;
    return "Your part (" + share.description + ", " + amount +
           "): " + std::string(share_state_name(share.state));
  }
  return "";
}

Status cancel_job_and_split(Site& site, std::int64_t job_id, std::string_view user, bool is_admin,
                            SplitClock now) {
  JobStore& store = site.jobs();
  DeliveryLog& log = site.deliveries();
  SplitStore& splits = site.splits();
  Result<HeldJob> job = store.get(job_id);
  if (job && (job->owner == user || is_admin)) {
    if (Result<Split> split = splits.get_split(JobRef::held(job->uuid).str()); split) {
      for (const Share& share : split->shares) {
        Result<Delivery> delivery = log.get(share.part_ref().str());
        if (delivery && delivery->state == DeliveryState::kReview)
          return Status(Code::kConflict, part_name(share) + " is under review (" +
                                             share.part_ref().str() +
                                             "); an admin decides it before the job is cancelled");
      }
    }
  }
  if (Status cancelled = cancel_held_job(site, job_id, user, is_admin); !cancelled.is_ok())
    return cancelled;
  if (Result<HeldJob> after = store.get(job_id); after)
    return cancel_job_split(splits, *after, now);
  return Status::ok();
}

bool pays_part_of(SplitStore& splits, const HeldJob& job, std::string_view user) {
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) return false;
  for (const Share& share : split->shares) {
    if (share.payer == user && !share.is_cover()) return true;
  }
  return false;
}

}  // namespace pp
