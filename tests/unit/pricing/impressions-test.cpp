// impressions-test.cpp: count_impressions, each option that changes impressions alone and
// combined, in the order page-ranges -> number-up -> sides -> copies.
#include <gtest/gtest.h>

#include <climits>

#include "pricing/pricing.h"
#include "unit/pricing/documents.h"

namespace pp {
namespace {

using test::document;
using test::kA3;
using test::kA4;

ImpressionCount count(std::string_view pages, const JobOptions& options = {}) {
  Result<ImpressionCount> result = count_impressions(document(pages), options);
  EXPECT_TRUE(result.ok()) << result.status().to_string();
  return result.ok() ? result.value() : ImpressionCount();
}

MediaCount media(const ImpressionCount& count, const std::string& name) {
  auto found = count.by_media.find(name);
  return found == count.by_media.end() ? MediaCount() : found->second;
}

void expect_counts(const MediaCount& count, std::int64_t mono, std::int64_t color,
                   std::int64_t sheets, std::int64_t duplex_sheets) {
  EXPECT_EQ(count.mono_impressions, mono);
  EXPECT_EQ(count.color_impressions, color);
  EXPECT_EQ(count.sheets, sheets);
  EXPECT_EQ(count.duplex_sheets, duplex_sheets);
}

TEST(Impressions, PlainJobIsOneImpressionPerPage) {
  ImpressionCount c = count("gcg");
  expect_counts(media(c, kA4), 2, 1, 3, 0);
  EXPECT_EQ(c.selected_pages, 3);
  EXPECT_EQ(c.impressions(), 3);
  EXPECT_EQ(c.sheets(), 3);
  EXPECT_EQ(c.by_media.size(), 1u);
}

// Lesson 6: a 21-page job with one colour page must not cost 21 colour pages.
TEST(Impressions, OneColourPageInTwentyOne) {
  ImpressionCount c = count("ggggggggggcgggggggggg");
  EXPECT_EQ(c.color_impressions(), 1);
  EXPECT_EQ(c.mono_impressions(), 20);
}

TEST(Impressions, PageRangesAlone) {
  JobOptions options;
  options.page_ranges = {{2, 3}};
  ImpressionCount c = count("gcggc", options);
  expect_counts(media(c, kA4), 1, 1, 2, 0);
  EXPECT_EQ(c.selected_pages, 2);
}

TEST(Impressions, PageRangesOpenEndAndClipping) {
  JobOptions options;
  options.page_ranges = {{1, 1}, {4, INT_MAX}};  // "1,4-"
  EXPECT_EQ(count("gcggc", options).impressions(), 3);
  options.page_ranges = {{4, 10}};  // beyond the last page: clipped
  ImpressionCount c = count("gcggc", options);
  EXPECT_EQ(c.selected_pages, 2);
  EXPECT_EQ(c.color_impressions(), 1);
}

TEST(Impressions, OverlappingRangesSelectEachPageOnce) {
  JobOptions options;
  options.page_ranges = {{1, 3}, {2, 4}};
  EXPECT_EQ(count("gggggg", options).impressions(), 4);
}

TEST(Impressions, RangesSelectingNothingFail) {
  JobOptions options;
  options.page_ranges = {{7, 9}};
  Result<ImpressionCount> result = count_impressions(document("ggg"), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidArgument);
  EXPECT_NE(result.status().message().find("3-page"), std::string::npos);
}

TEST(Impressions, NumberUpTwoWithOddRemainder) {
  JobOptions options;
  options.number_up = 2;
  // sides: [g c] colour, [g g] grey, [g] grey
  ImpressionCount c = count("gcggg", options);
  expect_counts(media(c, kA4), 2, 1, 3, 0);
  EXPECT_EQ(c.selected_pages, 5);
}

TEST(Impressions, NumberUpFourSideIsColourIfAnyPageIs) {
  JobOptions options;
  options.number_up = 4;
  // sides: [g g g c] colour, [g g g g] grey, [c] colour
  ImpressionCount c = count("gggcggggc", options);
  expect_counts(media(c, kA4), 1, 2, 3, 0);
}

TEST(Impressions, NumberUpSixteen) {
  JobOptions options;
  options.number_up = 16;
  EXPECT_EQ(count(std::string(33, 'g'), options).impressions(), 3);
}

TEST(Impressions, DuplexOddPageCountBlankBackIsNoImpression) {
  JobOptions options;
  options.sides = Sides::kTwoSidedLongEdge;
  ImpressionCount c = count("gcggc", options);
  expect_counts(media(c, kA4), 3, 2, 3, 2);
  // two-sided sheets (g,c) and (g,g); the last sheet (c) has a blank back
  EXPECT_EQ(media(c, kA4).duplex_mono_impressions, 3);
  EXPECT_EQ(media(c, kA4).duplex_color_impressions, 1);
}

TEST(Impressions, DuplexShortEdgeCountsLikeLongEdge) {
  JobOptions options;
  options.sides = Sides::kTwoSidedShortEdge;
  expect_counts(media(count("gggg", options), kA4), 4, 0, 2, 2);
}

TEST(Impressions, CopiesAlone) {
  JobOptions options;
  options.copies = 3;
  ImpressionCount c = count("gc", options);
  expect_counts(media(c, kA4), 3, 3, 6, 0);
  EXPECT_EQ(c.selected_pages, 2);  // one copy
}

// Each copy starts on a new sheet: 3 sides duplex x 2 copies is 4 sheets, not 3.
TEST(Impressions, CopiesOfOddDuplexJobDoNotShareSheets) {
  JobOptions options;
  options.sides = Sides::kTwoSidedLongEdge;
  options.copies = 2;
  expect_counts(media(count("ggg", options), kA4), 6, 0, 4, 2);
}

TEST(Impressions, RangesNumberUpDuplexCopiesTogether) {
  JobOptions options;
  options.page_ranges = {{2, 8}};            // pages 2..8: g c g g g g g
  options.number_up = 2;                     // sides: [g c] colour, [g g], [g g], [g]
  options.sides = Sides::kTwoSidedLongEdge;  // sheets: (colour, grey), (grey, grey)
  options.copies = 3;
  ImpressionCount c = count("ggcggggggc", options);
  MediaCount a4 = media(c, kA4);
  expect_counts(a4, 9, 3, 6, 6);
  EXPECT_EQ(a4.duplex_color_impressions, 3);
  EXPECT_EQ(a4.duplex_mono_impressions, 9);
  EXPECT_EQ(c.selected_pages, 7);
}

TEST(Impressions, RangesAndNumberUpOrder) {
  // page-ranges pick document pages before number-up groups them: pages 3-6 of "ccgggg" are
  // all grey; grouping first and then selecting would have caught the colour pages.
  JobOptions options;
  options.page_ranges = {{3, 6}};
  options.number_up = 2;
  ImpressionCount c = count("ccgggg", options);
  expect_counts(media(c, kA4), 2, 0, 2, 0);
}

TEST(Impressions, NumberUpAndDuplexWithOddSides) {
  JobOptions options;
  options.number_up = 4;
  options.sides = Sides::kTwoSidedLongEdge;
  // 10 pages -> 3 sides -> 2 sheets (one duplex), 3 impressions
  expect_counts(media(count("gggggggggc", options), kA4), 2, 1, 2, 1);
}

TEST(Impressions, MonochromeModeMakesEverythingMono) {
  JobOptions options;
  options.monochrome = true;
  options.number_up = 2;
  options.copies = 2;
  ImpressionCount c = count("cccc", options);
  expect_counts(media(c, kA4), 4, 0, 4, 0);
}

TEST(Impressions, MixedMediaOneSided) {
  ImpressionCount c = count("gCgg");
  expect_counts(media(c, kA4), 3, 0, 3, 0);
  expect_counts(media(c, kA3), 0, 1, 1, 0);
}

TEST(Impressions, MixedMediaDuplexStartsNewSheetOnMediaChange) {
  JobOptions options;
  options.sides = Sides::kTwoSidedLongEdge;
  ImpressionCount c = count("ggGg", options);  // (g,g) A4 | (G) A3 | (g) A4
  expect_counts(media(c, kA4), 3, 0, 2, 1);
  expect_counts(media(c, kA3), 1, 0, 1, 0);
  ImpressionCount alternating = count("gGg", options);
  EXPECT_EQ(alternating.sheets(), 3);
  EXPECT_EQ(media(alternating, kA4).duplex_sheets + media(alternating, kA3).duplex_sheets, 0);
}

TEST(Impressions, NumberUpSideTakesMediaOfFirstPage) {
  JobOptions options;
  options.number_up = 2;
  ImpressionCount c = count("Ggcg", options);  // [G g] A3 grey, [c g] A4 colour
  expect_counts(media(c, kA3), 1, 0, 1, 0);
  expect_counts(media(c, kA4), 0, 1, 1, 0);
}

TEST(Impressions, JobMediaOverridesDocumentMedia) {
  JobOptions options;
  options.media = kA4;
  options.sides = Sides::kTwoSidedLongEdge;
  ImpressionCount c = count("gCgG", options);
  EXPECT_EQ(c.by_media.size(), 1u);
  expect_counts(media(c, kA4), 3, 1, 2, 2);
}

TEST(Impressions, BadInput) {
  EXPECT_EQ(count_impressions(DocumentInfo(), {}).status().code(), Code::kMalformedDocument);
  JobOptions options;
  options.number_up = 3;
  EXPECT_EQ(count_impressions(document("g"), options).status().code(), Code::kInvalidArgument);
  options = {};
  options.copies = 0;
  EXPECT_EQ(count_impressions(document("g"), options).status().code(), Code::kInvalidArgument);
  options = {};
  options.page_ranges = {{3, 2}};
  EXPECT_EQ(count_impressions(document("ggg"), options).status().code(), Code::kInvalidArgument);
}

TEST(Impressions, FromOptionMapEndToEnd) {
  Result<JobOptions> options = job_options_from_map({{"copies", "2"},
                                                     {"number-up", "2"},
                                                     {"sides", "two-sided-long-edge"},
                                                     {"page-ranges", "1-5"}});
  ASSERT_TRUE(options.ok());
  // pages 1-5: [g c] [g g] [g] -> sheets (c, g), (g) -> per copy 1 colour, 2 grey, 2 sheets
  ImpressionCount c = count("gcgggccc", *options);
  expect_counts(media(c, kA4), 4, 2, 4, 2);
}

}  // namespace
}  // namespace pp
