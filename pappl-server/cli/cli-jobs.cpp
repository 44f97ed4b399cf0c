// cli-jobs.cpp: `pullprint jobs`, `pullprint cancel` and `pullprint status`: the user's side of
// the running pullprintd, over IPP (libcups) with pullprintd's vendor operations
// (pullprint-ipp.h).
//
// The server is `--server URI`, else the config key `server`, else the queue at the config's
// `listen` address. The user is cupsUser() (the login name, or $CUPS_USER); a pullprintd with
// auth = pam answers 401 and libcups asks for the password.
#include <cups/cups.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli-ipp.h"
#include "cli/cli.h"
#include "pricing/pricing.h"
#include "pullprint-ipp.h"

namespace pp::cli {
namespace {

struct JobsArgs {
  std::string server;
  bool all = false;
  bool json = false;
  int job_id = 0;
};

// `pullprint jobs`: a table (or JSON) of held jobs.
void list_jobs(CliContext& context, const JobsArgs& args) {
  Connection connection = connect(context, args.server);
  HeldJobs held = get_held_jobs(connection, args.all);
  if (args.json) {
    std::cout << held.jobs.dump(2) << "\n";
    return;
  }
  if (held.jobs.empty()) {
    std::cout << "no held jobs\n";
    return;
  }
  std::cout << fmt::format("{:>6}  {:<12} {:>5} {:>6} {:>12}  {:<20}  {}\n", "ID", "OWNER", "PAGES",
                           "COLOUR", "PRICE", "EXPIRES", "TITLE");
  for (const nlohmann::json& job : held.jobs) {
    std::cout << fmt::format(
        "{:>6}  {:<12} {:>5} {:>6} {:>12}  {:<20}  {}\n", job["id"].get<std::int64_t>(),
        job["owner"].get<std::string>(), job["pages"].get<std::int64_t>(),
        job["color_pages"].get<std::int64_t>(),
        format_money(job["price"].get<std::int64_t>(), job["currency"].get<std::string>()),
        job["expires_at"].get<std::string>(), job["title"].get<std::string>());
  }
}

// `pullprint cancel JOB-ID`.
void cancel_job(CliContext& context, const JobsArgs& args) {
  Connection connection = connect(context, args.server);
  IppPtr request = new_request(connection, ipp::kCancelHeldJob);
  ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, ipp::kHeldJobIdAttr,
                args.job_id);
  send(connection, std::move(request), "cannot cancel job " + std::to_string(args.job_id));
  std::cout << "cancelled job " << args.job_id << "; its reservation is voided\n";
}

// The queue's state from Get-Printer-Attributes.
nlohmann::json queue_json(Connection& connection) {
  IppPtr request = new_request(connection, IPP_OP_GET_PRINTER_ATTRIBUTES);
  static const char* const kWanted[] = {"printer-name", "printer-state", "printer-state-message",
                                        "printer-is-accepting-jobs"};
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 4,
                nullptr, kWanted);
  IppPtr response = send(connection, std::move(request), "cannot read the queue's state");
  ipp_attribute_t* accepting =
      ippFindAttribute(response.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
  const char* state =
      ippEnumString("printer-state", static_cast<int>(integer_of(response.get(), "printer-state")));
  return {{"name", text_of(response.get(), "printer-name")},
          {"state", state ? state : "unknown"},
          {"message", text_of(response.get(), "printer-state-message")},
          {"accepting_jobs", accepting && ippGetBoolean(accepting, 0)}};
}

// `pullprint status`: server, queue, my held jobs and my balance.
void show_status(CliContext& context, const JobsArgs& args) {
  Connection connection = connect(context, args.server);
  nlohmann::json status = {{"server", connection.uri}, {"user", cupsUser()}};
  status["queue"] = queue_json(connection);
  HeldJobs held = get_held_jobs(connection, false);
  std::int64_t reserved = 0;
  for (const nlohmann::json& job : held.jobs) reserved += job["price"].get<std::int64_t>();
  const std::string currency = text_of(held.response.get(), "pullprint-currency");
  status["held_jobs"] = held.jobs.size();
  status["held_price"] = reserved;
  status["currency"] = currency;
  if (ippFindAttribute(held.response.get(), "pullprint-balance", IPP_TAG_INTEGER)) {
    status["balance"] = integer_of(held.response.get(), "pullprint-balance");
    status["available"] = integer_of(held.response.get(), "pullprint-available");
  }
  if (args.json) {
    std::cout << status.dump(2) << "\n";
    return;
  }
  const nlohmann::json& queue = status["queue"];
  std::cout << "server:    " << connection.uri << " (reachable)\n"
            << "queue:     " << queue["name"].get<std::string>() << ", "
            << queue["state"].get<std::string>()
            << (queue["accepting_jobs"].get<bool>() ? ", accepting jobs" : ", NOT accepting jobs")
            << "\n"
            << "user:      " << cupsUser() << "\n"
            << "held jobs: " << held.jobs.size() << " (" << format_money(reserved, currency)
            << ")\n";
  if (status.contains("balance"))
    std::cout << "balance:   " << format_money(status["balance"].get<std::int64_t>(), currency)
              << " (" << format_money(status["available"].get<std::int64_t>(), currency)
              << " available)\n";
}

// --server on each subcommand.
void add_server_option(CLI::App* command, JobsArgs& args) {
  command->add_option("--server", args.server,
                      "pullprintd's queue, e.g. ipp://127.0.0.1:8631/ipp/print "
                      "(default: config key server, else the listen address)");
}

}  // namespace

void add_job_commands(CLI::App& app, CliContext& context) {
  auto jobs_args = std::make_shared<JobsArgs>();
  auto* jobs = app.add_subcommand("jobs", "List my held jobs with pages and prices (pullprintd)");
  add_server_option(jobs, *jobs_args);
  jobs->add_flag("--all", jobs_args->all, "Everybody's held jobs (admins only)");
  jobs->add_flag("--json", jobs_args->json, "JSON output");
  jobs->callback([&context, jobs_args] { list_jobs(context, *jobs_args); });

  auto cancel_args = std::make_shared<JobsArgs>();
  auto* cancel = app.add_subcommand("cancel", "Cancel a held job; its reservation is voided");
  add_server_option(cancel, *cancel_args);
  cancel->add_option("job", cancel_args->job_id, "Job id (from pullprint jobs)")
      ->required()
      ->check(CLI::Range(1, 2147483647));
  cancel->callback([&context, cancel_args] { cancel_job(context, *cancel_args); });

  auto status_args = std::make_shared<JobsArgs>();
  auto* status = app.add_subcommand("status", "Is pullprintd up; my held jobs and balance");
  add_server_option(status, *status_args);
  status->add_flag("--json", status_args->json, "JSON output");
  status->callback([&context, status_args] { show_status(context, *status_args); });
}

}  // namespace pp::cli
