// allocation-groups.h: where the doors (pullprintd's timer, `pullprint allocation run`) get
// group members for run_allocations() from: the site's people store.
#pragma once

#include "allocations/allocations.h"

namespace pp {

class Site;

// The members of a group as the site knows them (with the time each joined).
GroupMembers site_group_members(Site& site);

}  // namespace pp
