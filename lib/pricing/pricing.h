// pricing.h: impressions from a document and job options, and their price under a profile.
//
// Impressions are computed once, in this order: page-ranges -> number-up (a sheet side is colour
// if any page on it is) -> sides -> copies. Money is integer minor units (cents); the only
// division happens once, on the total, with rounding half up.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/document.h"
#include "config/config.h"
#include "util/status.h"

namespace pp {

enum class Sides { kOneSided, kTwoSidedLongEdge, kTwoSidedShortEdge };

// The print options that change how many impressions and sheets a document makes.
struct JobOptions {
  int copies = 1;
  int number_up = 1;                              // 1, 2, 4, 6, 9, 16
  Sides sides = Sides::kOneSided;
  std::vector<std::pair<int, int>> page_ranges;   // 1-based inclusive; empty = all pages;
                                                  // an open end ("7-") is INT_MAX
  bool monochrome = false;                        // print-color-mode=monochrome: no colour charged
  std::optional<std::string> media;               // overrides the document's media (PWG name)
};

// Reads IPP/CUPS option names (copies, number-up, sides, page-ranges, print-color-mode,
// ColorModel, media, Duplex) from name/value pairs; unknown names are ignored, bad values fail.
Result<JobOptions> job_options_from_map(const std::map<std::string, std::string>& options);

// A CUPS options argument ("copies=2 sides=two-sided-long-edge", argv[5] of a filter or backend)
// as a name/value map, parsed by libcups' cupsParseOptions; a later duplicate name wins.
std::map<std::string, std::string> parse_cups_options(const char* text);

// Impressions of one media size.
struct MediaCount {
  std::int64_t mono_impressions = 0;
  std::int64_t color_impressions = 0;
  std::int64_t sheets = 0;
  std::int64_t duplex_sheets = 0;  // sheets printed on both sides
  // Of the impressions above, those on two-sided sheets (the duplex discount applies to these).
  std::int64_t duplex_mono_impressions = 0;
  std::int64_t duplex_color_impressions = 0;
};

struct ImpressionCount {
  std::map<std::string, MediaCount> by_media;  // PWG media name -> counts (copies included)
  std::int64_t selected_pages = 0;             // pages after page-ranges, one copy

  std::int64_t mono_impressions() const;
  std::int64_t color_impressions() const;
  std::int64_t impressions() const { return mono_impressions() + color_impressions(); }
  std::int64_t sheets() const;
};

// Applies page-ranges, number-up, sides and copies to the document's pages.
Result<ImpressionCount> count_impressions(const DocumentInfo& document, const JobOptions& options);

// A price list, one per printer plus "default"; see share/pullprint.conf for the keys.
struct PriceProfile {
  std::string name = "default";
  std::string currency = "EUR";                 // ISO 4217
  std::int64_t mono_impression = 0;             // minor units per grey impression (sheet side)
  std::int64_t color_impression = 0;            // minor units per colour impression
  std::int64_t sheet = 0;                       // minor units per sheet of paper
  std::map<std::string, std::int64_t> media_percent;  // PWG media -> multiplier in percent (A3: 200)
  std::int64_t duplex_discount_percent = 0;     // off the impressions of two-sided sheets
  std::int64_t minimum = 0;                     // minimum charge per job
};

// Reads profile `printer` from the config ([price NAME] sections), falling back to [price default]
// for keys the printer's section does not set, then to zero. Unknown keys, negative prices and
// malformed numbers in either section are errors: a typo must never make printing free.
Result<PriceProfile> price_profile_from_config(const Config& config, std::string_view printer);

// Checks every [price NAME] section of the config (for "pullprint config check" and start-up).
Status check_price_profiles(const Config& config);

struct Price {
  std::int64_t minor = 0;
  std::string currency;
};

// Prices counted impressions under a profile. A job with no impressions costs 0 (the minimum
// charge applies only to jobs that print something); totals beyond int64 saturate at INT64_MAX
// (an absurd job is refused for funds, never printed for free).
Price price_impressions(const ImpressionCount& count, const PriceProfile& profile);

// "EUR 0.84", "EUR -1.20": ISO 4217 minor-unit digits, i.e. two decimals for most currencies,
// none for zero-decimal ones (JPY, KRW, ...), three for BHD, KWD, ... Negative: "EUR -1.20".
std::string format_money(std::int64_t minor, std::string_view currency);

// Digits after the decimal point of a currency (ISO 4217 minor-unit exponent): 0, 2 or 3.
int currency_decimals(std::string_view currency);

}  // namespace pp
