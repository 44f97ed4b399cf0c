// pdf-function.h: PDF functions (types 0, 2, 3) and shadings, judged by the colours they produce.
#pragma once

#include "analysis/pdf-qpdf.h"

#include <memory>
#include <vector>

#include "analysis/document.h"
#include "analysis/pdf-colorspace.h"

namespace pp::pdf {

// A PDF function of m inputs and n outputs; type 4 (PostScript calculator) is not supported.
class Function {
 public:
  virtual ~Function() = default;
  // Evaluates the function at `in` (inputs clipped to the domain) and returns the outputs.
  virtual std::vector<double> evaluate(const std::vector<double>& in) const = 0;
  // Input values worth sampling besides a regular grid (stitching bounds), for 1-input functions.
  virtual void add_breakpoints(std::vector<double>& /*points*/) const {}
};

// Parses a function dictionary or stream; nullptr when unsupported (type 4) or broken.
std::unique_ptr<Function> parse_function(QPDFObjectHandle function, int depth = 0);

// Judges a shading dictionary or stream by the colours it can produce. include_background adds
// /Background (it only paints for shading patterns, not for the `sh` operator).
Ink judge_shading(QPDFObjectHandle shading, QPDFObjectHandle resources, bool include_background,
                  const AnalysisOptions& options);

}  // namespace pp::pdf
