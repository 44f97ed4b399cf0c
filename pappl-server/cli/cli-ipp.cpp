// cli-ipp.cpp: connecting to pullprintd and reading its answers (see cli-ipp.h).
#include "cli/cli-ipp.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

#include "pullprint-ipp.h"
#include "util/unique-fd.h"
#include "util/utc-time.h"

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
  const pp::UniqueFd socket(::socket(address.addr.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return std::strerror(errno);
  const int result = ::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address),
                               static_cast<socklen_t>(httpAddrLength(&address)));
  const int error = errno;
  return result == 0 ? "the connection failed" : std::strerror(error);
}

}  // namespace

Connection connect(CliContext& context, const std::string& server) {
  Connection connection;
  connection.uri = server_uri(context, server);
  char scheme[32], userpass[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, connection.uri.c_str(), scheme, sizeof(scheme), userpass,
                      sizeof(userpass), host, sizeof(host), &port, resource,
                      sizeof(resource)) < HTTP_URI_STATUS_OK ||
      (std::strcmp(scheme, "ipp") != 0 && std::strcmp(scheme, "ipps") != 0))
    die(Status(Code::kInvalidArgument,
               "bad server URI '" + connection.uri + "' (ipp://HOST:PORT/ipp/print)"));
  const http_encryption_t encryption =
      std::strcmp(scheme, "ipps") == 0 ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED;
  errno = 0;
  connection.http.reset(
      httpConnect2(host, port, nullptr, AF_UNSPEC, encryption, 1, 30000, nullptr));
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
  return IppPtr(
      cupsDoRequest(connection.http.get(), request.release(), connection.resource.c_str()));
}

IppPtr send(Connection& connection, IppPtr request, const std::string& what) {
  IppPtr response(
      cupsDoRequest(connection.http.get(), request.release(), connection.resource.c_str()));
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

bool boolean_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_BOOLEAN);
  return attr && ippGetBoolean(attr, 0);
}

std::vector<IppPtr> groups_of(ipp_t* response, ipp_tag_t tag) {
  std::vector<IppPtr> groups;
  bool inside = false;  // a separator (group tag zero) or another group ends a group
  for (ipp_attribute_t* attr = ippFirstAttribute(response); attr;
       attr = ippNextAttribute(response)) {
    if (ippGetGroupTag(attr) != tag) {
      inside = false;
      continue;
    }
    if (!inside) groups.emplace_back(ippNew());
    inside = true;
    ippCopyAttribute(groups.back().get(), attr, 0);
  }
  return groups;
}

namespace {

// An IPP dateTime as ISO 8601 UTC, "" when absent.
std::string date_of(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attr = ippFindAttribute(ipp, name, IPP_TAG_DATE);
  if (!attr) return "";
  return iso_utc_from_unix(ippDateToTime(ippGetDate(attr, 0)));
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
  for (const IppPtr& job : groups_of(held.response.get(), IPP_TAG_JOB))
    if (ippFindAttribute(job.get(), "job-id", IPP_TAG_ZERO))
      held.jobs.push_back(job_json(job.get()));
  return held;
}

namespace {

// The account of a PullPrint-Get-Account response (its operation attributes).
Account account_of(ipp_t* attributes) {
  Account account;
  account.name = text_of(attributes, ipp::kAccountAttr);
  account.type = text_of(attributes, "pullprint-account-type") == "shared" ? AccountType::kShared
                                                                           : AccountType::kPersonal;
  account.display_name = text_of(attributes, "pullprint-display-name");
  account.balance = integer_of(attributes, "pullprint-balance");
  account.reserved = integer_of(attributes, "pullprint-reserved");
  account.credit_limit = integer_of(attributes, "pullprint-credit-limit");
  account.unlimited = boolean_of(attributes, "pullprint-unlimited");
  account.enabled = boolean_of(attributes, "pullprint-enabled");
  account.created_at = text_of(attributes, "pullprint-created-at");
  account.allocated = integer_of(attributes, "pullprint-allocated");  // 0 from an older server
  return account;
}

// One journal entry of a PullPrint-Get-Account response (a job group).
JournalEntry entry_of(ipp_t* group, const std::string& account) {
  JournalEntry entry;
  entry.id = integer_of(group, "pullprint-entry-id");
  entry.account = account;
  // A kind this client does not know (a newer server) is shown as an adjustment, as the
  // ledger's own reader does with an unknown stored kind.
  entry.kind =
      parse_entry_kind(text_of(group, "pullprint-entry-kind")).value_or(EntryKind::kAdjustment);
  entry.amount = integer_of(group, "pullprint-amount");
  if (ippFindAttribute(group, "pullprint-reservation-id", IPP_TAG_INTEGER))
    entry.reservation_id = integer_of(group, "pullprint-reservation-id");
  entry.idempotency_key = text_of(group, "pullprint-key");
  entry.actor = text_of(group, "pullprint-actor");
  entry.note = text_of(group, "pullprint-note");
  entry.created_at = text_of(group, "pullprint-created-at");
  entry.allocated = integer_of(group, "pullprint-allocated");
  return entry;
}

}  // namespace

AccountView get_account(Connection& connection, const std::string& account, int limit,
                        const std::string& what) {
  IppPtr request = new_request(connection, ipp::kGetAccount);
  if (!account.empty())
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kAccountAttr, nullptr,
                 account.c_str());
  if (limit > 0) ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "limit", limit);
  IppPtr response = send(connection, std::move(request), what);
  std::vector<IppPtr> operation = groups_of(response.get(), IPP_TAG_OPERATION);
  if (operation.empty() ||
      !ippFindAttribute(operation.front().get(), ipp::kAccountAttr, IPP_TAG_NAME))
    fail(what + ": the server's answer names no account");
  AccountView remote;
  remote.account = account_of(operation.front().get());
  remote.currency = text_of(operation.front().get(), "pullprint-currency");
  for (const IppPtr& group : groups_of(response.get(), IPP_TAG_JOB))
    remote.entries.push_back(entry_of(group.get(), remote.account.name));
  return remote;
}

}  // namespace pp::cli
