// job-ref.cpp: whether the delivery log confirms pullprintd's claim on a CUPS job.
#include "delivery/job-ref.h"

#include "delivery/delivery.h"

namespace pp {

std::optional<std::string> confirmed_pullprintd_ref(DeliveryLog& log,
                                                    const std::map<std::string, std::string>& options,
                                                    std::string_view queue,
                                                    std::string_view cups_job_id) {
  auto claimed = options.find(kJobRefOption);
  if (claimed == options.end() || claimed->second.empty() || queue.empty()) return std::nullopt;
  Result<Delivery> row = log.get(claimed->second);
  if (!row || row->cups_queue != queue || !row->cups_job_id ||
      std::to_string(*row->cups_job_id) != cups_job_id)
    return std::nullopt;
  return claimed->second;
}

}  // namespace pp
