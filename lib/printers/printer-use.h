// printer-use.h: what each release printer printed on one day (jobs, pages, money), for the
// console's printers pages.
//
// Why from the delivery log: every job pullprint sends to a printer, at either door, has its
// row there with the printer, the amount captured and the time it was printed; the pages come
// from the held job (pullprintd's door; unknown for a CUPS-door job, counted as 0 and said).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "delivery/delivery.h"
#include "job-store/job-store.h"
#include "util/status.h"

namespace pp {

// One printer's use on one day.
struct PrinterUse {
  std::int64_t jobs = 0;
  std::int64_t pages = 0;               // of the jobs whose pages are known
  std::int64_t jobs_without_pages = 0;  // CUPS-door jobs: pages unknown
  std::int64_t amount = 0;              // money captured, minor units
  std::string currency;                 // of the jobs ("" when none; the last one's otherwise)
};

// The printed deliveries whose last change was on `day` ("YYYY-MM-DD", UTC), by printer.
Result<std::map<std::string, PrinterUse>> printer_use_on(DeliveryLog& deliveries, JobStore& jobs,
                                                         std::string_view day);

}  // namespace pp
