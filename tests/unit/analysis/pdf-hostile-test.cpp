// pdf-hostile-test.cpp: malformed and hostile PDFs: clear errors, never "0 pages", bounded work.
#include <cstdlib>

#include "unit/analysis/pdf-fixture.h"

namespace pp::test {
namespace {

class PdfHostileTest : public PdfTest {
 protected:
  Result<DocumentInfo> analyze_bytes(const std::string& bytes) {
    std::string path = dir.file("input.pdf");
    write_file(path, bytes);
    return analyze_pdf(path, options);
  }
  // A nested chain of `depth` forms, the innermost painting `paint`.
  QPDFObjectHandle form_chain(int depth, const std::string& paint) {
    QPDFObjectHandle form = pdf.form(paint);
    for (int i = 1; i < depth; ++i) form = pdf.form("/Fm1 Do", dict({{"/XObject", dict({{"/Fm1", form}})}}));
    return form;
  }
};

TEST_F(PdfHostileTest, GarbageIsMalformed) {
  Result<DocumentInfo> info = analyze_bytes("this is not a PDF at all, just some words\n");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kMalformedDocument);
  EXPECT_FALSE(info.status().message().empty());
}

TEST_F(PdfHostileTest, TruncatedFileWithPagesLeftIsRecovered) {
  pdf.add_page("1 0 0 rg 0 0 10 10 re f");
  pdf.add_page("0 g 0 0 10 10 re f");
  pdf.write(dir.file("full.pdf"));
  std::string bytes = read_file(dir.file("full.pdf"));
  // Cut off the cross-reference table and trailer: qpdf reconstructs from the objects.
  Result<DocumentInfo> info = analyze_bytes(bytes.substr(0, bytes.rfind("xref")));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->page_count(), 2);
  EXPECT_TRUE(info->pages[0].color);
}

TEST_F(PdfHostileTest, TruncatedFileWithNoPagesIsAnError) {
  pdf.add_page("0 g 0 0 10 10 re f");
  pdf.write(dir.file("full.pdf"));
  std::string bytes = read_file(dir.file("full.pdf"));
  Result<DocumentInfo> info = analyze_bytes(bytes.substr(0, 40));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kMalformedDocument);
}

TEST_F(PdfHostileTest, ZeroPagesIsAnError) {
  Result<DocumentInfo> info = analyze();  // emptyPDF() with no page added
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kMalformedDocument);
  EXPECT_NE(info.status().message().find("no pages"), std::string::npos);
}

TEST_F(PdfHostileTest, EncryptedWithUserPasswordIsAClearError) {
  pdf.add_page("0 g 0 0 10 10 re f");
  std::string path = dir.file("secret.pdf");
  pdf.write(path, "secret");
  Result<DocumentInfo> info = analyze_pdf(path, options);
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find("password"), std::string::npos) << info.status().to_string();
}

TEST_F(PdfHostileTest, MissingFileIsIoError) {
  Result<DocumentInfo> info = analyze_pdf(dir.file("nope.pdf"), options);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kIoError);
}

TEST_F(PdfHostileTest, FileSizeLimit) {
  pdf.add_page("0 g 0 0 10 10 re f");
  options.max_file_bytes = 100;
  Result<DocumentInfo> info = analyze();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
}

TEST_F(PdfHostileTest, PageLimit) {
  for (int i = 0; i < 3; ++i) pdf.add_page("");
  options.max_pages = 2;
  Result<DocumentInfo> info = analyze();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
}

TEST_F(PdfHostileTest, OperatorLimitCountsAcrossTheDocument) {
  pdf.add_page("0 g 0 0 1 1 re f 0 0 1 1 re f");  // 5 operators
  pdf.add_page("0 g 0 0 1 1 re f 0 0 1 1 re f");  // 10 in all
  options.max_operators = 8;
  Result<DocumentInfo> info = analyze();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
  options.max_operators = 10;
  EXPECT_TRUE(analyze().ok());
}

TEST_F(PdfHostileTest, DeeplyNestedFormsHitTheNestingLimit) {
  options.max_nesting = 5;
  pdf.add_page("/Fm1 Do", dict({{"/XObject", dict({{"/Fm1", form_chain(8, "0 g 0 0 1 1 re f")}})}}));
  Result<DocumentInfo> info = analyze();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
}

TEST_F(PdfHostileTest, NestingWithinTheLimitIsFollowed) {
  options.max_nesting = 5;
  pdf.add_page("/Fm1 Do", dict({{"/XObject", dict({{"/Fm1", form_chain(4, "1 0 0 rg 0 0 1 1 re f")}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{true}));
}

TEST_F(PdfHostileTest, SelfReferencingFormTerminates) {
  QPDFObjectHandle grey = pdf.form("0 g 0 0 10 10 re f /Me Do");
  grey.getDict().replaceKey("/Resources", dict({{"/XObject", dict({{"/Me", grey}})}}));
  QPDFObjectHandle red = pdf.form("/Me Do 1 0 0 rg 0 0 10 10 re f");
  red.getDict().replaceKey("/Resources", dict({{"/XObject", dict({{"/Me", red}})}}));
  pdf.add_page("/Fm1 Do", dict({{"/XObject", dict({{"/Fm1", grey}})}}));
  pdf.add_page("/Fm1 Do", dict({{"/XObject", dict({{"/Fm1", red}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfHostileTest, MutuallyRecursivePatternsTerminate) {
  QPDFObjectHandle a = pdf.stream("<< /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 10 10] /XStep 10 /YStep 10 >>",
                                  "/Pattern cs /B scn 0 0 10 10 re f");
  QPDFObjectHandle b = pdf.stream("<< /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 10 10] /XStep 10 /YStep 10 >>",
                                  "/Pattern cs /A scn 0 0 10 10 re f 0 1 0 rg 0 0 1 1 re f");
  QPDFObjectHandle res = dict({{"/Pattern", dict({{"/A", a}, {"/B", b}})}});
  a.getDict().replaceKey("/Resources", res);
  b.getDict().replaceKey("/Resources", res);
  EXPECT_TRUE(page_is_color("/Pattern cs /A scn 0 0 100 100 re f", res));
}

TEST_F(PdfHostileTest, HugeImageDimensionsAreNotDecoded) {
  // Claims 100000 x 100000 pixels: over the pixel limit, so undecidable (colour without the
  // slow path), and no attempt to allocate or decode it.
  QPDFObjectHandle image = pdf.image(100000, 100000, "/DeviceRGB", 8, "tiny");
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", image}})}}));
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_TRUE(info->pages[0].color);
}

TEST_F(PdfHostileTest, BrokenContentStreamOperandsAreSkipped) {
  // Unbalanced brackets, stray operators and garbage must not crash or stop the analysis.
  EXPECT_TRUE(page_is_color("] >> 0 0 0 ) rg [ 1 2 m 5 Tf /X Do 1 0 0 rg 0 0 10 10 re f"));
}

TEST_F(PdfHostileTest, FailedSlowPathCountsUndecidablePageAsColor) {
  QPDFObjectHandle image = pdf.stream("<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8 >>", "");
  image.replaceStreamData("not really jpeg 2000", QPDFObjectHandle::newName("/JPXDecode"), QPDFObjectHandle::newNull());
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", image}})}}));
  pdf.add_page("0 g 0 0 10 10 re f");
  options.allow_slow_path = true;
  options.ghostscript = "/nonexistent/gs";  // the slow path fails: the page stays colour
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_TRUE(info->pages[0].color);
  EXPECT_EQ(info->pages[0].method, ColorMethod::kContent);
  EXPECT_EQ(info->pages[1].method, ColorMethod::kContent);
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

// The slow path for real: pages with PostScript-calculator shadings are rasterised by Ghostscript.
TEST_F(PdfHostileTest, SlowPathRasterisesUndecidablePages) {
  if (system("command -v gs >/dev/null 2>&1") != 0) GTEST_SKIP() << "Ghostscript (gs) is not installed";
  auto shading = [&](const std::string& program) {
    QPDFObjectHandle f = pdf.stream("<< /FunctionType 4 /Domain [0 1] /Range [0 1 0 1 0 1] >>", program);
    QPDFObjectHandle sh = pdf.parse("<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 595 0] >>");
    sh.replaceKey("/Function", f);
    return dict({{"/Shading", dict({{"/Sh1", sh}})}});
  };
  pdf.add_page("/Sh1 sh", shading("{ dup dup }"));        // grey ramp
  pdf.add_page("/Sh1 sh", shading("{ pop 1 0 0 }"));      // red
  pdf.add_page("0 0 1 rg 0 0 100 100 re f");              // decided from content
  options.allow_slow_path = true;
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->pages[0].method, ColorMethod::kRasterized);
  EXPECT_FALSE(info->pages[0].color);
  EXPECT_EQ(info->pages[1].method, ColorMethod::kRasterized);
  EXPECT_TRUE(info->pages[1].color);
  EXPECT_EQ(info->pages[2].method, ColorMethod::kContent);
  EXPECT_TRUE(info->pages[2].color);
}

}  // namespace
}  // namespace pp::test
