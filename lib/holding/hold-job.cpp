// hold-job.cpp: taking a received job into the held store: analyse, price, reserve, store.
//
// Order matters for "failures leave nothing behind": everything that can refuse the job without
// side effects (config, analysis, price, payer) comes first; then the reservation; then the
// store, whose failure voids the reservation again. A retry of the same job (same uuid) finds
// the stored job, or the same reservation through its idempotent key.
#include <sys/random.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "charging/payer.h"
#include "charging/quote.h"
#include "holding/holding.h"
#include "rights/rights.h"

namespace pp {

namespace {

// Held jobs are priced with the default profile: the real printer is known only at release,
// where the job is captured at that printer's price.
constexpr const char* kHoldPriceProfile = "default";
constexpr std::int64_t kDefaultLifetimeSeconds = 24 * 3600;

NewHeldJob held_job_facts(const HoldRequest& request, const std::string& uuid, const Quote& quote,
                          const Account& payer, const Reservation& reservation,
                          std::int64_t lifetime) {
  NewHeldJob job;
  job.uuid = uuid;
  job.owner = request.owner;
  job.payer = payer.name;
  job.title = request.title;
  job.format = quote.document.format;  // sniffed by the analyser, not what the client claimed
  job.options_json = nlohmann::json(request.options).dump();
  job.pages = quote.document.page_count();
  job.color_pages = quote.document.color_page_count();
  job.impressions = quote.impressions.impressions();
  job.price_minor = quote.price.minor;
  job.currency = quote.price.currency;
  job.reservation_id = reservation.id;
  job.origin = request.origin;
  job.pages_json = document_to_json(quote.document);
  job.lifetime_seconds = lifetime;
  return job;
}

// Reserves the quote on the payer for job `uuid`; a refusal for money says how much is missing.
Result<Reservation> reserve_for(Ledger& ledger, const Account& payer, const Quote& quote,
                                const std::string& uuid) {
  Result<Reservation> reservation =
      reserve_job(ledger, payer, quote, JobRef::held(uuid).str(), kHoldActor);
  if (!reservation) {
    if (reservation.status().code() == Code::kInsufficientFunds)
      return Status(Code::kInsufficientFunds,
                    describe_refusal(reservation.status(), payer, quote));
    return reservation.status();
  }
  // An earlier job with this uuid was refused or cancelled (its reservation is closed), or the
  // uuid is another payer's: never attach someone else's money to this job.
  if (reservation->state != ReservationState::kOpen || reservation->account != payer.name)
    return Status(Code::kConflict, "job uuid " + uuid + " was used before; submit the job again");
  return reservation;
}

}  // namespace

Result<std::int64_t> job_lifetime(const Config& config) {
  Result<std::int64_t> seconds = config.get_int("job-lifetime", kDefaultLifetimeSeconds);
  if (!seconds) return seconds.status();
  if (*seconds <= 0)
    return Status(Code::kInvalidArgument, "config key job-lifetime: must be a positive number "
                                          "of seconds");
  return *seconds;
}

std::string new_job_uuid() {
  unsigned char bytes[16] = {};
  std::size_t got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = ::getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[64];
  std::snprintf(text, sizeof(text),
                "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14],
                bytes[15]);
  return text;
}

Result<HeldJob> hold_job(Site& site, const Config& config, const HoldRequest& request) {
  return hold_job_into(site, site.jobs(), config, request);
}

Result<HeldJob> hold_job_into(Site& site, JobStore& store, const Config& config,
                              const HoldRequest& request) {
  Ledger& ledger = site.ledger();
  if (request.owner.empty()) return Status(Code::kInvalidArgument, "the job has no owner");
  std::string uuid = request.uuid.empty() ? new_job_uuid() : request.uuid;
  // A client's retry: the job is already held.
  if (Result<HeldJob> stored = store.get_by_uuid(uuid); stored.ok()) {
    if (stored->owner != request.owner)
      return Status(Code::kConflict, "job uuid " + uuid + " is already in use");
    return stored;
  } else if (stored.status().code() != Code::kNotFound) {
    return stored.status();
  }

  // Who may submit at all (rights.h), before any work is done for the job.
  Result<SiteRights> rights = rights_from_config(config);
  if (!rights) return rights.status();
  if (Status allowed = check_submission(*rights, site.people(), ledger, request.owner);
      !allowed.is_ok())
    return allowed;
  Result<std::int64_t> lifetime = job_lifetime(config);
  if (!lifetime) return lifetime.status();
  Result<PrintableDocument> printable = printable_document(request.document_path, config);
  if (!printable) return printable.status();
  Result<DocumentInfo> document = analyze_document_isolated(printable->path, config);
  if (!document) return document.status();
  Result<Quote> quote =
      quote_analysed(std::move(*document), request.options, kHoldPriceProfile, config);
  if (!quote) return quote.status();
  Result<Account> payer =
      resolve_payer(ledger, config, request.owner, request.account_id, group_check(site.people()));
  if (!payer) return payer.status();
  Result<Reservation> reservation = reserve_for(ledger, *payer, *quote, uuid);
  if (!reservation) return reservation.status();

  Result<HeldJob> held = store.add(
      held_job_facts(request, uuid, *quote, *payer, *reservation, *lifetime), printable->path);
  // kConflict: the uuid belongs to a job stored meanwhile, and so does the reservation.
  if (!held && held.status().code() != Code::kConflict) {
    Result<JournalEntry> voided =
        ledger.void_reservation(reservation->id, JobRef::held(uuid).void_key(), kHoldActor,
                                "the job could not be stored: " + held.status().message());
    if (!voided)
      return Status(held.status().code(), held.status().message() +
                                              "; voiding its reservation failed too: " +
                                              voided.status().message());
  }
  return held;
}

std::string held_job_message(const HeldJob& job) {
  std::string text = "Waiting for release: " + std::to_string(job.pages) +
                     (job.pages == 1 ? " page" : " pages");
  if (job.color_pages > 0) text += " (" + std::to_string(job.color_pages) + " colour)";
  return text + ", " + format_money(job.price_minor, job.currency);
}

std::string held_job_state_message(const HeldJob& job) {
  if (job.state == HeldJobState::kHeld)
    return held_job_message(job) + (job.message.empty() ? "" : ". " + job.message);
  if (!job.message.empty()) return job.message;
  return std::string(held_job_state_name(job.state)) + ": " + std::to_string(job.pages) +
         (job.pages == 1 ? " page, " : " pages, ") + format_money(job.price_minor, job.currency);
}

}  // namespace pp
