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

#include "cli.h"
#include "pricing/pricing.h"
#include "pullprint-ipp.h"
#include "util/cups-handles.h"

namespace pp::cli {
namespace {

struct JobsArgs {
  std::string server;
  bool all = false;
  bool json = false;
  int job_id = 0;
};

// Prints "pullprint: MESSAGE" and exits 1: the server's own words, without a status code name.
[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "pullprint: %s\n", message.c_str());
  std::exit(1);
}

// A connection to pullprintd's queue: the http_t and the queue's URI and resource.
struct Connection {
  HttpPtr http;
  std::string uri;
  std::string resource;
};

// The queue URI: --server, config `server`, or ipp://LISTEN/ipp/print.
std::string server_uri(CliContext& context, const JobsArgs& args) {
  if (!args.server.empty()) return args.server;
  std::string configured = context.config().get_string("server", "");
  if (!configured.empty()) return configured;
  std::string listen = context.config().get_string("listen", "localhost:8631");
  if (listen.starts_with("*:")) listen = "localhost" + listen.substr(1);  // every interface
  return "ipp://" + listen + "/ipp/print";
}

// Why the server cannot be reached: libcups's non-blocking connect reports every failure as
// "Host is down", so the first address is tried once more with a plain connect() for errno.
std::string connect_error(const char* host, int port) {
  std::unique_ptr<http_addrlist_t, decltype(&httpAddrFreeList)> addresses(
      httpAddrGetList(host, AF_UNSPEC, std::to_string(port).c_str()), httpAddrFreeList);
  if (!addresses) return cupsLastErrorString();  // the name does not resolve
  const http_addr_t& address = addresses->addr;
  const int fd = ::socket(address.addr.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::strerror(errno);
  const int result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                               static_cast<socklen_t>(httpAddrLength(&address)));
  const int error = errno;
  ::close(fd);
  return result == 0 ? "the connection failed" : std::strerror(error);
}

// Connects to the server; exits with "cannot reach pullprintd at URI: REASON" on failure.
Connection connect(CliContext& context, const JobsArgs& args) {
  Connection connection;
  connection.uri = server_uri(context, args);
  char scheme[32], userpass[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, connection.uri.c_str(), scheme, sizeof(scheme),
                      userpass, sizeof(userpass), host, sizeof(host), &port, resource,
                      sizeof(resource)) < HTTP_URI_STATUS_OK ||
      (std::strcmp(scheme, "ipp") != 0 && std::strcmp(scheme, "ipps") != 0))
    die(Status(Code::kInvalidArgument, "bad server URI '" + connection.uri + "' (ipp://HOST:PORT/ipp/print)"));
  const http_encryption_t encryption =
      std::strcmp(scheme, "ipps") == 0 ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED;
  errno = 0;
  connection.http.reset(httpConnect2(host, port, nullptr, AF_UNSPEC, encryption, 1, 30000, nullptr));
  if (!connection.http) {
    fail("cannot reach pullprintd at " + connection.uri + ": " + connect_error(host, port));
  }
  connection.resource = resource;
  return connection;
}

// A request for the queue with the standard operation attributes.
IppPtr new_request(const Connection& connection, ipp_op_t op) {
  IppPtr request(ippNewRequest(op));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
               connection.uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
               cupsUser());
  return request;
}

// Sends the request; exits with the server's message when it fails.
IppPtr send(Connection& connection, IppPtr request, const std::string& what) {
  IppPtr response(cupsDoRequest(connection.http.get(), request.release(),
                                connection.resource.c_str()));
  if (cupsLastError() > IPP_STATUS_OK_CONFLICTING) fail(what + ": " + cupsLastErrorString());
  return response;
}

// Text of an attribute of a group, "" when absent.
std::string text_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_ZERO);
  const char* value = attr ? ippGetString(attr, 0, nullptr) : nullptr;
  return value ? value : "";
}

std::int64_t integer_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_ZERO);
  return attr ? ippGetInteger(attr, 0) : 0;
}

// An IPP dateTime as ISO 8601 UTC, "" when absent.
std::string date_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_DATE);
  if (!attr) return "";
  const std::time_t time = ippDateToTime(ippGetDate(attr, 0));
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// One held job of a Get-Held-Jobs response as JSON.
nlohmann::json job_json(ipp_t* job) {
  return {{"id", integer_of(job, "job-id")},
          {"uuid", text_of(job, "job-uuid")},
          {"title", text_of(job, "job-name")},
          {"owner", text_of(job, "job-originating-user-name")},
          {"payer", text_of(job, "pullprint-payer")},
          {"state", text_of(job, "pullprint-job-state")},
          {"message", text_of(job, "job-state-message")},
          {"format", text_of(job, "document-format")},
          {"pages", integer_of(job, "job-pages")},
          {"color_pages", integer_of(job, "pullprint-color-pages")},
          {"impressions", integer_of(job, "job-impressions")},
          {"price", integer_of(job, "pullprint-price")},
          {"currency", text_of(job, "pullprint-currency")},
          {"created_at", date_of(job, "date-time-at-creation")},
          {"expires_at", date_of(job, "pullprint-date-time-at-expiry")}};
}

// Get-Held-Jobs: the response's operation attributes and its jobs as JSON.
struct HeldJobs {
  nlohmann::json jobs = nlohmann::json::array();
  IppPtr response;
};

HeldJobs get_held_jobs(Connection& connection, bool all_users) {
  IppPtr request = new_request(connection, ipp::kGetHeldJobs);
  if (all_users) ippAddBoolean(request.get(), IPP_TAG_OPERATION, "my-jobs", 0);
  HeldJobs held;
  held.response = send(connection, std::move(request), "cannot list held jobs");
  // Each job group is copied out of the response (ippCopyAttributes), then read as a whole.
  IppPtr job(ippNew());
  auto flush = [&] {
    if (ippFindAttribute(job.get(), "job-id", IPP_TAG_ZERO)) held.jobs.push_back(job_json(job.get()));
    job.reset(ippNew());
  };
  for (ipp_attribute_t* attr = ippFirstAttribute(held.response.get()); attr;
       attr = ippNextAttribute(held.response.get())) {
    if (ippGetGroupTag(attr) != IPP_TAG_JOB) {
      flush();
      continue;
    }
    ippCopyAttribute(job.get(), attr, 0);
  }
  flush();
  return held;
}

// `pullprint jobs`: a table (or JSON) of held jobs.
void list_jobs(CliContext& context, const JobsArgs& args) {
  Connection connection = connect(context, args);
  HeldJobs held = get_held_jobs(connection, args.all);
  if (args.json) {
    std::cout << held.jobs.dump(2) << "\n";
    return;
  }
  if (held.jobs.empty()) {
    std::cout << "no held jobs\n";
    return;
  }
  std::cout << fmt::format("{:>6}  {:<12} {:>5} {:>6} {:>12}  {:<20}  {}\n", "ID", "OWNER",
                           "PAGES", "COLOUR", "PRICE", "EXPIRES", "TITLE");
  for (const nlohmann::json& job : held.jobs) {
    std::cout << fmt::format("{:>6}  {:<12} {:>5} {:>6} {:>12}  {:<20}  {}\n",
                             job["id"].get<std::int64_t>(), job["owner"].get<std::string>(),
                             job["pages"].get<std::int64_t>(),
                             job["color_pages"].get<std::int64_t>(),
                             format_money(job["price"].get<std::int64_t>(),
                                          job["currency"].get<std::string>()),
                             job["expires_at"].get<std::string>(),
                             job["title"].get<std::string>());
  }
}

// `pullprint cancel JOB-ID`.
void cancel_job(CliContext& context, const JobsArgs& args) {
  Connection connection = connect(context, args);
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
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                4, nullptr, kWanted);
  IppPtr response = send(connection, std::move(request), "cannot read the queue's state");
  ipp_attribute_t* accepting = ippFindAttribute(response.get(), "printer-is-accepting-jobs",
                                                IPP_TAG_BOOLEAN);
  const char* state = ippEnumString("printer-state",
                                    static_cast<int>(integer_of(response.get(), "printer-state")));
  return {{"name", text_of(response.get(), "printer-name")},
          {"state", state ? state : "unknown"},
          {"message", text_of(response.get(), "printer-state-message")},
          {"accepting_jobs", accepting && ippGetBoolean(accepting, 0)}};
}

// `pullprint status`: server, queue, my held jobs and my balance.
void show_status(CliContext& context, const JobsArgs& args) {
  Connection connection = connect(context, args);
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
