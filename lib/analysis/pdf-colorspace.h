// pdf-colorspace.h: PDF colour spaces and whether a colour value in one of them puts colour on paper.
#pragma once

#include "analysis/pdf-qpdf.h"

#include <memory>
#include <string>
#include <vector>

#include "analysis/document.h"

namespace pp::pdf {

// What a paint operation (or an image, a shading, a form) puts on paper, ordered by severity.
enum class Ink {
  kNone,         // nothing at all (tint 0 of a spot colour, /None colorant)
  kNeutral,      // black, white or grey only
  kUndecidable,  // cannot tell from the content stream: the page goes to the slow path
  kColor,        // something non-neutral
};

// The more severe of two verdicts (colour beats undecidable beats neutral beats none).
inline Ink worst(Ink a, Ink b) { return a > b ? a : b; }

enum class SpaceFamily { kGray, kRgb, kCmyk, kLab, kIndexed, kSeparation, kDeviceN, kPattern };

// One colorant of a Separation or DeviceN space.
enum class Colorant { kNone, kNeutral, kCyan, kMagenta, kYellow, kBlack, kSpot };

struct ColorSpace;
using ColorSpacePtr = std::shared_ptr<const ColorSpace>;

// A parsed colour space, reduced to what the neutral rules need.
struct ColorSpace {
  SpaceFamily family = SpaceFamily::kGray;
  int components = 1;          // operands of sc/scn (0 for an uncoloured-less /Pattern)
  ColorSpacePtr base;          // Indexed: base space; Pattern: underlying space (may be null)
  std::vector<double> ranges;  // Lab: amin amax bmin bmax
  std::vector<Colorant> colorants;  // Separation / DeviceN
  std::vector<Ink> palette;    // Indexed: verdict of each lookup entry
  std::vector<std::vector<double>> palette_values;  // Indexed: base components of each entry
  bool always_neutral = false;  // no value in this space can be colour (Gray, Separation /Black ...)

  // Judges one colour value given as this space's sc/scn operands.
  Ink judge(const double* values, int count, const AnalysisOptions& options) const;
  // The initial colour set by cs/CS (black for most spaces, full tint for Separation/DeviceN).
  std::vector<double> initial_color() const;
};

// The shared device spaces.
ColorSpacePtr device_gray();
ColorSpacePtr device_rgb();
ColorSpacePtr device_cmyk();

// Parses a colour space (a name or array); names are looked up in resources' /ColorSpace.
// Unknown or broken spaces come back as nullptr (callers treat them as undecidable).
ColorSpacePtr parse_color_space(QPDFObjectHandle space, QPDFObjectHandle resources,
                                const AnalysisOptions& options);

// The colour space of a family name used by inline images (/G, /RGB, /CMYK, /I) or null.
std::string expand_inline_color_space_name(const std::string& name);

}  // namespace pp::pdf
