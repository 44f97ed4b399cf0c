// cli-printers.cpp: `pullprint printers`: the release printers of the config with their
// location, price profile, prices per impression and current state.
//
// States are queried in parallel, each with a short timeout, by a bounded number of threads:
// with many printers down the command still ends after about
// ceil(printers / kMaxParallelQueries) timeouts.
#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "printers/printers.h"

namespace pp::cli {

namespace {

constexpr std::size_t kMaxParallelQueries = 16;

struct PrintersArgs {
  bool json = false;
  bool no_state = false;
  double timeout_seconds = 2.0;
};

// A printer with its profile and (unless --no-state) its state.
struct PrinterRow {
  ReleasePrinter printer;
  PriceProfile profile;
  std::optional<Result<PrinterState>> state;
};

// Queries every printer's state, at most kMaxParallelQueries at a time.
void query_states(std::vector<PrinterRow>& rows, std::chrono::milliseconds timeout) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < rows.size(); i = next++)
      rows[i].state = query_printer_state(rows[i].printer, timeout);
  };
  std::vector<std::jthread> workers;
  for (std::size_t i = 0; i < std::min(rows.size(), kMaxParallelQueries); ++i)
    workers.emplace_back(worker);
}

std::vector<PrinterRow> load_rows(CliContext& context) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(context.config());
  if (!printers) die(printers.status());
  std::vector<PrinterRow> rows;
  for (ReleasePrinter& printer : *printers) {
    Result<PriceProfile> profile = price_profile_from_config(context.config(), printer.profile);
    if (!profile) die(profile.status());
    rows.push_back(PrinterRow{std::move(printer), std::move(*profile), std::nullopt});
  }
  return rows;
}

nlohmann::json state_json(const Result<PrinterState>& state) {
  if (!state) return {{"reachable", false}, {"error", state.status().to_string()}};
  return {{"reachable", state->reachable},           {"state", device_state_name(state->state)},
          {"reasons", state->state_reasons},         {"message", state->message},
          {"accepting_jobs", state->accepting_jobs}, {"can_print", state->can_print()}};
}

// null for "" (a printer has either a device URI or a CUPS queue).
nlohmann::json or_null(const std::string& text) {
  return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

nlohmann::json row_json(const PrinterRow& row) {
  const ReleasePrinter& printer = row.printer;
  const PriceProfile& profile = row.profile;
  nlohmann::json object = {
      {"name", printer.name},
      {"location", printer.location},
      {"profile", printer.profile},
      {"enabled", printer.enabled},
      {"device_uri", or_null(redacted_device_uri(printer.device_uri))},
      {"cups_queue", or_null(printer.cups_queue)},
      {"currency", profile.currency},
      {"mono_impression", profile.mono_impression},
      {"color_impression", profile.color_impression},
      {"sheet", profile.sheet},
      {"mono_price", format_money(profile.mono_impression, profile.currency)},
      {"color_price", format_money(profile.color_impression, profile.currency)}};
  object["state"] = row.state ? state_json(*row.state) : nlohmann::json();
  return object;
}

// "idle", "stopped: media-empty-error", "unreachable: cannot connect to ...".
std::string state_text(const PrinterRow& row) {
  if (!row.state) return "-";
  const Result<PrinterState>& state = *row.state;
  if (!state) return "error: " + state.status().message();
  if (!state->reachable) return "unreachable: " + state->message;
  std::string text(device_state_name(state->state));
  if (!state->accepting_jobs) text += ", not accepting jobs";
  for (const std::string& reason : state->state_reasons) text += ", " + reason;
  if (!state->message.empty()) text += " (" + state->message + ")";
  return text;
}

void print_table(const std::vector<PrinterRow>& rows) {
  if (rows.empty()) {
    std::cout << "no release printers ([printer NAME] sections) in the config\n";
    return;
  }
  const char* format = "{:<16} {:<24} {:<16} {:>10} {:>10}  {}\n";
  std::cout << fmt::format(fmt::runtime(format), "NAME", "LOCATION", "PROFILE", "MONO", "COLOUR",
                           "STATE");
  for (const PrinterRow& row : rows) {
    std::string name = row.printer.name + (row.printer.enabled ? "" : " (disabled)");
    std::cout << fmt::format(fmt::runtime(format), name, row.printer.location, row.printer.profile,
                             format_money(row.profile.mono_impression, row.profile.currency),
                             format_money(row.profile.color_impression, row.profile.currency),
                             state_text(row));
  }
}

void list_printers(CliContext& context, const PrintersArgs& args) {
  std::vector<PrinterRow> rows = load_rows(context);
  if (!args.no_state) {
    query_states(rows,
                 std::chrono::milliseconds(static_cast<std::int64_t>(args.timeout_seconds * 1000)));
  }
  if (!args.json) return print_table(rows);
  nlohmann::json list = nlohmann::json::array();
  for (const PrinterRow& row : rows) list.push_back(row_json(row));
  std::cout << list.dump(2) << "\n";
}

}  // namespace

void add_printer_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<PrintersArgs>();
  auto* printers = app.add_subcommand("printers", "List the release printers with price and state");
  printers->add_flag("--json", args->json, "JSON output");
  printers->add_flag("--no-state", args->no_state, "Do not query the printers' state");
  printers
      ->add_option("--timeout", args->timeout_seconds,
                   "Seconds to wait for each printer's state (default 2)")
      ->check(CLI::Range(0.1, 60.0));
  printers->callback([&context, args] { list_printers(context, *args); });
}

}  // namespace pp::cli
