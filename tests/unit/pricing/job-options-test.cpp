// job-options-test.cpp: job_options_from_map, IPP and CUPS option names and values.
#include <gtest/gtest.h>

#include <climits>

#include "pricing/page-ranges.h"
#include "pricing/pricing.h"

namespace pp {
namespace {

JobOptions parse_ok(const std::map<std::string, std::string>& options) {
  Result<JobOptions> result = job_options_from_map(options);
  EXPECT_TRUE(result.ok()) << result.status().to_string();
  return result.ok() ? result.value() : JobOptions();
}

// Fails with kInvalidArgument and a message naming the option.
void expect_bad(const std::string& name, const std::string& value) {
  Result<JobOptions> result = job_options_from_map({{name, value}});
  ASSERT_FALSE(result.ok()) << name << "=" << value;
  EXPECT_EQ(result.status().code(), Code::kInvalidArgument);
  EXPECT_NE(result.status().message().find(name), std::string::npos) << result.status().message();
}

TEST(JobOptions, Defaults) {
  JobOptions options = parse_ok({{"job-name", "x"}, {"fit-to-page", "true"}});  // ignored
  EXPECT_EQ(options.copies, 1);
  EXPECT_EQ(options.number_up, 1);
  EXPECT_EQ(options.sides, Sides::kOneSided);
  EXPECT_TRUE(options.page_ranges.empty());
  EXPECT_FALSE(options.monochrome);
  EXPECT_FALSE(options.media);
}

TEST(JobOptions, Copies) {
  EXPECT_EQ(parse_ok({{"copies", "3"}}).copies, 3);
  EXPECT_EQ(parse_ok({{"copies", "9999"}}).copies, 9999);
  for (const char* bad : {"0", "-1", "10000", "2.5", "", "two", "99999999999999999999"}) {
    expect_bad("copies", bad);
  }
}

TEST(JobOptions, NumberUp) {
  for (int up : {1, 2, 4, 6, 9, 16}) {
    EXPECT_EQ(parse_ok({{"number-up", std::to_string(up)}}).number_up, up);
  }
  for (const char* bad : {"0", "3", "8", "32", "x"}) expect_bad("number-up", bad);
}

TEST(JobOptions, SidesAndDuplex) {
  EXPECT_EQ(parse_ok({{"sides", "one-sided"}}).sides, Sides::kOneSided);
  EXPECT_EQ(parse_ok({{"sides", "two-sided-long-edge"}}).sides, Sides::kTwoSidedLongEdge);
  EXPECT_EQ(parse_ok({{"sides", "two-sided-short-edge"}}).sides, Sides::kTwoSidedShortEdge);
  EXPECT_EQ(parse_ok({{"Duplex", "None"}}).sides, Sides::kOneSided);
  EXPECT_EQ(parse_ok({{"Duplex", "DuplexNoTumble"}}).sides, Sides::kTwoSidedLongEdge);
  EXPECT_EQ(parse_ok({{"Duplex", "DuplexTumble"}}).sides, Sides::kTwoSidedShortEdge);
  // The IPP attribute wins over the PPD option.
  EXPECT_EQ(parse_ok({{"sides", "one-sided"}, {"Duplex", "DuplexTumble"}}).sides, Sides::kOneSided);
  expect_bad("sides", "duplex");
  expect_bad("Duplex", "Yes");
}

TEST(JobOptions, PageRanges) {
  using Ranges = std::vector<std::pair<int, int>>;
  EXPECT_EQ(parse_ok({{"page-ranges", "1-3,5,7-"}}).page_ranges,
            (Ranges{{1, 3}, {5, 5}, {7, INT_MAX}}));
  EXPECT_EQ(parse_ok({{"page-ranges", "-4"}}).page_ranges, (Ranges{{1, 4}}));
  EXPECT_EQ(parse_ok({{"page-ranges", "1-2147483647"}}).page_ranges, (Ranges{{1, INT_MAX}}));
  EXPECT_EQ(parse_ok({{"page-ranges", " 2 - 3 , 9 "}}).page_ranges, (Ranges{{2, 3}, {9, 9}}));
  for (const char* bad : {"", "0", "0-3", "5-3", "1,,2", "a", "1-2-3", "-", "1.5", "1-x", ","}) {
    expect_bad("page-ranges", bad);
  }
}

TEST(JobOptions, PageSelected) {
  std::vector<std::pair<int, int>> ranges = {{2, 3}, {7, INT_MAX}};
  EXPECT_FALSE(page_selected(ranges, 1));
  EXPECT_TRUE(page_selected(ranges, 2));
  EXPECT_FALSE(page_selected(ranges, 6));
  EXPECT_TRUE(page_selected(ranges, 1000000));
  EXPECT_TRUE(page_selected({}, 5));
}

TEST(JobOptions, PrintColorMode) {
  for (const char* mono : {"monochrome", "process-monochrome", "auto-monochrome", "bi-level"}) {
    EXPECT_TRUE(parse_ok({{"print-color-mode", mono}}).monochrome) << mono;
  }
  for (const char* color : {"color", "auto"}) {
    EXPECT_FALSE(parse_ok({{"print-color-mode", color}}).monochrome) << color;
  }
  expect_bad("print-color-mode", "grey");
}

TEST(JobOptions, ColorModel) {
  for (const char* mono : {"Gray", "KGray", "Grayscale", "Black", "Mono", "DeviceGray"}) {
    EXPECT_TRUE(parse_ok({{"ColorModel", mono}}).monochrome) << mono;
  }
  for (const char* color : {"RGB", "CMYK", "CMY", "KCMY", "VendorSpecial"}) {
    EXPECT_FALSE(parse_ok({{"ColorModel", color}}).monochrome) << color;
  }
  // print-color-mode wins when both are given.
  EXPECT_FALSE(parse_ok({{"print-color-mode", "color"}, {"ColorModel", "Gray"}}).monochrome);
  expect_bad("ColorModel", "");
}

TEST(JobOptions, Media) {
  EXPECT_EQ(parse_ok({{"media", "iso_a4_210x297mm"}}).media, "iso_a4_210x297mm");
  EXPECT_EQ(parse_ok({{"media", "A4"}}).media, "iso_a4_210x297mm");
  EXPECT_EQ(parse_ok({{"media", "a3"}}).media, "iso_a3_297x420mm");
  EXPECT_EQ(parse_ok({{"media", "Letter"}}).media, "na_letter_8.5x11in");
  EXPECT_EQ(parse_ok({{"media", "na-letter"}}).media, "na_letter_8.5x11in");
  EXPECT_EQ(parse_ok({{"media", "Tray1,A3,Plain"}}).media, "iso_a3_297x420mm");
  expect_bad("media", "Tray1");
  expect_bad("media", "");
  expect_bad("media", "no-such-size");
}

}  // namespace
}  // namespace pp
