// pdf-page.cpp: one page = its content streams + the annotations that print.
#include "analysis/pdf-qpdf.h"  // first: it configures the qpdf headers

#include <qpdf/Pl_String.hh>
#include <qpdf/QPDFAnnotationObjectHelper.hh>

#include "analysis/pdf-content.h"
#include "analysis/pdf-interpreter.h"

namespace pp::pdf {

namespace {

constexpr int kAnnotationPrint = 4;
constexpr int kAnnotationHidden = 2;

// The matrix that maps an appearance stream's (transformed) /BBox onto the annotation's /Rect
// (PDF 32000-1, 12.5.5); the form's own /Matrix is applied by run_form().
Matrix appearance_placement(QPDFObjectHandle appearance, const QPDFObjectHandle::Rectangle& rect) {
  QPDFObjectHandle dict = appearance.getDict();
  Box box = box_from(dict.getKey("/BBox")).transformed(matrix_from(dict.getKey("/Matrix")));
  Box target = Box::of(rect.llx, rect.lly, rect.urx, rect.ury);
  if (box.empty()) return {1, 0, 0, 1, target.x0, target.y0};
  double width = box.x1 - box.x0, height = box.y1 - box.y0;
  double sx = width > 0 ? (target.x1 - target.x0) / width : 1;
  double sy = height > 0 ? (target.y1 - target.y0) / height : 1;
  return {sx, 0, 0, sy, target.x0 - box.x0 * sx, target.y0 - box.y0 * sy};
}

GraphicsState page_initial_state(const Box& page_box) {
  GraphicsState state;
  state.clip = page_box;
  state.fill.local = state.stroke.local = state.text.mode_local = true;
  return state;
}

void analyze_annotations(DocumentContext& doc, QPDFPageObjectHelper& page, const Box& page_box,
                         QPDFObjectHandle resources, RunSummary& summary) {
  for (QPDFAnnotationObjectHelper& annotation : page.getAnnotations()) {
    if (summary.ink == Ink::kColor) return;
    int flags = annotation.getFlags();
    if (!(flags & kAnnotationPrint) || (flags & kAnnotationHidden)) continue;
    QPDFObjectHandle dict = annotation.getObjectHandle();
    if (dict.hasKey("/OC") && doc.optional_content.is_hidden(dict.getKey("/OC"))) continue;
    QPDFObjectHandle appearance = annotation.getAppearanceStream("/N");
    if (!appearance.isStream()) continue;
    Interpreter interpreter(doc, summary, true, 0, page_box);
    interpreter.run_form(appearance, resources, appearance_placement(appearance, annotation.getRect()),
                         page_initial_state(page_box));
  }
}

}  // namespace

PageVerdict analyze_page(DocumentContext& doc, QPDFPageObjectHelper& page, const Box& page_box) {
  RunSummary summary;
  QPDFObjectHandle resources = page.getAttribute("/Resources", false);
  std::string content;
  try {
    Pl_String collect("page content", nullptr, content);
    page.pipeContents(&collect);
  } catch (const std::exception& e) {
    return {Ink::kUndecidable, std::string("unreadable content stream: ") + e.what()};
  }
  Interpreter interpreter(doc, summary, true, 0, page_box);
  interpreter.run(std::move(content), resources, page_initial_state(page_box));
  if (summary.ink != Ink::kColor) analyze_annotations(doc, page, page_box, resources, summary);
  return {summary.ink, summary.reason};
}

}  // namespace pp::pdf
