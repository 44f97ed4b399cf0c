// web-console-jobs.h: what the console's two job pages share (web-console-jobs.cpp: everybody's
// jobs; web-console-jobs-review.cpp: the review queue): the counts of the dashboard's summary and
// the deliveries under review a person may decide. Internal to pullprintd.
#pragma once

#include <pappl/pappl.h>

#include <cstddef>
#include <vector>

#include "console/console-access.h"
#include "delivery/delivery.h"
#include "server/server.h"
#include "site/site.h"

namespace pp::server::web {

// The dashboard's summary of the jobs a person covers.
struct JobCounts {
  std::size_t held = 0;
  std::size_t releasing = 0;
  std::size_t review = 0;
};
Result<JobCounts> count_console_jobs(Site& site, const ConsoleAccess& access);

// The deliveries under review whose owner and printer the person covers, oldest first.
Result<std::vector<Delivery>> covered_reviews(Site& site, const ConsoleAccess& access);

// /pullprint/admin/review (web-console-jobs-review.cpp).
void add_console_review_page(pappl_system_t* system, Server& server);

}  // namespace pp::server::web
