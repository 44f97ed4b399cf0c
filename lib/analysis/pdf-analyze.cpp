// pdf-analyze.cpp: analyze_pdf(): opening the file with qpdf (again every few hundred pages, to
// bound memory), the page loop, limits, and the Ghostscript slow path for the pages that the
// content streams cannot decide.
#include "analysis/pdf-qpdf.h"  // first: it configures the qpdf headers

#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <sys/resource.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "analysis/document.h"
#include "util/mapped-file.h"
#include "analysis/ghostscript.h"
#include "analysis/pdf-content.h"
#include "analysis/pdf-interpreter.h"
#include "analysis/pdf-page-tree.h"

namespace pp {

namespace {

using pdf::Box;

constexpr double kLetterWidth = 612, kLetterHeight = 792;

struct PageGeometry {
  Box page_box;  // CropBox ∩ MediaBox in default user space: where ink can land
  double width_pt = 0, height_pt = 0;
};

// The printed size: CropBox (or MediaBox), scaled by /UserUnit, swapped by /Rotate 90 or 270.
PageGeometry page_geometry(QPDFPageObjectHelper& page) {
  Box media = pdf::box_from(page.getMediaBox());
  if (media.empty() || media.x1 - media.x0 <= 0 || media.y1 - media.y0 <= 0) {
    media = Box::of(0, 0, kLetterWidth, kLetterHeight);  // required key missing: the PDF default
  }
  Box crop = pdf::box_from(page.getCropBox()).intersect(media);
  if (crop.empty() || crop.x1 - crop.x0 <= 0 || crop.y1 - crop.y0 <= 0) crop = media;
  QPDFObjectHandle unit = page.getObjectHandle().getKey("/UserUnit");
  double user_unit = unit.isNumber() && unit.getNumericValue() > 0 ? unit.getNumericValue() : 1.0;
  QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
  long long degrees = rotate.isInteger() ? rotate.getIntValue() : 0;
  degrees = ((degrees % 360) + 360) % 360;
  PageGeometry geometry;
  geometry.page_box = crop;
  geometry.width_pt = (crop.x1 - crop.x0) * user_unit;
  geometry.height_pt = (crop.y1 - crop.y0) * user_unit;
  if (degrees == 90 || degrees == 270) std::swap(geometry.width_pt, geometry.height_pt);
  return geometry;
}

// Decides the undecidable pages by rasterising them. Without the slow path, or when it fails,
// such pages count as colour: charging a grey page as colour is the error a user can dispute;
// printing colour for the price of grey silently loses money for the site.
void decide_undecidable_pages(const std::string& path, const std::vector<int>& pages, DocumentInfo& info,
                              const AnalysisOptions& options) {
  if (pages.empty()) return;
  if (options.allow_slow_path) {
    Result<std::vector<bool>> raster = ghostscript_pages_have_color(path, pages, options);
    if (raster.ok() && raster->size() == pages.size()) {
      for (size_t i = 0; i < pages.size(); ++i) {
        PageInfo& page = info.pages[pages[i] - 1];
        page.color = (*raster)[i];
        page.method = ColorMethod::kRasterized;
      }
      return;
    }
  }
  for (int number : pages) info.pages[number - 1].color = true;
}

// Opens the mapped file; every opening uses the same settings, so every one reads the same
// objects. qpdf reads the mapping in place (no copy); its many small seeks and reads become
// memory accesses, and a re-opening costs no I/O.
std::unique_ptr<QPDF> open_pdf(const std::string& path, const MappedFile& file) {
  auto qpdf = std::make_unique<QPDF>();
  qpdf->setSuppressWarnings(true);
  qpdf->setAttemptRecovery(true);
  qpdf->processMemoryFile(path.c_str(), file.data(), file.size());
  return qpdf;
}

// Deeper page trees are read in one opening: a re-opening re-reads every node above the page.
constexpr size_t kMaxReopenDepth = 64;

// The process's peak resident memory so far, in KiB (Linux).
long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// When to re-open the file (AnalysisOptions::pdf_pages_per_open, pdf_reopen_growth_mb). Memory is
// judged by the peak: after a re-opening, qpdf refills the memory the old cache freed before the
// peak moves again, so the next re-opening comes when the new cache has outgrown the old one.
class ReopenPolicy {
 public:
  explicit ReopenPolicy(const AnalysisOptions& options)
      : options_(options), limit_kib_(peak_rss_kib() + options.pdf_reopen_growth_mb * 1024L) {}

  // Counts one page analysed in the current opening.
  void page_done() { ++pages_; }

  // True when the file should be re-opened before the next page.
  bool due() const {
    if (options_.pdf_pages_per_open <= 0 || pages_ < options_.pdf_pages_per_open) return false;
    return options_.pdf_reopen_growth_mb <= 0 || peak_rss_kib() > limit_kib_;
  }

  // Starts counting for a new opening.
  void reopened() {
    pages_ = 0;
    // A small step above the current peak: a cache that outgrows the freed one is due again.
    limit_kib_ = peak_rss_kib() + options_.pdf_reopen_growth_mb * 1024L / 8;
  }

 private:
  const AnalysisOptions& options_;
  long limit_kib_;
  int pages_ = 0;
};

// What the page loop learnt; the pages in `undecidable` still need the slow path.
struct PdfScan {
  DocumentInfo info;
  std::vector<int> undecidable;
};

// Analyses every page from its content, re-opening the file every options.pdf_pages_per_open
// pages: the only way to free what qpdf 11 has cached (it never evicts a resolved object).
Result<PdfScan> scan_pages(const std::string& path, const AnalysisOptions& options) {
  Result<MappedFile> file = MappedFile::open(path);
  if (!file.ok()) return file.status();
  std::unique_ptr<QPDF> qpdf = open_pdf(path, *file);
  pdf::PageTreeCursor cursor(*qpdf);
  pdf::DocumentContext context(*qpdf, options);
  ReopenPolicy reopen(options);
  PdfScan scan;
  scan.info.format = "application/pdf";
  QPDFObjectHandle handle;
  for (;;) {
    // A damaged file is never re-opened: qpdf repairs it as it reads, and a repair made in one
    // opening but not yet in the next could make the two read an object differently.
    if (reopen.due() && cursor.may_have_more() && cursor.depth() <= kMaxReopenDepth && !qpdf->anyWarnings()) {
      qpdf.reset();  // first: two object caches never live at once
      qpdf = open_pdf(path, *file);
      cursor.rebind(*qpdf);
      context.rebind(*qpdf);
      reopen.reopened();
    }
    if (!cursor.next(handle)) break;
    reopen.page_done();
    // Counted as the walk goes: the page count is only known at the end, and /Count may lie.
    if (scan.info.page_count() >= options.max_pages) {
      return Status(Code::kLimitExceeded, "PDF has more than " + std::to_string(options.max_pages) +
                                              " pages, the limit");
    }
    QPDFPageObjectHelper page(handle);
    PageInfo info;
    info.number = scan.info.page_count() + 1;
    PageGeometry geometry = page_geometry(page);
    info.width_pt = geometry.width_pt;
    info.height_pt = geometry.height_pt;
    info.media = media_name_for_size(geometry.width_pt, geometry.height_pt);
    pdf::Ink ink;
    try {
      ink = pdf::analyze_page(context, page, geometry.page_box).ink;
    } catch (const pdf::LimitError&) {
      throw;
    } catch (const std::exception&) {
      ink = pdf::Ink::kUndecidable;  // a damaged page object: let the rasteriser judge it
    }
    info.color = ink == pdf::Ink::kColor;
    if (ink == pdf::Ink::kUndecidable) scan.undecidable.push_back(info.number);
    scan.info.pages.push_back(std::move(info));
  }
  if (scan.info.pages.empty()) {
    std::string detail = qpdf->anyWarnings() ? " (damaged file: " + qpdf->getWarnings().front().getMessageDetail() + ")" : "";
    return Status(Code::kMalformedDocument, "PDF has no pages" + detail);
  }
  return scan;
}

}  // namespace

Result<DocumentInfo> analyze_pdf(const std::string& path, const AnalysisOptions& options) {
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Status(Code::kIoError, "cannot read " + path + ": " + error.message());
  if (size > options.max_file_bytes) {
    return Status(Code::kLimitExceeded, path + " is " + std::to_string(size) + " bytes, more than the limit of " +
                                            std::to_string(options.max_file_bytes));
  }
  try {
    Result<PdfScan> scan = scan_pages(path, options);
    if (!scan.ok()) return scan.status();
    // After the scan, so that no QPDF is held while Ghostscript runs.
    decide_undecidable_pages(path, scan->undecidable, scan->info, options);
    return std::move(scan->info);
  } catch (const pdf::LimitError& e) {
    return Status(Code::kLimitExceeded, path + ": " + e.what());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      return Status(Code::kUnsupportedFormat, path + " is encrypted and needs a password to open");
    }
    return Status(Code::kMalformedDocument, std::string("damaged PDF: ") + e.what());
  } catch (const std::exception& e) {
    return Status(Code::kMalformedDocument, std::string("damaged PDF: ") + e.what());
  }
}

}  // namespace pp
