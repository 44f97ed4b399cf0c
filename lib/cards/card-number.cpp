// card-number.cpp: card numbers and states as text.
#include <chrono>
#include <string>

#include "cards/cards.h"

namespace pp {

Status validate_card_number(std::string_view number) {
  // Numbers come from card readers and the network; a closed alphabet keeps them safe in logs,
  // prompts and SQL, and the bound keeps the audit log small.
  if (number.empty() || number.size() > 64)
    return Status(Code::kInvalidArgument, "a card number has 1 to 64 characters");
  for (char c : number) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum)
      return Status(Code::kInvalidArgument, "a card number has ASCII letters and digits only");
  }
  return Status::ok();
}

std::string_view card_state_name(CardState state) {
  switch (state) {
    case CardState::kBlocked:
      return "blocked";
    case CardState::kUnissued:
      return "unissued";
    case CardState::kActive:
      break;
  }
  return "active";
}

std::int64_t system_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace pp
