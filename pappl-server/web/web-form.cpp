// web-form.cpp: reading a request's form and writing forms with their CSRF field (web-form.h).
#include "web/web-form.h"

#include <cups/cups.h>

#include <cstring>

#include "web/web.h"

namespace pp::server::web {

Form::Form(pappl_client_t* client) { count_ = papplClientGetForm(client, &options_); }

Form::~Form() { cupsFreeOptions(count_, options_); }

const char* Form::get(const char* name) const { return cupsGetOption(name, count_, options_); }

bool Form::is_valid(pappl_client_t* client) const { return is_valid_csrf(client, get(kCsrfField)); }

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

void start_form(pappl_client_t* client, std::string_view action, bool multipart) {
  char token[256];
  papplClientGetCSRFToken(client, token, sizeof(token));
  put(client, "          <form action=\"" + html(action) + "\" method=\"POST\"" +
                  (multipart ? " enctype=\"multipart/form-data\"" : "") +
                  ">\n          <input type=\"hidden\" name=\"" + kCsrfField + "\" value=\"" +
                  html(token) + "\">\n");
}

bool is_valid_csrf(pappl_client_t* client, const char* token) {
  if (!token || !*token) return false;
  char expected[256];
  papplClientGetCSRFToken(client, expected, sizeof(expected));
  return std::strcmp(token, expected) == 0;
}

}  // namespace pp::server::web
