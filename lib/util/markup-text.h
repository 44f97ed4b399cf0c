// markup-text.h: text made safe for HTML and XML (element content and quoted attributes).
//
// One escaper for every page and every SVG pullprint writes, so that none of them forgets a
// character: & < > " ' all become entities (PAPPL's own escaping leaves > and ' alone).
#pragma once

#include <string>
#include <string_view>

namespace pp {

// `text` with & < > " ' replaced by their entities.
std::string markup_text(std::string_view text);

}  // namespace pp
