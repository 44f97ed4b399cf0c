// cli-groups.cpp: `pullprint group ...`: the site's local groups (add, remove, members) and every
// group (list, show).
//
// Why a command group: rules name groups ("@physics" may charge the physics account, only
// "@staff" prints colour on the plotter), and a site without a directory, or with people its
// directory does not know, needs groups of its own. Directory groups are listed and shown here
// too, but only their directory's sync changes them (the people store refuses).
//
//   pullprint group add NAME [--description TEXT]
//   pullprint group remove NAME
//   pullprint group member add GROUP USER...
//   pullprint group member remove GROUP USER...
//   pullprint group list [--json]
//   pullprint group show NAME [--json]      members with the time they joined
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "people/people.h"
#include "util/utc-time.h"

namespace pp::cli {

namespace {

struct GroupArgs {
  std::string name;
  std::string description;
  std::vector<std::string> users;
  bool json = false;
};

PeopleStore& people(CliContext& context) {
  return context.site(SiteStores{.people = true}).people();
}

// "local" or "directory NAME": where a group comes from.
std::string group_source(const Group& group) {
  return group.source.empty() ? "local" : "directory " + group.source;
}

nlohmann::json group_json(const Group& group) {
  return {{"name", group.name},
          {"description", group.description},
          {"source", group.source},
          {"created_at", iso_utc_from_unix(group.created_at)},
          {"members", group.members}};
}

void add_group(CliContext& context, const GroupArgs& args) {
  if (Status status = people(context).create_group(args.name, args.description); !status.is_ok())
    die(status);
  std::cout << "created group " << args.name << "\n";
}

void remove_group(CliContext& context, const GroupArgs& args) {
  if (Status status = people(context).delete_group(args.name); !status.is_ok()) die(status);
  std::cout << "removed group " << args.name << "\n";
}

// Adds or removes each user; stops at the first failure (the ones before it are done and said).
void change_members(CliContext& context, const GroupArgs& args, bool add) {
  PeopleStore& store = people(context);
  for (const std::string& user : args.users) {
    Status status = add ? store.add_member(args.name, user) : store.remove_member(args.name, user);
    if (!status.is_ok()) die(status);
    std::cout << user << (add ? " is in " : " is no longer in ") << args.name << "\n";
  }
}

void list_groups(CliContext& context, const GroupArgs& args) {
  Result<std::vector<Group>> groups = people(context).list_groups();
  if (!groups) die(groups.status());
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Group& group : *groups) list.push_back(group_json(group));
    std::cout << list.dump(2) << "\n";
    return;
  }
  std::printf("%-24s %8s  %-20s %s\n", "GROUP", "MEMBERS", "SOURCE", "DESCRIPTION");
  for (const Group& group : *groups)
    std::printf("%-24s %8lld  %-20s %s\n", group.name.c_str(),
                static_cast<long long>(group.members), group_source(group).c_str(),
                group.description.c_str());
}

void show_group(CliContext& context, const GroupArgs& args) {
  PeopleStore& store = people(context);
  Result<Group> group = store.get_group(args.name);
  if (!group) die(group.status());
  Result<std::vector<Membership>> members = store.members_of(args.name);
  if (!members) die(members.status());
  if (args.json) {
    // As `account show`: "members" lists them (here with their join time).
    nlohmann::json object = group_json(*group);
    nlohmann::json list = nlohmann::json::array();
    for (const Membership& member : *members)
      list.push_back({{"user", member.user}, {"since", iso_utc_from_unix(member.since)}});
    object["member_count"] = object["members"];
    object["members"] = list;
    std::cout << object.dump(2) << "\n";
    return;
  }
  std::cout << group->name << " (" << group_source(*group) << ")"
            << (group->description.empty() ? "" : ": " + group->description) << "\n";
  for (const Membership& member : *members)
    std::cout << "  " << member.user << "  since " << iso_utc_from_unix(member.since) << "\n";
}

void add_member_commands(CLI::App& group, CliContext& context) {
  auto* member = group.add_subcommand("member", "Add users to a local group or remove them");
  member->require_subcommand(1);
  for (bool add : {true, false}) {
    auto args = std::make_shared<GroupArgs>();
    auto* command = member->add_subcommand(
        add ? "add" : "remove", add ? "Add USERs to local GROUP" : "Remove USERs from GROUP");
    command->add_option("group", args->name)->required();
    command->add_option("users", args->users, "User names")->required();
    command->callback([&context, args, add] { change_members(context, *args, add); });
  }
}

}  // namespace

void add_group_commands(CLI::App& app, CliContext& context) {
  auto* group = app.add_subcommand("group", "Local groups, and every group's members");
  group->require_subcommand(1);

  auto add_args = std::make_shared<GroupArgs>();
  auto* add = group->add_subcommand("add", "Create a local group");
  add->add_option("name", add_args->name)->required();
  add->add_option("--description", add_args->description, "What the group is for");
  add->callback([&context, add_args] { add_group(context, *add_args); });

  auto remove_args = std::make_shared<GroupArgs>();
  auto* remove = group->add_subcommand("remove", "Delete a local group");
  remove->add_option("name", remove_args->name)->required();
  remove->callback([&context, remove_args] { remove_group(context, *remove_args); });

  add_member_commands(*group, context);

  auto list_args = std::make_shared<GroupArgs>();
  auto* list = group->add_subcommand("list", "List every group (local and from directories)");
  list->add_flag("--json", list_args->json, "JSON output");
  list->callback([&context, list_args] { list_groups(context, *list_args); });

  auto show_args = std::make_shared<GroupArgs>();
  auto* show = group->add_subcommand("show", "Show a group and its members with their join time");
  show->add_option("name", show_args->name)->required();
  show->add_flag("--json", show_args->json, "JSON output");
  show->callback([&context, show_args] { show_group(context, *show_args); });
}

}  // namespace pp::cli
