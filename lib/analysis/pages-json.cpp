// pages-json.cpp: a document's pages as JSON (see pages-json.h).
#include "analysis/pages-json.h"

namespace pp {

nlohmann::json pages_to_json(const DocumentInfo& document) {
  nlohmann::json pages = nlohmann::json::array();
  for (const PageInfo& page : document.pages) {
    pages.push_back({{"page", page.number},
                     {"color", page.color},
                     {"media", page.media},
                     {"width_pt", page.width_pt},
                     {"height_pt", page.height_pt},
                     {"method", page.method == ColorMethod::kRasterized ? "rasterized" : "content"}});
  }
  return pages;
}

}  // namespace pp
