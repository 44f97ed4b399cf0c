// server-formats.cpp: a document the queue cannot take is refused when it is submitted.
//
// PAPPL 1.3.1 checks document-format against the printer's own attributes, where
// document-format-supported never is (it lives in the driver attributes), so it accepts any
// format, answers successful-ok, and then aborts the job with "Job aborted." when no filter
// takes it; the reason appears only in the server's log. The auth callback runs first for
// Print-Job, Send-Document and Validate-Job, so it checks the format against what the queue
// advertises and refuses with client-error-document-format-not-supported.
//
// application/octet-stream (also the default when a client sends no document-format) is typed
// from the first bytes exactly as PAPPL will type it afterwards (job-ipp.c; compressed data after
// inflating it); a document PAPPL cannot type, or types as a format the queue does not take, is
// refused too.
#include <cups/cups.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "server/server.h"

namespace pp::server {
namespace {

constexpr const char* kOctetStream = "application/octet-stream";

struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};

// PAPPL 1.3.1's auto-typing of application/octet-stream (_papplJobValidateDocumentAttributes),
// on the same zero-filled 8 KiB header; nullptr when PAPPL cannot tell (pullprintd sets no MIME
// callback).
const char* pappl_auto_type(const unsigned char* header) {
  if (!std::memcmp(header, "%PDF", 4)) return "application/pdf";
  if (!std::memcmp(header, "%!", 2)) return "application/postscript";
  if (!std::memcmp(header, "\377\330\377", 3) && header[3] >= 0xe0 && header[3] <= 0xef)
    return "image/jpeg";
  if (!std::memcmp(header, "\211PNG", 4)) return "image/png";
  if (!std::memcmp(header, "RaS2PwgR", 8)) return "image/pwg-raster";
  if (!std::memcmp(header, "UNIRAST", 8)) return "image/urf";
  return nullptr;
}

// The first bytes of a compressed document (IPP compression gzip or deflate, decoded as libcups
// decodes them: gzip, raw deflate) inflated from a raw peek into `out`; false when too little
// has arrived to tell (fewer than 8 bytes came out and the stream goes on). PAPPL types such a
// document after decompressing, but libcups cannot peek into a compressed body twice: its
// httpPeek moves the body into the decompressor, and PAPPL's own check then finds no document
// ("No file in request."). So the raw bytes are inflated here instead.
bool inflate_prefix(const unsigned char* data, std::size_t size, const char* coding,
                    unsigned char* out, std::size_t out_size) {
  const bool gzip = std::strcmp(coding, "gzip") == 0;
  if (!gzip && std::strcmp(coding, "deflate") != 0) return false;  // PAPPL refuses the others
  z_stream stream{};
  if (inflateInit2(&stream, gzip ? 31 : -15) != Z_OK) return false;
  stream.next_in = const_cast<unsigned char*>(data);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = out;
  stream.avail_out = static_cast<uInt>(out_size);
  const bool ended = inflate(&stream, Z_SYNC_FLUSH) == Z_STREAM_END;
  const std::size_t inflated = out_size - stream.avail_out;
  inflateEnd(&stream);
  return ended || inflated >= 8;
}

// The compression the client named for the document, or nullptr for none.
const char* compression_of(ipp_t* request) {
  ipp_attribute_t* attr = ippFindAttribute(request, "compression", IPP_TAG_ZERO);
  const char* coding = attr ? ippGetString(attr, 0, nullptr) : nullptr;
  return coding && std::strcmp(coding, "none") != 0 ? coding : nullptr;
}

// What PAPPL will auto-type the document data of the request as ("" when it cannot tell), from
// the first bytes that have arrived; nullopt when too little compressed data has arrived to tell.
std::optional<std::string> auto_typed_format(http_t* http, ipp_t* request) {
  unsigned char raw[8192] = {};
  const ssize_t got = httpPeek(http, reinterpret_cast<char*>(raw), sizeof(raw));
  const char* typed = nullptr;
  if (const char* coding = compression_of(request)) {
    unsigned char header[8192] = {};
    if (!inflate_prefix(raw, got > 0 ? static_cast<std::size_t>(got) : 0, coding, header,
                        sizeof(header)))
      return std::nullopt;  // PAPPL decides, after its own decompression
    typed = pappl_auto_type(header);
  } else {
    typed = pappl_auto_type(raw);
  }
  return std::string(typed ? typed : "");
}

// What the document of this request will be called, as PAPPL decides it: the client's
// document-format, or for application/octet-stream (the default) the auto-typed format ("" when
// PAPPL cannot tell). nullopt when there is nothing to check here: a malformed document-format
// (PAPPL refuses it itself), or octet-stream without document data (Validate-Job, or a Print-Job
// without a document, which PAPPL refuses itself).
std::optional<std::string> document_format(pappl_client_t* client, ipp_t* request) {
  ipp_attribute_t* attr = ippFindAttribute(request, "document-format", IPP_TAG_ZERO);
  if (attr && (ippGetCount(attr) != 1 || ippGetValueTag(attr) != IPP_TAG_MIMETYPE ||
               ippGetGroupTag(attr) != IPP_TAG_OPERATION))
    return std::nullopt;
  const char* format = attr ? ippGetString(attr, 0, nullptr) : kOctetStream;
  if (std::strcmp(format, kOctetStream) != 0) return std::string(format);
  http_t* http = papplClientGetHTTP(client);
  if (ippGetOperation(request) == IPP_OP_VALIDATE_JOB || httpGetState(http) != HTTP_STATE_POST_RECV)
    return std::nullopt;
  return auto_typed_format(http, request);
}

// The formats the queue takes: its document-format-supported, without octet-stream (a document
// sent as that must still be typed as one of the others).
std::vector<std::string> queue_formats(pappl_client_t* client) {
  std::unique_ptr<ipp_t, IppDeleter> attrs(
      papplPrinterGetDriverAttributes(papplClientGetPrinter(client)));
  ipp_attribute_t* supported =
      ippFindAttribute(attrs.get(), "document-format-supported", IPP_TAG_MIMETYPE);
  std::vector<std::string> formats;
  for (int i = 0; i < ippGetCount(supported); ++i) {
    const char* format = ippGetString(supported, i, nullptr);
    if (format && std::strcmp(format, kOctetStream) != 0) formats.emplace_back(format);
  }
  return formats;
}

// Sets the refusal on the client's response, naming the formats the queue takes.
void refuse_format(pappl_client_t* client, ipp_t* request, const std::string& format,
                   const std::vector<std::string>& formats) {
  const std::string what =
      format.empty() ? "a document whose format it cannot recognise" : format + " documents";
  std::string takes;
  for (const std::string& each : formats) takes += (takes.empty() ? "" : ", ") + each;
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Refused %s: the queue does not take %s.",
                 ippOpString(ippGetOperation(request)), what.c_str());
  papplClientRespondIPP(client, IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED,
                        "The queue does not take %s; it takes %s.", what.c_str(), takes.c_str());
  if (ipp_attribute_t* attr = ippFindAttribute(request, "document-format", IPP_TAG_MIMETYPE)) {
    ipp_attribute_t* copy = ippCopyAttribute(papplClientGetResponse(client), attr, 0);
    ippSetGroupTag(papplClientGetResponse(client), &copy, IPP_TAG_UNSUPPORTED_GROUP);
  }
}

}  // namespace

bool refuse_unsupported_format(pappl_client_t* client, ipp_t* request) {
  const ipp_op_t op = ippGetOperation(request);
  if (op != IPP_OP_PRINT_JOB && op != IPP_OP_SEND_DOCUMENT && op != IPP_OP_VALIDATE_JOB)
    return false;
  if (!papplClientGetPrinter(client)) return false;
  const std::optional<std::string> format = document_format(client, request);
  if (!format) return false;
  const std::vector<std::string> formats = queue_formats(client);
  if (std::find(formats.begin(), formats.end(), *format) != formats.end()) return false;
  refuse_format(client, request, *format, formats);
  // The job of a refused Send-Document could never print (one document per job), and PAPPL
  // 1.3.1 never times out a job that waits for its document: it would stay pending for good.
  if (op == IPP_OP_SEND_DOCUMENT)
    if (pappl_job_t* job = papplClientGetJob(client)) papplJobCancel(job);
  return true;
}

}  // namespace pp::server
