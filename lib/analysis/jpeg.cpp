// jpeg.cpp: one-page JPEG documents, judged by their decoded pixels (libjpeg).
//
// libjpeg reports fatal errors through error_exit, which must not return: we longjmp back to the
// one function that called setjmp (judge_jpeg). Between setjmp and any libjpeg call there are no
// C++ objects with destructors (the decoder state lives in JpegDecoder, created by the caller
// before setjmp), so the longjmp skips nothing. Warnings that mean "the data ended early" are
// turned into errors too: libjpeg would otherwise pad a truncated file with grey and succeed.
#include <cups/cups.h>
#include <setjmp.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>  // before jpeglib.h, which uses FILE without including it
#include <cstring>
#include <memory>

#include <jerror.h>
#include <jpeglib.h>

#include "analysis/color-rules.h"
#include "analysis/document.h"
#include "util/unique-file.h"

namespace pp {

namespace {

// libjpeg-turbo keeps whole-image coefficient buffers for progressive files; beyond this it fails
// with "Backing store not supported" instead of eating memory.
constexpr long kMaxJpegMemory = 512L * 1024 * 1024;

struct JpegErrorManager {
  jpeg_error_mgr base;  // first member: libjpeg sees a jpeg_error_mgr*
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_jpeg_error(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, errors->message);
  longjmp(errors->jump, 1);
}

// Warnings go nowhere (a filter's stderr is the job log), except the ones that mean the image
// data is cut short: those become errors.
void on_jpeg_message(j_common_ptr info, int level) {
  if (level >= 0) return;  // trace messages
  int code = info->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) on_jpeg_error(info);
}

// Owns the decompressor (and the error manager it points to) for the whole analysis.
class JpegDecoder {
 public:
  explicit JpegDecoder(std::FILE* file) {
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_jpeg_error;
    errors.base.emit_message = on_jpeg_message;
    errors.message[0] = '\0';
    jpeg_create_decompress(&info);  // only fails on a version mismatch (error_exit: not here)
    info.mem->max_memory_to_use = kMaxJpegMemory;
    jpeg_stdio_src(&info, file);
  }
  ~JpegDecoder() { jpeg_destroy_decompress(&info); }
  JpegDecoder(const JpegDecoder&) = delete;
  JpegDecoder& operator=(const JpegDecoder&) = delete;

  jpeg_decompress_struct info;
  JpegErrorManager errors;
};

// What judge_jpeg found; plain data so that it survives a longjmp.
struct JpegVerdict {
  bool failed = false;
  bool too_large = false;
  bool color = false;
  unsigned width = 0;
  unsigned height = 0;
};

bool rgb_row_has_color(const JSAMPLE* row, JDIMENSION width, const AnalysisOptions& options) {
  for (JDIMENSION x = 0; x < width; ++x, row += 3) {
    if (!rgb_is_neutral(row[0] / 255.0, row[1] / 255.0, row[2] / 255.0, options)) return true;
  }
  return false;
}

// Adobe (Photoshop) CMYK/YCCK JPEGs store inverted values: 255 means no ink.
bool cmyk_row_has_color(const JSAMPLE* row, JDIMENSION width, bool inverted,
                        const AnalysisOptions& options) {
  for (JDIMENSION x = 0; x < width; ++x, row += 4) {
    double ink[4];
    for (int i = 0; i < 4; ++i) ink[i] = inverted ? 1.0 - row[i] / 255.0 : row[i] / 255.0;
    if (!cmyk_is_neutral(ink[0], ink[1], ink[2], ink[3], options)) return true;
  }
  return false;
}

// The DCT scale for decoding: as small as possible while every chroma sample still reaches the
// output unaveraged. Neutrality depends only on chroma (R-G, B-G are linear in Cb/Cr), and
// libjpeg-turbo decodes subsampled chroma components at their own full resolution when the
// output is scaled by their subsampling factor (e.g. 4:2:0 at 1/2: luma via a 4x4 IDCT, chroma
// via the full 8x8 one). So the answer is exact, while a 1/8 scale (DC only) would average a
// small coloured detail with its neutral surroundings and could push it under the tolerance.
// Only for YCbCr: in CMYK/YCCK every channel (or K) matters, so those decode at full size.
unsigned exact_chroma_scale_denom(const jpeg_decompress_struct& info) {
  if (info.jpeg_color_space != JCS_YCbCr) return 1;
  int min_h = info.max_h_samp_factor, min_v = info.max_v_samp_factor;
  for (int i = 0; i < info.num_components; ++i) {
    min_h = std::min(min_h, info.comp_info[i].h_samp_factor);
    min_v = std::min(min_v, info.comp_info[i].v_samp_factor);
  }
  int factor = std::min(info.max_h_samp_factor / min_h, info.max_v_samp_factor / min_v);
  return factor >= 2 ? 2 : 1;  // libjpeg's luma/chroma pairing is exact for 1/2 (4:2:0)
}

// Reads the header and, unless it is greyscale, every pixel. Only plain-data locals: see top.
void judge_jpeg(JpegDecoder& decoder, const AnalysisOptions& options, JpegVerdict* verdict) {
  jpeg_decompress_struct* info = &decoder.info;
  if (setjmp(decoder.errors.jump)) {
    verdict->failed = true;
    return;
  }
  jpeg_read_header(info, TRUE);
  verdict->width = info->image_width;
  verdict->height = info->image_height;
  if (static_cast<std::uint64_t>(info->image_width) * info->image_height >
      options.max_image_pixels) {
    verdict->too_large = true;
    return;
  }
  if (info->jpeg_color_space == JCS_GRAYSCALE) return;  // one channel: grey by construction
  const bool cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
  if (!cmyk && info->num_components != 3) {
    verdict->color = true;  // unknown component layout: colour is the safe answer
    return;
  }
  info->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  info->scale_num = 1;
  info->scale_denom = exact_chroma_scale_denom(*info);
  info->do_fancy_upsampling = FALSE;  // replicate chroma samples: interpolation would blur peaks
  jpeg_start_decompress(info);
  JSAMPARRAY row = (*info->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(info), JPOOL_IMAGE,
                                              info->output_width * info->output_components, 1);
  // The whole image is decoded even after the first colour pixel so that a truncated file is an
  // error whatever its content.
  while (info->output_scanline < info->output_height) {
    jpeg_read_scanlines(info, row, 1);
    if (verdict->color) continue;
    verdict->color =
        cmyk ? cmyk_row_has_color(row[0], info->output_width, info->saw_Adobe_marker, options)
             : rgb_row_has_color(row[0], info->output_width, options);
  }
  jpeg_finish_decompress(info);
}

// The default media's size in points; A4 when the name is unknown.
void default_media_size(const AnalysisOptions& options, double* width_pt, double* height_pt) {
  pwg_media_t* media = pwgMediaForPWG(options.default_media.c_str());
  if (!media) media = pwgMediaForPWG("iso_a4_210x297mm");
  *width_pt = media->width * 72.0 / 2540.0;
  *height_pt = media->length * 72.0 / 2540.0;
}

}  // namespace

Result<DocumentInfo> analyze_jpeg(const std::string& path, const AnalysisOptions& options) {
  UniqueFile file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status(Code::kIoError, "cannot open " + path + ": " + std::strerror(errno));
  JpegDecoder decoder(file.get());
  JpegVerdict verdict;
  judge_jpeg(decoder, options, &verdict);
  if (verdict.failed) {
    return Status(Code::kMalformedDocument,
                  "JPEG " + path + " cannot be decoded: " + decoder.errors.message);
  }
  if (verdict.too_large) {
    return Status(Code::kLimitExceeded, "JPEG " + path + " has " + std::to_string(verdict.width) +
                                            "x" + std::to_string(verdict.height) +
                                            " pixels, over the limit of " +
                                            std::to_string(options.max_image_pixels));
  }
  // A JPEG has no paper size of its own: it is scaled onto the job's media (the pricing layer
  // substitutes the job's media when the job names one).
  PageInfo page;
  page.number = 1;
  page.color = verdict.color;
  page.media = options.default_media;
  default_media_size(options, &page.width_pt, &page.height_pt);
  DocumentInfo document;
  document.format = "image/jpeg";
  document.pages.push_back(page);
  return document;
}

}  // namespace pp
