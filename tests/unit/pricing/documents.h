// documents.h: tiny DocumentInfo builders for the pricing tests.
#pragma once

#include <string_view>

#include "analysis/document.h"

namespace pp::test {

inline constexpr const char* kA4 = "iso_a4_210x297mm";
inline constexpr const char* kA3 = "iso_a3_297x420mm";

// One page per letter: 'g' grey A4, 'c' colour A4, 'G' grey A3, 'C' colour A3.
inline DocumentInfo document(std::string_view pages) {
  DocumentInfo info;
  info.format = "application/pdf";
  for (char page : pages) {
    PageInfo p;
    p.number = static_cast<int>(info.pages.size()) + 1;
    p.color = page == 'c' || page == 'C';
    p.media = (page == 'G' || page == 'C') ? kA3 : kA4;
    info.pages.push_back(p);
  }
  return info;
}

}  // namespace pp::test
