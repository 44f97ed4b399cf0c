// user-set.h: "alice, bob, @students": the users a rule names, by login and by group.
//
// Why one type: admins, operators, allowed-users, colour rights, allocations and who may charge
// a shared account all name users the same way, and "@group" must mean the same everywhere (the
// group's members in the people store, people.h). Parsing once here gives one syntax and one
// error message for all of them, and one place that asks the store.
//
// Syntax: names separated by commas and/or white space; "@NAME" is a group; "*" is everybody.
// An empty text names nobody.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "people/people.h"
#include "util/status.h"

namespace pp {

class UserSet {
 public:
  // Parses a list; kInvalidArgument naming the bad entry (an empty "@", a bad group name, a
  // control character). `what` names the list in messages ("admins", "printer.a.color-users").
  static Result<UserSet> parse(std::string_view text, std::string_view what);

  // Whether the set names nobody.
  bool empty() const { return !everybody_ && users_.empty() && groups_.empty(); }
  // Whether "*" was given.
  bool everybody() const { return everybody_; }
  const std::vector<std::string>& users() const { return users_; }
  const std::vector<std::string>& groups() const { return groups_; }

  // Whether `user` is named by login (or "*"), without asking about groups.
  bool names(std::string_view user) const;
  // Whether `user` is named or is a member of a named group.
  Result<bool> contains(std::string_view user, PeopleStore& people) const;
  // Every user the set names, each once, with the time they joined (`since`: 0 for a user named
  // by login; the earliest join for a user in several named groups). "*" cannot be expanded
  // (kInvalidArgument).
  Result<std::vector<Membership>> expand(PeopleStore& people) const;

  // The set written back in its own syntax ("alice, @students").
  std::string to_string() const;

 private:
  bool everybody_ = false;
  std::vector<std::string> users_;   // sorted, unique
  std::vector<std::string> groups_;  // sorted, unique, without '@'
};

}  // namespace pp
