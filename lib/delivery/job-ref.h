// job-ref.h: the ledger reference of a job printed through a CUPS queue.
//
// The filter (pullprint-cost) reserves under it and the backend finds that reservation and its
// delivery row under it; both compute it here so that they can never disagree.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace pp {

// "cups/<job-uuid>" when cupsd passed the job's UUID in the options (it always does since CUPS
// 1.5), else "cups/<host>/<queue>/<job-id>".
std::string cups_job_ref(const std::map<std::string, std::string>& options,
                         std::string_view printer, std::string_view job_id);

}  // namespace pp
