// pdf-interpreter.cpp: the operator loop, graphics state, paths, clipping and colours.
#include "analysis/pdf-interpreter.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "analysis/color-rules.h"

namespace pp::pdf {

namespace {

enum class Op {
  kUnknown, kSave, kRestore, kConcat, kLineWidth, kExtGState,
  kMoveTo, kLineTo, kCurveTo, kCurveToV, kCurveToY, kClosePath, kRect,
  kStroke, kCloseStroke, kFill, kFillEvenOdd, kFillStroke, kFillStrokeEvenOdd, kCloseFillStroke,
  kCloseFillStrokeEvenOdd, kEndPath, kClip, kClipEvenOdd,
  kStrokeSpace, kFillSpace, kStrokeColor, kFillColor, kStrokeColorN, kFillColorN,
  kStrokeGray, kFillGray, kStrokeRgb, kFillRgb, kStrokeCmyk, kFillCmyk,
  kShade, kXObject, kInlineImage,
  kBeginText, kEndText, kCharSpacing, kWordSpacing, kHScale, kLeading, kFont, kRenderMode, kRise,
  kMoveText, kMoveTextLeading, kTextMatrix, kNextLine, kShow, kShowArray, kNextLineShow,
  kNextLineSpacingShow, kBeginMarked, kBeginMarkedProps, kEndMarked,
};

Op op_code(const std::string& name) {
  static const std::unordered_map<std::string_view, Op> codes = {
      {"q", Op::kSave}, {"Q", Op::kRestore}, {"cm", Op::kConcat}, {"w", Op::kLineWidth},
      {"gs", Op::kExtGState}, {"m", Op::kMoveTo}, {"l", Op::kLineTo}, {"c", Op::kCurveTo},
      {"v", Op::kCurveToV}, {"y", Op::kCurveToY}, {"h", Op::kClosePath}, {"re", Op::kRect},
      {"S", Op::kStroke}, {"s", Op::kCloseStroke}, {"f", Op::kFill}, {"F", Op::kFill},
      {"f*", Op::kFillEvenOdd}, {"B", Op::kFillStroke}, {"B*", Op::kFillStrokeEvenOdd},
      {"b", Op::kCloseFillStroke}, {"b*", Op::kCloseFillStrokeEvenOdd}, {"n", Op::kEndPath},
      {"W", Op::kClip}, {"W*", Op::kClipEvenOdd}, {"CS", Op::kStrokeSpace}, {"cs", Op::kFillSpace},
      {"SC", Op::kStrokeColor}, {"sc", Op::kFillColor}, {"SCN", Op::kStrokeColorN},
      {"scn", Op::kFillColorN}, {"G", Op::kStrokeGray}, {"g", Op::kFillGray},
      {"RG", Op::kStrokeRgb}, {"rg", Op::kFillRgb}, {"K", Op::kStrokeCmyk}, {"k", Op::kFillCmyk},
      {"sh", Op::kShade}, {"Do", Op::kXObject}, {"BI", Op::kInlineImage}, {"BT", Op::kBeginText},
      {"ET", Op::kEndText}, {"Tc", Op::kCharSpacing}, {"Tw", Op::kWordSpacing}, {"Tz", Op::kHScale},
      {"TL", Op::kLeading}, {"Tf", Op::kFont}, {"Tr", Op::kRenderMode}, {"Ts", Op::kRise},
      {"Td", Op::kMoveText}, {"TD", Op::kMoveTextLeading}, {"Tm", Op::kTextMatrix},
      {"T*", Op::kNextLine}, {"Tj", Op::kShow}, {"TJ", Op::kShowArray}, {"'", Op::kNextLineShow},
      {"\"", Op::kNextLineSpacingShow}, {"BMC", Op::kBeginMarked}, {"BDC", Op::kBeginMarkedProps},
      {"EMC", Op::kEndMarked},
  };
  auto found = codes.find(name);
  return found == codes.end() ? Op::kUnknown : found->second;
}

constexpr size_t kMaxSaveDepth = 1024;  // q without Q beyond this is garbage: ignore further q

}  // namespace

std::string stream_text(QPDFObjectHandle stream) {
  std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_generalized);
  return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
}

Matrix matrix_from(QPDFObjectHandle array) {
  if (!array.isArray() || array.getArrayNItems() != 6) return {};
  double m[6];
  for (int i = 0; i < 6; ++i) {
    QPDFObjectHandle item = array.getArrayItem(i);
    if (!item.isNumber()) return {};
    m[i] = item.getNumericValue();
  }
  return {m[0], m[1], m[2], m[3], m[4], m[5]};
}

Box box_from(QPDFObjectHandle array) {
  if (!array.isArray() || array.getArrayNItems() != 4) return {};
  double v[4];
  for (int i = 0; i < 4; ++i) {
    QPDFObjectHandle item = array.getArrayItem(i);
    if (!item.isNumber()) return {};
    v[i] = item.getNumericValue();
  }
  return Box::of(v[0], v[1], v[2], v[3]);
}

Interpreter::Interpreter(DocumentContext& doc, RunSummary& out, bool geometry, int depth, const Box& page_box)
    : doc_(doc), out_(out), geometry_(geometry), depth_(depth), page_box_(page_box) {}

void Interpreter::run(std::string content, QPDFObjectHandle resources, const GraphicsState& initial) {
  resources_ = resources;
  stack_.assign(1, initial);
  ContentReader reader(std::move(content));
  Operation operation;
  while (!stopped() && reader.next(operation)) {
    doc_.count_operator();
    execute(operation);
  }
}

void Interpreter::undecidable(const std::string& why) {
  if (out_.ink < Ink::kUndecidable) {
    out_.ink = Ink::kUndecidable;
    out_.reason = why;
  }
}

void Interpreter::mark(Ink ink, const Box& box) {
  if (hidden()) return;
  if (ink == Ink::kNeutral && gs().transfer_undecidable) ink = Ink::kUndecidable;
  if (ink <= Ink::kNeutral) {
    out_.ink = worst(out_.ink, ink);
    return;
  }
  if (geometry_ && !box.overlaps(gs().clip)) return;  // outside the page or clipped away
  if (ink == Ink::kUndecidable) {
    undecidable(out_.reason.empty() ? "undecidable paint" : out_.reason);
  } else {
    out_.ink = Ink::kColor;
  }
}

void Interpreter::paint_with(Paint& paint, const Box& box) {
  if (hidden()) return;
  if (!paint.local) out_.uses_inherited = true;
  Ink ink = resolve(paint);
  if (ink == Ink::kUndecidable && out_.ink < Ink::kUndecidable) out_.reason = "undecidable colour or pattern";
  mark(ink, box);
}

Ink Interpreter::resolve(Paint& paint) {
  if (absent(paint.pattern)) return paint.ink;
  paint.ink = pattern_ink(paint.pattern);
  paint.pattern = QPDFObjectHandle();
  return paint.ink;
}

void Interpreter::execute(Operation& operation) {
  const Operands& args = operation.operands;
  switch (op_code(operation.op)) {
    case Op::kSave:
      if (stack_.size() < kMaxSaveDepth) stack_.push_back(gs());
      break;
    case Op::kRestore:
      if (stack_.size() > 1) stack_.pop_back();
      break;
    case Op::kConcat:
      if (args.size() >= 6) {
        Matrix m{num(args, 0), num(args, 1), num(args, 2), num(args, 3), num(args, 4), num(args, 5)};
        gs().ctm = m.then(gs().ctm);
      }
      break;
    case Op::kLineWidth: gs().line_width = std::abs(num(args, 0)); break;
    case Op::kExtGState: apply_ext_gstate(args); break;
    case Op::kMoveTo:
    case Op::kLineTo: path_point(num(args, 0), num(args, 1)); break;
    case Op::kCurveTo:
      for (size_t i = 0; i + 1 < args.size() && i < 6; i += 2) path_point(num(args, i), num(args, i + 1));
      break;
    case Op::kCurveToV:
    case Op::kCurveToY:
      for (size_t i = 0; i + 1 < args.size() && i < 4; i += 2) path_point(num(args, i), num(args, i + 1));
      break;
    case Op::kClosePath: break;
    case Op::kRect: {
      double x = num(args, 0), y = num(args, 1), w = num(args, 2), h = num(args, 3);
      path_point(x, y);
      path_point(x + w, y);
      path_point(x, y + h);
      path_point(x + w, y + h);
      break;
    }
    case Op::kStroke:
    case Op::kCloseStroke: paint_path(false, true); break;
    case Op::kFill:
    case Op::kFillEvenOdd: paint_path(true, false); break;
    case Op::kFillStroke:
    case Op::kFillStrokeEvenOdd:
    case Op::kCloseFillStroke:
    case Op::kCloseFillStrokeEvenOdd: paint_path(true, true); break;
    case Op::kEndPath: paint_path(false, false); break;
    case Op::kClip:
    case Op::kClipEvenOdd: pending_clip_ = true; break;
    case Op::kStrokeSpace: set_color_space(true, args); break;
    case Op::kFillSpace: set_color_space(false, args); break;
    case Op::kStrokeColor:
    case Op::kStrokeColorN: set_color(true, args); break;
    case Op::kFillColor:
    case Op::kFillColorN: set_color(false, args); break;
    case Op::kStrokeGray: set_device_color(true, Ink::kNeutral, device_gray()); break;
    case Op::kFillGray: set_device_color(false, Ink::kNeutral, device_gray()); break;
    case Op::kStrokeRgb:
    case Op::kFillRgb: {
      Ink ink = rgb_is_neutral(num(args, 0), num(args, 1), num(args, 2), doc_.options) ? Ink::kNeutral : Ink::kColor;
      set_device_color(operation.op == "RG", ink, device_rgb());
      break;
    }
    case Op::kStrokeCmyk:
    case Op::kFillCmyk: {
      Ink ink = cmyk_is_neutral(num(args, 0), num(args, 1), num(args, 2), num(args, 3), doc_.options)
                    ? Ink::kNeutral
                    : Ink::kColor;
      set_device_color(operation.op == "K", ink, device_cmyk());
      break;
    }
    case Op::kShade: shade(args); break;
    case Op::kXObject: do_xobject(args); break;
    case Op::kInlineImage: inline_image(operation); break;
    case Op::kBeginText: begin_text(); break;
    case Op::kEndText: end_text(); break;
    case Op::kCharSpacing: gs().text.char_spacing = num(args, 0); break;
    case Op::kWordSpacing: gs().text.word_spacing = num(args, 0); break;
    case Op::kHScale: gs().text.hscale = num(args, 0) / 100.0; break;
    case Op::kLeading: gs().text.leading = num(args, 0); break;
    case Op::kFont: font_operator(args); break;
    case Op::kRenderMode:
      gs().text.mode = static_cast<int>(num(args, 0));
      gs().text.mode_local = true;
      break;
    case Op::kRise: gs().text.rise = num(args, 0); break;
    case Op::kMoveText: move_text(num(args, 0), num(args, 1)); break;
    case Op::kMoveTextLeading:
      gs().text.leading = -num(args, 1);
      move_text(num(args, 0), num(args, 1));
      break;
    case Op::kTextMatrix:
      if (args.size() >= 6) {
        text_matrix_ = line_matrix_ = {num(args, 0), num(args, 1), num(args, 2), num(args, 3), num(args, 4), num(args, 5)};
      }
      break;
    case Op::kNextLine: next_line(); break;
    case Op::kShow:
    case Op::kShowArray:
      if (!args.empty()) show_text(args.back());
      break;
    case Op::kNextLineShow:
      next_line();
      if (!args.empty()) show_text(args.back());
      break;
    case Op::kNextLineSpacingShow:
      gs().text.word_spacing = num(args, 0);
      gs().text.char_spacing = num(args, 1);
      next_line();
      if (!args.empty()) show_text(args.back());
      break;
    case Op::kBeginMarked: marked_content_.push_back(false); break;
    case Op::kBeginMarkedProps: begin_marked_content(args); break;
    case Op::kEndMarked:
      if (!marked_content_.empty()) {
        if (marked_content_.back()) --hidden_depth_;
        marked_content_.pop_back();
      }
      break;
    case Op::kUnknown: break;  // d0, d1, ri, i, j, J, M, d, MP, DP, BX, EX, EI and unknown words
  }
}

// ---- paths and clipping ----

void Interpreter::path_point(double x, double y) {
  const Matrix& m = gs().ctm;
  path_box_.add(m.apply_x(x, y), m.apply_y(x, y));
}

double Interpreter::stroke_margin() const {
  const Matrix& m = stack_.back().ctm;
  double scale = std::max(std::hypot(m.a, m.b), std::hypot(m.c, m.d));
  // Half the width reaches outside the path; miter joins reach further: use the full width
  // (plus a device pixel for hairlines, which are always painted).
  return stack_.back().line_width * scale + 1.0;
}

void Interpreter::paint_path(bool fill, bool stroke) {
  if (fill) paint_with(gs().fill, path_box_);
  if (stroke && !stopped()) paint_with(gs().stroke, path_box_.grown(stroke_margin()));
  if (pending_clip_) gs().clip = gs().clip.intersect(path_box_);
  pending_clip_ = false;
  path_box_ = Box();
}

// ---- colours ----

ColorSpacePtr Interpreter::color_space(const Operand& name) {
  if (!name.is_name()) return nullptr;
  const std::string& n = name.text;
  if (n == "/DeviceGray") return device_gray();
  if (n == "/DeviceRGB") return device_rgb();
  if (n == "/DeviceCMYK") return device_cmyk();
  QPDFObjectHandle spaces = resources_.isDictionary() ? resources_.getKey("/ColorSpace") : QPDFObjectHandle();
  QPDFObjectHandle space = spaces.isDictionary() ? spaces.getKey(n) : QPDFObjectHandle();
  if (absent(space)) return parse_color_space(QPDFObjectHandle::newName(n), QPDFObjectHandle(), doc_.options);
  return color_space_object(space);
}

ColorSpacePtr Interpreter::color_space_object(QPDFObjectHandle space) {
  if (space.isIndirect()) {
    auto cached = doc_.color_spaces.find(space.getObjGen());
    if (cached != doc_.color_spaces.end()) return cached->second;
  }
  ColorSpacePtr parsed = parse_color_space(space, resources_, doc_.options);
  if (space.isIndirect()) doc_.color_spaces[space.getObjGen()] = parsed;
  return parsed;
}

void Interpreter::set_color_space(bool stroke, const Operands& operands) {
  ColorSpacePtr space = operands.empty() ? nullptr : color_space(operands.back());
  GraphicsState& state = gs();
  Paint& paint = stroke ? state.stroke : state.fill;
  (stroke ? state.stroke_space : state.fill_space) = space;
  paint = Paint{};
  paint.local = true;
  if (!space) {
    paint.ink = Ink::kUndecidable;
  } else if (space->family == SpaceFamily::kPattern) {
    paint.ink = Ink::kNone;  // no pattern selected yet
  } else {
    std::vector<double> initial = space->initial_color();
    paint.ink = space->judge(initial.data(), static_cast<int>(initial.size()), doc_.options);
  }
}

void Interpreter::set_color(bool stroke, const Operands& operands) {
  GraphicsState& state = gs();
  const ColorSpacePtr& space = stroke ? state.stroke_space : state.fill_space;
  Paint& paint = stroke ? state.stroke : state.fill;
  paint = Paint{};
  paint.local = true;
  std::vector<double> values;
  for (const Operand& operand : operands) {
    if (operand.is_number()) values.push_back(operand.number);
  }
  if (!space) {
    // sc without cs: the initial space is DeviceGray; any other count means a broken stream.
    paint.ink = values.size() == 1 ? Ink::kNeutral : Ink::kUndecidable;
    return;
  }
  if (space->family != SpaceFamily::kPattern) {
    paint.ink = space->judge(values.data(), static_cast<int>(values.size()), doc_.options);
    return;
  }
  // Pattern: the last operand names it; uncoloured tiling patterns paint the given colour.
  QPDFObjectHandle patterns = resources_.isDictionary() ? resources_.getKey("/Pattern") : QPDFObjectHandle();
  QPDFObjectHandle pattern;
  if (!operands.empty() && operands.back().is_name() && patterns.isDictionary()) {
    pattern = patterns.getKey(operands.back().text);
  }
  QPDFObjectHandle dict = pattern.isStream() ? pattern.getDict() : pattern;
  if (!dict.isDictionary()) {
    paint.ink = Ink::kNone;  // unknown pattern: nothing is painted
    return;
  }
  QPDFObjectHandle paint_type = dict.getKey("/PaintType");
  bool uncoloured = paint_type.isInteger() && paint_type.getIntValueAsInt() == 2 &&
                    dict.getKey("/PatternType").isInteger() && dict.getKey("/PatternType").getIntValueAsInt() == 1;
  if (uncoloured) {
    paint.ink = space->base ? space->base->judge(values.data(), static_cast<int>(values.size()), doc_.options)
                            : Ink::kUndecidable;
  } else {
    paint.pattern = pattern;
  }
}

void Interpreter::set_device_color(bool stroke, Ink ink, const ColorSpacePtr& space) {
  GraphicsState& state = gs();
  Paint& paint = stroke ? state.stroke : state.fill;
  paint = Paint{ink, QPDFObjectHandle(), true};
  (stroke ? state.stroke_space : state.fill_space) = space;
}

// ---- ExtGState, marked content ----

void Interpreter::apply_ext_gstate(const Operands& operands) {
  if (operands.empty() || !operands.back().is_name() || !resources_.isDictionary()) return;
  QPDFObjectHandle states = resources_.getKey("/ExtGState");
  QPDFObjectHandle state = states.isDictionary() ? states.getKey(operands.back().text) : QPDFObjectHandle();
  if (!state.isDictionary()) return;
  if (state.getKey("/LW").isNumber()) gs().line_width = std::abs(state.getKey("/LW").getNumericValue());
  QPDFObjectHandle font = state.getKey("/Font");
  if (font.isArray() && font.getArrayNItems() == 2 && font.getArrayItem(1).isNumber()) {
    set_font(font.getArrayItem(0), font.getArrayItem(1).getNumericValue());
  }
  // Transfer functions: one function for all channels keeps grey grey; one per channel may not.
  QPDFObjectHandle transfer = state.hasKey("/TR2") ? state.getKey("/TR2") : state.getKey("/TR");
  if (transfer.isArray()) {
    gs().transfer_undecidable = true;
  } else if (transfer.isName()) {
    gs().transfer_undecidable = false;
  }
  // /SMask: a soft mask only hides parts of what is painted; its group is never painted itself.
}

void Interpreter::begin_marked_content(const Operands& operands) {
  bool hides = false;
  if (operands.size() >= 2 && operands[0].is_name() && operands[0].text == "/OC" && operands[1].is_name() &&
      resources_.isDictionary()) {
    QPDFObjectHandle properties = resources_.getKey("/Properties");
    if (properties.isDictionary()) {
      hides = doc_.optional_content.is_hidden(properties.getKey(operands[1].text));
    }
  }
  marked_content_.push_back(hides);
  if (hides) ++hidden_depth_;
}

}  // namespace pp::pdf
