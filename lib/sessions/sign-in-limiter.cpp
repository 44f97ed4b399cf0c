// sign-in-limiter.cpp: failed sign-ins counted per name and per address (sign-in-limiter.h).
#include "sessions/sign-in-limiter.h"

#include <algorithm>

namespace pp {
namespace {

constexpr std::size_t kForgetAbove = 10000;  // records kept before old ones are dropped

std::string name_key(const std::string& name) {
  return "n:" + name;
}
std::string address_key(const std::string& address) {
  return "a:" + address;
}

}  // namespace

SignInLimiter::SignInLimiter(SignInLimits limits) : limits_(limits) {}

std::optional<SignInLimiter::TimePoint> SignInLimiter::lock_of(const std::string& key,
                                                               TimePoint now) const {
  auto it = records_.find(key);
  if (it == records_.end() || it->second.locked_until <= now) return std::nullopt;
  return it->second.locked_until;
}

std::optional<SignInLimiter::TimePoint> SignInLimiter::locked_until(const std::string& name,
                                                                    const std::string& address,
                                                                    TimePoint now) const {
  std::lock_guard lock(mutex_);
  std::optional<TimePoint> by_name = lock_of(name_key(name), now);
  std::optional<TimePoint> by_address = lock_of(address_key(address), now);
  if (by_name && by_address) return std::max(*by_name, *by_address);
  return by_name ? by_name : by_address;
}

void SignInLimiter::count(const std::string& key, int limit, TimePoint now) {
  Record& record = records_[key];
  record.failures.push_back(now);
  while (!record.failures.empty() && record.failures.front() + limits_.window <= now)
    record.failures.pop_front();
  if (static_cast<int>(record.failures.size()) >= limit) {
    record.locked_until = now + limits_.lockout;
    record.failures.clear();
  }
}

void SignInLimiter::forget_old(TimePoint now) {
  if (records_.size() <= kForgetAbove) return;
  std::erase_if(records_, [&](const auto& item) {
    const Record& r = item.second;
    return r.locked_until <= now &&
           (r.failures.empty() || r.failures.back() + limits_.window <= now);
  });
}

void SignInLimiter::failed(const std::string& name, const std::string& address, TimePoint now) {
  std::lock_guard lock(mutex_);
  count(name_key(name), limits_.per_name, now);
  count(address_key(address), limits_.per_address, now);
  forget_old(now);
}

void SignInLimiter::succeeded(const std::string& name) {
  std::lock_guard lock(mutex_);
  records_.erase(name_key(name));
}

}  // namespace pp
