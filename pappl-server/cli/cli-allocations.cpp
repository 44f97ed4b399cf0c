// cli-allocations.cpp: `pullprint allocation list|run`: the [allocation NAME] rules and, on
// demand, the work pullprintd's timer does with them (run_allocations). `run --at TIME` is how
// an administrator catches up by hand and how tests move time, never by sleeping.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "allocations/allocation-groups.h"
#include "cli/cli-output.h"
#include "cli/cli.h"
#include "pricing/pricing.h"

namespace pp::cli {

namespace {

struct AllocationArgs {
  std::string at;  // ISO time or date; default now
  bool dry_run = false;
  bool json = false;
};

UtcSeconds time_of(const std::string& at) {
  if (at.empty()) return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  Result<UtcSeconds> parsed = parse_utc_time(at, "--at");
  if (!parsed) die(parsed.status());
  return *parsed;
}

AllocationRules rules_of(CliContext& context) {
  Result<AllocationRules> rules = parse_allocation_rules(context.config());
  if (!rules) die(rules.status());
  return std::move(*rules);
}

// Who an allocation goes to, as the configuration says it.
std::string recipients(const AllocationRule& rule) {
  std::string text = rule.group.empty() ? "" : "@" + rule.group;
  for (const std::string& user : rule.users) text += (text.empty() ? "" : ",") + user;
  return text;
}

void list_allocations(CliContext& context, const AllocationArgs& args) {
  const AllocationRules rules = rules_of(context);
  const UtcSeconds at = time_of(args.at);
  const std::string currency = context.currency();
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const AllocationRule& rule : rules.rules) {
      nlohmann::json item = {
          {"name", rule.name},
          {"group", rule.group},
          {"users", rule.users},
          {"amount", rule.amount},
          {"currency", currency},
          {"period", std::string(period_unit_name(rule.period))},
          {"mode", std::string(allocation_mode_name(rule.mode))},
          {"account", rule.account},
          {"expires", rule.expires == AllocationExpiry::kNever ? "never" : "end-of-period"},
          {"prorate", rule.prorate},
          {"current_period", rule.calendar().containing(at).label()}};
      item["cap"] = rule.cap ? nlohmann::json(*rule.cap) : nullptr;
      item["start"] = rule.start ? nlohmann::json(iso_utc(*rule.start)) : nullptr;
      list.push_back(std::move(item));
    }
    print_json({{"combine", std::string(allocation_combine_name(rules.combine))},
                {"allocations", std::move(list)}});
    return;
  }
  fmt::print("{:<16} {:<20} {:>12} {:<8} {:<6} {:>12} {:<14} {:<14} {:<7} {}\n", "ALLOCATION", "TO",
             "AMOUNT", "PERIOD", "MODE", "CAP", "ACCOUNT", "EXPIRES", "PRORATE", "CURRENT PERIOD");
  for (const AllocationRule& rule : rules.rules) {
    fmt::print("{:<16} {:<20} {:>12} {:<8} {:<6} {:>12} {:<14} {:<14} {:<7} {}\n", rule.name,
               recipients(rule), format_money(rule.amount, currency), period_unit_name(rule.period),
               allocation_mode_name(rule.mode), rule.cap ? format_money(*rule.cap, currency) : "-",
               rule.account.empty() ? "(own)" : rule.account,
               rule.expires == AllocationExpiry::kNever ? "never" : "end-of-period",
               rule.prorate ? "yes" : "no", rule.calendar().containing(at).label());
  }
  fmt::print("allocation-combine = {}\n", allocation_combine_name(rules.combine));
}

void run(CliContext& context, const AllocationArgs& args) {
  const AllocationRules rules = rules_of(context);
  AllocationRunOptions options;
  options.at = time_of(args.at);
  options.dry_run = args.dry_run;
  options.actor = current_user();
  Result<AllocationRunReport> report =
      run_allocations(context.ledger(), rules,
                      site_group_members(context.site(SiteStores{.people = true})), options);
  if (!report) die(report.status());
  const std::string currency = context.currency();
  if (args.json) {
    nlohmann::json actions = nlohmann::json::array();
    for (const AllocationAction& action : report->actions) {
      actions.push_back({{"allocation", action.key.allocation},
                         {"period", action.key.period},
                         {"account", action.key.account},
                         {"step", action.key.step == AllocationStep::kGrant ? "grant" : "expiry"},
                         {"amount", action.amount},
                         {"allocated", action.allocated},
                         {"prorated", action.prorated},
                         {"entry", action.entry_id}});
    }
    print_json({{"dry_run", args.dry_run},
                {"at", iso_utc(options.at)},
                {"actions", std::move(actions)},
                {"errors", report->errors}});
  } else {
    for (const AllocationAction& action : report->actions) {
      fmt::print("{}{} {} {} {} {}{}, allocated {}\n", args.dry_run ? "would: " : "",
                 action.key.period, action.key.allocation, action.key.account,
                 action.key.step == AllocationStep::kGrant ? "allocation" : "expiry",
                 format_money(action.amount, currency), action.prorated ? " (pro rata)" : "",
                 format_money(action.allocated, currency));
    }
    if (report->actions.empty()) std::cout << "nothing to allocate\n";
    for (const std::string& error : report->errors) std::cerr << "pullprint: " << error << "\n";
  }
  if (!report->errors.empty()) std::exit(1);
}

}  // namespace

void add_allocation_commands(CLI::App& app, CliContext& context) {
  auto* allocation = app.add_subcommand("allocation", "Money given each period ([allocation])");
  allocation->require_subcommand(1);

  auto list_args = std::make_shared<AllocationArgs>();
  auto* list =
      add_list_command(*allocation, "List the allocations and their current period", list_args,
                       [&context](const AllocationArgs& args) { list_allocations(context, args); });
  list->add_option("--at", list_args->at, "The time to show periods for (default now)");

  auto run_args = std::make_shared<AllocationArgs>();
  auto* run_command = allocation->add_subcommand(
      "run", "Apply every allocation due up to now (or --at), each period once (the timer's work)");
  run_command->add_option("--at", run_args->at,
                          "Apply as of this UTC time, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  run_command->add_flag("--dry-run", run_args->dry_run, "Show what would be done, change nothing");
  run_command->add_flag("--json", run_args->json, "JSON output");
  run_command->callback([&context, run_args] { run(context, *run_args); });
}

}  // namespace pp::cli
