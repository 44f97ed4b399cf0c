// server-main.cpp: `pullprintd`, the pull-print IPP Everywhere server.
//
//   pullprintd [-c FILE] [-o KEY=VALUE ...]
//
// Runs in the foreground and logs to stderr (systemd's journal collects it). Configuration keys
// read here, besides those of lib/ (prices, analyser, ledger):
//   listen = HOST:PORT        address of the IPP server ("*:8631" = every interface)
//   state-dir = DIR           ledger, held store, and PAPPL's state in DIR/pappl/
//   auth = pam | trusted      IPP Basic authentication through the PAM service "pullprint", or
//                             a trusted network where requesting-user-name is taken as sent
//   queue = NAME              name of the virtual pull-print queue (default PullPrint)
//   tls = on | off            TLS (ipps) support; off only for tests
//   dnssd = on | off          DNS-SD advertisement through Avahi
//   log-level = debug | info | warn | error | fatal
//   expire-interval = SECONDS how often unreleased jobs are expired (default 60)
//   admins = USER,USER        users who may act on everybody's jobs (default root)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "server.h"

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
      {"debug", PAPPL_LOGLEVEL_DEBUG}, {"info", PAPPL_LOGLEVEL_INFO},
      {"warn", PAPPL_LOGLEVEL_WARN},   {"error", PAPPL_LOGLEVEL_ERROR},
      {"fatal", PAPPL_LOGLEVEL_FATAL}};
  auto found = levels.find(text);
  if (found == levels.end())
    return Result<pappl_loglevel_t>(Code::kInvalidArgument, "log-level: unknown level '" + text + "'");
  return found->second;
}

// Comma-separated user names.
std::set<std::string, std::less<>> parse_users(const std::string& text) {
  std::set<std::string, std::less<>> users;
  std::stringstream stream(text);
  std::string user;
  while (std::getline(stream, user, ',')) {
    const auto first = user.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    users.insert(user.substr(first, user.find_last_not_of(" \t") - first + 1));
  }
  return users;
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
  settings.state_dir = config.get_string("state-dir", "/var/lib/pullprint");
  settings.pappl_dir = settings.state_dir + "/pappl";
  settings.queue = config.get_string("queue", "PullPrint");
  const std::string auth = config.get_string("auth", "pam");
  if (auth != "pam" && auth != "trusted")
    return Result<ServerSettings>(Code::kInvalidArgument, "auth: expected pam or trusted, got '" + auth + "'");
  settings.pam_auth = auth == "pam";
  Result<pappl_loglevel_t> level = parse_log_level(config.get_string("log-level", "info"));
  if (!level) return level.status();
  settings.log_level = *level;
  settings.admins = parse_users(config.get_string("admins", "root"));
  if (Status s = read_switches(config, settings); !s.is_ok()) return s;
  return settings;
}

Server& server_of(pappl_system_t* /*system*/) { return *g_server; }

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

  std::error_code error;
  std::filesystem::create_directories(server->settings.pappl_dir + "/spool", error);
  if (!error) std::filesystem::create_directories(server->settings.pappl_dir + "/incoming", error);
  if (error)
    return fail(Status(Code::kIoError, "cannot create " + server->settings.pappl_dir + ": " + error.message()));
  if (Status s = open_holding(*server); !s.is_ok()) return fail(s);

  g_server = server.get();
  server->system = create_system(*server);
  if (!server->system) return 1;
  papplSystemRun(server->system);  // returns after SIGTERM/SIGINT
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
  CLI11_PARSE(app, argc, argv);
  return pp::server::run_server(config_path, overrides);
}
