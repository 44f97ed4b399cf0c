// split-request.h: the split request syntax, one job attribute string (`pullprint-split`).
//
// It travels from `lp -o pullprint-split=...` through CUPS to pullprintd as ONE IPP
// nameWithoutLanguage value, so it is printable ASCII without spaces, quotes, backslashes or
// braces (cupsParseOptions ends a value at white space, strips backslashes, treats a leading
// quote or '{' specially) and at most 255 bytes (the IPP limit of a name value). Commas are safe:
// cupsEncodeOptions splits only the values of options it knows into 1setOf (checked with CUPS
// 2.4); a receiver that gets several values anyway joins them with ',' before parsing.
//
// Grammar (ABNF; everything is case-sensitive):
//
//   request  = mode ":" entry *("," entry) *(";" setting)
//   entry    = payer "=" value
//   payer    = 1*64(ALPHA / DIGIT / "." / "_" / "-" / "@"), not starting with "." or "-"
//   setting  = "deadline=" 1*4DIGIT ("m" / "h" / "d")         ; shorter than the site default
//            / "on-decline=" ("owner-covers" / "cancel")      ; ratio only
//
//   mode "ratio"   value = percent / fraction                 ; one print, the cost is shared
//       percent  = 1*3DIGIT ["." 1*4DIGIT] ["%"]              ; all percentages sum to exactly 100
//       fraction = 1*6DIGIT "/" 1*6DIGIT                      ; all fractions sum to exactly 1
//       (one request uses percentages or fractions, not both; every share is more than 0)
//   mode "copies"  value = 1*4DIGIT                           ; 1..9999 copies for that payer
//   mode "pages"   value = range *("+" range)                 ; the payer's pages of the document
//       range    = page ["-" [page]]                          ; "7-": to the last page
//       (ranges may not overlap, within a payer or between payers; pages nobody takes are not
//       printed; validate_split_pages() checks them against the document's page count)
//   mode "method"  value = option *("+" option)               ; the payer's own print options
//       option   = "color" / "mono"
//                / "one-sided" / "two-sided-long-edge" / "two-sided-short-edge"
//                / "duplex" (= two-sided-long-edge)
//                / "type=" keyword                            ; media-type, e.g. type=stationery
//                / media                                      ; a4, letter, iso_a3_297x420mm, ...
//       (each kind at most once per payer; what a payer does not choose is the job's own option)
//
// Examples:
//   ratio:alice=50,bob=30,carol=20;deadline=24h
//   ratio:alice=1/3,bob=2/3;on-decline=cancel
//   copies:alice=2,bob=3
//   pages:alice=1-4+9,bob=5-8
//   method:alice=color+a4+duplex,bob=mono+a3
//
// At most 32 payers, each once. The owner may be one of them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pricing/pricing.h"
#include "util/status.h"

namespace pp {

// The job attribute (and CUPS option) that carries a split request.
inline constexpr const char* kSplitAttribute = "pullprint-split";

inline constexpr std::size_t kMaxSplitRequestBytes = 255;
inline constexpr std::size_t kMaxSplitPayers = 32;

enum class SplitMode { kRatio, kCopies, kPages, kMethod };

// "ratio", "copies", "pages", "method".
std::string_view split_mode_name(SplitMode mode);
std::optional<SplitMode> parse_split_mode(std::string_view name);

// What happens in ratio mode when a payer declines or lets the deadline pass.
enum class OnDecline { kOwnerCovers, kCancel };

// "owner-covers", "cancel".
std::string_view on_decline_name(OnDecline rule);
std::optional<OnDecline> parse_on_decline(std::string_view name);

// A share of the job in ratio mode: numerator / denominator, reduced, 0 < share <= 1.
struct Fraction {
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
  bool operator==(const Fraction&) const = default;
};

// A payer's own print options in method mode; unset ones are the job's.
struct MethodChoice {
  std::optional<bool> monochrome;
  std::optional<Sides> sides;
  std::optional<std::string> media;       // PWG self-describing name
  std::optional<std::string> media_type;  // IPP keyword
  bool operator==(const MethodChoice&) const = default;
};

struct PayerRequest {
  std::string payer;
  Fraction ratio;                               // kRatio
  int copies = 0;                               // kCopies
  std::vector<std::pair<int, int>> pages;       // kPages: 1-based inclusive, open end INT_MAX
  MethodChoice method;                          // kMethod
  bool operator==(const PayerRequest&) const = default;
};

struct SplitRequest {
  SplitMode mode = SplitMode::kRatio;
  std::vector<PayerRequest> payers;             // in the order written
  std::optional<std::chrono::seconds> deadline; // ";deadline=", when given
  std::optional<OnDecline> on_decline;          // ";on-decline=", when given (ratio only)
  bool operator==(const SplitRequest&) const = default;
};

// Parses a split request (grammar above). Every error is kInvalidArgument with a message naming
// the offending part, e.g. `ratio shares add up to 90%, not 100%`, `bob is named twice`.
Result<SplitRequest> parse_split_request(std::string_view text);

// The canonical text of a request: parse_split_request(format_split_request(r)) == r.
// Percentages are written as fractions when they are not whole or decimal percentages.
std::string format_split_request(const SplitRequest& request);

// Checks pages mode against the document: every range within 1..page_count (an open end is
// fine) and at least one page per payer. Other modes: always ok.
Status validate_split_pages(const SplitRequest& request, int page_count);

// Checks a user name by the payer rule above (also for the owner, who is not in the request).
Status validate_split_user(std::string_view user);

// What a payer gets, for people: "50%", "1/3", "2 copies", "pages 1-4, 9",
// "mono, A3, two-sided-long-edge" (media by the PPD names libcups gives them, else PWG names).
std::string describe_payer_request(SplitMode mode, const PayerRequest& payer);

}  // namespace pp
