// ppm-scanner.h: decides per page whether a stream of binary PPM images has non-neutral pixels.
//
// The benchmark's pixel reference: Ghostscript renders every page to ppmraw on a pipe and this
// scanner reads the concatenated P6 images as they arrive, one colour decision per page, without
// keeping any page in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ppbench {

class PpmScanner {
 public:
  // A pixel is colour when max(r,g,b) - min(r,g,b) > tolerance (0..255 scale).
  explicit PpmScanner(int tolerance) : tolerance_(tolerance) {}

  // Consumes the next bytes of the stream.
  void feed(const char* data, std::size_t size);

  // One entry per complete page: true when it has a colour pixel.
  const std::vector<bool>& pages() const { return pages_; }
  // True when the stream was not a sequence of 8-bit P6 images.
  bool malformed() const { return malformed_; }

 private:
  void feed_header(char c);
  std::size_t feed_pixels(const unsigned char* data, std::size_t size);
  void start_page();

  int tolerance_;
  std::vector<bool> pages_;
  bool malformed_ = false;
  bool in_header_ = true;
  bool in_comment_ = false;
  std::string token_;
  std::vector<std::string> header_;
  std::uint64_t remaining_ = 0;  // pixel bytes left in the current page
  unsigned char pixel_[3] = {0, 0, 0};
  int pixel_fill_ = 0;
  bool color_ = false;
};

}  // namespace ppbench
