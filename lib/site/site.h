// site.h: one pullprint site, opened once: the stores of one state directory behind their
// interfaces.
//
// Why: every door (pullprintd, the `pullprint` CLI, the pullprint-cost filter, the wrapper
// backend, the PAM module) needs some of the same six stores of the same state directory. Before
// Site each door opened them its own way, each knew the state-dir default, and the stores that
// share the ledger file each opened a throwaway Ledger to run its migrations. Site::open() is the
// one place that knows the state-dir default and the file names in it, picks the implementation
// (SQLite, the embedded default; a later PostgreSQL site plugs in here and nowhere else), and runs
// the ledger file's migrations once, before the other stores on that file are opened.
//
// A Site is one set of connections. SQLite connections belong to one thread at a time, and a
// write transaction of one connection blocks the others, so code that works on several threads
// opens a Site per thread kind (pullprintd: one for the job threads, one for the timers, one per
// delivery worker) or per operation (pullprintd's client threads, the CLI, the filter, the
// backend), exactly as it opened its stores before. Opening is cheap (no migrations run on a
// migrated file) but not free: do not open one per row.
//
// A door that needs only part of a site (the filter: the ledger and the delivery log; the PAM
// module: the card store) says so in SiteStores; asking a Site for a store it was not opened with
// is a programming error and aborts.
#pragma once

#include <memory>
#include <string>

#include "cards/cards.h"
#include "config/config.h"
#include "delivery/delivery.h"
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "people/people.h"
#include "splits/split-store.h"
#include "util/status.h"

namespace pp {

// Which stores besides the ledger (always opened) a door needs.
struct SiteStores {
  bool jobs = false;        // the held-job store (STATE_DIR/jobs.sqlite + spool/)
  bool splits = false;      // the split store (in the ledger file)
  bool cards = false;       // the card store (in the ledger file), card policy from the config
  bool deliveries = false;  // the delivery log (in the ledger file)
  bool people = false;      // people and groups (in the ledger file)
};

// Every store: what pullprintd, lib/holding's workflows and the tests open.
inline constexpr SiteStores kAllSiteStores{true, true, true, true, true};
// pullprintd's stores (it authenticates cards through PAM, not through its own card store).
inline constexpr SiteStores kServerSiteStores{true, true, false, true, true};

class Site {
 public:
  // Opens the stores of the state directory named by the config key `state-dir` (default
  // kDefaultStateDir): the ledger first (creating the file and running its migrations, which make
  // the cards', deliveries' and splits' tables too), then the stores in `stores`.
  static Result<Site> open(const Config& config, SiteStores stores = kAllSiteStores);

  // Opens the stores in `more` that this site was not opened with yet (a door that learns late
  // what it needs, as the CLI); the stores already open, and references to them, stay.
  Status open_more(SiteStores more);

  // The state directory of a config: `state-dir`, or kDefaultStateDir.
  static std::string state_dir_of(const Config& config);
  // The ledger file of a config's site: STATE_DIR/ledger.sqlite (for doors that check access to
  // it before opening, e.g. the CLI's money commands).
  static std::string ledger_path_of(const Config& config);

  Site(Site&&) noexcept;
  Site& operator=(Site&&) noexcept;
  ~Site();

  // The stores; each must have been asked for in SiteStores (the ledger always is).
  Ledger& ledger();
  JobStore& jobs();
  SplitStore& splits();
  CardStore& cards();
  DeliveryLog& deliveries();
  PeopleStore& people();
  // The state directory this site was opened on.
  const std::string& state_dir() const { return state_dir_; }

 private:
  Site() = default;

  Config config_;  // the card policy is read from it when the card store opens
  std::string state_dir_;
  std::unique_ptr<Ledger> ledger_;  // first: the split store holds a reference to it
  std::unique_ptr<JobStore> jobs_;
  std::unique_ptr<SplitStore> splits_;
  std::unique_ptr<CardStore> cards_;
  std::unique_ptr<DeliveryLog> deliveries_;
  std::unique_ptr<PeopleStore> people_;
};

// Where a site keeps its state when the config names no `state-dir`.
inline constexpr const char* kDefaultStateDir = "/var/lib/pullprint";

}  // namespace pp
