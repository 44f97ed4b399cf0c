// statement-csv.cpp: a statement's rows as CSV (RFC 4180), for the user's own download.
//
// Amounts are written in major units with the currency's decimals, so that a spreadsheet adds
// them up; text a user typed (a job title) is quoted and kept from being read as a formula.
#include "pricing/pricing.h"
#include "statement/statement.h"

namespace pp {

namespace {

// "-0.40" for -40 in a currency with two decimals.
std::string decimal_amount(std::int64_t minor, std::string_view currency) {
  const int decimals = currency_decimals(currency);
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::int64_t magnitude = minor < 0 ? -minor : minor;
  std::string text = (minor < 0 ? "-" : "") + std::to_string(magnitude / scale);
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    text += "." + std::string(decimals - fraction.size(), '0') + fraction;
  }
  return text;
}

// A text field: a leading = + - @ TAB or CR would make a spreadsheet run it as a formula.
std::string text_field(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    return csv_field("'" + std::string(text));
  return csv_field(text);
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string statement_csv_header() {
  return "entry,date,kind,amount,allocated,self_paid,currency,job,title,pages,color_pages,printer,"
         "job_owner,note\r\n";
}

std::string statement_csv_line(const StatementRow& row, std::string_view currency) {
  const StatementJob none;
  const StatementJob& job = row.job ? *row.job : none;
  std::string line =
      std::to_string(row.entry_id) + "," + csv_field(row.created_at) + "," +
      std::string(statement_kind_name(row.kind)) + "," + decimal_amount(row.amount, currency) +
      "," + decimal_amount(row.allocated, currency) + "," +
      decimal_amount(row.amount - row.allocated, currency) + "," + csv_field(currency) + ",";
  line += (job.held_job_id ? std::to_string(*job.held_job_id) : "") + ",";
  line += text_field(job.title) + ",";
  line += (row.job && job.pages > 0 ? std::to_string(job.pages) : "") + ",";
  line += (row.job && job.pages > 0 ? std::to_string(job.color_pages) : "") + ",";
  line += text_field(job.printer) + "," + text_field(job.owner) + "," + text_field(row.note);
  return line + "\r\n";
}

}  // namespace pp
