// sign-in-limiter-test.cpp: failed sign-ins lock a name, then an address, for a while; success
// clears the name only.
#include "sessions/sign-in-limiter.h"

#include <gtest/gtest.h>

namespace pp::test {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Clock = std::chrono::system_clock;

const Clock::time_point kStart = Clock::from_time_t(1'700'000'000);
const SignInLimits kLimits{
    .per_name = 3, .per_address = 5, .window = minutes(10), .lockout = minutes(15)};

TEST(SignInLimiter, NameLockedAfterTooManyFailuresThenFreedAfterTheLockout) {
  SignInLimiter limiter(kLimits);
  for (int i = 0; i < 2; ++i) {
    limiter.failed("alice", "10.0.0.1", kStart + seconds(i));
    EXPECT_FALSE(limiter.locked_until("alice", "10.0.0.1", kStart + seconds(i)));
  }
  limiter.failed("alice", "10.0.0.2", kStart + seconds(2));  // another machine: same name
  std::optional<Clock::time_point> until = limiter.locked_until("alice", "10.0.0.9", kStart);
  ASSERT_TRUE(until);
  EXPECT_EQ(*until, kStart + seconds(2) + minutes(15));
  EXPECT_FALSE(limiter.locked_until("bob", "10.0.0.9", kStart));  // others unaffected
  EXPECT_TRUE(limiter.locked_until("alice", "10.0.0.9", *until - seconds(1)));
  EXPECT_FALSE(limiter.locked_until("alice", "10.0.0.9", *until));
}

TEST(SignInLimiter, FailuresOutsideTheWindowDoNotCount) {
  SignInLimiter limiter(kLimits);
  limiter.failed("alice", "a", kStart);
  limiter.failed("alice", "a", kStart + minutes(5));
  limiter.failed("alice", "a", kStart + minutes(11));  // the first one has left the window
  EXPECT_FALSE(limiter.locked_until("alice", "b", kStart + minutes(11)));
  limiter.failed("alice", "a", kStart + minutes(12));
  EXPECT_TRUE(limiter.locked_until("alice", "b", kStart + minutes(12)));
}

TEST(SignInLimiter, AddressLockedWhenItTriesManyNames) {
  SignInLimiter limiter(kLimits);
  for (int i = 0; i < 5; ++i) limiter.failed("user" + std::to_string(i), "10.0.0.66", kStart);
  EXPECT_TRUE(limiter.locked_until("carol", "10.0.0.66", kStart));
  EXPECT_FALSE(limiter.locked_until("carol", "10.0.0.1", kStart));
}

TEST(SignInLimiter, SuccessClearsTheNameButNotTheAddress) {
  SignInLimiter limiter(kLimits);
  limiter.failed("alice", "x", kStart);
  limiter.failed("alice", "x", kStart);
  limiter.succeeded("alice");
  limiter.failed("alice", "x", kStart);
  limiter.failed("alice", "x", kStart);
  EXPECT_FALSE(limiter.locked_until("alice", "y", kStart));  // 2 since the success, not 4
  limiter.failed("bob", "x", kStart);                        // x's fifth failure
  EXPECT_TRUE(limiter.locked_until("dave", "x", kStart));
}

}  // namespace
}  // namespace pp::test
