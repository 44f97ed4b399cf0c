// utc-time.cpp: strftime/strptime on UTC (gmtime_r/timegm), never the local time zone.
#include "util/utc-time.h"

#include <cstdio>
#include <ctime>

namespace pp {

std::string iso_utc(std::chrono::system_clock::time_point time) {
  return iso_utc_from_unix(std::chrono::system_clock::to_time_t(time));
}

std::string iso_utc_from_unix(std::int64_t unix_seconds) {
  const std::time_t seconds = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string now_utc() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

std::optional<std::chrono::system_clock::time_point> parse_iso_utc(std::string_view text) {
  const std::string terminated(text);  // strptime needs a C string
  std::tm utc{};
  if (!strptime(terminated.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

}  // namespace pp
