// site-check.cpp: check_site (see site-check.h).
#include "site/site-check.h"

#include "splits/split-check.h"

namespace pp {

Result<SiteCheck> check_site(Site& site) {
  SiteCheck out;
  Result<LedgerCheck> check = site.ledger().check();
  if (!check) return check.status();
  out.ledger = std::move(*check);
  Result<SplitCheck> split_check = check_splits(site.splits(), site.ledger());
  if (!split_check) return split_check.status();
  out.splits = split_check->splits;
  out.shares = split_check->shares;
  for (const std::string& violation : split_check->violations)
    out.ledger.violations.push_back("split: " + violation);
  Result<std::vector<std::string>> card_check = site.cards().check_prepaid_cards();
  if (!card_check) return card_check.status();
  for (const std::string& violation : *card_check)
    out.ledger.violations.push_back("prepaid: " + violation);
  Result<std::vector<Account>> accounts = site.ledger().list_accounts();
  if (!accounts) return accounts.status();
  for (const Account& account : *accounts) out.balance_sum += account.balance;
  return out;
}

}  // namespace pp
