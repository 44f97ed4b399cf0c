// pdf-fixture.h: the fixture shared by the PDF analyser tests: build a PDF, analyse it.
#pragma once

#include <gtest/gtest.h>

#include "analysis/document.h"
#include "support/pdf-builder.h"
#include "support/temp-dir.h"

namespace pp::test {

class PdfTest : public ::testing::Test {
 protected:
  PdfTest() {
    options.allow_slow_path = false;  // unit tests never run Ghostscript unless they say so
  }

  // Writes the document and analyses it.
  Result<DocumentInfo> analyze() {
    std::string path = dir.file("test.pdf");
    pdf.write(path);
    return analyze_pdf(path, options);
  }

  // Colour decision of every page (fails the test if analysis fails).
  std::vector<bool> page_colors() {
    Result<DocumentInfo> info = analyze();
    EXPECT_TRUE(info.ok()) << info.status().to_string();
    std::vector<bool> colors;
    if (info.ok()) {
      for (const PageInfo& page : info->pages) colors.push_back(page.color);
    }
    return colors;
  }

  // Colour decision of a one-page document with this content and resources.
  bool page_is_color(const std::string& content, QPDFObjectHandle resources = {}) {
    pdf.add_page(content, resources);
    std::vector<bool> colors = page_colors();
    EXPECT_EQ(colors.size(), 1u);
    return !colors.empty() && colors[0];
  }

  TempDir dir;
  PdfBuilder pdf;
  AnalysisOptions options;
};

// Text content with font F1 at 12 pt, at x y, with a fill colour operator prefix.
inline std::string text_at(const std::string& color, double x, double y, const std::string& extra = "") {
  return color + " BT /F1 12 Tf " + extra + " " + std::to_string(x) + " " + std::to_string(y) +
         " Td (Hello world) Tj ET";
}

}  // namespace pp::test
