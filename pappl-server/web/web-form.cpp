// web-form.cpp: reading a request's form and writing forms with their CSRF field (web-form.h).
#include "web/web-form.h"

#include <cups/cups.h>

#include <cstring>

#include "web/web.h"

namespace pp::server::web {

Form::Form(pappl_client_t* client) {
  count_ = papplClientGetForm(client, &options_);
}

Form::~Form() {
  cupsFreeOptions(count_, options_);
}

const char* Form::get(const char* name) const {
  return cupsGetOption(name, count_, options_);
}

bool Form::is_valid(pappl_client_t* client) const {
  return is_valid_csrf(client, get(kCsrfField));
}

std::vector<std::int64_t> Form::ids_with_prefix(std::string_view prefix, std::size_t limit) const {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < count_ && ids.size() < limit; ++i) {
    std::string_view name = options_[i].name;
    if (!name.starts_with(prefix)) continue;
    name.remove_prefix(prefix.size());
    if (std::optional<std::int64_t> id = form_id(name)) ids.push_back(*id);
  }
  return ids;
}

namespace {

// PAPPL's CSRF token of this client (its system's session key and the Host field).
std::string anonymous_token(pappl_client_t* client) {
  char token[256];
  papplClientGetCSRFToken(client, token, sizeof(token));
  return token;
}

// The token of this client's forms: the session's, else PAPPL's.
std::string form_token(pappl_client_t* client) {
  if (std::optional<WebSession> session = current_session(client)) return session->csrf;
  return anonymous_token(client);
}

void put_form(pappl_client_t* client, std::string_view action, bool multipart,
              const std::string& token) {
  put(client, "          <form action=\"" + html(action) + "\" method=\"POST\"" +
                  (multipart ? " enctype=\"multipart/form-data\"" : "") +
                  ">\n          <input type=\"hidden\" name=\"" + kCsrfField + "\" value=\"" +
                  html(token) + "\">\n");
}

// Compares in constant time.
bool same_token(const char* token, const std::string& expected) {
  if (!token || expected.empty() || std::strlen(token) != expected.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>(token[i] ^ expected[i]);
  return diff == 0;
}

}  // namespace

void start_form(pappl_client_t* client, std::string_view action, bool multipart) {
  put_form(client, action, multipart, form_token(client));
}

bool is_valid_csrf(pappl_client_t* client, const char* token) {
  return same_token(token, form_token(client));
}

void start_anonymous_form(pappl_client_t* client, std::string_view action) {
  put_form(client, action, false, anonymous_token(client));
}

bool is_valid_anonymous_csrf(pappl_client_t* client, const char* token) {
  return same_token(token, anonymous_token(client));
}

}  // namespace pp::server::web
