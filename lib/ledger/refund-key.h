// refund-key.h: the idempotency key of the refund that grants a user's refund request for a
// printed job (lib/refunds/refunds.h), beside job-ref.h where the jobs' keys are made.
//
//   "refund-request:<job ref>"   e.g. "refund-request:pullprintd/urn:uuid:..."
//
// One key per job, not per request: however many requests a job gets (one denied, another asked
// again), its captured amount is given back at most once. Stored in ledgers: keep it byte for
// byte.
#pragma once

#include <string>

#include "ledger/job-ref.h"

namespace pp {

// The prefix of every such key: entries_with_key_prefix(kRefundRequestKeyPrefix) lists them.
inline constexpr std::string_view kRefundRequestKeyPrefix = "refund-request:";

// "refund-request:<job ref>".
inline std::string refund_request_key(const JobRef& job) {
  return std::string(kRefundRequestKeyPrefix) + job.str();
}

}  // namespace pp
