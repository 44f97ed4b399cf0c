// printer-use.cpp: a day's printed jobs by printer, from the delivery log and the held jobs.
#include "printers/printer-use.h"

#include "ledger/job-ref.h"

namespace pp {

Result<std::map<std::string, PrinterUse>> printer_use_on(DeliveryLog& deliveries, JobStore& jobs,
                                                         std::string_view day) {
  Result<std::vector<Delivery>> printed = deliveries.list(DeliveryState::kPrinted, "");
  if (!printed) return printed.status();
  std::map<std::string, PrinterUse> use;
  for (const Delivery& delivery : *printed) {
    if (!delivery.updated_at.starts_with(day)) continue;
    PrinterUse& on = use[delivery.printer];
    ++on.jobs;
    on.amount += delivery.amount;
    on.currency = delivery.currency;
    std::optional<std::string> uuid = JobRef::from_stored(delivery.job_ref).held_uuid();
    Result<HeldJob> job =
        uuid ? jobs.get_by_uuid(*uuid) : Result<HeldJob>(Status(Code::kNotFound, ""));
    if (job)
      on.pages += job->pages;
    else
      ++on.jobs_without_pages;
  }
  return use;
}

}  // namespace pp
