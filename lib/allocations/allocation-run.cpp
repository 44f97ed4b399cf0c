// allocation-run.cpp: run_allocations(), the once-per-period application of the rules (the
// rules of it are written in allocations.h).
#include <algorithm>
#include <map>
#include <set>

#include "allocations/allocations.h"

namespace pp {

namespace {

using Change = Ledger::AllocationChange;

// How far back a catch-up goes at most (periods): a bound for a daily allocation after a long
// outage; far beyond any real downtime for the other units.
constexpr std::int64_t kMaxCatchUp = 400;

// One account an allocation funds.
struct Target {
  std::string account;
  bool personal = true;             // a member's own account (created when missing)
  std::optional<UtcSeconds> since;  // when the member joined
};

// What the ledger already holds of one allocation, read period by period (the keys of one
// period share a prefix, allocation-key.h) and kept for the run: a steady-state run reads only
// the current period's keys; walking back happens for targets that lack it (downtime, new
// members).
class AppliedKeys {
 public:
  AppliedKeys(Ledger& ledger, const AllocationRule& rule) : ledger_(ledger), rule_(rule) {}

  // The amount of the entry stored under `key`, nullopt when the key is not in the ledger.
  Result<std::optional<std::int64_t>> find(const AllocationKey& key) {
    auto accounts = accounts_of(key.step, key.period);
    if (!accounts.ok()) return accounts.status();
    auto found = (*accounts)->find(key.account);
    if (found == (*accounts)->end()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(found->second);
  }

  // The latest period in [lowest, highest] granted to `account`, nullopt when none.
  Result<std::optional<Period>> last_granted(const PeriodCalendar& calendar,
                                             const std::string& account, std::int64_t lowest,
                                             std::int64_t highest) {
    for (std::int64_t index = highest; index >= lowest; --index) {
      Period period = calendar.at(index);
      auto accounts = accounts_of(AllocationStep::kGrant, period.label());
      if (!accounts.ok()) return accounts.status();
      if ((*accounts)->count(account)) return std::optional<Period>(period);
    }
    return std::optional<Period>();
  }

 private:
  using Amounts = std::map<std::string, std::int64_t>;  // account -> entry amount

  Result<const Amounts*> accounts_of(AllocationStep step, const std::string& label) {
    auto& cache = step == AllocationStep::kGrant ? grants_ : expiries_;
    auto found = cache.find(label);
    if (found != cache.end()) return &found->second;
    const std::string prefix = AllocationKey::prefix(step, rule_.name) + label + "/";
    auto entries = ledger_.entries_with_key_prefix(prefix);
    if (!entries.ok()) return entries.status();
    Amounts& accounts = cache[label];
    for (const JournalEntry& entry : *entries) {
      if (auto key = AllocationKey::parse(entry.idempotency_key))
        accounts[key->account] = entry.amount;
    }
    return &accounts;
  }

  Ledger& ledger_;
  const AllocationRule& rule_;
  std::map<std::string, Amounts> grants_, expiries_;  // period label -> accounts
};

Result<std::vector<Target>> targets_of(const AllocationRule& rule, const GroupMembers& members_of) {
  std::vector<Target> targets;
  if (!rule.account.empty()) {
    targets.push_back({rule.account, false, std::nullopt});
    return targets;
  }
  if (!rule.group.empty()) {
    if (!members_of) return Status(Code::kNotFound, "no group store to find group " + rule.group);
    auto members = members_of(rule.group);
    if (!members.ok()) return members.status();
    for (const GroupMember& member : *members) targets.push_back({member.user, true, member.since});
    return targets;
  }
  for (const std::string& user : rule.users) targets.push_back({user, true, std::nullopt});
  return targets;
}

// The amount of period `period` for a member who joined at `since`: all of it, or with prorate
// the part of the period left after they joined (rounded down).
std::int64_t amount_for(const AllocationRule& rule, const Period& period,
                        const std::optional<UtcSeconds>& since, bool& prorated) {
  prorated = false;
  if (!rule.prorate || !since || *since <= period.start || *since >= period.end) {
    return rule.amount;
  }
  prorated = true;
  const auto left = static_cast<__int128>((period.end - *since).count());
  const auto whole = static_cast<__int128>((period.end - period.start).count());
  return static_cast<std::int64_t>(static_cast<__int128>(rule.amount) * left / whole);
}

// Applies (or plans) one rule for one target.
class TargetRun {
 public:
  TargetRun(Ledger& ledger, const AllocationRule& rule, const AllocationRunOptions& options,
            AppliedKeys& applied, AllocationRunReport& report)
      : ledger_(ledger), rule_(rule), options_(options), applied_(applied), report_(report) {}

  Status run(const Target& target) {
    const PeriodCalendar calendar = rule_.calendar();
    const Period current = calendar.containing(options_.at);
    if (target.since && *target.since > options_.at) return Status::ok();  // joins later
    // Where this target's periods start: after downtime the last one granted (again: its
    // expiry may be due), else the current one, or with `start` the first (a member: the one
    // they joined in).
    std::int64_t lowest = std::max<std::int64_t>(rule_.start ? 0 : current.index - kMaxCatchUp,
                                                 current.index - kMaxCatchUp);
    auto last = applied_.last_granted(calendar, target.account, lowest, current.index);
    if (!last.ok()) return last.status();
    std::int64_t from = current.index;
    if (*last) {
      from = (*last)->index;
    } else if (rule_.start) {
      from = target.since ? std::max<std::int64_t>(0, calendar.containing(*target.since).index) : 0;
    }
    from = std::max(from, lowest);
    if (from > current.index) return Status::ok();

    Result<bool> open = open_account(target);
    if (!open.ok()) return open.status();
    if (!*open) return Status::ok();
    for (std::int64_t index = from; index <= current.index; ++index) {
      const Period period = calendar.at(index);
      if (target.since && period.end <= *target.since) continue;  // not a member then
      AllocationKey grant{AllocationStep::kGrant, rule_.name, period.label(), target.account};
      Result<std::optional<std::int64_t>> granted = applied_.find(grant);
      if (!granted.ok()) return granted.status();
      bool prorated = false;
      const std::int64_t amount = amount_for(rule_, period, target.since, prorated);
      // What this period's grant gave: all an expiry may take (mode = reset: the amount it
      // topped up to; the rest is other allocations' money in the same account).
      std::int64_t given = rule_.mode == AllocationMode::kReset ? amount : granted->value_or(0);
      if (!*granted) {
        Change change{
            rule_.mode == AllocationMode::kReset ? Change::Rule::kTopUpTo : Change::Rule::kAdd,
            amount, rule_.cap};
        std::string note = "allocation " + rule_.name + " for " + period.label();
        if (prorated)
          note += " (pro rata from " +
                  date_text(std::chrono::floor<std::chrono::days>(*target.since)) + ")";
        Result<std::int64_t> added = apply(grant, change, note, prorated);
        if (!added.ok()) return added.status();
        if (rule_.mode == AllocationMode::kAdd) given = *added;
      }
      if (rule_.expires == AllocationExpiry::kEndOfPeriod && options_.at >= period.end) {
        AllocationKey expiry{AllocationStep::kExpiry, rule_.name, period.label(), target.account};
        Result<std::optional<std::int64_t>> expired = applied_.find(expiry);
        if (!expired.ok()) return expired.status();
        if (!*expired) {
          std::string note = "allocation " + rule_.name + " for " + period.label() + " expired";
          Result<std::int64_t> taken = apply(
              expiry, Change{Change::Rule::kExpire, std::max<std::int64_t>(0, given), std::nullopt},
              note, false);
          if (!taken.ok()) return taken.status();
        }
      }
    }
    return Status::ok();
  }

 private:
  // Finds (real run: creates) the account and notes its allocated money; false for a disabled
  // account (a user who left: no new money, their history and balance kept).
  Result<bool> open_account(const Target& target) {
    if (options_.dry_run) {
      Result<Account> found = ledger_.get_account(target.account);
      if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
      allocated_ = found.ok() ? found->allocated : 0;
      return !found.ok() || found->enabled;
    }
    Result<Account> account = Status(Code::kNotFound, "");
    if (target.personal) {
      account = ledger_.ensure_personal_account(target.account, 0);
    } else {
      account = ledger_.get_account(target.account);
      if (!account.ok() && account.status().code() == Code::kNotFound) {
        NewAccount shared;
        shared.name = target.account;
        shared.type = AccountType::kShared;
        account = ledger_.create_account(shared);
        if (!account.ok() && account.status().code() == Code::kAlreadyExists) {
          account = ledger_.get_account(target.account);  // created by a concurrent run
        }
      }
    }
    if (!account.ok()) return account.status();
    allocated_ = account->allocated;
    return account->enabled;
  }

  // Writes (dry run: plans) one grant or expiry; returns its amount.
  Result<std::int64_t> apply(const AllocationKey& key, const Change& change,
                             const std::string& note, bool prorated) {
    AllocationAction action{key, change.delta(allocated_), 0, prorated, 0};
    if (!options_.dry_run) {
      Result<JournalEntry> entry =
          ledger_.allocate(key.account, change, key.key(), options_.actor, note);
      if (!entry.ok()) return entry.status();
      action.amount = entry->amount;
      action.entry_id = entry->id;
    }
    allocated_ += action.amount;
    action.allocated = allocated_;
    report_.actions.push_back(action);
    return action.amount;
  }

  Ledger& ledger_;
  const AllocationRule& rule_;
  const AllocationRunOptions& options_;
  AppliedKeys& applied_;
  AllocationRunReport& report_;
  std::int64_t allocated_ = 0;
};

}  // namespace

Result<AllocationRunReport> run_allocations(Ledger& ledger, const AllocationRules& rules,
                                            const GroupMembers& members_of,
                                            const AllocationRunOptions& options) {
  AllocationRunReport report;
  // Each rule's targets first: combine = max needs to see every allocation of a user.
  std::vector<std::optional<std::vector<Target>>> targets;
  std::map<std::string, const AllocationRule*> largest;  // user -> their largest allocation
  for (const AllocationRule& rule : rules.rules) {
    Result<std::vector<Target>> found = targets_of(rule, members_of);
    if (!found.ok()) {
      report.errors.push_back("allocation " + rule.name + ": " + found.status().message());
      targets.emplace_back();
      continue;
    }
    for (const Target& target : *found) {
      if (!target.personal) continue;
      const AllocationRule*& best = largest[target.account];
      if (!best || rule.amount > best->amount)
        best = &rule;  // rules are sorted: ties keep the first
    }
    targets.emplace_back(std::move(*found));
  }
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const AllocationRule& rule = rules.rules[i];
    if (!targets[i]) continue;
    if (rule.start && options.at < *rule.start) continue;
    AppliedKeys applied(ledger, rule);
    for (const Target& target : *targets[i]) {
      if (rules.combine == AllocationCombine::kMax && target.personal &&
          largest[target.account] != &rule) {
        continue;
      }
      TargetRun run(ledger, rule, options, applied, report);
      if (Status status = run.run(target); !status.is_ok()) {
        report.errors.push_back("allocation " + rule.name + ", account " + target.account + ": " +
                                status.message());
      }
    }
  }
  return report;
}

}  // namespace pp
