// cli-refunds.cpp: `pullprint refund ...`: the desk decides users' refund requests for printed
// jobs (the rules are lib/refunds/refunds.h; users ask on the web, /pullprint/refund).
//
//   pullprint refund list [--state open|granted|denied] [--user NAME] [--limit N] [--json]
//   pullprint refund grant REQUEST-ID [--note TEXT]   refunds the captured amount, once
//   pullprint refund deny REQUEST-ID [--note TEXT]    no money moves
//
// Administrators only: the commands work on the ledger file, which only they may open (issue 15's
// console will call the same library functions). The decider recorded is the login user.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli-output.h"
#include "cli/cli.h"
#include "pricing/pricing.h"
#include "refunds/refunds.h"

namespace pp::cli {

namespace {

struct ListArgs {
  std::string state;
  std::string user;
  int limit = 100;
  bool json = false;
};

struct DecideArgs {
  std::int64_t id = 0;
  std::string note;
};

std::unique_ptr<RefundStore> open_refunds(CliContext& context) {
  // The ledger (and its migrations) first, as every command; the requests live in its file.
  (void)context.site(SiteStores{});
  Result<std::unique_ptr<RefundStore>> refunds = open_sqlite_refund_store(
      Site::ledger_path_of(context.config()), LedgerMigrations::kAlreadyRun);
  if (!refunds) die(refunds.status());
  return std::move(*refunds);
}

nlohmann::json request_json(const RefundRequest& request, const std::string& currency) {
  nlohmann::json json{{"id", request.id},
                      {"job", request.job_id},
                      {"job_ref", request.job_ref},
                      {"title", request.title},
                      {"user", request.user},
                      {"account", request.account},
                      {"amount", request.amount},
                      {"currency", currency},
                      {"reason", std::string(refund_reason_name(request.reason))},
                      {"text", request.text},
                      {"state", std::string(refund_state_name(request.state))},
                      {"created_at", request.created_at},
                      {"decision_note", request.decision_note}};
  json["decided_at"] = request.decided_at ? nlohmann::json(*request.decided_at) : nullptr;
  json["decided_by"] = request.decided_by ? nlohmann::json(*request.decided_by) : nullptr;
  return json;
}

void list(CliContext& context, const ListArgs& args) {
  std::optional<RefundState> state;
  if (!args.state.empty()) {
    state = parse_refund_state(args.state);
    if (!state)
      die(Status(Code::kInvalidArgument, "--state is open, granted or denied, not " + args.state));
  }
  std::unique_ptr<RefundStore> refunds = open_refunds(context);
  Result<std::vector<RefundRequest>> requests = refunds->list(
      args.user.empty() ? std::nullopt : std::optional<std::string>(args.user), state, args.limit);
  if (!requests) die(requests.status());
  const std::string currency = context.currency();
  if (args.json) {
    print_json_list(*requests,
                    [&](const RefundRequest& request) { return request_json(request, currency); });
    return;
  }
  if (requests->empty()) std::cout << "no refund requests\n";
  for (const RefundRequest& request : *requests) {
    std::cout << request.id << "  " << refund_state_name(request.state) << "  " << request.user
              << "  job " << request.job_id << " \"" << request.title << "\"  "
              << format_money(request.amount, currency) << "  "
              << refund_reason_text(request.reason);
    if (!request.text.empty()) std::cout << ": " << request.text;
    std::cout << "  (" << request.created_at << ")\n";
  }
}

void decide(CliContext& context, const DecideArgs& args, bool grant) {
  std::unique_ptr<RefundStore> refunds = open_refunds(context);
  Result<RefundRequest> decided =
      grant ? grant_refund(context.ledger(), *refunds, args.id, current_user(), args.note)
            : deny_refund(*refunds, args.id, current_user(), args.note);
  if (!decided) die(decided.status());
  const std::string amount = format_money(decided->amount, context.currency());
  if (grant)
    std::cout << "refund request " << decided->id << " granted: " << amount << " refunded to "
              << decided->account << "\n";
  else
    std::cout << "refund request " << decided->id << " denied (" << amount << " not refunded)\n";
}

}  // namespace

void add_refund_commands(CLI::App& app, CliContext& context) {
  auto* refund = app.add_subcommand("refund", "Users' refund requests for printed jobs (admins)");
  refund->require_subcommand(1);

  auto list_args = std::make_shared<ListArgs>();
  auto* list_command = add_list_command(*refund, "List refund requests, newest first", list_args,
                                        [&context](const ListArgs& args) { list(context, args); });
  list_command->add_option("--state", list_args->state, "open, granted or denied");
  list_command->add_option("--user", list_args->user, "Only this user's requests");
  list_command->add_option("--limit", list_args->limit, "At most this many (default 100)")
      ->check(CLI::Range(1, 100000));

  for (const bool grant : {true, false}) {
    auto args = std::make_shared<DecideArgs>();
    auto* command = refund->add_subcommand(
        grant ? "grant" : "deny",
        grant ? "Grant a request: its job's captured amount is refunded, once"
              : "Deny a request: no money moves");
    command->add_option("id", args->id, "The request's id (refund list)")->required();
    command->add_option("--note", args->note, "Why (kept with the decision)");
    command->callback([&context, args, grant] { decide(context, *args, grant); });
  }
}

}  // namespace pp::cli
