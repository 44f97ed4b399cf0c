// duration.cpp: durations in pullprint.conf (duration.h).
#include "config/duration.h"

#include <charconv>
#include <cstdint>

namespace pp {
namespace {

constexpr std::int64_t kMaxSeconds = 366 * 86400;

// Seconds per unit for the last character, or 0 when it is not a unit (a digit: seconds).
std::int64_t unit_of(char last) {
  switch (last) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 7 * 86400;
    default:
      return 0;
  }
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = unit_of(text.back());
  const std::string_view digits = unit == 0 ? text : text.substr(0, text.size() - 1);
  if (unit == 0) unit = 1;
  std::int64_t count = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || count < 0 ||
      count > kMaxSeconds / unit)
    return std::nullopt;
  return std::chrono::seconds(count * unit);
}

}  // namespace pp
