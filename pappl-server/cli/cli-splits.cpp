// cli-splits.cpp: split jobs from the user's side, over IPP (pullprintd's vendor operations
// 0x4B03..0x4B06, pullprint-ipp.h):
//
//   pullprint split JOB SPEC      split my held job JOB, e.g. ratio:alice=50,bob=50
//   pullprint approvals [--json]  what I am asked to pay: job, who asks, amount, what I get,
//                                 deadline
//   pullprint approve JOB         approve my share of JOB (reserved on my account at once)
//   pullprint decline JOB         decline it (the owner covers it, or the split is cancelled)
//   pullprint approve|decline --share N   the same by share id: a split job printed to a CUPS
//                                 queue has no pullprintd job id (approvals lists it as "s<N>")
//
// The user is cupsUser() (the login name, or $CUPS_USER), authenticated by pullprintd.
#include <cups/cups.h>

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

struct SplitArgs {
  std::string server;
  int job_id = 0;
  int share_id = 0;  // approve/decline --share
  std::string spec;
  bool json = false;
};

void split_job(CliContext& context, const SplitArgs& args) {
  Connection connection = connect(context, args.server);
  IppPtr request = new_request(connection, ipp::kSplitJob);
  ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, ipp::kHeldJobIdAttr,
                args.job_id);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kSplitAttr, nullptr,
               args.spec.c_str());
  IppPtr response =
      send(connection, std::move(request), "cannot split job " + std::to_string(args.job_id));
  std::cout << cupsLastErrorString() << "\n";
}

void list_approvals(CliContext& context, const SplitArgs& args) {
  Connection connection = connect(context, args.server);
  IppPtr response =
      send(connection, new_request(connection, ipp::kGetApprovals), "cannot list the approvals");
  nlohmann::json shares = nlohmann::json::array();
  for (ipp_attribute_t* attr = ippFirstAttribute(response.get()); attr;
       attr = ippNextAttribute(response.get())) {
    if (ippGetGroupTag(attr) != IPP_TAG_JOB || !ippGetName(attr)) continue;
    const std::string name = ippGetName(attr);
    if (name == ipp::kHeldJobIdAttr) shares.push_back(nlohmann::json::object());
    if (shares.empty()) continue;
    nlohmann::json& share = shares.back();
    const char* text = ippGetString(attr, 0, nullptr);
    if (name == ipp::kHeldJobIdAttr)
      share["job"] = ippGetInteger(attr, 0);
    else if (name == "pullprint-share-id")
      share["share"] = ippGetInteger(attr, 0);
    else if (name == "pullprint-amount")
      share["amount"] = ippGetInteger(attr, 0);
    else if (name == "job-name")
      share["title"] = text ? text : "";
    else if (name == "job-originating-user-name")
      share["owner"] = text ? text : "";
    else if (name == "pullprint-currency")
      share["currency"] = text ? text : "";
    else if (name == "pullprint-share")
      share["what"] = text ? text : "";
    else if (name == "pullprint-deadline")
      share["deadline"] = text ? text : "";
    else if (name == "job-state-message")
      share["message"] = text ? text : "";
  }
  if (args.json) {
    std::cout << shares.dump(2) << "\n";
    return;
  }
  if (shares.empty()) {
    std::cout << "no pending approvals\n";
    return;
  }
  std::cout << fmt::format("{:>6}  {:<12} {:>12}  {:<16} {:<20}  {}\n", "JOB", "ASKED BY", "AMOUNT",
                           "SHARE", "DEADLINE", "TITLE");
  for (const nlohmann::json& share : shares) {
    std::cout << fmt::format(
        "{:>6}  {:<12} {:>12}  {:<16} {:<20}  {}\n",
        share.value("job", 0) != 0 ? std::to_string(share.value("job", 0))
                                   : "s" + std::to_string(share.value("share", 0)),
        share.value("owner", ""),
        format_money(share.value("amount", std::int64_t{0}), share.value("currency", "")),
        share.value("what", ""), share.value("deadline", ""), share.value("title", ""));
  }
}

void decide(CliContext& context, const SplitArgs& args, bool approve) {
  Connection connection = connect(context, args.server);
  if ((args.job_id == 0) == (args.share_id == 0))
    die(Status(Code::kInvalidArgument, "name a job or --share, not both"));
  IppPtr request = new_request(connection, approve ? ipp::kApproveShare : ipp::kDeclineShare);
  if (args.share_id != 0)
    ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, ipp::kShareIdAttr,
                  args.share_id);
  else
    ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, ipp::kHeldJobIdAttr,
                  args.job_id);
  IppPtr response =
      send(connection, std::move(request),
           std::string("cannot ") + (approve ? "approve" : "decline") + " your share " +
               (args.share_id != 0 ? std::to_string(args.share_id)
                                   : "of job " + std::to_string(args.job_id)));
  std::cout << cupsLastErrorString() << "\n";
}

void add_server_option(CLI::App* command, SplitArgs& args) {
  command->add_option("--server", args.server,
                      "pullprintd's queue (default: config key server, else the listen address)");
}

void add_job_argument(CLI::App* command, SplitArgs& args) {
  command->add_option("job", args.job_id, "Job id (from pullprint jobs / approvals)")
      ->required()
      ->check(CLI::Range(1, 2147483647));
}

}  // namespace

void add_split_commands(CLI::App& app, CliContext& context) {
  auto split_args = std::make_shared<SplitArgs>();
  auto* split = app.add_subcommand("split", "Share the cost of my held job among payers");
  add_server_option(split, *split_args);
  add_job_argument(split, *split_args);
  split->add_option("spec", split_args->spec, "The split, e.g. ratio:alice=50,bob=50;deadline=24h")
      ->required();
  split->callback([&context, split_args] { split_job(context, *split_args); });

  auto list_args = std::make_shared<SplitArgs>();
  auto* approvals = app.add_subcommand("approvals", "What others ask me to pay for");
  add_server_option(approvals, *list_args);
  approvals->add_flag("--json", list_args->json, "JSON output");
  approvals->callback([&context, list_args] { list_approvals(context, *list_args); });

  for (bool approve : {true, false}) {
    auto args = std::make_shared<SplitArgs>();
    auto* command = app.add_subcommand(
        approve ? "approve" : "decline",
        approve ? "Approve my share of a split job" : "Decline my share of a split job");
    add_server_option(command, *args);
    command->add_option("job", args->job_id, "Job id (from pullprint jobs / approvals)")
        ->check(CLI::Range(1, 2147483647));
    command
        ->add_option("--share", args->share_id,
                     "Share id instead of a job (a split job printed to a CUPS queue)")
        ->check(CLI::Range(1, 2147483647));
    command->callback([&context, args, approve] { decide(context, *args, approve); });
  }
}

}  // namespace pp::cli
