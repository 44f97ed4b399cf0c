// cups-resume.cpp: the CUPS jobs the pullprint backend holds: releasing one (IPP Release-Job),
// cancelling one (IPP Cancel-Job) and whether one is still there.
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

Status cancel_cups_job(std::int64_t job_id, std::string_view user) {
  IppPtr request(ippNewRequest(IPP_OP_CANCEL_JOB));
  const std::string uri = "ipp://localhost/jobs/" + std::to_string(job_id);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
               std::string(user).c_str());
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), "/jobs"));
  const ipp_status_t status = cupsLastError();
  if (status <= IPP_STATUS_OK_CONFLICTING || status == IPP_STATUS_ERROR_NOT_FOUND ||
      status == IPP_STATUS_ERROR_NOT_POSSIBLE)  // gone, or already cancelled/completed
    return Status::ok();
  return Status(Code::kIoError, "cupsd did not cancel job " + std::to_string(job_id) + ": " +
                                    cupsLastErrorString());
}

Result<bool> cups_job_active(std::int64_t job_id) {
  IppPtr request(ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES));
  const std::string uri = "ipp://localhost/jobs/" + std::to_string(job_id);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
               nullptr, "job-state");
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), "/"));
  if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) return false;
  if (cupsLastError() > IPP_STATUS_OK_CONFLICTING)
    return Status(Code::kIoError, "cannot ask cupsd about job " + std::to_string(job_id) + ": " +
                                      cupsLastErrorString());
  ipp_attribute_t* state = ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM);
  if (!state) return Status(Code::kIoError, "cupsd sent no job-state for job " +
                                                std::to_string(job_id));
  return ippGetInteger(state, 0) < IPP_JSTATE_CANCELED;
}

}  // namespace pp
