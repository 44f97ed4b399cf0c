// config-text.cpp: config_of, the one way the unit tests turn configuration text into a Config.
#include "support/config-text.h"

#include <gtest/gtest.h>

namespace pp::test {

Config config_of(std::string_view text) {
  Result<Config> config = Config::parse(text, "test.conf");
  EXPECT_TRUE(config.ok()) << config.status().to_string();
  return config.ok() ? config.value() : Config();
}

}  // namespace pp::test
