// impressions.cpp: count_impressions, the one place where page-ranges, number-up, sides and
// copies turn document pages into impressions and sheets, in exactly that order, once each.
#include <algorithm>
#include <array>

#include "pricing/page-ranges.h"
#include "pricing/pricing.h"

namespace pp {

namespace {

// One printed sheet side: number_up consecutive selected pages.
struct SheetSide {
  bool color = false;
  const std::string* media = nullptr;
};

Status check_options(const JobOptions& options) {
  constexpr std::array kNumberUp = {1, 2, 4, 6, 9, 16};
  if (options.copies < 1) return Status(Code::kInvalidArgument, "copies must be at least 1");
  if (std::find(kNumberUp.begin(), kNumberUp.end(), options.number_up) == kNumberUp.end()) {
    return Status(Code::kInvalidArgument, "number-up must be 1, 2, 4, 6, 9 or 16");
  }
  for (const auto& [first, last] : options.page_ranges) {
    if (first < 1 || first > last) {
      return Status(Code::kInvalidArgument,
                    "page-ranges: bad range " + std::to_string(first) + "-" + std::to_string(last));
    }
  }
  return Status::ok();
}

// page-ranges: the selected pages in document order, each once even when ranges overlap;
// ranges beyond the last page are clipped.
Result<std::vector<const PageInfo*>> select_pages(const DocumentInfo& document,
                                                  const JobOptions& options) {
  if (document.pages.empty()) return Status(Code::kMalformedDocument, "document has no pages");
  std::vector<const PageInfo*> selected;
  for (std::size_t i = 0; i < document.pages.size(); ++i) {
    if (page_selected(options.page_ranges, static_cast<int>(i) + 1)) {
      selected.push_back(&document.pages[i]);
    }
  }
  if (selected.empty()) {
    return Status(Code::kInvalidArgument, "page-ranges select no page of the " +
                                              std::to_string(document.pages.size()) +
                                              "-page document");
  }
  return selected;
}

// number-up: consecutive pages share a side; the side is colour if any of its pages is (and
// never in monochrome mode), its media is the job's media or else that of its first page.
std::vector<SheetSide> make_sides(const std::vector<const PageInfo*>& pages,
                                  const JobOptions& options) {
  std::vector<SheetSide> sides;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (i % static_cast<std::size_t>(options.number_up) == 0) {
      sides.push_back({false, options.media ? &*options.media : &pages[i]->media});
    }
    sides.back().color = sides.back().color || (pages[i]->color && !options.monochrome);
  }
  return sides;
}

void add_impression(MediaCount& count, bool color, bool on_duplex_sheet) {
  ++(color ? count.color_impressions : count.mono_impressions);
  if (on_duplex_sheet) ++(color ? count.duplex_color_impressions : count.duplex_mono_impressions);
}

// sides: one sheet per side, or two consecutive sides per sheet when two-sided, except that a
// side on other media than the sheet's front starts a new sheet, as the printer must. A blank
// back is no impression.
std::map<std::string, MediaCount> make_sheets(const std::vector<SheetSide>& sides, bool duplex) {
  std::map<std::string, MediaCount> by_media;
  std::size_t i = 0;
  while (i < sides.size()) {
    const SheetSide& front = sides[i];
    bool has_back = duplex && i + 1 < sides.size() && *sides[i + 1].media == *front.media;
    MediaCount& count = by_media[*front.media];
    ++count.sheets;
    count.duplex_sheets += has_back ? 1 : 0;
    add_impression(count, front.color, has_back);
    if (has_back) add_impression(count, sides[i + 1].color, true);
    i += has_back ? 2 : 1;
  }
  return by_media;
}

// copies: each copy starts on a fresh sheet, so every count scales exactly.
void multiply(std::map<std::string, MediaCount>& by_media, std::int64_t copies) {
  for (auto& [media, count] : by_media) {
    for (std::int64_t* field :
         {&count.mono_impressions, &count.color_impressions, &count.sheets, &count.duplex_sheets,
          &count.duplex_mono_impressions, &count.duplex_color_impressions}) {
      *field *= copies;  // at most 2^31 pages x 2^31 copies: fits int64
    }
  }
}

}  // namespace

Result<ImpressionCount> count_impressions(const DocumentInfo& document, const JobOptions& options) {
  Status valid = check_options(options);
  if (!valid.is_ok()) return valid;
  auto selected = select_pages(document, options);
  if (!selected.ok()) return selected.status();
  std::vector<SheetSide> sides = make_sides(selected.value(), options);
  ImpressionCount count;
  count.by_media = make_sheets(sides, options.sides != Sides::kOneSided);
  multiply(count.by_media, options.copies);
  count.selected_pages = static_cast<std::int64_t>(selected->size());
  return count;
}

std::int64_t ImpressionCount::mono_impressions() const {
  std::int64_t total = 0;
  for (const auto& [media, count] : by_media) total += count.mono_impressions;
  return total;
}

std::int64_t ImpressionCount::color_impressions() const {
  std::int64_t total = 0;
  for (const auto& [media, count] : by_media) total += count.color_impressions;
  return total;
}

std::int64_t ImpressionCount::sheets() const {
  std::int64_t total = 0;
  for (const auto& [media, count] : by_media) total += count.sheets;
  return total;
}

}  // namespace pp
