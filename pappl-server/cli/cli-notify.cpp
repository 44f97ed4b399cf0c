// cli-notify.cpp: `pullprint notify ...`: the one notification path (lib/notify) by hand.
//
//   notify run [--at ISO-TIME]          pullprintd's expiry timer, on demand: expires the held jobs
//                                       due (their owners told), warns of jobs about to expire,
//                                       retries failed notify-command runs. `--at` runs it as if
//                                       it were that time, so that tests and admins never wait.
//   notify list [--user USER] [--limit N]   the notifications recorded (a user's, or everybody's
//                                       newest), with their state and attempts
//   notify receipts on|off [--user USER]    a user's receipt choice (default: the caller's own;
//                                       another user's only for whoever may write the ledger file)
//
// Each notification is recorded once (kind + subject), so running this beside pullprintd's
// timer never sends anything twice.
#include <iostream>

#include "cli.h"
#include "holding/holding.h"
#include "notify/notify.h"
#include "util/utc-time.h"

namespace pp::cli {
namespace {

struct NotifyArgs {
  std::string at;  // ISO 8601 UTC; "" = now
  std::string user;
  int limit = 50;
  std::string receipts;  // "on" | "off"
};

NotifyLog stderr_log() {
  return [](bool error, const std::string& line) {
    (error ? std::cerr : std::cout) << (error ? "pullprint: " : "") << line << "\n";
  };
}

std::unique_ptr<NotifyStore> notify_store(CliContext& context) {
  context.site();  // migrates the ledger file first
  Result<std::unique_ptr<NotifyStore>> store = open_sqlite_notify_store(
      Site::ledger_path_of(context.config()), LedgerMigrations::kAlreadyRun);
  if (!store) die(store.status());
  return std::move(*store);
}

void run(CliContext& context, const NotifyArgs& args) {
  NotifyClock now = std::chrono::system_clock::now();
  if (!args.at.empty()) {
    std::optional<NotifyClock> at = parse_iso_utc(args.at);
    if (!at)
      die(Status(Code::kInvalidArgument,
                 "--at: expected an ISO 8601 UTC time such as 2027-01-17T08:00:00Z"));
    now = *at;
  }
  Result<NotifySettings> settings = notify_settings_from_config(context.config());
  if (!settings) die(settings.status());
  Site& site =
      context.site(SiteStores{.jobs = true, .splits = true, .deliveries = true, .people = true});
  std::unique_ptr<NotifyStore> store = notify_store(context);
  Notifier notifier(std::move(*settings), *store, &site.people(), stderr_log());
  int told = 0;
  Result<int> expired = expire_held_jobs(site, iso_utc(now), [&](const HeldJob& job) {
    Result<NotifyOutcome> outcome = notify_job_expired(notifier, job, now);
    if (!outcome)
      std::cerr << "pullprint: notifying job " << job.id << ": " << outcome.status().to_string()
                << "\n";
    else if (*outcome == NotifyOutcome::kSent || *outcome == NotifyOutcome::kRetrying)
      ++told;
  });
  if (!expired) die(expired.status());
  Result<NotifyRunReport> report = run_notify_timer(notifier, site.jobs(), now);
  if (!report) die(report.status());
  std::cout << "notify run at " << iso_utc(now) << ": " << *expired << " job(s) expired (" << told
            << " told), " << report->warned << " expiry warning(s), " << report->retried
            << " retried and sent\n";
}

void list(CliContext& context, const NotifyArgs& args) {
  std::unique_ptr<NotifyStore> store = notify_store(context);
  if (args.user.empty()) die(Status(Code::kInvalidArgument, "--user is required"));
  Result<std::vector<Notice>> notices = store->list(args.user, args.limit);
  if (!notices) die(notices.status());
  for (const Notice& notice : *notices) {
    std::cout << notice.id << "\t" << notice_kind_name(notice.kind) << "\t" << notice.subject
              << "\t" << notice.recipient << "\t" << notice.address << "\t"
              << notice_state_name(notice.state) << "\t" << notice.attempts << "\t"
              << iso_utc_from_unix(notice.created_at) << "\t" << notice.title << "\n";
  }
}

void receipts(CliContext& context, const NotifyArgs& args) {
  if (args.receipts != "on" && args.receipts != "off")
    die(Status(Code::kInvalidArgument, "expected on or off"));
  const std::string user = args.user.empty() ? current_user() : args.user;
  std::unique_ptr<NotifyStore> store = notify_store(context);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (Status set = store->set_receipts(user, args.receipts == "on", now); !set.is_ok()) die(set);
  std::cout << "receipts " << args.receipts << " for " << user << "\n";
}

}  // namespace

void add_notify_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<NotifyArgs>();
  auto* group = app.add_subcommand("notify", "Notifications (low balance, expiry, receipts)");
  group->require_subcommand(1);
  auto* run_cmd = group->add_subcommand(
      "run", "Expire held jobs, warn of expiring ones, retry failed notifications (or --at)");
  run_cmd->add_option("--at", args->at, "Run as if it were this time (ISO 8601 UTC)");
  run_cmd->callback([&context, args] { run(context, *args); });
  auto* list_cmd = group->add_subcommand("list", "A user's recorded notifications, newest first");
  list_cmd->add_option("--user", args->user, "Whose notifications")->required();
  list_cmd->add_option("--limit", args->limit, "At most this many")->check(CLI::Range(1, 10000));
  list_cmd->callback([&context, args] { list(context, *args); });
  auto* receipts_cmd = group->add_subcommand("receipts", "Receipts of printed jobs on or off");
  receipts_cmd->add_option("state", args->receipts, "on or off")->required();
  receipts_cmd->add_option("--user", args->user, "Whose choice (default: yours)");
  receipts_cmd->callback([&context, args] { receipts(context, *args); });
}

}  // namespace pp::cli
