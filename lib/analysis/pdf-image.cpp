// pdf-image.cpp: decoding image data through qpdf's filters and checking every pixel.
//
// Pixels are checked as they stream out of the decoder, row by row, so that no decoded image is
// ever held in memory; the first colour pixel stops decoding.
#include "analysis/pdf-image.h"

#include <qpdf/Pipeline.hh>

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <set>
#include <string>

namespace pp::pdf {

namespace {

// Thrown inside the pipeline to stop decoding once the answer is known.
struct StopDecoding {};

bool filters_decodable(QPDFObjectHandle filter) {
  static const std::set<std::string> decodable = {
      "/FlateDecode", "/Fl",  "/LZWDecode", "/LZW",       "/ASCIIHexDecode", "/AHx",
      "/ASCII85Decode", "/A85", "/RunLengthDecode", "/RL", "/DCTDecode",      "/DCT"};
  if (absent(filter)) return true;
  if (filter.isName()) return decodable.count(filter.getName()) > 0;
  if (!filter.isArray()) return false;
  for (QPDFObjectHandle item : filter.aitems()) {
    if (!item.isName() || !decodable.count(item.getName())) return false;
  }
  return true;
}

int int_key(QPDFObjectHandle dict, const char* key, int fallback) {
  QPDFObjectHandle v = dict.getKey(key);
  return v.isInteger() ? v.getIntValueAsInt() : fallback;
}

// Receives decoded image bytes and judges them pixel by pixel.
class PixelChecker : public Pipeline {
 public:
  PixelChecker(const ColorSpace& space, int width, int bits, std::vector<double> decode,
               bool default_decode, const AnalysisOptions& options)
      : Pipeline("pixel-checker", nullptr),
        space_(space),
        width_(width),
        bits_(bits),
        components_(space.components),
        decode_(std::move(decode)),
        default_decode_(default_decode),
        options_(options),
        tolerance_(std::clamp(options.neutral_tolerance, 0, 255)),
        row_bytes_((static_cast<size_t>(width) * components_ * bits + 7) / 8) {
    row_.reserve(row_bytes_);
  }

  void write(unsigned char const* data, size_t len) override {
    while (len > 0) {
      if (row_.empty() && len >= row_bytes_) {  // whole rows straight from the decoder's buffer
        check_row(data);
        data += row_bytes_;
        len -= row_bytes_;
        continue;
      }
      size_t take = std::min(len, row_bytes_ - row_.size());
      row_.insert(row_.end(), data, data + take);
      data += take;
      len -= take;
      if (row_.size() == row_bytes_) {
        check_row(row_.data());
        row_.clear();
      }
    }
  }
  void finish() override {}

  // The verdict for everything seen so far (palette entries of Indexed images included).
  Ink verdict() const {
    Ink ink = ink_;
    if (space_.family == SpaceFamily::kIndexed) {
      for (size_t i = 0; i < space_.palette.size() && i < used_.size(); ++i) {
        if (used_[i]) ink = worst(ink, space_.palette[i]);
      }
    }
    return ink;
  }

 private:
  void found(Ink ink) {
    ink_ = worst(ink_, ink);
    if (ink_ == Ink::kColor) throw StopDecoding();
  }

  void check_row(const unsigned char* row) {
    if (bits_ == 8 && default_decode_ && space_.family == SpaceFamily::kRgb) return check_rgb8(row);
    if (bits_ == 8 && default_decode_ && space_.family == SpaceFamily::kCmyk) return check_cmyk8(row);
    if (space_.family == SpaceFamily::kIndexed) return mark_indices(row);
    check_generic(row);
  }

  void check_rgb8(const unsigned char* p) {
    for (int x = 0; x < width_; ++x, p += 3) {
      int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
      if (hi - lo > tolerance_) found(Ink::kColor);
    }
  }

  void check_cmyk8(const unsigned char* p) {
    for (int x = 0; x < width_; ++x, p += 4) {
      int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
      if (hi - lo <= tolerance_) continue;
      if (!options_.rich_black_is_color && p[3] >= 255 - tolerance_) continue;
      found(Ink::kColor);
    }
  }

  unsigned sample(const unsigned char* row, size_t index) const {
    switch (bits_) {
      case 8: return row[index];
      case 16: return (row[2 * index] << 8) | row[2 * index + 1];
      default: {
        size_t bit = index * bits_;
        unsigned byte = row[bit / 8];
        int shift = 8 - bits_ - static_cast<int>(bit % 8);
        return (byte >> shift) & ((1u << bits_) - 1);
      }
    }
  }

  void mark_indices(const unsigned char* row) {
    const double max = std::pow(2.0, bits_) - 1;
    for (int x = 0; x < width_; ++x) {
      unsigned raw = sample(row, x);
      double index = default_decode_ ? raw : decode_[0] + raw * (decode_[1] - decode_[0]) / max;
      int i = std::clamp(static_cast<int>(std::lround(index)), 0, 255);
      if (!used_[i]) {
        used_[i] = true;
        if (static_cast<size_t>(i) < space_.palette.size()) found(space_.palette[i]);
      }
    }
  }

  void check_generic(const unsigned char* row) {
    const double max = std::pow(2.0, bits_) - 1;
    std::array<double, 32> values{};
    size_t index = 0;
    for (int x = 0; x < width_; ++x) {
      for (int c = 0; c < components_; ++c, ++index) {
        values[c] = decode_[2 * c] + sample(row, index) * (decode_[2 * c + 1] - decode_[2 * c]) / max;
      }
      Ink ink = space_.judge(values.data(), components_, options_);
      if (ink > Ink::kNeutral) found(ink);
    }
  }

  const ColorSpace& space_;
  int width_, bits_, components_;
  std::vector<double> decode_;
  bool default_decode_;
  const AnalysisOptions& options_;
  int tolerance_;
  size_t row_bytes_;
  std::vector<unsigned char> row_;
  std::bitset<256> used_;
  Ink ink_ = Ink::kNeutral;
};

// The /Decode array of the image, or the default one for its space; sets is_default.
std::vector<double> decode_array(QPDFObjectHandle dict, const ColorSpace& space, int bits, bool& is_default) {
  std::vector<double> fallback;
  if (space.family == SpaceFamily::kIndexed) {
    fallback = {0, std::pow(2.0, bits) - 1};
  } else if (space.family == SpaceFamily::kLab) {
    fallback = {0, 100, space.ranges[0], space.ranges[1], space.ranges[2], space.ranges[3]};
  } else {
    for (int c = 0; c < space.components; ++c) fallback.insert(fallback.end(), {0.0, 1.0});
  }
  QPDFObjectHandle decode = dict.getKey("/Decode");
  is_default = true;
  if (!decode.isArray() || decode.getArrayNItems() != static_cast<int>(fallback.size())) return fallback;
  std::vector<double> values;
  for (QPDFObjectHandle v : decode.aitems()) values.push_back(v.isNumber() ? v.getNumericValue() : 0);
  is_default = values == fallback;
  return values;
}

}  // namespace

Ink judge_image(QPDFObjectHandle image, const ColorSpace* space, const AnalysisOptions& options) {
  if (!image.isStream()) return Ink::kUndecidable;
  QPDFObjectHandle dict = image.getDict();
  if (!space || space->family == SpaceFamily::kPattern) return Ink::kUndecidable;
  // Grey, /Black separations, all-neutral palettes: no pixel can be colour, skip decoding.
  if (space->always_neutral && space->family != SpaceFamily::kSeparation &&
      space->family != SpaceFamily::kDeviceN) {
    return Ink::kNeutral;
  }
  if (!filters_decodable(dict.getKey("/Filter"))) return Ink::kUndecidable;
  const int width = int_key(dict, "/Width", 0), height = int_key(dict, "/Height", 0);
  int bits = int_key(dict, "/BitsPerComponent", 8);
  if (width <= 0 || height <= 0 || space->components < 1 || space->components > 32) return Ink::kUndecidable;
  if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > options.max_image_pixels) {
    return Ink::kUndecidable;
  }
  if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16) return Ink::kUndecidable;

  bool default_decode = true;
  std::vector<double> decode = decode_array(dict, *space, bits, default_decode);
  PixelChecker checker(*space, width, bits, std::move(decode), default_decode, options);
  bool attempted = false;
  bool decoded = false;
  try {
    decoded = image.pipeStreamData(&checker, &attempted, 0, qpdf_dl_all, true, false);
  } catch (const StopDecoding&) {
    return Ink::kColor;
  }
  Ink ink = checker.verdict();
  if (ink == Ink::kColor) return ink;  // qpdf swallowed our StopDecoding as a decode error
  if (!decoded || !attempted) return Ink::kUndecidable;
  return ink;
}

}  // namespace pp::pdf
