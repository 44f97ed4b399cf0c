// web-print.cpp: the print form's choices as IPP job options, the web's document types and the
// estimate before submitting (web-print.h).
#include "holding/web-print.h"

#include <algorithm>
#include <climits>

#include "analysis/document.h"
#include "charging/quote.h"
#include "holding/holding.h"
#include "pricing/page-ranges.h"
#include "printers/printers.h"

namespace pp {
namespace {

Status bad_choice(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

bool all_digits(const std::string& text) {
  return !text.empty() && text.size() <= 6 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  std::uint64_t unit = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k':
      case 'K':
        unit = 1024;
        break;
      case 'm':
      case 'M':
        unit = 1024 * 1024;
        break;
      case 'g':
      case 'G':
        unit = 1024 * 1024 * 1024;
        break;
      default:
        break;
    }
    if (unit != 1) text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 16 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const std::uint64_t number = std::stoull(std::string(text));
  constexpr std::uint64_t kMax = 1ull << 50;
  if (number == 0 || number > kMax / unit) return std::nullopt;
  return number * unit;
}

std::string describe_byte_size(std::uint64_t bytes) {
  for (const auto& [unit, name] : {std::pair{1ull << 30, " GiB"}, std::pair{1ull << 20, " MiB"},
                                   std::pair{1ull << 10, " KiB"}}) {
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + name;
  }
  if (bytes >= (1ull << 20))
    return std::to_string(bytes / (1ull << 20)) + "." +
           std::to_string(bytes % (1ull << 20) * 10 / (1ull << 20)) + " MiB";
  return std::to_string(bytes) + " bytes";
}

Result<WebPrintSettings> web_print_settings(const Config& config) {
  WebPrintSettings settings;
  const std::string size = config.get_string("web-upload-max", "");
  if (!size.empty()) {
    std::optional<std::uint64_t> bytes = parse_byte_size(size);
    if (!bytes)
      return Status(Code::kInvalidArgument,
                    "config key web-upload-max: expected a size such as 50M, not \"" + size + "\"");
    settings.max_upload_bytes = *bytes;
  }
  Result<std::int64_t> timeout = config.get_int("web-upload-timeout", 1800);
  if (!timeout) return timeout.status();
  if (*timeout <= 0)
    return Status(Code::kInvalidArgument,
                  "config key web-upload-timeout: must be a positive number of seconds");
  settings.pending_lifetime = std::chrono::seconds(*timeout);
  return settings;
}

Result<std::map<std::string, std::string>> print_options_from_choices(const PrintChoices& choices) {
  std::map<std::string, std::string> options;
  if (!all_digits(choices.copies) || std::stoi(choices.copies) < 1 ||
      std::stoi(choices.copies) > kMaxWebCopies)
    return bad_choice("Copies must be a number from 1 to " + std::to_string(kMaxWebCopies) + ".");
  options["copies"] = std::to_string(std::stoi(choices.copies));
  if (choices.sides != "one-sided" && choices.sides != "two-sided-long-edge" &&
      choices.sides != "two-sided-short-edge")
    return bad_choice("Sides must be one-sided, two-sided-long-edge or two-sided-short-edge.");
  options["sides"] = choices.sides;
  if (choices.color != "color" && choices.color != "monochrome")
    return bad_choice("Colour must be color or monochrome.");
  options["print-color-mode"] = choices.color;
  if (choices.number_up != "1" && choices.number_up != "2" && choices.number_up != "4")
    return bad_choice("Pages per sheet must be 1, 2 or 4.");
  options["number-up"] = choices.number_up;
  std::string ranges_text;
  for (char c : choices.page_ranges)
    if (c != ' ' && c != '\t') ranges_text += c;
  if (!ranges_text.empty()) {
    Result<std::vector<std::pair<int, int>>> ranges = parse_page_ranges(ranges_text);
    if (!ranges)
      return bad_choice("Page ranges such as 1-3,5 or 7- are expected, not \"" +
                        choices.page_ranges + "\".");
    std::string text;
    for (const auto& [first, last] : *ranges)
      text += (text.empty() ? "" : ",") + std::to_string(first) + "-" + std::to_string(last);
    options["page-ranges"] = text;
  }
  return options;
}

Result<std::string> web_document_format(const std::string& path) {
  const std::string format = sniff_document_format(path);
  if (format == "application/pdf" || format == "application/postscript" || format == "image/jpeg")
    return format;
  return Status(Code::kUnsupportedFormat, "the file is not a PDF, PostScript or JPEG document");
}

Result<PrintEstimate> estimate_print(const std::string& path,
                                     const std::map<std::string, std::string>& options,
                                     const Config& config) {
  Result<std::string> format = web_document_format(path);
  if (!format) return format.status();
  Result<PrintableDocument> printable = printable_document(path, config);
  if (!printable) return printable.status();
  Result<DocumentInfo> document = analyze_document_isolated(printable->path, config);
  if (!document) return document.status();
  Result<Quote> quote = quote_analysed(*document, options, "default", config);
  if (!quote) return quote.status();
  PrintEstimate estimate;
  estimate.format = *format;
  estimate.pages = document->page_count();
  estimate.color_pages = document->color_page_count();
  estimate.impressions = quote->impressions.impressions();
  estimate.price = quote->price;
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  for (const ReleasePrinter& printer : *printers) {
    if (!printer.enabled) continue;
    Result<Quote> on_printer = quote_analysed(*document, options, printer.profile, config);
    if (!on_printer) return on_printer.status();
    estimate.printers.push_back({printer.name, printer.location, on_printer->price});
  }
  return estimate;
}

}  // namespace pp
