// seed-account-store.cpp: fills a state directory with a big site for bench/web-pages-bench.sh:
// N journal entries (top-ups, prints = reserve + capture, held jobs = open reservations) over
// many users, and M held jobs, in seconds rather than the hours that one API call (one
// transaction, one fsync) per entry would take.
//
// How: Site::open() creates the schema (the ledger's and the job store's migrations); then one
// transaction per file inserts the rows with SQL, computing each journal entry's hash with the
// ledger's own chain function (ledger/ledger-chain.h) and each account's cached balance and
// reserved total from its entries, so that `pullprint ledger check` passes on the result (the
// benchmark runs it). Every held job has its open reservation under JobRef::held(uuid)'s key, as
// hold_job() leaves it, so pullprintd's start-up reconciliation finds nothing to repair; printed
// jobs are in the job store too (state printed, their price captured), as the statement joins
// them. Only self-paid money is used (no allocations): entries are hashed as chain version 1.
//
//   pullprint-seed-accounts STATE_DIR ENTRIES HELD_JOBS [USERS]
//
// Users: "alice" (every 50th event is hers: a long history for the history pages), "bob" (5 held
// jobs, nothing else: "My jobs" of a user with a few jobs), and USERS others (default 10000).
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "ledger/job-ref.h"
#include "ledger/ledger-chain.h"
#include "ledger/ledger.h"
#include "site/site.h"

namespace {

struct SeedAccount {
  std::int64_t id = 0;
  std::string name;
  std::int64_t balance = 0;
  std::int64_t reserved = 0;
};

// "2025-01-01T00:00:00.000Z" plus `seconds`.
std::string iso_at(std::int64_t seconds) {
  const std::time_t when = 1735689600 + seconds;  // 2025-01-01T00:00:00Z
  std::tm tm{};
  gmtime_r(&when, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return text;
}

std::string uuid_of(std::int64_t job) {
  char text[64];
  std::snprintf(text, sizeof text, "urn:uuid:%08llx-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(job >> 16), static_cast<unsigned long long>(job));
  return text;
}

class Seeder {
 public:
  Seeder(const std::string& state_dir, int users)
      : ledger_(pp::ledger_path_in(state_dir), SQLite::OPEN_READWRITE),
        jobs_(state_dir + "/jobs.sqlite", SQLite::OPEN_READWRITE),
        insert_entry_(ledger_,
                      "INSERT INTO journal (id, account_id, kind, amount, reservation_id,"
                      " idempotency_key, actor, note, created_at, hash)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_reservation_(ledger_,
                            "INSERT INTO reservations (id, account_id, amount, captured_amount,"
                            " state, job_ref, idempotency_key, created_at, closed_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_job_(jobs_,
                    "INSERT INTO held_jobs (uuid, owner, payer, title, format, pages,"
                    " color_pages, impressions, price_minor, currency, reservation_id, origin,"
                    " state, created_at, expires_at, updated_at, printer, released_by,"
                    " final_price_minor)"
                    " VALUES (?, ?, ?, ?, 'application/pdf', ?, ?, ?, ?, 'EUR', ?, 'bench', ?,"
                    " ?, '2099-01-01T00:00:00.000Z', ?, ?, ?, ?)") {
    for (SQLite::Database* db : {&ledger_, &jobs_}) {
      db->exec("PRAGMA synchronous = OFF");
      db->exec("PRAGMA cache_size = -262144");  // 256 MiB: the indexes stay in memory
      db->exec("BEGIN IMMEDIATE");
    }
    add_account("alice");
    add_account("bob");
    char name[32];
    for (int i = 1; i <= users; ++i) {
      std::snprintf(name, sizeof name, "user%05d", i);
      add_account(name);
    }
  }

  std::int64_t entries() const { return next_entry_ - 1; }
  std::int64_t held() const { return held_; }
  std::size_t accounts() const { return accounts_.size(); }

  // Money to start with: a top-up.
  void top_up(std::size_t account, std::int64_t amount) {
    entry(account, pp::EntryKind::kTopUp, amount, std::nullopt,
          "bench-topup:" + std::to_string(next_entry_), "desk", "cash at the desk");
    accounts_[account].balance += amount;
  }

  // A job held (open reservation), or printed (reserve + capture) at `price`.
  void job(std::size_t account, std::int64_t price, bool printed) {
    const std::int64_t number = next_job_++;
    const pp::JobRef ref = pp::JobRef::held(uuid_of(number));
    const std::int64_t reservation = next_reservation_++;
    const std::string created = iso_at(clock_);
    insert_reservation_.reset();
    insert_reservation_.bind(1, reservation);
    insert_reservation_.bind(2, accounts_[account].id);
    insert_reservation_.bind(3, price);
    insert_reservation_.bind(4, printed ? price : 0);
    insert_reservation_.bind(5, printed ? "captured" : "open");
    insert_reservation_.bind(6, ref.str());
    insert_reservation_.bind(7, ref.reserve_key());
    insert_reservation_.bind(8, created);
    if (printed)
      insert_reservation_.bind(9, created);
    else
      insert_reservation_.bind(9);
    insert_reservation_.exec();
    entry(account, pp::EntryKind::kReserve, price, reservation, ref.reserve_key(), "pullprintd",
          "");
    if (printed) {
      entry(account, pp::EntryKind::kCapture, -price, reservation, ref.capture_key(), "backend",
            "");
      accounts_[account].balance -= price;
    } else {
      accounts_[account].reserved += price;
      ++held_;
    }
    const int pages = 1 + static_cast<int>(number % 12);
    insert_job_.reset();
    insert_job_.bind(1, ref.held_uuid().value());
    insert_job_.bind(2, accounts_[account].name);
    insert_job_.bind(3, accounts_[account].name);
    insert_job_.bind(4, "Bench document " + std::to_string(number) + ".pdf");
    insert_job_.bind(5, pages);
    insert_job_.bind(6, pages / 4);
    insert_job_.bind(7, pages);
    insert_job_.bind(8, price);
    insert_job_.bind(9, reservation);
    insert_job_.bind(10, printed ? "printed" : "held");
    insert_job_.bind(11, created);
    insert_job_.bind(12, created);
    insert_job_.bind(13, printed ? "Lab_A" : "");
    insert_job_.bind(14, printed ? accounts_[account].name : "");
    if (printed)
      insert_job_.bind(15, price);
    else
      insert_job_.bind(15);
    insert_job_.exec();
  }

  // Writes the accounts' cached totals and commits both files.
  void finish() {
    SQLite::Statement update(ledger_, "UPDATE accounts SET balance = ?, reserved = ? WHERE id = ?");
    for (const SeedAccount& account : accounts_) {
      update.reset();
      update.bind(1, account.balance);
      update.bind(2, account.reserved);
      update.bind(3, account.id);
      update.exec();
    }
    ledger_.exec("COMMIT");
    jobs_.exec("COMMIT");
    // Into the database files: a reader would otherwise search a WAL of the whole seed.
    ledger_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    jobs_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

 private:
  void add_account(const std::string& name) {
    SQLite::Statement insert(ledger_,
                             "INSERT INTO accounts (name, type, created_at) VALUES (?, 'personal',"
                             " '2025-01-01T00:00:00.000Z')");
    insert.bind(1, name);
    insert.exec();
    accounts_.push_back({ledger_.getLastInsertRowid(), name, 0, 0});
  }

  void entry(std::size_t account, pp::EntryKind kind, std::int64_t amount,
             std::optional<std::int64_t> reservation, const std::string& key, const char* actor,
             const char* note) {
    pp::JournalEntry entry;
    entry.id = next_entry_++;
    entry.account_id = accounts_[account].id;
    entry.account = accounts_[account].name;
    entry.kind = kind;
    entry.amount = amount;
    entry.reservation_id = reservation;
    entry.idempotency_key = key;
    entry.actor = actor;
    entry.note = note;
    entry.created_at = iso_at(clock_++);
    previous_ = pp::ledger_detail::chain_hash(previous_, entry);
    insert_entry_.reset();
    insert_entry_.bind(1, entry.id);
    insert_entry_.bind(2, entry.account_id);
    insert_entry_.bind(3, std::string(pp::entry_kind_name(kind)));
    insert_entry_.bind(4, amount);
    if (reservation)
      insert_entry_.bind(5, *reservation);
    else
      insert_entry_.bind(5);
    insert_entry_.bind(6, key);
    insert_entry_.bind(7, entry.actor);
    insert_entry_.bind(8, entry.note);
    insert_entry_.bind(9, entry.created_at);
    insert_entry_.bind(10, previous_.data(), static_cast<int>(previous_.size()));
    insert_entry_.exec();
  }

  SQLite::Database ledger_;
  SQLite::Database jobs_;
  SQLite::Statement insert_entry_;
  SQLite::Statement insert_reservation_;
  SQLite::Statement insert_job_;
  std::vector<SeedAccount> accounts_;
  pp::ledger_detail::ChainHash previous_ = pp::ledger_detail::kChainStart;
  std::int64_t next_entry_ = 1;
  std::int64_t next_reservation_ = 1;
  std::int64_t next_job_ = 1;
  std::int64_t held_ = 0;
  std::int64_t clock_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: pullprint-seed-accounts STATE_DIR ENTRIES HELD_JOBS [USERS]\n";
    return 2;
  }
  const std::string state_dir = argv[1];
  const std::int64_t entries = std::stoll(argv[2]);
  const std::int64_t held_jobs = std::stoll(argv[3]);
  const int users = argc > 4 ? std::stoi(argv[4]) : 10000;
  const auto start = std::chrono::steady_clock::now();
  try {
    // The schema, as any door makes it.
    pp::Result<pp::Config> config = pp::Config::parse("state-dir = " + state_dir + "\n");
    if (!config) throw std::runtime_error(config.status().to_string());
    {
      pp::Result<pp::Site> site = pp::Site::open(*config);
      if (!site) throw std::runtime_error(site.status().to_string());
    }
    Seeder seeder(state_dir, users);
    std::mt19937_64 random(14);
    for (std::size_t account = 0; account < seeder.accounts(); ++account)
      if (account != 1) seeder.top_up(account, 1'000'000);     // bob has held jobs only
    for (int i = 0; i < 5; ++i) seeder.job(1, 40 + i, false);  // bob's few held jobs
    // The rest, in time order: held jobs spread over the run, prints and top-ups between them.
    std::int64_t event = 0;
    while (seeder.entries() < entries) {
      const bool alices = ++event % 50 == 0;
      const std::size_t account =
          alices ? 0 : 2 + static_cast<std::size_t>(random() % (seeder.accounts() - 2));
      const std::int64_t left = entries - seeder.entries();
      const std::int64_t held_left = held_jobs - seeder.held();
      const std::uint64_t dice = random() % 100;
      if (held_left > 0 &&
          (held_left >= left || static_cast<std::int64_t>(random() % left) < held_left * 2))
        seeder.job(account, 10 + static_cast<std::int64_t>(random() % 200), false);
      else if (dice < 10 || left < 2)
        seeder.top_up(account, 100 + static_cast<std::int64_t>(random() % 2000));
      else
        seeder.job(account, 10 + static_cast<std::int64_t>(random() % 200), true);
    }
    seeder.finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "seeded " << seeder.entries() << " journal entries, " << seeder.held()
              << " held jobs, " << seeder.accounts() << " accounts in " << seconds << " s\n";
  } catch (const std::exception& error) {
    std::cerr << "pullprint-seed-accounts: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
