// allocation-groups.cpp: group members for allocations, from the site's people store (with the
// time each joined, so that a mid-period joiner gets that period's allocation).
#include "allocations/allocation-groups.h"

#include <chrono>

#include "site/site.h"

namespace pp {

GroupMembers site_group_members(Site& site) {
  return [&site](std::string_view group) -> Result<std::vector<GroupMember>> {
    Result<std::vector<Membership>> memberships = site.people().members_of(group);
    if (!memberships.ok()) return memberships.status();
    std::vector<GroupMember> members;
    members.reserve(memberships->size());
    for (const Membership& membership : *memberships) {
      members.push_back({membership.user, UtcSeconds(std::chrono::seconds(membership.since))});
    }
    return members;
  };
}

}  // namespace pp
