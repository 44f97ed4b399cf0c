// split-approvals.h: what a payer is shown of a request to pay a part of someone else's job
// (the web's "Approvals" on My jobs and its detail page /pullprint/approval?share=ID).
//
// A payer decides on money, so the request says everything the decision needs in one place:
// who asks, the job (title, pages, colour pages), the payer's amount, what the payer gets for it
// (their copies, their pages, their own print options, or their share of the one print) and the
// deadline. Only the payer sees it: the rule is here, not in the page, so that every door that
// shows a request refuses alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "site/site.h"
#include "splits/splits.h"
#include "util/status.h"

namespace pp {

// One request to a payer.
struct ApprovalRequest {
  Share share;                   // the payer's share (any state), with amount and deadline
  bool job_known = false;        // pullprintd's held job was found (a CUPS-door job: title only)
  int pages = 0;                 // the job's, when known
  int color_pages = 0;           // the job's, when known
  std::int64_t split_price = 0;  // what the whole split costs (ratio: the one print's price)
  std::string payer_gets;        // what_payer_gets()
};

// What a payer gets for their amount, for people: "50% of the cost of one print of the whole
// job", "2 copies of the whole document, printed for you", "pages 3-4 of 4, printed for you",
// "the whole document printed for you: mono, A3". `job_pages` 0: not known.
std::string what_payer_gets(const Share& share, int job_pages);

// The payer's own pending requests (SplitStore::pending_for: open splits, deadline not passed),
// soonest deadline first, each with its job.
Result<std::vector<ApprovalRequest>> approval_requests(Site& site, std::string_view payer,
                                                       SplitClock now);

// Request `share_id` as its payer sees it, in any state (decided ones too, so that the page
// still says what was decided). kNotFound "no approval request N of PAYER" for a share that
// does not exist, is someone else's, or is an owner's cover share: others learn nothing.
Result<ApprovalRequest> approval_request(Site& site, std::int64_t share_id, std::string_view payer);

}  // namespace pp
