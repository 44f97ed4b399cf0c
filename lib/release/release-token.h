// release-token.h: the token of a printer's release sheet, so that a site can require that a
// release from a phone starts at the printer (the QR code on its sheet), not from an address
// typed elsewhere.
//
// Why: /pullprint/release?printer=NAME is easy to guess and to bookmark; a user releasing to a
// printer across the campus prints for whoever stands there. With
//
//   [printer Lab_A]
//   release-token = required        # none (default) | required
//   release-token-interval = 7d     # how often the token changes: Nm, Nh, Nd or Nw (default 1d)
//
// the sheet's URL carries &t=TOKEN, TOKEN = a short keyed hash (HMAC-SHA-512-256, libsodium's
// crypto_auth, cut to 72 bits, base64url) of the printer's name and the number of the current
// period (seconds since 1970 / interval) under the site's secret. The page accepts the current and
// the previous period's token, so a sheet printed just before the change works one more period;
// older sheets, and a token of another printer, are refused. The secret is 32 random bytes in
// STATE_DIR/release-token.key, created 0600 on first use, never logged or shown; deleting it
// invalidates every sheet (print them again).
//
// Time is a parameter (`at`) everywhere: the rules are tested with any clock, and the CLI has
// --at.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "util/status.h"

namespace pp {

// Whether a printer's release page asks for the sheet's token, and how often it changes.
struct ReleaseTokenPolicy {
  bool required = false;                     // release-token = required
  std::chrono::seconds interval{24 * 3600};  // release-token-interval
};

// "90m", "12h", "1d", "7d", "2w" as seconds: from 1 minute to 366 days; kInvalidArgument
// otherwise.
Result<std::chrono::seconds> parse_token_interval(std::string_view text);

// The policy of [printer NAME] (keys above); kInvalidArgument naming the key for a bad value (a
// typo must not quietly drop the token).
Result<ReleaseTokenPolicy> release_token_policy(const Config& config, std::string_view printer);

// Checks the release-token keys of every [printer NAME] (release_token_policy), so that a server
// refuses a bad one at start-up rather than on every page.
Status check_release_token_keys(const Config& config);

// The number of the period `at` falls in: whole intervals since 1970-01-01 UTC.
std::int64_t release_token_period(std::chrono::system_clock::time_point at,
                                  std::chrono::seconds interval);

// The site's secret key of the release tokens (kept in the state directory).
class ReleaseTokenSecret {
 public:
  static constexpr std::size_t kBytes = 32;
  static constexpr const char* kFileName = "release-token.key";

  // Reads STATE_DIR/release-token.key, creating it (0600, 32 random bytes, written whole before
  // it appears under its name) when it does not exist. kPermissionDenied when its group or others
  // may read it, kInvalidArgument when it is not 32 bytes, kIoError when it cannot be read or made.
  static Result<ReleaseTokenSecret> open(const std::string& state_dir);
  // A secret from given bytes (tests).
  static ReleaseTokenSecret from_bytes(const std::array<unsigned char, kBytes>& bytes);

  // The token of `printer` in period `period` (12 characters of [A-Za-z0-9_-]).
  std::string token(std::string_view printer, std::int64_t period) const;

 private:
  std::array<unsigned char, kBytes> key_{};
};

// The token a sheet printed at `at` carries (the current period's).
std::string current_release_token(const ReleaseTokenSecret& secret, std::string_view printer,
                                  const ReleaseTokenPolicy& policy,
                                  std::chrono::system_clock::time_point at);

// Whether `token` lets a user release to `printer` at `at`: ok when the policy does not require
// one, or when it is the current or the previous period's token of this printer;
// kPermissionDenied otherwise (no token, a wrong one, an older one, another printer's). The
// comparison takes the same time whatever the token.
Status check_release_token(const ReleaseTokenSecret& secret, std::string_view printer,
                           const ReleaseTokenPolicy& policy, std::string_view token,
                           std::chrono::system_clock::time_point at);

}  // namespace pp
