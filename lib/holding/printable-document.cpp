// printable-document.cpp: what a held job keeps is what its release printer gets.
//
// PostScript is converted to PDF once, when the job is held, by Ghostscript in a bounded child
// process (analysis/ghostscript.h: -dSAFER, CPU/memory/wall-clock limits, never linked); that
// PDF is then analysed, priced, stored and released like any PDF. Why this rather than keeping
// the PDF the analyser child makes while it prices PostScript:
//  - the analyser's contract stays one JSON answer (the CUPS filter shares it); handing a file
//    back out of a child that may be killed at any limit would need a path chosen by the parent
//    and clean-up of half-written output;
//  - it costs the same single Ghostscript run: the analyser then reads a PDF and runs none;
//  - the bytes that are priced are the bytes that are printed, and a PostScript program that
//    fails or runs away refuses the job at submission, before anything is reserved, never at
//    the printer;
//  - release printers get PDF (the queue's own format), whatever PostScript interpreter they
//    have or lack.
#include "analysis/document.h"
#include "analysis/ghostscript.h"
#include "holding/holding.h"
#include "pricing/engine-config.h"

namespace pp {

Result<PrintableDocument> printable_document(const std::string& received, const Config& config) {
  PrintableDocument document;
  document.path = received;
  if (sniff_document_format(received) != "application/postscript") return document;
  Result<AnalysisOptions> options = analysis_options_from_config(config);
  if (!options) return options.status();
  // The analyser's own size check, before Ghostscript runs the program at all.
  if (Status size = check_document_size(received, *options, "the document"); !size.is_ok())
    return size;
  Result<ScopedTempDir> temp = ScopedTempDir::create("pullprint-ps");
  if (!temp) return temp.status();
  const std::string pdf = temp->file("converted.pdf");
  if (Status converted = ghostscript_convert_to_pdf(received, pdf, *options); !converted.is_ok())
    return Status(converted.code(),
                  "cannot convert the PostScript document to PDF: " + converted.message());
  document.path = pdf;
  document.temp = std::move(*temp);
  return document;
}

}  // namespace pp
