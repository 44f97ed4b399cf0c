// web-form.h: a page's form, read once, and the forms a page writes, with their CSRF field.
//
// Every form of pullprint's pages starts with start_form() and is checked with
// Form::is_valid() (or is_valid_csrf() for a form read some other way, such as a streamed
// upload) before anything is done: one place decides what the CSRF field is and how it is
// checked, so that the pages never write their own.
#pragma once

#include <pappl/pappl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp::server::web {

// The name of the hidden CSRF field of every form (PAPPL's name for it).
inline constexpr const char* kCsrfField = "session";

// The fields of a request: a GET's query or a POST's url-encoded body (PAPPL reads at most
// 2 MiB of a body). Read once per request (the body is consumed); freed at the end.
class Form {
 public:
  explicit Form(pappl_client_t* client);
  ~Form();
  Form(const Form&) = delete;
  Form& operator=(const Form&) = delete;

  // The value of field `name`, or nullptr.
  const char* get(const char* name) const;
  // Whether the form carries this client's CSRF token (is_valid_csrf).
  bool is_valid(pappl_client_t* client) const;
  // The ids of the fields named PREFIX + ID (checked boxes "job-12"), in the order sent, at most
  // `limit`.
  std::vector<std::int64_t> ids_with_prefix(std::string_view prefix, std::size_t limit) const;

 private:
  int count_ = 0;
  cups_option_t* options_ = nullptr;
};

// Writes <form action="ACTION" method="POST"> with the CSRF field; `multipart` for file uploads.
// The caller closes it with </form>. The token is the signed-in session's own (a form made for
// one session is refused in another); without a session (HTTP Basic), PAPPL's.
void start_form(pappl_client_t* client, std::string_view action, bool multipart = false);
// Whether `token` is the CSRF token of this client's forms (as start_form made it).
bool is_valid_csrf(pappl_client_t* client, const char* token);
// The same for a form shown before anybody signs in (the sign-in form, on pages outside the
// session cookie's path): PAPPL's token, bound to the server's session key and the Host.
void start_anonymous_form(pappl_client_t* client, std::string_view action);
bool is_valid_anonymous_csrf(pappl_client_t* client, const char* token);

}  // namespace pp::server::web
