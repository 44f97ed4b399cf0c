// desk-key.h: the idempotency keys of the print desk's money (lib/desk/desk.h), beside
// job-ref.h and refund-key.h where the other keys are made.
//
//   "desk-topup:<receipt number>"   a desk top-up: the receipt handed over is the key, so a
//                                   double click, a retry or a second operator typing the same
//                                   receipt credits once
//   "desk-adjust:<form nonce>"      a hand adjustment: the nonce of the form it was typed in, so
//                                   a double submit adjusts once
//
// Stored in ledgers: keep them byte for byte.
#pragma once

#include <string>
#include <string_view>

namespace pp {

// The prefix of every desk top-up's key: entries_with_key_prefix(kDeskTopUpKeyPrefix) lists them.
inline constexpr std::string_view kDeskTopUpKeyPrefix = "desk-topup:";
// The prefix of every desk adjustment's key.
inline constexpr std::string_view kDeskAdjustKeyPrefix = "desk-adjust:";

// "desk-topup:<receipt>" (the receipt number as desk.h's parse_receipt_number gives it).
inline std::string desk_topup_key(std::string_view receipt) {
  return std::string(kDeskTopUpKeyPrefix) + std::string(receipt);
}

// "desk-adjust:<nonce>".
inline std::string desk_adjust_key(std::string_view nonce) {
  return std::string(kDeskAdjustKeyPrefix) + std::string(nonce);
}

}  // namespace pp
