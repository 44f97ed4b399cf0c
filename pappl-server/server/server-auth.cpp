// server-auth.cpp: who may do what on the queue.
//
// PAPPL calls the auth callback for every job and printer operation that needs authorization
// (not for Get-Printer-Attributes). It is the one place where pullprintd can step in before PAPPL
// acts, so it also closes PAPPL 1.3.1's holes:
//  - Hold-Job, Release-Job, Hold-New-Jobs, Release-Held-New-Jobs and the reprint operations are
//    refused for everybody (403): held jobs live in pullprint's store and are released there;
//    PAPPL's Release-Job crashes on a job without a document and lets anyone release anything.
//  - job-hold-until is dropped from new jobs: PAPPL must never hold a job itself.
//  - a job sent without job-name is named after its document (server-job-name.cpp).
//  - a document in a format the queue does not take is refused at submission with
//    client-error-document-format-not-supported (server-formats.cpp), not accepted and aborted.
//  - Get-Jobs shows non-admins their own jobs only (my-jobs is forced); Get-Job-Attributes and
//    Cancel-Job on another user's job reach the admin check and are refused.
// Identity: auth = trusted takes requesting-user-name as sent (a trusted lab network);
// auth = pam checks HTTP Basic credentials with the PAM service "pullprint" (over TLS).
// Admins (config `admins`) may act on every job; in trusted mode only from the local host.
// Operators (config `operators`: users and @groups) may release others' jobs at a printer, with
// the same local-host rule in trusted mode; every such release is logged.
// Web pages that ask (papplClientIsAuthorized) are admin-only, except pullprint's pages under
// /pullprint/ (web/*.cpp), open to every authenticated user (the admins' page checks
// is_admin_user itself); in trusted mode they answer the local host only. pullprint's pages ask
// only when a request carries HTTP Basic credentials (scripts); browsers sign in with the form
// and a session cookie (web/web-sign-in.cpp, web/web-session.cpp). The public pages
// (web/web-home.cpp: "/", "/supplies", a GET of the queue's URI) never ask.
#include <cups/cups.h>

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "server/server.h"

namespace pp::server {
namespace {

// Operations no client may use, admins included: holding and releasing happen in pullprint's
// store, and reprinting a completed job would print without paying.
constexpr std::array kRefusedOperations = {
    IPP_OP_HOLD_JOB,      IPP_OP_RELEASE_JOB,
    IPP_OP_HOLD_NEW_JOBS, IPP_OP_RELEASE_HELD_NEW_JOBS,
    IPP_OP_RESTART_JOB,   IPP_OP_REPROCESS_JOB,
    IPP_OP_RESUBMIT_JOB,  IPP_OP_RESUME_JOB,
    IPP_OP_PROMOTE_JOB,   IPP_OP_SET_JOB_ATTRIBUTES,
};

bool is_refused(ipp_op_t op) {
  return std::find(kRefusedOperations.begin(), kRefusedOperations.end(), op) !=
         kRefusedOperations.end();
}

bool is_local(pappl_client_t* client) {
  return httpAddrLocalhost(httpGetAddress(papplClientGetHTTP(client))) != 0;
}

// The requesting-user-name of an IPP request, or "" when none was sent.
std::string requested_user(ipp_t* request) {
  ipp_attribute_t* attr =
      request ? ippFindAttribute(request, "requesting-user-name", IPP_TAG_NAME) : nullptr;
  const char* name = attr ? ippGetString(attr, 0, nullptr) : nullptr;
  return name ? name : "";
}

// Replaces (or adds) an operation attribute of the request.
void set_operation_name(ipp_t* request, const char* name, const std::string& value) {
  if (ipp_attribute_t* attr = ippFindAttribute(request, name, IPP_TAG_ZERO))
    ippDeleteAttribute(request, attr);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, name, nullptr, value.c_str());
}

// Print-Job / Create-Job with job-hold-until: PAPPL would hold the job itself, where nobody
// can release it (Release-Job is refused) and where it delays shutdown by a minute. Every job is
// held in pullprint's store anyway, so the request attributes are dropped.
void drop_hold_until(ipp_t* request) {
  for (const char* name : {"job-hold-until", "job-hold-until-time"}) {
    while (ipp_attribute_t* attr = ippFindAttribute(request, name, IPP_TAG_ZERO))
      ippDeleteAttribute(request, attr);
  }
}

// Get-Jobs by a non-admin: only the user's own jobs (PAPPL filters on requesting-user-name).
void restrict_get_jobs(ipp_t* request, const std::string& user) {
  if (ipp_attribute_t* attr = ippFindAttribute(request, "my-jobs", IPP_TAG_ZERO))
    ippDeleteAttribute(request, attr);
  ippAddBoolean(request, IPP_TAG_OPERATION, "my-jobs", 1);
  set_operation_name(request, "requesting-user-name", user);
}

// pullprint's own web pages (web/web.cpp): every authenticated user may use them, on their
// own jobs only; PAPPL's other pages stay admin-only.
bool is_user_page(pappl_client_t* client) {
  const char* uri = papplClientGetURI(client);
  return uri && std::string_view(uri).starts_with(kUserPagesPrefix);
}

}  // namespace

std::optional<BasicCredentials> decode_basic(const char* authorization) {
  if (!authorization || std::strncmp(authorization, "Basic ", 6) != 0) return std::nullopt;
  const char* encoded = authorization + 6;
  while (*encoded == ' ') ++encoded;
  char decoded[1024];
  int length = sizeof(decoded) - 1;
  httpDecode64_2(decoded, &length, encoded);
  const std::string pair(decoded, static_cast<std::size_t>(std::max(length, 0)));
  const std::size_t colon = pair.find(':');
  if (colon == std::string::npos) return BasicCredentials{pair, std::nullopt};
  return BasicCredentials{pair.substr(0, colon), pair.substr(colon + 1)};
}

namespace {

// The user name of a Basic Authorization header, unchecked, or "" when there is none.
std::string basic_user_name(const char* authorization) {
  std::optional<BasicCredentials> basic = decode_basic(authorization);
  return basic ? basic->user : "";
}

// The user behind the request, or the HTTP status that refuses it.
std::variant<std::string, http_status_t> identify_user(pappl_client_t* client, const Server& server,
                                                       ipp_t* request) {
  if (!server.settings.pam_auth && !request) {
    // Web pages in trusted mode: there is no requesting-user-name, so only the local host is
    // trusted, with the Basic user name as sent (password unchecked, as requesting-user-name).
    if (!is_local(client)) return HTTP_STATUS_FORBIDDEN;
    std::string user =
        basic_user_name(httpGetField(papplClientGetHTTP(client), HTTP_FIELD_AUTHORIZATION));
    if (user.empty() || user.starts_with(kCardUserPrefix)) return HTTP_STATUS_UNAUTHORIZED;
    return user;
  }
  if (!server.settings.pam_auth) {
    std::string user = requested_user(request);
    if (user.empty()) user = "anonymous";
    return user;
  }
  const char* authorization = httpGetField(papplClientGetHTTP(client), HTTP_FIELD_AUTHORIZATION);
  if (!authorization || !*authorization) return HTTP_STATUS_UNAUTHORIZED;
  std::optional<std::string> user = pam_check_basic(
      authorization, server.settings.pam_service.c_str(), server.settings.card_pam_service.c_str());
  if (!user) return HTTP_STATUS_UNAUTHORIZED;
  return *user;
}

// Whether `user` is in a system group named in `users` as "@group" (primary or supplementary, as
// the system's group database says).
bool in_system_group(const UserSet& users, const std::string& user) {
  if (users.groups().empty()) return false;
  const passwd* account = getpwnam(user.c_str());
  if (!account) return false;
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (getgrouplist(user.c_str(), account->pw_gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count));
    if (getgrouplist(user.c_str(), account->pw_gid, groups.data(), &count) < 0) return false;
  }
  groups.resize(static_cast<std::size_t>(count));
  for (gid_t gid : groups) {
    const group* entry = getgrgid(gid);
    if (entry && std::binary_search(users.groups().begin(), users.groups().end(),
                                    std::string_view(entry->gr_name)))
      return true;
  }
  return false;
}

// Whether `users` (admins, operators) names `user`: by login, as a member of an "@group" of the
// people store (local or directory groups, people/user-set.h), or of a system group of that
// name. A people store that fails is logged and counts as "not a member" (never more rights).
bool in_user_set(const Server& server, const UserSet& users, const std::string& user) {
  if (users.names(user)) return true;
  if (users.groups().empty()) return false;
  if (server.people) {
    Result<bool> member = users.contains(user, server.people->people());
    if (member && *member) return true;
    if (!member)
      std::fprintf(stderr, "pullprintd: cannot ask the people store about %s: %s\n", user.c_str(),
                   member.status().to_string().c_str());
  }
  return in_system_group(users, user);
}

// Whether `user` is an operator (config `operators`).
bool is_operator(const Server& server, const std::string& user) {
  return in_user_set(server, server.settings.operators, user);
}

}  // namespace

bool is_admin_user(pappl_client_t* client, const Server& server, const std::string& user) {
  if (!in_user_set(server, server.settings.admins, user)) return false;
  return server.settings.pam_auth || is_local(client);
}

ConsoleAccess console_access_of(pappl_client_t* client, const Server& server,
                                const std::string& user) {
  const bool trusted_here = server.settings.pam_auth || is_local(client);
  return server.settings.console.access_for(
      user, [&](const UserSet& users) { return trusted_here && in_user_set(server, users, user); });
}

std::variant<ClientIdentity, http_status_t> identify_client(pappl_client_t* client,
                                                            const Server& server) {
  auto identity = identify_user(client, server, papplClientGetRequest(client));
  if (auto* status = std::get_if<http_status_t>(&identity)) return *status;
  ClientIdentity result;
  result.user = std::get<std::string>(identity);
  result.admin = is_admin_user(client, server, result.user);
  result.operator_ = result.admin || ((server.settings.pam_auth || is_local(client)) &&
                                      is_operator(server, result.user));
  return result;
}

http_status_t auth_callback(pappl_client_t* client, const char* group, gid_t /*group_id*/,
                            void* data) {
  const Server& server = *static_cast<const Server*>(data);
  ipp_t* request = papplClientGetRequest(client);  // nullptr for web pages
  const ipp_op_t op = request ? ippGetOperation(request) : IPP_OP_CUPS_NONE;
  if (request && is_refused(op)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Refused %s: pullprint releases held jobs itself.",
                   ippOpString(op));
    return HTTP_STATUS_FORBIDDEN;
  }
  auto identity = identify_user(client, server, request);
  if (auto* status = std::get_if<http_status_t>(&identity)) return *status;
  const std::string& user = std::get<std::string>(identity);
  papplClientSetUsername(client, user.c_str());
  const bool admin = is_admin_user(client, server, user);
  // PAPPL asks again with the admin group for admin operations and for other users' jobs.
  // Web pages: admins only, except pullprint's user pages (papplClientIsAuthorized passes the
  // admin group "none" for them too).
  const bool user_page = !request && is_user_page(client);
  if (group && !admin && !user_page) return HTTP_STATUS_FORBIDDEN;
  if (!request && !admin && !user_page) return HTTP_STATUS_FORBIDDEN;
  if (op == IPP_OP_GET_JOBS && !admin) restrict_get_jobs(request, user);
  if (op == IPP_OP_PRINT_JOB || op == IPP_OP_CREATE_JOB || op == IPP_OP_PRINT_URI)
    drop_hold_until(request);
  if (request) name_job_after_document(request);
  // The IPP refusal is already in the client's response. A status below 100 makes PAPPL's
  // papplClientRespond write nothing (libcups' httpWriteResponse rejects it), so PAPPL then
  // reads the document data away and sends that response: one clean IPP answer, no job made.
  if (request && !group && refuse_unsupported_format(client, request)) return HTTP_STATUS_NONE;
  return HTTP_STATUS_CONTINUE;
}

}  // namespace pp::server
