// duration.h: how pullprint.conf writes a length of time ("90", "30m", "2h", "1d", "2w").
//
// One syntax for every key that takes one (expiry-warning, release-token-interval, ...), so a
// site writes durations the same way everywhere and reads one error message for them.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace pp {

// A count with an optional unit: s (the default), m, h, d or w; 0 to 366 days. nullopt for
// anything else (empty, a sign, another unit, too long).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace pp
