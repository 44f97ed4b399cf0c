// job-ref.cpp: the ledger reference of a CUPS job (shared by the filter and the backend).
#include "delivery/job-ref.h"

#include <unistd.h>

#include "delivery/delivery.h"

namespace pp {

std::string cups_job_ref(const std::map<std::string, std::string>& options,
                         std::string_view printer, std::string_view job_id) {
  if (auto uuid = options.find("job-uuid"); uuid != options.end() && !uuid->second.empty())
    return "cups/" + uuid->second;
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  return std::string("cups/") + host + "/" + std::string(printer) + "/" + std::string(job_id);
}

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
