// web-session.cpp: who a page's user is: the session cookie of the sign-in form
// (web-sign-in.cpp), or HTTP Basic for scripts; and the redirect to the sign-in form.
//
// The cookie: "pullprint-session=TOKEN; Path=/pullprint/; HttpOnly; SameSite=Lax" (+ Secure over
// TLS). Its path is /pullprint/ on purpose: libcups echoes a request's Cookie header as a
// Set-Cookie line in every response that sets none (httpWriteResponse), without SameSite, and
// PAPPL answers its own resources (/style.css, icons, its pages) that way. Kept under
// /pullprint/, the cookie only reaches our pages, and each of them sets it explicitly
// (set_session_cookie), so the browser's copy keeps its attributes. Lax, not Strict: a phone
// that opens a printer's QR code arrives from another site (the camera) and must stay signed in.
//
// libcups keeps a connection's cookie (http->cookie) from one request to the next on a kept-alive
// connection, and writes it as Set-Cookie in every later response on it, PAPPL's own style sheet
// and icons included. So a response that deleted the cookie (the sign-in form's "Max-Age=0")
// would delete it again, later, from a response on that connection to a page loaded after
// signing in on another one: the browser lost its fresh session at random (Chromium spreads
// requests over connections). Our responses therefore make the connection forget its cookie once
// they are written (forget_connection_cookie: end_page, redirect; not earlier, as a page's forms
// read the session's CSRF token from it), and a request to our pages without a Cookie header does
// not inherit the previous request's.
//
// The session table (lib/sessions/session-table.h) holds the rules: idle and total lifetime,
// the per-session CSRF token (web-form.cpp asks current_session()).
#include <cups/cups.h>

#include <chrono>
#include <cstring>

#include "server/server.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr std::size_t kMaxNext = 1024;

// The cookie's token as the browser sent it, or "" without one.
std::string cookie_token(pappl_client_t* client) {
  char value[256];
  if (!papplClientGetCookie(client, kSessionCookie, value, sizeof(value))) return "";
  return value;
}

std::string cookie_attributes(pappl_client_t* client) {
  return std::string("; Path=/pullprint/; HttpOnly; SameSite=Lax") +
         (papplClientIsEncrypted(client) ? "; Secure" : "");
}

// The URI of this request, query included, as a sign-in form's `next`.
std::string request_target(pappl_client_t* client) {
  std::string target = papplClientGetURI(client) ? papplClientGetURI(client) : "";
  const char* query = papplClientGetOptions(client);
  if (query && *query) target += std::string("?") + query;
  return target;
}

}  // namespace

std::optional<WebSession> current_session(pappl_client_t* client) {
  const std::string token = cookie_token(client);
  if (token.empty()) return std::nullopt;
  return current_server().sessions->peek(token, std::chrono::system_clock::now());
}

void set_session_cookie(pappl_client_t* client, const std::string& token) {
  httpSetCookie(papplClientGetHTTP(client),
                (std::string(kSessionCookie) + "=" + token + cookie_attributes(client)).c_str());
}

void clear_session_cookie(pappl_client_t* client) {
  httpSetCookie(
      papplClientGetHTTP(client),
      (std::string(kSessionCookie) + "=" + cookie_attributes(client) + "; Max-Age=0").c_str());
}

void forget_connection_cookie(pappl_client_t* client) {
  httpClearCookie(papplClientGetHTTP(client));
}

std::string session_token(pappl_client_t* client) {
  return cookie_token(client);
}

std::string safe_next(const char* next) {
  if (!next) return kJobsPath;
  const std::string_view text(next);
  const bool ours = text.starts_with("/pullprint/") && text.size() < kMaxNext &&
                    text.find("//") == std::string_view::npos &&
                    text.find('\\') == std::string_view::npos &&
                    text.find("/.") == std::string_view::npos && !text.starts_with(kSignInPath) &&
                    !text.starts_with(kSignOutPath);
  if (!ours) return kJobsPath;
  for (char c : text)
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f)
      return kJobsPath;
  return std::string(text);
}

bool redirect(pappl_client_t* client, const std::string& location) {
  http_t* http = papplClientGetHTTP(client);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "See Other %s", location.c_str());
  httpClearFields(http);
  httpSetField(http, HTTP_FIELD_SERVER, papplSystemGetServerHeader(papplClientGetSystem(client)));
  httpSetField(http, HTTP_FIELD_LOCATION, location.c_str());
  httpSetLength(http, 0);
  const bool written = httpWriteResponse(http, HTTP_STATUS_SEE_OTHER) == 0;
  forget_connection_cookie(client);  // sent; not for the next response on this connection
  return written && httpWrite2(http, "", 0) >= 0;
}

std::string secure_url(pappl_client_t* client, const std::string& path) {
  const bool tls = !(papplSystemGetOptions(papplClientGetSystem(client)) & PAPPL_SOPTIONS_NO_TLS);
  const bool local = httpAddrLocalhost(httpGetAddress(papplClientGetHTTP(client))) != 0;
  if (!tls || papplClientIsEncrypted(client) || local) return path;
  char url[1024];
  httpAssembleURI(HTTP_URI_CODING_NONE, url, sizeof(url), "https", nullptr,
                  papplClientGetHostName(client), papplClientGetHostPort(client), path.c_str());
  return url;
}

std::string sign_in_url(const std::string& next) {
  return std::string(kSignInPath) + "?next=" + url_encode(next);
}

std::optional<std::string> signed_in_user(pappl_client_t* client, bool post, bool* keep_open) {
  *keep_open = !post;  // an unread form body: close the connection
  Server& server = current_server();
  const char* authorization = httpGetField(papplClientGetHTTP(client), HTTP_FIELD_AUTHORIZATION);
  if (authorization && *authorization) {
    // HTTP Basic, for scripts and terminals: the auth callback's rules, as for IPP.
    const http_status_t status = papplClientIsAuthorized(client);
    if (status != HTTP_STATUS_CONTINUE) {
      papplClientRespond(client, status, nullptr, nullptr, 0, 0);
      return std::nullopt;
    }
    const char* name = papplClientGetUsername(client);
    if (!name || !*name) {
      papplClientRespond(client, HTTP_STATUS_FORBIDDEN, nullptr, nullptr, 0, 0);
      return std::nullopt;
    }
    return std::string(name);
  }
  const std::string token = cookie_token(client);
  if (!token.empty()) {
    if (std::optional<WebSession> session =
            server.sessions->find(token, std::chrono::system_clock::now())) {
      set_session_cookie(client, token);  // keeps its attributes (see the top of this file)
      return session->user;
    }
    clear_session_cookie(client);
  }
  if (post) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Form sent to %s without a live session.",
                   papplClientGetURI(client));
    { const Form unread(client); }  // read the body away: libcups answers it cleanly then
    *keep_open = true;
    start_page(client, HTTP_STATUS_FORBIDDEN, "Signed out");
    put(client,
        "          <div class=\"banner\">You are not signed in (or your session has ended): "
        "nothing was done.</div>\n          <p><a class=\"btn\" href=\"" +
            html(sign_in_url(safe_next(papplClientGetURI(client)))) + "\">Sign in</a></p>\n");
    end_page(client);
    return std::nullopt;
  }
  redirect(client, secure_url(client, sign_in_url(request_target(client))));
  return std::nullopt;
}

}  // namespace pp::server::web
