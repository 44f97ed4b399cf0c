// split-form.h: a split request written as a web form's rows (a mode, then one row per payer
// with their part) instead of the one-line syntax of split-request.h.
//
// The web's split page (pappl-server/web/web-split.cpp) asks people for a mode and rows, not for
// `ratio:alice=50,bob=50`; this turns the rows into that one line, so that the preview and the
// split itself parse, price and check exactly what the CLI and IPP would (parse_split_request,
// price_split, create_split). The rules of the syntax stay in split-request.cpp: this only
// writes the line people would have typed, and the parser's refusal is the answer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace pp {

// One payer's row as the form sends it; every field may be empty.
struct SplitFormRow {
  std::string payer;  // a user name
  std::string part;   // ratio: "50", "50%", "1/3"; copies: "2"; pages: "1-4, 9" or "1-4+9"
  // method only: "color" / "mono" / "" (the job's); a sides keyword or ""; a media name
  // ("a4", "iso_a3_297x420mm") or ""; a media-type keyword ("stationery") or "".
  std::string color;
  std::string sides;
  std::string media;
  std::string media_type;
};

// The form as a whole.
struct SplitForm {
  std::string mode;  // "ratio", "copies", "pages", "method"
  std::vector<SplitFormRow> rows;
  std::string deadline;    // "" (the site's) or "24h", "90m", "2d" (a bare number is hours)
  std::string on_decline;  // "" (the site's), "owner-covers" or "cancel" (ratio only)
};

// The request line of `form` (split-request.h's syntax), not yet parsed: rows without a payer
// and without a part are skipped (the form's spare rows). kInvalidArgument, saying which row,
// for an unknown mode, a payer without a part, a part without a payer, no payer at all, or a
// value with characters the syntax cannot carry (spaces, commas, semicolons, '='...).
Result<std::string> split_request_from_form(const SplitForm& form);

}  // namespace pp
