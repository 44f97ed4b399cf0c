// split-jobs.cpp: splitting a held job among payers (see split-jobs.h).
//
// Order for "failures leave nothing behind": everything that can refuse the split without side
// effects (the job, the request, the price) comes first; then create_split(), which checks the
// payers and records every share pending; only then is the job's own reservation voided. If the
// void fails the split is cancelled again, so the job keeps its reservation and prints as before.
#include "split-jobs/split-jobs.h"
#include "holding/holding.h"
#include "pricing/pricing.h"
#include "release/release.h"
#include "util/utc-time.h"

namespace pp {
namespace {

constexpr std::int64_t kDefaultDeadline = 48 * 3600;
constexpr std::int64_t kDefaultReminder = 4 * 3600;

SplitClock parse_iso(const std::string& text) {
  return parse_iso_utc(text).value_or(SplitClock{});
}

// "48h", "90m": a deadline as the request syntax writes it.
std::string hours_text(std::chrono::seconds duration) {
  if (duration.count() % 3600 == 0) return std::to_string(duration.count() / 3600) + "h";
  return std::to_string(duration.count() / 60) + "m";
}

}  // namespace

Result<SplitSettings> split_settings_from_config(const Config& config) {
  SplitSettings settings;
  Result<std::int64_t> deadline = config.get_int("split-deadline", kDefaultDeadline);
  if (!deadline) return deadline.status();
  if (*deadline <= 0 || *deadline > 366 * 86400)
    return Status(Code::kInvalidArgument,
                  "config key split-deadline: expected 1..31622400 seconds");
  settings.deadline = std::chrono::seconds(*deadline);
  Result<std::int64_t> reminder = config.get_int("split-reminder", kDefaultReminder);
  if (!reminder) return reminder.status();
  if (*reminder < 0)
    return Status(Code::kInvalidArgument, "config key split-reminder: expected seconds >= 0");
  settings.reminder_lead = std::chrono::seconds(*reminder);
  const std::string rule = config.get_string("split-on-decline", "owner-covers");
  std::optional<OnDecline> on_decline = parse_on_decline(rule);
  if (!on_decline)
    return Status(Code::kInvalidArgument,
                  "config key split-on-decline: expected owner-covers or cancel");
  settings.on_decline = *on_decline;
  settings.notify_command = config.get_string("notify-command", "");
  settings.notify_domain = config.get_string("notify-domain", "");
  return settings;
}

namespace {

// preview_split() without its already-split check: split_held_job() files the same request
// again as a replay (create_split returns the existing split).
Result<SplitPreview> reckon_split(Site& site, const Config& config, std::int64_t job_id,
                                  std::string_view user, std::string_view request_text,
                                  SplitClock now) {
  Result<HeldJob> job = site.jobs().get(job_id);
  if (!job) return job.status();
  if (job->owner != user)
    return Status(Code::kNotFound,
                  "no held job " + std::to_string(job_id) + " of " + std::string(user));
  if (job->state != HeldJobState::kHeld)
    return Status(Code::kConflict, "job " + std::to_string(job_id) + " is " +
                                       std::string(held_job_state_name(job->state)) +
                                       " and can no longer be split");
  Result<SplitRequest> request = parse_split_request(request_text);
  if (!request) return request.status();
  if (request->mode == SplitMode::kPages && job->format != "application/pdf")
    return Status(Code::kConflict, "job " + std::to_string(job_id) + " is " + job->format +
                                       "; a pages split needs a PDF document");
  Result<SplitSettings> settings = split_settings_from_config(config);
  if (!settings) return settings.status();
  if (job->pages_json.empty())
    return Status(Code::kConflict, "job " + std::to_string(job_id) +
                                       " was held without a page analysis and cannot be split");
  Result<DocumentInfo> document = document_from_json(job->pages_json);
  if (!document) return document.status();
  Result<PriceProfile> profile = price_profile_from_config(config, "default");
  if (!profile) return profile.status();
  Result<SplitQuote> quote = price_split(*request, *document, held_job_options(*job), *profile);
  if (!quote) return quote.status();
  // What create_split() would refuse after the price: a deadline beyond the site's, a payer.
  if (request->deadline && *request->deadline > settings->deadline)
    return Status(Code::kInvalidArgument, "split: deadline " + hours_text(*request->deadline) +
                                              " is longer than the site's " +
                                              hours_text(settings->deadline));
  const PayerCheck check = payer_has_account(site.ledger());
  for (const PayerRequest& payer : request->payers) {
    if (Status allowed = check(payer.payer); !allowed.is_ok()) return allowed;
  }
  SplitPreview preview;
  preview.job = std::move(*job);
  preview.request_text = format_split_request(*request);
  preview.deadline = iso_utc(now + request->deadline.value_or(settings->deadline));
  preview.on_decline = request->on_decline.value_or(settings->on_decline);
  preview.site_on_decline = settings->on_decline;
  preview.site_deadline = settings->deadline;
  preview.request = std::move(*request);
  preview.quote = std::move(*quote);
  return preview;
}

}  // namespace

Result<SplitPreview> preview_split(Site& site, const Config& config, std::int64_t job_id,
                                   std::string_view user, std::string_view request_text,
                                   SplitClock now) {
  Result<SplitPreview> preview = reckon_split(site, config, job_id, user, request_text, now);
  if (!preview) return preview;
  Result<Split> existing = site.splits().get_split(JobRef::held(preview->job.uuid).str());
  if (existing)
    return Status(Code::kAlreadyExists, "job " + std::to_string(job_id) + " is split already (" +
                                            existing->request + ")");
  if (existing.status().code() != Code::kNotFound) return existing.status();
  return preview;
}

Result<Split> split_held_job(Site& site, const Config& config, std::int64_t job_id,
                             std::string_view user, std::string_view request_text, SplitClock now) {
  Ledger& ledger = site.ledger();
  JobStore& store = site.jobs();
  SplitStore& splits = site.splits();
  // The preview is the split's own reckoning: what the page showed is what the payers are asked.
  Result<SplitPreview> preview = reckon_split(site, config, job_id, user, request_text, now);
  if (!preview) return preview.status();
  const HeldJob* job = &preview->job;

  Result<std::int64_t> lifetime = job_lifetime(config);
  if (!lifetime) return lifetime.status();
  NewSplit fresh;
  fresh.job_ref = JobRef::held(job->uuid).str();
  fresh.owner = job->owner;
  fresh.title = job->title;
  fresh.request = preview->request;
  fresh.quote = preview->quote;
  fresh.site_on_decline = preview->site_on_decline;
  fresh.site_deadline = preview->site_deadline;
  Result<Split> split = splits.create_split(fresh, payer_has_account(ledger), now);
  if (!split) return split.status();

  // The held job outlives its split: it is kept for a whole job-lifetime after the deadline, so
  // that the approved parts can still be released however late the last payer answers.
  const SplitClock keep_until = parse_iso(split->deadline) + std::chrono::seconds(*lifetime);
  if (Status kept = store.extend_expiry(job_id, iso_utc(keep_until)); !kept.is_ok()) {
    return with_cleanup_failure(kept,
                                splits.cancel_split(fresh.job_ref, job->owner, true, now).status(),
                                "cancelling the split");
  }

  // The shares replace the job's own reservation.
  if (job->reservation_id) {
    Result<JournalEntry> voided =
        ledger.void_reservation(*job->reservation_id, JobRef::held(job->uuid).void_key(),
                                kHoldActor, "the job is split among payers");
    if (!voided) {
      Result<Reservation> reservation = ledger.get_reservation(*job->reservation_id);
      if (!reservation || reservation->state != ReservationState::kVoided) {
        return with_cleanup_failure(
            voided.status(), splits.cancel_split(fresh.job_ref, job->owner, true, now).status(),
            "cancelling the split");
      }
    }
  }
  // The owner's own share needs no asking; one the owner cannot afford stays pending (they
  // approve it with `pullprint approve` once they can): a refusal here is not a failure.
  for (const Share& share : split->shares) {
    if (share.payer == job->owner && !share.is_cover() && share.state == ShareState::kPending)
      (void)splits.approve(share.id, job->owner, now);
  }
  return splits.get_split(fresh.job_ref);
}

void notify_pending_payers(const Split& split, const SplitNotifier& notify) {
  for (const Share& share : split.shares) {
    if (share.state == ShareState::kPending && !share.is_cover())
      notify(share.payer, describe_share(share));
  }
}

Result<std::optional<SplitClaim>> claim_split_job(Site& site, const HeldJob& job) {
  Ledger& ledger = site.ledger();
  SplitStore& splits = site.splits();
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) {
    if (split.status().code() == Code::kNotFound) return std::optional<SplitClaim>();
    return split.status();
  }
  if (Status ready = check_ratio_split_ready(*split, "job " + std::to_string(job.id));
      !ready.is_ok())
    return ready;
  // The wrapper backend captures this zero reservation; the shares carry the money.
  Result<Reservation> carrier =
      ledger.reserve(job.owner, 0, JobRef::held(job.uuid).split_carrier_reserve_key(),
                     JobRef::held(job.uuid).str(), kHoldActor);
  if (!carrier) return carrier.status();
  return std::optional<SplitClaim>(SplitClaim{carrier->id, split->price, split->currency});
}

Status check_ratio_split_ready(const Split& split, const std::string& name) {
  if (split.mode != SplitMode::kRatio)
    return Status(Code::kConflict, name + " is a " + std::string(split_mode_name(split.mode)) +
                                       " split: releasing its parts is not supported yet");
  if (split.state == SplitState::kCancelled)
    return Status(Code::kConflict, "the split of " + name + " was cancelled");
  for (const Share& share : split.shares) {
    if (share.state == ShareState::kPending)
      return Status(Code::kConflict, "waiting for approvals: " + split.progress());
  }
  if (split.state != SplitState::kOpen)
    return Status(Code::kConflict,
                  "the split of " + name + " is " + std::string(split_state_name(split.state)));
  return Status::ok();
}

Result<std::string> capture_split_print(SplitStore& splits, const HeldJob& job,
                                        std::string_view actor, SplitClock now) {
  return capture_split_shares(splits, JobRef::held(job.uuid).str(), actor, now);
}

Result<std::string> capture_split_shares(SplitStore& splits, const std::string& job_ref,
                                         std::string_view actor, SplitClock now) {
  Result<Split> split = splits.get_split(job_ref);
  if (!split) return split.status();
  Result<std::vector<Share>> ready = splits.releasable(job_ref, split->owner);
  if (!ready) return ready.status();
  std::string text;
  for (const Share& share : *ready) {
    Result<Share> captured = splits.capture_share(share.id, actor, now);
    if (!captured) return captured.status();
  }
  Result<Split> after = splits.get_split(job_ref);
  if (!after) return after.status();
  for (const Share& share : after->shares) {
    if (share.state != ShareState::kPrinted) continue;
    if (!text.empty()) text += ", ";
    text += (share.is_cover() ? share.payer + " (for " + share.cover_of + ")" : share.payer) + " " +
            format_money(share.amount, share.currency);
  }
  return text;
}

std::string split_progress_message(SplitStore& splits, const HeldJob& job) {
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) return "";
  if (split->state == SplitState::kCancelled) return "split cancelled";
  return "split: " + split->progress();
}

std::optional<std::int64_t> split_price(SplitStore& splits, const HeldJob& job,
                                        std::string_view user) {
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split || split->state != SplitState::kOpen) return std::nullopt;
  if (split->mode == SplitMode::kRatio || user.empty()) return split->price;
  Result<std::vector<Share>> ready = splits.releasable(split->job_ref, user);
  if (!ready) return std::nullopt;
  std::int64_t price = 0;
  for (const Share& share : *ready) price += share.amount;
  return price;
}

Status cancel_job_split(SplitStore& splits, const HeldJob& job, SplitClock now) {
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) return split.status().code() == Code::kNotFound ? Status::ok() : split.status();
  if (split->state != SplitState::kOpen) return Status::ok();
  Result<Split> cancelled = splits.cancel_split(split->job_ref, split->owner, true, now);
  return cancelled ? Status::ok() : cancelled.status();
}

}  // namespace pp
