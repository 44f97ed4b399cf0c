// media-alias.h: media names as users write them (A4, Letter, iso-a4, iso_a4_210x297mm) to the
// PWG self-describing names the analysis reports, so prices and counts use one spelling.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pp {

// Returns the PWG self-describing name for a PWG name, a legacy IPP name ("iso-a4",
// "na-letter") or a PPD name ("A4", "Letter", "a3"); nullopt when libcups knows none of them.
std::optional<std::string> pwg_media_name(std::string_view name);

}  // namespace pp
