// money-split.h: what each payer of a split pays.
//
// ratio: the job prints once at its price; the price is divided by largest remainder
// (Hamilton): every payer first gets floor(price * share); the minor units left over (fewer than
// the number of payers) go one each to the payers with the largest remainders. Ties: the larger
// share first, then the payer written first. So the parts always sum to the price exactly, none
// is negative, the result depends only on the input, and permuting the payers permutes the parts
// the same way except between payers equal in both remainder and share (who are then served in
// the order written).
//
// copies / pages / method: each payer's part is a sub-job of its own, priced by itself through
// the pricing module with the job's options changed by the payer's request (copies=N; the payer's
// page-ranges; the payer's colour mode, media, media type and sides). The parts' sum is what the
// split costs; it may differ from the price of the job as submitted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/document.h"
#include "pricing/pricing.h"
#include "splits/split-request.h"
#include "util/status.h"

namespace pp {

// Divides `total` (>= 0, minor units) by the shares (each > 0, summing to exactly 1) as above.
// kInvalidArgument for a negative total or shares that do not sum to 1.
Result<std::vector<std::int64_t>> allocate_largest_remainder(std::int64_t total,
                                                             const std::vector<Fraction>& shares);

struct SplitPart {
  std::string payer;
  std::string description;  // what the payer gets: "50%", "2 copies", "pages 1-4, 9", "mono, ..."
  // The IPP/CUPS job options of the payer's sub-job: the job's own options with the payer's
  // changes (copies, page-ranges, print-color-mode, media, media-type, sides). ratio: the job's
  // options unchanged (there is one print).
  std::map<std::string, std::string> options;
  std::int64_t impressions = 0;  // of the payer's sub-job; ratio: of the one shared print
  std::int64_t amount = 0;       // minor units the payer pays
};

struct SplitQuote {
  std::vector<SplitPart> parts;  // in the order of the request's payers
  std::int64_t total = 0;        // sum of the amounts (ratio: the job's price)
  std::string currency;
};

// Prices every payer's part of `request` on an analysed document, for a job submitted with
// `job_options` (IPP/CUPS names, as for quote_analysed) under `profile`. Runs
// validate_split_pages() first. A payer's options replace the job's: in pages mode the job's own
// page-ranges are replaced by the payer's pages, in copies mode its copies, in method mode the
// colour mode (print-color-mode; a ColorModel is dropped), media, media-type and sides (a Duplex
// is dropped).
Result<SplitQuote> price_split(const SplitRequest& request, const DocumentInfo& document,
                               const std::map<std::string, std::string>& job_options,
                               const PriceProfile& profile);

}  // namespace pp
