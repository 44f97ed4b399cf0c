// qpdf-floor.cpp: the "parse floor" of the analysis benchmark.
//
// Does the least work any libqpdf-based, content-stream analyser must do on a PDF: open it, walk
// the page tree, decode the content streams of every page and of every form XObject reachable
// from the pages' resources (each form once), and split them into tokens with QPDFTokenizer, the
// lexer our analyser uses too. It counts operators, skips inline image data, and builds no objects
// and no graphics state. Objects nothing leads to are not parsed (QPDF::getAllObjects would add
// ~25% time and ~55 MB on a 60,000-object pdfTeX file), and image data is not decoded.
//
// Usage: pullprint-qpdf-floor FILE
// Prints "pages=N objects=N (xref size) forms=N operators=N" and exits 0, or an error and exits 1.
#include <qpdf/Buffer.hh>
#include <qpdf/BufferInputSource.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFTokenizer.hh>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <set>
#include <string>

namespace {

struct FloorStats {
  std::size_t pages = 0;
  std::size_t objects = 0;
  std::size_t forms = 0;
  std::uint64_t operators = 0;
};

// Decodes one content stream and tokenises it; returns the number of operators.
std::uint64_t tokenise_stream(QPDFObjectHandle stream) {
  if (!stream.isStream()) return 0;
  std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_generalized);
  auto input = std::make_shared<BufferInputSource>("content", data.get());
  QPDFTokenizer tokenizer;
  tokenizer.allowEOF();
  std::uint64_t operators = 0;
  for (;;) {
    const QPDFTokenizer::Token token = tokenizer.readToken(input, "content", true);
    if (token.getType() == QPDFTokenizer::tt_eof) return operators;
    if (token.getType() != QPDFTokenizer::tt_word) continue;
    ++operators;
    if (token.isWord("ID")) tokenizer.expectInlineImage(input);  // next token: the image data
  }
}

// Tokenises a page's /Contents, a stream or an array of streams.
std::uint64_t tokenise_page(QPDFPageObjectHelper& page) {
  QPDFObjectHandle contents = page.getObjectHandle().getKey("/Contents");
  if (!contents.isArray()) return tokenise_stream(contents);
  std::uint64_t operators = 0;
  for (auto& item : contents.aitems()) operators += tokenise_stream(item);
  return operators;
}

// Tokenises every form XObject reachable from a page that has not been seen yet.
void tokenise_forms(QPDFPageObjectHelper& page, std::set<QPDFObjGen>& seen, FloorStats& stats) {
  page.forEachFormXObject(true, [&](QPDFObjectHandle& form, QPDFObjectHandle&, std::string const&) {
    if (!seen.insert(form.getObjGen()).second) return;
    stats.operators += tokenise_stream(form);
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
  std::set<QPDFObjGen> seen_forms;
  for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    stats.operators += tokenise_page(page);
    tokenise_forms(page, seen_forms, stats);
    ++stats.pages;
  }
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
