// pdf-builder.cpp: test PDFs through libqpdf.
#include "support/pdf-builder.h"

#include <qpdf/Pl_DCT.hh>
#include <qpdf/Pl_String.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

namespace pp::test {

PdfBuilder::PdfBuilder() : pdf_(std::make_unique<QPDF>()) { pdf_->emptyPDF(); }

QPDFObjectHandle PdfBuilder::parse(const std::string& text) { return QPDFObjectHandle::parse(pdf_.get(), text); }

QPDFObjectHandle PdfBuilder::indirect(const std::string& text) { return pdf_->makeIndirectObject(parse(text)); }

QPDFObjectHandle PdfBuilder::stream(const std::string& dict_text, const std::string& data) {
  QPDFObjectHandle stream = QPDFObjectHandle::newStream(pdf_.get(), data);
  QPDFObjectHandle entries = parse(dict_text);
  for (const auto& [key, value] : entries.ditems()) stream.getDict().replaceKey(key, value);
  return stream;
}

QPDFObjectHandle PdfBuilder::form(const std::string& content, QPDFObjectHandle resources, const std::string& bbox,
                                  const std::string& extra) {
  QPDFObjectHandle form = stream("<< /Type /XObject /Subtype /Form /BBox " + bbox + " " + extra + " >>", content);
  if (resources.isDictionary()) form.getDict().replaceKey("/Resources", resources);
  return form;
}

QPDFObjectHandle PdfBuilder::image(int width, int height, const std::string& color_space, int bits,
                                   const std::string& samples, const std::string& extra) {
  return stream("<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) + " /Height " +
                    std::to_string(height) + " /ColorSpace " + color_space + " /BitsPerComponent " +
                    std::to_string(bits) + " " + extra + " >>",
                samples);
}

QPDFObjectHandle PdfBuilder::jpeg_image(int width, int height, int components, const std::string& samples) {
  std::string jpeg;
  Pl_String out("jpeg", nullptr, jpeg);
  J_COLOR_SPACE space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
  Pl_DCT compress("dct", &out, width, height, components, space);
  compress.write(reinterpret_cast<const unsigned char*>(samples.data()), samples.size());
  compress.finish();
  const char* name = components == 1 ? "/DeviceGray" : components == 3 ? "/DeviceRGB" : "/DeviceCMYK";
  QPDFObjectHandle image =
      stream("<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) + " /Height " +
                 std::to_string(height) + " /ColorSpace " + name + " /BitsPerComponent 8 >>",
             "");
  // Already DCT-encoded: store as is, with the filter named.
  image.replaceStreamData(jpeg, QPDFObjectHandle::newName("/DCTDecode"), QPDFObjectHandle::newNull());
  return image;
}

QPDFObjectHandle PdfBuilder::add_page(const std::string& content, QPDFObjectHandle resources,
                                      const std::string& media_box) {
  QPDFObjectHandle page = parse("<< /Type /Page /MediaBox " + media_box + " >>");
  page.replaceKey("/Contents", QPDFObjectHandle::newStream(pdf_.get(), content));
  page.replaceKey("/Resources", resources.isDictionary() ? resources : QPDFObjectHandle::newDictionary());
  page = pdf_->makeIndirectObject(page);
  QPDFPageDocumentHelper(*pdf_).addPage(page, false);
  return page;
}

void PdfBuilder::write(const std::string& path, const std::string& user_password) {
  QPDFWriter writer(*pdf_, path.c_str());
  writer.setStaticID(true);
  if (!user_password.empty()) {
    writer.setR6EncryptionParameters(user_password.c_str(), "owner", true, true, true, true, true, true,
                                     qpdf_r3p_full, true);
  }
  writer.write();
}

QPDFObjectHandle dict(std::initializer_list<std::pair<std::string, QPDFObjectHandle>> items) {
  QPDFObjectHandle d = QPDFObjectHandle::newDictionary();
  for (const auto& [key, value] : items) d.replaceKey(key, value);
  return d;
}

std::string repeat_pixel(const std::string& pixel, int count) {
  std::string out;
  out.reserve(pixel.size() * count);
  for (int i = 0; i < count; ++i) out += pixel;
  return out;
}

}  // namespace pp::test
