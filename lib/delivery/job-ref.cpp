// job-ref.cpp: the ledger reference of a CUPS job (shared by the filter and the backend).
#include "delivery/job-ref.h"

#include <unistd.h>

namespace pp {

std::string cups_job_ref(const std::map<std::string, std::string>& options,
                         std::string_view printer, std::string_view job_id) {
  if (auto uuid = options.find("job-uuid"); uuid != options.end() && !uuid->second.empty())
    return "cups/" + uuid->second;
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  return std::string("cups/") + host + "/" + std::string(printer) + "/" + std::string(job_id);
}

}  // namespace pp
