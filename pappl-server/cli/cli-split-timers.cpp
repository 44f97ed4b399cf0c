// cli-split-timers.cpp: `pullprint split-timers run [--at ISO-TIME]`: pullprintd's split timer
// (lib/split-jobs: expiry, reminders, catching up; CUPS-door split jobs whose split was
// cancelled are cancelled in cupsd) once, on demand, on the site's stores.
//
// Why a command: the timer's rules depend on the time, and an admin (after downtime) or a test
// must be able to run them at a given moment instead of waiting or sleeping: `--at` is the
// clock the rules read. Notifications go to the notify-command as pullprintd's would, and are
// printed.
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "printers/printers.h"
#include "split-jobs/split-jobs.h"
#include "util/utc-time.h"

namespace pp::cli {
namespace {

struct SplitTimerArgs {
  std::string at;  // ISO 8601 UTC; "" = now
};

void run_timers(CliContext& context, const SplitTimerArgs& args) {
  SplitClock now = std::chrono::system_clock::now();
  if (!args.at.empty()) {
    std::optional<SplitClock> at = parse_iso_utc(args.at);
    if (!at)
      die(Status(Code::kInvalidArgument,
                 "--at: expected an ISO 8601 UTC time such as 2027-01-17T08:00:00Z"));
    now = *at;
  }
  Result<SplitSettings> settings = split_settings_from_config(context.config());
  if (!settings) die(settings.status());
  Site& site =
      context.site(SiteStores{.jobs = true, .splits = true, .deliveries = true, .people = true});
  SplitNotifier notify = [&settings, &site](const std::string& user, const std::string& text) {
    std::cout << "notify " << user << ": " << text << "\n";
    Status sent =
        notify_payer(*settings, site.people(), user, "pullprint: a print job to share", text);
    if (!sent.is_ok())
      std::cerr << "pullprint: notify-command for " << user << " failed: " << sent.to_string()
                << "\n";
  };
  Result<std::vector<std::string>> done =
      run_split_timers(site, *settings, notify, now, cancel_cups_job);
  if (!done) die(done.status());
  for (const std::string& line : *done) std::cout << line << "\n";
  std::cout << "split timers run at " << iso_utc(now) << ": " << done->size() << " change(s)\n";
}

}  // namespace

void add_split_timer_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<SplitTimerArgs>();
  auto* group = app.add_subcommand("split-timers", "pullprintd's split timer, on demand");
  group->require_subcommand(1);
  auto* run = group->add_subcommand(
      "run", "Expire, remind and catch up split jobs now (or --at a given time)");
  run->add_option("--at", args->at, "Run as if it were this time (ISO 8601 UTC)");
  run->callback([&context, args] { run_timers(context, *args); });
}

}  // namespace pp::cli
