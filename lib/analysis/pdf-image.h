// pdf-image.h: judging the pixels of PDF images (XObjects and inline images).
#pragma once

#include "analysis/pdf-qpdf.h"

#include "analysis/document.h"
#include "analysis/pdf-colorspace.h"

namespace pp::pdf {

// Judges every pixel of an image stream in colour space `space` (null: undecidable), honouring
// /BitsPerComponent and /Decode. Images in spaces that cannot hold colour are not decoded at all.
// JPX, JBIG2 and unknown filters, undecodable data and images over options.max_image_pixels are
// undecidable. Not for /ImageMask stencils: those paint with the fill colour.
Ink judge_image(QPDFObjectHandle image, const ColorSpace* space, const AnalysisOptions& options);

}  // namespace pp::pdf
