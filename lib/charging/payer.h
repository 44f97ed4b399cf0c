// payer.h: which account pays for a job, and holding the job's price on it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "charging/quote.h"
#include "config/config.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

// Whether `user` is in `group` (the people store's is_member; charging stays below people, so
// the caller passes the question in).
using GroupCheck = std::function<Result<bool>(std::string_view user, std::string_view group)>;

// The account that pays for `owner`'s job: the job-account-id account when one is given and the
// owner may charge it (kPermissionDenied otherwise), else the owner's personal account, created on
// first use with the configured initial-balance. The owner may charge a shared account when the
// ledger says so (a member by name) or, through `in_group`, when a member entry "@GROUP" names a
// group they are in (`pullprint account member add physics @physics`); without `in_group`, group
// entries admit nobody.
Result<Account> resolve_payer(Ledger& ledger, const Config& config, std::string_view owner,
                              const std::optional<std::string>& account_id,
                              const GroupCheck& in_group = {});

// The shared accounts `user` may charge (job-account-id), by name, under resolve_payer's rule: a
// member by name, or through `in_group` a member of a group named by an "@GROUP" entry. Disabled
// accounts are included (the caller shows them as such). What a user's account page lists.
Result<std::vector<Account>> chargeable_accounts(Ledger& ledger, std::string_view user,
                                                 const GroupCheck& in_group = {});

// Checks a member entry of a shared account as typed: a user name, or "@GROUP" with a valid
// group name (kInvalidArgument otherwise).
Status validate_account_member(std::string_view entry);

// Holds the quote's price on the payer for the job `job_ref` (e.g. "cups/host/Lab/42").
// Idempotent per job_ref: a second call for the same job returns the first reservation.
Result<Reservation> reserve_job(Ledger& ledger, const Account& payer, const Quote& quote,
                                std::string_view job_ref, std::string_view actor);

// A message for a refused reservation, e.g. "account alice has EUR 0.20 available, the job costs
// EUR 0.84".
std::string describe_refusal(const Status& status, const Account& payer, const Quote& quote);

}  // namespace pp
