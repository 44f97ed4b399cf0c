// split-request.cpp: parsing, formatting and validating the split request syntax.
#include "splits/split-request.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <numeric>

#include <cups/cups.h>

#include "pricing/media-alias.h"

namespace pp {

namespace {

constexpr int kMaxCopies = 9999;
constexpr std::int64_t kMaxFractionTerm = 999'999;
constexpr int kMaxPercentDecimals = 4;
constexpr int kMaxDeadlineNumber = 9999;

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, "split request: " + std::move(message));
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// Digits only, at most max_digits of them; nullopt otherwise.
std::optional<std::int64_t> number(std::string_view text, std::size_t max_digits) {
  if (!all_digits(text) || text.size() > max_digits) return std::nullopt;
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return parts;
}

Fraction reduced(std::int64_t numerator, std::int64_t denominator) {
  std::int64_t divisor = std::gcd(numerator, denominator);
  if (divisor == 0) divisor = 1;
  return Fraction{numerator / divisor, denominator / divisor};
}

// "50", "33.3333", "12.5%": the share as a fraction of the whole job.
Result<Fraction> parse_percent(std::string_view payer, std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && body.back() == '%') body.remove_suffix(1);
  std::size_t dot = body.find('.');
  std::string_view whole = body.substr(0, dot);
  std::string_view decimals = dot == std::string_view::npos ? "" : body.substr(dot + 1);
  if (!all_digits(whole) || whole.size() > 3 ||
      (dot != std::string_view::npos &&
       (!all_digits(decimals) || decimals.size() > kMaxPercentDecimals))) {
    return invalid("share of " + std::string(payer) + " " + quoted(text) +
                   " is not a percentage (50, 33.25) or a fraction (1/3)");
  }
  std::int64_t scale = 1;
  for (std::size_t i = 0; i < decimals.size(); ++i) scale *= 10;
  std::int64_t numerator = *number(whole, 3) * scale + (decimals.empty() ? 0 : *number(decimals, 4));
  return reduced(numerator, 100 * scale);
}

Result<Fraction> parse_fraction(std::string_view payer, std::string_view text) {
  std::size_t slash = text.find('/');
  auto numerator = number(text.substr(0, slash), 6);
  auto denominator = number(text.substr(slash + 1), 6);
  if (!numerator || !denominator || *denominator == 0) {
    return invalid("share of " + std::string(payer) + " " + quoted(text) +
                   " is not a fraction of two numbers up to 999999 (1/3)");
  }
  return reduced(*numerator, *denominator);
}

// Sum of the shares as a fraction (lcm arithmetic in 128 bits). Fails when the common
// denominator grows beyond 10^15, or the sum beyond 1000 (it is not 1 then, whatever it is).
Result<Fraction> sum_of(const std::vector<PayerRequest>& payers, bool percent) {
  __int128 denominator = 1;
  for (const PayerRequest& payer : payers) {
    denominator = denominator / std::gcd(static_cast<std::int64_t>(denominator),
                                         payer.ratio.denominator) *
                  payer.ratio.denominator;
    if (denominator > 1'000'000'000'000'000)
      return invalid("ratio shares have denominators too large to add up exactly");
  }
  __int128 numerator = 0;
  for (const PayerRequest& payer : payers)
    numerator += payer.ratio.numerator * (denominator / payer.ratio.denominator);
  if (numerator > denominator * 1000)
    return invalid(std::string("ratio shares add up to far more than ") + (percent ? "100%" : "1"));
  return reduced(static_cast<std::int64_t>(numerator), static_cast<std::int64_t>(denominator));
}

// "90%" or "5/6" for an error message about the sum.
std::string describe_sum(const Fraction& sum, bool percent) {
  if (percent) {
    // The sum of percentages with up to 4 decimals: a multiple of 1/10^6.
    __int128 millionths = static_cast<__int128>(sum.numerator) * 1'000'000 / sum.denominator;
    std::string text = std::to_string(static_cast<std::int64_t>(millionths / 10'000));
    std::int64_t rest = static_cast<std::int64_t>(millionths % 10'000);
    if (rest != 0) {
      std::string decimals = std::to_string(10'000 + rest).substr(1);
      while (decimals.back() == '0') decimals.pop_back();
      text += "." + decimals;
    }
    return text + "%";
  }
  return std::to_string(sum.numerator) + "/" + std::to_string(sum.denominator);
}

Status parse_ratio(std::vector<PayerRequest>& payers, const std::vector<std::string>& values) {
  bool any_percent = false, any_fraction = false;
  for (std::size_t i = 0; i < payers.size(); ++i) {
    bool fraction = values[i].find('/') != std::string::npos;
    (fraction ? any_fraction : any_percent) = true;
    Result<Fraction> share = fraction ? parse_fraction(payers[i].payer, values[i])
                                      : parse_percent(payers[i].payer, values[i]);
    if (!share) return share.status();
    if (share->numerator == 0)
      return invalid("share of " + payers[i].payer + " is 0; leave the payer out instead");
    payers[i].ratio = *share;
  }
  if (any_percent && any_fraction)
    return invalid("ratio shares are all percentages or all fractions, not a mix");
  Result<Fraction> sum = sum_of(payers, any_percent);
  if (!sum) return sum.status();
  if (!(*sum == Fraction{1, 1})) {
    return invalid("ratio shares add up to " + describe_sum(*sum, any_percent) + ", not " +
                   (any_percent ? "100%" : "1"));
  }
  return Status::ok();
}

Status parse_copies(PayerRequest& payer, std::string_view value) {
  std::optional<std::int64_t> copies = number(value, 4);
  if (!copies || *copies < 1 || *copies > kMaxCopies) {
    return invalid("copies of " + payer.payer + " " + quoted(value) +
                   " is not a number of copies from 1 to 9999");
  }
  payer.copies = static_cast<int>(*copies);
  return Status::ok();
}

Status parse_pages(PayerRequest& payer, std::string_view value) {
  for (std::string_view range : split(value, '+')) {
    std::size_t dash = range.find('-');
    std::string_view first_text = range.substr(0, dash);
    std::string_view last_text = dash == std::string_view::npos ? first_text : range.substr(dash + 1);
    std::optional<std::int64_t> first = number(first_text, 6);
    std::optional<std::int64_t> last =
        (dash != std::string_view::npos && last_text.empty()) ? INT_MAX : number(last_text, 6);
    if (!first || !last || *first < 1 || *last < *first) {
      return invalid("pages of " + payer.payer + ": " + quoted(range) +
                     " is not a page range (3, 1-4, 7-; pages are numbered from 1)");
    }
    payer.pages.emplace_back(static_cast<int>(*first), static_cast<int>(*last));
  }
  return Status::ok();
}

struct SidesWord {
  std::string_view word;
  Sides sides;
};
constexpr SidesWord kSidesWords[] = {{"one-sided", Sides::kOneSided},
                                     {"two-sided-long-edge", Sides::kTwoSidedLongEdge},
                                     {"two-sided-short-edge", Sides::kTwoSidedShortEdge},
                                     {"duplex", Sides::kTwoSidedLongEdge}};

bool is_keyword(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
  });
}

Status parse_method(PayerRequest& payer, std::string_view value) {
  MethodChoice& choice = payer.method;
  auto twice = [&](std::string_view option, std::string_view what) {
    return invalid("method of " + payer.payer + " chooses the " + std::string(what) +
                   " twice (" + quoted(option) + ")");
  };
  for (std::string_view option : split(value, '+')) {
    if (option == "color" || option == "mono") {
      if (choice.monochrome) return twice(option, "colour mode");
      choice.monochrome = option == "mono";
      continue;
    }
    auto sides = std::find_if(std::begin(kSidesWords), std::end(kSidesWords),
                              [&](const SidesWord& entry) { return entry.word == option; });
    if (sides != std::end(kSidesWords)) {
      if (choice.sides) return twice(option, "sides");
      choice.sides = sides->sides;
      continue;
    }
    if (option.starts_with("type=")) {
      std::string_view type = option.substr(5);
      if (!is_keyword(type)) {
        return invalid("method of " + payer.payer + ": media type " + quoted(type) +
                       " is not a keyword (stationery, photographic, ...)");
      }
      if (choice.media_type) return twice(option, "media type");
      choice.media_type = std::string(type);
      continue;
    }
    std::optional<std::string> media =
        option.empty() || option.find('=') != std::string_view::npos ? std::nullopt
                                                                    : pwg_media_name(option);
    if (!media) {
      return invalid("method of " + payer.payer + ": unknown option " + quoted(option) +
                     " (color, mono, one-sided, two-sided-long-edge, two-sided-short-edge, "
                     "duplex, type=KEYWORD, or a media size such as a4, letter, "
                     "iso_a3_297x420mm)");
    }
    if (choice.media) return twice(option, "media size");
    choice.media = std::move(*media);
  }
  return Status::ok();
}

Status parse_setting(SplitRequest& request, std::string_view setting) {
  std::size_t equals = setting.find('=');
  std::string_view key = setting.substr(0, equals);
  std::string_view value = equals == std::string_view::npos ? "" : setting.substr(equals + 1);
  if (key == "deadline" && equals != std::string_view::npos) {
    if (request.deadline) return invalid("deadline is given twice");
    std::optional<std::int64_t> count =
        value.empty() ? std::nullopt : number(value.substr(0, value.size() - 1), 4);
    char unit = value.empty() ? '\0' : value.back();
    std::int64_t seconds = unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
    if (!count || seconds == 0 || *count < 1 || *count > kMaxDeadlineNumber) {
      return invalid("deadline " + quoted(value) +
                     " is not a duration such as 90m, 24h or 2d (1 to 9999 of m, h or d)");
    }
    request.deadline = std::chrono::seconds(*count * seconds);
    return Status::ok();
  }
  if (key == "on-decline" && equals != std::string_view::npos) {
    if (request.on_decline) return invalid("on-decline is given twice");
    std::optional<OnDecline> rule = parse_on_decline(value);
    if (!rule) return invalid("on-decline " + quoted(value) + " is not owner-covers or cancel");
    if (request.mode != SplitMode::kRatio) {
      return invalid("on-decline applies to ratio splits only (in " +
                     std::string(split_mode_name(request.mode)) +
                     " mode a declined part is simply not printed)");
    }
    request.on_decline = rule;
    return Status::ok();
  }
  return invalid("unknown setting " + quoted(setting) + " (deadline=24h, on-decline=cancel)");
}

// Sorted ranges must not touch each other: returns the first overlap as a message.
std::optional<std::string> first_overlap(const std::vector<PayerRequest>& payers) {
  struct Owned {
    int first, last;
    const std::string* payer;
  };
  std::vector<Owned> ranges;
  for (const PayerRequest& payer : payers) {
    for (auto [first, last] : payer.pages) ranges.push_back({first, last, &payer.payer});
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const Owned& a, const Owned& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first <= ranges[i - 1].last) {
      const Owned& a = ranges[i - 1];
      const Owned& b = ranges[i];
      std::string who = *a.payer == *b.payer ? "pages of " + *a.payer + " overlap"
                                             : "pages of " + *a.payer + " and " + *b.payer +
                                                   " overlap";
      return who + " (page " + std::to_string(b.first) + ")";
    }
  }
  return std::nullopt;
}

std::string format_range(std::pair<int, int> range, std::string_view dash) {
  if (range.first == range.second) return std::to_string(range.first);
  if (range.second == INT_MAX) return std::to_string(range.first) + std::string(dash);
  return std::to_string(range.first) + std::string(dash) + std::to_string(range.second);
}

std::string_view sides_word(Sides sides) {
  switch (sides) {
    case Sides::kOneSided: return "one-sided";
    case Sides::kTwoSidedLongEdge: return "two-sided-long-edge";
    case Sides::kTwoSidedShortEdge: return "two-sided-short-edge";
  }
  return "one-sided";
}

// True when every share is a percentage with at most 4 decimals (its denominator divides 10^6).
bool all_percentages(const std::vector<PayerRequest>& payers) {
  return std::all_of(payers.begin(), payers.end(), [](const PayerRequest& payer) {
    return 1'000'000 % payer.ratio.denominator == 0;
  });
}

std::string format_share(const Fraction& share, bool percent) {
  if (!percent) return std::to_string(share.numerator) + "/" + std::to_string(share.denominator);
  std::string text = describe_sum(share, true);
  text.pop_back();  // the '%'
  return text;
}

// "A3" for iso_a3_297x420mm: the PPD name when libcups knows one, else the PWG name.
std::string media_for_people(const std::string& pwg) {
  pwg_media_t* media = pwgMediaForPWG(pwg.c_str());
  return media && media->ppd ? std::string(media->ppd) : pwg;
}

std::string method_text(const MethodChoice& choice, std::string_view separator, bool for_people) {
  std::vector<std::string> words;
  if (choice.monochrome) words.push_back(*choice.monochrome ? "mono" : "color");
  if (choice.media) words.push_back(for_people ? media_for_people(*choice.media) : *choice.media);
  if (choice.sides) words.emplace_back(sides_word(*choice.sides));
  if (choice.media_type) words.push_back((for_people ? "" : "type=") + *choice.media_type);
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : std::string(separator)) + word;
  return text;
}

}  // namespace

std::string_view split_mode_name(SplitMode mode) {
  switch (mode) {
    case SplitMode::kRatio: return "ratio";
    case SplitMode::kCopies: return "copies";
    case SplitMode::kPages: return "pages";
    case SplitMode::kMethod: return "method";
  }
  return "ratio";
}

std::optional<SplitMode> parse_split_mode(std::string_view name) {
  for (SplitMode mode : {SplitMode::kRatio, SplitMode::kCopies, SplitMode::kPages, SplitMode::kMethod}) {
    if (split_mode_name(mode) == name) return mode;
  }
  return std::nullopt;
}

std::string_view on_decline_name(OnDecline rule) {
  return rule == OnDecline::kCancel ? "cancel" : "owner-covers";
}

std::optional<OnDecline> parse_on_decline(std::string_view name) {
  if (name == "owner-covers") return OnDecline::kOwnerCovers;
  if (name == "cancel") return OnDecline::kCancel;
  return std::nullopt;
}

Status validate_split_user(std::string_view user) {
  if (user.empty()) return invalid("a user name is empty");
  if (user.size() > 64) return invalid("user name " + quoted(user.substr(0, 16)) + "... is longer than 64 characters");
  if (user.front() == '.' || user.front() == '-')
    return invalid("user name " + quoted(user) + " starts with '" + user.front() + "'");
  for (char c : user) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' ||
              c == '_' || c == '-' || c == '@';
    if (!ok) {
      return invalid("user name " + quoted(user) +
                     " has a character other than letters, digits, '.', '_', '-', '@'");
    }
  }
  return Status::ok();
}

Result<SplitRequest> parse_split_request(std::string_view text) {
  if (text.empty()) return invalid("empty (e.g. ratio:alice=50,bob=50)");
  if (text.size() > kMaxSplitRequestBytes) {
    return invalid("longer than " + std::to_string(kMaxSplitRequestBytes) +
                   " characters (an IPP name value)");
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == '{' || c == '}') {
      std::string shown = c == ' '                 ? std::string("a space")
                          : c > 0x20 && c < 0x7f ? std::string("'") + static_cast<char>(c) + "'"
                                                 : "byte " + std::to_string(c);
      return invalid(shown + " at position " + std::to_string(i + 1) +
                     " is not allowed (printable ASCII without spaces, quotes, backslashes "
                     "or braces)");
    }
  }

  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos)
    return invalid("no mode: write ratio:, copies:, pages: or method: first");
  std::optional<SplitMode> mode = parse_split_mode(text.substr(0, colon));
  if (!mode) {
    return invalid("unknown mode " + quoted(text.substr(0, colon)) +
                   " (ratio, copies, pages or method)");
  }
  SplitRequest request;
  request.mode = *mode;

  std::vector<std::string_view> sections = split(text.substr(colon + 1), ';');
  std::vector<std::string_view> entries = split(sections.front(), ',');
  if (entries.size() > kMaxSplitPayers)
    return invalid("more than " + std::to_string(kMaxSplitPayers) + " payers");

  std::vector<std::string> values;
  for (std::string_view entry : entries) {
    if (entry.empty()) return invalid("an empty payer entry (two commas, or a comma at the end)");
    std::size_t equals = entry.find('=');
    if (equals == std::string_view::npos)
      return invalid("payer entry " + quoted(entry) + " has no '=' (alice=50)");
    std::string_view payer = entry.substr(0, equals);
    std::string_view value = entry.substr(equals + 1);
    if (Status status = validate_split_user(payer); !status.is_ok()) return status;
    for (const PayerRequest& earlier : request.payers) {
      if (earlier.payer == payer) return invalid(std::string(payer) + " is named twice");
    }
    if (value.empty()) return invalid(std::string(payer) + " has an empty share");
    PayerRequest added;
    added.payer = std::string(payer);
    request.payers.push_back(std::move(added));
    values.emplace_back(value);
  }

  Status status;
  switch (request.mode) {
    case SplitMode::kRatio: status = parse_ratio(request.payers, values); break;
    case SplitMode::kCopies:
    case SplitMode::kPages:
    case SplitMode::kMethod:
      for (std::size_t i = 0; i < values.size() && status.is_ok(); ++i) {
        PayerRequest& payer = request.payers[i];
        status = request.mode == SplitMode::kCopies ? parse_copies(payer, values[i])
                 : request.mode == SplitMode::kPages ? parse_pages(payer, values[i])
                                                     : parse_method(payer, values[i]);
      }
      break;
  }
  if (!status.is_ok()) return status;
  if (request.mode == SplitMode::kPages) {
    if (std::optional<std::string> overlap = first_overlap(request.payers)) return invalid(*overlap);
  }

  for (std::size_t i = 1; i < sections.size(); ++i) {
    if (Status setting = parse_setting(request, sections[i]); !setting.is_ok()) return setting;
  }
  return request;
}

std::string format_split_request(const SplitRequest& request) {
  std::string text(split_mode_name(request.mode));
  text += ":";
  bool percent = all_percentages(request.payers);
  for (std::size_t i = 0; i < request.payers.size(); ++i) {
    const PayerRequest& payer = request.payers[i];
    text += (i == 0 ? "" : ",") + payer.payer + "=";
    switch (request.mode) {
      case SplitMode::kRatio: text += format_share(payer.ratio, percent); break;
      case SplitMode::kCopies: text += std::to_string(payer.copies); break;
      case SplitMode::kPages:
        for (std::size_t r = 0; r < payer.pages.size(); ++r)
          text += (r == 0 ? "" : "+") + format_range(payer.pages[r], "-");
        break;
      case SplitMode::kMethod: text += method_text(payer.method, "+", false); break;
    }
  }
  if (request.deadline) {
    std::int64_t seconds = request.deadline->count();
    if (seconds % 86400 == 0) text += ";deadline=" + std::to_string(seconds / 86400) + "d";
    else if (seconds % 3600 == 0) text += ";deadline=" + std::to_string(seconds / 3600) + "h";
    else text += ";deadline=" + std::to_string(seconds / 60) + "m";
  }
  if (request.on_decline) text += ";on-decline=" + std::string(on_decline_name(*request.on_decline));
  return text;
}

Status validate_split_pages(const SplitRequest& request, int page_count) {
  if (request.mode != SplitMode::kPages) return Status::ok();
  for (const PayerRequest& payer : request.payers) {
    for (auto [first, last] : payer.pages) {
      if (first > page_count || (last != INT_MAX && last > page_count)) {
        return invalid("pages of " + payer.payer + ": " + format_range({first, last}, "-") +
                       " is beyond the document's " + std::to_string(page_count) +
                       (page_count == 1 ? " page" : " pages"));
      }
    }
  }
  return Status::ok();
}

std::string describe_payer_request(SplitMode mode, const PayerRequest& payer) {
  switch (mode) {
    case SplitMode::kRatio: {
      bool percent = 1'000'000 % payer.ratio.denominator == 0;
      return percent ? describe_sum(payer.ratio, true) : format_share(payer.ratio, false);
    }
    case SplitMode::kCopies:
      return std::to_string(payer.copies) + (payer.copies == 1 ? " copy" : " copies");
    case SplitMode::kPages: {
      bool one = payer.pages.size() == 1 && payer.pages[0].first == payer.pages[0].second;
      std::string text = one ? "page " : "pages ";
      for (std::size_t r = 0; r < payer.pages.size(); ++r)
        text += (r == 0 ? "" : ", ") + format_range(payer.pages[r], "-");
      return text;
    }
    case SplitMode::kMethod: {
      std::string text = method_text(payer.method, ", ", true);
      return text.empty() ? "the job's options" : text;
    }
  }
  return "";
}

}  // namespace pp
