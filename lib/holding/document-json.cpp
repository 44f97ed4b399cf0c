// document-json.cpp: a document's analysis as JSON, the analyser child's report form.
#include <nlohmann/json.hpp>

#include "analysis/pages-json.h"
#include "holding/holding.h"

namespace pp {

std::string document_to_json(const DocumentInfo& document) {
  return nlohmann::json{{"format", document.format},
                        {"pages", document.page_count()},
                        {"pages_detail", pages_to_json(document)}}
      .dump();
}

Result<DocumentInfo> document_from_json(const std::string& text) {
  try {
    nlohmann::json report = nlohmann::json::parse(text);
    DocumentInfo document;
    document.format = report.at("format").get<std::string>();
    for (const nlohmann::json& page : report.at("pages_detail")) {
      PageInfo info;
      info.number = page.at("page").get<int>();
      info.color = page.at("color").get<bool>();
      info.media = page.at("media").get<std::string>();
      info.width_pt = page.value("width_pt", 0.0);
      info.height_pt = page.value("height_pt", 0.0);
      info.method = page.value("method", "content") == std::string("rasterized")
                        ? ColorMethod::kRasterized
                        : ColorMethod::kContent;
      document.pages.push_back(std::move(info));
    }
    if (document.pages.empty() || report.at("pages").get<int>() != document.page_count())
      return Status(Code::kInternal, "document analyser reported an inconsistent page count");
    return document;
  } catch (const std::exception& error) {
    return Status(Code::kInternal, std::string("document analyser output: ") + error.what());
  }
}

}  // namespace pp
