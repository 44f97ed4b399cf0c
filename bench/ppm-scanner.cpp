// ppm-scanner.cpp: incremental P6 parsing and the per-page neutral test.
#include "ppm-scanner.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace ppbench {

void PpmScanner::feed(const char* data, std::size_t size) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  std::size_t i = 0;
  while (i < size && !malformed_) {
    if (in_header_) {
      feed_header(static_cast<char>(bytes[i++]));
    } else {
      i += feed_pixels(bytes + i, size - i);
    }
  }
}

// Collects the four header tokens "P6 W H 255", skipping "#" comments (Ghostscript writes one);
// the white-space byte after the last token starts the pixel data.
void PpmScanner::feed_header(char c) {
  if (in_comment_) {
    in_comment_ = c != '\n' && c != '\r';
    return;
  }
  if (c == '#' && token_.empty()) {
    in_comment_ = true;
    return;
  }
  if (!std::isspace(static_cast<unsigned char>(c))) {
    token_ += c;
    malformed_ = token_.size() > 16;
    return;
  }
  if (token_.empty()) return;
  header_.push_back(token_);
  token_.clear();
  if (header_.size() == 4) start_page();
}

// Checks the header and sets up the pixel count of the page that follows.
void PpmScanner::start_page() {
  const long width = std::atol(header_[1].c_str());
  const long height = std::atol(header_[2].c_str());
  malformed_ = header_[0] != "P6" || header_[3] != "255" || width <= 0 || height <= 0;
  header_.clear();
  remaining_ = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) * 3;
  in_header_ = false;
  color_ = false;
  pixel_fill_ = 0;
}

// Tests the pixel bytes of the current page; returns how many bytes it consumed.
std::size_t PpmScanner::feed_pixels(const unsigned char* data, std::size_t size) {
  const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(size, remaining_));
  for (std::size_t i = 0; i < take && !color_; ++i) {
    pixel_[pixel_fill_++] = data[i];
    if (pixel_fill_ < 3) continue;
    pixel_fill_ = 0;
    const int hi = std::max({pixel_[0], pixel_[1], pixel_[2]});
    const int lo = std::min({pixel_[0], pixel_[1], pixel_[2]});
    color_ = hi - lo > tolerance_;
  }
  remaining_ -= take;  // once a page is colour, its other pixels are skipped unread
  if (remaining_ == 0) {
    pages_.push_back(color_);
    in_header_ = true;
  }
  return take;
}

}  // namespace ppbench
