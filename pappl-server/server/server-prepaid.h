// server-prepaid.h: PullPrint-Activate-Card (0x4B08) and the web's "Activate a prepaid card":
// a user activates a prepaid card for themselves through pullprintd, because an ordinary user
// cannot open an installed ledger file.
#pragma once

#include <pappl/pappl.h>

#include <string>

#include "cards/prepaid-cards.h"
#include "server/server.h"

namespace pp::server {

// Activates `number` for `user` (lib/cards/prepaid-cards.h) on a site opened for this call;
// `actor` is who asked (the journal's actor). Shared by the IPP operation and the web form.
Result<PrepaidOutcome> activate_prepaid_for(const Server& server, const std::string& number,
                                            const std::string& user, const std::string& actor);

// Answers PullPrint-Activate-Card for `who`: the card pullprint-card-number for `who` itself, or
// (admins only) for the user named by pullprint-user.
void activate_card(pappl_client_t* client, const Server& server, const ClientIdentity& who);

// The timers' repair: credits the prepaid cards whose activation a crash left uncredited
// (credit_uncredited_prepaid_cards); logs what it did. On PAPPL's main thread.
void credit_prepaid_cards_timer(pappl_system_t* system, const Server& server);

}  // namespace pp::server
