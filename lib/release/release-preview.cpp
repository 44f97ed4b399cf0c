// release-preview.cpp: preview_release(): claim_release's price and rights, read only.
#include "release/release-preview.h"

#include "release/release.h"
#include "split-jobs/split-jobs.h"

namespace pp {

Result<std::vector<ReleasePreview>> preview_release(Site& site, const Config& config,
                                                    const ReleasePrinter& printer,
                                                    const std::vector<HeldJob>& jobs,
                                                    std::string_view user) {
  Result<SiteRights> rights = rights_from_config(config);
  if (!rights) return rights.status();
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  std::vector<ReleasePreview> previews;
  previews.reserve(jobs.size());
  for (const HeldJob& job : jobs) {
    ReleasePreview preview;
    preview.job_id = job.id;
    if (!printer.enabled) {
      preview.may_print = false;
      preview.refusal = "printer " + printer.name + " is disabled";
      previews.push_back(std::move(preview));
      continue;
    }
    Result<JobPrint> print = held_job_print(job);
    if (!print) return print.status();
    Result<PrintVerdict> verdict =
        check_printer_rights(*rights, site.people(), *printers, printer.name, user, *print);
    if (!verdict && verdict.status().code() != Code::kPermissionDenied) return verdict.status();
    const std::optional<std::int64_t> shared = split_price(site.splits(), job, user);
    if (!verdict) {
      preview.may_print = false;
      preview.refusal = verdict.status().message();
    } else if (verdict->grey && shared) {
      // As claim_release: a split's shares were agreed on the job as sent.
      preview.may_print = false;
      preview.refusal = std::string(user) + " may not print colour on " + printer.name +
                        " (a split job is not printed in grey instead)";
    } else {
      preview.grey = verdict->grey;
      preview.note = verdict->note;
    }
    if (shared) {
      preview.price = Price{*shared, job.currency};
    } else {
      Result<Price> price = preview.grey ? grey_price_on_printer(job, printer, config)
                                         : price_on_printer(job, printer, config);
      if (!price) return price.status();
      preview.price = *price;
      if (preview.may_print && !preview.grey)
        preview.hint = cheaper_printer_hint(job, printer, config);
    }
    previews.push_back(std::move(preview));
  }
  return previews;
}

}  // namespace pp
