// price.cpp: price_impressions, counted impressions times a price profile.
//
// All arithmetic is exact integers in units of 1/10000 minor unit (a percent of a percent: the
// duplex discount times the media multiplier), with a single division at the end, rounding half
// up. Checked __int128 arithmetic; a total beyond int64 saturates at INT64_MAX, so an absurd job
// is refused for lack of funds instead of wrapping round to a small or negative price.
#include <algorithm>
#include <limits>
#include <optional>

#include "pricing/pricing.h"

namespace pp {

namespace {

using Wide = __int128;

constexpr std::int64_t kMaxMinor = std::numeric_limits<std::int64_t>::max();
constexpr Wide kScale = 10000;  // 100 (discount percent) x 100 (media percent)

// Checked arithmetic: nullopt once anything overflows.
std::optional<Wide> mul(std::optional<Wide> a, Wide b) {
  Wide out = 0;
  if (!a || __builtin_mul_overflow(*a, b, &out)) return std::nullopt;
  return out;
}

std::optional<Wide> add(std::optional<Wide> a, std::optional<Wide> b) {
  Wide out = 0;
  if (!a || !b || __builtin_add_overflow(*a, *b, &out)) return std::nullopt;
  return out;
}

// Profiles from the config are never negative; a hand-built one is clamped rather than paying
// people to print.
Wide non_negative(std::int64_t value) {
  return std::max<std::int64_t>(value, 0);
}

std::int64_t media_percent(const PriceProfile& profile, const std::string& media) {
  auto found = profile.media_percent.find(media);
  return found == profile.media_percent.end() ? 100 : found->second;
}

// One media's share of the price, in 1/10000 minor units.
std::optional<Wide> media_units(const MediaCount& count, const PriceProfile& profile,
                                std::int64_t percent) {
  Wide mono = non_negative(profile.mono_impression);
  Wide color = non_negative(profile.color_impression);
  Wide discount = std::clamp<std::int64_t>(profile.duplex_discount_percent, 0, 100);
  auto all =
      add(mul(Wide(count.mono_impressions), mono), mul(Wide(count.color_impressions), color));
  auto duplex = add(mul(Wide(count.duplex_mono_impressions), mono),
                    mul(Wide(count.duplex_color_impressions), color));
  // impressions x 100% minus the discount on those of two-sided sheets, plus sheets x 100%.
  auto impressions = add(mul(all, 100), mul(duplex, -discount));
  auto sheets = mul(mul(Wide(count.sheets), non_negative(profile.sheet)), 100);
  return mul(add(impressions, sheets), non_negative(percent));
}

}  // namespace

Price price_impressions(const ImpressionCount& count, const PriceProfile& profile) {
  Price price{0, profile.currency};
  if (count.impressions() == 0) return price;  // a job that prints nothing costs nothing
  std::optional<Wide> units = Wide(0);
  for (const auto& [media, media_count] : count.by_media) {
    units = add(units, media_units(media_count, profile, media_percent(profile, media)));
  }
  if (!units) {
    price.minor = kMaxMinor;
    return price;
  }
  Wide rounded = (*units + kScale / 2) / kScale;  // the one division, half up
  price.minor = rounded > kMaxMinor ? kMaxMinor : static_cast<std::int64_t>(rounded);
  price.minor = std::max(price.minor, std::max<std::int64_t>(profile.minimum, 0));
  return price;
}

}  // namespace pp
