// cli.h: the `pullprint` command-line client: shared context and subcommand registration.
//
// Each cli-*.cpp file adds one group of subcommands to the CLI11 app; they all read the config
// through CliContext (-c FILE, -o KEY=VALUE) and open the site the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "ledger/ledger.h"
#include "site/site.h"
#include "util/status.h"

namespace pp::cli {

// Global options and lazily opened resources shared by all subcommands.
class CliContext {
 public:
  std::optional<std::string> config_path;
  std::vector<std::string> overrides;

  // The configuration (loaded once); exits with a message on error.
  const Config& config();
  // The site (opened once, on first use; `stores` it was not opened with are opened then); exits
  // with a message on error.
  Site& site(SiteStores stores = {});
  // The site's ledger; exits with a message on error.
  Ledger& ledger();
  // Currency of the default price profile, for reading and showing amounts.
  std::string currency();

 private:
  std::optional<Config> config_;
  std::optional<Site> site_;
};

// Prints "pullprint: MESSAGE" on stderr and exits with status 1 (status 2 for usage errors).
[[noreturn]] void die(const Status& status);

// The login name of the user running the command.
std::string current_user();

void add_account_commands(CLI::App& app, CliContext& context);
void add_money_commands(CLI::App& app, CliContext& context);
void add_ledger_commands(CLI::App& app, CliContext& context);
void add_job_commands(CLI::App& app, CliContext& context);      // cli-jobs.cpp: talks to pullprintd
void add_printer_commands(CLI::App& app, CliContext& context);  // cli-printers.cpp
void add_card_commands(CLI::App& app, CliContext& context);     // cli-cards.cpp: release cards
// cli-card-prepaid.cpp: `card issue` and `card activate` (prepaid cards), in the `card` group
void add_prepaid_card_commands(CLI::App& card, CliContext& context);
// cli-card-register.cpp: `card register-start` (a terminal's card registration code)
void add_card_register_commands(CLI::App& card, CliContext& context);
void add_release_commands(CLI::App& app, CliContext& context);  // cli-release.cpp: terminals
// cli-deliveries.cpp: deliveries (list, release, reconcile) and review
void add_delivery_commands(CLI::App& app, CliContext& context);
// cli-splits.cpp: split, approvals, approve, decline (talks to pullprintd)
void add_split_commands(CLI::App& app, CliContext& context);
// cli-directory.cpp: directory sync, directory status (LDAP directories)
void add_directory_commands(CLI::App& app, CliContext& context);
void add_group_commands(CLI::App& app, CliContext& context);  // cli-groups.cpp: local groups
// cli-split-timers.cpp: split-timers run [--at ISO-TIME] (the site's stores, no pullprintd)
void add_split_timer_commands(CLI::App& app, CliContext& context);
void add_allocation_commands(CLI::App& app, CliContext& context);  // cli-allocations.cpp
void add_refund_commands(CLI::App& app, CliContext& context);      // cli-refunds.cpp
// cli-notify.cpp: notify run [--at ISO-TIME], notify list, notify receipts (lib/notify)
void add_notify_commands(CLI::App& app, CliContext& context);
void add_report_commands(CLI::App& app, CliContext& context);  // cli-reports.cpp: reports, mail

}  // namespace pp::cli
