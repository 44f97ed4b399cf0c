// user-set.cpp: parsing "alice, @students, *" once, and asking the people store about groups.
#include "people/user-set.h"

#include <algorithm>
#include <map>

namespace pp {

namespace {

// Splits on commas and white space, dropping empty pieces.
std::vector<std::string_view> split_names(std::string_view text) {
  std::vector<std::string_view> names;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool separator = i == text.size() || text[i] == ',' || text[i] == ' ' || text[i] == '\t';
    if (!separator) continue;
    if (i > start) names.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  return names;
}

Status bad_entry(std::string_view what, std::string_view entry, std::string_view why) {
  return Status(Code::kInvalidArgument,
                std::string(what) + ": \"" + std::string(entry) + "\" " + std::string(why));
}

void sort_unique(std::vector<std::string>& names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

}  // namespace

Result<UserSet> UserSet::parse(std::string_view text, std::string_view what) {
  UserSet set;
  for (std::string_view entry : split_names(text)) {
    if (entry == "*") {
      set.everybody_ = true;
    } else if (entry.front() == '@') {
      if (Status valid = validate_group_name(entry.substr(1)); !valid.is_ok())
        return bad_entry(what, entry, "is not a group: " + valid.message());
      set.groups_.emplace_back(entry.substr(1));
    } else {
      for (char c : entry) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          return bad_entry(what, entry, "contains a control character");
      }
      set.users_.emplace_back(entry);
    }
  }
  sort_unique(set.users_);
  sort_unique(set.groups_);
  return set;
}

bool UserSet::names(std::string_view user) const {
  return everybody_ || std::binary_search(users_.begin(), users_.end(), user);
}

Result<bool> UserSet::contains(std::string_view user, PeopleStore& people) const {
  if (names(user)) return true;
  for (const std::string& group : groups_) {
    Result<bool> member = people.is_member(user, group);
    if (!member) return member.status();
    if (*member) return true;
  }
  return false;
}

Result<std::vector<Membership>> UserSet::expand(PeopleStore& people) const {
  if (everybody_) {
    return Status(Code::kInvalidArgument, "\"*\" names everybody and cannot be listed");
  }
  std::map<std::string, Membership, std::less<>> by_user;
  for (const std::string& user : users_) by_user[user] = Membership{"", user, 0};
  for (const std::string& group : groups_) {
    Result<std::vector<Membership>> members = people.members_of(group);
    if (!members) return members.status();
    for (const Membership& member : *members) {
      auto [found, added] = by_user.emplace(member.user, member);
      if (!added && member.since < found->second.since) found->second = member;
    }
  }
  std::vector<Membership> expanded;
  expanded.reserve(by_user.size());
  for (auto& [user, membership] : by_user) expanded.push_back(std::move(membership));
  return expanded;
}

std::string UserSet::to_string() const {
  std::string text;
  auto add = [&text](std::string_view name) {
    if (!text.empty()) text += ", ";
    text += name;
  };
  if (everybody_) add("*");
  for (const std::string& user : users_) add(user);
  for (const std::string& group : groups_) add("@" + group);
  return text;
}

}  // namespace pp
