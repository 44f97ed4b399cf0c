// server-accounts.h: PullPrint-Get-Account (0x4B07), an account's balance and journal over IPP,
// for `pullprint balance` / `pullprint history` on machines that cannot read the ledger file.
#pragma once

#include <pappl/pappl.h>

#include "server/server.h"

namespace pp::server {

// Answers PullPrint-Get-Account for `who`: their own account, or (admins only) the one named by
// pullprint-account.
void get_account(pappl_client_t* client, const Server& server, const ClientIdentity& who);

}  // namespace pp::server
