// server-auth-pam.cpp: HTTP Basic credentials checked with PAM (auth = pam).
//
// Release terminals log users in with a card: the Basic user name "card=NUMBER" and the PIN as
// the password go to the card service ("pullprint-card", pam_pullprint.so), which sets PAM_USER
// to the card's owner; that owner is the user of the request.
//
// PAPPL 1.3.1 checks Basic credentials with PAM only when no auth callback is set, and
// pullprintd needs the callback to refuse PAPPL's hold/release operations: so the callback does
// the PAM check itself, the same way (service "pullprint", password from the Basic header).
#include <cups/cups.h>
#include <security/pam_appl.h>

#include <cstdlib>
#include <cstring>

#include "server/server.h"

namespace pp::server {
namespace {

// PAM conversation: answers every prompt that hides input with the password, others with the
// user name.
int converse(int count, const struct pam_message** messages, struct pam_response** responses,
             void* data) {
  const auto* credentials = static_cast<const std::pair<std::string, std::string>*>(data);
  // PAM frees the answers with free(): they must come from malloc/strdup.
  auto* answers = static_cast<pam_response*>(
      std::calloc(static_cast<std::size_t>(count), sizeof(pam_response)));
  if (!answers) return PAM_BUF_ERR;
  for (int i = 0; i < count; ++i) {
    const int style = messages[i]->msg_style;
    if (style == PAM_PROMPT_ECHO_OFF)
      answers[i].resp = strdup(credentials->second.c_str());
    else if (style == PAM_PROMPT_ECHO_ON)
      answers[i].resp = strdup(credentials->first.c_str());
  }
  *responses = answers;
  return PAM_SUCCESS;
}

// pam_authenticate + pam_acct_mgmt for one user and password; the user PAM settled on (a card
// module replaces the card number with the card's owner), or nullopt when refused.
std::optional<std::string> pam_accepts(const std::string& service, const std::string& user,
                                       const std::string& password) {
  std::pair<std::string, std::string> credentials{user, password};
  const pam_conv conversation{converse, &credentials};
  pam_handle_t* handle = nullptr;
  if (pam_start(service.c_str(), user.c_str(), &conversation, &handle) != PAM_SUCCESS)
    return std::nullopt;
  int status = pam_authenticate(handle, PAM_SILENT);
  if (status == PAM_SUCCESS) status = pam_acct_mgmt(handle, PAM_SILENT);
  std::optional<std::string> settled;
  const void* item = nullptr;
  if (status == PAM_SUCCESS && pam_get_item(handle, PAM_USER, &item) == PAM_SUCCESS && item &&
      *static_cast<const char*>(item))
    settled = static_cast<const char*>(item);
  pam_end(handle, status);
  return settled;
}

}  // namespace

std::optional<std::string> pam_check_basic(const char* authorization, const char* service,
                                           const char* card_service) {
  std::optional<BasicCredentials> basic = decode_basic(authorization);
  if (!basic || basic->user.empty() || !basic->password) return std::nullopt;
  const std::string& user = basic->user;
  const std::string& password = *basic->password;
  // "card=NUMBER": a release terminal sends the card number it read and the PIN.
  if (user.starts_with(kCardUserPrefix)) {
    const std::string number = user.substr(std::strlen(kCardUserPrefix));
    if (number.empty()) return std::nullopt;
    return pam_accepts(card_service, number, password);
  }
  return pam_accepts(service, user, password);
}

std::optional<std::string> pam_check_credentials(const ServerSettings& settings,
                                                 const std::string& name, const std::string& secret,
                                                 bool card) {
  if (name.empty() || name.starts_with(kCardUserPrefix)) return std::nullopt;
  return pam_accepts(card ? settings.card_pam_service : settings.pam_service, name, secret);
}

}  // namespace pp::server
