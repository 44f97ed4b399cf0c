// document.cpp: format sniffing and the analyze_document() dispatcher.
//
// The format is judged by content, never by file name or the client's claimed MIME type: CUPS
// jobs often arrive as "application/octet-stream" or under a misleading name.
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <string_view>

#include "analysis/document.h"

namespace pp {

namespace {

constexpr std::size_t kSniffBytes = 1024;

std::string read_prefix(const std::string& path, std::size_t size) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

// What the first bytes look like, for "unsupported format" messages: text or hex.
std::string describe_prefix(std::string_view bytes) {
  bytes = bytes.substr(0, 8);
  bool printable = true;
  for (char c : bytes) printable = printable && std::isprint(static_cast<unsigned char>(c));
  if (printable) return "\"" + std::string(bytes) + "\"";
  std::string hex;
  for (char c : bytes) {
    char byte[4];
    std::snprintf(byte, sizeof byte, "%02X ", static_cast<unsigned char>(c));
    hex += byte;
  }
  if (!hex.empty()) hex.pop_back();
  return "bytes " + hex;
}

}  // namespace

std::string sniff_document_format(const std::string& path) {
  const std::string prefix = read_prefix(path, kSniffBytes);
  std::string_view bytes(prefix);
  if (starts_with(bytes, "%PDF-")) return "application/pdf";
  // CUPS/PWG raster sync words; PWG raster is version 2 ("RaS2"), the others CUPS raster v1/v3
  // in either byte order. libcups reads them all.
  if (starts_with(bytes, "RaS2")) return "image/pwg-raster";
  for (std::string_view sync : {"RaSt", "tSaR", "2SaR", "RaS3", "3SaR"}) {
    if (starts_with(bytes, sync)) return "application/vnd.cups-raster";
  }
  if (starts_with(bytes, "\xFF\xD8\xFF")) return "image/jpeg";
  if (starts_with(bytes, "%!") || starts_with(bytes, "\xC5\xD0\xD3\xC6")) {
    return "application/postscript";  // plain PostScript/EPS, or DOS EPS binary header
  }
  if (starts_with(bytes, "UNIRAST")) return "image/urf";
  // PDF readers accept "%PDF-" after some junk (mail headers, a PJL job header): so do we.
  if (bytes.find("%PDF-") != std::string_view::npos) return "application/pdf";
  // PostScript behind a PJL universal exit language header.
  if (starts_with(bytes, "\x1B%-12345X") && bytes.find("%!") != std::string_view::npos) {
    return "application/postscript";
  }
  return "";
}

Status check_document_size(const std::string& path, const AnalysisOptions& options,
                           const std::string& name) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return Status(errno == ENOENT ? Code::kNotFound : Code::kIoError,
                  "cannot read " + name + ": " + ::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return Status(Code::kInvalidArgument, name + " is not a file");
  if (static_cast<std::uint64_t>(info.st_size) > options.max_file_bytes) {
    return Status(Code::kLimitExceeded, name + " is " + std::to_string(info.st_size) +
                                            " bytes, over the limit of " +
                                            std::to_string(options.max_file_bytes));
  }
  if (info.st_size == 0) return Status(Code::kMalformedDocument, name + " is empty (0 bytes)");
  return Status::ok();
}

Result<DocumentInfo> analyze_document(const std::string& path, const AnalysisOptions& options) {
  if (Status size = check_document_size(path, options, path); !size.is_ok()) return size;

  const std::string format = sniff_document_format(path);
  Result<DocumentInfo> result = Status(Code::kInternal, "no analyser ran");
  if (format == "application/pdf") {
    result = analyze_pdf(path, options);
  } else if (format == "image/pwg-raster" || format == "application/vnd.cups-raster") {
    result = analyze_pwg_raster(path, options);
  } else if (format == "image/jpeg") {
    result = analyze_jpeg(path, options);
  } else if (format == "application/postscript") {
    result = analyze_postscript(path, options);
  } else if (format == "image/urf") {
    return Status(Code::kUnsupportedFormat,
                  path + " is Apple raster (image/urf), which is not supported yet");
  } else {
    return Status(Code::kUnsupportedFormat,
                  path + " is not PDF, PostScript, PWG raster or JPEG (starts with " +
                      describe_prefix(read_prefix(path, 8)) + ")");
  }
  if (result.ok()) {
    result->format = format;
    if (result->pages.empty()) {  // never report a silent "0 pages"
      return Status(Code::kMalformedDocument, path + " (" + format + ") has no pages");
    }
  }
  return result;
}

}  // namespace pp
