// money-input.cpp: exact parsing of typed amounts, random idempotency keys.
#include "charging/money-input.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "pricing/pricing.h"
#include "util/unique-file.h"

namespace pp {

Result<std::int64_t> parse_money(std::string_view text, std::string_view currency) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  int decimals = currency_decimals(currency);
  std::int64_t value = 0;
  int fraction_digits = -1;  // -1: no decimal point seen yet
  bool any_digit = false;
  for (char c : digits) {
    if (c == '.' && fraction_digits < 0) {
      fraction_digits = 0;
      continue;
    }
    if (c < '0' || c > '9')
      return Status(Code::kInvalidArgument, "not an amount: \"" + std::string(text) + "\"");
    if (fraction_digits >= 0 && ++fraction_digits > decimals)
      return Status(Code::kInvalidArgument, "too many decimals for " + std::string(currency) +
                                                ": \"" + std::string(text) + "\"");
    if (value > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
      return Status(Code::kInvalidArgument, "amount too large: \"" + std::string(text) + "\"");
    value = value * 10 + (c - '0');
    any_digit = true;
  }
  if (!any_digit) return Status(Code::kInvalidArgument, "not an amount: \"" + std::string(text) + "\"");
  for (int i = std::max(fraction_digits, 0); i < decimals; i++) {
    if (value > std::numeric_limits<std::int64_t>::max() / 10)
      return Status(Code::kInvalidArgument, "amount too large: \"" + std::string(text) + "\"");
    value *= 10;
  }
  return negative ? -value : value;
}

std::string random_key(std::string_view prefix) {
  unsigned char bytes[16] = {};
  if (UniqueFile random{std::fopen("/dev/urandom", "rb")}) {
    std::size_t got = std::fread(bytes, 1, sizeof(bytes), random.get());
    (void)got;
  }
  std::string key(prefix);
  key += ':';
  char hex[3];
  for (unsigned char byte : bytes) {
    std::snprintf(hex, sizeof(hex), "%02x", byte);
    key += hex;
  }
  return key;
}

}  // namespace pp
