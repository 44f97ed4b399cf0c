// ghostscript.h: Ghostscript as a bounded child process (never linked: it is AGPL).
//
// Used for PostScript input (converted to PDF) and for the slow path that rasterises the few PDF
// pages whose colour cannot be decided from their content stream.
#pragma once

#include <string>
#include <vector>

#include "analysis/document.h"
#include "util/status.h"

namespace pp {

// Converts a PostScript file to PDF at out_pdf with gs -dSAFER -sDEVICE=pdfwrite.
Status ghostscript_convert_to_pdf(const std::string& ps_path, const std::string& out_pdf,
                                  const AnalysisOptions& options);

// Rasterises the given 1-based pages of a PDF at options.slow_path_dpi and returns, for each of
// them in order, whether any pixel is non-neutral (per options.neutral_tolerance).
Result<std::vector<bool>> ghostscript_pages_have_color(const std::string& pdf_path,
                                                       const std::vector<int>& pages,
                                                       const AnalysisOptions& options);

}  // namespace pp
