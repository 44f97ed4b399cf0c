// transfer-key.cpp: the keys of a credit transfer (the formats are in transfer-key.h).
#include "ledger/transfer-key.h"

#include <sodium.h>

namespace pp {

TransferKeys transfer_keys(std::string_view sender, std::string_view nonce) {
  const std::string base =
      std::string(kTransferKeyPrefix) + std::string(sender) + ":" + std::string(nonce);
  return {base + ":out", base + ":in"};
}

std::optional<ParsedTransferKey> parse_transfer_key(std::string_view key) {
  if (!key.starts_with(kTransferKeyPrefix)) return std::nullopt;
  std::string_view rest = key.substr(kTransferKeyPrefix.size());
  ParsedTransferKey parsed;
  if (rest.ends_with(":out")) {
    parsed.out = true;
    rest.remove_suffix(4);
  } else if (rest.ends_with(":in")) {
    rest.remove_suffix(3);
  } else {
    return std::nullopt;
  }
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    return std::nullopt;
  }
  parsed.sender = std::string(rest.substr(0, colon));
  parsed.nonce = std::string(rest.substr(colon + 1));
  if (!is_valid_transfer_nonce(parsed.nonce)) return std::nullopt;
  return parsed;
}

Result<std::string> new_transfer_nonce() {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium cannot be initialised");
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex);
}

bool is_valid_transfer_nonce(std::string_view nonce) {
  if (nonce.size() < 8 || nonce.size() > 64) return false;
  for (char c : nonce) {
    const bool ok =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace pp
