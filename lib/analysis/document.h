// document.h: what the cost engine learns from a document, and how to ask for it.
//
// analyze_document() sniffs the format and dispatches to the PDF, PWG raster, JPEG or PostScript
// analyser. Every page gets a colour decision (judged by what is actually painted on paper) and
// its media size as a PWG self-describing name. Failures are Status errors with a message a
// person can act on; a document is never reported as "0 pages".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace pp {

// How a page's colour decision was reached; useful in logs, tests and the benchmark.
enum class ColorMethod {
  kContent,     // decided from the content stream / pixel data
  kRasterized,  // content undecidable, decided by rasterising the page (Ghostscript slow path)
};

struct PageInfo {
  int number = 0;            // 1-based
  bool color = false;        // true when anything non-neutral is painted on paper
  std::string media;         // PWG self-describing name, e.g. "iso_a4_210x297mm"
  double width_pt = 0;       // page size as printed (after /Rotate), in points
  double height_pt = 0;
  ColorMethod method = ColorMethod::kContent;
};

struct DocumentInfo {
  std::string format;  // MIME type: application/pdf, image/pwg-raster, image/jpeg, application/postscript
  std::vector<PageInfo> pages;

  int page_count() const { return static_cast<int>(pages.size()); }
  int color_page_count() const;
};

// Knobs for analysis; filled from the config file by analysis_options_from_config().
struct AnalysisOptions {
  // Largest per-channel spread (0..255 scale) still called neutral: max(r,g,b) - min(r,g,b).
  int neutral_tolerance = 3;
  // CMYK "rich black" (full K plus some C/M/Y) counts as colour when true.
  bool rich_black_is_color = false;
  // Media reported for formats with no page size of their own (JPEG).
  std::string default_media = "iso_a4_210x297mm";

  // Limits against hostile or broken input.
  std::uint64_t max_file_bytes = 1024ull * 1024 * 1024;  // 1 GiB
  int max_pages = 100000;
  int max_nesting = 24;                        // forms, patterns, Type 3 glyphs, annotations
  std::uint64_t max_operators = 500000000ull;  // content-stream operators per document
  std::uint64_t max_image_pixels = 400000000ull;  // per image, beyond that: slow path

  // Re-opening long PDFs. qpdf keeps every object it has read until the file is closed (a
  // 2,400-page manual: 185 MB read at once), so the file is re-opened, freeing that cache, once at
  // least pdf_pages_per_open pages were analysed in this opening and the process's peak memory
  // grew by pdf_reopen_growth_mb since the analysis started (or since the last re-opening). The
  // growth rule spares files that stay small the cost of re-reading their cross-reference table
  // (60 ms for some). pdf_pages_per_open 0: open once; pdf_reopen_growth_mb 0: re-open every
  // pdf_pages_per_open pages. Not in the config file; tests set them small.
  int pdf_pages_per_open = 50;
  int pdf_reopen_growth_mb = 40;

  // Slow path and PostScript conversion (Ghostscript in a child process).
  bool allow_slow_path = true;
  std::string ghostscript = "gs";
  int slow_path_dpi = 36;
  int child_cpu_seconds = 120;              // RLIMIT_CPU of each child
  std::uint64_t child_memory_bytes = 2048ull * 1024 * 1024;  // RLIMIT_AS of each child
  int child_timeout_seconds = 180;          // wall clock, then SIGKILL
};

// Returns the MIME type of the file judged by its first bytes, or "" when unknown.
std::string sniff_document_format(const std::string& path);

// Checks that `path` is a regular file within options.max_file_bytes, before anything reads it;
// `name` says what the document is called in the message (its path, "the document").
Status check_document_size(const std::string& path, const AnalysisOptions& options,
                           const std::string& name);

// Analyses any supported document (format sniffed from content, not from the name).
Result<DocumentInfo> analyze_document(const std::string& path, const AnalysisOptions& options);

// Per-format analysers; analyze_document() calls these.
Result<DocumentInfo> analyze_pdf(const std::string& path, const AnalysisOptions& options);
Result<DocumentInfo> analyze_pwg_raster(const std::string& path, const AnalysisOptions& options);
Result<DocumentInfo> analyze_jpeg(const std::string& path, const AnalysisOptions& options);
Result<DocumentInfo> analyze_postscript(const std::string& path, const AnalysisOptions& options);

// Returns the PWG self-describing media name for a size in points (e.g. 595x842 -> iso_a4_210x297mm).
std::string media_name_for_size(double width_pt, double height_pt);

}  // namespace pp
