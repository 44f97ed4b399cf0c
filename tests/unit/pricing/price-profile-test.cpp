// price-profile-test.cpp: price_profile_from_config, fallback and typo guards.
#include <gtest/gtest.h>

#include "pricing/pricing.h"
#include "support/config-text.h"

namespace pp {
namespace {

using test::config_of;

constexpr const char* kSite =
    "currency = EUR\n"
    "[price default]\n"
    "mono-impression = 5\n"
    "color-impression = 25\n"
    "duplex-discount-percent = 10\n"
    "media-percent.iso_a3_297x420mm = 200\n"
    "[price Lab_Colour]\n"
    "color-impression = 35\n"
    "sheet = 1\n"
    "minimum = 10\n"
    "media-percent.a5 = 50\n";

TEST(PriceProfile, EmptyConfigIsAllZeroEur) {
  Result<PriceProfile> profile = price_profile_from_config(Config(), "any");
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->name, "default");
  EXPECT_EQ(profile->currency, "EUR");
  EXPECT_EQ(profile->mono_impression, 0);
  EXPECT_EQ(profile->color_impression, 0);
  EXPECT_TRUE(profile->media_percent.empty());
}

TEST(PriceProfile, DefaultSection) {
  Result<PriceProfile> profile = price_profile_from_config(config_of(kSite), "default");
  ASSERT_TRUE(profile.ok()) << profile.status().to_string();
  EXPECT_EQ(profile->name, "default");
  EXPECT_EQ(profile->mono_impression, 5);
  EXPECT_EQ(profile->color_impression, 25);
  EXPECT_EQ(profile->sheet, 0);
  EXPECT_EQ(profile->duplex_discount_percent, 10);
  EXPECT_EQ(profile->minimum, 0);
  EXPECT_EQ(profile->media_percent,
            (std::map<std::string, std::int64_t>{{"iso_a3_297x420mm", 200}}));
}

TEST(PriceProfile, PrinterFallsBackPerKeyToDefault) {
  Result<PriceProfile> profile = price_profile_from_config(config_of(kSite), "Lab_Colour");
  ASSERT_TRUE(profile.ok()) << profile.status().to_string();
  EXPECT_EQ(profile->name, "Lab_Colour");
  EXPECT_EQ(profile->mono_impression, 5);    // from default
  EXPECT_EQ(profile->color_impression, 35);  // own
  EXPECT_EQ(profile->sheet, 1);
  EXPECT_EQ(profile->minimum, 10);
  EXPECT_EQ(profile->duplex_discount_percent, 10);
  EXPECT_EQ(profile->media_percent, (std::map<std::string, std::int64_t>{
                                        {"iso_a3_297x420mm", 200}, {"iso_a5_148x210mm", 50}}));
}

TEST(PriceProfile, PrinterMediaPercentOverridesDefault) {
  Config config = config_of(kSite);
  config.set("price.Lab_Colour.media-percent.iso_a3_297x420mm", "250");
  EXPECT_EQ(price_profile_from_config(config, "Lab_Colour")->media_percent.at("iso_a3_297x420mm"),
            250);
}

TEST(PriceProfile, UnknownPrinterUsesDefault) {
  Result<PriceProfile> profile = price_profile_from_config(config_of(kSite), "Library");
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->name, "default");
  EXPECT_EQ(profile->color_impression, 25);
}

TEST(PriceProfile, Currency) {
  Config config = config_of("currency = CHF\n[price p]\nsheet = 1\n");
  EXPECT_EQ(price_profile_from_config(config, "p")->currency, "CHF");
  config.set("price.default.currency", "JPY");
  EXPECT_EQ(price_profile_from_config(config, "p")->currency, "JPY");
  config.set("price.p.currency", "GBP");
  EXPECT_EQ(price_profile_from_config(config, "p")->currency, "GBP");
  config.set("price.p.currency", "euro");
  EXPECT_FALSE(price_profile_from_config(config, "p").ok());
}

std::string error_for(std::string_view text, std::string_view printer = "default") {
  Result<PriceProfile> profile = price_profile_from_config(config_of(text), printer);
  EXPECT_FALSE(profile.ok()) << text;
  if (profile.ok()) return "";
  EXPECT_EQ(profile.status().code(), Code::kInvalidArgument);
  return profile.status().message();
}

TEST(PriceProfile, UnknownKeyIsAnError) {
  EXPECT_NE(error_for("[price default]\ncolour-impression = 25\n")
                .find("price.default.colour-impression"),
            std::string::npos);
  // A typo in the printer's section fails too, and so does one in default for a printer.
  EXPECT_NE(error_for("[price p]\nmono-impresion = 1\n", "p").find("price.p.mono-impresion"),
            std::string::npos);
  EXPECT_FALSE(error_for("[price default]\nshet = 1\n[price p]\nsheet = 1\n", "p").empty());
}

TEST(PriceProfile, BadValuesAreErrors) {
  EXPECT_NE(error_for("[price default]\nmono-impression = -5\n").find("outside"),
            std::string::npos);
  EXPECT_NE(error_for("[price default]\nmono-impression = 0.05\n").find("not an integer"),
            std::string::npos);
  EXPECT_FALSE(error_for("[price default]\nduplex-discount-percent = 101\n").empty());
  EXPECT_FALSE(error_for("[price default]\nminimum = -1\n").empty());
  EXPECT_FALSE(error_for("[price default]\nmedia-percent.iso_a3_297x420mm = -10\n").empty());
  EXPECT_NE(error_for("[price default]\nmedia-percent.b99 = 10\n").find("unknown media"),
            std::string::npos);
  EXPECT_NE(
      error_for("[price default]\nmedia-percent.a3 = 10\nmedia-percent.iso_a3_297x420mm = 1\n")
          .find("twice"),
      std::string::npos);
}

TEST(PriceProfile, CheckAllProfiles) {
  EXPECT_TRUE(check_price_profiles(config_of(kSite)).is_ok());
  Config config = config_of(kSite);
  config.set("price.Library.colour-impression", "1");  // typo in a printer not yet priced
  EXPECT_EQ(check_price_profiles(config).code(), Code::kInvalidArgument);
  Config loose;
  loose.set("price.sheet", "1");
  EXPECT_EQ(check_price_profiles(loose).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp
