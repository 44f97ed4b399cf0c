// web-print.h: printing from the browser (issue 14): the print form's choices as the job
// options an IPP job would carry, the document types the web takes, and the estimate a user sees
// before submitting.
//
// The submitted job then goes through hold_job() exactly as an IPP job (the web door calls it
// under the same lock, with the options made here), so a job costs the same whichever way it
// came; these rules only turn a form into that request, so that the form cannot do anything
// IPP could not.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "pricing/pricing.h"
#include "util/status.h"

namespace pp {

// The web print page's keys: web-upload-max (the largest document a browser may upload: bytes,
// or with a K, M or G suffix, powers of 1024; default 50M) and web-upload-timeout (seconds an
// uploaded document waits for Submit; default 1800).
struct WebPrintSettings {
  std::uint64_t max_upload_bytes = 50ull * 1024 * 1024;
  std::chrono::seconds pending_lifetime{1800};
};
// Reads them; a malformed or non-positive value is kInvalidArgument naming the key.
Result<WebPrintSettings> web_print_settings(const Config& config);
// "50M" -> 52428800, "512K", "1G", "1000": digits and an optional K, M or G (either case);
// nullopt for anything else, zero, or more than 2^50.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);
// "50 MiB", "512 KiB", "1000 bytes": a size for people.
std::string describe_byte_size(std::uint64_t bytes);

// The print form's fields as sent (text), before any check.
struct PrintChoices {
  std::string copies = "1";         // 1 to kMaxWebCopies
  std::string sides = "one-sided";  // one-sided, two-sided-long-edge, two-sided-short-edge
  std::string color = "color";      // color or monochrome
  std::string page_ranges;          // "" (all), "1-3,5", "7-" (to the end)
  std::string number_up = "1";      // 1, 2 or 4
};
inline constexpr int kMaxWebCopies = 999;

// The job options of the choices, named and written as the IPP attributes of a Print-Job give
// them to hold_job (server-hold.cpp: ippAttributeString of copies, sides, print-color-mode,
// number-up, page-ranges): {"copies","2"}, {"sides","two-sided-long-edge"},
// {"print-color-mode","monochrome"}, {"number-up","2"}, {"page-ranges","1-3,5-5"} (an open end
// "7-" is "7-2147483647", as CUPS sends it). page-ranges is left out when empty. Bad values are
// kInvalidArgument with a message for the user.
Result<std::map<std::string, std::string>> print_options_from_choices(const PrintChoices& choices);

// The MIME type of an uploaded document judged by its content (never by the client's file name
// or Content-Type): application/pdf, application/postscript or image/jpeg; anything else is
// kUnsupportedFormat ("the file is not a PDF, PostScript or JPEG document").
Result<std::string> web_document_format(const std::string& path);

// What the job would cost on one release printer.
struct PrinterEstimate {
  std::string printer;
  std::string location;
  Price price;
};

// The estimate page's numbers: the analysis and the prices.
struct PrintEstimate {
  std::string format;                     // the sniffed MIME type
  std::int64_t pages = 0;                 // pages of the document
  std::int64_t color_pages = 0;           // of which colour
  std::int64_t impressions = 0;           // with the options, on the default profile
  Price price;                            // on the default profile: what hold_job reserves
  std::vector<PrinterEstimate> printers;  // each enabled release printer, by name
};

// Analyses the document as hold_job does (PostScript as Ghostscript's PDF, in the bounded
// analyser child) and prices it with `options` on the default profile and on each enabled
// release printer. Failures as hold_job's for the document (kMalformedDocument, ...).
Result<PrintEstimate> estimate_print(const std::string& path,
                                     const std::map<std::string, std::string>& options,
                                     const Config& config);

}  // namespace pp
