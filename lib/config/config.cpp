// config.cpp: the key/value store behind Config and its typed readers.

#include "config/config.h"
#include "config/config-text.h"

namespace pp {

void Config::set(std::string key, std::string value) {
  entries_.insert_or_assign(std::move(key), std::move(value));
}

std::optional<std::string> Config::get(std::string_view key) const {
  auto found = entries_.find(key);
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

std::string Config::get_string(std::string_view key, std::string_view fallback) const {
  auto found = entries_.find(key);
  return found == entries_.end() ? std::string(fallback) : found->second;
}

Result<std::int64_t> Config::get_int(std::string_view key, std::int64_t fallback) const {
  auto found = entries_.find(key);
  if (found == entries_.end()) return fallback;
  std::optional<std::int64_t> number = parse_int64(found->second);
  if (!number) {
    // Money is integer minor units: "0.05" must fail loudly rather than become 0.
    return Status(Code::kInvalidArgument, "config key " + std::string(key) + ": \"" +
                                              found->second + "\" is not an integer");
  }
  return *number;
}

Result<bool> Config::get_bool(std::string_view key, bool fallback) const {
  auto found = entries_.find(key);
  if (found == entries_.end()) return fallback;
  std::optional<bool> flag = parse_bool(found->second);
  if (!flag) {
    return Status(Code::kInvalidArgument,
                  "config key " + std::string(key) + ": \"" + found->second +
                      "\" is not a boolean (use yes/no, true/false, on/off or 1/0)");
  }
  return *flag;
}

std::vector<std::string> Config::keys_with_prefix(std::string_view prefix) const {
  std::vector<std::string> keys;
  for (auto it = entries_.lower_bound(prefix); it != entries_.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    keys.push_back(it->first);
  }
  return keys;
}

Status Config::apply_overrides(const std::vector<std::string>& overrides) {
  for (const std::string& text : overrides) {
    std::size_t equals = text.find('=');
    if (equals == std::string::npos) {
      return Status(Code::kInvalidArgument, "override \"" + text + "\" is not KEY=VALUE");
    }
    std::string key(trim(std::string_view(text).substr(0, equals)));
    if (!is_valid_override_key(key)) {
      return Status(Code::kInvalidArgument, "override \"" + text + "\" has no valid key");
    }
    set(std::move(key), std::string(trim(std::string_view(text).substr(equals + 1))));
  }
  return Status::ok();
}

}  // namespace pp
