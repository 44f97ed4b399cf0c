// web-approval.cpp: one request to pay a part of someone else's job, on a page of its own, so
// that a payer who follows a notification's link sees everything the decision needs before
// deciding: who asks, the job (title, pages, colour pages), the amount, what they get for it
// (their copies, their pages, their own print options or their share of the one print), the
// deadline and the state, with Approve and Decline while it is pending.
//
//   GET  /pullprint/approval?share=ID   the request (approval_request in
//                                       lib/split-jobs/split-approvals.h)
//   POST /pullprint/approval            share=ID, action=approve|decline, the CSRF field
//                                       (web/web-form.h): the same decision as My jobs'
//                                       buttons (decide_from_form: approve reserves the amount,
//                                       decline applies the ratio rule), then the request again
//
// Who may open it: the share's payer, signed in. Anybody else (the owner included: a cover share
// is not a request), or a share that does not exist, gets 403 "No approval request N of yours."
// (logged) and nothing is done.
//
// Element ids (for tests): approval-detail, approval-owner, approval-title, approval-pages,
// approval-color-pages, approval-amount, approval-gets, approval-deadline, approval-state,
// approval-form, approve-button, decline-button, approval-outcome.
#include <chrono>
#include <cstdint>
#include <string>

#include "pricing/pricing.h"
#include "server/server-request.h"
#include "split-jobs/split-approvals.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Approval request";

// One line of the request's description list.
std::string item(const std::string& label, const std::string& id, const std::string& value) {
  return "            <dt>" + html(label) + "</dt><dd id=\"" + id + "\">" + html(value) + "</dd>\n";
}

// The request, with the outcome of a decision above it and the buttons while it is pending.
bool request_page(pappl_client_t* client, http_status_t status, const ApprovalRequest& request,
                  const std::string& outcome) {
  const Share& share = request.share;
  start_page(client, status, kTitle);
  if (!outcome.empty())
    put(client,
        "          <div class=\"banner\" id=\"approval-outcome\">" + html(outcome) + "</div>\n");
  std::string out = "          <dl id=\"approval-detail\">\n" +
                    item("Asked by", "approval-owner", share.owner) +
                    item("Job", "approval-title", share.title);
  if (request.job_known) {
    out += item("Pages", "approval-pages", std::to_string(request.pages)) +
           item("Colour pages", "approval-color-pages", std::to_string(request.color_pages));
  }
  out += item("You pay", "approval-amount", format_money(share.amount, share.currency)) +
         item("You get", "approval-gets", request.payer_gets) +
         item("The whole split costs", "approval-split-price",
              format_money(request.split_price, share.currency)) +
         item("Answer by", "approval-deadline", when(share.deadline)) +
         item("State", "approval-state", std::string(share_state_name(share.state))) +
         "          </dl>\n";
  put(client, out);
  if (share.state == ShareState::kPending) {
    put(client, "          <p>Approving reserves the amount on your account at once.</p>\n");
    start_form(client, kApprovalPath);
    put(client, "            <input type=\"hidden\" name=\"share\" value=\"" +
                    std::to_string(share.id) +
                    "\">\n            <p><button type=\"submit\" name=\"action\" value=\"approve\" "
                    "id=\"approve-button\">Approve</button> <button type=\"submit\" "
                    "name=\"action\" value=\"decline\" id=\"decline-button\">Decline</button></p>\n"
                    "          </form>\n");
  }
  put(client,
      "          <p><a class=\"btn\" href=\"" + std::string(kJobsPath) + "\">My jobs</a></p>\n");
  end_page(client);
  return true;
}

// The request `id` of `user`; false with the answer sent when there is none (403, logged) or the
// store failed.
bool load_request(pappl_client_t* client, Server& server, const std::string& user, std::int64_t id,
                  ApprovalRequest* request) {
  Result<Site> site = open_operation_site(server);
  if (!site) return !internal_error(client, kTitle, site.status());
  Result<ApprovalRequest> found = approval_request(*site, id, user);
  if (found) {
    *request = std::move(*found);
    return true;
  }
  if (found.status().code() != Code::kNotFound)
    return !internal_error(client, kTitle, found.status());
  papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                 "Approval page: %s may not see share %lld: not "
                 "theirs",
                 user.c_str(), static_cast<long long>(id));
  error_page(client, HTTP_STATUS_FORBIDDEN, kTitle,
             "No approval request " + std::to_string(id) + " of yours.");
  return false;
}

bool show_request(pappl_client_t* client, Server& server, const std::string& user) {
  const Form query(client);
  const char* share = query.get("share");
  const std::optional<std::int64_t> id = form_id(share ? share : "");
  if (!id) return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, "Which request? (share=ID)");
  ApprovalRequest request;
  if (!load_request(client, server, user, *id, &request)) return true;
  return request_page(client, HTTP_STATUS_OK, request, "");
}

bool decide(pappl_client_t* client, Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                   "Approval page: form of %s without a valid session key.", user.c_str());
    return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle,
                      "Invalid form submission (its session key is missing or stale): nothing "
                      "was done. Please try again.");
  }
  const char* share = form.get("share");
  const std::optional<std::int64_t> id = form_id(share ? share : "");
  if (!id) return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, "Which request? (share=ID)");
  const char* action = form.get("action");
  const std::string what = action ? action : "";
  if (what != "approve" && what != "decline")
    return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, "Approve or decline?");
  ApprovalRequest request;
  if (!load_request(client, server, user, *id, &request)) return true;
  // My jobs' decision, logged and told to the owner there.
  const WebOutcome outcome = decide_from_form(client, server, user, share, what == "approve");
  if (!load_request(client, server, user, *id, &request)) return true;
  return request_page(client, outcome.status, request, outcome.message);
}

// The resource callback of /pullprint/approval.
bool approval_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  return post ? decide(client, server, *user) : show_request(client, server, *user);
}

}  // namespace

std::string approval_href(std::int64_t share_id) {
  return std::string(kApprovalPath) + "?share=" + std::to_string(share_id);
}

void add_approval_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kApprovalPath, "text/html", approval_resource, &server);
}

}  // namespace pp::server::web
