// web-console-stores.h: the console's stores area (issue 15), split over its files:
//
//   web/web-console-stores.cpp    the dashboard panel, add_console_store_pages
//   web/web-console-cards.cpp     /pullprint/admin/cards: release cards, prepaid cards
//   web/web-console-runs.cpp      /pullprint/admin/allocations and /pullprint/admin/directories:
//                                 the rules and directories, Run now / Sync now (ConsoleRun)
//   web/web-console-ledger.cpp    /pullprint/admin/ledger (check, journal) and
//   /pullprint/admin/audit
//
// Internal to pullprintd.
#pragma once

#include <pappl/pappl.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server/server.h"

namespace pp::server::web {

// A run started from the console (an allocation run, a directory sync) on a thread of its own,
// so that a long run never holds a client thread, with its outcome kept for the page. One run of
// each kind at a time; pullprintd's own timers run theirs beside it (both are idempotent: an
// allocation's keys, a sync's one transaction).
class ConsoleRun {
 public:
  // What a run did: ok, one line of summary, and the details (one line each).
  struct Outcome {
    bool ok = true;
    std::string summary;
    std::vector<std::string> lines;
  };
  // The state a page shows.
  struct State {
    bool ever = false;  // a run was started since pullprintd started
    bool running = false;
    std::string what;  // "allocations", "directory students"
    std::string started_by;
    std::string started_at;   // ISO 8601 UTC
    std::string finished_at;  // "" while running
    Outcome outcome;
  };
  using Work = std::function<Outcome()>;

  ConsoleRun() = default;
  // Waits for a running run (pullprintd's exit).
  ~ConsoleRun();
  ConsoleRun(const ConsoleRun&) = delete;
  ConsoleRun& operator=(const ConsoleRun&) = delete;

  // Starts `work` unless a run is going on (false then: nothing started).
  bool start(const std::string& what, const std::string& who, Work work);
  // Waits at most `bound` for the current run to end; the state then.
  State wait(std::chrono::milliseconds bound);
  // The state now.
  State state();

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  State state_;
  std::thread worker_;
};

// The console's allocation runs and directory syncs (one of each per pullprintd).
ConsoleRun& console_allocation_run();
ConsoleRun& console_directory_run();
// How long a Run now / Sync now request waits for the run before answering "started".
inline constexpr std::chrono::seconds kConsoleRunWait{20};

void add_console_card_pages(pappl_system_t* system, Server& server);
void add_console_run_pages(pappl_system_t* system, Server& server);
void add_console_ledger_pages(pappl_system_t* system, Server& server);

// The dashboard's lines about the last directory syncs and allocation runs (HTML).
std::string last_directory_syncs_html(pappl_client_t* client, Server& server);
std::string last_allocation_runs_html(pappl_client_t* client, Server& server);

// A card number for a list: all but the last four characters masked.
std::string masked_card_number(const std::string& number);
// The "Page N" form helpers: "?a=1&b=2" of the non-empty pairs (url-encoded).
std::string query_string(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace pp::server::web
