// allocation-key.cpp: building and reading "allocation/NAME/PERIOD/ACCOUNT" keys.
#include "allocations/allocation-key.h"

namespace pp {

namespace {
constexpr std::string_view kGrantTag = "allocation/";
constexpr std::string_view kExpiryTag = "allocation-expiry/";
}  // namespace

std::string AllocationKey::prefix(AllocationStep step, std::string_view allocation) {
  return std::string(step == AllocationStep::kGrant ? kGrantTag : kExpiryTag) +
         std::string(allocation) + "/";
}

std::string AllocationKey::key() const {
  return prefix(step, allocation) + period + "/" + account;
}

std::optional<AllocationKey> AllocationKey::parse(std::string_view key) {
  AllocationKey parsed;
  if (key.starts_with(kGrantTag)) {
    key.remove_prefix(kGrantTag.size());
  } else if (key.starts_with(kExpiryTag)) {
    parsed.step = AllocationStep::kExpiry;
    key.remove_prefix(kExpiryTag.size());
  } else {
    return std::nullopt;
  }
  std::size_t name_end = key.find('/');
  if (name_end == std::string_view::npos || name_end == 0) return std::nullopt;
  std::size_t period_end = key.find('/', name_end + 1);
  if (period_end == std::string_view::npos || period_end == name_end + 1 ||
      period_end + 1 >= key.size()) {
    return std::nullopt;
  }
  parsed.allocation = key.substr(0, name_end);
  parsed.period = key.substr(name_end + 1, period_end - name_end - 1);
  parsed.account = key.substr(period_end + 1);
  return parsed;
}

}  // namespace pp
