// price-test.cpp: price_impressions (discounts, sheets, media, minimum, rounding) and format_money.
#include <gtest/gtest.h>

#include <climits>

#include "pricing/pricing.h"
#include "unit/pricing/documents.h"

namespace pp {
namespace {

using test::kA3;
using test::kA4;

PriceProfile profile(std::int64_t mono, std::int64_t color) {
  PriceProfile p;
  p.mono_impression = mono;
  p.color_impression = color;
  return p;
}

std::int64_t price_of(std::string_view pages, const JobOptions& options, const PriceProfile& p) {
  Result<ImpressionCount> count = count_impressions(test::document(pages), options);
  EXPECT_TRUE(count.ok()) << count.status().to_string();
  return count.ok() ? price_impressions(*count, p).minor : -1;
}

TEST(Price, MonoAndColourImpressions) {
  EXPECT_EQ(price_of("ggggggggggcgggggggggg", {}, profile(5, 25)), 20 * 5 + 25);
  Price price = price_impressions(*count_impressions(test::document("gc"), {}), profile(5, 25));
  EXPECT_EQ(price.currency, "EUR");
  EXPECT_EQ(price.minor, 30);
}

TEST(Price, CopiesCountedOnce) {
  JobOptions options;
  options.copies = 4;
  EXPECT_EQ(price_of("gc", options, profile(5, 25)), 4 * 30);
}

TEST(Price, DuplexDiscountOnTwoSidedSheetsOnly) {
  PriceProfile p = profile(10, 50);
  p.duplex_discount_percent = 10;
  JobOptions options;
  options.sides = Sides::kTwoSidedLongEdge;
  // (g,c) two-sided: (10 + 50) x 90% = 54; (g) alone: 10
  EXPECT_EQ(price_of("gcg", options, p), 54 + 10);
  EXPECT_EQ(price_of("gcg", {}, p), 70);  // one-sided: no discount
}

TEST(Price, SheetPrice) {
  PriceProfile p = profile(5, 25);
  p.sheet = 2;
  JobOptions options;
  options.sides = Sides::kTwoSidedLongEdge;
  EXPECT_EQ(price_of("ggg", options, p), 3 * 5 + 2 * 2);  // 3 impressions on 2 sheets
  EXPECT_EQ(price_of("ggg", {}, p), 3 * 5 + 3 * 2);
}

TEST(Price, MediaMultiplier) {
  PriceProfile p = profile(5, 25);
  p.media_percent[kA3] = 200;
  EXPECT_EQ(price_of("gC", {}, p), 5 + 50);
  EXPECT_EQ(price_of("Gg", {}, p), 10 + 5);
  p.sheet = 1;  // the sheet price scales with the media too
  EXPECT_EQ(price_of("G", {}, p), (5 + 1) * 2);
}

TEST(Price, MinimumCharge) {
  PriceProfile p = profile(5, 25);
  p.minimum = 20;
  EXPECT_EQ(price_of("g", {}, p), 20);
  EXPECT_EQ(price_of("cc", {}, p), 50);
  // A job that prints nothing costs nothing, minimum or not.
  EXPECT_EQ(price_impressions(ImpressionCount(), p).minor, 0);
}

TEST(Price, RoundingHalfUpOnceOnTheTotal) {
  PriceProfile p = profile(5, 25);
  p.media_percent[kA4] = 150;  // 7.5 -> 8
  EXPECT_EQ(price_of("g", {}, p), 8);
  p.media_percent[kA4] = 149;  // 7.45 -> 7
  EXPECT_EQ(price_of("g", {}, p), 7);
  p.media_percent[kA4] = 151;  // 7.55 -> 8
  EXPECT_EQ(price_of("g", {}, p), 8);
  // 0.5 on A4 plus 0.5 on A3 is 1, not 1 + 1 from rounding each media.
  PriceProfile half = profile(1, 1);
  half.media_percent[kA4] = 50;
  half.media_percent[kA3] = 50;
  EXPECT_EQ(price_of("gG", {}, half), 1);
  // Duplex discount and media percent combine before rounding: (5 + 5) x 85% x 110% = 9.35.
  PriceProfile both = profile(5, 5);
  both.duplex_discount_percent = 15;
  both.media_percent[kA4] = 110;
  JobOptions duplex;
  duplex.sides = Sides::kTwoSidedLongEdge;
  EXPECT_EQ(price_of("gg", duplex, both), 9);
}

TEST(Price, AbsurdAmountsSaturateInsteadOfWrapping) {
  ImpressionCount count;
  count.by_media[kA4].mono_impressions = INT64_MAX / 2;
  count.by_media[kA4].sheets = INT64_MAX / 2;
  count.by_media[kA3].color_impressions = INT64_MAX / 2;
  PriceProfile p = profile(INT64_MAX, INT64_MAX);
  p.sheet = INT64_MAX;
  p.media_percent[kA3] = INT64_MAX;
  EXPECT_EQ(price_impressions(count, p).minor, INT64_MAX);
  PriceProfile small = profile(1'000'000'000, 0);
  ImpressionCount many;
  many.by_media[kA4].mono_impressions = 9'999LL * INT_MAX;
  EXPECT_EQ(price_impressions(many, small).minor, INT64_MAX);
}

TEST(Price, NegativeProfileValuesAreTreatedAsZero) {
  PriceProfile p = profile(-5, 25);
  p.sheet = -100;
  p.minimum = -1;
  EXPECT_EQ(price_of("gc", {}, p), 25);
}

TEST(Price, EndToEndFromConfig) {
  Config config = *Config::parse(
      "[price default]\nmono-impression = 5\ncolor-impression = 25\n"
      "duplex-discount-percent = 10\nmedia-percent.iso_a3_297x420mm = 200\n"
      "[price Lab_Colour]\ncolor-impression = 35\nminimum = 100\n");
  JobOptions options = *job_options_from_map({{"sides", "two-sided-long-edge"}, {"copies", "2"}});
  // (g,c) duplex: (5 + 25) x 90% = 27, (G) A3 alone: 10; x 2 copies = 74
  EXPECT_EQ(price_of("gcG", options, *price_profile_from_config(config, "default")), 74);
  // Lab_Colour: (5 + 35) x 90% = 36 + 10 = 46 x 2 = 92, below the minimum of 100
  EXPECT_EQ(price_of("gcG", options, *price_profile_from_config(config, "Lab_Colour")), 100);
}

TEST(MoneyFormat, TwoDecimals) {
  EXPECT_EQ(format_money(84, "EUR"), "EUR 0.84");
  EXPECT_EQ(format_money(0, "EUR"), "EUR 0.00");
  EXPECT_EQ(format_money(5, "EUR"), "EUR 0.05");
  EXPECT_EQ(format_money(123456, "USD"), "USD 1234.56");
  EXPECT_EQ(format_money(-120, "EUR"), "EUR -1.20");
  EXPECT_EQ(format_money(-5, "EUR"), "EUR -0.05");
}

TEST(MoneyFormat, ZeroAndThreeDecimalCurrencies) {
  EXPECT_EQ(format_money(500, "JPY"), "JPY 500");
  EXPECT_EQ(format_money(-500, "KRW"), "KRW -500");
  EXPECT_EQ(format_money(1234, "KWD"), "KWD 1.234");
  EXPECT_EQ(format_money(7, "BHD"), "BHD 0.007");
}

TEST(MoneyFormat, Extremes) {
  EXPECT_EQ(format_money(INT64_MAX, "EUR"), "EUR 92233720368547758.07");
  EXPECT_EQ(format_money(INT64_MIN, "EUR"), "EUR -92233720368547758.08");
}

}  // namespace
}  // namespace pp
