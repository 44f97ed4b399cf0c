// ghostscript-test.cpp: the Ghostscript slow path and PostScript conversion, with the real gs.
#include "analysis/ghostscript.h"

#include <gtest/gtest.h>

#include <chrono>

#include "support/temp-dir.h"

namespace pp {
namespace {

// A minimal valid PDF, one page (A4) per content stream, with a correct xref table.
std::string minimal_pdf(const std::vector<std::string>& page_contents) {
  std::vector<std::string> objects;
  std::string kids;
  const int pages = static_cast<int>(page_contents.size());
  for (int i = 0; i < pages; ++i) kids += std::to_string(3 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  for (int i = 0; i < pages; ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " +
                      std::to_string(4 + 2 * i) + " 0 R >>");
    const std::string& content = page_contents[static_cast<std::size_t>(i)];
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                      "\nendstream");
  }
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A filled rectangle in the given colour operator ("0.5 g", "1 0 0 rg", ...).
std::string filled_box(const std::string& color) {
  return color + " 100 100 200 200 re f";
}

class GhostscriptSlowPath : public ::testing::Test {
 protected:
  void SetUp() override {
    pdf_ = dir_.file("mixed.pdf");
    test::write_file(pdf_, minimal_pdf({
                               filled_box("0.5 g"),                   // 1 DeviceGray
                               filled_box("1 0 0 rg"),                // 2 red
                               filled_box("0.4 0.4 0.4 0 k"),         // 3 CMYK grey
                               filled_box("0.3 0.3 0.3 rg"),          // 4 RGB grey
                               filled_box("0.5 0.5 0.52 rg"),         // 5 slightly blue
                               "0 0 1 RG 1 w 300 300 m 301 700 l S",  // 6 thin blue line
                           }));
  }

  test::TempDir dir_;
  std::string pdf_;
  AnalysisOptions options_;
};

TEST_F(GhostscriptSlowPath, JudgesEachRequestedPageInTheCallersOrder) {
  Result<std::vector<bool>> color =
      ghostscript_pages_have_color(pdf_, {2, 1, 3, 4, 2, 6}, options_);
  ASSERT_TRUE(color.ok()) << color.status().to_string();
  EXPECT_EQ(*color, (std::vector<bool>{true, false, false, false, true, true}));
}

TEST_F(GhostscriptSlowPath, NeutralToleranceApplies) {
  Result<std::vector<bool>> strict = ghostscript_pages_have_color(pdf_, {5}, options_);
  ASSERT_TRUE(strict.ok()) << strict.status().to_string();
  EXPECT_EQ(*strict, std::vector<bool>{true});
  options_.neutral_tolerance = 10;
  Result<std::vector<bool>> lenient = ghostscript_pages_have_color(pdf_, {5}, options_);
  ASSERT_TRUE(lenient.ok()) << lenient.status().to_string();
  EXPECT_EQ(*lenient, std::vector<bool>{false});
}

TEST_F(GhostscriptSlowPath, PageBeyondTheEndIsAnError) {
  Result<std::vector<bool>> color = ghostscript_pages_have_color(pdf_, {1, 9}, options_);
  ASSERT_FALSE(color.ok());
  EXPECT_EQ(color.status().code(), Code::kMalformedDocument);
}

TEST_F(GhostscriptSlowPath, EmptyPageListNeedsNoGhostscript) {
  options_.ghostscript = "/nonexistent/gs";
  Result<std::vector<bool>> color = ghostscript_pages_have_color(pdf_, {}, options_);
  ASSERT_TRUE(color.ok());
  EXPECT_TRUE(color->empty());
}

TEST_F(GhostscriptSlowPath, MissingGhostscriptIsAnError) {
  options_.ghostscript = "/nonexistent/gs";
  Result<std::vector<bool>> color = ghostscript_pages_have_color(pdf_, {1}, options_);
  ASSERT_FALSE(color.ok());
  EXPECT_NE(color.status().message().find("/nonexistent/gs"), std::string::npos);
}

TEST(GhostscriptConvert, PostScriptBecomesPdf) {
  test::TempDir dir;
  test::write_file(dir.file("in.ps"), "%!PS\n0.5 setgray 72 72 100 100 rectfill showpage\n");
  Status status = ghostscript_convert_to_pdf(dir.file("in.ps"), dir.file("out.pdf"), {});
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(test::read_file(dir.file("out.pdf")).substr(0, 5), "%PDF-");
}

TEST(GhostscriptConvert, PostScriptErrorCarriesGhostscriptsMessage) {
  test::TempDir dir;
  test::write_file(dir.file("bad.ps"), "%!PS\n0 0 moveto nosuchoperator\nshowpage\n");
  Status status = ghostscript_convert_to_pdf(dir.file("bad.ps"), dir.file("out.pdf"), {});
  EXPECT_EQ(status.code(), Code::kMalformedDocument);
  EXPECT_NE(status.message().find("Error: /undefined in nosuchoperator"), std::string::npos)
      << status.message();
}

TEST(GhostscriptConvert, InfiniteLoopIsStoppedByTheCpuLimit) {
  test::TempDir dir;
  test::write_file(dir.file("loop.ps"), "%!PS\n{} loop\n");
  AnalysisOptions options;
  options.child_cpu_seconds = 1;
  options.child_timeout_seconds = 30;
  auto started = std::chrono::steady_clock::now();
  Status status = ghostscript_convert_to_pdf(dir.file("loop.ps"), dir.file("out.pdf"), options);
  EXPECT_EQ(status.code(), Code::kLimitExceeded) << status.to_string();
  EXPECT_NE(status.message().find("CPU time limit"), std::string::npos) << status.message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(GhostscriptConvert, InfiniteLoopIsStoppedByTheWallClock) {
  test::TempDir dir;
  test::write_file(dir.file("loop.ps"), "%!PS\n{} loop\n");
  AnalysisOptions options;
  options.child_cpu_seconds = 0;  // no CPU limit: only the timeout can stop it
  options.child_timeout_seconds = 2;
  auto started = std::chrono::steady_clock::now();
  Status status = ghostscript_convert_to_pdf(dir.file("loop.ps"), dir.file("out.pdf"), options);
  EXPECT_EQ(status.code(), Code::kLimitExceeded) << status.to_string();
  EXPECT_EQ(status.message(), "ghostscript timed out after 2 s");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(6));
}

TEST(GhostscriptConvert, MemoryLimitIsEnforced) {
  // Ten arrays of a million elements need about 160 MB: 128 MB of address space is too little.
  test::TempDir dir;
  test::write_file(dir.file("big.ps"),
                   "%!PS\n/a [ 1 1 10 { pop 1000000 array } for ] def showpage\n");
  AnalysisOptions options;
  options.child_memory_bytes = 128ull * 1024 * 1024;
  Status status = ghostscript_convert_to_pdf(dir.file("big.ps"), dir.file("out.pdf"), options);
  EXPECT_EQ(status.code(), Code::kMalformedDocument) << status.to_string();
  EXPECT_NE(status.message().find("VMerror"), std::string::npos) << status.message();
  AnalysisOptions unlimited;
  EXPECT_TRUE(
      ghostscript_convert_to_pdf(dir.file("big.ps"), dir.file("out.pdf"), unlimited).is_ok());
}

}  // namespace
}  // namespace pp
