// server-main.cpp: `pullprintd`, the pull-print IPP Everywhere server.
//
//   pullprintd [-c FILE] [-o KEY=VALUE ...]
//
// Runs in the foreground and logs to stderr (systemd's journal collects it). Configuration keys
// read here, besides those of lib/ (prices, ledger; `analyzer` defaults to the pullprint-cost
// built beside pullprintd, else the installed one):
//   listen = HOST:PORT        address of the IPP server ("*:8631" = every interface)
//   state-dir = DIR           ledger, held store, and PAPPL's state in DIR/pappl/
//   auth = pam | trusted      IPP Basic authentication through the PAM service "pullprint", or
//                             a trusted network where requesting-user-name is taken as sent
//   queue = NAME              name of the virtual pull-print queue (default PullPrint)
//   tls = on | off            TLS (ipps) support; off only for tests
//   dnssd = on | off          DNS-SD advertisement through Avahi
//   log-level = debug | info | warn | error | fatal
//   expire-interval = SECONDS how often unreleased jobs are expired (default 60)
//   admins = USER,@GROUP      users and groups who may act on everybody's jobs (default root)
//   operators = USER,@GROUP   users and groups who may release others' jobs (logged)
//                             (@GROUP: a group of the people store, or a system group)
//   operator-may = ACTIONS    what operators may do on the console (default "topup, release,
//                             cancel, review"; the words: lib/console/console-access.h)
//   [admin-scope NAME]        admins/operators limited to `users` and `printers` (the same)
//   pam-service = NAME        PAM service for user name + password (default pullprint)
//   card-pam-service = NAME   PAM service for cards, Basic user "card=NUMBER" (pullprint-card)
//   backend = PATH            the pullprint wrapper backend (default: the one built beside
//                             pullprintd, else /usr/lib/cups/backend/pullprint)
//   release-timeout = SECONDS how long one job may take to reach its printer (default 900)
//   web-session-idle = SECONDS      a web session ends after this long without a request (1800)
//   web-session-lifetime = SECONDS  and after this long in any case (43200)
//   web-sign-in-attempts = N        failed web sign-ins of one name within 15 minutes before it
//                                   waits (default 5; one address: 6 times as many)
//   web-sign-in-lockout = SECONDS   how long it then waits (default 900)
//   web-url = URL             the address phones reach the web pages at, for the QR codes of the
//                             printers' release sheets (default: the admin's request's host)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "command-line.h"
#include "config/program-paths.h"
#include "holding/web-print.h"
#include "release/release-token.h"
#include "release/release.h"
#include "rights/rights.h"
#include "server/server-background.h"
#include "server/server-delivery.h"
#include "server/server-directory.h"
#include "server/server-printer-watch.h"
#include "server/server.h"
#include "split-jobs/split-jobs.h"
#include "util/unique-fd.h"

namespace pp::server {
namespace {

Server* g_server = nullptr;  // the one server of this process (PAPPL callbacks without data)

// Splits "HOST:PORT" (HOST may be "[::1]" or "*").
Status parse_listen(const std::string& text, ServerSettings& settings) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return Status(Code::kInvalidArgument, "listen: expected HOST:PORT, got '" + text + "'");
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) port = 0;
  } catch (const std::exception&) {
    port = 0;
  }
  if (port <= 0 || port > 65535)
    return Status(Code::kInvalidArgument, "listen: bad port in '" + text + "'");
  settings.listen_host = text.substr(0, colon);
  settings.listen_port = port;
  return Status::ok();
}

// "debug" ... "fatal" to PAPPL's log levels.
Result<pappl_loglevel_t> parse_log_level(const std::string& text) {
  static const std::map<std::string, pappl_loglevel_t, std::less<>> levels = {
      {"debug", PAPPL_LOGLEVEL_DEBUG},
      {"info", PAPPL_LOGLEVEL_INFO},
      {"warn", PAPPL_LOGLEVEL_WARN},
      {"error", PAPPL_LOGLEVEL_ERROR},
      {"fatal", PAPPL_LOGLEVEL_FATAL}};
  auto found = levels.find(text);
  if (found == levels.end())
    return Result<pappl_loglevel_t>(Code::kInvalidArgument,
                                    "log-level: unknown level '" + text + "'");
  return found->second;
}

// The admins and operators keys: users and @groups (people/user-set.h), asked of the people
// store (and the system's group database) in server-auth.cpp.
Status read_user_sets(const Config& config, ServerSettings& settings) {
  Result<UserSet> admins = UserSet::parse(config.get_string("admins", "root"), "admins");
  if (!admins) return admins.status();
  Result<UserSet> operators = UserSet::parse(config.get_string("operators", ""), "operators");
  if (!operators) return operators.status();
  Result<ConsolePolicy> console = ConsolePolicy::from_config(config, *admins, *operators);
  if (!console) return console.status();
  settings.console = std::move(*console);
  settings.admins = std::move(*admins);
  settings.operators = std::move(*operators);
  return Status::ok();
}

// Reads the boolean keys tls and dnssd and the integer expire-interval.
Status read_switches(const Config& config, ServerSettings& settings) {
  Result<bool> tls = config.get_bool("tls", true);
  if (!tls) return tls.status();
  Result<bool> dnssd = config.get_bool("dnssd", true);
  if (!dnssd) return dnssd.status();
  Result<std::int64_t> interval = config.get_int("expire-interval", 60);
  if (!interval) return interval.status();
  if (*interval < 1 || *interval > 86400)
    return Status(Code::kInvalidArgument, "expire-interval: expected 1..86400 seconds");
  settings.tls = *tls;
  settings.dnssd = *dnssd;
  settings.expire_interval = static_cast<int>(*interval);
  return Status::ok();
}

// An integer key within [low, high].
Result<std::int64_t> bounded_int(const Config& config, const char* key, std::int64_t fallback,
                                 std::int64_t low, std::int64_t high) {
  Result<std::int64_t> value = config.get_int(key, fallback);
  if (!value) return value;
  if (*value < low || *value > high)
    return Result<std::int64_t>(
        Code::kInvalidArgument,
        std::string(key) + ": expected " + std::to_string(low) + ".." + std::to_string(high));
  return value;
}

// The web sign-in keys: session limits and failed sign-ins (lib/sessions/).
Status read_web_sign_in(const Config& config, ServerSettings& settings) {
  Result<std::int64_t> idle = bounded_int(config, "web-session-idle", 1800, 60, 86400);
  if (!idle) return idle.status();
  Result<std::int64_t> lifetime =
      bounded_int(config, "web-session-lifetime", 43200, 60, 30 * 86400);
  if (!lifetime) return lifetime.status();
  Result<std::int64_t> attempts = bounded_int(config, "web-sign-in-attempts", 5, 1, 1000);
  if (!attempts) return attempts.status();
  Result<std::int64_t> lockout = bounded_int(config, "web-sign-in-lockout", 900, 1, 86400);
  if (!lockout) return lockout.status();
  settings.web_sessions.idle = std::chrono::seconds(*idle);
  settings.web_sessions.lifetime = std::chrono::seconds(*lifetime);
  settings.web_sign_in.per_name = static_cast<int>(*attempts);
  settings.web_sign_in.per_address = static_cast<int>(*attempts) * 6;
  settings.web_sign_in.lockout = std::chrono::seconds(*lockout);
  return Status::ok();
}

// Finds the analyser and the wrapper backend (configured, built beside this server, or
// installed) and fixes them in the configuration the server and its children read: a missing
// one stops the server now, with the key to set, instead of refusing every job later.
Status find_child_programs(Config& config) {
  const std::string self = self_executable();
  for (const ProgramPath* program : {&kAnalyzerProgram, &kBackendProgram}) {
    Result<std::string> path = find_program(*program, config, self);
    if (!path) return path.status();
    std::fprintf(stderr, "pullprintd: %s: %s\n", std::string(program->what).c_str(), path->c_str());
    config.set(std::string(program->key), *path);
  }
  return Status::ok();
}

// Prints the failure and returns the exit status of a configuration error.
int fail(const Status& status) {
  std::fprintf(stderr, "pullprintd: %s\n", status.to_string().c_str());
  return status.code() == Code::kInvalidArgument ? 2 : 1;
}

}  // namespace

Result<ServerSettings> read_settings(const Config& config) {
  ServerSettings settings;
  if (Status s = parse_listen(config.get_string("listen", "localhost:8631"), settings); !s.is_ok())
    return s;
  settings.state_dir = Site::state_dir_of(config);
  settings.pappl_dir = settings.state_dir + "/pappl";
  settings.queue = config.get_string("queue", "PullPrint");
  const std::string auth = config.get_string("auth", "pam");
  if (auth != "pam" && auth != "trusted")
    return Result<ServerSettings>(Code::kInvalidArgument,
                                  "auth: expected pam or trusted, got '" + auth + "'");
  settings.pam_auth = auth == "pam";
  Result<pappl_loglevel_t> level = parse_log_level(config.get_string("log-level", "info"));
  if (!level) return level.status();
  settings.log_level = *level;
  if (Status s = read_user_sets(config, settings); !s.is_ok()) return s;
  // The rights keys (lib/rights): a bad one stops the server now, not every job later.
  if (Result<SiteRights> rights = rights_from_config(config); !rights) return rights.status();
  // The QR release pages' keys (release/release-token.h): likewise.
  if (Status s = check_release_token_keys(config); !s.is_ok()) return s;
  if (const std::string web_url = config.get_string("web-url", "");
      !web_url.empty() && !web_url.starts_with("http://") && !web_url.starts_with("https://"))
    return Result<ServerSettings>(
        Code::kInvalidArgument,
        "web-url: expected http://HOST[:PORT] or https://HOST[:PORT], got '" + web_url + "'");
  // The web print page's keys (holding/web-print.h): a bad one stops the server now, not every
  // upload later with a 500.
  if (Result<WebPrintSettings> web_print = web_print_settings(config); !web_print)
    return web_print.status();
  settings.pam_service = config.get_string("pam-service", settings.pam_service);
  settings.card_pam_service = config.get_string("card-pam-service", settings.card_pam_service);
  if (Status s = read_switches(config, settings); !s.is_ok()) return s;
  if (Status s = read_web_sign_in(config, settings); !s.is_ok()) return s;
  return settings;
}

Server& current_server() {
  return *g_server;
}

// Writes the effective configuration (file + -o overrides) where the wrapper backend reads it:
// STATE/backend.conf, private (it may hold device URIs with credentials).
Result<std::string> write_backend_config(const Server& server) {
  const std::string path = server.settings.state_dir + "/backend.conf";
  const std::string temp = path + ".new";
  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd.valid())
      return Status(Code::kIoError, "cannot write " + temp + ": " + std::strerror(errno));
    const std::string text =
        "# Written by pullprintd at start-up: its configuration for the "
        "pullprint backend.\n" +
        server.config.to_text();
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      return Status(Code::kIoError, "cannot write " + temp + ": " + std::strerror(errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0)
    return Status(Code::kIoError, "cannot rename " + temp + ": " + std::strerror(errno));
  return path;
}

// Finishes releases a crash interrupted, then starts the delivery workers (threads start with
// the first job for each printer).
Status start_delivery(Server& server) {
  Result<BackendSettings> backend = backend_settings_from_config(server.config);
  if (!backend) return backend.status();
  Result<std::string> config_path = write_backend_config(server);
  if (!config_path) return config_path.status();
  backend->config_path = *config_path;
  Result<int> recovered = recover_releases(*server.timers);
  if (!recovered) return recovered.status();
  if (*recovered > 0)
    std::fprintf(stderr, "pullprintd: finished %d interrupted release(s)\n", *recovered);
  server.workers = std::make_unique<DeliveryWorkers>(server, std::move(*backend));
  return Status::ok();
}

// Loads the configuration, opens the held store, creates the PAPPL system and runs it until
// SIGTERM/SIGINT.
int run_server(const std::optional<std::string>& config_path,
               const std::vector<std::string>& overrides) {
  auto server = std::make_unique<Server>();
  Result<Config> config = load_config(config_path, overrides);
  if (!config) return fail(config.status());
  server->config = std::move(*config);
  Result<ServerSettings> settings = read_settings(server->config);
  if (!settings) return fail(settings.status());
  server->settings = std::move(*settings);
  if (Status s = find_child_programs(server->config); !s.is_ok()) return fail(s);

  std::error_code error;
  std::filesystem::create_directories(server->settings.pappl_dir + "/spool", error);
  if (!error) std::filesystem::create_directories(server->settings.pappl_dir + "/incoming", error);
  if (error)
    return fail(Status(Code::kIoError,
                       "cannot create " + server->settings.pappl_dir + ": " + error.message()));
  if (Status s = open_holding(*server); !s.is_ok()) return fail(s);
  Result<Site> people = Site::open(server->config, SiteStores{.people = true});
  if (!people) return fail(people.status());
  server->people = std::make_unique<Site>(std::move(*people));
  server->sessions = std::make_unique<SessionTable>(server->settings.web_sessions);
  server->sign_in_limiter = std::make_unique<SignInLimiter>(server->settings.web_sign_in);
  if (Status s = start_delivery(*server); !s.is_ok()) return fail(s);

  g_server = server.get();
  server->system = create_system(*server);
  if (!server->system) return 1;
  papplSystemRun(server->system);  // returns after SIGTERM/SIGINT
  server->workers->stop();         // before the system goes: workers log through it
  server->directories.reset();     // so do the background tasks: each waits for its run
  server->allocations.reset();
  server->notifications.reset();
  papplSystemDelete(server->system);
  g_server = nullptr;
  return 0;
}

}  // namespace pp::server

int main(int argc, char* argv[]) {
  CLI::App app{"pullprintd: the pullprint IPP Everywhere pull-print server"};
  std::optional<std::string> config_path;
  std::vector<std::string> overrides;
  app.add_option("-c,--config", config_path,
                 std::string("Configuration file (default ") + pp::kDefaultConfigPath + ")");
  app.add_option("-o", overrides, "Override a configuration key: KEY=VALUE");
  if (std::optional<int> status = pp::cli::parse_command_line(app, argc, argv)) return *status;
  return pp::server::run_server(config_path, overrides);
}
