// media-alias.cpp: media name normalisation through libcups' PWG media tables.
#include "pricing/media-alias.h"

#include <cups/cups.h>

namespace pp {

namespace {

// PPD names are case-sensitive in libcups ("A4", "Letter"); users type "a4" and "letter".
std::string capitalized(std::string name) {
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 32);
  return name;
}

}  // namespace

std::optional<std::string> pwg_media_name(std::string_view name) {
  std::string text(name);
  if (text.empty()) return std::nullopt;
  // pwgMediaForPWG accepts any well-formed self-describing name (class_name_WxHunit).
  if (pwg_media_t* media = pwgMediaForPWG(text.c_str()); media && media->pwg) return media->pwg;
  if (pwg_media_t* media = pwgMediaForLegacy(text.c_str()); media && media->pwg) return media->pwg;
  if (pwg_media_t* media = pwgMediaForPPD(text.c_str()); media && media->pwg) return media->pwg;
  std::string upper = capitalized(text);
  if (pwg_media_t* media = pwgMediaForPPD(upper.c_str()); media && media->pwg) return media->pwg;
  return std::nullopt;
}

}  // namespace pp
