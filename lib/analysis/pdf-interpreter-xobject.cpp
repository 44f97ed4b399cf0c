// pdf-interpreter-xobject.cpp: forms, images, inline images, shadings and patterns.
//
// Forms are first "probed": interpreted without geometry, so that every paint counts. A form whose
// probe finds nothing non-neutral, and that did not paint with colours inherited from its caller,
// paints nothing non-neutral wherever it is drawn: that result is cached by object id. Forms that
// may paint colour are then interpreted with geometry (the colour may be clipped away).
#include <map>

#include "analysis/pdf-function.h"
#include "analysis/pdf-image.h"
#include "analysis/pdf-interpreter.h"

namespace pp::pdf {

namespace {

// Marks an object as being interpreted for as long as it lives (recursion-cycle protection).
class ActiveGuard {
 public:
  ActiveGuard(std::set<QPDFObjGen>& active, QPDFObjGen id) : active_(active), id_(id) { active_.insert(id_); }
  ~ActiveGuard() { active_.erase(id_); }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;

 private:
  std::set<QPDFObjGen>& active_;
  QPDFObjGen id_;
};

bool is_name(QPDFObjectHandle object, const char* name) { return object.isName() && object.getName() == name; }

// Inline image dictionaries use abbreviated keys and filter names.
QPDFObjectHandle expand_inline_dict(QPDFObjectHandle abbreviated) {
  static const std::map<std::string, std::string> keys = {
      {"/BPC", "/BitsPerComponent"}, {"/CS", "/ColorSpace"}, {"/D", "/Decode"}, {"/DP", "/DecodeParms"},
      {"/F", "/Filter"},             {"/H", "/Height"},      {"/IM", "/ImageMask"}, {"/I", "/Interpolate"},
      {"/W", "/Width"},              {"/L", "/Length"}};
  static const std::map<std::string, std::string> filters = {
      {"/AHx", "/ASCIIHexDecode"}, {"/A85", "/ASCII85Decode"}, {"/LZW", "/LZWDecode"}, {"/Fl", "/FlateDecode"},
      {"/RL", "/RunLengthDecode"}, {"/CCF", "/CCITTFaxDecode"}, {"/DCT", "/DCTDecode"}};
  auto expand_filter = [&](QPDFObjectHandle name) {
    auto found = name.isName() ? filters.find(name.getName()) : filters.end();
    return found == filters.end() ? name : QPDFObjectHandle::newName(found->second);
  };
  QPDFObjectHandle dict = QPDFObjectHandle::newDictionary();
  if (!abbreviated.isDictionary()) return dict;
  for (const auto& [key, value] : abbreviated.ditems()) {
    auto found = keys.find(key);
    const std::string& full = found == keys.end() ? key : found->second;
    if (full == "/Length") continue;
    QPDFObjectHandle v = value;
    if (full == "/Filter" && v.isArray()) {
      QPDFObjectHandle list = QPDFObjectHandle::newArray();
      for (QPDFObjectHandle f : v.aitems()) list.appendItem(expand_filter(f));
      v = list;
    } else if (full == "/Filter") {
      v = expand_filter(v);
    }
    dict.replaceKey(full, v);
  }
  return dict;
}

}  // namespace

// ---- XObjects and forms ----

void Interpreter::do_xobject(const Operands& operands) {
  if (hidden() || operands.empty() || !operands.back().is_name() || !resources_.isDictionary()) return;
  QPDFObjectHandle xobjects = resources_.getKey("/XObject");
  QPDFObjectHandle xobject = xobjects.isDictionary() ? xobjects.getKey(operands.back().text) : QPDFObjectHandle();
  if (!xobject.isStream()) return;
  QPDFObjectHandle subtype = xobject.getDict().getKey("/Subtype");
  if (is_name(subtype, "/Image")) {
    draw_image(xobject);
  } else if (is_name(subtype, "/Form")) {
    run_form(xobject, resources_, gs().ctm, gs());
  }
}

void Interpreter::run_form(QPDFObjectHandle form, QPDFObjectHandle parent_resources, const Matrix& placement,
                           const GraphicsState& state) {
  if (!form.isStream()) return;
  QPDFObjectHandle dict = form.getDict();
  if (dict.hasKey("/OC") && doc_.optional_content.is_hidden(dict.getKey("/OC"))) return;
  const QPDFObjGen id = form.getObjGen();
  // A form that draws itself (directly or through others): the inner copy adds nothing that
  // the outer one does not already paint, and following it would never end.
  if (doc_.active.count(id)) return;
  if (depth_ + 1 > doc_.options.max_nesting) {
    throw LimitError("forms, patterns or glyphs nested deeper than " + std::to_string(doc_.options.max_nesting));
  }
  GraphicsState inner = state;
  inner.ctm = matrix_from(dict.getKey("/Matrix")).then(placement);
  Box bbox = box_from(dict.getKey("/BBox"));
  if (!bbox.empty()) inner.clip = inner.clip.intersect(bbox.transformed(inner.ctm));
  inner.fill.local = inner.stroke.local = inner.text.mode_local = false;
  QPDFObjectHandle resources = dict.getKey("/Resources");
  if (!resources.isDictionary()) resources = parent_resources;  // old files rely on inheritance

  auto record = doc_.forms.find(id);
  if (record != doc_.forms.end() && record->second == FormRecord::kNeutralAnywhere) return;
  if (record == doc_.forms.end() || !geometry_) {
    RunSummary summary;
    Ink ink = probe(form, resources, inner, summary);
    bool neutral = ink <= Ink::kNeutral;
    if (!neutral) {
      doc_.forms[id] = FormRecord::kMayPaintColor;
    } else if (!summary.uses_inherited) {
      doc_.forms[id] = FormRecord::kNeutralAnywhere;
    }
    if (summary.uses_inherited && !(state.fill.local && state.stroke.local && state.text.mode_local)) {
      out_.uses_inherited = true;
    }
    if (neutral || !geometry_) {
      if (ink == Ink::kUndecidable && out_.ink < Ink::kUndecidable) out_.reason = summary.reason;
      out_.ink = worst(out_.ink, ink);
      return;
    }
  }
  // The form may paint colour: find out whether that colour lands on the page.
  ActiveGuard guard(doc_.active, id);
  Interpreter nested(doc_, out_, true, depth_ + 1, page_box_);
  nested.run(stream_text(form), resources, inner);
}

Ink Interpreter::probe(QPDFObjectHandle content_stream, QPDFObjectHandle resources, const GraphicsState& state,
                       RunSummary& summary) {
  ActiveGuard guard(doc_.active, content_stream.getObjGen());
  Interpreter nested(doc_, summary, false, depth_ + 1, page_box_);
  nested.run(stream_text(content_stream), resources, state);
  return summary.ink;
}

// ---- images ----

void Interpreter::paint_image(QPDFObjectHandle dict, const std::function<Ink(const ColorSpace*)>& judge) {
  if (hidden()) return;
  if (dict.hasKey("/OC") && doc_.optional_content.is_hidden(dict.getKey("/OC"))) return;
  Box box = Box::of(0, 0, 1, 1).transformed(gs().ctm);  // images fill the unit square
  if (geometry_ && !box.overlaps(gs().clip)) return;      // before any decoding
  if (dict.getKey("/ImageMask").isBool() && dict.getKey("/ImageMask").getBoolValue()) {
    paint_with(gs().fill, box);  // a stencil: paints the fill colour through the mask
    return;
  }
  QPDFObjectHandle space_object = dict.getKey("/ColorSpace");
  ColorSpacePtr space;
  if (space_object.isName()) {
    Operand name;
    name.kind = Operand::Kind::kName;
    name.text = space_object.getName();
    space = color_space(name);
  } else if (!absent(space_object)) {
    space = color_space_object(space_object);
  }
  // An image without a colour space must be JPX (it carries its own): judged by rasterising.
  Ink ink = judge(space.get());
  if (ink == Ink::kUndecidable && out_.ink < Ink::kUndecidable) {
    out_.reason = "image that cannot be decoded here (JPX, JBIG2, too large or damaged)";
  }
  mark(ink, box);
}

void Interpreter::draw_image(QPDFObjectHandle image) {
  paint_image(image.getDict(), [&](const ColorSpace* space) {
    auto cached = doc_.images.find(image.getObjGen());
    if (cached != doc_.images.end()) return cached->second;
    Ink ink = judge_image(image, space, doc_.options);
    doc_.images[image.getObjGen()] = ink;
    return ink;
  });
}

void Interpreter::inline_image(const Operation& operation) {
  QPDFObjectHandle dict = expand_inline_dict(operation.inline_dict);
  paint_image(dict, [&](const ColorSpace* space) {
    if (space && space->always_neutral && space->family != SpaceFamily::kSeparation &&
        space->family != SpaceFamily::kDeviceN) {
      return Ink::kNeutral;  // no need to decode
    }
    // Decode through a temporary stream object so qpdf's filters apply; drop its data after.
    QPDFObjectHandle stream = QPDFObjectHandle::newStream(doc_.pdf, operation.inline_data);
    for (const auto& [key, value] : dict.ditems()) stream.getDict().replaceKey(key, value);
    Ink ink = judge_image(stream, space, doc_.options);
    stream.replaceStreamData("", QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
    return ink;
  });
}

// ---- shadings and patterns ----

void Interpreter::shade(const Operands& operands) {
  if (hidden() || operands.empty() || !operands.back().is_name() || !resources_.isDictionary()) return;
  QPDFObjectHandle shadings = resources_.getKey("/Shading");
  QPDFObjectHandle shading = shadings.isDictionary() ? shadings.getKey(operands.back().text) : QPDFObjectHandle();
  if (absent(shading)) return;
  QPDFObjectHandle dict = shading.isStream() ? shading.getDict() : shading;
  // `sh` paints the whole clip region, or the shading's /BBox.
  Box box = Box::everything();
  Box bbox = dict.isDictionary() ? box_from(dict.getKey("/BBox")) : Box();
  if (!bbox.empty()) box = bbox.transformed(gs().ctm);
  if (geometry_ && !box.overlaps(gs().clip)) return;
  Ink ink;
  auto cached = shading.isIndirect() ? doc_.shadings.find(shading.getObjGen()) : doc_.shadings.end();
  if (cached != doc_.shadings.end()) {
    ink = cached->second;
  } else {
    ink = judge_shading(shading, resources_, false, doc_.options);
    if (shading.isIndirect()) doc_.shadings[shading.getObjGen()] = ink;
  }
  if (ink == Ink::kUndecidable && out_.ink < Ink::kUndecidable) {
    out_.reason = "shading with a function that cannot be evaluated here (type 4)";
  }
  mark(ink, box);
}

Ink Interpreter::pattern_ink(QPDFObjectHandle pattern) {
  const QPDFObjGen id = pattern.getObjGen();
  if (pattern.isIndirect()) {
    auto cached = doc_.patterns.find(id);
    if (cached != doc_.patterns.end()) return cached->second;
  }
  QPDFObjectHandle dict = pattern.isStream() ? pattern.getDict() : pattern;
  QPDFObjectHandle type = dict.getKey("/PatternType");
  Ink ink = Ink::kUndecidable;
  if (type.isInteger() && type.getIntValueAsInt() == 2) {
    ink = judge_shading(dict.getKey("/Shading"), resources_, true, doc_.options);
  } else if (type.isInteger() && type.getIntValueAsInt() == 1 && pattern.isStream()) {
    if (doc_.active.count(id)) return Ink::kNone;  // a pattern painting itself
    if (depth_ + 1 > doc_.options.max_nesting) {
      throw LimitError("forms, patterns or glyphs nested deeper than " + std::to_string(doc_.options.max_nesting));
    }
    // A coloured tiling cell starts from a default graphics state: nothing is inherited.
    GraphicsState cell;
    cell.clip = Box::everything();
    cell.fill.local = cell.stroke.local = cell.text.mode_local = true;
    QPDFObjectHandle resources = dict.getKey("/Resources");
    RunSummary summary;
    ink = probe(pattern, resources.isDictionary() ? resources : resources_, cell, summary);
  }
  if (pattern.isIndirect()) doc_.patterns[id] = ink;
  return ink;
}

}  // namespace pp::pdf
