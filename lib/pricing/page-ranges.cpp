// page-ranges.cpp: parsing and applying the page-ranges option.
#include "pricing/page-ranges.h"

#include <charconv>
#include <limits>
#include <optional>
#include <string>

namespace pp {

namespace {

constexpr int kOpenEnd = std::numeric_limits<int>::max();

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A page number >= 1 made of digits only; `empty_value` when the text is empty (open end).
std::optional<int> page_number(std::string_view text, std::optional<int> empty_value) {
  text = trim_spaces(text);
  if (text.empty()) return empty_value;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) return kOpenEnd;  // beyond any document
  if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

Status bad_range(std::string_view text, std::string_view element) {
  return Status(Code::kInvalidArgument, "page-ranges \"" + std::string(text) + "\": bad range \"" +
                                            std::string(element) + "\"");
}

}  // namespace

Result<std::vector<std::pair<int, int>>> parse_page_ranges(std::string_view text) {
  std::vector<std::pair<int, int>> ranges;
  std::string_view rest = text;
  while (true) {
    std::size_t comma = rest.find(',');
    std::string_view element = trim_spaces(rest.substr(0, comma));
    std::size_t dash = element.find('-');
    std::optional<int> first, last;
    if (dash == std::string_view::npos) {
      first = last = page_number(element, std::nullopt);
    } else if (element.size() > 1) {  // "-" alone selects nothing sensible
      first = page_number(element.substr(0, dash), 1);
      last = page_number(element.substr(dash + 1), kOpenEnd);
    }
    if (!first || !last || *first > *last) return bad_range(text, element);
    ranges.emplace_back(*first, *last);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return ranges;
}

bool page_selected(const std::vector<std::pair<int, int>>& ranges, int page) {
  if (ranges.empty()) return true;
  for (const auto& [first, last] : ranges) {
    if (page >= first && page <= last) return true;
  }
  return false;
}

}  // namespace pp
