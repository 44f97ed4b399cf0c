// printer-config.cpp: release_printers_from_config and find_release_printer.
//
// Like price sections, printer sections are strict: an unknown key ("device_uri") or a
// price-profile naming a section that does not exist would otherwise fall back silently, and
// jobs would go to the wrong device or at the wrong price.
#include <set>

#include "config/config-text.h"
#include "printers/device-uri.h"
#include "printers/printers.h"

namespace pp {

namespace {

constexpr std::string_view kPrefix = "printer.";

const std::set<std::string, std::less<>>& known_keys() {
  // The rights keys are read by rights/ (rights.h), the release-token keys by
  // release/release-token.h.
  static const std::set<std::string, std::less<>> keys = {"location",
                                                          "price-profile",
                                                          "device-uri",
                                                          "cups-queue",
                                                          "enabled",
                                                          "allowed-users",
                                                          "color-users",
                                                          "max-pages",
                                                          "color-fallback",
                                                          "release-token",
                                                          "release-token-interval"};
  return keys;
}

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// The printer names of all printer.NAME.KEY keys; a key outside a named section is an error.
Result<std::set<std::string>> printer_names(const Config& config) {
  std::set<std::string> names;
  for (const std::string& key : config.keys_with_prefix(kPrefix)) {
    std::size_t dot = key.find('.', kPrefix.size());
    if (dot == std::string::npos) {
      return invalid("config key " + key + " is outside a [printer NAME] section");
    }
    std::string name = key.substr(kPrefix.size(), dot - kPrefix.size());
    if (!is_valid_section_name(name)) {
      return invalid("config key " + key + ": bad printer name \"" + name + "\"");
    }
    names.insert(std::move(name));
  }
  return names;
}

Status check_known_keys(const Config& config, const std::string& prefix) {
  for (const std::string& key : config.keys_with_prefix(prefix)) {
    if (known_keys().count(std::string_view(key).substr(prefix.size()))) continue;
    return invalid("unknown printer key " + key +
                   " (known: location, price-profile, device-uri, cups-queue, enabled,"
                   " allowed-users, color-users, max-pages, color-fallback, release-token,"
                   " release-token-interval)");
  }
  return Status::ok();
}

// A CUPS queue name as cupsd accepts it: printable, no space, '/', '\\', '?', quotes or '#'.
bool is_valid_queue_name(std::string_view name) {
  if (name.empty() || name.size() > 127) return false;
  for (unsigned char c : name) {
    if (c <= ' ' || c == 127 || c == '/' || c == '\\' || c == '?' || c == '\'' || c == '"' ||
        c == '#')
      return false;
  }
  return true;
}

// device-uri or cups-queue, exactly one of them, checked.
Status read_device(const Config& config, const std::string& prefix, ReleasePrinter& printer) {
  printer.device_uri = config.get_string(prefix + "device-uri", "");
  printer.cups_queue = config.get_string(prefix + "cups-queue", "");
  if (printer.device_uri.empty() == printer.cups_queue.empty()) {
    return invalid("[printer " + printer.name + "] needs exactly one of device-uri and cups-queue");
  }
  if (!printer.cups_queue.empty()) {
    if (is_valid_queue_name(printer.cups_queue)) return Status::ok();
    return invalid("config key " + prefix + "cups-queue: bad CUPS queue name \"" +
                   printer.cups_queue + "\"");
  }
  Result<DeviceUri> uri = parse_device_uri(printer.device_uri);
  if (!uri)
    return Status(uri.status().code(),
                  "config key " + prefix + "device-uri: " + uri.status().message());
  return Status::ok();
}

// price-profile, else the printer's own [price NAME] when there is one, else "default"; the
// profile must exist and be valid.
Status read_profile(const Config& config, const std::string& prefix, ReleasePrinter& printer) {
  auto has_section = [&](const std::string& name) {
    return !config.keys_with_prefix("price." + name + ".").empty();
  };
  std::optional<std::string> named = config.get(prefix + "price-profile");
  if (named) {
    if (*named != "default" && !has_section(*named)) {
      return invalid("config key " + prefix + "price-profile: no [price " + *named + "] section");
    }
    printer.profile = *named;
  } else {
    printer.profile = has_section(printer.name) ? printer.name : "default";
  }
  return price_profile_from_config(config, printer.profile).status();
}

Result<ReleasePrinter> read_printer(const Config& config, const std::string& name) {
  std::string prefix = std::string(kPrefix) + name + ".";
  if (Status status = check_known_keys(config, prefix); !status.is_ok()) return status;
  ReleasePrinter printer;
  printer.name = name;
  printer.location = config.get_string(prefix + "location", "");
  if (Status status = read_device(config, prefix, printer); !status.is_ok()) return status;
  if (Status status = read_profile(config, prefix, printer); !status.is_ok()) return status;
  Result<bool> enabled = config.get_bool(prefix + "enabled", true);
  if (!enabled) return enabled.status();
  printer.enabled = *enabled;
  return printer;
}

}  // namespace

Result<std::vector<ReleasePrinter>> release_printers_from_config(const Config& config) {
  Result<std::set<std::string>> names = printer_names(config);
  if (!names) return names.status();
  std::vector<ReleasePrinter> printers;
  for (const std::string& name : *names) {
    Result<ReleasePrinter> printer = read_printer(config, name);
    if (!printer) return printer.status();
    printers.push_back(std::move(*printer));
  }
  return printers;
}

Result<ReleasePrinter> find_release_printer(const Config& config, std::string_view name) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  for (ReleasePrinter& printer : *printers) {
    if (printer.name == name) return std::move(printer);
  }
  return Result<ReleasePrinter>(Code::kNotFound,
                                "no release printer \"" + std::string(name) + "\" in the config");
}

}  // namespace pp
