// ledger-chain.h: the hash chain over journal entries (private to lib/ledger).
//
// hash(entry) = BLAKE2b-256(domain tag, hash(previous entry), entry fields), with every field
// length-prefixed so that no two different entries encode alike. The first entry chains to 32
// zero bytes. It is tamper evidence, not a signature: someone with write access could rebuild
// the whole chain, which is why check() reports the head for auditors to write down.
#pragma once

#include <array>
#include <string>

#include "ledger/ledger.h"

namespace pp::ledger_detail {

using ChainHash = std::array<unsigned char, 32>;

inline constexpr ChainHash kChainStart{};  // all zero

// Hash of `entry` chained to `previous`.
ChainHash chain_hash(const ChainHash& previous, const JournalEntry& entry);

// Lower-case hex, for messages and LedgerCheck::chain_head.
std::string to_hex(const ChainHash& hash);

}  // namespace pp::ledger_detail
