// pullprint-ipp.h: pullprintd's vendor IPP operations and attributes, shared by the server
// (server-ops.cpp) and the `pullprint` command (cli-jobs.cpp). Documented in README.md.
#pragma once

#include <cups/ipp.h>

namespace pp::ipp {

// Vendor operation codes (IPP reserves 0x4000-0x7FFF for vendors; CUPS uses 0x4001-0x4027).
inline constexpr ipp_op_t kGetHeldJobs = static_cast<ipp_op_t>(0x4B00);    // PullPrint-Get-Held-Jobs
inline constexpr ipp_op_t kCancelHeldJob = static_cast<ipp_op_t>(0x4B01);  // PullPrint-Cancel-Held-Job
inline constexpr ipp_op_t kReleaseHeldJobs = static_cast<ipp_op_t>(0x4B02);  // PullPrint-Release-Held-Jobs
// Split jobs (server-splits.cpp, cli-splits.cpp).
inline constexpr ipp_op_t kSplitJob = static_cast<ipp_op_t>(0x4B03);       // PullPrint-Split-Job
inline constexpr ipp_op_t kGetApprovals = static_cast<ipp_op_t>(0x4B04);   // PullPrint-Get-Approvals
inline constexpr ipp_op_t kApproveShare = static_cast<ipp_op_t>(0x4B05);   // PullPrint-Approve-Share
inline constexpr ipp_op_t kDeclineShare = static_cast<ipp_op_t>(0x4B06);   // PullPrint-Decline-Share
// An account's balance and journal (server-accounts.cpp, cli-money.cpp).
inline constexpr ipp_op_t kGetAccount = static_cast<ipp_op_t>(0x4B07);     // PullPrint-Get-Account
// A prepaid card activated for the requesting user (server-prepaid.cpp, cli-card-prepaid.cpp).
inline constexpr ipp_op_t kActivateCard = static_cast<ipp_op_t>(0x4B08);  // PullPrint-Activate-Card
// A terminal starts the registration of an unknown card and shows the code it gets
// (server-card-register.cpp, cli-card-register.cpp).
inline constexpr ipp_op_t kStartCardRegistration =
    static_cast<ipp_op_t>(0x4B09);  // PullPrint-Start-Card-Registration

// The split request (operation attribute of PullPrint-Split-Job; job attribute at submission).
inline constexpr const char* kSplitAttr = "pullprint-split";

// Operation attribute naming a held job (the store's id). Not "job-id": PAPPL looks job-id up
// among its own jobs before a vendor operation is dispatched and answers not-found itself.
inline constexpr const char* kHeldJobIdAttr = "pullprint-job-id";

// Operation attribute naming one share of a split (PullPrint-Approve/Decline-Share without a
// pullprint-job-id: the shares of a split job printed to a CUPS queue, which pullprintd does
// not hold). Get-Approvals answers it for every share.
inline constexpr const char* kShareIdAttr = "pullprint-share-id";

// Names a CUPS-door job (held by the pullprint backend in a CUPS queue) by its ledger job
// reference, "cups/<job-uuid>".
inline constexpr const char* kJobRefAttr = "pullprint-job-ref";

// Names the account PullPrint-Get-Account asks for (absent: the requesting user's own) and
// the account it answers with.
inline constexpr const char* kAccountAttr = "pullprint-account";

// The prepaid card number PullPrint-Activate-Card activates (as typed: dashes, any case), and
// the user it is for (admins only; absent: the requesting user).
inline constexpr const char* kCardNumberAttr = "pullprint-card-number";
inline constexpr const char* kCardUserAttr = "pullprint-user";

// The code PullPrint-Start-Card-Registration answers (as shown: "ABC-123") and until when it
// is valid (dateTime).
inline constexpr const char* kRegistrationCodeAttr = "pullprint-registration-code";
inline constexpr const char* kRegistrationExpiresAttr = "pullprint-registration-expires";

// Largest `limit` (journal entries) PullPrint-Get-Account accepts: bounds the response.
inline constexpr int kMaxJournalEntries = 1000;

// Largest `limit` Get-Held-Jobs accepts and the default: bounds the response.
inline constexpr int kMaxHeldJobs = 1000;

// Most jobs one PullPrint-Release-Held-Jobs may name.
inline constexpr int kMaxReleaseJobs = 100;

}  // namespace pp::ipp
