// cli-main.cpp: `pullprint`, the command-line client of pullprint.
//
//   pullprint [-c FILE] [-o KEY=VALUE ...] COMMAND ...
//
// Admin commands work directly on the ledger named by the configuration (state-dir), so
// `pullprint -o state-dir=DIR account list` works on any ledger.
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "charging/payer.h"
#include "cli/cli.h"
#include "command-line.h"
#include "pricing/pricing.h"

namespace pp::cli {

const Config& CliContext::config() {
  if (!config_) {
    Result<Config> loaded = load_config(config_path, overrides);
    if (!loaded) die(loaded.status());
    config_ = std::move(*loaded);
  }
  return *config_;
}

Site& CliContext::site(SiteStores stores) {
  if (!site_) {
    Result<Site> opened = Site::open(config(), stores);
    if (!opened) die(opened.status());
    site_.emplace(std::move(*opened));
  } else if (Status more = site_->open_more(stores); !more.is_ok()) {
    die(more);
  }
  return *site_;
}

Ledger& CliContext::ledger() {
  return site().ledger();
}

std::string CliContext::currency() {
  Result<PriceProfile> profile = price_profile_from_config(config(), "default");
  if (!profile) die(profile.status());
  return profile->currency;
}

void die(const Status& status) {
  std::fprintf(stderr, "pullprint: %s\n", status.to_string().c_str());
  std::exit(status.code() == Code::kInvalidArgument ? 2 : 1);
}

std::string current_user() {
  if (const struct passwd* entry = getpwuid(getuid())) return entry->pw_name;
  return std::to_string(getuid());
}

}  // namespace pp::cli

int main(int argc, char* argv[]) {
  CLI::App app{"pullprint: pay-per-page pull printing"};
  app.require_subcommand(1);
  pp::cli::CliContext context;
  app.add_option("-c,--config", context.config_path,
                 std::string("Configuration file (default ") + pp::kDefaultConfigPath + ")");
  app.add_option("-o", context.overrides, "Override a configuration key: KEY=VALUE");

  pp::cli::add_account_commands(app, context);
  pp::cli::add_money_commands(app, context);
  pp::cli::add_ledger_commands(app, context);
  pp::cli::add_job_commands(app, context);
  pp::cli::add_printer_commands(app, context);
  pp::cli::add_card_commands(app, context);
  pp::cli::add_release_commands(app, context);
  pp::cli::add_delivery_commands(app, context);
  pp::cli::add_split_commands(app, context);
  pp::cli::add_directory_commands(app, context);
  pp::cli::add_group_commands(app, context);
  pp::cli::add_split_timer_commands(app, context);
  pp::cli::add_allocation_commands(app, context);
  pp::cli::add_refund_commands(app, context);
  pp::cli::add_notify_commands(app, context);
  pp::cli::add_report_commands(app, context);

  if (std::optional<int> status = pp::cli::parse_command_line(app, argc, argv)) return *status;
  return 0;
}
