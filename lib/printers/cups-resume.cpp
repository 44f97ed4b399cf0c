// cups-resume.cpp: releasing a CUPS job that the pullprint backend held (IPP Release-Job).
#include <cups/cups.h>

#include "printers/printers.h"
#include "util/cups-handles.h"

namespace pp {

Status resume_cups_job(std::int64_t job_id, std::string_view user) {
  IppPtr request(ippNewRequest(IPP_OP_RELEASE_JOB));
  const std::string uri = "ipp://localhost/jobs/" + std::to_string(job_id);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
               std::string(user).c_str());
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), "/jobs"));
  if (cupsLastError() > IPP_STATUS_OK_CONFLICTING)
    return Status(Code::kIoError, "cupsd did not release job " + std::to_string(job_id) + ": " +
                                      cupsLastErrorString());
  return Status::ok();
}

}  // namespace pp
