// cli-card-prepaid.cpp: `pullprint card issue` and `pullprint card activate`: prepaid cards sold
// at a desk (the rules are lib/cards/prepaid-cards.h).
//
// issue works on the ledger file (the administrator at the desk or on the server). activate
// serves ordinary users too, who cannot open an installed ledger: as `pullprint balance` does,
// it uses the ledger file when --ledger is given, or when neither --ledger nor --server is given
// and this user may open the file; otherwise it asks pullprintd (PullPrint-Activate-Card), which
// activates for the requesting user (admins may name another with --user).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cards/prepaid-cards.h"
#include "charging/money-input.h"
#include "cli/cli-ipp.h"
#include "cli/cli.h"
#include "pricing/pricing.h"
#include "pullprint-ipp.h"
#include "util/unique-fd.h"

namespace pp::cli {

namespace {

struct IssueArgs {
  int count = 0;
  std::string value;
  std::string csv;
  bool json = false;
};

struct ActivateArgs {
  std::string number;
  std::string user;
  std::string server;
  bool ledger = false;
};

// Creates the CSV file for the list: never an existing file (O_EXCL), readable by the owner
// and the group only (0640): the numbers are money.
UniqueFd create_csv(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!fd.valid())
    die(Status(Code::kInvalidArgument, "cannot create " + path + ": " + std::strerror(errno) +
                                           " (an existing file is never overwritten)"));
  return fd;
}

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die(Status(Code::kIoError, "cannot write " + path + ": " + std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0)
    die(Status(Code::kIoError, "cannot write " + path + ": " + std::strerror(errno)));
}

void issue(CliContext& context, const IssueArgs& args) {
  const std::string currency = context.currency();
  Result<std::int64_t> value = parse_money(args.value, currency);
  if (!value) die(value.status());
  // The file first: a refused file must not leave issued cards nobody has a list of.
  UniqueFd csv;
  if (!args.csv.empty()) csv = create_csv(args.csv);
  CardStore& cards = context.site(SiteStores{.cards = true}).cards();
  Result<std::vector<std::string>> numbers =
      issue_prepaid_cards(cards, args.count, *value, current_user());
  if (!numbers) die(numbers.status());
  const std::string shown = format_money(*value, currency);
  if (csv.valid()) {
    std::string text = "number,value,currency\n";
    for (const std::string& number : *numbers)
      text += number + "," + std::to_string(*value) + "," + currency + "\n";
    write_all(csv.get(), text, args.csv);
  }
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& number : *numbers)
      list.push_back({{"number", number}, {"value", *value}, {"currency", currency}});
    std::cout << list.dump(2) << "\n";
    return;
  }
  std::cout << numbers->size() << " prepaid card" << (numbers->size() == 1 ? "" : "s") << " worth "
            << shown << " each (activate with `pullprint card activate NUMBER`):\n";
  for (const std::string& number : *numbers) std::cout << number << "  " << shown << "\n";
}

// The outcome in words, the same from the ledger file and from pullprintd.
void print_outcome(const std::string& number, const std::string& user, bool credited,
                   std::int64_t value, std::int64_t balance, const std::string& currency) {
  if (credited) {
    std::cout << "card " << number << " activated for " << user << ": credited "
              << format_money(value, currency) << ", balance " << format_money(balance, currency)
              << "\n";
  } else {
    std::cout << "card " << number << " was already activated by " << user
              << ": nothing credited, balance " << format_money(balance, currency) << "\n";
  }
}

void activate_from_ledger(CliContext& context, const ActivateArgs& args) {
  const std::string path = Site::ledger_path_of(context.config());
  if (::access(path.c_str(), R_OK | W_OK) != 0)
    fail("cannot open the ledger " + path + ": " + std::strerror(errno) +
         " (without --ledger, pullprint asks pullprintd)");
  // Who may open the ledger file administers the site: naming --user is theirs to do.
  const std::string user = args.user.empty() ? current_user() : args.user;
  Site& site = context.site(SiteStores{.cards = true});
  Result<PrepaidOutcome> outcome = activate_prepaid_card(
      site.cards(), site.ledger(), context.config(), args.number, user, current_user());
  if (!outcome) die(outcome.status());
  print_outcome(outcome->number, outcome->user, outcome->credited_now, outcome->value,
                outcome->balance, context.currency());
}

void activate_over_ipp(CliContext& context, const ActivateArgs& args) {
  Connection connection = connect(context, args.server);
  IppPtr request = new_request(connection, ipp::kActivateCard);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kCardNumberAttr, nullptr,
               args.number.c_str());
  if (!args.user.empty())
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kCardUserAttr, nullptr,
                 args.user.c_str());
  IppPtr response = send(connection, std::move(request), "cannot activate card " + args.number);
  print_outcome(text_of(response.get(), ipp::kCardNumberAttr),
                text_of(response.get(), ipp::kCardUserAttr),
                boolean_of(response.get(), "pullprint-credited"),
                integer_of(response.get(), "pullprint-value"),
                integer_of(response.get(), "pullprint-balance"),
                text_of(response.get(), "pullprint-currency"));
}

void activate(CliContext& context, const ActivateArgs& args) {
  const bool local =
      args.ledger || (args.server.empty() &&
                      ::access(Site::ledger_path_of(context.config()).c_str(), R_OK | W_OK) == 0);
  if (local) return activate_from_ledger(context, args);
  activate_over_ipp(context, args);
}

}  // namespace

void add_prepaid_card_commands(CLI::App& card, CliContext& context) {
  auto issue_args = std::make_shared<IssueArgs>();
  auto* issue_command = card.add_subcommand(
      "issue", "Issue prepaid cards: N new numbers with a value and no owner (a printable list)");
  issue_command->add_option("--count", issue_args->count, "How many cards")
      ->required()
      ->check(CLI::Range(1, kMaxPrepaidIssue));
  issue_command->add_option("--value", issue_args->value, "Each card's value, e.g. 5.00")
      ->required();
  issue_command->add_option("--csv", issue_args->csv,
                            "Also write the list to this new file (mode 0640, never overwritten)");
  issue_command->add_flag("--json", issue_args->json, "JSON output");
  issue_command->callback([&context, issue_args] { issue(context, *issue_args); });

  auto activate_args = std::make_shared<ActivateArgs>();
  auto* activate_command = card.add_subcommand(
      "activate", "Activate a prepaid card: it becomes your card and its value is credited once");
  activate_command
      ->add_option("number", activate_args->number, "The card's number (dashes and case ignored)")
      ->required();
  activate_command->add_option("--user", activate_args->user,
                               "Activate it for this user (admins only)");
  auto* server = activate_command->add_option(
      "--server", activate_args->server,
      "Ask pullprintd at this queue URI, e.g. ipp://127.0.0.1:8631/ipp/print");
  activate_command
      ->add_flag("--ledger", activate_args->ledger, "Use the ledger file, never pullprintd")
      ->excludes(server);
  activate_command->callback([&context, activate_args] { activate(context, *activate_args); });
}

}  // namespace pp::cli
