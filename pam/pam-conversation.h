// pam-conversation.h: asking the user through the application's PAM conversation.
#pragma once

#include <security/pam_modules.h>

#include <optional>
#include <string>

namespace pp::pam {

// Asks `prompt` with echo off (a PIN) and returns the answer; nullopt when the application has
// no conversation or the user gave no answer. The caller wipes the answer after use.
std::optional<std::string> ask_secret(pam_handle_t* handle, const char* prompt);

// Overwrites a secret in memory before it is freed.
void wipe(std::string& secret);

}  // namespace pp::pam
