// pdf-font.h: what the content interpreter needs to know about a font: how wide shown text is
// (for the text's bounding box) and, for Type 3 fonts, which glyph procedure draws each code.
#pragma once

#include "analysis/pdf-qpdf.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/pdf-geometry.h"

namespace pp::pdf {

struct Font {
  bool type3 = false;
  int bytes_per_code = 1;   // 2 for Identity-H/V and UCS-2 CMaps of Type 0 fonts
  bool widths_known = false;
  // Advance widths in text space per unit of font size (/Widths / 1000, or via FontMatrix):
  // simple fonts' /Widths as an array from first_code (a hash map per font cost 8% of the time of
  // a 930-page file with ten fonts a page); CIDFonts' sparse /W in a map.
  unsigned first_code = 0;
  std::vector<double> code_widths;
  std::unordered_map<unsigned, double> cid_widths;
  double default_width = 1.0;  // conservative when nothing is known: one em
  double ascent = 1.0;         // glyph extent above / below the baseline, per unit of font size
  double descent = -0.35;
  // Type 3 only.
  Matrix font_matrix{0.001, 0, 0, 0.001, 0, 0};
  QPDFObjectHandle char_procs;
  QPDFObjectHandle resources;
  std::vector<std::string> glyph_names;  // by code, from /Encoding /Differences

  // The advance of one character code in text space per unit of font size.
  double width(unsigned code) const;
  // The glyph procedure stream for a code of a Type 3 font (null when there is none).
  QPDFObjectHandle char_proc(unsigned code) const;
};

// Reads a font dictionary; never fails (unknown fonts get conservative, wide metrics).
std::shared_ptr<const Font> load_font(QPDFObjectHandle font);

// Splits a shown string into character codes.
std::vector<unsigned> character_codes(const Font& font, std::string_view bytes);

}  // namespace pp::pdf
