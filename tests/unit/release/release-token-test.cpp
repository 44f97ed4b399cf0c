// release-token-test.cpp: the release sheet's token (release/release-token.h): periods, the
// previous period accepted, older ones and other printers refused, the policy keys, the secret
// file made private once and kept.
#include "release/release-token.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "util/scoped-temp-dir.h"

namespace pp {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::system_clock;

ReleaseTokenSecret test_secret(unsigned char fill = 7) {
  std::array<unsigned char, ReleaseTokenSecret::kBytes> bytes{};
  bytes.fill(fill);
  return ReleaseTokenSecret::from_bytes(bytes);
}

system_clock::time_point at_unix(std::int64_t s) {
  return system_clock::time_point(seconds(s));
}

const ReleaseTokenPolicy kDaily{true, hours(24)};

TEST(ReleaseToken, PeriodsAreWholeIntervalsSince1970) {
  EXPECT_EQ(release_token_period(at_unix(0), hours(24)), 0);
  EXPECT_EQ(release_token_period(at_unix(86399), hours(24)), 0);
  EXPECT_EQ(release_token_period(at_unix(86400), hours(24)), 1);
  EXPECT_EQ(release_token_period(at_unix(7 * 86400 + 5), hours(24 * 7)), 1);
  EXPECT_EQ(release_token_period(at_unix(-1), hours(24)), -1);
}

TEST(ReleaseToken, TokenIsShortUrlSafeAndDependsOnPrinterPeriodAndSecret) {
  const ReleaseTokenSecret secret = test_secret();
  const std::string token = secret.token("Lab_A", 100);
  EXPECT_EQ(token.size(), 12u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(token, secret.token("Lab_A", 100));  // deterministic
  EXPECT_NE(token, secret.token("Lab_A", 101));
  EXPECT_NE(token, secret.token("Lab_B", 100));
  EXPECT_NE(token, test_secret(8).token("Lab_A", 100));
  // The separator keeps (name, period) pairs apart.
  EXPECT_NE(secret.token("Lab_1", 23), secret.token("Lab_12", 3));
}

TEST(ReleaseToken, CurrentAndPreviousPeriodAcceptedOlderRefused) {
  const ReleaseTokenSecret secret = test_secret();
  const auto printed = at_unix(1'800'000'000);  // a sheet printed then
  const std::string token = current_release_token(secret, "Lab_A", kDaily, printed);
  EXPECT_TRUE(check_release_token(secret, "Lab_A", kDaily, token, printed).is_ok());
  // Later the same day, and the whole next day: still accepted.
  const std::int64_t period = release_token_period(printed, hours(24));
  const std::int64_t next_start = (period + 1) * 86400;
  EXPECT_TRUE(check_release_token(secret, "Lab_A", kDaily, token, at_unix(next_start - 1)).is_ok());
  EXPECT_TRUE(check_release_token(secret, "Lab_A", kDaily, token, at_unix(next_start)).is_ok());
  EXPECT_TRUE(
      check_release_token(secret, "Lab_A", kDaily, token, at_unix(next_start + 86399)).is_ok());
  // Two periods on: refused.
  Status old = check_release_token(secret, "Lab_A", kDaily, token, at_unix(next_start + 86400));
  EXPECT_EQ(old.code(), Code::kPermissionDenied);
  // A token of the next period is not accepted early either.
  const std::string future = secret.token("Lab_A", period + 1);
  EXPECT_EQ(check_release_token(secret, "Lab_A", kDaily, future, printed).code(),
            Code::kPermissionDenied);
}

TEST(ReleaseToken, WrongPrinterWrongOrMissingTokenRefused) {
  const ReleaseTokenSecret secret = test_secret();
  const auto now = at_unix(1'800'000'000);
  const std::string lab_a = current_release_token(secret, "Lab_A", kDaily, now);
  EXPECT_EQ(check_release_token(secret, "Lab_B", kDaily, lab_a, now).code(),
            Code::kPermissionDenied);
  EXPECT_EQ(check_release_token(secret, "Lab_A", kDaily, "", now).code(), Code::kPermissionDenied);
  std::string changed = lab_a;
  changed[0] = changed[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(check_release_token(secret, "Lab_A", kDaily, changed, now).code(),
            Code::kPermissionDenied);
  EXPECT_EQ(check_release_token(secret, "Lab_A", kDaily, lab_a + "x", now).code(),
            Code::kPermissionDenied);
  // Another site's secret.
  EXPECT_EQ(check_release_token(test_secret(9), "Lab_A", kDaily, lab_a, now).code(),
            Code::kPermissionDenied);
}

TEST(ReleaseToken, NotRequiredAcceptsAnything) {
  const ReleaseTokenPolicy none{false, hours(24)};
  EXPECT_TRUE(check_release_token(test_secret(), "Lab_A", none, "", at_unix(0)).is_ok());
}

TEST(ReleaseToken, IntervalSyntax) {
  EXPECT_EQ(*parse_token_interval("1d"), hours(24));
  EXPECT_EQ(*parse_token_interval("7d"), hours(24 * 7));
  EXPECT_EQ(*parse_token_interval("12h"), hours(12));
  EXPECT_EQ(*parse_token_interval("90m"), seconds(90 * 60));
  EXPECT_EQ(*parse_token_interval("2w"), hours(24 * 14));
  for (const char* bad : {"", "d", "0d", "-1d", "1", "1s", "1 d", "1.5d", "367d", "x7d", "60w"})
    EXPECT_EQ(parse_token_interval(bad).status().code(), Code::kInvalidArgument) << bad;
}

TEST(ReleaseToken, PolicyFromConfig) {
  Result<Config> config = Config::parse(
      "[printer Lab_A]\nrelease-token = required\nrelease-token-interval = 7d\n"
      "[printer Lab_B]\nrelease-token = sometimes\n"
      "[printer Lab_C]\nrelease-token-interval = often\n");
  ASSERT_TRUE(config) << config.status().to_string();
  Result<ReleaseTokenPolicy> a = release_token_policy(*config, "Lab_A");
  ASSERT_TRUE(a) << a.status().to_string();
  EXPECT_TRUE(a->required);
  EXPECT_EQ(a->interval, hours(24 * 7));
  Result<ReleaseTokenPolicy> none = release_token_policy(*config, "Lab_D");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->required);
  EXPECT_EQ(none->interval, hours(24));
  Result<ReleaseTokenPolicy> b = release_token_policy(*config, "Lab_B");
  EXPECT_EQ(b.status().code(), Code::kInvalidArgument);
  EXPECT_NE(b.status().message().find("printer.Lab_B.release-token"), std::string::npos);
  EXPECT_EQ(release_token_policy(*config, "Lab_C").status().code(), Code::kInvalidArgument);
}

// A fresh private directory for a test.
ScopedTempDir temp_dir() {
  Result<ScopedTempDir> dir = ScopedTempDir::create("pp-release-token");
  if (!dir) ADD_FAILURE() << dir.status().to_string();
  return std::move(*dir);
}

TEST(ReleaseToken, KeysCheckedForEveryPrinter) {
  Result<Config> good =
      Config::parse("[printer Lab_A]\nrelease-token = required\n[printer Lab_B]\nlocation = x\n");
  ASSERT_TRUE(good);
  EXPECT_TRUE(check_release_token_keys(*good).is_ok());
  Result<Config> bad = Config::parse(
      "[printer Lab_A]\nrelease-token = none\n[printer Lab_B]\nrelease-token-interval = 1y\n");
  ASSERT_TRUE(bad);
  Status status = check_release_token_keys(*bad);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("printer.Lab_B.release-token-interval"), std::string::npos);
}

TEST(ReleaseTokenSecret, CreatedPrivateOnceThenKept) {
  ScopedTempDir dir = temp_dir();
  Result<ReleaseTokenSecret> first = ReleaseTokenSecret::open(dir.path());
  ASSERT_TRUE(first) << first.status().to_string();
  const std::string path = dir.path() + "/release-token.key";
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);
  Result<ReleaseTokenSecret> again = ReleaseTokenSecret::open(dir.path());
  ASSERT_TRUE(again);
  EXPECT_EQ(first->token("Lab_A", 5), again->token("Lab_A", 5));
  // No temporary file is left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1);
  // Another state directory: another secret.
  ScopedTempDir other = temp_dir();
  Result<ReleaseTokenSecret> elsewhere = ReleaseTokenSecret::open(other.path());
  ASSERT_TRUE(elsewhere);
  EXPECT_NE(first->token("Lab_A", 5), elsewhere->token("Lab_A", 5));
}

TEST(ReleaseTokenSecret, RefusesAFileOthersMayReadOrOfTheWrongSize) {
  ScopedTempDir dir = temp_dir();
  const std::string path = dir.path() + "/release-token.key";
  ASSERT_TRUE(ReleaseTokenSecret::open(dir.path()));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_EQ(ReleaseTokenSecret::open(dir.path()).status().code(), Code::kPermissionDenied);
  std::filesystem::remove(path);
  { std::ofstream(path) << "short"; }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_EQ(ReleaseTokenSecret::open(dir.path()).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp
