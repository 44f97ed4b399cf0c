// report-mail.h: the monthly report mailed to the admins (issue 15: `report-mail-to`). After a
// month ends, its by-user and by-printer summary goes once to each address of report-mail-to
// through the one notification path (notify/notify.h: notify-command), recorded as kind
// "report" with subject "YYYY-MM:address": a timer that runs every minute, two servers on one
// store, and a restart never send it twice. pullprintd's timer runs it (a BackgroundTask) and
// `pullprint report --mail-month YYYY-MM` runs it by hand; the time is the caller's (an
// injectable clock, `--at` for the tests).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/config.h"
#include "notify/notify.h"
#include "reports/report-store.h"
#include "util/status.h"

namespace pp {

// report-mail-to: addresses, comma- or space-separated ("" = no monthly mail). kInvalidArgument
// for an address that is not user@host.
Result<std::vector<std::string>> report_mail_recipients(const Config& config);

// The month before the one `now` is in, "YYYY-MM" (UTC).
std::string previous_report_month(std::chrono::system_clock::time_point now);
// "YYYY-MM" as its first and last day; kInvalidArgument for anything else.
Result<ReportQuery> month_report_query(const std::string& month, ReportBy by);

// Sends `month`'s summary to every recipient that has not had it: returns how many were recorded
// now (0 when every recipient had it already). Nothing when notify-command is off.
Result<int> mail_month_report(ReportStore& reports, Notifier& notifier,
                              const std::vector<std::string>& recipients, const std::string& month,
                              const std::string& currency,
                              std::chrono::system_clock::time_point now);

}  // namespace pp
