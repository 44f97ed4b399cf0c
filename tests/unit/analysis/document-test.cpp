// document-test.cpp: format sniffing and analyze_document's dispatch and input checks.
#include "analysis/document.h"

#include <gtest/gtest.h>

#include "support/temp-dir.h"

namespace pp {
namespace {

class Sniffing : public ::testing::Test {
 protected:
  std::string sniff(const std::string& bytes) {
    test::write_file(path_, bytes);
    return sniff_document_format(path_);
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("doc");
};

TEST_F(Sniffing, KnownMagicNumbers) {
  EXPECT_EQ(sniff("%PDF-1.7\n..."), "application/pdf");
  EXPECT_EQ(sniff(std::string("RaS2") + std::string(100, '\0')), "image/pwg-raster");
  EXPECT_EQ(sniff(std::string("RaS3") + std::string(100, '\0')), "application/vnd.cups-raster");
  EXPECT_EQ(sniff("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "image/jpeg");
  EXPECT_EQ(sniff("%!PS-Adobe-3.0\n"), "application/postscript");
  EXPECT_EQ(sniff("%!\n/x 1 def\n"), "application/postscript");
  EXPECT_EQ(sniff("\xC5\xD0\xD3\xC6 binary EPS header"), "application/postscript");
  EXPECT_EQ(sniff("UNIRAST\0\0\0\0\1"), "image/urf");
}

TEST_F(Sniffing, PdfAfterJunkWithinTheFirstKilobyte) {
  EXPECT_EQ(sniff(std::string(500, 'j') + "%PDF-1.4\n"), "application/pdf");
  EXPECT_EQ(sniff("\x1B%-12345X@PJL ENTER LANGUAGE=PDF\r\n%PDF-1.4\n"), "application/pdf");
  EXPECT_EQ(sniff(std::string(1100, 'j') + "%PDF-1.4\n"), "");
}

TEST_F(Sniffing, UnknownAndEmptyAreEmpty) {
  EXPECT_EQ(sniff("hello world"), "");
  EXPECT_EQ(sniff(""), "");
  EXPECT_EQ(sniff("\x89PNG\r\n\x1A\n"), "");
  EXPECT_EQ(sniff_document_format(dir_.file("missing")), "");
}

class AnalyzeDocument : public ::testing::Test {
 protected:
  Status analyze(const std::string& bytes) {
    test::write_file(path_, bytes);
    return analyze_document(path_, options_).status();
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("job");
  AnalysisOptions options_;
};

TEST_F(AnalyzeDocument, EmptyFileIsAClearError) {
  Status status = analyze("");
  EXPECT_EQ(status.code(), Code::kMalformedDocument);
  EXPECT_NE(status.message().find("empty"), std::string::npos) << status.message();
}

TEST_F(AnalyzeDocument, MissingFileIsNotFound) {
  EXPECT_EQ(analyze_document(dir_.file("missing"), options_).status().code(), Code::kNotFound);
}

TEST_F(AnalyzeDocument, SizeLimitIsCheckedFirst) {
  options_.max_file_bytes = 10;
  Status status = analyze("%PDF-1.4 and more than ten bytes");
  EXPECT_EQ(status.code(), Code::kLimitExceeded);
}

TEST_F(AnalyzeDocument, UnknownFormatNamesWhatWasSeen) {
  Status status = analyze("\x89PNG\r\n\x1A\n rest");
  EXPECT_EQ(status.code(), Code::kUnsupportedFormat);
  EXPECT_NE(status.message().find("89 50 4E 47"), std::string::npos) << status.message();
  status = analyze("hello world");
  EXPECT_NE(status.message().find("\"hello wo\""), std::string::npos) << status.message();
}

TEST_F(AnalyzeDocument, AppleRasterIsUnsupportedForNow) {
  Status status = analyze(std::string("UNIRAST\0", 8) + std::string(40, '\0'));
  EXPECT_EQ(status.code(), Code::kUnsupportedFormat);
  EXPECT_NE(status.message().find("image/urf"), std::string::npos) << status.message();
}

TEST_F(AnalyzeDocument, DispatchesByContentNotName) {
  // A PostScript program saved as .pdf is still analysed as PostScript.
  path_ = dir_.file("misnamed.pdf");
  test::write_file(path_, "%!PS\n0.5 setgray 72 72 100 100 rectfill showpage\n");
  Result<DocumentInfo> info = analyze_document(path_, options_);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->format, "application/postscript");
  EXPECT_EQ(info->page_count(), 1);
}

TEST_F(AnalyzeDocument, GarbageJpegIsMalformed) {
  Status status = analyze(std::string("\xFF\xD8\xFF\xE0") + std::string(100, 'x'));
  EXPECT_EQ(status.code(), Code::kMalformedDocument);
}

}  // namespace
}  // namespace pp
