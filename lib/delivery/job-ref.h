// job-ref.h: the ledger reference of a job printed through a CUPS queue.
//
// The filter (pullprint-cost) reserves under it and the backend finds that reservation and its
// delivery row under it; both compute it here so that they can never disagree.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

class DeliveryLog;

// The job option naming pullprintd's job reference on a job it runs through the backend or
// submits to a CUPS queue.
inline constexpr const char* kJobRefOption = "pullprint-job-ref";

// "cups/<job-uuid>" when cupsd passed the job's UUID in the options (it always does since CUPS
// 1.5), else "cups/<host>/<queue>/<job-id>".
std::string cups_job_ref(const std::map<std::string, std::string>& options,
                         std::string_view printer, std::string_view job_id);

// The pullprint-job-ref of a job that pullprintd submitted to the local CUPS queue `queue`, when
// the delivery log confirms it (that reference's delivery records this queue and this CUPS job
// id); std::nullopt for a job without the option or with a forged one. Any CUPS user can put the
// option on a job; only pullprintd can make the log agree.
std::optional<std::string> confirmed_pullprintd_ref(DeliveryLog& log,
                                                    const std::map<std::string, std::string>& options,
                                                    std::string_view queue,
                                                    std::string_view cups_job_id);

}  // namespace pp
