// people-names.cpp: the people store's names and their parsers, in one place: person states as
// stored and shown, and what a group name may be.
#include <chrono>
#include <string>

#include "people/people.h"

namespace pp {

std::string_view person_state_name(PersonState state) {
  switch (state) {
    case PersonState::kActive:
      return "active";
    case PersonState::kDisabled:
      return "disabled";
    case PersonState::kArchived:
      return "archived";
  }
  return "active";
}

std::optional<PersonState> parse_person_state(std::string_view name) {
  for (PersonState state : {PersonState::kActive, PersonState::kDisabled, PersonState::kArchived}) {
    if (person_state_name(state) == name) return state;
  }
  return std::nullopt;
}

// Group names appear in config values after '@', on command lines and in URLs of the web pages:
// a small alphabet keeps them unambiguous in all three.
Status validate_group_name(std::string_view name) {
  if (name.empty() || name.size() > 128)
    return Status(Code::kInvalidArgument, "a group name has 1 to 128 characters");
  if (name.front() == '-')
    return Status(Code::kInvalidArgument, "a group name does not start with '-'");
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return Status(Code::kInvalidArgument, "group name \"" + std::string(name) +
                                                "\": use letters, digits, '.', '_' and '-' only");
    }
  }
  return Status::ok();
}

std::int64_t people_clock_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace pp
