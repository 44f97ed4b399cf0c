// pdf-content-reader.h: splits a content stream into operations (operands + operator).
//
// A thin layer over QPDFTokenizer that builds no QPDFObjectHandles for ordinary operands (numbers,
// names, strings and arrays of them), which keeps the interpreter fast on text-heavy pages.
#pragma once

#include "analysis/pdf-qpdf.h"

#include <qpdf/InputSource.hh>
#include <qpdf/QPDFTokenizer.hh>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pp::pdf {

struct Operand {
  enum class Kind { kNumber, kName, kString, kArray, kDict, kOther };
  Kind kind = Kind::kOther;
  double number = 0;
  std::string text;             // a name (with its '/') or the bytes of a string
  std::vector<Operand> items;   // elements of an array

  bool is_number() const { return kind == Kind::kNumber; }
  bool is_name() const { return kind == Kind::kName; }
};

struct Operation {
  std::string op;
  std::vector<Operand> operands;
  QPDFObjectHandle inline_dict;  // for "BI": the image dictionary as written (abbreviations kept)
  std::string inline_data;       // for "BI": the bytes between ID and EI
};

class ContentReader {
 public:
  explicit ContentReader(std::string content);
  ContentReader(const ContentReader&) = delete;  // input_ points into content_
  ContentReader& operator=(const ContentReader&) = delete;

  // Reads the next operation into `operation`; false at the end of the content.
  bool next(Operation& operation);

 private:
  QPDFTokenizer::Token read_token();
  bool read_operand(QPDFTokenizer::Token token, Operand& out, int depth);
  void read_inline_image(Operation& operation);

  std::string content_;
  Buffer buffer_;
  std::shared_ptr<InputSource> input_;
  QPDFTokenizer tokenizer_;
  std::optional<QPDFTokenizer::Token> pending_;  // an operator that ended an unclosed array
};

}  // namespace pp::pdf
