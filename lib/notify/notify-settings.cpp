// notify-settings.cpp: the notification keys of pullprint.conf, read once for every door (see
// notify.h), so that pullprintd, the CLI and the backend agree on them.
#include <charconv>

#include "charging/money-input.h"
#include "config/duration.h"
#include "notify/notify.h"
#include "pricing/pricing.h"

namespace pp {

Result<NotifySettings> notify_settings_from_config(const Config& config) {
  NotifySettings settings;
  settings.command = config.get_string("notify-command", "");
  settings.domain = config.get_string("notify-domain", "");
  Result<std::int64_t> attempts = config.get_int("notify-attempts", 5);
  if (!attempts || *attempts < 1 || *attempts > 100)
    return Status(Code::kInvalidArgument, "config key notify-attempts: expected 1..100");
  settings.max_attempts = static_cast<int>(*attempts);
  const std::string lead = config.get_string("expiry-warning", "2h");
  std::optional<std::chrono::seconds> lead_seconds = parse_duration(lead);
  if (!lead_seconds)
    return Status(Code::kInvalidArgument,
                  "config key expiry-warning: expected seconds or 30m, 2h, 1d (0 = off)");
  settings.expiry_warning = *lead_seconds;
  Result<PriceProfile> profile = price_profile_from_config(config, "default");
  settings.currency = profile ? profile->currency : "EUR";
  const std::string threshold = config.get_string("low-balance-warning", "");
  if (!threshold.empty()) {
    Result<std::int64_t> minor = parse_money(threshold, settings.currency);
    if (!minor)
      return Status(Code::kInvalidArgument,
                    "config key low-balance-warning: " + minor.status().message());
    settings.low_balance_warning = *minor;
  }
  return settings;
}

}  // namespace pp
