// server-splits.h: pullprintd's side of split jobs (lib/split-jobs/split-jobs.h): the vendor
// operations, the split asked for at submission, notifications and the timer's work.
#pragma once

#include <pappl/pappl.h>

#include <string>

#include "job-store/job-store.h"
#include "server/server.h"
#include "site/site.h"
#include "split-jobs/split-jobs.h"
#include "util/status.h"

namespace pp::server {

// PullPrint-Split-Job (0x4B03), PullPrint-Get-Approvals (0x4B04), PullPrint-Approve-Share
// (0x4B05), PullPrint-Decline-Share (0x4B06).
bool is_split_operation(ipp_op_t op);
void split_operation(pappl_client_t* client, Server& server, const ClientIdentity& who);

// At submission: splits the just-held job by its `pullprint-split` attribute (the rule is
// split_at_submission in split-jobs/split-jobs.h: a split that cannot be made cancels the job) and
// notifies the payers; on failure the caller refuses the IPP job with the message. `site` is the
// job threads' site: the caller holds server.hold_mutex.
Status split_at_submission_locked(Server& server, Site& site, const HeldJob& job,
                                  const std::string& request_text);

// Tells a user about a split: a line in pullprintd's log, then the configured notify-command.
SplitNotifier split_notifier(const Server& server);

// The timer's split work (expiry, reminders, catching up) on the timers' site.
void run_split_timer(pappl_system_t* system, Server& server);

}  // namespace pp::server
