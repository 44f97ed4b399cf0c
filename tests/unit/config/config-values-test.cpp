// config-values-test.cpp: typed readers, prefixes, overrides, loading files.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "config/config.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

Config with(std::string key, std::string value) {
  Config config;
  config.set(std::move(key), std::move(value));
  return config;
}

TEST(ConfigValues, GetStringFallback) {
  Config config = with("a", "x");
  EXPECT_EQ(config.get_string("a", "y"), "x");
  EXPECT_EQ(config.get_string("b", "y"), "y");
}

TEST(ConfigValues, GetIntAcceptsSignAndDigits) {
  EXPECT_EQ(*with("n", "42").get_int("n", 0), 42);
  EXPECT_EQ(*with("n", "-7").get_int("n", 0), -7);
  EXPECT_EQ(*with("n", "+7").get_int("n", 0), 7);
  EXPECT_EQ(*with("n", "9223372036854775807").get_int("n", 0), INT64_MAX);
  EXPECT_EQ(*Config().get_int("n", 13), 13);
}

TEST(ConfigValues, GetIntRejectsFloatsAndJunkNamingTheKey) {
  for (const char* bad : {"0.05", "1e3", "0x10", "", "-", "+", "12 cents", " 1",
                          "9223372036854775808", "--1", "+-1"}) {
    Result<std::int64_t> value = with("price.default.sheet", bad).get_int("price.default.sheet", 0);
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.status().code(), Code::kInvalidArgument);
    EXPECT_NE(value.status().message().find("price.default.sheet"), std::string::npos);
  }
}

TEST(ConfigValues, GetBool) {
  for (const char* yes : {"yes", "true", "on", "1", "YES", "True"}) {
    EXPECT_TRUE(*with("b", yes).get_bool("b", false)) << yes;
  }
  for (const char* no : {"no", "false", "off", "0", "Off"}) {
    EXPECT_FALSE(*with("b", no).get_bool("b", true)) << no;
  }
  EXPECT_TRUE(*Config().get_bool("b", true));
  Result<bool> bad = with("slow-path", "maybe").get_bool("slow-path", true);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("slow-path"), std::string::npos);
}

TEST(ConfigValues, KeysWithPrefixSorted) {
  Config config;
  config.set("price.b.sheet", "1");
  config.set("price.a.sheet", "1");
  config.set("price.a.color-impression", "1");
  config.set("pricey", "1");
  config.set("state-dir", "x");
  EXPECT_EQ(config.keys_with_prefix("price.a."),
            (std::vector<std::string>{"price.a.color-impression", "price.a.sheet"}));
  EXPECT_EQ(config.keys_with_prefix("price.").size(), 3u);
  EXPECT_TRUE(config.keys_with_prefix("zzz").empty());
}

TEST(ConfigValues, OverridesReplaceAndAdd) {
  Config config = *Config::parse("state-dir = /var/lib/pullprint\n[price default]\nsheet = 1\n");
  Status status = config.apply_overrides(
      {"state-dir=/tmp/x", "price.default.sheet = 3", "price.Lab_Colour.sheet=4", "empty="});
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(config.get("state-dir"), "/tmp/x");
  EXPECT_EQ(config.get("price.default.sheet"), "3");
  EXPECT_EQ(config.get("price.Lab_Colour.sheet"), "4");
  EXPECT_EQ(config.get("empty"), "");
  EXPECT_EQ(config.apply_overrides({"a=b=c"}).is_ok(), true);
  EXPECT_EQ(config.get("a"), "b=c");
}

TEST(ConfigValues, BadOverrides) {
  Config config;
  EXPECT_EQ(config.apply_overrides({"no-equals"}).code(), Code::kInvalidArgument);
  EXPECT_EQ(config.apply_overrides({"=value"}).code(), Code::kInvalidArgument);
  EXPECT_EQ(config.apply_overrides({"two words=1"}).code(), Code::kInvalidArgument);
}

TEST(ConfigFile, LoadNamesFileInErrors) {
  test::TempDir dir;
  test::write_file(dir.file("p.conf"), "a = 1\nbroken\n");
  Result<Config> config = Config::load(dir.file("p.conf"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), dir.file("p.conf") + ":2: expected \"key = value\"");
}

TEST(ConfigFile, MissingFile) {
  test::TempDir dir;
  Result<Config> missing = Config::load(dir.file("none.conf"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  Result<Config> allowed = Config::load(dir.file("none.conf"), true);
  ASSERT_TRUE(allowed.ok());
  EXPECT_TRUE(allowed->entries().empty());
}

TEST(ConfigFile, LoadConfigAppliesOverrides) {
  test::TempDir dir;
  test::write_file(dir.file("p.conf"), "state-dir = /a\ncurrency = EUR\n");
  Result<Config> config = load_config(dir.file("p.conf"), {"state-dir=/b"});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get("state-dir"), "/b");
  EXPECT_EQ(config->get("currency"), "EUR");
  EXPECT_FALSE(load_config(dir.file("p.conf"), {"junk"}).ok());
  // A path the user named must exist.
  EXPECT_EQ(load_config(dir.file("nope.conf"), {}).status().code(), Code::kNotFound);
}

// Any integer written by the config round-trips through get_int.
RC_GTEST_PROP(ConfigProperties, IntRoundTrip, (std::int64_t value)) {
  Config config = *Config::parse("n = " + std::to_string(value) + "\n");
  RC_ASSERT(*config.get_int("n", 0) == value);
}

// A plain value (no quotes, no " #") round-trips through the parser, trimmed.
RC_GTEST_PROP(ConfigProperties, PlainValueRoundTrip, ()) {
  std::string value =
      *rc::gen::container<std::string>(rc::gen::elementOf(std::string("abcXYZ019/:._-=+,;@")));
  Result<Config> config = Config::parse("  key =  " + value + "  \n");
  RC_ASSERT(config.ok());
  RC_ASSERT(config->get_string("key", "?") == value);
}

}  // namespace
}  // namespace pp
