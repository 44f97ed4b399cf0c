// qr-svg.h: a text (a URL) as a QR code in inline SVG, for the printable sheets that people
// scan with a phone (the release sheet of a printer, web/web-release-sheet.cpp).
//
// Why here, and why SVG: a sheet is printed from the browser, so the code must be part of the
// page (no image files to serve or cache, no JavaScript, no web service); SVG keeps each module a
// sharp square at any print size. The encoding is libqrencode's (Debian libqrencode4), the
// drawing ours: one <path> of unit squares on a white quiet zone, deterministic for a given text.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

// How a QR code is drawn.
struct QrSvgOptions {
  std::string id = "qr-code";  // the <svg> element's id (pages give their elements stable ids)
  std::string title;           // an accessible <title> (e.g. the URL); "" for none
};

// The QR code of `text` (byte mode, error correction level M: a sheet may get scratched) as an
// <svg> element sized by its viewBox (the page's CSS sets its width). kInvalidArgument for an
// empty text, kLimitExceeded when the text does not fit the largest QR code, kInternal when
// libqrencode fails otherwise. The same text always gives the same SVG.
Result<std::string> qr_svg(std::string_view text, const QrSvgOptions& options = {});

}  // namespace pp
