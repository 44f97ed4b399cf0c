// raster-test.cpp: analyze_pwg_raster on PWG raster files written with libcups in the test.
#include <cups/raster.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>

#include "analysis/document.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

// One page to write: its header type (PWG print-color-mode type such as "srgb_8") and a pixel
// painter that fills each row.
struct RasterPage {
  const char* media;  // PWG media name
  const char* type;   // "sgray_8", "srgb_8", "srgb_16", "cmyk_8", "black_1"
  std::function<void(unsigned y, std::vector<unsigned char>& row, const cups_page_header2_t&)>
      paint;
};

// Writes a PWG raster file at 18 dpi (small and fast) with the given pages.
void write_pwg(const std::string& path, const std::vector<RasterPage>& pages) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  cups_raster_t* raster = cupsRasterOpen(fd, CUPS_RASTER_WRITE_PWG);
  ASSERT_NE(raster, nullptr);
  for (const RasterPage& page : pages) {
    cups_page_header2_t header;
    ASSERT_TRUE(cupsRasterInitPWGHeader(&header, pwgMediaForPWG(page.media), page.type, 18, 18,
                                        "one-sided", nullptr))
        << cupsRasterErrorString();
    ASSERT_TRUE(cupsRasterWriteHeader2(raster, &header));
    std::vector<unsigned char> row(header.cupsBytesPerLine);
    for (unsigned y = 0; y < header.cupsHeight; ++y) {
      page.paint(y, row, header);
      ASSERT_EQ(cupsRasterWritePixels(raster, row.data(), header.cupsBytesPerLine),
                header.cupsBytesPerLine);
    }
  }
  cupsRasterClose(raster);
  close(fd);
}

// Every pixel the same: one sample value repeated (8 bit) per channel.
auto fill(unsigned char value) {
  return [value](unsigned, std::vector<unsigned char>& row, const cups_page_header2_t&) {
    std::fill(row.begin(), row.end(), value);
  };
}

// Neutral grey RGB everywhere except one pixel (x=10, y=20) of the given RGB colour.
auto rgb_with_one_pixel(unsigned char r, unsigned char g, unsigned char b) {
  return [=](unsigned y, std::vector<unsigned char>& row, const cups_page_header2_t&) {
    std::fill(row.begin(), row.end(), 0x80);
    if (y == 20) {
      row[30] = r;
      row[31] = g;
      row[32] = b;
    }
  };
}

// 16-bit RGB, host order: (0x8000, 0x80FF, 0x8000) is neutral (spread 0.4%) only when read in
// the right byte order; swapped it would be (0x0080, 0xFF80, 0x0080), far from neutral.
void paint_16bit_near_grey(unsigned, std::vector<unsigned char>& row, const cups_page_header2_t&) {
  const std::uint16_t pixel[3] = {0x8000, 0x80FF, 0x8000};
  for (std::size_t at = 0; at + 6 <= row.size(); at += 6) std::memcpy(&row[at], pixel, 6);
}

// CMYK with a given pixel everywhere.
auto cmyk(unsigned char c, unsigned char m, unsigned char y, unsigned char k) {
  return [=](unsigned, std::vector<unsigned char>& row, const cups_page_header2_t&) {
    for (std::size_t at = 0; at + 4 <= row.size(); at += 4) {
      row[at] = c;
      row[at + 1] = m;
      row[at + 2] = y;
      row[at + 3] = k;
    }
  };
}

constexpr const char* kA4 = "iso_a4_210x297mm";
constexpr const char* kLetter = "na_letter_8.5x11in";

class PwgRaster : public ::testing::Test {
 protected:
  Result<DocumentInfo> analyze(const std::vector<RasterPage>& pages) {
    write_pwg(path_, pages);
    return analyze_pwg_raster(path_, options_);
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("doc.pwg");
  AnalysisOptions options_;
};

TEST_F(PwgRaster, PerPageColourAndMedia) {
  Result<DocumentInfo> info = analyze({
      {kA4, "sgray_8", fill(0x40)},                               // 1 grey
      {kA4, "srgb_8", fill(0x80)},                                // 2 neutral RGB
      {kLetter, "srgb_8", rgb_with_one_pixel(0xFF, 0x00, 0x00)},  // 3 one red pixel
      {kA4, "cmyk_8", cmyk(0x40, 0x40, 0x40, 0x00)},              // 4 CMY grey
      {kA4, "cmyk_8", cmyk(0x00, 0x80, 0x00, 0x00)},              // 5 magenta
      {kA4, "black_1", fill(0xAA)},                               // 6 1-bit black
  });
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  ASSERT_EQ(info->page_count(), 6);
  std::vector<bool> color;
  for (const PageInfo& page : info->pages) color.push_back(page.color);
  EXPECT_EQ(color, (std::vector<bool>{false, false, true, false, true, false}));
  EXPECT_EQ(info->pages[0].media, kA4);
  EXPECT_EQ(info->pages[2].media, kLetter);
  EXPECT_EQ(info->pages[2].width_pt, 612);
  EXPECT_EQ(info->pages[2].height_pt, 792);
  EXPECT_EQ(info->pages[2].number, 3);
  EXPECT_EQ(info->format, "image/pwg-raster");
}

TEST_F(PwgRaster, ToleranceDecidesNearGreyPixels) {
  // One pixel (128,128,133): spread 5 on the 0..255 scale.
  std::vector<RasterPage> pages = {{kA4, "srgb_8", rgb_with_one_pixel(0x80, 0x80, 0x85)}};
  Result<DocumentInfo> strict = analyze(pages);
  ASSERT_TRUE(strict.ok()) << strict.status().to_string();
  EXPECT_TRUE(strict->pages[0].color);
  options_.neutral_tolerance = 5;
  Result<DocumentInfo> lenient = analyze_pwg_raster(path_, options_);
  ASSERT_TRUE(lenient.ok());
  EXPECT_FALSE(lenient->pages[0].color);
}

TEST_F(PwgRaster, SixteenBitSamplesAreReadInHostOrder) {
  Result<DocumentInfo> info = analyze({{kA4, "srgb_16", paint_16bit_near_grey}});
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_FALSE(info->pages[0].color);
}

TEST_F(PwgRaster, RichBlackFollowsTheOption) {
  std::vector<RasterPage> pages = {{kA4, "cmyk_8", cmyk(0x60, 0x40, 0x40, 0xFF)}};
  Result<DocumentInfo> info = analyze(pages);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->pages[0].color);
  options_.rich_black_is_color = true;
  info = analyze_pwg_raster(path_, options_);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->pages[0].color);
}

// Rows of varying pixels, so that the compressed pixel data is larger than the page header.
void paint_noise(unsigned y, std::vector<unsigned char>& row, const cups_page_header2_t&) {
  for (std::size_t x = 0; x < row.size(); ++x) row[x] = static_cast<unsigned char>(x * 7 + y * 13);
}

TEST_F(PwgRaster, TruncatedPixelDataNamesThePage) {
  write_pwg(path_, {{kA4, "sgray_8", fill(0x40)}, {kA4, "srgb_8", paint_noise}});
  std::filesystem::resize_file(path_, std::filesystem::file_size(path_) - 5000);
  Result<DocumentInfo> info = analyze_pwg_raster(path_, options_);
  test::expect_failure(info, Code::kMalformedDocument, "page 2 is truncated");
}

TEST_F(PwgRaster, TruncatedHeaderNamesThePage) {
  write_pwg(path_, {{kA4, "sgray_8", fill(0x40)}, {kA4, "srgb_8", fill(0x80)}});
  std::filesystem::resize_file(path_, std::filesystem::file_size(path_) - 1000);
  Result<DocumentInfo> info = analyze_pwg_raster(path_, options_);
  test::expect_failure(info, Code::kMalformedDocument, "page 2 has a truncated header");
}

TEST_F(PwgRaster, CutShortFileIsAnErrorExceptAtAPageBoundary) {
  const std::string one_page_path = dir_.file("one.pwg");
  // 1 x 1 inch pages keep the number of cut points (and the run time) small.
  const char* tiny = "custom_tiny_1x1in";
  write_pwg(one_page_path, {{tiny, "srgb_8", paint_noise}});
  write_pwg(path_, {{tiny, "srgb_8", paint_noise}, {tiny, "cmyk_8", paint_noise}});
  const std::string whole = test::read_file(path_);
  const std::size_t page_boundary = std::filesystem::file_size(one_page_path);
  const std::string cut_path = dir_.file("cut.pwg");
  // Every 11th size (a prime stride hits every part of the framing) plus the sizes next to the
  // page boundary and the end.
  std::vector<std::size_t> sizes = {page_boundary - 1, page_boundary, page_boundary + 1,
                                    whole.size() - 1};
  for (std::size_t size = 1; size < whole.size(); size += 11) sizes.push_back(size);
  for (std::size_t size : sizes) {
    test::write_file(cut_path, whole.substr(0, size));
    Result<DocumentInfo> info = analyze_pwg_raster(cut_path, options_);
    if (size == page_boundary) {
      EXPECT_TRUE(info.ok() && info->page_count() == 1) << "cut at the page boundary " << size;
    } else {
      EXPECT_FALSE(info.ok()) << "file cut to " << size << " of " << whole.size() << " bytes";
    }
  }
}

TEST_F(PwgRaster, GarbageAfterTheLastPageIsAnError) {
  write_pwg(path_, {{kA4, "sgray_8", fill(0x40)}});
  test::write_file(path_, test::read_file(path_) + std::string(4000, 'x'));
  Result<DocumentInfo> info = analyze_pwg_raster(path_, options_);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kMalformedDocument) << info.status().to_string();
}

TEST_F(PwgRaster, ZeroPagesIsAnError) {
  write_pwg(path_, {});
  Result<DocumentInfo> info = analyze_pwg_raster(path_, options_);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kMalformedDocument);
  EXPECT_NE(info.status().message().find("no pages"), std::string::npos);
}

TEST_F(PwgRaster, PageLimitApplies) {
  options_.max_pages = 2;
  Result<DocumentInfo> info =
      analyze({{kA4, "sgray_8", fill(0)}, {kA4, "sgray_8", fill(0)}, {kA4, "sgray_8", fill(0)}});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
}

TEST_F(PwgRaster, PixelLimitApplies) {
  options_.max_image_pixels = 1000;  // an A4 page at 18 dpi has 149 x 210 pixels
  Result<DocumentInfo> info = analyze({{kA4, "sgray_8", fill(0)}});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
}

}  // namespace
}  // namespace pp
