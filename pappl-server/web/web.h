// web.h: what pullprintd's web pages share: "My jobs" (/pullprint/jobs) in two halves,
// web/web.cpp (the page, held jobs, release, cancel) and web/web-splits.cpp (splitting a
// held job, the split jobs' progress, the approvals a payer is asked for); the public pages
// (web/web-home.cpp) and the admins' page (web/web-admin.cpp). Internal to pullprintd.
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
#include "splits/splits.h"

namespace pp::server::web {

inline constexpr const char* kJobsPath = "/pullprint/jobs";
inline constexpr const char* kAdminPath = "/pullprint/admin";
inline constexpr const char* kCardPath = "/pullprint/card";  // activating a prepaid card
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
// The signed-in user of a page for users (My jobs, the card form): the auth callback's answer
// (401 without valid credentials, 403 in trusted mode from elsewhere than the local host, 426
// for plain HTTP from remote hosts) or 403 without a user name is sent here, and nullopt is
// returned; the resource callback then returns `*keep_open` (false after an unread form body:
// the connection is closed).
std::optional<std::string> signed_in_user(pappl_client_t* client, bool post, bool* keep_open);
// Text for a URL query value: everything but unreserved characters percent-encoded.
std::string url_encode(std::string_view text);
// A form's "ID" as a positive id (digits only); nullopt for anything else.
std::optional<std::int64_t> form_id(std::string_view text);

// --- web/web-home.cpp

// The public pages: "/" (also a browser's GET of the queue's or the system's IPP URI) and
// "/supplies".
void add_home_pages(pappl_system_t* system, Server& server);

// --- web/web-card.cpp

// "Activate a prepaid card" (/pullprint/card): the form's target, signed-in users only.
void add_card_page(pappl_system_t* system, Server& server);
// The small form (a card number and a button) for a signed-in user's home page.
void put_card_form(pappl_client_t* client);

// --- web/web-notify.cpp

// "Notifications" (/pullprint/notifications): the signed-in user's receipts choice, address and
// last notifications.
void add_notify_page(pappl_system_t* system, Server& server);

// --- web/web-admin.cpp

// The admins' page (/pullprint/admin).
void add_admin_page(pappl_system_t* system, Server& server);
// The paragraph with the link to it, for pages an admin is signed in to.
std::string admin_link();

// --- web/web-splits.cpp

// The split parts of the page, read before the page starts (a failure is an internal error,
// not half a page).
struct SplitView {
  std::map<std::int64_t, Split> splits;  // the user's split jobs (held and recent), by job id
  std::vector<Share> approvals;          // the user's pending requests, soonest deadline first
};
Result<SplitView> load_split_view(SplitStore& splits, const std::vector<const HeldJob*>& jobs,
                                  const std::string& user);

// A split request the page offers again (in its job's text field) after it was refused.
struct SplitRetry {
  std::int64_t job = 0;
  std::string request;
};

// "Split a job's cost" (a form per held job without a split) and "Split jobs" (every payer's
// part, amount, state and the deadline of each of the user's split jobs).
void put_split_sections(pappl_client_t* client, const SplitView& view,
                        const std::vector<const HeldJob*>& held,
                        const std::vector<const HeldJob*>& recent,
                        const std::optional<SplitRetry>& retry);
// "Approvals": the user's pending requests with Approve and Decline buttons.
void put_approvals(pappl_client_t* client, const SplitView& view);

// What a form action did, for the page's banner.
struct WebOutcome {
  http_status_t status = HTTP_STATUS_OK;
  std::string message;
  std::optional<SplitRetry> retry;  // a refused split request, offered again
};

// The Split button of job `job_field` with request `request` (split_held_job, then the payers
// are notified).
WebOutcome split_from_form(pappl_client_t* client, Server& server, const std::string& user,
                           const char* job_field, const char* request);
// The Approve / Decline button of share `share_field`: the user's own pending request only.
WebOutcome decide_from_form(pappl_client_t* client, Server& server, const std::string& user,
                            const char* share_field, bool approve);

}  // namespace pp::server::web
