// pdf-qpdf.h: the libqpdf headers used by the PDF analyser, included in one place.
//
// qpdf 11 warns (#warning, an error under -Werror) unless POINTERHOLDER_TRANSITION says which
// PointerHolder API the code uses; 4 means "none, std::shared_ptr only".
#pragma once

#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4
#endif

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

namespace pp::pdf {

// True for a missing object: a default-constructed handle or PDF null (isNull() is false for the
// former, and most other accessors throw on it).
inline bool absent(QPDFObjectHandle object) { return !object.isInitialized() || object.isNull(); }

}  // namespace pp::pdf
