// color-rules.cpp: the neutral-versus-colour rules shared by every analyser.
#include "analysis/color-rules.h"

#include <algorithm>
#include <cmath>

namespace pp {

namespace {

// The tolerance as a fraction of full scale (0..1).
double tolerance_fraction(const AnalysisOptions& options) {
  return std::clamp(options.neutral_tolerance, 0, 255) / 255.0;
}

// Rich black: K at (or within the tolerance of) full coverage.
bool is_full_black(double k, const AnalysisOptions& options) {
  return k >= 1.0 - tolerance_fraction(options) - 1e-9;
}

}  // namespace

bool rgb_is_neutral(double r, double g, double b, const AnalysisOptions& options) {
  double spread = std::max({r, g, b}) - std::min({r, g, b});
  return spread <= tolerance_fraction(options) + 1e-9;
}

bool cmyk_is_neutral(double c, double m, double y, double k, const AnalysisOptions& options) {
  double spread = std::max({c, m, y}) - std::min({c, m, y});
  if (spread <= tolerance_fraction(options) + 1e-9) return true;
  return !options.rich_black_is_color && is_full_black(k, options);
}

bool lab_is_neutral(double /*l*/, double a, double b, const AnalysisOptions& options) {
  // a* and b* span roughly -128..127: scale the 0..255 tolerance onto that range.
  double limit = std::clamp(options.neutral_tolerance, 0, 255) + 1e-9;
  return std::abs(a) <= limit && std::abs(b) <= limit;
}

}  // namespace pp
