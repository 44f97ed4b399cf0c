// rights-config.cpp: reading the rights keys (rights.h) from the config, strictly: a mistyped
// list, number or fallback is an error, never "everybody may".
#include "rights/rights.h"

namespace pp {

namespace {

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

Result<ColorFallback> read_fallback(const Config& config, const std::string& key,
                                    ColorFallback fallback) {
  const std::optional<std::string> text = config.get(key);
  if (!text) return fallback;
  if (*text == "refuse") return ColorFallback::kRefuse;
  if (*text == "mono") return ColorFallback::kMono;
  return invalid("config key " + key + ": expected refuse or mono, got \"" + *text + "\"");
}

// A list key, "*" when unset.
Result<UserSet> read_users(const Config& config, const std::string& key) {
  return UserSet::parse(config.get_string(key, "*"), key);
}

Result<PrinterRights> read_printer_rights(const Config& config, const std::string& name,
                                          ColorFallback site_fallback) {
  const std::string prefix = "printer." + name + ".";
  PrinterRights rights;
  Result<UserSet> allowed = read_users(config, prefix + "allowed-users");
  if (!allowed) return allowed.status();
  rights.allowed_users = std::move(*allowed);
  Result<UserSet> color = read_users(config, prefix + "color-users");
  if (!color) return color.status();
  rights.color_users = std::move(*color);
  Result<std::int64_t> max_pages = config.get_int(prefix + "max-pages", 0);
  if (!max_pages) return max_pages.status();
  if (*max_pages < 0) return invalid("config key " + prefix + "max-pages: must not be negative");
  rights.max_pages = *max_pages;
  Result<ColorFallback> fallback = read_fallback(config, prefix + "color-fallback", site_fallback);
  if (!fallback) return fallback.status();
  rights.color_fallback = *fallback;
  return rights;
}

}  // namespace

const PrinterRights& SiteRights::printer(std::string_view name) const {
  static const PrinterRights kOpen = [] {
    PrinterRights open;
    open.allowed_users = *UserSet::parse("*", "allowed-users");
    open.color_users = *UserSet::parse("*", "color-users");
    return open;
  }();
  auto found = printers.find(name);
  return found == printers.end() ? kOpen : found->second;
}

Result<SiteRights> rights_from_config(const Config& config) {
  SiteRights rights;
  Result<UserSet> submit = read_users(config, "allowed-users");
  if (!submit) return submit.status();
  rights.submit_users = std::move(*submit);
  Result<ColorFallback> fallback = read_fallback(config, "color-fallback", ColorFallback::kRefuse);
  if (!fallback) return fallback.status();
  rights.color_fallback = *fallback;
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  for (const ReleasePrinter& printer : *printers) {
    Result<PrinterRights> own = read_printer_rights(config, printer.name, rights.color_fallback);
    if (!own) return own.status();
    rights.printers.emplace(printer.name, std::move(*own));
  }
  return rights;
}

}  // namespace pp
