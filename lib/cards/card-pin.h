// card-pin.h: hashing and checking card PINs (private to lib/cards).
#pragma once

#include <string>

#include "util/status.h"

namespace pp::cards_detail {

// Checks a new PIN: 4-64 printable ASCII characters.
Status validate_pin(const std::string& pin);

// A salted, slow hash of `pin` (libsodium crypto_pwhash_str, Argon2id), as text.
Result<std::string> hash_pin(const std::string& pin);

// Whether `pin` matches a hash made by hash_pin(); false for a malformed hash.
bool pin_matches(const std::string& pin, const std::string& hash);

}  // namespace pp::cards_detail
