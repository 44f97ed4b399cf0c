// qr-svg.cpp: qr_svg(): libqrencode's modules drawn as one SVG path.
#include "qrcode/qr-svg.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

#include "util/markup-text.h"

namespace pp {
namespace {

// A QR code needs four modules of light margin around it to be read reliably (ISO 18004).
constexpr int kQuietZone = 4;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

}  // namespace

Result<std::string> qr_svg(std::string_view text, const QrSvgOptions& options) {
  if (text.empty()) return Status(Code::kInvalidArgument, "nothing to encode in a QR code");
  if (text.find('\0') != std::string_view::npos)
    return Status(Code::kInvalidArgument, "a QR code text may not contain NUL");
  const std::string input(text);
  errno = 0;
  QrCodePtr code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M));
  if (!code) {
    if (errno == ERANGE)
      return Status(Code::kLimitExceeded,
                    "text of " + std::to_string(text.size()) + " bytes is too long for a QR code");
    return Status(Code::kInternal, "libqrencode could not encode the text");
  }
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string path;
  path.reserve(static_cast<std::size_t>(width) * width * 4);
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module byte: dark (1) or light (0).
      if ((code->data[y * width + x] & 1) == 0) continue;
      path +=
          'M' + std::to_string(x + kQuietZone) + ' ' + std::to_string(y + kQuietZone) + "h1v1h-1z";
    }
  }
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + markup_text(options.id) +
                    "\" class=\"qr-code\" viewBox=\"0 0 " + std::to_string(size) + ' ' +
                    std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\" role=\"img\" data-modules=\"" +
                    std::to_string(width) + "\">";
  if (!options.title.empty()) svg += "<title>" + markup_text(options.title) + "</title>";
  svg += "<rect width=\"" + std::to_string(size) + "\" height=\"" + std::to_string(size) +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
  return svg;
}

}  // namespace pp
