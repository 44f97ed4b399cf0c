// pdf-font.cpp: font metrics for text bounding boxes, and Type 3 glyph lookup.
#include "analysis/pdf-font.h"

#include <algorithm>

namespace pp::pdf {

namespace {

double number_or(QPDFObjectHandle v, double fallback) { return v.isNumber() ? v.getNumericValue() : fallback; }

// /FirstChar + /Widths of simple fonts; `scale` converts glyph units to text space.
void read_simple_widths(QPDFObjectHandle font, double scale, Font& out) {
  QPDFObjectHandle widths = font.getKey("/Widths");
  if (!widths.isArray()) return;
  // Codes are bytes: a /FirstChar beyond 255 (or absurd) leaves every code on the default width.
  out.first_code = static_cast<unsigned>(std::clamp(number_or(font.getKey("/FirstChar"), 0), 0.0, 256.0));
  double widest = 0;
  out.code_widths.reserve(std::min<size_t>(widths.getArrayNItems(), 256));
  for (QPDFObjectHandle w : widths.aitems()) {
    double value = std::abs(number_or(w, 0)) * scale;
    if (out.first_code + out.code_widths.size() < 256) out.code_widths.push_back(value);
    widest = std::max(widest, value);
  }
  QPDFObjectHandle descriptor = font.getKey("/FontDescriptor");
  double missing = descriptor.isDictionary() ? number_or(descriptor.getKey("/MissingWidth"), -1) : -1;
  // Codes outside /Widths use /MissingWidth; without one, the widest glyph is a safe guess.
  out.default_width = missing >= 0 ? missing * scale : std::max(widest, 0.5);
  out.widths_known = true;
}

// /DW + /W of a CIDFont (descendant of a Type 0 font).
void read_cid_widths(QPDFObjectHandle cid_font, Font& out) {
  out.default_width = number_or(cid_font.getKey("/DW"), 1000) / 1000.0;
  QPDFObjectHandle w = cid_font.getKey("/W");
  if (!w.isArray()) {
    out.widths_known = true;
    return;
  }
  std::vector<QPDFObjectHandle> items = w.getArrayAsVector();
  for (size_t i = 0; i + 1 < items.size();) {
    unsigned first = static_cast<unsigned>(std::max(0.0, number_or(items[i], 0)));
    if (items[i + 1].isArray()) {
      unsigned code = first;
      for (QPDFObjectHandle width : items[i + 1].aitems()) {
        out.cid_widths[code++] = std::abs(number_or(width, 0)) / 1000.0;
      }
      i += 2;
    } else if (i + 2 < items.size()) {
      unsigned last = static_cast<unsigned>(std::max(0.0, number_or(items[i + 1], 0)));
      double width = std::abs(number_or(items[i + 2], 0)) / 1000.0;
      // Ranges are capped so that a hostile /W cannot make us allocate millions of entries.
      for (unsigned code = first; code <= last && code - first < 65536; ++code) out.cid_widths[code] = width;
      i += 3;
    } else {
      break;
    }
  }
  out.widths_known = true;
}

void read_type3(QPDFObjectHandle font, Font& out) {
  out.type3 = true;
  QPDFObjectHandle matrix = font.getKey("/FontMatrix");
  if (matrix.isArray() && matrix.getArrayNItems() == 6) {
    double m[6];
    for (int i = 0; i < 6; ++i) m[i] = number_or(matrix.getArrayItem(i), 0);
    out.font_matrix = {m[0], m[1], m[2], m[3], m[4], m[5]};
  }
  out.char_procs = font.getKey("/CharProcs");
  out.resources = font.getKey("/Resources");
  out.glyph_names.assign(256, "");
  QPDFObjectHandle encoding = font.getKey("/Encoding");
  QPDFObjectHandle differences = encoding.isDictionary() ? encoding.getKey("/Differences") : QPDFObjectHandle();
  if (differences.isArray()) {
    int code = 0;
    for (QPDFObjectHandle item : differences.aitems()) {
      if (item.isNumber()) {
        code = static_cast<int>(item.getNumericValue());
      } else if (item.isName()) {
        if (code >= 0 && code < 256) out.glyph_names[code] = item.getName();
        ++code;
      }
    }
  }
  // Glyph widths are in glyph space: scale by the FontMatrix's horizontal factor.
  read_simple_widths(font, std::abs(out.font_matrix.a) + std::abs(out.font_matrix.c), out);
  QPDFObjectHandle bbox = font.getKey("/FontBBox");
  if (bbox.isArray() && bbox.getArrayNItems() == 4) {
    Box glyph = Box::of(number_or(bbox.getArrayItem(0), 0), number_or(bbox.getArrayItem(1), 0),
                        number_or(bbox.getArrayItem(2), 0), number_or(bbox.getArrayItem(3), 0))
                    .transformed(out.font_matrix);
    out.ascent = std::max(out.ascent, glyph.y1);
    out.descent = std::min(out.descent, glyph.y0);
  }
}

}  // namespace

double Font::width(unsigned code) const {
  if (code >= first_code && code - first_code < code_widths.size()) return code_widths[code - first_code];
  if (cid_widths.empty()) return default_width;
  auto found = cid_widths.find(code);
  return found != cid_widths.end() ? found->second : default_width;
}

QPDFObjectHandle Font::char_proc(unsigned code) const {
  QPDFObjectHandle procs = char_procs;  // QPDFObjectHandle's accessors are not const
  if (!type3 || code >= glyph_names.size() || glyph_names[code].empty() || !procs.isDictionary()) {
    return QPDFObjectHandle();
  }
  return procs.getKey(glyph_names[code]);
}

std::shared_ptr<const Font> load_font(QPDFObjectHandle dict) {
  auto font = std::make_shared<Font>();
  if (!dict.isDictionary()) return font;
  QPDFObjectHandle subtype = dict.getKey("/Subtype");
  std::string kind = subtype.isName() ? subtype.getName() : "";
  if (kind == "/Type3") {
    read_type3(dict, *font);
  } else if (kind == "/Type0") {
    QPDFObjectHandle encoding = dict.getKey("/Encoding");
    std::string cmap = encoding.isName() ? encoding.getName() : "";
    bool two_bytes = cmap.find("Identity") != std::string::npos || cmap.find("UCS2") != std::string::npos ||
                     cmap.find("UTF16") != std::string::npos;
    QPDFObjectHandle descendants = dict.getKey("/DescendantFonts");
    if (two_bytes && descendants.isArray() && descendants.getArrayNItems() > 0) {
      font->bytes_per_code = 2;
      read_cid_widths(descendants.getArrayItem(0), *font);
    } else {
      // Unknown CMap: every byte is treated as a glyph as wide as the widest: an overestimate.
      font->default_width = 1.0;
    }
  } else {
    read_simple_widths(dict, 0.001, *font);
  }
  QPDFObjectHandle descriptor = dict.getKey("/FontDescriptor");
  if (descriptor.isDictionary()) {
    QPDFObjectHandle bbox = descriptor.getKey("/FontBBox");
    if (bbox.isArray() && bbox.getArrayNItems() == 4) {
      font->ascent = std::max(font->ascent, number_or(bbox.getArrayItem(3), 0) / 1000.0);
      font->descent = std::min(font->descent, number_or(bbox.getArrayItem(1), 0) / 1000.0);
    }
  }
  // Guard against absurd metrics from hostile files (they only widen boxes, but keep them finite).
  font->ascent = std::min(font->ascent, 100.0);
  font->descent = std::max(font->descent, -100.0);
  return font;
}

std::vector<unsigned> character_codes(const Font& font, std::string_view bytes) {
  std::vector<unsigned> codes;
  if (font.bytes_per_code == 2) {
    codes.reserve(bytes.size() / 2 + 1);
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      codes.push_back((static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]));
    }
    if (bytes.size() % 2) codes.push_back(static_cast<unsigned char>(bytes.back()));
    return codes;
  }
  codes.reserve(bytes.size());
  for (char c : bytes) codes.push_back(static_cast<unsigned char>(c));
  return codes;
}

}  // namespace pp::pdf
