// job-ref.h: which ledger reference a job that reaches the wrapper backend runs under, when
// pullprintd claims it. The references themselves are made and parsed in ledger/job-ref.h
// (JobRef::cups is the filter's and the backend's reference of a CUPS job); only the check that
// needs the delivery log stays here.
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

// The pullprint-job-ref of a job that pullprintd submitted to the local CUPS queue `queue`, when
// the delivery log confirms it (that reference's delivery records this queue and this CUPS job
// id); std::nullopt for a job without the option or with a forged one. Any CUPS user can put the
// option on a job; only pullprintd can make the log agree.
std::optional<std::string> confirmed_pullprintd_ref(DeliveryLog& log,
                                                    const std::map<std::string, std::string>& options,
                                                    std::string_view queue,
                                                    std::string_view cups_job_id);

}  // namespace pp
