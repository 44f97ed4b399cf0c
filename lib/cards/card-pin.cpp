// card-pin.cpp: PIN hashing with libsodium.
//
// Why Argon2id with OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: a PIN has few possible values
// (10^4 for four digits), so a stolen ledger file must make every guess expensive, and the salt
// makes each card's hash a separate search. The online guesses are bounded by the lockout; the
// hash protects against the offline ones. INTERACTIVE (about 0.1 s and 64 MiB on one core) keeps
// a login at the printer fast and fits in a PAM module running inside a small terminal or
// pullprintd; MODERATE/SENSITIVE would take seconds per login.
#include "cards/card-pin.h"

#include <sodium.h>

namespace pp::cards_detail {

namespace {

Status ensure_sodium() {
  // sodium_init() is thread-safe and idempotent; 1 means "already initialised".
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium cannot be initialised");
  return Status::ok();
}

}  // namespace

Status validate_pin(const std::string& pin) {
  if (pin.size() < 4 || pin.size() > 64)
    return Status(Code::kInvalidArgument, "a PIN has 4 to 64 characters");
  for (char c : pin) {
    if (c < 0x20 || c > 0x7e)
      return Status(Code::kInvalidArgument, "a PIN has printable ASCII characters only");
  }
  return Status::ok();
}

Result<std::string> hash_pin(const std::string& pin) {
  if (Status status = ensure_sodium(); !status.is_ok()) return status;
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status(Code::kIoError, "cannot hash the PIN: out of memory");
  }
  return std::string(hash);
}

bool pin_matches(const std::string& pin, const std::string& hash) {
  if (!ensure_sodium().is_ok()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

}  // namespace pp::cards_detail
