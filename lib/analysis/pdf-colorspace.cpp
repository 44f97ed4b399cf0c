// pdf-colorspace.cpp: parsing PDF colour spaces and applying the neutral rules to colour values.
#include "analysis/pdf-colorspace.h"

#include <algorithm>

#include "analysis/color-rules.h"

namespace pp::pdf {

namespace {

constexpr int kMaxSpaceDepth = 8;  // Indexed of Pattern of ICCBased ... never legitimately deeper

ColorSpacePtr make_space(SpaceFamily family, int components, bool always_neutral) {
  auto space = std::make_shared<ColorSpace>();
  space->family = family;
  space->components = components;
  space->always_neutral = always_neutral;
  return space;
}

ColorSpacePtr lab_space(QPDFObjectHandle params) {
  auto space = std::make_shared<ColorSpace>();
  space->family = SpaceFamily::kLab;
  space->components = 3;
  space->ranges = {-100, 100, -100, 100};
  QPDFObjectHandle range = params.isDictionary() ? params.getKey("/Range") : QPDFObjectHandle();
  if (range.isArray() && range.getArrayNItems() == 4) {
    for (int i = 0; i < 4; ++i) {
      QPDFObjectHandle item = range.getArrayItem(i);
      if (item.isNumber()) space->ranges[i] = item.getNumericValue();
    }
  }
  return space;
}

// Which process or spot colorant a Separation/DeviceN component name stands for.
Colorant colorant_for_name(const std::string& name) {
  if (name == "/None") return Colorant::kNone;
  if (name == "/Black") return Colorant::kBlack;
  if (name == "/Cyan") return Colorant::kCyan;
  if (name == "/Magenta") return Colorant::kMagenta;
  if (name == "/Yellow") return Colorant::kYellow;
  // /All marks every plate (registration marks): it prints as black. /Gray is a neutral ink.
  if (name == "/All" || name == "/Gray" || name == "/Grey") return Colorant::kNeutral;
  return Colorant::kSpot;
}

ColorSpacePtr colorant_space(SpaceFamily family, std::vector<Colorant> colorants) {
  auto space = std::make_shared<ColorSpace>();
  space->family = family;
  space->components = static_cast<int>(colorants.size());
  space->always_neutral = std::all_of(colorants.begin(), colorants.end(), [](Colorant c) {
    return c == Colorant::kNone || c == Colorant::kNeutral || c == Colorant::kBlack;
  });
  space->colorants = std::move(colorants);
  return space;
}

// Lookup table bytes of an Indexed space (a string or a stream).
std::string indexed_lookup_bytes(QPDFObjectHandle lookup) {
  if (lookup.isString()) return lookup.getStringValue();
  if (lookup.isStream()) {
    std::shared_ptr<Buffer> data = lookup.getStreamData(qpdf_dl_generalized);
    return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  }
  return {};
}

// Component value of an Indexed lookup byte, in the base space's own range.
double palette_component(const ColorSpace& base, int index, unsigned char byte) {
  double unit = byte / 255.0;
  if (base.family == SpaceFamily::kLab) {
    if (index == 0) return unit * 100.0;
    double lo = base.ranges[(index - 1) * 2], hi = base.ranges[(index - 1) * 2 + 1];
    return lo + unit * (hi - lo);
  }
  return unit;
}

ColorSpacePtr indexed_space(ColorSpacePtr base, QPDFObjectHandle hival_obj, QPDFObjectHandle lookup,
                            const AnalysisOptions& options) {
  if (!base || !hival_obj.isInteger()) return nullptr;
  int hival = std::clamp(hival_obj.getIntValueAsInt(), 0, 255);
  std::string bytes = indexed_lookup_bytes(lookup);
  auto space = std::make_shared<ColorSpace>();
  space->family = SpaceFamily::kIndexed;
  space->components = 1;
  space->base = base;
  space->always_neutral = true;
  const int n = base->components;
  for (int entry = 0; entry <= hival; ++entry) {
    std::vector<double> values(n, 0.0);
    Ink ink = Ink::kUndecidable;  // a table shorter than hival: the entry is garbage
    if (static_cast<size_t>((entry + 1) * n) <= bytes.size()) {
      for (int i = 0; i < n; ++i) {
        values[i] = palette_component(*base, i, static_cast<unsigned char>(bytes[entry * n + i]));
      }
      ink = base->judge(values.data(), n, options);
    }
    if (ink > Ink::kNeutral) space->always_neutral = false;
    space->palette.push_back(ink);
    space->palette_values.push_back(std::move(values));
  }
  return space;
}

ColorSpacePtr parse_family(QPDFObjectHandle space, QPDFObjectHandle resources,
                           const AnalysisOptions& options, int depth);

ColorSpacePtr parse_named(const std::string& name, QPDFObjectHandle resources,
                          const AnalysisOptions& options, int depth) {
  if (name == "/DeviceGray" || name == "/CalGray" || name == "/G") return device_gray();
  if (name == "/DeviceRGB" || name == "/CalRGB" || name == "/RGB") return device_rgb();
  if (name == "/DeviceCMYK" || name == "/CMYK") return device_cmyk();
  if (name == "/Pattern") return make_space(SpaceFamily::kPattern, 0, false);
  if (name == "/Lab") return lab_space(QPDFObjectHandle());
  if (resources.isDictionary()) {
    QPDFObjectHandle named = resources.getKey("/ColorSpace");
    if (named.isDictionary() && named.hasKey(name)) {
      return parse_family(named.getKey(name), QPDFObjectHandle(), options, depth + 1);
    }
  }
  return nullptr;
}

ColorSpacePtr parse_icc(QPDFObjectHandle stream, const AnalysisOptions& options, int depth) {
  if (!stream.isStream()) return nullptr;
  QPDFObjectHandle dict = stream.getDict();
  QPDFObjectHandle alternate = dict.getKey("/Alternate");
  if (!absent(alternate)) {
    if (ColorSpacePtr alt = parse_family(alternate, QPDFObjectHandle(), options, depth + 1)) {
      return alt;
    }
  }
  QPDFObjectHandle n = dict.getKey("/N");
  int components = n.isInteger() ? n.getIntValueAsInt() : 0;
  if (components == 1) return device_gray();
  if (components == 3) return device_rgb();
  if (components == 4) return device_cmyk();
  return nullptr;
}

ColorSpacePtr parse_family(QPDFObjectHandle space, QPDFObjectHandle resources,
                           const AnalysisOptions& options, int depth) {
  if (depth > kMaxSpaceDepth) return nullptr;
  if (space.isName()) return parse_named(space.getName(), resources, options, depth);
  if (!space.isArray() || space.getArrayNItems() < 1) return nullptr;
  QPDFObjectHandle head = space.getArrayItem(0);
  if (!head.isName()) return nullptr;
  const std::string family = head.getName();
  const int items = space.getArrayNItems();
  if (family == "/CalGray") return device_gray();
  if (family == "/CalRGB") return device_rgb();
  if (family == "/Lab") return lab_space(space.getArrayItem(1));
  if (family == "/ICCBased") return parse_icc(space.getArrayItem(1), options, depth);
  if ((family == "/Indexed" || family == "/I") && items >= 4) {
    ColorSpacePtr base = parse_family(space.getArrayItem(1), resources, options, depth + 1);
    return indexed_space(base, space.getArrayItem(2), space.getArrayItem(3), options);
  }
  if (family == "/Separation" && items >= 2 && space.getArrayItem(1).isName()) {
    return colorant_space(SpaceFamily::kSeparation,
                          {colorant_for_name(space.getArrayItem(1).getName())});
  }
  if (family == "/DeviceN" && items >= 2 && space.getArrayItem(1).isArray()) {
    std::vector<Colorant> colorants;
    for (QPDFObjectHandle name : space.getArrayItem(1).aitems()) {
      colorants.push_back(name.isName() ? colorant_for_name(name.getName()) : Colorant::kSpot);
    }
    if (colorants.empty() || colorants.size() > 32) return nullptr;
    return colorant_space(SpaceFamily::kDeviceN, std::move(colorants));
  }
  if (family == "/Pattern") {
    auto pattern = std::make_shared<ColorSpace>();
    pattern->family = SpaceFamily::kPattern;
    if (items >= 2) pattern->base = parse_family(space.getArrayItem(1), resources, options, depth + 1);
    pattern->components = pattern->base ? pattern->base->components : 0;
    return pattern;
  }
  if (items == 1) return parse_named(family, resources, options, depth);  // [/DeviceRGB]
  return nullptr;
}

// Separation / DeviceN: spot inks are colour, process inks follow the CMYK rule.
Ink judge_colorants(const std::vector<Colorant>& colorants, const double* values, int count,
                    const AnalysisOptions& options) {
  double cmyk[4] = {0, 0, 0, 0};
  bool any_ink = false;
  for (int i = 0; i < count && i < static_cast<int>(colorants.size()); ++i) {
    double tint = std::clamp(values[i], 0.0, 1.0);
    if (tint <= 0.0 || colorants[i] == Colorant::kNone) continue;
    any_ink = true;
    switch (colorants[i]) {
      case Colorant::kSpot: return Ink::kColor;
      case Colorant::kCyan: cmyk[0] = std::max(cmyk[0], tint); break;
      case Colorant::kMagenta: cmyk[1] = std::max(cmyk[1], tint); break;
      case Colorant::kYellow: cmyk[2] = std::max(cmyk[2], tint); break;
      case Colorant::kBlack:
      case Colorant::kNeutral: cmyk[3] = std::max(cmyk[3], tint); break;
      case Colorant::kNone: break;
    }
  }
  if (!any_ink) return Ink::kNone;
  return cmyk_is_neutral(cmyk[0], cmyk[1], cmyk[2], cmyk[3], options) ? Ink::kNeutral : Ink::kColor;
}

}  // namespace

Ink ColorSpace::judge(const double* v, int count, const AnalysisOptions& options) const {
  if (always_neutral && family != SpaceFamily::kSeparation && family != SpaceFamily::kDeviceN) {
    return Ink::kNeutral;
  }
  switch (family) {
    case SpaceFamily::kGray: return Ink::kNeutral;
    case SpaceFamily::kRgb:
      if (count < 3) return Ink::kUndecidable;
      return rgb_is_neutral(v[0], v[1], v[2], options) ? Ink::kNeutral : Ink::kColor;
    case SpaceFamily::kCmyk:
      if (count < 4) return Ink::kUndecidable;
      return cmyk_is_neutral(v[0], v[1], v[2], v[3], options) ? Ink::kNeutral : Ink::kColor;
    case SpaceFamily::kLab:
      if (count < 3) return Ink::kUndecidable;
      return lab_is_neutral(v[0], v[1], v[2], options) ? Ink::kNeutral : Ink::kColor;
    case SpaceFamily::kIndexed: {
      if (count < 1 || palette.empty()) return Ink::kUndecidable;
      int index = std::clamp(static_cast<int>(v[0] + 0.5), 0, static_cast<int>(palette.size()) - 1);
      return palette[index];
    }
    case SpaceFamily::kSeparation:
    case SpaceFamily::kDeviceN: return judge_colorants(colorants, v, count, options);
    case SpaceFamily::kPattern: return Ink::kUndecidable;  // judged by the pattern, not here
  }
  return Ink::kUndecidable;
}

std::vector<double> ColorSpace::initial_color() const {
  switch (family) {
    case SpaceFamily::kCmyk: return {0, 0, 0, 1};
    case SpaceFamily::kSeparation:
    case SpaceFamily::kDeviceN: return std::vector<double>(components, 1.0);
    case SpaceFamily::kLab: return {0, 0, 0};
    default: return std::vector<double>(std::max(components, 0), 0.0);
  }
}

ColorSpacePtr device_gray() {
  static const ColorSpacePtr gray = make_space(SpaceFamily::kGray, 1, true);
  return gray;
}

ColorSpacePtr device_rgb() {
  static const ColorSpacePtr rgb = make_space(SpaceFamily::kRgb, 3, false);
  return rgb;
}

ColorSpacePtr device_cmyk() {
  static const ColorSpacePtr cmyk = make_space(SpaceFamily::kCmyk, 4, false);
  return cmyk;
}

ColorSpacePtr parse_color_space(QPDFObjectHandle space, QPDFObjectHandle resources,
                                const AnalysisOptions& options) {
  return parse_family(space, resources, options, 0);
}

std::string expand_inline_color_space_name(const std::string& name) {
  if (name == "/G") return "/DeviceGray";
  if (name == "/RGB") return "/DeviceRGB";
  if (name == "/CMYK") return "/DeviceCMYK";
  if (name == "/I") return "/Indexed";
  return name;
}

}  // namespace pp::pdf
