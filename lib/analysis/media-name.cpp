// media-name.cpp: page sizes in points to PWG self-describing media names (through libcups).
#include <cups/cups.h>

#include <cmath>

#include "analysis/document.h"

namespace pp {

std::string media_name_for_size(double width_pt, double height_pt) {
  // PWG sizes are in hundredths of millimetres; pwgMediaForSize matches standard sizes within
  // a small tolerance and otherwise makes a "custom_WxHmm" style self-describing name.
  int width = static_cast<int>(std::lround(width_pt * 2540.0 / 72.0));
  int height = static_cast<int>(std::lround(height_pt * 2540.0 / 72.0));
  if (width > height) std::swap(width, height);  // landscape pages use portrait media
  pwg_media_t* media = pwgMediaForSize(width, height);
  if (media && media->pwg) return media->pwg;
  return "custom_" + std::to_string(width) + "x" + std::to_string(height);
}

int DocumentInfo::color_page_count() const {
  int count = 0;
  for (const PageInfo& page : pages) count += page.color ? 1 : 0;
  return count;
}

}  // namespace pp
