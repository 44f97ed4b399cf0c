// server-release.h: the release terminal's operation (PullPrint-Release-Held-Jobs).
#pragma once

#include <pappl/pappl.h>

#include "server.h"

namespace pp::server {

// The currency of the default price profile ("" when it cannot be read).
std::string site_currency(const Config& config);

// Answers PullPrint-Release-Held-Jobs for `who` (see server-release.cpp).
void release_held_jobs(pappl_client_t* client, Server& server, const ClientIdentity& who);

}  // namespace pp::server
