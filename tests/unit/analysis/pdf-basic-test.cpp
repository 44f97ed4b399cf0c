// pdf-basic-test.cpp: PDF analysis of plain colours, colour spaces, text modes, geometry, media.
#include "unit/analysis/pdf-fixture.h"

namespace pp::test {
namespace {

class PdfBasicTest : public PdfTest {
 protected:
  QPDFObjectHandle font_resources() {
    return dict({{"/Font", dict({{"/F1", pdf.parse("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")}})}});
  }
  // Resources with one named colour space /CS0.
  QPDFObjectHandle space_resources(const std::string& space) {
    return dict({{"/ColorSpace", dict({{"/CS0", pdf.parse(space)}})}});
  }
  bool fill_is_color(const std::string& space, const std::string& values) {
    return page_is_color("/CS0 cs " + values + " scn 10 10 100 100 re f", space_resources(space));
  }
};

TEST_F(PdfBasicTest, RgbGreyFillIsGreyRedIsColor) {
  EXPECT_FALSE(page_is_color("0.5 0.5 0.5 rg 10 10 100 100 re f 0 0 0 RG 0 0 m 100 100 l S"));
}

TEST_F(PdfBasicTest, NumbersInEveryPdfSpelling) {
  pdf.add_page(".5 0.5 +.50 rg 10 10 100 100 re f");
  pdf.add_page("1. -.0 0 rg 10 10 100 100 re f");
  pdf.add_page("0.500000000000000000001 0.5 0.5 rg 10 10 100 100 re f");
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true, false}));
}

TEST_F(PdfBasicTest, RgbRedFillIsColor) { EXPECT_TRUE(page_is_color("1 0 0 rg 10 10 100 100 re f")); }

TEST_F(PdfBasicTest, NeutralToleranceIsConfigurable) {
  options.neutral_tolerance = 10;
  EXPECT_FALSE(page_is_color("0.50 0.52 0.51 rg 10 10 100 100 re f"));
}

TEST_F(PdfBasicTest, NeutralToleranceZeroMakesTintedGreyColor) {
  options.neutral_tolerance = 0;
  EXPECT_TRUE(page_is_color("0.50 0.52 0.51 rg 10 10 100 100 re f"));
}

TEST_F(PdfBasicTest, CmykBlackTextIsGrey) { EXPECT_FALSE(page_is_color(text_at("0 0 0 1 k", 100, 700), font_resources())); }

TEST_F(PdfBasicTest, CmykCyanTextIsColor) { EXPECT_TRUE(page_is_color(text_at("1 0 0 0 k", 100, 700), font_resources())); }

TEST_F(PdfBasicTest, RichBlackIsGreyByDefault) { EXPECT_FALSE(page_is_color("0.6 0.4 0.3 1 k 10 10 100 100 re f")); }

TEST_F(PdfBasicTest, RichBlackIsColorWhenConfigured) {
  options.rich_black_is_color = true;
  EXPECT_TRUE(page_is_color("0.6 0.4 0.3 1 k 10 10 100 100 re f"));
}

TEST_F(PdfBasicTest, StrokeColorCounts) { EXPECT_TRUE(page_is_color("0 1 0 RG 2 w 10 10 m 200 200 l S")); }

TEST_F(PdfBasicTest, UnpaintedPathIsNotInk) { EXPECT_FALSE(page_is_color("1 0 0 rg 10 10 100 100 re n")); }

TEST_F(PdfBasicTest, GrayAndCalGrayAreGrey) {
  EXPECT_FALSE(fill_is_color("[/CalGray << /WhitePoint [0.95 1 1.09] >>]", "0.3"));
}

TEST_F(PdfBasicTest, CalRgbUsesRgbRule) {
  EXPECT_TRUE(fill_is_color("[/CalRGB << /WhitePoint [0.95 1 1.09] >>]", "0.2 0.9 0.2"));
}

TEST_F(PdfBasicTest, CalRgbGreyIsGrey) {
  EXPECT_FALSE(fill_is_color("[/CalRGB << /WhitePoint [0.95 1 1.09] >>]", "0.4 0.4 0.4"));
}

TEST_F(PdfBasicTest, LabNeutralIsGrey) { EXPECT_FALSE(fill_is_color("[/Lab << /WhitePoint [0.95 1 1.09] >>]", "50 0 0")); }

TEST_F(PdfBasicTest, LabChromaticIsColor) { EXPECT_TRUE(fill_is_color("[/Lab << /WhitePoint [0.95 1 1.09] >>]", "50 60 -20")); }

TEST_F(PdfBasicTest, IccBasedRgbJudgedByN) {
  QPDFObjectHandle icc = pdf.stream("<< /N 3 >>", "fake profile");
  pdf.add_page("/CS0 cs 0.3 0.3 0.3 scn 10 10 50 50 re f",
               dict({{"/ColorSpace", dict({{"/CS0", QPDFObjectHandle::newArray({QPDFObjectHandle::newName("/ICCBased"), icc})}})}}));
  pdf.add_page("/CS0 cs 0.9 0.3 0.3 scn 10 10 50 50 re f",
               dict({{"/ColorSpace", dict({{"/CS0", QPDFObjectHandle::newArray({QPDFObjectHandle::newName("/ICCBased"), icc})}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, IccBasedGrayIsGreyAndCmykUsesCmykRule) {
  QPDFObjectHandle gray = pdf.stream("<< /N 1 >>", "fake");
  QPDFObjectHandle cmyk = pdf.stream("<< /N 4 >>", "fake");
  auto res = [&](QPDFObjectHandle icc) {
    return dict({{"/ColorSpace", dict({{"/CS0", QPDFObjectHandle::newArray({QPDFObjectHandle::newName("/ICCBased"), icc})}})}});
  };
  pdf.add_page("/CS0 cs 0.7 scn 10 10 50 50 re f", res(gray));
  pdf.add_page("/CS0 cs 0 0.8 0 0 scn 10 10 50 50 re f", res(cmyk));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, IndexedFillUsesTheChosenEntry) {
  // Entry 0 is grey, entry 1 is red.
  const std::string space = "[/Indexed /DeviceRGB 1 <808080FF0000>]";
  pdf.add_page("/CS0 cs 0 scn 10 10 50 50 re f", space_resources(space));
  pdf.add_page("/CS0 cs 1 scn 10 10 50 50 re f", space_resources(space));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, SeparationBlackIsGrey) {
  EXPECT_FALSE(fill_is_color("[/Separation /Black /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>]", "1"));
}

TEST_F(PdfBasicTest, SeparationSpotIsColor) {
  EXPECT_TRUE(fill_is_color("[/Separation /PANTONE#20185 /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 1 1 0] /N 1 >>]", "0.5"));
}

TEST_F(PdfBasicTest, SeparationSpotAtZeroTintIsNoInk) {
  EXPECT_FALSE(fill_is_color("[/Separation /Gold /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0.2 1 0] /N 1 >>]", "0"));
}

TEST_F(PdfBasicTest, SeparationAllAndNoneAreGrey) {
  const std::string tint = "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 1 1 1] /N 1 >>";
  pdf.add_page("/CS0 cs 1 scn 10 10 50 50 re f", space_resources("[/Separation /All /DeviceCMYK " + tint + "]"));
  pdf.add_page("/CS0 cs 1 scn 10 10 50 50 re f", space_resources("[/Separation /None /DeviceCMYK " + tint + "]"));
  pdf.add_page("/CS0 cs 1 scn 10 10 50 50 re f", space_resources("[/Separation /Magenta /DeviceCMYK " + tint + "]"));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, false, true}));
}

TEST_F(PdfBasicTest, DeviceNProcessColorantsFollowCmykRule) {
  const std::string space =
      "[/DeviceN [/Cyan /Magenta /Yellow /Black] /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>]";
  pdf.add_page("/CS0 cs 0.2 0.2 0.2 0.5 scn 10 10 50 50 re f", space_resources(space));
  pdf.add_page("/CS0 cs 0 0.7 0 0 scn 10 10 50 50 re f", space_resources(space));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, DeviceNSpotColorantIsColorOnlyWithInk) {
  const std::string space = "[/DeviceN [/Black /None /Varnish] /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>]";
  pdf.add_page("/CS0 cs 1 1 0 scn 10 10 50 50 re f", space_resources(space));
  pdf.add_page("/CS0 cs 1 0 0.4 scn 10 10 50 50 re f", space_resources(space));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

// ---- text render modes ----

TEST_F(PdfBasicTest, InvisibleTextIsNotInk) {
  EXPECT_FALSE(page_is_color(text_at("1 0 0 rg", 100, 700, "3 Tr"), font_resources()));
}

TEST_F(PdfBasicTest, ClipOnlyTextIsNotInk) {
  EXPECT_FALSE(page_is_color(text_at("1 0 0 rg", 100, 700, "7 Tr"), font_resources()));
}

TEST_F(PdfBasicTest, FilledRedTextIsColor) {
  EXPECT_TRUE(page_is_color(text_at("1 0 0 rg", 100, 700, "0 Tr"), font_resources()));
}

TEST_F(PdfBasicTest, StrokedTextUsesStrokeColor) {
  pdf.add_page(text_at("0 0 0 rg 1 0 0 RG", 100, 700, "1 Tr"), font_resources());
  pdf.add_page(text_at("1 0 0 rg 0 0 0 RG", 100, 700, "1 Tr"), font_resources());
  pdf.add_page(text_at("1 0 0 rg 0 0 0 RG", 100, 700, "2 Tr"), font_resources());
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, false, true}));
}

TEST_F(PdfBasicTest, TextClipModeClipsLaterPaint) {
  // Text at the top of the page in mode 7 becomes the clip; a red box at the bottom is clipped away.
  pdf.add_page("BT /F1 12 Tf 7 Tr 100 800 Td (Hi) Tj ET 1 0 0 rg 0 0 100 100 re f", font_resources());
  pdf.add_page("BT /F1 12 Tf 7 Tr 100 800 Td (Hi) Tj ET 1 0 0 rg 0 700 595 142 re f", font_resources());
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

// ---- geometry: off-page and clipped paint ----

TEST_F(PdfBasicTest, PaintOutsideThePageIsNotInk) {
  pdf.add_page("1 0 0 rg -300 -300 200 200 re f 1 0 0 rg 700 100 50 50 re f");
  pdf.add_page("1 0 0 rg -50 -50 100 100 re f");  // partly on the page
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, ClippedAwayPaintIsNotInk) {
  pdf.add_page("0 0 10 10 re W n 1 0 0 rg 100 100 50 50 re f");
  pdf.add_page("q 0 0 10 10 re W n Q 1 0 0 rg 100 100 50 50 re f");  // Q restores the clip
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, TransformedPaintFollowsTheCtm) {
  pdf.add_page("q 1 0 0 1 2000 0 cm 1 0 0 rg 0 0 100 100 re f Q");
  pdf.add_page("q 0.1 0 0 0.1 0 0 cm 1 0 0 rg 1000 1000 100 100 re f Q");
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, TextOutsideThePageIsNotInk) {
  pdf.add_page(text_at("1 0 0 rg", 900, 700), font_resources());
  pdf.add_page(text_at("1 0 0 rg", 500, 700), font_resources());
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, TextWidthsComeFromTheFont) {
  // Starts left of the page; with /Widths of 600 the 11 glyphs reach x = -100 + 79 < 0 only,
  // while a 20-glyph string at 12 pt is 144 pt long and reaches into the page.
  std::string widths;
  for (int i = 0; i < 95; ++i) widths += "600 ";
  QPDFObjectHandle font = pdf.parse("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /FirstChar 32 /LastChar 126 /Widths [" +
                                    widths + "] >>");
  QPDFObjectHandle res = dict({{"/Font", dict({{"/F1", font}})}});
  pdf.add_page("1 0 0 rg BT /F1 12 Tf -100 700 Td (Hello world) Tj ET", res);
  pdf.add_page("1 0 0 rg BT /F1 12 Tf -100 700 Td (Hello world, it is me) Tj ET", res);
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfBasicTest, CropBoxLimitsThePage) {
  QPDFObjectHandle page = pdf.add_page("1 0 0 rg 400 400 100 100 re f");
  page.replaceKey("/CropBox", pdf.parse("[0 0 300 300]"));
  pdf.add_page("1 0 0 rg 200 200 50 50 re f").replaceKey("/CropBox", pdf.parse("[0 0 300 300]"));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

// ---- pages and media ----

TEST_F(PdfBasicTest, PageCountAndMediaNames) {
  pdf.add_page("", {}, "[0 0 595 842]");
  pdf.add_page("", {}, "[0 0 612 792]");
  pdf.add_page("", {}, "[0 0 842 1191]");
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  ASSERT_EQ(info->page_count(), 3);
  EXPECT_EQ(info->format, "application/pdf");
  EXPECT_EQ(info->pages[0].media, "iso_a4_210x297mm");
  EXPECT_EQ(info->pages[1].media, "na_letter_8.5x11in");
  EXPECT_EQ(info->pages[2].media, "iso_a3_297x420mm");
  EXPECT_EQ(info->pages[2].number, 3);
}

TEST_F(PdfBasicTest, RotateSwapsPrintedSize) {
  pdf.add_page("", {}, "[0 0 842 595]").replaceKey("/Rotate", QPDFObjectHandle::newInteger(90));
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok());
  EXPECT_DOUBLE_EQ(info->pages[0].width_pt, 595);
  EXPECT_DOUBLE_EQ(info->pages[0].height_pt, 842);
  EXPECT_EQ(info->pages[0].media, "iso_a4_210x297mm");
}

TEST_F(PdfBasicTest, UserUnitAndCropBoxSetTheSize) {
  QPDFObjectHandle page = pdf.add_page("", {}, "[0 0 2000 2000]");
  page.replaceKey("/CropBox", pdf.parse("[0 0 297.5 421]"));
  page.replaceKey("/UserUnit", QPDFObjectHandle::newReal(2.0, 1));
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok());
  EXPECT_NEAR(info->pages[0].width_pt, 595, 0.01);
  EXPECT_EQ(info->pages[0].media, "iso_a4_210x297mm");
}

TEST_F(PdfBasicTest, ResourcesAndMediaBoxInheritedFromPagesTree) {
  pdf.add_page(text_at("1 0 0 rg", 100, 100));
  QPDFObjectHandle page = pdf.qpdf().getAllPages().at(0);
  page.removeKey("/Resources");
  page.removeKey("/MediaBox");
  QPDFObjectHandle pages = pdf.qpdf().getRoot().getKey("/Pages");
  pages.replaceKey("/Resources", font_resources());
  pages.replaceKey("/MediaBox", pdf.parse("[0 0 612 792]"));
  Result<DocumentInfo> info = analyze();
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->pages[0].media, "na_letter_8.5x11in");
  EXPECT_TRUE(info->pages[0].color);
}

}  // namespace
}  // namespace pp::test
