// config-text.h: a Config from the text of a configuration file, for the tests that describe a
// site in a string (prices, printers, the file format itself).
#pragma once

#include <string_view>

#include "config/config.h"

namespace pp::test {

// Parses `text` as the file "test.conf", failing the current test (and returning an empty
// Config) when it does not parse.
Config config_of(std::string_view text);

}  // namespace pp::test
