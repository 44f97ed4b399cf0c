// money-format.cpp: format_money, minor units as "EUR 0.84" for people and logs.
#include <set>
#include <string>

#include "pricing/pricing.h"

namespace pp {

int currency_decimals(std::string_view currency) {
  static const std::set<std::string_view> zero = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                  "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                                  "VND", "VUV", "XAF", "XOF", "XPF"};
  static const std::set<std::string_view> three = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (zero.count(currency)) return 0;
  if (three.count(currency)) return 3;
  return 2;
}

std::string format_money(std::int64_t minor, std::string_view currency) {
  // Magnitude as unsigned so INT64_MIN formats correctly.
  std::uint64_t magnitude =
      minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  int decimals = currency_decimals(currency);
  std::uint64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  std::string digits = std::to_string(magnitude / unit);
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % unit);
    digits +=
        "." + std::string(static_cast<std::size_t>(decimals) - fraction.size(), '0') + fraction;
  }
  return std::string(currency) + (minor < 0 ? " -" : " ") + digits;
}

}  // namespace pp
