// pdf-content-reader.cpp: tokenizing content streams into operations.
#include "analysis/pdf-content-reader.h"

#include <qpdf/BufferInputSource.hh>

#include <cstdint>
#include <cstdlib>

namespace pp::pdf {

namespace {

constexpr int kMaxArrayDepth = 16;
constexpr size_t kMaxOperands = 4096;  // more is garbage: drop them rather than grow without bound

// Parses a PDF number ([+-]digits[.digits]) without strtod, which dominated profiles of
// text-heavy pages; anything unusual still goes through strtod.
double parse_number(const std::string& text) {
  const char* p = text.c_str();
  bool negative = false;
  if (*p == '+' || *p == '-') negative = *p++ == '-';
  std::uint64_t whole = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9' && digits < 18) whole = whole * 10 + (*p++ - '0'), ++digits;
  double value = static_cast<double>(whole);
  if (*p == '.') {
    ++p;
    std::uint64_t fraction = 0, scale = 1;
    while (*p >= '0' && *p <= '9' && scale < 1000000000000000000ull) fraction = fraction * 10 + (*p++ - '0'), scale *= 10;
    value += static_cast<double>(fraction) / static_cast<double>(scale);
  }
  if (*p != '\0') return std::strtod(text.c_str(), nullptr);  // long or odd: let libc decide
  return negative ? -value : value;
}

}  // namespace

ContentReader::ContentReader(std::string content)
    : content_(std::move(content)),
      // The buffer points into content_ (no copy); content_ outlives input_.
      buffer_(reinterpret_cast<unsigned char*>(content_.data()), content_.size()) {
  input_ = std::make_shared<BufferInputSource>("content", &buffer_, false);
  tokenizer_.allowEOF();
}

QPDFTokenizer::Token ContentReader::read_token() {
  if (pending_) {
    QPDFTokenizer::Token token = std::move(*pending_);
    pending_.reset();
    return token;
  }
  return tokenizer_.readToken(input_, "content", true);
}

bool ContentReader::read_operand(QPDFTokenizer::Token token, Operand& out, int depth) {
  using T = QPDFTokenizer;
  switch (token.getType()) {
    case T::tt_integer:
    case T::tt_real:
      out.kind = Operand::Kind::kNumber;
      out.number = parse_number(token.getValue());
      return true;
    case T::tt_name:
      out.kind = Operand::Kind::kName;
      out.text = token.getValue();
      return true;
    case T::tt_string:
      out.kind = Operand::Kind::kString;
      out.text = token.getValue();
      return true;
    case T::tt_array_open: {
      out.kind = Operand::Kind::kArray;
      while (true) {
        QPDFTokenizer::Token inner = tokenizer_.readToken(input_, "content", true);
        if (inner.getType() == T::tt_array_close || inner.getType() == T::tt_eof) return true;
        if (inner.getType() == T::tt_word) {
          // An operator inside an array means the array was never closed: end it here and
          // let the operator run, so one broken array cannot swallow the rest of the page.
          pending_ = std::move(inner);
          return true;
        }
        Operand item;
        if (depth < kMaxArrayDepth && read_operand(inner, item, depth + 1)) {
          if (out.items.size() < kMaxOperands) out.items.push_back(std::move(item));
        }
        if (pending_) return true;  // a nested array ended at an operator: so does this one
      }
    }
    case T::tt_dict_open: {
      // Inline property lists (BDC, DP): nothing we use, skip to the matching ">>".
      out.kind = Operand::Kind::kDict;
      int open = 1;
      while (open > 0) {
        QPDFTokenizer::Token inner = tokenizer_.readToken(input_, "content", true);
        if (inner.getType() == T::tt_eof) break;
        if (inner.getType() == T::tt_dict_open) ++open;
        if (inner.getType() == T::tt_dict_close) --open;
      }
      return true;
    }
    case T::tt_bool:
    case T::tt_null:
      out.kind = Operand::Kind::kOther;
      return true;
    default:
      return false;  // tt_bad, stray closers: ignored like PDF viewers do
  }
}

void ContentReader::read_inline_image(Operation& operation) {
  // BI <key value pairs> ID <binary data> EI: parse the pairs as a dictionary.
  qpdf_offset_t dict_start = input_->tell();
  qpdf_offset_t dict_end = dict_start;
  while (true) {
    QPDFTokenizer::Token token = tokenizer_.readToken(input_, "content", true);
    if (token.getType() == QPDFTokenizer::tt_eof) return;
    if (token.isWord("ID")) {
      dict_end = input_->getLastOffset();
      break;
    }
  }
  std::string dict_text = "<<" + content_.substr(dict_start, dict_end - dict_start) + ">>";
  operation.inline_dict = QPDFObjectHandle::parse(dict_text, "inline image");
  tokenizer_.expectInlineImage(input_);
  QPDFTokenizer::Token data = tokenizer_.readToken(input_, "content", true);
  if (data.getType() != QPDFTokenizer::tt_inline_image) return;
  // The token holds the data with the single white-space character that follows ID (and any
  // white space before EI, which image decoding ignores): drop the former.
  operation.inline_data = data.getValue();
  if (!operation.inline_data.empty() && (operation.inline_data[0] == ' ' || operation.inline_data[0] == '\n' ||
                                         operation.inline_data[0] == '\r' || operation.inline_data[0] == '\t')) {
    operation.inline_data.erase(0, 1);
  }
}

bool ContentReader::next(Operation& operation) {
  operation.operands.clear();
  operation.inline_dict = QPDFObjectHandle();
  operation.inline_data.clear();
  while (true) {
    QPDFTokenizer::Token token = read_token();
    switch (token.getType()) {
      case QPDFTokenizer::tt_eof: return false;
      case QPDFTokenizer::tt_word:
        operation.op = token.getValue();
        if (operation.op == "BI") read_inline_image(operation);
        return true;
      default: {
        if (operation.operands.size() >= kMaxOperands) operation.operands.clear();
        operation.operands.emplace_back();
        if (!read_operand(token, operation.operands.back(), 0)) operation.operands.pop_back();
      }
    }
  }
}

}  // namespace pp::pdf
