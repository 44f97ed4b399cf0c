// engine-config.cpp: analysis_options_from_config.
#include "pricing/engine-config.h"

#include <limits>

#include "pricing/media-alias.h"

namespace pp {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// Reads an integer key into `out` when set, checking low..high.
template <typename T>
Status read_int(const Config& config, const char* key, std::int64_t low, std::int64_t high,
                T& out) {
  auto value = config.get_int(key, static_cast<std::int64_t>(out));
  if (!value.ok()) return value.status();
  if (*value < low || *value > high) {
    return Status(Code::kInvalidArgument, "config key " + std::string(key) + ": " +
                                              std::to_string(*value) + " is outside " +
                                              std::to_string(low) + ".." + std::to_string(high));
  }
  out = static_cast<T>(*value);
  return Status::ok();
}

Status read_bool(const Config& config, const char* key, bool& out) {
  auto value = config.get_bool(key, out);
  if (!value.ok()) return value.status();
  out = *value;
  return Status::ok();
}

Status read_strings(const Config& config, AnalysisOptions& options) {
  if (auto media = config.get("default-media")) {
    auto name = pwg_media_name(*media);
    if (!name) {
      return Status(Code::kInvalidArgument,
                    "config key default-media: unknown media \"" + *media + "\"");
    }
    options.default_media = *name;
  }
  options.ghostscript = config.get_string("ghostscript", options.ghostscript);
  if (options.ghostscript.empty()) {
    return Status(Code::kInvalidArgument, "config key ghostscript: empty path");
  }
  return Status::ok();
}

}  // namespace

Result<AnalysisOptions> analysis_options_from_config(const Config& config) {
  AnalysisOptions o;
  for (Status status : {
           read_int(config, "neutral-tolerance", 0, 255, o.neutral_tolerance),
           read_bool(config, "rich-black-is-color", o.rich_black_is_color),
           read_int(config, "max-file-size", 1, kInt64Max, o.max_file_bytes),
           read_int(config, "max-pages", 1, kIntMax, o.max_pages),
           read_int(config, "max-nesting", 1, 1000, o.max_nesting),
           read_int(config, "max-operators", 1, kInt64Max, o.max_operators),
           read_int(config, "max-image-pixels", 1, kInt64Max, o.max_image_pixels),
           read_bool(config, "slow-path", o.allow_slow_path),
           read_int(config, "slow-path-dpi", 1, 1200, o.slow_path_dpi),
           read_int(config, "child-cpu-seconds", 1, kIntMax, o.child_cpu_seconds),
           read_int(config, "child-memory", 1024 * 1024, kInt64Max, o.child_memory_bytes),
           read_int(config, "child-timeout", 1, kIntMax, o.child_timeout_seconds),
           read_strings(config, o),
       }) {
    if (!status.is_ok()) return status;
  }
  return o;
}

}  // namespace pp
