// config.h: the pullprint configuration file (/etc/pullprint/pullprint.conf) and -o overrides.
//
// The file is "key = value" lines, '#' comments, and sections that prefix their keys:
//
//   state-dir = /var/lib/pullprint
//   [price default]          -> keys "price.default.*"
//   color-impression = 40
//
// so every key, also those in sections, can be overridden on a command line with
// -o price.default.color-impression=50. '#' also starts a trailing comment when whitespace
// precedes it; values are trimmed and may be "double quoted"; keys in the file are lowercase;
// setting a key twice in one file is an error (a typo must not silently change a price). All programs (pullprintd, pullprint, pullprint-cost,
// the backend and the PAM module) read the same file through this class.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace pp {

inline constexpr const char* kDefaultConfigPath = "/etc/pullprint/pullprint.conf";

class Config {
 public:
  // Parses configuration text; `origin` names it in error messages ("pullprint.conf:12: ...").
  static Result<Config> parse(std::string_view text, std::string_view origin = "config");

  // Loads a file. A missing file is an error unless missing_ok (used for the default path).
  static Result<Config> load(const std::string& path, bool missing_ok = false);

  // Applies "KEY=VALUE" overrides from -o options; fails on text without '='.
  Status apply_overrides(const std::vector<std::string>& overrides);

  void set(std::string key, std::string value);
  std::optional<std::string> get(std::string_view key) const;
  std::string get_string(std::string_view key, std::string_view fallback) const;
  // Integer and boolean readers fail with a message naming the key when the value is malformed.
  Result<std::int64_t> get_int(std::string_view key, std::int64_t fallback) const;
  Result<bool> get_bool(std::string_view key, bool fallback) const;

  // Keys starting with prefix, in sorted order.
  std::vector<std::string> keys_with_prefix(std::string_view prefix) const;

  const std::map<std::string, std::string, std::less<>>& entries() const { return entries_; }

  // The entries as configuration text that parse() reads back to the same entries: how
  // pullprintd hands its effective configuration (file plus -o overrides) to the programs it
  // runs.
  std::string to_text() const;

 private:
  std::map<std::string, std::string, std::less<>> entries_;
};

// Loads the file named by -c (or the default path, allowed to be missing) and applies -o overrides.
Result<Config> load_config(const std::optional<std::string>& path,
                           const std::vector<std::string>& overrides);

}  // namespace pp
