// engine-config.h: the cost engine's settings from the configuration file.
//
// Lives in pp_pricing because it is the module that depends on both analysis and config.
#pragma once

#include "analysis/document.h"
#include "config/config.h"
#include "util/status.h"

namespace pp {

// Reads the analysis keys (neutral-tolerance, rich-black-is-color, default-media, max-file-size,
// max-pages, max-nesting, max-operators, max-image-pixels, slow-path, ghostscript, slow-path-dpi,
// child-cpu-seconds, child-memory, child-timeout); a missing key keeps the AnalysisOptions default,
// a malformed or out-of-range one is an error naming the key.
Result<AnalysisOptions> analysis_options_from_config(const Config& config);

}  // namespace pp
