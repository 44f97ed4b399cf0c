// console-access.h: who may do what on the print desk's and the admins' console
// (/pullprint/admin/...): the roles, the actions, and the scopes that limit an admin or an
// operator to some users and some printers.
//
// Why one place: every console page and form asks the same two questions (may this person do
// this kind of thing at all; may they do it to this user's account or on this printer), and
// PaperCut-style sites expect one written policy for both. The web door asks ConsoleAccess and
// nothing else; the words of `operator-may` and their one parser are here.
//
// Roles, from the configuration:
//   admins = USER,@GROUP       site-wide admins: every action, on everybody and every printer
//   operators = USER,@GROUP    the print desk: the actions of `operator-may`, on everybody
//   operator-may = topup, release, cancel, review      (the default: a desk's daily work)
//   [admin-scope NAME]         a department's or a building's admins and operators:
//     admins = @physics-admins    every action that is not site-wide (kSiteWideActions),
//     operators = @physics-desk   their `operator-may` actions,
//     users = @physics            on these users' personal accounts and jobs only,
//     printers = Phys_1, Phys_2   and these release printers only ("*" = every printer).
// A site-wide role wins over a scope; of several scopes the first (by name) that names the user
// as an admin, else as an operator, applies. Shared accounts belong to the site: a scoped role
// sees only personal accounts.
//
// Actions ("operator-may" words; an admin has them all):
//   accounts          search and open accounts (implied by every account action)
//   topup             top up at the desk (a receipt number makes it idempotent)
//   adjust            adjust a balance by hand
//   refund            refund a printed job; decide users' refund requests
//   account-settings  create an account; credit limit, unlimited, enabled
//   jobs              see everybody's jobs (implied by every job action)
//   cancel            cancel a user's held job
//   release           release a user's held job to a printer as operator
//   charge            charge a held job to another account
//   review            capture or void a delivery under review
//   printers          printers' state, supplies, use, release sheets
//   cards             list, issue and block cards
//   allocations       allocation rules and runs (site-wide)
//   directories       directory syncs (site-wide)
//   ledger            `ledger check` and the journal (site-wide)
//   reports           reports (a scope's reports cover its users and printers)
//   audit             the console's audit log (site-wide)
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "ledger/ledger.h"
#include "people/people.h"
#include "people/user-set.h"
#include "util/status.h"

namespace pp {

enum class ConsoleAction {
  kAccounts,
  kTopUp,
  kAdjust,
  kRefund,
  kAccountSettings,
  kJobs,
  kCancel,
  kRelease,
  kCharge,
  kReview,
  kPrinters,
  kCards,
  kAllocations,
  kDirectories,
  kLedger,
  kReports,
  kAudit,
};

// The word of an action ("topup"), as in operator-may, the audit log and messages.
std::string_view console_action_name(ConsoleAction action);
// The action named `word`; nullopt for an unknown word.
std::optional<ConsoleAction> parse_console_action(std::string_view word);
// Parses "topup, release review" (commas and/or spaces); kInvalidArgument naming a bad word.
Result<std::set<ConsoleAction>> parse_console_actions(std::string_view text, std::string_view what);
// Every action.
const std::set<ConsoleAction>& all_console_actions();
// The actions only a site-wide role may take (a scope cannot limit them to its users).
inline constexpr ConsoleAction kSiteWideActions[] = {ConsoleAction::kAllocations,
                                                     ConsoleAction::kDirectories,
                                                     ConsoleAction::kLedger, ConsoleAction::kAudit};
// The default of operator-may.
inline constexpr const char* kDefaultOperatorMay = "topup, release, cancel, review";

enum class ConsoleRole { kNone, kOperator, kAdmin };

// A department's or building's admins and operators ([admin-scope NAME]).
struct ConsoleScope {
  std::string name;
  UserSet admins;
  UserSet operators;
  UserSet users;                      // whose accounts and jobs they act on
  std::vector<std::string> printers;  // which release printers; {"*"} = all
};

// What one signed-in person may do on the console (ConsolePolicy::access_for).
class ConsoleAccess {
 public:
  ConsoleAccess() = default;
  ConsoleAccess(std::string user, ConsoleRole role, std::set<ConsoleAction> actions,
                std::optional<ConsoleScope> scope);

  const std::string& user() const { return user_; }
  ConsoleRole role() const { return role_; }
  // Whether the console is for this person at all (an operator or an admin).
  bool any() const { return role_ != ConsoleRole::kNone; }
  bool is_admin() const { return role_ == ConsoleRole::kAdmin; }
  // Whether the person may take `action` (on someone covered, see covers_*).
  bool may(ConsoleAction action) const { return actions_.count(action) > 0; }
  // Whether the person may take any of `actions` (the pages that several actions open).
  bool may_any(std::initializer_list<ConsoleAction> actions) const;
  const std::set<ConsoleAction>& actions() const { return actions_; }
  // Whether no scope limits the person (site-wide admins and operators).
  bool site_wide() const { return !scope_; }
  // The scope that limits the person, or nullptr.
  const ConsoleScope* scope() const { return scope_ ? &*scope_ : nullptr; }
  // "admin", "operator", "admin of physics", "operator of physics": for the audit log and pages.
  std::string role_label() const;

  // Whether the person may act on `login`'s personal account and jobs (a scope: its `users`,
  // asked of the people store; site-wide: everybody).
  Result<bool> covers_user(std::string_view login, PeopleStore& people) const;
  // Whether the person may act on `account` (personal: covers_user of its name; shared: a
  // site-wide role only).
  Result<bool> covers_account(const Account& account, PeopleStore& people) const;
  // Whether the person may act on release printer `printer`.
  bool covers_printer(std::string_view printer) const;

 private:
  std::string user_;
  ConsoleRole role_ = ConsoleRole::kNone;
  std::set<ConsoleAction> actions_;
  std::optional<ConsoleScope> scope_;
};

// The console's rules from the configuration: admins, operators, operator-may, [admin-scope].
class ConsolePolicy {
 public:
  // Reads operator-may and the [admin-scope NAME] sections; `admins` and `operators` are the
  // server's own sets (read once, by the door). kInvalidArgument names a bad key.
  static Result<ConsolePolicy> from_config(const Config& config, UserSet admins, UserSet operators);

  // Whether a user set names the person: the door's rule (people store, system groups, and the
  // door's own conditions such as "only from the local host in trusted mode").
  using IsNamedBy = std::function<bool(const UserSet&)>;
  // What `user` may do.
  ConsoleAccess access_for(const std::string& user, const IsNamedBy& named_by) const;

  const std::set<ConsoleAction>& operator_may() const { return operator_may_; }
  const std::vector<ConsoleScope>& scopes() const { return scopes_; }

 private:
  UserSet admins_;
  UserSet operators_;
  std::set<ConsoleAction> operator_may_;
  std::vector<ConsoleScope> scopes_;  // by name
};

}  // namespace pp
