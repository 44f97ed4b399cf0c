// server-ops.h: pullprintd's vendor IPP operations (PullPrint-Get-Held-Jobs,
// PullPrint-Cancel-Held-Job) on pullprint's held-job store.
#pragma once

#include <pappl/pappl.h>

namespace pp::server {

// The operation callback given to papplSystemSetOperationCallback (data: the Server). PAPPL
// calls it, on the client's thread, only for operations it does not implement; returns false for
// operations that are not ours (PAPPL answers operation-not-supported).
bool operation_callback(pappl_client_t* client, void* data);

}  // namespace pp::server
