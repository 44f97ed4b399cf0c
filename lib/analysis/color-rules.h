// color-rules.h: when is a colour value neutral (grey) and when is it colour.
//
// Shared by the PDF, raster and JPEG analysers so that every format judges colour alike.
// Components are in 0..1 (PDF convention); tolerance is on the 0..255 scale of AnalysisOptions.
#pragma once

#include "analysis/document.h"

namespace pp {

// True when an RGB colour is neutral: max - min spread within the tolerance.
bool rgb_is_neutral(double r, double g, double b, const AnalysisOptions& options);

// True when a CMYK colour prints as grey: C, M and Y equal within the tolerance, or (unless
// rich_black_is_color) full black K with any C/M/Y under it ("rich black").
bool cmyk_is_neutral(double c, double m, double y, double k, const AnalysisOptions& options);

// True when a CIE L*a*b* colour is neutral (a* and b* close to zero); a, b in their natural range.
bool lab_is_neutral(double l, double a, double b, const AnalysisOptions& options);

}  // namespace pp
