// transfers.cpp: transferring credit between users (the rules are in transfers.h).
#include "transfers/transfers.h"

#include "pricing/pricing.h"

namespace pp {

namespace {

constexpr std::int64_t kDefaultMaximum = 2000;  // minor units, as every amount in the config

// Whether `user` may receive: a person the site knows (not archived), or an account holder.
Result<bool> recipient_exists(Ledger& ledger, PeopleStore& people, const std::string& user) {
  Result<std::optional<Person>> person = people.find_person(user);
  if (!person) return person.status();
  if (*person) return (*person)->state != PersonState::kArchived;
  Result<Account> account = ledger.get_account(user);
  if (account) return account->type == AccountType::kPersonal;
  if (account.status().code() == Code::kNotFound) return false;
  return account.status();
}

Status check_note(const std::string& note) {
  if (note.size() > kMaxTransferNote)
    return Status(Code::kInvalidArgument,
                  "a transfer's note has at most " + std::to_string(kMaxTransferNote) + " bytes");
  for (unsigned char c : note) {
    if (c < 0x20 || c == 0x7f)
      return Status(Code::kInvalidArgument, "a transfer's note is one line of text");
  }
  return Status::ok();
}

}  // namespace

Result<TransferPolicy> transfer_policy_from_config(const Config& config) {
  TransferPolicy policy;
  Result<bool> allowed = config.get_bool("transfers", false);
  if (!allowed) return allowed.status();
  policy.allowed = *allowed;
  Result<PriceProfile> profile = price_profile_from_config(config, "default");
  if (!profile) return profile.status();
  policy.currency = profile->currency;
  Result<std::int64_t> maximum = config.get_int("transfer-maximum", kDefaultMaximum);
  if (!maximum) return maximum.status();
  if (*maximum <= 0)
    return Status(Code::kInvalidArgument, "transfer-maximum must be above 0 (minor units), not " +
                                              std::to_string(*maximum));
  policy.maximum = *maximum;
  return policy;
}

Result<TransferOutcome> transfer_credit(Ledger& ledger, PeopleStore& people, const Config& config,
                                        const TransferRequest& request) {
  Result<TransferPolicy> policy = transfer_policy_from_config(config);
  if (!policy) return policy.status();
  if (!policy->allowed)
    return Status(Code::kPermissionDenied, "this site does not allow transfers between users");
  if (request.amount <= 0)
    return Status(Code::kInvalidArgument, "a transfer moves an amount above 0");
  if (request.amount > policy->maximum)
    return Status(Code::kLimitExceeded,
                  "one transfer moves at most " + format_money(policy->maximum, policy->currency));
  if (request.recipient.empty() || request.recipient == request.sender)
    return Status(Code::kInvalidArgument, "transfer to another user");
  if (request.recipient.find(':') != std::string::npos ||
      request.sender.find(':') != std::string::npos)
    return Status(Code::kNotFound, "no user " + request.recipient);
  if (!is_valid_transfer_nonce(request.nonce))
    return Status(Code::kInvalidArgument, "the form's transfer key is missing or malformed");
  if (Status status = check_note(request.note); !status.is_ok()) return status;
  Result<Account> sender = ledger.get_account(request.sender);
  if (!sender) {
    if (sender.status().code() == Code::kNotFound)
      return Status(Code::kNotFound, request.sender + " has no account to transfer from");
    return sender.status();
  }
  Result<bool> known = recipient_exists(ledger, people, request.recipient);
  if (!known) return known.status();
  if (!*known) return Status(Code::kNotFound, "no user " + request.recipient);
  Result<std::int64_t> initial = config.get_int("initial-balance", 0);
  if (!initial) return initial.status();
  Result<Account> recipient = ledger.ensure_personal_account(request.recipient, *initial);
  if (!recipient) return recipient.status();
  std::string note = "transfer " + request.sender + " -> " + request.recipient;
  if (!request.note.empty()) note += ": " + request.note;
  Result<Ledger::Transfer> entries =
      ledger.transfer(request.sender, request.recipient, request.amount,
                      transfer_keys(request.sender, request.nonce), request.sender, note);
  if (!entries) return entries.status();
  Result<Account> after = ledger.get_account(request.sender);
  if (!after) return after.status();
  return TransferOutcome{*entries, after->balance};
}

}  // namespace pp
