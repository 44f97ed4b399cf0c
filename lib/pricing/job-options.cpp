// job-options.cpp: job_options_from_map, IPP and CUPS option names to JobOptions.
//
// Where IPP and CUPS/PPD names overlap, the IPP one wins when both are given (sides over Duplex,
// print-color-mode over ColorModel): cupsd maps the IPP attribute onto the PPD option itself.
#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "pricing/media-alias.h"
#include "pricing/page-ranges.h"
#include "pricing/pricing.h"

namespace pp {

namespace {

constexpr int kMaxCopies = 9999;  // CUPS' default MaxCopies

using Options = std::map<std::string, std::string>;

Status bad_value(std::string_view name, std::string_view value, std::string_view expected) {
  return Status(Code::kInvalidArgument, "option " + std::string(name) + ": bad value \"" +
                                            std::string(value) + "\" (" + std::string(expected) +
                                            ")");
}

const std::string* find(const Options& options, const char* name) {
  auto found = options.find(name);
  return found == options.end() ? nullptr : &found->second;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Digits only, within [low, high].
std::optional<int> bounded_int(std::string_view text, int low, int high) {
  int value = 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return {};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return {};
  if (value < low || value > high) return {};
  return value;
}

Status read_copies(const Options& options, JobOptions& job) {
  const std::string* value = find(options, "copies");
  if (!value) return Status::ok();
  std::optional<int> copies = bounded_int(*value, 1, kMaxCopies);
  if (!copies) return bad_value("copies", *value, "1 to 9999");
  job.copies = *copies;
  return Status::ok();
}

Status read_number_up(const Options& options, JobOptions& job) {
  const std::string* value = find(options, "number-up");
  if (!value) return Status::ok();
  std::optional<int> up = bounded_int(*value, 1, 16);
  constexpr std::array kAllowed = {1, 2, 4, 6, 9, 16};
  if (!up || std::find(kAllowed.begin(), kAllowed.end(), *up) == kAllowed.end()) {
    return bad_value("number-up", *value, "1, 2, 4, 6, 9 or 16");
  }
  job.number_up = *up;
  return Status::ok();
}

struct SidesName {
  std::string_view name;
  Sides sides;
};

std::optional<Sides> lookup_sides(std::string_view value, std::initializer_list<SidesName> names) {
  for (const SidesName& entry : names) {
    if (entry.name == value) return entry.sides;
  }
  return std::nullopt;
}

Status read_sides(const Options& options, JobOptions& job) {
  if (const std::string* value = find(options, "sides")) {
    auto sides = lookup_sides(*value, {{"one-sided", Sides::kOneSided},
                                       {"two-sided-long-edge", Sides::kTwoSidedLongEdge},
                                       {"two-sided-short-edge", Sides::kTwoSidedShortEdge}});
    if (!sides) {
      return bad_value("sides", *value, "one-sided, two-sided-long-edge, two-sided-short-edge");
    }
    job.sides = *sides;
  } else if (const std::string* value = find(options, "Duplex")) {
    auto sides = lookup_sides(*value, {{"None", Sides::kOneSided},
                                       {"DuplexNoTumble", Sides::kTwoSidedLongEdge},
                                       {"DuplexTumble", Sides::kTwoSidedShortEdge}});
    if (!sides) return bad_value("Duplex", *value, "None, DuplexNoTumble or DuplexTumble");
    job.sides = *sides;
  }
  return Status::ok();
}

Status read_page_ranges(const Options& options, JobOptions& job) {
  const std::string* value = find(options, "page-ranges");
  if (!value) return Status::ok();
  auto ranges = parse_page_ranges(*value);
  if (!ranges.ok()) return Status(Code::kInvalidArgument, "option " + ranges.status().message());
  job.page_ranges = std::move(ranges.value());
  return Status::ok();
}

// PPD ColorModel values vary by vendor (Gray, KGray, Grayscale, Mono, Black, ...): any name that
// says grey or mono means monochrome; everything else prints colour and is charged by content,
// so an unfamiliar name can only make a job dearer, never free.
bool color_model_is_mono(std::string_view value) {
  std::string name = lowercase(value);
  for (const char* word : {"gray", "grey", "mono", "black", "bilevel", "bi-level"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return name == "k" || name == "w";
}

Status read_color_mode(const Options& options, JobOptions& job) {
  if (const std::string* value = find(options, "print-color-mode")) {
    if (*value == "monochrome" || *value == "process-monochrome" || *value == "auto-monochrome" ||
        *value == "bi-level" || *value == "process-bi-level") {
      job.monochrome = true;
    } else if (*value == "color" || *value == "auto" || *value == "highlight") {
      job.monochrome = false;
    } else {
      return bad_value("print-color-mode", *value, "monochrome, color, auto, ...");
    }
    return Status::ok();
  }
  if (const std::string* value = find(options, "ColorModel")) {
    if (value->empty()) return bad_value("ColorModel", *value, "Gray, RGB, CMYK, ...");
    job.monochrome = color_model_is_mono(*value);
  }
  return Status::ok();
}

// media=A4 or the CUPS list form media=A4,Tray1,Plain: the first element naming a size wins.
Status read_media(const Options& options, JobOptions& job) {
  const std::string* value = find(options, "media");
  if (!value) return Status::ok();
  std::string_view rest = *value;
  while (true) {
    std::size_t comma = rest.find(',');
    if (auto name = pwg_media_name(rest.substr(0, comma))) {
      job.media = *name;
      return Status::ok();
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return bad_value("media", *value, "a PWG media name such as iso_a4_210x297mm, or A4, Letter");
}

}  // namespace

Result<JobOptions> job_options_from_map(const std::map<std::string, std::string>& options) {
  JobOptions job;
  for (auto reader :
       {read_copies, read_number_up, read_sides, read_page_ranges, read_color_mode, read_media}) {
    Status status = reader(options, job);
    if (!status.is_ok()) return status;
  }
  return job;
}

}  // namespace pp
