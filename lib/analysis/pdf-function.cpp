// pdf-function.cpp: evaluating PDF functions and judging shadings by their colours.
//
// Shadings are judged by sampling: axial/radial/function shadings evaluate their function over
// the domain (a dense grid plus every stitching bound and sample position); mesh shadings read
// the colour of every vertex from the stream. Type 4 functions make a shading undecidable.
#include "analysis/pdf-function.h"

#include <qpdf/Buffer.hh>

#include <algorithm>
#include <cmath>

namespace pp::pdf {

namespace {

constexpr int kMaxFunctionDepth = 8;
constexpr size_t kMaxSampleBytes = 16u * 1024 * 1024;
constexpr int kSamplesPerAxis1D = 1025;
constexpr int kSamplesPerAxis2D = 33;

std::vector<double> numbers(QPDFObjectHandle array) {
  std::vector<double> out;
  if (!array.isArray()) return out;
  for (QPDFObjectHandle item : array.aitems()) out.push_back(item.isNumber() ? item.getNumericValue() : 0.0);
  return out;
}

double interpolate(double x, double x0, double x1, double y0, double y1) {
  if (x1 == x0) return y0;
  return y0 + (x - x0) * (y1 - y0) / (x1 - x0);
}

// Common part of every function: /Domain clipping and /Range clipping.
class FunctionBase : public Function {
 public:
  bool init(QPDFObjectHandle dict) {
    domain_ = numbers(dict.getKey("/Domain"));
    range_ = numbers(dict.getKey("/Range"));
    return domain_.size() >= 2 && domain_.size() % 2 == 0;
  }
  int inputs() const { return static_cast<int>(domain_.size() / 2); }

 protected:
  double clip_input(const std::vector<double>& in, int i) const {
    double v = i < static_cast<int>(in.size()) ? in[i] : domain_[2 * i];
    return std::clamp(v, std::min(domain_[2 * i], domain_[2 * i + 1]),
                      std::max(domain_[2 * i], domain_[2 * i + 1]));
  }
  std::vector<double> clip_output(std::vector<double> out) const {
    for (size_t i = 0; i < out.size() && 2 * i + 1 < range_.size(); ++i) {
      out[i] = std::clamp(out[i], std::min(range_[2 * i], range_[2 * i + 1]),
                          std::max(range_[2 * i], range_[2 * i + 1]));
    }
    return out;
  }
  std::vector<double> domain_, range_;
};

// Type 0: a table of samples, linearly interpolated along the first input, nearest otherwise.
class SampledFunction : public FunctionBase {
 public:
  bool init(QPDFObjectHandle stream) {
    if (!stream.isStream()) return false;
    QPDFObjectHandle dict = stream.getDict();
    if (!FunctionBase::init(dict) || range_.size() < 2) return false;
    size_ = numbers(dict.getKey("/Size"));
    bits_ = dict.getKey("/BitsPerSample").isInteger() ? dict.getKey("/BitsPerSample").getIntValueAsInt() : 0;
    if (static_cast<int>(size_.size()) != inputs() || (bits_ != 1 && bits_ != 2 && bits_ != 4 &&
                                                       bits_ != 8 && bits_ != 12 && bits_ != 16 &&
                                                       bits_ != 24 && bits_ != 32)) {
      return false;
    }
    outputs_ = static_cast<int>(range_.size() / 2);
    encode_ = numbers(dict.getKey("/Encode"));
    if (encode_.size() != 2 * size_.size()) {
      encode_.clear();
      for (double s : size_) encode_.insert(encode_.end(), {0.0, s - 1});
    }
    decode_ = numbers(dict.getKey("/Decode"));
    if (decode_.size() != range_.size()) decode_ = range_;
    double total = outputs_;
    for (double s : size_) {
      if (s < 1) return false;
      total *= s;
    }
    if (total * bits_ / 8 > kMaxSampleBytes) return false;
    std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_generalized);
    samples_.assign(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    return samples_.size() * 8 >= static_cast<size_t>(total) * bits_;
  }

  std::vector<double> evaluate(const std::vector<double>& in) const override {
    // Index of the sample cell for each input; the first input interpolates between neighbours.
    std::vector<double> position(inputs());
    for (int i = 0; i < inputs(); ++i) {
      double e = interpolate(clip_input(in, i), domain_[2 * i], domain_[2 * i + 1], encode_[2 * i],
                             encode_[2 * i + 1]);
      position[i] = std::clamp(e, 0.0, size_[i] - 1);
    }
    size_t base = 0, stride = 1;
    for (int i = 1; i < inputs(); ++i) {
      stride *= static_cast<size_t>(size_[i - 1]);
      base += static_cast<size_t>(std::lround(position[i])) * stride;
    }
    size_t lo = static_cast<size_t>(std::floor(position[0]));
    size_t hi = std::min(lo + 1, static_cast<size_t>(size_[0]) - 1);
    double frac = position[0] - lo;
    std::vector<double> out(outputs_);
    for (int j = 0; j < outputs_; ++j) {
      double a = sample((base + lo) * outputs_ + j), b = sample((base + hi) * outputs_ + j);
      double raw = a + frac * (b - a);
      out[j] = interpolate(raw, 0, std::pow(2.0, bits_) - 1, decode_[2 * j], decode_[2 * j + 1]);
    }
    return clip_output(std::move(out));
  }

  void add_breakpoints(std::vector<double>& points) const override {
    if (inputs() != 1) return;
    for (int s = 0; s < static_cast<int>(size_[0]); ++s) {
      points.push_back(interpolate(s, encode_[0], encode_[1], domain_[0], domain_[1]));
    }
  }

 private:
  double sample(size_t index) const {
    size_t bit = index * bits_;
    std::uint64_t value = 0;
    for (int b = 0; b < bits_; ++b, ++bit) {
      size_t byte = bit / 8;
      int on = byte < samples_.size() ? (static_cast<unsigned char>(samples_[byte]) >> (7 - bit % 8)) & 1 : 0;
      value = (value << 1) | on;
    }
    return static_cast<double>(value);
  }

  std::vector<double> size_, encode_, decode_;
  int bits_ = 8, outputs_ = 1;
  std::string samples_;
};

// Type 2: C0 + x^N (C1 - C0).
class ExponentialFunction : public FunctionBase {
 public:
  bool init(QPDFObjectHandle dict) {
    if (!FunctionBase::init(dict)) return false;
    c0_ = numbers(dict.getKey("/C0"));
    c1_ = numbers(dict.getKey("/C1"));
    if (c0_.empty()) c0_ = {0.0};
    if (c1_.empty()) c1_ = {1.0};
    if (c0_.size() != c1_.size()) return false;
    QPDFObjectHandle n = dict.getKey("/N");
    exponent_ = n.isNumber() ? n.getNumericValue() : 1.0;
    return true;
  }
  std::vector<double> evaluate(const std::vector<double>& in) const override {
    double x = clip_input(in, 0);
    double t = std::pow(std::max(x, 0.0), exponent_);
    if (!std::isfinite(t)) t = 0;
    std::vector<double> out(c0_.size());
    for (size_t j = 0; j < out.size(); ++j) out[j] = c0_[j] + t * (c1_[j] - c0_[j]);
    return clip_output(std::move(out));
  }

 private:
  std::vector<double> c0_, c1_;
  double exponent_ = 1;
};

// Type 3: stitches 1-input functions over sub-domains.
class StitchingFunction : public FunctionBase {
 public:
  bool init(QPDFObjectHandle dict, int depth) {
    if (!FunctionBase::init(dict) || inputs() != 1) return false;
    QPDFObjectHandle functions = dict.getKey("/Functions");
    if (!functions.isArray() || functions.getArrayNItems() < 1) return false;
    for (QPDFObjectHandle f : functions.aitems()) {
      std::unique_ptr<Function> parsed = parse_function(f, depth + 1);
      if (!parsed) return false;
      parts_.push_back(std::move(parsed));
    }
    bounds_ = numbers(dict.getKey("/Bounds"));
    encode_ = numbers(dict.getKey("/Encode"));
    return bounds_.size() + 1 == parts_.size() && encode_.size() == 2 * parts_.size();
  }
  std::vector<double> evaluate(const std::vector<double>& in) const override {
    double x = clip_input(in, 0);
    size_t k = 0;
    while (k < bounds_.size() && x >= bounds_[k]) ++k;
    double lo = k == 0 ? domain_[0] : bounds_[k - 1];
    double hi = k == bounds_.size() ? domain_[1] : bounds_[k];
    double e = interpolate(x, lo, hi, encode_[2 * k], encode_[2 * k + 1]);
    return clip_output(parts_[k]->evaluate({e}));
  }
  void add_breakpoints(std::vector<double>& points) const override {
    for (double b : bounds_) points.insert(points.end(), {b - 1e-6, b, b + 1e-6});
  }

 private:
  std::vector<std::unique_ptr<Function>> parts_;
  std::vector<double> bounds_, encode_;
};

// An array of 1-output functions, one per colour component (shadings allow this form).
class FunctionArray : public Function {
 public:
  explicit FunctionArray(std::vector<std::unique_ptr<Function>> parts) : parts_(std::move(parts)) {}
  std::vector<double> evaluate(const std::vector<double>& in) const override {
    std::vector<double> out;
    for (const auto& part : parts_) {
      std::vector<double> one = part->evaluate(in);
      out.push_back(one.empty() ? 0.0 : one[0]);
    }
    return out;
  }
  void add_breakpoints(std::vector<double>& points) const override {
    for (const auto& part : parts_) part->add_breakpoints(points);
  }

 private:
  std::vector<std::unique_ptr<Function>> parts_;
};

// The shading's function (a single function or an array of them); null if absent or unsupported.
std::unique_ptr<Function> shading_function(QPDFObjectHandle function) {
  if (function.isArray()) {
    std::vector<std::unique_ptr<Function>> parts;
    for (QPDFObjectHandle f : function.aitems()) {
      std::unique_ptr<Function> parsed = parse_function(f);
      if (!parsed) return nullptr;
      parts.push_back(std::move(parsed));
    }
    if (parts.empty()) return nullptr;
    return std::make_unique<FunctionArray>(std::move(parts));
  }
  return parse_function(function);
}

Ink judge_values(const ColorSpace& space, const std::vector<double>& values, const AnalysisOptions& options) {
  return space.judge(values.data(), static_cast<int>(values.size()), options);
}

// Axial, radial (one input t) and function-based (two inputs x, y) shadings.
Ink judge_function_shading(QPDFObjectHandle dict, int type, const ColorSpace& space,
                           const AnalysisOptions& options) {
  std::unique_ptr<Function> function = shading_function(dict.getKey("/Function"));
  if (!function) return Ink::kUndecidable;
  std::vector<double> domain = numbers(dict.getKey("/Domain"));
  Ink ink = Ink::kNone;
  if (type == 1) {
    if (domain.size() != 4) domain = {0, 1, 0, 1};
    for (int i = 0; i < kSamplesPerAxis2D && ink != Ink::kColor; ++i) {
      for (int j = 0; j < kSamplesPerAxis2D && ink != Ink::kColor; ++j) {
        double x = domain[0] + (domain[1] - domain[0]) * i / (kSamplesPerAxis2D - 1);
        double y = domain[2] + (domain[3] - domain[2]) * j / (kSamplesPerAxis2D - 1);
        ink = worst(ink, judge_values(space, function->evaluate({x, y}), options));
      }
    }
    return ink;
  }
  if (domain.size() != 2) domain = {0, 1};
  std::vector<double> points;
  for (int i = 0; i < kSamplesPerAxis1D; ++i) {
    points.push_back(domain[0] + (domain[1] - domain[0]) * i / (kSamplesPerAxis1D - 1));
  }
  function->add_breakpoints(points);
  for (double t : points) {
    ink = worst(ink, judge_values(space, function->evaluate({t}), options));
    if (ink == Ink::kColor) break;
  }
  return ink;
}

// Reads big-endian bit fields from mesh shading data.
class BitReader {
 public:
  explicit BitReader(const std::string& data) : data_(data) {}
  bool has(int bits) const { return bit_ + bits <= data_.size() * 8; }
  std::uint64_t read(int bits) {
    std::uint64_t value = 0;
    for (int b = 0; b < bits; ++b, ++bit_) {
      value = (value << 1) | ((static_cast<unsigned char>(data_[bit_ / 8]) >> (7 - bit_ % 8)) & 1);
    }
    return value;
  }
  void align() { bit_ = (bit_ + 7) / 8 * 8; }

 private:
  const std::string& data_;
  size_t bit_ = 0;
};

// Free-form, lattice and patch meshes (types 4-7): the colour of every vertex / patch corner.
Ink judge_mesh_shading(QPDFObjectHandle stream, int type, const ColorSpace& space,
                       const AnalysisOptions& options) {
  if (!stream.isStream()) return Ink::kUndecidable;
  QPDFObjectHandle dict = stream.getDict();
  auto int_key = [&](const char* key) {
    QPDFObjectHandle v = dict.getKey(key);
    return v.isInteger() ? v.getIntValueAsInt() : 0;
  };
  const int coord_bits = int_key("/BitsPerCoordinate");
  const int comp_bits = int_key("/BitsPerComponent");
  const int flag_bits = (type == 5) ? 0 : int_key("/BitsPerFlag");
  std::unique_ptr<Function> function;
  if (dict.hasKey("/Function")) {
    function = shading_function(dict.getKey("/Function"));
    if (!function) return Ink::kUndecidable;
  }
  const int ncomp = function ? 1 : space.components;
  std::vector<double> decode = numbers(dict.getKey("/Decode"));
  if (coord_bits < 1 || coord_bits > 32 || comp_bits < 1 || comp_bits > 16 || flag_bits > 8 ||
      ncomp < 1 || decode.size() < static_cast<size_t>(4 + 2 * ncomp)) {
    return Ink::kUndecidable;
  }
  std::shared_ptr<Buffer> buffer = stream.getStreamData(qpdf_dl_generalized);
  std::string data(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  BitReader reader(data);
  const double comp_max = std::pow(2.0, comp_bits) - 1;

  auto read_color = [&]() {
    std::vector<double> c(ncomp);
    for (int i = 0; i < ncomp; ++i) {
      c[i] = interpolate(reader.read(comp_bits), 0, comp_max, decode[4 + 2 * i], decode[5 + 2 * i]);
    }
    return function ? function->evaluate(c) : c;
  };
  Ink ink = Ink::kNone;
  auto judge_one = [&](const std::vector<double>& c) {
    ink = worst(ink, space.judge(c.data(), static_cast<int>(c.size()), options));
  };
  const int vertex_bits = 2 * coord_bits + ncomp * comp_bits;
  if (type == 4 || type == 5) {
    while (reader.has(flag_bits + vertex_bits) && ink != Ink::kColor) {
      reader.read(flag_bits);
      reader.read(2 * coord_bits);
      judge_one(read_color());
      if (type == 4) reader.align();
    }
  } else {
    const int points_full = type == 6 ? 12 : 16;
    while (reader.has(flag_bits) && ink != Ink::kColor) {
      int flag = static_cast<int>(reader.read(flag_bits));
      int points = flag == 0 ? points_full : points_full - 4;
      int colors = flag == 0 ? 4 : 2;
      if (!reader.has(points * 2 * coord_bits + colors * ncomp * comp_bits)) break;
      reader.read(0);
      for (int p = 0; p < points; ++p) reader.read(2 * coord_bits);
      for (int c = 0; c < colors; ++c) judge_one(read_color());
      reader.align();
    }
  }
  return ink == Ink::kNone ? Ink::kNeutral : ink;
}

}  // namespace

std::unique_ptr<Function> parse_function(QPDFObjectHandle function, int depth) {
  if (depth > kMaxFunctionDepth) return nullptr;
  QPDFObjectHandle dict = function.isStream() ? function.getDict() : function;
  if (!dict.isDictionary()) return nullptr;
  QPDFObjectHandle type = dict.getKey("/FunctionType");
  if (!type.isInteger()) return nullptr;
  switch (type.getIntValueAsInt()) {
    case 0: {
      auto f = std::make_unique<SampledFunction>();
      return f->init(function) ? std::move(f) : nullptr;
    }
    case 2: {
      auto f = std::make_unique<ExponentialFunction>();
      return f->init(dict) ? std::move(f) : nullptr;
    }
    case 3: {
      auto f = std::make_unique<StitchingFunction>();
      return f->init(dict, depth) ? std::move(f) : nullptr;
    }
    default: return nullptr;  // type 4 (PostScript calculator): undecidable for the caller
  }
}

Ink judge_shading(QPDFObjectHandle shading, QPDFObjectHandle resources, bool include_background,
                  const AnalysisOptions& options) {
  QPDFObjectHandle dict = shading.isStream() ? shading.getDict() : shading;
  if (!dict.isDictionary()) return Ink::kUndecidable;
  ColorSpacePtr space = parse_color_space(dict.getKey("/ColorSpace"), resources, options);
  if (!space || space->family == SpaceFamily::kPattern) return Ink::kUndecidable;
  QPDFObjectHandle type_obj = dict.getKey("/ShadingType");
  int type = type_obj.isInteger() ? type_obj.getIntValueAsInt() : 0;

  Ink ink = Ink::kNone;
  if (include_background && dict.getKey("/Background").isArray()) {
    ink = judge_values(*space, numbers(dict.getKey("/Background")), options);
  }
  if (space->always_neutral && space->family != SpaceFamily::kSeparation &&
      space->family != SpaceFamily::kDeviceN) {
    return worst(ink, Ink::kNeutral);
  }
  if (type >= 1 && type <= 3) return worst(ink, judge_function_shading(dict, type, *space, options));
  if (type >= 4 && type <= 7) return worst(ink, judge_mesh_shading(shading, type, *space, options));
  return Ink::kUndecidable;
}

}  // namespace pp::pdf
