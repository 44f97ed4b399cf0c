// pdf-image-test.cpp: PDF analysis of images: pixels, bit depths, /Decode, palettes, stencils,
// DCT, inline images, per-object caching and images that cannot be decoded here.
#include "unit/analysis/pdf-fixture.h"

namespace pp::test {
namespace {

class PdfImageTest : public PdfTest {
 protected:
  bool image_is_color(QPDFObjectHandle image, const std::string& before = "") {
    return page_is_color(before + " q 200 0 0 200 50 50 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", image}})}}));
  }
  static std::string grey_rgb(int pixels) { return repeat_pixel(std::string("\x80\x80\x80", 3), pixels); }
};

TEST_F(PdfImageTest, RgbImageWithOnlyNeutralPixelsIsGrey) {
  EXPECT_FALSE(image_is_color(pdf.image(16, 16, "/DeviceRGB", 8, grey_rgb(256))));
}

TEST_F(PdfImageTest, RgbImageWithOneColorPixelIsColor) {
  std::string samples = grey_rgb(256);
  samples.replace(3 * 200, 3, "\xff\x00\x00", 3);
  EXPECT_TRUE(image_is_color(pdf.image(16, 16, "/DeviceRGB", 8, samples)));
}

TEST_F(PdfImageTest, CmykImageBlackIsGreyCyanIsColor) {
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(4, 4, "/DeviceCMYK", 8, repeat_pixel(std::string("\0\0\0\xff", 4), 16))}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(4, 4, "/DeviceCMYK", 8, repeat_pixel(std::string("\xff\0\0\0", 4), 16))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfImageTest, SixteenBitRgb) {
  std::string grey = repeat_pixel(std::string("\x12\x34\x12\x34\x12\x34", 6), 4);
  std::string red = repeat_pixel(std::string("\xff\xff\x00\x00\x00\x00", 6), 4);
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", pdf.image(2, 2, "/DeviceRGB", 16, grey)}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", pdf.image(2, 2, "/DeviceRGB", 16, red)}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfImageTest, OneBitRgbWithDecode) {
  // 1 bit per component: a pixel 1 0 0 is red; /Decode [0 1 1 0 1 0] maps 1 0 0 to 1 1 1 (white).
  std::string row(1, static_cast<char>(0x80));  // first pixel r=1 g=0 b=0, rest zero; 2 pixels -> 6 bits
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", pdf.image(2, 1, "/DeviceRGB", 1, row)}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(2, 1, "/DeviceRGB", 1, std::string(1, static_cast<char>(0x9c)),
                                                              "/Decode [0 1 1 0 1 0]")}})}}));
  // 0x9c = 100 111 00: pixel 1 = (1,0,0) -> decoded (1,1,1); pixel 2 = (1,1,1) -> decoded (1,0,0)!
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, true}));
}

TEST_F(PdfImageTest, DecodeArrayCanMakeNeutral) {
  // Pixels (1,0,0) with /Decode [0 1 1 0 1 0] become (1,1,1): white, neutral.
  EXPECT_FALSE(image_is_color(pdf.image(2, 1, "/DeviceRGB", 8, repeat_pixel(std::string("\xff\x00\x00", 3), 2),
                                        "/Decode [0 1 1 0 1 0]")));
}

TEST_F(PdfImageTest, FourAndTwoBitImages) {
  // 4-bit RGB: 0x88 0x8 -> grey; 0xF0 0x0 -> red. Two pixels = 3 bytes.
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(2, 1, "/DeviceRGB", 4, std::string("\x88\x88\x88", 3))}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(2, 1, "/DeviceRGB", 4, std::string("\x88\x8f\x00", 3))}})}}));
  // 2-bit: one pixel (3,3,3) = 0b111111 00 -> white; (3,0,0) = 0b110000 00 -> red.
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(1, 1, "/DeviceRGB", 2, std::string("\xfc", 1))}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(1, 1, "/DeviceRGB", 2, std::string("\xc0", 1))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true, false, true}));
}

TEST_F(PdfImageTest, IndexedImageChecksOnlyUsedEntries) {
  // Palette: 0 grey, 1 black, 2 red. The first image uses 0 and 1 only.
  const std::string space = "[/Indexed /DeviceRGB 2 <808080000000FF0000>]";
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(4, 1, space, 8, std::string("\0\1\1\0", 4))}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q",
               dict({{"/XObject", dict({{"/Im1", pdf.image(4, 1, space, 8, std::string("\0\1\2\0", 4))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfImageTest, GrayImagesAreNotEvenDecoded) {
  // Garbage Flate data in a grey image: never decoded, so still grey (no undecidable verdict).
  QPDFObjectHandle image = pdf.image(8, 8, "/DeviceGray", 8, "");
  image.replaceStreamData("not flate at all", QPDFObjectHandle::newName("/FlateDecode"), QPDFObjectHandle::newNull());
  EXPECT_FALSE(image_is_color(image));
}

TEST_F(PdfImageTest, StencilMaskPaintsTheFillColor) {
  std::string mask = "<< /Type /XObject /Subtype /Image /Width 8 /Height 1 /ImageMask true >>";
  pdf.add_page("0 g q 100 0 0 100 0 0 cm /M Do Q", dict({{"/XObject", dict({{"/M", pdf.stream(mask, "\x0f")}})}}));
  pdf.add_page("0 0 1 rg q 100 0 0 100 0 0 cm /M Do Q", dict({{"/XObject", dict({{"/M", pdf.stream(mask, "\x0f")}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfImageTest, DctImages) {
  std::string grey = repeat_pixel(std::string("\x60\x60\x60", 3), 64);
  std::string colour = repeat_pixel(std::string("\xe0\x20\x20", 3), 64);
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", pdf.jpeg_image(8, 8, 3, grey)}})}}));
  pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", pdf.jpeg_image(8, 8, 3, colour)}})}}));
  options.neutral_tolerance = 6;  // JPEG is lossy: a grey stays within a few levels
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfImageTest, InlineImages) {
  pdf.add_page("q 100 0 0 100 0 0 cm BI /W 2 /H 1 /CS /RGB /BPC 8 /F /AHx ID 808080404040> EI Q");
  pdf.add_page("q 100 0 0 100 0 0 cm BI /W 2 /H 1 /CS /RGB /BPC 8 /F /AHx ID 808080ff0000> EI Q");
  // Binary data (with NUL bytes, hence the explicit lengths).
  pdf.add_page("q 100 0 0 100 0 0 cm BI /W 2 /H 1 /CS /RGB /BPC 8 ID " + std::string("\x80\x80\x80\xff\x00\x00", 6) + " EI Q");
  pdf.add_page("q 100 0 0 100 0 0 cm BI /W 2 /H 1 /CS [/I /RGB 1 <000000ff0000>] /BPC 8 ID " + std::string("\x00\x00", 2) + " EI Q");
  pdf.add_page("q 100 0 0 100 0 0 cm BI /W 2 /H 1 /CS [/I /RGB 1 <000000ff0000>] /BPC 8 ID " + std::string("\x00\x01", 2) + " EI Q");
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true, true, false, true}));
}

TEST_F(PdfImageTest, ImageOutsideThePageIsNotInk) {
  std::string red = repeat_pixel(std::string("\xff\x00\x00", 3), 4);
  QPDFObjectHandle image = pdf.image(2, 2, "/DeviceRGB", 8, red);
  pdf.add_page("q 100 0 0 100 -500 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", image}})}}));
  pdf.add_page("q 100 0 0 100 50 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", image}})}}));  // cached verdict reused
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfImageTest, SoftMaskImageIsNotPainted) {
  // A grey image whose /SMask is a colourful image: the mask is never ink.
  QPDFObjectHandle mask = pdf.image(2, 1, "/DeviceRGB", 8, std::string("\xff\x00\x00\x00\xff\x00", 6));
  QPDFObjectHandle image = pdf.image(2, 1, "/DeviceRGB", 8, grey_rgb(2));
  image.getDict().replaceKey("/SMask", mask);
  EXPECT_FALSE(image_is_color(image));
}

TEST_F(PdfImageTest, JpxImageIsUndecidableAndCountsAsColorWithoutSlowPath) {
  QPDFObjectHandle image = pdf.stream("<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8 >>", "");
  image.replaceStreamData("not really jpeg 2000", QPDFObjectHandle::newName("/JPXDecode"), QPDFObjectHandle::newNull());
  Result<DocumentInfo> info = [&] {
    pdf.add_page("q 100 0 0 100 0 0 cm /Im1 Do Q", dict({{"/XObject", dict({{"/Im1", image}})}}));
    pdf.add_page("0 g 0 0 10 10 re f");
    return analyze();
  }();
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->pages[0].color);  // conservative
  EXPECT_FALSE(info->pages[1].color);
  EXPECT_EQ(info->pages[0].method, ColorMethod::kContent);
}

TEST_F(PdfImageTest, HugeImageIsUndecidableNotDecoded) {
  options.max_image_pixels = 100;
  std::string red_free = grey_rgb(11 * 11);
  EXPECT_TRUE(image_is_color(pdf.image(11, 11, "/DeviceRGB", 8, red_free)));
}

TEST_F(PdfImageTest, ImageWithinPixelLimitIsDecoded) {
  options.max_image_pixels = 200;
  EXPECT_FALSE(image_is_color(pdf.image(11, 11, "/DeviceRGB", 8, grey_rgb(11 * 11))));
}

}  // namespace
}  // namespace pp::test
