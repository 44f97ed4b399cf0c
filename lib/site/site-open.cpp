// site-open.cpp: Site::open, the one place that picks the store implementations (SQLite), knows
// the state directory's default and file names, and runs the ledger file's migrations once.
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "site/site.h"

namespace pp {

namespace {

// A store the Site was not opened with: a programming error in the door that asked.
[[noreturn]] void missing_store(const char* name) {
  std::fprintf(stderr, "pullprint: Site opened without its %s store\n", name);
  std::abort();
}

}  // namespace

std::string Site::state_dir_of(const Config& config) {
  return config.get_string("state-dir", kDefaultStateDir);
}

std::string Site::ledger_path_of(const Config& config) {
  return ledger_path_in(state_dir_of(config));
}

Result<Site> Site::open(const Config& config, SiteStores stores) {
  Site site;
  site.config_ = config;
  site.state_dir_ = state_dir_of(config);
  // The ledger creates the file (mode, WAL) and runs every migration of the ledger file; the
  // stores opened on it afterwards find their tables made.
  Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(ledger_path_in(site.state_dir_));
  if (!ledger) return ledger.status();
  site.ledger_ = std::move(*ledger);
  if (Status opened = site.open_more(stores); !opened.is_ok()) return opened;
  return site;
}

Status Site::open_more(SiteStores more) {
  const std::string ledger_path = ledger_path_in(state_dir_);
  if (more.jobs && !jobs_) {
    Result<std::unique_ptr<JobStore>> jobs = JobStore::open(state_dir_);
    if (!jobs) return jobs.status();
    jobs_ = std::move(*jobs);
  }
  if (more.deliveries && !deliveries_) {
    Result<std::unique_ptr<DeliveryLog>> log =
        DeliveryLog::open(ledger_path, LedgerMigrations::kAlreadyRun);
    if (!log) return log.status();
    deliveries_ = std::move(*log);
  }
  if (more.splits && !splits_) {
    Result<std::unique_ptr<SplitStore>> splits =
        open_sqlite_split_store(ledger_path, *ledger_, LedgerMigrations::kAlreadyRun);
    if (!splits) return splits.status();
    splits_ = std::move(*splits);
  }
  if (more.cards && !cards_) {
    Result<CardPolicy> policy = card_policy_from_config(config_);
    if (!policy) return policy.status();
    Result<std::unique_ptr<CardStore>> cards = open_sqlite_card_store(
        ledger_path, *policy, system_unix_seconds, LedgerMigrations::kAlreadyRun);
    if (!cards) return cards.status();
    cards_ = std::move(*cards);
  }
  if (more.people && !people_) {
    Result<std::unique_ptr<PeopleStore>> people =
        open_sqlite_people_store(ledger_path, people_clock_now, LedgerMigrations::kAlreadyRun);
    if (!people) return people.status();
    people_ = std::move(*people);
  }
  return Status::ok();
}

Site::Site(Site&&) noexcept = default;
Site& Site::operator=(Site&&) noexcept = default;
Site::~Site() = default;

namespace {

// The store behind `owner`; a store the Site was not opened with aborts (missing_store).
template <typename Store>
Store& opened(const std::unique_ptr<Store>& owner, const char* name) {
  if (!owner) missing_store(name);
  return *owner;
}

}  // namespace

Ledger& Site::ledger() {
  return opened(ledger_, "ledger");
}
JobStore& Site::jobs() {
  return opened(jobs_, "held-job");
}
SplitStore& Site::splits() {
  return opened(splits_, "split");
}
CardStore& Site::cards() {
  return opened(cards_, "card");
}
DeliveryLog& Site::deliveries() {
  return opened(deliveries_, "delivery");
}
PeopleStore& Site::people() {
  return opened(people_, "people");
}

}  // namespace pp
