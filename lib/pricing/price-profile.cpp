// price-profile.cpp: price_profile_from_config and check_price_profiles.
//
// A printer's profile is its [price NAME] section, each key falling back to [price default] and
// then to zero. Every key in those sections must be known and well-formed: a typo such as
// "colour-impression" silently falling back to 0 would make colour printing free.
#include <set>

#include "pricing/media-alias.h"
#include "pricing/pricing.h"

namespace pp {

namespace {

constexpr std::int64_t kMaxAmount = 1'000'000'000;  // minor units; far above any real price
constexpr std::int64_t kMaxMediaPercent = 10'000;   // 100 times the base price
constexpr const char* kMediaPercent = "media-percent.";

const std::set<std::string, std::less<>>& known_keys() {
  static const std::set<std::string, std::less<>> keys = {
      "currency", "mono-impression",         "color-impression",
      "sheet",    "duplex-discount-percent", "minimum"};
  return keys;
}

std::string section_prefix(std::string_view name) {
  return "price." + std::string(name) + ".";
}

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// Reads key from the printer's section, else from [price default], else fallback; within bounds.
Result<std::int64_t> read_number(const Config& config, const std::vector<std::string>& prefixes,
                                 std::string_view key, std::int64_t low, std::int64_t high) {
  for (const std::string& prefix : prefixes) {
    std::string full = prefix + std::string(key);
    if (!config.get(full)) continue;
    auto value = config.get_int(full, 0);
    if (!value.ok()) return value;
    if (*value < low || *value > high) {
      return invalid("config key " + full + ": " + std::to_string(*value) + " is outside " +
                     std::to_string(low) + ".." + std::to_string(high));
    }
    return value;
  }
  return std::int64_t{0};
}

Result<std::string> read_currency(const Config& config, const std::vector<std::string>& prefixes) {
  std::string key = "currency";
  for (const std::string& prefix : prefixes) {
    if (config.get(prefix + "currency")) {
      key = prefix + "currency";
      break;
    }
  }
  std::string code = config.get_string(key, "EUR");
  bool ok = code.size() == 3;
  for (char c : code) ok = ok && c >= 'A' && c <= 'Z';
  if (!ok) return invalid("config key " + key + ": \"" + code + "\" is not an ISO 4217 code");
  return code;
}

// Adds the media-percent.* keys of one section, so a later (more specific) section overrides.
Status read_media_percent(const Config& config, const std::string& prefix,
                          std::map<std::string, std::int64_t>& media_percent) {
  std::set<std::string> seen;
  for (const std::string& key : config.keys_with_prefix(prefix + kMediaPercent)) {
    std::string alias = key.substr(prefix.size() + std::string_view(kMediaPercent).size());
    std::optional<std::string> media = pwg_media_name(alias);
    if (!media) return invalid("config key " + key + ": unknown media \"" + alias + "\"");
    if (!seen.insert(*media).second) return invalid("config key " + key + ": media set twice");
    auto value = read_number(config, {prefix}, key.substr(prefix.size()), 0, kMaxMediaPercent);
    if (!value.ok()) return value.status();
    media_percent[*media] = *value;
  }
  return Status::ok();
}

// Every key of a section must be known: the typo guard.
Status check_known_keys(const Config& config, const std::string& prefix) {
  for (const std::string& key : config.keys_with_prefix(prefix)) {
    std::string_view rest = std::string_view(key).substr(prefix.size());
    if (known_keys().count(rest) || rest.starts_with(kMediaPercent)) continue;
    return invalid(
        "unknown price key " + key +
        " (known: currency, mono-impression, "
        "color-impression, sheet, duplex-discount-percent, minimum, media-percent.MEDIA)");
  }
  return Status::ok();
}

Status read_amounts(const Config& config, const std::vector<std::string>& prefixes,
                    PriceProfile& profile) {
  struct Field {
    const char* key;
    std::int64_t* value;
    std::int64_t high;
  };
  for (Field field : {Field{"mono-impression", &profile.mono_impression, kMaxAmount},
                      Field{"color-impression", &profile.color_impression, kMaxAmount},
                      Field{"sheet", &profile.sheet, kMaxAmount},
                      Field{"duplex-discount-percent", &profile.duplex_discount_percent, 100},
                      Field{"minimum", &profile.minimum, kMaxAmount}}) {
    auto value = read_number(config, prefixes, field.key, 0, field.high);
    if (!value.ok()) return value.status();
    *field.value = *value;
  }
  return Status::ok();
}

}  // namespace

Result<PriceProfile> price_profile_from_config(const Config& config, std::string_view printer) {
  std::string default_prefix = section_prefix("default");
  std::vector<std::string> prefixes = {default_prefix};
  PriceProfile profile;
  if (!printer.empty() && printer != "default" &&
      !config.keys_with_prefix(section_prefix(printer)).empty()) {
    prefixes.insert(prefixes.begin(), section_prefix(printer));
    profile.name = std::string(printer);
  }
  for (const std::string& prefix : prefixes) {
    if (Status status = check_known_keys(config, prefix); !status.is_ok()) return status;
  }
  if (Status status = read_amounts(config, prefixes, profile); !status.is_ok()) return status;
  auto currency = read_currency(config, prefixes);
  if (!currency.ok()) return currency.status();
  profile.currency = *currency;
  // Default first, then the printer's own section overrides media by media.
  for (auto prefix = prefixes.rbegin(); prefix != prefixes.rend(); ++prefix) {
    Status status = read_media_percent(config, *prefix, profile.media_percent);
    if (!status.is_ok()) return status;
  }
  return profile;
}

Status check_price_profiles(const Config& config) {
  std::set<std::string> names;
  for (const std::string& key : config.keys_with_prefix("price.")) {
    std::size_t dot = key.find('.', 6);
    if (dot == std::string::npos) {
      return invalid("config key " + key + " is outside a [price NAME] section");
    }
    names.insert(key.substr(6, dot - 6));
  }
  names.insert("default");
  for (const std::string& name : names) {
    auto profile = price_profile_from_config(config, name);
    if (!profile.ok()) return profile.status();
  }
  return Status::ok();
}

}  // namespace pp
