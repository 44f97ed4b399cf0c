// directory-plan.cpp: make_directory_plan(), the diff between a directory and the ledger file
// (the rules are in directory-plan.h).
#include "directory/directory-plan.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace pp {

namespace {

// A login the stores accept: what people-sqlite and the ledger check, and no '@' (which names a
// group) or ',' / ' ' (which separate users in lists).
bool valid_login(std::string_view login) {
  if (login.empty() || login.size() > 256) return false;
  for (unsigned char c : login) {
    if (c < 0x20 || c == 0x7f || c == ',' || c == ' ' || c == '@') return false;
  }
  return true;
}

// A DN compared as the directory would: case and spaces around ',' and '=' do not count.
std::string dn_key(std::string_view dn) {
  std::string key;
  key.reserve(dn.size());
  for (std::size_t i = 0; i < dn.size(); ++i) {
    char c = dn[i];
    if (c == ' ' &&
        (key.empty() || key.back() == ',' || key.back() == '=' ||
         (i + 1 < dn.size() && (dn[i + 1] == ',' || dn[i + 1] == '=' || dn[i + 1] == ' '))))
      continue;
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return key;
}

// A uniqueMember value without its optional "#'0101'B" uid suffix.
std::string_view without_uid(std::string_view value) {
  std::size_t hash = value.rfind('#');
  return hash == std::string_view::npos ? value : value.substr(0, hash);
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

struct AcceptedUser {
  const DirectoryUser* entry = nullptr;
  std::vector<std::string> cards;  // normalised
};

class Planner {
 public:
  Planner(const DirectoryConfig& directory, const DirectorySnapshot& snapshot,
          const DirectoryState& state, std::int64_t now)
      : directory_(directory), snapshot_(snapshot), state_(state) {
    plan_.directory = directory.name;
    plan_.now = now;
    plan_.users_read = static_cast<std::int64_t>(snapshot.users.size());
    plan_.groups_read = static_cast<std::int64_t>(snapshot.groups.size());
    for (const Person& person : state.people) {
      people_by_login_[person.login] = &person;
      if (person.source == directory.name) mine_by_id_[person.source_id] = &person;
    }
    for (const StoredAccount& account : state.accounts) accounts_[account.name] = &account;
  }

  DirectoryPlan run() {
    accept_users();
    plan_people();
    plan_leavers();
    plan_groups();
    plan_cards();
    return std::move(plan_);
  }

 private:
  // The login a stored login has after this plan's renames.
  const std::string& renamed(const std::string& login) const {
    auto found = rename_to_.find(login);
    return found == rename_to_.end() ? login : found->second;
  }

  void conflict(std::string text) { plan_.conflicts.push_back(std::move(text)); }

  // Picks the entries the sync writes: a valid id and login, no duplicate, no conflict.
  void accept_users() {
    std::vector<const DirectoryUser*> entries;
    for (const DirectoryUser& user : snapshot_.users) entries.push_back(&user);
    std::sort(entries.begin(), entries.end(),
              [](const DirectoryUser* a, const DirectoryUser* b) { return a->id < b->id; });
    // Logins that this directory's people give up in this sync (renamed away): another of its
    // users may take them (two users swapping logins).
    std::unordered_map<std::string, std::string> login_of_id;
    for (const DirectoryUser* user : entries) login_of_id.emplace(user->id, user->login);
    std::unordered_set<std::string> seen_logins;
    for (const DirectoryUser* user : entries) {
      if (user->id.empty()) {
        plan_.warnings.push_back("user " + user->dn + " has no " + directory_.id_attribute +
                                 ": left out");
        continue;
      }
      if (!seen_ids_.insert(user->id).second) {
        plan_.warnings.push_back("user " + user->dn + ": " + directory_.id_attribute + " " +
                                 user->id + " twice: left out");
        continue;
      }
      if (!valid_login(user->login)) {
        plan_.warnings.push_back("user " + user->dn + " has no valid " +
                                 directory_.login_attribute + " ('" + user->login + "'): left out");
        continue;
      }
      if (!seen_logins.insert(user->login).second) {
        conflict("login " + user->login + " is used by two entries of directory " +
                 directory_.name + " (" + user->dn + " left out)");
        continue;
      }
      auto mine = mine_by_id_.find(user->id);
      const Person* existing = mine == mine_by_id_.end() ? nullptr : mine->second;
      auto holder_it = people_by_login_.find(user->login);
      const Person* holder = holder_it == people_by_login_.end() ? nullptr : holder_it->second;
      if (holder && holder != existing) {
        bool given_up = holder->source == directory_.name && login_of_id.count(holder->source_id) &&
                        login_of_id.at(holder->source_id) != holder->login;
        if (holder->source.empty() && !existing) {
          adopt_.insert(user->login);
        } else if (!given_up) {
          conflict("login " + user->login + " (" + user->dn + ") already belongs to " +
                   (holder->source.empty()              ? std::string("a local person")
                    : holder->source == directory_.name ? "another user of this directory"
                                                        : "directory " + holder->source) +
                   ": left out");
          continue;
        }
      }
      auto account = accounts_.find(user->login);
      if (account != accounts_.end() && !account->second->personal) {
        conflict("login " + user->login + " (" + user->dn +
                 ") is the name of a shared account: left out");
        continue;
      }
      if (existing && existing->login != user->login && account != accounts_.end()) {
        // The new login's account must be one that is itself renamed away.
        auto owner = people_by_login_.find(user->login);
        bool moves_away = owner != people_by_login_.end() &&
                          owner->second->source == directory_.name &&
                          login_of_id.count(owner->second->source_id) &&
                          login_of_id.at(owner->second->source_id) != user->login;
        if (!moves_away) {
          conflict("user " + existing->login + " renamed to " + user->login + " (" + user->dn +
                   "): an account " + user->login + " exists already: left out");
          continue;
        }
      }
      if (existing && existing->login != user->login) {
        plan_.renames.push_back({existing->login, user->login});
        rename_to_[existing->login] = user->login;
      }
      AcceptedUser accepted;
      accepted.entry = user;
      accepted_.push_back(std::move(accepted));
      accepted_logins_.insert(user->login);
    }
  }

  // New people, changed people, and their accounts.
  void plan_people() {
    for (const AcceptedUser& accepted : accepted_) {
      const DirectoryUser& user = *accepted.entry;
      Person person;
      person.login = user.login;
      person.display_name = user.display_name;
      person.email = user.email;
      person.department = user.department;
      person.source = directory_.name;
      person.source_id = user.id;
      person.state = PersonState::kActive;
      person.state_since = plan_.now;
      person.created_at = plan_.now;
      person.updated_at = plan_.now;
      auto mine = mine_by_id_.find(user.id);
      bool was_enabled = true;
      if (mine == mine_by_id_.end()) {
        PersonWrite write{
            adopt_.count(user.login) ? PersonWriteKind::kAdopt : PersonWriteKind::kCreate, person,
            adopt_.count(user.login) ? "taken over" : "new"};
        plan_.people.push_back(std::move(write));
      } else {
        const Person& old = *mine->second;
        std::vector<std::string> changed;
        if (old.login != user.login) changed.push_back("renamed from " + old.login);
        if (old.display_name != user.display_name) changed.push_back("name");
        if (old.email != user.email) changed.push_back("e-mail");
        if (old.department != user.department) changed.push_back("department");
        if (old.state != PersonState::kActive) {
          changed.push_back("active again");
          was_enabled = false;
        } else {
          person.state_since = old.state_since;
        }
        person.created_at = old.created_at;
        if (!changed.empty())
          plan_.people.push_back({PersonWriteKind::kUpdate, person, join(changed)});
      }
      // The personal account: found under the login it had before renames.
      std::string account_before = user.login;
      if (mine != mine_by_id_.end()) account_before = mine->second->login;
      auto account = accounts_.find(account_before);
      if (account == accounts_.end()) {
        plan_.accounts.push_back({AccountWriteKind::kCreate, user.login, user.display_name});
      } else {
        if (!account->second->enabled && !was_enabled)
          plan_.accounts.push_back({AccountWriteKind::kEnable, user.login, ""});
        if (account->second->display_name != user.display_name)
          plan_.accounts.push_back({AccountWriteKind::kDisplayName, user.login, user.display_name});
      }
    }
  }

  // This directory's people that it no longer lists: disabled, then archived after the grace.
  void plan_leavers() {
    std::vector<const Person*> mine;
    for (const auto& [id, person] : mine_by_id_) mine.push_back(person);
    std::sort(mine.begin(), mine.end(),
              [](const Person* a, const Person* b) { return a->login < b->login; });
    for (const Person* person : mine) {
      if (seen_ids_.count(person->source_id)) continue;
      Person after = *person;
      after.updated_at = plan_.now;
      if (person->state == PersonState::kActive) {
        after.state = PersonState::kDisabled;
        after.state_since = plan_.now;
        plan_.people.push_back(
            {PersonWriteKind::kUpdate, after, "disabled (gone from the directory)"});
        auto account = accounts_.find(person->login);
        if (account != accounts_.end() && account->second->enabled)
          plan_.accounts.push_back({AccountWriteKind::kDisable, person->login, ""});
      } else if (person->state == PersonState::kDisabled &&
                 plan_.now - person->state_since >= directory_.leaver_grace) {
        after.state = PersonState::kArchived;
        after.state_since = plan_.now;
        plan_.people.push_back({PersonWriteKind::kUpdate, after, "archived (leaver grace over)"});
      }
    }
  }

  void plan_groups() {
    // Who a DN is: a user's login, or a group.
    std::unordered_map<std::string, std::string> user_by_dn;
    for (const AcceptedUser& accepted : accepted_)
      user_by_dn.emplace(dn_key(accepted.entry->dn), accepted.entry->login);
    std::unordered_map<std::string, const DirectoryGroup*> group_by_dn;
    for (const DirectoryGroup& group : snapshot_.groups)
      group_by_dn.emplace(dn_key(group.dn), &group);

    std::map<std::string, const StoredGroup*> stored_by_name;
    std::map<std::string, const StoredGroup*> mine_by_id;
    for (const StoredGroup& group : state_.groups) {
      stored_by_name[group.name] = &group;
      if (group.source == directory_.name) mine_by_id[group.source_id] = &group;
    }
    std::map<std::string, std::set<std::string>> stored_members;  // group -> logins after renames
    for (const Membership& membership : state_.memberships)
      stored_members[membership.group].insert(renamed(membership.user));

    std::vector<const DirectoryGroup*> groups;
    for (const DirectoryGroup& group : snapshot_.groups) groups.push_back(&group);
    std::sort(groups.begin(), groups.end(),
              [](const DirectoryGroup* a, const DirectoryGroup* b) { return a->name < b->name; });
    std::set<std::string> kept_ids;
    std::set<std::string> names_taken;
    for (const DirectoryGroup* group : groups) {
      if (!validate_group_name(group->name).is_ok()) {
        plan_.warnings.push_back("group " + group->dn + " has no valid " +
                                 directory_.group_name_attribute + " ('" + group->name +
                                 "'): left out");
        continue;
      }
      if (!kept_ids.insert(group->id).second || !names_taken.insert(group->name).second) {
        conflict("group " + group->name + " (" + group->dn + ") is named twice: left out");
        continue;
      }
      auto mine = mine_by_id.find(group->id);
      const StoredGroup* existing = mine == mine_by_id.end() ? nullptr : mine->second;
      auto holder = stored_by_name.find(group->name);
      if (holder != stored_by_name.end() && holder->second != existing) {
        const StoredGroup& other = *holder->second;
        bool leaving =
            other.source == directory_.name &&
            std::none_of(snapshot_.groups.begin(), snapshot_.groups.end(),
                         [&](const DirectoryGroup& g) { return g.id == other.source_id; });
        if (!leaving) {
          conflict("group " + group->name + " (" + group->dn + ") already exists as " +
                   (other.source.empty() ? std::string("a local group")
                                         : "a group of directory " + other.source) +
                   ": left out");
          kept_ids.erase(group->id);
          continue;
        }
      }
      StoredGroup after{group->name, group->dn, directory_.name, group->id};
      std::set<std::string> current;
      if (!existing) {
        plan_.groups.push_back({GroupWriteKind::kCreate, "", after});
      } else {
        current = stored_members[existing->name];
        if (existing->name != after.name || existing->description != after.description)
          plan_.groups.push_back({GroupWriteKind::kUpdate, existing->name, after});
      }
      std::set<std::string> wanted = effective_members(*group, user_by_dn, group_by_dn);
      for (const std::string& user : wanted) {
        if (!current.count(user)) plan_.members.push_back({group->name, user, true});
      }
      for (const std::string& user : current) {
        if (!wanted.count(user)) plan_.members.push_back({group->name, user, false});
      }
    }
    for (const auto& [id, group] : mine_by_id) {
      if (!kept_ids.count(id))
        plan_.groups.push_back({GroupWriteKind::kDelete, group->name, *group});
    }
  }

  // The logins in a group, nested groups followed once each (a cycle ends where it started).
  std::set<std::string> effective_members(
      const DirectoryGroup& group, const std::unordered_map<std::string, std::string>& user_by_dn,
      const std::unordered_map<std::string, const DirectoryGroup*>& group_by_dn) const {
    std::set<std::string> logins;
    if (directory_.member_style == MemberStyle::kMemberUid) {
      for (const std::string& login : group.members) {
        if (accepted_logins_.count(login)) logins.insert(login);
      }
      return logins;
    }
    std::unordered_set<const DirectoryGroup*> visited{&group};
    std::vector<const DirectoryGroup*> pending{&group};
    while (!pending.empty()) {
      const DirectoryGroup* current = pending.back();
      pending.pop_back();
      for (const std::string& value : current->members) {
        std::string key =
            dn_key(directory_.member_style == MemberStyle::kUniqueMember ? without_uid(value)
                                                                         : std::string_view(value));
        if (auto user = user_by_dn.find(key); user != user_by_dn.end()) {
          logins.insert(user->second);
        } else if (auto nested = group_by_dn.find(key); nested != group_by_dn.end()) {
          if (visited.insert(nested->second).second) pending.push_back(nested->second);
        }
      }
    }
    return logins;
  }

  void plan_cards() {
    std::map<std::string, const StoredCard*> stored;
    for (const StoredCard& card : state_.cards) stored[card.number] = &card;
    std::map<std::string, std::string> wanted;  // number -> login
    for (const AcceptedUser& accepted : accepted_) {
      for (const std::string& value : accepted.entry->cards) {
        ++plan_.cards_read;
        Result<std::string> number = normalize_card_number(value, directory_.card_format);
        if (!number) {
          plan_.warnings.push_back("user " + accepted.entry->login + ": " +
                                   number.status().message() + ": card left out");
          continue;
        }
        auto [at, inserted] = wanted.emplace(*number, accepted.entry->login);
        if (!inserted && at->second != accepted.entry->login) {
          conflict("card " + *number + " is listed for " + at->second + " and " +
                   accepted.entry->login + ": kept for " + at->second);
        }
      }
    }
    for (const auto& [number, login] : wanted) {
      auto found = stored.find(number);
      if (found == stored.end()) {
        plan_.cards.push_back({CardWriteKind::kAdd, number, login});
        continue;
      }
      const StoredCard& card = *found->second;
      bool ours = card.directory == directory_.name;
      bool same_user = renamed(card.user) == login;
      if (!ours && !(card.directory.empty() && same_user)) {
        conflict("card " + number + " of " + login + " already belongs to " + card.user +
                 (card.directory.empty() ? "" : " (directory " + card.directory + ")") +
                 ": left out");
        continue;
      }
      bool reactivate = card.blocked && card.blocked_by_sync;
      if (!ours || !same_user || reactivate)
        plan_.cards.push_back({CardWriteKind::kAssign, number, login});
    }
    for (const StoredCard& card : state_.cards) {
      if (card.directory == directory_.name && !card.blocked && !wanted.count(card.number))
        plan_.cards.push_back({CardWriteKind::kBlock, card.number, renamed(card.user)});
    }
  }

  const DirectoryConfig& directory_;
  const DirectorySnapshot& snapshot_;
  const DirectoryState& state_;
  DirectoryPlan plan_;
  std::unordered_map<std::string, const Person*> people_by_login_;
  std::unordered_map<std::string, const Person*> mine_by_id_;
  std::unordered_map<std::string, const StoredAccount*> accounts_;
  std::unordered_map<std::string, std::string> rename_to_;
  std::unordered_set<std::string> seen_ids_;
  std::unordered_set<std::string> adopt_;
  std::unordered_set<std::string> accepted_logins_;
  std::vector<AcceptedUser> accepted_;
};

}  // namespace

std::size_t DirectoryPlan::change_count() const {
  return renames.size() + people.size() + accounts.size() + groups.size() + members.size() +
         cards.size();
}

DirectoryPlan make_directory_plan(const DirectoryConfig& directory,
                                  const DirectorySnapshot& snapshot, const DirectoryState& state,
                                  std::int64_t now) {
  return Planner(directory, snapshot, state, now).run();
}

PlanSummary summarize_plan(const DirectoryPlan& plan) {
  PlanSummary summary;
  summary.people_renamed = static_cast<std::int64_t>(plan.renames.size());
  for (const PersonWrite& write : plan.people) {
    if (write.kind != PersonWriteKind::kUpdate)
      ++summary.people_created;
    else if (write.person.state == PersonState::kDisabled)
      ++summary.people_disabled;
    else if (write.person.state == PersonState::kArchived)
      ++summary.people_archived;
    else if (write.change.rfind("renamed from ", 0) != 0 ||
             write.change.find(',') != std::string::npos)
      ++summary.people_updated;
  }
  for (const AccountWrite& write : plan.accounts)
    ++(write.kind == AccountWriteKind::kCreate ? summary.accounts_created
                                               : summary.accounts_changed);
  summary.groups_changed = static_cast<std::int64_t>(plan.groups.size());
  for (const MemberWrite& write : plan.members)
    ++(write.add ? summary.members_added : summary.members_removed);
  for (const CardWrite& write : plan.cards) {
    if (write.kind == CardWriteKind::kAdd)
      ++summary.cards_added;
    else if (write.kind == CardWriteKind::kAssign)
      ++summary.cards_changed;
    else
      ++summary.cards_blocked;
  }
  return summary;
}

std::string summary_text(const PlanSummary& s) {
  std::vector<std::string> parts;
  auto add = [&](std::int64_t count, const char* what) {
    if (count > 0) parts.push_back(std::to_string(count) + " " + what);
  };
  add(s.people_created, "people created");
  add(s.people_updated, "people updated");
  add(s.people_renamed, "renamed");
  add(s.people_disabled, "disabled");
  add(s.people_archived, "archived");
  add(s.accounts_created, "accounts created");
  add(s.accounts_changed, "accounts changed");
  add(s.groups_changed, "groups created/changed/removed");
  add(s.members_added, "memberships added");
  add(s.members_removed, "memberships removed");
  add(s.cards_added, "cards added");
  add(s.cards_changed, "cards assigned");
  add(s.cards_blocked, "cards blocked");
  return parts.empty() ? "no change" : join(parts);
}

std::string describe_plan(const DirectoryPlan& plan, std::size_t limit) {
  std::vector<std::string> lines;
  for (const LoginRename& rename : plan.renames)
    lines.push_back("~ login " + rename.from + " -> " + rename.to +
                    " (account, balance, history, cards and groups follow)");
  for (const PersonWrite& write : plan.people) {
    const Person& person = write.person;
    char mark = write.kind == PersonWriteKind::kUpdate ? '~' : '+';
    std::string detail;
    if (write.kind != PersonWriteKind::kUpdate ||
        write.change != "disabled (gone from the directory)")
      detail = " (" + person.display_name + ", " + person.email + ", " + person.department + ")";
    if (person.state != PersonState::kActive) mark = '-', detail.clear();
    lines.push_back(std::string(1, mark) + " person " + person.login + ": " + write.change +
                    detail);
  }
  for (const AccountWrite& write : plan.accounts) {
    switch (write.kind) {
      case AccountWriteKind::kCreate:
        lines.push_back("+ account " + write.name + " (personal, balance 0)");
        break;
      case AccountWriteKind::kEnable:
        lines.push_back("~ account " + write.name + ": enabled");
        break;
      case AccountWriteKind::kDisable:
        lines.push_back("- account " + write.name + ": disabled (balance and history kept)");
        break;
      case AccountWriteKind::kDisplayName:
        lines.push_back("~ account " + write.name + ": display name '" + write.display_name + "'");
        break;
    }
  }
  for (const GroupWrite& write : plan.groups) {
    if (write.kind == GroupWriteKind::kCreate)
      lines.push_back("+ group " + write.group.name + " (" + write.group.description + ")");
    else if (write.kind == GroupWriteKind::kUpdate)
      lines.push_back("~ group " + write.old_name + " -> " + write.group.name + " (" +
                      write.group.description + ")");
    else
      lines.push_back("- group " + write.old_name + ": gone from the directory");
  }
  for (const MemberWrite& write : plan.members)
    lines.push_back(std::string(write.add ? "+" : "-") + " member " + write.user + " of @" +
                    write.group);
  for (const CardWrite& write : plan.cards) {
    if (write.kind == CardWriteKind::kAdd)
      lines.push_back("+ card " + write.number + " for " + write.user);
    else if (write.kind == CardWriteKind::kAssign)
      lines.push_back("~ card " + write.number + " for " + write.user + " (active)");
    else
      lines.push_back("- card " + write.number + " of " + write.user + ": blocked (gone)");
  }
  std::ostringstream text;
  std::size_t shown = 0;
  for (const std::string& line : lines) {
    if (limit > 0 && shown == limit) {
      text << "  ... and " << (lines.size() - shown) << " more changes\n";
      break;
    }
    text << line << "\n";
    ++shown;
  }
  for (const std::string& warning : plan.warnings) text << "warning: " << warning << "\n";
  for (const std::string& conflict : plan.conflicts) text << "conflict: " << conflict << "\n";
  return text.str();
}

}  // namespace pp
