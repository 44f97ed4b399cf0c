// card-registration.cpp: registration codes (the rules are in card-registration.h).
#include "cards/card-registration.h"

#include <sodium.h>

#include "cards/prepaid-cards.h"

namespace pp {

Result<std::string> new_registration_code() {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium cannot be initialised");
  std::string code;
  code.reserve(kRegistrationCodeLength);
  for (std::size_t i = 0; i < kRegistrationCodeLength; ++i) {
    code +=
        kPrepaidAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kPrepaidAlphabet.size()))];
  }
  return code;
}

std::string shown_registration_code(std::string_view code) {
  if (code.size() != kRegistrationCodeLength) return std::string(code);
  const std::size_t half = kRegistrationCodeLength / 2;
  return std::string(code.substr(0, half)) + "-" + std::string(code.substr(half));
}

}  // namespace pp
