// request-test.cpp: the split request syntax: what parses, what each error says, round trips.
#include <cups/cups.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <climits>
#include <numeric>
#include <string>

#include "splits/split-request.h"

namespace pp::test {
namespace {

SplitRequest parsed(const std::string& text) {
  Result<SplitRequest> request = parse_split_request(text);
  EXPECT_TRUE(request.ok()) << text << ": " << request.status().to_string();
  return request.ok() ? request.value() : SplitRequest{};
}

// The error message of a request that must fail with kInvalidArgument.
std::string error_of(const std::string& text) {
  Result<SplitRequest> request = parse_split_request(text);
  EXPECT_FALSE(request.ok()) << text << " parsed";
  if (request.ok()) return "";
  EXPECT_EQ(request.status().code(), Code::kInvalidArgument) << request.status().to_string();
  return request.status().message();
}

#define EXPECT_SPLIT_ERROR(text, fragment)                                      \
  do {                                                                          \
    std::string message_ = error_of(text);                                      \
    EXPECT_NE(message_.find(fragment), std::string::npos)                       \
        << (text) << " said \"" << message_ << "\", expected \"" << (fragment) << "\""; \
  } while (0)

TEST(SplitRequest, RatioPercentages) {
  SplitRequest request = parsed("ratio:alice=50,bob=30,carol=20");
  EXPECT_EQ(request.mode, SplitMode::kRatio);
  ASSERT_EQ(request.payers.size(), 3u);
  EXPECT_EQ(request.payers[0].payer, "alice");
  EXPECT_EQ(request.payers[0].ratio, (Fraction{1, 2}));
  EXPECT_EQ(request.payers[1].ratio, (Fraction{3, 10}));
  EXPECT_EQ(request.payers[2].ratio, (Fraction{1, 5}));
  EXPECT_FALSE(request.deadline);
  EXPECT_FALSE(request.on_decline);
}

TEST(SplitRequest, RatioDecimalPercentagesAndPercentSign) {
  SplitRequest request = parsed("ratio:a=33.3333,b=33.3333%,c=33.3334");
  EXPECT_EQ(request.payers[0].ratio, (Fraction{333333, 1000000}));
  EXPECT_EQ(request.payers[2].ratio, (Fraction{166667, 500000}));
  EXPECT_EQ(parsed("ratio:a=100").payers[0].ratio, (Fraction{1, 1}));
}

TEST(SplitRequest, RatioFractions) {
  SplitRequest request = parsed("ratio:alice=1/3,bob=2/3");
  EXPECT_EQ(request.payers[0].ratio, (Fraction{1, 3}));
  EXPECT_EQ(request.payers[1].ratio, (Fraction{2, 3}));
  EXPECT_EQ(parsed("ratio:a=2/4,b=3/6").payers[1].ratio, (Fraction{1, 2}));
}

TEST(SplitRequest, CopiesPagesMethod) {
  SplitRequest copies = parsed("copies:alice=2,bob=3");
  EXPECT_EQ(copies.mode, SplitMode::kCopies);
  EXPECT_EQ(copies.payers[0].copies, 2);
  EXPECT_EQ(copies.payers[1].copies, 3);

  SplitRequest pages = parsed("pages:alice=1-4+9,bob=5-8+10-");
  EXPECT_EQ(pages.payers[0].pages, (std::vector<std::pair<int, int>>{{1, 4}, {9, 9}}));
  EXPECT_EQ(pages.payers[1].pages, (std::vector<std::pair<int, int>>{{5, 8}, {10, INT_MAX}}));

  SplitRequest method = parsed("method:alice=color+a4+duplex,bob=mono+A3+type=stationery");
  EXPECT_EQ(method.payers[0].method.monochrome, false);
  EXPECT_EQ(method.payers[0].method.media, "iso_a4_210x297mm");
  EXPECT_EQ(method.payers[0].method.sides, Sides::kTwoSidedLongEdge);
  EXPECT_EQ(method.payers[1].method.monochrome, true);
  EXPECT_EQ(method.payers[1].method.media, "iso_a3_297x420mm");
  EXPECT_EQ(method.payers[1].method.media_type, "stationery");
  EXPECT_FALSE(method.payers[1].method.sides);
  EXPECT_EQ(parsed("method:a=two-sided-short-edge").payers[0].method.sides,
            Sides::kTwoSidedShortEdge);
  EXPECT_EQ(parsed("method:a=iso_a5_148x210mm+one-sided").payers[0].method.media,
            "iso_a5_148x210mm");
}

TEST(SplitRequest, Settings) {
  SplitRequest request = parsed("ratio:alice=50,bob=50;deadline=2h;on-decline=cancel");
  EXPECT_EQ(request.deadline, std::chrono::hours(2));
  EXPECT_EQ(request.on_decline, OnDecline::kCancel);
  EXPECT_EQ(parsed("copies:a=1;deadline=90m").deadline, std::chrono::minutes(90));
  EXPECT_EQ(parsed("copies:a=1;deadline=2d").deadline, std::chrono::hours(48));
  EXPECT_EQ(parsed("ratio:a=1/1;on-decline=owner-covers").on_decline, OnDecline::kOwnerCovers);
}

TEST(SplitRequest, UserNames) {
  EXPECT_EQ(parsed("copies:jean.dupont@example.org=1,x_y-z=2").payers[0].payer,
            "jean.dupont@example.org");
  EXPECT_SPLIT_ERROR("copies:=1", "a user name is empty");
  EXPECT_SPLIT_ERROR("copies:-bob=1", "starts with '-'");
  EXPECT_SPLIT_ERROR("copies:.bob=1", "starts with '.'");
  EXPECT_SPLIT_ERROR("copies:b*b=1", "has a character other than");
  EXPECT_SPLIT_ERROR("copies:" + std::string(65, 'a') + "=1", "longer than 64");
  EXPECT_TRUE(validate_split_user("alice").is_ok());
  EXPECT_FALSE(validate_split_user("al ice").is_ok());
}

TEST(SplitRequest, SharesThatDoNotAddUp) {
  EXPECT_SPLIT_ERROR("ratio:alice=50,bob=40", "ratio shares add up to 90%, not 100%");
  EXPECT_SPLIT_ERROR("ratio:alice=60,bob=50.5", "add up to 110.5%, not 100%");
  EXPECT_SPLIT_ERROR("ratio:alice=1/3,bob=1/3", "ratio shares add up to 2/3, not 1");
  EXPECT_SPLIT_ERROR("ratio:alice=2/3,bob=2/3", "add up to 4/3, not 1");
  EXPECT_SPLIT_ERROR("ratio:alice=50,bob=1/2", "all percentages or all fractions");
  EXPECT_SPLIT_ERROR("ratio:alice=0,bob=100", "share of alice is 0");
  EXPECT_SPLIT_ERROR("ratio:alice=0/5,bob=1/1", "share of alice is 0");
  EXPECT_SPLIT_ERROR("ratio:alice=1/0,bob=1/1", "is not a fraction");
  EXPECT_SPLIT_ERROR("ratio:alice=half,bob=50", "share of alice \"half\" is not a percentage");
  EXPECT_SPLIT_ERROR("ratio:alice=50.12345,bob=50", "is not a percentage");
  EXPECT_SPLIT_ERROR("ratio:alice=1000,bob=50", "is not a percentage");
  EXPECT_SPLIT_ERROR("ratio:alice=1/1234567", "is not a fraction");
  EXPECT_SPLIT_ERROR("ratio:a=1/999983,b=1/999979,c=1/999961,d=1/999959",
                     "denominators too large to add up exactly");
  EXPECT_SPLIT_ERROR("ratio:a=999999/1,b=1/999983,c=1/999979", "add up to far more than 1");
}

TEST(SplitRequest, StructureErrors) {
  EXPECT_SPLIT_ERROR("", "empty");
  EXPECT_SPLIT_ERROR("alice=50,bob=50", "no mode");
  EXPECT_SPLIT_ERROR("share:alice=50,bob=50", "unknown mode \"share\"");
  EXPECT_SPLIT_ERROR("Ratio:alice=50,bob=50", "unknown mode \"Ratio\"");
  EXPECT_SPLIT_ERROR("ratio:alice=50,bob=50,", "an empty payer entry");
  EXPECT_SPLIT_ERROR("ratio:", "an empty payer entry");
  EXPECT_SPLIT_ERROR("ratio:alice50", "has no '='");
  EXPECT_SPLIT_ERROR("copies:alice=", "alice has an empty share");
  EXPECT_SPLIT_ERROR("ratio:alice=50,bob=25,alice=25", "alice is named twice");
  EXPECT_SPLIT_ERROR("ratio:alice=50, bob=50", "a space at position 16 is not allowed");
  EXPECT_SPLIT_ERROR("ratio:alice=50,\"bob\"=50", "'\"' at position 16");
  EXPECT_SPLIT_ERROR("ratio:alice=50,b\\ob=50", "'\\' at position 17");
  EXPECT_SPLIT_ERROR("ratio:al\xc3\xa9=100", "byte 195 at position 9");
  EXPECT_SPLIT_ERROR("copies:a=1" + std::string(250, 'x'), "longer than 255");
  std::string many = "copies:";
  for (int i = 0; i < 33; ++i) many += (i ? ",u" : "u") + std::to_string(i) + "=1";
  EXPECT_SPLIT_ERROR(many, "more than 32 payers");
}

TEST(SplitRequest, CopiesErrors) {
  EXPECT_SPLIT_ERROR("copies:alice=0", "copies of alice \"0\" is not a number of copies");
  EXPECT_SPLIT_ERROR("copies:alice=10000", "1 to 9999");
  EXPECT_SPLIT_ERROR("copies:alice=-1", "copies of alice");
  EXPECT_SPLIT_ERROR("copies:alice=2x", "copies of alice");
}

TEST(SplitRequest, PagesErrors) {
  EXPECT_SPLIT_ERROR("pages:alice=1-4,bob=4-8", "pages of alice and bob overlap (page 4)");
  EXPECT_SPLIT_ERROR("pages:alice=1-4+3,bob=5", "pages of alice overlap (page 3)");
  EXPECT_SPLIT_ERROR("pages:alice=5-,bob=7", "pages of alice and bob overlap (page 7)");
  EXPECT_SPLIT_ERROR("pages:alice=0-3", "\"0-3\" is not a page range");
  EXPECT_SPLIT_ERROR("pages:alice=5-3", "\"5-3\" is not a page range");
  EXPECT_SPLIT_ERROR("pages:alice=-3", "is not a page range");
  EXPECT_SPLIT_ERROR("pages:alice=1-4+", "\"\" is not a page range");
  EXPECT_SPLIT_ERROR("pages:alice=1.4", "is not a page range");
}

TEST(SplitRequest, PagesAgainstTheDocument) {
  SplitRequest request = parsed("pages:alice=1-4,bob=5-8+10-");
  EXPECT_TRUE(validate_split_pages(request, 12).is_ok());
  EXPECT_TRUE(validate_split_pages(request, 10).is_ok());
  Status beyond = validate_split_pages(request, 7);
  EXPECT_EQ(beyond.code(), Code::kInvalidArgument);
  EXPECT_NE(beyond.message().find("pages of bob: 5-8 is beyond the document's 7 pages"),
            std::string::npos)
      << beyond.message();
  Status open_end = validate_split_pages(request, 9);
  EXPECT_NE(open_end.message().find("10- is beyond the document's 9 pages"), std::string::npos)
      << open_end.message();
  EXPECT_NE(validate_split_pages(parsed("pages:a=2"), 1).message().find("1 page"),
            std::string::npos);
  EXPECT_TRUE(validate_split_pages(parsed("copies:a=2"), 1).is_ok());
}

TEST(SplitRequest, MethodErrors) {
  EXPECT_SPLIT_ERROR("method:alice=colour", "method of alice: unknown option \"colour\"");
  EXPECT_SPLIT_ERROR("method:alice=color+mono", "chooses the colour mode twice");
  EXPECT_SPLIT_ERROR("method:alice=a4+a3", "chooses the media size twice");
  EXPECT_SPLIT_ERROR("method:alice=duplex+one-sided", "chooses the sides twice");
  EXPECT_SPLIT_ERROR("method:alice=type=a+type=b", "chooses the media type twice");
  EXPECT_SPLIT_ERROR("method:alice=type=Glossy!", "media type \"Glossy!\" is not a keyword");
  EXPECT_SPLIT_ERROR("method:alice=color+", "unknown option \"\"");
  EXPECT_SPLIT_ERROR("method:alice=size=a4", "unknown option \"size=a4\"");
}

TEST(SplitRequest, SettingErrors) {
  EXPECT_SPLIT_ERROR("copies:a=1;deadline=2w", "deadline \"2w\" is not a duration");
  EXPECT_SPLIT_ERROR("copies:a=1;deadline=h", "is not a duration");
  EXPECT_SPLIT_ERROR("copies:a=1;deadline=0h", "is not a duration");
  EXPECT_SPLIT_ERROR("copies:a=1;deadline=2h;deadline=3h", "deadline is given twice");
  EXPECT_SPLIT_ERROR("copies:a=1;on-decline=cancel", "on-decline applies to ratio splits only");
  EXPECT_SPLIT_ERROR("ratio:a=100;on-decline=ignore", "on-decline \"ignore\" is not");
  EXPECT_SPLIT_ERROR("ratio:a=100;colour=yes", "unknown setting \"colour=yes\"");
  EXPECT_SPLIT_ERROR("ratio:a=100;", "unknown setting \"\"");
}

TEST(SplitRequest, CanonicalText) {
  EXPECT_EQ(format_split_request(parsed("ratio:alice=50.0,bob=30,carol=20%")),
            "ratio:alice=50,bob=30,carol=20");
  EXPECT_EQ(format_split_request(parsed("ratio:a=1/3,b=2/3;deadline=120m;on-decline=cancel")),
            "ratio:a=1/3,b=2/3;deadline=2h;on-decline=cancel");
  EXPECT_EQ(format_split_request(parsed("ratio:a=1/4,b=3/4")), "ratio:a=25,b=75");
  EXPECT_EQ(format_split_request(parsed("pages:a=1-4+9,b=10-;deadline=48h")),
            "pages:a=1-4+9,b=10-;deadline=2d");
  EXPECT_EQ(format_split_request(parsed("method:a=duplex+A4+mono")),
            "method:a=mono+iso_a4_210x297mm+two-sided-long-edge");
}

TEST(SplitRequest, Descriptions) {
  SplitRequest ratio = parsed("ratio:a=1/3,b=2/3");
  EXPECT_EQ(describe_payer_request(SplitMode::kRatio, ratio.payers[0]), "1/3");
  EXPECT_EQ(describe_payer_request(SplitMode::kRatio, parsed("ratio:a=12.5,b=87.5").payers[0]),
            "12.5%");
  EXPECT_EQ(describe_payer_request(SplitMode::kCopies, parsed("copies:a=1").payers[0]), "1 copy");
  EXPECT_EQ(describe_payer_request(SplitMode::kPages, parsed("pages:a=1-4+9").payers[0]),
            "pages 1-4, 9");
  EXPECT_EQ(describe_payer_request(SplitMode::kPages, parsed("pages:a=3").payers[0]), "page 3");
  EXPECT_EQ(describe_payer_request(SplitMode::kMethod,
                                   parsed("method:a=mono+a3+type=stationery").payers[0]),
            "mono, A3, stationery");
  EXPECT_EQ(describe_payer_request(SplitMode::kMethod, parsed("method:a=iso_a4_210x297mm").payers[0]),
            "A4");
  EXPECT_EQ(describe_payer_request(SplitMode::kMethod,
                                   parsed("method:a=custom_foo_100x200mm").payers[0]),
            "100x200mm");
}

// What `lp -o pullprint-split=TEXT` does to the value: cupsParseOptions, then cupsEncodeOptions2
// into the job's IPP attributes. The request must come out as one name value, unchanged.
std::string through_cups(const std::string& text) {
  cups_option_t* options = nullptr;
  int count = cupsParseOptions((std::string(kSplitAttribute) + "=" + text).c_str(), 0, &options);
  std::string out = "parsed " + std::to_string(count) + " options";
  if (count == 1 && std::string(options[0].name) == kSplitAttribute) {
    ipp_t* request = ippNewRequest(IPP_OP_PRINT_JOB);
    cupsEncodeOptions2(request, count, options, IPP_TAG_JOB);
    ipp_attribute_t* attribute = ippFindAttribute(request, kSplitAttribute, IPP_TAG_ZERO);
    if (!attribute) {
      out = "no attribute";
    } else if (ippGetCount(attribute) != 1 || ippGetValueTag(attribute) != IPP_TAG_NAME) {
      out = "encoded as " + std::to_string(ippGetCount(attribute)) + " values of " +
            ippTagString(ippGetValueTag(attribute));
    } else {
      out = ippGetString(attribute, 0, nullptr);
    }
    ippDelete(request);
  }
  cupsFreeOptions(count, options);
  return out;
}

TEST(SplitRequest, TravelsThroughCupsOptionsAsOneNameValue) {
  for (const char* text : {"ratio:alice=50,bob=30,carol=20;deadline=24h",
                           "ratio:alice=1/3,bob=2/3;on-decline=cancel", "copies:alice=2,bob=3",
                           "pages:alice=1-4+9,bob=5-8+10-",
                           "method:alice=color+a4+duplex,bob=mono+a3+type=stationery",
                           "copies:jean.dupont@example.org=1,x_y-z=2"}) {
    ASSERT_TRUE(parse_split_request(text).ok()) << text;
    EXPECT_EQ(through_cups(text), text);
  }
}

// Generated requests survive format -> parse unchanged.
RC_GTEST_PROP(SplitRequestProperties, FormatThenParseIsIdentity, ()) {
  const int payers = *rc::gen::inRange(1, 6);
  const int mode = *rc::gen::inRange(0, 4);
  SplitRequest request;
  request.mode = static_cast<SplitMode>(mode);
  std::int64_t left = 100;
  int next_page = 1;
  for (int i = 0; i < payers; ++i) {
    PayerRequest payer;
    payer.payer = "user" + std::to_string(i);
    switch (request.mode) {
      case SplitMode::kRatio: {
        std::int64_t share = i + 1 == payers ? left : *rc::gen::inRange<std::int64_t>(1, left - (payers - i - 1) + 1);
        if (share <= 0 || left - share < payers - i - 1) RC_DISCARD("no room for the shares");
        left -= share;
        std::int64_t divisor = std::gcd(share, std::int64_t{100});
        payer.ratio = Fraction{share / divisor, 100 / divisor};
        break;
      }
      case SplitMode::kCopies: payer.copies = *rc::gen::inRange(1, 10000); break;
      case SplitMode::kPages: {
        int first = next_page + *rc::gen::inRange(0, 3);
        int last = first + *rc::gen::inRange(0, 5);
        payer.pages.emplace_back(first, last);
        next_page = last + 1;
        break;
      }
      case SplitMode::kMethod:
        if (*rc::gen::arbitrary<bool>()) payer.method.monochrome = *rc::gen::arbitrary<bool>();
        if (*rc::gen::arbitrary<bool>()) payer.method.sides = Sides::kTwoSidedShortEdge;
        payer.method.media = *rc::gen::element<std::string>("iso_a4_210x297mm", "na_letter_8.5x11in");
        break;
    }
    request.payers.push_back(payer);
  }
  if (*rc::gen::arbitrary<bool>()) request.deadline = std::chrono::minutes(*rc::gen::inRange(1, 9999));
  if (request.mode == SplitMode::kRatio && *rc::gen::arbitrary<bool>())
    request.on_decline = OnDecline::kCancel;
  std::string text = format_split_request(request);
  Result<SplitRequest> again = parse_split_request(text);
  RC_ASSERT(again.ok());
  RC_ASSERT(again.value() == request);
  RC_ASSERT(through_cups(text) == text);
}

}  // namespace
}  // namespace pp::test
