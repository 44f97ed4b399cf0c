// payer.cpp: choosing the paying account and reserving a job's price on it.
#include "charging/payer.h"

#include "ledger/job-ref.h"

namespace pp {

namespace {

// Whether a member entry "@GROUP" of `account` names a group `owner` is in.
Result<bool> member_through_group(Ledger& ledger, std::string_view owner, std::string_view account,
                                  const GroupCheck& in_group) {
  if (!in_group) return false;
  Result<std::vector<std::string>> members = ledger.members(account);
  if (!members) return members.status();
  for (const std::string& entry : *members) {
    if (!entry.starts_with('@')) continue;
    Result<bool> member = in_group(owner, std::string_view(entry).substr(1));
    if (!member) return member.status();
    if (*member) return true;
  }
  return false;
}

}  // namespace

Status validate_account_member(std::string_view entry) {
  if (entry.starts_with('@')) {
    // The same rule as people/people.h's validate_group_name (charging is below people).
    const std::string_view group = entry.substr(1);
    bool valid = !group.empty() && group.size() <= 128 && group.front() != '-';
    for (char c : group)
      valid = valid && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
    if (!valid)
      return Status(Code::kInvalidArgument, "bad group entry \"" + std::string(entry) +
                                                "\": @ then letters, digits, '.', '_' and '-'");
    return Status::ok();
  }
  if (entry.empty() || entry.find_first_of(", \t") != std::string_view::npos)
    return Status(Code::kInvalidArgument,
                  "a member is a user name or @GROUP, got \"" + std::string(entry) + "\"");
  return Status::ok();
}

Result<Account> resolve_payer(Ledger& ledger, const Config& config, std::string_view owner,
                              const std::optional<std::string>& account_id,
                              const GroupCheck& in_group) {
  if (owner.empty()) return Status(Code::kInvalidArgument, "the job has no owner");
  if (account_id && !account_id->empty() && *account_id != owner) {
    Result<bool> allowed = ledger.may_charge(owner, *account_id);
    if (!allowed) return allowed.status();
    if (!*allowed) allowed = member_through_group(ledger, owner, *account_id, in_group);
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

Result<std::vector<Account>> chargeable_accounts(Ledger& ledger, std::string_view user,
                                                 const GroupCheck& in_group) {
  Result<std::vector<MemberCandidates>> candidates = ledger.member_candidates(user);
  if (!candidates) return candidates.status();
  std::vector<Account> accounts;
  for (MemberCandidates& candidate : *candidates) {
    bool admitted = candidate.named;
    for (const std::string& entry : candidate.groups) {
      if (admitted || !in_group) break;
      Result<bool> member = in_group(user, std::string_view(entry).substr(1));
      if (!member) return member.status();
      admitted = *member;
    }
    if (admitted) accounts.push_back(std::move(candidate.account));
  }
  return accounts;
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
