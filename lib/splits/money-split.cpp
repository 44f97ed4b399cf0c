// money-split.cpp: largest-remainder division and per-payer part pricing.
#include "splits/money-split.h"

#include <algorithm>
#include <climits>
#include <numeric>

namespace pp {

namespace {

using Wide = __int128;

std::string sides_option(Sides sides) {
  switch (sides) {
    case Sides::kOneSided: return "one-sided";
    case Sides::kTwoSidedLongEdge: return "two-sided-long-edge";
    case Sides::kTwoSidedShortEdge: return "two-sided-short-edge";
  }
  return "one-sided";
}

// "1-4,9" with open ends made concrete (the document's last page).
std::string page_ranges_option(const std::vector<std::pair<int, int>>& pages, int page_count) {
  std::string text;
  for (auto [first, last] : pages) {
    if (last == INT_MAX) last = std::max(first, page_count);
    text += (text.empty() ? "" : ",") + std::to_string(first);
    if (last != first) text += "-" + std::to_string(last);
  }
  return text;
}

// The job's options with the payer's changes (see price_split in the header).
std::map<std::string, std::string> payer_options(const SplitRequest& request,
                                                 const PayerRequest& payer,
                                                 std::map<std::string, std::string> options,
                                                 int page_count) {
  switch (request.mode) {
    case SplitMode::kRatio: break;
    case SplitMode::kCopies: options["copies"] = std::to_string(payer.copies); break;
    case SplitMode::kPages: options["page-ranges"] = page_ranges_option(payer.pages, page_count); break;
    case SplitMode::kMethod: {
      const MethodChoice& choice = payer.method;
      if (choice.monochrome) {
        options.erase("ColorModel");
        options["print-color-mode"] = *choice.monochrome ? "monochrome" : "color";
      }
      if (choice.sides) {
        options.erase("Duplex");
        options["sides"] = sides_option(*choice.sides);
      }
      if (choice.media) options["media"] = *choice.media;
      if (choice.media_type) options["media-type"] = *choice.media_type;
      break;
    }
  }
  return options;
}

struct Priced {
  std::int64_t impressions = 0;
  std::int64_t amount = 0;
};

Result<Priced> price_options(const DocumentInfo& document,
                             const std::map<std::string, std::string>& options,
                             const PriceProfile& profile) {
  Result<JobOptions> job = job_options_from_map(options);
  if (!job) return job.status();
  Result<ImpressionCount> count = count_impressions(document, *job);
  if (!count) return count.status();
  return Priced{count->impressions(), price_impressions(*count, profile).minor};
}

}  // namespace

Result<std::vector<std::int64_t>> allocate_largest_remainder(std::int64_t total,
                                                             const std::vector<Fraction>& shares) {
  if (total < 0) return Status(Code::kInvalidArgument, "a price to divide is never negative");
  if (shares.empty()) return Status(Code::kInvalidArgument, "no shares to divide a price by");
  // Every share as weight / common: common = lcm of the denominators (bounded by the parser).
  Wide common = 1;
  for (const Fraction& share : shares) {
    if (share.numerator <= 0 || share.denominator <= 0)
      return Status(Code::kInvalidArgument, "a share is more than 0");
    common = common / std::gcd(static_cast<std::int64_t>(common), share.denominator) *
             share.denominator;
    if (common > Wide(1'000'000'000'000'000)) {
      return Status(Code::kInvalidArgument, "shares have denominators too large to divide exactly");
    }
  }
  std::vector<Wide> weights;
  Wide weight_sum = 0;
  for (const Fraction& share : shares) {
    weights.push_back(Wide(share.numerator) * (common / share.denominator));
    weight_sum += weights.back();
  }
  if (weight_sum != common) return Status(Code::kInvalidArgument, "shares do not add up to 1");

  std::vector<std::int64_t> parts(shares.size());
  std::vector<Wide> remainders(shares.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    Wide exact = Wide(total) * weights[i];  // < 2^63 * 10^15 < 2^127
    parts[i] = static_cast<std::int64_t>(exact / common);
    remainders[i] = exact % common;
    given += parts[i];
  }
  std::vector<std::size_t> order(shares.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
    if (weights[a] != weights[b]) return weights[a] > weights[b];
    return a < b;
  });
  // Fewer units are left than there are payers: each floor lost less than one.
  for (std::int64_t left = total - given, k = 0; left > 0; --left, ++k) ++parts[order[k]];
  return parts;
}

Result<SplitQuote> price_split(const SplitRequest& request, const DocumentInfo& document,
                               const std::map<std::string, std::string>& job_options,
                               const PriceProfile& profile) {
  if (Status status = validate_split_pages(request, document.page_count()); !status.is_ok())
    return status;
  SplitQuote quote;
  quote.currency = profile.currency;
  for (const PayerRequest& payer : request.payers) {
    SplitPart part;
    part.payer = payer.payer;
    PayerRequest shown = payer;  // open ends as the document's last page
    for (auto& range : shown.pages) {
      if (range.second == INT_MAX) range.second = std::max(range.first, document.page_count());
    }
    part.description = describe_payer_request(request.mode, shown);
    part.options = payer_options(request, payer, job_options, document.page_count());
    quote.parts.push_back(std::move(part));
  }

  if (request.mode == SplitMode::kRatio) {
    Result<Priced> job = price_options(document, job_options, profile);
    if (!job) return job.status();
    std::vector<Fraction> shares;
    for (const PayerRequest& payer : request.payers) shares.push_back(payer.ratio);
    Result<std::vector<std::int64_t>> amounts = allocate_largest_remainder(job->amount, shares);
    if (!amounts) return amounts.status();
    for (std::size_t i = 0; i < quote.parts.size(); ++i) {
      quote.parts[i].impressions = job->impressions;
      quote.parts[i].amount = (*amounts)[i];
    }
    quote.total = job->amount;
    return quote;
  }

  for (SplitPart& part : quote.parts) {
    Result<Priced> priced = price_options(document, part.options, profile);
    if (!priced) {
      return Status(priced.status().code(),
                    "part of " + part.payer + ": " + priced.status().message());
    }
    part.impressions = priced->impressions;
    part.amount = priced->amount;
    if (__builtin_add_overflow(quote.total, part.amount, &quote.total))
      return Status(Code::kLimitExceeded, "the parts of the split cost more than can be counted");
  }
  return quote;
}

}  // namespace pp
