// concurrency-test.cpp: several processes (and threads) writing one ledger at once.
//
// The children are real processes with their own connection, as pullprintd, the CUPS filter
// and the backend are. They share accounts and some idempotency keys; the parent then proves
// that nothing leaked (no "database is busy"), every duplicate key took effect once, the totals
// are exact and check() is clean.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

constexpr int kProcesses = 6;
constexpr int kRounds = 30;
constexpr std::int64_t kPoolStart = 1'000'000;
constexpr std::int64_t kTightStart = 1'000;

// What one child saw, written to a file for the parent.
struct ChildLog {
  std::ofstream out;
  int unexpected = 0;
  void error(const std::string& what, const Status& status) {
    out << "E " << what << ": " << status.to_string() << "\n";
    ++unexpected;
  }
};

// One child's work: own reserve+capture (or void), shared top-ups and reservations under the
// same keys as every other child, and a race for the little money on "tight".
void child_rounds(Ledger& ledger, int child, ChildLog& log) {
  int tight_ok = 0;
  for (int j = 0; j < kRounds; ++j) {
    std::string me = std::to_string(child) + ":" + std::to_string(j);
    std::string round = std::to_string(j);

    auto top = ledger.top_up("pool", 7, "topup:" + round, "child", "");
    if (top.ok())
      log.out << "T " << j << " " << top->id << "\n";
    else
      log.error("top_up " + round, top.status());

    auto own = ledger.reserve("pool", 30, "res:" + me, "job/" + me, "child");
    if (!own.ok()) {
      log.error("reserve " + me, own.status());
    } else if (j % 5 == 0) {
      auto voided = ledger.void_reservation(own->id, "void:" + me, "child", "");
      if (!voided.ok()) log.error("void " + me, voided.status());
    } else {
      auto captured = ledger.capture(own->id, 25, "cap:" + me, "child");
      if (!captured.ok()) log.error("capture " + me, captured.status());
    }

    auto shared = ledger.reserve("pool", 11, "shared-res:" + round, "job/shared", "child");
    if (!shared.ok()) {
      log.error("shared reserve " + round, shared.status());
    } else {
      log.out << "S " << j << " " << shared->id << "\n";
      auto captured = ledger.capture(shared->id, 9, "shared-cap:" + round, "child");
      if (!captured.ok()) log.error("shared capture " + round, captured.status());
      // A second attempt under another key must never charge again.
      auto again = ledger.capture(shared->id, 9, "shared-cap2:" + me, "child");
      if (again.ok() || again.status().code() != Code::kConflict) {
        log.error("second capture " + me + " was not refused", again.status());
      }
    }

    auto tight = ledger.reserve("tight", 10, "tight:" + me, "job/" + me, "child");
    if (tight.ok()) {
      auto captured = ledger.capture(tight->id, 10, "tight-cap:" + me, "child");
      if (captured.ok())
        ++tight_ok;
      else
        log.error("tight capture " + me, captured.status());
    } else if (tight.status().code() != Code::kInsufficientFunds) {
      log.error("tight reserve " + me, tight.status());
    }
  }
  log.out << "W " << tight_ok << "\n";
}

// Forks `count` children that wait for a common start signal, run `body(child)` and exit with
// its result; returns the exit codes.
template <typename Body>
std::vector<int> run_children(int count, Body body) {
  int start[2];
  if (::pipe(start) != 0) return {};
  std::vector<pid_t> pids;
  for (int child = 0; child < count; ++child) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(start[1]);
      char byte;
      while (::read(start[0], &byte, 1) > 0) {
      }  // EOF: all siblings exist, go
      ::_exit(body(child));
    }
    pids.push_back(pid);
  }
  ::close(start[0]);
  ::close(start[1]);
  std::vector<int> codes;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  }
  return codes;
}

TEST_F(LedgerTest, SeveralProcessesWriteAtOnce) {
  make_account("pool", 0, false, AccountType::kShared);
  make_account("tight");
  PP_ASSERT_OK(ledger_->top_up("pool", kPoolStart, "pool-start", "test", ""));
  PP_ASSERT_OK(ledger_->top_up("tight", kTightStart, "tight-start", "test", ""));
  ledger_.reset();  // no connection may cross fork()

  auto started = std::chrono::steady_clock::now();
  std::vector<int> codes = run_children(kProcesses, [&](int child) {
    ChildLog log{std::ofstream(dir_.file("child-" + std::to_string(child) + ".log"))};
    auto opened = open_sqlite_ledger(path());
    if (!opened.ok()) {
      log.error("open", opened.status());
      return 1;
    }
    child_rounds(*opened.value(), child, log);
    return log.unexpected == 0 ? 0 : 1;
  });
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Children agree on the ids behind shared keys; collect the rest of their reports.
  std::map<std::string, std::int64_t> shared_ids;
  int tight_wins = 0;
  for (int child = 0; child < kProcesses; ++child) {
    EXPECT_EQ(codes[child], 0) << "child " << child;
    std::ifstream in(dir_.file("child-" + std::to_string(child) + ".log"));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string tag, round;
      std::int64_t id = 0;
      fields >> tag;
      if (tag == "E") ADD_FAILURE() << "child " << child << ": " << line;
      if (tag == "W" && fields >> id) tight_wins += static_cast<int>(id);
      if (tag == "T" || tag == "S") {
        fields >> round >> id;
        auto [it, first] = shared_ids.emplace(tag + round, id);
        EXPECT_EQ(it->second, id) << "key " << tag << round << " gave different ids";
      }
    }
  }
  EXPECT_EQ(shared_ids.size(), 2u * kRounds);

  ledger_ = open_ledger_or_fail(path());
  ASSERT_NE(ledger_, nullptr);
  int voids_per_child = (kRounds + 4) / 5;
  int captures = kProcesses * (kRounds - voids_per_child);
  Account pool = account("pool");
  EXPECT_EQ(pool.balance, kPoolStart + 7 * kRounds - 25 * captures - 9 * kRounds);
  EXPECT_EQ(pool.reserved, 0);
  EXPECT_EQ(tight_wins, kTightStart / 10);  // every cent spent, none twice
  Account tight = account("tight");
  EXPECT_EQ(tight.balance, 0);
  EXPECT_EQ(tight.reserved, 0);

  auto checked = ledger_->check();
  PP_ASSERT_OK(checked);
  for (const auto& violation : checked->violations) ADD_FAILURE() << violation;
  std::int64_t entries = 2 + kRounds + 2 * kProcesses * kRounds + 2 * kRounds + 2 * tight_wins;
  EXPECT_EQ(checked->entries, entries);
  EXPECT_EQ(checked->open_reservations, 0);

  // Calls made: per round 1 top-up, 2 own, 3 shared, 1 or 2 tight; plus reporting.
  double calls = kProcesses * kRounds * 6.0 + kProcesses * kRounds + tight_wins;
  double reservations = kProcesses * kRounds * 3.0;
  std::cout << "[ ledger   ] " << kProcesses << " processes: " << static_cast<int>(calls)
            << " calls in " << seconds << " s = " << static_cast<int>(calls / seconds)
            << " calls/s, " << static_cast<int>(reservations / seconds) << " reserve calls/s; "
            << checked->entries << " journal entries\n";
  RecordProperty("calls_per_second", static_cast<int>(calls / seconds));
}

TEST(LedgerConcurrency, ProcessesRaceToCreateTheLedger) {
  TempDir dir;
  std::string path = dir.file("fresh.sqlite");
  std::vector<int> codes = run_children(kProcesses, [&](int child) {
    auto opened = open_sqlite_ledger(path);
    if (!opened.ok()) {
      std::cerr << "child " << child << ": " << opened.status().to_string() << "\n";
      return 2;
    }
    Ledger& ledger = *opened.value();
    // Everyone's first job for the same user at the same moment: one account, one allocation.
    if (!ledger.ensure_personal_account("newcomer", 500).ok()) return 3;
    if (!ledger.ensure_personal_account("user" + std::to_string(child), 100).ok()) return 4;
    return 0;
  });
  for (int child = 0; child < kProcesses; ++child) EXPECT_EQ(codes[child], 0) << child;
  auto ledger = open_ledger_or_fail(path);
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->get_account("newcomer")->balance, 500);
  EXPECT_EQ(ledger->history("newcomer", 0)->size(), 1u);
  auto all = ledger->list_accounts();
  PP_ASSERT_OK(all);
  EXPECT_EQ(all->size(), static_cast<std::size_t>(kProcesses + 1));
  auto checked = ledger->check();
  PP_ASSERT_OK(checked);
  EXPECT_TRUE(checked->ok());
  EXPECT_EQ(checked->entries, kProcesses + 1);
}

// Threads of one process: some share a Ledger (its mutex serialises them), some open their own.
TEST_F(LedgerTest, SeveralThreadsWriteAtOnce) {
  make_account("pool", 0, true, AccountType::kShared);
  constexpr int kThreads = 6, kEach = 20;
  std::vector<std::string> errors(kThreads);
  // One thread's work; returns "" or the first error.
  auto work = [&](int t) -> std::string {
    std::unique_ptr<Ledger> own;
    if (t % 2 == 1) {
      auto opened = open_sqlite_ledger(path());
      if (!opened.ok()) return opened.status().to_string();
      own = std::move(opened).value();
    }
    Ledger& ledger = own ? *own : *ledger_;
    for (int i = 0; i < kEach; ++i) {
      std::string key = std::to_string(t) + ":" + std::to_string(i);
      auto held = ledger.reserve("pool", 5, "r:" + key, "job", "thread");
      if (!held.ok()) return held.status().to_string();
      auto captured = ledger.capture(held->id, 5, "c:" + key, "thread");
      if (!captured.ok()) return captured.status().to_string();
    }
    return "";
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&, t] { errors[t] = work(t); });
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(account("pool").balance, -5 * kThreads * kEach);
  expect_consistent();
}

}  // namespace
}  // namespace pp::test
