// ghostscript.cpp: PostScript to PDF and the rasterising slow path, with gs as a bounded child.
//
// Ghostscript is AGPL, so it is never linked: it runs as a child process (util/child-process.h)
// with -dSAFER, CPU/memory limits and a wall-clock timeout, writing into a private temp dir.
#include "analysis/ghostscript.h"

#include <cups/cups.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "analysis/color-rules.h"
#include "util/child-process.h"
#include "util/scoped-temp-dir.h"
#include "util/unique-file.h"

namespace pp {

namespace {

// Longest -sPageList= argument per gs run; Linux refuses single arguments over 128 KiB.
constexpr std::size_t kMaxPageListChars = 32 * 1024;

std::vector<std::string> base_arguments(const AnalysisOptions& options) {
  return {options.ghostscript, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dNOPROMPT"};
}

// gs reports PostScript errors on stdout ("Error: /undefined in foo") and then a generic
// "Unrecoverable error" line on stderr: the first is the one a person can act on.
std::string ghostscript_error_line(const std::string& output) {
  std::size_t at = output.rfind("Error: ");
  if (at == std::string::npos) return "";
  std::size_t end = output.find('\n', at);
  return output.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// Runs gs with the limits of options. A gs that stops on an error in the document gives
// kMalformedDocument with gs's own error text; limits give kLimitExceeded.
Status run_ghostscript(std::vector<std::string> argv, const AnalysisOptions& options) {
  ChildProcessOptions child;
  child.argv = std::move(argv);
  child.display_name = "ghostscript";
  child.cpu_seconds = options.child_cpu_seconds;
  child.memory_bytes = options.child_memory_bytes;
  child.timeout_seconds = options.child_timeout_seconds;
  std::string output;
  Status status = run_child_process(child, &output);
  if (status.is_ok() || status.code() != Code::kIoError) return status;
  std::string error_line = ghostscript_error_line(output);
  if (error_line.empty()) return status;
  // "ghostscript exited with status 1: Error: /undefined in foo"
  std::string message = status.message();
  std::size_t colon = message.find(": ");
  if (colon != std::string::npos) message.resize(colon);
  return Status(Code::kMalformedDocument, message + ": " + error_line);
}

// -dDEVICEWIDTHPOINTS/-dDEVICEHEIGHTPOINTS for the default media, used by PostScript programs
// that never call setpagedevice (gs's built-in default depends on the system's papersize).
std::vector<std::string> default_page_size_arguments(const AnalysisOptions& options) {
  pwg_media_t* media = pwgMediaForPWG(options.default_media.c_str());
  if (!media) return {};
  auto points = [](int hundredths_mm) { return std::lround(hundredths_mm * 72.0 / 2540.0); };
  return {"-dDEVICEWIDTHPOINTS=" + std::to_string(points(media->width)),
          "-dDEVICEHEIGHTPOINTS=" + std::to_string(points(media->length))};
}

// "1-3,7,9-10" from sorted, unique page numbers.
std::vector<std::string> page_list_batches(const std::vector<int>& sorted_pages) {
  std::vector<std::string> batches(1);
  for (std::size_t i = 0; i < sorted_pages.size();) {
    std::size_t j = i;
    while (j + 1 < sorted_pages.size() && sorted_pages[j + 1] == sorted_pages[j] + 1) ++j;
    std::string range = std::to_string(sorted_pages[i]);
    if (j > i) range += "-" + std::to_string(sorted_pages[j]);
    if (!batches.back().empty() && batches.back().size() + range.size() + 1 > kMaxPageListChars) {
      batches.emplace_back();
    }
    batches.back() += (batches.back().empty() ? "" : ",") + range;
    i = j + 1;
  }
  return batches;
}

// Reads one unsigned decimal PPM header field, skipping whitespace and # comments.
bool read_ppm_number(std::FILE* file, std::uint64_t* value) {
  int c = std::fgetc(file);
  while (c == '#' || std::isspace(c)) {
    if (c == '#') {
      while (c != '\n' && c != EOF) c = std::fgetc(file);
    }
    c = std::fgetc(file);
  }
  if (!std::isdigit(c)) return false;
  *value = 0;
  while (std::isdigit(c) && *value < (1ull << 40)) {
    *value = *value * 10 + static_cast<unsigned>(c - '0');
    c = std::fgetc(file);
  }
  return std::isspace(c);  // exactly one whitespace byte ends the last field before the data
}

// True when any pixel of a binary PPM (P6, 8 or 16 bit) is not neutral.
Result<bool> ppm_has_color(const std::string& path, const AnalysisOptions& options) {
  UniqueFile file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status(Code::kIoError, "cannot open ghostscript output " + path);
  std::uint64_t width = 0, height = 0, max_value = 0;
  if (std::fgetc(file.get()) != 'P' || std::fgetc(file.get()) != '6' ||
      !read_ppm_number(file.get(), &width) || !read_ppm_number(file.get(), &height) ||
      !read_ppm_number(file.get(), &max_value) || max_value == 0 || max_value > 65535) {
    return Status(Code::kIoError, "ghostscript wrote an unreadable image " + path);
  }
  if (width * height > options.max_image_pixels) {
    return Status(Code::kLimitExceeded, "rasterised page of " + std::to_string(width) + "x" +
                                            std::to_string(height) + " pixels is over the limit");
  }
  const std::size_t sample_bytes = max_value > 255 ? 2 : 1;
  std::vector<unsigned char> row(width * 3 * sample_bytes);
  auto sample = [&](std::size_t index) {
    if (sample_bytes == 1) return static_cast<double>(row[index]) / max_value;
    return static_cast<double>(row[2 * index] << 8 | row[2 * index + 1]) / max_value;
  };
  for (std::uint64_t y = 0; y < height; ++y) {
    if (std::fread(row.data(), 1, row.size(), file.get()) != row.size()) {
      return Status(Code::kIoError, "ghostscript wrote a truncated image " + path);
    }
    for (std::size_t x = 0; x < width; ++x) {
      if (!rgb_is_neutral(sample(3 * x), sample(3 * x + 1), sample(3 * x + 2), options)) {
        return true;
      }
    }
  }
  return false;
}

// Rasterises one batch of pages into dir/page-N.ppm (N counts the pages rendered, from 1).
Status rasterize_pages(const std::string& pdf_path, const std::string& page_list,
                       const std::string& dir, const AnalysisOptions& options) {
  std::vector<std::string> argv = base_arguments(options);
  argv.insert(argv.end(), {
                              "-sDEVICE=ppmraw",
                              "-r" + std::to_string(options.slow_path_dpi),
                              // Device Gray/RGB/CMYK through the plain formulas instead of ICC
                              // profiles: with ICC, grey CMYK (C=M=Y) and even some DeviceGray come
                              // out tinted, while our rules call them neutral.
                              "-dUseFastColor=true",
                              // No anti-aliasing: blended edge pixels would only add noise.
                              "-dTextAlphaBits=1",
                              "-dGraphicsAlphaBits=1",
                              "-sPageList=" + page_list,
                              "-sOutputFile=" + dir + "/page-%d.ppm",
                              "-f",
                              pdf_path,
                          });
  return run_ghostscript(std::move(argv), options);
}

}  // namespace

Status ghostscript_convert_to_pdf(const std::string& ps_path, const std::string& out_pdf,
                                  const AnalysisOptions& options) {
  std::vector<std::string> argv = base_arguments(options);
  std::vector<std::string> page_size = default_page_size_arguments(options);
  argv.insert(argv.end(), page_size.begin(), page_size.end());
  argv.insert(
      argv.end(),
      {
          "-sDEVICE=pdfwrite",
          // Keep DeviceGray/RGB/CMYK as written so that the PDF analyser judges the original
          // colours.
          "-sColorConversionStrategy=LeaveColorUnchanged",
          // pdfwrite would otherwise rotate pages by their text direction, changing the page size.
          "-dAutoRotatePages=/None",
          "-sOutputFile=" + out_pdf,
          "-f",
          ps_path,
      });
  return run_ghostscript(std::move(argv), options);
}

Result<std::vector<bool>> ghostscript_pages_have_color(const std::string& pdf_path,
                                                       const std::vector<int>& pages,
                                                       const AnalysisOptions& options) {
  if (pages.empty()) return std::vector<bool>();
  if (*std::min_element(pages.begin(), pages.end()) < 1) {
    return Status(Code::kInvalidArgument, "page numbers start at 1");
  }
  std::vector<int> sorted = pages;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());

  std::vector<bool> sorted_color;  // parallel to sorted
  for (const std::string& page_list : page_list_batches(sorted)) {
    Result<ScopedTempDir> dir = ScopedTempDir::create("pullprint-gs");
    if (!dir.ok()) return dir.status();
    Status status = rasterize_pages(pdf_path, page_list, dir->path(), options);
    if (!status.is_ok()) return status;
    for (int n = 1;; ++n) {
      std::string image = dir->file("page-" + std::to_string(n) + ".ppm");
      if (!std::filesystem::exists(image)) break;
      Result<bool> color = ppm_has_color(image, options);
      if (!color.ok()) return color.status();
      sorted_color.push_back(*color);
    }
  }
  if (sorted_color.size() != sorted.size()) {
    return Status(Code::kMalformedDocument,
                  "ghostscript rendered " + std::to_string(sorted_color.size()) + " of the " +
                      std::to_string(sorted.size()) + " pages asked for (up to page " +
                      std::to_string(sorted.back()) + ") in " + pdf_path);
  }
  std::vector<bool> answer;
  for (int page : pages) {
    auto at = std::lower_bound(sorted.begin(), sorted.end(), page) - sorted.begin();
    answer.push_back(sorted_color[static_cast<std::size_t>(at)]);
  }
  return answer;
}

}  // namespace pp
