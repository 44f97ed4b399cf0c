// multipart.cpp: the streaming multipart/form-data reader (multipart.h).
//
// The body is read as if it began with "\r\n": then the opening boundary is just another
// delimiter ("\r\n--BOUNDARY"), and the preamble (text before it) is data nobody receives.
#include "util/multipart.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace pp {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 2046's bchars.
bool is_boundary_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

Status malformed(const std::string& what) {
  return Status(Code::kInvalidArgument, "malformed multipart/form-data body: " + what);
}

}  // namespace

std::optional<std::string> header_parameter(std::string_view value, std::string_view name) {
  std::size_t at = value.find(';');
  if (at == std::string_view::npos) return std::nullopt;
  value.remove_prefix(at + 1);
  while (!value.empty()) {
    const std::size_t key_end = value.find_first_of("=;");
    const std::string_view key = trim(value.substr(0, key_end));
    if (key_end == std::string_view::npos) return std::nullopt;
    value.remove_prefix(key_end);
    if (value.front() == ';') {  // a parameter without a value
      value.remove_prefix(1);
      continue;
    }
    value.remove_prefix(1);  // '='
    value = trim(value);
    std::string text;
    if (!value.empty() && value.front() == '"') {
      std::size_t i = 1;
      bool closed = false;
      for (; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          text += value[++i];
        } else if (value[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          text += value[i];
        }
      }
      if (!closed) return std::nullopt;  // an unterminated quoted string
      value.remove_prefix(i);
      const std::size_t next = value.find(';');
      value.remove_prefix(next == std::string_view::npos ? value.size() : next + 1);
    } else {
      const std::size_t next = value.find(';');
      text = std::string(trim(value.substr(0, next)));
      value.remove_prefix(next == std::string_view::npos ? value.size() : next + 1);
    }
    if (iequals(key, name)) return text;
  }
  return std::nullopt;
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (!iequals(trim(content_type.substr(0, content_type.find(';'))), "multipart/form-data"))
    return std::nullopt;
  std::optional<std::string> boundary = header_parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70 || boundary->back() == ' ')
    return std::nullopt;
  if (!std::all_of(boundary->begin(), boundary->end(), is_boundary_char)) return std::nullopt;
  return boundary;
}

MultipartReader::MultipartReader(std::string boundary, MultipartSink& sink, MultipartLimits limits)
    : delimiter_("\r\n--" + std::move(boundary)), sink_(sink), limits_(limits), buffer_("\r\n") {}

Status MultipartReader::fail(Status status) {
  state_ = State::kFailed;
  failure_ = status;
  buffer_.clear();
  return status;
}

Status MultipartReader::begin_part(std::string_view headers) {
  MultipartPart part;
  bool form_data = false;
  while (!headers.empty()) {
    const std::size_t end = headers.find("\r\n");
    const std::string_view line = headers.substr(0, end);
    headers.remove_prefix(end == std::string_view::npos ? headers.size() : end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return malformed("a part header line without ':'");
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) {
      if (!iequals(trim(value.substr(0, value.find(';'))), "form-data"))
        return malformed("a part that is not form-data");
      std::optional<std::string> field = header_parameter(value, "name");
      if (!field) return malformed("a part without a field name");
      part.name = std::move(*field);
      part.filename = header_parameter(value, "filename");
      form_data = true;
    } else if (iequals(name, "Content-Type")) {
      part.content_type = std::string(value);
    }
  }
  if (!form_data) return malformed("a part without Content-Disposition: form-data");
  return sink_.on_part_begin(part);
}

Status MultipartReader::step(bool* progress) {
  *progress = false;
  switch (state_) {
    case State::kPreamble:
    case State::kData: {
      const std::size_t found = buffer_.find(delimiter_);
      const std::size_t keep =
          delimiter_.size() - 1;  // the start of a delimiter split across reads
      if (found == std::string::npos) {
        if (buffer_.size() <= keep) return Status::ok();
        const std::size_t data = buffer_.size() - keep;
        if (state_ == State::kData)
          if (Status s = sink_.on_part_data(std::string_view(buffer_).substr(0, data)); !s.is_ok())
            return s;
        buffer_.erase(0, data);
        return Status::ok();
      }
      if (state_ == State::kData) {
        if (found > 0)
          if (Status s = sink_.on_part_data(std::string_view(buffer_).substr(0, found)); !s.is_ok())
            return s;
        if (Status s = sink_.on_part_end(); !s.is_ok()) return s;
      }
      buffer_.erase(0, found + delimiter_.size());
      state_ = State::kAfterBoundary;
      *progress = true;
      return Status::ok();
    }
    case State::kAfterBoundary: {
      // Transport padding (spaces, tabs) may follow a delimiter; then "--" ends the body and
      // CRLF starts a part.
      const std::size_t text = buffer_.find_first_not_of(" \t");
      buffer_.erase(0, text == std::string::npos ? buffer_.size() : text);
      if (buffer_.size() < 2) return Status::ok();
      if (buffer_.compare(0, 2, "--") == 0) {
        state_ = State::kEpilogue;
        buffer_.clear();
        return Status::ok();
      }
      if (buffer_.compare(0, 2, "\r\n") != 0) return malformed("text after a boundary");
      if (++parts_ > limits_.max_parts)
        return Status(Code::kLimitExceeded,
                      "more than " + std::to_string(limits_.max_parts) + " parts in the form");
      buffer_.erase(0, 2);
      state_ = State::kHeaders;
      *progress = true;
      return Status::ok();
    }
    case State::kHeaders: {
      std::size_t end = buffer_.compare(0, 2, "\r\n") == 0 ? 0 : buffer_.find("\r\n\r\n");
      if (end == std::string::npos || end > limits_.max_header_bytes) {
        if (buffer_.size() > limits_.max_header_bytes + 4)
          return Status(Code::kLimitExceeded, "a part's headers are longer than " +
                                                  std::to_string(limits_.max_header_bytes) +
                                                  " bytes");
        return Status::ok();
      }
      const std::size_t consumed = end == 0 ? 2 : end + 4;
      if (Status s = begin_part(std::string_view(buffer_).substr(0, end)); !s.is_ok()) return s;
      buffer_.erase(0, consumed);
      state_ = State::kData;
      *progress = true;
      return Status::ok();
    }
    case State::kEpilogue:
      buffer_.clear();
      return Status::ok();
    case State::kFailed:
      return failure_;
  }
  return Status(Code::kInternal, "multipart reader in an unknown state");
}

Status MultipartReader::feed(std::string_view bytes) {
  if (state_ == State::kFailed) return failure_;
  if (state_ == State::kEpilogue) return Status::ok();
  buffer_.append(bytes);
  bool progress = true;
  while (progress) {
    if (Status s = step(&progress); !s.is_ok()) return fail(s);
  }
  return Status::ok();
}

Status MultipartReader::finish() {
  if (state_ == State::kFailed) return failure_;
  if (state_ == State::kEpilogue) return Status::ok();
  if (state_ == State::kPreamble) return fail(malformed("no boundary found"));
  return fail(malformed("the body ended before its closing boundary"));
}

}  // namespace pp
