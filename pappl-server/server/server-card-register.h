// server-card-register.h: PullPrint-Start-Card-Registration (0x4B09): a terminal saw a card that
// nobody owns and asks for a registration code to show (lib/cards/card-registration.h); the user
// then types the code on the web (/pullprint/card, web/web-card.cpp).
#pragma once

#include <pappl/pappl.h>

#include "server/server.h"

namespace pp::server {

// Answers PullPrint-Start-Card-Registration for `who` (operators and admins only: a terminal
// runs as an operator account, since whoever may start a registration for a number could
// register someone else's card).
void start_card_registration(pappl_client_t* client, const Server& server,
                             const ClientIdentity& who);

}  // namespace pp::server
