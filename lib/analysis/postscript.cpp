// postscript.cpp: PostScript is a program, not a document: Ghostscript runs it (bounded, as a
// child process) into PDF, and the PDF analyser judges what it paints.
#include "analysis/document.h"
#include "analysis/ghostscript.h"
#include "util/scoped-temp-dir.h"

namespace pp {

Result<DocumentInfo> analyze_postscript(const std::string& path, const AnalysisOptions& options) {
  Result<ScopedTempDir> dir = ScopedTempDir::create("pullprint-ps");
  if (!dir.ok()) return dir.status();
  const std::string pdf = dir->file("converted.pdf");
  Status converted = ghostscript_convert_to_pdf(path, pdf, options);
  if (!converted.is_ok()) {
    return Status(converted.code(),
                  "cannot convert PostScript " + path + " to PDF: " + converted.message());
  }
  Result<DocumentInfo> info = analyze_pdf(pdf, options);
  if (!info.ok()) {
    Status failed = info.status();
    return Status(failed.code(), "PostScript " + path + " (converted to PDF): " + failed.message());
  }
  if (info->pages.empty()) {  // a program that never calls showpage
    return Status(Code::kMalformedDocument, "PostScript " + path + " printed no pages");
  }
  info->format = "application/postscript";
  return info;
}

}  // namespace pp
