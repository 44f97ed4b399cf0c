// utc-time.h: the one place that writes and reads pullprint's timestamps.
//
// Every store, log and door shows times as ISO 8601 UTC strings, which sort by time as text. Two
// forms are in use and both are part of stored data: whole seconds ("2024-05-01T12:34:56Z", the
// held-job and split stores, the CLI, the card lockout message) and milliseconds
// ("2024-05-01T12:34:56.789Z", the ledger's and the delivery log's rows). Keeping them here means
// a second format cannot creep in beside them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

// ISO 8601 UTC with whole seconds ("2024-05-01T12:34:56Z"); such strings sort by time.
std::string iso_utc(std::chrono::system_clock::time_point time);

// The same for a count of seconds since the Unix epoch (a stored lock time, an IPP dateTime).
std::string iso_utc_from_unix(std::int64_t unix_seconds);

// The current time, ISO 8601 UTC with milliseconds ("2024-05-01T12:34:56.789Z").
std::string now_utc();

// Reads the whole-seconds form ("2024-05-01T12:34:56Z"); nullopt when `text` does not start with
// it. Characters after the "Z" are not checked.
std::optional<std::chrono::system_clock::time_point> parse_iso_utc(std::string_view text);

}  // namespace pp
