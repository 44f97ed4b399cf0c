// cli-release.cpp: `pullprint release`, the release terminal (and the lab machine's release).
//
//   pullprint release --printer NAME [--card | --user NAME] [--job ID ...] [--all] [--loop]
//
// A terminal next to printer NAME runs it in a loop (--loop): a keyboard-wedge card reader
// types the card number and Enter on stdin, the terminal asks for the PIN (Enter when the card
// has none), lists the user's held jobs with their prices on this printer, releases all or some,
// and follows them until they are printed. --user NAME asks for a password instead; without
// either, the login user of a lab machine releases with libcups's usual password prompt.
//
// Credentials go to pullprintd as HTTP Basic after its 401 challenge: "card=NUMBER" + PIN for
// cards (pullprintd checks them with the card PAM service), NAME + password otherwise. Use
// ipps:// (TLS) for a terminal on the network. Each credential is offered once per request, so
// a wrong PIN costs one failure of the card's lockout count, not libcups's three retries.
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "cli/cli-ipp.h"
#include "cli/cli.h"
#include "pricing/pricing.h"
#include "pullprint-ipp.h"
#include "util/status.h"

namespace pp::cli {
namespace {

struct ReleaseArgs {
  std::string server;
  std::string printer;
  bool card = false;
  std::string user;
  std::vector<int> jobs;
  bool all = false;
  bool loop = false;
  int wait_seconds = 120;
};

// The credentials libcups sends after a 401, offered once per request.
struct Credentials {
  std::string user;
  std::string password;
  int offered = 0;
};

const char* password_callback(const char* /*prompt*/, http_t* /*http*/, const char* /*method*/,
                              const char* /*resource*/, void* data) {
  auto* credentials = static_cast<Credentials*>(data);
  if (credentials->offered++ > 0) return nullptr;  // refused once: do not try again
  return credentials->password.c_str();
}

// Reads one line from stdin; without echo when stdin is a terminal. nullopt at end of input.
std::optional<std::string> read_line(const std::string& prompt, bool secret) {
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  if (tty) std::cerr << prompt << std::flush;
  termios saved{};
  if (tty && secret && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  // Byte by byte, not through std::cin's buffer: a kiosk session runs in a child process, and
  // input read ahead into a buffer would be consumed twice (by the child and by the parent).
  std::string line;
  bool got = false;
  for (char c; ::read(STDIN_FILENO, &c, 1) == 1;) {
    got = true;
    if (c == '\n') break;
    line += c;
  }
  if (tty && secret) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Asks for the card or the user's password; nullopt at end of input (the kiosk loop ends).
std::optional<Credentials> ask_credentials(const ReleaseArgs& args) {
  Credentials credentials;
  if (args.card) {
    std::optional<std::string> number = read_line("Card: ", false);
    if (!number) return std::nullopt;
    if (number->empty()) return Credentials{};
    credentials.user = std::string("card=") + *number;  // server.h kCardUserPrefix
    std::optional<std::string> pin = read_line("PIN (Enter if none): ", true);
    if (!pin) return std::nullopt;
    credentials.password = *pin;
  } else if (!args.user.empty()) {
    credentials.user = args.user;
    std::optional<std::string> password = read_line("Password for " + args.user + ": ", true);
    if (!password) return std::nullopt;
    credentials.password = *password;
  }
  return credentials;
}

// What the user picks: everything (nothing named: the server releases all their held jobs,
// CUPS-door ones included), or jobs by id ("cups-17" names a job held in a CUPS queue).
struct Choice {
  bool all = false;
  std::vector<int> ids;
  std::vector<std::string> refs;
};

// --all / --job, else a prompt: "all" or Enter, "none", or ids separated by spaces or commas.
Choice choose_jobs(const ReleaseArgs& args, const nlohmann::json& listed) {
  if (!args.jobs.empty()) return Choice{false, args.jobs, {}};
  if (args.all) return Choice{true, {}, {}};
  std::optional<std::string> answer = read_line("Release which jobs? [all] ", false);
  if (!answer || *answer == "none" || *answer == "q") return {};
  if (answer->empty() || *answer == "all") return Choice{true, {}, {}};
  std::string text = *answer;
  for (char& c : text)
    if (c == ',') c = ' ';
  std::istringstream words(text);
  Choice choice;
  for (std::string word; words >> word;) {
    for (const nlohmann::json& job : listed) {
      const bool cups = job.contains("ref");
      const std::string label = (cups ? "cups-" : "") + std::to_string(job["id"].get<int>());
      if (label != word) continue;
      if (cups)
        choice.refs.push_back(job["ref"].get<std::string>());
      else
        choice.ids.push_back(job["id"].get<int>());
    }
  }
  return choice;
}

void print_jobs(const nlohmann::json& jobs, const std::string& printer) {
  std::cout << fmt::format("{:>6}  {:>5} {:>12}  {}\n", "ID", "PAGES", "PRICE", "TITLE");
  for (const nlohmann::json& job : jobs) {
    const std::int64_t price = job.value("printer_price", job["price"].get<std::int64_t>());
    const std::string label =
        (job.contains("ref") ? "cups-" : "") + std::to_string(job["id"].get<std::int64_t>());
    std::cout << fmt::format("{:>6}  {:>5} {:>12}  {}\n", label, job["pages"].get<std::int64_t>(),
                             format_money(price, job["currency"].get<std::string>()),
                             job["title"].get<std::string>());
    const std::string hint = job.value("hint", "");
    if (!hint.empty()) std::cout << "        note: " << hint << "\n";
  }
  std::cout << "on printer " << printer << "\n";
}

// Sends PullPrint-Release-Held-Jobs; prints each job's answer and returns the ids of pullprintd's
// jobs the server took (state releasing), to follow. nullopt when the server refused them all
// (a printer that is off), with its reason printed.
std::optional<std::set<int>> send_release(Connection& connection, const ReleaseArgs& args,
                                          const Choice& choice) {
  IppPtr request = new_request(connection, ipp::kReleaseHeldJobs);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "printer-name", nullptr,
               args.printer.c_str());
  if (!choice.ids.empty())
    ippAddIntegers(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, ipp::kHeldJobIdAttr,
                   static_cast<int>(choice.ids.size()), choice.ids.data());
  std::vector<const char*> refs;
  for (const std::string& ref : choice.refs) refs.push_back(ref.c_str());
  if (!refs.empty())
    ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kJobRefAttr,
                  static_cast<int>(refs.size()), nullptr, refs.data());
  IppPtr response = send_checked_later(connection, std::move(request));
  if (cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
    std::cout << "Not released: " << cupsLastErrorString() << "\n";
    return std::nullopt;
  }
  std::set<int> releasing;
  IppPtr job(ippNew());
  auto flush = [&] {
    const std::string ref = text_of(job.get(), ipp::kJobRefAttr);
    const bool has_id = ippFindAttribute(job.get(), "job-id", IPP_TAG_INTEGER) != nullptr;
    if (has_id || !ref.empty()) {
      const std::string label = ref.empty() ? std::to_string(integer_of(job.get(), "job-id")) : ref;
      std::cout << fmt::format("{:>6}  {}\n", label, text_of(job.get(), "job-state-message"));
      if (ref.empty() && text_of(job.get(), "pullprint-job-state") == "releasing")
        releasing.insert(static_cast<int>(integer_of(job.get(), "job-id")));
    }
    job.reset(ippNew());
  };
  for (ipp_attribute_t* attr = ippFirstAttribute(response.get()); attr;
       attr = ippNextAttribute(response.get())) {
    if (ippGetGroupTag(attr) != IPP_TAG_JOB) {
      flush();
      continue;
    }
    ippCopyAttribute(job.get(), attr, 0);
  }
  flush();
  if (text_of(response.get(), "status-message") == "You have no held jobs.")
    std::cout << "No held jobs.\n";
  return releasing;
}

// Follows released jobs until none is `releasing` (or the wait is over); true when all printed.
bool follow_jobs(Connection& connection, std::set<int> pending, int wait_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  bool all_printed = true;
  while (!pending.empty()) {
    HeldJobs jobs = get_held_jobs(connection, false, true, "",
                                  std::vector<int>(pending.begin(), pending.end()));
    for (const nlohmann::json& job : jobs.jobs) {
      const int id = job["id"].get<int>();
      if (!pending.contains(id) || job["state"] == "releasing") continue;
      pending.erase(id);
      // A part of a split job printed: the job is held again for the parts still to come.
      const bool part_printed = job["state"] == "held" && job["message"].get<std::string>().find(
                                                              "Printed ") != std::string::npos;
      all_printed = all_printed && (job["state"] == "printed" || part_printed);
      std::cout << fmt::format("{:>6}  {}\n", id, job["message"].get<std::string>());
    }
    if (pending.empty()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      for (int id : pending)
        std::cout << fmt::format("{:>6}  still being sent; see pullprint jobs later\n", id);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling interval, not a sync
  }
  return all_printed;
}

// One user at the terminal: log in, list, choose, release, follow. Returns the exit status.
int release_session(CliContext& context, const ReleaseArgs& args, Credentials& credentials) {
  if (!credentials.user.empty()) cupsSetUser(credentials.user.c_str());
  cupsSetPasswordCB2(password_callback, &credentials);
  Connection connection = connect(context, args.server);
  credentials.offered = 0;
  HeldJobs held = get_held_jobs(connection, false, false, args.printer);
  // --job names jobs directly (an operator releases someone else's, which is not listed).
  if (held.jobs.empty() && args.jobs.empty()) {
    std::cout << "No held jobs.\n";
    return 0;
  }
  if (!held.jobs.empty()) print_jobs(held.jobs, args.printer);
  const Choice choice = choose_jobs(args, held.jobs);
  if (!choice.all && choice.ids.empty() && choice.refs.empty()) return 0;
  credentials.offered = 0;
  std::optional<std::set<int>> releasing = send_release(connection, args, choice);
  if (!releasing) return 1;
  credentials.offered = 0;
  return follow_jobs(connection, *releasing, args.wait_seconds) ? 0 : 1;
}

// A kiosk serves each user in a child process: a refused login or an unreachable server ends
// that session with its message (the IPP helpers exit on errors), and no user's credentials or
// libcups state outlive their session.
int forked_session(CliContext& context, const ReleaseArgs& args, Credentials& credentials) {
  std::cout.flush();
  const pid_t child = ::fork();
  if (child < 0) return release_session(context, args, credentials);
  if (child == 0) {
    const int status = release_session(context, args, credentials);
    std::cout.flush();
    ::_exit(status);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int run_release(CliContext& context, const ReleaseArgs& args) {
  int status = 0;
  do {
    std::optional<Credentials> credentials = ask_credentials(args);
    if (!credentials) break;                                                       // end of input
    if ((args.card || !args.user.empty()) && credentials->user.empty()) continue;  // empty line
    status = args.loop ? forked_session(context, args, *credentials)
                       : release_session(context, args, *credentials);
    if (args.loop) std::cout << "----\n" << std::flush;
  } while (args.loop);
  return status;
}

}  // namespace

void add_release_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<ReleaseArgs>();
  auto* release = app.add_subcommand(
      "release", "Release held jobs to a printer (the release terminal: --card --loop)");
  release->add_option("--printer", args->printer, "The release printer ([printer NAME])")
      ->required();
  release->add_option("--server", args->server,
                      "pullprintd's queue, e.g. ipps://print.example.org:8631/ipp/print");
  auto* card = release->add_flag("--card", args->card,
                                 "Read a card number from stdin (card reader), then its PIN");
  release->add_option("--user", args->user, "Log in as NAME with a password")->excludes(card);
  release->add_option("--job", args->jobs, "Release only this job (repeatable)")
      ->check(CLI::Range(1, 2147483647));
  release->add_flag("--all", args->all, "Release all held jobs without asking");
  release->add_flag("--loop", args->loop, "Serve one user after another (a kiosk)");
  release->add_option("--wait", args->wait_seconds, "Seconds to follow released jobs (120)")
      ->check(CLI::Range(0, 3600));
  release->callback([&context, args] { std::exit(run_release(context, *args)); });
}

}  // namespace pp::cli
