// web.h: what pullprintd's web pages share: "My jobs" (/pullprint/jobs) in two halves,
// web/web.cpp (the page, held jobs, release, cancel) and web/web-splits.cpp (splitting a
// held job, the split jobs' progress, the approvals a payer is asked for); the public pages
// (web/web-home.cpp), "Print" (web/web-print.cpp); the console (/pullprint/admin/...) is
// web/web-console.h's.
// Internal to pullprintd.
#pragma once

#include <pappl/pappl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "job-store/job-store.h"
#include "server/server.h"
#include "sessions/session-table.h"
#include "split-jobs/split-approvals.h"
#include "splits/splits.h"

namespace pp::server::web {

inline constexpr const char* kJobsPath = "/pullprint/jobs";
inline constexpr const char* kCardPath = "/pullprint/card";  // activating a prepaid card
inline constexpr const char* kPrintPath = "/pullprint/print";        // printing from the browser
inline constexpr const char* kSplitPath = "/pullprint/split";        // ?job=ID: share its cost
inline constexpr const char* kApprovalPath = "/pullprint/approval";  // ?share=ID: one request
// The QR release page of a printer (?printer=NAME[&t=TOKEN]) and its printable sheet (admins).
inline constexpr const char* kReleasePath = "/pullprint/release";
inline constexpr const char* kReleaseSheetPath = "/pullprint/admin/release-sheet";
inline constexpr const char* kTransferPath = "/pullprint/transfer";       // transferring credit
inline constexpr const char* kRefundPath = "/pullprint/refund";           // asking for a refund
inline constexpr const char* kAccountPath = "/pullprint/account";         // My account
inline constexpr const char* kAccountCsvPath = "/pullprint/account.csv";  // its history as CSV
// The URLs PAPPL 1.3.1 advertises for the single queue (printer->uriname is "" when the queue is
// /ipp/print): printer-more-info and DNS-SD adminurl "/", printer-supply-info-uri "/supplies";
// printer-uri-supported and system-xri-supported are IPP URIs, which a browser may GET too (IPP
// is POST, which PAPPL hands to its IPP code before it looks for a page).
inline constexpr const char* kHomePath = "/";
inline constexpr const char* kSuppliesPath = "/supplies";
inline constexpr const char* kQueuePath = "/ipp/print";
inline constexpr const char* kSystemPath = "/ipp/system";

// Text for HTML (element content and double- or single-quoted attribute values).
std::string html(std::string_view text);
// The store's ISO 8601 UTC ("2026-01-31T12:00:00Z") for people: "2026-01-31 12:00 UTC".
std::string when(const std::string& iso);
// Writes `text` into the page.
void put(pappl_client_t* client, const std::string& text);
// The response header, PAPPL's page header (navigation bar) and an <h1> with `title`.
void start_page(pappl_client_t* client, http_status_t status, const char* title);
// Closes what start_page opened, with PAPPL's footer; ends the response.
void end_page(pappl_client_t* client);
// A whole page for a failure: `message` and a link back to "My jobs"; returns true (the
// connection stays usable).
bool error_page(pappl_client_t* client, http_status_t status, const char* title,
                const std::string& message);
// An internal failure: logged in full, the user gets a short message (error_page, 500).
bool internal_error(pappl_client_t* client, const char* title, const Status& status);
// --- web/web-session.cpp: who the user of a page is

inline constexpr const char* kSignInPath = "/pullprint/sign-in";
inline constexpr const char* kSignOutPath = "/pullprint/sign-out";
inline constexpr const char* kSessionCookie = "pullprint-session";
inline constexpr const char* kStylePath = "/pullprint-style.css";  // outside the cookie's path

// The signed-in user of a page for users: the session cookie of the sign-in form, or (for
// scripts) HTTP Basic credentials checked by the auth callback. Without either, a GET is
// redirected to the sign-in form (next= this page) and a POST gets 403; with bad Basic
// credentials, the auth callback's answer (401, 403, 426). nullopt is then returned, and the
// resource callback returns `*keep_open` (false after an unread form body).
std::optional<std::string> signed_in_user(pappl_client_t* client, bool post, bool* keep_open);
// The live session of this request's cookie, without extending it (the CSRF token of forms).
std::optional<WebSession> current_session(pappl_client_t* client);
// The request's session cookie value ("" without one).
std::string session_token(pappl_client_t* client);
// After a response is written (end_page, redirect): the connection forgets its cookie, so that libcups
// does not send it again with the next response on this kept-alive connection (web-session.cpp).
void forget_connection_cookie(pappl_client_t* client);
// Sets / deletes the session cookie in this request's response (call before responding).
void set_session_cookie(pappl_client_t* client, const std::string& token);
void clear_session_cookie(pappl_client_t* client);
// A `next` page after signing in: `next` when it is one of our pages (a path under /pullprint/,
// no scheme, no "//" nor dot segments, printable ASCII), else My jobs: never an open redirect.
std::string safe_next(const char* next);
// `path` as a URL the client may send a password to: https:// for a remote client on plain HTTP
// when TLS is on, else `path` itself.
std::string secure_url(pappl_client_t* client, const std::string& path);
// The sign-in form's URL that comes back to `next`.
std::string sign_in_url(const std::string& next);
// Answers 303 See Other to `location` (a path of this server); the connection stays usable.
bool redirect(pappl_client_t* client, const std::string& location);

// --- web/web-sign-in.cpp

// The sign-in form (user name and password; card number and PIN), posting to kSignInPath, back
// to `next` afterwards; `user` fills the name field again after a failure.
void put_sign_in_form(pappl_client_t* client, const std::string& next, const std::string& user);
// /pullprint/sign-in, /pullprint/sign-out and the style sheet the pages add to PAPPL's.
void add_sign_in_pages(pappl_system_t* system, Server& server);

// Text for a URL query value: everything but unreserved characters percent-encoded.
std::string url_encode(std::string_view text);
// A form's "ID" as a positive id (digits only); nullopt for anything else.
std::optional<std::int64_t> form_id(std::string_view text);

// --- web/web-home.cpp

// The public pages: "/" (also a browser's GET of the queue's or the system's IPP URI) and
// "/supplies".
void add_home_pages(pappl_system_t* system, Server& server);

// --- web/web-card.cpp

// The links between a user's account pages (My jobs, My card, Transfer credit, Refunds), for
// the bottom of those pages.
std::string account_action_links();
// "Activate a prepaid card" (/pullprint/card): the form's target, signed-in users only.
void add_card_page(pappl_system_t* system, Server& server);
// The small form (a card number and a button) for a signed-in user's home page.
void put_card_form(pappl_client_t* client);

// --- web/web-print.cpp

// "Print" (/pullprint/print): upload a document, see its price, submit it as a held job.
void add_print_page(pappl_system_t* system, Server& server);
// --- web/web-release.cpp

// "Release here" (/pullprint/release?printer=NAME): a printer's QR code opens it on a phone.
void add_release_page(pappl_system_t* system, Server& server);

// --- web/web-release-sheet.cpp

// A printer's printable release sheet with its QR code (/pullprint/admin/release-sheet), admins.
void add_release_sheet_page(pappl_system_t* system, Server& server);
// --- web/web-transfer.cpp

// "Transfer credit" (/pullprint/transfer): signed-in users, where the site allows transfers.
void add_transfer_page(pappl_system_t* system, Server& server);

// --- web/web-refund.cpp

// "Ask for a refund" (/pullprint/refund?job=ID): signed-in users, for their own printed jobs.
void add_refund_page(pappl_system_t* system, Server& server);
// --- web/web-account.cpp

// "My account" (/pullprint/account: balance by origin, shared accounts, history a page at a
// time) and its CSV download (/pullprint/account.csv), signed-in users, their own account only.
void add_account_page(pappl_system_t* system, Server& server);
// --- web/web-notify.cpp

// "Notifications" (/pullprint/notifications): the signed-in user's receipts choice, address and
// last notifications.
void add_notify_page(pappl_system_t* system, Server& server);

// --- web/web-split.cpp

// "Share a job's cost" (/pullprint/split?job=ID): the split form of one of the user's held jobs.
void add_split_page(pappl_system_t* system, Server& server);

// --- web/web-approval.cpp

// One approval request (/pullprint/approval?share=ID), its payer only.
void add_approval_page(pappl_system_t* system, Server& server);
// The link to request `share_id`'s page (unescaped: pass it through html()).
std::string approval_href(std::int64_t share_id);

// --- web/web-splits.cpp

// The split parts of the page, read before the page starts (a failure is an internal error,
// not half a page).
struct SplitView {
  std::map<std::int64_t, Split> splits;  // the user's split jobs (held and recent), by job id
  std::vector<ApprovalRequest> approvals;  // the user's pending requests, soonest deadline first
};
Result<SplitView> load_split_view(Site& site, const std::vector<const HeldJob*>& jobs,
                                  const std::string& user);

// "Split a job's cost" (a link to the split form, web/web-split.cpp, per held job without a
// split) and "Split jobs" (every payer's part, amount, state and the deadline of each of the
// user's split jobs).
void put_split_sections(pappl_client_t* client, const SplitView& view,
                        const std::vector<const HeldJob*>& held,
                        const std::vector<const HeldJob*>& recent);
// "Approvals": the user's pending requests (who asks, the job with its pages and colour pages,
// what the user gets, the amount, the deadline, a link to the request's page) with Approve and
// Decline buttons.
void put_approvals(pappl_client_t* client, const SplitView& view);

// What a form action did, for the page's banner.
struct WebOutcome {
  http_status_t status = HTTP_STATUS_OK;
  std::string message;
};

// The Approve / Decline button of share `share_field`: the user's own pending request only.
WebOutcome decide_from_form(pappl_client_t* client, Server& server, const std::string& user,
                            const char* share_field, bool approve);

}  // namespace pp::server::web
