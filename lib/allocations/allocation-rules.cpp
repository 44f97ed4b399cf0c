// allocation-rules.cpp: parsing and validating [allocation NAME] sections.
#include "allocations/allocation-rules.h"

#include <chrono>
#include <map>
#include <set>

namespace pp {

namespace {

constexpr std::string_view kPrefix = "allocation.";

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// Allocation names go into idempotency keys (allocation-key.h): [A-Za-z0-9._-] only.
bool is_valid_allocation_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string trimmed(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t from = 0;
  while (from <= text.size()) {
    std::size_t comma = text.find(',', from);
    std::string item =
        trimmed(text.substr(from, comma == std::string_view::npos ? text.npos : comma - from));
    if (!item.empty()) items.push_back(item);
    if (comma == std::string_view::npos) break;
    from = comma + 1;
  }
  return items;
}

const std::set<std::string, std::less<>>& known_keys() {
  static const std::set<std::string, std::less<>> keys = {"group",   "users",  "amount", "period",
                                                          "start",   "mode",   "cap",    "account",
                                                          "expires", "prorate"};
  return keys;
}

Result<AllocationRule> parse_rule(const Config& config, const std::string& name) {
  const std::string prefix = std::string(kPrefix) + name + ".";
  for (const std::string& key : config.keys_with_prefix(prefix)) {
    if (!known_keys().count(std::string_view(key).substr(prefix.size()))) {
      return invalid("unknown allocation key " + key +
                     " (known: group, users, amount, period, start, mode, cap, account, "
                     "expires, prorate)");
    }
  }
  AllocationRule rule;
  rule.name = name;
  rule.group = config.get_string(prefix + "group", "");
  if (rule.group.starts_with('@')) rule.group.erase(0, 1);
  for (std::string user : split_list(config.get_string(prefix + "users", ""))) {
    if (user.starts_with('@')) {
      return invalid(prefix + "users: name a group with the group key, not " + user);
    }
    rule.users.push_back(std::move(user));
  }
  if (rule.group.empty() == rule.users.empty()) {
    return invalid("[allocation " + name + "] needs either group or users (not both)");
  }
  Result<std::int64_t> amount = config.get_int(prefix + "amount", 0);
  if (!amount.ok()) return amount.status();
  if (*amount <= 0 || *amount > 1'000'000'000'000) {
    return invalid(prefix + "amount must be a positive number of minor units");
  }
  rule.amount = *amount;
  std::string period = config.get_string(prefix + "period", "monthly");
  std::optional<PeriodUnit> unit = parse_period_unit(period);
  if (!unit) return invalid(prefix + "period must be daily, weekly, monthly or yearly");
  rule.period = *unit;
  if (auto start = config.get(prefix + "start")) {
    Result<UtcSeconds> parsed = parse_utc_time(*start, prefix + "start");
    if (!parsed.ok()) return parsed.status();
    const std::chrono::year_month_day date(std::chrono::floor<std::chrono::days>(*parsed));
    if (std::chrono::floor<std::chrono::days>(*parsed) != *parsed) {
      return invalid(prefix + "start must be a date (periods start at 00:00 UTC)");
    }
    if ((rule.period == PeriodUnit::kMonthly || rule.period == PeriodUnit::kYearly) &&
        static_cast<unsigned>(date.day()) > 28) {
      return invalid(prefix + "start: a " + period +
                     " allocation must start on day 1-28 (not every month has a day " +
                     std::to_string(static_cast<unsigned>(date.day())) + ")");
    }
    rule.start = *parsed;
  }
  std::string mode = config.get_string(prefix + "mode", "reset");
  if (mode != "reset" && mode != "add") return invalid(prefix + "mode must be reset or add");
  rule.mode = mode == "reset" ? AllocationMode::kReset : AllocationMode::kAdd;
  if (config.get(prefix + "cap")) {
    if (rule.mode != AllocationMode::kAdd) return invalid(prefix + "cap needs mode = add");
    Result<std::int64_t> cap = config.get_int(prefix + "cap", 0);
    if (!cap.ok()) return cap.status();
    if (*cap < rule.amount) return invalid(prefix + "cap must be at least the amount");
    rule.cap = *cap;
  }
  rule.account = config.get_string(prefix + "account", "");
  std::string expires = config.get_string(prefix + "expires", "never");
  if (expires != "never" && expires != "end-of-period") {
    return invalid(prefix + "expires must be never or end-of-period");
  }
  rule.expires = expires == "never" ? AllocationExpiry::kNever : AllocationExpiry::kEndOfPeriod;
  Result<bool> prorate = config.get_bool(prefix + "prorate", false);
  if (!prorate.ok()) return prorate.status();
  rule.prorate = *prorate;
  return rule;
}

}  // namespace

PeriodCalendar AllocationRule::calendar() const {
  using namespace std::chrono;
  sys_days anchor =
      start ? floor<days>(*start)
            : sys_days(period == PeriodUnit::kWeekly ? 1970y / January / 5 : 1970y / January / 1);
  return PeriodCalendar(period, anchor);
}

Result<AllocationRules> parse_allocation_rules(const Config& config) {
  AllocationRules parsed;
  std::set<std::string> names;
  for (const std::string& key : config.keys_with_prefix(kPrefix)) {
    std::size_t dot = key.find('.', kPrefix.size());
    if (dot == std::string::npos) {
      return invalid("config key " + key + " is outside an [allocation NAME] section");
    }
    std::string name = key.substr(kPrefix.size(), dot - kPrefix.size());
    if (!is_valid_allocation_name(name)) {
      return invalid("config key " + key +
                     ": allocation names are letters, digits, '.', '_' "
                     "and '-' (they go into the ledger's keys): \"" +
                     name + "\"");
    }
    names.insert(std::move(name));
  }
  for (const std::string& name : names) {
    Result<AllocationRule> rule = parse_rule(config, name);
    if (!rule.ok()) return rule.status();
    parsed.rules.push_back(std::move(*rule));
  }
  std::string combine = config.get_string("allocation-combine", "sum");
  if (combine != "sum" && combine != "max") {
    return invalid("allocation-combine must be sum or max");
  }
  parsed.combine = combine == "sum" ? AllocationCombine::kSum : AllocationCombine::kMax;
  return parsed;
}

std::string_view allocation_mode_name(AllocationMode mode) {
  return mode == AllocationMode::kReset ? "reset" : "add";
}

std::string_view allocation_combine_name(AllocationCombine combine) {
  return combine == AllocationCombine::kSum ? "sum" : "max";
}

}  // namespace pp
