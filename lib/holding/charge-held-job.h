// charge-held-job.h: charging a held job to another account (the console's "Charge to another
// account", web/web-console-jobs.cpp): the print desk moves a job's held money from the account
// it was sent on to another one, before it prints.
//
// Why a rule of its own: the money must move without ever being held twice or not at all, and a
// double click or a retry after a crash must move it once. So: (1) reserve the job's held amount
// on the new account (refused when it cannot pay: nothing changed), (2) move the job's payer and
// reservation in the job store, a compare-and-set on the old reservation while the job is held
// (the commit point: a release or a cancel in between wins, and the new reservation is voided
// again), (3) void the old reservation. Every ledger call has a key of
// ledger/charge-move-key.h made from the reservation the job moves away from, so a repeated call
// replays what was done and finishes what was not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "charging/payer.h"
#include "job-store/job-store.h"
#include "site/site.h"
#include "util/status.h"

namespace pp {

// Who moves the charge, and where to.
struct ChargeTarget {
  std::string account;       // the account that pays from now on
  std::string actor;         // the console user: the journal entries' actor
  bool any_account = false;  // an admin: any account; else one the job's owner may charge
};

// Charges held job `job_id` to `target.account` and returns the job as it now is. Refusals:
// kNotFound (job, account), kConflict (not held, a split job, no open reservation),
// kPermissionDenied (an account the owner may not charge without any_account, or a disabled
// account), kInsufficientFunds (the new account cannot hold the job's price: nothing changed).
// A job already charged to the account is returned as it is (after finishing a move a crash
// interrupted). `in_group` answers "@GROUP" members of shared accounts (rights/rights.h's
// group_check).
Result<HeldJob> charge_held_job_to(Site& site, std::int64_t job_id, const ChargeTarget& target,
                                   const GroupCheck& in_group = {});

}  // namespace pp
