// web-sign-in.cpp: signing in to and out of the web pages with a form, not the browser's Basic
// pop-up (which has no sign-out and sends the password with every request).
//
//   GET  /pullprint/sign-in    the form (user name + password, or card number + PIN), ?next=PAGE;
//                              already signed in: straight on to PAGE (default My jobs)
//   POST /pullprint/sign-in    user=&password= or card=&pin=, next=, CSRF field (PAPPL's token:
//                              nobody is signed in yet): PAM (service pam-service, or the card
//                              service for a card), then a new session, its cookie, and 303 to
//                              next; a failure: 403 and the form again, name kept
//   GET  /pullprint/sign-out   a page with the Sign out button (a GET changes nothing)
//   POST /pullprint/sign-out   CSRF field: the session ends, its cookie is deleted, 303 to /
//   GET  /pullprint-style.css  the few styles pullprint's pages add to PAPPL's (phone widths)
//
// Who may try: over plain HTTP only from the local host (or when the site set tls = off): a
// password is not sent in clear across a network. Failed attempts are counted per name and per
// client address (lib/sessions/sign-in-limiter.h) and logged with both; a locked name or address
// is refused before PAM is asked (429). The same words for an unknown user and a wrong password.
// A new sign-in always gets a new session (the old cookie's session ends): no session fixation.
#include <cups/cups.h>

#include <chrono>
#include <ctime>
#include <string>

#include "server/server.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Sign in";
constexpr http_status_t kTooManyRequests = static_cast<http_status_t>(429);

// Phone-first additions to PAPPL's style sheet: full-width fields and buttons on narrow
// screens, and wide tables that scroll sideways instead of widening the page.
constexpr const char kStyle[] = R"css(
.pp-sign-in label { display: block; margin: 0.6em 0; }
.pp-sign-in input[type=text], .pp-sign-in input[type=password] {
  display: block; box-sizing: border-box; width: 100%; max-width: 22em; padding: 0.4em;
  font-size: 1.1em; }
.pp-sign-in button { padding: 0.5em 1.2em; font-size: 1.05em; }
.pp-sign-in fieldset { border: 1px solid #ccc; margin: 0 0 1em 0; max-width: 24em;
  box-sizing: border-box; }
.pp-sign-in form { display: block; }
table.list { display: block; overflow-x: auto; max-width: 100%; }
.content { padding-bottom: 4em; }  /* PAPPL's footer is fixed: nothing may end up under it */
.pp-amount { font-weight: bold; white-space: nowrap; }
.pp-console-nav { margin: 0.5em 0 1em; padding: 0.4em 0; border-bottom: 1px solid #ccc; }
.pp-console-nav a { display: inline-block; margin: 0.15em 0.9em 0.15em 0; }
.pp-console-nav a.active { font-weight: bold; text-decoration: none; }
.pp-console-who { color: #555; font-size: 0.9em; }
.pp-ok { background: #dff0d8; border: 1px solid #3c763d; padding: 0.5em; margin: 0.5em 0; }
.pp-panel { border: 1px solid #ddd; padding: 0.5em 1em; margin: 0 0 1em 0; }
.pp-console-form label { display: inline-block; margin: 0.3em 1em 0.3em 0; }
@media print { .pp-console-nav, .pp-no-print { display: none !important; } }
@media (max-width: 600px) {
  .content { padding: 0 0.5em; }
  button, .btn { min-height: 2.6em; }
  input, select { font-size: 16px; }
}
)css";

bool is_local(pappl_client_t* client) {
  return httpAddrLocalhost(httpGetAddress(papplClientGetHTTP(client))) != 0;
}

// The client's address as logs and the limiter name it.
std::string client_address(pappl_client_t* client) {
  char text[256];
  httpAddrString(httpGetAddress(papplClientGetHTTP(client)), text, sizeof(text));
  return text;
}

std::string clock_time(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%H:%M UTC", &utc);
  return text;
}

// The sign-in page: a banner (escaped here) and the form.
bool sign_in_page(pappl_client_t* client, http_status_t status, const std::string& banner,
                  const std::string& next, const std::string& user) {
  clear_session_cookie(client);  // whatever the browser holds is not a session
  start_page(client, status, kTitle);
  if (!banner.empty()) put(client, "          <div class=\"banner\">" + html(banner) + "</div>\n");
  put_sign_in_form(client, next, user);
  end_page(client);
  return true;
}

bool sign_in_from_form(pappl_client_t* client, Server& server) {
  const Form form(client);
  const std::string next = safe_next(form.get("next"));
  const char* user_field = form.get("user");
  const std::string typed_user = user_field ? user_field : "";
  if (!is_valid_anonymous_csrf(client, form.get(kCsrfField)))
    return sign_in_page(client, HTTP_STATUS_BAD_REQUEST,
                        "The form was stale (or not ours): please sign in again.", next,
                        typed_user);
  if (!papplClientIsEncrypted(client) && !is_local(client) && server.settings.tls)
    return sign_in_page(client, HTTP_STATUS_FORBIDDEN,
                        "Sign in over https://: a password is not sent in clear.", next, "");
  const char* card_field = form.get("card");
  const bool card = card_field && *card_field;
  const std::string name = card ? card_field : typed_user;
  const char* secret_field = form.get(card ? "pin" : "password");
  const std::string secret = secret_field ? secret_field : "";
  if (name.empty() || secret.empty())
    return sign_in_page(
        client, HTTP_STATUS_BAD_REQUEST,
        card ? "Enter the card number and its PIN." : "Enter your user name and password.", next,
        typed_user);
  const std::string address = client_address(client);
  const std::string limited = card ? std::string(kCardUserPrefix) + name : name;
  const auto now = std::chrono::system_clock::now();
  if (auto until = server.sign_in_limiter->locked_until(limited, address, now)) {
    papplLogClient(client, PAPPL_LOGLEVEL_WARN,
                   "Web sign-in of %s from %s refused: too many failed attempts.", limited.c_str(),
                   address.c_str());
    return sign_in_page(client, kTooManyRequests,
                        "Too many failed sign-ins: try again after " + clock_time(*until) + ".",
                        next, typed_user);
  }
  std::optional<std::string> user = pam_check_credentials(server.settings, name, secret, card);
  if (!user) {
    server.sign_in_limiter->failed(limited, address, now);
    papplLogClient(client, PAPPL_LOGLEVEL_WARN, "Web sign-in of %s from %s failed.",
                   limited.c_str(), address.c_str());
    return sign_in_page(
        client, HTTP_STATUS_FORBIDDEN,
        card ? "The card or its PIN is not right." : "The user name or password is not right.",
        next, typed_user);
  }
  server.sign_in_limiter->succeeded(limited);
  if (const std::string old = session_token(client); !old.empty()) server.sessions->close(old);
  const std::string token = server.sessions->open(*user, now);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Web sign-in of %s from %s%s.", user->c_str(),
                 address.c_str(), card ? " with a card" : "");
  set_session_cookie(client, token);
  return redirect(client, next);
}

bool sign_in_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (papplClientGetMethod(client) == HTTP_STATE_POST) return sign_in_from_form(client, server);
  const Form query(client);
  const std::string next = safe_next(query.get("next"));
  if (!papplClientIsEncrypted(client) && !is_local(client) && server.settings.tls)
    return redirect(client, secure_url(client, sign_in_url(next)));
  if (const std::string token = session_token(client); !token.empty()) {
    if (server.sessions->find(token, std::chrono::system_clock::now())) {
      set_session_cookie(client, token);
      return redirect(client, next);
    }
  }
  return sign_in_page(client, HTTP_STATUS_OK, "", next, "");
}

bool sign_out_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const std::string token = session_token(client);
  const std::optional<WebSession> session = current_session(client);
  if (papplClientGetMethod(client) == HTTP_STATE_POST) {
    const Form form(client);
    if (session && !form.is_valid(client)) {
      set_session_cookie(client, token);
      return error_page(client, HTTP_STATUS_BAD_REQUEST, "Sign out",
                        "The form was stale: you are still signed in.");
    }
    if (session) {
      server.sessions->close(token);
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Web sign-out of %s.", session->user.c_str());
    }
    clear_session_cookie(client);
    return redirect(client, kHomePath);
  }
  if (!session) {
    clear_session_cookie(client);
    start_page(client, HTTP_STATUS_OK, "Sign out");
    put(client, "          <p>You are not signed in.</p>\n          <p><a class=\"btn\" href=\"" +
                    std::string(kSignInPath) + "\">Sign in</a></p>\n");
    end_page(client);
    return true;
  }
  set_session_cookie(client, token);
  start_page(client, HTTP_STATUS_OK, "Sign out");
  put(client, "          <p>Signed in as " + html(session->user) + ".</p>\n");
  start_form(client, kSignOutPath);
  put(client,
      "          <p><button type=\"submit\" id=\"sign-out\">Sign out</button></p>\n"
      "          </form>\n");
  end_page(client);
  return true;
}

}  // namespace

void put_sign_in_form(pappl_client_t* client, const std::string& next, const std::string& user) {
  put(client, "          <div class=\"pp-sign-in\">\n");
  start_anonymous_form(client, secure_url(client, kSignInPath));
  put(client,
      "          <input type=\"hidden\" name=\"next\" value=\"" + html(next) +
          "\">\n"
          "          <fieldset><legend>With your user name</legend>\n"
          "          <label>User name <input type=\"text\" name=\"user\" id=\"sign-in-user\" "
          "autocomplete=\"username\" autocapitalize=\"none\" maxlength=\"255\" value=\"" +
          html(user) +
          "\"></label>\n"
          "          <label>Password <input type=\"password\" name=\"password\" "
          "id=\"sign-in-password\" autocomplete=\"current-password\" maxlength=\"1024\">"
          "</label>\n"
          "          <button type=\"submit\" id=\"sign-in\">Sign in</button>\n"
          "          </fieldset>\n          </form>\n");
  start_anonymous_form(client, secure_url(client, kSignInPath));
  put(client,
      "          <input type=\"hidden\" name=\"next\" value=\"" + html(next) +
          "\">\n"
          "          <fieldset><legend>With your card</legend>\n"
          "          <label>Card number <input type=\"text\" name=\"card\" id=\"sign-in-card\" "
          "autocomplete=\"off\" inputmode=\"numeric\" maxlength=\"128\"></label>\n"
          "          <label>PIN <input type=\"password\" name=\"pin\" id=\"sign-in-pin\" "
          "autocomplete=\"off\" inputmode=\"numeric\" maxlength=\"64\"></label>\n"
          "          <button type=\"submit\" id=\"sign-in-with-card\">Sign in with card"
          "</button>\n"
          "          </fieldset>\n          </form>\n"
          "          </div>\n");
}

void add_sign_in_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kSignInPath, "text/html", sign_in_resource, &server);
  papplSystemAddResourceCallback(system, kSignOutPath, "text/html", sign_out_resource, &server);
  papplSystemAddResourceData(system, kStylePath, "text/css", kStyle, sizeof(kStyle) - 1);
  papplSystemAddLink(system, "Sign out", kSignOutPath, PAPPL_LOPTIONS_NAVIGATION);
}

}  // namespace pp::server::web
