// qpdf-floor.cpp: the "parse floor" of the analysis benchmark.
//
// Does the least work any libqpdf-based, content-stream analyser must do on a PDF: open it, walk
// the page tree, and tokenise (parse into operands and operators, with a callback that does
// nothing) the content streams of every page and of every form XObject reachable from the pages'
// resources, each form once. Objects nothing leads to (QPDF::getAllObjects) are not parsed: an
// analyser needs none of them, and on a pdfTeX file with 60,000 objects that alone costs ~25% more
// time and ~55 MB more memory. Image data is not decoded.
//
// Usage: pullprint-qpdf-floor FILE
// Prints "pages=N objects=N (xref size) forms=N operators=N" and exits 0, or prints an error and exits 1.
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <set>

namespace {

// Content-stream callbacks that only count operators.
class CountingCallbacks : public QPDFObjectHandle::ParserCallbacks {
 public:
  // Counts an operator; ignores operands.
  void handleObject(QPDFObjectHandle object) override {
    if (object.isOperator()) ++operators_;
  }
  // Called at the end of each content stream; nothing to do.
  void handleEOF() override {}

  std::uint64_t operators() const { return operators_; }

 private:
  std::uint64_t operators_ = 0;
};

struct FloorStats {
  std::size_t pages = 0;
  std::size_t objects = 0;
  std::size_t forms = 0;
  std::uint64_t operators = 0;
};

// Tokenises every form XObject reachable from a page that has not been seen yet.
void parse_forms(QPDFPageObjectHelper& page, std::set<QPDFObjGen>& seen,
                 CountingCallbacks& callbacks, FloorStats& stats) {
  page.forEachFormXObject(true, [&](QPDFObjectHandle& form, QPDFObjectHandle&, std::string const&) {
    if (!seen.insert(form.getObjGen()).second) return;
    form.parseAsContents(&callbacks);
    ++stats.forms;
  });
}

// Runs the floor work on one file and returns what it saw; throws on a broken file.
FloorStats run_floor(const char* path) {
  QPDF pdf;
  pdf.setSuppressWarnings(true);
  pdf.processFile(path);
  FloorStats stats;
  // The trailer's /Size, not getObjectCount(): that one resolves every object first.
  stats.objects = static_cast<std::size_t>(pdf.getTrailer().getKey("/Size").getIntValueAsInt());
  CountingCallbacks callbacks;
  std::set<QPDFObjGen> seen_forms;
  for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    page.parseContents(&callbacks);
    parse_forms(page, seen_forms, callbacks, stats);
    ++stats.pages;
  }
  stats.operators = callbacks.operators();
  return stats;
}

}  // namespace

// Parses the command line, runs the floor, prints its counters.
int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.pdf\n", argv[0]);
    return 2;
  }
  try {
    const FloorStats stats = run_floor(argv[1]);
    std::printf("pages=%zu objects=%zu forms=%zu operators=%llu\n", stats.pages, stats.objects,
                stats.forms, static_cast<unsigned long long>(stats.operators));
    return 0;
  } catch (const std::exception& e) {
    std::printf("error %s\n", e.what());
    return 1;
  }
}
