// cli-ipp.cpp: connecting to pullprintd and reading its answers (see cli-ipp.h).
#include "cli-ipp.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

#include "pullprint-ipp.h"

namespace pp::cli {

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "pullprint: %s\n", message.c_str());
  std::exit(1);
}

namespace {

// The queue URI: --server, config `server`, or ipp://LISTEN/ipp/print.
std::string server_uri(CliContext& context, const std::string& server) {
  if (!server.empty()) return server;
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

}  // namespace

Connection connect(CliContext& context, const std::string& server) {
  Connection connection;
  connection.uri = server_uri(context, server);
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

IppPtr new_request(const Connection& connection, ipp_op_t op) {
  IppPtr request(ippNewRequest(op));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
               connection.uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
               cupsUser());
  return request;
}

IppPtr send_checked_later(Connection& connection, IppPtr request) {
  return IppPtr(cupsDoRequest(connection.http.get(), request.release(),
                              connection.resource.c_str()));
}

IppPtr send(Connection& connection, IppPtr request, const std::string& what) {
  IppPtr response(cupsDoRequest(connection.http.get(), request.release(),
                                connection.resource.c_str()));
  if (cupsLastError() > IPP_STATUS_OK_CONFLICTING) fail(what + ": " + cupsLastErrorString());
  return response;
}

std::string text_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_ZERO);
  const char* value = attr ? ippGetString(attr, 0, nullptr) : nullptr;
  return value ? value : "";
}

std::int64_t integer_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_ZERO);
  return attr ? ippGetInteger(attr, 0) : 0;
}

namespace {

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
  nlohmann::json result = {{"id", integer_of(job, "job-id")},
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
  if (ippFindAttribute(job, "pullprint-job-ref", IPP_TAG_NAME))
    result["ref"] = text_of(job, "pullprint-job-ref");  // a CUPS-door job
  if (ippFindAttribute(job, "pullprint-printer-price", IPP_TAG_INTEGER)) {
    result["printer_price"] = integer_of(job, "pullprint-printer-price");
    result["hint"] = text_of(job, "pullprint-hint");
  }
  return result;
}

}  // namespace

HeldJobs get_held_jobs(Connection& connection, bool all_users, bool all_states,
                       const std::string& printer, const std::vector<int>& job_ids) {
  IppPtr request = new_request(connection, ipp::kGetHeldJobs);
  if (all_users) ippAddBoolean(request.get(), IPP_TAG_OPERATION, "my-jobs", 0);
  if (all_states)
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
  if (!printer.empty())
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "printer-name", nullptr,
                 printer.c_str());
  if (!job_ids.empty())
    ippAddIntegers(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, ipp::kHeldJobIdAttr,
                   static_cast<int>(job_ids.size()), job_ids.data());
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

}  // namespace pp::cli
