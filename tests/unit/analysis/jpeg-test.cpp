// jpeg-test.cpp: analyze_jpeg on JPEG files written with libjpeg in the test.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>

#include <jpeglib.h>

#include "analysis/document.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

using Painter = std::function<void(unsigned x, unsigned y, JSAMPLE* pixel)>;

struct JpegSpec {
  J_COLOR_SPACE space = JCS_RGB;  // input space: JCS_GRAYSCALE, JCS_RGB or JCS_CMYK
  int components = 3;
  unsigned width = 160;
  unsigned height = 120;
  bool subsample_chroma = true;  // 4:2:0 (libjpeg's default) or 4:4:4
  Painter paint;
  bool adobe_marker = true;  // libjpeg writes one for CMYK unless told not to
};

// Writes a baseline JPEG at quality 90.
void write_jpeg(const std::string& path, const JpegSpec& spec) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, file);
  info.image_width = spec.width;
  info.image_height = spec.height;
  info.input_components = spec.components;
  info.in_color_space = spec.space;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 90, TRUE);
  info.write_Adobe_marker = spec.adobe_marker && spec.space == JCS_CMYK;
  if (!spec.subsample_chroma) {
    for (int i = 0; i < info.num_components; ++i) {
      info.comp_info[i].h_samp_factor = 1;
      info.comp_info[i].v_samp_factor = 1;
    }
  }
  jpeg_start_compress(&info, TRUE);
  std::vector<JSAMPLE> row(spec.width * spec.components);
  for (unsigned y = 0; y < spec.height; ++y) {
    for (unsigned x = 0; x < spec.width; ++x) spec.paint(x, y, &row[x * spec.components]);
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&info, rows, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(file);
}

Painter grey_gradient(int components) {
  return [components](unsigned x, unsigned, JSAMPLE* pixel) {
    for (int c = 0; c < components; ++c) pixel[c] = static_cast<JSAMPLE>(x);
  };
}

// Mid grey with a small square (size x size pixels) of colour (r, g, b) at (40, 40).
Painter grey_with_square(unsigned size, JSAMPLE r, JSAMPLE g, JSAMPLE b) {
  return [=](unsigned x, unsigned y, JSAMPLE* pixel) {
    bool inside = x >= 40 && x < 40 + size && y >= 40 && y < 40 + size;
    pixel[0] = inside ? r : 128;
    pixel[1] = inside ? g : 128;
    pixel[2] = inside ? b : 128;
  };
}

// CMYK ink amounts; inverted (255 = no ink) as Adobe applications store CMYK in JPEG files
// with an Adobe marker, which is what readers (and analyze_jpeg) assume.
Painter cmyk_pixel(JSAMPLE c, JSAMPLE m, JSAMPLE y, JSAMPLE k, bool inverted = true) {
  return [=](unsigned, unsigned, JSAMPLE* pixel) {
    const JSAMPLE ink[4] = {c, m, y, k};
    for (int i = 0; i < 4; ++i) pixel[i] = inverted ? 255 - ink[i] : ink[i];
  };
}

class Jpeg : public ::testing::Test {
 protected:
  Result<DocumentInfo> analyze(const JpegSpec& spec) {
    write_jpeg(path_, spec);
    return analyze_jpeg(path_, options_);
  }
  bool is_color(const JpegSpec& spec) {
    Result<DocumentInfo> info = analyze(spec);
    EXPECT_TRUE(info.ok()) << info.status().to_string();
    return info.ok() && info->pages.at(0).color;
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("photo.jpg");
  AnalysisOptions options_;
};

TEST_F(Jpeg, GreyscaleIsOneGreyPageOnTheDefaultMedia) {
  options_.default_media = "na_letter_8.5x11in";
  Result<DocumentInfo> info = analyze({JCS_GRAYSCALE, 1, 160, 120, true, grey_gradient(1)});
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  ASSERT_EQ(info->page_count(), 1);
  EXPECT_FALSE(info->pages[0].color);
  EXPECT_EQ(info->pages[0].number, 1);
  EXPECT_EQ(info->pages[0].media, "na_letter_8.5x11in");
  EXPECT_NEAR(info->pages[0].width_pt, 612, 0.5);
  EXPECT_NEAR(info->pages[0].height_pt, 792, 0.5);
  EXPECT_EQ(info->format, "image/jpeg");
}

TEST_F(Jpeg, NeutralRgbIsGrey) {
  EXPECT_FALSE(is_color({JCS_RGB, 3, 160, 120, true, grey_gradient(3)}));
  EXPECT_FALSE(is_color({JCS_RGB, 3, 160, 120, false, grey_gradient(3)}));
}

TEST_F(Jpeg, ColouredRegionIsColour) {
  EXPECT_TRUE(is_color({JCS_RGB, 3, 160, 120, true, grey_with_square(16, 220, 30, 30)}));
}

TEST_F(Jpeg, TinyColouredDetailIsStillColour) {
  // A 2x2 pinkish square (spread 60) in a 4:2:0 JPEG is one chroma sample: decoding at 1/8
  // scale (DC only) averages it with 63 grey neighbours to a spread of about 1, under the
  // tolerance; the chosen scale must keep it.
  EXPECT_TRUE(is_color({JCS_RGB, 3, 160, 120, true, grey_with_square(2, 170, 110, 110)}));
  EXPECT_TRUE(is_color({JCS_RGB, 3, 160, 120, false, grey_with_square(1, 170, 110, 110)}));
}

TEST_F(Jpeg, CmykGreyAndColour) {
  EXPECT_FALSE(is_color({JCS_CMYK, 4, 64, 64, false, cmyk_pixel(100, 100, 100, 0)}));
  EXPECT_FALSE(is_color({JCS_CMYK, 4, 64, 64, false, cmyk_pixel(0, 0, 0, 200)}));
  EXPECT_TRUE(is_color({JCS_CMYK, 4, 64, 64, false, cmyk_pixel(0, 200, 0, 0)}));
}

TEST_F(Jpeg, CmykWithoutAdobeMarkerIsNotInverted) {
  EXPECT_TRUE(is_color({JCS_CMYK, 4, 64, 64, false, cmyk_pixel(0, 200, 0, 0, false), false}));
  EXPECT_FALSE(is_color({JCS_CMYK, 4, 64, 64, false, cmyk_pixel(0, 0, 0, 200, false), false}));
}

TEST_F(Jpeg, TruncatedFileIsMalformed) {
  write_jpeg(path_, {JCS_RGB, 3, 160, 120, true, grey_gradient(3)});
  std::filesystem::resize_file(path_, std::filesystem::file_size(path_) / 2);
  Result<DocumentInfo> info = analyze_jpeg(path_, options_);
  test::expect_failure(info, Code::kMalformedDocument, "Premature end");
}

TEST_F(Jpeg, GarbageAfterTheMagicIsMalformed) {
  test::write_file(path_, std::string("\xFF\xD8\xFF\xE0") + std::string(200, '\x17'));
  Result<DocumentInfo> info = analyze_jpeg(path_, options_);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kMalformedDocument);
}

TEST_F(Jpeg, PixelLimitApplies) {
  options_.max_image_pixels = 1000;
  Result<DocumentInfo> info = analyze({JCS_GRAYSCALE, 1, 160, 120, true, grey_gradient(1)});
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
}

}  // namespace
}  // namespace pp
