// page-ranges.h: the page-ranges job option ("1-3,5,7-") and the pages it selects.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace pp {

// Parses "1-3,5,7-" (CUPS: an open end runs to the last page, "-4" starts at page 1) and the IPP
// form "1-2147483647". Pages are 1-based; an open end is INT_MAX. Fails on 0, reversed ranges
// ("5-3"), empty elements and anything that is not a number.
Result<std::vector<std::pair<int, int>>> parse_page_ranges(std::string_view text);

// True when page (1-based) is in any range; an empty list selects every page.
bool page_selected(const std::vector<std::pair<int, int>>& ranges, int page);

}  // namespace pp
