// pages-json.h: a document's pages as JSON, the "pages_detail" form of the analyser's report
// (pullprint-cost --analysis-only --json and --json) and of the held-job store.
#pragma once

#include <nlohmann/json.hpp>

#include "analysis/document.h"

namespace pp {

// One entry per page: [{page, color, media, width_pt, height_pt, method ("content" or
// "rasterized")}, ...].
nlohmann::json pages_to_json(const DocumentInfo& document);

}  // namespace pp
