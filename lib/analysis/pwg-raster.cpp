// pwg-raster.cpp: PWG (and CUPS) raster documents through libcups's raster API.
//
// Each page header names its colour space: one-colorant spaces are grey without looking at a
// pixel; RGB and CMYK pages are judged pixel by pixel (8 and 16 bits per colour, chunky order,
// which is what IPP Everywhere senders produce); anything we cannot judge exactly is colour, the
// answer that never undercharges. All pixel rows are read (libcups has no skip), one row at a time.
#include <cups/raster.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "analysis/color-rules.h"
#include "analysis/document.h"
#include "util/unique-fd.h"
#include "util/unique-file.h"

namespace pp {

namespace {

// A row longer than this is not a real page (at 16-bit CMYK it is 8 million pixels wide).
constexpr unsigned kMaxBytesPerLine = 64u * 1024 * 1024;

// Reads the file for libcups and remembers whether the end was reached, so that a header that
// fails to read before the end of the data is reported instead of ending the document early.
struct RasterSource {
  int fd = -1;
  bool at_end = false;
  int read_error = 0;
};

ssize_t read_raster_bytes(void* context, unsigned char* buffer, size_t length) {
  auto* source = static_cast<RasterSource*>(context);
  ssize_t got;
  do {
    got = ::read(source->fd, buffer, length);
  } while (got < 0 && errno == EINTR);
  if (got == 0) source->at_end = true;
  if (got < 0) source->read_error = errno;
  return got;
}

struct RasterCloser {
  void operator()(cups_raster_t* raster) const { cupsRasterClose(raster); }
};
using UniqueRaster = std::unique_ptr<cups_raster_t, RasterCloser>;

enum class PixelKind { kGrey, kRgb, kCmy, kCmyk, kKcmy, kUnjudgeable };

// How a page's pixels tell colour, from its header alone.
PixelKind pixel_kind(const cups_page_header2_t& header) {
  switch (header.cupsColorSpace) {
    case CUPS_CSPACE_W:
    case CUPS_CSPACE_K:
    case CUPS_CSPACE_SW:
    case CUPS_CSPACE_WHITE:
    case CUPS_CSPACE_DEVICE1:  // one colorant: it can only print shades of itself (black)
      return PixelKind::kGrey;
    default:
      break;
  }
  const bool chunky_8_or_16 = header.cupsColorOrder == CUPS_ORDER_CHUNKED &&
                              (header.cupsBitsPerColor == 8 || header.cupsBitsPerColor == 16);
  if (!chunky_8_or_16) return PixelKind::kUnjudgeable;
  const unsigned channels = header.cupsBitsPerPixel / header.cupsBitsPerColor;
  switch (header.cupsColorSpace) {
    case CUPS_CSPACE_RGB:
    case CUPS_CSPACE_SRGB:
    case CUPS_CSPACE_ADOBERGB:
    case CUPS_CSPACE_DEVICE3:  // PWG: 3-colorant device spaces are RGB-like
      return channels == 3 ? PixelKind::kRgb : PixelKind::kUnjudgeable;
    case CUPS_CSPACE_CMY:
      return channels == 3 ? PixelKind::kCmy : PixelKind::kUnjudgeable;
    case CUPS_CSPACE_CMYK:
      return channels == 4 ? PixelKind::kCmyk : PixelKind::kUnjudgeable;
    case CUPS_CSPACE_KCMY:
      return channels == 4 ? PixelKind::kKcmy : PixelKind::kUnjudgeable;
    default:
      return PixelKind::kUnjudgeable;  // gold/silver foil, Lab, ICC n-channel, 6+ colorants ...
  }
}

// Sample i of a row as 0..1; libcups has already put 16-bit samples in host byte order.
double sample_at(const std::vector<unsigned char>& row, std::size_t i, unsigned bits) {
  if (bits == 8) return row[i] / 255.0;
  std::uint16_t value;
  std::memcpy(&value, row.data() + 2 * i, sizeof value);
  return value / 65535.0;
}

bool row_has_color(const std::vector<unsigned char>& row, const cups_page_header2_t& header,
                   PixelKind kind, const AnalysisOptions& options) {
  const unsigned bits = header.cupsBitsPerColor;
  const std::size_t channels = header.cupsBitsPerPixel / bits;
  for (std::size_t x = 0; x < header.cupsWidth; ++x) {
    const std::size_t i = x * channels;
    auto s = [&](std::size_t c) { return sample_at(row, i + c, bits); };
    bool neutral = true;
    switch (kind) {
      case PixelKind::kRgb:
        neutral = rgb_is_neutral(s(0), s(1), s(2), options);
        break;
      case PixelKind::kCmy:
        neutral = cmyk_is_neutral(s(0), s(1), s(2), 0.0, options);
        break;
      case PixelKind::kCmyk:
        neutral = cmyk_is_neutral(s(0), s(1), s(2), s(3), options);
        break;
      case PixelKind::kKcmy:
        neutral = cmyk_is_neutral(s(1), s(2), s(3), s(0), options);
        break;
      default:
        break;
    }
    if (!neutral) return true;
  }
  return false;
}

// The media name: the header's cupsPageSizeName when it is a PWG name of this very size,
// otherwise the standard name for PageSize.
std::string page_media(const cups_page_header2_t& header) {
  pwg_media_t* named =
      header.cupsPageSizeName[0] ? pwgMediaForPWG(header.cupsPageSizeName) : nullptr;
  if (named) {
    double width_pt = named->width * 72.0 / 2540.0, height_pt = named->length * 72.0 / 2540.0;
    if (std::abs(width_pt - header.PageSize[0]) <= 2 &&
        std::abs(height_pt - header.PageSize[1]) <= 2) {
      return named->pwg;
    }
  }
  return media_name_for_size(header.PageSize[0], header.PageSize[1]);
}

Status check_page_header(const cups_page_header2_t& header, int number,
                         const AnalysisOptions& options) {
  const std::string page = "page " + std::to_string(number);
  if (number > options.max_pages) {
    return Status(Code::kLimitExceeded,
                  "more than " + std::to_string(options.max_pages) + " pages");
  }
  if (static_cast<std::uint64_t>(header.cupsWidth) * header.cupsHeight > options.max_image_pixels ||
      header.cupsBytesPerLine > kMaxBytesPerLine) {
    return Status(Code::kLimitExceeded, page + " is " + std::to_string(header.cupsWidth) + "x" +
                                            std::to_string(header.cupsHeight) +
                                            " pixels, over the limit");
  }
  if (header.PageSize[0] == 0 || header.PageSize[1] == 0) {
    return Status(Code::kMalformedDocument, page + " has no page size");
  }
  return Status::ok();
}

// Reads one page's pixel rows (all of them: the next header follows) and judges them.
Result<bool> read_page_pixels(cups_raster_t* raster, const cups_page_header2_t& header, int number,
                              const AnalysisOptions& options) {
  const PixelKind kind = pixel_kind(header);
  std::vector<unsigned char> row(header.cupsBytesPerLine);
  bool color = kind == PixelKind::kUnjudgeable;
  for (unsigned y = 0; y < header.cupsHeight; ++y) {
    if (cupsRasterReadPixels(raster, row.data(), header.cupsBytesPerLine) !=
        header.cupsBytesPerLine) {
      return Status(Code::kMalformedDocument, "page " + std::to_string(number) +
                                                  " is truncated at row " + std::to_string(y) +
                                                  " of " + std::to_string(header.cupsHeight));
    }
    if (!color && kind != PixelKind::kGrey) color = row_has_color(row, header, kind, options);
  }
  return color;
}

// libcups ends a document silently when a page header is cut short (it reads ahead, so the
// byte position does not tell either). This walks the PWG framing itself, without decoding
// pixels: sync word, then per page a 1796-byte header and PackBits-style rows (a row-repeat
// byte, then runs: 0..127 = one pixel repeated n+1 times, 129..255 = 257-n literal pixels,
// 128 = rest of the row blank). Returns how many complete pages precede the end of the file.
Result<int> count_complete_pwg_pages(const std::string& path) {
  UniqueFile file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status(Code::kIoError, "cannot open " + path + ": " + ::strerror(errno));
  std::FILE* in = file.get();
  std::error_code error;
  const auto size = static_cast<long>(std::filesystem::file_size(path, error));
  if (error) return Status(Code::kIoError, "cannot read " + path + ": " + error.message());
  char sync[4];
  if (std::fread(sync, 1, 4, in) != 4) return Status(Code::kMalformedDocument, "no sync word");
  int pages = 0;
  unsigned char header[sizeof(cups_page_header2_t)];
  for (;;) {
    std::size_t got = std::fread(header, 1, sizeof header, in);
    if (got == 0) return pages;
    const std::string page = "page " + std::to_string(pages + 1);
    if (got != sizeof header)
      return Status(Code::kMalformedDocument, page + " has a truncated header");
    auto field = [&](std::size_t offset) {
      return std::uint32_t{header[offset]} << 24 | std::uint32_t{header[offset + 1]} << 16 |
             std::uint32_t{header[offset + 2]} << 8 | header[offset + 3];
    };
    const std::uint64_t height = field(offsetof(cups_page_header2_t, cupsHeight));
    const std::uint64_t bytes_per_line = field(offsetof(cups_page_header2_t, cupsBytesPerLine));
    const std::uint64_t bytes_per_pixel = std::max<std::uint64_t>(
        1, (field(offsetof(cups_page_header2_t, cupsBitsPerPixel)) + 7) / 8);
    for (std::uint64_t row = 0; row < height;) {
      int repeat = std::getc(in);
      if (repeat == EOF) return Status(Code::kMalformedDocument, page + " is truncated");
      for (std::uint64_t filled = 0; filled < bytes_per_line;) {
        int run = std::getc(in);
        if (run == EOF) return Status(Code::kMalformedDocument, page + " is truncated");
        if (run == 128) break;
        std::uint64_t pixels = run > 128 ? 257u - run : run + 1u;
        std::uint64_t bytes = std::min(pixels * bytes_per_pixel, bytes_per_line - filled);
        std::uint64_t stored = run > 128 ? bytes : std::min(bytes_per_pixel, bytes);
        // fseek past the end succeeds: compare with the size instead.
        if (std::fseek(in, static_cast<long>(stored), SEEK_CUR) != 0 || std::ftell(in) > size) {
          return Status(Code::kMalformedDocument, page + " is truncated");
        }
        filled += bytes;
      }
      row += static_cast<std::uint64_t>(repeat) + 1;
    }
    ++pages;
  }
}

}  // namespace

Result<DocumentInfo> analyze_pwg_raster(const std::string& path, const AnalysisOptions& options) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status(Code::kIoError, "cannot open " + path + ": " + ::strerror(errno));
  RasterSource source{fd.get()};
  UniqueRaster raster(cupsRasterOpenIO(read_raster_bytes, &source, CUPS_RASTER_READ));
  if (!raster) {
    return Status(Code::kMalformedDocument, path + " is not a PWG/CUPS raster stream");
  }
  DocumentInfo document;
  document.format = "image/pwg-raster";
  cups_page_header2_t header;
  while (cupsRasterReadHeader2(raster.get(), &header)) {
    const int number = document.page_count() + 1;
    if (Status status = check_page_header(header, number, options); !status.is_ok()) {
      return Status(status.code(), path + ": " + status.message());
    }
    Result<bool> color = read_page_pixels(raster.get(), header, number, options);
    if (!color.ok()) return Status(color.status().code(), path + ": " + color.status().message());
    PageInfo page;
    page.number = number;
    page.color = *color;
    page.width_pt = header.PageSize[0];
    page.height_pt = header.PageSize[1];
    page.media = page_media(header);
    document.pages.push_back(page);
  }
  if (source.read_error != 0) {
    return Status(Code::kIoError, "cannot read " + path + ": " + ::strerror(source.read_error));
  }
  if (!source.at_end) {  // libcups stopped on a header it could not accept, not at the end
    return Status(Code::kMalformedDocument, path + ": page " +
                                                std::to_string(document.page_count() + 1) +
                                                " has an invalid raster header");
  }
  if (document.pages.empty()) return Status(Code::kMalformedDocument, path + " has no pages");
  if (sniff_document_format(path) == "image/pwg-raster") {
    Result<int> complete = count_complete_pwg_pages(path);
    if (!complete.ok())
      return Status(complete.status().code(), path + ": " + complete.status().message());
    if (*complete != document.page_count()) {
      return Status(
          Code::kMalformedDocument,
          path + ": page " + std::to_string(document.page_count() + 1) + " is unreadable");
    }
  }
  return document;
}

}  // namespace pp
