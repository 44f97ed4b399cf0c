// console-access.cpp: the console's roles, actions and scopes (console-access.h).
#include "console/console-access.h"

#include <algorithm>
#include <array>
#include <utility>

namespace pp {
namespace {

constexpr std::array<std::string_view, 17> kActionNames = {
    "accounts", "topup",  "adjust",      "refund",      "account-settings",
    "jobs",     "cancel", "release",     "charge",      "review",
    "printers", "cards",  "allocations", "directories", "ledger",
    "reports",  "audit"};

constexpr const char* kScopePrefix = "admin-scope.";

// Account actions imply seeing accounts; job actions imply seeing jobs.
void add_implied(std::set<ConsoleAction>& actions) {
  using A = ConsoleAction;
  for (A action : {A::kTopUp, A::kAdjust, A::kRefund, A::kAccountSettings})
    if (actions.count(action)) actions.insert(A::kAccounts);
  for (A action : {A::kCancel, A::kRelease, A::kCharge, A::kReview})
    if (actions.count(action)) actions.insert(A::kJobs);
}

// A role limited to a scope loses the site-wide actions.
std::set<ConsoleAction> without_site_wide(std::set<ConsoleAction> actions) {
  for (ConsoleAction action : kSiteWideActions) actions.erase(action);
  return actions;
}

// "Phys_1, Phys_2" or "topup release" (commas and/or spaces) as sorted, unique words.
std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> names;
  std::string word;
  for (char c : std::string(text) + ",") {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!word.empty()) names.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// The names of the [admin-scope NAME] sections, sorted.
std::vector<std::string> scope_names(const Config& config) {
  std::set<std::string> names;
  for (const std::string& key : config.keys_with_prefix(kScopePrefix)) {
    const std::string rest = key.substr(std::string_view(kScopePrefix).size());
    const std::size_t dot = rest.rfind('.');
    if (dot != std::string::npos && dot > 0) names.insert(rest.substr(0, dot));
  }
  return {names.begin(), names.end()};
}

Result<ConsoleScope> read_scope(const Config& config, const std::string& name) {
  const std::string prefix = kScopePrefix + name + ".";
  for (const std::string& key : config.keys_with_prefix(prefix)) {
    const std::string field = key.substr(prefix.size());
    if (field != "admins" && field != "operators" && field != "users" && field != "printers")
      return Status(Code::kInvalidArgument, "[admin-scope " + name + "]: unknown key '" + field +
                                                "' (admins, operators, users, printers)");
  }
  ConsoleScope scope;
  scope.name = name;
  Result<UserSet> admins =
      UserSet::parse(config.get_string(prefix + "admins", ""), prefix + "admins");
  if (!admins) return admins.status();
  Result<UserSet> operators =
      UserSet::parse(config.get_string(prefix + "operators", ""), prefix + "operators");
  if (!operators) return operators.status();
  Result<UserSet> users = UserSet::parse(config.get_string(prefix + "users", ""), prefix + "users");
  if (!users) return users.status();
  if (users->empty())
    return Status(Code::kInvalidArgument,
                  "[admin-scope " + name + "] names no users: a scope needs `users`");
  scope.admins = std::move(*admins);
  scope.operators = std::move(*operators);
  scope.users = std::move(*users);
  scope.printers = split_words(config.get_string(prefix + "printers", ""));
  return scope;
}

}  // namespace

std::string_view console_action_name(ConsoleAction action) {
  return kActionNames[static_cast<std::size_t>(action)];
}

std::optional<ConsoleAction> parse_console_action(std::string_view word) {
  for (std::size_t i = 0; i < kActionNames.size(); ++i)
    if (kActionNames[i] == word) return static_cast<ConsoleAction>(i);
  return std::nullopt;
}

const std::set<ConsoleAction>& all_console_actions() {
  static const std::set<ConsoleAction> all = [] {
    std::set<ConsoleAction> actions;
    for (std::size_t i = 0; i < kActionNames.size(); ++i)
      actions.insert(static_cast<ConsoleAction>(i));
    return actions;
  }();
  return all;
}

Result<std::set<ConsoleAction>> parse_console_actions(std::string_view text,
                                                      std::string_view what) {
  std::set<ConsoleAction> actions;
  for (const std::string& word : split_words(text)) {
    std::optional<ConsoleAction> action = parse_console_action(word);
    if (!action) {
      std::string known;
      for (std::string_view name : kActionNames)
        known += (known.empty() ? "" : ", ") + std::string(name);
      return Status(Code::kInvalidArgument,
                    std::string(what) + ": unknown action '" + word + "' (one of: " + known + ")");
    }
    actions.insert(*action);
  }
  add_implied(actions);
  return actions;
}

// --- ConsoleAccess

ConsoleAccess::ConsoleAccess(std::string user, ConsoleRole role, std::set<ConsoleAction> actions,
                             std::optional<ConsoleScope> scope)
    : user_(std::move(user)), role_(role), actions_(std::move(actions)), scope_(std::move(scope)) {}

bool ConsoleAccess::may_any(std::initializer_list<ConsoleAction> actions) const {
  return std::any_of(actions.begin(), actions.end(), [this](ConsoleAction a) { return may(a); });
}

std::string ConsoleAccess::role_label() const {
  const char* role = role_ == ConsoleRole::kAdmin      ? "admin"
                     : role_ == ConsoleRole::kOperator ? "operator"
                                                       : "user";
  return scope_ ? std::string(role) + " of " + scope_->name : std::string(role);
}

Result<bool> ConsoleAccess::covers_user(std::string_view login, PeopleStore& people) const {
  if (role_ == ConsoleRole::kNone) return false;
  if (!scope_) return true;
  return scope_->users.contains(login, people);
}

Result<bool> ConsoleAccess::covers_account(const Account& account, PeopleStore& people) const {
  if (account.type == AccountType::kShared) return role_ != ConsoleRole::kNone && !scope_;
  return covers_user(account.name, people);
}

bool ConsoleAccess::covers_printer(std::string_view printer) const {
  if (role_ == ConsoleRole::kNone) return false;
  if (!scope_) return true;
  const std::vector<std::string>& names = scope_->printers;
  return std::binary_search(names.begin(), names.end(), "*") ||
         std::binary_search(names.begin(), names.end(), printer);
}

// --- ConsolePolicy

Result<ConsolePolicy> ConsolePolicy::from_config(const Config& config, UserSet admins,
                                                 UserSet operators) {
  ConsolePolicy policy;
  policy.admins_ = std::move(admins);
  policy.operators_ = std::move(operators);
  Result<std::set<ConsoleAction>> may =
      parse_console_actions(config.get_string("operator-may", kDefaultOperatorMay), "operator-may");
  if (!may) return may.status();
  policy.operator_may_ = std::move(*may);
  for (const std::string& name : scope_names(config)) {
    Result<ConsoleScope> scope = read_scope(config, name);
    if (!scope) return scope.status();
    policy.scopes_.push_back(std::move(*scope));
  }
  return policy;
}

ConsoleAccess ConsolePolicy::access_for(const std::string& user, const IsNamedBy& named_by) const {
  if (named_by(admins_))
    return ConsoleAccess(user, ConsoleRole::kAdmin, all_console_actions(), std::nullopt);
  if (named_by(operators_))
    return ConsoleAccess(user, ConsoleRole::kOperator, operator_may_, std::nullopt);
  for (const ConsoleScope& scope : scopes_)
    if (named_by(scope.admins))
      return ConsoleAccess(user, ConsoleRole::kAdmin, without_site_wide(all_console_actions()),
                           scope);
  for (const ConsoleScope& scope : scopes_)
    if (named_by(scope.operators))
      return ConsoleAccess(user, ConsoleRole::kOperator, without_site_wide(operator_may_), scope);
  return ConsoleAccess(user, ConsoleRole::kNone, {}, std::nullopt);
}

}  // namespace pp
