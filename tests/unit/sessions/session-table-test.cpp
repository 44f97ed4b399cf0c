// session-table-test.cpp: web sessions open, expire (idle and lifetime), end at sign-out, and
// never answer for a token they did not hand out.
#include "sessions/session-table.h"

#include <gtest/gtest.h>

#include <set>

namespace pp::test {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using Clock = std::chrono::system_clock;

const Clock::time_point kStart = Clock::from_time_t(1'700'000'000);

TEST(SessionTable, OpenedSessionIsFoundWithItsUserAndOwnCsrfToken) {
  SessionTable table;
  const std::string alice = table.open("alice", kStart);
  const std::string bob = table.open("bob", kStart);
  ASSERT_EQ(alice.size(), 64u);
  ASSERT_NE(alice, bob);
  std::optional<WebSession> a = table.find(alice, kStart + minutes(1));
  std::optional<WebSession> b = table.find(bob, kStart + minutes(1));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->user, "alice");
  EXPECT_EQ(b->user, "bob");
  EXPECT_EQ(a->csrf.size(), 64u);
  EXPECT_NE(a->csrf, b->csrf);
  EXPECT_NE(a->csrf, alice);  // the form token is not the cookie
}

TEST(SessionTable, UnknownOrMalformedTokensFindNothing) {
  SessionTable table;
  const std::string token = table.open("alice", kStart);
  std::string other = token;
  other[0] = other[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(table.find(other, kStart));
  EXPECT_FALSE(table.find("", kStart));
  EXPECT_FALSE(table.find(token.substr(1), kStart));
  std::string upper = token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != token) {
    EXPECT_FALSE(table.find(upper, kStart));
  }
  EXPECT_FALSE(table.find(std::string(64, 'z'), kStart));
  EXPECT_TRUE(table.find(token, kStart));
}

TEST(SessionTable, IdleSessionExpiresAndActivityKeepsItAlive) {
  SessionTable table({.idle = minutes(30), .lifetime = hours(12)});
  const std::string token = table.open("alice", kStart);
  // A request every 20 minutes keeps it: the idle limit slides.
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(table.find(token, kStart + minutes(20 * i))) << i;
  // 30 minutes without a request end it, for good.
  EXPECT_FALSE(table.find(token, kStart + minutes(100 + 30)));
  EXPECT_FALSE(table.find(token, kStart + minutes(101)));
  EXPECT_EQ(table.size(), 0u);
}

TEST(SessionTable, LifetimeEndsEvenAnActiveSession) {
  SessionTable table({.idle = minutes(30), .lifetime = hours(2)});
  const std::string token = table.open("alice", kStart);
  Clock::time_point now = kStart;
  for (; now < kStart + hours(2); now += minutes(10)) ASSERT_TRUE(table.find(token, now));
  EXPECT_FALSE(table.find(token, kStart + hours(2)));
}

TEST(SessionTable, ExpiresReportsTheEarlierLimit) {
  SessionTable table({.idle = minutes(30), .lifetime = hours(1)});
  const std::string token = table.open("alice", kStart);
  EXPECT_EQ(table.find(token, kStart + minutes(10))->expires, kStart + minutes(40));
  EXPECT_EQ(table.find(token, kStart + minutes(35))->expires, kStart + hours(1));
}

TEST(SessionTable, PeekDoesNotExtendTheSession) {
  SessionTable table({.idle = minutes(30), .lifetime = hours(12)});
  const std::string token = table.open("alice", kStart);
  ASSERT_TRUE(table.peek(token, kStart + minutes(29)));
  EXPECT_FALSE(table.peek(token, kStart + minutes(31)));
}

TEST(SessionTable, SignOutEndsOnlyThatSession) {
  SessionTable table;
  const std::string phone = table.open("alice", kStart);
  const std::string laptop = table.open("alice", kStart);
  EXPECT_TRUE(table.close(phone));
  EXPECT_FALSE(table.close(phone));
  EXPECT_FALSE(table.find(phone, kStart));
  EXPECT_TRUE(table.find(laptop, kStart));
}

TEST(SessionTable, SweepRemovesExpiredSessions) {
  SessionTable table({.idle = minutes(30), .lifetime = hours(12)});
  (void)table.open("alice", kStart);
  const std::string bob = table.open("bob", kStart + minutes(20));
  EXPECT_EQ(table.sweep(kStart + minutes(40)), 1u);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_TRUE(table.find(bob, kStart + minutes(40)));
}

TEST(SessionTable, FullTableDropsTheLeastRecentlyUsedSession) {
  SessionTable table({.idle = minutes(30), .lifetime = hours(12), .max_sessions = 3});
  const std::string a = table.open("a", kStart);
  const std::string b = table.open("b", kStart + minutes(1));
  const std::string c = table.open("c", kStart + minutes(2));
  ASSERT_TRUE(table.find(a, kStart + minutes(3)));  // a is now the most recent
  const std::string d = table.open("d", kStart + minutes(4));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_FALSE(table.find(b, kStart + minutes(4)));
  EXPECT_TRUE(table.find(a, kStart + minutes(4)));
  EXPECT_TRUE(table.find(c, kStart + minutes(4)));
  EXPECT_TRUE(table.find(d, kStart + minutes(4)));
}

TEST(SessionTable, TokensAreNotRepeated) {
  SessionTable table;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(seen.insert(table.open("u", kStart)).second);
}

}  // namespace
}  // namespace pp::test
