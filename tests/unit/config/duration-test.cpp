// duration-test.cpp: durations in pullprint.conf: every unit, the bounds, and what is refused.
#include "config/duration.h"

#include <gtest/gtest.h>

namespace pp::test {
namespace {

using std::chrono::seconds;

TEST(Duration, EveryUnitAndBareSeconds) {
  EXPECT_EQ(parse_duration("45"), seconds(45));
  EXPECT_EQ(parse_duration("45s"), seconds(45));
  EXPECT_EQ(parse_duration("90m"), seconds(90 * 60));
  EXPECT_EQ(parse_duration("12h"), seconds(12 * 3600));
  EXPECT_EQ(parse_duration("1d"), seconds(86400));
  EXPECT_EQ(parse_duration("2w"), seconds(14 * 86400));
}

TEST(Duration, UpTo366Days) {
  EXPECT_EQ(parse_duration("366d"), seconds(366 * 86400));
  EXPECT_FALSE(parse_duration("367d"));
  EXPECT_FALSE(parse_duration("53w"));
  EXPECT_FALSE(parse_duration("99999999999999999999"));
}

TEST(Duration, RefusesWhatIsNotADuration) {
  for (const char* text : {"", "h", "-1h", "+1h", "1.5h", "1 h", "1hh", "1y", "one"})
    EXPECT_FALSE(parse_duration(text)) << text;
}

}  // namespace
}  // namespace pp::test
