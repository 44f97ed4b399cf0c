// web-console-runs.cpp: the console's allocations and directories (issue 15): the [allocation
// NAME] rules with their current period and what their last applied period granted, and each
// [directory NAME] with its last sync (time, counts, last error); "Run now" and "Sync now".
//
//   GET  /pullprint/admin/allocations   the rules; the last console run (action `allocations`)
//   POST /pullprint/admin/allocations   run=1: run_allocations up to now (as `pullprint
//                                       allocation run`), on a ConsoleRun thread
//   GET  /pullprint/admin/directories   the directories and their last syncs (`directories`)
//   POST /pullprint/admin/directories   directory=NAME (or "*"): sync_directory now (as the
//                                       timer's sync_due_directories, whether due or not)
//
// Why a thread of its own (ConsoleRun) and a bounded wait: a first allocation run over a large
// group or a 50,000-user directory takes long; the request waits at most kConsoleRunWait and
// then says "started" (the page shows "running" until it ends), so a client thread is never
// held for minutes and a second click while it runs starts nothing. Both runs are idempotent
// (allocation keys; a sync is one transaction), so a timer run beside it changes nothing twice.
//
// Element ids: allocation-rules (table; rows allocation-NAME), run-allocations (button),
// allocation-run (the last console run: state, summary; its lines allocation-run-lines),
// directories (table; rows directory-NAME, cells directory-NAME-users/-groups/-cards/-outcome/
// -error), sync-NAME (buttons), sync-all, directory-run, outcome (a form's banner).
#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "allocations/allocation-groups.h"
#include "allocations/allocations.h"
#include "directory/directory-sync.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "site/site.h"
#include "util/utc-time.h"
#include "web/web-console-stores.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {

// --- ConsoleRun

ConsoleRun::~ConsoleRun() {
  if (worker_.joinable()) worker_.join();
}

bool ConsoleRun::start(const std::string& what, const std::string& who, Work work) {
  std::lock_guard lock(mutex_);
  if (state_.running) return false;
  if (worker_.joinable()) worker_.join();  // the previous run has ended (running is false)
  state_ = State{.ever = true,
                 .running = true,
                 .what = what,
                 .started_by = who,
                 .started_at = now_utc(),
                 .finished_at = "",
                 .outcome = {}};
  worker_ = std::thread([this, work = std::move(work)] {
    Outcome outcome;
    try {
      outcome = work();
    } catch (const std::exception& failure) {  // a store's or a library's exception
      outcome = Outcome{.ok = false, .summary = failure.what(), .lines = {}};
    }
    std::lock_guard done_lock(mutex_);
    state_.outcome = std::move(outcome);
    state_.running = false;
    state_.finished_at = now_utc();
    done_.notify_all();
  });
  return true;
}

ConsoleRun::State ConsoleRun::wait(std::chrono::milliseconds bound) {
  std::unique_lock lock(mutex_);
  done_.wait_for(lock, bound, [this] { return !state_.running; });
  return state_;
}

ConsoleRun::State ConsoleRun::state() {
  std::lock_guard lock(mutex_);
  return state_;
}

ConsoleRun& console_allocation_run() {
  static ConsoleRun run;
  return run;
}

ConsoleRun& console_directory_run() {
  static ConsoleRun run;
  return run;
}

namespace {

using A = ConsoleAction;

constexpr const char* kAllocationsTitle = "Allocations";
constexpr const char* kDirectoriesTitle = "Directories";

UtcSeconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A run's state as a section: running since, or finished with its summary and lines.
std::string run_section(const char* id, const ConsoleRun::State& state) {
  std::string out = "          <section class=\"pp-panel\" id=\"" + std::string(id) + "\">\n";
  if (!state.ever)
    return out +
           "          <p>No run was started from the console since pullprintd started.</p>\n" +
           "          </section>\n";
  out += "          <p><strong>" + html(state.what) + "</strong>, started by " +
         html(state.started_by) + " at " + html(when(state.started_at)) + ": ";
  if (state.running)
    return out + "<span class=\"state\">running</span>.</p>\n          </section>\n";
  out += std::string("<span class=\"state\">") + (state.outcome.ok ? "finished" : "failed") +
         "</span> at " + html(when(state.finished_at)) + ". <span class=\"summary\">" +
         html(state.outcome.summary) + "</span></p>\n";
  if (!state.outcome.lines.empty()) {
    out += "          <ul id=\"" + std::string(id) + "-lines\">\n";
    for (const std::string& line : state.outcome.lines)
      out += "            <li>" + html(line) + "</li>\n";
    out += "          </ul>\n";
  }
  return out + "          </section>\n";
}

// --- allocations

std::string recipients(const AllocationRule& rule) {
  std::string text = rule.group.empty() ? "" : "@" + rule.group;
  for (const std::string& user : rule.users) text += (text.empty() ? "" : ", ") + user;
  return text;
}

// What the latest applied period of `rule` granted, from the ledger's allocation keys.
struct LastGrant {
  std::string period;  // "" when never applied
  std::int64_t accounts = 0;
  std::int64_t granted = 0;
  std::string at;  // the newest entry of that period
};

Result<LastGrant> last_grant(Ledger& ledger, const AllocationRule& rule) {
  Result<std::vector<JournalEntry>> entries =
      ledger.entries_with_key_prefix(AllocationKey::prefix(AllocationStep::kGrant, rule.name));
  if (!entries) return entries.status();
  LastGrant last;
  for (const JournalEntry& entry : *entries) {
    std::optional<AllocationKey> key = AllocationKey::parse(entry.idempotency_key);
    if (!key) continue;
    if (key->period > last.period) {
      last = LastGrant{};
      last.period = key->period;
    }
    if (key->period != last.period) continue;
    ++last.accounts;
    last.granted += entry.amount;
    last.at = std::max(last.at, entry.created_at);
  }
  return last;
}

// The work of Run now: run_allocations up to now, the console user as the journal's actor.
ConsoleRun::Outcome run_allocations_now(const Config& config, const std::string& actor) {
  Result<AllocationRules> rules = parse_allocation_rules(config);
  if (!rules) return {false, rules.status().message(), {}};
  Result<Site> site = Site::open(config, SiteStores{.people = true});
  if (!site) return {false, site.status().message(), {}};
  AllocationRunOptions options;
  options.at = now_seconds();
  options.actor = actor;
  Result<AllocationRunReport> report =
      run_allocations(site->ledger(), *rules, site_group_members(*site), options);
  if (!report) return {false, report.status().message(), {}};
  const std::string currency = site_currency(config);
  ConsoleRun::Outcome outcome;
  std::int64_t grants = 0;
  std::int64_t granted = 0;
  for (const AllocationAction& action : report->actions) {
    const bool grant = action.key.step == AllocationStep::kGrant;
    if (grant) {
      ++grants;
      granted += action.amount;
    }
    outcome.lines.push_back(action.key.period + " " + action.key.allocation + " " +
                            action.key.account + ": " + (grant ? "granted " : "expired ") +
                            format_money(action.amount, currency) +
                            (action.prorated ? " (pro rata)" : "") + ", allocated now " +
                            format_money(action.allocated, currency));
  }
  for (const std::string& error : report->errors) outcome.lines.push_back("error: " + error);
  outcome.ok = report->errors.empty();
  outcome.summary = report->actions.empty()
                        ? "Nothing to allocate: every period up to now was applied before."
                        : std::to_string(grants) + " grant(s), " + format_money(granted, currency) +
                              "; " + std::to_string(report->actions.size() - grants) +
                              " expiry(ies).";
  if (!report->errors.empty())
    outcome.summary += " " + std::to_string(report->errors.size()) + " error(s).";
  return outcome;
}

bool allocations_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                      http_status_t status, const std::string& banner, bool ok) {
  Result<AllocationRules> rules = parse_allocation_rules(server.config);
  Result<Site> site = Site::open(server.config, SiteStores{});
  start_console_page(client, status, kAllocationsTitle, access, kConsoleAllocationsPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  if (!rules || !site) {
    const Status failure = !rules ? rules.status() : site.status();
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Allocations page: %s",
                   failure.to_string().c_str());
    put(client, console_banner("The allocations cannot be read: " + failure.message(), false));
    end_page(client);
    return true;
  }
  const std::string currency = site_currency(server.config);
  const UtcSeconds now = now_seconds();
  if (rules->rules.empty()) {
    put(client,
        "          <p id=\"allocation-rules-none\">No [allocation NAME] section is "
        "configured.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"allocation-rules\" summary=\"Allocations\">\n"
        "            <thead><tr><th>Allocation</th><th>To</th><th>Amount</th><th>Period</th>"
        "<th>Mode</th><th>Current period</th><th>Last applied period</th><th>Accounts</th>"
        "<th>Granted</th><th>At</th></tr></thead>\n            <tbody>\n");
    for (const AllocationRule& rule : rules->rules) {
      Result<LastGrant> last = last_grant(site->ledger(), rule);
      std::string applied = "-", accounts = "-", granted = "-", at = "-";
      if (!last) {
        applied = "cannot be read";
        papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Allocations page: %s",
                       last.status().to_string().c_str());
      } else if (!last->period.empty()) {
        applied = last->period;
        accounts = std::to_string(last->accounts);
        granted = format_money(last->granted, currency);
        at = when(last->at);
      }
      put(client, "            <tr id=\"allocation-" + html(rule.name) + "\"><td>" +
                      html(rule.name) + "</td><td>" + html(recipients(rule)) + "</td><td>" +
                      html(format_money(rule.amount, currency)) + "</td><td>" +
                      html(period_unit_name(rule.period)) + "</td><td>" +
                      html(allocation_mode_name(rule.mode)) + "</td><td>" +
                      html(rule.calendar().containing(now).label()) +
                      "</td><td class=\"applied\">" + html(applied) +
                      "</td><td class=\"accounts\">" + html(accounts) +
                      "</td><td class=\"granted\">" + html(granted) + "</td><td>" + html(at) +
                      "</td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  put(client,
      "          <h2 class=\"title\">Run now</h2>\n"
      "          <p>Applies every allocation due up to now, each period once (as the "
      "timer and <code>pullprint allocation run</code> do): a second run grants nothing "
      "new.</p>\n");
  start_form(client, kConsoleAllocationsPath);
  put(client,
      "          <p><input type=\"hidden\" name=\"run\" value=\"1\"><button type=\"submit\" "
      "id=\"run-allocations\">Run now</button></p>\n          </form>\n"
      "          <h2 class=\"title\">The last run from the console</h2>\n" +
          run_section("allocation-run", console_allocation_run().state()));
  end_page(client);
  return true;
}

bool allocations_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleAllocationsPath, post, &keep_open);
  if (!access) return keep_open;
  if (!post) return allocations_page(client, server, *access, HTTP_STATUS_OK, "", true);
  const Form form(client);
  if (!form.is_valid(client))
    return allocations_page(client, server, *access, HTTP_STATUS_BAD_REQUEST,
                            "Invalid form submission (its session key is missing or stale): "
                            "nothing was done. Please try again.",
                            false);
  if (!access->may(A::kAllocations))
    return console_refusal(client, *access, A::kAllocations, "allocations");
  const Config config = server.config;  // the run's own copy
  const std::string actor = access->user();
  if (!console_allocation_run().start(
          "Allocation run", actor, [config, actor] { return run_allocations_now(config, actor); }))
    return allocations_page(client, server, *access, HTTP_STATUS_CONFLICT,
                            "An allocation run is going on: nothing else was started.", false);
  const ConsoleRun::State state = console_allocation_run().wait(kConsoleRunWait);
  const std::string detail =
      state.running ? std::string("started, still running") : state.outcome.summary;
  (void)audit_change(client, server, *access, A::kAllocations, "allocations",
                     "run now: " + detail);  // logged inside; the run has happened
  return allocations_page(
      client, server, *access, HTTP_STATUS_OK,
      state.running ? "The allocation run was started and is still running: reload this page."
                    : "Allocation run finished: " + state.outcome.summary,
      state.running || state.outcome.ok);
}

// --- directories

// The work of Sync now: each named directory (every one for "*"), as the timer syncs one.
ConsoleRun::Outcome sync_directories_now(const Config& config, const std::string& which) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(config);
  if (!directories) return {false, directories.status().message(), {}};
  Result<std::unique_ptr<DirectoryStore>> store = open_directory_store(config);
  if (!store) return {false, store.status().message(), {}};
  ConsoleRun::Outcome outcome;
  int synced = 0;
  for (const DirectoryConfig& directory : *directories) {
    if (which != "*" && which != directory.name) continue;
    const std::int64_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    Result<DirectoryPlan> plan = sync_directory(directory, **store, SyncOptions{false, now});
    ++synced;
    if (!plan) {
      outcome.ok = false;
      outcome.lines.push_back(directory.name +
                              ": failed, nothing changed: " + plan.status().message());
      continue;
    }
    outcome.lines.push_back(directory.name + ": " + std::to_string(plan->users_read) +
                            " users read; " + summary_text(summarize_plan(*plan)) +
                            (plan->conflicts.empty()
                                 ? ""
                                 : "; " + std::to_string(plan->conflicts.size()) +
                                       " conflict(s): " + plan->conflicts.front()));
    if (!plan->conflicts.empty()) outcome.ok = false;
  }
  outcome.summary = synced == 0 ? "No directory named " + which + "."
                                : std::to_string(synced) + " directory(ies) synced" +
                                      (outcome.ok ? "." : ", with failures or conflicts.");
  if (synced == 0) outcome.ok = false;
  return outcome;
}

std::string unix_when(std::int64_t seconds) {
  return when(iso_utc_from_unix(seconds));
}

bool directories_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                      http_status_t status, const std::string& banner, bool ok) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(server.config);
  Result<std::unique_ptr<DirectoryStore>> store = open_directory_store(server.config);
  Result<std::vector<DirectorySyncRecord>> syncs =
      store ? (*store)->list_syncs() : Result<std::vector<DirectorySyncRecord>>(store.status());
  start_console_page(client, status, kDirectoriesTitle, access, kConsoleDirectoriesPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  if (!directories || !syncs) {
    const Status failure = !directories ? directories.status() : syncs.status();
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Directories page: %s",
                   failure.to_string().c_str());
    put(client, console_banner("The directories cannot be read: " + failure.message(), false));
    end_page(client);
    return true;
  }
  std::map<std::string, DirectorySyncRecord> last;
  for (DirectorySyncRecord& record : *syncs) last[record.directory] = std::move(record);
  if (directories->empty()) {
    put(client,
        "          <p id=\"directories-none\">No [directory NAME] section is "
        "configured.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"directories\" summary=\"Directories\">\n"
        "            <thead><tr><th>Directory</th><th>URI</th><th>Every</th><th>Last attempt</th>"
        "<th>Last success</th><th>Outcome</th><th>Users</th><th>Groups</th><th>Cards</th>"
        "<th>Changes</th><th>Conflicts</th><th>Last error</th><th></th></tr></thead>\n"
        "            <tbody>\n");
    for (const DirectoryConfig& directory : *directories) {
      const std::string id = "directory-" + html(directory.name);
      auto cell = [&](const char* name, const std::string& text) {
        return "<td id=\"" + id + "-" + name + "\">" + html(text) + "</td>";
      };
      std::string row =
          "            <tr id=\"" + id + "\"><td>" + html(directory.name) + "</td><td>" +
          html(directory.uri) + "</td><td>" +
          (directory.sync_interval > 0 ? std::to_string(directory.sync_interval) + " s"
                                       : std::string("by hand")) +
          "</td>";
      auto found = last.find(directory.name);
      if (found == last.end()) {
        row += "<td>never</td><td>-</td>" + cell("outcome", "-") + cell("users", "-") +
               cell("groups", "-") + cell("cards", "-") + cell("changes", "-") +
               cell("conflicts", "-") + cell("error", "");
      } else {
        const DirectorySyncRecord& r = found->second;
        row += "<td>" + html(unix_when(r.last_attempt_at)) + "</td><td>" +
               html(r.last_success_at ? unix_when(*r.last_success_at) : "-") + "</td>" +
               cell("outcome", r.outcome) + cell("users", std::to_string(r.users)) +
               cell("groups", std::to_string(r.groups)) + cell("cards", std::to_string(r.cards)) +
               cell("changes", std::to_string(r.changes)) +
               cell("conflicts", std::to_string(r.conflicts)) + cell("error", r.last_error);
      }
      put(client, row + "<td>");
      start_form(client, kConsoleDirectoriesPath);
      put(client, "<input type=\"hidden\" name=\"directory\" value=\"" + html(directory.name) +
                      "\"><button type=\"submit\" id=\"sync-" + html(directory.name) +
                      "\">Sync now</button></form></td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
    start_form(client, kConsoleDirectoriesPath);
    put(client,
        "          <p><input type=\"hidden\" name=\"directory\" value=\"*\"><button "
        "type=\"submit\" id=\"sync-all\">Sync every directory now</button></p>\n"
        "          </form>\n");
  }
  put(client, "          <h2 class=\"title\">The last sync from the console</h2>\n" +
                  run_section("directory-run", console_directory_run().state()));
  end_page(client);
  return true;
}

bool directories_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleDirectoriesPath, post, &keep_open);
  if (!access) return keep_open;
  if (!post) return directories_page(client, server, *access, HTTP_STATUS_OK, "", true);
  const Form form(client);
  if (!form.is_valid(client))
    return directories_page(client, server, *access, HTTP_STATUS_BAD_REQUEST,
                            "Invalid form submission (its session key is missing or stale): "
                            "nothing was done. Please try again.",
                            false);
  const char* which = form.get("directory");
  const std::string name = which && *which ? which : "*";
  const std::string subject = name == "*" ? "every directory" : "directory " + name;
  if (!access->may(A::kDirectories))
    return console_refusal(client, *access, A::kDirectories, subject);
  const Config config = server.config;  // the sync's own copy
  if (!console_directory_run().start("Sync of " + subject, access->user(),
                                     [config, name] { return sync_directories_now(config, name); }))
    return directories_page(client, server, *access, HTTP_STATUS_CONFLICT,
                            "A sync is going on: nothing else was started.", false);
  const ConsoleRun::State state = console_directory_run().wait(kConsoleRunWait);
  const std::string detail =
      state.running ? std::string("started, still running") : state.outcome.summary;
  (void)audit_change(client, server, *access, A::kDirectories, subject,
                     "sync now: " + detail);  // logged inside; the sync has happened
  return directories_page(client, server, *access, HTTP_STATUS_OK,
                          state.running
                              ? "The sync was started and is still running: reload this page."
                              : "Sync finished: " + state.outcome.summary,
                          state.running || state.outcome.ok);
}

}  // namespace

std::string last_allocation_runs_html(pappl_client_t* client, Server& server) {
  Result<AllocationRules> rules = parse_allocation_rules(server.config);
  Result<Site> site =
      rules ? Site::open(server.config, SiteStores{}) : Result<Site>(rules.status());
  if (!site) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: allocations: %s",
                   site.status().to_string().c_str());
    return "          <p>The allocations cannot be read just now.</p>\n";
  }
  if (rules->rules.empty()) return "          <p>No allocation is configured.</p>\n";
  const std::string currency = site_currency(server.config);
  std::string out = "          <ul id=\"dashboard-allocations\">\n";
  for (const AllocationRule& rule : rules->rules) {
    Result<LastGrant> last = last_grant(site->ledger(), rule);
    out += "            <li>" + html(rule.name) + ": ";
    if (!last)
      out += "cannot be read";
    else if (last->period.empty())
      out += "never applied";
    else
      out += "period " + html(last->period) + ", " + std::to_string(last->accounts) +
             " account(s), " + html(format_money(last->granted, currency)) + ", last at " +
             html(when(last->at));
    out += "</li>\n";
  }
  const ConsoleRun::State run = console_allocation_run().state();
  if (run.ever)
    out += "            <li>Console run by " + html(run.started_by) + ": " +
           (run.running ? std::string("running") : html(run.outcome.summary)) + "</li>\n";
  return out + "          </ul>\n";
}

std::string last_directory_syncs_html(pappl_client_t* client, Server& server) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(server.config);
  if (directories && directories->empty()) return "          <p>No directory is configured.</p>\n";
  Result<std::unique_ptr<DirectoryStore>> store = open_directory_store(server.config);
  Result<std::vector<DirectorySyncRecord>> syncs =
      store ? (*store)->list_syncs() : Result<std::vector<DirectorySyncRecord>>(store.status());
  if (!syncs) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: directories: %s",
                   syncs.status().to_string().c_str());
    return "          <p>The directory syncs cannot be read just now.</p>\n";
  }
  if (syncs->empty())
    return "          <p id=\"dashboard-syncs-none\">No directory sync yet.</p>\n";
  std::string out = "          <ul id=\"dashboard-syncs\">\n";
  for (const DirectorySyncRecord& r : *syncs)
    out += "            <li>" + html(r.directory) + ": " + html(unix_when(r.last_attempt_at)) +
           ", " + html(r.outcome) + " (" + std::to_string(r.users) + " users, " +
           std::to_string(r.groups) + " groups, " + std::to_string(r.cards) + " cards)" +
           (r.last_error.empty() ? "" : ": " + html(r.last_error)) + "</li>\n";
  return out + "          </ul>\n";
}

void add_console_run_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleAllocationsPath, "text/html", allocations_resource,
                                 &server);
  papplSystemAddResourceCallback(system, kConsoleDirectoriesPath, "text/html", directories_resource,
                                 &server);
}

}  // namespace pp::server::web
