// server-web.h: what the two halves of "My jobs" (/pullprint/jobs) share: server-web.cpp (the
// page, held jobs, release, cancel) and server-web-splits.cpp (splitting a held job, the split
// jobs' progress, the approvals a payer is asked for). Internal to pullprintd.
#pragma once

#include <pappl/pappl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server.h"
#include "splits/splits.h"
#include "store/job-store.h"

namespace pp::server::web {

inline constexpr const char* kJobsPath = "/pullprint/jobs";

// Text for HTML (element content and double- or single-quoted attribute values).
std::string html(std::string_view text);
// The store's ISO 8601 UTC ("2026-01-31T12:00:00Z") for people: "2026-01-31 12:00 UTC".
std::string when(const std::string& iso);
// Writes `text` into the page.
void put(pappl_client_t* client, const std::string& text);
// A form's "ID" as a positive id (digits only); nullopt for anything else.
std::optional<std::int64_t> form_id(std::string_view text);

// --- server-web-splits.cpp

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
