// sign-in-limiter.h: how many failed sign-ins a name and an address get before they wait.
//
// Why: the web sign-in form asks PAM (or a card's PIN) for every attempt, and a password
// guesser on the network must not get unlimited tries. Two counters: one per user name (or
// card number) against guessing one account's password from many places, one per client address
// against one machine trying many accounts. `per_name` failures within `window` lock that name
// for `lockout`; `per_address` failures lock the address. A success clears the name's count (not
// the address's: one good password does not pay for a hundred wrong ones). A locked attempt is
// refused before PAM is asked, so it costs nothing and reveals nothing.
//
// Cards' PINs have their own lockout in the card store (lib/cards/), which also covers the
// terminals; this limiter adds the web's per-address bound in front of it.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace pp {

struct SignInLimits {
  int per_name = 5;
  int per_address = 30;
  std::chrono::seconds window = std::chrono::minutes(15);
  std::chrono::seconds lockout = std::chrono::minutes(15);
};

class SignInLimiter {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit SignInLimiter(SignInLimits limits = {});

  // When an attempt for `name` from `address` may be made again, or nullopt if it may be made
  // now.
  std::optional<TimePoint> locked_until(const std::string& name, const std::string& address,
                                        TimePoint now) const;
  // Counts a failed attempt.
  void failed(const std::string& name, const std::string& address, TimePoint now);
  // Clears the name's failures after a successful sign-in.
  void succeeded(const std::string& name);

 private:
  struct Record {
    std::deque<TimePoint> failures;  // within the window
    TimePoint locked_until{};
  };
  void count(const std::string& key, int limit, TimePoint now);
  std::optional<TimePoint> lock_of(const std::string& key, TimePoint now) const;
  void forget_old(TimePoint now);

  SignInLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Record> records_;  // "n:NAME" / "a:ADDRESS"
};

}  // namespace pp
