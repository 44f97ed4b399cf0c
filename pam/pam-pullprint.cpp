// pam-pullprint.cpp: pam_pullprint.so, card login for release at the printer.
//
// The PAM user given by the application (or asked with "Card: ") is a card number. When the
// card has a PIN, the module asks "PIN: " (echo off) through the conversation. On success it
// replaces PAM_USER with the card's owner, so the application (pullprintd, the terminal
// client) learns who is standing at the printer. Every attempt is logged by lib/cards in the
// ledger and here in syslog, never with the PIN.
//
// Options: config=PATH (default /etc/pullprint/pullprint.conf): state-dir, card-max-failures,
// card-lock-seconds.
//
// The entry points are C; no exception may cross them, so each one catches everything.
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <syslog.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "cards/cards.h"
#include "config/config.h"
#include "pam-conversation.h"
#include "site/site.h"

#define PP_PAM_EXPORT extern "C" __attribute__((visibility("default")))

namespace pp::pam {

namespace {

// pam_set_data key under which authenticate leaves the card number for acct_mgmt.
constexpr const char* kCardDataKey = "pam_pullprint_card";

std::string config_path(int argc, const char** argv) {
  std::string path = kDefaultConfigPath;
  for (int i = 0; i < argc; ++i) {
    std::string_view option = argv[i];
    if (option.starts_with("config=")) path = option.substr(7);
  }
  return path;
}

// The site with its card store: the one store this module uses.
Result<Site> open_site(int argc, const char** argv) {
  // Only the default file may be missing (defaults apply); a config= the admin named must exist,
  // or a typo would silently point the module at another ledger.
  std::string path = config_path(argc, argv);
  Result<Config> config = Config::load(path, /*missing_ok=*/path == kDefaultConfigPath);
  if (!config) return config.status();
  return Site::open(*config, SiteStores{.cards = true});
}

void free_data(pam_handle_t*, void* data, int) { std::free(data); }

// The PIN, asked only for a card that has one: a card without PIN logs in with a tap.
std::optional<std::string> pin_for(pam_handle_t* handle, CardStore& store,
                                   const std::string& number) {
  Result<Card> card = store.get_card(number);
  if (!card || !card->has_pin) return std::nullopt;
  return ask_secret(handle, "PIN: ");
}

// PAM_MAXTRIES while the card is locked, else PAM_AUTH_ERR.
int failure_code(CardStore& store, const std::string& number) {
  Result<Card> card = store.get_card(number);
  if (card && card->locked_until && *card->locked_until > system_unix_seconds())
    return PAM_MAXTRIES;
  return PAM_AUTH_ERR;
}

int authenticate(pam_handle_t* handle, int argc, const char** argv) {
  const char* user = nullptr;
  if (pam_get_user(handle, &user, "Card: ") != PAM_SUCCESS || !user || !*user)
    return PAM_AUTH_ERR;
  std::string number = user;
  Result<Site> site = open_site(argc, argv);
  if (!site) {
    pam_syslog(handle, LOG_ERR, "cannot open the card store: %s",
               site.status().to_string().c_str());
    return PAM_AUTHINFO_UNAVAIL;
  }
  // A malformed number is not echoed into syslog: it came from a reader or the network.
  bool valid = validate_card_number(number).is_ok();
  std::optional<std::string> pin = valid ? pin_for(handle, site->cards(), number) : std::nullopt;
  Result<std::string> owner = site->cards().authenticate(number, pin);
  if (pin) wipe(*pin);
  if (!owner) {
    Status status = owner.status();
    pam_syslog(handle, LOG_NOTICE, "card login refused: %s",
               valid ? status.to_string().c_str() : "malformed card number");
    if (status.code() == Code::kIoError || status.code() == Code::kInternal)
      return PAM_AUTHINFO_UNAVAIL;
    // The one refusal the holder can put right: a prepaid card bought but not activated yet.
    if (valid && status.message().ends_with(kActivateCardFirst))
      pam_error(handle,
                "This card is not activated yet: %s (pullprint card activate, or the web "
                "page).",
                std::string(kActivateCardFirst).c_str());
    return valid ? failure_code(site->cards(), number) : PAM_AUTH_ERR;
  }
  if (pam_set_item(handle, PAM_USER, owner->c_str()) != PAM_SUCCESS) return PAM_SYSTEM_ERR;
  char* data = ::strdup(number.c_str());
  if (!data || pam_set_data(handle, kCardDataKey, data, free_data) != PAM_SUCCESS) {
    std::free(data);
    return PAM_BUF_ERR;
  }
  pam_syslog(handle, LOG_INFO, "card %s accepted for user %s", number.c_str(), owner->c_str());
  return PAM_SUCCESS;
}

// The account stage after a card login: the card must still be active (it may have been
// blocked since). Logins that did not come through this module are not ours to judge.
int account(pam_handle_t* handle, int argc, const char** argv) {
  const void* data = nullptr;
  if (pam_get_data(handle, kCardDataKey, &data) != PAM_SUCCESS || !data) return PAM_IGNORE;
  std::string number = static_cast<const char*>(data);
  Result<Site> site = open_site(argc, argv);
  if (!site) return PAM_AUTHINFO_UNAVAIL;
  Result<Card> card = site->cards().get_card(number);
  if (!card || card->state != CardState::kActive) {
    pam_syslog(handle, LOG_NOTICE, "card %s is no longer valid", number.c_str());
    return PAM_PERM_DENIED;
  }
  return PAM_SUCCESS;
}

template <typename F>
int guarded(pam_handle_t* handle, const char* stage, F&& body) {
  try {
    return body();
  } catch (const std::exception& error) {
    pam_syslog(handle, LOG_ERR, "%s: %s", stage, error.what());
  } catch (...) {
    pam_syslog(handle, LOG_ERR, "%s: unknown error", stage);
  }
  return PAM_SERVICE_ERR;
}

}  // namespace

}  // namespace pp::pam

// Checks the card (and PIN) and sets PAM_USER to the card's owner.
PP_PAM_EXPORT int pam_sm_authenticate(pam_handle_t* handle, int /*flags*/, int argc,
                                      const char** argv) {
  return pp::pam::guarded(handle, "authenticate",
                          [&] { return pp::pam::authenticate(handle, argc, argv); });
}

// No credentials to establish: a card login grants release of the owner's jobs only.
PP_PAM_EXPORT int pam_sm_setcred(pam_handle_t* /*handle*/, int /*flags*/, int /*argc*/,
                                 const char** /*argv*/) {
  return PAM_SUCCESS;
}

// Refuses an account whose card was blocked between authentication and account check.
PP_PAM_EXPORT int pam_sm_acct_mgmt(pam_handle_t* handle, int /*flags*/, int argc,
                                   const char** argv) {
  return pp::pam::guarded(handle, "acct_mgmt",
                          [&] { return pp::pam::account(handle, argc, argv); });
}
