// cli-directory.cpp: `pullprint directory sync [NAME] [--dry-run] [--at ISO-TIME] [--json]` and
// `pullprint directory status [--json]`: the [directory NAME] sections synced on demand (the same
// sync pullprintd's timer runs), and each directory's last sync.
//
// A sync works directly on the ledger file named by the configuration (like the other admin
// commands); exit status 1 when a directory could not be read or had conflicts.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "directory/directory-sync.h"
#include "util/utc-time.h"

namespace pp::cli {

namespace {

struct DirectoryArgs {
  std::string name;
  bool dry_run = false;
  std::string at;
  bool json = false;
};

std::unique_ptr<DirectoryStore> open_store(CliContext& context) {
  Result<std::unique_ptr<DirectoryStore>> store = open_directory_store(context.config());
  if (!store) die(store.status());
  return std::move(*store);
}

std::int64_t sync_time(const std::string& at) {
  if (at.empty()) {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::optional<std::chrono::system_clock::time_point> parsed = parse_iso_utc(at);
  if (!parsed)
    die(Status(Code::kInvalidArgument,
               "--at " + at + ": not an ISO 8601 UTC time (2026-01-31T12:00:00Z)"));
  return std::chrono::duration_cast<std::chrono::seconds>(parsed->time_since_epoch()).count();
}

nlohmann::json summary_json(const PlanSummary& s) {
  return {{"people_created", s.people_created},     {"people_updated", s.people_updated},
          {"people_renamed", s.people_renamed},     {"people_disabled", s.people_disabled},
          {"people_archived", s.people_archived},   {"accounts_created", s.accounts_created},
          {"accounts_changed", s.accounts_changed}, {"groups_changed", s.groups_changed},
          {"members_added", s.members_added},       {"members_removed", s.members_removed},
          {"cards_added", s.cards_added},           {"cards_assigned", s.cards_changed},
          {"cards_blocked", s.cards_blocked}};
}

void sync(CliContext& context, const DirectoryArgs& args) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(context.config());
  if (!directories) die(directories.status());
  std::vector<DirectoryConfig> chosen;
  for (const DirectoryConfig& directory : *directories) {
    if (args.name.empty() || directory.name == args.name) chosen.push_back(directory);
  }
  if (chosen.empty()) {
    die(Status(args.name.empty() ? Code::kNotFound : Code::kInvalidArgument,
               args.name.empty()
                   ? "no [directory NAME] section in the configuration"
                   : "no [directory " + args.name + "] section in the configuration"));
  }
  std::unique_ptr<DirectoryStore> store = open_store(context);
  SyncOptions options{args.dry_run, sync_time(args.at)};
  bool failed = false;
  nlohmann::json results = nlohmann::json::array();
  for (const DirectoryConfig& directory : chosen) {
    auto started = std::chrono::steady_clock::now();
    Result<DirectoryPlan> plan = sync_directory(directory, *store, options);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!plan) {
      failed = true;
      if (args.json) {
        results.push_back(
            {{"directory", directory.name}, {"ok", false}, {"error", plan.status().message()}});
      } else {
        std::fprintf(stderr, "pullprint: directory %s: sync failed, nothing changed: %s\n",
                     directory.name.c_str(), plan.status().message().c_str());
      }
      continue;
    }
    if (!plan->conflicts.empty()) failed = true;
    PlanSummary summary = summarize_plan(*plan);
    if (args.json) {
      results.push_back({{"directory", directory.name},
                         {"ok", plan->conflicts.empty()},
                         {"dry_run", args.dry_run},
                         {"users", plan->users_read},
                         {"groups", plan->groups_read},
                         {"cards", plan->cards_read},
                         {"changes", plan->change_count()},
                         {"summary", summary_json(summary)},
                         {"conflicts", plan->conflicts},
                         {"warnings", plan->warnings},
                         {"seconds", seconds}});
      continue;
    }
    std::printf("directory %s: %lld users, %lld groups, %lld cards read (%.1f s)%s\n",
                directory.name.c_str(), static_cast<long long>(plan->users_read),
                static_cast<long long>(plan->groups_read), static_cast<long long>(plan->cards_read),
                seconds, args.dry_run ? "; dry run, nothing changed" : "");
    std::fputs(describe_plan(*plan, args.dry_run ? 0 : 40).c_str(), stdout);
    std::printf("%s %s: %s\n", args.dry_run ? "would change" : "changed", directory.name.c_str(),
                summary_text(summary).c_str());
  }
  if (args.json) std::cout << results.dump(2) << "\n";
  if (failed) std::exit(1);
}

void status(CliContext& context, bool json) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(context.config());
  if (!directories) die(directories.status());
  std::unique_ptr<DirectoryStore> store = open_store(context);
  Result<std::vector<DirectorySyncRecord>> records = store->list_syncs();
  if (!records) die(records.status());
  auto time_text = [](std::optional<std::int64_t> at) {
    return at ? iso_utc_from_unix(*at) : std::string("never");
  };
  nlohmann::json list = nlohmann::json::array();
  if (!json)
    std::printf("%-16s %-21s %-21s %-9s %7s %6s %7s %7s  %s\n", "DIRECTORY", "LAST ATTEMPT",
                "LAST SUCCESS", "OUTCOME", "USERS", "GROUPS", "CARDS", "CHANGES", "LAST ERROR");
  for (const DirectoryConfig& directory : *directories) {
    auto record = std::find_if(records->begin(), records->end(), [&](const DirectorySyncRecord& r) {
      return r.directory == directory.name;
    });
    DirectorySyncRecord shown;
    shown.directory = directory.name;
    bool never = record == records->end();
    if (!never) shown = *record;
    if (json) {
      list.push_back({{"directory", shown.directory},
                      {"uri", directory.uri},
                      {"sync_interval", directory.sync_interval},
                      {"last_attempt_at", never ? nlohmann::json(nullptr)
                                                : nlohmann::json(time_text(shown.last_attempt_at))},
                      {"last_success_at", shown.last_success_at
                                              ? nlohmann::json(time_text(shown.last_success_at))
                                              : nlohmann::json(nullptr)},
                      {"outcome", never ? "never" : shown.outcome},
                      {"users", shown.users},
                      {"groups", shown.groups},
                      {"cards", shown.cards},
                      {"changes", shown.changes},
                      {"conflicts", shown.conflicts},
                      {"last_error", shown.last_error}});
      continue;
    }
    std::printf("%-16s %-21s %-21s %-9s %7lld %6lld %7lld %7lld  %s\n", shown.directory.c_str(),
                never ? "never" : time_text(shown.last_attempt_at).c_str(),
                time_text(shown.last_success_at).c_str(), never ? "-" : shown.outcome.c_str(),
                static_cast<long long>(shown.users), static_cast<long long>(shown.groups),
                static_cast<long long>(shown.cards), static_cast<long long>(shown.changes),
                shown.last_error.c_str());
  }
  if (json) std::cout << list.dump(2) << "\n";
}

}  // namespace

void add_directory_commands(CLI::App& app, CliContext& context) {
  CLI::App* directory = app.add_subcommand("directory", "LDAP directories: sync and status");
  directory->require_subcommand(1);

  auto sync_args = std::make_shared<DirectoryArgs>();
  CLI::App* sync_command = directory->add_subcommand(
      "sync", "read a directory (or all) and update people, groups, cards and accounts");
  sync_command->add_option("name", sync_args->name, "the [directory NAME] (default: all)");
  sync_command->add_flag("--dry-run", sync_args->dry_run,
                         "print what would change, change nothing");
  sync_command->add_option("--at", sync_args->at,
                           "the sync's time, ISO 8601 UTC (leaver grace; default now)");
  sync_command->add_flag("--json", sync_args->json, "JSON output");
  sync_command->callback([&context, sync_args] { sync(context, *sync_args); });

  auto status_json = std::make_shared<bool>(false);
  CLI::App* status_command =
      directory->add_subcommand("status", "each directory's last sync, counts and last error");
  status_command->add_flag("--json", *status_json, "JSON output");
  status_command->callback([&context, status_json] { status(context, *status_json); });
}

}  // namespace pp::cli
