// card-format-test.cpp: the card-format rule set: bases, reversed bytes, widths, zeros, refusals.
#include <gtest/gtest.h>

#include "directory/card-format.h"
#include "support/status-assert.h"

namespace pp::test {
namespace {

std::string normalized(std::string_view value, std::string_view format) {
  Result<CardFormat> parsed = parse_card_format(format);
  EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
  Result<std::string> number = normalize_card_number(value, *parsed);
  return number ? *number : "ERROR: " + number.status().message();
}

TEST(CardFormat, DecimalIsKeptAsWrittenWithoutSeparators) {
  EXPECT_EQ(normalized("0012 3456", "decimal"), "00123456");
  EXPECT_EQ(normalized("0012-3456", ""), "00123456");
}

TEST(CardFormat, HexadecimalIsUpperCaseWithWholeBytes) {
  EXPECT_EQ(normalized("4a1b2c3", "hexadecimal"), "04A1B2C3");
  EXPECT_EQ(normalized("04:a1:b2:c3", "hex"), "04A1B2C3");
}

TEST(CardFormat, HexadecimalToDecimal) {
  EXPECT_EQ(normalized("04A1B2C3", "hexadecimal to-decimal"), "77705923");
}

TEST(CardFormat, ReversedByteOrder) {
  EXPECT_EQ(normalized("04A1B2C3", "hexadecimal reversed"), "C3B2A104");
  EXPECT_EQ(normalized("04A1B2C3", "hexadecimal reversed to-decimal"), "3283263748");
  // A decimal number is seen as 4 bytes (it fits): 77705923 = 04A1B2C3.
  EXPECT_EQ(normalized("77705923", "decimal reversed"), "3283263748");
  EXPECT_EQ(normalized("77705923", "decimal to-hexadecimal"), "04A1B2C3");
}

TEST(CardFormat, FixedWidthInBytes) {
  EXPECT_EQ(normalized("A1B2C3", "hexadecimal bytes=4 reversed"), "C3B2A100");
  EXPECT_EQ(normalized("1", "decimal bytes=7 to-hexadecimal"), "00000000000001");
  EXPECT_EQ(normalized("4294967296", "decimal bytes=4 reversed").rfind("ERROR", 0), 0u);
}

TEST(CardFormat, LeadingZeros) {
  EXPECT_EQ(normalized("000123", "strip-zeros"), "123");
  EXPECT_EQ(normalized("0000", "strip-zeros"), "0");
  EXPECT_EQ(normalized("123", "pad=8"), "00000123");
  EXPECT_EQ(normalized("04A1B2C3", "hexadecimal to-decimal pad=10"), "0077705923");
}

TEST(CardFormat, RefusesWhatDoesNotFit) {
  EXPECT_EQ(normalized("12A4", "decimal").rfind("ERROR", 0), 0u);
  EXPECT_EQ(normalized("XYZ", "hexadecimal").rfind("ERROR", 0), 0u);
  EXPECT_EQ(normalized("", "decimal").rfind("ERROR", 0), 0u);
  EXPECT_EQ(normalized("0102030405060708090A", "hexadecimal to-decimal").rfind("ERROR", 0), 0u);
  EXPECT_EQ(normalized("99999999999999999999999", "decimal reversed").rfind("ERROR", 0), 0u);
}

TEST(CardFormat, ParseRefusesUnknownWordsAndContradictions) {
  EXPECT_FALSE(parse_card_format("octal").ok());
  EXPECT_FALSE(parse_card_format("strip-zeros pad=4").ok());
  EXPECT_FALSE(parse_card_format("bytes=9").ok());
  Result<CardFormat> format = parse_card_format("Hexadecimal REVERSED to-decimal pad=12");
  PP_ASSERT_OK(format);
  EXPECT_EQ(format->input, CardFormat::Base::kHexadecimal);
  EXPECT_TRUE(format->reversed);
  EXPECT_EQ(format->pad, 12);
}

}  // namespace
}  // namespace pp::test
