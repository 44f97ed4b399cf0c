// allocation-groups.cpp: group members for allocations, from the site's people store.
#include "allocations/allocation-groups.h"

#include "site/site.h"

namespace pp {

GroupMembers site_group_members(Site&) {
  return [](std::string_view group) -> Result<std::vector<GroupMember>> {
    return Status(Code::kNotFound,
                  "group " + std::string(group) + ": this build has no people store for groups");
  };
}

}  // namespace pp
