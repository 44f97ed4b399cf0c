// pam-conversation.cpp: the PIN prompt through pam_prompt().
#include "pam-conversation.h"

#include <security/pam_ext.h>
#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace pp::pam {

namespace {

// pam_prompt() returns a malloc'ed string that we must wipe and free.
struct FreeSecret {
  void operator()(char* text) const {
    sodium_memzero(text, std::strlen(text));
    std::free(text);
  }
};

}  // namespace

std::optional<std::string> ask_secret(pam_handle_t* handle, const char* prompt) {
  char* raw = nullptr;
  if (pam_prompt(handle, PAM_PROMPT_ECHO_OFF, &raw, "%s", prompt) != PAM_SUCCESS || !raw)
    return std::nullopt;
  std::unique_ptr<char, FreeSecret> answer(raw);
  return std::string(answer.get());
}

void wipe(std::string& secret) {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

}  // namespace pp::pam
