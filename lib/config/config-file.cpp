// config-file.cpp: reading the configuration file and applying -o overrides (load, load_config).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/config.h"

namespace pp {

namespace {

// Reads a whole file; kNotFound when it does not exist, kIoError for other failures.
Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    Code code = error == ENOENT ? Code::kNotFound : Code::kIoError;
    return Status(code, "cannot read config file " + path + ": " + std::strerror(error));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(Code::kIoError, "error reading config file " + path);
  return text.str();
}

}  // namespace

Result<Config> Config::load(const std::string& path, bool missing_ok) {
  Result<std::string> text = read_text(path);
  if (!text.ok()) {
    if (missing_ok && text.status().code() == Code::kNotFound) return Config();
    return text.status();
  }
  return parse(text.value(), path);
}

Result<Config> load_config(const std::optional<std::string>& path,
                           const std::vector<std::string>& overrides) {
  // Only the default path may be missing: a path the user typed must exist.
  Result<Config> config =
      path ? Config::load(*path, false) : Config::load(kDefaultConfigPath, true);
  if (!config.ok()) return config;
  Status status = config->apply_overrides(overrides);
  if (!status.is_ok()) return status;
  return config;
}

}  // namespace pp
