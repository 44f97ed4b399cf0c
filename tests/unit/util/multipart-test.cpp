// multipart-test.cpp: the streaming multipart/form-data reader and the upload form over it, fed
// well-formed and hostile bodies in every chunking (a boundary split across reads).
#include "util/multipart.h"

#include <gtest/gtest.h>

#include <string>

#include "support/status-assert.h"
#include "util/multipart-form.h"

namespace pp {
namespace {

constexpr const char* kBoundary = "----WebKitFormBoundaryx7Yz";

// A body as a browser sends it: fields then a file.
std::string browser_body(const std::string& file_bytes) {
  const std::string b = std::string("--") + kBoundary;
  return b + "\r\nContent-Disposition: form-data; name=\"session\"\r\n\r\ntoken123\r\n" + b +
         "\r\nContent-Disposition: form-data; name=\"copies\"\r\n\r\n2\r\n" + b +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".pdf\"\r\n"
         "Content-Type: application/pdf\r\n\r\n" +
         file_bytes + "\r\n" + b + "--\r\n";
}

// The form read from `body` fed in chunks of `chunk` bytes; the file's bytes in *file.
Status read_in_chunks(const std::string& body, std::size_t chunk, std::string* file,
                      MultipartForm** out_form, MultipartFormLimits limits = {},
                      MultipartLimits reader_limits = {}) {
  static std::unique_ptr<MultipartForm> form;
  form = std::make_unique<MultipartForm>(
      "file",
      [file](std::string_view bytes) {
        file->append(bytes);
        return Status::ok();
      },
      limits);
  *out_form = form.get();
  MultipartReader reader(kBoundary, *form, reader_limits);
  for (std::size_t at = 0; at < body.size(); at += chunk)
    if (Status s = reader.feed(std::string_view(body).substr(at, chunk)); !s.is_ok()) return s;
  return reader.finish();
}

TEST(MultipartBoundary, ReadsQuotedAndPlainBoundaries) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"unterminated"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')),
            std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=a\r\nb"), std::nullopt);
  EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded; boundary=abc"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/mixed; boundary=abc"), std::nullopt);
}

TEST(MultipartHeaderParameter, ReadsNameNotFilename) {
  const std::string value = "form-data; filename=\"x.pdf\"; name=\"file\"";
  EXPECT_EQ(header_parameter(value, "name"), "file");
  EXPECT_EQ(header_parameter(value, "filename"), "x.pdf");
  EXPECT_EQ(header_parameter("form-data; name=plain ; x", "name"), "plain");
  EXPECT_EQ(header_parameter("form-data", "name"), std::nullopt);
}

TEST(MultipartReader, ReadsABrowserFormInEveryChunking) {
  const std::string pdf = "%PDF-1.4\r\n--not-the-boundary\r\n\r\n binary \0\xff end";
  const std::string body = browser_body(pdf);
  for (std::size_t chunk : {1ul, 2ul, 3ul, 7ul, 31ul, 64ul, body.size()}) {
    std::string file;
    MultipartForm* form = nullptr;
    PP_ASSERT_OK(read_in_chunks(body, chunk, &file, &form));
    EXPECT_EQ(file, pdf) << "chunk " << chunk;
    ASSERT_NE(form->field("session"), nullptr);
    EXPECT_EQ(*form->field("session"), "token123");
    EXPECT_EQ(*form->field("copies"), "2");
    EXPECT_TRUE(form->has_file());
    EXPECT_EQ(form->filename(), "a \"b\".pdf");
    EXPECT_EQ(form->file_bytes(), pdf.size());
  }
}

TEST(MultipartReader, AFileEndingInPartOfTheDelimiterIsKept) {
  // Data that ends with the first bytes of "\r\n--BOUNDARY" must not be cut.
  const std::string pdf = std::string("%PDF\r\n--") + std::string(kBoundary).substr(0, 10);
  for (std::size_t chunk : {1ul, 5ul, 1000ul}) {
    std::string file;
    MultipartForm* form = nullptr;
    PP_ASSERT_OK(read_in_chunks(browser_body(pdf), chunk, &file, &form));
    EXPECT_EQ(file, pdf);
  }
}

TEST(MultipartReader, IgnoresPreambleEpilogueAndTransportPadding) {
  const std::string b = std::string("--") + kBoundary;
  const std::string body = "preamble text\r\n" + b +
                           "  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" + b +
                           "--\r\nepilogue " + b + "\r\nContent-Disposition: junk\r\n";
  std::string file;
  MultipartForm* form = nullptr;
  PP_ASSERT_OK(read_in_chunks(body, 3, &file, &form));
  EXPECT_EQ(*form->field("a"), "1");
  EXPECT_FALSE(form->has_file());
}

TEST(MultipartReader, RefusesAMissingBoundary) {
  std::string file;
  MultipartForm* form = nullptr;
  PP_EXPECT_CODE(read_in_chunks("just some bytes\r\n\r\n", 4, &file, &form),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(read_in_chunks("", 4, &file, &form), Code::kInvalidArgument);
  // Another boundary than the announced one.
  PP_EXPECT_CODE(read_in_chunks("--other\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
                                "\r\n--other--\r\n",
                                4, &file, &form),
                 Code::kInvalidArgument);
}

TEST(MultipartReader, RefusesABodyCutShort) {
  const std::string body = browser_body("%PDF-1.4 data");
  for (std::size_t cut : {10ul, body.size() / 2, body.size() - 4}) {
    std::string file;
    MultipartForm* form = nullptr;
    PP_EXPECT_CODE(read_in_chunks(body.substr(0, cut), 5, &file, &form), Code::kInvalidArgument);
  }
}

TEST(MultipartReader, RefusesHugeHeaders) {
  const std::string b = std::string("--") + kBoundary;
  const std::string body =
      b + "\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Junk: " + std::string(100000, 'x') +
      "\r\n\r\n1\r\n" + b + "--\r\n";
  std::string file;
  MultipartForm* form = nullptr;
  PP_EXPECT_CODE(read_in_chunks(body, 4096, &file, &form), Code::kLimitExceeded);
  // Headers that never end.
  PP_EXPECT_CODE(read_in_chunks(b + "\r\nX: " + std::string(20000, 'y'), 512, &file, &form),
                 Code::kLimitExceeded);
}

TEST(MultipartReader, RefusesPartsWithoutAFormDataName) {
  const std::string b = std::string("--") + kBoundary;
  std::string file;
  MultipartForm* form = nullptr;
  for (const std::string headers :
       {"Content-Type: text/plain", "Content-Disposition: attachment; name=\"a\"",
        "Content-Disposition: form-data", "no colon here", ""}) {
    SCOPED_TRACE(headers);
    PP_EXPECT_CODE(
        read_in_chunks(b + "\r\n" + headers + "\r\n\r\nvalue\r\n" + b + "--\r\n", 3, &file, &form),
        Code::kInvalidArgument);
  }
  // Garbage right after a boundary.
  PP_EXPECT_CODE(read_in_chunks(b + "garbage\r\n", 3, &file, &form), Code::kInvalidArgument);
}

TEST(MultipartReader, RefusesTooManyParts) {
  const std::string b = std::string("--") + kBoundary;
  std::string body;
  for (int i = 0; i < 10; ++i)
    body +=
        b + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  body += b + "--\r\n";
  std::string file;
  MultipartForm* form = nullptr;
  PP_EXPECT_CODE(read_in_chunks(body, 8, &file, &form, {}, MultipartLimits{8192, 5}),
                 Code::kLimitExceeded);
  PP_ASSERT_OK(read_in_chunks(body, 8, &file, &form, {}, MultipartLimits{8192, 10}));
}

TEST(MultipartForm, NoFileIsReadAsNoFile) {
  const std::string b = std::string("--") + kBoundary;
  std::string file;
  MultipartForm* form = nullptr;
  PP_ASSERT_OK(read_in_chunks(
      b + "\r\nContent-Disposition: form-data; name=\"copies\"\r\n\r\n1\r\n" + b + "--\r\n", 2,
      &file, &form));
  EXPECT_FALSE(form->has_file());
  // A browser's form sent without choosing a file: an empty file part with filename="".
  PP_ASSERT_OK(read_in_chunks(b +
                                  "\r\nContent-Disposition: form-data; name=\"file\"; "
                                  "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                                  "\r\n" +
                                  b + "--\r\n",
                              2, &file, &form));
  EXPECT_TRUE(form->has_file());
  EXPECT_EQ(form->file_bytes(), 0u);
  EXPECT_EQ(form->filename(), "");
}

TEST(MultipartForm, RefusesTwoFilesAndFilesUnderOtherNames) {
  const std::string b = std::string("--") + kBoundary;
  const std::string part = b +
                           "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename=\"x.pdf\"\r\n\r\n%PDF\r\n";
  std::string file;
  MultipartForm* form = nullptr;
  PP_EXPECT_CODE(read_in_chunks(part + part + b + "--\r\n", 16, &file, &form),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(read_in_chunks(b +
                                    "\r\nContent-Disposition: form-data; name=\"other\"; "
                                    "filename=\"x.pdf\"\r\n\r\n%PDF\r\n" +
                                    b + "--\r\n",
                                16, &file, &form),
                 Code::kInvalidArgument);
  // A field given twice (a second "session" must not replace the first).
  const std::string field = b + "\r\nContent-Disposition: form-data; name=\"session\"\r\n\r\nx\r\n";
  PP_EXPECT_CODE(read_in_chunks(field + field + b + "--\r\n", 16, &file, &form),
                 Code::kInvalidArgument);
}

TEST(MultipartForm, StopsAtTheFileLimitAndWritesNoMore) {
  const std::string pdf(10000, 'p');
  std::string file;
  MultipartForm* form = nullptr;
  PP_EXPECT_CODE(
      read_in_chunks(browser_body(pdf), 1000, &file, &form, MultipartFormLimits{9999, 4096, 32}),
      Code::kLimitExceeded);
  EXPECT_LE(file.size(), 9999u);
  file.clear();
  PP_ASSERT_OK(
      read_in_chunks(browser_body(pdf), 1000, &file, &form, MultipartFormLimits{10000, 4096, 32}));
  EXPECT_EQ(file.size(), 10000u);
}

TEST(MultipartForm, RefusesLongFieldsAndTooManyFields) {
  const std::string b = std::string("--") + kBoundary;
  std::string file;
  MultipartForm* form = nullptr;
  PP_EXPECT_CODE(read_in_chunks(b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" +
                                    std::string(5000, 'a') + "\r\n" + b + "--\r\n",
                                100, &file, &form),
                 Code::kLimitExceeded);
  std::string body;
  for (int i = 0; i < 40; ++i)
    body +=
        b + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  PP_EXPECT_CODE(read_in_chunks(body + b + "--\r\n", 100, &file, &form), Code::kLimitExceeded);
}

TEST(MultipartForm, AWriterFailureStopsTheRead) {
  MultipartForm form("file", [](std::string_view) {
    return Status(Code::kPermissionDenied, "invalid form submission");
  });
  PP_EXPECT_CODE(read_multipart(browser_body("%PDF"), kBoundary, form), Code::kPermissionDenied);
}

TEST(MultipartReader, AFailureSticks) {
  std::string file;
  MultipartForm form("file", [&](std::string_view bytes) {
    file.append(bytes);
    return Status::ok();
  });
  MultipartReader reader(kBoundary, form);
  PP_EXPECT_CODE(reader.feed(std::string("--") + kBoundary + "xx"), Code::kInvalidArgument);
  PP_EXPECT_CODE(reader.feed(browser_body("%PDF")), Code::kInvalidArgument);
  PP_EXPECT_CODE(reader.finish(), Code::kInvalidArgument);
  EXPECT_FALSE(reader.done());
}

}  // namespace
}  // namespace pp
