// config-parse-test.cpp: the configuration file format (sections, comments, quotes, errors).
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/config-text.h"

namespace pp {
namespace {

// A configuration that must parse.
Config parse_ok(std::string_view text) {
  return test::config_of(text);
}

std::string parse_error(std::string_view text) {
  Result<Config> config = Config::parse(text, "test.conf");
  EXPECT_FALSE(config.ok());
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), Code::kInvalidArgument);
  return config.status().message();
}

TEST(ConfigParse, KeysValuesAndBlankLines) {
  Config config = parse_ok("state-dir = /var/lib/pullprint\n\n  currency=EUR  \r\nempty =\n");
  EXPECT_EQ(config.get("state-dir"), "/var/lib/pullprint");
  EXPECT_EQ(config.get("currency"), "EUR");
  EXPECT_EQ(config.get("empty"), "");
  EXPECT_EQ(config.get("missing"), std::nullopt);
  EXPECT_EQ(config.entries().size(), 3u);
}

TEST(ConfigParse, EmptyTextIsAnEmptyConfig) {
  EXPECT_TRUE(parse_ok("").entries().empty());
  EXPECT_TRUE(parse_ok("# only a comment\n\n").entries().empty());
}

TEST(ConfigParse, Comments) {
  Config config = parse_ok(
      "# full line\n"
      "   # indented\n"
      "a = 1 # trailing\n"
      "b = 2\t# after a tab\n"
      "uri = ipp://host/printers/x#frag\n");
  EXPECT_EQ(config.get("a"), "1");
  EXPECT_EQ(config.get("b"), "2");
  EXPECT_EQ(config.get("uri"), "ipp://host/printers/x#frag");  // '#' not after whitespace
  EXPECT_EQ(config.entries().size(), 3u);
}

TEST(ConfigParse, QuotedValues) {
  Config config = parse_ok(
      "a = \"  spaced  \"\n"
      "b = \"has # hash\" # comment\n"
      "c = \"say \\\"hi\\\" \\\\ ok\"\n"
      "d = \"\"\n");
  EXPECT_EQ(config.get("a"), "  spaced  ");
  EXPECT_EQ(config.get("b"), "has # hash");
  EXPECT_EQ(config.get("c"), "say \"hi\" \\ ok");
  EXPECT_EQ(config.get("d"), "");
}

TEST(ConfigParse, SectionsPrefixKeys) {
  Config config = parse_ok(
      "currency = EUR\n"
      "[price default]\n"
      "color-impression = 40\n"
      "[price Lab_Colour]  # a printer\n"
      "sheet = 2\n"
      "media-percent.iso_a3_297x420mm = 200\n"
      "[ldap]\n"
      "uri = ldap://x\n");
  EXPECT_EQ(config.get("currency"), "EUR");
  EXPECT_EQ(config.get("price.default.color-impression"), "40");
  EXPECT_EQ(config.get("price.Lab_Colour.sheet"), "2");
  EXPECT_EQ(config.get("price.Lab_Colour.media-percent.iso_a3_297x420mm"), "200");
  EXPECT_EQ(config.get("ldap.uri"), "ldap://x");
  EXPECT_EQ(config.get("sheet"), std::nullopt);
}

TEST(ConfigParse, SameKeyInDifferentSectionsIsFine) {
  Config config = parse_ok("[price a]\nsheet = 1\n[price b]\nsheet = 2\n");
  EXPECT_EQ(config.get("price.a.sheet"), "1");
  EXPECT_EQ(config.get("price.b.sheet"), "2");
}

TEST(ConfigParse, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("a = 1\n\nno equals sign\n"), "test.conf:3: expected \"key = value\"");
  EXPECT_NE(parse_error("a = 1\n[price default\n").find("test.conf:2:"), std::string::npos);
  EXPECT_NE(parse_error("a = \"open\n").find("test.conf:1: unterminated"), std::string::npos);
  EXPECT_NE(parse_error("x=1\ny=2\na = \"q\" junk\n").find("test.conf:3:"), std::string::npos);
}

TEST(ConfigParse, DuplicateKeyIsAnError) {
  std::string message = parse_error("[price default]\nsheet = 1\n\nsheet = 2\n");
  EXPECT_EQ(message, "test.conf:4: key price.default.sheet already set on line 2");
}

TEST(ConfigParse, BadKeysAndSections) {
  EXPECT_NE(parse_error("Color-Impression = 4\n").find("bad key"), std::string::npos);
  EXPECT_NE(parse_error(" = 4\n").find("bad key"), std::string::npos);
  EXPECT_NE(parse_error("two words = 4\n").find("bad key"), std::string::npos);
  EXPECT_NE(parse_error("[]\n").find("bad section"), std::string::npos);
  EXPECT_NE(parse_error("[price a b]\n").find("bad section name"), std::string::npos);
  EXPECT_NE(parse_error("[price a.b]\n").find("bad section name"), std::string::npos);
  EXPECT_NE(parse_error("[Price a]\n").find("bad section"), std::string::npos);
  EXPECT_NE(parse_error("[price a] junk\n").find("after section"), std::string::npos);
}

TEST(ConfigParse, LastLineWithoutNewline) {
  EXPECT_EQ(parse_ok("a = 1\nb = 2").get("b"), "2");
}

TEST(ConfigWrite, ToTextReadsBackToTheSameEntries) {
  Config config = parse_ok(
      "state-dir = /var/lib/pullprint\nadmins = alice, bob\n"
      "[price default]\nmono = 5\n[printer Lab_Mono]\nlocation = \"Room #2 = \\\"east\\\"\"\n");
  ASSERT_TRUE(config.apply_overrides({"printer.Lab_Mono.device-uri=socket://10.0.0.2"}).is_ok());
  Result<Config> again = Config::parse(config.to_text(), "written");
  ASSERT_TRUE(again.ok()) << again.status().to_string() << "\n" << config.to_text();
  EXPECT_EQ(again->entries(), config.entries());
  EXPECT_EQ(again->get("printer.Lab_Mono.location"), "Room #2 = \"east\"");
}

}  // namespace
}  // namespace pp
