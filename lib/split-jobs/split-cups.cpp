// split-cups.cpp: filing, settling and ending the splits of CUPS-door jobs (see split-cups.h).
//
// Order for "failures leave nothing behind", as in split_held_job: everything that can refuse
// without side effects (the request, the mode, the price) first; then create_split(), then the
// carrier reservation; a carrier that cannot be made cancels the split again. A crash between
// the split and the carrier leaves a job without any reservation, which the backend refuses
// (nothing prints unaccounted), and an open split that the timer cancels after kFilingGrace.
#include "split-jobs/split-cups.h"

#include <chrono>

#include "charging/payer.h"
#include "holding/holding.h"
#include "release/release.h"
#include "util/utc-time.h"

namespace pp {
namespace {

// How long the filter may take from filing a split to reserving its carrier before the timer
// takes the split for abandoned (a crashed filter).
constexpr std::chrono::minutes kFilingGrace{10};

// "CUPS job cups/<uuid>": how people are told which job.
std::string job_name(const std::string& job_ref) {
  return "CUPS job " + job_ref;
}

// The carrier: the zero reservation under the CUPS job's own key, on the owner's account.
Result<Reservation> reserve_carrier(Ledger& ledger, const CupsSplitJob& job) {
  return ledger.reserve(job.owner, 0, job.job_ref.reserve_key(), job.job_ref.str(),
                        kCupsFilterActor);
}

// A filter that died between create_split() and its carrier leaves an open split whose job the
// backend refuses (no reservation): after kFilingGrace it is cancelled, which gives the approved
// shares back. Returns whether it did.
Result<bool> cancel_unfiled_cups_split(Site& site, const Split& split, SplitClock now) {
  std::optional<SplitClock> created = parse_iso_utc(split.created_at);
  if (!created || now - *created < kFilingGrace) return false;
  Result<std::optional<Reservation>> carrier =
      site.ledger().find_reservation_by_key(JobRef::from_stored(split.job_ref).reserve_key());
  if (!carrier) return carrier.status();
  if (carrier->has_value()) return false;
  Result<Split> cancelled = site.splits().cancel_split(split.job_ref, split.owner, true, now);
  if (!cancelled) return cancelled.status();
  return true;
}

}  // namespace

Status check_cups_split_mode(SplitMode mode) {
  if (mode == SplitMode::kRatio) return Status::ok();
  return Status(Code::kConflict, "a " + std::string(split_mode_name(mode)) +
                                     " split prints a part per payer, and a CUPS queue prints "
                                     "a job once: print it to pullprintd, or split by ratio");
}

Result<FiledCupsSplit> split_cups_job(Site& site, const Config& config, const CupsSplitJob& job,
                                      const Quote& quote, std::string_view request_text,
                                      SplitClock now) {
  Ledger& ledger = site.ledger();
  SplitStore& splits = site.splits();
  const std::string job_ref = job.job_ref.str();
  if (job.job_ref.kind() != JobRef::Kind::kCups)
    return Status(Code::kInvalidArgument, job_ref + " is not a CUPS job's reference");
  Result<SplitRequest> request = parse_split_request(request_text);
  if (!request) return request.status();
  if (Status fits = check_cups_split_mode(request->mode); !fits.is_ok()) return fits;

  // The filter runs again for the same job when cupsd releases it: the split is there.
  if (Result<Split> existing = splits.get_split(job_ref); existing) {
    if (existing->owner != job.owner || existing->request != format_split_request(*request))
      return Status(Code::kAlreadyExists,
                    job_name(job_ref) + " is split already (" + existing->request + ")");
    if (existing->state == SplitState::kCancelled)
      return Status(Code::kConflict, "the split of " + job_name(job_ref) + " was cancelled");
    Result<Reservation> carrier = reserve_carrier(ledger, job);
    if (!carrier) return carrier.status();
    return FiledCupsSplit{*existing, carrier->id, false};
  } else if (existing.status().code() != Code::kNotFound) {
    return existing.status();
  }

  Result<SplitSettings> settings = split_settings_from_config(config);
  if (!settings) return settings.status();
  Result<SplitQuote> priced = price_split(*request, quote.document, job.options, quote.profile);
  if (!priced) return priced.status();
  // The owner's account carries the job (created on first use, as for any job).
  Result<Account> owner = resolve_payer(ledger, config, job.owner, std::nullopt);
  if (!owner) return owner.status();

  NewSplit fresh;
  fresh.job_ref = job_ref;
  fresh.owner = job.owner;
  fresh.title = job.title;
  fresh.request = *request;
  fresh.quote = *priced;
  fresh.site_on_decline = settings->on_decline;
  fresh.site_deadline = settings->deadline;
  Result<Split> split = splits.create_split(fresh, payer_has_account(ledger), now);
  if (!split) return split.status();

  Result<Reservation> carrier = reserve_carrier(ledger, job);
  if (!carrier) {
    return with_cleanup_failure(carrier.status(),
                                splits.cancel_split(job_ref, job.owner, true, now).status(),
                                "cancelling the split");
  }
  // The owner's own share needs no asking (as split_held_job): one the owner cannot afford
  // stays pending, a refusal here is not a failure.
  for (const Share& share : split->shares) {
    if (share.payer == job.owner && !share.is_cover() && share.state == ShareState::kPending)
      (void)splits.approve(share.id, job.owner, now);
  }
  Result<Split> after = splits.get_split(job_ref);
  if (!after) return after.status();
  return FiledCupsSplit{*after, carrier->id, true};
}

Result<std::string> settle_cups_split(Site& site, const Delivery& delivery, std::string_view actor,
                                      SplitClock now) {
  if (JobRef::from_stored(delivery.job_ref).kind() != JobRef::Kind::kCups) return std::string();
  SplitStore& splits = site.splits();
  Result<Split> split = splits.get_split(delivery.job_ref);
  if (!split) {
    if (split.status().code() == Code::kNotFound) return std::string();
    return split.status();
  }
  if (delivery.state == DeliveryState::kPrinted)
    return capture_split_shares(splits, delivery.job_ref, actor, now);
  if (delivery.state == DeliveryState::kVoided && split->state == SplitState::kOpen) {
    Result<Split> cancelled = splits.cancel_split(delivery.job_ref, split->owner, true, now);
    if (!cancelled) return cancelled.status();
  }
  return std::string();
}

Result<bool> end_cancelled_cups_split(Site& site, const Split& split,
                                      const CupsJobCanceller& cancel_in_cups) {
  if (split.state != SplitState::kCancelled) return false;
  const JobRef job_ref = JobRef::from_stored(split.job_ref);
  if (job_ref.kind() != JobRef::Kind::kCups) return false;
  Ledger& ledger = site.ledger();
  Result<Delivery> row = site.deliveries().get(split.job_ref);
  const std::string reason = "the split of " + job_name(split.job_ref) + " was cancelled";
  if (row) {
    if (row->state != DeliveryState::kHeld) return false;  // voided already, or never released
    std::string message = "the split was cancelled; nothing charged";
    if (cancel_in_cups && row->cups_job_id) {
      // The money is voided either way; a CUPS job left held is refused by the backend.
      if (Status cancelled = cancel_in_cups(*row->cups_job_id, row->owner); !cancelled.is_ok())
        message += " (cupsd: " + cancelled.message() + ")";
    }
    Status voided = void_held_cups_job(site, *row, "pullprintd", reason, message);
    if (!voided.is_ok()) return voided;
    return true;
  }
  if (row.status().code() != Code::kNotFound) return row.status();
  // Not held by the backend yet: void the carrier, so that the backend refuses the job.
  Result<std::optional<Reservation>> carrier =
      ledger.find_reservation_by_key(job_ref.reserve_key());
  if (!carrier) return carrier.status();
  if (!*carrier || (*carrier)->state != ReservationState::kOpen) return false;
  Result<JournalEntry> voided =
      ledger.void_reservation((*carrier)->id, job_ref.void_key(), kHoldActor, reason);
  if (!voided) return voided.status();
  return true;
}

Result<std::vector<std::string>> run_cups_split_timers(Site& site,
                                                       const CupsJobCanceller& cancel_in_cups,
                                                       SplitClock now) {
  SplitStore& splits = site.splits();
  std::vector<std::string> log;
  Result<std::vector<Split>> open = splits.list_splits(SplitState::kOpen);
  if (!open) return open.status();
  for (const Split& split : *open) {
    if (JobRef::from_stored(split.job_ref).kind() != JobRef::Kind::kCups) continue;
    Result<Delivery> row = site.deliveries().get(split.job_ref);
    if (!row) {
      if (row.status().code() != Code::kNotFound) continue;  // a store error: the next tick
      Result<bool> abandoned = cancel_unfiled_cups_split(site, split, now);
      if (abandoned && *abandoned)
        log.push_back("cancelled the split of " + job_name(split.job_ref) +
                      ": the filter never finished filing it");
      continue;  // otherwise: not held by the backend yet
    }
    Result<std::string> settled = settle_cups_split(site, *row, kHoldActor, now);
    if (!settled) {
      log.push_back("cannot settle the split of " + job_name(split.job_ref) + ": " +
                    settled.status().to_string());
    } else if (row->state == DeliveryState::kPrinted) {
      log.push_back("captured the shares of printed " + job_name(split.job_ref) + ": " + *settled);
    } else if (row->state == DeliveryState::kVoided) {
      log.push_back("cancelled the split of voided " + job_name(split.job_ref));
    }
  }
  Result<std::vector<Split>> cancelled = splits.list_splits(SplitState::kCancelled);
  if (!cancelled) return cancelled.status();
  for (const Split& split : *cancelled) {
    if (JobRef::from_stored(split.job_ref).kind() != JobRef::Kind::kCups) continue;
    Result<bool> ended = end_cancelled_cups_split(site, split, cancel_in_cups);
    if (!ended)
      log.push_back("cannot end " + job_name(split.job_ref) + ": " + ended.status().to_string());
    else if (*ended)
      log.push_back("cancelled " + job_name(split.job_ref) + ": its split was cancelled");
  }
  return log;
}

std::optional<std::int64_t> cups_split_price(SplitStore& splits, const JobRef& job_ref) {
  Result<Split> split = splits.get_split(job_ref.str());
  if (!split || split->state != SplitState::kOpen) return std::nullopt;
  return split->price;
}

std::string cups_split_progress(SplitStore& splits, const JobRef& job_ref) {
  Result<Split> split = splits.get_split(job_ref.str());
  if (!split) return "";
  if (split->state == SplitState::kCancelled) return "split cancelled";
  return "split: " + split->progress();
}

}  // namespace pp
