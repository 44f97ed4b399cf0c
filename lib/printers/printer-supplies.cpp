// printer-supplies.cpp: both IPP forms of a printer's supplies, and the low-supply rule.
#include "printers/printer-supplies.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>

namespace pp {
namespace {

// "key=value;key=value;" as a map (the last of a repeated key wins).
std::map<std::string, std::string> pwg_pairs(std::string_view value) {
  std::map<std::string, std::string> pairs;
  while (!value.empty()) {
    const std::size_t end = value.find(';');
    const std::string_view pair = value.substr(0, end);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos)
      pairs[std::string(pair.substr(0, equals))] = std::string(pair.substr(equals + 1));
    if (end == std::string_view::npos) break;
    value.remove_prefix(end + 1);
  }
  return pairs;
}

std::optional<std::int64_t> number(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// "wasteToner" -> "waste-toner" (the keyword spelling of marker-types).
std::string keyword_of(std::string_view camel) {
  std::string keyword;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      keyword += '-';
      keyword += static_cast<char>(c - 'A' + 'a');
    } else {
      keyword += c;
    }
  }
  return keyword;
}

int low_level_of(const PrinterSupply& supply) {
  return supply.low_level >= 0 ? supply.low_level : kDefaultSupplyLowLevel;
}

}  // namespace

std::vector<PrinterSupply> supplies_from_markers(const std::vector<std::string>& names,
                                                 const std::vector<int>& levels,
                                                 const std::vector<std::string>& colors,
                                                 const std::vector<std::string>& types,
                                                 const std::vector<int>& low_levels) {
  std::vector<PrinterSupply> supplies;
  const std::size_t count = std::max(names.size(), levels.size());
  for (std::size_t i = 0; i < count; ++i) {
    PrinterSupply supply;
    if (i < names.size()) supply.name = names[i];
    if (i < levels.size()) supply.level = levels[i];
    if (i < colors.size()) supply.color = colors[i];
    if (i < types.size()) supply.type = types[i];
    if (i < low_levels.size()) supply.low_level = low_levels[i];
    supply.is_receptacle = supply.type.starts_with("waste-");
    if (supply.name.empty())
      supply.name = supply.type.empty() ? "supply " + std::to_string(i + 1) : supply.type;
    supplies.push_back(std::move(supply));
  }
  return supplies;
}

std::optional<PrinterSupply> supply_from_pwg(std::string_view value, std::string_view description) {
  const std::map<std::string, std::string> pairs = pwg_pairs(value);
  auto get = [&pairs](const char* key) {
    auto it = pairs.find(key);
    return it == pairs.end() ? std::string() : it->second;
  };
  const std::optional<std::int64_t> level = number(get("level"));
  if (!level) return std::nullopt;
  PrinterSupply supply;
  supply.type = keyword_of(get("type"));
  supply.name = description.empty() ? supply.type : std::string(description);
  const std::string colorant = get("colorantname");
  supply.color = colorant == "unknown" ? "" : colorant;
  supply.is_receptacle = get("class") == "receptacleThatIsFilled";
  const std::optional<std::int64_t> capacity = number(get("maxcapacity"));
  if (*level < 0) {
    supply.level = static_cast<int>(std::max<std::int64_t>(*level, -3));
  } else if (get("unit") == "percent" || !capacity || *capacity <= 0) {
    supply.level = static_cast<int>(std::min<std::int64_t>(*level, 100));
  } else {
    supply.level = static_cast<int>(std::min<std::int64_t>(*level * 100 / *capacity, 100));
  }
  return supply;
}

bool supply_is_low(const PrinterSupply& supply) {
  if (supply.level < 0) return false;
  return supply.is_receptacle ? supply.level >= 100 - low_level_of(supply)
                              : supply.level <= low_level_of(supply);
}

bool supply_is_empty(const PrinterSupply& supply) {
  if (supply.level < 0) return false;
  return supply.is_receptacle ? supply.level >= 100 : supply.level == 0;
}

}  // namespace pp
