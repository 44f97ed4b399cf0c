// postscript-test.cpp: analyze_postscript runs real Ghostscript and the PDF analyser.
#include <gtest/gtest.h>

#include "analysis/document.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

class PostScript : public ::testing::Test {
 protected:
  Result<DocumentInfo> analyze(const std::string& program) {
    test::write_file(path_, program);
    return analyze_postscript(path_, options_);
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("job.ps");
  AnalysisOptions options_;
};

TEST_F(PostScript, ThreePagesGreyColourGrey) {
  Result<DocumentInfo> info = analyze(
      "%!PS-Adobe-3.0\n"
      "0.5 setgray 72 72 200 200 rectfill showpage\n"
      "1 0 0 setrgbcolor 72 72 200 200 rectfill showpage\n"
      "0.3 0.3 0.3 setrgbcolor /Helvetica findfont 24 scalefont setfont 72 500 moveto\n"
      "(grey text) show showpage\n");
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->format, "application/postscript");
  ASSERT_EQ(info->page_count(), 3);
  EXPECT_FALSE(info->pages[0].color);
  EXPECT_TRUE(info->pages[1].color);
  EXPECT_FALSE(info->pages[2].color);
  EXPECT_EQ(info->pages[0].media, "iso_a4_210x297mm");  // the default media
}

TEST_F(PostScript, PageSizeFromSetpagedevice) {
  options_.default_media = "iso_a4_210x297mm";
  Result<DocumentInfo> info = analyze(
      "%!PS\n<< /PageSize [612 792] >> setpagedevice\n"
      "0 setgray 72 72 moveto 200 200 lineto stroke showpage\n");
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  ASSERT_EQ(info->page_count(), 1);
  EXPECT_EQ(info->pages[0].media, "na_letter_8.5x11in");
}

TEST_F(PostScript, DefaultMediaIsUsedWhenTheProgramSetsNone) {
  options_.default_media = "na_letter_8.5x11in";
  Result<DocumentInfo> info = analyze("%!PS\n0 setgray 72 72 100 100 rectfill showpage\n");
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->pages.at(0).media, "na_letter_8.5x11in");
}

TEST_F(PostScript, ErrorInTheProgramCarriesGhostscriptsText) {
  Result<DocumentInfo> info = analyze("%!PS\n72 72 moveto 1 2 3 nosuchop\nshowpage\n");
  test::expect_failure(info, Code::kMalformedDocument, "/undefined in nosuchop");
}

TEST_F(PostScript, ProgramWithoutShowpageIsNeverZeroPages) {
  // pdfwrite always emits at least one page, so this is one blank grey page (a printer fed by
  // gstoraster would print nothing: a known, cheap over-count); what must never happen is an
  // ok answer with no pages.
  Result<DocumentInfo> info = analyze("%!PS\n1 1 add pop\n");
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  ASSERT_EQ(info->page_count(), 1);
  EXPECT_FALSE(info->pages[0].color);
}

TEST_F(PostScript, InfiniteLoopIsKilledWithinTheLimits) {
  options_.child_cpu_seconds = 2;
  options_.child_timeout_seconds = 4;
  Result<DocumentInfo> info = analyze("%!PS\n{} loop\n");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded) << info.status().to_string();
}

}  // namespace
}  // namespace pp
