// split-approvals.cpp: a payer's requests with their jobs (see split-approvals.h).
#include "split-jobs/split-approvals.h"

#include "ledger/job-ref.h"

namespace pp {
namespace {

// The share's request completed with its job and split; a job or split that cannot be read is
// left out (the share says what the payer decides on), a store failure is not.
Result<ApprovalRequest> complete(Site& site, Share share) {
  ApprovalRequest request;
  if (std::optional<std::string> uuid = JobRef::from_stored(share.job_ref).held_uuid()) {
    Result<HeldJob> job = site.jobs().get_by_uuid(*uuid);
    if (job) {
      request.job_known = true;
      request.pages = job->pages;
      request.color_pages = job->color_pages;
    } else if (job.status().code() != Code::kNotFound) {
      return job.status();
    }
  }
  Result<Split> split = site.splits().get_split(share.job_ref);
  if (split)
    request.split_price = split->price;
  else if (split.status().code() != Code::kNotFound)
    return split.status();
  request.payer_gets = what_payer_gets(share, request.job_known ? request.pages : 0);
  request.share = std::move(share);
  return request;
}

}  // namespace

std::string what_payer_gets(const Share& share, int job_pages) {
  const std::string of_pages = job_pages > 0 ? " of " + std::to_string(job_pages) : "";
  switch (share.mode) {
    case SplitMode::kRatio:
      return share.description + " of the cost of one print of the whole job" +
             (job_pages > 0 ? " (" + std::to_string(job_pages) + " pages)" : "");
    case SplitMode::kCopies:
      return share.description + " of the whole document" +
             (job_pages > 0 ? " (" + std::to_string(job_pages) + " pages each)" : "") +
             ", printed for you";
    case SplitMode::kPages:
      return share.description + of_pages + ", printed for you";
    case SplitMode::kMethod:
      return "the whole document printed for you: " + share.description;
  }
  return share.description;
}

Result<std::vector<ApprovalRequest>> approval_requests(Site& site, std::string_view payer,
                                                       SplitClock now) {
  Result<std::vector<Share>> pending = site.splits().pending_for(payer, now);
  if (!pending) return pending.status();
  std::vector<ApprovalRequest> requests;
  for (Share& share : *pending) {
    Result<ApprovalRequest> request = complete(site, std::move(share));
    if (!request) return request.status();
    requests.push_back(std::move(*request));
  }
  return requests;
}

Result<ApprovalRequest> approval_request(Site& site, std::int64_t share_id,
                                         std::string_view payer) {
  Result<Share> share = site.splits().get_share(share_id);
  if (!share && share.status().code() != Code::kNotFound) return share.status();
  if (!share || share->payer != payer || share->is_cover())
    return Status(Code::kNotFound,
                  "no approval request " + std::to_string(share_id) + " of " + std::string(payer));
  return complete(site, std::move(*share));
}

}  // namespace pp
