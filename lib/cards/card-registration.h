// card-registration.h: a user registers their own release card: they tap an unknown card at a
// terminal, the terminal shows a short code, and the user types that code on the web, signed
// in; the card then becomes theirs (CardStore::start_registration / confirm_registration).
//
// Why a code and not the card number typed on the web: the number is the credential a reader
// presents at a printer, so whoever could name a number would own someone else's card. The code
// proves that the person on the web is the person at the terminal holding the card, and only a
// terminal (an operator's account: pullprintd's PullPrint-Start-Card-Registration) may start a
// registration.
//
// Codes: kRegistrationCodeLength characters of the prepaid cards' alphabet (Crockford's base32,
// kPrepaidAlphabet: 30 random bits from libsodium), typed in any case with dashes or spaces
// (normalize_prepaid_number), valid kRegistrationSeconds (10 minutes), one pending code per card
// (tapping again replaces it). Guessing is bounded twice: a user with card-max-failures wrong
// or expired codes within card-lock-seconds is refused until the oldest leaves the window, and a
// card may start at most card-max-failures registrations within card-lock-seconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

// How long a registration code is valid (seconds).
inline constexpr std::int64_t kRegistrationSeconds = 600;
// How many characters a registration code has.
inline constexpr std::size_t kRegistrationCodeLength = 6;

// A registration a terminal started: the code to show and until when it is valid.
struct CardRegistration {
  std::string card;
  std::string code;
  std::int64_t started_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
};

// A fresh random registration code (libsodium).
Result<std::string> new_registration_code();

// A code for people: "ABC-123" (the dash is ignored when typed back).
std::string shown_registration_code(std::string_view code);

}  // namespace pp
