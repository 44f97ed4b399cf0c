// server-job-name.cpp: a job sent without job-name is named after its document.
//
// PAPPL 1.3.1 names every job without job-name "Untitled". RFC 8011 (4.2.1.1) has the Printer
// name such a job from its document's name: the operation attribute document-name, which lp
// and most clients send with the file name (document-name-supplied, PWG 5100.5's name for
// what the client supplied, is taken as well). The auth callback runs before PAPPL creates the
// job, so there:
//  - Print-Job: the document's name becomes the job-name PAPPL creates the job with, and so the
//    name in PAPPL's Get-Jobs and of the held job;
//  - Send-Document (after a Create-Job without job-name, already "Untitled"): the name is added
//    as the job attribute document-name-supplied, which PAPPL copies into the job and
//    hold_request (server-hold.cpp) uses as the held job's title.
#include <cups/cups.h>

#include <string>

#include "server/server.h"

namespace pp::server {
namespace {

// The document's name the client sent (its last path component: some clients send the whole
// path), or "" when it sent none.
std::string supplied_document_name(ipp_t* request) {
  for (const char* name : {"document-name", "document-name-supplied"}) {
    ipp_attribute_t* attr = ippFindAttribute(request, name, IPP_TAG_ZERO);
    if (!attr || ippGetGroupTag(attr) != IPP_TAG_OPERATION || ippGetCount(attr) != 1) continue;
    const ipp_tag_t tag = ippGetValueTag(attr);
    if (tag != IPP_TAG_NAME && tag != IPP_TAG_NAMELANG) continue;
    const char* value = ippGetString(attr, 0, nullptr);
    std::string text = value ? value : "";
    const std::size_t slash = text.find_last_of("/\\");
    if (slash != std::string::npos) text.erase(0, slash + 1);
    if (!text.empty()) return text;
  }
  return "";
}

}  // namespace

void name_job_after_document(ipp_t* request) {
  const ipp_op_t op = ippGetOperation(request);
  if (op != IPP_OP_PRINT_JOB && op != IPP_OP_SEND_DOCUMENT) return;
  const std::string name = supplied_document_name(request);
  if (name.empty()) return;
  if (op == IPP_OP_PRINT_JOB) {
    if (!ippFindAttribute(request, "job-name", IPP_TAG_ZERO))
      ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, name.c_str());
    return;
  }
  if (ipp_attribute_t* old = ippFindAttribute(request, kDocumentNameAttribute, IPP_TAG_ZERO))
    ippDeleteAttribute(request, old);
  ippAddString(request, IPP_TAG_JOB, IPP_TAG_NAME, kDocumentNameAttribute, nullptr, name.c_str());
}

}  // namespace pp::server
