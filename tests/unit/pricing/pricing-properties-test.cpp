// pricing-properties-test.cpp: RapidCheck properties of impressions and prices.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pricing/pricing.h"
#include "unit/pricing/documents.h"

namespace pp {
namespace {

// A random document of 1..60 pages, grey or colour, A4 or A3.
rc::Gen<DocumentInfo> gen_document() {
  return rc::gen::map(
      rc::gen::suchThat(rc::gen::container<std::string>(rc::gen::elementOf(std::string("gcGC"))),
                        [](const std::string& s) { return !s.empty() && s.size() <= 60; }),
      [](const std::string& pages) { return test::document(pages); });
}

// Random options whose ranges always select at least page 1.
JobOptions gen_options() {
  JobOptions options;
  options.copies = *rc::gen::inRange(1, 20);
  options.number_up = *rc::gen::elementOf(std::vector<int>{1, 2, 4, 6, 9, 16});
  options.sides =
      *rc::gen::element(Sides::kOneSided, Sides::kTwoSidedLongEdge, Sides::kTwoSidedShortEdge);
  options.monochrome = *rc::gen::arbitrary<bool>();
  if (*rc::gen::arbitrary<bool>()) {
    int last = *rc::gen::inRange(1, 80);
    options.page_ranges = {{1, last}, {*rc::gen::inRange(1, 80), 100}};
  }
  if (*rc::gen::arbitrary<bool>()) options.media = test::kA4;
  return options;
}

PriceProfile gen_profile() {
  PriceProfile p;
  p.mono_impression = *rc::gen::inRange<std::int64_t>(0, 100);
  p.color_impression = p.mono_impression + *rc::gen::inRange<std::int64_t>(0, 100);
  p.sheet = *rc::gen::inRange<std::int64_t>(0, 10);
  p.duplex_discount_percent = *rc::gen::inRange<std::int64_t>(0, 101);
  p.minimum = *rc::gen::inRange<std::int64_t>(0, 50);
  p.media_percent[test::kA3] = *rc::gen::inRange<std::int64_t>(0, 400);
  return p;
}

ImpressionCount counted(const DocumentInfo& document, const JobOptions& options) {
  Result<ImpressionCount> count = count_impressions(document, options);
  RC_ASSERT(count.ok());
  return count.value();
}

RC_GTEST_PROP(PricingProperties, CopiesMultiplyEveryCount, ()) {
  DocumentInfo document = *gen_document();
  JobOptions options = gen_options();
  ImpressionCount many = counted(document, options);
  options.copies = 1;
  ImpressionCount one = counted(document, options);
  std::int64_t copies = many.impressions() / std::max<std::int64_t>(one.impressions(), 1);
  RC_ASSERT(many.by_media.size() == one.by_media.size());
  for (const auto& [media, count] : one.by_media) {
    const MediaCount& scaled = many.by_media.at(media);
    RC_ASSERT(scaled.mono_impressions == copies * count.mono_impressions);
    RC_ASSERT(scaled.color_impressions == copies * count.color_impressions);
    RC_ASSERT(scaled.sheets == copies * count.sheets);
    RC_ASSERT(scaled.duplex_sheets == copies * count.duplex_sheets);
  }
  RC_ASSERT(many.selected_pages == one.selected_pages);
}

RC_GTEST_PROP(PricingProperties, ImpressionsBoundedBySelectedPagesTimesCopies, ()) {
  DocumentInfo document = *gen_document();
  JobOptions options = gen_options();
  ImpressionCount count = counted(document, options);
  RC_ASSERT(count.impressions() >= 1);
  RC_ASSERT(count.impressions() <= count.selected_pages * options.copies);
  RC_ASSERT(count.sheets() <= count.impressions());
  RC_ASSERT(count.selected_pages <= document.page_count());
  // Never fewer sides than number-up allows.
  std::int64_t sides = (count.selected_pages + options.number_up - 1) / options.number_up;
  RC_ASSERT(count.impressions() == sides * options.copies);
  if (options.monochrome) RC_ASSERT(count.color_impressions() == 0);
}

RC_GTEST_PROP(PricingProperties, PriceMonotoneInCopies, ()) {
  DocumentInfo document = *gen_document();
  JobOptions options = gen_options();
  PriceProfile profile = gen_profile();
  std::int64_t price = price_impressions(counted(document, options), profile).minor;
  options.copies += 1;
  std::int64_t more = price_impressions(counted(document, options), profile).minor;
  RC_ASSERT(more >= price);
  RC_ASSERT(price >= profile.minimum);
}

RC_GTEST_PROP(PricingProperties, MonochromeNeverCostsMoreThanColour, ()) {
  DocumentInfo document = *gen_document();
  JobOptions options = gen_options();
  PriceProfile profile = gen_profile();  // colour never cheaper than mono
  options.monochrome = false;
  std::int64_t color = price_impressions(counted(document, options), profile).minor;
  options.monochrome = true;
  std::int64_t mono = price_impressions(counted(document, options), profile).minor;
  RC_ASSERT(mono <= color);
}

RC_GTEST_PROP(PricingProperties, DiscountNeverRaisesThePrice, ()) {
  DocumentInfo document = *gen_document();
  JobOptions options = gen_options();
  PriceProfile profile = gen_profile();
  ImpressionCount count = counted(document, options);
  std::int64_t with = price_impressions(count, profile).minor;
  profile.duplex_discount_percent = 0;
  RC_ASSERT(with <= price_impressions(count, profile).minor);
}

}  // namespace
}  // namespace pp
