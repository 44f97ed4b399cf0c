// engine-config-test.cpp: analysis_options_from_config and the shipped share/pullprint.conf.
#include <gtest/gtest.h>

#include <filesystem>

#include "pricing/engine-config.h"
#include "pricing/pricing.h"

namespace pp {
namespace {

Config config_of(std::string_view text) {
  return *Config::parse(text, "test.conf");
}

TEST(EngineConfig, EmptyConfigKeepsDefaults) {
  Result<AnalysisOptions> options = analysis_options_from_config(Config());
  ASSERT_TRUE(options.ok());
  AnalysisOptions defaults;
  EXPECT_EQ(options->neutral_tolerance, defaults.neutral_tolerance);
  EXPECT_EQ(options->max_file_bytes, defaults.max_file_bytes);
  EXPECT_EQ(options->ghostscript, defaults.ghostscript);
  EXPECT_EQ(options->allow_slow_path, defaults.allow_slow_path);
}

TEST(EngineConfig, ReadsEveryKey) {
  Result<AnalysisOptions> options = analysis_options_from_config(
      config_of("neutral-tolerance = 8\nrich-black-is-color = yes\ndefault-media = Letter\n"
                "max-file-size = 1000\nmax-pages = 50\nmax-nesting = 10\nmax-operators = 99\n"
                "max-image-pixels = 1000000\nslow-path = off\nghostscript = /usr/bin/gs\n"
                "slow-path-dpi = 72\nchild-cpu-seconds = 30\nchild-memory = 536870912\n"
                "child-timeout = 60\n"));
  ASSERT_TRUE(options.ok()) << options.status().to_string();
  EXPECT_EQ(options->neutral_tolerance, 8);
  EXPECT_TRUE(options->rich_black_is_color);
  EXPECT_EQ(options->default_media, "na_letter_8.5x11in");
  EXPECT_EQ(options->max_file_bytes, 1000u);
  EXPECT_EQ(options->max_pages, 50);
  EXPECT_EQ(options->max_nesting, 10);
  EXPECT_EQ(options->max_operators, 99u);
  EXPECT_EQ(options->max_image_pixels, 1000000u);
  EXPECT_FALSE(options->allow_slow_path);
  EXPECT_EQ(options->ghostscript, "/usr/bin/gs");
  EXPECT_EQ(options->slow_path_dpi, 72);
  EXPECT_EQ(options->child_cpu_seconds, 30);
  EXPECT_EQ(options->child_memory_bytes, 536870912u);
  EXPECT_EQ(options->child_timeout_seconds, 60);
}

TEST(EngineConfig, BadValuesNameTheKey) {
  for (const char* line : {"neutral-tolerance = 256", "neutral-tolerance = -1", "max-pages = 0",
                           "max-pages = 3000000000", "slow-path = perhaps", "max-file-size = 1G",
                           "default-media = B99", "ghostscript = \"\"", "child-timeout = 0"}) {
    Result<AnalysisOptions> options = analysis_options_from_config(config_of(line));
    ASSERT_FALSE(options.ok()) << line;
    std::string key(std::string_view(line).substr(0, std::string_view(line).find(' ')));
    EXPECT_NE(options.status().message().find(key), std::string::npos)
        << line << ": " << options.status().message();
  }
}

// The configuration file we install must load and mean what its comments say.
TEST(ShippedConfig, ParsesAndPricesAsDocumented) {
  std::string path = (std::filesystem::path(PULLPRINT_SOURCE_DIR) / "share/pullprint.conf").string();
  Result<Config> config = Config::load(path);
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_TRUE(check_price_profiles(*config).is_ok());
  ASSERT_TRUE(analysis_options_from_config(*config).ok());
  EXPECT_EQ(config->get("state-dir"), "/var/lib/pullprint");
  EXPECT_EQ(*config->get_int("initial-balance", -1), 0);
  Result<PriceProfile> profile = price_profile_from_config(*config, "default");
  ASSERT_TRUE(profile.ok()) << profile.status().to_string();
  EXPECT_EQ(profile->currency, "EUR");
  EXPECT_EQ(profile->mono_impression, 5);
  EXPECT_EQ(profile->color_impression, 25);
  EXPECT_EQ(profile->duplex_discount_percent, 10);
  EXPECT_EQ(profile->media_percent.at("iso_a3_297x420mm"), 200);
  AnalysisOptions defaults;
  AnalysisOptions configured = *analysis_options_from_config(*config);
  EXPECT_EQ(configured.neutral_tolerance, defaults.neutral_tolerance);
  EXPECT_EQ(configured.max_file_bytes, defaults.max_file_bytes);
  EXPECT_EQ(configured.child_memory_bytes, defaults.child_memory_bytes);
  EXPECT_EQ(configured.max_operators, defaults.max_operators);
}

}  // namespace
}  // namespace pp
