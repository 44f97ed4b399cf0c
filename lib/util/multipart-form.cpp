// multipart-form.cpp: MultipartForm, a form's text fields and one streamed file.
#include "util/multipart-form.h"

#include <utility>

namespace pp {

MultipartForm::MultipartForm(std::string file_field, Writer write_file, MultipartFormLimits limits)
    : file_field_(std::move(file_field)), write_file_(std::move(write_file)), limits_(limits) {}

const std::string* MultipartForm::field(const std::string& name) const {
  auto found = fields_.find(name);
  return found == fields_.end() ? nullptr : &found->second;
}

Status MultipartForm::on_part_begin(const MultipartPart& part) {
  if (part.filename || part.name == file_field_) {
    if (part.name != file_field_)
      return Status(Code::kInvalidArgument, "unexpected file field \"" + part.name + "\"");
    if (has_file_) return Status(Code::kInvalidArgument, "more than one file in the form");
    has_file_ = true;
    filename_ = part.filename.value_or("");
    current_ = Current::kFile;
    return Status::ok();
  }
  if (fields_.count(part.name))
    return Status(Code::kInvalidArgument, "field \"" + part.name + "\" given twice");
  if (fields_.size() >= limits_.max_fields)
    return Status(Code::kLimitExceeded,
                  "more than " + std::to_string(limits_.max_fields) + " fields in the form");
  fields_[part.name];
  current_name_ = part.name;
  current_ = Current::kField;
  return Status::ok();
}

Status MultipartForm::on_part_data(std::string_view bytes) {
  switch (current_) {
    case Current::kFile:
      if (bytes.size() > limits_.max_file_bytes - file_bytes_)
        return Status(Code::kLimitExceeded, "the file is larger than " +
                                                std::to_string(limits_.max_file_bytes) + " bytes");
      file_bytes_ += bytes.size();
      return write_file_(bytes);
    case Current::kField: {
      std::string& value = fields_[current_name_];
      if (bytes.size() > limits_.max_field_bytes - value.size())
        return Status(Code::kLimitExceeded, "field \"" + current_name_ + "\" is longer than " +
                                                std::to_string(limits_.max_field_bytes) + " bytes");
      value.append(bytes);
      return Status::ok();
    }
    case Current::kNone:
      break;
  }
  return Status(Code::kInternal, "form data outside a part");
}

Status MultipartForm::on_part_end() {
  current_ = Current::kNone;
  return Status::ok();
}

Status read_multipart(std::string_view body, std::string_view boundary, MultipartSink& sink,
                      MultipartLimits limits) {
  MultipartReader reader{std::string(boundary), sink, limits};
  if (Status fed = reader.feed(body); !fed.is_ok()) return fed;
  return reader.finish();
}

}  // namespace pp
