// release-claim.cpp: the first step of a release: who may, the price on the chosen printer, and
// the compare-and-set that makes one of two concurrent releases win.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "charging/payer.h"
#include "charging/quote.h"
#include "holding/holding.h"
#include "release/release-preview.h"
#include "release/release.h"
#include "rights/rights.h"
#include "split-jobs/split-jobs.h"
#include "split-jobs/split-parts.h"

namespace pp {
std::map<std::string, std::string> held_job_options(const HeldJob& job) {
  std::map<std::string, std::string> options;
  try {
    options = nlohmann::json::parse(job.options_json).get<std::map<std::string, std::string>>();
  } catch (const std::exception&) {
    // Written by hold_job from such a map: unreadable only if the file was edited by hand. The
    // job is then priced without options, which the capture shows.
  }
  return options;
}

std::string cheaper_printer_hint(const HeldJob& job, const ReleasePrinter& printer,
                                 const Config& config) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  Result<DocumentInfo> document = document_from_json(job.pages_json);
  if (!printers || !document) return "";
  Result<PrinterChoice> choice =
      cheapest_printer(*document, held_job_options(job), *printers, config, printer.name);
  return choice ? choice->hint() : "";
}

Result<Price> price_on_printer(const HeldJob& job, const ReleasePrinter& printer,
                               const Config& config) {
  // Jobs held before the page analysis was stored keep their estimate.
  if (job.pages_json.empty()) return Price{job.price_minor, job.currency};
  Result<DocumentInfo> document = document_from_json(job.pages_json);
  if (!document) return document.status();
  Result<Quote> quote =
      quote_analysed(std::move(*document), held_job_options(job), printer.profile, config);
  if (!quote) return quote.status();
  return quote->price;
}

Result<std::vector<HeldJob>> releasable_jobs(Site& site, std::string_view user) {
  JobStore& store = site.jobs();
  Result<std::vector<HeldJob>> jobs = store.list(user, HeldJobState::kHeld);
  if (!jobs) return jobs;
  std::reverse(jobs->begin(), jobs->end());  // the store lists newest first
  Result<std::vector<HeldJob>> parts = jobs_with_parts_of(site, user);
  if (!parts) return parts.status();
  for (const HeldJob& job : *parts)
    if (job.state == HeldJobState::kHeld) jobs->push_back(job);
  return jobs;
}

std::string ClaimedRelease::delivery_ref() const {
  return part ? part->part_ref().str() : JobRef::held(job.uuid).str();
}

std::map<std::string, std::string> ClaimedRelease::print_options() const {
  std::map<std::string, std::string> options = part ? part->options : held_job_options(job);
  if (grey) {
    options["print-color-mode"] = "monochrome";
    if (options.contains("ColorModel")) options["ColorModel"] = "Gray";
  }
  return options;
}

// What a held job prints, as the rights count it (rights.h); a job held before its page
// analysis was stored counts as held. Shared with the release preview (release-preview.h).
Result<JobPrint> held_job_print(const HeldJob& job) {
  if (job.pages_json.empty()) return JobPrint{job.impressions, job.color_pages};
  Result<DocumentInfo> document = document_from_json(job.pages_json);
  if (!document) return document.status();
  return job_print_of(*document, held_job_options(job));
}

// The job's price on `printer` printed grey (color-fallback = mono): its colour pages priced as
// grey, as print-color-mode=monochrome prices them everywhere.
Result<Price> grey_price_on_printer(const HeldJob& job, const ReleasePrinter& printer,
                                    const Config& config) {
  if (job.pages_json.empty()) return Price{job.price_minor, job.currency};
  Result<DocumentInfo> document = document_from_json(job.pages_json);
  if (!document) return document.status();
  std::map<std::string, std::string> options = held_job_options(job);
  options["print-color-mode"] = "monochrome";
  Result<Quote> quote = quote_analysed(std::move(*document), options, printer.profile, config);
  if (!quote) return quote.status();
  return quote->price;
}

// What a held job is on paper (for the reports, delivery.h's JobFacts): its analysed pages
// under its options (copies, sides, number-up, page ranges); a job held before its page analysis
// was stored counts its impressions as pages and sheets. Printed grey: no colour pages. Never a
// failure: facts nobody can compute are zeros (the money is what counts; the report says so).
JobFacts held_job_facts(const HeldJob& job, bool grey) {
  JobFacts facts;
  const std::map<std::string, std::string> options = held_job_options(job);
  Result<JobOptions> job_options = job_options_from_map(options);
  if (job_options) facts.duplex = job_options->sides != Sides::kOneSided;
  if (job.pages_json.empty() || !job_options) {
    facts.pages = job.impressions;
    facts.color_pages = grey ? 0 : std::min<std::int64_t>(job.color_pages, job.impressions);
    facts.sheets = job.impressions;
    return facts;
  }
  Result<DocumentInfo> document = document_from_json(job.pages_json);
  if (!document) return facts;
  Result<ImpressionCount> count = count_impressions(*document, *job_options);
  if (!count) return facts;
  facts.pages = count->impressions();
  facts.color_pages = grey ? 0 : count->color_impressions();
  facts.sheets = count->sheets();
  return facts;
}

namespace {

// The rights of `user` to print `job` on `printer` (rights.h), with another printer named in a
// refusal.
Result<PrintVerdict> check_job_rights(Site& site, const Config& config,
                                      const ReleasePrinter& printer, const HeldJob& job,
                                      const std::string& user) {
  Result<SiteRights> rights = rights_from_config(config);
  if (!rights) return rights.status();
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  Result<JobPrint> print = held_job_print(job);
  if (!print) return print.status();
  return check_printer_rights(*rights, site.people(), *printers, printer.name, user, *print);
}

// Claims a whole job (no split, or a ratio split once it is settled).
Result<ClaimedRelease> claim_job(Site& site, const Config& config, const ReleasePrinter& printer,
                                 HeldJob job, const Releaser& releaser,
                                 const PrintVerdict& verdict) {
  const std::int64_t job_id = job.id;
  if (!job.reservation_id)
    return Status(Code::kInternal, "job " + std::to_string(job_id) + " has no reservation");
  Result<Price> price = verdict.grey ? grey_price_on_printer(job, printer, config)
                                     : price_on_printer(job, printer, config);
  if (!price) return price.status();
  // A ratio split job prints once its split is settled, at the split's price (split-jobs.h).
  std::int64_t reservation_id = *job.reservation_id;
  bool ratio_split = false;
  if (Result<std::optional<SplitClaim>> split = claim_split_job(site, job); !split) {
    return split.status();
  } else if (*split) {
    reservation_id = (*split)->carrier_reservation_id;
    price = Price{(*split)->price, (*split)->currency};
    ratio_split = true;
  }

  if (Status claimed =
          site.jobs().transition(job_id, HeldJobState::kHeld, HeldJobState::kReleasing);
      !claimed.is_ok())
    return claimed;
  ReleaseOrder order{JobRef::held(job.uuid).str(),
                     reservation_id,
                     job.owner,
                     job.title,
                     printer.name,
                     redacted_device_uri(printer.device_uri),
                     ratio_split ? 0 : price->minor,
                     price->currency,
                     releaser.user};
  if (Result<Delivery> released =
          site.deliveries().release(order, held_job_facts(job, verdict.grey));
      !released) {
    // A job not put back stays "releasing": the caller must hear of that as well.
    return with_cleanup_failure(
        released.status(),
        site.jobs().transition(job_id, HeldJobState::kReleasing, HeldJobState::kHeld),
        "putting the job back on hold");
  }
  ReleaseNote note{printer.name, releaser.user, std::nullopt,
                   "Released to " + printer.name + " by " + releaser.user +
                       (verdict.grey ? "; " + verdict.note : "")};
  if (Status noted = site.jobs().record_release(job_id, note); !noted.is_ok()) return noted;
  job.state = HeldJobState::kReleasing;
  job.printer = printer.name;
  job.released_by = releaser.user;
  // A grey job's colour price elsewhere is no hint for it.
  const std::string hint =
      ratio_split || verdict.grey ? "" : cheaper_printer_hint(job, printer, config);
  const std::string document = job.document_path;
  return ClaimedRelease{std::move(job), printer,      price->minor, price->currency, hint,
                        ratio_split,    std::nullopt, document,     verdict.grey,    verdict.note};
}

}  // namespace

Result<std::vector<ClaimedRelease>> claim_release(Site& site, const Config& config,
                                                  const ReleasePrinter& printer,
                                                  std::int64_t job_id, const Releaser& releaser) {
  if (!printer.enabled) return Status(Code::kConflict, "printer " + printer.name + " is disabled");
  Result<HeldJob> job = site.jobs().get(job_id);
  if (!job) return job.status();
  const std::string name = "job " + std::to_string(job_id);
  Result<Split> split = site.splits().get_split(JobRef::held(job->uuid).str());
  if (!split && split.status().code() != Code::kNotFound) return split.status();
  const bool parts = split && split->mode != SplitMode::kRatio;
  // A payer of a part may release it; otherwise others learn nothing about the job.
  if (job->owner != releaser.user && !releaser.may_release_others &&
      !(parts && pays_part_of(site.splits(), *job, releaser.user)))
    return Status(Code::kNotFound, "no held " + name);
  if (job->state != HeldJobState::kHeld)
    return Status(Code::kConflict, name + " is " + std::string(held_job_state_name(job->state)));
  // Rights (rights.h) are those of the user the job prints for: the releaser, or the owner when
  // an operator releases someone else's job.
  const std::string& prints_for =
      job->owner != releaser.user && releaser.may_release_others ? job->owner : releaser.user;
  Result<PrintVerdict> verdict = check_job_rights(site, config, printer, *job, prints_for);
  if (!verdict) return verdict.status();
  // A split's shares were agreed on the job as sent: it is not printed grey instead.
  if (verdict->grey && split)
    return Status(Code::kPermissionDenied, prints_for + " may not print colour on " + printer.name +
                                               " (a split job is not printed in grey instead)");
  if (parts) return claim_split_parts(site, printer, *job, *split, releaser);
  Result<ClaimedRelease> claim =
      claim_job(site, config, printer, std::move(*job), releaser, *verdict);
  if (!claim) return claim.status();
  std::vector<ClaimedRelease> claims;
  claims.push_back(std::move(*claim));
  return claims;
}

Status withdraw_release(Site& site, const ClaimedRelease& claim, std::string_view message) {
  if (claim.part) return withdraw_split_part(site, claim, message);
  JobStore& store = site.jobs();
  DeliveryLog& log = site.deliveries();
  const HeldJob& job = claim.job;
  if (Status withdrawn = log.withdraw(JobRef::held(job.uuid).str()); !withdrawn.is_ok())
    return withdrawn;
  Status back = store.transition(job.id, HeldJobState::kReleasing, HeldJobState::kHeld);
  if (!back.is_ok()) return back;
  return store.record_release(
      job.id, ReleaseNote{job.printer, job.released_by, std::nullopt, std::string(message)});
}

}  // namespace pp
