// pdf-interpreter-text.cpp: text objects: where shown text lands, and Type 3 glyphs.
//
// A string's bounding box is approximated from the text matrix, font size, spacing, horizontal
// scaling, rise and glyph widths (/Widths, or a conservative em per glyph), with the font's
// ascent/descent for its height. Render modes 3 and 7 paint nothing; 4-7 also clip.
#include <cmath>

#include "analysis/pdf-interpreter.h"

namespace pp::pdf {

namespace {

const Font& fallback_font() {
  static const Font font;  // no metrics: an em per glyph, generous ascent/descent
  return font;
}

bool mode_fills(int mode) { return mode == 0 || mode == 2 || mode == 4 || mode == 6; }
bool mode_strokes(int mode) { return mode == 1 || mode == 2 || mode == 5 || mode == 6; }
bool mode_clips(int mode) { return mode >= 4 && mode <= 7; }

Matrix translation(double tx, double ty) { return {1, 0, 0, 1, tx, ty}; }

}  // namespace

void Interpreter::begin_text() {
  text_matrix_ = line_matrix_ = Matrix{};
  text_clip_box_ = Box();
  text_clip_used_ = false;
}

void Interpreter::end_text() {
  // Text shown in a clipping mode becomes part of the clip when the text object ends.
  if (text_clip_used_) gs().clip = gs().clip.intersect(text_clip_box_);
  text_clip_used_ = false;
}

void Interpreter::set_font(QPDFObjectHandle font_dict, double size) {
  TextState& text = gs().text;
  text.size = size;
  // The object id is known without reading the object: look the font up before resolving it.
  // Resolving makes qpdf parse and keep the dictionary (and its /Widths) for as long as the QPDF
  // lives; a file of many pages reads each font once, even across re-openings of the file.
  if (font_dict.isIndirect()) {
    auto& cached = doc_.fonts[font_dict.getObjGen()];
    // load_font() gives a non-dictionary the fallback metrics, as a null font would get.
    if (!cached) cached = load_font(font_dict);
    text.font = cached;
    return;
  }
  text.font = font_dict.isDictionary() ? load_font(font_dict) : nullptr;
}

void Interpreter::font_operator(const Operands& operands) {
  if (operands.size() < 2 || !operands[0].is_name()) return;
  QPDFObjectHandle fonts = resources_.isDictionary() ? resources_.getKey("/Font") : QPDFObjectHandle();
  set_font(fonts.isDictionary() ? fonts.getKey(operands[0].text) : QPDFObjectHandle(), num(operands, 1));
}

void Interpreter::move_text(double tx, double ty) {
  line_matrix_ = translation(tx, ty).then(line_matrix_);
  text_matrix_ = line_matrix_;
}

void Interpreter::next_line() { move_text(0, -gs().text.leading); }

void Interpreter::show_text(const Operand& operand) {
  if (operand.kind == Operand::Kind::kString) {
    show_string(operand.text);
    return;
  }
  if (operand.kind != Operand::Kind::kArray) return;
  for (const Operand& item : operand.items) {
    if (stopped()) return;
    if (item.kind == Operand::Kind::kString) {
      show_string(item.text);
    } else if (item.is_number()) {
      const TextState& text = gs().text;
      text_matrix_ = translation(-item.number / 1000.0 * text.size * text.hscale, 0).then(text_matrix_);
    }
  }
}

void Interpreter::show_string(const std::string& bytes) {
  const TextState& text = gs().text;
  const Font& font = text.font ? *text.font : fallback_font();
  const std::vector<unsigned> codes = character_codes(font, bytes);
  const int mode = text.mode;
  if (!text.mode_local) out_.uses_inherited = true;

  // Extent along the baseline, in text space, and the advance of the whole string.
  double pos = 0, x0 = 0, x1 = 0;
  for (unsigned code : codes) {
    double width = font.width(code);
    double glyph = width * text.size * text.hscale;
    x0 = std::min({x0, pos, pos + glyph});
    x1 = std::max({x1, pos, pos + glyph});
    double spacing = text.char_spacing + (font.bytes_per_code == 1 && code == 32 ? text.word_spacing : 0);
    pos += (width * text.size + spacing) * text.hscale;
  }
  // The box is only needed when the paint could matter (most text is black: skip the maths).
  const GraphicsState& state = gs();
  bool needs_box = mode_clips(mode) || state.transfer_undecidable || state.fill.ink > Ink::kNeutral ||
                   state.stroke.ink > Ink::kNeutral || !absent(state.fill.pattern) || !absent(state.stroke.pattern);
  Box device_box;
  if (needs_box) {
    Box text_box = Box::of(x0, font.descent * text.size + text.rise, x1, font.ascent * text.size + text.rise);
    device_box = text_box.transformed(text_matrix_.then(state.ctm));
  }

  if (font.type3 && (mode_fills(mode) || mode_strokes(mode))) {
    show_type3_glyphs(font, codes, 0);
  } else {
    if (mode_fills(mode)) paint_with(gs().fill, device_box);
    if (mode_strokes(mode) && !stopped()) paint_with(gs().stroke, device_box.grown(stroke_margin()));
  }
  if (mode_clips(mode)) {
    text_clip_box_.add(device_box);
    text_clip_used_ = true;
  }
  text_matrix_ = translation(pos, 0).then(text_matrix_);
}

void Interpreter::show_type3_glyphs(const Font& font, const std::vector<unsigned>& codes, double start) {
  const TextState text = gs().text;
  QPDFObjectHandle resources = font.resources;  // a copy: QPDFObjectHandle accessors are not const
  if (!resources.isDictionary()) resources = resources_;
  double pos = start;
  for (unsigned code : codes) {
    if (stopped()) return;
    double width = font.width(code);
    QPDFObjectHandle proc = font.char_proc(code);
    if (proc.isStream()) {
      // Glyph space -> text space (FontMatrix) -> user space (size, scaling, rise, Tm) -> CTM.
      Matrix glyph_to_text{text.size * text.hscale, 0, 0, text.size, pos, text.rise};
      Matrix placement = font.font_matrix.then(glyph_to_text).then(text_matrix_).then(gs().ctm);
      if (glyph_sets_color(proc)) {
        run_form(proc, resources, placement, gs());
      } else {
        // d1: an uncoloured glyph, a stencil painted with the text colour.
        Box glyph_box = Box::of(0, font.descent * text.size + text.rise, width * text.size * text.hscale,
                                font.ascent * text.size + text.rise)
                            .transformed(translation(pos, 0).then(text_matrix_).then(gs().ctm));
        if (mode_fills(text.mode)) paint_with(gs().fill, glyph_box);
        if (mode_strokes(text.mode) && !stopped()) paint_with(gs().stroke, glyph_box.grown(stroke_margin()));
      }
    }
    double spacing = text.char_spacing + (code == 32 ? text.word_spacing : 0);
    pos += (width * text.size + spacing) * text.hscale;
  }
}

bool Interpreter::glyph_sets_color(QPDFObjectHandle proc) {
  auto cached = doc_.glyph_sets_color.find(proc.getObjGen());
  if (cached != doc_.glyph_sets_color.end()) return cached->second;
  bool sets_color = true;  // a procedure without d0/d1 is analysed in full: the cautious reading
  ContentReader reader(stream_text(proc));
  Operation first;
  if (reader.next(first)) sets_color = first.op != "d1";
  doc_.glyph_sets_color[proc.getObjGen()] = sets_color;
  return sets_color;
}

}  // namespace pp::pdf
