// money-input.h: amounts typed by people ("12.50") into integer minor units, exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

// Parses "12", "12.5", "12.50", "-3.20" or "+1" in the currency's major unit into minor units
// without floating point; more decimals than the currency has is an error.
Result<std::int64_t> parse_money(std::string_view text, std::string_view currency);

// A fresh random idempotency key ("PREFIX:32 hex digits") for commands run by hand.
std::string random_key(std::string_view prefix);

}  // namespace pp
