// money-test.cpp: the largest-remainder division (examples and RapidCheck properties) and the
// per-mode pricing of each payer's part on a hand-built document.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "splits/money-split.h"
#include "unit/pricing/documents.h"  // document, kA4, kA3

namespace pp::test {
namespace {

using Amounts = std::vector<std::int64_t>;

Amounts allocate(std::int64_t total, const std::vector<Fraction>& shares) {
  auto parts = allocate_largest_remainder(total, shares);
  EXPECT_TRUE(parts.ok()) << parts.status().to_string();
  return parts.ok() ? parts.value() : Amounts{};
}

TEST(LargestRemainder, Examples) {
  EXPECT_EQ(allocate(100, {{1, 2}, {3, 10}, {1, 5}}), (Amounts{50, 30, 20}));
  EXPECT_EQ(allocate(0, {{1, 2}, {1, 2}}), (Amounts{0, 0}));
  EXPECT_EQ(allocate(7, {{1, 1}}), (Amounts{7}));
  // 16.67 / 33.33: the larger remainder (alice's 2/3 of a unit) gets the leftover unit.
  EXPECT_EQ(allocate(50, {{1, 3}, {2, 3}}), (Amounts{17, 33}));
  EXPECT_EQ(allocate(1, {{1, 4}, {3, 4}}), (Amounts{0, 1}));
}

TEST(LargestRemainder, TieBreaks) {
  // Equal remainders (0.5 each): the larger share first.
  EXPECT_EQ(allocate(2, {{1, 4}, {3, 4}}), (Amounts{0, 2}));
  EXPECT_EQ(allocate(2, {{3, 4}, {1, 4}}), (Amounts{2, 0}));
  // Equal remainders and equal shares: the payer written first.
  EXPECT_EQ(allocate(100, {{1, 3}, {1, 3}, {1, 3}}), (Amounts{34, 33, 33}));
  EXPECT_EQ(allocate(2, {{1, 3}, {1, 3}, {1, 3}}), (Amounts{1, 1, 0}));
}

TEST(LargestRemainder, HugeTotals) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  Amounts parts = allocate(max, {{1, 3}, {1, 3}, {1, 3}});
  EXPECT_EQ(parts[0] + parts[1] + parts[2], max);
  EXPECT_EQ(parts[0], max / 3 + 1);
}

TEST(LargestRemainder, Refusals) {
  EXPECT_EQ(allocate_largest_remainder(-1, {{1, 1}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(allocate_largest_remainder(5, {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(allocate_largest_remainder(5, {{1, 2}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(allocate_largest_remainder(5, {{0, 1}, {1, 1}}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(allocate_largest_remainder(5, {{2, 3}, {2, 3}}).status().code(),
            Code::kInvalidArgument);
}

// Random shares: weights 1..max_weight turned into reduced fractions of their sum.
std::vector<Fraction> shares_from(const std::vector<std::int64_t>& weights) {
  std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  std::vector<Fraction> shares;
  for (std::int64_t weight : weights) {
    std::int64_t divisor = std::gcd(weight, sum);
    shares.push_back(Fraction{weight / divisor, sum / divisor});
  }
  return shares;
}

rc::Gen<std::vector<std::int64_t>> weights_gen() {
  return rc::gen::mapcat(rc::gen::inRange(1, 12), [](int count) {
    return rc::gen::container<std::vector<std::int64_t>>(count,
                                                         rc::gen::inRange<std::int64_t>(1, 1000));
  });
}

rc::Gen<std::int64_t> total_gen() {
  return rc::gen::oneOf(rc::gen::inRange<std::int64_t>(0, 1000),
                        rc::gen::inRange<std::int64_t>(0, std::numeric_limits<std::int64_t>::max()),
                        rc::gen::just(std::numeric_limits<std::int64_t>::max()));
}

RC_GTEST_PROP(LargestRemainderProperties, PartsSumToThePriceNoneNegativeEachWithinOneUnit, ()) {
  const std::int64_t total = *total_gen();
  const std::vector<std::int64_t> weights = *weights_gen();
  const std::vector<Fraction> shares = shares_from(weights);
  auto parts = allocate_largest_remainder(total, shares);
  RC_ASSERT(parts.ok());
  RC_ASSERT(parts->size() == shares.size());
  __int128 sum = 0;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    std::int64_t part = (*parts)[i];
    RC_ASSERT(part >= 0);
    // floor(exact) <= part <= floor(exact) + 1
    __int128 floor = static_cast<__int128>(total) * shares[i].numerator / shares[i].denominator;
    RC_ASSERT(part >= floor);
    RC_ASSERT(part <= floor + 1);
    sum += part;
  }
  RC_ASSERT(sum == static_cast<__int128>(total));
}

RC_GTEST_PROP(LargestRemainderProperties, Deterministic, ()) {
  const std::int64_t total = *total_gen();
  const std::vector<Fraction> shares = shares_from(*weights_gen());
  RC_ASSERT(allocate_largest_remainder(total, shares).value() ==
            allocate_largest_remainder(total, shares).value());
}

// Permuting the payers permutes their parts, except between payers with equal shares (who get
// parts differing by at most one, served in the order written): the parts of distinct shares
// follow their payers, and the multiset of parts never changes.
RC_GTEST_PROP(LargestRemainderProperties, PermutationBehaviour, ()) {
  const std::int64_t total = *total_gen();
  const std::vector<std::int64_t> weights = *weights_gen();
  std::vector<std::size_t> permutation(weights.size());
  std::iota(permutation.begin(), permutation.end(), 0);
  for (std::size_t i = permutation.size(); i > 1; --i)
    std::swap(permutation[i - 1], permutation[*rc::gen::inRange<std::size_t>(0, i)]);
  std::vector<std::int64_t> permuted_weights;
  for (std::size_t index : permutation) permuted_weights.push_back(weights[index]);

  Amounts parts = allocate_largest_remainder(total, shares_from(weights)).value();
  Amounts permuted = allocate_largest_remainder(total, shares_from(permuted_weights)).value();
  for (std::size_t i = 0; i < permutation.size(); ++i) {
    std::size_t original = permutation[i];
    bool unique = std::count(weights.begin(), weights.end(), weights[original]) == 1;
    if (unique) RC_ASSERT(permuted[i] == parts[original]);
  }
  std::sort(parts.begin(), parts.end());
  std::sort(permuted.begin(), permuted.end());
  RC_ASSERT(parts == permuted);
}

// --- per-payer parts ---------------------------------------------------------------------

// 5 per grey, 20 per colour impression; A3 costs double.
PriceProfile profile() {
  PriceProfile profile;
  profile.mono_impression = 5;
  profile.color_impression = 20;
  profile.media_percent[kA3] = 200;
  return profile;
}

SplitQuote quote(const std::string& request_text, std::string_view pages,
                 const std::map<std::string, std::string>& options = {}) {
  Result<SplitRequest> request = parse_split_request(request_text);
  EXPECT_TRUE(request.ok()) << request.status().to_string();
  if (!request.ok()) return {};
  Result<SplitQuote> priced = price_split(*request, document(pages), options, profile());
  EXPECT_TRUE(priced.ok()) << priced.status().to_string();
  return priced.ok() ? priced.value() : SplitQuote{};
}

TEST(PriceSplit, RatioDividesTheOnePrint) {
  SplitQuote split = quote("ratio:alice=1/3,bob=2/3", "ccgg", {{"copies", "2"}});
  ASSERT_EQ(split.parts.size(), 2u);
  EXPECT_EQ(split.total, 100);  // (2 x 20 + 2 x 5) x 2 copies
  EXPECT_EQ(split.currency, "EUR");
  EXPECT_EQ(split.parts[0].amount, 33);
  EXPECT_EQ(split.parts[1].amount, 67);
  EXPECT_EQ(split.parts[0].impressions, 8);
  EXPECT_EQ(split.parts[0].description, "1/3");
  EXPECT_EQ(split.parts[0].options, (std::map<std::string, std::string>{{"copies", "2"}}));
}

TEST(PriceSplit, CopiesPricesEachPayersCopies) {
  SplitQuote split = quote("copies:alice=2,bob=3", "ccgg", {{"copies", "5"}, {"sides", "one-sided"}});
  EXPECT_EQ(split.parts[0].amount, 100);
  EXPECT_EQ(split.parts[1].amount, 150);
  EXPECT_EQ(split.parts[1].impressions, 12);
  EXPECT_EQ(split.total, 250);
  EXPECT_EQ(split.parts[0].options.at("copies"), "2");
  EXPECT_EQ(split.parts[0].options.at("sides"), "one-sided");
  EXPECT_EQ(split.parts[1].description, "3 copies");
}

TEST(PriceSplit, PagesPricesEachPayersPages) {
  SplitQuote split = quote("pages:alice=1-2,bob=3-", "ccgg", {{"page-ranges", "1"}});
  EXPECT_EQ(split.parts[0].amount, 40);
  EXPECT_EQ(split.parts[1].amount, 10);
  EXPECT_EQ(split.parts[0].options.at("page-ranges"), "1-2");
  EXPECT_EQ(split.parts[1].options.at("page-ranges"), "3-4");  // the open end made concrete
  EXPECT_EQ(split.parts[1].impressions, 2);
  EXPECT_EQ(split.parts[1].description, "pages 3-4");
}

TEST(PriceSplit, MethodPricesEachPayersOptions) {
  SplitQuote split = quote("method:alice=mono,bob=color+a3+duplex+type=stationery", "ccgg",
                           {{"ColorModel", "Gray"}, {"Duplex", "None"}});
  // alice: grey everything: 4 x 5. bob: colour as painted, A3 at 200%: (2 x 20 + 2 x 5) x 2.
  EXPECT_EQ(split.parts[0].amount, 20);
  EXPECT_EQ(split.parts[1].amount, 100);
  EXPECT_EQ(split.parts[0].options.at("print-color-mode"), "monochrome");
  EXPECT_EQ(split.parts[0].options.count("ColorModel"), 0u);
  EXPECT_EQ(split.parts[0].options.at("Duplex"), "None");  // alice keeps the job's sides
  EXPECT_EQ(split.parts[1].options.at("print-color-mode"), "color");
  EXPECT_EQ(split.parts[1].options.at("media"), kA3);
  EXPECT_EQ(split.parts[1].options.at("media-type"), "stationery");
  EXPECT_EQ(split.parts[1].options.at("sides"), "two-sided-long-edge");
  EXPECT_EQ(split.parts[1].options.count("Duplex"), 0u);
  EXPECT_EQ(split.total, 120);
  EXPECT_EQ(split.parts[0].description, "mono");
  EXPECT_EQ(split.parts[1].description, "color, A3, two-sided-long-edge, stationery");
}

TEST(PriceSplit, PagesBeyondTheDocumentAreRefused) {
  Result<SplitRequest> request = parse_split_request("pages:alice=1-2,bob=3-9");
  ASSERT_TRUE(request.ok());
  Result<SplitQuote> priced = price_split(*request, document("ccgg"), {}, profile());
  EXPECT_EQ(priced.status().code(), Code::kInvalidArgument);
  EXPECT_NE(priced.status().message().find("beyond the document's 4 pages"), std::string::npos);
}

TEST(PriceSplit, BadJobOptionsAreRefused) {
  Result<SplitRequest> request = parse_split_request("copies:alice=1");
  ASSERT_TRUE(request.ok());
  Result<SplitQuote> priced = price_split(*request, document("g"), {{"sides", "sideways"}}, profile());
  EXPECT_EQ(priced.status().code(), Code::kInvalidArgument);
  EXPECT_NE(priced.status().message().find("part of alice"), std::string::npos)
      << priced.status().message();
}

// For random documents, job options and ratio shares, the ratio parts sum to the job's price
// (priced alone) and none is negative.
RC_GTEST_PROP(PriceSplitProperties, RatioPartsSumToTheJobPrice, ()) {
  const std::string pages =
      *rc::gen::container<std::string>(*rc::gen::inRange(1, 30), rc::gen::element('c', 'g'));
  const int copies = *rc::gen::inRange(1, 50);
  const std::vector<std::int64_t> weights = *weights_gen();
  SplitRequest request;
  request.mode = SplitMode::kRatio;
  std::vector<Fraction> shares = shares_from(weights);
  for (std::size_t i = 0; i < shares.size(); ++i) {
    PayerRequest payer;
    payer.payer = "u" + std::to_string(i);
    payer.ratio = shares[i];
    request.payers.push_back(payer);
  }
  std::map<std::string, std::string> options{{"copies", std::to_string(copies)}};
  Result<SplitQuote> split = price_split(request, document(pages), options, profile());
  RC_ASSERT(split.ok());
  JobOptions job;
  job.copies = copies;
  std::int64_t price = price_impressions(count_impressions(document(pages), job).value(), profile()).minor;
  std::int64_t sum = 0;
  for (const SplitPart& part : split->parts) {
    RC_ASSERT(part.amount >= 0);
    sum += part.amount;
  }
  RC_ASSERT(sum == price);
  RC_ASSERT(split->total == price);
}

}  // namespace
}  // namespace pp::test
