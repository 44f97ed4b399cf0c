// pdf-content.h: judging what one PDF page puts on paper, from its content streams.
//
// DocumentContext holds what lives as long as the document: options, the operator budget, the
// optional-content configuration and caches of per-object results (images, forms, patterns,
// shadings, fonts, colour spaces) keyed by object id, so shared resources are judged once, even
// when the file is re-opened between batches of pages.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "analysis/document.h"
#include "analysis/pdf-colorspace.h"
#include "analysis/pdf-font.h"
#include "analysis/pdf-geometry.h"
#include "analysis/pdf-optional-content.h"
#include "analysis/pdf-qpdf.h"

#include <qpdf/QPDFPageObjectHelper.hh>

namespace pp::pdf {

// Thrown when a document exceeds AnalysisOptions limits (operators, nesting).
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a form XObject (or Type 3 glyph) paints, known independently of where it is drawn.
enum class FormRecord { kNeutralAnywhere, kMayPaintColor };

struct DocumentContext {
  DocumentContext(QPDF& pdf, const AnalysisOptions& options) : pdf(&pdf), options(options), optional_content(pdf) {}

  // Moves to another QPDF opened from the same file (the analyser re-opens large files to free
  // qpdf's object cache). Results keyed by object id stay valid: the ids are the file's. Cached
  // values that hold object handles (Type 3 fonts: glyph procedures, resources) are dropped, as
  // their objects die with the old QPDF.
  void rebind(QPDF& other) {
    pdf = &other;
    std::erase_if(fonts, [](const auto& entry) { return entry.second && entry.second->type3; });
  }

  // Counts one content-stream operator against options.max_operators.
  void count_operator() {
    if (++operators > options.max_operators) {
      throw LimitError("more than " + std::to_string(options.max_operators) + " content-stream operators");
    }
  }

  QPDF* pdf;  // the QPDF the current pages come from
  const AnalysisOptions& options;
  OptionalContent optional_content;
  std::uint64_t operators = 0;

  std::map<QPDFObjGen, Ink> images;       // pixel verdict of image XObjects
  std::map<QPDFObjGen, Ink> patterns;     // coloured tiling and shading patterns
  std::map<QPDFObjGen, Ink> shadings;     // shadings painted by `sh`
  std::map<QPDFObjGen, FormRecord> forms;  // forms and Type 3 glyph procedures
  std::map<QPDFObjGen, bool> glyph_sets_color;  // Type 3 glyph starts with d0 (its own colours)
  std::map<QPDFObjGen, std::shared_ptr<const Font>> fonts;  // by the font dictionary's id
  std::map<QPDFObjGen, ColorSpacePtr> color_spaces;
  std::set<QPDFObjGen> active;  // forms/patterns/glyphs being interpreted: cycle protection
};

struct PageVerdict {
  Ink ink = Ink::kNone;
  std::string undecidable_reason;  // what made the page undecidable, for logs
};

// Judges one page: its content streams and the annotations that print, clipped to page_box
// (CropBox ∩ MediaBox in default user space). Stops at the first colour mark.
// Throws LimitError on limits, qpdf exceptions on unrecoverable damage.
PageVerdict analyze_page(DocumentContext& doc, QPDFPageObjectHelper& page, const Box& page_box);

}  // namespace pp::pdf
