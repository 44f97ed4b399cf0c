// ledger-chain.cpp: BLAKE2b hash chain over journal entries (libsodium crypto_generichash).
#include "ledger/ledger-chain.h"

#include <sodium.h>

#include <cstdint>
#include <string_view>

namespace pp::ledger_detail {

namespace {

// Incremental hasher with an unambiguous encoding: integers as 8 bytes little endian, strings
// as their length then their bytes.
class Hasher {
 public:
  Hasher() {
    // Picks the fastest BLAKE2b code for this CPU; thread-safe and idempotent.
    [[maybe_unused]] static const int sodium_ready = sodium_init();
    crypto_generichash_init(&state_, nullptr, 0, kSize);
  }

  void bytes(const unsigned char* data, std::size_t size) {
    crypto_generichash_update(&state_, data, size);
  }
  void integer(std::int64_t value) {
    unsigned char le[8];
    auto bits = static_cast<std::uint64_t>(value);
    for (auto& byte : le) {
      byte = static_cast<unsigned char>(bits & 0xff);
      bits >>= 8;
    }
    bytes(le, sizeof le);
  }
  void text(std::string_view value) {
    integer(static_cast<std::int64_t>(value.size()));
    bytes(reinterpret_cast<const unsigned char*>(value.data()), value.size());
  }
  ChainHash finish() {
    ChainHash out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    return out;
  }

 private:
  static constexpr std::size_t kSize = 32;
  crypto_generichash_state state_{};
};

}  // namespace

// Version 1 (entries written before origins existed) hashes exactly as it always did; version 2
// has its own domain tag and also covers the allocated part. Any other version hashes as v2
// would not: the stored chain_version is itself covered, since changing it changes the tag.
ChainHash chain_hash(const ChainHash& previous, const JournalEntry& entry) {
  Hasher hasher;
  hasher.text(entry.chain_version == 1 ? "pullprint-journal-v1" : "pullprint-journal-v2");
  hasher.bytes(previous.data(), previous.size());
  hasher.integer(entry.id);
  hasher.integer(entry.account_id);
  hasher.text(entry_kind_name(entry.kind));
  hasher.integer(entry.amount);
  hasher.integer(entry.reservation_id ? 1 : 0);
  hasher.integer(entry.reservation_id.value_or(0));
  hasher.text(entry.idempotency_key);
  hasher.text(entry.actor);
  hasher.text(entry.note);
  hasher.text(entry.created_at);
  if (entry.chain_version != 1) {
    hasher.integer(entry.chain_version);
    hasher.integer(entry.allocated);
  }
  return hasher.finish();
}

std::string to_hex(const ChainHash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(hash.size() * 2);
  for (unsigned char byte : hash) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xf];
  }
  return hex;
}

}  // namespace pp::ledger_detail
