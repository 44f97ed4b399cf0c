// payer.cpp: choosing the paying account and reserving a job's price on it.
#include "charging/payer.h"

#include "ledger/job-ref.h"

namespace pp {

Result<Account> resolve_payer(Ledger& ledger, const Config& config, std::string_view owner,
                              const std::optional<std::string>& account_id) {
  if (owner.empty()) return Status(Code::kInvalidArgument, "the job has no owner");
  if (account_id && !account_id->empty() && *account_id != owner) {
    Result<bool> allowed = ledger.may_charge(owner, *account_id);
    if (!allowed) return allowed.status();
    if (!*allowed)
      return Status(Code::kPermissionDenied, "user " + std::string(owner) +
                                                 " may not charge account " + *account_id);
    return ledger.get_account(*account_id);
  }
  Result<std::int64_t> initial = config.get_int("initial-balance", 0);
  if (!initial) return initial.status();
  return ledger.ensure_personal_account(owner, *initial);
}

Result<Reservation> reserve_job(Ledger& ledger, const Account& payer, const Quote& quote,
                                std::string_view job_ref, std::string_view actor) {
  std::string key = JobRef::from_stored(job_ref).reserve_key();
  // The same job may pass the filter twice (CUPS inserts a pre-filter before every matching
  // filter of a chain): a job that already holds a reservation keeps the first one.
  Result<std::optional<Reservation>> existing = ledger.find_reservation_by_key(key);
  if (!existing) return existing.status();
  if (existing->has_value()) return std::move(**existing);
  return ledger.reserve(payer.name, quote.price.minor, key, job_ref, actor);
}

std::string describe_refusal(const Status& status, const Account& payer, const Quote& quote) {
  if (status.code() != Code::kInsufficientFunds) return status.message();
  std::string currency = quote.price.currency;
  std::string text = "account " + payer.name + " has " +
                     format_money(payer.available(), currency) + " available";
  if (payer.credit_limit > 0) text += " (credit limit " + format_money(payer.credit_limit, currency) + ")";
  return text + ", the job costs " + format_money(quote.price.minor, currency);
}

}  // namespace pp
