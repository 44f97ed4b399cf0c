// pdf-analyze.cpp: analyze_pdf(): opening the file with qpdf, the page loop, limits, and the
// Ghostscript slow path for the pages that the content streams cannot decide.
#include "analysis/pdf-qpdf.h"  // first: it configures the qpdf headers

#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <cmath>
#include <filesystem>

#include "analysis/document.h"
#include "analysis/ghostscript.h"
#include "analysis/pdf-content.h"
#include "analysis/pdf-interpreter.h"

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

Result<DocumentInfo> analyze_open_pdf(QPDF& qpdf, const std::string& path, const AnalysisOptions& options) {
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(qpdf).getAllPages();
  if (pages.empty()) {
    std::string detail = qpdf.anyWarnings() ? " (damaged file: " + qpdf.getWarnings().front().getMessageDetail() + ")" : "";
    return Status(Code::kMalformedDocument, "PDF has no pages" + detail);
  }
  if (static_cast<long long>(pages.size()) > options.max_pages) {
    return Status(Code::kLimitExceeded, "PDF has " + std::to_string(pages.size()) + " pages, more than the limit of " +
                                            std::to_string(options.max_pages));
  }
  pdf::DocumentContext context(qpdf, options);
  DocumentInfo info;
  info.format = "application/pdf";
  std::vector<int> undecidable;
  for (size_t i = 0; i < pages.size(); ++i) {
    PageInfo page;
    page.number = static_cast<int>(i + 1);
    PageGeometry geometry = page_geometry(pages[i]);
    page.width_pt = geometry.width_pt;
    page.height_pt = geometry.height_pt;
    page.media = media_name_for_size(geometry.width_pt, geometry.height_pt);
    pdf::Ink ink;
    try {
      ink = pdf::analyze_page(context, pages[i], geometry.page_box).ink;
    } catch (const pdf::LimitError&) {
      throw;
    } catch (const std::exception&) {
      ink = pdf::Ink::kUndecidable;  // a damaged page object: let the rasteriser judge it
    }
    page.color = ink == pdf::Ink::kColor;
    if (ink == pdf::Ink::kUndecidable) undecidable.push_back(page.number);
    info.pages.push_back(std::move(page));
  }
  decide_undecidable_pages(path, undecidable, info, options);
  return info;
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
    QPDF qpdf;
    qpdf.setSuppressWarnings(true);
    qpdf.setAttemptRecovery(true);
    qpdf.processFile(path.c_str());
    return analyze_open_pdf(qpdf, path, options);
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
