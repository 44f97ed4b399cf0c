// pdf-builder.h: generates small test PDFs with libqpdf (pages, resources, images, streams).
#pragma once

#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4  // qpdf: std::shared_ptr API only (no #warning under -Werror)
#endif

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

namespace pp::test {

class PdfBuilder {
 public:
  PdfBuilder();

  QPDF& qpdf() { return *pdf_; }

  // Parses a direct object from PDF syntax; "N 0 R" refers to objects of this document.
  QPDFObjectHandle parse(const std::string& text);
  // Adds an indirect object parsed from PDF syntax.
  QPDFObjectHandle indirect(const std::string& text);
  // Adds a stream; `dict` is PDF dictionary syntax, data is stored unfiltered (Flate on write).
  QPDFObjectHandle stream(const std::string& dict, const std::string& data);
  // Adds a form XObject with the given content, resources and optional extra dictionary entries.
  QPDFObjectHandle form(const std::string& content, QPDFObjectHandle resources = {},
                        const std::string& bbox = "[0 0 1000 1000]", const std::string& extra = "");
  // Adds an image XObject with raw samples (written Flate-compressed); extra: more dict entries.
  QPDFObjectHandle image(int width, int height, const std::string& color_space, int bits,
                         const std::string& samples, const std::string& extra = "");
  // Adds a DCT (JPEG) image compressed from 8-bit samples with 1, 3 or 4 components.
  QPDFObjectHandle jpeg_image(int width, int height, int components, const std::string& samples);

  // Adds a page with a content stream and a resource dictionary (null: none).
  QPDFObjectHandle add_page(const std::string& content, QPDFObjectHandle resources = {},
                            const std::string& media_box = "[0 0 595 842]");

  // Writes the document; a non-empty user_password encrypts it (AES-256).
  void write(const std::string& path, const std::string& user_password = "");

 private:
  std::unique_ptr<QPDF> pdf_;
};

// A dictionary from key/value pairs: dict({{"/XObject", dict({{"/Im1", image}})}}).
QPDFObjectHandle dict(std::initializer_list<std::pair<std::string, QPDFObjectHandle>> items);

// `count` copies of a pixel's bytes, for image samples.
std::string repeat_pixel(const std::string& pixel, int count);

}  // namespace pp::test
