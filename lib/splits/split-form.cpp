// split-form.cpp: a split form's rows as a request line (see split-form.h). The parser checks the
// line; here only what the line cannot say (which row is incomplete) is refused.
#include "splits/split-form.h"

#include <algorithm>
#include <cctype>

#include "splits/split-request.h"

namespace pp {
namespace {

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, "split request: " + std::move(message));
}

std::string trimmed(std::string_view text) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Characters that would end or change a part of the request line (the parser would read them as
// its own separators): refused so that a value cannot add a payer or a setting.
bool has_separator(std::string_view text) {
  return text.find_first_of(",;=:") != std::string_view::npos;
}

// "1-4, 9" / "1-4 9" / "1-4+9": the pages syntax's "1-4+9".
std::string pages_value(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (c == ',' || c == '+' || std::isspace(static_cast<unsigned char>(c))) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '+';
    gap = false;
    out += c;
  }
  return out;
}

// The method options of a row, "color+a4+two-sided-long-edge"; "" when the row chose nothing.
std::string method_value(const SplitFormRow& row) {
  std::string out;
  for (const std::string& option :
       {trimmed(row.color), trimmed(row.sides), trimmed(row.media),
        row.media_type.empty() ? std::string() : "type=" + trimmed(row.media_type)}) {
    if (option.empty() || option == "type=") continue;
    if (!out.empty()) out += '+';
    out += option;
  }
  return out;
}

}  // namespace

Result<std::string> split_request_from_form(const SplitForm& form) {
  const std::optional<SplitMode> mode = parse_split_mode(trimmed(form.mode));
  if (!mode) return invalid("choose a mode: ratio, copies, pages or method");
  std::string entries;
  for (std::size_t i = 0; i < form.rows.size(); ++i) {
    const SplitFormRow& row = form.rows[i];
    const std::string payer = trimmed(row.payer);
    std::string value;
    switch (*mode) {
      case SplitMode::kRatio:
      case SplitMode::kCopies:
        value = trimmed(row.part);
        break;
      case SplitMode::kPages:
        value = pages_value(trimmed(row.part));
        break;
      case SplitMode::kMethod:
        value = method_value(row);
        break;
    }
    const std::string row_name = "row " + std::to_string(i + 1);
    if (payer.empty() && value.empty()) continue;
    if (payer.empty())
      return invalid(row_name + ": whose part is \"" + value + "\"? name the payer");
    if (value.empty()) {
      return invalid(row_name + ": give " + payer + "'s part" +
                     (*mode == SplitMode::kMethod ? " (at least one option)" : ""));
    }
    // What the person typed (method: before "type=" is added) may not carry a separator.
    const std::string typed =
        *mode == SplitMode::kMethod
            ? row.color + row.sides + trimmed(row.media) + trimmed(row.media_type)
            : value;
    if (has_separator(payer) || has_separator(typed) ||
        payer.find_first_of(" \t") != std::string::npos ||
        typed.find_first_of(" \t") != std::string::npos) {
      return invalid(row_name + ": \"" + payer + "\" = \"" + value +
                     "\" has characters a split request cannot carry (, ; = : or spaces)");
    }
    entries += (entries.empty() ? "" : ",") + payer + "=" + value;
  }
  if (entries.empty()) return invalid("add at least one payer and their part");
  std::string text = std::string(split_mode_name(*mode)) + ":" + entries;
  std::string deadline = trimmed(form.deadline);
  if (!deadline.empty()) {
    if (std::all_of(deadline.begin(), deadline.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
      deadline += "h";
    if (has_separator(deadline) || deadline.find(' ') != std::string::npos)
      return invalid("deadline \"" + deadline + "\" is not like 24h, 90m or 2d");
    text += ";deadline=" + deadline;
  }
  const std::string on_decline = trimmed(form.on_decline);
  if (!on_decline.empty()) {
    if (*mode != SplitMode::kRatio)
      return invalid("\"if a payer declines\" is for ratio splits only");
    if (!parse_on_decline(on_decline))
      return invalid("\"if a payer declines\": owner-covers or cancel, not \"" + on_decline + "\"");
    text += ";on-decline=" + on_decline;
  }
  return text;
}

}  // namespace pp
